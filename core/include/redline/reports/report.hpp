// Writers for a finished check: the terminal table and the JSON document (docs/json-schema.md).
#pragma once

#include "redline/inputs/footprints.hpp"
#include "redline/language.hpp"
#include "redline/screening/check_run.hpp"
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
// The rules of a rule set in force on its legal date (of one kind, or every kind when
// `kind` is empty), each with its basis that day: `redline rules list --format json`,
// GET /api/v1/rules.
void write_rules_json(std::ostream& out, const RuleSet& rules, const std::string& kind, Language language);
// A workspace's versions, oldest first: `redline log --format json`, GET /api/v1/versions.
void write_versions_json(std::ostream& out, const std::string& workspace, const std::vector<VersionInfo>& versions);

}  // namespace redline
