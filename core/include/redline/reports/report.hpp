// Writers for a finished check: the terminal table and the JSON document (docs/json-schema.md).
#pragma once

#include "redline/inputs/footprints.hpp"
#include "redline/language.hpp"
#include "redline/screening/check.hpp"
#include "redline/store/workspace.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline {

struct CheckRun {
    std::string workspace_path;
    std::optional<VersionInfo> workspace_version;
    std::string input_source;
    std::string input_layer;
    std::string input_crs;
    std::vector<Detection> input_detections;
    CheckOptions options;
    std::vector<std::string> kinds;  // kinds present, for the settings block
    std::vector<FootprintResult> footprints;
    std::map<std::int64_t, Geometry> zone_geometries;  // every zone hit, by fid (for maps)
    std::vector<Problem> problems;
    std::shared_ptr<const RuleSet> rules;  // the hits' applied rules point into it
    bool has_conflicts() const;
};

void write_json(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language);
void write_table(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language);
// How an input was read, one decision per line: "  坐标参考系：EPSG:4490，数据自身声明".
void write_detections(std::ostream& out, const std::vector<Detection>& detections, Language language);
// The hit table as CSV (UTF-8 with BOM): one row per hit, one for a footprint without any.
void write_csv(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language);
// The overlaps (within / overlaps / contains) as a GeoJSON layer in CGCS2000 with the
// hit's attributes, for QGIS; returns how many were written.
std::size_t write_overlaps_geojson(const std::filesystem::path& path, const CheckRun& run, const SchemaSet& schemas,
                                   Language language);

}  // namespace redline

namespace redline {

struct CheckRequest {
    std::filesystem::path workspace;
    FootprintSource input;
    CheckOptions options;
    ActivityFacts facts;                            // defaults; input attributes override per footprint
    std::vector<std::filesystem::path> rule_files;  // local rules over the national defaults (--rules)
    std::optional<LegalDate> as_of;                 // the law of this day (--as-of); default today in China
};

// The whole of `redline check` short of printing: read the input, load the zones near
// it from the workspace, screen every footprint.
CheckRun run_check(const SchemaSet& schemas, const CheckRequest& request);

}  // namespace redline
