// Scale-out without a cluster: two `redline serve` processes' worth of servers over one
// PostGIS workspace and one shared jobs directory, as behind nginx (docs/serve.md). Each
// answers alike; a version committed through the workspace is served by both; a job
// submitted to one is followed and downloaded through the other.
#include "postgis_support.hpp"
#include "redline/server/tokens.hpp"
#include "redline/store/workspace.hpp"
#include "running_server.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

using namespace redline;
using nlohmann::json;
using test::RunningServer;

TEST_CASE("two servers over one PostGIS workspace serve the same versions and share jobs", "[postgis][server]") {
    test::ScratchDir dir("postgis-serve");
    const std::string pg = test::fresh_database("ws_serve");
    test::import_demo(pg);
    const std::string token = server::TokenFile(dir / "tokens").add("approval-system");
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};

    const auto options = [&] {
        server::ServeOptions o = RunningServer::options_for(pg, std::size_t{16} << 20, 1);
        o.tokens = dir / "tokens";
        o.jobs_directory = dir / "jobs";  // shared, as on a common volume
        return o;
    };
    RunningServer one(options());
    RunningServer two(options());
    REQUIRE(one.port() != two.port());

    const std::string site = R"({"type": "Feature", "properties": {"name": "厂址"},
        "geometry": {"type": "Polygon", "coordinates": [[[121.825, 39.155], [121.835, 39.155],
        [121.835, 39.165], [121.825, 39.165], [121.825, 39.155]]]}})";
    const auto check = [&](const RunningServer& server) {
        const auto r = server.client().Post("/api/v1/check?activity=construction", site, "application/json");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        return json::parse(r->body);
    };
    const json a = check(one), b = check(two);
    CHECK(a["workspace"]["version"] == 5);
    CHECK(a["footprints"] == b["footprints"]);

    // A version committed to the workspace (an edit by mapping staff) reaches both.
    test::commit_rename(pg);
    for (const RunningServer* server : {&one, &two}) {
        int seen = 5;
        for (int i = 0; i < 200 && seen != 6; ++i) {
            seen = check(*server)["workspace"]["version"].get<int>();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CHECK(seen == 6);
    }
    CHECK(check(one)["footprints"] == check(two)["footprints"]);

    // A job submitted through one is followed and fetched through the other.
    const char* register_csv =
        "排污口编码,排污口名称,排污口类型,入河入海,受纳水体,状态,经度(CGCS2000),纬度(CGCS2000)\n"
        "A01,一级区现有排口,工业排污口,入河,卧龙河,现有,121.830,39.160\n"
        "A06,远处排口,其他排口,入河,另一条河,现有,121.7600,39.4200\n";
    const httplib::MultipartFormDataItems form = {{"file", register_csv, "名录.csv", "text/csv"}};
    const auto accepted = one.client().Post("/api/v1/outfalls?format=csv", auth, form);
    REQUIRE(accepted);
    REQUIRE(accepted->status == 202);
    const std::string id = json::parse(accepted->body)["id"];
    json status;
    for (int i = 0; i < 1200; ++i) {
        const auto r = two.client().Get(("/api/v1/jobs/" + id).c_str(), auth);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        status = json::parse(r->body);
        if (status["state"] == "done" || status["state"] == "failed") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(status["state"] == "done");
    CHECK(status["summary"]["rows"] == 2);
    const auto result = two.client().Get(("/api/v1/jobs/" + id + "/result").c_str(), auth);
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(result->body.find("A01") != std::string::npos);
    CHECK(result->body.find("取缔") != std::string::npos);
}
