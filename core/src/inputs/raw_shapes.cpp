#include "inputs/raw_shapes.hpp"

#include "base/geometry_intake.hpp"
#include "base/geos_support.hpp"
#include "redline/errors.hpp"

#include <cstdio>

namespace redline {

void place_raw_shapes(const std::vector<RawShape>& shapes, const RawCrsHints& hints, const std::string& source,
                      std::size_t vertex_budget, FootprintSet& out) {
    std::vector<std::pair<double, double>> all;
    for (const auto& shape : shapes) {
        for (const auto& ring : shape.rings) {
            all.insert(all.end(), ring.begin(), ring.end());
        }
    }
    const RawCrsDecision decision = decide_raw_crs(all, hints, source);
    out.crs = decision.label;
    out.detections.insert(out.detections.end(), decision.detections.begin(), decision.detections.end());
    for (const auto& w : decision.warnings) {
        out.problems.push_back({Severity::warning, source, {}, w});
    }

    geos::Context ctx;
    GeometryIntake intake(ctx, decision.srs, vertex_budget);
    for (const auto& shape : shapes) {
        const Message label =
            shape.where.empty()
                ? feature_ref(shape.id, shape.name)
                : Message("where.feature_at", {{"feature", feature_ref(shape.id, shape.name)}, {"at", shape.where}});
        std::unique_ptr<OGRGeometry> geometry;
        if (shape.dimension == 2) {
            auto polygon = std::make_unique<OGRPolygon>();
            for (const auto& ring : shape.rings) {
                OGRLinearRing r;
                for (const auto& [a, b] : ring) {
                    const auto [x, y] = to_east_north(decision, a, b);
                    r.addPoint(x, y);
                }
                polygon->addRing(&r);
            }
            geometry = std::move(polygon);
        } else if (shape.dimension == 1) {
            auto line = std::make_unique<OGRLineString>();
            for (const auto& ring : shape.rings) {
                for (const auto& [a, b] : ring) {
                    const auto [x, y] = to_east_north(decision, a, b);
                    line->addPoint(x, y);
                }
            }
            geometry = std::move(line);
        } else {
            auto points = std::make_unique<OGRMultiPoint>();
            for (const auto& ring : shape.rings) {
                for (const auto& [a, b] : ring) {
                    const auto [x, y] = to_east_north(decision, a, b);
                    OGRPoint p(x, y);
                    points->addGeometry(&p);
                }
            }
            geometry = points->getNumGeometries() == 1
                           ? std::unique_ptr<OGRGeometry>(points->getGeometryRef(0)->clone())
                           : std::unique_ptr<OGRGeometry>(std::move(points));
        }
        IntakeResult taken = intake.take(geometry.get(), shape.dimension);
        if (!taken.geometry) {
            out.problems.push_back(
                {Severity::error, source, label, Message("input.not_checked", {{"why", taken.error}})});
            continue;
        }
        if (taken.repair) {
            out.problems.push_back({Severity::repair, source, label, *taken.repair});
        }
        out.footprints.push_back({shape.id, shape.name, geos::to_wkb(ctx, taken.geometry.get()), shape.attributes});
    }
    refuse_outside_china(out);
}

std::unique_ptr<OGRGeometry> adjust_coordinates(const OGRGeometry& geometry, const RawCrsDecision& decision) {
    std::unique_ptr<OGRGeometry> flat(geometry.hasCurveGeometry() ? geometry.getLinearGeometry() : geometry.clone());
    flat->flattenTo2D();
    std::vector<unsigned char> wkb(flat->WkbSize());
    flat->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    geos::Context ctx;
    geos::GeomPtr g;
    try {
        g = geos::from_wkb(ctx, Geometry{std::move(wkb)});
    } catch (const std::runtime_error&) {
        throw DataError(Message("geometry.unreadable", {{"why", Message::verbatim(ctx.last_error())}}));
    }
    auto callback = [](double* x, double* y, void* userdata) -> int {
        const auto [east, north] = to_east_north(*static_cast<const RawCrsDecision*>(userdata), *x, *y);
        *x = east;
        *y = north;
        return 1;
    };
    auto adjusted = geos::own(ctx,
                              GEOSGeom_transformXY_r(ctx.handle(), g.get(), callback,
                                                     // GEOS takes a mutable user pointer; the callback only reads it.
                                                     const_cast<RawCrsDecision*>(&decision)),
                              "axis adjustment");
    const Geometry out = geos::to_wkb(ctx, adjusted.get());
    OGRGeometry* result = nullptr;
    OGRGeometryFactory::createFromWkb(out.wkb.data(), nullptr, &result, out.wkb.size());
    return std::unique_ptr<OGRGeometry>(result);
}

void refuse_outside_china(FootprintSet& set) {
    std::vector<Footprint> kept;
    for (auto& fp : set.footprints) {
        const BoundingBox box = bounding_box(fp.geometry);
        if (inside_china(box.min_x, box.min_y) && inside_china(box.max_x, box.max_y)) {
            kept.push_back(std::move(fp));
            continue;
        }
        char where[128];
        std::snprintf(where, sizeof where, "%.5f %.5f", (box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2);
        set.problems.push_back({Severity::error, set.source, feature_ref(fp.id, fp.name),
                                Message("input.outside_china", {{"at", where}})});
    }
    set.footprints = std::move(kept);
}

}  // namespace redline
