// Zone quality (redline validate) and version differences (redline diff): what mapping
// staff need to know before they edit, and proof that a red line lost no area unnoticed.
#pragma once

#include "redline/geometry.hpp"
#include "redline/progress.hpp"
#include "redline/reports/report.hpp"
#include "redline/store/workspace.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline {

// ---------------------------------------------------------------------------------------
// Validation.

enum class Check {
    invalid_geometry,   // GEOS says invalid (other than self-intersection), with its reason
    self_intersection,  // rings crossing themselves or each other
    unusable_geometry,  // empty, wrong dimension, or beyond repair
    overlap,            // two features of a layer that must not overlap
    gap,                // part of the jurisdiction no feature of a tiling layer covers
    sliver,             // a polygon part too small or too thin to be meant
    duplicate_code,     // two current features with one code (and sub-zone)
    malformed_code,     // a code that does not match the kind's pattern
    class_mismatch,     // the class in the code disagrees with the sub-zone (三线一单 units)
    subzone_order,      // an inner sub-zone reaching outside the next one (level 1 outside level 2)
    field_error,        // a feature whose fields cannot be mapped (source layers)
};
const char* check_name(Check check);                      // "overlap", ...
const char* check_label(Check check, Language language);  // 重叠, ...

struct Finding {
    Check check = Check::invalid_geometry;
    Severity severity = Severity::error;
    std::string kind;
    std::vector<std::string> zone_ids;  // the features involved
    std::vector<std::int64_t> fids;     // workspace fids, or source feature ids
    Message message;
    std::optional<std::pair<double, double>> location;  // lon/lat of the problem
    std::optional<double> area_m2;                      // overlaps, gaps, slivers
    Geometry geometry;                                  // the overlap, gap or sliver itself
};

struct ValidateOptions {
    std::optional<std::string> kind;  // only this kind
    double sliver_area_m2 = 10;       // polygon parts smaller than this are slivers
    double sliver_width_m = 1;        // ... or thinner than this mean width (2A/P)
    double min_overlap_m2 = 1;        // overlaps and gaps smaller than this are ignored
    Language language = Language::zh;
};

struct ValidationReport {
    std::string source;                  // the workspace or layer validated
    std::optional<VersionInfo> version;  // when a workspace
    std::map<std::string, std::size_t> zones_by_kind;
    std::vector<Finding> findings;
    std::vector<Problem> problems;  // reading problems (source layers)
    std::size_t errors() const;
};

// Validates the current zones of a workspace.
ValidationReport validate_workspace(const Workspace& workspace, const SchemaSet& schemas,
                                    const ValidateOptions& options, Progress& progress = no_progress());
// Validates zones given (an edit session's zones and their neighbours): the same checks as
// validate_workspace but gaps, which need the whole jurisdiction.
ValidationReport validate_zones(std::vector<Zone> zones, const SchemaSet& schemas, const ValidateOptions& options);
// Validates a source layer (any OGR source) as zones of a kind, before import: also the
// geometry problems import would repair.
ValidationReport validate_source(const SchemaSet& schemas, const ImportOptions& source, const ValidateOptions& options,
                                 Progress& progress = no_progress());

// The repairs that change nothing a reviewer relies on, for `validate --fix`: invalid
// geometry made valid (GEOS make-valid, structure method; areas before and after stated),
// codes written in full-width characters, lower case or with spaces brought to the kind's
// pattern, exact duplicates (same fields, equal geometry) retired. Overlaps, gaps, slivers,
// class mismatches and nesting are left to the mapping staff.
std::vector<ZoneFix> plan_safe_fixes(const Workspace& workspace, const SchemaSet& schemas,
                                     const ValidateOptions& options);

void write_findings_table(std::ostream& out, const ValidationReport& report, const SchemaSet& schemas,
                          Language language);
void write_findings_json(std::ostream& out, const ValidationReport& report, Language language);
// A GeoPackage for QGIS: layer `finding_points` (every finding at its location) and
// `finding_areas` (overlaps, gaps and slivers as polygons).
void write_findings_gpkg(const std::filesystem::path& path, const ValidationReport& report, Language language);

// ---------------------------------------------------------------------------------------
// Differences between two sets of zones: two versions of a workspace, or two workspaces.

struct ZoneChange {
    enum class Type { added, removed, changed };
    Type type = Type::changed;
    std::string kind, subzone, zone_id, name;
    double gained_m2 = 0, lost_m2 = 0;  // against the zone's own earlier geometry
    bool geometry_changed = false;
    // Fields that changed: field, before, after (subzone, code, name, attributes).
    std::vector<std::array<std::string, 3>> fields;
    Geometry gained, lost;  // the areas themselves (empty when none)
    std::optional<std::pair<double, double>> location;
};

// Area no zone of the kind covers any more: where a red line was, and is not.
struct LostArea {
    std::string kind;
    double area_m2 = 0;
    std::pair<double, double> location{0, 0};
    std::vector<std::string> zone_ids;  // the earlier zones that covered it
    std::vector<std::string> names;
    Geometry geometry;
};

struct KindBalance {
    std::size_t before = 0, after = 0, added = 0, removed = 0, changed = 0;
    double area_before_m2 = 0, area_after_m2 = 0;
    double gained_m2 = 0, lost_m2 = 0;                    // summed over its zones' own changes
    double coverage_gained_m2 = 0, coverage_lost_m2 = 0;  // of the kind's zones taken together
};

struct DiffOptions {
    std::optional<std::string> kind;  // only this kind
    double tolerance_m2 = 0.01;       // areas gained or lost below this are noise
    Language language = Language::zh;
};

struct DiffReport {
    std::string before_label, after_label;  // "ws.gpkg version 3", ...
    std::optional<VersionInfo> before_version, after_version;
    std::vector<ZoneChange> changes;
    std::map<std::string, KindBalance> kinds;
    std::vector<LostArea> lost;  // per piece of coverage lost, all kinds
    // Zones either side holds but no comparison can use (no usable geometry), named.
    std::vector<Problem> problems;
    // Comparing versions of one workspace: the versions between them, each with who made
    // it and the basis of an edit (调整依据).
    std::vector<VersionInfo> versions;
};

DiffReport diff_zones(const std::vector<Zone>& before, const std::vector<Zone>& after, const DiffOptions& options,
                      Progress& progress = no_progress());

void write_diff_table(std::ostream& out, const DiffReport& report, const SchemaSet& schemas, Language language);
void write_diff_json(std::ostream& out, const DiffReport& report, Language language);
// Layers zones_added, zones_removed, area_gained, area_lost (per zone) and coverage_lost.
void write_diff_gpkg(const std::filesystem::path& path, const DiffReport& report);

}  // namespace redline
