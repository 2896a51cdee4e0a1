// Hostile and careless use, from the command line: nothing unchecked may read as clear,
// nothing real may be dismissed, no secret may be shown.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

using namespace redline;
using test::run_cli;
using test::ScratchDir;

namespace {

const char* hebei = "POLYGON((116.40 39.90, 116.41 39.90, 116.41 39.91, 116.40 39.91, 116.40 39.90))";

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

TEST_CASE("a footprint the workspace cannot speak for is unchecked in every output, never clear", "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    const std::vector<std::string> check = {"check", "--zones", ws.string(), "--wkt", hebei, "--crs", "EPSG:4490"};

    auto json_args = check;
    json_args.insert(json_args.end(), {"--format", "json", "--report", (dir / "report.html").string()});
    const auto json = run_cli(json_args);
    CHECK(json.exit_code == 3);
    const auto doc = nlohmann::json::parse(json.out);
    REQUIRE(doc["footprints"].size() == 1);
    CHECK(doc["footprints"][0]["verdict"] == "unchecked");
    CHECK(doc["footprints"][0]["status"] == "unchecked");
    CHECK(doc["footprints"][0]["unchecked_reason"]["code"] == "check.outside_coverage");
    CHECK_THAT(read_all(dir / "report.html"), Catch::Contains("总体结论：未完成核查"));
    CHECK_THAT(read_all(dir / "report.html"), !Catch::Contains("总体结论：未涉及"));

    auto csv_args = check;
    csv_args.insert(csv_args.end(), {"--format", "csv"});
    const auto csv = run_cli(csv_args);
    CHECK(csv.exit_code == 3);
    CHECK_THAT(csv.out, Catch::Contains("未核查") && !Catch::Contains("未涉及"));

    const auto table = run_cli(check);
    CHECK_THAT(table.out, Catch::Contains("结论：未核查") && Catch::Contains("结论汇总：未核查 1"));

    // A workspace of red lines alone (no kind that tiles the area) records where its zones
    // are: a footprint in another province is unchecked, one inside the extent is checked.
    const auto red_only = dir / "red_only.gpkg";
    REQUIRE(run_cli({"import", "--kind", "red_line", std::string(test::demo_dir) + "/red_lines.geojson", "--into",
                     red_only.string()})
                .exit_code == 0);
    const auto far =
        run_cli({"check", "--zones", red_only.string(), "--wkt", hebei, "--crs", "EPSG:4490", "--format", "json"});
    CHECK(far.exit_code == 3);
    CHECK(nlohmann::json::parse(far.out)["footprints"][0]["unchecked_reason"]["code"] == "check.outside_extent");
    const auto near = run_cli({"check", "--zones", red_only.string(), "--wkt",
                               "POLYGON((121.85 39.15, 121.851 39.15, 121.851 39.151, 121.85 39.151, 121.85 39.15))",
                               "--crs", "EPSG:4490", "--format", "json"});
    CHECK(near.exit_code <= 1);
    CHECK(nlohmann::json::parse(near.out)["footprints"][0]["status"] == "checked");
}

TEST_CASE("a failed first import leaves no workspace behind", "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = dir / "new.gpkg";
    // Districts have no water-source level: the import fails with the field named.
    const auto r = run_cli({"import", "--kind", "water_source", std::string(test::demo_dir) + "/districts.geojson",
                            "--into", ws.string()});
    CHECK(r.exit_code == 3);
    CHECK_FALSE(std::filesystem::exists(ws));
}

TEST_CASE("a large overlap drawn as narrow strips is not dismissed as a sliver", "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    // 40 strips, 3.5 cm wide and 220 m long, inside the 大黑山 red line: about 300 m².
    std::string wkt = "MULTIPOLYGON(";
    for (int i = 0; i < 40; ++i) {
        char strip[160];
        const double x = 121.7120 + 0.00002 * i;
        std::snprintf(strip, sizeof strip, "%s((%.7f 39.052, %.7f 39.052, %.7f 39.054, %.7f 39.054, %.7f 39.052))",
                      i ? "," : "", x, x + 4e-7, x + 4e-7, x, x);
        wkt += strip;
    }
    wkt += ")";
    const auto r = run_cli({"check", "--zones", ws.string(), "--wkt", wkt, "--crs", "EPSG:4490", "--format", "json"});
    CHECK(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["footprints"][0]["verdict"] == "prohibited");
    bool overlapping_red_line = false;
    for (const auto& h : doc["footprints"][0]["hits"]) {
        overlapping_red_line = overlapping_red_line || (h["kind"] == "red_line" && h["relation"] == "within");
    }
    CHECK(overlapping_red_line);
}

TEST_CASE("a database password never appears in messages or outputs", "[cli][hardening]") {
    for (const std::string zones : {"PG:host=127.0.0.1 port=9 dbname=zones user=staff password=hunter2",
                                    "PG:host=127.0.0.1 port=9 dbname=zones user=staff password='hunter2 x'",
                                    "postgresql://staff:hunter2@127.0.0.1:9/zones"}) {
        INFO(zones);
        const auto check = run_cli({"check", "--zones", zones, "--wkt", hebei, "--crs", "EPSG:4490"});
        CHECK(check.exit_code == 3);
        CHECK_THAT(check.out + check.err, !Catch::Contains("hunter2"));
        const auto import = run_cli(
            {"import", "--kind", "red_line", std::string(test::demo_dir) + "/red_lines.geojson", "--into", zones});
        CHECK(import.exit_code == 3);
        CHECK_THAT(import.out + import.err, !Catch::Contains("hunter2"));
    }
}

TEST_CASE("no output replaces a file without --overwrite, and none is the workspace or an input", "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    const std::string site = "POLYGON((121.85 39.15, 121.851 39.15, 121.851 39.151, 121.85 39.151, 121.85 39.15))";
    std::ofstream(dir / "precious.json") << "precious";
    std::ofstream(dir / "precious.geojson") << "precious";
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"-o", (dir / "precious.json").string()},
          std::vector<std::string>{"--export-geojson", (dir / "precious.geojson").string()},
          std::vector<std::string>{"--report", (dir / "precious.json").string() + ".html"}}) {
        if (extra[0] == "--report") {
            std::ofstream(extra[1]) << "precious";
        }
        std::vector<std::string> args = {"check", "--zones", ws.string(), "--wkt", site, "--crs", "EPSG:4490"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = run_cli(args);
        INFO(extra[0]);
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("--overwrite"));
        CHECK(read_all(extra[1]) == "precious");
    }
    // With --overwrite it is replaced; the workspace itself never is.
    const auto replaced = run_cli({"check", "--zones", ws.string(), "--wkt", site, "--crs", "EPSG:4490", "-o",
                                   (dir / "precious.json").string(), "--overwrite", "--format", "json"});
    CHECK(replaced.exit_code <= 1);
    CHECK(read_all(dir / "precious.json") != "precious");
    const auto digest_before = run_cli({"log", ws.string()}).out;
    const auto onto_workspace = run_cli(
        {"check", "--zones", ws.string(), "--wkt", site, "--crs", "EPSG:4490", "-o", ws.string(), "--overwrite"});
    CHECK(onto_workspace.exit_code == 2);
    CHECK(run_cli({"log", ws.string()}).out == digest_before);

    // The outfall summary too.
    std::ofstream(dir / "register.csv") << "排污口编码,经度(CGCS2000),纬度(CGCS2000)\nA,121.76,39.42\n";
    std::ofstream(dir / "result.csv.summary.json") << "precious";
    const auto outfalls = run_cli(
        {"outfalls", "--zones", ws.string(), (dir / "register.csv").string(), "-o", (dir / "result.csv").string()});
    CHECK(outfalls.exit_code == 3);
    CHECK(read_all(dir / "result.csv.summary.json") == "precious");
    CHECK_FALSE(std::filesystem::exists(dir / "result.csv"));
}

TEST_CASE("a stored zone without geometry or with an unknown sub-zone is named, never skipped in silence",
          "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    // As a hand edit in a desktop GIS could leave them: 大黑山's red line without geometry,
    // one reserve zone with a sub-zone value the kind does not know.
    test::execute_sql(ws, "UPDATE zones SET geom = NULL WHERE zone_id = 'HX210213-002' AND version_to IS NULL");
    test::execute_sql(ws,
                      "UPDATE zones SET subzone = 'bogus' WHERE fid = (SELECT MIN(fid) FROM zones WHERE "
                      "kind = 'nature_reserve' AND version_to IS NULL)");
    const std::string site =
        "POLYGON((121.712 39.052, 121.713 39.052, 121.713 39.053, 121.712 39.053, 121.712 39.052))";

    // The zone without geometry is named in every check (where it lies is unknown); the
    // unknown sub-zone where a footprint meets that zone.
    const std::string in_reserve =
        "POLYGON((121.905 39.33, 121.906 39.33, 121.906 39.331, 121.905 39.331, 121.905 39.33))";
    const auto problem_named = [](const nlohmann::json& doc, const std::string& code, const std::string& word) {
        for (const auto& p : doc["problems"]) {
            if (p["message"]["code"] == code && p.dump().find(word) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    for (const auto& footprint : {site, in_reserve}) {
        const auto check =
            run_cli({"check", "--zones", ws.string(), "--wkt", footprint, "--crs", "EPSG:4490", "--format", "json"});
        INFO(footprint << '\n' << check.err);
        const auto doc = nlohmann::json::parse(check.out);
        CHECK(problem_named(doc, "store.zone_without_geometry", "HX210213-002"));
        CHECK(problem_named(doc, "check.unknown_subzone", "bogus") == (footprint == in_reserve));
        CHECK(check.exit_code == 3);
        CHECK_THAT(check.err, Catch::Contains("工作空间中有无法使用的分区"));
    }

    const auto table = run_cli({"check", "--zones", ws.string(), "--wkt", site, "--crs", "EPSG:4490"});
    CHECK_THAT(table.out + table.err, Catch::Contains("HX210213-002") && Catch::Contains("没有可用的几何"));

    const auto validate = run_cli({"validate", ws.string()});
    CHECK(validate.exit_code == 1);
    CHECK_THAT(validate.out, Catch::Contains("HX210213-002") && Catch::Contains("bogus"));

    const auto diff = run_cli({"diff", ws.string(), "1", "--format", "json"});
    CHECK_THAT(diff.out, Catch::Contains("store.zone_without_geometry") && Catch::Contains("HX210213-002"));

    std::ofstream(dir / "register.csv") << "排污口编码,经度(CGCS2000),纬度(CGCS2000)\nA,121.7125,39.0525\n";
    const auto outfalls = run_cli(
        {"outfalls", "--zones", ws.string(), (dir / "register.csv").string(), "-o", (dir / "result.csv").string()});
    CHECK_THAT(outfalls.out + outfalls.err, Catch::Contains("HX210213-002"));
    CHECK_THAT(read_all(dir / "result.csv.summary.json"), Catch::Contains("store.zone_without_geometry"));
}

TEST_CASE("text that is not UTF-8 is decoded or refused with its field named, and never breaks an output",
          "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    const std::string site = "[[121.712,39.052],[121.713,39.052],[121.713,39.053],[121.712,39.053],[121.712,39.052]]";
    const std::string footprint =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"name\":\"" +
        test::gbk("大连工地") + "\",\"id\":\"" + test::gbk("甲") +
        "1\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" +
        site + "]}}]}";

    // A GBK GeoJSON footprint: its name decoded, and the decoding said.
    std::ofstream(dir / "gbk.geojson", std::ios::binary) << footprint;
    const auto check = run_cli({"check", "--zones", ws.string(), (dir / "gbk.geojson").string(), "--format", "json"});
    INFO(check.err);
    CHECK(check.exit_code == 1);
    const auto doc = nlohmann::json::parse(check.out);
    CHECK(doc["footprints"][0]["name"] == "大连工地");
    CHECK(doc["footprints"][0]["id"] == "甲1");
    CHECK_THAT(doc["input"].dump(), Catch::Contains("GB18030"));

    // A GBK file name: valid JSON, the name shown with replacement characters.
    const auto gbk_name = dir / (test::gbk("工地") + ".geojson");
    std::ofstream(gbk_name, std::ios::binary) << footprint;
    const auto named = run_cli(
        {"check", "--zones", ws.string(), gbk_name.string(), "--format", "json", "-o", (dir / "named.json").string()});
    CHECK(named.exit_code == 1);
    CHECK_NOTHROW(nlohmann::json::parse(read_all(dir / "named.json")));

    // Zones are kept for years: a GBK layer is refused naming the field unless its
    // encoding is given, then decoded.
    const std::string zones = read_all(std::string(test::demo_dir) + "/red_lines.geojson");
    std::ofstream(dir / "gbk_red_lines.geojson", std::ios::binary) << test::gbk(zones);
    const auto ws2 = dir / "gbk.gpkg";
    const auto refused =
        run_cli({"import", "--kind", "red_line", (dir / "gbk_red_lines.geojson").string(), "--into", ws2.string()});
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err, Catch::Contains("HXMC") && Catch::Contains("--encoding"));
    CHECK_FALSE(std::filesystem::exists(ws2));
    const auto imported = run_cli({"import", "--kind", "red_line", (dir / "gbk_red_lines.geojson").string(), "--into",
                                   ws2.string(), "--encoding", "GBK"});
    CHECK(imported.exit_code == 0);
    const auto hit = run_cli({"check", "--zones", ws2.string(), (dir / "gbk.geojson").string(), "--format", "json"});
    CHECK_THAT(hit.out, Catch::Contains("大黑山水源涵养红线"));

    // A GBK note is refused before anything is written; one an older build stored does
    // not break the history.
    const auto versions_before = run_cli({"log", ws.string()}).out;
    const auto noted = run_cli({"import", "--kind", "red_line", (dir / "gbk_red_lines.geojson").string(), "--into",
                                ws.string(), "--encoding", "GBK", "--replace", "--note", test::gbk("调整")});
    CHECK(noted.exit_code == 2);
    CHECK_THAT(noted.err, Catch::Contains("--note"));
    CHECK(run_cli({"log", ws.string()}).out == versions_before);
    test::execute_sql(ws, "UPDATE redline_versions SET note = CAST(X'B5F7D5FB' AS TEXT) WHERE id = 1");
    const auto log = run_cli({"log", ws.string(), "--format", "json"});
    CHECK(log.exit_code == 0);
    CHECK_NOTHROW(nlohmann::json::parse(log.out));
}

TEST_CASE("a full disk leaves no result under the final name and an older one as it was", "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    {
        std::ofstream reg(dir / "register.csv");
        reg << "排污口编码,排污口名称,经度(CGCS2000),纬度(CGCS2000)\n";
        // Long names that do not compress: results far larger than the scratch records
        // (which hold no names), so the results are what meets the limit.
        std::mt19937 random(7);
        for (int i = 0; i < 5000; ++i) {
            std::string name;
            for (int k = 0; k < 400; ++k) {
                name += "0123456789abcdef"[random() % 16];
            }
            reg << "P" << i << "," << name << "," << 121.6 + (i % 100) * 0.004 << "," << 39.0 + (i / 100) * 0.002
                << '\n';
        }
    }
    for (const char* name : {"result.csv", "result.xlsx", "result.gpkg"}) {
        INFO(name);
        const auto result = dir / name;
        std::ofstream(result) << "older";
        const auto r = test::run_cli_with_file_limit(
            {"outfalls", "--zones", ws.string(), (dir / "register.csv").string(), "-o", result.string(), "--overwrite"},
            600);
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains(result.string()));
        CHECK(read_all(result) == "older");
        for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
            CHECK(entry.path().filename().string().find(".partial") == std::string::npos);
        }
    }
    // The main output of check too.
    const auto report = dir / "check.json";
    std::ofstream(report) << "older";
    const auto check = test::run_cli_with_file_limit(
        {"check", "--zones", ws.string(), "--wkt",
         "POLYGON((121.712 39.052, 121.713 39.052, 121.713 39.053, 121.712 39.053, 121.712 39.052))", "--crs",
         "EPSG:4490", "--format", "json", "-o", report.string(), "--overwrite"},
        4);
    CHECK(check.exit_code == 3);
    CHECK(read_all(report) == "older");
}

TEST_CASE("inputs are bounded (vertices per footprint, standard input) and environment errors are exit 3",
          "[cli][hardening]") {
    ScratchDir dir("hardening");
    const auto ws = test::build_demo_workspace(dir);
    // A self-intersecting zigzag of 300 000 vertices: refused at once under the default
    // budget, named, never repaired for minutes.
    {
        std::ofstream zigzag(dir / "zigzag.geojson");
        zigzag << R"({"type":"Feature","properties":{"name":"zigzag"},"geometry":{"type":"Polygon","coordinates":[[)";
        zigzag.precision(10);
        for (int i = 0; i < 300000; ++i) {
            zigzag << (i ? "," : "") << '[' << 121.70 + 0.02 * (i % 2) << ',' << 39.05 + 0.02 * i / 300000.0 << ']';
        }
        zigzag << ",[121.70,39.05]]]}}";
    }
    const auto huge = run_cli({"check", "--zones", ws.string(), (dir / "zigzag.geojson").string()});
    CHECK(huge.exit_code == 3);
    CHECK_THAT(huge.out, Catch::Contains("300001") && Catch::Contains("--max-vertices"));
    CHECK_THAT(huge.err, Catch::Contains("部分用地范围未能检查"));

    // A ring of two points GEOS cannot build: the feature is named and not checked (exit 3),
    // not an internal error.
    {
        std::ofstream two(dir / "two_points.geojson");
        two << R"({"type":"Feature","properties":{"name":"two"},"geometry":{"type":"Polygon",)"
            << R"("coordinates":[[[121.70,39.05],[121.71,39.05]]]}})";
    }
    const auto two = run_cli({"check", "--zones", ws.string(), (dir / "two_points.geojson").string()});
    CHECK(two.exit_code == 3);
    CHECK_THAT(two.out, Catch::Contains("two_points.geojson") && Catch::Contains("几何无法构成"));

    const std::string circle = test::circle_wkt(121.712, 39.052, 0.001, 200);
    const auto budget =
        run_cli({"check", "--zones", ws.string(), "--wkt", circle, "--crs", "EPSG:4490", "--max-vertices", "100"});
    CHECK(budget.exit_code == 3);
    CHECK_THAT(budget.out + budget.err, Catch::Contains("201") && Catch::Contains("--max-vertices"));
    CHECK(run_cli({"check", "--zones", ws.string(), "--wkt", circle, "--crs", "EPSG:4490"}).exit_code == 1);

    // Standard input is capped with a message saying what to do.
    const auto flood =
        run_cli({"check", "--zones", ws.string(), "-", "--crs", "EPSG:4490"}, std::string(65 << 20, ' ') + "x");
    CHECK(flood.exit_code == 3);
    CHECK_THAT(flood.err, Catch::Contains("64 MB"));

    // An output where none can be written: an environment error (3), not a bug (4).
    const auto unwritable = run_cli(
        {"check", "--zones", ws.string(), "--wkt", circle, "--crs", "EPSG:4490", "-o", "/proc/redline-result.json"});
    CHECK(unwritable.exit_code == 3);
    const auto too_long = run_cli({"check", "--zones", ws.string(), "--wkt", circle, "--crs", "EPSG:4490", "-o",
                                   (dir / (std::string(300, 'x') + ".json")).string()});
    CHECK(too_long.exit_code == 3);
}
