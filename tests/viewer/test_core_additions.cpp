// The core functions the viewer brought: geometry taken apart into coordinates, transverse
// Mercator on any meridian, and Gauss-Krüger 3-degree zones (EPSG:4513..4533). The expected
// coordinates are GDAL's (gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4529).
#include "redline/geometry.hpp"
#include "redline/projection.hpp"

#include <QtTest/QtTest>

#include <cmath>

using namespace redline;

class CoreAdditionsTest : public QObject {
    Q_OBJECT

private slots:
    void polygon_with_hole() {
        const GeometryParts parts =
            geometry_parts(geometry_from_wkt("POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 4,4 4,2 2))"));
        QCOMPARE(parts.polygons.size(), std::size_t(1));
        QCOMPARE(parts.polygons[0].size(), std::size_t(2));
        QCOMPARE(parts.polygons[0][0].size(), std::size_t(5));
        QCOMPARE(parts.polygons[0][0].front(), parts.polygons[0][0].back());
        QCOMPARE(parts.polygons[0][1][1], LonLat(2, 4));
        QVERIFY(parts.lines.empty());
        QVERIFY(parts.points.empty());
        QCOMPARE(parts.vertex_count(), std::size_t(9));
    }

    void multi_and_collections() {
        const GeometryParts parts =
            geometry_parts(geometry_from_wkt("GEOMETRYCOLLECTION(MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5))),"
                                             "LINESTRING(0 0,3 4),MULTIPOINT((7 8),(9 10)),POLYGON EMPTY)"));
        QCOMPARE(parts.polygons.size(), std::size_t(2));
        QCOMPARE(parts.lines.size(), std::size_t(1));
        QCOMPARE(parts.lines[0].back(), LonLat(3, 4));
        QCOMPARE(parts.points.size(), std::size_t(2));
        QCOMPARE(parts.points[1], LonLat(9, 10));
        QVERIFY(!parts.empty());
        QVERIFY(geometry_parts(Geometry{}).empty());
        QVERIFY(geometry_parts(geometry_from_wkt("POLYGON EMPTY")).empty());
    }

    void zones_and_codes() {
        QCOMPARE(gauss_kruger_zone_3deg(121.8), 41);
        QCOMPARE(gauss_kruger_zone_3deg(121.49), 40);
        QCOMPARE(gauss_kruger_zone_3deg(121.51), 41);
        QCOMPARE(gauss_kruger_epsg_3deg(25), 4513);
        QCOMPARE(gauss_kruger_epsg_3deg(41), 4529);
        QCOMPARE(gauss_kruger_epsg_3deg(45), 4533);
        QCOMPARE(gauss_kruger_epsg_3deg(24), 0);
        QCOMPARE(gauss_kruger_epsg_3deg(46), 0);
    }

    void gauss_kruger_matches_gdal() {
        GaussKruger3Degree gk;
        const GaussKrugerPoint p = gk.forward(121.8, 39.1);
        QCOMPARE(p.zone, 41);
        QCOMPARE(p.epsg, 4529);
        QVERIFY(std::abs(p.easting - 41396193.2276) < 0.001);
        QVERIFY(std::abs(p.northing - 4330291.2676) < 0.001);
        // Zone 29 (Urumqi), then zone 41 again from the cache.
        const GaussKrugerPoint q = gk.forward(87.6, 43.8);
        QCOMPARE(q.zone, 29);
        QCOMPARE(q.epsg, 4517);
        QVERIFY(std::abs(gk.forward(121.8, 39.1).easting - p.easting) < 1e-9);
        // Outside China's zones: the same definition, no EPSG code.
        const GaussKrugerPoint r = gk.forward(140.0, 40.0);
        QCOMPARE(r.zone, 47);
        QCOMPARE(r.epsg, 0);
        QVERIFY(std::abs(r.easting - 47500000.0) < 200000);
    }

    void transverse_mercator() {
        TransverseMercator tm(121.8);
        QCOMPARE(tm.central_meridian(), 121.8);
        QCOMPARE(tm.epsg(), 0);
        const auto [x, y] = tm.forward(121.8, 39.1);
        QVERIFY(std::abs(x) < 1e-6);
        QVERIFY(std::abs(y - 4329605.6282) < 0.001);
        const auto [lon, lat] = tm.inverse(12345.6, 4400000.0);
        const auto [x2, y2] = tm.forward(lon, lat);
        QVERIFY(std::abs(x2 - 12345.6) < 1e-6);
        QVERIFY(std::abs(y2 - 4400000.0) < 1e-6);
        std::vector<LonLat> points{{121.8, 39.1}, {122.5, 39.6}, {120.0, 38.0}};
        tm.forward(points);
        QVERIFY(std::abs(points[0].second - 4329605.6282) < 0.001);
        const auto one = tm.forward(120.0, 38.0);
        QVERIFY(std::abs(points[2].first - one.first) < 1e-9);
        QVERIFY(std::abs(points[2].second - one.second) < 1e-9);
        // Scale 1 on the central meridian, about 1 + x²/2R² off it.
        QVERIFY(std::abs(tm.scale_factor(121.8, 39.1) - 1) < 1e-9);  // PROJ differentiates numerically
        const double k = tm.scale_factor(124.8, 39.1);
        const double xm = tm.forward(124.8, 39.1).first;
        QVERIFY(std::abs(k - (1 + xm * xm / (2 * 6371000.0 * 6371000.0))) < 2e-5);
        // Moved projections keep working.
        TransverseMercator moved = std::move(tm);
        QVERIFY(std::abs(moved.forward(121.8, 39.1).second - 4329605.6282) < 0.001);
    }
};

QTEST_APPLESS_MAIN(CoreAdditionsTest)
#include "test_core_additions.moc"
