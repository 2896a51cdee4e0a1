// Zone quality (redline validate) and version differences (redline diff): what mapping
// staff need to know before they edit, and proof that a red line lost no area unnoticed.
#pragma once

#include "redline/geometry.hpp"
#include "redline/report.hpp"
#include "redline/workspace.hpp"

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
    std::string severity = "error";  // error | warning
    std::string kind;
    std::vector<std::string> zone_ids;                  // the features involved
    std::vector<std::int64_t> fids;                     // workspace fids, or source feature ids
    std::string message;                                // in the report's language
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
                                    const ValidateOptions& options);
// Validates a source layer (any OGR source) as zones of a kind, before import: also the
// geometry problems import would repair.
ValidationReport validate_source(const SchemaSet& schemas, const ImportOptions& source, const ValidateOptions& options);

void write_findings_table(std::ostream& out, const ValidationReport& report, const SchemaSet& schemas,
                          Language language);
void write_findings_json(std::ostream& out, const ValidationReport& report);
// A GeoPackage for QGIS: layer `finding_points` (every finding at its location) and
// `finding_areas` (overlaps, gaps and slivers as polygons).
void write_findings_gpkg(const std::filesystem::path& path, const ValidationReport& report);

}  // namespace redline
