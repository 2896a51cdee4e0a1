// Verdicts by clause from the command line, on the demo workspace (its units' own lists and
// the city's general list): a prohibition decided by a clause, new against reconstruction,
// the conformity table in every output; and `redline access-list review`: the sheet, confirm
// and correct as versions, a correction changing the verdict, refused decisions writing nothing.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

using namespace redline;
using test::run_cli;
using test::ScratchDir;

namespace {

const std::string demo = (std::filesystem::path(test::layers_dir) / "demo").string();
// Inside the key unit ZH21021320002 (金普新区临港产业园), away from every protected zone.
const std::string park_site = "POLYGON((121.640 39.255,121.650 39.255,121.650 39.262,121.640 39.262,121.640 39.255))";

nlohmann::json unit_hit(const nlohmann::json& report, const std::string& code) {
    for (const auto& hit : report["footprints"][0]["hits"]) {
        if (hit["zone_code"] == code) {
            return hit;
        }
    }
    FAIL("no hit on " << code);
    return {};
}

const nlohmann::json& clause(const nlohmann::json& access, const std::string& key) {
    for (const auto& c : access["clauses"]) {
        if (c["key"] == key) {
            return c;
        }
    }
    FAIL("no clause " << key);
    static const nlohmann::json none;
    return none;
}

std::size_t version_count(const std::string& ws) {
    const auto log = run_cli({"log", ws, "--format", "json"});
    return nlohmann::json::parse(log.out)["versions"].size();
}

}  // namespace

TEST_CASE("a unit's clause prohibits a new chemical plant, cited in JSON, table and report", "[cli][access]") {
    ScratchDir dir("cli_by_clause");
    const std::string ws = test::build_demo_workspace(dir).string();

    const auto json_run = run_cli({"check", "--zones", ws, demo + "/chemical_plant.geojson", "--format", "json"});
    INFO(json_run.err);
    CHECK(json_run.exit_code == 1);
    const auto report = nlohmann::json::parse(json_run.out);
    CHECK(report["footprints"][0]["verdict"] == "prohibited");
    CHECK(report["footprints"][0]["activity"]["industry_codes"] == nlohmann::json::array({"C2614"}));
    CHECK(report["footprints"][0]["activity"]["scale"] == "new");
    const auto unit = unit_hit(report, "ZH21021320002");
    CHECK(unit["verdict"] == "prohibited");
    CHECK(unit["rules"][0]["id"] == "control_unit.access_prohibited");
    CHECK_THAT(unit["rules"][0]["basis"].dump(), Catch::Contains("第六十七条"));
    const auto& access = unit["access"];
    CHECK(access["outcome"] == "prohibited");
    CHECK(access["deciding"] == "ZH21021320002/spatial_layout/1");
    const auto& decisive = clause(access, "ZH21021320002/spatial_layout/1");
    CHECK(decisive["conformity"] == "violates");
    CHECK(decisive["text"] == "禁止新建、扩建化工、电镀、印染等重污染项目。");
    CHECK(decisive["list"]["scope"] == "unit");
    // The general list applies too, and its clauses are listed: the reference to it is resolved.
    CHECK(clause(access, "DL-ZT-2024/spatial_layout/1")["list"]["scope"] == "general");
    CHECK(clause(access, "ZH21021320002/spatial_layout/3")["conformity"] == "conforms");  // cement, glass
    CHECK(access["counts"]["violates"] == 1);

    const auto table = run_cli({"check", "--zones", ws, demo + "/chemical_plant.geojson"});
    CHECK_THAT(table.out, Catch::Contains("准入清单相符性") &&
                              Catch::Contains("决定条款：〔不符合〕单元清单 ZH21021320002") &&
                              Catch::Contains("禁止新建、扩建化工、电镀、印染等重污染项目"));

    const auto html = (dir / "by_clause.html").string();
    REQUIRE(run_cli({"check", "--zones", ws, demo + "/chemical_plant.geojson", "--report", html}).exit_code == 1);
    std::ifstream in(html);
    const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(page, Catch::Contains("准入清单相符性分析") && Catch::Contains("不符合") && Catch::Contains("不涉及") &&
                         Catch::Contains("DL-ZT-2024"));
}

TEST_CASE("the same plant as a reconstruction is not prohibited by a clause on new builds and expansions",
          "[cli][access]") {
    ScratchDir dir("cli_scale");
    const std::string ws = test::build_demo_workspace(dir).string();
    const auto run = [&](const char* scale) {
        const auto r = run_cli({"check", "--zones", ws, "--wkt", park_site, "--crs", "EPSG:4490", "--industry", "C2614",
                                "--scale", scale, "--format", "json"});
        INFO(r.err);
        return unit_hit(nlohmann::json::parse(r.out), "ZH21021320002");
    };
    CHECK(run("expansion")["access"]["outcome"] == "prohibited");
    const auto rebuilt = run("reconstruction");
    CHECK(rebuilt["verdict"] != "prohibited");
    CHECK(clause(rebuilt["access"], "ZH21021320002/spatial_layout/1")["finding"] == "other_scale");
    CHECK(run_cli({"check", "--zones", ws, "--wkt", park_site, "--crs", "EPSG:4490", "--scale", "rebuild"}).exit_code ==
          2);
}

TEST_CASE("redline access-list review: the sheet, confirm and correct as versions", "[cli][access]") {
    ScratchDir dir("cli_review");
    const std::string ws = test::build_demo_workspace(dir).string();

    const auto sheet = run_cli({"access-list", "review", ws, "--list", "ZH21021320002", "--format", "json"});
    INFO(sheet.err);
    REQUIRE(sheet.exit_code == 0);
    const auto json = nlohmann::json::parse(sheet.out);
    REQUIRE(json["clauses"].size() >= 6);
    CHECK(json["clauses"][0]["key"] == "ZH21021320002/spatial_layout/1");
    CHECK(json["clauses"][0]["structure"]["action"] == "prohibit");
    CHECK(json["clauses"][0]["review"].is_null());
    CHECK(json["clauses"][0]["list"]["from_attributes"] == true);

    const auto table = run_cli({"access-list", "review", ws, "--list", "DL-ZT-2024"});
    CHECK_THAT(table.out, Catch::Contains("DL-ZT-2024/spatial_layout/1") && Catch::Contains("原文：") &&
                              Catch::Contains("结构：禁止 | 新建、扩建"));
    const auto judgement = run_cli({"access-list", "review", ws, "--judgement", "--format", "json"});
    const auto judged = nlohmann::json::parse(judgement.out);  // alive while its clauses are walked
    for (const auto& c : judged["clauses"]) {
        CHECK(c["needs_judgement"] == true);
    }
    const auto html = (dir / "review.html").string();
    REQUIRE(run_cli({"access-list", "review", ws, "--report", html}).exit_code == 0);
    CHECK(std::filesystem::file_size(html) > 1000);

    // A dyeing plant: 印染 is in clause 1, so it is prohibited.
    const auto dyeing = [&] {
        const auto r = run_cli({"check", "--zones", ws, "--wkt", park_site, "--crs", "EPSG:4490", "--industry", "C1713",
                                "--scale", "new", "--format", "json"});
        return unit_hit(nlohmann::json::parse(r.out), "ZH21021320002");
    };
    CHECK(clause(dyeing()["access"], "ZH21021320002/spatial_layout/1")["conformity"] == "violates");

    // Mapping staff read the clause as chemicals only: a correction, one version.
    const std::size_t before = version_count(ws);
    const auto corrected =
        run_cli({"access-list", "review", ws, "--correct", "ZH21021320002/spatial_layout/1", "--structure",
                 R"({"action":"prohibit","scales":["new","expansion"],"industries":["C26"]})", "--confirm",
                 "ZH21021320002/spatial_layout/3", "--author", "李工", "--note", "按市局解释"});
    INFO(corrected.err);
    REQUIRE(corrected.exit_code == 0);
    CHECK_THAT(corrected.out, Catch::Contains("已记录 2 条复核"));
    CHECK(version_count(ws) == before + 1);
    const auto after = dyeing();
    const auto& first = clause(after["access"], "ZH21021320002/spatial_layout/1");
    CHECK(first["conformity"] == "conforms");
    CHECK(first["review"] == "corrected");
    CHECK(clause(after["access"], "ZH21021320002/spatial_layout/3")["review"] == "confirmed");
    const auto pending = nlohmann::json::parse(
        run_cli({"access-list", "review", ws, "--list", "ZH21021320002", "--pending", "--format", "json"}).out);
    for (const auto& c : pending["clauses"]) {
        CHECK(c["key"] != "ZH21021320002/spatial_layout/1");
    }

    // Refused decisions write nothing.
    const std::size_t now = version_count(ws);
    const auto unknown = run_cli({"access-list", "review", ws, "--confirm", "ZH21021320002/spatial_layout/99"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("ZH21021320002/spatial_layout/99"));
    const auto bad = run_cli({"access-list", "review", ws, "--correct", "ZH21021320002/spatial_layout/2", "--structure",
                              R"({"action":"prohibit","industries":["化公"]})"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("化公"));
    CHECK(run_cli({"access-list", "review", ws, "--correct", "ZH21021320002/spatial_layout/2"}).exit_code == 2);
    const auto decisions = (dir / "decisions.json").string();
    std::ofstream(decisions)
        << R"([{"key": "ZH21021320002/spatial_layout/2", "state": "confirmed", "digest": "sha256:00"}])";
    const auto stale = run_cli({"access-list", "review", ws, "--apply", decisions});
    CHECK(stale.exit_code == 2);
    std::ofstream(decisions) << R"({"key": "x"})";
    CHECK(run_cli({"access-list", "review", ws, "--apply", decisions}).exit_code == 2);
    CHECK(version_count(ws) == now);
}
