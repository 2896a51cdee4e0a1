// `redline serve` on a loopback port, in process: every endpoint, the bad requests a
// hostile or careless client sends, and the API's JSON against the CLI's for one input.
#include "redline/editing/edit_session.hpp"
#include "redline/reports/report.hpp"
#include "redline/screening/check_run.hpp"
#include "redline/server/server.hpp"
#include "running_server.hpp"
#include "test_config.hpp"
#include "test_support.hpp"

#include <httplib.h>
#include <zlib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <future>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using namespace redline;
using nlohmann::json;
using test::error_of;
using test::read_file;
using test::RunningServer;

namespace {

// Files in a zip archive, stored (not compressed): how a client sends a shapefile.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string archive, directory;
    const auto u16 = [](std::string& out, unsigned v) {
        out += static_cast<char>(v & 0xff);
        out += static_cast<char>((v >> 8) & 0xff);
    };
    const auto u32 = [&](std::string& out, unsigned long v) {
        u16(out, static_cast<unsigned>(v & 0xffff));
        u16(out, static_cast<unsigned>((v >> 16) & 0xffff));
    };
    for (const auto& file : files) {
        const std::string& name = file.first;  // not a structured binding: the lambdas below capture it
        const std::string& content = file.second;
        const unsigned long crc =
            crc32(0L, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size()));
        const unsigned long offset = archive.size();
        const auto header = [&](std::string& out, bool central) {
            u32(out, central ? 0x02014b50 : 0x04034b50);
            if (central) {
                u16(out, 20);  // made by
            }
            u16(out, 20);  // version needed
            u16(out, 0);   // flags
            u16(out, 0);   // stored
            u16(out, 0);   // time
            u16(out, 0);   // date
            u32(out, crc);
            u32(out, content.size());
            u32(out, content.size());
            u16(out, static_cast<unsigned>(name.size()));
            u16(out, 0);  // extra
            if (central) {
                u16(out, 0);  // comment
                u16(out, 0);  // disk
                u16(out, 0);  // internal attributes
                u32(out, 0);  // external attributes
                u32(out, offset);
            }
            out += name;
        };
        header(archive, false);
        archive += content;
        header(directory, true);
    }
    const unsigned long directory_offset = archive.size();
    archive += directory;
    u32(archive, 0x06054b50);
    u16(archive, 0);
    u16(archive, 0);
    u16(archive, static_cast<unsigned>(files.size()));
    u16(archive, static_cast<unsigned>(files.size()));
    u32(archive, directory.size());
    u32(archive, directory_offset);
    u16(archive, 0);
    return archive;
}

httplib::Result upload(httplib::Client& client, const std::string& query, const std::string& filename,
                       const std::string& content) {
    const httplib::MultipartFormDataItems items = {{"file", content, filename, "application/octet-stream"}};
    return client.Post(("/api/v1/check" + query).c_str(), items);
}

// A parcel of about 440 x 550 m near 121.70 E, 39.05 N as a land-survey TXT, CGCS2000
// Gauss-Krüger zone 41 (northing, easting).
const char* survey_txt = R"([属性描述]
坐标系=2000国家大地坐标系
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号=41
[地块坐标]
5,0.24,1,上传地块,面,,,,@
J1,1,4324859.000,41387462.000
J2,1,4324859.000,41387903.000
J3,1,4325408.000,41387903.000
J4,1,4325408.000,41387462.000
J1,1,4324859.000,41387462.000
)";

}  // namespace

TEST_CASE("serve: uploads of the files the CLI reads, told by their names", "[server]") {
    test::ScratchDir dir("server_upload");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    auto client = running.client();
    const test::FixtureFeature parcel{
        "POLYGON((121.700 39.050,121.705 39.050,121.705 39.055,121.700 39.055,121.700 39.050))",
        {{"name", "上传地块"}}};

    // A land-survey TXT: its zone from the file itself.
    const auto txt = upload(client, "?activity=construction", "地块坐标.txt", survey_txt);
    REQUIRE(txt);
    REQUIRE(txt->status == 200);
    json result = json::parse(txt->body);
    CHECK(result["input"]["source"] == "地块坐标.txt");
    CHECK(result["summary"]["footprints"] == 1);
    CHECK(result["footprints"][0]["status"] == "checked");
    CHECK(result["footprints"][0]["hits"].size() > 0);

    // KML, and a shapefile zipped, each made by GDAL as a desktop tool would.
    test::write_layer(dir / "parcel.kml", "KML", 4326, {parcel});
    const auto kml = upload(client, "", "parcel.kml", read_file(dir / "parcel.kml"));
    REQUIRE(kml);
    CHECK(kml->status == 200);
    CHECK(json::parse(kml->body)["input"]["source"] == "parcel.kml");
    test::write_layer(dir / "parcel.shp", "ESRI Shapefile", 4490, {parcel});
    std::vector<std::pair<std::string, std::string>> parts;
    for (const char* extension : {".shp", ".shx", ".dbf", ".prj"}) {
        parts.emplace_back(std::string("parcel") + extension, read_file(dir / (std::string("parcel") + extension)));
    }
    const auto shp = upload(client, "?format=json", "parcel.zip", zip_of(parts));
    REQUIRE(shp);
    CHECK(shp->status == 200);
    const json zipped = json::parse(shp->body);
    CHECK(zipped["input"]["source"] == "parcel.zip");
    CHECK(zipped["footprints"][0]["hits"] == json::parse(kml->body)["footprints"][0]["hits"]);

    // Refusals: a kind of file the CLI does not read, no file field, an empty file, a
    // file that is not what its name says, a bad zone.
    CHECK(error_of(upload(client, "", "parcel.exe", "MZ"), 415)["code"] == "server.upload_format");
    const httplib::MultipartFormDataItems other = {{"document", "x", "a.kml", "text/plain"}};
    CHECK(error_of(client.Post("/api/v1/check", other), 400)["code"] == "server.upload_field");
    CHECK(error_of(upload(client, "", "parcel.kml", ""), 400)["code"] == "server.empty_upload");
    const json garbage = error_of(upload(client, "", "garbage.kml", "<kml><oops"), 422);
    CHECK_THAT(garbage["message_en"].get<std::string>(), Catch::Contains("garbage.kml"));
    CHECK_THAT(garbage.dump(), !Catch::Contains("redline-serve-"));
    CHECK(error_of(upload(client, "?zone=99", "地块坐标.txt", survey_txt), 400)["code"] == "server.bad_value");
}

TEST_CASE("serve: an upload read back as GeoJSON in WGS 84, for the page to draw", "[server]") {
    test::ScratchDir dir("server_footprints");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    auto client = running.client();
    const auto read_back = [&](const std::string& query, const std::string& filename, const std::string& content) {
        const httplib::MultipartFormDataItems items = {{"file", content, filename, "application/octet-stream"}};
        return client.Post(("/api/v1/footprints" + query).c_str(), items);
    };

    // The survey TXT in Gauss-Krüger zone 41: its corners at about 121.6999-121.7050 E,
    // 39.0499-39.0549 N (zone 41's central meridian is 123 E; 387 462 m east is 112.5 km west).
    const auto txt = read_back("", "地块坐标.txt", survey_txt);
    REQUIRE(txt);
    REQUIRE(txt->status == 200);
    CHECK(txt->get_header_value("Content-Type") == "application/geo+json");
    const json collection = json::parse(txt->body);
    CHECK(collection["type"] == "FeatureCollection");
    CHECK(collection["source"] == "地块坐标.txt");
    CHECK(collection["name"] == "地块坐标");
    CHECK(collection["crs_read"] == "EPSG:4529");
    CHECK(collection["problems"].empty());
    REQUIRE(collection["features"].size() == 1);
    const json& ring = collection["features"][0]["geometry"]["coordinates"][0];
    REQUIRE(ring.size() == 5);
    double west = 180, east = -180, south = 90, north = -90;
    for (const auto& point : ring) {
        west = std::min(west, point[0].get<double>());
        east = std::max(east, point[0].get<double>());
        south = std::min(south, point[1].get<double>());
        north = std::max(north, point[1].get<double>());
    }
    CHECK(west == Approx(121.6999).margin(3e-4));
    CHECK(east == Approx(121.7050).margin(3e-4));
    CHECK(south == Approx(39.0499).margin(3e-4));
    CHECK(north == Approx(39.0549).margin(3e-4));

    // A zone that contradicts the file's own prefix is refused, never silently obeyed.
    CHECK(error_of(read_back("?zone=42", "地块坐标.txt", survey_txt), 422)["code"] == "axes.zone_conflict");

    // What cannot be read gets the check's refusals, never a scratch file's name.
    CHECK(error_of(read_back("", "parcel.exe", "MZ"), 415)["code"] == "server.upload_format");
    CHECK(error_of(read_back("", "parcel.kml", ""), 400)["code"] == "server.empty_upload");
    CHECK(error_of(read_back("?activity=construction", "地块坐标.txt", survey_txt), 400)["code"] ==
          "server.unknown_parameter");
    const json garbage = error_of(read_back("", "garbage.kml", "<kml><oops"), 422);
    CHECK_THAT(garbage["message_en"].get<std::string>(), Catch::Contains("garbage.kml"));
    CHECK_THAT(garbage.dump(), !Catch::Contains("redline-serve-"));
    CHECK(error_of(client.Get("/api/v1/footprints"), 405)["code"] == "server.method_not_allowed");
}

TEST_CASE("serve: the API's check gives the CLI's JSON for the same footprints", "[server]") {
    test::ScratchDir dir("server_same_json");
    const auto workspace = test::build_demo_workspace(dir);
    const auto footprints = std::filesystem::path(test::demo_dir) / "footprints.geojson";
    RunningServer running(workspace);
    auto client = running.client();

    const auto result =
        client.Post("/api/v1/check?activity=construction", read_file(footprints), "application/geo+json");
    REQUIRE(result);
    REQUIRE(result->status == 200);
    json api = json::parse(result->body);

    CheckRequest request;
    request.workspace = workspace;
    request.input.path = footprints.string();
    request.facts = FactVocabulary::load(test::schemas().directory()).from_options({{"activity", "construction"}});
    const CheckRun run = run_check(test::schemas(), request);
    std::ostringstream out;
    write_json(out, run, test::schemas(), Language::zh);
    json cli = json::parse(out.str());

    CHECK(api["input"]["source"] == "request");
    api["input"].erase("source");
    cli["input"].erase("source");
    CHECK(api == cli);
    CHECK(api["summary"]["footprints"].get<int>() > 0);
    CHECK(api["summary"]["footprints_with_conflicts"].get<int>() > 0);  // the demo has some
}

TEST_CASE("serve: the description names the workspace, its version, kinds and the legal date", "[server]") {
    test::ScratchDir dir("server_describe");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    const auto result = running.client().Get("/api/v1");
    REQUIRE(result);
    CHECK(result->status == 200);
    const json body = json::parse(result->body);
    CHECK(body["service"] == "redline");
    CHECK(body["workspace_version"]["id"].get<int>() == 6);
    CHECK(body["kinds"].size() == 5);
    CHECK(body["legal_date"].get<std::string>().size() == 10);
    CHECK_FALSE(body["rule_set_digest"].get<std::string>().empty());
    // The start was logged with the address, the access log has the request (written
    // just after the answer went out: waited for, not raced).
    auto log = running.log();
    for (int i = 0; i < 200 && (log.empty() || log.back().find("/api/v1") == std::string::npos); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        log = running.log();
    }
    REQUIRE(log.size() >= 2);
    CHECK_THAT(log.front(), Catch::Contains("http://127.0.0.1:"));
    CHECK_THAT(log.back(), Catch::Contains("\"GET /api/v1\" 200"));
}

TEST_CASE("serve: versions and the rules in force, as redline log and redline rules list give them", "[server]") {
    test::ScratchDir dir("server_versions_rules");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    auto client = running.client();

    const auto versions = client.Get("/api/v1/versions");
    REQUIRE(versions);
    REQUIRE(versions->status == 200);
    const auto log = test::run_cli({"log", workspace.string(), "--format", "json"});
    REQUIRE(log.exit_code == 0);
    CHECK(json::parse(versions->body) == json::parse(log.out));
    CHECK(json::parse(versions->body)["versions"].size() == 6);

    // The law of a day before the Code, for one kind; then today's for every kind.
    const auto old_rules = client.Get("/api/v1/rules?as-of=2024-05-01&kind=water_source&lang=en");
    REQUIRE(old_rules);
    REQUIRE(old_rules->status == 200);
    const auto listed = test::run_cli(
        {"--lang", "en", "rules", "list", "--as-of", "2024-05-01", "--kind", "water_source", "--format", "json"});
    REQUIRE(listed.exit_code == 0);
    const json api_rules = json::parse(old_rules->body);
    CHECK(api_rules == json::parse(listed.out));
    CHECK(api_rules["legal_date"] == "2024-05-01");
    REQUIRE_FALSE(api_rules["rules"].empty());
    for (const auto& rule : api_rules["rules"]) {
        CHECK(rule["kind"] == "water_source");
        CHECK_FALSE(rule["basis"].get<std::string>().empty());
        CHECK(rule["in_force"]["from"].get<std::string>() <= "2024-05-01");
    }
    const auto today = client.Get("/api/v1/rules");
    REQUIRE(today);
    REQUIRE(today->status == 200);
    const json today_rules = json::parse(today->body);
    CHECK(today_rules["legal_date"] == json::parse(client.Get("/api/v1")->body)["legal_date"]);
    CHECK(today_rules["rules"].size() > api_rules["rules"].size());

    CHECK(error_of(client.Get("/api/v1/rules?kind=airport"), 404)["code"] == "server.unknown_kind");
    CHECK(error_of(client.Get("/api/v1/rules?as-of=2024-02-30"), 400)["code"] == "server.bad_value");
    CHECK(error_of(client.Get("/api/v1/rules?industry=chemical"), 400)["code"] == "server.unknown_parameter");
    CHECK(error_of(client.Get("/api/v1/versions?kind=red_line"), 400)["code"] == "server.no_parameters");
    CHECK(error_of(client.Post("/api/v1/rules", "", "text/plain"), 405)["code"] == "server.method_not_allowed");
}

TEST_CASE("serve: the OpenAPI description covers every route the server has", "[server]") {
    test::ScratchDir dir("server_openapi");
    RunningServer running(test::build_demo_workspace(dir));
    const auto result = running.client().Get("/api/v1/openapi.json");
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK_THAT(result->get_header_value("Content-Type"), Catch::Contains("openapi+json"));
    const json api = json::parse(result->body);
    CHECK(api["openapi"] == "3.0.3");
    for (const char* path :
         {"/api/v1/check", "/api/v1/outfalls", "/api/v1/jobs/{id}", "/ogc/collections/{kind}/items"}) {
        CHECK(api["paths"].contains(path));
    }
    // Each path it names is one the server routes: never the catch-all's "no such resource".
    for (const auto& [path, operations] : api["paths"].items()) {
        std::string concrete = std::regex_replace(path, std::regex("\\{id\\}"), std::string(32, 'a'));
        concrete = std::regex_replace(concrete, std::regex("\\{kind\\}"), "red_line");
        concrete = std::regex_replace(concrete, std::regex("\\{featureId\\}"), "HX210213-001");
        for (const auto& [method, _] : operations.items()) {
            httplib::Request request;
            request.method = method == "get" ? "GET" : method == "post" ? "POST" : "DELETE";
            request.path = concrete;
            httplib::Client client = running.client();
            httplib::Response response;
            httplib::Error error = httplib::Error::Success;
            REQUIRE(client.send(request, response, error));
            INFO(method << " " << concrete << " -> " << response.status << " " << response.body);
            CHECK(response.body.find("server.not_found") == std::string::npos);
            CHECK(response.status != 405);
        }
    }
    // The OGC landing page points to it as the service description.
    const json landing = json::parse(running.client().Get("/ogc")->body);
    bool described = false;
    for (const auto& link : landing["links"]) {
        described = described || (link["rel"] == "service-desc" &&
                                  link["href"].get<std::string>().ends_with("/api/v1/openapi.json"));
    }
    CHECK(described);
}

TEST_CASE("serve: bad requests get a 4xx that says what is wrong, and the server goes on", "[server]") {
    test::ScratchDir dir("server_bad_requests");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace, 64 * 1024);
    auto client = running.client();
    const std::string point = R"({"type": "Point", "coordinates": [121.70, 39.05]})";

    CHECK(error_of(client.Post("/api/v1/check", "", "application/json"), 400)["code"] == "server.empty_body");
    CHECK(error_of(client.Post("/api/v1/check", "{\"type\": ", "application/json"), 400)["code"] == "server.bad_json");
    CHECK(error_of(client.Post("/api/v1/check", R"({"type": "Feature Collection"})", "application/json"),
                   400)["code"] == "server.not_geojson");
    CHECK(error_of(client.Post("/api/v1/check", "[1, 2]", "application/json"), 400)["code"] == "server.not_geojson");
    // A number JSON allows but a double cannot hold (found by fuzz_http_body: it was a 500).
    CHECK(error_of(client.Post("/api/v1/check", R"({"type": "Point", "coordinates": [121.7e308, 39.05]})",
                               "application/json"),
                   400)["code"] == "server.bad_json_value");
    CHECK(error_of(client.Post("/api/v1/check", std::string("{\"type\": \"Point\", \"x\": \"\xC4\xE3\"}"),
                               "application/json"),
                   400)["code"] == "server.not_utf8");
    // A geometry GDAL cannot take: named as the request, not as a scratch file.
    const json broken =
        error_of(client.Post("/api/v1/check", R"({"type": "Point", "coordinates": [1]})", "application/json"), 422);
    CHECK_THAT(broken["message_en"].get<std::string>(), Catch::StartsWith("request"));
    CHECK_THAT(broken.dump(), !Catch::Contains("redline-serve-") && !Catch::Contains("vsimem"));
    // Parameters: unknown, repeated, a wrong value, a CRS PROJ does not know.
    CHECK(error_of(client.Post("/api/v1/check?activty=construction", point, "application/json"), 400)["code"] ==
          "server.unknown_parameter");
    CHECK(error_of(client.Post("/api/v1/check?activity=a&activity=b", point, "application/json"), 400)["code"] ==
          "server.repeated_parameter");
    CHECK(error_of(client.Post("/api/v1/check?activity=flying", point, "application/json"), 400)["code"] ==
          "facts.option_unknown_value");
    CHECK(error_of(client.Post("/api/v1/check?as-of=2024-02-30", point, "application/json"), 400)["code"] ==
          "server.bad_value");
    CHECK(error_of(client.Post("/api/v1/check?crs=EPSG:99999", point, "application/json"), 400)["args"].is_object());
    // A form-encoded body is still the body, not parameters.
    CHECK(client.Post("/api/v1/check", point, "application/x-www-form-urlencoded")->status == 200);
    // Too large, no such resource, no such method, a path that tries to leave the root.
    CHECK(error_of(client.Post("/api/v1/check", std::string(65 * 1024, ' '), "application/json"), 413)["code"] ==
          "server.body_too_large");
    CHECK(error_of(client.Get("/api/v2/check"), 404)["code"] == "server.not_found");
    CHECK(error_of(client.Get("/../../etc/passwd"), 404)["code"] == "server.not_found");
    CHECK(error_of(client.Delete("/api/v1/check"), 405)["code"] == "server.method_not_allowed");
    CHECK(error_of(client.Get("/api/v1/check"), 405)["code"] == "server.method_not_allowed");

    // Still serving, and a footprint outside the workspace is unchecked, never clear.
    const auto fine = client.Post("/api/v1/check", point, "application/json");
    REQUIRE(fine);
    CHECK(fine->status == 200);
    const auto far =
        client.Post("/api/v1/check", R"({"type": "Point", "coordinates": [100.0, 30.0]})", "application/json");
    REQUIRE(far);
    CHECK(far->status == 200);
    CHECK(json::parse(far->body)["footprints"][0]["status"] == "unchecked");
}

TEST_CASE("serve: a legal date of the past gets the law of that day", "[server]") {
    test::ScratchDir dir("server_as_of");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    auto client = running.client();
    const std::string point = R"({"type": "Point", "coordinates": [121.70, 39.05]})";
    const auto then = client.Post("/api/v1/check?as-of=2024-05-01", point, "application/json");
    const auto now = client.Post("/api/v1/check", point, "application/json");
    REQUIRE(then);
    REQUIRE(now);
    CHECK(json::parse(then->body)["rule_set"]["legal_date"] == "2024-05-01");
    CHECK(json::parse(now->body)["rule_set"]["legal_date"] != "2024-05-01");
    CHECK(error_of(client.Post("/api/v1/check?as-of=1990-01-01", point, "application/json"), 400)["code"].is_string());
}

TEST_CASE("serve: requests at once get the answers they get one by one", "[server]") {
    test::ScratchDir dir("server_concurrent");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    const std::string body = read_file(std::filesystem::path(test::demo_dir) / "footprints.geojson");
    const auto alone = running.client().Post("/api/v1/check?activity=construction", body, "application/json");
    REQUIRE(alone);
    std::vector<std::future<std::string>> answers;
    for (int i = 0; i < 16; ++i) {
        answers.push_back(std::async(std::launch::async, [&] {
            const auto r = running.client().Post("/api/v1/check?activity=construction", body, "application/json");
            return r ? (r->status == 200 ? r->body : std::to_string(r->status) + r->body)
                     : "no answer: " + httplib::to_string(r.error());
        }));
    }
    for (auto& answer : answers) {
        CHECK(answer.get() == alone->body);
    }
}

TEST_CASE("serve: only loopback addresses count as this machine", "[server]") {
    CHECK(server::is_loopback("127.0.0.1"));
    CHECK(server::is_loopback("127.1.2.3"));
    CHECK(server::is_loopback("::1"));
    CHECK(server::is_loopback("localhost"));
    CHECK_FALSE(server::is_loopback("0.0.0.0"));
    CHECK_FALSE(server::is_loopback("192.168.1.10"));
    CHECK_FALSE(server::is_loopback("::"));
    test::ScratchDir dir("server_bind");
    const auto workspace = test::build_demo_workspace(dir);
    server::ServeOptions options;
    options.workspace = workspace;
    options.bind = "not-an-address";
    CHECK_THROWS_AS(server::Server(test::schemas(), options), UsageError);
}

TEST_CASE("serve: a version saved while serving is picked up, requests answered all along", "[server]") {
    test::ScratchDir dir("server_reload");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace, std::size_t{16} << 20, 1);
    auto client = running.client();
    const auto version_served = [&] {
        const auto r = client.Get("/api/v1");
        return r && r->status == 200 ? json::parse(r->body)["workspace_version"]["id"].get<int>() : -1;
    };
    REQUIRE(version_served() == 6);
    test::commit_rename(workspace);
    const std::string point = R"({"type": "Point", "coordinates": [121.70, 39.05]})";
    int seen = 6;
    for (int i = 0; i < 300 && seen != 7; ++i) {
        const auto r = client.Post("/api/v1/check", point, "application/json");
        REQUIRE(r);
        CHECK(r->status == 200);
        seen = version_served();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(seen == 7);
    const auto after = client.Post("/api/v1/check", point, "application/json");
    REQUIRE(after);
    CHECK(json::parse(after->body)["workspace"]["version"].get<int>() == 7);
    bool logged = false;
    for (const auto& line : running.log()) {
        logged = logged || line.find("新版本 7") != std::string::npos;
    }
    CHECK(logged);
}

TEST_CASE("serve: the redline binary serves on the port it prints and stops on SIGTERM", "[server]") {
    test::ScratchDir dir("server_binary");
    const auto workspace = test::build_demo_workspace(dir);
    int err[2];
    REQUIRE(pipe(err) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        dup2(err[1], STDERR_FILENO);
        close(err[0]);
        const std::string zones = workspace.string();
        execl(test::cli_path, test::cli_path, "serve", "--zones", zones.c_str(), "--port", "0",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(err[1]);
    // The start line: "redline serve：http://127.0.0.1:PORT/ ，...".
    std::string line;
    char c = 0;
    while (read(err[0], &c, 1) == 1 && c != '\n') {
        line += c;
    }
    const auto at = line.find("http://127.0.0.1:");
    REQUIRE(at != std::string::npos);
    const int port = std::stoi(line.substr(at + 17));
    httplib::Client client("127.0.0.1", port);
    const auto described = client.Get("/api/v1");
    REQUIRE(described);
    CHECK(described->status == 200);
    CHECK(kill(child, SIGTERM) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // The access log followed the start line.
    std::string rest;
    while (read(err[0], &c, 1) == 1) {
        rest += c;
    }
    close(err[0]);
    CHECK_THAT(rest, Catch::Contains("\"GET /api/v1\" 200"));
}

TEST_CASE("serve: the check as the CLI's report, PDF or HTML", "[server]") {
    test::ScratchDir dir("server_report");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    auto client = running.client();
    const std::string body = read_file(std::filesystem::path(test::demo_dir) / "footprints.geojson");
    const auto pdf = client.Post("/api/v1/check?activity=construction&format=pdf", body, "application/json");
    REQUIRE(pdf);
    CHECK(pdf->status == 200);
    CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
    CHECK_THAT(pdf->get_header_value("Content-Disposition"), Catch::Contains("redline-report.pdf"));
    CHECK(pdf->body.rfind("%PDF-", 0) == 0);
    CHECK(pdf->body.size() > 20000);
    CHECK(pdf->body.find("redline-serve-") == std::string::npos);
    const auto html = client.Post("/api/v1/check?activity=construction&format=html", body, "application/json");
    REQUIRE(html);
    CHECK(html->status == 200);
    CHECK_THAT(html->body,
               Catch::Contains("<html") && Catch::Contains("总体结论") && !Catch::Contains("redline-serve-"));
    const auto english = client.Post("/api/v1/check?format=html&lang=en", body, "application/json");
    REQUIRE(english);
    CHECK_THAT(english->body, Catch::Contains("Overall"));
    CHECK(error_of(client.Post("/api/v1/check?format=xml", body, "application/json"), 400)["code"] ==
          "server.bad_value");
}

TEST_CASE("serve: OGC API - Features: the zones by kind, paged, by box and version", "[server]") {
    test::ScratchDir dir("server_ogc");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    auto client = running.client();
    const auto get = [&](const std::string& path, int status = 200) {
        const auto r = client.Get(path.c_str());
        REQUIRE(r);
        CHECK(r->status == status);
        return json::parse(r->body);
    };
    const json landing = get("/ogc");
    std::set<std::string> rels;
    for (const auto& l : landing["links"]) {
        rels.insert(l["rel"].get<std::string>());
    }
    CHECK(rels == std::set<std::string>{"self", "service-desc", "conformance", "data"});
    CHECK(get("/ogc/conformance")["conformsTo"].size() == 2);
    const json collections = get("/ogc/collections");
    REQUIRE(collections["collections"].size() == 5);
    CHECK(collections["collections"][3]["id"] == "red_line");
    CHECK(collections["collections"][3]["title"] == "生态保护红线");

    // Paging: three red lines, two a page, the next link carrying on.
    const json first = get("/ogc/collections/red_line/items?limit=2");
    CHECK(first["type"] == "FeatureCollection");
    CHECK(first["numberMatched"] == 3);
    CHECK(first["numberReturned"] == 2);
    std::string next;
    for (const auto& l : first["links"]) {
        if (l["rel"] == "next") {
            next = l["href"];
        }
    }
    REQUIRE_THAT(next, Catch::Contains("offset=2"));
    const json second = get(next.substr(next.find("/ogc")));
    CHECK(second["numberReturned"] == 1);
    CHECK(second["features"][0]["id"] != first["features"][0]["id"]);
    const json zone = first["features"][0];
    CHECK(zone["geometry"]["type"] == "Polygon");
    CHECK(zone["properties"]["kind"] == "red_line");
    CHECK_FALSE(zone["properties"]["name"].get<std::string>().empty());

    // One by id, a box that holds only part, an old version (districts only at version 1).
    CHECK(get("/ogc/collections/red_line/items/" + zone["id"].get<std::string>())["id"] == zone["id"]);
    const json boxed = get("/ogc/collections/red_line/items?bbox=121.69,39.04,121.73,39.08");
    CHECK(boxed["numberMatched"].get<int>() >= 1);
    CHECK(boxed["numberMatched"].get<int>() < 3);
    CHECK(get("/ogc/collections/district/items?version=1")["numberMatched"].get<int>() > 0);
    CHECK(error_of(client.Get("/ogc/collections/red_line/items?version=1"), 404)["code"] == "server.no_collection");

    // Refusals.
    CHECK(error_of(client.Get("/ogc/collections/no_such_kind"), 404)["code"] == "server.no_collection");
    CHECK(error_of(client.Get("/ogc/collections/red_line/items/NOPE"), 404)["code"] == "server.no_feature");
    // A sub-zoned zone's id holds a "/": as %2F (how clients send it) and as it is.
    CHECK(get("/ogc/collections/water_source/items/SY210213001%2Flevel1")["id"] == "SY210213001/level1");
    CHECK(get("/ogc/collections/water_source/items/SY210213001/level2")["id"] == "SY210213001/level2");
    CHECK(error_of(client.Get("/ogc/collections/red_line/items?bbox=1,2,3"), 400)["code"] == "server.bad_value");
    CHECK(error_of(client.Get("/ogc/collections/red_line/items?limit=0"), 400)["code"] == "server.bad_value");
    CHECK(error_of(client.Get("/ogc/collections/red_line/items?version=99"), 400)["code"] == "server.bad_value");
    CHECK(error_of(client.Get("/ogc/collections/red_line/items?sortby=name"), 400)["code"] ==
          "server.unknown_parameter");
    CHECK(error_of(client.Post("/ogc/collections", "{}", "application/json"), 405)["code"] ==
          "server.method_not_allowed");
}

TEST_CASE("serve: GDAL's OAPIF driver lists and reads the collections", "[server]") {
    test::ScratchDir dir("server_oapif");
    const auto workspace = test::build_demo_workspace(dir);
    RunningServer running(workspace);
    const std::string url = "OAPIF:http://127.0.0.1:" + std::to_string(running.port()) + "/ogc";
    const auto run = [](const std::string& command) {
        std::string out;
        if (FILE* pipe = popen(command.c_str(), "r")) {
            char buffer[4096];
            while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) {
                out.append(buffer, n);
            }
            pclose(pipe);
        }
        return out;
    };
    const std::string layers = run("ogrinfo -ro -so '" + url + "' 2>&1");
    for (const char* kind : {"control_unit", "district", "nature_reserve", "red_line", "water_source"}) {
        CHECK_THAT(layers, Catch::Contains(kind));
    }
    // Read whole, in pages of two (GDAL follows the next links).
    const std::string red_lines = run("ogrinfo -ro -al -q -oo PAGE_SIZE=2 '" + url + "' red_line 2>&1");
    CHECK_THAT(red_lines, Catch::Contains("小黑山生物多样性维护红线（示意）") &&
                              Catch::Contains("OGRFeature(red_line):3") && Catch::Contains("POLYGON"));
}
