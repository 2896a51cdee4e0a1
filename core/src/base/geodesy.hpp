// Ellipsoidal measures on GRS80 (the CGCS2000 ellipsoid) with PROJ's geodesic routines
// (Karney's algorithms, the same ones PostGIS geography and GeographicLib use).
// Coordinates are lon/lat degrees; edges are geodesics between vertices.
#pragma once

#include "base/geos_support.hpp"

#include <memory>

namespace redline::geodesy {

double area_m2(const geos::Context& ctx, const GEOSGeometry* geometry);
double length_m(const geos::Context& ctx, const GEOSGeometry* geometry);     // lines only
double perimeter_m(const geos::Context& ctx, const GEOSGeometry* geometry);  // polygon rings
double distance_m(double lon1, double lat1, double lon2, double lat2);

// A transverse Mercator projection centred on a meridian, metres, for local work such
// as finding the nearest points between two nearby geometries.
class LocalProjection {
public:
    explicit LocalProjection(double central_meridian);
    ~LocalProjection();
    LocalProjection(const LocalProjection&) = delete;
    LocalProjection& operator=(const LocalProjection&) = delete;

    geos::GeomPtr forward(const geos::Context& ctx, const GEOSGeometry* lonlat) const;
    void forward(double& x, double& y) const;  // lon/lat to metres, in place
    void inverse(double& x, double& y) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace redline::geodesy
