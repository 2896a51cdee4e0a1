// `redline indicators`: the indicators of a workspace at a version, their change since an
// earlier version with the versions (imports, edits with their basis) that moved them, the
// targets in force checked, and the early warning a mapping office's CI acts on (--guard):
// a binding target missed or the red-line area fallen, with the version and the zones.
#pragma once

#include "redline/indicators/indicators.hpp"
#include "redline/indicators/targets.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace redline {

// What a version did that moved an indicator the wrong way: for areas, ground that zones of
// the kind covered and none covers any more (as `redline diff` measures it), with the zones
// that covered it; for the coastline and sub-zones, zones added, retired or changed.
struct FallCause {
    std::string change;  // coverage_lost, added, removed, changed
    std::vector<std::string> zone_ids, names;
    double area_m2 = 0;                                 // coverage_lost: the ground lost
    std::optional<std::pair<double, double>> location;  // lon/lat
};

// A version that changed an indicator.
struct IndicatorMove {
    VersionInfo version;
    std::optional<double> before, after;
    // Filled for falls of the whole workspace's figures; at most max_causes, `more` not listed.
    std::vector<FallCause> causes;
    std::size_t more = 0;
    static constexpr std::size_t max_causes = 50;
};

struct IndicatorChange {
    IndicatorValue now;            // the indicator at the version measured (value empty if it went)
    std::optional<double> before;  // at the earlier version
    std::vector<IndicatorMove> moves;
};

enum class TargetStatus { met, at_risk, missed, unmeasured };
const char* target_status_name(TargetStatus status);  // met, at_risk, missed, unmeasured

struct TargetCheck {
    Target target;
    IndicatorValue indicator;                      // what was measured (value empty: cannot be measured)
    std::optional<double> limit;                   // the figure compared with: the value, or the baseline's
    std::optional<std::int64_t> baseline_version;  // where the baseline was measured
    TargetStatus status = TargetStatus::unmeasured;
    Message reason;  // why, in words: the margin, the fall, the due date
};

struct IndicatorRunOptions {
    std::optional<std::int64_t> version;  // default: the current version
    std::optional<std::int64_t> since;    // default: the version before it
    bool by_district = false;
    const TargetFile* targets = nullptr;
    LegalDate as_of;  // which targets are in force, and whether their due days passed
};

struct IndicatorRun {
    std::string workspace;  // as shown
    IndicatorSet now;
    std::optional<IndicatorSet> earlier;  // at `since`; none when the version is the first
    bool since_asked = false;             // --since given: the trend is shown
    // Every version from the earlier one to the one measured, in order (both included).
    std::vector<IndicatorSet> trend;
    std::vector<IndicatorChange> changes;  // indicators that differ between earlier and now
    LegalDate as_of;
    std::string targets_file, targets_title_zh, targets_title_en;
    std::size_t targets_not_in_force = 0;
    std::vector<TargetCheck> targets;  // those in force on as_of

    // The red-line area of the whole workspace fell since the earlier version.
    const IndicatorChange* red_line_fall() const;
    // What the guard fails on: binding targets missed or not measurable, and the fall.
    std::vector<const TargetCheck*> binding_failures() const;
    bool guard_tripped() const { return red_line_fall() != nullptr || !binding_failures().empty(); }
};

IndicatorRun run_indicators(const Workspace& workspace, const SchemaSet& schemas, const IndicatorRunOptions& options,
                            Progress& progress = no_progress());

// Numbers as the outputs write them: hectares to 4 decimals, kilometres to 3, percent to 2.
std::string indicator_value_text(const std::optional<double>& value, const std::string& unit);
// The guard's findings, one message each: the fall (with each version and zone) and every
// binding target missed.
std::vector<Message> guard_messages(const IndicatorRun& run, const SchemaSet& schemas);

void write_indicators_table(std::ostream& out, const IndicatorRun& run, const SchemaSet& schemas, Language language);
void write_indicators_json(std::ostream& out, const IndicatorRun& run, const SchemaSet& schemas, Language language);
// One row per indicator value: at the version measured, or, with --since, at every version.
void write_indicators_csv(std::ostream& out, const IndicatorRun& run, Language language);

}  // namespace redline
