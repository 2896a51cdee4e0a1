// Zone kinds are data: each folder under layers/ holds a schema.toml that names the kind,
// its sub-zones with their value aliases and the source field aliases. Adding a kind
// means adding a folder, not C++.
#pragma once

#include "redline/model/law.hpp"
#include "redline/model/style.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline {

enum class ZoneGeometry { polygon, line, point };

struct SubzoneDefinition {
    std::string id;                    // stable identifier, e.g. "level1"
    std::string name_zh;               // 一级保护区
    std::string name_en;               // level 1 protection zone
    int rank = 0;                      // order inside the kind, innermost / strictest first
    std::vector<std::string> aliases;  // source values that mean this sub-zone
    // A sub-zone of a zoning the law has replaced: the last day it was in force, and the
    // sub-zone the new zoning puts it in (reserves: 缓冲区 -> core_protection after 2026-03-14).
    // Imports store the new sub-zone and keep the source's value (subzone_source_attribute).
    std::optional<LegalDate> in_force_to;
    std::string maps_to;
    bool legacy() const { return !maps_to.empty(); }
};

// The zone attribute that keeps a sub-zone value as the source wrote it when the import
// stored another sub-zone (a legacy zoning mapped to the current one, or --map VALUE).
inline constexpr const char* subzone_source_attribute = "subzone_source";

// A standard field of the zone model and the source field names that may carry it.
struct FieldDefinition {
    std::string id;  // zone_id, code, name, subzone, or an attribute such as kjbjys
    std::string label_zh;
    std::string label_en;
    std::vector<std::string> aliases;
    bool is_attribute = false;  // carried in the zone's attribute set, not a column
    std::string group;          // e.g. "access_list": the four dimensions of a 三线一单 list
    std::string pattern;        // ECMAScript regex a well-formed value matches (empty: any)
};

// Derives the sub-zone from another field when the sub-zone field is absent,
// e.g. the class digit of a 三线一单 unit code: ZH + 6 digits + (class) + 4 digits.
struct SubzoneDerivation {
    std::string from_field;  // a standard field id, e.g. "code"
    std::string pattern;     // ECMAScript regex; capture group 1 is looked up in the aliases
};

struct KindSchema {
    std::string id;  // red_line, nature_reserve, ...
    std::string name_zh;
    std::string name_en;
    ZoneGeometry geometry = ZoneGeometry::polygon;
    bool protective = true;           // an overlap no rule covers is conditional, never waved through
    bool tiles_jurisdiction = false;  // its zones cover the whole area the workspace speaks for
    bool administrative = false;      // administrative districts: summaries count by them
    // Ground it covers may be given up only on a stated approval (调整依据): red lines and
    // reserves, whose area the law says must not shrink.
    bool coverage_guarded = false;
    double near_distance_m = 500.0;
    std::optional<std::string> default_subzone;  // when no sub-zone field exists at all
    std::vector<SubzoneDefinition> subzones;
    std::vector<FieldDefinition> fields;
    std::vector<SubzoneDerivation> subzone_derivations;
    // Sub-zones that nest, innermost first: each lies inside the next (level 1 inside level
    // 2, core inside buffer inside experimental). Zones of one source or reserve share a
    // code (else a name).
    std::vector<std::string> nested_subzones;
    KindStyle style;  // from style.toml beside schema.toml (drawing only: not in the digest)
    std::filesystem::path directory;
    std::string digest;  // SHA-256 of schema.toml, recorded with every import

    const SubzoneDefinition* find_subzone(const std::string& id) const;
    // The sub-zone the law of `day` knows a zone as: a legacy sub-zone after its zoning ended
    // is its successor; a current sub-zone before the change is the legacy one its source
    // value names, else the first legacy sub-zone that maps to it.
    std::string subzone_on(const std::string& stored, const std::string& source_value, const LegalDate& day) const;
    bool has_legacy_zoning() const;
    // Matches a source value against the sub-zone aliases (trimmed, case-insensitive).
    const SubzoneDefinition* match_subzone_value(const std::string& value) const;
    const FieldDefinition* find_field(const std::string& id) const;
};

class SchemaSet {
public:
    // Reads every <dir>/<kind>/schema.toml; a malformed file is a DataError naming it.
    static SchemaSet load(const std::filesystem::path& layers_dir);
    // The layers directory in effect: $REDLINE_LAYERS, else the build or install location.
    static std::filesystem::path default_directory();

    const KindSchema& kind(const std::string& id) const;  // UsageError listing known kinds
    const KindSchema* find(const std::string& id) const;
    std::vector<std::string> kind_ids() const;
    const std::filesystem::path& directory() const { return directory_; }

private:
    std::filesystem::path directory_;
    std::map<std::string, KindSchema> kinds_;
};

}  // namespace redline
