#include "base/geometry_intake.hpp"

#include "base/geodesy.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace redline {

Message dimension_name(int dimension) {
    switch (dimension) {
        case 0:
            return Message("geometry.points");
        case 1:
            return Message("geometry.lines");
        case 2:
            return Message("geometry.polygons");
        default:
            return Message("geometry.nothing");
    }
}

Message invalidity(const std::string& geos_reason) {
    // GEOS's reasons (IsValidOp), by the words it writes.
    static const std::pair<const char*, const char*> known[] = {
        {"Self-intersection", "geometry.invalid.self_intersection"},
        {"Ring Self-intersection", "geometry.invalid.ring_self_intersection"},
        {"Too few points in geometry component", "geometry.invalid.too_few_points"},
        {"Interior is disconnected", "geometry.invalid.interior_disconnected"},
        {"Hole lies outside shell", "geometry.invalid.hole_outside_shell"},
        {"Holes are nested", "geometry.invalid.nested_holes"},
        {"Nested shells", "geometry.invalid.nested_shells"},
        {"Duplicate Rings", "geometry.invalid.duplicate_rings"},
        {"Invalid Coordinate", "geometry.invalid.bad_coordinate"},
        {"Ring is not closed", "geometry.invalid.ring_not_closed"},
    };
    for (const auto& [words, code] : known) {
        if (geos_reason == words) {
            return Message(code);
        }
    }
    return Message::verbatim(geos_reason);
}

std::size_t vertex_count(const OGRGeometry& geometry) {
    const OGRwkbGeometryType type = wkbFlatten(geometry.getGeometryType());
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        std::size_t n = 0;
        for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
            n += vertex_count(*part);
        }
        return n;
    }
    if (OGR_GT_IsSubClassOf(type, wkbCurvePolygon)) {
        const OGRCurvePolygon& polygon = *geometry.toCurvePolygon();
        std::size_t n = 0;
        for (const OGRCurve* ring : polygon) {
            n += static_cast<std::size_t>(ring->getNumPoints());
        }
        return n;
    }
    if (OGR_GT_IsSubClassOf(type, wkbCurve)) {
        return static_cast<std::size_t>(geometry.toCurve()->getNumPoints());
    }
    if (type == wkbPoint) {
        return 1;
    }
    return geometry.WkbSize() / 16;  // surfaces of other kinds: about one vertex per 16 bytes
}

GeometryIntake::GeometryIntake(const geos::Context& ctx, const OGRSpatialReference& source_srs,
                               std::size_t vertex_budget)
    : ctx_(ctx), transform_(gdal::to_storage(source_srs)), vertex_budget_(vertex_budget) {}

IntakeResult GeometryIntake::take(const OGRGeometry* source, int wanted_dimension) const {
    IntakeResult result;
    if (source == nullptr || source->IsEmpty()) {
        result.error = Message("geometry.empty");
        return result;
    }
    // Checked before anything is copied: repairing a million self-intersecting vertices
    // takes minutes and gigabytes.
    if (vertex_budget_ != 0) {
        if (const std::size_t n = vertex_count(*source); n > vertex_budget_) {
            result.error = Message("geometry.too_many_vertices", {{"count", n}, {"limit", vertex_budget_}});
            return result;
        }
    }
    std::unique_ptr<OGRGeometry> g(source->hasCurveGeometry() ? source->getLinearGeometry() : source->clone());
    g->flattenTo2D();
    if (g->transform(transform_.get()) != OGRERR_NONE) {
        result.error = Message("geometry.untransformable");
        return result;
    }
    OGREnvelope env;
    g->getEnvelope(&env);
    if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxY) || env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 ||
        env.MaxY > 90) {
        result.error = Message("geometry.off_earth");
        return result;
    }
    std::vector<unsigned char> wkb(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    geos::GeomPtr read;
    try {
        read = geos::from_wkb(ctx_, Geometry{std::move(wkb)});
    } catch (const std::runtime_error&) {
        // GEOS refuses rings it cannot build (fewer than four points, not closed): the
        // feature is unusable, not the program broken.
        result.error = Message("geometry.unreadable", {{"why", Message::verbatim(ctx_.last_error())}});
        return result;
    }
    return make_valid(std::move(read), wanted_dimension);
}

IntakeResult GeometryIntake::make_valid(geos::GeomPtr geometry, int wanted_dimension) const {
    IntakeResult result;
    const int dimension = geos::dimension(ctx_, geometry.get());
    if (dimension < 0) {
        result.error = Message("geometry.empty");
        return result;
    }
    if (wanted_dimension >= 0 && dimension != wanted_dimension) {
        result.error = Message("geometry.wrong_dimension",
                               {{"holds", dimension_name(dimension)}, {"takes", dimension_name(wanted_dimension)}});
        return result;
    }
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char valid = GEOSisValidDetail_r(ctx_.handle(), geometry.get(), 0, &reason, &location);
    if (valid == 1) {
        result.geometry = std::move(geometry);
        return result;
    }
    const std::string geos_reason = reason != nullptr ? reason : "invalid";
    GEOSFree_r(ctx_.handle(), reason);
    result.invalid_reason = geos_reason;
    Message why = invalidity(geos_reason);
    if (location != nullptr) {
        double x = 0, y = 0;
        GEOSGeomGetX_r(ctx_.handle(), location, &x);
        GEOSGeomGetY_r(ctx_.handle(), location, &y);
        result.invalid_at = std::make_pair(x, y);
        char at[64];
        std::snprintf(at, sizeof at, "%.7f %.7f", x, y);
        why = Message("geometry.invalid_at", {{"why", why}, {"at", at}});
        GEOSGeom_destroy_r(ctx_.handle(), location);
    }

    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx_.handle());
    GEOSMakeValidParams_setMethod_r(ctx_.handle(), params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx_.handle(), params, 0);
    GEOSGeometry* repaired_raw = GEOSMakeValidWithParams_r(ctx_.handle(), geometry.get(), params);
    GEOSMakeValidParams_destroy_r(ctx_.handle(), params);
    if (repaired_raw == nullptr) {
        result.error = Message("geometry.unrepairable", {{"why", why}, {"detail", ctx_.last_error()}});
        return result;
    }
    geos::GeomPtr repaired = geos::keep_dimension(ctx_, geos::own(ctx_, repaired_raw, "make-valid").get(), dimension);
    if (GEOSisEmpty_r(ctx_.handle(), repaired.get()) == 1) {
        result.error = Message("geometry.collapses", {{"why", why}});
        return result;
    }
    auto fixed2 = [](double value) {
        char text[48];
        std::snprintf(text, sizeof text, "%.2f", value);
        return std::string(text);
    };
    if (dimension == 2) {
        result.repair = Message("geometry.repaired_area", {{"why", why},
                                                           {"before", fixed2(geodesy::area_m2(ctx_, geometry.get()))},
                                                           {"after", fixed2(geodesy::area_m2(ctx_, repaired.get()))}});
    } else {
        result.repair =
            Message("geometry.repaired_length", {{"why", why},
                                                 {"before", fixed2(geodesy::length_m(ctx_, geometry.get()))},
                                                 {"after", fixed2(geodesy::length_m(ctx_, repaired.get()))}});
    }
    result.geometry = std::move(repaired);
    return result;
}

}  // namespace redline
