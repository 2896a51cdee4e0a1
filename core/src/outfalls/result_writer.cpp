#include "outfalls/result_writer.hpp"

#include "base/text.hpp"

#include <algorithm>

namespace redline {
void ResultWriter::check_destination(const std::filesystem::path& output, bool overwrite) {
    const std::string ext = text::lower_extension(output);
    if (ext != ".csv" && ext != ".xlsx" && ext != ".gpkg") {
        throw UsageError(Message("register.bad_output", {{"file", output.string()}}));
    }
    if (std::filesystem::exists(output) && !overwrite) {
        throw DataError(Message("file.exists", {{"file", output.string()}}));
    }
}

ResultWriter::ResultWriter(const std::filesystem::path& output, const std::vector<std::string>& header,
                           Language language)
    : output_(output), extension_(text::lower_extension(output)) {
    if (extension_ == ".csv") {
        partial_csv_ = output.parent_path() / (output.stem().string() + ".partial.csv");
        csv_.open(partial_csv_, std::ios::binary);
        if (!csv_) {
            throw DataError(Message("file.cannot_write", {{"file", output.string()}}));
        }
        csv_ << "\xEF\xBB\xBF";  // so that Excel reads the Chinese
        for (std::size_t c = 0; c < header.size(); ++c) {
            csv_ << (c ? "," : "") << text::csv_field(header[c]);
        }
        csv_ << '\n';
        return;
    }
    const bool gpkg = extension_ == ".gpkg";
    dataset_ = std::make_unique<gdal::PartialDataset>(output, gpkg ? "GPKG" : "XLSX");
    OGRSpatialReference storage(gdal::storage_srs());
    layer_ = (*dataset_)->CreateLayer(gpkg || language == Language::en ? "outfalls" : "排污口核查",
                                      gpkg ? &storage : nullptr, gpkg ? wkbPoint : wkbNone, nullptr);
    if (layer_ == nullptr) {
        throw DataError(
            Message("file.cannot_create_layer", {{"file", output.string()}, {"detail", gdal::last_error()}}));
    }
    for (const auto& name : header) {
        OGRFieldDefn defn(name.c_str(), OFTString);
        if (layer_->CreateField(&defn) != OGRERR_NONE) {
            throw DataError(Message("file.cannot_create_field",
                                    {{"file", output.string()}, {"field", name}, {"detail", gdal::last_error()}}));
        }
    }
    if (gpkg) {
        (*dataset_)->StartTransaction();  // one transaction: GeoPackage writes fast
    }
}

ResultWriter::~ResultWriter() {
    if (!committed_ && csv_.is_open()) {
        csv_.close();
        std::error_code ignored;
        std::filesystem::remove(partial_csv_, ignored);
    }
    // A PartialDataset not committed removes itself.
}

void ResultWriter::write(const std::vector<std::string>& values, const std::optional<std::pair<double, double>>& point,
                         long line) {
    if (csv_.is_open()) {
        for (std::size_t c = 0; c < values.size(); ++c) {
            csv_ << (c ? "," : "") << text::csv_field(values[c]);
        }
        csv_ << '\n';
        return;
    }
    gdal::FeaturePtr f(OGRFeature::CreateFeature(layer_->GetLayerDefn()));
    for (std::size_t c = 0; c < values.size(); ++c) {
        f->SetField(static_cast<int>(c), values[c].c_str());
    }
    if (extension_ == ".gpkg" && point) {
        f->SetGeometryDirectly(new OGRPoint(point->first, point->second));
    }
    if (layer_->CreateFeature(f.get()) != OGRERR_NONE) {
        throw DataError(Message("file.cannot_write_feature",
                                {{"file", output_.string()}, {"id", line}, {"detail", gdal::last_error()}}));
    }
}

void ResultWriter::commit() {
    if (csv_.is_open()) {
        csv_.close();
        if (!csv_) {
            throw DataError(Message("file.cannot_write", {{"file", output_.string()}}));
        }
        std::filesystem::rename(partial_csv_, output_);
    } else {
        if (extension_ == ".gpkg" && (*dataset_)->CommitTransaction() != OGRERR_NONE) {
            throw DataError(Message("file.cannot_write", {{"file", output_.string()}}));
        }
        dataset_->commit();
    }
    committed_ = true;
}

}  // namespace redline
