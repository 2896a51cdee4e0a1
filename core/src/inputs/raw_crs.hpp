// Deciding the CRS of bare coordinates, as land-survey files, tables and CAD drawings bring
// them: which column is east, whether a Gauss-Kruger zone prefix is present, which zone,
// which datum, whether the values come from a web map. Every decision is a Detection.
#pragma once

#include "redline/inputs/footprints.hpp"

#include <ogr_spatialref.h>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace redline {

enum class Datum { cgcs2000, xian1980, beijing1954, wgs84 };
const char* datum_name(Datum datum);

struct RawCrsHints {
    std::optional<std::string> crs;  // given explicitly (--crs): trusted, but axis order still checked
    std::optional<int> zone;
    std::optional<double> central_meridian;
    std::optional<int> zone_width;  // 3 or 6 (a TXT header's 几度分带)
    std::optional<Datum> datum;
    std::optional<std::array<double, 7>> towgs84;  // seven-parameter Helmert, as PROJ takes them
    std::optional<std::string> web_datum;          // gcj02 | bd09
    Message source_of_hints;                       // e.g. "the file header", "--zone", for messages
    // Which column the file means as east (0 or 1): survey files write X = northing first.
    int expected_east = 1;
    std::string first_label = "X", second_label = "Y";
    // Longitude/latitude with no datum stated may be taken as CGCS2000 (true for survey
    // formats, which never carry web-map coordinates); otherwise it is an error.
    bool geographic_default_ok = false;
};

struct RawCrsDecision {
    OGRSpatialReference srs;               // of (east, north) after `swap`
    std::string label;                     // EPSG:n or a description
    int east_index = 1;                    // which of (first, second) is east (easting or longitude)
    bool swapped = false;                  // east_index differs from what the labels or the format say
    std::optional<std::string> web_datum;  // convert from GCJ-02/BD-09 to WGS 84 first
    std::vector<Detection> detections;
    std::vector<Message> warnings;
};

// `coords` are (first, second) as the file writes them. DataError or UsageError when the
// coordinates cannot be placed without more information, naming the option that settles it.
RawCrsDecision decide_raw_crs(const std::vector<std::pair<double, double>>& coords, const RawCrsHints& hints,
                              const std::string& where);

// Puts (first, second) into (east, north) order per the decision, converting web-map
// coordinates to WGS 84.
std::pair<double, double> to_east_north(const RawCrsDecision& decision, double first, double second);

// China's extent with a margin; footprints outside it are refused.
bool inside_china(double lon, double lat);

}  // namespace redline
