// `redline edit`: a change file applied as one version, guarded like the viewer's saves.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

using namespace redline;
using test::run_cli;
using test::ScratchDir;

TEST_CASE("redline edit applies a change file as one version, red-line loss needs --basis", "[cli][edit]") {
    ScratchDir dir("edit-cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto changes = dir / "changes.geojson";
    std::ofstream(changes) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"op":"replace","kind":"red_line","zone_id":"HX210213-002"},
 "geometry":{"type":"Polygon","coordinates":[[[121.705,39.05],[121.715,39.05],[121.715,39.06],[121.705,39.06],[121.705,39.05]]]}},
{"type":"Feature","properties":{"op":"fields","kind":"red_line","zone_id":"HX210213-001","HXMC":"小黑山红线（更名）"},"geometry":null}
]})";
    const std::string log_before = run_cli({"log", ws.string()}).out;

    const auto dry = run_cli({"edit", ws.string(), "--apply", changes.string(), "--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK_THAT(dry.out, Catch::Contains("--basis"));
    const auto refused = run_cli({"edit", ws.string(), "--apply", changes.string()});
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err, Catch::Contains("调整依据") && Catch::Contains("HX210213-002"));
    CHECK(run_cli({"log", ws.string()}).out == log_before);

    const auto saved = run_cli({"edit", ws.string(), "--apply", changes.string(), "--basis", "辽政函〔2026〕12号",
                                "--note", "红线调整", "--author", "张三"});
    INFO(saved.err);
    CHECK(saved.exit_code == 0);
    const auto log = run_cli({"log", ws.string()});
    CHECK_THAT(log.out, Catch::Contains("调整依据：辽政函〔2026〕12号") && Catch::Contains("编辑人 张三"));
    const auto json = nlohmann::json::parse(run_cli({"log", ws.string(), "--format", "json"}).out);
    const auto& last = json["versions"].back();
    CHECK(last["operation"] == "edit");
    CHECK(last["basis"] == "辽政函〔2026〕12号");
    const int version = last["id"];
    const auto diff = run_cli({"diff", ws.string(), std::to_string(version - 1), std::to_string(version)});
    CHECK_THAT(diff.out, Catch::Contains("调整依据：辽政函〔2026〕12号") && Catch::Contains("小黑山红线（更名）"));

    // The renamed zone is what check reports now.
    const auto check = run_cli({"check", "--zones", ws.string(), "--wkt",
                                "POLYGON((121.9 39.33, 121.901 39.33, 121.901 39.331, 121.9 39.331, 121.9 39.33))",
                                "--crs", "EPSG:4490", "--format", "json"});
    CHECK_THAT(check.out, Catch::Contains("小黑山红线（更名）"));

    // A change file that is not one is refused naming the feature.
    std::ofstream(dir / "bad.geojson") << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"op":"move","kind":"red_line","zone_id":"HX210213-001"},"geometry":null}]})";
    const auto bad = run_cli({"edit", ws.string(), "--apply", (dir / "bad.geojson").string()});
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::Contains("move") && Catch::Contains("bad.geojson"));
}
