// Plan indicators (规划指标): the spatial figures the plans set binding targets on, measured
// from the zones of a workspace at a version: the red-line area and its share of the land,
// the areas of protected areas and source zones by sub-zone, the natural coastline
// retention; per district when asked. Measured at every version of a range, they give the
// trend and name the versions (and the zones) that moved them.
#pragma once

#include "redline/errors.hpp"
#include "redline/message.hpp"
#include "redline/model/law.hpp"
#include "redline/model/schema.hpp"
#include "redline/progress.hpp"
#include "redline/store/workspace.hpp"

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace redline {

// The coastline attribute that says whether a stretch is natural or artificial (岸线类型,
// layers/coastline/schema.toml), and the classes its values name.
inline constexpr const char* coastline_type_attribute = "coast_type";
enum class CoastlineClass { natural, artificial, other, unknown };
// 自然岸线, 基岩岸线, 砂质岸线, 淤泥质岸线, 生物岸线, 整治修复岸线, 生态恢复岸线 -> natural;
// 人工岸线 -> artificial; 其他岸线, 河口岸线 -> other; anything else (empty too) -> unknown.
CoastlineClass coastline_class(const std::string& value);
const char* coastline_class_name(CoastlineClass c);  // natural, artificial, other, unknown

// Which value an indicator is: the indicator, the sub-zone it is about (empty: the kind as a
// whole), and the district (its zone id; empty: the whole workspace).
struct IndicatorKey {
    std::string id, subzone, district;
    auto operator<=>(const IndicatorKey&) const = default;
};

struct IndicatorValue {
    std::string id;       // red_line_area_ha, red_line_share_pct, water_source_area_ha, ...
    std::string kind;     // the zone kind measured (the land kind for land_area_ha)
    std::string subzone;  // a sub-zone of the kind; empty for the kind as a whole
    std::string district_id, district_code, district_name;  // empty for the whole workspace
    std::optional<double> value;                            // none: not defined (a share of no land)
    std::string unit;                                       // ha, %, km
    Message name;                                           // 生态保护红线面积, ...
    Message definition;                                     // what was measured and how
    IndicatorKey key() const { return {id, subzone, district_id}; }
    bool whole() const { return district_id.empty(); }
};

struct IndicatorSet {
    VersionInfo version;
    // The kind whose zones are the land the shares are taken of: the districts when the
    // workspace holds any, else the first kind that tiles the jurisdiction; empty when none.
    std::string land_kind;
    std::size_t districts = 0;           // districts measured one by one (--by district)
    std::vector<IndicatorValue> values;  // the whole workspace first, then district by district
    std::vector<Problem> problems;       // zones without usable geometry, unclassified coastline
    const IndicatorValue* find(const IndicatorKey& key) const;
};

struct IndicatorOptions {
    bool by_district = false;  // also per district (DataError when the version holds none)
};

// Measures indicators of sets of zones, keeping what it measured: a later set whose zones
// of a kind are the same rows (the same fids) reuses that kind's figures, so measuring
// every version of a history costs about as much as the versions that changed something.
class IndicatorMeter {
public:
    IndicatorMeter(const SchemaSet& schemas, IndicatorOptions options);
    ~IndicatorMeter();
    IndicatorMeter(const IndicatorMeter&) = delete;
    IndicatorMeter& operator=(const IndicatorMeter&) = delete;

    // By district, zones without any district are a DataError when `districts_required`,
    // else measured as a whole only (an earlier version, before the districts came).
    IndicatorSet measure(const std::vector<Zone>& zones, const VersionInfo& version, bool districts_required = true,
                         Progress& progress = no_progress());

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The indicators of one set of zones (the zones of a version, or any other).
IndicatorSet measure_indicators(const std::vector<Zone>& zones, const SchemaSet& schemas,
                                const IndicatorOptions& options, Progress& progress = no_progress());

// The ids an indicator may have with the schemas given (for targets files): the fixed ones
// and <kind>_area_ha of every kind measured by area (guarded kinds and nested zonings).
std::vector<std::string> indicator_ids(const SchemaSet& schemas);
// The kind an indicator id measures (red_line for red_line_share_pct, coastline for the
// coastline ones); empty for an unknown id.
std::string indicator_kind(const std::string& id, const SchemaSet& schemas);

}  // namespace redline
