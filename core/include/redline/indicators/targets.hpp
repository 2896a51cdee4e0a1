// Targets files: what the plans require of the indicators (大陆自然岸线保有率 at least 20 %
// by 2025, 约束性; 生态保护红线面积 不减少), dated like rules: each target is in force over
// days (in_force_from, in_force_to) and may be due by a day. TOML, every problem named by
// file and line (docs/indicators.md).
#pragma once

#include "redline/model/law.hpp"
#include "redline/model/schema.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace redline {

enum class Comparison { at_least, at_most, not_decrease, not_increase };
const char* comparison_name(Comparison comparison);  // at_least, ...

// 约束性 (binding: a miss fails the guard) or 预期性 (expected: reported only).
enum class TargetType { binding, expected };
const char* target_type_name(TargetType type);  // binding, expected

struct Target {
    std::string indicator;         // an indicator id (indicator_ids())
    std::string subzone;           // for the area of one sub-zone
    std::string district;          // a district's code, zone id or name; empty: the whole workspace
    std::string name_zh, name_en;  // as the plan names it; empty: the indicator's own name
    Comparison comparison = Comparison::at_least;
    std::optional<double> value;  // the limit of at_least / at_most, in the indicator's unit
    // The figure not_decrease / not_increase compares with: a value from the plan, or the
    // indicator at a version; neither: the earlier version of the run.
    std::optional<double> baseline;
    std::optional<std::int64_t> baseline_version;
    TargetType type = TargetType::binding;
    DateRange in_force;            // the days the target applies
    std::optional<LegalDate> due;  // a target not met by then is missed; before, at risk
    // Met by less than this (in the indicator's unit): at risk, an early warning.
    std::optional<double> warn_within;
    std::string source_zh, source_en;  // where the plan sets it
    std::filesystem::path file;
    int line = 0;
};

struct TargetFile {
    std::filesystem::path path;
    std::string title_zh, title_en;  // the plan, e.g. 金普新区“十四五”生态环境保护规划
    std::vector<Target> targets;

    // Reads and checks a targets file against the indicators the schemas allow; a DataError
    // lists every problem with its file and line.
    static TargetFile load(const std::filesystem::path& path, const SchemaSet& schemas);
    std::vector<const Target*> in_force(const LegalDate& day) const;
};

}  // namespace redline
