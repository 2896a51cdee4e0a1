#include "service.hpp"

#include "base/text.hpp"
#include "redline/errors.hpp"
#include "redline/model/law.hpp"
#include "redline/model/rules.hpp"
#include "redline/reports/report.hpp"
#include "redline/reports/screening_report.hpp"
#include "redline/screening/check_run.hpp"
#include "redline/store/workspace.hpp"
#include "redline/version.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace redline::server {
namespace {

// The facts a check takes, by the names of the CLI's options, and the fact each sets.
const std::map<std::string, std::string> fact_parameters = {
    {"activity", "activity"},
    {"industry", "industry"},
    {"discharges", "discharges"},
    {"outfall-type", "outfall_type"},
    {"receiving-water", "receiving_water"},
    {"listed-activity", "listed_activity"},
};
const std::set<std::string> other_check_parameters = {"crs", "as-of", "lang", "format"};

const std::set<std::string> geojson_types = {"FeatureCollection", "Feature",      "Point",
                                             "MultiPoint",        "LineString",   "MultiLineString",
                                             "Polygon",           "MultiPolygon", "GeometryCollection"};

std::string known_check_parameters() {
    std::string list;
    for (const auto& [name, _] : fact_parameters) {
        list += (list.empty() ? "" : ", ") + name;
    }
    for (const auto& name : other_check_parameters) {
        list += ", " + name;
    }
    return list;
}

Language language_of(const Query& query) {
    const auto lang = query.find("lang");
    return lang != query.end() && lang->second == "en" ? Language::en : Language::zh;
}

// A file of this request's body in the private scratch directory, removed when done. Its
// name is the server's own (a counter), never anything the request says.
class ScratchFile {
public:
    ScratchFile(const std::filesystem::path& dir, const std::string& bytes, const char* extension) {
        static std::atomic<std::uint64_t> counter{0};
        path_ = dir / ("request-" + std::to_string(++counter) + extension);
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush()) {
            throw std::runtime_error("cannot write the request's scratch file " + path_.string());
        }
    }
    ~ScratchFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::filesystem::path make_scratch_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "redline-serve-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {  // mode 0700: no other user reads an upload
        throw std::runtime_error("cannot make a scratch directory under " +
                                 std::filesystem::temp_directory_path().string());
    }
    return pattern;
}

std::shared_ptr<const Screener> build_screener(const SchemaSet& schemas, const std::filesystem::path& workspace,
                                               std::optional<LegalDate> as_of) {
    ScreenerSettings settings;
    settings.workspace = workspace;
    settings.as_of = as_of;
    settings.rules = std::make_shared<const RuleSet>(RuleSet::load(schemas, {}, as_of));
    settings.options.point_on_boundary_inside = true;  // as `redline check` by default
    return std::make_shared<const Screener>(schemas, settings);
}

nlohmann::json version_json(const std::optional<VersionInfo>& version) {
    if (!version) {
        return nullptr;
    }
    return {{"id", version->id}, {"time", version->time}, {"author", version->author}, {"note", version->note}};
}

}  // namespace

Reply json_reply(int status, std::string body) {
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
}

Reply error_reply(int status, const Message& message) {
    nlohmann::json args = nlohmann::json::object();
    for (const auto& [name, value] : message.args()) {
        args[name] = value.text(Language::en);
    }
    const nlohmann::json body = {{"error",
                                  {{"status", status},
                                   {"code", message.code()},
                                   {"message", message.text(Language::zh)},
                                   {"message_en", message.text(Language::en)},
                                   {"args", args}}}};
    return json_reply(status, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Service::Service(const SchemaSet& schemas, std::filesystem::path workspace)
    : schemas_(schemas), workspace_(std::move(workspace)), scratch_(make_scratch_directory()) {
    screeners_[""] = build_screener(schemas_, workspace_, std::nullopt);
}

Service::~Service() {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
}

std::shared_ptr<const Screener> Service::screener_for(const std::string& as_of) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (const auto found = screeners_.find(as_of); found != screeners_.end()) {
            return found->second;
        }
    }
    // Another legal date: an engine of its own, built outside the lock (seconds on a
    // province) and kept; a few dates at most, the oldest asked for dropped first.
    auto built = build_screener(schemas_, workspace_, LegalDate::parse(as_of));
    const std::lock_guard<std::mutex> lock(mutex_);
    constexpr std::size_t kept_dates = 4;
    if (screeners_.size() > kept_dates) {
        for (auto it = screeners_.begin(); it != screeners_.end(); ++it) {
            if (!it->first.empty()) {
                screeners_.erase(it);
                break;
            }
        }
    }
    return screeners_.emplace(as_of, std::move(built)).first->second;
}

std::shared_ptr<const Screener> Service::current() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return screeners_.at("");
}

bool Service::refresh() {
    const std::shared_ptr<const Screener> in_use = current();
    const auto version_id = [](const std::optional<VersionInfo>& v) { return v ? v->id : std::int64_t{0}; };
    const std::int64_t now = version_id(Workspace::open_read_only(workspace_).current_version());
    if (now == version_id(in_use->workspace_version()) && in_use->rules().as_of() == LegalDate::today()) {
        return false;
    }
    auto built = build_screener(schemas_, workspace_, std::nullopt);
    const std::lock_guard<std::mutex> lock(mutex_);
    screeners_.clear();  // engines of other legal dates were built on the old version
    screeners_[""] = std::move(built);
    return true;
}

std::optional<VersionInfo> Service::workspace_version() const {
    return current()->workspace_version();
}

std::string Service::legal_date() const {
    return current()->rules().as_of().text();
}

Reply Service::describe() const {
    const std::shared_ptr<const Screener> engine = current();
    const Screener& screener = *engine;
    nlohmann::json kinds = nlohmann::json::array();
    for (const auto& id : screener.kinds()) {
        const KindSchema* kind = schemas_.find(id);
        kinds.push_back({{"id", id},
                         {"name", kind != nullptr ? kind->name_zh : id},
                         {"name_en", kind != nullptr ? kind->name_en : id}});
    }
    const nlohmann::json body = {
        {"service", "redline"},
        {"version", tool_version},
        {"workspace", redact_secrets(workspace_.string())},
        {"workspace_version", version_json(screener.workspace_version())},
        {"kinds", kinds},
        {"legal_date", screener.rules().as_of().text()},
        {"rule_set_digest", screener.rules().digest()},
        {"endpoints",
         {{{"method", "GET"}, {"path", "/api/v1"}, {"does", "this description"}},
          {{"method", "POST"},
           {"path", "/api/v1/check"},
           {"does", "screen a GeoJSON footprint; the facts as query parameters"},
           {"parameters", known_check_parameters()}}}},
    };
    return json_reply(200, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Reply Service::check(const std::string& body, const Query& query) {
    const Language language = language_of(query);
    for (const auto& [name, value] : query) {
        if (!fact_parameters.contains(name) && !other_check_parameters.contains(name)) {
            return error_reply(
                400, Message("server.unknown_parameter", {{"name", name}, {"known", known_check_parameters()}}));
        }
    }
    std::string as_of;
    if (const auto given = query.find("as-of"); given != query.end() && !given->second.empty()) {
        const auto day = LegalDate::parse(given->second);
        if (!day) {
            return error_reply(
                400, Message("server.bad_value", {{"name", "as-of"},
                                                  {"value", given->second},
                                                  {"reason", Message("cli.bad_as_of", {{"text", given->second}})}}));
        }
        as_of = day->text();
    }
    std::string format = "json";
    if (const auto given = query.find("format"); given != query.end() && !given->second.empty()) {
        format = given->second;
        if (format != "json" && format != "pdf" && format != "html") {
            return error_reply(400,
                               Message("server.bad_value",
                                       {{"name", "format"}, {"value", format}, {"reason", Message("server.formats")}}));
        }
    }
    if (body.empty()) {
        return error_reply(400, Message("server.empty_body"));
    }
    if (!text::is_valid_utf8(body)) {
        return error_reply(400, Message("server.not_utf8"));
    }
    // GeoJSON and nothing else: GDAL would open many formats from bytes, and a request
    // must not choose a driver (an upload endpoint takes files, by their kind).
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        return error_reply(400,
                           Message("server.bad_json", {{"byte", static_cast<long>(e.byte)}, {"reason", e.what()}}));
    } catch (const nlohmann::json::exception& e) {  // a number out of range (found by fuzz_http_body)
        return error_reply(400, Message("server.bad_json_value", {{"reason", e.what()}}));
    }
    const std::string type = doc.is_object() && doc.contains("type") && doc["type"].is_string()
                                 ? doc["type"].get<std::string>()
                                 : std::string();
    if (!geojson_types.contains(type)) {
        return error_reply(400, Message("server.not_geojson", {{"type", type}}));
    }

    std::map<std::string, std::string> given;
    for (const auto& [parameter, fact] : fact_parameters) {
        if (const auto value = query.find(parameter); value != query.end() && !value->second.empty()) {
            given[fact] = value->second;
        }
    }
    ActivityFacts facts;
    try {
        facts = FactVocabulary::load(schemas_.directory()).from_options(given);
    } catch (const UsageError& e) {
        return error_reply(400, e.message());
    }
    std::shared_ptr<const Screener> screener;
    try {
        screener = screener_for(as_of);
    } catch (const UsageError& e) {  // a day before the law redline knows
        return error_reply(400, e.message());
    }

    const ScratchFile file(scratch_, body, ".geojson");
    // What is said of the body names it "request", not the scratch file no one outside knows.
    const auto as_request = [&](Reply reply) {
        const std::string scratch_name = file.path().string();
        for (auto at = reply.body.find(scratch_name); at != std::string::npos; at = reply.body.find(scratch_name, at)) {
            reply.body.replace(at, scratch_name.size(), "request");
        }
        return reply;
    };
    try {
        FootprintSource source;
        source.path = file.path().string();
        if (const auto crs = query.find("crs"); crs != query.end() && !crs->second.empty()) {
            source.crs = crs->second;
        }
        FootprintSet input = read_footprints(source);
        // Named as the request everywhere it is written (the report too), never by the
        // scratch file.
        input.source = "request";
        for (auto& problem : input.problems) {
            if (problem.source == source.path) {
                problem.source = input.source;
            }
        }
        CheckRun run;
        screen_footprints(*screener, input, facts, run);
        if (format != "json" && !input.footprints.empty()) {
            // The CLI's report, written in the scratch area and sent whole.
            const ScratchFile report(scratch_, "", format == "pdf" ? ".pdf" : ".html");
            write_screening_report(report.path(), run, schemas_, language, report_time_stamp());
            std::ifstream in(report.path(), std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            Reply reply{200, format == "pdf" ? "application/pdf" : "text/html; charset=utf-8", bytes.str(),
                        format == "pdf" ? "redline-report.pdf" : ""};
            if (format == "html") {
                reply = as_request(std::move(reply));
            }
            return reply;
        }
        std::ostringstream out;
        write_json(out, run, schemas_, language);
        // Nothing to screen is the request's fault; the JSON says why, feature by feature.
        return as_request(json_reply(input.footprints.empty() ? 422 : 200, out.str()));
    } catch (const DataError& e) {
        return as_request(error_reply(422, e.message()));
    } catch (const UsageError& e) {
        return as_request(error_reply(400, e.message()));
    }
}

}  // namespace redline::server
