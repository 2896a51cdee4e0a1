// Measuring the indicators of a set of zones: unions per kind and sub-zone (overlapping
// zones once, holes left out), ellipsoidal areas and geodesic lengths on GRS80, the land the
// shares are taken of, and the same per district, a zone cut by a district boundary split
// along it.
#include "redline/indicators/indicators.hpp"

#include "base/geodesy.hpp"
#include "base/geos_support.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>

namespace redline {
namespace {

constexpr double m2_per_ha = 10'000.0;
constexpr double m_per_km = 1'000.0;

bool boxes_meet(const BoundingBox& a, const BoundingBox& b) {
    return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

// The rows (fids) a set of zones is: the same rows, the same geometry and fields.
std::string rows_key(const std::vector<const Zone*>& zones) {
    std::vector<std::int64_t> fids;
    fids.reserve(zones.size());
    for (const Zone* z : zones) {
        fids.push_back(z->fid);
    }
    std::sort(fids.begin(), fids.end());
    std::string key;
    for (const auto fid : fids) {
        key += std::to_string(fid) + ',';
    }
    return key;
}

// A polygon of a union with its extent and ellipsoidal area.
struct Piece {
    geos::GeomPtr geometry;
    BoundingBox box;
    double area_m2 = 0;
};

// An area shares are taken of, or a district: prepared for the many questions asked of it.
struct Region {
    std::string id, code, name;
    geos::GeomPtr geometry;
    geos::PreparedPtr prepared;
    BoundingBox box;
    double area_m2 = 0;
};

struct Land {
    std::string kind;
    std::optional<Region> region;  // none when the kind has no usable zone
};

struct Component {
    std::vector<IndicatorValue> values;
    std::vector<Problem> problems;
};

Message kind_name(const SchemaSet& schemas, const std::string& kind) {
    const KindSchema* k = schemas.find(kind);
    return k == nullptr ? Message::verbatim(kind) : bilingual(k->name_zh, k->name_en);
}

Message subzone_name(const SchemaSet& schemas, const std::string& kind, const std::string& subzone) {
    const KindSchema* k = schemas.find(kind);
    const SubzoneDefinition* s = k == nullptr ? nullptr : k->find_subzone(subzone);
    return s == nullptr ? Message::verbatim(subzone) : bilingual(s->name_zh, s->name_en);
}

// Polygon kinds whose area the plans count: kinds whose coverage is guarded (reserves,
// protected areas) and kinds zoned in nested sub-zones (sources); the red line has its own.
bool measured_by_area(const KindSchema& k) {
    return k.id != "red_line" && k.geometry == ZoneGeometry::polygon && !k.tiles_jurisdiction &&
           (k.coverage_guarded || !k.nested_subzones.empty());
}

// The land the shares are taken of: the administrative districts when the zones hold any,
// else the first kind that tiles the jurisdiction.
std::string land_kind_of(const SchemaSet& schemas, const std::map<std::string, std::vector<const Zone*>>& by_kind) {
    std::string tiling;
    for (const auto& id : schemas.kind_ids()) {
        const KindSchema& k = schemas.kind(id);
        if (!k.tiles_jurisdiction || !by_kind.contains(id)) {
            continue;
        }
        if (k.administrative) {
            return id;
        }
        if (tiling.empty()) {
            tiling = id;
        }
    }
    return tiling;
}

class Measure {
public:
    explicit Measure(const geos::Context& ctx) : ctx_(ctx) {}

    geos::GeomPtr polygons_of(const Zone& z) const {
        return geos::keep_dimension(ctx_, geos::valid_from_wkb(ctx_, z.geometry).get(), 2);
    }
    geos::GeomPtr lines_of(const Zone& z) const {
        return geos::keep_dimension(ctx_, geos::valid_from_wkb(ctx_, z.geometry).get(), 1);
    }

    bool empty(const GEOSGeometry* g) const { return GEOSisEmpty_r(ctx_.handle(), g) == 1; }

    // The union of polygons as its polygons: the polygons of the unions of clusters of
    // polygons whose extents meet. A polygon apart from all others is taken as it is, so a
    // province of scattered patches costs little more than reading them.
    std::vector<Piece> union_pieces(const std::vector<const GEOSGeometry*>& polygons, Progress& progress) const {
        std::vector<std::size_t> parent(polygons.size());
        std::iota(parent.begin(), parent.end(), std::size_t{0});
        const auto root = [&parent](std::size_t i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        };
        {
            geos::TreePtr tree = geos::make_tree(ctx_);
            std::vector<std::size_t> ids(polygons.size());
            std::iota(ids.begin(), ids.end(), std::size_t{0});
            for (std::size_t i = 0; i < polygons.size(); ++i) {
                GEOSSTRtree_insert_r(ctx_.handle(), tree.get(), polygons[i], &ids[i]);
            }
            for (std::size_t i = 0; i < polygons.size(); ++i) {
                std::vector<std::size_t> meeting;
                GEOSSTRtree_query_r(
                    ctx_.handle(), tree.get(), polygons[i],
                    [](void* item, void* userdata) {
                        static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<std::size_t*>(item));
                    },
                    &meeting);
                for (const std::size_t j : meeting) {
                    parent[root(j)] = root(i);
                }
            }
        }
        std::map<std::size_t, std::vector<std::size_t>> clusters;
        for (std::size_t i = 0; i < polygons.size(); ++i) {
            clusters[root(i)].push_back(i);
        }
        std::vector<Piece> pieces;
        for (const auto& [root_index, members] : clusters) {
            progress.check();
            geos::GeomPtr merged;
            if (members.size() == 1) {
                merged = geos::clone(ctx_, polygons[members.front()]);
            } else {
                std::vector<const GEOSGeometry*> parts;
                for (const std::size_t m : members) {
                    parts.push_back(polygons[m]);
                }
                merged = geos::keep_dimension(ctx_, geos::union_all(ctx_, parts).get(), 2);
            }
            geos::for_each_part(ctx_, merged.get(), [&](const GEOSGeometry* part) {
                if (empty(part)) {
                    return;
                }
                Piece p;
                p.geometry = geos::clone(ctx_, part);
                p.box = geos::extent(ctx_, p.geometry.get());
                p.area_m2 = geodesy::area_m2(ctx_, part);
                warm(p.geometry.get());
                pieces.push_back(std::move(p));
            });
        }
        return pieces;
    }

    // GEOS computes a geometry's and its rings' extents on first use and keeps them; done
    // here, before other threads read the geometry, none of them writes to it.
    void warm(const GEOSGeometry* polygon) const {
        BoundingBox ignored;
        GEOSGeom_getExtent_r(ctx_.handle(), polygon, &ignored.min_x, &ignored.min_y, &ignored.max_x, &ignored.max_y);
        auto ring_extent = [&](const GEOSGeometry* ring) {
            GEOSGeom_getExtent_r(ctx_.handle(), ring, &ignored.min_x, &ignored.min_y, &ignored.max_x, &ignored.max_y);
        };
        ring_extent(GEOSGetExteriorRing_r(ctx_.handle(), polygon));
        for (int i = 0; i < GEOSGetNumInteriorRings_r(ctx_.handle(), polygon); ++i) {
            ring_extent(GEOSGetInteriorRingN_r(ctx_.handle(), polygon, i));
        }
    }

    // The part of a polygon between two meridians (the strip's sides; geodesics, so cutting
    // along them changes no area).
    geos::GeomPtr between_meridians(const GEOSGeometry* polygon, double west, double east, double south,
                                    double north) const {
        auto strip = geos::own(ctx_, GEOSGeom_createRectangle_r(ctx_.handle(), west, south, east, north), "strip");
        return geos::keep_dimension(
            ctx_, geos::own(ctx_, GEOSIntersection_r(ctx_.handle(), polygon, strip.get()), "strip cut").get(), 2);
    }

    BoundingBox extent(const GEOSGeometry* g) const { return geos::extent(ctx_, g); }
    double area_m2(const GEOSGeometry* g) const { return geodesy::area_m2(ctx_, g); }

    // One geometry covering the polygons given: their coverage union when they tile without
    // overlapping (fast; checked by its area, which is the sum of theirs only then, in any
    // measure, so the cheap planar one serves), else their union.
    geos::GeomPtr land_union(const std::vector<geos::GeomPtr>& polygons) const {
        if (polygons.size() == 1) {
            return geos::clone(ctx_, polygons.front().get());
        }
        std::vector<GEOSGeometry*> parts;
        double summed = 0;
        for (const auto& g : polygons) {
            geos::for_each_part(ctx_, g.get(), [&](const GEOSGeometry* part) {
                if (!empty(part)) {
                    parts.push_back(GEOSGeom_clone_r(ctx_.handle(), part));
                    summed += planar_area(part);
                }
            });
        }
        auto collection = geos::own(ctx_,
                                    GEOSGeom_createCollection_r(ctx_.handle(), GEOS_MULTIPOLYGON, parts.data(),
                                                                static_cast<unsigned>(parts.size())),
                                    "collection");
        if (GEOSGeometry* covered = GEOSCoverageUnion_r(ctx_.handle(), collection.get()); covered != nullptr) {
            geos::GeomPtr result(covered, geos::GeometryDeleter{ctx_.handle()});
            if (GEOSisValid_r(ctx_.handle(), result.get()) == 1 &&
                std::fabs(planar_area(result.get()) - summed) <= 1e-9 * summed) {
                return result;
            }
        }
        std::vector<const GEOSGeometry*> all;
        for (const auto& g : polygons) {
            all.push_back(g.get());
        }
        return geos::keep_dimension(ctx_, geos::union_all(ctx_, all).get(), 2);
    }

    double planar_area(const GEOSGeometry* g) const {
        double area = 0;
        GEOSArea_r(ctx_.handle(), g, &area);
        return area;
    }

    Region region(std::string id, std::string code, std::string name, geos::GeomPtr geometry) const {
        Region r;
        r.id = std::move(id);
        r.code = std::move(code);
        r.name = std::move(name);
        r.box = geos::extent(ctx_, geometry.get());
        r.area_m2 = geodesy::area_m2(ctx_, geometry.get());
        r.prepared = geos::prepare(ctx_, geometry.get());
        r.geometry = std::move(geometry);
        return r;
    }

    // The area of a piece inside a region: all of it, none, or the area of their overlay.
    double area_within(const Piece& piece, const Region& region) const {
        if (!boxes_meet(piece.box, region.box) ||
            GEOSPreparedIntersects_r(ctx_.handle(), region.prepared.get(), piece.geometry.get()) != 1) {
            return 0;
        }
        if (GEOSPreparedCovers_r(ctx_.handle(), region.prepared.get(), piece.geometry.get()) == 1) {
            return piece.area_m2;
        }
        auto inside = geos::own(ctx_, GEOSIntersection_r(ctx_.handle(), piece.geometry.get(), region.geometry.get()),
                                "intersection");
        return geodesy::area_m2(ctx_, geos::keep_dimension(ctx_, inside.get(), 2).get());
    }

    double length_m(const GEOSGeometry* lines) const { return geodesy::length_m(ctx_, lines); }

    // Lines as one noded geometry: a stretch two zones share is counted once.
    geos::GeomPtr line_union(const std::vector<const GEOSGeometry*>& lines) const {
        if (lines.empty()) {
            return geos::own(ctx_, GEOSGeom_createEmptyCollection_r(ctx_.handle(), GEOS_MULTILINESTRING), "empty");
        }
        return geos::keep_dimension(ctx_, geos::union_all(ctx_, lines).get(), 1);
    }

    // The length of lines per district: each stretch once, in the district it lies in; a
    // stretch along the boundary of two districts in the first of them (in their order), a
    // stretch outside every district (a coast drawn seaward of the boundary) in the nearest.
    std::vector<double> lengths_by_district(const GEOSGeometry* lines, const std::vector<Region>& districts,
                                            Progress& progress) const {
        std::vector<double> lengths(districts.size(), 0.0);
        if (districts.empty()) {
            return lengths;
        }
        geos::for_each_part(ctx_, lines, [&](const GEOSGeometry* part) {
            progress.check();
            if (empty(part)) {
                return;
            }
            const BoundingBox box = geos::extent(ctx_, part);
            geos::GeomPtr rest = geos::clone(ctx_, part);
            for (std::size_t d = 0; d < districts.size() && !empty(rest.get()); ++d) {
                const Region& r = districts[d];
                if (!boxes_meet(box, r.box) ||
                    GEOSPreparedIntersects_r(ctx_.handle(), r.prepared.get(), rest.get()) != 1) {
                    continue;
                }
                if (GEOSPreparedCovers_r(ctx_.handle(), r.prepared.get(), rest.get()) == 1) {
                    lengths[d] += length_m(rest.get());
                    rest =
                        geos::own(ctx_, GEOSGeom_createEmptyCollection_r(ctx_.handle(), GEOS_MULTILINESTRING), "empty");
                    break;
                }
                auto inside =
                    geos::own(ctx_, GEOSIntersection_r(ctx_.handle(), rest.get(), r.geometry.get()), "intersection");
                lengths[d] += length_m(geos::keep_dimension(ctx_, inside.get(), 1).get());
                rest = geos::keep_dimension(
                    ctx_,
                    geos::own(ctx_, GEOSDifference_r(ctx_.handle(), rest.get(), r.geometry.get()), "difference").get(),
                    1);
            }
            geos::for_each_part(ctx_, rest.get(), [&](const GEOSGeometry* outside) {
                if (empty(outside)) {
                    return;
                }
                std::size_t nearest = 0;
                double best = std::numeric_limits<double>::infinity();
                for (std::size_t d = 0; d < districts.size(); ++d) {
                    double distance = 0;
                    if (GEOSDistance_r(ctx_.handle(), districts[d].geometry.get(), outside, &distance) == 1 &&
                        distance < best) {
                        best = distance;
                        nearest = d;
                    }
                }
                lengths[nearest] += length_m(outside);
            });
        });
        return lengths;
    }

private:
    const geos::Context& ctx_;
};

IndicatorValue make_value(std::string id, std::string kind, std::string subzone, std::optional<double> value,
                          std::string unit, Message name, Message definition) {
    IndicatorValue v;
    v.id = std::move(id);
    v.kind = std::move(kind);
    v.subzone = std::move(subzone);
    v.value = value;
    v.unit = std::move(unit);
    v.name = std::move(name);
    v.definition = std::move(definition);
    return v;
}

// The same indicator for one district, its definition saying how districts are measured.
IndicatorValue in_district(const IndicatorValue& whole, const Region& district, std::optional<double> value) {
    IndicatorValue v = whole;
    v.district_id = district.id;
    v.district_code = district.code;
    v.district_name = district.name;
    v.value = value;
    v.definition = Message("indicators.def.in_district", {{"definition", whole.definition}});
    return v;
}

std::optional<double> percent(double part, double whole) {
    return whole > 0 ? std::optional<double>(100.0 * part / whole) : std::nullopt;
}

Message names_list(const SchemaSet& schemas, const std::string& kind, const std::vector<std::string>& subzones) {
    std::string zh, en;
    for (const auto& s : subzones) {
        const Message name = subzone_name(schemas, kind, s);
        zh += (zh.empty() ? "" : "、") + name.text(Language::zh);
        en += (en.empty() ? "" : ", ") + name.text(Language::en);
    }
    return bilingual(zh, en);
}

}  // namespace

CoastlineClass coastline_class(const std::string& value) {
    static const std::map<std::string, CoastlineClass> classes = [] {
        std::map<std::string, CoastlineClass> m;
        for (const char* v : {"自然岸线", "自然", "基岩岸线", "砂质岸线", "淤泥质岸线", "生物岸线", "整治修复岸线",
                              "生态恢复岸线", "natural"}) {
            m[text::fold(v)] = CoastlineClass::natural;
        }
        for (const char* v : {"人工岸线", "人工", "artificial"}) {
            m[text::fold(v)] = CoastlineClass::artificial;
        }
        for (const char* v : {"其他岸线", "其他", "河口岸线", "other", "estuary"}) {
            m[text::fold(v)] = CoastlineClass::other;
        }
        return m;
    }();
    const auto it = classes.find(text::fold(value));
    return it == classes.end() ? CoastlineClass::unknown : it->second;
}

const char* coastline_class_name(CoastlineClass c) {
    switch (c) {
        case CoastlineClass::natural:
            return "natural";
        case CoastlineClass::artificial:
            return "artificial";
        case CoastlineClass::other:
            return "other";
        case CoastlineClass::unknown:
            return "unknown";
    }
    return "unknown";
}

const IndicatorValue* IndicatorSet::find(const IndicatorKey& key) const {
    for (const auto& v : values) {
        if (v.id == key.id && v.subzone == key.subzone && v.district_id == key.district) {
            return &v;
        }
    }
    return nullptr;
}

std::vector<std::string> indicator_ids(const SchemaSet& schemas) {
    std::vector<std::string> ids = {"land_area_ha", "red_line_area_ha", "red_line_share_pct"};
    for (const auto& id : schemas.kind_ids()) {
        if (measured_by_area(schemas.kind(id))) {
            ids.push_back(id + "_area_ha");
        }
    }
    for (const char* id : {"coastline_length_km", "natural_coastline_length_km", "natural_coastline_retention_pct"}) {
        ids.emplace_back(id);
    }
    return ids;
}

std::string indicator_kind(const std::string& id, const SchemaSet& schemas) {
    if (id == "red_line_area_ha" || id == "red_line_share_pct") {
        return "red_line";
    }
    if (id == "coastline_length_km" || id == "natural_coastline_length_km" || id == "natural_coastline_retention_pct") {
        return "coastline";
    }
    if (id == "land_area_ha") {
        return "";
    }
    for (const auto& kind : schemas.kind_ids()) {
        if (id == kind + "_area_ha" && measured_by_area(schemas.kind(kind))) {
            return kind;
        }
    }
    return "";
}

// The union of some zones, in pieces, and its area.
struct PieceSet {
    std::vector<Piece> pieces;
    double area_m2 = 0;
};

struct IndicatorMeter::Impl {
    const SchemaSet& schemas;
    IndicatorOptions options;
    // One GEOS context per thread, the first the caller's; they outlive every geometry below.
    std::vector<std::unique_ptr<geos::Context>> contexts;
    std::vector<Measure> measures;
    const geos::Context& ctx;
    const Measure& measure;
    std::map<std::string, std::shared_ptr<const PieceSet>> piece_sets;
    std::map<std::string, std::shared_ptr<const Land>> lands;
    std::map<std::string, std::shared_ptr<const std::vector<Region>>> district_sets;
    std::map<std::string, Component> components;

    Impl(const SchemaSet& s, IndicatorOptions o)
        : schemas(s),
          options(o),
          contexts(make_contexts()),
          measures(make_measures(contexts)),
          ctx(*contexts.front()),
          measure(measures.front()) {}

    static std::vector<std::unique_ptr<geos::Context>> make_contexts() {
        std::vector<std::unique_ptr<geos::Context>> out;
        for (unsigned i = 0; i < std::max(1u, std::thread::hardware_concurrency()); ++i) {
            out.push_back(std::make_unique<geos::Context>());
        }
        return out;
    }
    static std::vector<Measure> make_measures(const std::vector<std::unique_ptr<geos::Context>>& contexts) {
        std::vector<Measure> out;
        for (const auto& c : contexts) {
            out.emplace_back(*c);
        }
        return out;
    }

    // Runs task(i, measure) for i in [0, count) on every core, each thread with its own
    // context; the first failure (a cancellation too) is thrown once all have stopped.
    void parallel(std::size_t count, const std::function<void(std::size_t, const Measure&)>& task) {
        const std::size_t workers = std::min(measures.size(), count);
        if (workers <= 1) {
            for (std::size_t i = 0; i < count; ++i) {
                task(i, measure);
            }
            return;
        }
        std::atomic<std::size_t> next{0};
        std::atomic<bool> stop{false};
        std::exception_ptr failure;
        std::mutex mutex;
        auto work = [&](std::size_t worker) {
            try {
                for (std::size_t i = next++; i < count && !stop; i = next++) {
                    task(i, measures[worker]);
                }
            } catch (...) {
                const std::lock_guard lock(mutex);
                if (!failure) {
                    failure = std::current_exception();
                }
                stop = true;
            }
        };
        std::vector<std::thread> threads;
        for (std::size_t w = 1; w < workers; ++w) {
            threads.emplace_back(work, w);
        }
        work(0);
        for (auto& t : threads) {
            t.join();
        }
        if (failure) {
            std::rethrow_exception(failure);
        }
    }

    // The union of the zones' polygons in pieces, kept by the rows it was made of. The zones
    // are cut into strips between meridians, each strip united on its own thread.
    std::shared_ptr<const PieceSet> piece_set(const std::string& tag, const std::vector<const Zone*>& zones,
                                              Progress& progress) {
        const std::string key = tag + '|' + rows_key(zones);
        if (auto it = piece_sets.find(key); it != piece_sets.end()) {
            return it->second;
        }
        std::vector<geos::GeomPtr> polygons(zones.size());
        std::vector<BoundingBox> boxes(zones.size());
        parallel(zones.size(), [&](std::size_t i, const Measure& m) {
            progress.check();
            polygons[i] = m.polygons_of(*zones[i]);
            if (!m.empty(polygons[i].get())) {
                boxes[i] = m.extent(polygons[i].get());
            }
        });
        std::vector<std::size_t> usable;
        BoundingBox all;
        for (std::size_t i = 0; i < polygons.size(); ++i) {
            if (!measure.empty(polygons[i].get())) {
                if (usable.empty()) {
                    all = boxes[i];
                } else {
                    all.expand(boxes[i]);
                }
                usable.push_back(i);
            }
        }
        // Strips of equal width, sixteen per thread, so that every thread stays busy however
        // the zones lie (more, smaller unions cost no more CPU on the province benchmark); a
        // zone within one strip goes there whole, one across several is cut along the meridians.
        const std::size_t count =
            usable.size() < 64 ? 1 : std::min<std::size_t>(16 * measures.size(), usable.size() / 16);
        std::vector<double> sides(count + 1);
        for (std::size_t k = 0; k <= count; ++k) {
            sides[k] = k == count
                           ? all.max_x
                           : all.min_x + (all.max_x - all.min_x) * static_cast<double>(k) / static_cast<double>(count);
        }
        const auto strip_of = [&sides, count](double x) {
            return static_cast<std::size_t>(std::upper_bound(sides.begin() + 1, sides.begin() + count, x) -
                                            (sides.begin() + 1));
        };
        std::vector<std::vector<std::size_t>> whole(count), across(count);
        for (const std::size_t i : usable) {
            const std::size_t first = strip_of(boxes[i].min_x), last = strip_of(boxes[i].max_x);
            for (std::size_t k = first; k <= last; ++k) {
                (first == last ? whole : across)[k].push_back(i);
            }
        }
        std::vector<std::vector<Piece>> strips(count);
        parallel(count, [&](std::size_t k, const Measure& m) {
            std::vector<const GEOSGeometry*> members;
            for (const std::size_t i : whole[k]) {
                members.push_back(polygons[i].get());
            }
            std::vector<geos::GeomPtr> cut;
            for (const std::size_t i : across[k]) {
                progress.check();
                auto part =
                    m.between_meridians(polygons[i].get(), sides[k], sides[k + 1], all.min_y - 1, all.max_y + 1);
                if (!m.empty(part.get())) {
                    members.push_back(part.get());
                    cut.push_back(std::move(part));
                }
            }
            strips[k] = m.union_pieces(members, progress);
        });
        auto result = std::make_shared<PieceSet>();
        for (auto& strip : strips) {
            for (auto& p : strip) {
                result->area_m2 += p.area_m2;
                result->pieces.push_back(std::move(p));
            }
        }
        piece_sets.emplace(key, result);
        return result;
    }

    // The area of a piece set within each region (the land, districts), the regions shared
    // out among the threads, each region's prepared geometry used by one thread only.
    std::vector<double> areas_within(const PieceSet& set, const std::vector<const Region*>& regions,
                                     Progress& progress) {
        std::vector<double> areas(regions.size(), 0.0);
        parallel(regions.size(), [&](std::size_t r, const Measure& m) {
            double sum = 0;
            for (const auto& piece : set.pieces) {
                progress.check();
                sum += m.area_within(piece, *regions[r]);
            }
            areas[r] = sum;
        });
        return areas;
    }

    std::shared_ptr<const Land> land(const std::string& kind, const std::vector<const Zone*>& zones) {
        const std::string key = kind + '|' + rows_key(zones);
        if (auto it = lands.find(key); it != lands.end()) {
            return it->second;
        }
        auto result = std::make_shared<Land>();
        result->kind = kind;
        std::vector<geos::GeomPtr> read(zones.size());
        parallel(zones.size(), [&](std::size_t i, const Measure& m) { read[i] = m.polygons_of(*zones[i]); });
        std::vector<geos::GeomPtr> polygons;
        for (auto& g : read) {
            if (!measure.empty(g.get())) {
                polygons.push_back(std::move(g));
            }
        }
        if (!polygons.empty()) {
            result->region = measure.region(kind, "", "", measure.land_union(polygons));
        }
        lands.emplace(key, result);
        return result;
    }

    // Districts by code (else zone id): the zones of one district taken together, in the
    // order of their codes, then names.
    std::shared_ptr<const std::vector<Region>> districts(const std::vector<const Zone*>& zones) {
        const std::string key = rows_key(zones);
        if (auto it = district_sets.find(key); it != district_sets.end()) {
            return it->second;
        }
        std::map<std::string, std::vector<const Zone*>> grouped;
        for (const Zone* z : zones) {
            grouped[z->code.empty() ? z->zone_id : z->code].push_back(z);
        }
        std::vector<std::pair<std::string, std::vector<const Zone*>>> groups(grouped.begin(), grouped.end());
        std::vector<std::optional<Region>> made(groups.size());
        parallel(groups.size(), [&](std::size_t g, const Measure& m) {
            const auto& [id, members] = groups[g];
            std::vector<geos::GeomPtr> polygons;
            for (const Zone* z : members) {
                auto polygon = m.polygons_of(*z);
                if (!m.empty(polygon.get())) {
                    polygons.push_back(std::move(polygon));
                }
            }
            if (!polygons.empty()) {
                made[g] = m.region(id, members.front()->code, members.front()->name, m.land_union(polygons));
            }
        });
        auto result = std::make_shared<std::vector<Region>>();
        for (auto& r : made) {
            if (r) {
                result->push_back(std::move(*r));
            }
        }
        std::stable_sort(result->begin(), result->end(), [](const Region& a, const Region& b) {
            return std::tie(a.code, a.name, a.id) < std::tie(b.code, b.name, b.id);
        });
        district_sets.emplace(key, result);
        return result;
    }

    Component land_component(const Land& land, const std::vector<Region>* districts) {
        Component c;
        if (!land.region) {
            return c;
        }
        const IndicatorValue whole =
            make_value("land_area_ha", land.kind, "", land.region->area_m2 / m2_per_ha, "ha",
                       Message("indicators.name.land_area_ha"),
                       Message("indicators.def.land_area_ha", {{"kind", kind_name(schemas, land.kind)}}));
        c.values.push_back(whole);
        if (districts != nullptr) {
            for (const auto& d : *districts) {
                c.values.push_back(in_district(whole, d, d.area_m2 / m2_per_ha));
            }
        }
        return c;
    }

    Component red_line_component(const std::vector<const Zone*>& zones, const Land* land,
                                 const std::vector<Region>* districts, Progress& progress) {
        Component c;
        const auto pieces = piece_set("red_line", zones, progress);
        const IndicatorValue area_value =
            make_value("red_line_area_ha", "red_line", "", pieces->area_m2 / m2_per_ha, "ha",
                       Message("indicators.name.red_line_area_ha"), Message("indicators.def.red_line_area_ha"));
        c.values.push_back(area_value);
        std::vector<const Region*> regions;
        const bool has_land = land != nullptr && land->region;
        if (has_land) {
            regions.push_back(&*land->region);
        }
        if (districts != nullptr) {
            for (const auto& d : *districts) {
                regions.push_back(&d);
            }
        }
        const std::vector<double> within = areas_within(*pieces, regions, progress);
        std::optional<IndicatorValue> share;
        if (has_land) {
            share =
                make_value("red_line_share_pct", "red_line", "", percent(within.front(), land->region->area_m2), "%",
                           Message("indicators.name.red_line_share_pct"),
                           Message("indicators.def.red_line_share_pct", {{"kind", kind_name(schemas, land->kind)}}));
            c.values.push_back(*share);
        }
        if (districts != nullptr) {
            for (std::size_t d = 0; d < districts->size(); ++d) {
                const double area = within[d + (has_land ? 1 : 0)];
                c.values.push_back(in_district(area_value, (*districts)[d], area / m2_per_ha));
                if (share) {
                    c.values.push_back(in_district(*share, (*districts)[d], percent(area, (*districts)[d].area_m2)));
                }
            }
        }
        return c;
    }

    Component kind_component(const KindSchema& kind, const std::vector<const Zone*>& zones,
                             const std::vector<Region>* districts, Progress& progress) {
        // The sub-zones the kind's zoning has now (legacy ones are stored as their successors),
        // then any other value the zones carry.
        std::vector<std::string> subzones;
        for (const auto& s : kind.subzones) {
            if (!s.legacy()) {
                subzones.push_back(s.id);
            }
        }
        for (const Zone* z : zones) {
            if (std::find(subzones.begin(), subzones.end(), z->subzone) == subzones.end()) {
                subzones.push_back(z->subzone);
            }
        }
        // The zone proper: its nested sub-zones (not a source's quasi zone, not a reserve's
        // outer belt, which lie outside it), or every zone of a kind without nesting.
        const std::vector<std::string>& proper = kind.nested_subzones;
        auto zones_where = [&](const std::function<bool(const Zone&)>& take) {
            std::vector<const Zone*> chosen;
            for (const Zone* z : zones) {
                if (take(*z)) {
                    chosen.push_back(z);
                }
            }
            return chosen;
        };
        struct Measured {
            IndicatorValue value;
            std::shared_ptr<const PieceSet> pieces;
        };
        std::vector<Measured> measured;
        const std::string id = kind.id + "_area_ha";
        {
            auto pieces = piece_set(kind.id, zones_where([&](const Zone& z) {
                                        return proper.empty() ||
                                               std::find(proper.begin(), proper.end(), z.subzone) != proper.end();
                                    }),
                                    progress);
            Message definition = proper.empty()
                                     ? Message("indicators.def.kind_area_ha", {{"kind", kind_name(schemas, kind.id)}})
                                     : Message("indicators.def.kind_proper_area_ha",
                                               {{"kind", kind_name(schemas, kind.id)},
                                                {"subzones", names_list(schemas, kind.id, proper)}});
            measured.push_back(
                {make_value(id, kind.id, "", pieces->area_m2 / m2_per_ha, "ha",
                            Message("indicators.name.kind_area_ha", {{"kind", kind_name(schemas, kind.id)}}),
                            std::move(definition)),
                 pieces});
        }
        if (!kind.subzones.empty()) {
            for (const auto& s : subzones) {
                auto pieces =
                    piece_set(kind.id + '/' + s, zones_where([&](const Zone& z) { return z.subzone == s; }), progress);
                const Message::Args args = {{"kind", kind_name(schemas, kind.id)},
                                            {"subzone", subzone_name(schemas, kind.id, s)}};
                measured.push_back({make_value(id, kind.id, s, pieces->area_m2 / m2_per_ha, "ha",
                                               Message("indicators.name.subzone_area_ha", args),
                                               Message("indicators.def.subzone_area_ha", args)),
                                    pieces});
            }
        }
        Component c;
        for (const auto& m : measured) {
            c.values.push_back(m.value);
        }
        if (districts != nullptr) {
            std::vector<const Region*> regions;
            for (const auto& d : *districts) {
                regions.push_back(&d);
            }
            std::vector<std::vector<double>> within;
            for (const auto& m : measured) {
                within.push_back(areas_within(*m.pieces, regions, progress));
            }
            for (std::size_t d = 0; d < districts->size(); ++d) {
                for (std::size_t k = 0; k < measured.size(); ++k) {
                    c.values.push_back(in_district(measured[k].value, (*districts)[d], within[k][d] / m2_per_ha));
                }
            }
        }
        return c;
    }

    Component coastline_component(const std::vector<const Zone*>& zones, const std::vector<Region>* districts,
                                  Progress& progress) {
        Component c;
        std::vector<geos::GeomPtr> lines;
        std::vector<const GEOSGeometry*> all, natural;
        for (const Zone* z : zones) {
            lines.push_back(measure.lines_of(*z));
            const auto attribute = z->attributes.find(coastline_type_attribute);
            const std::string value = attribute == z->attributes.end() ? "" : attribute->second;
            const CoastlineClass cls = coastline_class(value);
            if (cls == CoastlineClass::unknown) {
                c.problems.push_back({Severity::warning, "", feature_ref(z->zone_id, z->name),
                                      value.empty()
                                          ? Message("indicators.coastline_unclassified")
                                          : Message("indicators.coastline_unknown_class", {{"value", value}})});
            }
            all.push_back(lines.back().get());
            if (cls == CoastlineClass::natural) {
                natural.push_back(lines.back().get());
            }
        }
        const auto total_lines = measure.line_union(all);
        const auto natural_lines = measure.line_union(natural);
        const double total_m = measure.length_m(total_lines.get());
        const double natural_m = measure.length_m(natural_lines.get());
        const IndicatorValue total_value =
            make_value("coastline_length_km", "coastline", "", total_m / m_per_km, "km",
                       Message("indicators.name.coastline_length_km"), Message("indicators.def.coastline_length_km"));
        const IndicatorValue natural_value =
            make_value("natural_coastline_length_km", "coastline", "", natural_m / m_per_km, "km",
                       Message("indicators.name.natural_coastline_length_km"),
                       Message("indicators.def.natural_coastline_length_km"));
        const IndicatorValue retention =
            make_value("natural_coastline_retention_pct", "coastline", "", percent(natural_m, total_m), "%",
                       Message("indicators.name.natural_coastline_retention_pct"),
                       Message("indicators.def.natural_coastline_retention_pct"));
        c.values = {total_value, natural_value, retention};
        if (districts != nullptr) {
            const auto totals = measure.lengths_by_district(total_lines.get(), *districts, progress);
            const auto naturals = measure.lengths_by_district(natural_lines.get(), *districts, progress);
            for (std::size_t d = 0; d < districts->size(); ++d) {
                const Region& r = (*districts)[d];
                c.values.push_back(in_district(total_value, r, totals[d] / m_per_km));
                c.values.push_back(in_district(natural_value, r, naturals[d] / m_per_km));
                c.values.push_back(in_district(retention, r, percent(naturals[d], totals[d])));
            }
        }
        return c;
    }

    const Component& component(const std::string& key, const std::function<Component()>& make) {
        if (auto it = components.find(key); it != components.end()) {
            return it->second;
        }
        return components.emplace(key, make()).first->second;
    }

    IndicatorSet run(const std::vector<Zone>& zones, const VersionInfo& version, bool districts_required,
                     Progress& progress) {
        IndicatorSet set;
        set.version = version;
        std::map<std::string, std::vector<const Zone*>> by_kind;
        for (const auto& z : zones) {
            by_kind[z.kind].push_back(&z);
        }
        const auto zones_of = [&by_kind](const std::string& kind) -> const std::vector<const Zone*>& {
            static const std::vector<const Zone*> none;
            const auto it = by_kind.find(kind);
            return it == by_kind.end() ? none : it->second;
        };
        set.land_kind = land_kind_of(schemas, by_kind);
        std::vector<std::string> area_kinds;
        for (const auto& id : schemas.kind_ids()) {
            if (measured_by_area(schemas.kind(id)) && by_kind.contains(id)) {
                area_kinds.push_back(id);
            }
        }
        const bool coastline = schemas.find("coastline") != nullptr && by_kind.contains("coastline");
        progress.stage(Message("stage.indicators", {{"version", version.id}}),
                       3 + area_kinds.size() + (coastline ? 1 : 0));
        std::uint64_t done = 0;

        std::shared_ptr<const Land> land;
        if (!set.land_kind.empty()) {
            land = this->land(set.land_kind, zones_of(set.land_kind));
        }
        const std::string land_key = set.land_kind + '|' + (land ? rows_key(zones_of(set.land_kind)) : "");
        progress.advance(++done);

        std::shared_ptr<const std::vector<Region>> district_regions;
        std::string district_key = "-";
        if (options.by_district) {
            const KindSchema* administrative = nullptr;
            for (const auto& id : schemas.kind_ids()) {
                if (schemas.kind(id).administrative && by_kind.contains(id)) {
                    administrative = &schemas.kind(id);
                    break;
                }
            }
            if (administrative != nullptr) {
                district_regions = districts(zones_of(administrative->id));
                district_key = rows_key(zones_of(administrative->id));
                set.districts = district_regions->size();
            } else if (districts_required) {
                throw DataError(Message("indicators.no_districts", {{"version", version.id}}));
            }
        }
        const std::vector<Region>* regions = district_regions.get();
        progress.advance(++done);

        std::vector<const Component*> parts;
        if (land) {
            parts.push_back(
                &component("land|" + land_key + '|' + district_key, [&] { return land_component(*land, regions); }));
        }
        parts.push_back(
            &component("red_line|" + rows_key(zones_of("red_line")) + '|' + land_key + '|' + district_key,
                       [&] { return red_line_component(zones_of("red_line"), land.get(), regions, progress); }));
        progress.advance(++done);
        for (const auto& kind : area_kinds) {
            parts.push_back(&component(kind + '|' + rows_key(zones_of(kind)) + '|' + district_key, [&] {
                return kind_component(schemas.kind(kind), zones_of(kind), regions, progress);
            }));
            progress.advance(++done);
        }
        if (coastline) {
            parts.push_back(&component("coastline|" + rows_key(zones_of("coastline")) + '|' + district_key,
                                       [&] { return coastline_component(zones_of("coastline"), regions, progress); }));
            progress.advance(++done);
        }
        // The whole workspace first, then district by district, each in the order measured.
        for (const bool whole : {true, false}) {
            std::vector<const IndicatorValue*> chosen;
            for (const Component* part : parts) {
                for (const auto& v : part->values) {
                    if (v.whole() == whole) {
                        chosen.push_back(&v);
                    }
                }
            }
            if (!whole && regions != nullptr) {
                std::map<std::string, std::size_t> order;
                for (std::size_t d = 0; d < regions->size(); ++d) {
                    order[(*regions)[d].id] = d;
                }
                std::stable_sort(chosen.begin(), chosen.end(), [&order](const auto* a, const auto* b) {
                    return order.at(a->district_id) < order.at(b->district_id);
                });
            }
            for (const auto* v : chosen) {
                set.values.push_back(*v);
            }
        }
        for (const Component* part : parts) {
            set.problems.insert(set.problems.end(), part->problems.begin(), part->problems.end());
        }
        return set;
    }
};

IndicatorMeter::IndicatorMeter(const SchemaSet& schemas, IndicatorOptions options)
    : impl_(std::make_unique<Impl>(schemas, options)) {}

IndicatorMeter::~IndicatorMeter() = default;

IndicatorSet IndicatorMeter::measure(const std::vector<Zone>& zones, const VersionInfo& version,
                                     bool districts_required, Progress& progress) {
    return impl_->run(zones, version, districts_required, progress);
}

IndicatorSet measure_indicators(const std::vector<Zone>& zones, const SchemaSet& schemas,
                                const IndicatorOptions& options, Progress& progress) {
    return IndicatorMeter(schemas, options).measure(zones, VersionInfo{}, true, progress);
}

}  // namespace redline
