#include "base/geodesy.hpp"

#include <geodesic.h>
#include <proj.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace redline::geodesy {
namespace {

const geod_geodesic& grs80() {
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, 6378137.0, 1.0 / 298.257222101);
        return init;
    }();
    return g;
}

double ring_area_m2(const geos::Context& ctx, const GEOSGeometry* ring) {
    const std::vector<double> xy = geos::coordinates(ctx, ring);
    const std::size_t n = xy.size() / 2;
    if (n < 4) {
        return 0.0;
    }
    geod_polygon polygon{};
    geod_polygon_init(&polygon, 0);
    // The closing vertex repeats the first; geod_polygon closes the ring itself.
    for (std::size_t i = 0; i + 1 < n; ++i) {
        geod_polygon_addpoint(&grs80(), &polygon, xy[2 * i + 1], xy[2 * i]);
    }
    double area = 0, perimeter = 0;
    geod_polygon_compute(&grs80(), &polygon, 0, 1, &area, &perimeter);
    return std::fabs(area);
}

double line_length_m(const geos::Context& ctx, const GEOSGeometry* line) {
    const std::vector<double> xy = geos::coordinates(ctx, line);
    double total = 0;
    for (std::size_t i = 2; i + 1 < xy.size(); i += 2) {
        total += distance_m(xy[i - 2], xy[i - 1], xy[i], xy[i + 1]);
    }
    return total;
}

}  // namespace

double distance_m(double lon1, double lat1, double lon2, double lat2) {
    double s12 = 0;
    geod_inverse(&grs80(), lat1, lon1, lat2, lon2, &s12, nullptr, nullptr);
    return s12;
}

double area_m2(const geos::Context& ctx, const GEOSGeometry* geometry) {
    double total = 0;
    geos::for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        if (GEOSGeomTypeId_r(ctx.handle(), part) != GEOS_POLYGON || GEOSisEmpty_r(ctx.handle(), part) == 1) {
            return;
        }
        total += ring_area_m2(ctx, GEOSGetExteriorRing_r(ctx.handle(), part));
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), part);
        for (int i = 0; i < holes; ++i) {
            total -= ring_area_m2(ctx, GEOSGetInteriorRingN_r(ctx.handle(), part, i));
        }
    });
    return total;
}

double length_m(const geos::Context& ctx, const GEOSGeometry* geometry) {
    double total = 0;
    geos::for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        const int type = GEOSGeomTypeId_r(ctx.handle(), part);
        if ((type == GEOS_LINESTRING || type == GEOS_LINEARRING) && GEOSisEmpty_r(ctx.handle(), part) != 1) {
            total += line_length_m(ctx, part);
        }
    });
    return total;
}

double perimeter_m(const geos::Context& ctx, const GEOSGeometry* geometry) {
    double total = 0;
    geos::for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        if (GEOSGeomTypeId_r(ctx.handle(), part) != GEOS_POLYGON || GEOSisEmpty_r(ctx.handle(), part) == 1) {
            return;
        }
        total += line_length_m(ctx, GEOSGetExteriorRing_r(ctx.handle(), part));
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), part);
        for (int i = 0; i < holes; ++i) {
            total += line_length_m(ctx, GEOSGetInteriorRingN_r(ctx.handle(), part, i));
        }
    });
    return total;
}

struct LocalProjection::Impl {
    struct ContextDeleter {
        void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
    };
    struct TransformDeleter {
        void operator()(PJ* p) const { proj_destroy(p); }
    };
    std::unique_ptr<PJ_CONTEXT, ContextDeleter> context{proj_context_create()};
    std::unique_ptr<PJ, TransformDeleter> transform;
};

LocalProjection::LocalProjection(double central_meridian) : impl_(std::make_unique<Impl>()) {
    const std::string target = "+proj=tmerc +lat_0=0 +lon_0=" + std::to_string(central_meridian) +
                               " +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs";
    PJ_CONTEXT* context = impl_->context.get();
    std::unique_ptr<PJ, Impl::TransformDeleter> raw(
        proj_create_crs_to_crs(context, "+proj=longlat +ellps=GRS80 +no_defs +type=crs", target.c_str(), nullptr));
    if (raw) {
        impl_->transform.reset(proj_normalize_for_visualization(context, raw.get()));
    }
    if (!impl_->transform) {
        throw std::runtime_error("PROJ: cannot create the local transverse Mercator projection");
    }
}

LocalProjection::~LocalProjection() = default;

geos::GeomPtr LocalProjection::forward(const geos::Context& ctx, const GEOSGeometry* lonlat) const {
    auto callback = [](double* x, double* y, void* userdata) -> int {
        PJ_COORD c = proj_coord(*x, *y, 0, 0);
        c = proj_trans(static_cast<PJ*>(userdata), PJ_FWD, c);
        if (c.xy.x == HUGE_VAL) {
            return 0;
        }
        *x = c.xy.x;
        *y = c.xy.y;
        return 1;
    };
    return geos::own(ctx, GEOSGeom_transformXY_r(ctx.handle(), lonlat, callback, impl_->transform.get()),
                     "projection to local metres");
}

void LocalProjection::forward(double& x, double& y) const {
    const PJ_COORD c = proj_trans(impl_->transform.get(), PJ_FWD, proj_coord(x, y, 0, 0));
    x = c.xy.x;
    y = c.xy.y;
}

void LocalProjection::inverse(double& x, double& y) const {
    PJ_COORD c = proj_trans(impl_->transform.get(), PJ_INV, proj_coord(x, y, 0, 0));
    x = c.lp.lam;
    y = c.lp.phi;
}

}  // namespace redline::geodesy
