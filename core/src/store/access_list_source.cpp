// Published access-list tables read into blocks: columns found by the aliases of
// layers/control_unit/access_lists.toml (as zone layers find theirs), long tables (a
// dimension column) and wide ones (a column per dimension), unit lists and general lists.
#include "redline/store/access_lists.hpp"

#include "base/toml_support.hpp"
#include "inputs/point_table.hpp"
#include "redline/model/schema.hpp"
#include "store/workspace_impl.hpp"

#include <regex>

namespace redline {
namespace {

const std::vector<std::string> standard_fields = {"unit_code", "unit_name",  "dimension",    "text",
                                                  "list_id",   "list_title", "unit_classes", "region"};

struct DimensionAliases {
    std::string id;
    std::vector<std::string> aliases;
};

struct AccessListConfig {
    std::filesystem::path file;
    std::map<std::string, std::vector<std::string>> field_aliases;  // standard field -> aliases
    std::vector<DimensionAliases> dimensions;
};

std::vector<std::string> string_array(const toml::node* node) {
    std::vector<std::string> out;
    if (const auto* array = node != nullptr ? node->as_array() : nullptr) {
        for (const auto& item : *array) {
            if (auto value = item.value<std::string>()) {
                out.push_back(*value);
            }
        }
    }
    return out;
}

AccessListConfig load_config(const std::filesystem::path& layers_dir) {
    AccessListConfig config;
    config.file = layers_dir / "control_unit" / "access_lists.toml";
    if (!std::filesystem::exists(config.file)) {
        throw DataError(Message("file.cannot_read", {{"file", config.file.string()}}));
    }
    const toml::table table = parse_toml_file(config.file);
    for (const auto& field : standard_fields) {
        config.field_aliases[field] = string_array(table.at_path("fields." + field + ".aliases").node());
    }
    if (const auto* dimensions = table["dimensions"].as_array()) {
        for (const auto& node : *dimensions) {
            if (const auto* d = node.as_table()) {
                config.dimensions.push_back(
                    {d->at_path("id").value_or(std::string()), string_array(d->at_path("aliases").node())});
            }
        }
    }
    return config;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

// The dimension a value names: its id or one of its aliases; nullopt when none.
std::optional<std::string> dimension_of(const AccessListConfig& config, const std::string& value) {
    const std::string folded = text::fold(value);
    for (const auto& d : config.dimensions) {
        if (folded == text::fold(d.id)) {
            return d.id;
        }
        for (const auto& alias : d.aliases) {
            if (folded == text::fold(alias)) {
                return d.id;
            }
        }
    }
    return std::nullopt;
}

// "优先保护单元、重点管控" as sub-zone ids of control_unit; the values not known go to `unknown`.
std::vector<std::string> classes_of(const KindSchema& units, const std::string& value,
                                    std::vector<std::string>& unknown) {
    // Separators as published: 、，； (and their ASCII kin) or white space.
    std::string spaced = value;
    for (const char* wide : {"、", "，", "；"}) {
        for (auto at = spaced.find(wide); at != std::string::npos; at = spaced.find(wide, at)) {
            spaced.replace(at, std::string_view(wide).size(), ",");
        }
    }
    std::vector<std::string> parts;
    std::string current;
    for (const char c : spaced + ",") {
        if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    std::vector<std::string> classes;
    for (const auto& raw : parts) {
        const std::string part = text::trim(raw);
        if (part.empty()) {
            continue;
        }
        const SubzoneDefinition* sub = units.match_subzone_value(part);
        if (sub == nullptr || sub->legacy()) {
            unknown.push_back(part);
        } else if (std::find(classes.begin(), classes.end(), sub->id) == classes.end()) {
            classes.push_back(sub->id);
        }
    }
    return classes;
}

// A region as the leading digits of unit codes: "210200" -> "2102", "210000" -> "21";
// nullopt unless it is 2, 4 or 6 digits.
std::optional<std::string> region_of(const std::string& value) {
    std::string region = text::trim(value);
    if (region.empty()) {
        return region;
    }
    if (region.size() > 6 || region.size() % 2 != 0 ||
        !std::all_of(region.begin(), region.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    while (region.size() > 2 && region.ends_with("00")) {
        region.resize(region.size() - 2);
    }
    return region;
}

bool is_spreadsheet(const std::string& source) {
    const std::string ext = text::lower_extension(source);
    return ext == ".xlsx" || ext == ".xls" || ext == ".ods";
}

// One list and dimension being gathered from its rows.
struct PendingBlock {
    AccessListBlock block;
    std::int64_t first_row = 0, last_row = 0;
};

}  // namespace

AccessListSource read_access_list_source(const std::filesystem::path& layers_dir,
                                         const AccessListSourceOptions& options) {
    const AccessListConfig config = load_config(layers_dir);
    const SchemaSet schemas = SchemaSet::load(layers_dir);
    const KindSchema& units = schemas.kind("control_unit");
    const FieldDefinition* code_field = units.find_field("code");
    const std::regex code_pattern(code_field != nullptr && !code_field->pattern.empty() ? code_field->pattern
                                                                                        : std::string(".+"));

    const std::string where = text::valid_utf8(without_password(options.source));
    const std::string file_name = text::valid_utf8(std::filesystem::path(options.source).filename().string());
    const bool spreadsheet = is_spreadsheet(options.source);
    const bool csv = text::lower_extension(options.source) == ".csv";
    // GDAL recodes a Shapefile's DBF itself; other sources' bytes are decoded here, from the
    // encoding the user names and never guessed: lists are kept for years.
    const bool gdal_recodes =
        text::lower_extension(options.source) == ".shp" || text::lower_extension(options.source) == ".dbf";
    gdal::DatasetPtr dataset = spreadsheet
                                   ? open_spreadsheet(options.source)
                                   : gdal::open_vector(options.source, gdal_recodes ? options.encoding : std::nullopt);
    OGRLayer* layer = gdal::pick_layer(*dataset, where, options.layer);
    const bool several_layers = dataset->GetLayerCount() > 1;
    const std::string layer_where = where + (several_layers ? ":" + std::string(layer->GetName()) : "");
    text::TextDecoder decode(options.encoding, false);

    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<std::string> names;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        auto name = decode(defn.GetFieldDefn(i)->GetNameRef());
        if (!name) {
            throw DataError(options.encoding ? Message("access_list.header_not_in_encoding",
                                                       {{"file", layer_where}, {"encoding", *options.encoding}})
                                             : Message("access_list.header_not_utf8", {{"file", layer_where}}));
        }
        names.push_back(*name);
    }

    AccessListSource out;
    std::map<std::string, int> column;  // standard field or dimension id -> field index
    for (const auto& mapped : options.field_map) {
        // Named, not bound: lambdas cannot capture structured bindings before C++20 in clang.
        const std::string& standard = mapped.first;
        const std::string& source = mapped.second;
        const bool known =
            std::find(standard_fields.begin(), standard_fields.end(), standard) != standard_fields.end() ||
            std::any_of(config.dimensions.begin(), config.dimensions.end(),
                        [&](const DimensionAliases& d) { return d.id == standard; });
        if (!known) {
            std::vector<std::string> all = standard_fields;
            for (const auto& d : config.dimensions) {
                all.push_back(d.id);
            }
            throw UsageError(Message("access_list.map_unknown_field",
                                     {{"field", standard}, {"source_field", source}, {"known", join(all)}}));
        }
        const int index = field_by_aliases(names, {source});
        if (index < 0) {
            throw UsageError(Message("import.map_no_source_field",
                                     {{"field", standard}, {"source_field", source}, {"known", join(names)}}));
        }
        column[standard] = index;
    }
    for (const auto& field : standard_fields) {
        if (!column.contains(field)) {
            if (const int index = field_by_aliases(names, config.field_aliases.at(field)); index >= 0) {
                column[field] = index;
            }
        }
    }
    // Wide tables: a column per dimension, named as the dimension (columns already taken
    // for another field are not).
    std::vector<std::pair<std::string, int>> wide;
    for (const auto& d : config.dimensions) {
        int index = column.contains(d.id) ? column.at(d.id) : field_by_aliases(names, d.aliases);
        for (const auto& [field, taken] : column) {
            if (taken == index && field != d.id) {
                index = -1;
            }
        }
        if (index >= 0) {
            column[d.id] = index;
            wide.emplace_back(d.id, index);
        }
    }
    for (const auto& [field, index] : column) {
        out.field_mapping[field] = names[static_cast<std::size_t>(index)];
    }

    auto aliases_tried = [&](std::initializer_list<const char*> fields, bool with_dimensions) {
        std::vector<std::string> tried;
        for (const char* f : fields) {
            const auto& a = config.field_aliases.at(f);
            tried.insert(tried.end(), a.begin(), a.end());
        }
        if (with_dimensions) {
            for (const auto& d : config.dimensions) {
                tried.insert(tried.end(), d.aliases.begin(), d.aliases.end());
            }
        }
        return join(tried);
    };
    const bool long_shape = column.contains("text") && (column.contains("dimension") || wide.empty());
    if (!long_shape && wide.empty()) {
        throw DataError(Message("access_list.missing_column", {{"file", layer_where},
                                                               {"field", "text"},
                                                               {"columns", join(names)},
                                                               {"aliases", aliases_tried({"text"}, true)},
                                                               {"config", config.file.string()}}));
    }
    if (long_shape) {
        wide.clear();
    }
    const bool general =
        options.general_list_id.has_value() || (!column.contains("unit_code") && column.contains("list_id"));
    if (!general && !column.contains("unit_code")) {
        throw DataError(
            Message("access_list.missing_column", {{"file", layer_where},
                                                   {"field", "unit_code"},
                                                   {"columns", join(names)},
                                                   {"aliases", aliases_tried({"unit_code", "list_id"}, false)},
                                                   {"config", config.file.string()}}));
    }
    // The classes and region the options give a general list apply where rows give none.
    std::vector<std::string> option_classes;
    for (const auto& c : options.general_classes) {
        std::vector<std::string> unknown;
        for (const auto& id : classes_of(units, c, unknown)) {
            if (std::find(option_classes.begin(), option_classes.end(), id) == option_classes.end()) {
                option_classes.push_back(id);
            }
        }
        if (!unknown.empty()) {
            throw UsageError(Message("access_list.bad_class_option", {{"value", join(unknown)}}));
        }
    }
    const std::optional<std::string> option_region = region_of(options.general_region);
    if (!option_region) {
        throw UsageError(Message("access_list.bad_region_option", {{"value", options.general_region}}));
    }
    if (options.general_list_id && text::is_blank(*options.general_list_id)) {
        throw UsageError(Message("access_list.empty_general_id"));
    }

    std::vector<PendingBlock> pending;
    std::map<std::tuple<std::string, std::string>, std::size_t> index_of;  // (list, dimension) -> pending
    std::int64_t usable_rows = 0;
    CPLErrorReset();
    layer->ResetReading();
    for (auto& feature : *layer) {
        // The row as a user sees it, the header being row 1: GDAL numbers a sheet's rows so
        // already, a CSV's data lines from 1.
        const std::int64_t row = feature->GetFID() + (csv ? 1 : 0);
        const Message at = Message("where.row", {{"row", row}});
        auto problem = [&](Message message) {
            out.problems.push_back({Severity::warning, layer_where, at, std::move(message)});
        };
        bool decodable = true;
        auto value_of = [&](const std::string& field) -> std::string {
            const auto it = column.find(field);
            if (it == column.end()) {
                return {};
            }
            auto value = decode(gdal::field_text(*feature, it->second));
            if (!value) {
                if (decodable) {
                    const Message::Args args = {{"feature", at},
                                                {"field", names[static_cast<std::size_t>(it->second)]}};
                    problem(options.encoding
                                ? Message("import.not_in_encoding", args).with("encoding", *options.encoding)
                                : Message("import.not_utf8", args));
                }
                decodable = false;
                return {};
            }
            return text::trim(*value);
        };
        // The cells read, the empty row (a spreadsheet's trailing rows) skipped in silence.
        std::map<std::string, std::string> cells;
        bool blank = true;
        for (const auto& [field, index] : column) {
            cells[field] = value_of(field);
            blank = blank && cells[field].empty();
        }
        if (!decodable) {
            continue;
        }
        if (blank) {
            continue;
        }
        std::string list_id, title;
        std::vector<std::string> classes;
        std::string region;
        if (!general) {
            list_id = cells["unit_code"];
            title = cells["unit_name"];
            if (!std::regex_match(list_id, code_pattern)) {
                problem(Message("access_list.bad_unit_code",
                                {{"value", list_id}, {"pattern", code_field != nullptr ? code_field->pattern : ""}}));
                continue;
            }
        } else {
            list_id = options.general_list_id ? text::trim(*options.general_list_id) : cells["list_id"];
            title =
                options.general_list_id && !options.general_title.empty() ? options.general_title : cells["list_title"];
            if (title.empty()) {
                title = options.general_title;
            }
            if (list_id.empty()) {
                problem(Message("access_list.no_list_id", {{"field", out.field_mapping["list_id"]}}));
                continue;
            }
            std::vector<std::string> unknown;
            classes =
                cells["unit_classes"].empty() ? option_classes : classes_of(units, cells["unit_classes"], unknown);
            if (!unknown.empty()) {
                problem(Message("access_list.unknown_class_value", {{"value", join(unknown)}}));
                continue;
            }
            const auto row_region = cells["region"].empty() ? option_region : region_of(cells["region"]);
            if (!row_region) {
                problem(Message("access_list.bad_region", {{"value", cells["region"]}}));
                continue;
            }
            region = *row_region;
        }
        std::vector<std::pair<std::string, std::string>> texts;  // dimension -> text of this row
        if (!wide.empty()) {
            for (const auto& [dimension, index] : wide) {
                if (!cells[dimension].empty()) {
                    texts.emplace_back(dimension, cells[dimension]);
                }
            }
        } else {
            std::string dimension;
            if (const std::string& raw = cells["dimension"]; !raw.empty()) {
                const auto id = dimension_of(config, raw);
                if (!id) {
                    std::vector<std::string> known;
                    for (const auto& d : config.dimensions) {
                        known.push_back(d.aliases.empty() ? d.id : d.aliases.front() + "→" + d.id);
                    }
                    problem(Message("access_list.unknown_dimension_value",
                                    {{"value", raw}, {"known", join(known)}, {"config", config.file.string()}}));
                    continue;
                }
                dimension = *id;
            }
            if (!cells["text"].empty()) {
                texts.emplace_back(dimension, cells["text"]);
            }
        }
        if (texts.empty()) {
            problem(Message("access_list.no_text"));
            continue;
        }
        ++usable_rows;
        for (auto& [dimension, text] : texts) {
            const auto key = std::make_tuple(list_id, dimension);
            auto it = index_of.find(key);
            if (it == index_of.end()) {
                PendingBlock p;
                p.block.scope = general ? AccessListScope::general : AccessListScope::unit;
                p.block.list_id = list_id;
                p.block.title = title;
                p.block.unit_classes = classes;
                p.block.region = region;
                p.block.dimension = dimension;
                p.block.text = text;
                p.first_row = p.last_row = row;
                it = index_of.emplace(key, pending.size()).first;
                pending.push_back(std::move(p));
                continue;
            }
            PendingBlock& p = pending[it->second];
            p.block.text += "\n" + text;
            p.last_row = row;
            if (p.block.title.empty()) {
                p.block.title = title;
            }
        }
    }
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        throw DataError(Message("access_list.read_failed", {{"file", layer_where}, {"detail", gdal::last_error()}}));
    }
    if (usable_rows == 0) {
        std::vector<Message> shown;
        for (std::size_t i = 0; i < out.problems.size() && i < 10; ++i) {
            shown.push_back(
                Message("where.feature_at", {{"feature", out.problems[i].feature}, {"at", out.problems[i].message}}));
        }
        if (out.problems.size() > shown.size()) {
            shown.push_back(Message("list.more", {{"count", out.problems.size() - shown.size()}}));
        }
        throw DataError(Message("access_list.no_usable_rows", {{"file", layer_where}, {"list", Message::list(shown)}}));
    }
    const std::string sheet = spreadsheet || several_layers ? ":" + text::valid_utf8(layer->GetName()) + "!" : ":";
    for (auto& p : pending) {
        p.block.source_ref = file_name + sheet + std::to_string(p.first_row) +
                             (p.last_row != p.first_row ? "-" + std::to_string(p.last_row) : "");
        out.blocks.push_back(std::move(p.block));
    }
    out.source_digest = gdal::source_digest(*dataset, where);
    return out;
}

}  // namespace redline
