// The `redline` command as a user runs it: exit codes, output formats, error messages.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmath>
#include <csignal>
#include <fstream>

using namespace redline;
using test::run_cli;
using test::ScratchDir;

namespace {

const std::string demo_footprints = std::string(test::demo_dir) + "/footprints.geojson";

const nlohmann::json* footprint_by_id(const nlohmann::json& doc, const std::string& id) {
    for (const auto& f : doc["footprints"]) {
        if (f["id"] == id) {
            return &f;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("every subcommand has --help", "[cli]") {
    for (const char* sub : {"import", "check", "log", "kinds", "rules", "convert", "outfalls", "validate", "diff"}) {
        INFO(sub);
        const auto r = run_cli({sub, "--help"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains(sub));
    }
    const auto r = run_cli({"--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("check") && Catch::Contains("import"));
}

TEST_CASE("help speaks the language of --lang", "[cli]") {
    struct Help {
        std::vector<std::string> command;
        std::string zh, en;  // one text of the help (an option's description where there is one)
    };
    const std::vector<Help> helps = {
        {{"import"}, "工作空间 GeoPackage；不存在时新建", "Workspace GeoPackage; created when missing"},
        {{"check"}, "面积不超过此值（m²）的重叠按仅接触计", "Overlaps up to this area (m²) count as touches"},
        {{"log"}, "table（默认）或 json", "table (default) or json"},
        {{"kinds"}, "列出分区类型及其分区和字段别名", "List the zone kinds, sub-zones and field aliases"},
        {{"rules"},
         "完整显示一条规则：条件、结论、依据及其沿革",
         "Show one rule in full: conditions, verdict, basis and its history"},
        {{"rules", "list"}, "只列出此分区类型的规则", "Only the rules of this zone kind"},
        {{"convert"}, "TXT 坐标的小数位数", "Decimals of TXT coordinates"},
        {{"outfalls"},
         "同一受纳水体上相距不超过此距离（m）的排污口归入同一合并组",
         "Outfalls on the same receiving water this close (m) form a merge group"},
        {{"validate"}, "面积小于此值（m²）的重叠和缝隙忽略不计", "Overlaps and gaps below this area (m²) are ignored"},
        {{"diff"}, "增减面积小于此值（m²）时视为噪声", "Areas gained or lost below this (m²) are noise"},
    };
    for (const auto& help : helps) {
        std::vector<std::string> args = help.command;
        args.push_back("--help");
        INFO(help.command.front() << (help.command.size() > 1 ? " " + help.command.back() : std::string()));
        const auto zh = run_cli(args);
        CHECK(zh.exit_code == 0);
        CHECK_THAT(zh.out, Catch::Contains(help.zh) && !Catch::Contains(help.en));
        CHECK_THAT(zh.out, Catch::Contains("用法：redline") && Catch::Contains("显示本帮助并退出") &&
                               !Catch::Contains("Usage:") && !Catch::Contains("Options:"));
        args.insert(args.begin(), {"--lang", "en"});
        const auto en = run_cli(args);
        CHECK(en.exit_code == 0);
        CHECK_THAT(en.out, Catch::Contains(help.en) && !Catch::Contains(help.zh));
        CHECK_THAT(en.out, Catch::Contains("Usage: redline") && !Catch::Contains("用法"));
    }

    // Chinese help says every option with a Chinese text in Chinese, shared texts and groups included.
    const auto check = run_cli({"check", "--help"}).out;
    for (const char* english : {"Write to this file instead of standard output", "Apply the law in force",
                                "Local rule file over the national defaults", "Gauss-Kruger zone of eastings",
                                "Activity (rules key on these", "Input:", "Exit codes:"}) {
        CHECK_THAT(check, !Catch::Contains(english));
    }
    CHECK_THAT(check, Catch::Contains("写入此文件，而不是标准输出") && Catch::Contains("法律适用日期") &&
                          Catch::Contains("\n输入：\n") && Catch::Contains("\n位置参数：\n"));
    // The description column is found by the columns a line takes, not its bytes: 必填 takes four.
    CHECK_THAT(check, Catch::Contains("  --zones TEXT 必填" + std::string(11, ' ') + "由 `redline import`"));
    // --lang=en, and --lang after the subcommand, as CLI11 takes them too.
    CHECK_THAT(run_cli({"--lang=en", "check", "--help"}).out,
               Catch::Contains("Write to this file instead of standard output"));
    CHECK_THAT(run_cli({"check", "--lang", "en", "--help"}).out, Catch::Contains("Usage: redline check [OPTIONS]"));
    CHECK_THAT(run_cli({"--lang", "zh", "--help"}).out, Catch::Contains("用法：redline [选项] 子命令"));
}

TEST_CASE("usage errors exit 2", "[cli]") {
    CHECK(run_cli({}).exit_code == 2);
    CHECK(run_cli({"check"}).exit_code == 2);
    CHECK(run_cli({"check", "--zones", "x.gpkg", "--format", "xml", "a.geojson"}).exit_code == 2);
    const auto r = run_cli({"import", "--kind", "redline", demo_footprints, "--into", "/tmp/never.gpkg"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("未知的分区类型“redline”") && Catch::Contains("red_line"));
}

TEST_CASE("the demo screening: JSON schema, figures and exit code 1", "[cli][demo]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto r = run_cli({"check", "--zones", ws.string(), demo_footprints, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["tool"]["name"] == "redline");
    CHECK(doc["workspace"]["version"] == 6);
    CHECK(doc["workspace"]["digest"].get<std::string>().rfind("sha256:", 0) == 0);
    CHECK(doc["input"]["crs"] == "EPSG:4326");
    CHECK(doc["footprints"].size() == 5);
    CHECK(doc["problems"].is_array());

    const auto* parcel = footprint_by_id(doc, "P1");
    REQUIRE(parcel != nullptr);
    CHECK((*parcel)["conflict"] == true);
    bool level2 = false;
    for (const auto& hit : (*parcel)["hits"]) {
        for (const char* key : {"kind", "subzone", "zone_id", "zone_code", "zone_name", "relation", "overlap_area_m2",
                                "overlap_ratio", "inside_length_m", "distance_m"}) {
            CHECK(hit.contains(key));
        }
        if (hit["kind"] == "water_source" && hit["subzone"] == "level2") {
            level2 = true;
            CHECK(hit["relation"] == "overlaps");
            CHECK(hit["overlap_area_m2"].get<double>() > 1000);
            CHECK(hit["overlap_area_ha"].get<double>() ==
                  Approx(hit["overlap_area_m2"].get<double>() / 10000).margin(1e-6));
        }
    }
    CHECK(level2);

    const auto* pipeline = footprint_by_id(doc, "P2");
    REQUIRE(pipeline != nullptr);
    CHECK((*pipeline)["geometry_type"] == "LineString");
    const auto& first = (*pipeline)["hits"][0];
    CHECK(first["kind"] == "red_line");
    CHECK(first["inside_length_m"].get<double>() > 500);

    const auto* clear = footprint_by_id(doc, "P3");
    REQUIRE(clear != nullptr);
    CHECK((*clear)["conflict"] == false);
    for (const auto& hit : (*clear)["hits"]) {
        CHECK((hit["kind"] == "control_unit" || hit["kind"] == "district"));
    }

    const auto* outfall = footprint_by_id(doc, "P4");
    REQUIRE(outfall != nullptr);
    bool near = false;
    for (const auto& hit : (*outfall)["hits"]) {
        if (hit["relation"] == "near") {
            near = true;
            CHECK(hit["kind"] == "water_source");
            CHECK(hit["distance_m"].get<double>() > 0);
            CHECK(hit["distance_m"].get<double>() < 1000);
        }
    }
    CHECK(near);
}

TEST_CASE("the terminal table speaks Chinese by default and English on request", "[cli][demo]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto zh = run_cli({"check", "--zones", ws.string(), demo_footprints});
    CHECK(zh.exit_code == 1);
    CHECK_THAT(zh.out, Catch::Contains("二级保护区") && Catch::Contains("部分重叠") && Catch::Contains("结论：禁止") &&
                           Catch::Contains("第六十六条") && Catch::Contains("空间布局约束"));
    const auto en = run_cli({"--lang", "en", "check", "--zones", ws.string(), demo_footprints});
    CHECK(en.exit_code == 1);
    CHECK_THAT(en.out, Catch::Contains("level 2 protection zone") && Catch::Contains("overlaps") &&
                           Catch::Contains("verdict: prohibited") && Catch::Contains("Art. 66"));
}

TEST_CASE("a clear footprint exits 0 and --wkt needs --crs", "[cli][demo]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const std::string clear =
        "POLYGON((121.749 39.449, 121.751 39.449, 121.751 39.451, 121.749 39.451, 121.749 39.449))";
    // Clear of every protected zone, in a general unit whose lists prohibit named industries:
    // clear for a research centre built new, undecided until the industry is given.
    const auto ok = run_cli({"check", "--zones", ws.string(), "--wkt", clear, "--crs", "EPSG:4490", "--industry",
                             "M7310", "--scale", "new"});
    CHECK(ok.exit_code == 0);
    const auto unstated = run_cli({"check", "--zones", ws.string(), "--wkt", clear, "--crs", "EPSG:4490"});
    CHECK(unstated.exit_code == 1);
    CHECK_THAT(unstated.out, Catch::Contains("control_unit.access_judgement") && Catch::Contains("--industry"));
    const auto no_crs = run_cli({"check", "--zones", ws.string(), "--wkt", clear});
    CHECK(no_crs.exit_code == 2);
    CHECK_THAT(no_crs.err, Catch::Contains("--crs"));
    const auto from_stdin = run_cli({"check", "--zones", ws.string(), "-", "--crs", "EPSG:4490", "--industry", "M7310",
                                     "--scale", "new", "--format", "json"},
                                    clear);
    CHECK(from_stdin.exit_code == 0);
    CHECK(nlohmann::json::parse(from_stdin.out)["footprints"].size() == 1);
}

TEST_CASE("data errors exit 3 and name the file", "[cli]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto missing = run_cli({"check", "--zones", ws.string(), (dir / "nope.geojson").string()});
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.err, Catch::Contains("nope.geojson"));

    const auto no_workspace = run_cli({"check", "--zones", (dir / "none.gpkg").string(), demo_footprints});
    CHECK(no_workspace.exit_code == 3);
    CHECK_THAT(no_workspace.err, Catch::Contains("找不到工作空间") && Catch::Contains("redline import"));
    const auto no_workspace_en =
        run_cli({"--lang", "en", "check", "--zones", (dir / "none.gpkg").string(), demo_footprints});
    CHECK_THAT(no_workspace_en.err, Catch::Contains("workspace not found") && Catch::Contains("redline import"));

    const auto shp = dir / "site.shp";
    test::write_layer(shp, "ESRI Shapefile", 0, {{"POLYGON((121.8 39.1, 121.81 39.1, 121.81 39.11, 121.8 39.1))", {}}});
    const auto no_crs = run_cli({"check", "--zones", ws.string(), shp.string()});
    CHECK(no_crs.exit_code == 3);
    CHECK_THAT(no_crs.err,
               Catch::Contains("site.shp") && Catch::Contains("没有坐标参考系") && Catch::Contains("--crs"));

    // A failed run leaves no output file, not even a partial one; a wrong extension is refused first.
    const auto failed_output = run_cli({"check", "--zones", ws.string(), (dir / "nope.geojson").string(), "-o",
                                        (dir / "out.json").string(), "--format", "json"});
    CHECK(failed_output.exit_code == 3);
    CHECK_FALSE(std::filesystem::exists(dir / "out.json"));
    CHECK_FALSE(std::filesystem::exists(dir / "out.json.partial"));
    const auto wrong_extension = run_cli({"validate", ws.string(), "--errors-gpkg", (dir / "errors.shp").string()});
    CHECK(wrong_extension.exit_code == 2);
    CHECK_THAT(wrong_extension.err, Catch::Contains("errors.shp") && Catch::Contains(".gpkg"));

    const auto truncated = dir / "truncated.geojson";
    std::ofstream(truncated)
        << R"({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Poly)";
    const auto bad = run_cli({"check", "--zones", ws.string(), truncated.string()});
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::Contains("truncated.geojson"));
}

TEST_CASE("a footprint that cannot be used is listed and the run exits 3", "[cli]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto input = dir / "mixed.geojson";
    test::write_layer(input, "GeoJSON", 4326,
                      {{"POLYGON((121.749 39.449, 121.751 39.449, 121.751 39.451, 121.749 39.451, 121.749 39.449))",
                        {{"id", "good"}}},
                       {"", {{"id", "empty"}}}});
    const auto r = run_cli({"check", "--zones", ws.string(), input.string(), "--format", "json"});
    CHECK(r.exit_code == 3);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["footprints"].size() == 1);
    REQUIRE(doc["problems"].size() == 1);
    CHECK(doc["problems"][0]["severity"] == "error");
    CHECK(doc["problems"][0]["feature"]["code"] == "where.feature");
    CHECK(doc["problems"][0]["feature"]["args"]["id"] == "empty");
    CHECK(doc["problems"][0]["message"]["code"] == "input.not_checked");
    CHECK(doc["problems"][0]["message"]["args"]["why"]["code"] == "geometry.empty");
    CHECK_THAT(doc["problems"][0]["message"]["text"].get<std::string>(), Catch::Contains("几何为空或缺失"));
}

TEST_CASE("import and log from the command line", "[cli]") {
    ScratchDir dir("cli");
    const auto ws = (dir / "ws.gpkg").string();
    const auto r = run_cli({"import", "--kind", "water_source", std::string(test::demo_dir) + "/water_sources.geojson",
                            "--into", ws, "--note", "首次导入"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("版本 1") && Catch::Contains("subzone←BHQJB"));
    const auto log = run_cli({"log", ws, "--format", "json"});
    REQUIRE(log.exit_code == 0);
    const auto doc = nlohmann::json::parse(log.out);
    REQUIRE(doc["versions"].size() == 1);
    CHECK(doc["versions"][0]["note"] == "首次导入");
    CHECK(doc["versions"][0]["features_added"] == 6);
}

TEST_CASE("an import killed while writing leaves the workspace at its previous version", "[cli][workspace]") {
    ScratchDir dir("cli");
    const auto ws_path = dir / "ws.gpkg";
    REQUIRE(run_cli({"import", "--kind", "red_line", std::string(test::demo_dir) + "/red_lines.geojson", "--into",
                     ws_path.string()})
                .exit_code == 0);
    const auto before = Workspace::open(ws_path).current_version();
    REQUIRE(before);

    // A layer big enough that writing it takes a while.
    std::vector<test::FixtureFeature> features;
    for (int i = 0; i < 4000; ++i) {
        const std::string wkt = test::circle_in_cell(i);
        features.push_back({wkt, {{"HXMC", "红线 " + std::to_string(i)}}});
    }
    const auto big = dir / "big.gpkg";
    test::write_layer(big, "GPKG", 4490, features);

    // Kill it once SQLite's rollback journal shows a write transaction under way.
    const auto journal = std::filesystem::path(ws_path.string() + "-journal");
    REQUIRE(test::kill_redline_while_writing(
        {"import", "--kind", "red_line", big.string(), "--into", ws_path.string(), "--replace"},
        [&] { return std::filesystem::exists(journal); }));

    const Workspace ws = Workspace::open(ws_path);
    const auto after = ws.current_version();
    REQUIRE(after);
    CHECK(after->id == before->id);
    CHECK(after->workspace_digest == before->workspace_digest);
    CHECK(ws.zone_counts_by_kind().at("red_line") == 3);
}

TEST_CASE("verdicts and cited rules in the JSON output", "[cli][rules]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto r = run_cli({"check", "--zones", ws.string(), demo_footprints, "--format", "json", "--discharges", "no",
                            "--industry", "物流", "--as-of", "2026-12-01"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["schema_version"] == 4);
    CHECK(doc["rule_set"]["digest"].get<std::string>().rfind("sha256:", 0) == 0);
    CHECK(doc["rule_set"]["files"].size() >= 7);
    CHECK(doc["rule_set"]["legal_date"] == "2026-12-01");
    bool code_applied = false;
    for (const auto& text : doc["rule_set"]["texts"]) {
        CHECK(text["id"] != "wpl2017");  // repealed on 2026-08-14
        code_applied = code_applied || (text["id"] == "code" && text["in_force_from"] == "2026-08-15");
    }
    CHECK(code_applied);

    // A clean logistics park reaching into the level 2 zone is conditional, with the requirement.
    const auto* parcel = footprint_by_id(doc, "P1");
    REQUIRE(parcel != nullptr);
    CHECK((*parcel)["verdict"] == "conditional");
    CHECK((*parcel)["activity"]["activity"] == "construction");
    CHECK((*parcel)["activity"]["discharges"] == false);
    CHECK((*parcel)["activity"]["sources"]["discharges"]["code"] == "facts.from_option");
    CHECK((*parcel)["activity"]["sources"]["discharges"]["args"]["option"] == "--discharges");
    bool level2 = false;
    for (const auto& hit : (*parcel)["hits"]) {
        CHECK(hit.contains("verdict"));
        if (hit["subzone"] == "level2") {
            level2 = true;
            CHECK(hit["verdict"] == "conditional");
            REQUIRE(hit["rules"].size() == 1);
            const auto& rule = hit["rules"][0];
            CHECK(rule["id"] == "water_source.level2.construction");
            CHECK(rule["verdict"] == "conditional");
            CHECK_THAT(rule["basis"].get<std::string>(), Catch::Contains("《生态环境法典》第三百二十条"));
            CHECK(rule["citations"][0]["source"] == "code");
            CHECK(rule["citations"][0]["article"] == "320");
            CHECK(rule["citations"][0]["verified"] == true);
            CHECK(rule["in_force"]["from"] == "2026-08-15");
            REQUIRE(rule["history"].size() == 1);
            CHECK_THAT(rule["history"][0].get<std::string>(), Catch::StartsWith("原《水污染防治法》第六十六条"));
            CHECK(rule["verified"] == true);
            CHECK_FALSE(rule["requires"].get<std::string>().empty());
            CHECK(rule["message"].get<std::string>().find("二级保护区") != std::string::npos);
        }
        if (hit["kind"] == "control_unit") {
            REQUIRE(hit["access_list"].size() == 4);
            CHECK(hit["access_list"][0]["label"] == "空间布局约束");
        }
    }
    CHECK(level2);

    // The clear site is allowed (a general unit), which is no conflict.
    const auto* clear = footprint_by_id(doc, "P3");
    CHECK((*clear)["verdict"] == "allowed");
    CHECK((*clear)["conflict"] == false);
}

TEST_CASE("facts from input attributes, English messages, a local rule file stamped in the output", "[cli][rules]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto outfalls = dir / "outfalls.geojson";
    // Inside 卧龙水库's level 1 zone, and 600 m outside its level 2 ring.
    test::write_layer(outfalls, "GeoJSON", 4326,
                      {{"POINT(121.830 39.160)", {{"id", "O1"}, {"活动类型", "现有排污口"}, {"排污口类型", "工业"}}},
                       {"POINT(121.750 39.450)", {{"id", "O2"}, {"活动类型", "新建排污口"}}}});
    const auto local = dir / "local.toml";
    std::ofstream(local) << R"TOML([[rule]]
id = "local.general_unit.outfall_new"
kind = "control_unit"
subzones = ["general"]
activities = ["outfall-new"]
verdict = "conditional"
message_zh = "一般管控单元内新建排污口须备案。"
message_en = "A new outfall in a general unit must be filed."
basis_zh = "地方规定（示例）"
basis_en = "local rule (example)"
requires_zh = "向生态环境主管部门备案。"
requires_en = "File with the environment authority."
)TOML";
    const auto r = run_cli({"--lang", "en", "check", "--zones", ws.string(), outfalls.string(), "--format", "json",
                            "--rules", local.string(), "--as-of", "2026-12-01"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["rule_set"]["files"].back()["local"] == true);
    const auto* o1 = footprint_by_id(doc, "O1");
    REQUIRE(o1 != nullptr);
    CHECK((*o1)["verdict"] == "prohibited");
    CHECK((*o1)["activity"]["activity"] == "outfall-existing");
    CHECK((*o1)["activity"]["sources"]["activity"]["text"] == "attribute 活动类型");
    const auto& first = (*o1)["hits"][0];
    CHECK(first["subzone"] == "level1");
    CHECK(first["rules"][0]["id"] == "water_source.protection_zone.outfall_existing");
    CHECK(first["rules"][0]["action"] == "close");
    CHECK_THAT(
        first["rules"][0]["basis"].get<std::string>(),
        Catch::Contains("Ecological Environment Code, Art. 318; penalty: Ecological Environment Code, Art. 1109(2)"));
    CHECK_THAT(first["rules"][0]["history"][0].get<std::string>(),
               Catch::StartsWith("formerly Water Pollution Prevention and Control Law, Art. 64"));
    const auto* o2 = footprint_by_id(doc, "O2");
    REQUIRE(o2 != nullptr);
    CHECK((*o2)["verdict"] == "conditional");
    CHECK((*o2)["hits"][0]["rules"][0]["id"] == "local.general_unit.outfall_new");
}

TEST_CASE("redline rules list, show and check", "[cli][rules]") {
    const auto list = run_cli({"rules", "list", "--kind", "water_source"});
    CHECK(list.exit_code == 0);
    CHECK_THAT(list.out, Catch::Contains("water_source.level1.construction") && !Catch::Contains("red_line.linear"));
    const auto show = run_cli({"rules", "show", "red_line.linear"});
    CHECK(show.exit_code == 0);
    CHECK_THAT(show.out, Catch::Contains("必须且无法避让") && Catch::Contains("142号"));
    CHECK(run_cli({"rules", "show", "no.such.rule"}).exit_code == 3);
    const auto ok = run_cli({"rules", "check"});
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::Contains("0 个问题"));

    ScratchDir dir("cli");
    std::ofstream(dir / "bad.toml") << "[[rule]]\nid = \"x\"\nkind = \"red_line\"\nverdict = \"maybe\"\n";
    const auto bad = run_cli({"rules", "check", (dir / "bad.toml").string()});
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::Contains("bad.toml:4") && Catch::Contains("结论“maybe”"));
    const auto bad_en = run_cli({"--lang", "en", "rules", "check", (dir / "bad.toml").string()});
    CHECK_THAT(bad_en.err, Catch::Contains("bad.toml:4") && Catch::Contains("verdict 'maybe'"));
    const auto check_with_bad = run_cli({"check", "--zones", "x.gpkg", "--wkt", "POINT(121 39)", "--crs", "EPSG:4490",
                                         "--rules", (dir / "bad.toml").string()});
    CHECK(check_with_bad.exit_code == 3);
    CHECK(
        run_cli({"check", "--zones", "x.gpkg", "--wkt", "POINT(121 39)", "--crs", "EPSG:4490", "--activity", "mining"})
            .exit_code == 2);
}

TEST_CASE("the law of a day: --as-of, the rules in force, their history and what is still to verify", "[cli][rules]") {
    const auto old_list = run_cli({"rules", "list", "--kind", "nature_reserve", "--as-of", "2025-06-01"});
    CHECK(old_list.exit_code == 0);
    CHECK_THAT(old_list.out, Catch::Contains("法律适用日期 2025-06-01") &&
                                 Catch::Contains("nature_reserve.core_buffer.construction") &&
                                 !Catch::Contains("nature_reserve.core_protection.construction"));
    const auto new_list = run_cli({"rules", "list", "--kind", "nature_reserve", "--as-of", "2026-12-01"});
    CHECK_THAT(new_list.out, Catch::Contains("nature_reserve.core_protection.construction") &&
                                 !Catch::Contains("core_buffer.construction") && Catch::Contains("（待核实）"));
    const auto show = run_cli({"rules", "show", "water_source.protection_zone.outfall_new", "--as-of", "2026-12-01"});
    CHECK(show.exit_code == 0);
    CHECK_THAT(show.out, Catch::Contains("依据      2026-08-15 –  《生态环境法典》第三百一十八条") &&
                             Catch::Contains("沿革      2018-01-01 – 2026-08-14  《水污染防治法》第六十四条") &&
                             Catch::Contains("十万元以上五十万元以下"));
    const auto status = run_cli({"rules", "verify-status"});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("《自然保护区条例》（2026年）第二十七条") &&
                               Catch::Contains("nature_reserve.general_control.construction") &&
                               Catch::Contains("layers/legal_sources.toml") &&
                               !Catch::Contains("《生态环境法典》第三百一十八条"));
    // A day the defaults do not reach, and a day that is not one: usage errors.
    const auto early = run_cli(
        {"check", "--zones", "x.gpkg", "--wkt", "POINT(121 39)", "--crs", "EPSG:4490", "--as-of", "2023-06-01"});
    CHECK(early.exit_code == 2);
    CHECK_THAT(early.err, Catch::Contains("2024-01-01") && Catch::Contains("本地规则文件"));
    CHECK(run_cli({"rules", "list", "--as-of", "2026-02-30"}).exit_code == 2);
    CHECK(run_cli({"outfalls", "--zones", "x.gpkg", "r.csv", "-o", "o.csv", "--as-of", "tomorrow"}).exit_code == 2);

    // A reserve drawn in the three zones of 2017: today its 缓冲区 is a core protection
    // zone and says so; under the law of 2025 it is the buffer zone it was.
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    auto hit_in_buffer = [&](const std::string& as_of) {
        const auto r = run_cli({"check", "--zones", ws.string(), "--wkt", "POINT(121.880 39.330)", "--crs", "EPSG:4490",
                                "--activity", "construction", "--format", "json", "--as-of", as_of});
        INFO(r.err);
        REQUIRE(r.exit_code == 1);
        const auto doc = nlohmann::json::parse(r.out);
        CHECK(doc["rule_set"]["legal_date"] == as_of);
        for (const auto& hit : doc["footprints"][0]["hits"]) {
            if (hit["kind"] == "nature_reserve" && hit["relation"] == "within") {
                return hit;
            }
        }
        FAIL("no reserve hit");
        return nlohmann::json();
    };
    const auto today = hit_in_buffer("2026-12-01");
    CHECK(today["subzone"] == "core_protection");
    CHECK(today["subzone_source"] == "缓冲区");
    CHECK(today["subzone_as_of"] == "core_protection");
    CHECK(today["verdict"] == "prohibited");
    CHECK(today["rules"][0]["id"] == "nature_reserve.core_protection.construction");
    const auto then = hit_in_buffer("2025-06-01");
    CHECK(then["subzone_as_of"] == "buffer");
    CHECK(then["rules"][0]["id"] == "nature_reserve.core_buffer.construction");
    CHECK_THAT(then["rules"][0]["basis"].get<std::string>(), Catch::StartsWith("《自然保护区条例》（2017年）"));
    const auto table = run_cli({"check", "--zones", ws.string(), "--wkt", "POINT(121.880 39.330)", "--crs", "EPSG:4490",
                                "--as-of", "2026-12-01"});
    CHECK_THAT(table.out,
               Catch::Contains("核心保护区（原数据：缓冲区）") && Catch::Contains("法律适用日期 2026-12-01"));
}

TEST_CASE("import reads a sub-zone value as another sub-zone with --map subzone:VALUE=ID", "[cli][workspace]") {
    ScratchDir dir("cli");
    const auto ws = dir / "ws.gpkg";
    const auto r =
        run_cli({"import", "--kind", "nature_reserve", std::string(test::demo_dir) + "/nature_reserve.geojson",
                 "--into", ws.string(), "--map", "subzone:缓冲区=general_control"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("general_control") && Catch::Contains("core_protection"));
    std::map<std::string, std::string> stored;  // source value -> sub-zone
    for (const auto& zone : Workspace::open(ws).load_zones()) {
        stored[zone.attributes.at(subzone_source_attribute)] = zone.subzone;
    }
    CHECK(stored.at("核心区") == "core_protection");
    CHECK(stored.at("缓冲区") == "general_control");
    CHECK(stored.at("实验区") == "general_control");
    const auto bad =
        run_cli({"import", "--kind", "nature_reserve", std::string(test::demo_dir) + "/nature_reserve.geojson",
                 "--into", (dir / "other.gpkg").string(), "--map", "subzone:缓冲区=buffer"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("不是 nature_reserve 类的现行分区"));
}

TEST_CASE("coordinates that cannot be placed are refused with the option that settles it", "[cli][inputs]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    std::ofstream(dir / "points.csv") << "编码,经度,纬度\nA,121.97,39.205\n";
    const auto no_datum = run_cli({"check", "--zones", ws.string(), (dir / "points.csv").string()});
    CHECK(no_datum.exit_code == 2);
    CHECK_THAT(no_datum.err, Catch::Contains("--from gcj02"));
    const auto with_datum = run_cli(
        {"check", "--zones", ws.string(), (dir / "points.csv").string(), "--from", "gcj02", "--format", "json"});
    CHECK(with_datum.exit_code <= 1);
    CHECK_THAT(with_datum.out, Catch::Contains("gcj02"));
    // Eastings in zone 41 read as zone 40 land in Hebei: outside the workspace, exit 3.
    std::ofstream(dir / "corners.csv") << "地块编号,X,Y\nD,4338468.121,400814.410\nD,4338468.121,401214.410\n"
                                          "D,4338868.121,401214.410\n";
    const auto wrong_zone = run_cli({"check", "--zones", ws.string(), (dir / "corners.csv").string(), "--zone", "40"});
    CHECK(wrong_zone.exit_code == 3);
    CHECK_THAT(wrong_zone.out, Catch::Contains("位于工作空间覆盖范围之外"));
    const auto right_zone = run_cli({"check", "--zones", ws.string(), (dir / "corners.csv").string(), "--zone", "41"});
    CHECK(right_zone.exit_code == 1);
}

TEST_CASE("redline validate: a workspace, a source layer, and what it needs to know", "[cli][validate]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto gpkg = dir / "findings.gpkg";
    const auto r = run_cli({"validate", ws.string(), "--kind", "control_unit", "--errors-gpkg", gpkg.string()});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);  // the demo units overlap by about a square metre
    CHECK_THAT(r.out, Catch::Contains("重叠") && Catch::Contains("环境管控单元"));
    CHECK(std::filesystem::exists(gpkg));

    const auto districts =
        run_cli({"--lang", "en", "validate", std::string(test::demo_dir) + "/districts.geojson", "--kind", "district"});
    CHECK(districts.exit_code == 1);
    CHECK_THAT(districts.out, Catch::Contains("self_intersection") && Catch::Contains("Ring Self-intersection"));

    const auto no_kind = run_cli({"validate", std::string(test::demo_dir) + "/districts.geojson"});
    CHECK(no_kind.exit_code == 2);
    CHECK_THAT(no_kind.err, Catch::Contains("--kind"));
}

TEST_CASE("redline diff --guard red_line exits 1 naming where red line was lost", "[cli][diff]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    const auto log = run_cli({"log", ws.string(), "--format", "json"});
    const auto versions = nlohmann::json::parse(log.out)["versions"];
    const std::string last = std::to_string(versions.back()["id"].get<int>());

    // Between the versions of the demo build, red lines were only added: the guard holds.
    const auto grew = run_cli({"diff", ws.string(), "1", last, "--guard", "red_line"});
    INFO(grew.out << grew.err);
    CHECK(grew.exit_code == 0);
    CHECK_THAT(grew.out, Catch::Contains("[新增] 生态保护红线"));

    // Re-import the red lines without the coastal one: the guard names it.
    const auto fewer = dir / "fewer.geojson";
    auto doc = nlohmann::json::parse(std::ifstream(std::string(test::demo_dir) + "/red_lines.geojson"));
    doc["features"].erase(doc["features"].begin() + 2);
    std::ofstream(fewer) << doc.dump();
    REQUIRE(run_cli({"import", "--kind", "red_line", fewer.string(), "--into", ws.string(), "--replace"}).exit_code ==
            0);
    const auto lost =
        run_cli({"diff", ws.string(), last, "--guard", "red_line", "--changes-gpkg", (dir / "changes.gpkg").string()});
    CHECK(lost.exit_code == 1);
    CHECK_THAT(lost.err, Catch::Contains("生态保护红线面积减少") && Catch::Contains("HX210213-003"));
    CHECK(std::filesystem::exists(dir / "changes.gpkg"));

    CHECK(run_cli({"diff", ws.string(), "99"}).exit_code == 2);
}

TEST_CASE("a fix killed while writing leaves the workspace at its previous version", "[cli][workspace][fix]") {
    ScratchDir dir("cli");
    const auto ws_path = dir / "ws.gpkg";
    // Many units whose codes --fix will normalise (lower case): a write that takes a while.
    std::vector<test::FixtureFeature> features;
    for (int i = 0; i < 3000; ++i) {
        const std::string wkt = test::circle_in_cell(i);
        char code[32];
        std::snprintf(code, sizeof code, "zh2102133%04d", i);
        features.push_back({wkt, {{"HJZHGKDYBM", code}, {"ZHGKDYFL", "3"}}});
    }
    const auto units = dir / "units.gpkg";
    test::write_layer(units, "GPKG", 4490, features);
    REQUIRE(run_cli({"import", "--kind", "control_unit", units.string(), "--into", ws_path.string()}).exit_code == 0);
    const auto before = Workspace::open(ws_path).current_version();
    REQUIRE(before);

    const auto journal = std::filesystem::path(ws_path.string() + "-journal");
    REQUIRE(test::kill_redline_while_writing({"validate", ws_path.string(), "--fix"},
                                             [&] { return std::filesystem::exists(journal); }));

    const Workspace ws = Workspace::open(ws_path);
    const auto after = ws.current_version();
    REQUIRE(after);
    CHECK(after->id == before->id);
    CHECK(after->workspace_digest == before->workspace_digest);
    CHECK(ws.zone_counts_by_kind().at("control_unit") == 3000);

    // Run to the end, the fix is one version with every repair listed.
    const auto done = run_cli({"validate", ws_path.string(), "--fix"});
    INFO(done.err);
    CHECK(done.exit_code == 0);
    CHECK_THAT(done.err, Catch::Contains("已修复 3000 项") && Catch::Contains("ZH21021330000"));
    CHECK(Workspace::open(ws_path).current_version()->operation == "fix");
}

TEST_CASE("two imports at the same moment: each succeeds or is told of the conflict, none is lost",
          "[cli][workspace]") {
    ScratchDir dir("cli");
    const auto ws_path = dir / "ws.gpkg";
    const std::string red_lines = std::string(test::demo_dir) + "/red_lines.geojson";
    REQUIRE(run_cli({"import", "--kind", "red_line", red_lines, "--into", ws_path.string()}).exit_code == 0);
    std::vector<test::FixtureFeature> features;
    for (int i = 0; i < 2000; ++i) {
        const double x = 121.0 + (i % 100) * 0.01, y = 39.0 + (i / 100) * 0.01;
        features.push_back({"POLYGON((" + std::to_string(x) + " " + std::to_string(y) + "," +
                                std::to_string(x + 0.005) + " " + std::to_string(y) + "," + std::to_string(x + 0.005) +
                                " " + std::to_string(y + 0.005) + "," + std::to_string(x) + " " + std::to_string(y) +
                                "))",
                            {{"HXMC", "红线 " + std::to_string(i)}}});
    }
    test::write_layer(dir / "a.gpkg", "GPKG", 4490, features);
    features.pop_back();
    test::write_layer(dir / "b.gpkg", "GPKG", 4490, features);
    std::vector<pid_t> children;
    for (const char* source : {"a.gpkg", "b.gpkg"}) {
        const pid_t child = ::fork();
        if (child == 0) {
            const std::string log = (dir / (std::string(source) + ".log")).string();
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(out, 1);
            ::dup2(out, 2);
            ::execl(test::cli_path, test::cli_path, "import", "--kind", "red_line", (dir / source).c_str(), "--into",
                    ws_path.c_str(), "--replace", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        children.push_back(child);
    }
    int succeeded = 0;
    for (std::size_t i = 0; i < children.size(); ++i) {
        int status = 0;
        ::waitpid(children[i], &status, 0);
        REQUIRE(WIFEXITED(status));
        if (WEXITSTATUS(status) == 0) {
            ++succeeded;
        } else {
            std::ifstream log(dir / (std::string(i == 0 ? "a.gpkg" : "b.gpkg") + ".log"));
            const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
            CHECK(WEXITSTATUS(status) == 3);
            CHECK_THAT(text, Catch::Contains("冲突"));
        }
    }
    CHECK(succeeded >= 1);
    const Workspace ws = Workspace::open(ws_path);
    CHECK(ws.versions().size() == static_cast<std::size_t>(1 + succeeded));
    // The current red lines are exactly one writer's, whole.
    const auto n = ws.zone_counts_by_kind().at("red_line");
    CHECK((n == 2000 || n == 1999));
}

TEST_CASE("redline outfalls --report writes the summary report from the command line", "[cli][outfalls]") {
    ScratchDir dir("cli");
    const auto ws = test::build_demo_workspace(dir);
    std::ofstream(dir / "register.csv") << "排污口编码,受纳水体,排污口类型,经度(CGCS2000),纬度(CGCS2000)\n"
                                        << "C1,卧龙河,工业排污口,121.830,39.160\n"
                                        << "C2,另一条河,其他排口,121.7600,39.4200\n";
    const auto r = run_cli({"outfalls", "--zones", ws.string(), (dir / "register.csv").string(), "-o",
                            (dir / "result.csv").string(), "--report", (dir / "summary.html").string()});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);  // C1 is to be closed
    CHECK_THAT(r.out, Catch::Contains("summary.html"));
    std::ifstream in(dir / "summary.html");
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(html, Catch::Contains("建议取缔 1 个") && Catch::Contains("<svg"));
    // A report path that is neither HTML nor PDF is refused before any work is done.
    const auto bad = run_cli({"outfalls", "--zones", ws.string(), (dir / "register.csv").string(), "-o",
                              (dir / "result2.csv").string(), "--report", (dir / "summary.doc").string()});
    CHECK(bad.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "result2.csv"));
}
