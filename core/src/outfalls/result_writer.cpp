#include "outfalls/result_writer.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

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
                           Language language, std::uint64_t rows)
    : output_(output), extension_(text::lower_extension(output)) {
    const std::string sheet = language == Language::en ? "outfalls" : "排污口核查";
    if (extension_ == ".xlsx") {
        if (rows + 1 > XlsxWriter::max_rows) {
            throw DataError(
                Message("file.xlsx_too_many_rows", {{"file", output.string()}, {"rows", XlsxWriter::max_rows}}));
        }
        xlsx_ = std::make_unique<XlsxWriter>(output, sheet);
        xlsx_->row(header);
        return;
    }
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
    dataset_ = std::make_unique<gdal::PartialDataset>(output, "GPKG");
    OGRSpatialReference storage(gdal::storage_srs());
    layer_ = (*dataset_)->CreateLayer("outfalls", &storage, wkbPoint, nullptr);
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
    (*dataset_)->StartTransaction();  // one transaction: GeoPackage writes fast
}

ResultWriter::~ResultWriter() {
    if (!committed_ && !partial_csv_.empty()) {
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
    if (xlsx_) {
        xlsx_->row(values);
        return;
    }
    gdal::FeaturePtr f(OGRFeature::CreateFeature(layer_->GetLayerDefn()));
    for (std::size_t c = 0; c < values.size(); ++c) {
        f->SetField(static_cast<int>(c), values[c].c_str());
    }
    if (point) {
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
            throw DataError(Message("file.cannot_write_detail",
                                    {{"file", output_.string()}, {"detail", std::string(std::strerror(errno))}}));
        }
        std::filesystem::rename(partial_csv_, output_);
    } else if (xlsx_) {
        xlsx_->commit();
    } else {
        if ((*dataset_)->CommitTransaction() != OGRERR_NONE) {
            throw DataError(
                Message("file.cannot_write_detail", {{"file", output_.string()}, {"detail", gdal::last_error()}}));
        }
        dataset_->commit();
    }
    committed_ = true;
}

}  // namespace redline
