// The screening engine: built once from a workspace, its zone kinds, the rules of a legal
// date and the fact vocabulary, it holds the zone index and answers, from any number of
// threads at once and without reading anything again, what a footprint or a point meets
// and what the law says of it. `check` and `outfalls` drive it; the viewer and the server
// keep one open.
#pragma once

#include "redline/progress.hpp"
#include "redline/screening/check.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline {

struct ScreenerSettings {
    std::filesystem::path workspace;
    std::vector<std::filesystem::path> rule_files;  // local rules over the national defaults (--rules)
    std::optional<LegalDate> as_of;                 // the law of this day; default today in China
    // Rules already loaded (from rule_files and as_of), so a driver can refuse bad rule
    // options before reading anything else; none: loaded here.
    std::shared_ptr<const RuleSet> rules;
    CheckOptions options;
    // Only the zones near this box (grown by the largest search distance) are loaded: for
    // a few footprints in a province-wide workspace. None: every zone.
    std::optional<BoundingBox> region;
    unsigned threads = 0;  // for building the index; 0: one per core
    // Hold the units' access lists against the facts, clause by clause (相符性). Off, the
    // units are decided by their class alone, as before lists were read: what the
    // benchmark compares with.
    bool access_lists = true;
};

// Is a result inside the area the workspace speaks for? Kinds that tile the jurisdiction
// (management units, districts) cover every place in it: a footprint or point that meets
// none of them was placed wrongly (wrong zone, datum or axis order) or belongs to another
// workspace, and would otherwise look clear.
enum class Coverage {
    inside,
    outside,
    not_known,  // the workspace has no tiling kind, so nothing can be said
};

// A point's screening, as the register path gives it: no zone data copied.
struct PointScreening {
    struct ZoneHit {
        std::size_t zone = 0;  // ZoneIndex::zone() / kind_of()
        Relation relation = Relation::within;
        double distance_m = 0;                   // `near` only
        const ZoneDecision* decision = nullptr;  // owned by the Screener
        // A management unit's access lists held against the facts (owned by the Screener).
        const access::AccessAssessment* access = nullptr;
    };
    std::vector<ZoneHit> hits;  // in the order decide() lists a footprint's hits
    Verdict verdict = Verdict::clear;
    Coverage coverage = Coverage::not_known;
    ActivityFacts facts;  // as the rules saw them (activity inferred where unknown)
};

class Screener {
public:
    Screener(const SchemaSet& schemas, const ScreenerSettings& settings, Progress& progress = no_progress());
    ~Screener();
    Screener(const Screener&) = delete;
    Screener& operator=(const Screener&) = delete;

    // A footprint: its hits with their measures, decided by the rules, most severe first.
    FootprintResult screen(const Footprint& footprint, const ActivityFacts& facts) const;
    // A point (lon/lat, CGCS2000), the fast path for registers; `out` is reused. A point
    // screened here and as a one-point footprint gives the same zones, distances and verdicts.
    void screen_point(double lon, double lat, const ActivityFacts& facts, PointScreening& out) const;
    Coverage coverage(const FootprintResult& result) const;

    const SchemaSet& schemas() const;
    const RuleSet& rules() const;
    std::shared_ptr<const RuleSet> shared_rules() const;  // for results that outlive the screener
    const FactVocabulary& vocabulary() const;
    const CheckOptions& options() const;  // as given, search distances widened for near rules
    const ZoneIndex& index() const;
    // The workspace's access lists (imported, reviewed) and the units' own; none without
    // an industry catalog (layers/industries/).
    const access::AccessBook* access_book() const;
    const std::filesystem::path& workspace_path() const;
    const std::optional<VersionInfo>& workspace_version() const;
    const std::vector<std::string>& kinds() const;  // the kinds the workspace holds
    bool has_tiling_kinds() const;
    // Whether the screener can tell where the workspace has data: a kind tiling its area,
    // or the extents recorded at import. When not, absence of zones cannot be vouched for.
    bool coverage_known() const;
    // What the screener found wrong with the workspace's zones when it opened: zones it
    // cannot use (errors) and sub-zone values their kind does not know (warnings), each
    // naming the zone. Drivers report them with their results.
    const std::vector<Problem>& problems() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace redline
