// Screening reports: the PDF has the pages and the text a reviewer needs (read back with
// poppler's pdftotext and pdftoppm), the HTML is one self-contained file and the same
// inputs give the same bytes apart from the time stamp.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

using namespace redline;
using test::ScratchDir;

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Runs a shell command line (the poppler tools); its standard output goes to `out`.
int shell(const std::string& command, const std::filesystem::path& out) {
    return std::system((command + " > '" + out.string() + "' 2>&1").c_str());
}

test::CliResult check_with_report(const std::filesystem::path& ws, const std::filesystem::path& report,
                                  const std::string& language = "zh") {
    return test::run_cli({"--lang", language, "check", "--zones", ws.string(),
                          std::string(test::demo_dir) + "/footprints.geojson", "--report", report.string()});
}

}  // namespace

TEST_CASE("the demo report as PDF: pages, Chinese text, map, rules and stamp", "[report][demo]") {
    ScratchDir dir("report");
    const auto ws = test::build_demo_workspace(dir);
    const auto pdf = dir / "report.pdf";
    const auto r = check_with_report(ws, pdf);
    INFO(r.err);
    REQUIRE(r.exit_code == 1);  // the demo has prohibited footprints
    REQUIRE(std::filesystem::exists(pdf));
    CHECK_FALSE(std::filesystem::exists(dir / "report.partial.pdf"));

    REQUIRE(shell("pdftotext -enc UTF-8 '" + pdf.string() + "' -", dir / "report.txt") == 0);
    const std::string text = slurp(dir / "report.txt");
    CHECK_THAT(text, Catch::Contains("研判报告"));
    CHECK_THAT(text, Catch::Contains("总体结论：禁止"));
    CHECK_THAT(text, Catch::Contains("卧龙水库饮用水水源保护区"));  // a zone hit, in the table and on the map
    CHECK_THAT(text, Catch::Contains("二级保护区"));
    CHECK_THAT(text, Catch::Contains("水污染防治法"));  // a legal basis
    CHECK_THAT(text, Catch::Contains("准入清单"));      // a 三线一单 unit's access list
    CHECK_THAT(text, Catch::Contains("规则集摘要"));
    CHECK_THAT(text, Catch::Contains("sha256:"));
    CHECK_THAT(text, Catch::Contains("拟建物流园地块"));  // one section per footprint
    CHECK_THAT(text, Catch::Contains("大黑山输水管线"));
    CHECK_THAT(text, Catch::Contains("北"));  // the north arrow
    CHECK_THAT(text, Catch::Contains("°"));   // the coordinate grid

    // Every page renders; maps make pages far from blank.
    REQUIRE(shell("pdfinfo '" + pdf.string() + "'", dir / "info.txt") == 0);
    std::smatch pages;
    const std::string info = slurp(dir / "info.txt");
    REQUIRE(std::regex_search(info, pages, std::regex(R"(Pages:\s+(\d+))")));
    const int page_count = std::stoi(pages[1]);
    CHECK(page_count >= 7);  // overview, five footprints, problems or stamp
    REQUIRE(shell("pdftoppm -r 30 -png '" + pdf.string() + "' '" + (dir / "page").string() + "'", dir / "ppm.txt") ==
            0);
    int rendered = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        if (entry.path().filename().string().starts_with("page") && entry.path().extension() == ".png") {
            ++rendered;
            CHECK(std::filesystem::file_size(entry.path()) > 1500);
        }
    }
    CHECK(rendered == page_count);
}

TEST_CASE("the HTML report is self-contained and reproducible apart from its time stamp", "[report][demo]") {
    ScratchDir dir("report");
    const auto ws = test::build_demo_workspace(dir);
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    REQUIRE(check_with_report(ws, dir / "a.html").exit_code == 1);
    REQUIRE(check_with_report(ws, dir / "b.html").exit_code == 1);
    ::setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
    REQUIRE(check_with_report(ws, dir / "c.html").exit_code == 1);
    ::unsetenv("SOURCE_DATE_EPOCH");
    const std::string a = slurp(dir / "a.html"), b = slurp(dir / "b.html"), c = slurp(dir / "c.html");
    CHECK(a == b);
    CHECK(a != c);
    const std::regex time_stamp("<time>[^<]*</time>");
    CHECK(std::regex_replace(a, time_stamp, "<time/>") == std::regex_replace(c, time_stamp, "<time/>"));

    CHECK_THAT(a, Catch::Contains("<svg") && Catch::Contains("总体结论：禁止") && Catch::Contains("卧龙水库"));
    CHECK_THAT(a, Catch::Contains("假定：未说明“是否排污”，按“是”处理"));  // assumptions in the report's language
    // Nothing is fetched from elsewhere.
    CHECK_THAT(a, !Catch::Contains(" src=") && !Catch::Contains("<link") && !Catch::Contains("<script"));
}

TEST_CASE("the report in English, and a report path that cannot be", "[report][demo]") {
    ScratchDir dir("report");
    const auto ws = test::build_demo_workspace(dir);
    REQUIRE(check_with_report(ws, dir / "en.html", "en").exit_code == 1);
    const std::string en = slurp(dir / "en.html");
    CHECK_THAT(en, Catch::Contains("Overall verdict: prohibited"));
    CHECK_THAT(en, Catch::Contains("Reproducibility stamp"));

    const auto bad = check_with_report(ws, dir / "report.docx");
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("report.docx"));
}

TEST_CASE("the hit table as CSV and the overlaps as GeoJSON for QGIS", "[report][demo]") {
    ScratchDir dir("report");
    const auto ws = test::build_demo_workspace(dir);
    const auto geojson = dir / "overlaps.geojson";
    const auto r = test::run_cli({"check", "--zones", ws.string(), std::string(test::demo_dir) + "/footprints.geojson",
                                  "--format", "csv", "--export-geojson", geojson.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    CHECK(r.out.rfind("\xEF\xBB\xBF用地范围编号,", 0) == 0);
    CHECK_THAT(r.out, Catch::Contains("P1,拟建物流园地块（示意）,禁止,饮用水水源保护区,二级保护区"));
    std::size_t lines = 0;
    for (char c : r.out) {
        lines += c == '\n' ? 1 : 0;
    }
    CHECK(lines > 6);  // the header and a row per hit

    // The overlaps read back with GDAL's own GeoJSON driver, with their attributes.
    REQUIRE(std::filesystem::exists(geojson));
    const std::string text = slurp(geojson);
    CHECK_THAT(text, Catch::Contains("\"type\": \"FeatureCollection\""));
    CHECK_THAT(text, Catch::Contains("EPSG::4490"));
    CHECK_THAT(text, Catch::Contains("\"zone_name\": \"卧龙水库饮用水水源保护区（示意）\""));
    CHECK_THAT(text, Catch::Contains("\"overlap_area_m2\""));
    CHECK_THAT(text, !Catch::Contains("\"relation\": \"near\""));
}
