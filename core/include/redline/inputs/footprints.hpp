// Project footprints (parcels, linear projects, points) read from any OGR source or WKT.
#pragma once

#include "redline/errors.hpp"
#include "redline/geometry.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline {

// A decision taken while reading input (CRS, axis order, encoding, web-map offsets), and
// why: every one is reported, so a reviewer can see how the footprint was placed.
// A decision taken while reading an input: what (format, encoding, axes, zone, crs,
// datum, columns, shape, ...) and why, as a message.
struct Detection {
    std::string what;
    Message why;
};

struct Footprint {
    std::string id;
    std::string name;
    Geometry geometry;  // storage CRS, valid (repaired if needed, with a problem noted)
    std::map<std::string, std::string> attributes;
};

// A parcel has tens of vertices, a long pipeline tens of thousands.
inline constexpr std::size_t default_max_vertices = 200000;

struct FootprintSource {
    std::string path;  // OGR data source; "-" or empty with wkt set
    std::optional<std::string> layer;
    std::optional<std::string> wkt;
    std::optional<std::string> crs;  // "EPSG:4490", a PROJ string or WKT; required for WKT
    std::optional<std::string> id_field;
    std::optional<std::string> name_field;
    std::optional<std::string> encoding;
    std::optional<int> zone;                 // Gauss-Kruger zone for eastings without prefix (--zone)
    std::optional<double> central_meridian;  // or its central meridian (--cm)
    std::optional<std::string> web_datum;    // "gcj02" or "bd09": coordinates from a web map (--from)
    std::optional<std::string> driver;       // the OGR driver when the caller knows it ("GeoJSON"): no probing
    // A footprint with more vertices is refused, not repaired (--max-vertices; 0: no limit).
    std::size_t max_vertices = default_max_vertices;
};

struct FootprintSet {
    std::string source;
    std::string layer;
    std::string crs;  // the input CRS as "EPSG:n" where known, else its name
    std::vector<Detection> detections;
    std::vector<Footprint> footprints;
    std::vector<Problem> problems;
};

FootprintSet read_footprints(const FootprintSource& source);
// Footprints from GeoJSON text in memory (standard input, a request's body), read as a
// .geojson file is; `label` names it in what is said of it. source.path is not used.
FootprintSet read_geojson_text(const std::string& text, const FootprintSource& source, const std::string& label);

}  // namespace redline
