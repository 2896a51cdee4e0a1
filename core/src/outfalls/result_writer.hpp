// The register's result: the register's own columns and redline's, as CSV (UTF-8 with a
// BOM, for Excel), XLSX (streamed) or GeoPackage (with the points). Written beside the destination
// and renamed into place when complete, so a failed or cancelled run leaves nothing
// half-written and an older result untouched.
#pragma once

#include "base/gdal_support.hpp"
#include "base/xlsx_writer.hpp"
#include "redline/language.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace redline {

class ResultWriter {
public:
    // UsageError for an output that is not .csv, .xlsx or .gpkg; DataError when it exists
    // and may not be replaced. Called before any work.
    static void check_destination(const std::filesystem::path& output, bool overwrite);

    // `rows`: the rows to come, so that a result Excel cannot hold is refused before any.
    ResultWriter(const std::filesystem::path& output, const std::vector<std::string>& header, Language language,
                 std::uint64_t rows);
    ~ResultWriter();
    ResultWriter(const ResultWriter&) = delete;
    ResultWriter& operator=(const ResultWriter&) = delete;

    // One row: its values in header order, its position (lon/lat, CGCS2000) when placed,
    // and its line in the register (for messages).
    void write(const std::vector<std::string>& values, const std::optional<std::pair<double, double>>& point,
               long line);
    void commit();  // renames the complete result into place

private:
    std::filesystem::path output_, partial_csv_;
    std::string extension_;
    std::ofstream csv_;
    std::unique_ptr<gdal::PartialDataset> dataset_;  // GeoPackage
    std::unique_ptr<XlsxWriter> xlsx_;
    OGRLayer* layer_ = nullptr;
    bool committed_ = false;
};

}  // namespace redline
