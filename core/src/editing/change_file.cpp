#include "redline/editing/change_file.hpp"

#include "base/gdal_support.hpp"
#include "base/text.hpp"
#include "base/text_decoding.hpp"
#include "redline/errors.hpp"

#include <ogrsf_frmts.h>
#include <nlohmann/json.hpp>

#include <set>

namespace redline {

namespace {

// Columns a workspace export carries that are the store's bookkeeping, not the zone's fields.
const std::set<std::string> bookkeeping = {"fid",        "area_m2",    "length_m", "version_from",
                                           "version_to", "source_fid", "ogc_fid"};

// The standard field or attribute a column names for a kind: its id or one of its aliases.
const FieldDefinition* field_for(const KindSchema& kind, const std::string& column) {
    const std::string folded = text::fold(column);
    for (const auto& field : kind.fields) {
        if (text::fold(field.id) == folded) {
            return &field;
        }
    }
    for (const auto& field : kind.fields) {
        for (const auto& alias : field.aliases) {
            if (text::fold(alias) == folded) {
                return &field;
            }
        }
    }
    return nullptr;
}

}  // namespace

std::vector<ZoneEdit> read_change_file(const std::filesystem::path& path, const SchemaSet& schemas) {
    const std::string file = path.string();
    gdal::DatasetPtr dataset = gdal::open_vector(file);
    OGRLayer* layer = gdal::pick_layer(*dataset, file, std::nullopt);
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    const auto column = [&](const char* name) { return defn.GetFieldIndex(name); };
    const int op_index = column("op"), kind_index = column("kind"), id_index = column("zone_id");
    if (op_index < 0 || kind_index < 0) {
        throw DataError(Message("change.needs_columns", {{"file", file}}));
    }
    OGRSpatialReference crs84;
    crs84.SetFromUserInput("OGC:CRS84");
    crs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference* declared = layer->GetSpatialRef();
    const gdal::TransformPtr to_storage = gdal::to_storage(declared != nullptr ? *declared : crs84);
    text::TextDecoder decode(std::nullopt, false);

    std::vector<ZoneEdit> edits;
    layer->ResetReading();
    for (auto& feature : *layer) {
        const Message where = Message("change.where", {{"file", file}, {"feature", feature->GetFID()}});
        const auto value_of = [&](int index) -> std::optional<std::string> {
            if (index < 0 || !feature->IsFieldSetAndNotNull(index)) {
                return std::nullopt;
            }
            auto text = decode(gdal::field_text(*feature, index));
            if (!text) {
                throw DataError(
                    Message("change.not_utf8", {{"where", where}, {"field", defn.GetFieldDefn(index)->GetNameRef()}}));
            }
            return text::trim(*text);
        };
        ZoneEdit edit;
        edit.where = where;
        const auto op_text = value_of(op_index).value_or("");
        const auto op = parse_edit_op(op_text);
        if (!op) {
            throw DataError(Message("change.bad_op", {{"where", where}, {"op", op_text}}));
        }
        edit.op = *op;
        edit.kind = value_of(kind_index).value_or("");
        const KindSchema* kind = schemas.find(edit.kind);
        if (kind == nullptr) {
            throw DataError(Message("change.unknown_kind", {{"where", where}, {"kind", edit.kind}}));
        }
        edit.zone_id = value_of(id_index).value_or("");
        if (edit.zone_id.empty() && edit.op != EditOp::add) {
            throw DataError(Message("change.needs_zone_id", {{"where", where}, {"op", op_text}}));
        }
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            const std::string name = defn.GetFieldDefn(i)->GetNameRef();
            if (i == op_index || i == kind_index || i == id_index || bookkeeping.contains(text::fold(name))) {
                continue;
            }
            const auto value = value_of(i);
            if (!value) {
                continue;  // not given: left as it is
            }
            if (name == "attributes") {  // a workspace export's attribute set, as JSON
                const auto json = nlohmann::json::parse(*value, nullptr, false);
                if (!json.is_object()) {
                    throw DataError(Message("change.bad_attributes", {{"where", where}}));
                }
                for (const auto& [key, v] : json.items()) {
                    edit.attributes[key] = v.is_string() ? v.get<std::string>() : v.dump();
                }
                continue;
            }
            const FieldDefinition* field = field_for(*kind, name);
            if (field == nullptr) {
                throw DataError(
                    Message("change.unknown_field", {{"where", where}, {"field", name}, {"kind", kind->id}}));
            }
            if (field->id == "subzone") {
                edit.subzone = value;
            } else if (field->id == "code") {
                edit.code = value;
            } else if (field->id == "name") {
                edit.name = value;
            } else if (field->is_attribute) {
                edit.attributes[field->id] = *value;
            }
        }
        if (const OGRGeometry* g = feature->GetGeometryRef(); g != nullptr && !g->IsEmpty()) {
            std::unique_ptr<OGRGeometry> geometry(g->clone());
            geometry->flattenTo2D();
            if (geometry->transform(to_storage.get()) != OGRERR_NONE) {
                throw DataError(Message("change.cannot_transform", {{"where", where}}));
            }
            Geometry wkb;
            wkb.wkb.resize(geometry->WkbSize());
            geometry->exportToWkb(wkbNDR, wkb.wkb.data(), wkbVariantIso);
            edit.geometry = std::move(wkb);
        }
        if ((edit.op == EditOp::add || edit.op == EditOp::replace) && !edit.geometry) {
            throw DataError(Message("change.needs_geometry", {{"where", where}, {"op", op_text}}));
        }
        edits.push_back(std::move(edit));
    }
    if (edits.empty()) {
        throw DataError(Message("change.empty", {{"file", file}}));
    }
    return edits;
}

}  // namespace redline
