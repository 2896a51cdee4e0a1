// The screening engine: one zone index, one rule set, decisions cached by what they depend on.
#include "redline/screening/screener.hpp"

#include "base/geos_support.hpp"
#include "screening/hit_order.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>

namespace redline {
namespace {

// What a decision depends on besides the facts and the distance: the zone's kind, its
// stored sub-zone and what the source called it.
struct ZoneClass {
    const KindSchema* kind = nullptr;
    std::string subzone, subzone_source;
    const std::vector<double>* near_thresholds = nullptr;  // the within_m of the kind's near rules, sorted
};

std::string facts_key(const ActivityFacts& f) {
    auto text = [](const std::optional<std::string>& v) { return v ? "=" + *v : std::string("?"); };
    auto flag = [](const std::optional<bool>& v) { return v ? (*v ? "=1" : "=0") : "?"; };
    std::string codes;
    for (const auto& code : f.industry_codes) {
        codes += code + ',';
    }
    return text(f.activity) + '\x1f' + text(f.industry) + '\x1f' + codes + '\x1f' + flag(f.discharges) + '\x1f' +
           text(f.outfall_type) + '\x1f' + text(f.receiving_water) + '\x1f' + flag(f.listed_activity) + '\x1f' +
           text(f.scale) + '\x1f' + text(f.access_list);
}

std::atomic<std::uint64_t> next_generation{1};

bool inside_unit(Relation relation) {
    return relation == Relation::within || relation == Relation::overlaps || relation == Relation::contains;
}

// Whether a point lies in a ring (boundary included), by counting crossings.
bool in_ring(const std::vector<double>& xy, double x, double y) {
    constexpr double on_edge = 1e-9;  // degrees
    bool inside = false;
    for (std::size_t i = 0; i + 3 < xy.size(); i += 2) {
        const double x1 = xy[i], y1 = xy[i + 1], x2 = xy[i + 2], y2 = xy[i + 3];
        const double ex = x2 - x1, ey = y2 - y1, length2 = ex * ex + ey * ey;
        const double t = length2 > 0 ? std::clamp(((x - x1) * ex + (y - y1) * ey) / length2, 0.0, 1.0) : 0.0;
        const double dx = x1 + t * ex - x, dy = y1 + t * ey - y;
        if (dx * dx + dy * dy <= on_edge * on_edge) {
            return true;
        }
        if ((y1 > y) != (y2 > y) && x < x1 + (y - y1) * ex / ey) {
            inside = !inside;
        }
    }
    return inside;
}

}  // namespace

struct Screener::Impl {
    SchemaSet schemas;
    std::shared_ptr<const RuleSet> rules;
    FactVocabulary vocabulary;
    CheckOptions options;
    std::filesystem::path workspace_path;
    std::optional<VersionInfo> workspace_version;
    std::vector<std::string> kinds;
    std::set<std::string> tiling_kinds;
    ZoneIndex index;
    ZoneIndex::Limits limits;

    std::vector<ZoneClass> classes;
    std::vector<std::uint32_t> class_of_zone;
    std::map<std::string, std::vector<double>> near_thresholds;  // per kind
    std::vector<bool> tiling_by_kind;                            // per zone: its kind tiles the jurisdiction
    std::vector<bool> protective_zone;                           // per zone
    // Without a tiling kind: the convex hull of the extents the workspace records for its
    // kinds, as a ring of x, y; empty when it records none (coverage not known).
    std::vector<double> extent_ring;
    std::vector<Problem> problems;  // found at open (see Screener::problems)
    // Access lists: the book, and the kinds whose zones carry a list (management units).
    std::shared_ptr<const access::AccessBook> access_book;
    std::map<std::string, access::AccessListFields> access_kinds;
    std::vector<const access::AccessListFields*> access_fields_of_zone;  // per zone; null: not a unit

    // Decisions for points, shared by all threads; each thread keeps its own front copy.
    const std::uint64_t generation = next_generation++;
    mutable std::mutex cache_mutex;
    mutable std::unordered_map<std::string, std::uint32_t> facts_ids;
    mutable std::vector<ActivityFacts> facts_by_id;
    mutable std::unordered_map<std::uint64_t, std::unique_ptr<ZoneDecision>> decisions;
    mutable std::unordered_map<std::uint64_t, std::unique_ptr<access::AccessAssessment>> assessments;

    Impl(const SchemaSet& s, std::shared_ptr<const RuleSet> r, FactVocabulary v, CheckOptions o,
         std::filesystem::path path, std::optional<VersionInfo> version, std::vector<std::string> k, ZoneIndex i)
        : schemas(s),
          rules(std::move(r)),
          vocabulary(std::move(v)),
          options(std::move(o)),
          workspace_path(std::move(path)),
          workspace_version(std::move(version)),
          kinds(std::move(k)),
          index(std::move(i)),
          limits(index.limits(options)) {}

    const ZoneDecision& decision(std::uint32_t zone_class, Relation relation, double distance,
                                 std::uint32_t facts_id) const;
    std::uint32_t facts_id(const ActivityFacts& facts) const;
    // A unit zone's access lists held against facts (by id), kept for every later point.
    const access::AccessAssessment& assessment(std::size_t zone, std::uint32_t facts_id) const;
    access::UnitRef unit_of_zone(std::size_t zone) const {
        const Zone& z = index.zone(zone);
        return access::unit_ref(*access_fields_of_zone[zone], z.code, z.subzone, z.name, z.attributes);
    }
};

namespace {

struct LocalCache {
    std::uint64_t generation = 0;
    std::unordered_map<std::string, std::uint32_t> facts;
    std::unordered_map<std::uint64_t, const ZoneDecision*> decisions;
    std::unordered_map<std::uint64_t, const access::AccessAssessment*> assessments;
    std::unordered_map<std::uint64_t, std::uint32_t> with_outcome;  // facts id and access outcome -> facts id
};

LocalCache& local_cache(std::uint64_t generation) {
    thread_local LocalCache cache;
    if (cache.generation != generation) {
        cache = LocalCache{};
        cache.generation = generation;
    }
    return cache;
}

}  // namespace

std::uint32_t Screener::Impl::facts_id(const ActivityFacts& facts) const {
    LocalCache& local = local_cache(generation);
    std::string key = facts_key(facts);
    if (auto it = local.facts.find(key); it != local.facts.end()) {
        return it->second;
    }
    std::uint32_t id = 0;
    {
        const std::lock_guard lock(cache_mutex);
        auto [it, added] = facts_ids.try_emplace(key, static_cast<std::uint32_t>(facts_by_id.size()));
        if (added) {
            facts_by_id.push_back(facts);
        }
        id = it->second;
    }
    local.facts.emplace(std::move(key), id);
    return id;
}

const ZoneDecision& Screener::Impl::decision(std::uint32_t zone_class, Relation relation, double distance,
                                             std::uint32_t facts) const {
    // Only the near rules' distance settings the distance passes matter, not the distance.
    std::uint64_t distance_class = 0;
    if (relation == Relation::near) {
        const auto& t = *classes[zone_class].near_thresholds;
        distance_class = static_cast<std::uint64_t>(std::lower_bound(t.begin(), t.end(), distance) - t.begin());
    }
    const std::uint64_t key = (static_cast<std::uint64_t>(zone_class) << 40) |
                              (static_cast<std::uint64_t>(relation) << 36) | (distance_class << 28) | facts;
    LocalCache& local = local_cache(generation);
    if (auto it = local.decisions.find(key); it != local.decisions.end()) {
        return *it->second;
    }
    const ZoneDecision* found = nullptr;
    {
        const std::lock_guard lock(cache_mutex);
        auto& slot = decisions[key];
        if (!slot) {
            const ZoneClass& c = classes[zone_class];
            slot = std::make_unique<ZoneDecision>(decide_zone(*rules, c.kind, c.kind->id, c.subzone, c.subzone_source,
                                                              relation, distance, facts_by_id[facts]));
        }
        found = slot.get();
    }
    local.decisions.emplace(key, found);
    return *found;
}

const access::AccessAssessment& Screener::Impl::assessment(std::size_t zone, std::uint32_t facts) const {
    const std::uint64_t key = (static_cast<std::uint64_t>(zone) << 32) | facts;
    LocalCache& local = local_cache(generation);
    if (auto it = local.assessments.find(key); it != local.assessments.end()) {
        return *it->second;
    }
    ActivityFacts with;
    {
        const std::lock_guard lock(cache_mutex);
        if (auto it = assessments.find(key); it != assessments.end()) {
            local.assessments.emplace(key, it->second.get());
            return *it->second;
        }
        with = facts_by_id[facts];
    }
    auto made = std::make_unique<access::AccessAssessment>(access_book->assess(unit_of_zone(zone), with));
    const std::lock_guard lock(cache_mutex);
    auto& slot = assessments[key];
    if (!slot) {
        slot = std::move(made);
    }
    local.assessments.emplace(key, slot.get());
    return *slot;
}

Screener::Screener(const SchemaSet& schemas, const ScreenerSettings& settings, Progress& progress) {
    for (const auto& [kind, _] : settings.options.near_distance_m) {
        schemas.kind(kind);  // an unknown kind in --near is a usage error
    }
    auto rules = settings.rules
                     ? settings.rules
                     : std::make_shared<const RuleSet>(RuleSet::load(schemas, settings.rule_files, settings.as_of));
    FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    CheckOptions options = settings.options;
    widen_for_near_rules(options, schemas, *rules);

    progress.stage(Message("stage.load_zones"));
    const Workspace workspace = Workspace::open_read_only(settings.workspace);
    std::vector<std::string> kinds;
    for (const auto& [kind, count] : workspace.zone_counts_by_kind()) {
        kinds.push_back(kind);
    }
    std::vector<double> extent_ring;
    if (std::none_of(kinds.begin(), kinds.end(), [&](const std::string& k) {
            const KindSchema* s = schemas.find(k);
            return s != nullptr && s->tiles_jurisdiction;
        })) {
        geos::Context ctx;
        std::vector<GEOSGeometry*> members;
        for (const auto& [kind, extent] : workspace.recorded_extents()) {
            if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
                members.push_back(geos::from_wkb(ctx, extent).release());
            }
        }
        if (!members.empty()) {
            auto all = geos::own(ctx,
                                 GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, members.data(),
                                                             static_cast<unsigned>(members.size())),
                                 "collection");
            auto hull = geos::own(ctx, GEOSConvexHull_r(ctx.handle(), all.get()), "convex hull");
            if (GEOSGeomTypeId_r(ctx.handle(), hull.get()) == GEOS_POLYGON) {
                extent_ring = geos::coordinates(ctx, GEOSGetExteriorRing_r(ctx.handle(), hull.get()));
            }
        }
    }
    std::optional<BoundingBox> box;
    if (settings.region) {
        box = grow_box_by_metres(*settings.region, max_near_distance_m(schemas, options));
    }
    // Zones nothing can screen are named: those without geometry (no box meets them) and
    // those whose stored geometry cannot be read.
    std::vector<Problem> problems = workspace.unusable_zones();
    std::vector<Problem> unreadable;
    std::vector<Zone> zones = workspace.load_zones(box, &unreadable);
    for (auto& p : unreadable) {
        if (std::find_if(problems.begin(), problems.end(), [&](const Problem& q) { return q.feature == p.feature; }) ==
            problems.end()) {
            problems.push_back(std::move(p));
        }
    }
    for (const Zone& zone : zones) {
        const KindSchema* kind = schemas.find(zone.kind);
        if (kind != nullptr && !kind->subzones.empty() && kind->find_subzone(zone.subzone) == nullptr) {
            problems.push_back(
                {Severity::warning, workspace.display_path(),
                 Message("where.stored_zone", {{"fid", zone.fid}, {"kind", zone.kind}, {"id", zone.zone_id}}),
                 Message("check.unknown_subzone", {{"subzone", zone.subzone}, {"kind", zone.kind}})});
        }
    }
    progress.stage(Message("stage.index_zones"), zones.size());
    ZoneIndex index(schemas, std::move(zones), settings.threads);

    impl_ = std::make_unique<Impl>(schemas, std::move(rules), std::move(vocabulary), std::move(options),
                                   settings.workspace, workspace.current_version(), std::move(kinds), std::move(index));
    Impl& m = *impl_;
    m.extent_ring = std::move(extent_ring);
    m.problems = std::move(problems);
    if (settings.access_lists && std::filesystem::is_directory(m.schemas.directory() / "industries")) {
        auto catalog = std::make_shared<const IndustryCatalog>(IndustryCatalog::load(m.schemas.directory()));
        m.access_book = std::make_shared<const access::AccessBook>(workspace.access_lists(), workspace.clause_reviews(),
                                                                   std::move(catalog));
        for (const auto& id : m.schemas.kind_ids()) {
            if (auto fields = access::access_list_fields(m.schemas.kind(id)); !fields.empty()) {
                m.access_kinds.emplace(id, std::move(fields));
            }
        }
    }
    for (const auto& kind : m.kinds) {
        if (const KindSchema* k = m.schemas.find(kind); k != nullptr && k->tiles_jurisdiction) {
            m.tiling_kinds.insert(kind);
        }
    }
    for (const auto& id : m.schemas.kind_ids()) {
        std::set<double> thresholds;
        for (const auto& rule : m.rules->rules()) {
            if (rule.kind == id && rule.within_m) {
                thresholds.insert(*rule.within_m);
            }
        }
        m.near_thresholds[id].assign(thresholds.begin(), thresholds.end());
    }
    std::map<std::tuple<std::string, std::string, std::string>, std::uint32_t> class_ids;
    const std::size_t n = m.index.zone_count();
    m.class_of_zone.resize(n);
    m.tiling_by_kind.resize(n);
    m.protective_zone.resize(n);
    m.access_fields_of_zone.assign(n, nullptr);
    for (std::size_t z = 0; z < n; ++z) {
        const Zone& zone = m.index.zone(z);
        const KindSchema& kind = m.index.kind_of(z);
        const auto source = zone.attributes.find(subzone_source_attribute);
        ZoneClass c{&kind, zone.subzone, source == zone.attributes.end() ? std::string() : source->second,
                    &m.near_thresholds.at(kind.id)};
        auto [it, added] =
            class_ids.try_emplace({kind.id, c.subzone, c.subzone_source}, static_cast<std::uint32_t>(m.classes.size()));
        if (added) {
            m.classes.push_back(std::move(c));
        }
        m.class_of_zone[z] = it->second;
        m.tiling_by_kind[z] = m.tiling_kinds.contains(kind.id);
        m.protective_zone[z] = kind.protective;
        if (auto fields = m.access_kinds.find(kind.id); fields != m.access_kinds.end()) {
            m.access_fields_of_zone[z] = &fields->second;
        }
    }
}

Screener::~Screener() = default;

FootprintResult Screener::screen(const Footprint& footprint, const ActivityFacts& facts) const {
    const Impl& m = *impl_;
    FootprintResult result = m.index.check(footprint, m.options);
    result.geometry = footprint.geometry;
    // The units met: their access lists held against the facts as the rules will see them.
    if (m.access_book) {
        ActivityFacts seen = facts;
        fill_inferred_activity(seen, result.geometry_type);
        for (Hit& hit : result.hits) {
            const auto fields = m.access_kinds.find(hit.kind);
            if (fields != m.access_kinds.end() && inside_unit(hit.relation)) {
                hit.access = std::make_shared<const access::AccessAssessment>(m.access_book->assess(
                    access::unit_ref(fields->second, hit.zone_code, hit.subzone, hit.zone_name, hit.zone_attributes),
                    seen));
            }
        }
    }
    decide(result, m.schemas, facts, [&](const Hit& hit, const ActivityFacts& with) {
        // A unit is decided on what its lists said (the access_list fact) as well.
        ActivityFacts unit_facts;
        if (hit.access) {
            unit_facts = with;
            unit_facts.access_list = access::access_outcome_name(hit.access->outcome);
        }
        return decide_zone(*m.rules, m.schemas.find(hit.kind), hit.kind, hit.subzone, hit.subzone_source, hit.relation,
                           hit.distance_m, hit.access ? unit_facts : with);
    });
    return result;
}

void Screener::screen_point(double lon, double lat, const ActivityFacts& facts, PointScreening& out) const {
    const Impl& m = *impl_;
    out.hits.clear();
    out.facts = facts;
    fill_inferred_activity(out.facts, "Point");
    const std::uint32_t facts_id = m.facts_id(out.facts);
    thread_local std::vector<ZoneIndex::PointHit> found;
    m.index.locate(lon, lat, m.limits, found);
    out.verdict = Verdict::clear;
    bool covered = false;
    for (const auto& p : found) {
        const access::AccessAssessment* assessed = nullptr;
        std::uint32_t decided_on = facts_id;
        if (m.access_fields_of_zone[p.zone] != nullptr && m.access_book && inside_unit(p.relation)) {
            assessed = &m.assessment(p.zone, facts_id);
            const std::uint64_t key =
                (static_cast<std::uint64_t>(facts_id) << 8) | static_cast<std::uint64_t>(assessed->outcome);
            LocalCache& local = local_cache(m.generation);
            if (auto it = local.with_outcome.find(key); it != local.with_outcome.end()) {
                decided_on = it->second;
            } else {
                ActivityFacts unit_facts = out.facts;
                unit_facts.access_list = access::access_outcome_name(assessed->outcome);
                decided_on = m.facts_id(unit_facts);
                local_cache(m.generation).with_outcome.emplace(key, decided_on);
            }
        }
        const ZoneDecision& d = m.decision(m.class_of_zone[p.zone], p.relation, p.distance_m, decided_on);
        out.hits.push_back({p.zone, p.relation, p.distance_m, &d, assessed});
        out.verdict = std::max(out.verdict, d.verdict);
        covered = covered || (m.tiling_by_kind[p.zone] && p.relation != Relation::near);
    }
    if (!m.tiling_kinds.empty()) {
        out.coverage = covered ? Coverage::inside : Coverage::outside;
    } else if (!m.extent_ring.empty()) {
        out.coverage = in_ring(m.extent_ring, lon, lat) ? Coverage::inside : Coverage::outside;
    } else {
        out.coverage = Coverage::not_known;
    }
    // The order decide() gives a footprint's hits: geometric, then most severe first with
    // the protected zones ahead at equal verdicts.
    std::sort(out.hits.begin(), out.hits.end(), [&](const auto& a, const auto& b) {
        return geometric_less(a.relation, a.relation == Relation::near ? a.distance_m : 0, m.index.kind_of(a.zone).id,
                              m.index.zone(a.zone).zone_id, b.relation, b.relation == Relation::near ? b.distance_m : 0,
                              m.index.kind_of(b.zone).id, m.index.zone(b.zone).zone_id);
    });
    std::stable_sort(out.hits.begin(), out.hits.end(), [&](const auto& a, const auto& b) {
        if (a.decision->verdict != b.decision->verdict) {
            return a.decision->verdict > b.decision->verdict;
        }
        return m.protective_zone[a.zone] && !m.protective_zone[b.zone];
    });
}

Coverage Screener::coverage(const FootprintResult& result) const {
    const Impl& m = *impl_;
    if (m.tiling_kinds.empty()) {
        if (m.extent_ring.empty() || result.geometry.empty()) {
            return Coverage::not_known;
        }
        // Inside the convex extent when every vertex is.
        thread_local geos::Context ctx;
        const auto shape = geos::from_wkb(ctx, result.geometry);
        bool inside = true;
        geos::for_each_part(ctx, shape.get(), [&](const GEOSGeometry* part) {
            const GEOSGeometry* line =
                GEOSGeomTypeId_r(ctx.handle(), part) == GEOS_POLYGON ? GEOSGetExteriorRing_r(ctx.handle(), part) : part;
            const std::vector<double> xy = geos::coordinates(ctx, line);
            for (std::size_t i = 0; inside && i + 1 < xy.size(); i += 2) {
                inside = in_ring(m.extent_ring, xy[i], xy[i + 1]);
            }
        });
        return inside ? Coverage::inside : Coverage::outside;
    }
    const bool covered = std::any_of(result.hits.begin(), result.hits.end(), [&](const Hit& h) {
        return m.tiling_kinds.contains(h.kind) && h.relation != Relation::near;
    });
    return covered ? Coverage::inside : Coverage::outside;
}

const SchemaSet& Screener::schemas() const {
    return impl_->schemas;
}
const RuleSet& Screener::rules() const {
    return *impl_->rules;
}
std::shared_ptr<const RuleSet> Screener::shared_rules() const {
    return impl_->rules;
}
const FactVocabulary& Screener::vocabulary() const {
    return impl_->vocabulary;
}
const CheckOptions& Screener::options() const {
    return impl_->options;
}
const ZoneIndex& Screener::index() const {
    return impl_->index;
}
const access::AccessBook* Screener::access_book() const {
    return impl_->access_book.get();
}
const std::filesystem::path& Screener::workspace_path() const {
    return impl_->workspace_path;
}
const std::optional<VersionInfo>& Screener::workspace_version() const {
    return impl_->workspace_version;
}
const std::vector<std::string>& Screener::kinds() const {
    return impl_->kinds;
}
bool Screener::has_tiling_kinds() const {
    return !impl_->tiling_kinds.empty();
}

const std::vector<Problem>& Screener::problems() const {
    return impl_->problems;
}

bool Screener::coverage_known() const {
    return !impl_->tiling_kinds.empty() || !impl_->extent_ring.empty();
}

}  // namespace redline
