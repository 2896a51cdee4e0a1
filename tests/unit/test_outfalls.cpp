// Outfall registers: every action, the type-aware rules, bad rows, and no row lost.
#include "inputs/point_table.hpp"
#include "redline/errors.hpp"
#include "redline/outfalls/outfalls.hpp"
#include "redline/reports/screening_report.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace redline;
using test::ScratchDir;

namespace {

// Places in the demo workspace: inside 卧龙水库's level 1 zone, 鸽子塘水库's level 2 and
// quasi zones, the 大黑山 red line, and a general unit far from everything.
const char* register_csv =
    "排污口编码,排污口名称,排污口类型,入河入海,受纳水体,状态,经度(CGCS2000),纬度(CGCS2000)\n"
    "A01,一级区现有排口,工业排污口,入河,卧龙河,现有,121.830,39.160\n"
    "A02,二级区新建排口,城镇污水处理厂排污口,入河,鸽子塘河,新建,121.970,39.205\n"
    "A03,准保护区现有排口,农业排口,入河,鸽子塘河,现有,121.9600,39.2400\n"
    "A04,同河排口甲,工业排污口,入河,登沙河,现有,121.7500,39.4500\n"
    "A05,同河排口乙,工业排污口,入河,登沙河,现有,121.7530,39.4510\n"
    "A06,远处排口,其他排口,入河,另一条河,现有,121.7600,39.4200\n"
    "A07,红线内入海工业排口,工业排污口,入海,黄海,新建,121.7150,39.0500\n"
    "A08,红线内入海农业排口,农业排口,入海,渤海,新建,121.7100,39.0600\n"
    "A09,无坐标排口,其他排口,入河,登沙河,现有,,\n"
    "A10,坐标有误排口,其他排口,入河,登沙河,现有,121.7x,39.45\n"
    "A10,重复编码排口,其他排口,入河,登沙河,现有,121.7700,39.4300\n"
    "A12,境外排口,其他排口,入河,某河,现有,2.35,48.85\n";

struct Result {
    Table table;
    OutfallSummary summary;
};

Result run(const ScratchDir& dir, const std::filesystem::path& ws, const std::string& output, unsigned threads = 0,
           const char* csv = register_csv, const std::string& as_of = "2026-12-01") {
    std::ofstream(dir / "register.csv") << csv;
    OutfallRequest request;
    request.workspace = ws;
    request.input.path = (dir / "register.csv").string();
    request.output = dir / output;
    request.overwrite = true;
    request.threads = threads;
    request.as_of = LegalDate::parse(as_of);
    Result r;
    r.summary = run_outfalls(test::schemas(), request);
    if (output.ends_with(".csv")) {
        std::ifstream in(dir / output, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        r.table = parse_csv(bytes.str(), output);
    } else {
        r.table = read_sheet((dir / output).string(), std::nullopt);
    }
    return r;
}

std::string column(const Result& r, const std::string& code, const std::string& name, int occurrence = 0) {
    const int index = find_column(r.table.header, {name});
    for (const auto& row : r.table.rows) {
        if (row.cells.at(0) == code && occurrence-- == 0) {
            return row.cells.at(static_cast<std::size_t>(index));
        }
    }
    return "(missing)";
}

}  // namespace

TEST_CASE("every outfall gets its action, reason and basis", "[outfalls]") {
    ScratchDir dir("outfalls");
    const auto ws = test::build_demo_workspace(dir);
    const Result r = run(dir, ws, "result.csv");

    // No row is lost, and the order is the register's.
    REQUIRE(r.table.rows.size() == 12);
    CHECK(r.table.rows.front().cells.at(0) == "A01");
    CHECK(r.table.rows.back().cells.at(0) == "A12");
    CHECK(r.summary.rows == 12);

    // 取缔: an existing outfall in a level 1 zone, a new one in a level 2 zone.
    CHECK(column(r, "A01", "建议措施") == "取缔");
    CHECK_THAT(column(r, "A01", "法律依据"),
               Catch::Contains("《生态环境法典》第三百一十八条") && Catch::Contains("第一千一百零九条第二款"));
    CHECK(column(r, "A02", "建议措施") == "取缔");
    CHECK(column(r, "A02", "审查结论") == "禁止");
    // 规范: an existing outfall in a quasi zone belongs in the survey and remediation.
    CHECK(column(r, "A03", "建议措施") == "规范");
    CHECK_THAT(column(r, "A03", "法律依据"), Catch::Contains("第二百七十七条第一款"));
    // 合并: two outfalls on 登沙河 300 m apart.
    CHECK(column(r, "A04", "建议措施") == "合并");
    CHECK(column(r, "A05", "建议措施") == "合并");
    CHECK(column(r, "A04", "合并组") == column(r, "A05", "合并组"));
    CHECK_FALSE(column(r, "A04", "合并组").empty());
    // 保留: a general unit, nothing protected near.
    CHECK(column(r, "A06", "建议措施") == "保留");
    CHECK(column(r, "A06", "合并组").empty());
    // Type-aware: a new industrial sea outfall in a red line is prohibited, an agricultural one conditional.
    CHECK(column(r, "A07", "审查结论") == "禁止");
    CHECK_THAT(column(r, "A07", "法律依据"), Catch::Contains("第三百四十九条第一款"));
    CHECK(r.summary.legal_date.text() == "2026-12-01");
    CHECK(column(r, "A08", "审查结论") == "有条件");
    CHECK(column(r, "A08", "建议措施") == "规范");

    // Bad rows stay in the result, say why, and are listed with their lines.
    CHECK_THAT(column(r, "A09", "核查状态"), Catch::StartsWith("错误") && Catch::Contains("无坐标"));
    CHECK_THAT(column(r, "A10", "核查状态"), Catch::Contains("不是数字"));
    CHECK_THAT(column(r, "A10", "核查状态", 1), Catch::StartsWith("警告") && Catch::Contains("重复"));
    CHECK(column(r, "A10", "建议措施", 1) == "保留");  // still screened
    CHECK_THAT(column(r, "A12", "核查状态"), Catch::Contains("境外"));
    std::vector<std::string> lines;
    for (const auto& p : r.summary.problems) {
        lines.push_back(p.feature.text(Language::en));
    }
    CHECK(std::find(lines.begin(), lines.end(), "line 10") != lines.end());  // A09
    CHECK(std::find(lines.begin(), lines.end(), "line 11") != lines.end());  // A10, unparseable
    CHECK(std::find(lines.begin(), lines.end(), "line 12") != lines.end());  // A10 again, duplicate
    CHECK(std::find(lines.begin(), lines.end(), "line 13") != lines.end());  // A12, abroad

    // The summary.
    CHECK(r.summary.screened == 9);
    CHECK(r.summary.error_rows == 3);
    CHECK(r.summary.warning_rows == 1);
    CHECK(r.summary.by_action.at("close") == 3);
    CHECK(r.summary.by_action.at("merge") == 2);
    CHECK(r.summary.merge_groups == 1);
    CHECK(r.summary.by_district.at("金州区") >= 7);
    CHECK(r.summary.by_kind.at("water_source") == 3);
    CHECK(r.summary.by_type.at("工业排污口") == 4);
    std::ostringstream json;
    write_outfall_summary_json(json, r.summary, Language::zh);
    CHECK(nlohmann::json::parse(json.str())["by_action"]["keep"] == 2);
}

TEST_CASE("outfalls are judged by the law of the legal date", "[outfalls]") {
    ScratchDir dir("outfalls");
    const auto ws = test::build_demo_workspace(dir);
    const Result old_law = run(dir, ws, "old.csv", 0, register_csv, "2025-06-01");
    CHECK(column(old_law, "A01", "建议措施") == "取缔");
    CHECK_THAT(column(old_law, "A01", "法律依据"),
               Catch::Contains("《水污染防治法》第六十四条") && Catch::Contains("第八十四条第一款"));
    CHECK_THAT(column(old_law, "A07", "法律依据"), Catch::Contains("《海洋环境保护法》第四十八条第一款"));
    CHECK(old_law.summary.legal_date.text() == "2025-06-01");
    CHECK(std::find(old_law.summary.texts_applied.begin(), old_law.summary.texts_applied.end(), "wpl2017") !=
          old_law.summary.texts_applied.end());
}

TEST_CASE("merge groups chain along one water, never across waters, numbered by first row", "[outfalls]") {
    ScratchDir dir("outfalls");
    const auto ws = test::build_demo_workspace(dir);
    // 0.0001 degree of longitude is about 8.6 m here.
    const char* csv =
        "编码,受纳水体,经度(CGCS2000),纬度(CGCS2000)\n"
        "B01,河甲,121.7600,39.4300\n"
        "B02,河乙,121.7610,39.4300\n"     // 86 m from B01, another water
        "B03,河甲,121.7646,39.4300\n"     // 395 m from B01
        "B04,河甲,121.7693,39.4300\n"     // 404 m from B03, 800 m from B01: joined through B03
        "B05,河乙,121.7615,39.4300\n"     // 43 m from B02
        "B06,河丙,121.7700,39.4200\n"     // alone on its water
        "B07, 河甲 ,121.7800,39.4300\n";  // 920 m from B04: too far
    const Result r = run(dir, ws, "result.csv", 0, csv);
    CHECK(column(r, "B01", "合并组") == "G1");
    CHECK(column(r, "B03", "合并组") == "G1");
    CHECK(column(r, "B04", "合并组") == "G1");
    CHECK(column(r, "B02", "合并组") == "G2");
    CHECK(column(r, "B05", "合并组") == "G2");
    CHECK(column(r, "B06", "合并组").empty());
    CHECK(column(r, "B07", "合并组").empty());
    CHECK(column(r, "B04", "建议措施") == "合并");
    CHECK(column(r, "B07", "建议措施") == "保留");
    CHECK(r.summary.merge_groups == 2);
}

TEST_CASE("the result is the same on one thread or several, as XLSX or GeoPackage", "[outfalls]") {
    ScratchDir dir("outfalls");
    const auto ws = test::build_demo_workspace(dir);
    const Result one = run(dir, ws, "one.csv", 1);
    const Result two = run(dir, ws, "two.csv", 2);
    REQUIRE(one.table.rows.size() == two.table.rows.size());
    for (std::size_t i = 0; i < one.table.rows.size(); ++i) {
        CHECK(one.table.rows[i].cells == two.table.rows[i].cells);
    }
    // The streamed spreadsheet reads back, through GDAL, cell for cell as the CSV.
    const Result xlsx = run(dir, ws, "result.xlsx");
    CHECK(xlsx.table.header == one.table.header);
    REQUIRE(xlsx.table.rows.size() == one.table.rows.size());
    for (std::size_t i = 0; i < one.table.rows.size(); ++i) {
        auto cells = xlsx.table.rows[i].cells;
        cells.resize(one.table.rows[i].cells.size());  // empty cells at a row's end are not stored
        CHECK(cells == one.table.rows[i].cells);
    }
    CHECK(column(xlsx, "A01", "建议措施") == "取缔");
    const Result gpkg = run(dir, ws, "result.gpkg");
    CHECK(gpkg.table.rows.size() == 12);
}

TEST_CASE("an existing result is kept unless --overwrite", "[outfalls]") {
    ScratchDir dir("outfalls");
    const auto ws = test::build_demo_workspace(dir);
    std::ofstream(dir / "register.csv") << register_csv;
    std::ofstream(dir / "result.csv") << "precious";
    OutfallRequest request;
    request.workspace = ws;
    request.input.path = (dir / "register.csv").string();
    request.output = dir / "result.csv";
    CHECK_THROWS_WITH(run_outfalls(test::schemas(), request), Catch::Contains("--overwrite"));
    std::ifstream in(dir / "result.csv");
    std::string content;
    in >> content;
    CHECK(content == "precious");
    request.output = dir / "result.pdf";
    CHECK_THROWS_AS(run_outfalls(test::schemas(), request), UsageError);
}

TEST_CASE("the batch summary as a report: counts, charts, a map by action, bad rows", "[outfalls][report]") {
    ScratchDir dir("outfalls");
    const auto ws = test::build_demo_workspace(dir);
    const Result r = run(dir, ws, "result.csv");
    write_outfall_report(dir / "summary.html", r.summary, test::schemas(), Language::zh, "2026-01-01T00:00:00+0000");
    std::ifstream in(dir / "summary.html", std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string html = bytes.str();
    CHECK_THAT(html, Catch::Contains("已核查 9 个排污口，建议取缔 3 个"));
    CHECK_THAT(html, Catch::Contains("按建议措施") && Catch::Contains("按排污口类型") && Catch::Contains("按行政区"));
    CHECK_THAT(html, Catch::Contains("排污口分布"));
    CHECK_THAT(html, Catch::Contains("取缔 (3)") && Catch::Contains("合并 (2)"));  // the map's legend
    CHECK_THAT(html, Catch::Contains("境外"));                                     // a bad row, listed
    CHECK(r.summary.mapped.at("close").size() == 3);
    CHECK_FALSE(r.summary.districts.empty());
    // Charts and map are inline SVG: one file, nothing fetched.
    CHECK_THAT(html, Catch::Contains("<svg") && !Catch::Contains(" src=") && !Catch::Contains("<script"));

    write_outfall_report(dir / "summary.pdf", r.summary, test::schemas(), Language::en, "2026-01-01T00:00:00+0000");
    CHECK(std::filesystem::file_size(dir / "summary.pdf") > 10'000);
}
