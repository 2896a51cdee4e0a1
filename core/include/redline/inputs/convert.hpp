// `redline convert`: footprints read the way `check` reads them, written on as GeoJSON,
// GeoPackage, Shapefile (UTF-8 with .cpg), KML or the land-boundary coordinate TXT.
#pragma once

#include "redline/inputs/footprints.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace redline {

struct ConvertOptions {
    std::optional<std::string> target_crs;  // default: EPSG:4490; WGS 84 for GeoJSON and KML;
                                            // for TXT the CGCS2000 3-degree zone (with prefix) of the data
    std::optional<int> decimals;            // TXT coordinate decimals (default 3, millimetres)
    bool overwrite = false;                 // an existing output is never replaced otherwise
};

struct ConvertReport {
    std::string format;  // GDAL driver name, or "TXT" (the land-boundary coordinate file)
    std::string crs;     // EPSG:n
    std::size_t written = 0;
};

ConvertReport write_footprints(const FootprintSet& set, const std::filesystem::path& output,
                               const ConvertOptions& options);

}  // namespace redline
