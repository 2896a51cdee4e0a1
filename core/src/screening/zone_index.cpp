// The zone index: zones split into parts of bounded size, each prepared, under an STRtree.
// Measures of a hit are summed over the parts it touches, which partition the zone.
#include "redline/screening/check.hpp"

#include "base/geodesy.hpp"
#include "base/geos_support.hpp"
#include "screening/box_tree.hpp"
#include "screening/hit_order.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <thread>

namespace redline {
namespace {

// Parts above this many vertices are split in two along the longer side of their extent.
constexpr std::size_t max_part_vertices = 256;
constexpr int max_split_depth = 24;

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
        std::size_t kind_index = 0;
        geos::GeomPtr geometry;
    };
    struct Part {
        std::size_t entry = 0;
        BoundingBox box;
        geos::GeomPtr geometry;
        geos::PreparedPtr prepared;
        std::vector<const GEOSCoordSequence*> rings;  // the part's rings or line, for distances
    };

    // The build threads' contexts: the geometries they made are destroyed with them, so
    // they are declared first and destroyed last.
    std::vector<std::unique_ptr<geos::Context>> contexts;
    std::vector<KindSchema> kinds;  // copies, so the index does not depend on the SchemaSet's life
    std::vector<Entry> entries;
    std::vector<Part> parts;  // in entry order
    BoxTree tree;
    // A prepared geometry answers a point from its point locator, which is built up front
    // and then only read. Against lines and polygons it uses a segment intersector that
    // GEOS builds on first use and that keeps the state of each query in itself: those
    // predicates are not safe to run at once on one part, so they take the part's lock
    // (one of a few, shared by parts at random: two threads rarely want the same part).
    mutable std::array<std::mutex, 64> part_locks;
    std::mutex& lock_of(std::size_t part_index) const { return part_locks[part_index % part_locks.size()]; }

    // GEOSPreparedIntersects / ContainsProperly of a part with a line, polygon or several points.
    bool prepared_intersects(GEOSContextHandle_t h, std::size_t part_index, const GEOSGeometry* shape) const {
        const std::lock_guard lock(lock_of(part_index));
        return GEOSPreparedIntersects_r(h, parts[part_index].prepared.get(), shape) == 1;
    }
    bool prepared_contains_properly(GEOSContextHandle_t h, std::size_t part_index, const GEOSGeometry* shape) const {
        const std::lock_guard lock(lock_of(part_index));
        return GEOSPreparedContainsProperly_r(h, parts[part_index].prepared.get(), shape) == 1;
    }

    static void add_parts(const geos::Context& ctx, std::size_t entry, geos::GeomPtr geometry, int dimension, int depth,
                          std::vector<Part>& out) {
        if (GEOSisEmpty_r(ctx.handle(), geometry.get()) == 1) {
            return;
        }
        const int type = GEOSGeomTypeId_r(ctx.handle(), geometry.get());
        const bool collection = type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOINT ||
                                type == GEOS_GEOMETRYCOLLECTION;
        if (collection) {
            const int n = GEOSGetNumGeometries_r(ctx.handle(), geometry.get());
            for (int i = 0; i < n; ++i) {
                add_parts(ctx, entry, geos::clone(ctx, GEOSGetGeometryN_r(ctx.handle(), geometry.get(), i)), dimension,
                          depth, out);
            }
            return;
        }
        if (geos::vertex_count(ctx, geometry.get()) <= max_part_vertices || depth >= max_split_depth) {
            out.push_back(make_part(ctx, entry, std::move(geometry), dimension));
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
            // Rectangle clipping may leave a piece with collapsed edges along the cut: parts
            // only answer point-in-polygon, intersects and distance questions, for which that
            // is harmless (overlays and measures use the whole zone), so it is not repaired.
            auto piece = geos::own(
                ctx, GEOSClipByRect_r(ctx.handle(), geometry.get(), half.min_x, half.min_y, half.max_x, half.max_y),
                "subdivision");
            add_parts(ctx, entry, geos::keep_dimension(ctx, piece.get(), dimension), dimension, depth + 1, out);
        }
    }

    // A prepared part, with every cache GEOS would fill on first use filled now, while one
    // thread owns it: afterwards any number of threads may query it.
    static Part make_part(const geos::Context& ctx, std::size_t entry, geos::GeomPtr geometry, int dimension) {
        const GEOSContextHandle_t h = ctx.handle();
        Part part;
        part.entry = entry;
        fill_envelopes(ctx, geometry.get());
        part.box = geos::extent(ctx, geometry.get());
        part.prepared = geos::prepare(ctx, geometry.get());
        const BoundingBox& b = part.box;
        if (dimension == 2) {
            auto centre = geos::own(
                ctx, GEOSGeom_createPointFromXY_r(h, (b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2), "point");
            GEOSPreparedIntersects_r(h, part.prepared.get(), centre.get());  // the point locator
        }
        const int type = GEOSGeomTypeId_r(h, geometry.get());
        if (type == GEOS_POLYGON) {
            part.rings.push_back(GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, geometry.get())));
            const int holes = GEOSGetNumInteriorRings_r(h, geometry.get());
            for (int i = 0; i < holes; ++i) {
                part.rings.push_back(GEOSGeom_getCoordSeq_r(h, GEOSGetInteriorRingN_r(h, geometry.get(), i)));
            }
        } else {
            part.rings.push_back(GEOSGeom_getCoordSeq_r(h, geometry.get()));
        }
        part.geometry = std::move(geometry);
        return part;
    }

    // GEOS computes a geometry's envelope on first use; here for every component and ring.
    static void fill_envelopes(const geos::Context& ctx, const GEOSGeometry* g) {
        const GEOSContextHandle_t h = ctx.handle();
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        if (GEOSisEmpty_r(h, g) == 1) {
            return;
        }
        GEOSGeom_getExtent_r(h, g, &x0, &y0, &x1, &y1);
        const int type = GEOSGeomTypeId_r(h, g);
        if (type == GEOS_POLYGON) {
            GEOSGeom_getExtent_r(h, GEOSGetExteriorRing_r(h, g), &x0, &y0, &x1, &y1);
            for (int i = 0; i < GEOSGetNumInteriorRings_r(h, g); ++i) {
                GEOSGeom_getExtent_r(h, GEOSGetInteriorRingN_r(h, g, i), &x0, &y0, &x1, &y1);
            }
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOINT ||
                   type == GEOS_GEOMETRYCOLLECTION) {
            for (int i = 0; i < GEOSGetNumGeometries_r(h, g); ++i) {
                fill_envelopes(ctx, GEOSGetGeometryN_r(h, g, i));
            }
        }
    }

    // Indices into `parts` of the parts whose extent meets the box, in part order.
    void parts_meeting(const BoundingBox& box, std::vector<std::size_t>& found) const {
        found.clear();
        tree.query(box, [&](std::size_t i) { found.push_back(i); });
        std::sort(found.begin(), found.end());
    }
};

namespace {

// The point of a part nearest to the frame's origin, in the frame: squared metres and
// the point (lon/lat). The frame is exact at its origin; near it, it finds the nearest
// point of a zone to well under a millimetre per kilometre once scaled at mid-way.
struct Nearest {
    double d2 = INFINITY;
    double lon = 0, lat = 0;
};

Nearest nearest_in_part(GEOSContextHandle_t h, const std::vector<const GEOSCoordSequence*>& rings,
                        const LocalFrame& frame) {
    thread_local std::vector<double> xy;
    Nearest best;
    double best_x = 0, best_y = 0;
    for (const GEOSCoordSequence* seq : rings) {
        unsigned size = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &size) == 0 || size == 0) {
            continue;
        }
        xy.resize(static_cast<std::size_t>(size) * 2);
        GEOSCoordSeq_copyToBuffer_r(h, seq, xy.data(), 0, 0);
        for (std::size_t i = 0; i < size; ++i) {
            xy[2 * i] = (xy[2 * i] - frame.lon0) * frame.metres_per_deg_lon;
            xy[2 * i + 1] = (xy[2 * i + 1] - frame.lat0) * frame.metres_per_deg_lat;
        }
        auto consider = [&](double x, double y) {
            const double d2 = x * x + y * y;
            if (d2 < best.d2) {
                best.d2 = d2;
                best_x = x;
                best_y = y;
            }
        };
        if (size == 1) {
            consider(xy[0], xy[1]);
            continue;
        }
        for (std::size_t i = 0; i + 1 < size; ++i) {
            const double ax = xy[2 * i], ay = xy[2 * i + 1];
            const double ex = xy[2 * i + 2] - ax, ey = xy[2 * i + 3] - ay;
            const double length2 = ex * ex + ey * ey;
            double t = length2 > 0 ? -(ax * ex + ay * ey) / length2 : 0;
            t = std::clamp(t, 0.0, 1.0);
            consider(ax + t * ex, ay + t * ey);
        }
    }
    best.lon = frame.lon0 + best_x / frame.metres_per_deg_lon;
    best.lat = frame.lat0 + best_y / frame.metres_per_deg_lat;
    return best;
}

// Where a point lies in a polygon part, from the part's own rings by counting crossings:
// inside, outside, or too near an edge to say with plain arithmetic, when GEOS's robust
// predicate decides instead. Far cheaper than a prepared-geometry call for one point.
enum class Side { inside, outside, undecided };

Side side_in_part(GEOSContextHandle_t h, const std::vector<const GEOSCoordSequence*>& rings, double x, double y) {
    constexpr double near_edge = 1e-9;  // degrees: about 0.1 mm
    thread_local std::vector<double> xy;
    bool inside = false;
    for (const GEOSCoordSequence* seq : rings) {
        unsigned size = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &size) == 0 || size < 2) {
            continue;
        }
        xy.resize(static_cast<std::size_t>(size) * 2);
        GEOSCoordSeq_copyToBuffer_r(h, seq, xy.data(), 0, 0);
        for (std::size_t i = 0; i + 1 < size; ++i) {
            const double x1 = xy[2 * i], y1 = xy[2 * i + 1], x2 = xy[2 * i + 2], y2 = xy[2 * i + 3];
            if (x >= std::min(x1, x2) - near_edge && x <= std::max(x1, x2) + near_edge &&
                y >= std::min(y1, y2) - near_edge && y <= std::max(y1, y2) + near_edge) {
                const double ex = x2 - x1, ey = y2 - y1;
                const double length2 = ex * ex + ey * ey;
                const double t = length2 > 0 ? std::clamp(((x - x1) * ex + (y - y1) * ey) / length2, 0.0, 1.0) : 0.0;
                const double dx = x1 + t * ex - x, dy = y1 + t * ey - y;
                if (dx * dx + dy * dy < near_edge * near_edge) {
                    return Side::undecided;
                }
            }
            if ((y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1)) {
                inside = !inside;
            }
        }
    }
    return inside ? Side::inside : Side::outside;
}

}  // namespace

ZoneIndex::ZoneIndex(const SchemaSet& schemas, std::vector<Zone> zones, unsigned threads)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    for (const auto& id : schemas.kind_ids()) {
        m.kinds.push_back(schemas.kind(id));
    }
    m.entries.resize(zones.size());
    for (std::size_t i = 0; i < zones.size(); ++i) {
        Zone& zone = zones[i];
        const auto kind =
            std::find_if(m.kinds.begin(), m.kinds.end(), [&](const KindSchema& k) { return k.id == zone.kind; });
        if (kind == m.kinds.end()) {
            throw DataError(Message("check.unknown_kind", {{"id", zone.zone_id}, {"kind", zone.kind}}));
        }
        m.entries[i].kind = &*kind;
        m.entries[i].kind_index = static_cast<std::size_t>(kind - m.kinds.begin());
    }
    // Zones are independent: each thread reads, splits and prepares every n-th one in its
    // own context; their parts are then laid out in zone order, as one thread would have.
    if (threads == 0) {
        threads = std::max(1u, std::thread::hardware_concurrency());
    }
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, zones.size())));
    for (unsigned t = 0; t < threads; ++t) {
        m.contexts.push_back(std::make_unique<geos::Context>());
    }
    std::vector<std::vector<Impl::Part>> parts_by_zone(zones.size());
    std::vector<std::exception_ptr> failures(threads);
    auto work = [&](unsigned t) {
        try {
            const geos::Context& ctx = *m.contexts[t];
            for (std::size_t i = t; i < zones.size(); i += threads) {
                Impl::Entry& entry = m.entries[i];
                entry.geometry = geos::from_wkb(ctx, zones[i].geometry);
                Impl::fill_envelopes(ctx, entry.geometry.get());
                zones[i].geometry.wkb.clear();
                zones[i].geometry.wkb.shrink_to_fit();
                entry.zone = std::move(zones[i]);
                Impl::add_parts(ctx, i, geos::clone(ctx, entry.geometry.get()), zone_dimension(*entry.kind), 0,
                                parts_by_zone[i]);
            }
        } catch (...) {
            failures[t] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads; ++t) {
        workers.emplace_back(work, t);
    }
    work(0);
    for (auto& w : workers) {
        w.join();
    }
    for (const auto& failure : failures) {
        if (failure) {
            std::rethrow_exception(failure);
        }
    }
    std::size_t total = 0;
    for (const auto& p : parts_by_zone) {
        total += p.size();
    }
    m.parts.reserve(total);
    for (auto& p : parts_by_zone) {
        std::move(p.begin(), p.end(), std::back_inserter(m.parts));
    }
    std::vector<BoundingBox> boxes;
    boxes.reserve(m.parts.size());
    for (const auto& part : m.parts) {
        boxes.push_back(part.box);
    }
    m.tree = BoxTree(boxes);
}

const Zone& ZoneIndex::zone(std::size_t index) const {
    return impl_->entries.at(index).zone;
}

const KindSchema& ZoneIndex::kind_of(std::size_t index) const {
    return *impl_->entries.at(index).kind;
}

std::optional<Geometry> ZoneIndex::zone_geometry(std::int64_t fid) const {
    thread_local geos::Context ctx;
    for (const auto& entry : impl_->entries) {
        if (entry.zone.fid == fid) {
            return geos::to_wkb(ctx, entry.geometry.get());
        }
    }
    return std::nullopt;
}

ZoneIndex::Limits ZoneIndex::limits(const CheckOptions& options) const {
    Limits limits;
    limits.point_on_boundary_inside = options.point_on_boundary_inside;
    for (const auto& kind : impl_->kinds) {
        limits.near_m.push_back(options.near_distance_for(kind));
        limits.max_near_m = std::max(limits.max_near_m, limits.near_m.back());
    }
    return limits;
}

std::vector<ZoneIndex::PointHit> ZoneIndex::locate(double lon, double lat, const CheckOptions& options) const {
    std::vector<PointHit> hits;
    locate(lon, lat, limits(options), hits);
    return hits;
}

void ZoneIndex::locate(double lon, double lat, const Limits& limits, std::vector<PointHit>& hits) const {
    const Impl& m = *impl_;
    hits.clear();
    // The index is shared read-only between threads; what this call creates, it creates
    // in its own thread's context.
    thread_local geos::Context ctx;
    thread_local std::vector<std::size_t> candidates;
    const GEOSContextHandle_t h = ctx.handle();
    m.parts_meeting(grow_box_by_metres({lon, lat, lon, lat}, limits.max_near_m), candidates);
    if (candidates.empty()) {
        return;
    }
    geos::GeomPtr point;  // made when GEOS is asked
    auto geos_point = [&] {
        if (!point) {
            point = geos::own(ctx, GEOSGeom_createPointFromXY_r(h, lon, lat), "point");
        }
        return point.get();
    };
    auto meets = [&](std::size_t part_index, bool properly) {
        const Impl::Part& part = m.parts[part_index];
        if (lon < part.box.min_x || lon > part.box.max_x || lat < part.box.min_y || lat > part.box.max_y) {
            return false;
        }
        const int dimension = zone_dimension(*m.entries[part.entry].kind);
        if (dimension == 2 && !properly) {
            const Side side = side_in_part(h, part.rings, lon, lat);
            if (side != Side::undecided) {
                return side == Side::inside;
            }
        }
        if (properly) {
            return m.prepared_contains_properly(h, part_index, geos_point());
        }
        if (dimension < 2) {
            return m.prepared_intersects(h, part_index, geos_point());  // a line zone's intersector
        }
        return GEOSPreparedIntersects_r(h, part.prepared.get(), geos_point()) == 1;  // the point locator
    };
    const LocalFrame frame(lon, lat);
    for (std::size_t i = 0; i < candidates.size();) {
        const std::size_t entry_index = m.parts[candidates[i]].entry;
        std::size_t end = i;
        while (end < candidates.size() && m.parts[candidates[end]].entry == entry_index) {
            ++end;
        }
        const Impl::Entry& entry = m.entries[entry_index];
        const int dimension = zone_dimension(*entry.kind);
        bool inside = false;
        for (std::size_t c = i; c < end && !inside; ++c) {
            inside = meets(candidates[c], false);
        }
        if (inside) {
            Relation relation = dimension == 2 ? Relation::within : Relation::touches;
            if (dimension == 2 && !limits.point_on_boundary_inside) {
                bool properly = false;
                for (std::size_t c = i; c < end && !properly; ++c) {
                    properly = meets(candidates[c], true);
                }
                if (!properly) {
                    // On a cut between parts the point is inside; only the zone's own
                    // boundary is a boundary.
                    auto boundary = geos::own(ctx, GEOSBoundary_r(h, entry.geometry.get()), "boundary");
                    if (GEOSIntersects_r(h, boundary.get(), geos_point()) == 1) {
                        relation = Relation::touches;
                    }
                }
            }
            hits.push_back({entry_index, relation, 0});
            i = end;
            continue;
        }
        const double limit = limits.near_m[entry.kind_index];
        if (limit <= 0) {
            i = end;
            continue;
        }
        Nearest best;
        const Impl::Part* best_part = nullptr;
        for (std::size_t c = i; c < end; ++c) {
            const Impl::Part& part = m.parts[candidates[c]];
            const BoundingBox& e = part.box;
            const double dx = std::max({0.0, e.min_x - lon, lon - e.max_x}) * frame.metres_per_deg_lon;
            const double dy = std::max({0.0, e.min_y - lat, lat - e.max_y}) * frame.metres_per_deg_lat;
            const double box_d2 = dx * dx + dy * dy;
            if (box_d2 > limit * limit * 1.0201 || box_d2 > best.d2) {
                continue;
            }
            const Nearest n = nearest_in_part(h, part.rings, frame);
            if (n.d2 < best.d2) {
                best = n;
                best_part = &part;
            }
        }
        if (best_part == nullptr || best.d2 > limit * limit * 1.0201) {
            i = end;
            continue;
        }
        // Again in a frame scaled at the latitude half way to the point found: that removes
        // the frame's first-order scale error, so the geodesic to the point found is the
        // shortest one to millimetres.
        LocalFrame refined(lon, (lat + best.lat) / 2);
        refined.lat0 = lat;
        const Nearest q = nearest_in_part(h, best_part->rings, refined);
        const double distance = geodesy::distance_m(lon, lat, q.lon, q.lat);
        if (distance <= limit) {
            hits.push_back({entry_index, Relation::near, distance});
        }
        i = end;
    }
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

namespace {

// Hits in geometric order: within, contains, overlaps, touches, then near by distance.
void sort_hits(std::vector<Hit>& hits) {
    std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        return geometric_less(a.relation, a.distance_m.value_or(0), a.kind, a.zone_id, b.relation,
                              b.distance_m.value_or(0), b.kind, b.zone_id);
    });
}

// A projection per 0.05 degree of longitude and per thread (PROJ objects are not shared
// between threads): within 0.025 degree of its central meridian the scale error is below
// 1e-7, so the nearest points it finds are the nearest on the ellipsoid to well under a
// millimetre per kilometre.
const geodesy::LocalProjection& projection_near(double lon) {
    thread_local std::map<long, std::unique_ptr<geodesy::LocalProjection>> projections;
    const long key = std::lround(lon * 20.0);
    auto& slot = projections[key];
    if (!slot) {
        slot = std::make_unique<geodesy::LocalProjection>(static_cast<double>(key) / 20.0);
    }
    return *slot;
}

}  // namespace

FootprintResult ZoneIndex::check(const Footprint& footprint, const CheckOptions& options) const {
    const Impl& m = *impl_;
    thread_local geos::Context ctx;
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
    auto hit_on = [&](const Impl::Entry& entry) {
        Hit hit;
        hit.kind = entry.kind->id;
        hit.subzone = entry.zone.subzone;
        hit.zone_id = entry.zone.zone_id;
        hit.zone_code = entry.zone.code;
        hit.zone_name = entry.zone.name;
        hit.zone_fid = entry.zone.fid;
        hit.zone_attributes = entry.zone.attributes;
        return hit;
    };

    if (GEOSGeomTypeId_r(h, shape.get()) == GEOS_POINT) {
        // One point: the register's path, so a point gives the same hits either way.
        double lon = 0, lat = 0;
        GEOSGeomGetX_r(h, shape.get(), &lon);
        GEOSGeomGetY_r(h, shape.get(), &lat);
        std::vector<PointHit> found;
        locate(lon, lat, limits(options), found);
        for (const PointHit& p : found) {
            Hit hit = hit_on(m.entries[p.zone]);
            hit.relation = p.relation;
            if (p.relation == Relation::near) {
                hit.distance_m = p.distance_m;
            } else if (p.relation == Relation::within) {
                hit.overlap = footprint.geometry;
            }
            result.hits.push_back(std::move(hit));
        }
        sort_hits(result.hits);
        return result;
    }

    const Limits search = limits(options);
    const BoundingBox extent = geos::extent(ctx, shape.get());
    std::vector<std::size_t> candidates;
    m.parts_meeting(grow_box_by_metres(extent, search.max_near_m), candidates);
    std::map<std::size_t, std::vector<const Impl::Part*>> by_entry;
    for (std::size_t c : candidates) {
        by_entry[m.parts[c].entry].push_back(&m.parts[c]);
    }
    // The shape's first vertex: inside a part, the two intersect without GEOS's segment
    // index (GEOS itself looks there first); only otherwise is the index needed.
    geos::GeomPtr first_vertex;
    if (shape_dim > 0) {
        const GEOSGeometry* first_part = GEOSGetGeometryN_r(h, shape.get(), 0);
        const GEOSGeometry* line =
            GEOSGeomTypeId_r(h, first_part) == GEOS_POLYGON ? GEOSGetExteriorRing_r(h, first_part) : first_part;
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, GEOSGeom_getCoordSeq_r(h, line), 0, &x, &y);
        first_vertex = geos::own(ctx, GEOSGeom_createPointFromXY_r(h, x, y), "point");
    }
    auto meets_extent = [&](const Impl::Part& part) {
        const BoundingBox& b = part.box;
        return b.min_x <= extent.max_x && extent.min_x <= b.max_x && b.min_y <= extent.max_y && extent.min_y <= b.max_y;
    };
    auto index_of = [&](const Impl::Part* part) { return static_cast<std::size_t>(part - m.parts.data()); };

    geos::GeomPtr projected_shape;
    const geodesy::LocalProjection* projection = nullptr;

    for (const auto& [entry_index, entry_parts] : by_entry) {
        const Impl::Entry& entry = m.entries[entry_index];
        const int zone_dim = zone_dimension(*entry.kind);
        Hit hit = hit_on(entry);

        bool intersects = false;
        bool interior_point = false;
        for (const Impl::Part* part : entry_parts) {
            if (!meets_extent(*part)) {
                continue;
            }
            const bool polygon_part = zone_dim == 2;
            if (first_vertex && polygon_part &&
                GEOSPreparedIntersects_r(h, part->prepared.get(), first_vertex.get()) == 1) {
                intersects = true;  // the point locator said so, without the part's lock
                break;
            }
            if (!m.prepared_intersects(h, index_of(part), shape.get())) {
                continue;
            }
            intersects = true;
            if (shape_dim != 0) {
                break;
            }
            interior_point = interior_point || m.prepared_contains_properly(h, index_of(part), shape.get());
        }

        if (intersects) {
            // A footprint wholly inside one part of a polygon zone is its own overlap: the
            // usual case (a parcel inside its district and unit), answered by the part's
            // prepared geometry without an overlay.
            bool inside_one_part = false;
            if (zone_dim == 2 && shape_dim > 0) {
                for (const Impl::Part* part : entry_parts) {
                    const BoundingBox& b = part->box;
                    if (b.min_x < extent.min_x && extent.max_x < b.max_x && b.min_y < extent.min_y &&
                        extent.max_y < b.max_y && m.prepared_contains_properly(h, index_of(part), shape.get())) {
                        inside_one_part = true;
                        break;
                    }
                }
            }
            // Otherwise the overlay runs against the whole zone, not its parts: the cuts would
            // add vertices to the footprint's edges, and on the ellipsoid an edge with an extra
            // vertex encloses a (slightly) different area. OverlayNG clips the zone to the
            // footprint's extent first, so a huge zone costs one linear pass.
            const geos::GeomPtr overlap =
                inside_one_part
                    ? geos::clone(ctx, shape.get())
                    : geos::own(ctx, GEOSIntersection_r(h, shape.get(), entry.geometry.get()), "intersection");
            const int overlap_dim = std::min(shape_dim, zone_dim);
            geos::GeomPtr measured = geos::keep_dimension(ctx, overlap.get(), overlap_dim);

            if (zone_dim == 2 && shape_dim == 2) {
                const double area = geodesy::area_m2(ctx, measured.get());
                const double perimeter = geodesy::perimeter_m(ctx, measured.get());
                const double width = perimeter > 0 ? 2 * area / perimeter : 0;
                hit.overlap_area_m2 = area;
                hit.overlap_ratio = result.area_m2 > 0 ? area / result.area_m2 : 0;
                hit.zone_overlap_ratio = entry.zone.area_m2 > 0 ? area / entry.zone.area_m2 : 0;
                const bool sliver = area <= options.sliver_area_m2 ||
                                    (width < options.sliver_width_m && area <= options.sliver_thin_area_m2);
                if (sliver) {
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
        const double limit = search.near_m[entry.kind_index];
        if (limit <= 0) {
            continue;
        }
        if (projection == nullptr) {
            const BoundingBox e = geos::extent(ctx, shape.get());
            projection = &projection_near((e.min_x + e.max_x) / 2);
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

    sort_hits(result.hits);
    return result;
}

}  // namespace redline
