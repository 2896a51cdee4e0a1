#include "redline/geometry.hpp"

#include "base/geodesy.hpp"
#include "base/geos_support.hpp"

#include <algorithm>

namespace redline {
namespace {

const geos::Context& local_context() {
    thread_local geos::Context context;
    return context;
}

}  // namespace

void BoundingBox::expand(const BoundingBox& other) {
    min_x = std::min(min_x, other.min_x);
    min_y = std::min(min_y, other.min_y);
    max_x = std::max(max_x, other.max_x);
    max_y = std::max(max_y, other.max_y);
}

std::string geometry_type_name(const Geometry& geometry) {
    const auto& ctx = local_context();
    const auto g = geos::from_wkb(ctx, geometry);
    char* type = GEOSGeomType_r(ctx.handle(), g.get());
    std::string out = type != nullptr ? type : "Unknown";
    GEOSFree_r(ctx.handle(), type);
    return out;
}

BoundingBox bounding_box(const Geometry& geometry) {
    const auto& ctx = local_context();
    return geos::extent(ctx, geos::from_wkb(ctx, geometry).get());
}

Geometry geometry_from_wkt(const std::string& wkt) {
    const auto& ctx = local_context();
    return geos::to_wkb(ctx, geos::from_wkt(ctx, wkt).get());
}

std::string geometry_to_wkt(const Geometry& geometry, int precision) {
    const auto& ctx = local_context();
    return geos::to_wkt(ctx, geos::from_wkb(ctx, geometry).get(), precision);
}

double geodesic_area_m2(const Geometry& geometry) {
    const auto& ctx = local_context();
    return geodesy::area_m2(ctx, geos::from_wkb(ctx, geometry).get());
}

double geodesic_length_m(const Geometry& geometry) {
    const auto& ctx = local_context();
    return geodesy::length_m(ctx, geos::from_wkb(ctx, geometry).get());
}

}  // namespace redline
