#include "jobs.hpp"

#include "base/text.hpp"
#include "redline/errors.hpp"
#include "redline/model/law.hpp"
#include "redline/outfalls/outfalls.hpp"
#include "redline/progress.hpp"
#include "redline/reports/screening_report.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

namespace redline::server {
namespace {

using nlohmann::json;

const std::set<std::string> register_extensions = {".csv", ".tsv", ".xlsx", ".xls",
                                                   ".ods", ".zip", ".gpkg", ".geojson"};
const std::set<std::string> job_parameters = {"crs", "zone",           "cm",    "from", "encoding", "layer",
                                              "map", "merge-distance", "as-of", "lang", "format"};
const std::set<std::string> map_keys = {"code", "name", "type", "water_kind", "water_name", "status"};
const std::map<std::string, std::string> result_types = {
    {"csv", "text/csv; charset=utf-8"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"gpkg", "application/geopackage+sqlite3"},
};

std::string joined(const std::set<std::string>& names) {
    std::string list;
    for (const auto& name : names) {
        list += (list.empty() ? "" : ", ") + name;
    }
    return list;
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string host_name() {
    std::array<char, 256> name{};
    if (gethostname(name.data(), name.size() - 1) != 0) {
        return "unknown";
    }
    return name.data();
}

bool process_alive(long pid) {
    return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

std::string json_text(const json& value) {
    return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// job.json, or null when it is missing or unreadable (a folder being made, a disk fault).
json read_job(const std::filesystem::path& folder) {
    std::ifstream in(folder / "job.json");
    if (!in) {
        return nullptr;
    }
    try {
        return json::parse(in);
    } catch (const json::exception&) {
        return nullptr;
    }
}

// Written beside and renamed over: a reader on any server sees the old state or the new.
void write_job(const std::filesystem::path& folder, const json& job, const std::string& writer) {
    const auto temporary = folder / ("job.json." + writer + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << json_text(job);
        if (!out.flush()) {
            throw std::runtime_error("cannot write " + temporary.string());
        }
    }
    std::filesystem::rename(temporary, folder / "job.json");
}

bool make_marker(const std::filesystem::path& path) {
    std::ofstream out(path, std::ios::trunc);
    return static_cast<bool>(out << now_seconds() << '\n');
}

bool finished(const std::string& state) {
    return state == "done" || state == "failed" || state == "cancelled";
}

json message_json(const Message& message) {
    json args = json::object();
    for (const auto& [name, value] : message.args()) {
        args[name] = value.text(Language::en);
    }
    return {{"code", message.code()},
            {"message", message.text(Language::zh)},
            {"message_en", message.text(Language::en)},
            {"args", args}};
}

// What a job's status says to a caller: its state, progress and links, never where it
// runs or its files' paths.
json public_status(const json& job) {
    const std::string id = job.value("id", "");
    const std::string base = "/api/v1/jobs/" + id;
    json status = {{"id", id},
                   {"state", job.value("state", "failed")},
                   {"created", job.value("created", "")},
                   {"input", job.value("input", json::object())},
                   {"options", job.value("options", json::object())},
                   {"attempts", job.value("attempts", 0)}};
    for (const char* field : {"started", "finished", "stage", "error", "summary"}) {
        if (job.contains(field)) {
            status[field] = job[field];
        }
    }
    if (job.contains("total")) {
        const auto total = job["total"].get<std::uint64_t>();
        const auto done = job.value("done", std::uint64_t{0});
        status["done"] = done;
        status["total"] = total;
        status["progress"] =
            total > 0 ? json(std::min(1.0, static_cast<double>(done) / static_cast<double>(total))) : json(nullptr);
    }
    json links = {{"self", base}};
    if (status["state"] == "done") {
        links["result"] = base + "/result";
        links["summary"] = base + "/summary";
        links["report"] = base + "/report";
    } else if (!finished(status["state"])) {
        links["cancel"] = base + "/cancel";
    }
    status["links"] = links;
    return status;
}

void replace_all(std::string& text, const std::string& what, const std::string& with) {
    if (what.empty()) {
        return;
    }
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
}

// A job's options (the query it was submitted with) as `redline outfalls` takes them: the
// request but for its workspace, input path and output; or the 400 that says which is
// wrong. Checked when a job is submitted, and read again when it runs.
std::variant<OutfallRequest, Reply> outfall_request_of(const Query& query) {
    for (const auto& [name, value] : query) {
        if (!job_parameters.contains(name)) {
            return error_reply(
                400, Message("server.unknown_parameter", {{"name", name}, {"known", joined(job_parameters)}}));
        }
    }
    const auto bad_value = [](const std::string& name, const std::string& value, Message reason) {
        return error_reply(400, Message("server.bad_value", {{"name", name}, {"value", value}, {"reason", reason}}));
    };
    const auto source = footprint_source_of(query);
    if (const auto* refused = std::get_if<Reply>(&source)) {
        return *refused;
    }
    OutfallRequest request;
    request.input = std::get<FootprintSource>(source);
    request.overwrite = true;  // the job's own folder
    const auto lang = query.find("lang");
    request.language = lang != query.end() && lang->second == "en" ? Language::en : Language::zh;
    if (const auto format = query.find("format"); format != query.end() && !result_types.contains(format->second)) {
        return bad_value("format", format->second, Message("server.result_formats"));
    }
    if (const auto day = query.find("as-of"); day != query.end()) {
        request.as_of = LegalDate::parse(day->second);
        if (!request.as_of) {
            return bad_value("as-of", day->second, Message("cli.bad_as_of", {{"text", day->second}}));
        }
    }
    if (const auto distance = query.find("merge-distance"); distance != query.end()) {
        const auto& text = distance->second;
        double metres = -1;
        const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), metres);
        if (failed != std::errc() || end != text.data() + text.size() || !(metres >= 0 && metres <= 100000)) {
            return bad_value("merge-distance", text, Message("server.merge_distance_range"));
        }
        request.merge_distance_m = metres;
    }
    if (const auto map = query.find("map"); map != query.end()) {
        std::istringstream pairs(map->second);
        std::string pair;
        while (std::getline(pairs, pair, ',')) {
            const auto equals = pair.find('=');
            if (equals == std::string::npos || !map_keys.contains(pair.substr(0, equals)) ||
                equals + 1 == pair.size()) {
                return bad_value("map", map->second, Message("server.map_form", {{"keys", joined(map_keys)}}));
            }
            request.field_map[pair.substr(0, equals)] = pair.substr(equals + 1);
        }
    }
    return request;
}

}  // namespace

bool is_job_id(const std::string& text) {
    return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
           });
}

// The progress of the job being run: kept in job.json (at most once a second, and every
// few seconds as a heartbeat while a stage says nothing), and a "cancel" marker in the
// job's folder, left by whichever server was asked, cancels it.
class Jobs::Runner : public Progress {
public:
    Runner(std::filesystem::path folder, json job, std::string writer)
        : folder_(std::move(folder)), job_(std::move(job)), writer_(std::move(writer)) {
        beat_ = std::thread([this] {
            std::unique_lock<std::mutex> lock(mutex_);
            while (!beat_wakeup_.wait_for(lock, std::chrono::seconds(3), [this] { return ended_; })) {
                flush(lock, true);
            }
        });
    }
    ~Runner() override {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            ended_ = true;
        }
        beat_wakeup_.notify_all();
        beat_.join();
    }
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    // The job as it is now (for the final write), under the runner's lock.
    json job() {
        const std::lock_guard<std::mutex> lock(mutex_);
        return job_;
    }
    bool stopping_server = false;  // cancelled because the server stops: queue it again

protected:
    void on_stage(const Message& what, std::uint64_t total) override {
        std::unique_lock<std::mutex> lock(mutex_);
        job_["stage"] = message_json(what);
        job_["total"] = total;
        job_["done"] = 0;
        flush(lock, true);
    }
    void on_advance(std::uint64_t done) override {
        std::unique_lock<std::mutex> lock(mutex_);
        job_["done"] = done;
        flush(lock, false);
    }

private:
    void flush(std::unique_lock<std::mutex>&, bool force) {
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - written_ < std::chrono::seconds(1)) {
            return;
        }
        written_ = now;
        job_["heartbeat"] = now_seconds();
        try {
            write_job(folder_, job_, writer_);
        } catch (const std::exception&) {
            // A full disk: the job goes on; its final state is written or it fails then.
        }
        std::error_code error;
        if (std::filesystem::exists(folder_ / "cancel", error)) {
            cancel();
        }
    }

    std::filesystem::path folder_;
    json job_;
    std::string writer_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point written_{};
    bool ended_ = false;
    std::condition_variable beat_wakeup_;
    std::thread beat_;
};

Jobs::Jobs(const SchemaSet& schemas, std::filesystem::path workspace, JobSettings settings,
           std::function<void(const std::string&)> log)
    : schemas_(schemas),
      workspace_(std::move(workspace)),
      settings_(std::move(settings)),
      log_(std::move(log)),
      server_id_(random_hex(8)) {
    std::error_code error;
    std::filesystem::create_directories(settings_.directory, error);
    if (error || !std::filesystem::is_directory(settings_.directory)) {
        throw DataError(
            Message("server.jobs_directory", {{"path", settings_.directory.string()}, {"reason", error.message()}}));
    }
    std::filesystem::permissions(settings_.directory, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, error);
    recover_and_purge();
    worker_ = std::thread([this] { work(); });
}

Jobs::~Jobs() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        if (running_ != nullptr) {
            running_->stopping_server = true;
            running_->cancel();
        }
    }
    wakeup_.notify_all();
    worker_.join();
}

std::filesystem::path Jobs::folder(const std::string& id) const {
    return settings_.directory / id;  // id checked by is_job_id: 32 hex digits, nothing else
}

Reply Jobs::submit(const std::string& filename, const std::string& content, const Query& query,
                   const std::string& holder) {
    if (const auto checked = outfall_request_of(query); std::holds_alternative<Reply>(checked)) {
        return std::get<Reply>(checked);
    }
    json options = json::object();
    for (const auto& [name, value] : query) {
        options[name] = value;
    }
    if (content.empty()) {
        return error_reply(400, Message("server.empty_upload", {{"file", filename}}));
    }
    const std::string extension = text::lower_extension(filename);
    if (!register_extensions.contains(extension)) {
        return error_reply(
            415, Message("server.upload_format", {{"file", filename}, {"known", joined(register_extensions)}}));
    }
    // Room in the queue: count the jobs waiting, on every server sharing the directory.
    std::size_t waiting = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, error)) {
        waiting += std::filesystem::exists(entry.path() / "queued", error) ? 1 : 0;
    }
    if (waiting >= settings_.max_waiting) {
        Reply busy = error_reply(503, Message("server.jobs_full", {{"waiting", waiting}}));
        busy.headers.emplace_back("Retry-After", "30");
        return busy;
    }

    const std::string id = random_hex(16);
    const auto dir = folder(id);
    std::filesystem::create_directory(dir);
    {
        std::ofstream out(dir / ("input" + extension), std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) {
            std::filesystem::remove_all(dir, error);
            throw std::runtime_error("cannot store an uploaded register in " + settings_.directory.string());
        }
    }
    const std::string label = text::is_valid_utf8(filename) && !filename.empty() ? filename : "upload" + extension;
    const json job = {{"id", id},
                      {"state", "queued"},
                      {"created", utc_timestamp()},
                      {"created_seconds", now_seconds()},
                      {"holder", holder},
                      {"input", {{"name", label}, {"extension", extension}, {"bytes", content.size()}}},
                      {"options", options},
                      {"attempts", 0}};
    write_job(dir, job, server_id_);
    make_marker(dir / "queued");  // last: a worker never sees a queued job without its files
    wakeup_.notify_all();
    Reply reply = json_reply(202, json_text(public_status(job)));
    reply.headers.emplace_back("Location", "/api/v1/jobs/" + id);
    return reply;
}

Reply Jobs::list() const {
    std::vector<json> jobs;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, error)) {
        const std::string name = entry.path().filename().string();
        if (!is_job_id(name)) {
            continue;
        }
        if (const json job = read_job(entry.path()); job.is_object()) {
            jobs.push_back(job);
        }
    }
    std::sort(jobs.begin(), jobs.end(), [](const json& a, const json& b) {
        return a.value("created_seconds", std::int64_t{0}) > b.value("created_seconds", std::int64_t{0});
    });
    json body = {{"jobs", json::array()}};
    for (const auto& job : jobs) {
        body["jobs"].push_back(public_status(job));
    }
    return json_reply(200, json_text(body));
}

Reply Jobs::status(const std::string& id) const {
    const json job = is_job_id(id) ? read_job(folder(id)) : json(nullptr);
    if (!job.is_object()) {
        return error_reply(404, Message("server.no_job", {{"id", id}}));
    }
    return json_reply(200, json_text(public_status(job)));
}

Reply Jobs::download(const std::string& id, const std::string& what) const {
    const json job = is_job_id(id) ? read_job(folder(id)) : json(nullptr);
    if (!job.is_object()) {
        return error_reply(404, Message("server.no_job", {{"id", id}}));
    }
    const std::string state = job.value("state", "failed");
    if (state != "done") {
        return error_reply(409, Message("server.job_not_done", {{"id", id}, {"state", state}}));
    }
    const std::string format = job["options"].value("format", "xlsx");
    Reply reply;
    const std::string stem = "redline-outfalls-" + id.substr(0, 8);
    if (what == "result") {
        reply.file = folder(id) / ("result." + format);
        reply.content_type = result_types.at(format);
        reply.filename = stem + "." + format;
    } else if (what == "summary") {
        reply.file = folder(id) / "summary.json";
        reply.filename = stem + ".summary.json";
    } else {
        reply.file = folder(id) / "report.pdf";
        reply.content_type = "application/pdf";
        reply.filename = stem + ".pdf";
    }
    return reply;
}

Reply Jobs::cancel(const std::string& id) {
    const auto dir = folder(id);
    const json job = is_job_id(id) ? read_job(dir) : json(nullptr);
    if (!job.is_object()) {
        return error_reply(404, Message("server.no_job", {{"id", id}}));
    }
    if (finished(job.value("state", "failed"))) {
        return error_reply(409, Message("server.job_finished", {{"id", id}, {"state", job.value("state", "")}}));
    }
    // A waiting job is taken off the queue here, if no worker took it first.
    std::error_code error;
    std::filesystem::rename(dir / "queued", dir / ("claimed-" + server_id_), error);
    if (!error) {
        json cancelled = job;
        cancelled["state"] = "cancelled";
        cancelled["finished"] = utc_timestamp();
        cancelled["finished_seconds"] = now_seconds();
        write_job(dir, cancelled, server_id_);
        std::filesystem::remove(dir / ("claimed-" + server_id_), error);
        return json_reply(200, json_text(public_status(cancelled)));
    }
    // Running (here or on another server): its runner sees the marker within a second or so.
    make_marker(dir / "cancel");
    return json_reply(202, json_text(public_status(read_job(dir))));
}

Reply Jobs::remove(const std::string& id) {
    const auto dir = folder(id);
    const json job = is_job_id(id) ? read_job(dir) : json(nullptr);
    if (!job.is_object()) {
        return error_reply(404, Message("server.no_job", {{"id", id}}));
    }
    if (!finished(job.value("state", "failed"))) {
        return error_reply(409, Message("server.job_running", {{"id", id}}));
    }
    std::error_code error;
    std::filesystem::remove_all(dir, error);
    Reply gone;
    gone.status = 204;
    gone.content_type.clear();
    return gone;
}

void Jobs::work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        bool ran = false;
        try {
            recover_and_purge();
            ran = claim_and_run();
        } catch (const std::exception& e) {  // the directory gone, a full disk: log, keep serving
            log_(utc_timestamp() + " jobs: " + redact_secrets(e.what()));
        }
        lock.lock();
        if (!ran) {
            wakeup_.wait_for(lock, std::chrono::seconds(settings_.poll_seconds));
        }
    }
}

bool Jobs::claim_and_run() {
    std::vector<std::pair<std::int64_t, std::string>> waiting;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, error)) {
        const std::string id = entry.path().filename().string();
        if (is_job_id(id) && std::filesystem::exists(entry.path() / "queued", error)) {
            waiting.emplace_back(read_job(entry.path()).value("created_seconds", std::int64_t{0}), id);
        }
    }
    std::sort(waiting.begin(), waiting.end());
    for (const auto& [created, id] : waiting) {
        const auto dir = folder(id);
        std::filesystem::rename(dir / "queued", dir / ("claimed-" + server_id_), error);
        if (!error) {  // ours: no other server can have renamed the same marker
            run(id);
            std::filesystem::remove(dir / ("claimed-" + server_id_), error);
            return true;
        }
    }
    return false;
}

void Jobs::run(const std::string& id) {
    const auto dir = folder(id);
    json job = read_job(dir);
    if (!job.is_object()) {
        return;
    }
    std::error_code error;
    std::filesystem::remove(dir / "cancel", error);
    job["state"] = "running";
    job["started"] = utc_timestamp();
    job["attempts"] = job.value("attempts", 0) + 1;
    job["owner"] = {{"host", host_name()}, {"pid", static_cast<long>(getpid())}, {"server", server_id_}};
    job["heartbeat"] = now_seconds();
    job.erase("error");
    write_job(dir, job, server_id_);
    log_(utc_timestamp() + " jobs: " + id + " started (" + job["input"].value("name", "") + ")");

    Query query;
    for (const auto& [name, value] : job["options"].items()) {
        query[name] = value.get<std::string>();
    }
    const std::string extension = job["input"].value("extension", ".csv");
    const std::string input = (dir / ("input" + extension)).string();
    const std::string label = job["input"].value("name", "input" + extension);
    const std::string format = query.contains("format") ? query["format"] : "xlsx";

    Runner runner(dir, job, server_id_);
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        running_ = &runner;
    }
    const auto finish = [&](const std::string& state, const std::optional<Message>& why, json summary) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            running_ = nullptr;
        }
        json final_state = runner.job();
        final_state["state"] = state;
        if (finished(state)) {
            final_state["finished"] = utc_timestamp();
            final_state["finished_seconds"] = now_seconds();
        }
        if (why) {
            json said = message_json(*why);
            for (const char* field : {"message", "message_en"}) {
                std::string text = said[field];
                replace_all(text, input, label);
                said[field] = text;
            }
            final_state["error"] = said;
        }
        if (!summary.is_null()) {
            final_state["summary"] = std::move(summary);
        }
        if (state == "queued") {  // the server stopped: not the job's fault, not an attempt
            final_state["attempts"] = std::max(0, final_state.value("attempts", 1) - 1);
            for (const char* field : {"owner", "started", "stage", "done", "total"}) {
                final_state.erase(field);
            }
        }
        if (state != "done") {
            for (const char* name : {"summary.json", "report.pdf"}) {
                std::filesystem::remove(dir / name, error);
            }
            std::filesystem::remove(dir / ("result." + format), error);
        }
        write_job(dir, final_state, server_id_);
        if (state == "queued") {
            make_marker(dir / "queued");
        }
        log_(utc_timestamp() + " jobs: " + id + " " + state);
    };

    try {
        auto options = outfall_request_of(query);
        if (std::holds_alternative<Reply>(options)) {  // checked when submitted: job.json edited since
            throw UsageError(Message("server.job_options"));
        }
        OutfallRequest& request = std::get<OutfallRequest>(options);
        request.workspace = workspace_;
        request.input.path = extension == ".zip" ? "/vsizip/" + input : input;
        request.output = dir / ("result." + format);
        OutfallSummary summary = run_outfalls(schemas_, request, runner);
        // Said of the register as its sender named it, never by the job's file.
        summary.source = label;
        summary.output = request.output.filename().string();
        for (auto& problem : summary.problems) {
            if (problem.source == request.input.path) {
                problem.source = label;
            }
        }
        {
            std::ofstream out(dir / "summary.json.tmp", std::ios::trunc);
            write_outfall_summary_json(out, summary, request.language);
            if (!out.flush()) {
                throw std::runtime_error("cannot write the summary of job " + id);
            }
        }
        std::filesystem::rename(dir / "summary.json.tmp", dir / "summary.json");
        write_outfall_report(dir / "report.tmp.pdf", summary, schemas_, request.language, report_time_stamp());
        std::filesystem::rename(dir / "report.tmp.pdf", dir / "report.pdf");
        json counts = {{"rows", summary.rows},
                       {"screened", summary.screened},
                       {"error_rows", summary.error_rows},
                       {"warning_rows", summary.warning_rows},
                       {"merge_groups", summary.merge_groups},
                       {"by_action", summary.by_action},
                       {"legal_date", summary.legal_date.text()}};
        finish("done", std::nullopt, counts);
    } catch (const Cancelled&) {
        finish(runner.stopping_server ? "queued" : "cancelled", std::nullopt, nullptr);
    } catch (const Failure& e) {
        finish("failed", e.message(), nullptr);
    } catch (const std::exception& e) {
        log_(utc_timestamp() + " jobs: " + id + ": " + redact_secrets(e.what()));
        finish("failed", Message("server.internal"), nullptr);
    }
}

void Jobs::recover_and_purge() {
    std::error_code error;
    const std::int64_t now = now_seconds();
    const std::string here = host_name();
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, error)) {
        const std::string id = entry.path().filename().string();
        if (!is_job_id(id)) {
            continue;
        }
        json job = read_job(entry.path());
        if (!job.is_object()) {
            continue;
        }
        const std::string state = job.value("state", "");
        if (finished(state)) {
            if (now - job.value("finished_seconds", now) > std::int64_t{settings_.keep_days} * 86400) {
                std::filesystem::remove_all(entry.path(), error);
            }
            continue;
        }
        if (state == "queued") {
            // Claimed by a server that stopped before it wrote "running": queue it again.
            const bool marked = std::filesystem::exists(entry.path() / "queued", error);
            const auto written = std::filesystem::last_write_time(entry.path() / "job.json", error);
            const auto age = std::filesystem::file_time_type::clock::now() - written;
            if (!marked && !error && age > std::chrono::seconds(settings_.stale_seconds)) {
                make_marker(entry.path() / "queued");
            }
            continue;
        }
        if (state != "running") {
            continue;
        }
        const json owner = job.value("owner", json::object());
        if (owner.value("server", "") == server_id_) {
            continue;
        }
        const bool gone_here = owner.value("host", "") == here && !process_alive(owner.value("pid", 0L));
        const bool silent = now - job.value("heartbeat", std::int64_t{0}) > settings_.stale_seconds;
        if (!gone_here && !silent) {
            continue;
        }
        // Its server stopped without finishing it (killed, the machine down).
        const bool retry = job.value("attempts", 1) < 2;
        job["state"] = retry ? "queued" : "failed";
        job.erase("owner");
        if (!retry) {
            job["error"] = message_json(Message("server.job_interrupted"));
            job["finished"] = utc_timestamp();
            job["finished_seconds"] = now;
        }
        write_job(entry.path(), job, server_id_);
        if (retry) {
            make_marker(entry.path() / "queued");
        }
        log_(utc_timestamp() + " jobs: " + id + (retry ? " interrupted, queued again" : " interrupted twice, failed"));
    }
}

}  // namespace redline::server
