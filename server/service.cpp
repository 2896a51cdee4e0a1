#include "service.hpp"

#include "base/message_json.hpp"
#include "base/text.hpp"
#include "redline/errors.hpp"
#include "redline/inputs/convert.hpp"
#include "redline/model/law.hpp"
#include "redline/model/rules.hpp"
#include "redline/reports/report.hpp"
#include "redline/reports/screening_report.hpp"
#include "redline/screening/check_run.hpp"
#include "redline/store/workspace.hpp"
#include "redline/version.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <ctime>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <variant>

namespace redline::server {
namespace {

const MessageTemplate templates[] = {
#include "messages.inc"
};

// The facts a check takes, by the names of the CLI's options, and the fact each sets.
const std::map<std::string, std::string> fact_parameters = {
    {"activity", "activity"},
    {"industry", "industry"},
    {"discharges", "discharges"},
    {"outfall-type", "outfall_type"},
    {"receiving-water", "receiving_water"},
    {"listed-activity", "listed_activity"},
    {"scale", "scale"},
};
// How a file is read (footprint_source_of), for checks and for the footprints themselves.
const std::set<std::string> reading_parameters = {"crs",  "layer", "encoding", "id-field", "name-field",
                                                  "from", "zone",  "cm",       "lang"};
const std::set<std::string> other_check_parameters = {"as-of", "format"};
// The files an upload may be, by extension: what `redline check` reads.
const std::set<std::string> upload_extensions = {".geojson", ".json", ".kml", ".kmz", ".gpx",  ".dxf", ".zip", ".shz",
                                                 ".gpkg",    ".txt",  ".csv", ".tsv", ".xlsx", ".xls", ".ods"};

// The whole text as a number, else nothing.
std::optional<double> number_in(const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? std::optional(value) : std::nullopt;
}

std::string upload_list() {
    std::string list;
    for (const auto& extension : upload_extensions) {
        list += (list.empty() ? "" : ", ") + extension;
    }
    return list;
}

std::string kind_list(const SchemaSet& schemas) {
    std::string list;
    for (const auto& id : schemas.kind_ids()) {
        list += (list.empty() ? "" : ", ") + id;
    }
    return list;
}

// A file name is shown only as the upload's own, and only printable UTF-8 of it.
std::string upload_label(const std::string& filename) {
    return text::is_valid_utf8(filename) && !filename.empty() ? filename : "upload" + text::lower_extension(filename);
}

// What GDAL opens for an upload's scratch copy: a zip as the folder of files inside it (a
// shapefile's .shp, .shx, .dbf, .prj).
std::string reader_path(const std::filesystem::path& file) {
    return file.extension() == ".zip" ? "/vsizip/" + file.string() : file.string();
}

// What is said of an upload names it as the client knows it (`label`), never by its
// scratch file or the path GDAL opened it by.
Reply named_as_upload(Reply reply, const std::filesystem::path& file, const std::string& label) {
    for (const std::string& scratch_name : {reader_path(file), file.string()}) {
        if (scratch_name.empty()) {
            continue;
        }
        for (auto at = reply.body.find(scratch_name); at != std::string::npos;
             at = reply.body.find(scratch_name, at + label.size())) {
            reply.body.replace(at, scratch_name.size(), label);
        }
    }
    return reply;
}

const std::set<std::string> geojson_types = {"FeatureCollection", "Feature",      "Point",
                                             "MultiPoint",        "LineString",   "MultiLineString",
                                             "Polygon",           "MultiPolygon", "GeometryCollection"};

std::string known_check_parameters() {
    std::string list;
    for (const auto& [name, _] : fact_parameters) {
        list += (list.empty() ? "" : ", ") + name;
    }
    for (const auto* names : {&reading_parameters, &other_check_parameters}) {
        for (const auto& name : *names) {
            list += ", " + name;
        }
    }
    return list;
}

std::string known_reading_parameters() {
    std::string list;
    for (const auto& name : reading_parameters) {
        list += (list.empty() ? "" : ", ") + name;
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

void add_server_messages() {
    static const bool added = [] {
        add_message_templates(std::begin(templates), std::end(templates));
        return true;
    }();
    (void)added;
}

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

std::string random_hex(std::size_t bytes) {
    std::array<unsigned char, 32> random{};
    if (bytes > random.size() || getentropy(random.data(), bytes) != 0) {
        throw std::runtime_error("getentropy failed: no random bytes for an id or a token");
    }
    static const char* digits = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < bytes; ++i) {
        text += digits[random[i] >> 4];
        text += digits[random[i] & 15];
    }
    return text;
}

std::string utc_timestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::variant<FootprintSource, Reply> footprint_source_of(const Query& query) {
    const auto parameter = [&](const char* name) -> std::optional<std::string> {
        const auto given = query.find(name);
        return given != query.end() && !given->second.empty() ? std::optional(given->second) : std::nullopt;
    };
    const auto bad_value = [](const char* name, const std::string& value, Message reason) {
        return error_reply(400, Message("server.bad_value", {{"name", name}, {"value", value}, {"reason", reason}}));
    };
    FootprintSource source;
    source.crs = parameter("crs");
    source.layer = parameter("layer");
    source.encoding = parameter("encoding");
    source.id_field = parameter("id-field");
    source.name_field = parameter("name-field");
    source.web_datum = parameter("from");
    if (const auto given = parameter("zone")) {
        const auto zone = number_in(*given);
        if (!zone || *zone < 13 || *zone > 45 || *zone != static_cast<int>(*zone)) {
            return bad_value("zone", *given, Message("server.zone_range"));
        }
        source.zone = static_cast<int>(*zone);
    }
    if (const auto given = parameter("cm")) {
        const auto cm = number_in(*given);
        if (!cm || *cm < 70 || *cm > 140) {
            return bad_value("cm", *given, Message("server.cm_range"));
        }
        source.central_meridian = *cm;
    }
    return source;
}

Service::Service(const SchemaSet& schemas, std::filesystem::path workspace)
    : schemas_(schemas),
      workspace_(std::move(workspace)),
      vocabulary_(FactVocabulary::load(schemas.directory())),
      scratch_(make_scratch_directory()) {
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
        {"openapi", "/api/v1/openapi.json"},
        {"endpoints",
         {{{"method", "GET"}, {"path", "/api/v1"}, {"does", "this description"}},
          {{"method", "GET"}, {"path", "/api/v1/openapi.json"}, {"does", "the API's OpenAPI 3.0 description"}},
          {{"method", "GET"}, {"path", "/api/v1/versions"}, {"does", "the workspace's versions, as redline log"}},
          {{"method", "GET"},
           {"path", "/api/v1/rules"},
           {"does", "the rules in force on a day (as-of, kind), as redline rules list"}},
          {{"method", "POST"},
           {"path", "/api/v1/check"},
           {"does", "screen a GeoJSON footprint or an uploaded file; the facts as query parameters"},
           {"parameters", known_check_parameters()}},
          {{"method", "POST"},
           {"path", "/api/v1/footprints"},
           {"does", "an uploaded file read as the check reads it, back as GeoJSON in WGS 84"}},
          {{"method", "POST"}, {"path", "/api/v1/outfalls"}, {"does", "an outfall register as a job (token)"}},
          {{"method", "GET"}, {"path", "/api/v1/jobs/{id}"}, {"does", "a job's state, progress and links (token)"}},
          {{"method", "GET"}, {"path", "/ogc"}, {"does", "OGC API - Features over the zones"}}}},
    };
    return json_reply(200, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

// What a check request asks besides its footprints, each parameter checked; or the 400
// that says which is wrong.
struct Service::CheckSettings {
    Language language = Language::zh;
    std::string format = "json";
    ActivityFacts facts;
    std::shared_ptr<const Screener> screener;
    FootprintSource source;  // all but the path
};

std::variant<Service::CheckSettings, Reply> Service::check_settings(const Query& query) {
    CheckSettings settings;
    settings.language = language_of(query);
    for (const auto& [name, value] : query) {
        if (!fact_parameters.contains(name) && !reading_parameters.contains(name) &&
            !other_check_parameters.contains(name)) {
            return error_reply(
                400, Message("server.unknown_parameter", {{"name", name}, {"known", known_check_parameters()}}));
        }
    }
    const auto parameter = [&](const char* name) -> std::optional<std::string> {
        const auto given = query.find(name);
        return given != query.end() && !given->second.empty() ? std::optional(given->second) : std::nullopt;
    };
    const auto bad_value = [](const char* name, const std::string& value, Message reason) {
        return error_reply(400, Message("server.bad_value", {{"name", name}, {"value", value}, {"reason", reason}}));
    };
    std::string as_of;
    if (const auto given = parameter("as-of")) {
        const auto day = LegalDate::parse(*given);
        if (!day) {
            return bad_value("as-of", *given, Message("cli.bad_as_of", {{"text", *given}}));
        }
        as_of = day->text();
    }
    if (const auto given = parameter("format")) {
        settings.format = *given;
        if (settings.format != "json" && settings.format != "pdf" && settings.format != "html") {
            return bad_value("format", *given, Message("server.formats"));
        }
    }
    auto source = footprint_source_of(query);
    if (auto* refused = std::get_if<Reply>(&source)) {
        return *refused;
    }
    settings.source = std::get<FootprintSource>(source);
    std::map<std::string, std::string> given_facts;
    for (const auto& [name, fact] : fact_parameters) {
        if (const auto value = parameter(name.c_str())) {
            given_facts[fact] = *value;
        }
    }
    try {
        settings.facts = vocabulary_.from_options(given_facts);
        settings.screener = screener_for(as_of);
    } catch (const UsageError& e) {  // a value the vocabulary does not know; a day before the law redline knows
        return error_reply(400, e.message());
    }
    return settings;
}

Reply Service::versions(const Query& query) const {
    if (!query.empty()) {
        return error_reply(
            400, Message("server.no_parameters", {{"path", "/api/v1/versions"}, {"name", query.begin()->first}}));
    }
    try {
        const Workspace workspace = Workspace::open_read_only(workspace_);
        std::ostringstream out;
        write_versions_json(out, workspace.display_path(), workspace.versions());
        return json_reply(200, out.str());
    } catch (const DataError& e) {
        return error_reply(503, e.message());  // the workspace is there to read, or nothing is
    }
}

Reply Service::rules(const Query& query) {
    for (const auto& [name, value] : query) {
        if (name != "as-of" && name != "kind" && name != "lang") {
            return error_reply(400,
                               Message("server.unknown_parameter", {{"name", name}, {"known", "as-of, kind, lang"}}));
        }
    }
    std::string as_of, kind;
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
    if (const auto given = query.find("kind"); given != query.end() && !given->second.empty()) {
        kind = given->second;
        if (schemas_.find(kind) == nullptr) {
            return error_reply(404, Message("server.unknown_kind", {{"kind", kind}, {"known", kind_list(schemas_)}}));
        }
    }
    try {
        const auto screener = screener_for(as_of);
        std::ostringstream out;
        write_rules_json(out, screener->rules(), kind, language_of(query));
        return json_reply(200, out.str());
    } catch (const UsageError& e) {  // a day before the law redline knows
        return error_reply(400, e.message());
    }
}

Reply Service::check(const std::string& body, const Query& query) {
    auto settings = check_settings(query);
    if (auto* refused = std::get_if<Reply>(&settings)) {
        return *refused;
    }
    if (body.empty()) {
        return error_reply(400, Message("server.empty_body"));
    }
    if (!text::is_valid_utf8(body)) {
        return error_reply(400, Message("server.not_utf8"));
    }
    // GeoJSON and nothing else: GDAL would open many formats from bytes, and a body must
    // not choose a driver (an upload says what it is by its file name, see check_upload).
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
    // Read from memory: a scratch file on disk cost more than parsing the body.
    return screen({}, "request", std::get<CheckSettings>(settings), &body);
}

Reply Service::check_upload(const std::string& filename, const std::string& content, const Query& query) {
    auto settings = check_settings(query);
    if (auto* refused = std::get_if<Reply>(&settings)) {
        return *refused;
    }
    if (auto refused = refuse_upload(filename, content)) {
        return *refused;
    }
    const std::string extension = text::lower_extension(filename);
    const ScratchFile file(scratch_, content, extension.c_str());
    return screen(file.path(), upload_label(filename), std::get<CheckSettings>(settings));
}

Reply Service::footprints_upload(const std::string& filename, const std::string& content, const Query& query) {
    auto given_source = footprint_source_of(query);
    if (auto* refused = std::get_if<Reply>(&given_source)) {
        return *refused;
    }
    for (const auto& [name, value] : query) {
        if (!reading_parameters.contains(name)) {
            return error_reply(
                400, Message("server.unknown_parameter", {{"name", name}, {"known", known_reading_parameters()}}));
        }
    }
    if (auto refused = refuse_upload(filename, content)) {
        return *refused;
    }
    const Language language = language_of(query);
    const std::string extension = text::lower_extension(filename);
    const ScratchFile file(scratch_, content, extension.c_str());
    const std::string label = upload_label(filename);
    const std::string path = reader_path(file.path());
    const auto scrubbed = [&](Reply reply) { return named_as_upload(std::move(reply), file.path(), label); };
    try {
        FootprintSource source = std::get<FootprintSource>(given_source);
        source.path = path;
        FootprintSet input = read_footprints(source);
        nlohmann::ordered_json problems = nlohmann::ordered_json::array();
        for (auto& problem : input.problems) {
            problem.source = problem.source == source.path ? label : problem.source;
            problems.push_back(problem_json(problem, language));
        }
        nlohmann::ordered_json collection;
        if (input.footprints.empty()) {
            collection = {{"type", "FeatureCollection"}, {"features", nlohmann::ordered_json::array()}};
        } else {
            // As `redline convert` writes GeoJSON: WGS 84 longitude and latitude (RFC 7946).
            const ScratchFile written(scratch_, "", ".geojson");
            ConvertOptions options;
            options.overwrite = true;
            write_footprints(input, written.path(), options);
            std::ifstream in(written.path(), std::ios::binary);
            collection = nlohmann::ordered_json::parse(in);
        }
        nlohmann::ordered_json detections = nlohmann::ordered_json::array();
        for (const auto& detection : input.detections) {
            detections.push_back({{"what", detection.what}, {"why", message_json(detection.why, language)}});
        }
        // Foreign members (RFC 7946 6.1): how the file was read and what could not be.
        collection["name"] = std::filesystem::path(label).stem().string();  // not the scratch file's
        collection["source"] = label;
        collection["crs_read"] = input.crs;
        collection["detections"] = std::move(detections);
        collection["problems"] = std::move(problems);
        Reply reply = json_reply(input.footprints.empty() ? 422 : 200, collection.dump());
        reply.content_type = "application/geo+json";
        return scrubbed(std::move(reply));
    } catch (const DataError& e) {
        return scrubbed(error_reply(422, e.message()));
    } catch (const UsageError& e) {
        return scrubbed(error_reply(400, e.message()));
    }
}

std::optional<Reply> Service::refuse_upload(const std::string& filename, const std::string& content) {
    if (content.empty()) {
        return error_reply(400, Message("server.empty_upload", {{"file", filename}}));
    }
    // Only the name's extension is taken, and only one the CLI reads: it picks the reader.
    if (!upload_extensions.contains(text::lower_extension(filename))) {
        return error_reply(415, Message("server.upload_format", {{"file", filename}, {"known", upload_list()}}));
    }
    return std::nullopt;
}

Reply Service::screen(const std::filesystem::path& file, const std::string& label, const CheckSettings& settings,
                      const std::string* geojson) {
    // What is said of the input names it as the client knows it, never by the scratch file.
    // A zip is read as the folder of files inside it (a shapefile's .shp, .shx, .dbf, .prj).
    const std::string path = reader_path(file);
    const auto as_label = [&](Reply reply) {
        if (geojson != nullptr) {  // read from memory, under a name of GDAL's /vsimem/
            constexpr std::string_view prefix = "/vsimem/redline-", suffix = ".geojson";
            for (auto at = reply.body.find(prefix); at != std::string::npos; at = reply.body.find(prefix, at)) {
                auto end = at + prefix.size();
                while (end < reply.body.size() && std::isdigit(static_cast<unsigned char>(reply.body[end]))) {
                    ++end;
                }
                end += reply.body.compare(end, suffix.size(), suffix) == 0 ? suffix.size() : 0;
                reply.body.replace(at, end - at, label);
            }
        }
        return named_as_upload(std::move(reply), file, label);
    };
    try {
        FootprintSource source = settings.source;
        source.path = path;
        FootprintSet input = geojson != nullptr ? read_geojson_text(*geojson, source, label) : read_footprints(source);
        input.source = label;
        for (auto& problem : input.problems) {
            if (problem.source == source.path) {
                problem.source = label;
            }
        }
        CheckRun run;
        run.keep_zone_geometries = settings.format != "json";  // only a report draws them
        screen_footprints(*settings.screener, input, settings.facts, run);
        if (settings.format != "json" && !input.footprints.empty()) {
            // The CLI's report, written in the scratch area and sent whole.
            const bool pdf = settings.format == "pdf";
            const ScratchFile report(scratch_, "", pdf ? ".pdf" : ".html");
            write_screening_report(report.path(), run, schemas_, settings.language, report_time_stamp());
            std::ifstream in(report.path(), std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            Reply reply;
            reply.content_type = pdf ? "application/pdf" : "text/html; charset=utf-8";
            reply.body = bytes.str();
            reply.filename = pdf ? "redline-report.pdf" : "";
            return pdf ? reply : as_label(std::move(reply));
        }
        std::ostringstream out;
        write_json(out, run, schemas_, settings.language);
        // Nothing to screen is the request's fault; the JSON says why, feature by feature.
        return as_label(json_reply(input.footprints.empty() ? 422 : 200, out.str()));
    } catch (const DataError& e) {
        return as_label(error_reply(422, e.message()));
    } catch (const UsageError& e) {
        return as_label(error_reply(400, e.message()));
    }
}

}  // namespace redline::server
