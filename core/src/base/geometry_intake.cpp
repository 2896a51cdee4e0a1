#include "base/geometry_intake.hpp"

#include "base/geodesy.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace redline {

const char* dimension_name(int dimension) {
    switch (dimension) {
        case 0:
            return "points";
        case 1:
            return "lines";
        case 2:
            return "polygons";
        default:
            return "nothing";
    }
}

GeometryIntake::GeometryIntake(const geos::Context& ctx, const OGRSpatialReference& source_srs)
    : ctx_(ctx), transform_(gdal::to_storage(source_srs)) {}

IntakeResult GeometryIntake::take(const OGRGeometry* source, int wanted_dimension) const {
    IntakeResult result;
    if (source == nullptr || source->IsEmpty()) {
        result.error = "the geometry is empty or missing";
        return result;
    }
    std::unique_ptr<OGRGeometry> g(source->hasCurveGeometry() ? source->getLinearGeometry() : source->clone());
    g->flattenTo2D();
    if (g->transform(transform_.get()) != OGRERR_NONE) {
        result.error =
            "the geometry cannot be transformed to CGCS2000 (coordinates outside the source CRS's area of use?)";
        return result;
    }
    OGREnvelope env;
    g->getEnvelope(&env);
    if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxY) || env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 ||
        env.MaxY > 90) {
        result.error =
            "the geometry has coordinates that are not on the earth after transformation; check the source CRS";
        return result;
    }
    std::vector<unsigned char> wkb(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return make_valid(geos::from_wkb(ctx_, Geometry{std::move(wkb)}), wanted_dimension);
}

IntakeResult GeometryIntake::make_valid(geos::GeomPtr geometry, int wanted_dimension) const {
    IntakeResult result;
    const int dimension = geos::dimension(ctx_, geometry.get());
    if (dimension < 0) {
        result.error = "the geometry is empty or missing";
        return result;
    }
    if (wanted_dimension >= 0 && dimension != wanted_dimension) {
        result.error = std::string("the geometry holds ") + dimension_name(dimension) + " but this layer takes " +
                       dimension_name(wanted_dimension);
        return result;
    }
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char valid = GEOSisValidDetail_r(ctx_.handle(), geometry.get(), 0, &reason, &location);
    if (valid == 1) {
        result.geometry = std::move(geometry);
        return result;
    }
    std::string why = reason != nullptr ? reason : "invalid";
    GEOSFree_r(ctx_.handle(), reason);
    result.invalid_reason = why;
    if (location != nullptr) {
        double x = 0, y = 0;
        GEOSGeomGetX_r(ctx_.handle(), location, &x);
        GEOSGeomGetY_r(ctx_.handle(), location, &y);
        result.invalid_at = std::make_pair(x, y);
        char where[64];
        std::snprintf(where, sizeof where, " at %.7f %.7f", x, y);
        why += where;
        GEOSGeom_destroy_r(ctx_.handle(), location);
    }

    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx_.handle());
    GEOSMakeValidParams_setMethod_r(ctx_.handle(), params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx_.handle(), params, 0);
    GEOSGeometry* repaired_raw = GEOSMakeValidWithParams_r(ctx_.handle(), geometry.get(), params);
    GEOSMakeValidParams_destroy_r(ctx_.handle(), params);
    if (repaired_raw == nullptr) {
        result.error =
            "the geometry is invalid (" + why + ") and GEOS make-valid could not repair it: " + ctx_.last_error();
        return result;
    }
    geos::GeomPtr repaired = geos::keep_dimension(ctx_, geos::own(ctx_, repaired_raw, "make-valid").get(), dimension);
    if (GEOSisEmpty_r(ctx_.handle(), repaired.get()) == 1) {
        result.error = "the geometry is invalid (" + why + ") and collapses to nothing when repaired";
        return result;
    }
    char measures[160];
    if (dimension == 2) {
        std::snprintf(measures, sizeof measures, "area as given %.2f m², after repair %.2f m²",
                      geodesy::area_m2(ctx_, geometry.get()), geodesy::area_m2(ctx_, repaired.get()));
    } else {
        std::snprintf(measures, sizeof measures, "length as given %.2f m, after repair %.2f m",
                      geodesy::length_m(ctx_, geometry.get()), geodesy::length_m(ctx_, repaired.get()));
    }
    result.repair = "invalid geometry (" + why + ") repaired with GEOS make-valid (structure method); " + measures;
    result.geometry = std::move(repaired);
    return result;
}

}  // namespace redline
