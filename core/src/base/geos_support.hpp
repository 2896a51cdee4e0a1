// RAII around the GEOS C API (reentrant _r functions, one context per thread).
#pragma once

#include "redline/geometry.hpp"

#include <geos_c.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace redline::geos {

// One GEOS context; collects the last error message so it can be put into exceptions.
class Context {
public:
    Context();
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    GEOSContextHandle_t handle() const { return handle_; }
    const std::string& last_error() const { return last_error_; }

private:
    static void on_error(const char* message, void* userdata);
    GEOSContextHandle_t handle_;
    std::string last_error_;
};

struct GeometryDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* p) const { GEOSPreparedGeom_destroy_r(ctx, p); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

struct TreeDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSSTRtree* t) const { GEOSSTRtree_destroy_r(ctx, t); }
};
using TreePtr = std::unique_ptr<GEOSSTRtree, TreeDeleter>;
TreePtr make_tree(const Context& ctx);  // an STRtree of node capacity 10

// Takes ownership of a GEOS result; a null result throws with GEOS's own message.
GeomPtr own(const Context& ctx, GEOSGeometry* geometry, const char* operation);
GeomPtr clone(const Context& ctx, const GEOSGeometry* geometry);
PreparedPtr prepare(const Context& ctx, const GEOSGeometry* geometry);

GeomPtr from_wkb(const Context& ctx, const Geometry& geometry);
Geometry to_wkb(const Context& ctx, const GEOSGeometry* geometry);
GeomPtr from_wkt(const Context& ctx, const std::string& wkt);
std::string to_wkt(const Context& ctx, const GEOSGeometry* geometry, int precision);
// RFC 7946 GeoJSON of a geometry (its coordinates as stored: lon/lat degrees).
std::string to_geojson(const Context& ctx, const GEOSGeometry* geometry);

BoundingBox extent(const Context& ctx, const GEOSGeometry* geometry);
// Dimension of the geometry's parts: 0 points, 1 lines, 2 polygons (-1 when empty).
int dimension(const Context& ctx, const GEOSGeometry* geometry);
std::size_t vertex_count(const Context& ctx, const GEOSGeometry* geometry);

// Keeps only the parts of the given dimension, as a single or multi geometry.
GeomPtr keep_dimension(const Context& ctx, const GEOSGeometry* geometry, int wanted);

// Calls fn(const GEOSGeometry*) for every non-collection part, recursively.
template <typename Fn>
void for_each_part(const Context& ctx, const GEOSGeometry* geometry, Fn&& fn) {
    const int type = GEOSGeomTypeId_r(ctx.handle(), geometry);
    if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON ||
        type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), geometry);
        for (int i = 0; i < n; ++i) {
            for_each_part(ctx, GEOSGetGeometryN_r(ctx.handle(), geometry, i), fn);
        }
    } else {
        fn(geometry);
    }
}

// A point inside the geometry (GEOS point on surface) as x, y; none when it is empty.
std::optional<std::pair<double, double>> point_on_surface(const Context& ctx, const GEOSGeometry* geometry);

// A valid copy of a geometry, of its own dimension (GEOS make-valid, default method): for
// overlays on stored geometry someone may have edited into an invalid state.
GeomPtr valid_copy(const Context& ctx, const GEOSGeometry* geometry);
// A stored geometry for overlay: as stored when valid, else a valid copy (a zone someone
// edited into an invalid state elsewhere).
GeomPtr valid_from_wkb(const Context& ctx, const Geometry& geometry);

// The union of the geometries (which stay unchanged), as one geometry.
GeomPtr union_all(const Context& ctx, const std::vector<const GEOSGeometry*>& geometries);

// The coordinates of a linestring or ring as x,y pairs.
std::vector<double> coordinates(const Context& ctx, const GEOSGeometry* line);

}  // namespace redline::geos
