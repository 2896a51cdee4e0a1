#include "outfalls/register_source.hpp"

#include "base/gdal_support.hpp"
#include "base/text.hpp"
#include "base/text_decoding.hpp"
#include "base/toml_support.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace redline {
namespace {

class CsvSource : public RowSource {
public:
    CsvSource(const std::string& path, std::string where) : path_(path), where_(std::move(where)) { rewind(); }
    bool next(TableRow& row, std::optional<std::pair<double, double>>& xy) override {
        xy.reset();
        return stream_->next(row);
    }
    void rewind() override {
        stream_.reset();
        in_ = std::make_unique<std::ifstream>(path_, std::ios::binary);
        if (!*in_) {
            throw DataError(Message("file.cannot_read", {{"file", where_}}));
        }
        stream_ = std::make_unique<CsvStream>(*in_, where_);
        encoding = Message::verbatim(stream_->encoding());
        TableRow header;
        if (!stream_->next(header)) {
            throw DataError(Message("table.empty", {{"file", where_}}));
        }
        header_ = header.cells;
    }

private:
    std::string path_, where_;
    std::unique_ptr<std::ifstream> in_;
    std::unique_ptr<CsvStream> stream_;
};

class OgrSource : public RowSource {
public:
    OgrSource(const std::string& path, const FootprintSource& source, bool spreadsheet)
        : decode_(source.encoding, true) {
        dataset_ = spreadsheet ? open_spreadsheet(path) : gdal::open_vector(path, source.encoding);
        layer_ = gdal::pick_layer(*dataset_, path, source.layer);
        OGRFeatureDefn& defn = *layer_->GetLayerDefn();
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            header_.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
        }
        encoding = spreadsheet ? Message::verbatim("UTF-8") : Message("detect.encoding_gdal");
        // Text GDAL hands over that is not UTF-8 (a GBK GeoJSON or DBF) is decoded; a
        // sample of rows says whether that happens, for the summary's detections.
        constexpr int sample_rows = 1000;
        layer_->ResetReading();
        for (int n = 0; n < sample_rows; ++n) {
            gdal::FeaturePtr feature(layer_->GetNextFeature());
            if (!feature) {
                break;
            }
            for (int i = 0; i < feature->GetFieldCount(); ++i) {
                decode_(gdal::field_text(*feature, i));
            }
        }
        if (!decode_.decoded_from().empty()) {
            encoding = Message("detect.text_not_utf8", {{"encoding", decode_.decoded_from()}});
        }
        rewind();
    }
    bool next(TableRow& row, std::optional<std::pair<double, double>>& xy) override {
        gdal::FeaturePtr feature(layer_->GetNextFeature());
        if (!feature) {
            return false;
        }
        row.line = static_cast<int>(feature->GetFID()) + 1;
        row.cells.clear();
        for (int i = 0; i < feature->GetFieldCount(); ++i) {
            std::string bytes = gdal::field_text(*feature, i);
            auto text = decode_(bytes);
            row.cells.push_back(text ? std::move(*text) : text::valid_utf8(bytes));
        }
        xy.reset();
        if (const OGRGeometry* g = feature->GetGeometryRef(); g != nullptr && !g->IsEmpty()) {
            OGRPoint p;
            if (g->Centroid(&p) == OGRERR_NONE) {
                xy = std::make_pair(p.getX(), p.getY());
            }
        }
        return true;
    }
    void rewind() override { layer_->ResetReading(); }
    const OGRSpatialReference* srs() const override { return layer_->GetSpatialRef(); }

private:
    gdal::DatasetPtr dataset_;
    OGRLayer* layer_ = nullptr;
    text::TextDecoder decode_;
};

}  // namespace

std::unique_ptr<RowSource> open_register(const FootprintSource& source) {
    std::string ext = std::filesystem::path(source.path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt") {
        return std::make_unique<CsvSource>(source.path, source.path);
    }
    return std::make_unique<OgrSource>(source.path, source, ext == ".xlsx" || ext == ".xls" || ext == ".ods");
}

RegisterColumns map_register_columns(const SchemaSet& schemas, const std::vector<std::string>& header,
                                     const std::map<std::string, std::string>& field_map,
                                     std::vector<Detection>& detections) {
    const auto file = schemas.directory() / "outfall_register" / "register.toml";
    const toml::table root = parse_toml_file(file);
    RegisterColumns columns;
    std::map<std::string, int*> slots = {{"code", &columns.code},
                                         {"name", &columns.name},
                                         {"type", &columns.type},
                                         {"water_kind", &columns.water_kind},
                                         {"water_name", &columns.water_name},
                                         {"status", &columns.status}};
    for (const auto& [key, column] : field_map) {
        auto slot = slots.find(key);
        if (slot == slots.end()) {
            throw UsageError(Message("register.map_unknown_field", {{"field", key}, {"column", column}}));
        }
        *slot->second = find_column(header, {column});
        if (*slot->second < 0) {
            throw UsageError(Message("register.map_no_column", {{"field", key}, {"column", column}}));
        }
    }
    for (const auto& [key, slot] : slots) {
        if (*slot >= 0) {
            continue;
        }
        std::vector<std::string> aliases;
        if (const auto* list = root["fields"][key]["aliases"].as_array()) {
            for (const auto& a : *list) {
                aliases.push_back(a.value_or(std::string{}));
            }
        }
        *slot = find_column(header, aliases);
    }
    for (const auto& [key, slot] : slots) {
        detections.push_back(
            {"column", *slot >= 0 ? Message("detect.register_column",
                                            {{"field", key}, {"column", header[static_cast<std::size_t>(*slot)]}})
                                  : Message("detect.register_column_none", {{"field", key}})});
    }
    if (const auto* list = root["status"]["new"].as_array()) {
        for (const auto& a : *list) {
            columns.new_words.push_back(text::fold(a.value_or(std::string{})));
        }
    }
    return columns;
}

std::string cell_of(const TableRow& row, int column) {
    return column >= 0 && static_cast<std::size_t>(column) < row.cells.size() ? text::trim(row.cells[column]) : "";
}

}  // namespace redline
