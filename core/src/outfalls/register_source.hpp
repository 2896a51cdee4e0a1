// Outfall registers as they come: CSV (streamed, any size) or any table GDAL reads
// (spreadsheets, GeoPackage, Shapefile), read row by row, twice; and which of their
// columns hold the code, name, type, receiving water and status.
#pragma once

#include "inputs/point_table.hpp"
#include "redline/inputs/footprints.hpp"
#include "redline/model/schema.hpp"

#include <ogr_spatialref.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace redline {

class RowSource {
public:
    virtual ~RowSource() = default;
    const std::vector<std::string>& header() const { return header_; }
    // The next row; `xy` is set for layers with point geometry (in the layer's CRS).
    virtual bool next(TableRow& row, std::optional<std::pair<double, double>>& xy) = 0;
    virtual void rewind() = 0;
    virtual const OGRSpatialReference* srs() const { return nullptr; }
    Message encoding;  // how its text was decoded, as a detection says it

protected:
    std::vector<std::string> header_;
};

std::unique_ptr<RowSource> open_register(const FootprintSource& source);

struct RegisterColumns {
    int code = -1, name = -1, type = -1, water_kind = -1, water_name = -1, status = -1;
    std::vector<std::string> new_words;  // status values that mean a new (planned) outfall, folded
};

// The columns from --map, else from the aliases of layers/outfall_register/register.toml;
// each decision is added to `detections`.
RegisterColumns map_register_columns(const SchemaSet& schemas, const std::vector<std::string>& header,
                                     const std::map<std::string, std::string>& field_map,
                                     std::vector<Detection>& detections);

// A cell, trimmed; "" when the row is shorter or the column absent.
std::string cell_of(const TableRow& row, int column);

}  // namespace redline
