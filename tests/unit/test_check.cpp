// Relations and measures of hits on synthetic zones whose answers are known.
#include "base/geodesy.hpp"
#include "base/geos_support.hpp"
#include "redline/screening/check.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace redline;

namespace {

Zone zone(const std::string& kind, const std::string& subzone, const std::string& id, const std::string& wkt) {
    Zone z;
    z.kind = kind;
    z.subzone = subzone;
    z.zone_id = id;
    z.name = id;
    z.geometry = geometry_from_wkt(wkt);
    z.area_m2 = geodesic_area_m2(z.geometry);
    return z;
}

Footprint footprint(const std::string& wkt) {
    return {"fp", "", geometry_from_wkt(wkt), {}};
}

std::string box(double x0, double y0, double x1, double y1) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "POLYGON((%.10f %.10f, %.10f %.10f, %.10f %.10f, %.10f %.10f, %.10f %.10f))", x0, y0,
                  x1, y0, x1, y1, x0, y1, x0, y0);
    return buf;
}

std::string circle(double lon, double lat, double radius_deg, int vertices) {
    std::string wkt = "POLYGON((";
    for (int i = 0; i <= vertices; ++i) {
        const double t = 2 * std::numbers::pi * (i % vertices) / vertices;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%.10f %.10f", i == 0 ? "" : ", ", lon + radius_deg * std::cos(t),
                      lat + radius_deg * std::sin(t));
        wkt += buf;
    }
    return wkt + "))";
}

// A red line square with a hole, a finely drawn (subdivided) level 1 circle and a
// non-protective management unit.
const std::string red_line_wkt =
    "POLYGON((121 39, 121.02 39, 121.02 39.02, 121 39.02, 121 39),"
    "(121.008 39.008, 121.012 39.008, 121.012 39.012, 121.008 39.012, 121.008 39.008))";

ZoneIndex make_index() {
    std::vector<Zone> zones;
    zones.push_back(zone("red_line", "", "RL", red_line_wkt));
    zones.push_back(zone("water_source", "level1", "WS1", circle(121.10, 39.00, 0.01, 4000)));
    zones.push_back(zone("control_unit", "general", "CU", box(120.9, 38.9, 121.3, 39.3)));
    return ZoneIndex(test::schemas(), std::move(zones));
}

const Hit* find_hit(const FootprintResult& result, const std::string& zone_id) {
    for (const auto& h : result.hits) {
        if (h.zone_id == zone_id) {
            return &h;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("big zones are subdivided and parts indexed", "[check]") {
    const ZoneIndex index = make_index();
    CHECK(index.zone_count() == 3);
    CHECK(index.part_count() > 16);  // the 4000-vertex circle alone splits into many parts
}

TEST_CASE("relations: within, overlaps, contains", "[check]") {
    const ZoneIndex index = make_index();
    const CheckOptions options;

    const auto inside = index.check(footprint(box(121.001, 39.001, 121.005, 39.005)), options);
    const Hit* h = find_hit(inside, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::within);
    CHECK(*h->overlap_area_m2 == Approx(inside.area_m2).epsilon(1e-9));
    CHECK(*h->overlap_ratio == Approx(1.0));

    const auto straddling = index.check(footprint(box(121.015, 39.001, 121.025, 39.005)), options);
    h = find_hit(straddling, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::overlaps);
    const double expected = geodesic_area_m2(geometry_from_wkt(box(121.015, 39.001, 121.02, 39.005)));
    CHECK(*h->overlap_area_m2 == Approx(expected).epsilon(1e-9));
    CHECK(*h->overlap_ratio == Approx(0.5).epsilon(1e-6));

    const auto covering = index.check(footprint(box(120.99, 38.99, 121.03, 39.03)), options);
    h = find_hit(covering, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::contains);
    CHECK(*h->zone_overlap_ratio == Approx(1.0).epsilon(1e-9));
    // The hole is not part of the zone: the overlap is the zone's own area.
    CHECK(*h->overlap_area_m2 == Approx(geodesic_area_m2(geometry_from_wkt(red_line_wkt))).epsilon(1e-9));
}

TEST_CASE("touching and slivers are not overlaps", "[check]") {
    const ZoneIndex index = make_index();
    const CheckOptions options;
    const auto touching = index.check(footprint(box(120.99, 39.005, 121.0, 39.01)), options);
    const Hit* h = find_hit(touching, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::touches);
    CHECK_FALSE(h->conflict);

    // 1e-7 degrees is about 1 cm: a digitising sliver along the shared edge.
    const auto sliver = index.check(footprint(box(120.99, 39.005, 121.0000001, 39.01)), options);
    h = find_hit(sliver, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::touches);
    CHECK(*h->overlap_area_m2 > 0);
    CHECK_FALSE(sliver.has_conflict());

    // With the tolerances at zero the same sliver is an overlap.
    CheckOptions strict;
    strict.sliver_area_m2 = 0;
    strict.sliver_width_m = 0;
    CHECK(find_hit(index.check(footprint(box(120.99, 39.005, 121.0000001, 39.01)), strict), "RL")->relation ==
          Relation::overlaps);
}

TEST_CASE("a large overlap drawn as narrow strips is an overlap, not a sliver", "[check]") {
    const ZoneIndex index = make_index();
    // 60 strips 4e-7 degrees (3.5 cm) wide and 670 m long inside the red line: each is thin,
    // together they cover about 1 400 m².
    std::string wkt = "MULTIPOLYGON(";
    for (int i = 0; i < 60; ++i) {
        const double x = 121.001 + 0.0001 * i;
        wkt += (i ? "," : "") + box(x, 39.001, x + 4e-7, 39.007).substr(7);
    }
    wkt += ")";
    const auto strips = index.check(footprint(wkt), CheckOptions{});
    const Hit* h = find_hit(strips, "RL");
    REQUIRE(h != nullptr);
    CHECK(*h->overlap_area_m2 > 1000);
    CHECK(h->relation == Relation::within);

    // One such strip alone is a sliver: thin and small.
    const auto one = index.check(footprint(box(121.001, 39.001, 121.0010004, 39.007)), CheckOptions{});
    CHECK(find_hit(one, "RL")->relation == Relation::touches);
}

TEST_CASE("near hits carry the geodesic distance", "[check]") {
    const ZoneIndex index = make_index();
    const CheckOptions options;  // red_line default: 500 m
    // About 300 m east of the red line's east edge.
    const double x0 = 121.02 + 300.0 / (111'320.0 * std::cos(39.01 * std::numbers::pi / 180.0));
    const auto result = index.check(footprint(box(x0, 39.005, x0 + 0.002, 39.015)), options);
    const Hit* h = find_hit(result, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::near);
    CHECK_FALSE(h->conflict);
    // Between parallel meridian edges the shortest line is at the highest common latitude.
    CHECK(*h->distance_m == Approx(geodesy::distance_m(121.02, 39.015, x0, 39.015)).margin(0.01));

    CheckOptions closer;
    closer.near_distance_m["red_line"] = 200;
    CHECK(find_hit(index.check(footprint(box(x0, 39.005, x0 + 0.002, 39.015)), closer), "RL") == nullptr);
}

TEST_CASE("a footprint in the hole of a zone is near it, not in it", "[check]") {
    const ZoneIndex index = make_index();
    const auto result = index.check(footprint(box(121.009, 39.009, 121.011, 39.011)), CheckOptions{});
    const Hit* h = find_hit(result, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::near);
    // The hole's west edge is nearest: 0.001 degrees of longitude, shortest at the top.
    CHECK(*h->distance_m == Approx(geodesy::distance_m(121.008, 39.011, 121.009, 39.011)).margin(0.01));
}

TEST_CASE("lines report the length inside", "[check]") {
    const ZoneIndex index = make_index();
    const auto result = index.check(footprint("LINESTRING(120.99 39.004, 121.03 39.004)"), CheckOptions{});
    const Hit* h = find_hit(result, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::overlaps);
    const double expected = geodesic_length_m(geometry_from_wkt("LINESTRING(121 39.004, 121.02 39.004)"));
    CHECK(*h->inside_length_m == Approx(expected).epsilon(1e-9));
    CHECK(result.length_m == Approx(geodesic_length_m(geometry_from_wkt("LINESTRING(120.99 39.004, 121.03 39.004)"))));
    // Crossing the hole: the part in the hole does not count.
    const auto across_hole = index.check(footprint("LINESTRING(121.005 39.01, 121.015 39.01)"), CheckOptions{});
    const double outside_hole = geodesic_length_m(geometry_from_wkt("LINESTRING(121.005 39.01, 121.008 39.01)")) +
                                geodesic_length_m(geometry_from_wkt("LINESTRING(121.012 39.01, 121.015 39.01)"));
    CHECK(*find_hit(across_hole, "RL")->inside_length_m == Approx(outside_hole).epsilon(1e-9));
}

TEST_CASE("points on a zone boundary are inside by default", "[check]") {
    const ZoneIndex index = make_index();
    CHECK(find_hit(index.check(footprint("POINT(121.005 39.005)"), CheckOptions{}), "RL")->relation ==
          Relation::within);
    CHECK(find_hit(index.check(footprint("POINT(121 39.005)"), CheckOptions{}), "RL")->relation == Relation::within);
    CheckOptions touching;
    touching.point_on_boundary_inside = false;
    CHECK(find_hit(index.check(footprint("POINT(121 39.005)"), touching), "RL")->relation == Relation::touches);
    // A point on a cut line between parts of the subdivided circle is inside, not on a boundary.
    CHECK(find_hit(index.check(footprint("POINT(121.10 39.00)"), touching), "WS1")->relation == Relation::within);
}

TEST_CASE("multi-part footprints sum their parts", "[check]") {
    const ZoneIndex index = make_index();
    const auto result = index.check(
        footprint("MULTIPOLYGON(((121.001 39.001, 121.003 39.001, 121.003 39.003, 121.001 39.003, 121.001 39.001)),"
                  "((121.05 39.05, 121.06 39.05, 121.06 39.06, 121.05 39.06, 121.05 39.05)))"),
        CheckOptions{});
    const Hit* h = find_hit(result, "RL");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::overlaps);
    CHECK(*h->overlap_area_m2 ==
          Approx(geodesic_area_m2(geometry_from_wkt(box(121.001, 39.001, 121.003, 39.003)))).epsilon(1e-9));
}

TEST_CASE("overlaps with a subdivided zone equal the overlay with the whole zone", "[check]") {
    const ZoneIndex index = make_index();
    const std::string fp_wkt = box(121.095, 38.995, 121.125, 39.004);
    const auto result = index.check(footprint(fp_wkt), CheckOptions{});
    const Hit* h = find_hit(result, "WS1");
    REQUIRE(h != nullptr);
    CHECK(h->relation == Relation::overlaps);
    geos::Context ctx;
    auto whole = geos::from_wkt(ctx, circle(121.10, 39.00, 0.01, 4000));
    auto fp = geos::from_wkt(ctx, fp_wkt);
    auto direct = geos::own(ctx, GEOSIntersection_r(ctx.handle(), whole.get(), fp.get()), "intersection");
    CHECK(*h->overlap_area_m2 == Approx(geodesy::area_m2(ctx, direct.get())).epsilon(1e-9));
}

TEST_CASE("hits on non-protective kinds are reported but are not conflicts", "[check]") {
    const ZoneIndex index = make_index();
    const auto result = index.check(footprint(box(121.2, 39.2, 121.21, 39.21)), CheckOptions{});
    REQUIRE(result.hits.size() == 1);
    CHECK(result.hits.front().zone_id == "CU");
    CHECK(result.hits.front().relation == Relation::within);
    CHECK_FALSE(result.has_conflict());
}

TEST_CASE("after the rules, the most severe hits come first", "[check]") {
    const ZoneIndex index = make_index();
    // A line inside the management unit, crossing the red line further east.
    auto result = index.check(footprint("LINESTRING(121.05 39.01, 121.01 39.01)"), CheckOptions{});
    REQUIRE(result.hits.size() == 2);
    CHECK(result.hits[0].zone_id == "CU");  // geometric order: within before overlaps
    decide(result, RuleSet::load(test::schemas()), test::schemas(), ActivityFacts{});
    CHECK(*result.facts.activity == "linear");  // inferred from the geometry
    CHECK(result.hits[0].zone_id == "RL");
    CHECK(result.hits[0].verdict == Verdict::conditional);
    CHECK(result.hits[0].conflict);
    CHECK(result.hits[1].verdict == Verdict::allowed);
    CHECK_FALSE(result.hits[1].conflict);
    CHECK(result.verdict == Verdict::conditional);
}

TEST_CASE("a blanket --near distance applies to protective kinds only", "[check]") {
    const ZoneIndex index = make_index();
    CheckOptions options;
    options.near_distance_all_m = 50'000;
    // Outside the management unit, 5 km from the red line.
    const auto result = index.check(footprint(box(121.32, 39.0, 121.33, 39.01)), options);
    CHECK(find_hit(result, "RL") != nullptr);
    CHECK(find_hit(result, "CU") == nullptr);
    options.near_distance_m["control_unit"] = 50'000;
    CHECK(find_hit(index.check(footprint(box(121.32, 39.0, 121.33, 39.01)), options), "CU") != nullptr);
}
