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

std::string geometry_to_geojson(const Geometry& geometry) {
    const auto& ctx = local_context();
    return geos::to_geojson(ctx, geos::from_wkb(ctx, geometry).get());
}

std::size_t GeometryParts::vertex_count() const {
    std::size_t count = points.size();
    for (const auto& polygon : polygons) {
        for (const auto& ring : polygon) {
            count += ring.size();
        }
    }
    for (const auto& line : lines) {
        count += line.size();
    }
    return count;
}

GeometryParts geometry_parts(const Geometry& geometry) {
    GeometryParts parts;
    if (geometry.empty()) {
        return parts;
    }
    const auto& ctx = local_context();
    const auto h = ctx.handle();
    const auto g = geos::from_wkb(ctx, geometry);
    auto path = [&](const GEOSGeometry* line) {
        const std::vector<double> xy = geos::coordinates(ctx, line);
        LonLatPath out(xy.size() / 2);
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = {xy[2 * i], xy[2 * i + 1]};
        }
        return out;
    };
    geos::for_each_part(ctx, g.get(), [&](const GEOSGeometry* part) {
        if (GEOSisEmpty_r(h, part) == 1) {
            return;
        }
        switch (GEOSGeomTypeId_r(h, part)) {
            case GEOS_POLYGON: {
                std::vector<LonLatPath> rings;
                rings.push_back(path(GEOSGetExteriorRing_r(h, part)));
                const int holes = GEOSGetNumInteriorRings_r(h, part);
                for (int i = 0; i < holes; ++i) {
                    rings.push_back(path(GEOSGetInteriorRingN_r(h, part, i)));
                }
                parts.polygons.push_back(std::move(rings));
                break;
            }
            case GEOS_LINESTRING:
            case GEOS_LINEARRING:
                parts.lines.push_back(path(part));
                break;
            case GEOS_POINT: {
                double x = 0, y = 0;
                GEOSGeomGetX_r(h, part, &x);
                GEOSGeomGetY_r(h, part, &y);
                parts.points.emplace_back(x, y);
                break;
            }
            default:
                break;
        }
    });
    return parts;
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
