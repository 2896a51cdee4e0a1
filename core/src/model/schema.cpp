#include "redline/model/schema.hpp"

#include "base/digest.hpp"
#include "base/text.hpp"
#include "base/toml_support.hpp"
#include "redline/errors.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <set>

#ifndef REDLINE_SOURCE_LAYERS_DIR
#error "REDLINE_SOURCE_LAYERS_DIR must be defined by the build"
#endif

namespace redline {
namespace {

// A schema.toml that cannot be used: the problem's code with the file and line, then its
// own arguments.
[[noreturn]] void fail(const std::filesystem::path& file, const toml::source_region& where, std::string code,
                       Message::Args args = {}) {
    Message message(std::move(code), {{"file", file.string()}, {"line", static_cast<long>(where.begin.line)}});
    for (auto& [name, value] : args) {
        message.with(std::move(name), std::move(value));
    }
    throw DataError(std::move(message));
}

// `context` names the table: the schema, a sub-zone, a field.
void check_keys(const std::filesystem::path& file, const toml::table& table, const std::set<std::string>& allowed,
                const Message& context) {
    for (const auto& [key, node] : table) {
        if (!allowed.contains(std::string(key.str()))) {
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            fail(file, node.source(), "schema.unknown_key",
                 {{"key", std::string(key.str())}, {"context", context}, {"allowed", list}});
        }
    }
}

std::string required_string(const std::filesystem::path& file, const toml::table& table, const char* key,
                            const Message& context) {
    const auto* node = table.get(key);
    if (node == nullptr || !node->is_string()) {
        fail(file, node != nullptr ? node->source() : table.source(), "schema.needs_string",
             {{"context", context}, {"key", key}});
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
        fail(file, node->source(), "schema.not_string_list", {{"key", key}});
    }
    for (const auto& item : *array) {
        if (!item.is_string()) {
            fail(file, item.source(), "schema.strings_only", {{"key", key}});
        }
        out.push_back(item.value<std::string>().value());
    }
    return out;
}

FieldDefinition read_field(const std::filesystem::path& file, const std::string& id, const toml::node& node,
                           bool is_attribute) {
    const auto* table = node.as_table();
    if (table == nullptr) {
        fail(file, node.source(), "schema.field_not_table", {{"field", id}});
    }
    check_keys(file, *table, {"label_zh", "label_en", "aliases", "group", "pattern"},
               Message("schema.context.field", {{"field", id}}));
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
            fail(file, node.source(), "schema.bad_field_pattern", {{"field", id}});
        }
    }
    return field;
}

KindSchema read_schema(const std::filesystem::path& file) {
    const toml::table root = parse_toml_file(file);
    check_keys(file, root,
               {"id", "name_zh", "name_en", "geometry", "protective", "tiles_jurisdiction", "administrative",
                "near_distance_m", "default_subzone", "fields", "attributes", "subzones", "subzone_from",
                "nested_subzones", "coverage_guarded"},
               Message("schema.context.schema"));
    KindSchema kind;
    kind.id = required_string(file, root, "id", Message("schema.context.schema"));
    if (kind.id != file.parent_path().filename().string()) {
        fail(file, root.source(), "schema.id_not_folder",
             {{"id", kind.id}, {"folder", file.parent_path().filename().string()}});
    }
    kind.name_zh = required_string(file, root, "name_zh", Message("schema.context.schema"));
    kind.name_en = required_string(file, root, "name_en", Message("schema.context.schema"));
    const std::string geometry = root["geometry"].value_or(std::string("polygon"));
    if (geometry == "polygon") {
        kind.geometry = ZoneGeometry::polygon;
    } else if (geometry == "line") {
        kind.geometry = ZoneGeometry::line;
    } else if (geometry == "point") {
        kind.geometry = ZoneGeometry::point;
    } else {
        fail(file, root["geometry"].node()->source(), "schema.bad_geometry");
    }
    kind.protective = root["protective"].value_or(true);
    kind.tiles_jurisdiction = root["tiles_jurisdiction"].value_or(false);
    kind.coverage_guarded = root["coverage_guarded"].value_or(false);
    kind.administrative = root["administrative"].value_or(false);
    kind.near_distance_m = root["near_distance_m"].value_or(500.0);
    if (kind.near_distance_m < 0) {
        fail(file, root["near_distance_m"].node()->source(), "schema.negative_near_distance");
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
                fail(file, node.source(), "schema.subzone_not_table");
            }
            check_keys(file, *table, {"id", "name_zh", "name_en", "aliases", "in_force_to", "maps_to"},
                       Message("schema.context.a_subzone"));
            SubzoneDefinition sub;
            sub.id = required_string(file, *table, "id", Message("schema.context.a_subzone"));
            const Message named("schema.context.subzone", {{"subzone", sub.id}});
            sub.name_zh = required_string(file, *table, "name_zh", named);
            sub.name_en = required_string(file, *table, "name_en", named);
            sub.aliases = string_list(file, *table, "aliases");
            sub.maps_to = optional_string(*table, "maps_to");
            if (const auto* date_node = table->get("in_force_to")) {
                const auto text = date_node->value<std::string>();
                sub.in_force_to = text ? LegalDate::parse(*text) : std::nullopt;
                if (!sub.in_force_to) {
                    fail(file, date_node->source(), "schema.bad_in_force_to", {{"subzone", sub.id}});
                }
            }
            if (sub.maps_to.empty() != !sub.in_force_to) {
                fail(file, table->source(), "schema.legacy_incomplete", {{"subzone", sub.id}});
            }
            sub.rank = rank++;
            kind.subzones.push_back(std::move(sub));
        }
    }
    if (const auto* derivations = root["subzone_from"].as_array()) {
        for (const auto& node : *derivations) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                fail(file, node.source(), "schema.derivation_not_table");
            }
            check_keys(file, *table, {"field", "pattern"}, Message("schema.context.derivation"));
            const Message context("schema.context.subzone_from");
            kind.subzone_derivations.push_back(
                {required_string(file, *table, "field", context), required_string(file, *table, "pattern", context)});
        }
    }
    kind.nested_subzones = string_list(file, root, "nested_subzones");
    for (const auto& id : kind.nested_subzones) {
        if (kind.find_subzone(id) == nullptr) {
            fail(file, root["nested_subzones"].node()->source(), "schema.unknown_nested", {{"subzone", id}});
        }
    }
    for (const auto& sub : kind.subzones) {
        if (sub.legacy()) {
            const SubzoneDefinition* target = kind.find_subzone(sub.maps_to);
            if (target == nullptr || target->legacy()) {
                fail(file, root.source(), "schema.bad_maps_to", {{"subzone", sub.id}, {"maps_to", sub.maps_to}});
            }
        }
    }
    if (kind.default_subzone && !kind.default_subzone->empty() && kind.find_subzone(*kind.default_subzone) == nullptr) {
        fail(file, root.source(), "schema.bad_default_subzone", {{"subzone", *kind.default_subzone}});
    }
    kind.directory = file.parent_path();
    kind.digest = sha256_file(file);
    return kind;
}

// "#RRGGBB" and an opacity as a colour; a file error otherwise.
Rgba read_colour(const std::filesystem::path& file, const toml::node& node, const char* key, double opacity) {
    const auto text = node.value<std::string>();
    static const std::regex hex("#[0-9A-Fa-f]{6}");
    if (!text || !std::regex_match(*text, hex)) {
        fail(file, node.source(), "style.bad_colour", {{"key", key}});
    }
    const auto channel = [&](int i) { return std::stoi(text->substr(1 + 2 * i, 2), nullptr, 16) / 255.0; };
    return {channel(0), channel(1), channel(2), opacity};
}

// The keys of one style table over `style`: what the table gives replaces what it had.
// `more_keys`: the other keys the table may hold (the file's own).
ZoneStyle read_zone_style(const std::filesystem::path& file, const toml::table& table, ZoneStyle style,
                          const Message& context, const std::set<std::string>& more_keys = {}) {
    std::set<std::string> keys = {"fill", "fill_opacity", "stroke", "stroke_opacity", "stroke_width", "dashed"};
    keys.insert(more_keys.begin(), more_keys.end());
    check_keys(file, table, keys, context);
    const auto number = [&](const char* key, double current, double low, double high) {
        const auto* node = table.get(key);
        if (node == nullptr) {
            return current;
        }
        const auto value = node->value<double>();
        if (!value || *value < low || *value > high) {
            const auto shown = [](double v) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%g", v);
                return std::string(buf);
            };
            fail(file, node->source(), "style.bad_number", {{"key", key}, {"low", shown(low)}, {"high", shown(high)}});
        }
        return *value;
    };
    const bool fill_given = table.contains("fill");
    style.fill.a = number("fill_opacity", fill_given && !table.contains("fill_opacity") ? 1.0 : style.fill.a, 0, 1);
    style.stroke.a = number("stroke_opacity", style.stroke.a, 0, 1);
    style.stroke_width = number("stroke_width", style.stroke_width, 0, 20);
    if (const auto* node = table.get("fill")) {
        style.fill = read_colour(file, *node, "fill", style.fill.a);
    }
    if (const auto* node = table.get("stroke")) {
        style.stroke = read_colour(file, *node, "stroke", style.stroke.a);
    }
    if (const auto* node = table.get("dashed")) {
        const auto value = node->value<bool>();
        if (!value) {
            fail(file, node->source(), "style.bad_boolean", {{"key", "dashed"}});
        }
        style.dashed = *value;
    }
    return style;
}

// layers/<kind>/style.toml over KindStyle's defaults.
KindStyle read_style(const std::filesystem::path& file, const KindSchema& kind) {
    KindStyle style;
    if (!std::filesystem::exists(file)) {
        return style;
    }
    const toml::table root = parse_toml_file(file);
    if (const auto* node = root.get("draw_order")) {
        const auto value = node->value<std::int64_t>();
        if (!value || *value < 0 || *value > 99) {
            fail(file, node->source(), "style.bad_number", {{"key", "draw_order"}, {"low", "0"}, {"high", "99"}});
        }
        style.draw_order = static_cast<int>(*value);
    }
    style.base = read_zone_style(file, root, style.base, Message("style.context.file"), {"draw_order", "subzones"});
    if (const auto* node = root.get("subzones")) {
        const auto* subzones = node->as_table();
        if (subzones == nullptr) {
            fail(file, node->source(), "style.subzones_not_table");
        }
        for (const auto& [id, entry] : *subzones) {
            const std::string subzone(id.str());
            if (kind.find_subzone(subzone) == nullptr) {
                fail(file, entry.source(), "style.unknown_subzone", {{"subzone", subzone}, {"kind", kind.id}});
            }
            const auto* table = entry.as_table();
            if (table == nullptr) {
                fail(file, entry.source(), "style.subzones_not_table");
            }
            style.subzones[subzone] =
                read_zone_style(file, *table, style.base, Message("schema.context.subzone", {{"subzone", subzone}}));
        }
    }
    return style;
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
        throw DataError(Message("schema.no_directory", {{"directory", layers_dir.string()}}));
    }
    SchemaSet set;
    set.directory_ = layers_dir;
    for (const auto& entry : std::filesystem::directory_iterator(layers_dir)) {
        const auto file = entry.path() / "schema.toml";
        if (entry.is_directory() && std::filesystem::exists(file)) {
            KindSchema kind = read_schema(file);
            kind.style = read_style(entry.path() / "style.toml", kind);
            set.kinds_.emplace(kind.id, std::move(kind));
        }
    }
    if (set.kinds_.empty()) {
        throw DataError(Message("schema.no_kinds", {{"directory", layers_dir.string()}}));
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
    throw UsageError(
        Message("schema.unknown_kind", {{"kind", id}, {"known", known}, {"directory", directory_.string()}}));
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
