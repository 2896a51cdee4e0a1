#include "base/geodesy.hpp"
#include "redline/geometry.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace redline;

namespace {

// Surface area of the GRS80 ellipsoid, closed form: 2πa²(1 + (1-e²)/e · atanh e).
double grs80_surface_area() {
    const double a = 6378137.0;
    const double f = 1.0 / 298.257222101;
    const double e2 = f * (2 - f);
    const double e = std::sqrt(e2);
    return 2 * M_PI * a * a * (1 + (1 - e2) / e * std::atanh(e));
}

}  // namespace

TEST_CASE("an octant of the ellipsoid has an eighth of its surface", "[geodesy]") {
    // Edges along the equator and two meridians are geodesics, so the closed form applies.
    const Geometry octant = geometry_from_wkt("POLYGON((0 0, 90 0, 0 90, 0 0))");
    CHECK(geodesic_area_m2(octant) == Approx(grs80_surface_area() / 8).epsilon(1e-12));
}

TEST_CASE("holes are subtracted and multipolygon parts added", "[geodesy]") {
    const Geometry outer = geometry_from_wkt("POLYGON((121 39, 121.1 39, 121.1 39.1, 121 39.1, 121 39))");
    const Geometry hole =
        geometry_from_wkt("POLYGON((121.02 39.02, 121.05 39.02, 121.05 39.05, 121.02 39.05, 121.02 39.02))");
    const Geometry with_hole = geometry_from_wkt(
        "POLYGON((121 39, 121.1 39, 121.1 39.1, 121 39.1, 121 39),"
        "(121.02 39.02, 121.05 39.02, 121.05 39.05, 121.02 39.05, 121.02 39.02))");
    CHECK(geodesic_area_m2(with_hole) == Approx(geodesic_area_m2(outer) - geodesic_area_m2(hole)).epsilon(1e-12));
    const Geometry both = geometry_from_wkt(
        "MULTIPOLYGON(((121 39, 121.1 39, 121.1 39.1, 121 39.1, 121 39)),"
        "((121.2 39, 121.25 39, 121.25 39.05, 121.2 39.05, 121.2 39)))");
    const Geometry second = geometry_from_wkt("POLYGON((121.2 39, 121.25 39, 121.25 39.05, 121.2 39.05, 121.2 39))");
    CHECK(geodesic_area_m2(both) == Approx(geodesic_area_m2(outer) + geodesic_area_m2(second)).epsilon(1e-12));
    // Orientation does not matter.
    const Geometry clockwise = geometry_from_wkt("POLYGON((121 39, 121 39.1, 121.1 39.1, 121.1 39, 121 39))");
    CHECK(geodesic_area_m2(clockwise) == Approx(geodesic_area_m2(outer)).epsilon(1e-12));
}

TEST_CASE("a meridian arc has the known length", "[geodesy]") {
    // Equator to pole on GRS80: 10 001 965.7293 m (quarter meridian).
    CHECK(geodesic_length_m(geometry_from_wkt("LINESTRING(0 0, 0 90)")) == Approx(10'001'965.7293).margin(0.001));
    CHECK(geodesy::distance_m(121, 39, 121, 39) == 0.0);
}

TEST_CASE("a local projection maps back to where it came from", "[geodesy]") {
    geodesy::LocalProjection projection(122);
    geos::Context ctx;
    auto point = geos::from_wkt(ctx, "POINT(121.8 39.2)");
    auto projected = projection.forward(ctx, point.get());
    double x = 0, y = 0;
    GEOSGeomGetX_r(ctx.handle(), projected.get(), &x);
    GEOSGeomGetY_r(ctx.handle(), projected.get(), &y);
    CHECK(x < 0);
    CHECK(y == Approx(4'340'000).margin(10'000));
    projection.inverse(x, y);
    CHECK(x == Approx(121.8).margin(1e-9));
    CHECK(y == Approx(39.2).margin(1e-9));
}
