// The geometry operations behind the viewer's editing tools: split, merge, reshape, avoid
// overlaps, move, parts back to geometry, and why a geometry is invalid. Small shapes near
// 123.4 E, 41.8 N (Liaoning), areas measured on the ellipsoid.
#include "redline/editing/geometry_edits.hpp"
#include "redline/errors.hpp"
#include "redline/geometry.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace redline;

namespace {

std::string num(double v) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", v);
    return text;
}

std::string pt(double x, double y) {
    return num(x) + " " + num(y);
}

std::string ring(double min_x, double min_y, double max_x, double max_y) {
    return "(" + pt(min_x, min_y) + "," + pt(max_x, min_y) + "," + pt(max_x, max_y) + "," + pt(min_x, max_y) + "," +
           pt(min_x, min_y) + ")";
}

Geometry box(double min_x, double min_y, double max_x, double max_y) {
    return geometry_from_wkt("POLYGON(" + ring(min_x, min_y, max_x, max_y) + ")");
}

Geometry line(std::initializer_list<std::pair<double, double>> points) {
    std::string wkt = "LINESTRING(";
    for (const auto& [x, y] : points) {
        wkt += (wkt.back() == '(' ? "" : ",") + pt(x, y);
    }
    return geometry_from_wkt(wkt + ")");
}

// The square of the tests: 123.400-123.401 E, 41.800-41.801 N (about 83 m by 111 m).
const double west = 123.400, south = 41.800, east = 123.401, north = 41.801;
const double mid_lon = 123.4005, mid_lat = 41.8005;

Geometry square() {
    return box(west, south, east, north);
}

// The code of the message a DataError carries ("" when none was thrown).
template <typename Fn>
std::string error_code(Fn&& fn) {
    try {
        fn();
    } catch (const DataError& e) {
        return e.message().code();
    }
    return "";
}

}  // namespace

TEST_CASE("a square split by a line gives two halves whose areas make the whole", "[editing][geometry]") {
    const auto pieces = split_by_line(square(), line({{mid_lon, south - 0.0005}, {mid_lon, north + 0.0005}}));
    REQUIRE(pieces.size() == 2);
    const double whole = geodesic_area_m2(square());
    CHECK(whole == Approx(83.0 * 111.0).epsilon(0.02));
    for (const auto& piece : pieces) {
        CHECK(geometry_type_name(piece) == "Polygon");
        CHECK(geodesic_area_m2(piece) == Approx(whole / 2).epsilon(1e-4));
    }
    CHECK(geodesic_area_m2(pieces[0]) + geodesic_area_m2(pieces[1]) == Approx(whole).epsilon(1e-9));
    // The halves lie west and east of the cut.
    const BoundingBox a = bounding_box(pieces[0]), b = bounding_box(pieces[1]);
    CHECK(std::min(a.max_x, b.max_x) == Approx(mid_lon).epsilon(1e-12));
    CHECK(std::max(a.min_x, b.min_x) == Approx(mid_lon).epsilon(1e-12));
}

TEST_CASE("a split puts the largest piece first and keeps holes", "[editing][geometry]") {
    // A hole in the middle; the cut runs through it, off centre, so the pieces differ.
    const Geometry holed = geometry_from_wkt("POLYGON(" + ring(west, south, east, north) + "," +
                                             ring(123.4004, 41.8004, 123.4006, 41.8006) + ")");
    const auto pieces = split_by_line(holed, line({{123.40055, south - 0.001}, {123.40055, north + 0.001}}));
    REQUIRE(pieces.size() == 2);
    CHECK(geodesic_area_m2(pieces[0]) > geodesic_area_m2(pieces[1]));
    CHECK(geodesic_area_m2(pieces[0]) + geodesic_area_m2(pieces[1]) == Approx(geodesic_area_m2(holed)).epsilon(1e-9));
    // The hole is no piece: its area stays out.
    CHECK(geodesic_area_m2(holed) < geodesic_area_m2(square()));
}

TEST_CASE("splitting one part of a multipolygon keeps the others with the largest piece", "[editing][geometry]") {
    const Geometry two = geometry_from_wkt("MULTIPOLYGON((" + ring(west, south, east, north) + "),(" +
                                           ring(123.403, south, 123.404, north) + "))");
    // Cut the western square at a quarter of its width.
    const auto pieces = split_by_line(two, line({{123.40025, south - 0.001}, {123.40025, north + 0.001}}));
    REQUIRE(pieces.size() == 2);
    CHECK(geometry_type_name(pieces[0]) == "MultiPolygon");
    CHECK(geometry_type_name(pieces[1]) == "Polygon");
    const double quarter = geodesic_area_m2(box(west, south, 123.40025, north));
    CHECK(geodesic_area_m2(pieces[1]) == Approx(quarter).epsilon(1e-6));
    CHECK(geodesic_area_m2(pieces[0]) + geodesic_area_m2(pieces[1]) == Approx(geodesic_area_m2(two)).epsilon(1e-9));
}

TEST_CASE("a line that does not cross the polygon fully splits nothing", "[editing][geometry]") {
    // From outside to the middle: it enters and never leaves.
    CHECK(error_code([] {
              split_by_line(square(), line({{mid_lon, south - 0.0005}, {mid_lon, mid_lat}}));
          }) == "geometry_edit.split_no_cut");
    // Beside the square.
    CHECK(error_code([] {
              split_by_line(square(), line({{123.402, south}, {123.402, north}}));
          }) == "geometry_edit.split_no_cut");
    // Not a line.
    CHECK(error_code([] { split_by_line(square(), square()); }) == "geometry_edit.not_linear");
    // An invalid polygon is refused with its reason.
    const Geometry bow_tie = geometry_from_wkt("POLYGON((" + pt(west, south) + "," + pt(east, north) + "," +
                                               pt(east, south) + "," + pt(west, north) + "," + pt(west, south) + "))");
    CHECK(error_code([&] {
              split_by_line(bow_tie, line({{mid_lon, south - 0.001}, {mid_lon, north + 0.001}}));
          }) == "geometry_edit.invalid_input");
}

TEST_CASE("a line split by a crossing line gives its pieces", "[editing][geometry]") {
    const Geometry road = line({{west, mid_lat}, {mid_lon, mid_lat}, {east, mid_lat}});
    const auto pieces = split_by_line(road, line({{123.4007, south}, {123.4007, north}}));
    REQUIRE(pieces.size() == 2);
    CHECK(geometry_type_name(pieces[0]) == "LineString");
    CHECK(geodesic_length_m(pieces[0]) > geodesic_length_m(pieces[1]));
    CHECK(geodesic_length_m(pieces[0]) + geodesic_length_m(pieces[1]) == Approx(geodesic_length_m(road)).epsilon(1e-9));
    CHECK(error_code([&] {
              split_by_line(road, line({{west, north}, {east, north}}));
          }) == "geometry_edit.split_line_no_cut");
}

TEST_CASE("two adjacent squares merge into one polygon with the summed area", "[editing][geometry]") {
    const Geometry left = square();
    const Geometry right = box(east, south, 123.402, north);
    const Geometry merged = merge_geometries({left, right});
    CHECK(geometry_type_name(merged) == "Polygon");
    CHECK(geodesic_area_m2(merged) == Approx(geodesic_area_m2(left) + geodesic_area_m2(right)).epsilon(1e-9));
    // Apart, they stay two parts; empty ones are skipped.
    const Geometry apart = merge_geometries({left, Geometry{}, box(123.403, south, 123.404, north)});
    CHECK(geometry_type_name(apart) == "MultiPolygon");
    CHECK(merge_geometries({}).empty());
}

TEST_CASE("lines merge where they meet end to end, and dimensions do not mix", "[editing][geometry]") {
    const Geometry merged =
        merge_geometries({line({{west, south}, {mid_lon, mid_lat}}), line({{mid_lon, mid_lat}, {east, north}})});
    CHECK(geometry_type_name(merged) == "LineString");
    CHECK(geometry_parts(merged).lines.front().size() == 3);
    CHECK(error_code([] {
              merge_geometries({square(), line({{west, south}, {east, north}})});
          }) == "geometry_edit.merge_mixed");
}

TEST_CASE("reshaping inward cuts off the smaller side", "[editing][geometry]") {
    // Across the square, a fifth of its width from the east edge.
    const Geometry reshaped = reshape_by_line(square(), line({{123.4008, south - 0.0003}, {123.4008, north + 0.0003}}));
    CHECK(geometry_type_name(reshaped) == "Polygon");
    const double kept = geodesic_area_m2(box(west, south, 123.4008, north));
    CHECK(geodesic_area_m2(reshaped) == Approx(kept).epsilon(1e-6));
    CHECK(bounding_box(reshaped).max_x == Approx(123.4008).epsilon(1e-12));
    CHECK(bounding_box(reshaped).min_x == Approx(west).epsilon(1e-12));
}

TEST_CASE("reshaping outward adds the area between the line and the boundary", "[editing][geometry]") {
    // From inside, out to the east and back in: a bulge of 123.401-123.402 by 41.8002-41.8008.
    const Geometry reshaped = reshape_by_line(
        square(), line({{123.4009, 41.8002}, {123.402, 41.8002}, {123.402, 41.8008}, {123.4009, 41.8008}}));
    CHECK(geometry_type_name(reshaped) == "Polygon");
    const double added = geodesic_area_m2(box(east, 41.8002, 123.402, 41.8008));
    CHECK(geodesic_area_m2(reshaped) == Approx(geodesic_area_m2(square()) + added).epsilon(1e-6));
    CHECK(bounding_box(reshaped).max_x == Approx(123.402).epsilon(1e-12));
}

TEST_CASE("reshaping a hole from inside the polygon fills part of it", "[editing][geometry]") {
    const Geometry holed = geometry_from_wkt("POLYGON(" + ring(west, south, east, north) + "," +
                                             ring(123.4002, 41.8002, 123.4008, 41.8008) + ")");
    // From the polygon across the hole's western fifth and back: that fifth is filled.
    const Geometry reshaped = reshape_by_line(holed, line({{123.40032, 41.8001}, {123.40032, 41.8009}}));
    const double filled = geodesic_area_m2(box(123.4002, 41.8002, 123.40032, 41.8008));
    CHECK(geodesic_area_m2(reshaped) == Approx(geodesic_area_m2(holed) + filled).epsilon(1e-6));
}

TEST_CASE("a reshape line that does not cross the boundary twice is refused", "[editing][geometry]") {
    CHECK(error_code([] {
              reshape_by_line(square(), line({{123.4008, south - 0.0003}, {123.4008, mid_lat}}));
          }) == "geometry_edit.reshape_no_cut");
    CHECK(error_code([] {
              reshape_by_line(square(), line({{123.403, south}, {123.403, north}}));
          }) == "geometry_edit.reshape_no_cut");
}

TEST_CASE("reshaping a line replaces the part between the ends of the reshape line", "[editing][geometry]") {
    const Geometry road = line({{west, south}, {mid_lon, south}, {east, south}});
    // A detour north between 123.4002 and 123.4008, drawn from east to west.
    const Geometry reshaped =
        reshape_by_line(road, line({{123.4008, south}, {123.4008, 41.8003}, {123.4002, 41.8003}, {123.4002, south}}));
    const auto parts = geometry_parts(reshaped);
    REQUIRE(parts.lines.size() == 1);
    const LonLatPath expected = {{west, south},       {123.4002, south}, {123.4002, 41.8003},
                                 {123.4008, 41.8003}, {123.4008, south}, {east, south}};
    REQUIRE(parts.lines[0].size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(parts.lines[0][i].first == Approx(expected[i].first).epsilon(1e-12));
        CHECK(parts.lines[0][i].second == Approx(expected[i].second).epsilon(1e-12));
    }
}

TEST_CASE("avoiding overlaps takes away exactly the neighbour's overlap", "[editing][geometry]") {
    const Geometry neighbour = box(123.4007, 41.7995, 123.4015, 41.8005);
    const Geometry far_away = box(123.5, 41.9, 123.501, 41.901);
    const Geometry rest = without_overlaps(square(), {neighbour, far_away, Geometry{}});
    CHECK(geometry_type_name(rest) == "Polygon");
    const double overlap = geodesic_area_m2(test::intersection(square(), neighbour));
    CHECK(overlap == Approx(geodesic_area_m2(box(123.4007, south, east, 41.8005))).epsilon(1e-6));
    CHECK(geodesic_area_m2(rest) == Approx(geodesic_area_m2(square()) - overlap).epsilon(1e-6));
    // A neighbour that only touches takes nothing; one that covers all leaves nothing.
    CHECK(geodesic_area_m2(without_overlaps(square(), {box(east, south, 123.402, north)})) ==
          Approx(geodesic_area_m2(square())).epsilon(1e-12));
    CHECK(without_overlaps(square(), {box(123.399, 41.799, 123.402, 41.802)}).empty());
}

TEST_CASE("geometry parts go back into the same geometry, coordinates bit for bit", "[editing][geometry]") {
    const std::string a = pt(123.40012345678901, 41.800987654321012);
    const std::string b = pt(123.40098765432101, 41.80011111111111);
    for (const std::string& wkt : std::vector<std::string>{
             "POLYGON(" + ring(west, south, east, north) + "," + ring(123.4004, 41.8004, 123.4006, 41.8006) + ")",
             "MULTIPOLYGON((" + ring(west, south, east, north) + "),(" + ring(123.403, south, 123.404, north) + "))",
             "LINESTRING(" + a + "," + b + ")",
             "MULTILINESTRING((" + a + "," + b + "),(" + b + "," + pt(west, south) + "))",
             "POINT(" + a + ")",
             "MULTIPOINT((" + a + "),(" + b + "))",
             "GEOMETRYCOLLECTION(POLYGON(" + ring(west, south, east, north) + "),LINESTRING(" + a + "," + b +
                 "),POINT(" + b + "))",
         }) {
        INFO(wkt);
        const Geometry g = geometry_from_wkt(wkt);
        const GeometryParts parts = geometry_parts(g);
        const Geometry back = geometry_from_parts(parts);
        CHECK(geometry_type_name(back) == geometry_type_name(g));
        const GeometryParts again = geometry_parts(back);
        CHECK(again.polygons == parts.polygons);
        CHECK(again.lines == parts.lines);
        CHECK(again.points == parts.points);
        CHECK(back.wkb == g.wkb);
    }
    CHECK(geometry_from_parts(GeometryParts{}).empty());
}

TEST_CASE("geometry from parts closes rings and refuses what cannot be a geometry", "[editing][geometry]") {
    GeometryParts open;
    open.polygons.push_back({{{west, south}, {east, south}, {east, north}, {west, north}}});
    const Geometry closed = geometry_from_parts(open);
    CHECK(geometry_parts(closed).polygons[0][0].size() == 5);
    CHECK(geodesic_area_m2(closed) == Approx(geodesic_area_m2(square())).epsilon(1e-12));

    GeometryParts short_ring;
    short_ring.polygons.push_back({{{west, south}, {east, south}, {west, south}}});
    CHECK(error_code([&] { geometry_from_parts(short_ring); }) == "geometry_edit.short_ring");
    GeometryParts one_point_line;
    one_point_line.lines.push_back({{west, south}});
    CHECK(error_code([&] { geometry_from_parts(one_point_line); }) == "geometry_edit.short_line");
    GeometryParts not_a_number;
    not_a_number.points.push_back({west, std::nan("")});
    CHECK(error_code([&] { geometry_from_parts(not_a_number); }) == "geometry_edit.not_finite");
}

TEST_CASE("geometry_problem says why a bow-tie is invalid and where", "[editing][geometry]") {
    const Geometry bow_tie = geometry_from_wkt("POLYGON((" + pt(west, south) + "," + pt(east, north) + "," +
                                               pt(east, south) + "," + pt(west, north) + "," + pt(west, south) + "))");
    const auto problem = geometry_problem(bow_tie);
    REQUIRE(problem.has_value());
    CHECK(problem->reason.code() == "geometry.invalid.self_intersection");
    CHECK(problem->reason.text(Language::zh) == "自相交");
    CHECK(problem->lon == Approx(mid_lon).epsilon(1e-9));
    CHECK(problem->lat == Approx(mid_lat).epsilon(1e-9));
    CHECK_FALSE(geometry_problem(square()).has_value());
    CHECK_FALSE(geometry_problem(Geometry{}).has_value());
    CHECK(error_code([] { geometry_problem(Geometry{{1, 2, 3}}); }) == "geometry_edit.bad_wkb");
}

TEST_CASE("moving shifts every vertex and keeps the structure", "[editing][geometry]") {
    const Geometry holed = geometry_from_wkt("POLYGON(" + ring(west, south, east, north) + "," +
                                             ring(123.4004, 41.8004, 123.4006, 41.8006) + ")");
    const Geometry moved = moved_by(holed, 0.01, -0.002);
    const auto before = geometry_parts(holed);
    const auto after = geometry_parts(moved);
    REQUIRE(after.polygons.size() == 1);
    REQUIRE(after.polygons[0].size() == 2);
    for (std::size_t r = 0; r < 2; ++r) {
        REQUIRE(after.polygons[0][r].size() == before.polygons[0][r].size());
        for (std::size_t i = 0; i < before.polygons[0][r].size(); ++i) {
            CHECK(after.polygons[0][r][i].first == before.polygons[0][r][i].first + 0.01);
            CHECK(after.polygons[0][r][i].second == before.polygons[0][r][i].second - 0.002);
        }
    }
    CHECK(error_code([&] { moved_by(holed, 100, 0); }) == "geometry_edit.moved_off_earth");
}

TEST_CASE("overlaps among geometries are found pair by pair with their areas", "[editing][geometry]") {
    const Geometry neighbour = box(123.4007, 41.7995, 123.4015, 41.8005);
    const auto overlaps =
        overlaps_among({square(), box(123.403, south, 123.404, north), neighbour, box(east, south, 123.4012, 41.8001)});
    REQUIRE(overlaps.size() == 2);
    CHECK(overlaps[0].first == 0);
    CHECK(overlaps[0].second == 2);
    CHECK(overlaps[0].area_m2 == Approx(geodesic_area_m2(box(123.4007, south, east, 41.8005))).epsilon(1e-6));
    CHECK(overlaps[1].first == 2);  // the last box touches the square only along an edge
    CHECK(overlaps[1].second == 3);
}
