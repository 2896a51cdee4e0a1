// Plane coordinates on CGCS2000 (GRS80): transverse Mercator on any meridian, and the
// 3-degree Gauss-Krüger zones Chinese surveys use. PROJ does the work; no PROJ type shows
// here. A projection object is used by one thread at a time (make one per thread).
#pragma once

#include "redline/geometry.hpp"

#include <memory>
#include <utility>
#include <vector>

namespace redline {

// 3-degree Gauss-Krüger zones: zone n has its central meridian at 3n degrees east; eastings
// carry the zone number before the 500 km false easting (zone 41's central meridian is at
// 41 500 000 m). CGCS2000 defines them as EPSG:4513 (zone 25, 75°E) to EPSG:4533 (zone 45,
// 135°E).
int gauss_kruger_zone_3deg(double lon);  // the zone whose central meridian is nearest
int gauss_kruger_epsg_3deg(int zone);    // 4488 + zone for zones 25..45, else 0

// The length a scale bar shows for about `target` metres: 1, 2 or 5 times a power of ten,
// not longer than `target` (report maps and the viewer draw the same bars).
double scale_bar_length(double target);

// Transverse Mercator on GRS80, scale 1 on the central meridian, northings from the
// equator: the display plane of the viewer, and each Gauss-Krüger zone.
class TransverseMercator {
public:
    // x_0 = false_easting metres, lon_0 = central_meridian degrees.
    explicit TransverseMercator(double central_meridian, double false_easting = 0);
    // Gauss-Krüger 3-degree zone `zone`: EPSG:4513..4533 for zones 25..45, the same
    // definition (central meridian 3·zone, false easting zone·10^6 + 500 000) elsewhere.
    static TransverseMercator gauss_kruger_3deg(int zone);

    TransverseMercator(TransverseMercator&&) noexcept;
    TransverseMercator& operator=(TransverseMercator&&) noexcept;
    ~TransverseMercator();

    double central_meridian() const;
    double false_easting() const;
    int epsg() const;  // the EPSG code it was made from, 0 when made from its parameters

    // lon/lat degrees to easting/northing metres, and back; infinite when PROJ cannot.
    std::pair<double, double> forward(double lon, double lat) const;
    std::pair<double, double> inverse(double easting, double northing) const;
    // Every point in place, lon/lat to metres: one PROJ call for the whole run.
    void forward(std::vector<LonLat>& points) const;
    // The point scale factor at a place (1 on the central meridian, about 1 + x²/2R² off it):
    // a plane distance divided by it is the distance on the ellipsoid.
    double scale_factor(double lon, double lat) const;

private:
    struct Impl;
    explicit TransverseMercator(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Where a point lies in the 3-degree Gauss-Krüger zone it falls in.
struct GaussKrugerPoint {
    int zone = 0;
    int epsg = 0;         // 0 outside zones 25..45 (projected with the same definition)
    double easting = 0;   // metres, zone number included (Y in Chinese survey usage)
    double northing = 0;  // metres from the equator (X in Chinese survey usage)
};

// Gauss-Krüger coordinates of points anywhere: keeps one projection per zone met.
class GaussKruger3Degree {
public:
    GaussKrugerPoint forward(double lon, double lat);

private:
    std::vector<std::pair<int, TransverseMercator>> zones_;
};

}  // namespace redline
