#include "redline/errors.hpp"
#include "redline/progress.hpp"
#include "redline/store/workspace.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace redline;
using test::ScratchDir;

namespace {

ImportOptions import_of(const std::string& kind, const std::filesystem::path& source) {
    ImportOptions options;
    options.kind = kind;
    options.source = source.string();
    return options;
}

const std::string square = "POLYGON((121.80 39.10, 121.82 39.10, 121.82 39.12, 121.80 39.12, 121.80 39.10))";

}  // namespace

TEST_CASE("the demo workspace imports every layer as a version", "[workspace]") {
    ScratchDir dir("ws");
    const auto path = test::build_demo_workspace(dir);
    const Workspace ws = Workspace::open(path);
    const auto versions = ws.versions();
    REQUIRE(versions.size() == 6);  // five layers and the city's general access list
    CHECK(versions.front().kind == "district");
    CHECK(versions.front().repairs > 0);  // the real district boundaries are invalid as shipped
    CHECK(versions.back().workspace_digest.rfind("sha256:", 0) == 0);
    CHECK(versions.back().source_digest.rfind("sha256:", 0) == 0);
    const auto counts = ws.zone_counts_by_kind();
    CHECK(counts.at("district") == 10);
    CHECK(counts.at("water_source") == 6);
    CHECK(counts.at("nature_reserve") == 3);
    CHECK(counts.at("red_line") == 3);
    CHECK(counts.at("control_unit") == 7);

    const auto zones = ws.load_zones();
    const auto unit = std::find_if(zones.begin(), zones.end(), [](const Zone& z) { return z.code == "ZH21021320002"; });
    REQUIRE(unit != zones.end());
    CHECK(unit->subzone == "key");  // derived from the code's class digit: no class field
    CHECK(unit->attributes.at("kjbjys").find("园区") != std::string::npos);
    CHECK(unit->area_m2 > 1e6);
}

TEST_CASE("the workspace digest depends on content, not on when it was built", "[workspace]") {
    ScratchDir one("ws"), two("ws");
    const auto a = Workspace::open(test::build_demo_workspace(one)).current_version();
    const auto b = Workspace::open(test::build_demo_workspace(two)).current_version();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->workspace_digest == b->workspace_digest);
}

TEST_CASE("repairs are listed per feature and stored with the version", "[workspace]") {
    ScratchDir dir("ws");
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    const auto report = ws.import_layer(
        test::schemas(), import_of("district", std::filesystem::path(test::demo_dir) / "districts.geojson"));
    REQUIRE_FALSE(report.problems.empty());
    for (const auto& p : report.problems) {
        CHECK(p.severity == Severity::repair);
        CHECK(p.message.code() == "geometry.repaired_area");
        CHECK_THAT(p.message.text(Language::en), Catch::Contains("make-valid") && Catch::Contains("after repair"));
        CHECK_THAT(p.message.text(Language::zh), Catch::Contains("修复后"));
        CHECK_THAT(p.feature.text(Language::en), Catch::StartsWith("feature "));
    }
    CHECK(report.version.repairs == static_cast<std::int64_t>(report.problems.size()));
    CHECK(report.version.features_added == 10);
}

TEST_CASE("importing the same source twice is refused, --replace supersedes", "[workspace]") {
    ScratchDir dir("ws");
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    const auto source = std::filesystem::path(test::demo_dir) / "red_lines.geojson";
    ws.import_layer(test::schemas(), import_of("red_line", source));
    CHECK_THROWS_WITH(ws.import_layer(test::schemas(), import_of("red_line", source)),
                      Catch::Contains("already in the workspace as version 1") && Catch::Contains("--replace"));
    auto options = import_of("red_line", source);
    options.replace = true;
    const auto report = ws.import_layer(test::schemas(), options);
    CHECK(report.version.id == 2);
    CHECK(report.version.features_retired == 3);
    CHECK(ws.zone_counts_by_kind().at("red_line") == 3);
    CHECK(ws.versions().size() == 2);
}

TEST_CASE("an unmappable value names feature and field, and nothing is written", "[workspace]") {
    ScratchDir dir("ws");
    const auto source = dir / "sources.geojson";
    test::write_layer(source, "GeoJSON", 4490,
                      {{square, {{"SYDMC", "甲水源"}, {"BHQJB", "一级保护区"}}},
                       {square, {{"SYDMC", "乙水源"}, {"BHQJB", "三级保护区"}}}});
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    try {
        ws.import_layer(test::schemas(), import_of("water_source", source));
        FAIL("no error");
    } catch (const DataError& e) {
        CHECK_THAT(e.what(), Catch::Contains("feature 1") && Catch::Contains("BHQJB") &&
                                 Catch::Contains("三级保护区") && Catch::Contains("nothing was written"));
    }
    CHECK(ws.versions().empty());
    CHECK(ws.load_zones().empty());
}

TEST_CASE("source fields are matched by alias or named with --map", "[workspace]") {
    ScratchDir dir("ws");
    const auto source = dir / "reserve.geojson";
    test::write_layer(source, "GeoJSON", 4490, {{square, {{"保护区名称", "小黑山"}, {"ZONE_TYPE", "缓冲区"}}}});
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    auto options = import_of("nature_reserve", source);
    // Without a sub-zone field the reserve counts as a core protection zone...
    auto report = ws.import_layer(test::schemas(), options);
    CHECK(report.zones_by_subzone.at("core_protection") == 1);
    CHECK(report.field_mapping.at("name") == "保护区名称");
    // ...and naming the field gives the real zoning: 缓冲区 of the 2017 zoning is stored as
    // the core protection zone the 2026 zoning makes of it, with the source's value kept.
    options.replace = true;
    options.field_map["subzone"] = "ZONE_TYPE";
    report = ws.import_layer(test::schemas(), options);
    CHECK(report.zones_by_subzone.at("core_protection") == 1);
    REQUIRE(ws.load_zones().size() == 1);
    CHECK(ws.load_zones()[0].subzone == "core_protection");
    CHECK(ws.load_zones()[0].attributes.at(subzone_source_attribute) == "缓冲区");
    // Where the reserve's own re-zoning put the buffer into general control, say so.
    options.subzone_values = {{"缓冲区", "general_control"}};
    report = ws.import_layer(test::schemas(), options);
    CHECK(report.zones_by_subzone.at("general_control") == 1);
    CHECK(ws.load_zones()[0].attributes.at(subzone_source_attribute) == "缓冲区");
    options.subzone_values = {{"缓冲区", "experimental"}};  // not a sub-zone one can store any more
    CHECK_THROWS_WITH(ws.import_layer(test::schemas(), options),
                      Catch::Contains("not a current sub-zone") && Catch::Contains("core_protection"));
    options.subzone_values.clear();
    options.field_map["subzone"] = "NO_SUCH_FIELD";
    CHECK_THROWS_AS(ws.import_layer(test::schemas(), options), UsageError);
    options.field_map = {{"colour", "ZONE_TYPE"}};
    CHECK_THROWS_WITH(ws.import_layer(test::schemas(), options), Catch::Contains("not a field of kind nature_reserve"));
}

TEST_CASE("a water source layer without a level field is an error that says how to map it", "[workspace]") {
    ScratchDir dir("ws");
    const auto source = dir / "sources.geojson";
    test::write_layer(source, "GeoJSON", 4490, {{square, {{"SYDMC", "甲水源"}}}});
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    CHECK_THROWS_WITH(ws.import_layer(test::schemas(), import_of("water_source", source)),
                      Catch::Contains("--map subzone=FIELD"));
}

TEST_CASE("a source without CRS is refused unless --crs gives one", "[workspace]") {
    ScratchDir dir("ws");
    const auto source = dir / "redline.shp";
    test::write_layer(source, "ESRI Shapefile", 0, {{square, {{"HXMC", "测试红线"}}}});
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    CHECK_THROWS_WITH(ws.import_layer(test::schemas(), import_of("red_line", source)),
                      Catch::Contains("no CRS") && Catch::Contains("--crs"));
    auto options = import_of("red_line", source);
    options.assign_crs = "EPSG:4490";
    CHECK(ws.import_layer(test::schemas(), options).version.features_added == 1);
}

TEST_CASE("projected sources are transformed to CGCS2000 and measured on the ellipsoid", "[workspace]") {
    ScratchDir dir("ws");
    const auto source = dir / "gk.gpkg";
    // A 1 km square in CGCS2000 3-degree Gauss-Kruger zone 41 (EPSG:4529, northing first).
    test::write_layer(
        source, "GPKG", 4529,
        {{"POLYGON((41500000 4330000, 41501000 4330000, 41501000 4331000, 41500000 4331000, 41500000 4330000))",
          {{"HXMC", "投影坐标红线"}}}});
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    ws.import_layer(test::schemas(), import_of("red_line", source));
    const auto zones = ws.load_zones();
    REQUIRE(zones.size() == 1);
    const BoundingBox box = bounding_box(zones.front().geometry);
    CHECK(box.min_x == Approx(123.0).margin(0.01));  // zone 41's central meridian
    CHECK(box.min_y == Approx(39.1).margin(0.05));
    // Gauss-Kruger keeps scale 1 on the central meridian: 1 km² within the scale error.
    CHECK(zones.front().area_m2 == Approx(1e6).epsilon(1e-4));
}

TEST_CASE("geometry of the wrong dimension is an error naming the feature", "[workspace]") {
    ScratchDir dir("ws");
    const auto source = dir / "lines.geojson";
    test::write_layer(source, "GeoJSON", 4490, {{"LINESTRING(121.8 39.1, 121.9 39.2)", {{"HXMC", "线"}}}});
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    CHECK_THROWS_WITH(ws.import_layer(test::schemas(), import_of("red_line", source)),
                      Catch::Contains("feature 0") && Catch::Contains("holds lines"));
}

TEST_CASE("a file that is not a workspace is refused", "[workspace]") {
    ScratchDir dir("ws");
    const auto other = dir / "other.gpkg";
    test::write_layer(other, "GPKG", 4490, {{square, {}}});
    CHECK_THROWS_WITH(Workspace::open(other), Catch::Contains("not a redline workspace"));
    CHECK_THROWS_WITH(Workspace::open(dir / "missing.gpkg"), Catch::Contains("workspace not found"));
}

TEST_CASE("zone layers come in any OGR format", "[workspace]") {
    ScratchDir dir("ws");
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    const std::vector<std::pair<std::string, std::string>> formats = {
        {"GeoJSON", "a.geojson"}, {"GPKG", "b.gpkg"},      {"ESRI Shapefile", "c.shp"},
        {"KML", "d.kml"},         {"FlatGeobuf", "e.fgb"}, {"OpenFileGDB", "f.gdb"}};
    std::int64_t version = 0;
    for (const auto& [driver, file] : formats) {
        INFO(driver);
        // KML has no other CRS than WGS 84; the rest carry CGCS2000.
        test::write_layer(dir / file, driver, driver == "KML" ? 4326 : 4490,
                          {{square, {{"HXMC", "格式测试红线 " + driver}, {"HXBM", "HX-" + file}}}},
                          "redline_" + std::to_string(version));
        auto options = import_of("red_line", dir / file);
        const auto report = ws.import_layer(test::schemas(), options);
        CHECK(report.version.id == ++version);
        CHECK(report.version.features_added == 1);
        CHECK(report.field_mapping.at("name") == "HXMC");
    }
    const auto zones = ws.load_zones();
    REQUIRE(zones.size() == formats.size());
    for (const auto& z : zones) {
        CHECK(z.area_m2 == Approx(zones.front().area_m2).epsilon(1e-6));
    }
}

TEST_CASE("a GBK shapefile is read with --encoding", "[workspace]") {
    ScratchDir dir("ws");
    const auto shp = dir / "gbk.shp";
    // Written in GBK, then the .cpg dropped, as many producers ship them.
    test::write_layer(shp, "ESRI Shapefile", 4490, {{square, {{"HXMC", "卧龙水库红线"}}}}, "", {"ENCODING=GBK"});
    std::filesystem::remove(dir / "gbk.cpg");
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    auto options = import_of("red_line", shp);
    options.encoding = "GBK";
    ws.import_layer(test::schemas(), options);
    CHECK(ws.load_zones().front().name == "卧龙水库红线");
}

TEST_CASE("two writers on one GeoPackage: the second is told of the conflict, nothing is lost", "[workspace]") {
    ScratchDir dir("ws");
    const auto path = dir / "ws.gpkg";
    const std::string red_lines = std::string(test::demo_dir) + "/red_lines.geojson";
    REQUIRE(test::run_cli({"import", "--kind", "red_line", red_lines, "--into", path.string()}).exit_code == 0);
    Workspace mine = Workspace::open(path);  // opened at version 1
    REQUIRE(
        test::run_cli({"import", "--kind", "red_line", red_lines, "--into", path.string(), "--replace"}).exit_code ==
        0);  // a colleague's version 2
    ImportOptions options;
    options.kind = "red_line";
    options.source = red_lines;
    options.replace = true;
    CHECK_THROWS_WITH(mine.import_layer(test::schemas(), options), Catch::Contains("conflict") &&
                                                                       Catch::Contains("version 2") &&
                                                                       Catch::Contains("nothing was written"));
    CHECK(Workspace::open(path).versions().size() == 2);
    // Opened again, it builds on the colleague's version.
    Workspace again = Workspace::open(path);
    CHECK(again.import_layer(test::schemas(), options).version.id == 3);
}

namespace {

// Cancels the job when it reaches a stage.
class CancelAtStage : public Progress {
public:
    explicit CancelAtStage(std::string code) : code_(std::move(code)) {}

protected:
    void on_stage(const Message& what, std::uint64_t) override {
        if (what.code() == code_) {
            cancel();
        }
    }

private:
    std::string code_;
};

}  // namespace

TEST_CASE("an import cancelled while storing leaves the workspace as it was", "[workspace]") {
    ScratchDir dir("workspace");
    const auto path = test::build_demo_workspace(dir);
    Workspace ws = Workspace::open(path);
    const auto versions = ws.versions().size();
    const auto counts = ws.zone_counts_by_kind();
    ImportOptions options;
    options.kind = "red_line";
    options.source = std::string(test::demo_dir) + "/red_lines.geojson";
    options.replace = true;
    CancelAtStage progress("stage.store");
    CHECK_THROWS_AS(ws.import_layer(test::schemas(), options, progress), Cancelled);
    const Workspace again = Workspace::open_read_only(path);
    CHECK(again.versions().size() == versions);
    CHECK(again.zone_counts_by_kind() == counts);
    // A read-only handle refuses to write.
    Workspace reader = Workspace::open_read_only(path);
    CHECK_THROWS_AS(reader.import_layer(test::schemas(), options), UsageError);
}

TEST_CASE("a read-only handle serves several threads at once", "[workspace]") {
    ScratchDir dir("workspace");
    const auto path = test::build_demo_workspace(dir);
    const Workspace ws = Workspace::open_read_only(path);
    CHECK(ws.read_only());
    struct Seen {
        std::size_t zones = 0, versions = 0, kinds = 0;
        bool operator==(const Seen&) const = default;
    };
    const Seen expected{ws.load_zones().size(), ws.versions().size(), ws.zone_counts_by_kind().size()};
    std::vector<Seen> seen(4);
    std::vector<std::thread> readers;
    for (std::size_t t = 0; t < seen.size(); ++t) {
        readers.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) {
                seen[t] = {ws.load_zones().size(), ws.versions().size(), ws.zone_counts_by_kind().size()};
            }
        });
    }
    for (auto& r : readers) {
        r.join();
    }
    for (const auto& s : seen) {
        CHECK(s == expected);
    }
}
