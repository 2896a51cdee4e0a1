// `redline indicators`: the demo workspace with its coastline, the formats, targets, the
// guard's exit code and what it names, reports with a chart per indicator, bad input.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

using namespace redline;
using test::run_cli;
using test::ScratchDir;

namespace {

// The demo workspace (versions 1 to 5) and the demo coastline as version 6.
std::filesystem::path demo_with_coastline(const ScratchDir& dir) {
    const auto ws = test::build_demo_workspace(dir);
    const auto imported =
        run_cli({"import", "--kind", "coastline",
                 (std::filesystem::path(test::demo_dir) / "coastline.geojson").string(), "--into", ws.string()});
    REQUIRE(imported.exit_code == 0);
    return ws;
}

const std::string demo_targets = (std::filesystem::path(test::demo_dir) / "targets.toml").string();

const nlohmann::json* find(const nlohmann::json& indicators, const std::string& id, const std::string& district = "") {
    for (const auto& i : indicators) {
        if (i["id"] == id && i["subzone"].is_null() && i.value("district", "") == district) {
            return &i;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("redline indicators: the demo's figures as JSON, per district, with the definitions", "[cli][indicators]") {
    ScratchDir dir("indicators-cli");
    const auto ws = demo_with_coastline(dir);
    const auto r = run_cli({"indicators", ws.string(), "--by", "district", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["version"]["id"] == 7);
    CHECK(doc["land"]["kind"] == "district");
    const auto& indicators = doc["indicators"];
    const auto* area = find(indicators, "red_line_area_ha");
    REQUIRE(area != nullptr);
    CHECK((*area)["unit"] == "ha");
    CHECK((*area)["version"] == 7);
    CHECK((*area)["definition"].get<std::string>().find("并集") != std::string::npos);
    // The demo's red lines all lie in 金州区, and its coastline is all 金州区's.
    const auto* jinzhou = find(indicators, "red_line_area_ha", "金州区");
    REQUIRE(jinzhou != nullptr);
    CHECK((*jinzhou)["value"].get<double>() == Approx((*area)["value"].get<double>()).epsilon(1e-6));
    const auto* retention = find(indicators, "natural_coastline_retention_pct", "金州区");
    REQUIRE(retention != nullptr);
    CHECK((*retention)["value"].get<double>() ==
          Approx((*find(indicators, "natural_coastline_retention_pct"))["value"].get<double>()).epsilon(1e-9));
    CHECK((*retention)["value"].get<double>() > 20.0);
    CHECK((*retention)["value"].get<double>() < 21.0);
    // Between versions 5 and 6 only the coastline changed.
    for (const auto& c : doc["changes"]) {
        CHECK(c["kind"] == "coastline");
    }
    CHECK(doc["problems"].empty());
}

TEST_CASE("redline indicators: the demo's targets on the plan's last day, at risk but not failed",
          "[cli][indicators]") {
    ScratchDir dir("indicators-cli-targets");
    const auto ws = demo_with_coastline(dir);
    const auto r = run_cli({"indicators", ws.string(), "--targets", demo_targets, "--as-of", "2025-12-31", "--guard"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("[预警]") && Catch::Contains("大陆自然岸线保有率（金州区）") &&
                          Catch::Contains("[达标]") && Catch::Contains("约束性"));
    // Today the plan's period is over: only the standing red-line rule is in force.
    const auto today = run_cli({"indicators", ws.string(), "--targets", demo_targets, "--as-of", "2026-12-31",
                                "--format", "json", "--lang", "en"});
    const auto doc = nlohmann::json::parse(today.out);
    CHECK(doc["targets"]["checks"].size() == 1);
    CHECK(doc["targets"]["not_in_force"] == 2);
    CHECK(doc["targets"]["checks"][0]["status"] == "met");
}

TEST_CASE("redline indicators --guard: a red-line loss exits 1 naming the version, its basis and the zone",
          "[cli][indicators]") {
    ScratchDir dir("indicators-cli-guard");
    const auto ws = demo_with_coastline(dir);
    const auto changes = dir / "shrink.geojson";
    std::ofstream(changes) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"op":"replace","kind":"red_line","zone_id":"HX210213-002"},
 "geometry":{"type":"Polygon","coordinates":[[[121.705,39.05],[121.715,39.05],[121.715,39.06],[121.705,39.06],[121.705,39.05]]]}}
]})";
    const auto edit = run_cli({"edit", ws.string(), "--apply", changes.string(), "--basis", "辽政函〔2026〕12号",
                               "--note", "红线调整", "--author", "张三"});
    REQUIRE(edit.exit_code == 0);
    const auto guarded = run_cli({"indicators", ws.string(), "--guard"});
    CHECK(guarded.exit_code == 1);
    CHECK_THAT(guarded.err, Catch::Contains("生态保护红线面积减少") && Catch::Contains("版本 7") &&
                                Catch::Contains("辽政函〔2026〕12号") && Catch::Contains("HX210213-002"));
    CHECK_THAT(guarded.out, Catch::Contains("张三") && Catch::Contains("红线调整"));
    // Without --guard the same run exits 0; against version 6 itself nothing fell.
    CHECK(run_cli({"indicators", ws.string()}).exit_code == 0);
    CHECK(run_cli({"indicators", ws.string(), "--version", "6", "--guard"}).exit_code == 0);
    // The binding share target fails too when judged in the plan's period.
    const auto plan = run_cli(
        {"indicators", ws.string(), "--targets", demo_targets, "--as-of", "2025-12-31", "--guard", "--lang", "en"});
    CHECK(plan.exit_code == 1);
    CHECK_THAT(plan.err, Catch::Contains("binding target missed") && Catch::Contains("targets.toml:"));
}

TEST_CASE("redline indicators --since: the trend as CSV, and reports with a chart per indicator", "[cli][indicators]") {
    ScratchDir dir("indicators-cli-trend");
    const auto ws = demo_with_coastline(dir);
    const auto csv = run_cli({"indicators", ws.string(), "--since", "1", "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("version,version_time,id,name,kind,subzone,district,district_code,value,unit\n", 0) == 0);
    for (const char* version : {"\n1,", "\n3,", "\n6,"}) {
        CHECK(csv.out.find(version) != std::string::npos);
    }
    const auto html = dir / "指标.html", pdf = dir / "indicators.pdf";
    const auto reported = run_cli({"indicators", ws.string(), "--since", "3", "--targets", demo_targets, "--as-of",
                                   "2025-12-31", "--report", html.string(), "--report", pdf.string()});
    INFO(reported.err);
    REQUIRE(reported.exit_code == 0);
    const std::string page = test::read_file(html);
    CHECK_THAT(page, Catch::Contains("规划指标监测预警报告") && Catch::Contains("大陆自然岸线保有率") &&
                         Catch::Contains("口径"));
    // A chart per indicator of the whole workspace: land, red line 2, reserve 4, sources 4, coastline 3.
    std::size_t charts = 0;
    for (auto at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1)) {
        ++charts;
    }
    CHECK(charts == 14);
    CHECK(test::read_file(pdf).rfind("%PDF", 0) == 0);
    // The same in English.
    const auto english = dir / "en.html";
    REQUIRE(run_cli({"--lang", "en", "indicators", ws.string(), "--report", english.string()}).exit_code == 0);
    CHECK_THAT(test::read_file(english), Catch::Contains("Plan indicators: monitoring and early warning"));
}

TEST_CASE("redline indicators: bad input is named and nothing is written", "[cli][indicators]") {
    ScratchDir dir("indicators-cli-bad");
    const auto ws = test::build_demo_workspace(dir);
    const auto bad = dir / "targets.toml";
    std::ofstream(bad) << "[[target]]\nindicator = \"red_line_area_ha\"\ncomparison = \"less\"\ntype = \"binding\"\n"
                          "in_force_from = 2021-01-01\n";
    const auto out = dir / "out.json";
    const auto r = run_cli({"indicators", ws.string(), "--targets", bad.string(), "-o", out.string()});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("targets.toml:3") && Catch::Contains("less"));
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(run_cli({"indicators", ws.string(), "--version", "99"}).exit_code == 2);
    CHECK(run_cli({"indicators", ws.string(), "--since", "6"}).exit_code == 2);
    CHECK(run_cli({"indicators", ws.string(), "--by", "county"}).exit_code == 2);
    CHECK(run_cli({"indicators", ws.string(), "--report", (dir / "r.docx").string()}).exit_code == 2);
    // A workspace without districts cannot be measured by district.
    const auto units_only = dir / "units.gpkg";
    REQUIRE(
        run_cli({"import", "--kind", "red_line", (std::filesystem::path(test::demo_dir) / "red_lines.geojson").string(),
                 "--into", units_only.string()})
            .exit_code == 0);
    const auto no_districts = run_cli({"indicators", units_only.string(), "--by", "district"});
    CHECK(no_districts.exit_code == 3);
    CHECK_THAT(no_districts.err, Catch::Contains("redline import --kind district"));
    // Without a tiling kind there is no share, and the table says why.
    const auto no_land = run_cli({"indicators", units_only.string()});
    CHECK(no_land.exit_code == 0);
    CHECK_THAT(no_land.out, Catch::Contains("无法计算占比"));
}
