// redline validate: every finding on small fixtures, and the real district boundaries.
#include "redline/quality/quality.hpp"
#include "test_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using namespace redline;
using test::ScratchDir;

namespace {

// A rectangle in degrees, lower left at (x, y).
std::string rectangle(double x, double y, double width, double height) {
    auto p = [](double a, double b) { return std::to_string(a) + " " + std::to_string(b); };
    return "POLYGON((" + p(x, y) + "," + p(x + width, y) + "," + p(x + width, y + height) + "," + p(x, y + height) +
           "," + p(x, y) + "))";
}
std::string square(double x, double y, double size) {
    return rectangle(x, y, size, size);
}

std::vector<const Finding*> of(const ValidationReport& r, Check check) {
    std::vector<const Finding*> found;
    for (const auto& f : r.findings) {
        if (f.check == check) {
            found.push_back(&f);
        }
    }
    return found;
}

std::filesystem::path import(const ScratchDir& dir, const std::string& kind,
                             const std::vector<test::FixtureFeature>& features,
                             const std::string& ws_name = "ws.gpkg") {
    const auto layer = dir / (kind + ".geojson");
    test::write_layer(layer, "GeoJSON", 4490, features);
    auto ws = Workspace::open_or_create(dir / ws_name);
    ImportOptions options;
    options.kind = kind;
    options.source = layer.string();
    ws.import_layer(test::schemas(), options);
    return dir / ws_name;
}

}  // namespace

TEST_CASE("management units: overlaps, gaps, slivers and codes", "[validate]") {
    ScratchDir dir("validate");
    const double x = 121.80, y = 39.20;
    // The district: a 0.02 degree square. Units cover it but for a hole, overlap once,
    // and carry a sliver, a duplicate code, a malformed code and a class that disagrees.
    import(dir, "district", {{ square(x, y, 0.02), { {"XZQMC", "示例区"}, { "XZQDM", "210213" } } }});
    const std::string sliver =
        "MULTIPOLYGON(((" + std::to_string(x + 0.010) + " " + std::to_string(y) + "," + std::to_string(x + 0.020) +
        " " + std::to_string(y) + "," + std::to_string(x + 0.020) + " " + std::to_string(y + 0.010) + "," +
        std::to_string(x + 0.010) + " " + std::to_string(y + 0.010) + "," + std::to_string(x + 0.010) + " " +
        std::to_string(y) + ")),((" + std::to_string(x + 0.0300) + " " + std::to_string(y) + "," +
        std::to_string(x + 0.0302) + " " + std::to_string(y) + "," + std::to_string(x + 0.0302) + " " +
        std::to_string(y + 0.000005) + "," + std::to_string(x + 0.0300) + " " + std::to_string(y) + ")))";
    const auto ws =
        import(dir, "control_unit",
               {{rectangle(x, y, 0.0105, 0.010),
                 {{"HJZHGKDYBM", "ZH21021310001"}, {"ZHGKDYFL", "1"}}},  // overlaps the next by 0.0005
                {sliver, {{"HJZHGKDYBM", "ZH21021320002"}, {"ZHGKDYFL", "2"}}},
                {square(x, y + 0.010, 0.010), {{"HJZHGKDYBM", "ZH21021330003"}, {"ZHGKDYFL", "3"}}},
                // leaves the top right 0.01 x 0.01 square uncovered but for this corner
                {square(x + 0.015, y + 0.015, 0.005), {{"HJZHGKDYBM", "ZH21021330003"}, {"ZHGKDYFL", "3"}}},
                {square(x + 0.010, y + 0.010, 0.002), {{"HJZHGKDYBM", "ZH2102"}, {"ZHGKDYFL", "3"}}},
                {square(x + 0.012, y + 0.010, 0.002), {{"HJZHGKDYBM", "ZH21021310009"}, {"ZHGKDYFL", "2"}}}});
    const ValidationReport r = validate_workspace(Workspace::open(ws), test::schemas(), {});

    const auto overlaps = of(r, Check::overlap);
    REQUIRE(overlaps.size() == 1);
    CHECK(overlaps[0]->zone_ids.size() == 2);
    // 0.0005 x 0.01 degrees at 39.2 N: about 43 m x 1110 m.
    CHECK(*overlaps[0]->area_m2 == Approx(0.0005 * 86'300 * 0.01 * 111'000).epsilon(0.02));
    CHECK_FALSE(overlaps[0]->geometry.empty());

    const auto gaps = of(r, Check::gap);
    REQUIRE_FALSE(gaps.empty());
    double gap_area = 0;
    for (const auto* g : gaps) {
        gap_area += *g->area_m2;
    }
    // The top right square less the three small units in it: 100 - 25 - 4 - 4 = 67 parts of 100.
    CHECK(gap_area == Approx(0.67 * 0.01 * 86'300 * 0.01 * 111'000).epsilon(0.03));

    const auto slivers = of(r, Check::sliver);
    REQUIRE(slivers.size() == 1);
    CHECK(slivers[0]->severity == Severity::warning);
    CHECK(slivers[0]->zone_ids.at(0) == "ZH21021320002/key");

    const auto duplicates = of(r, Check::duplicate_code);
    REQUIRE(duplicates.size() == 1);
    CHECK(duplicates[0]->zone_ids.size() == 2);
    CHECK_THAT(duplicates[0]->message.text(Language::en), Catch::Contains("ZH21021330003"));

    const auto malformed = of(r, Check::malformed_code);
    REQUIRE(malformed.size() == 1);
    CHECK_THAT(malformed[0]->message.text(Language::en), Catch::Contains("ZH2102"));

    const auto mismatched = of(r, Check::class_mismatch);
    REQUIRE(mismatched.size() == 1);
    CHECK_THAT(mismatched[0]->message.text(Language::zh),
               Catch::Contains("ZH21021310009") && Catch::Contains("优先保护单元"));

    CHECK(of(r, Check::invalid_geometry).empty());
    CHECK(r.errors() == 5);  // overlap, gap (at least one), duplicate, malformed, mismatch

    // Locations and areas for QGIS.
    write_findings_gpkg(dir / "findings.gpkg", r, Language::zh);
    CHECK(std::filesystem::exists(dir / "findings.gpkg"));
    std::ostringstream json;
    write_findings_json(json, r, Language::en);
    CHECK_THAT(json.str(), Catch::Contains("\"check\": \"overlap\"") && Catch::Contains("\"location\": ["));
}

TEST_CASE("sub-zones of one source: overlap, and a level 1 zone outside its level 2", "[validate]") {
    ScratchDir dir("validate");
    const double x = 121.80, y = 39.20;
    auto source = [](const std::string& code, const std::string& level) {
        return std::map<std::string, std::string>{{"SYDBM", code}, {"SYDMC", code + "水源"}, {"BHQJB", level}};
    };
    const auto ws = import(dir, "water_source",
                           {// A: level 1 inside a level 2 ring (as the zones are drawn), no finding.
                            {square(x + 0.004, y + 0.004, 0.002), source("A", "一级保护区")},
                            {"POLYGON((121.80 39.20,121.81 39.20,121.81 39.21,121.80 39.21,121.80 39.20),"
                             "(121.804 39.204,121.804 39.206,121.806 39.206,121.806 39.204,121.804 39.204))",
                             source("A", "二级保护区")},
                            // B: level 1 far from its level 2, and a level 2 overlapping its own level 1 ring.
                            {square(x + 0.10, y, 0.002), source("B", "一级保护区")},
                            {square(x + 0.05, y, 0.01), source("B", "二级保护区")},
                            {square(x + 0.055, y + 0.001, 0.002), source("B", "一级保护区")}});
    const ValidationReport r = validate_workspace(Workspace::open(ws), test::schemas(), {});
    const auto order = of(r, Check::subzone_order);
    REQUIRE(order.size() == 1);
    CHECK(order[0]->zone_ids.at(0).rfind("B/level1", 0) == 0);
    CHECK_THAT(order[0]->message.text(Language::zh),
               Catch::Contains("一级保护区") && Catch::Contains("二级保护区之外"));
    const auto overlaps = of(r, Check::overlap);
    REQUIRE(overlaps.size() == 1);  // B's second level 1 zone lies on its level 2
    CHECK_THAT(overlaps[0]->message.text(Language::zh), Catch::Contains("B/"));
}

TEST_CASE("a source layer before import: self-intersections, unusable geometry, unmappable fields", "[validate]") {
    ScratchDir dir("validate");
    const auto layer = dir / "units.geojson";
    test::write_layer(layer, "GeoJSON", 4490,
                      {{"POLYGON((121.80 39.20,121.81 39.21,121.81 39.20,121.80 39.21,121.80 39.20))",  // a bow tie
                        {{"HJZHGKDYBM", "ZH21021310001"}, {"ZHGKDYFL", "1"}}},
                       {"LINESTRING(121.80 39.20,121.81 39.21)", {{"HJZHGKDYBM", "ZH21021320002"}, {"ZHGKDYFL", "2"}}},
                       {square(121.82, 39.20, 0.01), {{"HJZHGKDYBM", "ZH21021330003"}, {"ZHGKDYFL", "五"}}}});
    ImportOptions source;
    source.kind = "control_unit";
    source.source = layer.string();
    const ValidationReport r = validate_source(test::schemas(), source, {});
    const auto crossings = of(r, Check::self_intersection);
    REQUIRE(crossings.size() == 1);
    REQUIRE(crossings[0]->location);
    CHECK(crossings[0]->location->first == Approx(121.805));
    CHECK(crossings[0]->location->second == Approx(39.205));
    REQUIRE(of(r, Check::unusable_geometry).size() == 1);
    CHECK_THAT(of(r, Check::unusable_geometry)[0]->message.text(Language::en), Catch::Contains("lines"));
    const auto fields = of(r, Check::field_error);
    REQUIRE(fields.size() == 1);
    CHECK_THAT(fields[0]->message.text(Language::zh), Catch::Contains("五"));
}

TEST_CASE("the real district boundaries, invalid as shipped, are reported with reasons and places", "[validate]") {
    ImportOptions source;
    source.kind = "district";
    source.source = std::string(test::demo_dir) + "/districts.geojson";
    const ValidationReport r = validate_source(test::schemas(), source, {});
    CHECK(r.zones_by_kind.at("district") == 10);
    std::size_t geometry = 0;
    for (const auto& f : r.findings) {
        if (f.check == Check::self_intersection || f.check == Check::invalid_geometry) {
            ++geometry;
            CHECK(f.location.has_value());
        }
    }
    CHECK(geometry == 10);  // every one of them
}

TEST_CASE("diff: zones added, removed and changed, areas gained and lost, and coverage lost", "[diff]") {
    ScratchDir dir("diff");
    const double x = 121.80, y = 39.20;
    auto red = [](const std::string& id, const std::string& name) {
        return std::map<std::string, std::string>{{"BSM", id}, {"HXMC", name}};
    };
    import(dir, "red_line",
           {{square(x, y, 0.01), red("R1", "甲")},
            {square(x + 0.02, y, 0.01), red("R2", "乙")},
            {square(x + 0.04, y, 0.01), red("R3", "丙")},
            { square(x + 0.06, y, 0.01),
              red("R4", "丁") }});
    // Version 2: R1 shrinks by its right tenth, R2 is gone, R3 is renamed, R4 is split into
    // two new patches covering the same ground, R5 is new.
    const auto layer = dir / "red_line_2.geojson";
    test::write_layer(layer, "GeoJSON", 4490,
                      {{rectangle(x, y, 0.009, 0.01), red("R1", "甲")},
                       {square(x + 0.04, y, 0.01), red("R3", "丙（更名）")},
                       {rectangle(x + 0.06, y, 0.005, 0.01), red("R4a", "丁")},
                       {rectangle(x + 0.065, y, 0.005, 0.01), red("R4b", "丁")},
                       {square(x + 0.08, y, 0.01), red("R5", "戊")}});
    auto ws = Workspace::open(dir / "ws.gpkg");
    ImportOptions options;
    options.kind = "red_line";
    options.source = layer.string();
    options.replace = true;
    ws.import_layer(test::schemas(), options);

    const DiffReport r = diff_zones(ws.load_zones_at(1), ws.load_zones_at(2), {});
    auto change = [&](const std::string& id) -> const ZoneChange* {
        for (const auto& c : r.changes) {
            if (c.zone_id == id) {
                return &c;
            }
        }
        return nullptr;
    };
    const double cell = 0.01 * 86'300 * 0.01 * 111'000;  // a 0.01 degree square here, roughly
    REQUIRE(change("R1"));
    CHECK(change("R1")->type == ZoneChange::Type::changed);
    CHECK(change("R1")->lost_m2 == Approx(0.1 * cell).epsilon(0.02));
    CHECK(change("R1")->gained_m2 == 0);
    REQUIRE(change("R2"));
    CHECK(change("R2")->type == ZoneChange::Type::removed);
    REQUIRE(change("R3"));
    CHECK_FALSE(change("R3")->geometry_changed);
    REQUIRE(change("R3")->fields.size() == 1);
    CHECK(change("R3")->fields[0][0] == "name");
    CHECK(change("R3")->fields[0][2] == "丙（更名）");
    CHECK(change("R4")->type == ZoneChange::Type::removed);
    CHECK(change("R4a")->type == ZoneChange::Type::added);
    CHECK(change("R5")->type == ZoneChange::Type::added);

    // Coverage: R1's strip and all of R2 are lost; R4's ground is still red line.
    REQUIRE(r.lost.size() == 2);
    double lost = 0;
    for (const auto& l : r.lost) {
        lost += l.area_m2;
        CHECK(l.zone_ids.size() == 1);
        CHECK((l.zone_ids[0] == "R1" || l.zone_ids[0] == "R2"));
    }
    CHECK(lost == Approx(1.1 * cell).epsilon(0.02));
    const KindBalance& balance = r.kinds.at("red_line");
    CHECK(balance.before == 4);
    CHECK(balance.after == 5);
    CHECK(balance.coverage_lost_m2 == Approx(lost));

    // The same versions the other way round lose only R5's ground.
    const DiffReport back = diff_zones(ws.load_zones_at(2), ws.load_zones_at(1), {});
    REQUIRE(back.lost.size() == 1);
    CHECK(back.lost[0].zone_ids.at(0) == "R5");

    write_diff_gpkg(dir / "changes.gpkg", r);
    CHECK(std::filesystem::exists(dir / "changes.gpkg"));
}

TEST_CASE("validate --fix: safe repairs as a new version, listed, and nothing else touched", "[validate][fix]") {
    ScratchDir dir("fix");
    const double x = 121.80, y = 39.20;
    const auto ws_path = import(
        dir, "control_unit",
        {{square(x, y, 0.01), {{"HJZHGKDYBM", "ｚｈ21021310001"}, {"ZHGKDYFL", "1"}}},  // full-width, lower case
         {square(x + 0.01, y, 0.01), {{"HJZHGKDYBM", "ZH21021320002"}, {"ZHGKDYFL", "2"}}},
         {square(x + 0.01, y, 0.01), {{"HJZHGKDYBM", "ZH21021320002"}, {"ZHGKDYFL", "2"}}},  // a duplicate
         {square(x + 0.02, y, 0.01), {{"HJZHGKDYBM", "ZH21021330003"}, {"ZHGKDYFL", "3"}}},
         {square(x + 0.03, y, 0.01), {{"HJZHGKDYBM", "ZH2102133"}, {"ZHGKDYFL", "3"}}}});  // cannot be fixed safely
    // A zone edited elsewhere (QGIS) into a bow tie.
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(ws_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        OGRLayer* zones = ds->GetLayerByName("zones");
        zones->SetAttributeFilter("code = 'ZH21021330003'");
        OGRFeature* f = zones->GetNextFeature();
        REQUIRE(f != nullptr);
        OGRGeometry* bow = nullptr;
        const std::string wkt = "POLYGON((121.82 39.20,121.83 39.21,121.83 39.20,121.82 39.21,121.82 39.20))";
        OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &bow);
        f->SetGeometryDirectly(bow);
        REQUIRE(zones->SetFeature(f) == OGRERR_NONE);
        OGRFeature::DestroyFeature(f);
    }
    Workspace ws = Workspace::open(ws_path);
    const auto before = ws.current_version();
    const ValidationReport found = validate_workspace(ws, test::schemas(), {});
    CHECK(of(found, Check::self_intersection).size() == 1);
    CHECK(of(found, Check::duplicate_code).size() == 1);
    CHECK(of(found, Check::malformed_code).size() == 2);

    const auto fixes = plan_safe_fixes(ws, test::schemas(), {});
    REQUIRE(fixes.size() == 3);  // the code, the duplicate, the bow tie
    const VersionInfo fixed = ws.apply_fixes(fixes, "季度检查");
    CHECK(fixed.id == before->id + 1);
    CHECK(fixed.operation == "fix");
    CHECK(fixed.repairs == 3);
    CHECK(fixed.features_retired == 3);
    CHECK(fixed.features_added == 2);
    CHECK(fixed.workspace_digest != before->workspace_digest);

    const ValidationReport after = validate_workspace(ws, test::schemas(), {});
    CHECK(of(after, Check::self_intersection).empty());
    CHECK(of(after, Check::duplicate_code).empty());
    REQUIRE(of(after, Check::malformed_code).size() == 1);  // ZH2102133 needs a person
    CHECK(after.zones_by_kind.at("control_unit") == 4);

    // The fix is a version like any other: diff shows what it did, zone ids are kept.
    const DiffReport d = diff_zones(ws.load_zones_at(before->id), ws.load_zones_at(fixed.id), {});
    bool code_changed = false;
    for (const auto& c : d.changes) {
        for (const auto& field : c.fields) {
            code_changed = code_changed || (field[0] == "code" && field[2] == "ZH21021310001");
        }
    }
    CHECK(code_changed);
    CHECK(d.lost.empty());  // making the bow tie valid keeps its ground; the duplicate's ground stays covered
}
