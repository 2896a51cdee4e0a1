// Geometry as it crosses the public API: ISO WKB in CGCS2000 geographic coordinates
// (EPSG:4490, longitude first). Keeps GEOS and OGR types out of public headers.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
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
// RFC 7946 GeoJSON of a geometry (lon/lat degrees, as stored), for OGC API - Features.
std::string geometry_to_geojson(const Geometry& geometry);

// A geometry taken apart into coordinates, for drawing: every polygon as its rings (the
// exterior first, then the holes; each ring closed, its first point repeated last), every
// line and every point, in storage coordinates (lon/lat degrees, longitude first). Parts of
// multi-geometries and collections are listed one by one; empty parts are left out.
using LonLat = std::pair<double, double>;
using LonLatPath = std::vector<LonLat>;
struct GeometryParts {
    std::vector<std::vector<LonLatPath>> polygons;
    std::vector<LonLatPath> lines;
    std::vector<LonLat> points;
    std::size_t vertex_count() const;
    bool empty() const { return polygons.empty() && lines.empty() && points.empty(); }
};
GeometryParts geometry_parts(const Geometry& geometry);

// Ellipsoidal (GRS80 geodesic) measures of a geometry in storage coordinates.
double geodesic_area_m2(const Geometry& geometry);
double geodesic_length_m(const Geometry& geometry);

}  // namespace redline
