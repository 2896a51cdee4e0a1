#include "redline/model/schema.hpp"

#include "base/digest.hpp"
#include "redline/errors.hpp"
#include "base/text.hpp"
#include "base/toml_support.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#ifndef REDLINE_SOURCE_LAYERS_DIR
#error "REDLINE_SOURCE_LAYERS_DIR must be defined by the build"
#endif

namespace redline {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const toml::source_region& where, const std::string& what) {
    throw DataError(file.string() + ":" + std::to_string(where.begin.line) + ": " + what);
}

void check_keys(const std::filesystem::path& file, const toml::table& table, const std::set<std::string>& allowed,
                const std::string& context) {
    for (const auto& [key, node] : table) {
        if (!allowed.contains(std::string(key.str()))) {
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            fail(file, node.source(),
                 "unknown key '" + std::string(key.str()) + "' in " + context + " (allowed: " + list + ")");
        }
    }
}

std::string required_string(const std::filesystem::path& file, const toml::table& table, const char* key,
                            const std::string& context) {
    const auto* node = table.get(key);
    if (node == nullptr || !node->is_string()) {
        fail(file, node != nullptr ? node->source() : table.source(), context + " needs '" + key + "' as a string");
    }
    return node->value<std::string>().value();
}

std::string optional_string(const toml::table& table, const char* key) {
    return table[key].value_or(std::string{});
}

std::vector<std::string> string_list(const std::filesystem::path& file, const toml::table& table, const char* key) {
    std::vector<std::string> out;
    const auto* node = table.get(key);
    if (node == nullptr) {
        return out;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        fail(file, node->source(), std::string("'") + key + "' must be a list of strings");
    }
    for (const auto& item : *array) {
        if (!item.is_string()) {
            fail(file, item.source(), std::string("'") + key + "' must hold strings only");
        }
        out.push_back(item.value<std::string>().value());
    }
    return out;
}

FieldDefinition read_field(const std::filesystem::path& file, const std::string& id, const toml::node& node,
                           bool is_attribute) {
    const auto* table = node.as_table();
    if (table == nullptr) {
        fail(file, node.source(), "field '" + id + "' must be a table");
    }
    check_keys(file, *table, {"label_zh", "label_en", "aliases", "group", "pattern"}, "field '" + id + "'");
    FieldDefinition field;
    field.id = id;
    field.label_zh = optional_string(*table, "label_zh");
    field.label_en = optional_string(*table, "label_en");
    field.aliases = string_list(file, *table, "aliases");
    field.is_attribute = is_attribute;
    field.group = optional_string(*table, "group");
    field.pattern = optional_string(*table, "pattern");
    if (!field.pattern.empty()) {
        try {
            std::regex check(field.pattern);
        } catch (const std::regex_error&) {
            fail(file, node.source(), "field '" + id + "': pattern is not a valid regular expression");
        }
    }
    return field;
}

KindSchema read_schema(const std::filesystem::path& file) {
    const toml::table root = parse_toml_file(file);
    check_keys(
        file, root,
        {"id", "name_zh", "name_en", "geometry", "protective", "tiles_jurisdiction", "administrative",
         "near_distance_m", "default_subzone", "fields", "attributes", "subzones", "subzone_from", "nested_subzones"},
        "the schema");
    KindSchema kind;
    kind.id = required_string(file, root, "id", "the schema");
    if (kind.id != file.parent_path().filename().string()) {
        fail(file, root.source(),
             "id '" + kind.id + "' must match the folder name '" + file.parent_path().filename().string() + "'");
    }
    kind.name_zh = required_string(file, root, "name_zh", "the schema");
    kind.name_en = required_string(file, root, "name_en", "the schema");
    const std::string geometry = root["geometry"].value_or(std::string("polygon"));
    if (geometry == "polygon") {
        kind.geometry = ZoneGeometry::polygon;
    } else if (geometry == "line") {
        kind.geometry = ZoneGeometry::line;
    } else if (geometry == "point") {
        kind.geometry = ZoneGeometry::point;
    } else {
        fail(file, root["geometry"].node()->source(), "geometry must be polygon, line or point");
    }
    kind.protective = root["protective"].value_or(true);
    kind.tiles_jurisdiction = root["tiles_jurisdiction"].value_or(false);
    kind.administrative = root["administrative"].value_or(false);
    kind.near_distance_m = root["near_distance_m"].value_or(500.0);
    if (kind.near_distance_m < 0) {
        fail(file, root["near_distance_m"].node()->source(), "near_distance_m must not be negative");
    }
    if (auto d = root["default_subzone"].value<std::string>()) {
        kind.default_subzone = *d;
    }

    // Fields keep the order of the file (TOML tables are unordered), so that e.g. the four
    // access-list dimensions print in their customary order.
    std::vector<std::pair<std::uint32_t, FieldDefinition>> ordered;
    for (const auto& [section, is_attribute] : {std::pair{"fields", false}, std::pair{"attributes", true}}) {
        if (const auto* table = root[section].as_table()) {
            for (const auto& [key, node] : *table) {
                ordered.emplace_back(node.source().begin.line,
                                     read_field(file, std::string(key.str()), node, is_attribute));
            }
        }
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, field] : ordered) {
        kind.fields.push_back(std::move(field));
    }
    if (const auto* subzones = root["subzones"].as_array()) {
        int rank = 0;
        for (const auto& node : *subzones) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                fail(file, node.source(), "each [[subzones]] entry must be a table");
            }
            check_keys(file, *table, {"id", "name_zh", "name_en", "aliases", "in_force_to", "maps_to"}, "a sub-zone");
            SubzoneDefinition sub;
            sub.id = required_string(file, *table, "id", "a sub-zone");
            sub.name_zh = required_string(file, *table, "name_zh", "sub-zone '" + sub.id + "'");
            sub.name_en = required_string(file, *table, "name_en", "sub-zone '" + sub.id + "'");
            sub.aliases = string_list(file, *table, "aliases");
            sub.maps_to = optional_string(*table, "maps_to");
            if (const auto* date_node = table->get("in_force_to")) {
                const auto text = date_node->value<std::string>();
                sub.in_force_to = text ? LegalDate::parse(*text) : std::nullopt;
                if (!sub.in_force_to) {
                    fail(file, date_node->source(), "sub-zone '" + sub.id + "': in_force_to must be a date YYYY-MM-DD");
                }
            }
            if (sub.maps_to.empty() != !sub.in_force_to) {
                fail(file, table->source(),
                     "sub-zone '" + sub.id + "': a legacy sub-zone needs both in_force_to and maps_to");
            }
            sub.rank = rank++;
            kind.subzones.push_back(std::move(sub));
        }
    }
    if (const auto* derivations = root["subzone_from"].as_array()) {
        for (const auto& node : *derivations) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                fail(file, node.source(), "each [[subzone_from]] entry must be a table");
            }
            check_keys(file, *table, {"field", "pattern"}, "a sub-zone derivation");
            kind.subzone_derivations.push_back({required_string(file, *table, "field", "subzone_from"),
                                                required_string(file, *table, "pattern", "subzone_from")});
        }
    }
    kind.nested_subzones = string_list(file, root, "nested_subzones");
    for (const auto& id : kind.nested_subzones) {
        if (kind.find_subzone(id) == nullptr) {
            fail(file, root["nested_subzones"].node()->source(), "nested_subzones: '" + id + "' is not a sub-zone");
        }
    }
    for (const auto& sub : kind.subzones) {
        if (sub.legacy()) {
            const SubzoneDefinition* target = kind.find_subzone(sub.maps_to);
            if (target == nullptr || target->legacy()) {
                fail(file, root.source(),
                     "sub-zone '" + sub.id + "': maps_to '" + sub.maps_to + "' is not a current sub-zone");
            }
        }
    }
    if (kind.default_subzone && !kind.default_subzone->empty() && kind.find_subzone(*kind.default_subzone) == nullptr) {
        fail(file, root.source(), "default_subzone '" + *kind.default_subzone + "' is not one of the sub-zones");
    }
    kind.directory = file.parent_path();
    kind.digest = sha256_file(file);
    return kind;
}

}  // namespace

const SubzoneDefinition* KindSchema::find_subzone(const std::string& wanted) const {
    auto it = std::find_if(subzones.begin(), subzones.end(), [&](const auto& s) { return s.id == wanted; });
    return it == subzones.end() ? nullptr : &*it;
}

bool KindSchema::has_legacy_zoning() const {
    return std::any_of(subzones.begin(), subzones.end(), [](const auto& s) { return s.legacy(); });
}

std::string KindSchema::subzone_on(const std::string& stored, const std::string& source_value,
                                   const LegalDate& day) const {
    const SubzoneDefinition* sub = find_subzone(stored);
    if (sub == nullptr) {
        return stored;
    }
    if (sub->legacy()) {
        return day > *sub->in_force_to ? sub->maps_to : stored;
    }
    const auto first_legacy = std::find_if(subzones.begin(), subzones.end(),
                                           [&](const auto& s) { return s.legacy() && s.maps_to == stored; });
    if (first_legacy == subzones.end() || day > *first_legacy->in_force_to) {
        return stored;
    }
    // What the source called it, which may differ from the usual mapping (--map VALUE=ID).
    if (const SubzoneDefinition* named = match_subzone_value(source_value); named != nullptr && named->legacy()) {
        return named->id;
    }
    return first_legacy->id;
}

const SubzoneDefinition* KindSchema::match_subzone_value(const std::string& value) const {
    const std::string key = text::fold(value);
    if (key.empty()) {
        return nullptr;
    }
    for (const auto& sub : subzones) {
        if (text::fold(sub.id) == key) {
            return &sub;
        }
        for (const auto& alias : sub.aliases) {
            if (text::fold(alias) == key) {
                return &sub;
            }
        }
    }
    return nullptr;
}

const FieldDefinition* KindSchema::find_field(const std::string& wanted) const {
    auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.id == wanted; });
    return it == fields.end() ? nullptr : &*it;
}

SchemaSet SchemaSet::load(const std::filesystem::path& layers_dir) {
    if (!std::filesystem::is_directory(layers_dir)) {
        throw DataError(layers_dir.string() +
                        ": the zone-kind directory does not exist; set REDLINE_LAYERS or --layers to the "
                        "layers/ folder of redline");
    }
    SchemaSet set;
    set.directory_ = layers_dir;
    for (const auto& entry : std::filesystem::directory_iterator(layers_dir)) {
        const auto file = entry.path() / "schema.toml";
        if (entry.is_directory() && std::filesystem::exists(file)) {
            KindSchema kind = read_schema(file);
            set.kinds_.emplace(kind.id, std::move(kind));
        }
    }
    if (set.kinds_.empty()) {
        throw DataError(layers_dir.string() + ": no zone kinds found (no */schema.toml)");
    }
    return set;
}

std::filesystem::path SchemaSet::default_directory() {
    if (const char* env = std::getenv("REDLINE_LAYERS"); env != nullptr && *env != '\0') {
        return env;
    }
#ifdef REDLINE_INSTALL_LAYERS_DIR
    if (std::filesystem::is_directory(REDLINE_INSTALL_LAYERS_DIR) &&
        !std::filesystem::is_directory(REDLINE_SOURCE_LAYERS_DIR)) {
        return REDLINE_INSTALL_LAYERS_DIR;
    }
#endif
    return REDLINE_SOURCE_LAYERS_DIR;
}

const KindSchema& SchemaSet::kind(const std::string& id) const {
    if (const KindSchema* k = find(id)) {
        return *k;
    }
    std::string known;
    for (const auto& [name, _] : kinds_) {
        known += (known.empty() ? "" : ", ") + name;
    }
    throw UsageError("unknown zone kind '" + id + "'; known kinds: " + known + " (defined in " + directory_.string() +
                     ")");
}

const KindSchema* SchemaSet::find(const std::string& id) const {
    auto it = kinds_.find(id);
    return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> SchemaSet::kind_ids() const {
    std::vector<std::string> ids;
    for (const auto& [name, _] : kinds_) {
        ids.push_back(name);
    }
    return ids;
}

}  // namespace redline
