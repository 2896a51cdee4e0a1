// Screening: which zones a footprint hits, how, and by how much.
#pragma once

#include "redline/access/conformity.hpp"
#include "redline/errors.hpp"
#include "redline/inputs/footprints.hpp"
#include "redline/model/rules.hpp"
#include "redline/model/schema.hpp"
#include "redline/relation.hpp"
#include "redline/store/workspace.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline {

// Geometric semantics, written down as options with documented defaults
// (docs/semantics.md).
struct CheckOptions {
    // Digitising noise along shared boundaries is not a conflict: an overlap counts as
    // `touches` when it is smaller than sliver_area_m2, or when it is both thinner than
    // sliver_width_m (mean width 2A/P) and no larger than sliver_thin_area_m2. A sliver is
    // small as well as thin: a large overlap drawn as narrow strips is still an overlap.
    double sliver_area_m2 = 1.0;
    double sliver_width_m = 0.05;
    double sliver_thin_area_m2 = 100.0;
    // Lines inside a zone for less than this count as `touches`.
    double sliver_length_m = 0.1;
    // A point exactly on a zone boundary belongs to the zone (`within`) by default.
    bool point_on_boundary_inside = true;
    // Search distance for `near` hits per kind; kinds not listed use their schema default.
    std::map<std::string, double> near_distance_m;
    std::optional<double> near_distance_all_m;  // protective kinds only

    double near_distance_for(const KindSchema& kind) const;
};

struct Hit {
    std::string kind;
    std::string subzone;         // as stored
    std::string subzone_source;  // the source's value, where the store holds another sub-zone (缓冲区)
    std::string subzone_as_of;   // the sub-zone the law of the legal date knows the zone as (decide())
    std::string zone_id;
    std::string zone_code;
    std::string zone_name;
    std::int64_t zone_fid = 0;
    Relation relation = Relation::near;
    // Decided by the rules (decide()): the most severe applicable rule's verdict.
    Verdict verdict = Verdict::clear;
    bool conflict = false;  // verdict is prohibited or conditional
    std::vector<AppliedRule> rules;
    Message note;  // e.g. that no rule covers an overlap with a protective zone
    std::optional<double> overlap_area_m2;
    std::optional<double> overlap_ratio;       // share of the footprint's area
    std::optional<double> zone_overlap_ratio;  // share of the zone's area
    std::optional<double> inside_length_m;     // line footprint inside the zone, or line zone inside the footprint
    std::optional<double> distance_m;          // minimum geodesic distance, `near` only
    std::map<std::string, std::string> zone_attributes;
    Geometry overlap;  // the overlap itself (empty for touches and near)
    // A management unit met (not only near): its access lists held against the facts,
    // clause by clause (the screener's; none from decide() alone).
    std::shared_ptr<const access::AccessAssessment> access;
};

struct FootprintResult {
    std::string id;
    std::string name;
    std::string geometry_type;
    Geometry geometry;  // the footprint itself, storage CRS (for maps and exports)
    double area_m2 = 0;
    double length_m = 0;
    std::vector<Hit> hits;
    Verdict verdict = Verdict::clear;  // the most severe of the hits'
    ActivityFacts facts;               // what the rules were evaluated for
    // Why the footprint was not fully screened (outside the workspace's coverage); empty
    // when it was. An unchecked footprint's verdict is never to be read as clear: every
    // output says 未核查 / unchecked instead.
    Message unchecked;
    bool checked() const { return unchecked.empty(); }
    bool has_conflict() const;
};

// Zones held in memory, split into prepared parts of bounded size under an R-tree. Built
// once (on several threads), then read by any number of threads at once: check() and
// locate() may run concurrently on one index.
class ZoneIndex {
public:
    // threads: how many build the parts (0: one per core).
    ZoneIndex(const SchemaSet& schemas, std::vector<Zone> zones, unsigned threads = 0);
    ZoneIndex(ZoneIndex&&) noexcept;
    ZoneIndex& operator=(ZoneIndex&&) noexcept;
    ~ZoneIndex();

    // Which zones a footprint meets, how, and by how much; hits in geometric order
    // (within, contains, overlaps, touches, near by distance). A single point takes
    // locate()'s path, so a point checked as a footprint and as a register row are one.
    FootprintResult check(const Footprint& footprint, const CheckOptions& options) const;

    // The fast path for points (outfall registers): every zone the point lies in (or, for
    // line and point zones, touches), and every zone within its kind's search distance
    // with the geodesic distance to it. No geometry is copied.
    struct PointHit {
        std::size_t zone = 0;  // index for zone()
        Relation relation = Relation::within;
        double distance_m = 0;  // `near` only
    };
    // The options, resolved once for many points.
    struct Limits {
        std::vector<double> near_m;  // per kind, in kind_index() order
        double max_near_m = 0;
        bool point_on_boundary_inside = true;
    };
    Limits limits(const CheckOptions& options) const;
    // Hits in zone order; `hits` is cleared first (its memory reused).
    void locate(double lon, double lat, const Limits& limits, std::vector<PointHit>& hits) const;
    std::vector<PointHit> locate(double lon, double lat, const CheckOptions& options) const;

    const Zone& zone(std::size_t index) const;  // the zone's data, without its geometry
    const KindSchema& kind_of(std::size_t index) const;
    // The whole geometry of the zone stored with this workspace fid (for maps), if indexed.
    std::optional<Geometry> zone_geometry(std::int64_t fid) const;

    std::size_t zone_count() const;
    std::size_t part_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// What the rules say of one zone a footprint or point meets: the one place verdicts are
// decided. The sub-zone is read as the law of the rule set's day knows it; overlapping a
// protective zone no rule speaks of is conditional, never clear.
struct ZoneDecision {
    std::string subzone_as_of;
    Verdict verdict = Verdict::clear;
    std::vector<AppliedRule> rules;  // most severe first
    Message note;                    // why the verdict has no rule behind it, if so
};
ZoneDecision decide_zone(const RuleSet& rules, const KindSchema* kind, const std::string& kind_id,
                         const std::string& subzone, const std::string& subzone_source, Relation relation,
                         std::optional<double> distance_m, const ActivityFacts& facts);

// Applies the rules to every hit of a screened footprint: verdicts, cited rules, conflict
// flags, and the footprint's verdict (most severe wins). Hits are re-ordered by verdict.
void decide(FootprintResult& result, const RuleSet& rules, const SchemaSet& schemas, const ActivityFacts& facts);
// The same, with each hit's decision from `decide_hit` (a cache of decide_zone()).
void decide(FootprintResult& result, const SchemaSet& schemas, const ActivityFacts& facts,
            const std::function<ZoneDecision(const Hit&, const ActivityFacts&)>& decide_hit);
// Facts without an activity take the one the geometry implies (inferred_activity()).
void fill_inferred_activity(ActivityFacts& facts, const std::string& geometry_type);
// The activity a footprint is taken for when nothing says: lines are linear projects,
// everything else construction.
std::string inferred_activity(const std::string& geometry_type);

// Widens each kind's search distance to the largest `within_m` of its near rules, so that
// every near rule sees the zones it speaks about.
void widen_for_near_rules(CheckOptions& options, const SchemaSet& schemas, const RuleSet& rules);

// The largest search distance any kind uses under these options, for pre-filtering.
double max_near_distance_m(const SchemaSet& schemas, const CheckOptions& options);
// A box around a geometry's extent, grown by a distance in metres (conservatively).
BoundingBox grow_box_by_metres(const BoundingBox& box, double metres);

}  // namespace redline
