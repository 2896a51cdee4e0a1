// The screening engine: one verdict code for footprints and registers, shared by threads,
// and the protections every register row gets.
#include "base/text.hpp"
#include "inputs/point_table.hpp"
#include "redline/outfalls/outfalls.hpp"
#include "redline/progress.hpp"
#include "redline/screening/check_run.hpp"
#include "redline/screening/screener.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using namespace redline;
using test::ScratchDir;

namespace {

Table read_result_csv(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return parse_csv(bytes.str(), path.string());
}

std::string cell(const Table& table, const TableRow& row, const std::string& column) {
    const auto it = std::find(table.header.begin(), table.header.end(), column);
    REQUIRE(it != table.header.end());
    const auto index = static_cast<std::size_t>(it - table.header.begin());
    return index < row.cells.size() ? row.cells[index] : std::string();
}

// A zone as the register's columns name it.
std::string zone_label(const Hit& h) {
    const KindSchema& kind = test::schemas().kind(h.kind);
    std::string label = kind.name_zh;
    if (const auto* sub = kind.find_subzone(h.subzone_as_of.empty() ? h.subzone : h.subzone_as_of)) {
        label += "/" + sub->name_zh;
    }
    return label + " " + (h.zone_name.empty() ? h.zone_id : h.zone_name) +
           (h.zone_code.empty() ? "" : " [" + h.zone_code + "]");
}

// A grid of points over the demo workspace and beyond its coast, as a register.
std::string grid_register(int steps) {
    std::ostringstream csv;
    csv << "排污口编码,状态,经度(CGCS2000),纬度(CGCS2000)\n";
    int n = 0;
    for (int i = 0; i < steps; ++i) {
        for (int j = 0; j < steps; ++j) {
            const double lon = 121.40 + 0.90 * i / (steps - 1);
            const double lat = 38.75 + 0.85 * j / (steps - 1);
            csv << "P" << ++n << ",现有," << text::fixed(lon, 6) << ',' << text::fixed(lat, 6) << '\n';
        }
    }
    return csv.str();
}

}  // namespace

TEST_CASE("the same points screened as footprints and as a register agree in every verdict, zone and distance",
          "[screener][outfalls]") {
    ScratchDir dir("screener");
    const auto ws = test::build_demo_workspace(dir);
    const auto points = dir / "points.csv";
    std::ofstream(points) << grid_register(18);  // 324 points

    CheckRequest check;
    check.workspace = ws;
    check.input.path = points.string();
    check.as_of = LegalDate::parse("2026-12-01");
    check.facts = FactVocabulary::load(test::schemas().directory()).from_options({{"activity", "outfall-existing"}});
    const CheckRun run = run_check(test::schemas(), check);
    REQUIRE(run.footprints.size() == 324);

    OutfallRequest outfalls;
    outfalls.workspace = ws;
    outfalls.input.path = points.string();
    outfalls.output = dir / "result.csv";
    outfalls.as_of = check.as_of;
    outfalls.merge_distance_m = 0;  // no merge groups: the action follows the verdict alone
    const OutfallSummary summary = run_outfalls(test::schemas(), outfalls);
    const Table result = read_result_csv(dir / "result.csv");
    REQUIRE(result.rows.size() == 324);

    std::map<std::string, const TableRow*> rows;
    for (const auto& row : result.rows) {
        rows[cell(result, row, "排污口编码")] = &row;
    }
    std::set<std::string> unchecked;
    for (const auto& p : run.problems) {
        if (p.severity == Severity::error) {
            unchecked.insert(p.feature.arg("id")->words());
        }
    }
    std::size_t compared = 0, with_near = 0, prohibited = 0, outside = 0;
    for (const auto& fp : run.footprints) {
        INFO("point " << fp.id);
        const TableRow& row = *rows.at(fp.id);
        if (unchecked.contains(fp.id)) {
            // Outside the workspace's coverage: an error either way, never a verdict.
            CHECK_THAT(cell(result, row, "核查状态"), Catch::StartsWith("错误") && Catch::Contains("覆盖范围"));
            CHECK(cell(result, row, "建议措施").empty());
            ++outside;
            continue;
        }
        CHECK(cell(result, row, "核查状态") == "正常");
        CHECK(cell(result, row, "审查结论") == verdict_label(fp.verdict, Language::zh));
        std::string zones, nearby, rules;
        std::map<std::string, double> nearest;
        std::set<std::string> inside;
        for (const auto& h : fp.hits) {
            if (h.relation == Relation::near) {
                nearby += (nearby.empty() ? "" : "; ") + zone_label(h) + " " + text::fixed(*h.distance_m, 0) + "m";
                auto [it, added] = nearest.try_emplace(h.kind, *h.distance_m);
                it->second = std::min(it->second, *h.distance_m);
            } else {
                zones += (zones.empty() ? "" : "; ") + zone_label(h);
                inside.insert(h.kind);
            }
            for (const auto& applied : h.rules) {
                rules += (rules.empty() ? "" : "; ") + applied.rule->id;
            }
        }
        CHECK(cell(result, row, "涉及分区") == zones);
        CHECK(cell(result, row, "邻近分区") == nearby);
        CHECK(cell(result, row, "适用规则") == rules);
        for (const auto& [kind, distance] : nearest) {
            const std::string column = "最近距离_" + test::schemas().kind(kind).name_zh + "_米";
            if (std::find(result.header.begin(), result.header.end(), column) != result.header.end()) {
                // The nearest zone of a kind the outfall lies in none of.
                CHECK(cell(result, row, column) == (inside.contains(kind) ? "" : text::fixed(distance, 2)));
            }
        }
        with_near += nearby.empty() ? 0 : 1;
        prohibited += fp.verdict == Verdict::prohibited ? 1 : 0;
        ++compared;
    }
    // The grid reaches every situation: inside zones, near them, and off the coast.
    CHECK(compared > 150);
    CHECK(with_near > 5);
    CHECK(prohibited > 0);
    CHECK(outside > 10);
    CHECK(summary.outside_coverage == outside);
}

TEST_CASE("register rows the workspace cannot speak for are flagged with their reason, never kept",
          "[screener][outfalls]") {
    ScratchDir dir("screener");
    const auto ws = test::build_demo_workspace(dir);
    std::ofstream(dir / "register.csv") << "排污口编码,状态,经度(CGCS2000),纬度(CGCS2000)\n"
                                           "OK1,现有,121.7600,39.4200\n"    // inside the workspace
                                           "HEBEI,现有,116.4000,39.9000\n"  // China, but another province
                                           "SEA,现有,121.3000,38.5000\n"    // Bohai sea, off every district
                                           "SWAP,现有,39.4200,121.7600\n"   // latitude and longitude swapped
                                           "JUNK,现有,5,5\n"                // neither degrees nor metres in China
                                           "OK2,现有,121.9700,39.2050\n";
    OutfallRequest request;
    request.workspace = ws;
    request.input.path = (dir / "register.csv").string();
    request.output = dir / "result.csv";
    request.as_of = LegalDate::parse("2026-12-01");
    const OutfallSummary summary = run_outfalls(test::schemas(), request);
    const Table result = read_result_csv(dir / "result.csv");
    std::map<std::string, std::string> status, action;
    for (const auto& row : result.rows) {
        status[cell(result, row, "排污口编码")] = cell(result, row, "核查状态");
        action[cell(result, row, "排污口编码")] = cell(result, row, "建议措施");
    }
    CHECK(status.at("OK1") == "正常");
    CHECK_FALSE(action.at("OK1").empty());
    for (const char* bad : {"HEBEI", "SEA"}) {
        INFO(bad);
        CHECK_THAT(status.at(bad), Catch::StartsWith("错误：位置") && Catch::Contains("不在工作空间覆盖范围内"));
        CHECK(action.at(bad).empty());
    }
    for (const char* bad : {"SWAP", "JUNK"}) {
        INFO(bad);
        CHECK_THAT(status.at(bad), Catch::StartsWith("错误：坐标") && Catch::Contains("位于中国境外"));
        CHECK(action.at(bad).empty());
    }
    CHECK(summary.error_rows == 4);
    CHECK(summary.outside_coverage == 2);
    CHECK(summary.screened == 2);
    CHECK(summary.by_action.count("keep") + summary.by_action.count("standardise") + summary.by_action.count("close") +
              summary.by_action.count("merge") >=
          1);
    // Every flagged row is listed with its line and a coded reason.
    std::set<std::string> codes;
    for (const auto& p : summary.problems) {
        CHECK(p.severity == Severity::error);
        CHECK(p.feature.code() == "where.line");
        codes.insert(p.message.code());
    }
    CHECK(codes == std::set<std::string>{"outfall.outside_china", "outfall.outside_coverage"});
}

namespace {

// Cancels the job when it reaches a stage, as Ctrl-C or a dropped request would.
class CancelAt : public Progress {
public:
    explicit CancelAt(std::string code) : code_(std::move(code)) {}
    std::vector<std::string> stages;

protected:
    void on_stage(const Message& what, std::uint64_t) override {
        stages.push_back(what.code());
        if (what.code() == code_) {
            cancel();
        }
    }

private:
    std::string code_;
};

}  // namespace

TEST_CASE("a cancelled register run stops in its workers and leaves nothing half-written", "[screener][outfalls]") {
    ScratchDir dir("screener");
    const auto ws = test::build_demo_workspace(dir);
    std::ofstream(dir / "register.csv") << grid_register(40);
    std::ofstream(dir / "result.csv") << "an older result";
    OutfallRequest request;
    request.workspace = ws;
    request.input.path = (dir / "register.csv").string();
    request.output = dir / "result.csv";
    request.overwrite = true;
    request.threads = 2;
    // Cancelled as the screening stage starts: the workers see it at their first row.
    CancelAt progress("stage.screen_register");
    CHECK_THROWS_AS(run_outfalls(test::schemas(), request, progress), Cancelled);
    CHECK(std::find(progress.stages.begin(), progress.stages.end(), "stage.index_zones") != progress.stages.end());
    std::ifstream in(dir / "result.csv");
    std::string kept;
    std::getline(in, kept);
    CHECK(kept == "an older result");
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        CHECK(entry.path().filename().string().find(".partial") == std::string::npos);
    }
}

TEST_CASE("options are refused before the register is read", "[screener][outfalls]") {
    ScratchDir dir("screener");
    OutfallRequest request;
    request.workspace = dir / "none.gpkg";
    request.input.path = (dir / "never-read.csv").string();
    request.output = dir / "result.pdf";
    CHECK_THROWS_AS(run_outfalls(test::schemas(), request), UsageError);
    request.output = dir / "result.csv";
    request.rule_files = {dir / "missing-rules.toml"};
    try {
        run_outfalls(test::schemas(), request);
        FAIL("expected a data error");
    } catch (const DataError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("missing-rules.toml"));
    }
}

TEST_CASE("one screener answers many threads at once as it answers one", "[screener]") {
    ScratchDir dir("screener");
    const auto ws = test::build_demo_workspace(dir);
    ScreenerSettings settings;
    settings.workspace = ws;
    settings.as_of = LegalDate::parse("2026-12-01");
    const Screener screener(test::schemas(), settings);
    CHECK(screener.has_tiling_kinds());

    // Polygons, lines and points across the zones.
    std::vector<Footprint> footprints;
    for (int i = 0; i < 24; ++i) {
        const double x = 121.70 + 0.012 * i, y = 39.05 + 0.013 * i;
        footprints.push_back({"poly" + std::to_string(i),
                              "",
                              geometry_from_wkt(test::circle_wkt(x, y, 0.01 + 0.002 * (i % 5), 48)),
                              {}});
        footprints.push_back({"line" + std::to_string(i),
                              "",
                              geometry_from_wkt("LINESTRING(" + text::fixed(x, 5) + " " + text::fixed(y, 5) + ", " +
                                                text::fixed(x + 0.05, 5) + " " + text::fixed(y + 0.03, 5) + ")"),
                              {}});
        footprints.push_back({"point" + std::to_string(i),
                              "",
                              geometry_from_wkt("POINT(" + text::fixed(x + 0.004, 5) + " " + text::fixed(y, 5) + ")"),
                              {}});
    }
    auto summary_of = [](const FootprintResult& r) {
        std::ostringstream out;
        out << r.id << ' ' << verdict_name(r.verdict);
        for (const auto& h : r.hits) {
            out << " | " << h.zone_id << ' ' << relation_name(h.relation) << ' ' << verdict_name(h.verdict) << ' '
                << h.overlap_area_m2.value_or(-1) << ' ' << h.inside_length_m.value_or(-1) << ' '
                << h.distance_m.value_or(-1);
        }
        return out.str();
    };
    std::vector<std::string> serial;
    for (const auto& fp : footprints) {
        serial.push_back(summary_of(screener.screen(fp, {})));
    }
    // Several rounds, every thread over every footprint: races in shared state (GEOS keeps
    // some inside prepared geometries) would show as a crash or a different answer.
    for (int round = 0; round < 6; ++round) {
        std::vector<std::vector<std::string>> parallel(4, std::vector<std::string>(footprints.size()));
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (std::size_t n = 0; n < footprints.size(); ++n) {
                    const std::size_t i = (n + t * 17) % footprints.size();
                    parallel[t][i] = summary_of(screener.screen(footprints[i], {}));
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        for (const auto& answers : parallel) {
            CHECK(answers == serial);
        }
    }
    // Something was hit, in more than one way.
    const std::string all = [&] {
        std::string s;
        for (const auto& line : serial) {
            s += line;
        }
        return s;
    }();
    CHECK_THAT(all, Catch::Contains(" within ") && Catch::Contains(" overlaps ") && Catch::Contains(" near "));
}

TEST_CASE("Ctrl-C stops redline outfalls cleanly: exit 130, the older result kept, nothing partial",
          "[screener][outfalls][cli]") {
    ScratchDir dir("screener");
    const auto ws = test::build_demo_workspace(dir);
    std::ofstream(dir / "register.csv") << grid_register(400);  // 160 000 rows: long enough to interrupt
    std::ofstream(dir / "result.csv") << "an older result";
    const int code = test::interrupt_redline_when(
        {"outfalls", "--zones", ws.string(), (dir / "register.csv").string(), "-o", (dir / "result.csv").string(),
         "--overwrite"},
        [&] { return std::filesystem::exists(dir / "result.partial.csv"); }, SIGINT);
    REQUIRE(code != -1);  // it was interrupted while writing
    CHECK(code == 130);
    std::ifstream in(dir / "result.csv");
    std::string kept;
    std::getline(in, kept);
    CHECK(kept == "an older result");
    CHECK_FALSE(std::filesystem::exists(dir / "result.partial.csv"));
}
