// Inputs as users bring them: land-boundary TXT, tables, CAD and web-map coordinates, with
// the CRS decided from the data and every decision reported. A footprint in a wrong CRS is
// either corrected with a warning or refused: never silently placed elsewhere.
#include "inputs/point_table.hpp"
#include "inputs/survey_txt.hpp"
#include "inputs/webmap.hpp"
#include "redline/errors.hpp"
#include "redline/inputs/convert.hpp"
#include "redline/inputs/footprints.hpp"
#include "redline/reports/report.hpp"
#include "test_support.hpp"

#include <cpl_string.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

using namespace redline;
using test::ScratchDir;

namespace {

// 卧龙水库 level 2 zone of the demo, in CGCS2000 3-degree zone 41 (EPSG:4529): a 400 m
// square around 121.8545E 39.1760N (the demo parcel P1), with a 100 m hole.
const char* survey_header = R"([属性描述]
格式版本号=
数据产生单位=测试
数据产生日期=2024-05-01
坐标系=2000国家大地坐标系
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号=41
精度=0.001
转换参数=,,,,,,
[地块坐标]
)";

const char* parcel_prefixed = R"(10,16.0000,1,拟建物流园地块,面,,,,@
J1,1,4338468.121,41400814.410
J2,1,4338468.121,41401214.410
J3,1,4338868.121,41401214.410
J4,1,4338868.121,41400814.410
J1,1,4338468.121,41400814.410
J5,2,4338618.121,41400964.410
J6,2,4338618.121,41401064.410
J7,2,4338718.121,41401064.410
J8,2,4338718.121,41400964.410
J5,2,4338618.121,41400964.410
)";

std::string without_prefix(std::string text) {
    // 41400814.410 -> 400814.410: drop the zone prefix of every easting.
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto at = text.find(",41", pos);
        if (at == std::string::npos || at + 11 > text.size()) {
            out += text.substr(pos);
            break;
        }
        out += text.substr(pos, at - pos) + ",";
        pos = at + 3;
    }
    return out;
}

std::filesystem::path write(const ScratchDir& dir, const std::string& name, const std::string& content) {
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

std::string to_gbk(const std::string& utf8) {
    char* recoded = CPLRecode(utf8.c_str(), CPL_ENC_UTF8, "GB18030");
    std::string out = recoded;
    CPLFree(recoded);
    return out;
}

FootprintSet read(const std::filesystem::path& path, FootprintSource source = {}) {
    source.path = path.string();
    return read_footprints(source);
}

bool has_detection(const FootprintSet& set, const std::string& what, const std::string& part) {
    for (const auto& d : set.detections) {
        if (d.what == what && d.why.text(Language::en).find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

bool has_problem(const FootprintSet& set, const std::string& severity, const std::string& part) {
    for (const auto& p : set.problems) {
        if (severity_name(p.severity) == severity && p.message.text(Language::en).find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Screens a set against the demo workspace and returns the hits' "kind/subzone".
std::vector<std::string> demo_hits(const std::filesystem::path& ws, const std::filesystem::path& input,
                                   FootprintSource source = {}) {
    CheckRequest request;
    request.workspace = ws;
    source.path = input.string();
    request.input = source;
    const CheckRun run = run_check(test::schemas(), request);
    std::vector<std::string> hits;
    for (const auto& fp : run.footprints) {
        for (const auto& h : fp.hits) {
            if (h.relation != Relation::near) {
                hits.push_back(h.kind + "/" + h.subzone);
            }
        }
    }
    return hits;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

TEST_CASE("TXT: zone from the easting prefix, holes by ring number", "[inputs][txt]") {
    ScratchDir dir("inputs");
    const auto file = write(dir, "site.txt", std::string(survey_header) + parcel_prefixed);
    const FootprintSet set = read(file);
    REQUIRE(set.footprints.size() == 1);
    CHECK(set.crs == "EPSG:4529");
    CHECK(has_detection(set, "zone", "zone 41"));
    CHECK(set.footprints[0].name == "拟建物流园地块");
    // 400 m square less a 100 m hole, on the ellipsoid (Gauss-Kruger scale near 121.85E ~1.0002).
    CHECK(geodesic_area_m2(set.footprints[0].geometry) == Approx(150'000).epsilon(0.002));
    const auto box = bounding_box(set.footprints[0].geometry);
    CHECK(box.min_x == Approx(121.852).margin(0.003));
    CHECK(box.min_y == Approx(39.174).margin(0.003));

    const auto ws = test::build_demo_workspace(dir);
    CHECK(contains(demo_hits(ws, file), "water_source/level2"));
}

TEST_CASE("TXT: eastings without prefix take the zone from the header, --zone or --cm", "[inputs][txt]") {
    ScratchDir dir("inputs");
    const auto with_prefix = read(write(dir, "a.txt", std::string(survey_header) + parcel_prefixed));
    const auto header_zone = read(write(dir, "b.txt", std::string(survey_header) + without_prefix(parcel_prefixed)));
    CHECK(header_zone.crs == "EPSG:4550");  // CGCS2000 3-degree CM 123E
    CHECK(geometry_to_wkt(header_zone.footprints[0].geometry, 7) ==
          geometry_to_wkt(with_prefix.footprints[0].geometry, 7));

    std::string no_zone = std::string(survey_header) + without_prefix(parcel_prefixed);
    no_zone.replace(no_zone.find("带号=41"), std::string("带号=41").size(), "带号=");
    const auto file = write(dir, "c.txt", no_zone);
    CHECK_THROWS_WITH(read(file),
                      Catch::Contains("no zone prefix") && Catch::Contains("--zone") && Catch::Contains("--cm"));
    FootprintSource by_zone;
    by_zone.zone = 41;
    CHECK(geometry_to_wkt(read(file, by_zone).footprints[0].geometry, 7) ==
          geometry_to_wkt(with_prefix.footprints[0].geometry, 7));
    FootprintSource by_cm;
    by_cm.central_meridian = 123;
    CHECK(read(file, by_cm).crs == "EPSG:4550");
    // A wrong zone does not slip through as a clear verdict: the parcel lands in Hebei, far
    // from the area the workspace covers, and the screening says so as an error.
    FootprintSource wrong;
    wrong.zone = 40;
    wrong.path = file.string();
    CheckRequest request;
    request.workspace = test::build_demo_workspace(dir);
    request.input = wrong;
    const CheckRun run = run_check(test::schemas(), request);
    bool flagged = false;
    for (const auto& p : run.problems) {
        flagged = flagged || (p.severity == Severity::error && p.message.code() == "check.outside_coverage");
    }
    CHECK(flagged);
}

TEST_CASE("TXT: X and Y swapped are corrected with a warning", "[inputs][txt]") {
    ScratchDir dir("inputs");
    std::string swapped = std::string(survey_header) + "5,16,1,对调,面,,,,@\n";
    for (const char* row :
         {"J1,1,41400814.410,4338468.121", "J2,1,41401214.410,4338468.121", "J3,1,41401214.410,4338868.121",
          "J4,1,41400814.410,4338868.121", "J1,1,41400814.410,4338468.121"}) {
        swapped += std::string(row) + "\n";
    }
    const auto set = read(write(dir, "swapped.txt", swapped));
    REQUIRE(set.footprints.size() == 1);
    CHECK(has_problem(set, "warning", "swapped"));
    CHECK(has_detection(set, "axes", "swapped"));
    CHECK(bounding_box(set.footprints[0].geometry).min_x == Approx(121.852).margin(0.003));
}

TEST_CASE("TXT: GBK, full-width punctuation, missing closing points, several parcels", "[inputs][txt]") {
    ScratchDir dir("inputs");
    const std::string text = std::string(survey_header) +
                             "4，16．0000，A-1，东地块，面，，，，＠\n"
                             "J1，1，4338468．121，41400814．410\n"
                             "J2，1，4338468．121，41401214．410\n"
                             "J3，1，4338868．121，41401214．410\n"
                             "J4，1，4338868．121，41400814．410\n"
                             "3,0.0,A-2,西侧线路,线,,,,@\n"
                             "K1,1,4338000.000,41399000.000\n"
                             "K2,1,4338100.000,41399500.000\n"
                             "K3,1,4338300.000,41399900.000\n";
    const auto set = read(write(dir, "gbk.txt", to_gbk(text)));
    CHECK(has_detection(set, "encoding", "GB18030"));
    REQUIRE(set.footprints.size() == 2);
    CHECK(set.footprints[0].id == "A-1");
    CHECK(set.footprints[0].name == "东地块");
    CHECK(geometry_type_name(set.footprints[0].geometry) == "Polygon");
    CHECK(set.footprints[1].name == "西侧线路");
    CHECK(geometry_type_name(set.footprints[1].geometry) == "LineString");
    CHECK(has_problem(set, "warning", "was not closed"));

    // UTF-8 with a BOM reads the same.
    const auto bom = read(write(dir, "bom.txt", "\xEF\xBB\xBF" + text));
    CHECK(has_detection(bom, "encoding", "BOM"));
    CHECK(bom.footprints[0].name == "东地块");
}

TEST_CASE("TXT: Xian 1980 and Beijing 1954", "[inputs][txt]") {
    ScratchDir dir("inputs");
    std::string xian = std::string(survey_header) + parcel_prefixed;
    xian.replace(xian.find("2000国家大地坐标系"), std::string("2000国家大地坐标系").size(), "1980西安坐标系");
    xian.replace(xian.find("转换参数=,,,,,,"), std::string("转换参数=,,,,,,").size(),
                 "转换参数=-12.5,118.3,52.1,0.1,-0.2,0.3,1.5");
    const auto with_params = read(write(dir, "xian.txt", xian));
    CHECK(with_params.crs == "EPSG:2365");  // Xian 1980 3-degree zone 41
    CHECK(has_detection(with_params, "datum", "seven-parameter"));
    CHECK_FALSE(has_problem(with_params, "warning", "without transformation parameters"));

    std::string beijing = std::string(survey_header) + parcel_prefixed;
    beijing.replace(beijing.find("2000国家大地坐标系"), std::string("2000国家大地坐标系").size(), "1954北京坐标系");
    const auto without_params = read(write(dir, "beijing.txt", beijing));
    CHECK(without_params.crs == "EPSG:2417");  // Beijing 1954 3-degree zone 41
    CHECK(has_problem(without_params, "warning", "without transformation parameters"));
}

TEST_CASE("TXT: broken files name the line", "[inputs][txt]") {
    ScratchDir dir("inputs");
    CHECK_THROWS_WITH(read(write(dir, "t1.txt", std::string(survey_header))), Catch::Contains("holds no parcel"));
    CHECK_THROWS_WITH(
        read(write(dir, "t2.txt", std::string(survey_header) + "5,1,1,x,面,,,,@\nJ1,1,4338468.1a,41400814.4\n")),
        Catch::Contains("t2.txt:14") && Catch::Contains("not numbers"));
    CHECK_THROWS_WITH(read(write(dir, "t3.txt", std::string(survey_header) + "J1,1,4338468.1,41400814.4\n")),
                      Catch::Contains("t3.txt:13") && Catch::Contains("before any parcel header"));
    CHECK_THROWS_WITH(read(write(dir, "t4.txt", "[地块坐标]\n3,1,1,x,圆,,,,@\n")), Catch::Contains("not 面, 线 or 点"));
    CHECK_THROWS_WITH(read(write(dir, "t5.txt", "hello\n")), Catch::Contains("not a land-boundary coordinate file"));
}

TEST_CASE("TXT: header numbers out of range are refused, not narrowed", "[inputs][txt]") {
    ScratchDir dir("inputs");
    auto with_header = [&](const std::string& name, const std::string& from, const std::string& to) {
        std::string text = std::string(survey_header) + parcel_prefixed;
        text.replace(text.find(from), from.size(), to);
        return write(dir, name, text);
    };
    // Found by fuzzing: a zone number beyond int's range was cast before it was checked.
    CHECK_THROWS_WITH(read(with_header("z1.txt", "带号=41", "带号=-9999999999.001")),
                      Catch::Contains("z1.txt") && Catch::Contains("带号=-9999999999.001"));
    CHECK_THROWS_WITH(read(with_header("z2.txt", "带号=41", "带号=41.5")), Catch::Contains("whole number"));
    CHECK_THROWS_WITH(read(with_header("z3.txt", "几度分带=3", "几度分带=1e300")), Catch::Contains("must be 3 or 6"));
    CHECK_THROWS_WITH(read(with_header("z4.txt", "几度分带=3", "几度分带=4")), Catch::Contains("must be 3 or 6"));
    // A huge declared point count or a tiny precision is only a warning or a decimal count.
    CHECK_NOTHROW(read(with_header("z5.txt", "精度=0.001", "精度=1e-300")));
}

TEST_CASE("CSV: lon/lat need a datum, a web-map table is converted", "[inputs][csv]") {
    ScratchDir dir("inputs");
    // A point inside 鸽子塘水库's level 2 zone, in WGS 84, and what AMap would show for it.
    const double lon = 121.9700, lat = 39.2050;
    const auto [glon, glat] = webmap::gcj02_from_wgs84(lon, lat);
    char row[160];
    std::snprintf(row, sizeof row, "O1,拟建排污口,%.7f,%.7f\n", glon, glat);

    const auto plain = write(dir, "plain.csv", std::string("编码,名称,经度,纬度\n") + row);
    CHECK_THROWS_WITH(read(plain), Catch::Contains("--crs EPSG:4490") && Catch::Contains("--from gcj02"));
    FootprintSource gcj;
    gcj.web_datum = "gcj02";
    const auto converted = read(plain, gcj);
    REQUIRE(converted.footprints.size() == 1);
    const auto box = bounding_box(converted.footprints[0].geometry);
    CHECK(box.min_x == Approx(lon).margin(1e-7));
    CHECK(box.min_y == Approx(lat).margin(1e-7));

    // Column names that say where the numbers come from settle it without options.
    const auto named = write(dir, "amap.csv", std::string("编码,名称,高德经度,高德纬度\n") + row);
    const auto by_name = read(named);
    CHECK(has_detection(by_name, "crs", "gcj02"));
    CHECK(bounding_box(by_name.footprints[0].geometry).min_x == Approx(lon).margin(1e-7));

    // Taken as plain WGS 84 the same numbers land hundreds of metres away: why it matters.
    FootprintSource wgs;
    wgs.crs = "EPSG:4326";
    const auto naive = read(plain, wgs);
    const auto nb = bounding_box(naive.footprints[0].geometry);
    CHECK(
        geodesic_length_m(geometry_from_wkt("LINESTRING(" + std::to_string(nb.min_x) + " " + std::to_string(nb.min_y) +
                                            "," + std::to_string(lon) + " " + std::to_string(lat) + ")")) > 100);

    const auto ws = test::build_demo_workspace(dir);
    CHECK(contains(demo_hits(ws, named), "water_source/level2"));
}

TEST_CASE("CSV: GBK, degrees-minutes-seconds, bad rows listed, latitude first", "[inputs][csv]") {
    ScratchDir dir("inputs");
    const std::string csv =
        "排污口编码,排污口名称,纬度(CGCS2000),经度(CGCS2000),排污口类型\n"
        "P1,一号口,39°12'18\",121°58'12\",工业\n"
        "P2,二号口,,121.97,工业\n"
        "P3,三号口,39.2051,121.9701,农业\n";
    const auto set = read(write(dir, "register.csv", to_gbk(csv)));
    CHECK(has_detection(set, "encoding", "GB18030"));
    REQUIRE(set.footprints.size() == 2);
    CHECK(set.footprints[0].id == "P1");
    CHECK(set.footprints[0].name == "一号口");
    CHECK(set.footprints[0].attributes.at("排污口类型") == "工业");
    CHECK(bounding_box(set.footprints[0].geometry).min_x == Approx(121.97).margin(1e-9));
    CHECK(bounding_box(set.footprints[0].geometry).min_y == Approx(39.205).margin(1e-9));
    REQUIRE(set.problems.size() >= 1);
    CHECK(set.problems[0].feature == line_ref(3));
    CHECK(set.problems[0].feature.text(Language::zh) == "第 3 行");
    CHECK(set.crs == "EPSG:4490");
}

TEST_CASE("CSV: a vertex table becomes polygons", "[inputs][csv]") {
    ScratchDir dir("inputs");
    const std::string csv =
        "地块编号,点号,X,Y\n"
        "D1,1,4338468.121,41400814.410\nD1,2,4338468.121,41401214.410\n"
        "D1,3,4338868.121,41401214.410\nD1,4,4338868.121,41400814.410\n"
        "D2,1,4339468.121,41400814.410\nD2,2,4339468.121,41401014.410\nD2,3,4339668.121,41400914.410\n";
    const auto set = read(write(dir, "corners.csv", csv));
    REQUIRE(set.footprints.size() == 2);
    CHECK(set.crs == "EPSG:4529");
    CHECK(geometry_type_name(set.footprints[0].geometry) == "Polygon");
    CHECK(geodesic_area_m2(set.footprints[0].geometry) == Approx(160'000).epsilon(0.002));
    CHECK(has_detection(set, "shape", "地块编号"));
}

TEST_CASE("coordinate text in degrees, minutes and seconds", "[inputs]") {
    CHECK(*parse_coordinate("121.5") == 121.5);
    CHECK(*parse_coordinate("121°30'00\"") == Approx(121.5));
    CHECK(*parse_coordinate("121度30分36秒") == Approx(121.51));
    CHECK(*parse_coordinate("121:30:36") == Approx(121.51));
    CHECK(*parse_coordinate("１２１．５") == 121.5);
    CHECK_FALSE(parse_coordinate("abc"));
    CHECK_FALSE(parse_coordinate("121°75'"));
    CHECK_FALSE(parse_coordinate(""));
}

TEST_CASE("spreadsheets, KML and KMZ", "[inputs]") {
    ScratchDir dir("inputs");
    const std::string wkt = "POLYGON((121.852 39.174,121.857 39.174,121.857 39.178,121.852 39.178,121.852 39.174))";
    test::write_layer(dir / "site.kml", "KML", 4326, {{wkt, {{"Name", "谷歌地球地块"}}}});
    const auto kml = read(dir / "site.kml");
    REQUIRE(kml.footprints.size() == 1);
    CHECK(kml.footprints[0].name == "谷歌地球地块");
    CHECK(kml.crs == "EPSG:4326");

    test::write_layer(dir / "site.kmz", "LIBKML", 4326, {{wkt, {{"name", "奥维地块"}}}});
    const auto kmz = read(dir / "site.kmz");
    REQUIRE(kmz.footprints.size() == 1);
    CHECK(kmz.footprints[0].name == "奥维地块");

    test::write_layer(dir / "register.xlsx", "XLSX", 0,
                      {{"", {{"编码", "X1"}, {"名称", "表格点"}, {"经度", "121.97"}, {"纬度", "39.205"}}}}, "排污口");
    FootprintSource cgcs;
    cgcs.crs = "EPSG:4490";
    const auto xlsx = read(dir / "register.xlsx", cgcs);
    REQUIRE(xlsx.footprints.size() == 1);
    CHECK(xlsx.footprints[0].name == "表格点");
}

TEST_CASE("CAD drawings without CRS: recognised from zone-prefixed eastings, else refused", "[inputs]") {
    ScratchDir dir("inputs");
    test::write_layer(dir / "design.dxf", "DXF", 0,
                      {{"LINESTRING(41400814.41 4338468.12, 41401214.41 4338868.12)", {}}});
    const auto set = read(dir / "design.dxf");
    REQUIRE(set.footprints.size() == 1);
    CHECK(set.crs == "EPSG:4529");
    CHECK(has_detection(set, "crs", "no CRS"));

    test::write_layer(dir / "local.dxf", "DXF", 0, {{"LINESTRING(400814.41 4338468.12, 401214.41 4338868.12)", {}}});
    CHECK_THROWS_WITH(read(dir / "local.dxf"), Catch::Contains("--zone") && Catch::Contains("no CRS"));
    FootprintSource zone;
    zone.zone = 41;
    CHECK(read(dir / "local.dxf", zone).footprints.size() == 1);
}

TEST_CASE("GeoJSON with latitude first is corrected, far away is refused", "[inputs]") {
    ScratchDir dir("inputs");
    test::write_layer(dir / "latlon.geojson", "GeoJSON", 4326,
                      {{"POLYGON((39.174 121.852,39.174 121.857,39.178 121.857,39.178 121.852,39.174 121.852))", {}}});
    const auto set = read(dir / "latlon.geojson");
    REQUIRE(set.footprints.size() == 1);
    CHECK(has_problem(set, "warning", "swapped"));
    CHECK(bounding_box(set.footprints[0].geometry).min_x == Approx(121.852));

    test::write_layer(dir / "paris.geojson", "GeoJSON", 4326, {{"POINT(2.35 48.85)", {{"id", "paris"}}}});
    const auto far = read(dir / "paris.geojson");
    CHECK(far.footprints.empty());
    CHECK(has_problem(far, "error", "outside China"));
}

TEST_CASE("a GBK shapefile without .cpg is decoded", "[inputs]") {
    ScratchDir dir("inputs");
    test::write_layer(dir / "site.shp", "ESRI Shapefile", 4490,
                      {{"POINT(121.97 39.205)", {{"name", "卧龙水库旁地块"}}}}, "", {"ENCODING=GBK"});
    std::filesystem::remove(dir / "site.cpg");
    // Clear the code page byte too, as many producers leave it.
    {
        std::fstream dbf(dir / "site.dbf", std::ios::in | std::ios::out | std::ios::binary);
        dbf.seekp(29);
        dbf.put('\0');
    }
    const auto set = read(dir / "site.shp");
    REQUIRE(set.footprints.size() == 1);
    CHECK(set.footprints[0].name == "卧龙水库旁地块");
    CHECK(has_detection(set, "encoding", "GB18030"));
}

TEST_CASE("web-map offsets: GCJ-02 and BD-09 invert their published formulas", "[inputs][webmap]") {
    for (const auto& [lon, lat] :
         std::vector<std::pair<double, double>>{{116.3913, 39.9073}, {121.97, 39.205}, {113.26, 23.13}}) {
        const auto gcj = webmap::gcj02_from_wgs84(lon, lat);
        const double shift =
            geodesic_length_m(geometry_from_wkt("LINESTRING(" + std::to_string(lon) + " " + std::to_string(lat) + "," +
                                                std::to_string(gcj.first) + " " + std::to_string(gcj.second) + ")"));
        CHECK(shift > 100);
        CHECK(shift < 1000);
        const auto back = webmap::wgs84_from_gcj02(gcj.first, gcj.second);
        CHECK(back.first == Approx(lon).margin(1e-9));
        CHECK(back.second == Approx(lat).margin(1e-9));
        const auto bd = webmap::bd09_from_gcj02(gcj.first, gcj.second);
        const auto from_bd = webmap::wgs84_from_bd09(bd.first, bd.second);
        CHECK(from_bd.first == Approx(lon).margin(1e-9));
        CHECK(from_bd.second == Approx(lat).margin(1e-9));
    }
    // Outside China there is no offset.
    CHECK(webmap::gcj02_from_wgs84(2.35, 48.85).first == 2.35);
}

TEST_CASE("convert: TXT -> GeoPackage -> TXT keeps every vertex to the file's precision", "[inputs][convert]") {
    ScratchDir dir("inputs");
    const auto original = write(dir, "site.txt", std::string(survey_header) + parcel_prefixed);
    const auto first = read(original);
    ConvertOptions to_gpkg;
    CHECK(write_footprints(first, dir / "site.gpkg", to_gpkg).written == 1);
    const auto stored = read(dir / "site.gpkg");
    ConvertOptions to_txt;
    to_txt.target_crs = "EPSG:4529";
    write_footprints(stored, dir / "back.txt", to_txt);

    std::ifstream in(dir / "back.txt");
    const std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const SurveyFile a = parse_survey_txt(std::string(survey_header) + parcel_prefixed, "a");
    const SurveyFile b = parse_survey_txt(back, "b");
    REQUIRE(b.parcels.size() == 1);
    CHECK(b.parcels[0].name == "拟建物流园地块");
    REQUIRE(a.parcels[0].rings.size() == b.parcels[0].rings.size());
    for (const auto& [ring, points] : a.parcels[0].rings) {
        const auto& other = b.parcels[0].rings.at(ring);
        REQUIRE(points.size() == other.size());
        for (std::size_t i = 0; i < points.size(); ++i) {
            CHECK(std::fabs(points[i].first - other[i].first) < 0.0005);
            CHECK(std::fabs(points[i].second - other[i].second) < 0.0005);
        }
    }
    // The default zone for TXT output is the data's own: 41 here.
    write_footprints(stored, dir / "auto.txt", ConvertOptions{});
    CHECK(
        parse_survey_txt(std::string(std::istreambuf_iterator<char>(std::ifstream(dir / "auto.txt").rdbuf()), {}), "c")
            .header.at("带号") == "41");
}

TEST_CASE("convert: Shapefile in UTF-8 with .cpg, KML, GeoJSON, never over an existing file", "[inputs][convert]") {
    ScratchDir dir("inputs");
    const auto set = read(write(dir, "site.txt", std::string(survey_header) + parcel_prefixed));
    write_footprints(set, dir / "site.shp", ConvertOptions{});
    std::ifstream cpg(dir / "site.cpg");
    std::string encoding;
    cpg >> encoding;
    CHECK(encoding == "UTF-8");
    CHECK(read(dir / "site.shp").footprints.at(0).name == "拟建物流园地块");
    write_footprints(set, dir / "site.kml", ConvertOptions{});
    CHECK(read(dir / "site.kml").footprints.size() == 1);
    const auto report = write_footprints(set, dir / "site.geojson", ConvertOptions{});
    CHECK(report.crs == "EPSG:4326");
    CHECK_THROWS_WITH(write_footprints(set, dir / "site.geojson", ConvertOptions{}),
                      Catch::Contains("exists") && Catch::Contains("--overwrite"));
    ConvertOptions overwrite;
    overwrite.overwrite = true;
    CHECK(write_footprints(set, dir / "site.geojson", overwrite).written == 1);
    CHECK_THROWS_AS(write_footprints(set, dir / "site.dwg", ConvertOptions{}), UsageError);
}
