// Change files: edits as data. A GeoJSON FeatureCollection (or any layer GDAL reads), one
// feature per change; properties `op` (add, replace, fields, retire), `kind`, `zone_id` (as
// `redline check` reports it) and the zone's fields (code, name, subzone and the kind's
// attributes, by their ids or any alias the kind's schema gives). Geometry in CRS84 unless
// the file declares its CRS. A layer exported from a workspace, edited in QGIS and given an
// `op` column turns into one (docs/editing.md).
#pragma once

#include "redline/editing/edit_session.hpp"

#include <filesystem>
#include <vector>

namespace redline {

// DataError naming the file, the feature and the field for anything that is not a change.
std::vector<ZoneEdit> read_change_file(const std::filesystem::path& path, const SchemaSet& schemas);

}  // namespace redline
