// What the server answers, without HTTP: each endpoint a function from the request's parts
// to a reply, so that the HTTP layer (http_server.cpp) only routes, limits and logs.
#pragma once

#include "redline/message.hpp"
#include "redline/model/rules.hpp"
#include "redline/model/schema.hpp"
#include "redline/screening/screener.hpp"
#include "redline/store/workspace.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace redline::server {

struct Reply {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::string filename;        // for a download (Content-Disposition); empty: shown inline
    std::filesystem::path file;  // when set, the body is this file, streamed (a job's result)
    std::vector<std::pair<std::string, std::string>> headers;  // Location, Retry-After, ...
};

// The query string's parameters, each named once (a repeated one is refused).
using Query = std::map<std::string, std::string>;

// The server's message templates (messages.inc) in the catalog, once per process.
void add_server_messages();

Reply json_reply(int status, std::string body);
// A 4xx or 5xx reply: {"error": {"status", "code", "message", "message_en", "args"}}, the
// message in Chinese and English, its code and arguments for programs.
Reply error_reply(int status, const Message& message);

// How to read an uploaded file, from the parameters named like the CLI's options (crs,
// layer, encoding, id-field, name-field, from, zone, cm); or the 400 that says which is wrong.
std::variant<FootprintSource, Reply> footprint_source_of(const Query& query);

// `bytes` (at most 32) from the kernel's random generator, as hex digits: job ids, tokens.
std::string random_hex(std::size_t bytes);

// Now, in UTC, as RFC 3339 to the second ("2026-12-03T10:31:47Z"): for logs and timeStamps.
std::string utc_timestamp();

class Service {
public:
    // Builds the engine for the workspace's current version and today's law.
    Service(const SchemaSet& schemas, std::filesystem::path workspace);
    ~Service();

    // Rebuilds the engine when the workspace has a new version (an import, a saved edit)
    // or the day has changed, aside, then swaps it in: requests being answered finish on
    // the engine they started with. True when it did; DataError when the workspace
    // cannot be read (the engine in use stays).
    bool refresh();

    std::optional<VersionInfo> workspace_version() const;
    std::string legal_date() const;  // of the engine for today, YYYY-MM-DD

    // GET /api/v1: the service, the workspace and its version, the kinds and the legal date.
    Reply describe() const;
    // GET /api/v1/versions: the workspace's versions (`redline log --format json`).
    Reply versions(const Query& query) const;
    // GET /api/v1/rules: the rules in force on a day (`as-of`, default today), of one `kind`
    // or all (`redline rules list --format json`).
    Reply rules(const Query& query);
    // POST /api/v1/check: a GeoJSON body (CRS84 unless `crs` says otherwise) and the facts
    // as query parameters named like the CLI's options; the CLI's JSON back, or with
    // `format=pdf|html` the CLI's report.
    Reply check(const std::string& body, const Query& query);
    // POST /api/v1/check with a multipart form: a file the CLI reads (survey TXT, KML/KMZ,
    // DXF, zipped shapefile, GeoPackage, CSV/XLSX, ...), its kind told by its name's
    // extension; the same parameters, and those the CLI takes for such files (zone, cm,
    // from, encoding, layer, id-field, name-field).
    Reply check_upload(const std::string& filename, const std::string& content, const Query& query);

    // POST /api/v1/footprints: an upload read as POST /api/v1/check reads it (the same
    // parameters for CRS, layer, encoding and fields), back as GeoJSON in WGS 84 with how it
    // was read (`crs_read`, `detections`) and what could not be (`problems`): for the page to
    // draw a TXT, KML, DXF or shapefile before and beside its check.
    Reply footprints_upload(const std::string& filename, const std::string& content, const Query& query);

private:
    struct CheckSettings;
    // The 400 or 415 for an empty upload or one of a kind the CLI does not read.
    static std::optional<Reply> refuse_upload(const std::string& filename, const std::string& content);
    std::variant<CheckSettings, Reply> check_settings(const Query& query);
    // The footprints of `file` (an upload's scratch copy), or of `geojson` text when given.
    Reply screen(const std::filesystem::path& file, const std::string& label, const CheckSettings& settings,
                 const std::string* geojson = nullptr);
    std::shared_ptr<const Screener> screener_for(const std::string& as_of);
    std::shared_ptr<const Screener> current() const;  // today's engine
    const SchemaSet& schemas_;
    std::filesystem::path workspace_;
    FactVocabulary vocabulary_;      // read once: it is data of the layers, not of a request
    std::filesystem::path scratch_;  // private (0700), made at start, removed at the end
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const Screener>> screeners_;  // by legal date ("" today)
};

}  // namespace redline::server
