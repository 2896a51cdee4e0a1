#include "base/geos_support.hpp"

#include "redline/errors.hpp"

#include <algorithm>
#include <stdexcept>

namespace redline::geos {

Context::Context() : handle_(GEOS_init_r()) {
    if (handle_ == nullptr) {
        throw std::runtime_error("GEOS: cannot create a context");
    }
    GEOSContext_setErrorMessageHandler_r(handle_, &Context::on_error, this);
}

Context::~Context() {
    GEOS_finish_r(handle_);
}

void Context::on_error(const char* message, void* userdata) {
    static_cast<Context*>(userdata)->last_error_ = message != nullptr ? message : "";
}

GeomPtr own(const Context& ctx, GEOSGeometry* geometry, const char* operation) {
    if (geometry == nullptr) {
        throw std::runtime_error(std::string("GEOS ") + operation + " failed: " + ctx.last_error());
    }
    return GeomPtr(geometry, GeometryDeleter{ctx.handle()});
}

GeomPtr clone(const Context& ctx, const GEOSGeometry* geometry) {
    return own(ctx, GEOSGeom_clone_r(ctx.handle(), geometry), "clone");
}

PreparedPtr prepare(const Context& ctx, const GEOSGeometry* geometry) {
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(ctx.handle(), geometry);
    if (prepared == nullptr) {
        throw std::runtime_error("GEOS prepare failed: " + ctx.last_error());
    }
    return PreparedPtr(prepared, PreparedDeleter{ctx.handle()});
}

GeomPtr from_wkb(const Context& ctx, const Geometry& geometry) {
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx.handle());
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx.handle(), reader, geometry.wkb.data(), geometry.wkb.size());
    GEOSWKBReader_destroy_r(ctx.handle(), reader);
    return own(ctx, g, "WKB read");
}

Geometry to_wkb(const Context& ctx, const GEOSGeometry* geometry) {
    GEOSWKBWriter* writer = GEOSWKBWriter_create_r(ctx.handle());
    GEOSWKBWriter_setFlavor_r(ctx.handle(), writer, GEOS_WKB_ISO);
    std::size_t size = 0;
    unsigned char* bytes = GEOSWKBWriter_write_r(ctx.handle(), writer, geometry, &size);
    GEOSWKBWriter_destroy_r(ctx.handle(), writer);
    if (bytes == nullptr) {
        throw std::runtime_error("GEOS WKB write failed: " + ctx.last_error());
    }
    Geometry out{std::vector<unsigned char>(bytes, bytes + size)};
    GEOSFree_r(ctx.handle(), bytes);
    return out;
}

GeomPtr from_wkt(const Context& ctx, const std::string& wkt) {
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.handle());
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx.handle(), reader, wkt.c_str());
    GEOSWKTReader_destroy_r(ctx.handle(), reader);
    if (g == nullptr) {
        throw DataError(Message("geometry.bad_wkt", {{"text", wkt.substr(0, 60) + (wkt.size() > 60 ? "..." : "")},
                                                     {"detail", ctx.last_error()}}));
    }
    return GeomPtr(g, GeometryDeleter{ctx.handle()});
}

std::string to_wkt(const Context& ctx, const GEOSGeometry* geometry, int precision) {
    GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx.handle());
    GEOSWKTWriter_setRoundingPrecision_r(ctx.handle(), writer, precision);
    GEOSWKTWriter_setTrim_r(ctx.handle(), writer, 1);
    char* text = GEOSWKTWriter_write_r(ctx.handle(), writer, geometry);
    GEOSWKTWriter_destroy_r(ctx.handle(), writer);
    if (text == nullptr) {
        throw std::runtime_error("GEOS WKT write failed: " + ctx.last_error());
    }
    std::string out(text);
    GEOSFree_r(ctx.handle(), text);
    return out;
}

std::string to_geojson(const Context& ctx, const GEOSGeometry* geometry) {
    GEOSGeoJSONWriter* writer = GEOSGeoJSONWriter_create_r(ctx.handle());
    char* text = GEOSGeoJSONWriter_writeGeometry_r(ctx.handle(), writer, geometry, -1);
    GEOSGeoJSONWriter_destroy_r(ctx.handle(), writer);
    if (text == nullptr) {
        throw std::runtime_error("GEOS GeoJSON write failed: " + ctx.last_error());
    }
    std::string out(text);
    GEOSFree_r(ctx.handle(), text);
    return out;
}

BoundingBox extent(const Context& ctx, const GEOSGeometry* geometry) {
    BoundingBox box;
    if (GEOSGeom_getExtent_r(ctx.handle(), geometry, &box.min_x, &box.min_y, &box.max_x, &box.max_y) == 0) {
        throw std::runtime_error("GEOS extent failed: " + ctx.last_error());
    }
    return box;
}

int dimension(const Context& ctx, const GEOSGeometry* geometry) {
    if (GEOSisEmpty_r(ctx.handle(), geometry) == 1) {
        return -1;
    }
    int highest = -1;
    for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        if (GEOSisEmpty_r(ctx.handle(), part) != 1) {
            highest = std::max(highest, GEOSGeom_getDimensions_r(ctx.handle(), part));
        }
    });
    return highest;
}

std::size_t vertex_count(const Context& ctx, const GEOSGeometry* geometry) {
    const int n = GEOSGetNumCoordinates_r(ctx.handle(), geometry);
    return n < 0 ? 0 : static_cast<std::size_t>(n);
}

GeomPtr keep_dimension(const Context& ctx, const GEOSGeometry* geometry, int wanted) {
    std::vector<GEOSGeometry*> parts;
    for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        if (GEOSisEmpty_r(ctx.handle(), part) != 1 && GEOSGeom_getDimensions_r(ctx.handle(), part) == wanted) {
            parts.push_back(GEOSGeom_clone_r(ctx.handle(), part));
        }
    });
    const int multi_type = wanted == 2 ? GEOS_MULTIPOLYGON : wanted == 1 ? GEOS_MULTILINESTRING : GEOS_MULTIPOINT;
    if (parts.empty()) {
        return own(ctx, GEOSGeom_createEmptyCollection_r(ctx.handle(), multi_type), "empty collection");
    }
    if (parts.size() == 1) {
        return own(ctx, parts.front(), "clone");
    }
    return own(ctx,
               GEOSGeom_createCollection_r(ctx.handle(), multi_type, parts.data(), static_cast<unsigned>(parts.size())),
               "collection");
}

std::vector<double> coordinates(const Context& ctx, const GEOSGeometry* line) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), line);
    unsigned size = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(ctx.handle(), seq, &size) == 0) {
        throw std::runtime_error("GEOS coordinate access failed: " + ctx.last_error());
    }
    std::vector<double> xy(static_cast<std::size_t>(size) * 2);
    if (size > 0 && GEOSCoordSeq_copyToBuffer_r(ctx.handle(), seq, xy.data(), 0, 0) == 0) {
        throw std::runtime_error("GEOS coordinate copy failed: " + ctx.last_error());
    }
    return xy;
}

TreePtr make_tree(const Context& ctx) {
    return TreePtr(GEOSSTRtree_create_r(ctx.handle(), 10), TreeDeleter{ctx.handle()});
}

std::optional<std::pair<double, double>> point_on_surface(const Context& ctx, const GEOSGeometry* geometry) {
    if (GEOSisEmpty_r(ctx.handle(), geometry) == 1) {
        return std::nullopt;
    }
    auto p = own(ctx, GEOSPointOnSurface_r(ctx.handle(), geometry), "point on surface");
    if (GEOSisEmpty_r(ctx.handle(), p.get()) == 1) {
        return std::nullopt;
    }
    double x = 0, y = 0;
    GEOSGeomGetX_r(ctx.handle(), p.get(), &x);
    GEOSGeomGetY_r(ctx.handle(), p.get(), &y);
    return std::make_pair(x, y);
}

GeomPtr valid_copy(const Context& ctx, const GEOSGeometry* geometry) {
    if (GEOSisValid_r(ctx.handle(), geometry) == 1) {
        return clone(ctx, geometry);
    }
    auto repaired = own(ctx, GEOSMakeValid_r(ctx.handle(), geometry), "make-valid");
    return keep_dimension(ctx, repaired.get(), dimension(ctx, geometry));
}

GeomPtr valid_from_wkb(const Context& ctx, const Geometry& geometry) {
    auto g = from_wkb(ctx, geometry);
    return GEOSisValid_r(ctx.handle(), g.get()) == 1 ? std::move(g) : valid_copy(ctx, g.get());
}

GeomPtr union_all(const Context& ctx, const std::vector<const GEOSGeometry*>& geometries) {
    std::vector<GEOSGeometry*> parts;
    for (const GEOSGeometry* g : geometries) {
        parts.push_back(GEOSGeom_clone_r(ctx.handle(), g));
    }
    auto collection = own(ctx,
                          GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                      static_cast<unsigned>(parts.size())),
                          "collection");
    return own(ctx, GEOSUnaryUnion_r(ctx.handle(), collection.get()), "union");
}

}  // namespace redline::geos
