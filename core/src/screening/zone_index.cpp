// The zone index: zones split into parts of bounded size, each prepared, under an STRtree.
// Measures of a hit are summed over the parts it touches, which partition the zone.
#include "redline/screening/check.hpp"

#include "base/geodesy.hpp"
#include "base/geos_support.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <stdexcept>

namespace redline {
namespace {

// Parts above this many vertices are split in two along the longer side of their extent.
constexpr std::size_t max_part_vertices = 256;
constexpr int max_split_depth = 24;

int relation_order(Relation r) {
    switch (r) {
        case Relation::within:
            return 0;
        case Relation::contains:
            return 1;
        case Relation::overlaps:
            return 2;
        case Relation::touches:
            return 3;
        case Relation::near:
            return 4;
    }
    return 5;
}

int zone_dimension(const KindSchema& kind) {
    return kind.geometry == ZoneGeometry::polygon ? 2 : kind.geometry == ZoneGeometry::line ? 1 : 0;
}

// A tangent-plane frame at a point: metres east and north, exact at the point. Near it
// (a few kilometres) it finds the nearest point of a zone; the distance itself is then
// measured on the ellipsoid.
struct LocalFrame {
    double lon0, lat0, metres_per_deg_lon, metres_per_deg_lat;
    LocalFrame(double lon, double lat) : lon0(lon), lat0(lat) {
        constexpr double a = 6378137.0, e2 = 0.0066943800229;
        const double s = std::sin(lat * std::numbers::pi / 180.0);
        const double w = 1.0 - e2 * s * s;
        const double nu = a / std::sqrt(w);
        const double rho = a * (1.0 - e2) / (w * std::sqrt(w));
        metres_per_deg_lon = nu * std::cos(lat * std::numbers::pi / 180.0) * std::numbers::pi / 180.0;
        metres_per_deg_lat = rho * std::numbers::pi / 180.0;
    }
};

}  // namespace

double CheckOptions::near_distance_for(const KindSchema& kind) const {
    if (auto it = near_distance_m.find(kind.id); it != near_distance_m.end()) {
        return it->second;
    }
    // A blanket distance is about protected zones; classifying kinds keep their own.
    return kind.protective ? near_distance_all_m.value_or(kind.near_distance_m) : kind.near_distance_m;
}

double max_near_distance_m(const SchemaSet& schemas, const CheckOptions& options) {
    double best = 0;
    for (const auto& id : schemas.kind_ids()) {
        best = std::max(best, options.near_distance_for(schemas.kind(id)));
    }
    return best;
}

BoundingBox grow_box_by_metres(const BoundingBox& box, double metres) {
    // One degree of latitude is at least 110.5 km; a degree of longitude shrinks with
    // cos(latitude), taken at the box's edge farthest from the equator. 2 % margin.
    const double margin = metres * 1.02;
    const double dlat = margin / 110'500.0;
    const double worst_lat = std::min(89.0, std::max(std::fabs(box.min_y), std::fabs(box.max_y)) + dlat);
    const double dlon = margin / (111'320.0 * std::cos(worst_lat * std::numbers::pi / 180.0));
    return {box.min_x - dlon, box.min_y - dlat, box.max_x + dlon, box.max_y + dlat};
}

bool FootprintResult::has_conflict() const {
    return std::any_of(hits.begin(), hits.end(), [](const Hit& h) { return h.conflict; });
}

struct ZoneIndex::Impl {
    struct Entry {
        Zone zone;  // without its WKB, which lives on as `geometry`
        const KindSchema* kind = nullptr;
        int subzone_rank = 0;
        geos::GeomPtr geometry;
    };
    struct Part {
        std::size_t entry = 0;
        BoundingBox box;  // kept here: GEOS computes envelopes lazily, which is not thread-safe
        geos::GeomPtr geometry;
        geos::PreparedPtr prepared;
    };

    geos::Context ctx;
    std::vector<KindSchema> kinds;  // copies, so the index does not depend on the SchemaSet's life
    std::vector<Entry> entries;
    std::vector<Part> parts;
    geos::TreePtr tree;
    mutable std::map<long, std::unique_ptr<geodesy::LocalProjection>> projections;

    void add_parts(std::size_t entry, geos::GeomPtr geometry, int dimension, int depth) {
        if (GEOSisEmpty_r(ctx.handle(), geometry.get()) == 1) {
            return;
        }
        const int type = GEOSGeomTypeId_r(ctx.handle(), geometry.get());
        const bool collection = type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOINT ||
                                type == GEOS_GEOMETRYCOLLECTION;
        if (collection) {
            const int n = GEOSGetNumGeometries_r(ctx.handle(), geometry.get());
            for (int i = 0; i < n; ++i) {
                add_parts(entry, geos::clone(ctx, GEOSGetGeometryN_r(ctx.handle(), geometry.get(), i)), dimension,
                          depth);
            }
            return;
        }
        if (geos::vertex_count(ctx, geometry.get()) <= max_part_vertices || depth >= max_split_depth) {
            Part part;
            part.entry = entry;
            part.box = geos::extent(ctx, geometry.get());
            part.prepared = geos::prepare(ctx, geometry.get());
            part.geometry = std::move(geometry);
            parts.push_back(std::move(part));
            return;
        }
        const BoundingBox box = geos::extent(ctx, geometry.get());
        const bool split_x = (box.max_x - box.min_x) >= (box.max_y - box.min_y);
        const double mid = split_x ? (box.min_x + box.max_x) / 2 : (box.min_y + box.max_y) / 2;
        const BoundingBox halves[2] = {split_x ? BoundingBox{box.min_x, box.min_y, mid, box.max_y}
                                               : BoundingBox{box.min_x, box.min_y, box.max_x, mid},
                                       split_x ? BoundingBox{mid, box.min_y, box.max_x, box.max_y}
                                               : BoundingBox{box.min_x, mid, box.max_x, box.max_y}};
        for (const auto& half : halves) {
            // Rectangle clipping is fast but may leave a piece invalid; those few are
            // clipped again with the robust overlay, so every part is valid.
            auto piece = geos::own(
                ctx, GEOSClipByRect_r(ctx.handle(), geometry.get(), half.min_x, half.min_y, half.max_x, half.max_y),
                "subdivision");
            if (GEOSisValid_r(ctx.handle(), piece.get()) != 1) {
                auto rect = geos::own(
                    ctx, GEOSGeom_createRectangle_r(ctx.handle(), half.min_x, half.min_y, half.max_x, half.max_y),
                    "rectangle");
                piece = geos::own(ctx, GEOSIntersection_r(ctx.handle(), geometry.get(), rect.get()), "subdivision");
            }
            add_parts(entry, geos::keep_dimension(ctx, piece.get(), dimension), dimension, depth + 1);
        }
    }

    // The parts whose extent meets the box; `with` is the calling thread's context.
    std::vector<const Part*> parts_meeting(const geos::Context& with, const BoundingBox& box) const {
        auto query = geos::own(
            with, GEOSGeom_createRectangle_r(with.handle(), box.min_x, box.min_y, box.max_x, box.max_y), "rectangle");
        std::vector<const Part*> found;
        GEOSSTRtree_query_r(
            with.handle(), tree.get(), query.get(),
            [](void* item, void* userdata) {
                static_cast<std::vector<const Part*>*>(userdata)->push_back(static_cast<const Part*>(item));
            },
            &found);
        return found;
    }

    const geodesy::LocalProjection& projection_near(double lon) const {
        // One projection per 0.05 degree of longitude: within 0.025 degree of its central
        // meridian the scale error is below 1e-7, so the nearest points it finds are the
        // nearest on the ellipsoid to well under a millimetre per kilometre.
        const long key = std::lround(lon * 20.0);
        auto& slot = projections[key];
        if (!slot) {
            slot = std::make_unique<geodesy::LocalProjection>(static_cast<double>(key) / 20.0);
        }
        return *slot;
    }
};

ZoneIndex::ZoneIndex(const SchemaSet& schemas, std::vector<Zone> zones) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    for (const auto& id : schemas.kind_ids()) {
        m.kinds.push_back(schemas.kind(id));
    }
    auto find_kind = [&](const std::string& id) -> const KindSchema* {
        auto it = std::find_if(m.kinds.begin(), m.kinds.end(), [&](const KindSchema& k) { return k.id == id; });
        return it == m.kinds.end() ? nullptr : &*it;
    };
    m.entries.reserve(zones.size());
    for (auto& zone : zones) {
        const KindSchema* kind = find_kind(zone.kind);
        if (kind == nullptr) {
            throw DataError(Message("check.unknown_kind", {{"id", zone.zone_id}, {"kind", zone.kind}}));
        }
        Impl::Entry entry;
        entry.geometry = geos::from_wkb(m.ctx, zone.geometry);
        zone.geometry.wkb.clear();
        zone.geometry.wkb.shrink_to_fit();
        entry.zone = std::move(zone);
        entry.kind = kind;
        if (const SubzoneDefinition* sub = kind->find_subzone(entry.zone.subzone)) {
            entry.subzone_rank = sub->rank;
        }
        m.entries.push_back(std::move(entry));
    }
    for (std::size_t i = 0; i < m.entries.size(); ++i) {
        m.add_parts(i, geos::clone(m.ctx, m.entries[i].geometry.get()), zone_dimension(*m.entries[i].kind), 0);
    }
    m.tree = geos::make_tree(m.ctx);
    for (auto& part : m.parts) {
        GEOSSTRtree_insert_r(m.ctx.handle(), m.tree.get(), part.geometry.get(), &part);
    }
    // GEOS builds a tree's nodes and a prepared polygon's point locator on first use.
    // Using each once here leaves them read-only, so locate() can run on many threads.
    m.parts_meeting(m.ctx, {0, 0, 0, 0});
    for (const auto& part : m.parts) {
        if (part.entry < m.entries.size() && m.entries[part.entry].kind->geometry == ZoneGeometry::polygon) {
            auto centre = geos::own(m.ctx,
                                    GEOSGeom_createPointFromXY_r(m.ctx.handle(), (part.box.min_x + part.box.max_x) / 2,
                                                                 (part.box.min_y + part.box.max_y) / 2),
                                    "point");
            GEOSPreparedIntersects_r(m.ctx.handle(), part.prepared.get(), centre.get());
        }
    }
}

const Zone& ZoneIndex::zone(std::size_t index) const {
    return impl_->entries.at(index).zone;
}

std::optional<Geometry> ZoneIndex::zone_geometry(std::int64_t fid) const {
    for (const auto& entry : impl_->entries) {
        if (entry.zone.fid == fid) {
            return geos::to_wkb(impl_->ctx, entry.geometry.get());
        }
    }
    return std::nullopt;
}

std::vector<ZoneIndex::PointHit> ZoneIndex::locate(double lon, double lat, const CheckOptions& options) const {
    const Impl& m = *impl_;
    // The index is shared read-only between threads; what this call creates, it creates
    // in its own thread's context.
    thread_local geos::Context ctx;
    const GEOSContextHandle_t h = ctx.handle();
    double max_near = 0;
    std::vector<double> near_by_kind(m.kinds.size());
    for (std::size_t k = 0; k < m.kinds.size(); ++k) {
        near_by_kind[k] = options.near_distance_for(m.kinds[k]);
        max_near = std::max(max_near, near_by_kind[k]);
    }
    std::vector<const Impl::Part*> candidates =
        m.parts_meeting(ctx, grow_box_by_metres({lon, lat, lon, lat}, max_near));
    std::vector<PointHit> hits;
    if (candidates.empty()) {
        return hits;
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const Impl::Part* a, const Impl::Part* b) { return a->entry < b->entry; });
    const auto point = geos::own(ctx, GEOSGeom_createPointFromXY_r(h, lon, lat), "point");
    const LocalFrame frame(lon, lat);
    // Nearest zone per kind, by index into m.kinds.
    std::vector<std::optional<PointHit>> nearest(m.kinds.size());
    std::vector<bool> inside_kind(m.kinds.size(), false);

    for (std::size_t i = 0; i < candidates.size();) {
        const std::size_t entry_index = candidates[i]->entry;
        std::size_t end = i;
        while (end < candidates.size() && candidates[end]->entry == entry_index) {
            ++end;
        }
        const Impl::Entry& entry = m.entries[entry_index];
        const std::size_t kind_index = static_cast<std::size_t>(entry.kind - m.kinds.data());
        bool inside = false;
        if (entry.kind->geometry == ZoneGeometry::polygon) {
            for (std::size_t c = i; c < end && !inside; ++c) {
                inside = GEOSPreparedIntersects_r(h, candidates[c]->prepared.get(), point.get()) == 1;
            }
        }
        if (inside) {
            hits.push_back({entry_index, Relation::within, 0});
            inside_kind[kind_index] = true;
        } else if (const double limit = near_by_kind[kind_index]; limit > 0) {
            for (std::size_t c = i; c < end; ++c) {
                const Impl::Part& part = *candidates[c];
                const BoundingBox& e = part.box;
                const double dx = std::max({0.0, e.min_x - lon, lon - e.max_x}) * frame.metres_per_deg_lon;
                const double dy = std::max({0.0, e.min_y - lat, lat - e.max_y}) * frame.metres_per_deg_lat;
                if (std::sqrt(dx * dx + dy * dy) > limit * 1.01) {
                    continue;
                }
                // The nearest point is found in a tangent frame; a second frame, scaled at
                // the latitude halfway to the first answer, removes the frame's first-order
                // scale error, so the geodesic to the point found is the shortest one to
                // millimetres.
                double distance = -1;
                LocalFrame local_frame = frame;
                for (int pass = 0; pass < 2; ++pass) {
                    auto to_local = [](double* x, double* y, void* userdata) -> int {
                        const auto& f = *static_cast<const LocalFrame*>(userdata);
                        *x = (*x - f.lon0) * f.metres_per_deg_lon;
                        *y = (*y - f.lat0) * f.metres_per_deg_lat;
                        return 1;
                    };
                    auto local = geos::own(ctx,
                                           GEOSGeom_transformXY_r(h, part.geometry.get(), to_local,
                                                                  // GEOS takes a mutable pointer; only read here
                                                                  const_cast<LocalFrame*>(&local_frame)),
                                           "local frame");
                    auto origin = geos::own(ctx, GEOSGeom_createPointFromXY_r(h, 0, 0), "point");
                    GEOSCoordSequence* pair = GEOSNearestPoints_r(h, origin.get(), local.get());
                    if (pair == nullptr) {
                        break;
                    }
                    double qx = 0, qy = 0;
                    GEOSCoordSeq_getXY_r(h, pair, 1, &qx, &qy);
                    GEOSCoordSeq_destroy_r(h, pair);
                    const double q_lon = lon + qx / local_frame.metres_per_deg_lon;
                    const double q_lat = lat + qy / local_frame.metres_per_deg_lat;
                    distance = geodesy::distance_m(lon, lat, q_lon, q_lat);
                    if (pass == 0) {
                        if (distance > limit * 1.01) {
                            break;  // clearly out of reach: no need to refine
                        }
                        local_frame = LocalFrame(lon, (lat + q_lat) / 2);
                        local_frame.lat0 = lat;
                    }
                }
                if (distance < 0) {
                    continue;
                }
                if (distance <= limit && (!nearest[kind_index] || distance < nearest[kind_index]->distance_m)) {
                    nearest[kind_index] = PointHit{entry_index, Relation::near, distance};
                }
            }
        }
        i = end;
    }
    for (std::size_t k = 0; k < nearest.size(); ++k) {
        if (nearest[k] && !inside_kind[k]) {
            hits.push_back(*nearest[k]);
        }
    }
    return hits;
}

ZoneIndex::ZoneIndex(ZoneIndex&&) noexcept = default;
ZoneIndex& ZoneIndex::operator=(ZoneIndex&&) noexcept = default;
ZoneIndex::~ZoneIndex() = default;

std::size_t ZoneIndex::zone_count() const {
    return impl_->entries.size();
}
std::size_t ZoneIndex::part_count() const {
    return impl_->parts.size();
}

FootprintResult ZoneIndex::check(const Footprint& footprint, const CheckOptions& options) const {
    const Impl& m = *impl_;
    const auto& ctx = m.ctx;
    const GEOSContextHandle_t h = ctx.handle();
    const geos::GeomPtr shape = geos::from_wkb(ctx, footprint.geometry);
    const int shape_dim = geos::dimension(ctx, shape.get());

    FootprintResult result;
    result.id = footprint.id;
    result.name = footprint.name;
    {
        char* type = GEOSGeomType_r(h, shape.get());
        result.geometry_type = type != nullptr ? type : "Unknown";
        GEOSFree_r(h, type);
    }
    result.area_m2 = geodesy::area_m2(ctx, shape.get());
    result.length_m = geodesy::length_m(ctx, shape.get());
    if (shape_dim < 0) {
        return result;
    }

    double max_near = 0;
    for (const auto& kind : m.kinds) {
        max_near = std::max(max_near, options.near_distance_for(kind));
    }
    const std::vector<const Impl::Part*> candidates =
        m.parts_meeting(ctx, grow_box_by_metres(geos::extent(ctx, shape.get()), max_near));
    std::map<std::size_t, std::vector<const Impl::Part*>> by_entry;
    for (const Impl::Part* part : candidates) {
        by_entry[part->entry].push_back(part);
    }

    geos::GeomPtr projected_shape;
    const geodesy::LocalProjection* projection = nullptr;

    for (const auto& [entry_index, entry_parts] : by_entry) {
        const Impl::Entry& entry = m.entries[entry_index];
        const int zone_dim = zone_dimension(*entry.kind);
        Hit hit;
        hit.kind = entry.kind->id;
        hit.subzone = entry.zone.subzone;
        hit.zone_id = entry.zone.zone_id;
        hit.zone_code = entry.zone.code;
        hit.zone_name = entry.zone.name;
        hit.zone_fid = entry.zone.fid;
        hit.zone_attributes = entry.zone.attributes;

        bool intersects = false;
        bool interior_point = false;
        for (const Impl::Part* part : entry_parts) {
            if (GEOSPreparedIntersects_r(h, part->prepared.get(), shape.get()) != 1) {
                continue;
            }
            intersects = true;
            if (shape_dim != 0) {
                break;
            }
            interior_point =
                interior_point || GEOSPreparedContainsProperly_r(h, part->prepared.get(), shape.get()) == 1;
        }

        if (intersects) {
            // The overlay runs against the whole zone, not its parts: the cuts would add
            // vertices to the footprint's edges, and on the ellipsoid an edge with an extra
            // vertex encloses a (slightly) different area. OverlayNG clips the zone to the
            // footprint's extent first, so a huge zone costs one linear pass.
            const geos::GeomPtr overlap =
                geos::own(ctx, GEOSIntersection_r(h, shape.get(), entry.geometry.get()), "intersection");
            const int overlap_dim = std::min(shape_dim, zone_dim);
            geos::GeomPtr measured = geos::keep_dimension(ctx, overlap.get(), overlap_dim);

            if (zone_dim == 2 && shape_dim == 2) {
                const double area = geodesy::area_m2(ctx, measured.get());
                const double perimeter = geodesy::perimeter_m(ctx, measured.get());
                const double width = perimeter > 0 ? 2 * area / perimeter : 0;
                hit.overlap_area_m2 = area;
                hit.overlap_ratio = result.area_m2 > 0 ? area / result.area_m2 : 0;
                hit.zone_overlap_ratio = entry.zone.area_m2 > 0 ? area / entry.zone.area_m2 : 0;
                if (area <= options.sliver_area_m2 || width < options.sliver_width_m) {
                    hit.relation = Relation::touches;
                } else if (result.area_m2 - area <= options.sliver_area_m2) {
                    hit.relation = Relation::within;
                } else if (entry.zone.area_m2 - area <= options.sliver_area_m2) {
                    hit.relation = Relation::contains;
                } else {
                    hit.relation = Relation::overlaps;
                }
            } else if (zone_dim == 2 && shape_dim == 1) {
                const double inside = geodesy::length_m(ctx, measured.get());
                hit.inside_length_m = inside;
                hit.overlap_ratio = result.length_m > 0 ? inside / result.length_m : 0;
                if (inside <= options.sliver_length_m) {
                    hit.relation = Relation::touches;
                } else if (result.length_m - inside <= options.sliver_length_m) {
                    hit.relation = Relation::within;
                } else {
                    hit.relation = Relation::overlaps;
                }
            } else if (zone_dim == 2 && shape_dim == 0) {
                bool on_boundary = false;
                if (!interior_point) {
                    // Touching a cut line between parts is inside; only the zone's own
                    // boundary is a boundary.
                    auto boundary = geos::own(ctx, GEOSBoundary_r(h, entry.geometry.get()), "boundary");
                    on_boundary = GEOSIntersects_r(h, boundary.get(), shape.get()) == 1;
                }
                const int total = GEOSGetNumGeometries_r(h, shape.get());
                const int inside = GEOSGetNumGeometries_r(h, measured.get());
                if (on_boundary && !options.point_on_boundary_inside && inside == total) {
                    hit.relation = Relation::touches;
                } else {
                    hit.relation = inside >= total ? Relation::within : Relation::overlaps;
                }
            } else {
                // A line zone (coastline): how much of it the footprint takes in.
                const double inside = zone_dim == 1 && shape_dim == 2 ? geodesy::length_m(ctx, measured.get()) : 0.0;
                if (zone_dim == 1 && shape_dim == 2) {
                    hit.inside_length_m = inside;
                    hit.relation = inside <= options.sliver_length_m ? Relation::touches : Relation::overlaps;
                } else if (shape_dim == 0 || zone_dim == 0) {
                    hit.relation = Relation::touches;
                } else {
                    hit.relation = Relation::overlaps;  // a line crossing a line
                }
            }
            if (hit.relation != Relation::touches) {
                hit.overlap = geos::to_wkb(ctx, measured.get());
            }
            result.hits.push_back(std::move(hit));
            continue;
        }
        // Not touching: is it near? Nearest points in a local metric projection, then
        // the geodesic distance between them.
        const double limit = options.near_distance_for(*entry.kind);
        if (limit <= 0) {
            continue;
        }
        if (projection == nullptr) {
            const BoundingBox e = geos::extent(ctx, shape.get());
            projection = &m.projection_near((e.min_x + e.max_x) / 2);
            projected_shape = projection->forward(ctx, shape.get());
        }
        double best = -1;
        geos::GeomPtr best_part;
        for (const Impl::Part* part : entry_parts) {
            auto projected = projection->forward(ctx, part->geometry.get());
            double d = 0;
            if (GEOSDistance_r(h, projected_shape.get(), projected.get(), &d) == 1 && (best < 0 || d < best)) {
                best = d;
                best_part = std::move(projected);
            }
        }
        if (best < 0 || best > limit * 1.01) {
            continue;
        }
        GEOSCoordSequence* nearest = GEOSNearestPoints_r(h, projected_shape.get(), best_part.get());
        if (nearest == nullptr) {
            continue;
        }
        double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        GEOSCoordSeq_getXY_r(h, nearest, 0, &x1, &y1);
        GEOSCoordSeq_getXY_r(h, nearest, 1, &x2, &y2);
        GEOSCoordSeq_destroy_r(h, nearest);
        projection->inverse(x1, y1);
        projection->inverse(x2, y2);
        const double distance = geodesy::distance_m(x1, y1, x2, y2);
        if (distance > limit) {
            continue;
        }
        hit.relation = Relation::near;
        hit.distance_m = distance;
        result.hits.push_back(std::move(hit));
    }

    std::sort(result.hits.begin(), result.hits.end(), [&](const Hit& a, const Hit& b) {
        if (relation_order(a.relation) != relation_order(b.relation)) {
            return relation_order(a.relation) < relation_order(b.relation);
        }
        if (a.distance_m.value_or(0) != b.distance_m.value_or(0)) {
            return a.distance_m.value_or(0) < b.distance_m.value_or(0);
        }
        if (a.kind != b.kind) {
            return a.kind < b.kind;
        }
        return a.zone_id < b.zone_id;
    });
    return result;
}

}  // namespace redline
