// Geometry operations behind the viewer's editing tools (split, merge, reshape, avoid
// overlaps, move, vertex editing): core decides every geometric question, the viewer only
// draws and forwards what the user drew. Geometries are ISO WKB in storage coordinates
// (EPSG:4490, lon/lat degrees, longitude first); lines the user drew come the same way.
// The operations work on the plane of lon/lat coordinates, as the overlay does; areas and
// lengths that decide something (which piece is largest) are geodesic. A failure (an
// unusable input, a line that cuts nothing, a GEOS error) is a DataError whose message says
// what is wrong and what to do; nothing is half done.
#pragma once

#include "redline/geometry.hpp"
#include "redline/message.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace redline {

// The inverse of geometry_parts(): one polygon gives a Polygon, several a MultiPolygon;
// lines a LineString or MultiLineString; points a Point or MultiPoint; parts of more than
// one of these a GeometryCollection (polygons, then lines, then points). Rings are closed
// when their last point is not their first; coordinates are kept bit for bit. Polygons
// without rings and lines without points are left out; nothing at all gives an empty
// Geometry. DataError for a ring of fewer than four points once closed, a line of one
// point, or a coordinate that is not a finite number. The result is not validated: ask
// geometry_problem().
Geometry geometry_from_parts(const GeometryParts& parts);

// Why GEOS finds a geometry invalid, and where (storage coordinates), as an edit session
// would refuse it; nullopt when it is valid (or empty). DataError when it is not readable.
struct GeometryProblem {
    Message reason;  // "自相交" / "Self-intersection", ...
    double lon = 0, lat = 0;
};
std::optional<GeometryProblem> geometry_problem(const Geometry& geometry);

// A polygon or multipolygon cut by a line into pieces (the line's parts outside, and ends
// that do not reach across, are ignored), holes kept; or a line or multiline cut where the
// line crosses it. The first geometry is the largest piece together with the parts of a
// multi-geometry the line does not cut (what stays with the zone being split); the others
// are the other pieces, one each, largest first (geodesic area, or length for lines).
// DataError when the line cuts nothing into two, or the inputs are not a valid polygonal or
// linear geometry and a line.
std::vector<Geometry> split_by_line(const Geometry& geometry, const Geometry& line);

// The union of geometries of one dimension: polygons into one Polygon or MultiPolygon
// (shared edges dissolved); lines joined where they meet end to end (GEOS line merge; lines
// that cross stay whole); points into a Point or MultiPoint. Empty geometries are skipped;
// none left gives an empty Geometry. DataError for geometries of different dimensions or an
// invalid polygon (which one, why and where).
Geometry merge_geometries(const std::vector<Geometry>& geometries);

// QGIS's reshape. Polygons: the line must cross the boundary at least twice. Where it runs
// (mostly, by length) inside, each part it cuts keeps its largest piece (by geodesic area)
// and loses the others; where it runs outside, the faces it encloses against the boundary
// are added (inside a hole, or a gap that parts enclose, all faces but the largest, which
// stays open). Parts of a multipolygon the line does not cut stay as they are. Lines: the
// part (of the multiline part nearest to the reshape line) between the points nearest to
// the reshape line's ends is replaced by the reshape line. DataError when the line changes
// nothing, or the inputs are unusable.
Geometry reshape_by_line(const Geometry& geometry, const Geometry& line);

// Topological editing's "avoid overlaps": the polygonal geometry minus the union of its
// neighbours (their polygonal parts, repaired if invalid; empty ones skipped), valid and
// polygonal only (lines and points a difference may leave are dropped). An empty Geometry
// when nothing remains. DataError when the geometry is not valid and polygonal.
Geometry without_overlaps(const Geometry& polygonal, const std::vector<Geometry>& neighbours);

// Every vertex shifted by dlon, dlat degrees; the type and structure are kept. DataError when
// a shift is not finite or moves a coordinate outside longitude ±180°, latitude ±90°.
Geometry moved_by(const Geometry& geometry, double dlon, double dlat);

// Where geometries overlap one another: every pair (first < second, indexes into the list)
// whose polygonal parts (repaired if invalid) share an area larger than min_area_m2
// (geodesic), with that area. Pairs are compared by their extents first; meant for the
// zones of a selection or a view, not a whole province.
struct OverlapArea {
    std::size_t first = 0, second = 0;
    Geometry overlap;  // polygonal
    double area_m2 = 0;
};
std::vector<OverlapArea> overlaps_among(const std::vector<Geometry>& geometries, double min_area_m2 = 0);

}  // namespace redline
