// Geometry as it crosses the public API: ISO WKB in CGCS2000 geographic coordinates
// (EPSG:4490, longitude first). Keeps GEOS and OGR types out of public headers.
#pragma once

#include <string>
#include <vector>

namespace redline {

// The CRS every zone and footprint is held in once read.
inline constexpr int storage_epsg = 4490;

struct Geometry {
    std::vector<unsigned char> wkb;
    bool empty() const { return wkb.empty(); }
};

struct BoundingBox {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;  // degrees, lon/lat
    void expand(const BoundingBox& other);
};

// "Polygon", "MultiPolygon", "LineString", ... as in OGC simple features.
std::string geometry_type_name(const Geometry& geometry);
BoundingBox bounding_box(const Geometry& geometry);
Geometry geometry_from_wkt(const std::string& wkt);  // DataError on bad WKT
std::string geometry_to_wkt(const Geometry& geometry, int precision = 9);

// Ellipsoidal (GRS80 geodesic) measures of a geometry in storage coordinates.
double geodesic_area_m2(const Geometry& geometry);
double geodesic_length_m(const Geometry& geometry);

}  // namespace redline
