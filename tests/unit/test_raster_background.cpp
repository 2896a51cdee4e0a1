// Raster backgrounds: rasters written here with GDAL, in CGCS2000 degrees, in Gauss-Krüger
// metres and as MBTiles, drawn onto a transverse Mercator plane like the viewer's; each
// colour must land where the projection puts it, and nothing where the raster is not.
#include "redline/errors.hpp"
#include "redline/inputs/raster_background.hpp"
#include "redline/projection.hpp"
#include "test_support.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

using namespace redline;
using test::ScratchDir;

namespace {

using Colour = std::array<int, 4>;  // RGBA
const Colour red{255, 0, 0, 255}, green{0, 200, 0, 255}, blue{0, 0, 255, 255}, yellow{255, 220, 0, 255};
const Colour clear{0, 0, 0, 0};

// Writes a raster of `bands` bands: fn(band, x, y) gives each value. epsg 0 writes no CRS;
// an empty geotransform none. Created through MEM and copied, so that any driver that can
// copy (PNG, JPEG) works too.
void write_raster(const std::filesystem::path& path, const char* driver, int width, int height, int bands,
                  std::vector<double> geotransform, int epsg, const std::function<int(int, int, int)>& fn,
                  GDALDataType type = GDT_Byte, const std::function<void(GDALDataset&)>& more = {}) {
    GDALAllRegister();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDataset* ds = mem->Create("", width, height, bands, type, nullptr);
    REQUIRE(ds != nullptr);
    if (!geotransform.empty()) {
        ds->SetGeoTransform(geotransform.data());
    }
    if (epsg != 0) {
        OGRSpatialReference srs;
        srs.importFromEPSG(epsg);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);  // x is the longitude, as GDAL's tools write
        ds->SetSpatialRef(&srs);
    }
    std::vector<double> values(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    for (int b = 1; b <= bands; ++b) {
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                values[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] =
                    fn(b, x, y);
            }
        }
        REQUIRE(ds->GetRasterBand(b)->RasterIO(GF_Write, 0, 0, width, height, values.data(), width, height, GDT_Float64,
                                               0, 0, nullptr) == CE_None);
    }
    if (bands >= 3 && type == GDT_Byte) {
        ds->GetRasterBand(1)->SetColorInterpretation(GCI_RedBand);
        ds->GetRasterBand(2)->SetColorInterpretation(GCI_GreenBand);
        ds->GetRasterBand(3)->SetColorInterpretation(GCI_BlueBand);
    }
    if (more) {
        more(*ds);
    }
    GDALDriver* out = GetGDALDriverManager()->GetDriverByName(driver);
    GDALDataset* copy = out->CreateCopy(path.string().c_str(), ds, FALSE, nullptr, nullptr, nullptr);
    REQUIRE(copy != nullptr);
    GDALClose(GDALDataset::ToHandle(copy));
    GDALClose(GDALDataset::ToHandle(ds));
}

// Four colours, one a quadrant: north-west red, north-east green, south-west blue,
// south-east yellow.
std::function<int(int, int, int)> quadrants(int width, int height) {
    return [=](int band, int x, int y) {
        const Colour& c = y < height / 2 ? (x < width / 2 ? red : green) : (x < width / 2 ? blue : yellow);
        return c[static_cast<std::size_t>(band - 1)];
    };
}

// The viewer's kind of plane: a transverse Mercator on a meridian, its origin taken off.
struct Plane {
    TransverseMercator tm;
    double y0;
    std::string definition;

    Plane(double meridian, double origin_lat) : tm(meridian), y0(std::round(tm.forward(meridian, origin_lat).second)) {
        char text[256];
        std::snprintf(text, sizeof text,
                      "+proj=tmerc +lat_0=0 +lon_0=%.17g +k=1 +x_0=0 +y_0=%.17g +ellps=GRS80 +units=m +no_defs "
                      "+type=crs",
                      meridian, -y0);
        definition = text;
    }
    std::pair<double, double> at(double lon, double lat) const {
        const auto [x, y] = tm.forward(lon, lat);
        return {x, y - y0};
    }
};

// A picture of a plane rectangle, and where a lon/lat point falls in it.
struct Picture {
    const Plane& plane;
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    int width = 0, height = 0;
    RasterImage image;

    // The rectangle around a lon/lat box (its edges sampled).
    Picture(const Plane& p, const RasterBackground& raster, BoundingBox box, int w, int h)
        : plane(p), width(w), height(h) {
        min_x = min_y = 1e300;
        max_x = max_y = -1e300;
        for (int i = 0; i <= 20; ++i) {
            const double t = i / 20.0;
            for (const auto& [lon, lat] : {std::pair{box.min_x + t * (box.max_x - box.min_x), box.min_y},
                                           std::pair{box.min_x + t * (box.max_x - box.min_x), box.max_y},
                                           std::pair{box.min_x, box.min_y + t * (box.max_y - box.min_y)},
                                           std::pair{box.max_x, box.min_y + t * (box.max_y - box.min_y)}}) {
                const auto [x, y] = plane.at(lon, lat);
                min_x = std::min(min_x, x);
                max_x = std::max(max_x, x);
                min_y = std::min(min_y, y);
                max_y = std::max(max_y, y);
            }
        }
        image = raster.render(plane.definition, min_x, min_y, max_x, max_y, width, height);
        REQUIRE(image.width == width);
        REQUIRE(image.height == height);
        REQUIRE(image.rgba.size() == static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    }
    // The pixel's column and row as fractions: a pixel's centre is at .5.
    std::pair<double, double> pixel_of(double lon, double lat) const {
        const auto [x, y] = plane.at(lon, lat);
        return {(x - min_x) / (max_x - min_x) * width, (max_y - y) / (max_y - min_y) * height};
    }
    Colour pixel(int col, int row) const {
        const std::size_t i =
            (static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col)) * 4;
        return {image.rgba[i], image.rgba[i + 1], image.rgba[i + 2], image.rgba[i + 3]};
    }
    Colour at(double lon, double lat) const {
        const auto [c, r] = pixel_of(lon, lat);
        return pixel(static_cast<int>(c), static_cast<int>(r));
    }
};

bool near(const Colour& a, const Colour& b, int tolerance = 2) {
    for (std::size_t i = 0; i < 4; ++i) {
        if (std::abs(a[i] - b[i]) > tolerance) {
            return false;
        }
    }
    return true;
}

std::string show(const Colour& c) {
    return std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]) + "," + std::to_string(c[3]);
}

// The quadrant GeoTIFF in CGCS2000 degrees: 121.0-121.2E, 39.0-39.2N, 0.001° pixels.
std::filesystem::path write_degrees(const ScratchDir& dir) {
    const auto path = dir / "quadrants.tif";
    write_raster(path, "GTiff", 200, 200, 3, {121.0, 0.001, 0, 39.2, 0, -0.001}, 4490, quadrants(200, 200));
    return path;
}

// Checks the four quadrants' centres, transparency around, and where the west-east edge
// between red and green falls on the row through 39.15N (within a pixel of the projection).
void check_quadrants(const Picture& picture, double west, double south, double east, double north, int tolerance) {
    const double mid_lon = (west + east) / 2, mid_lat = (south + north) / 2;
    const double qx = (east - west) / 4, qy = (north - south) / 4;
    INFO("north-west " << show(picture.at(mid_lon - qx, mid_lat + qy)));
    CHECK(near(picture.at(mid_lon - qx, mid_lat + qy), red, tolerance));
    INFO("north-east " << show(picture.at(mid_lon + qx, mid_lat + qy)));
    CHECK(near(picture.at(mid_lon + qx, mid_lat + qy), green, tolerance));
    INFO("south-west " << show(picture.at(mid_lon - qx, mid_lat - qy)));
    CHECK(near(picture.at(mid_lon - qx, mid_lat - qy), blue, tolerance));
    INFO("south-east " << show(picture.at(mid_lon + qx, mid_lat - qy)));
    CHECK(near(picture.at(mid_lon + qx, mid_lat - qy), yellow, tolerance));
    // Outside: nothing at all (premultiplied, so colour as well as alpha).
    CHECK(picture.at(west - qx / 2, mid_lat) == clear);
    CHECK(picture.at(east + qx / 2, mid_lat) == clear);
    CHECK(picture.at(mid_lon, south - qy / 2) == clear);
    CHECK(picture.at(mid_lon, north + qy / 2) == clear);
    // The edge between red and green: where red falls below half along the row.
    const auto [edge_col, row] = picture.pixel_of(mid_lon, mid_lat + qy);
    const auto [start_col, unused] = picture.pixel_of(mid_lon - qx, mid_lat + qy);
    int found = -1;
    for (int col = static_cast<int>(start_col); col < picture.width; ++col) {
        if (picture.pixel(col, static_cast<int>(row))[0] < 128) {
            found = col;
            break;
        }
    }
    INFO("edge expected at column " << edge_col << ", found " << found);
    CHECK(std::abs(found - edge_col) <= 1.0);
}

}  // namespace

TEST_CASE("a GeoTIFF in CGCS2000 degrees is drawn with each quadrant where the projection puts it", "[raster]") {
    ScratchDir dir("raster_degrees");
    const auto path = write_degrees(dir);
    const RasterBackground raster = RasterBackground::open(path);
    const BoundingBox box = raster.extent();
    CHECK(box.min_x == Approx(121.0).margin(1e-9));
    CHECK(box.min_y == Approx(39.0).margin(1e-9));
    CHECK(box.max_x == Approx(121.2).margin(1e-9));
    CHECK(box.max_y == Approx(39.2).margin(1e-9));
    CHECK(raster.description() == "quadrants.tif: GTiff 200x200, RGB, EPSG:4490");
    CHECK(raster.path() == path);

    // A plane on a meridian east of the raster (so the raster is turned a little), the
    // picture wider than the raster and not square.
    const Plane plane(121.37, 39.1);
    const Picture picture(plane, raster, {120.96, 38.97, 121.24, 39.23}, 420, 500);
    check_quadrants(picture, 121.0, 39.0, 121.2, 39.2, 2);

    // The raster's edge is soft over a pixel, premultiplied: colour never above alpha.
    const auto [col, row] = picture.pixel_of(121.0, 39.15);
    bool partial = false;
    for (int c = static_cast<int>(col) - 1; c <= static_cast<int>(col) + 1; ++c) {
        const Colour p = picture.pixel(c, static_cast<int>(row));
        CHECK(p[0] <= p[3]);
        partial = partial || (p[3] > 0 && p[3] < 255);
    }
    CHECK(partial);

    // Zoomed in far beyond its pixels (2 m a pixel) on the corner where the four meet.
    const auto [cx, cy] = plane.at(121.1, 39.1);
    const RasterImage close = raster.render(plane.definition, cx - 100, cy - 100, cx + 100, cy + 100, 100, 100);
    auto close_pixel = [&](int c, int r) {
        const std::size_t i = (static_cast<std::size_t>(r) * 100 + static_cast<std::size_t>(c)) * 4;
        return Colour{close.rgba[i], close.rgba[i + 1], close.rgba[i + 2], close.rgba[i + 3]};
    };
    // 0.001° is 86 m east-west and 111 m north-south here: 20 m from the corner is still
    // blended, 80 m away is not.
    CHECK(near(close_pixel(5, 5), red, 3));
    CHECK(near(close_pixel(94, 5), green, 3));
    CHECK(near(close_pixel(5, 94), blue, 3));
    CHECK(near(close_pixel(94, 94), yellow, 3));
}

TEST_CASE("a raster in Gauss-Kruger metres (EPSG:4527) is placed through its own projection", "[raster]") {
    ScratchDir dir("raster_gk");
    const auto path = dir / "gk.tif";
    // Zone 39 (central meridian 117°E): 40 km square, 400 m pixels, its middle on 117°E.
    write_raster(path, "GTiff", 100, 100, 3, {39'480'000, 400, 0, 4'440'000, 0, -400}, 4527, quadrants(100, 100));
    const RasterBackground raster = RasterBackground::open(path);
    CHECK(raster.description() == "gk.tif: GTiff 100x100, RGB, EPSG:4527");
    const TransverseMercator zone = TransverseMercator::gauss_kruger_3deg(39);
    const auto [west, north] = zone.inverse(39'480'000, 4'440'000);
    const auto [east, south] = zone.inverse(39'520'000, 4'400'000);
    const auto [middle_lon, middle_lat] = zone.inverse(39'500'000, 4'420'000);
    CHECK(middle_lon == Approx(117.0).margin(1e-9));
    // The extent holds the square's corners and bows out a little on the ellipsoid.
    const BoundingBox box = raster.extent();
    for (const auto& [e, n] : {std::pair{39'480'000, 4'440'000}, std::pair{39'520'000, 4'440'000},
                               std::pair{39'480'000, 4'400'000}, std::pair{39'520'000, 4'400'000}}) {
        const auto [lon, lat] = zone.inverse(e, n);
        CHECK(lon >= box.min_x - 1e-9);
        CHECK(lon <= box.max_x + 1e-9);
        CHECK(lat >= box.min_y - 1e-9);
        CHECK(lat <= box.max_y + 1e-9);
    }
    CHECK(box.min_x > west - 0.01);
    CHECK(box.max_x < east + 0.01);
    CHECK(box.min_y > south - 0.01);
    CHECK(box.max_y < north + 0.01);

    // On a plane 0.4° east, where Gauss-Krüger's grid is turned by about 0.25°.
    const Plane plane(117.4, 39.9);
    const Picture picture(plane, raster, {west - 0.05, south - 0.05, east + 0.05, north + 0.05}, 400, 400);
    // Quadrant centres, each placed through the zone's projection.
    const std::array<std::pair<std::array<double, 2>, Colour>, 4> centres{{{{39'490'000, 4'430'000}, red},
                                                                           {{39'510'000, 4'430'000}, green},
                                                                           {{39'490'000, 4'410'000}, blue},
                                                                           {{39'510'000, 4'410'000}, yellow}}};
    for (const auto& [en, colour] : centres) {
        const auto [lon, lat] = zone.inverse(en[0], en[1]);
        INFO(en[0] << " " << en[1] << ": " << show(picture.at(lon, lat)));
        CHECK(near(picture.at(lon, lat), colour));
    }
    CHECK(picture.at(west - 0.03, middle_lat) == clear);
    CHECK(picture.at(middle_lon, south - 0.03) == clear);
    // The edge between red and green, 117°E, found along the row 10 km north of the middle.
    const auto [lon_n, lat_n] = zone.inverse(39'500'000, 4'430'000);
    const auto [edge_col, row] = picture.pixel_of(lon_n, lat_n);
    int found = -1;
    for (int col = static_cast<int>(edge_col) - 20; col < picture.width; ++col) {
        if (picture.pixel(col, static_cast<int>(row))[0] < 128) {
            found = col;
            break;
        }
    }
    INFO("edge expected at column " << edge_col << ", found " << found);
    CHECK(std::abs(found - edge_col) <= 1.0);
}

TEST_CASE("an MBTiles file made by GDAL is drawn like the GeoTIFF it came from, from its zoom levels", "[raster]") {
    ScratchDir dir("raster_mbtiles");
    const auto tif = write_degrees(dir);
    const auto mbtiles = dir / "quadrants.mbtiles";
    {
        const char* args[] = {"-of", "MBTiles", "-co", "TILE_FORMAT=PNG", nullptr};
        GDALTranslateOptions* options = GDALTranslateOptionsNew(const_cast<char**>(args), nullptr);
        GDALDatasetH source = GDALOpen(tif.string().c_str(), GA_ReadOnly);
        GDALDatasetH out = GDALTranslate(mbtiles.string().c_str(), source, options, nullptr);
        GDALTranslateOptionsFree(options);
        GDALClose(source);
        REQUIRE(out != nullptr);
        const int levels[] = {2, 4, 8};
        REQUIRE(GDALBuildOverviews(out, "AVERAGE", 3, levels, 0, nullptr, nullptr, nullptr) == CE_None);
        GDALClose(out);
    }
    const RasterBackground raster = RasterBackground::open(mbtiles);
    INFO(raster.description());
    CHECK(raster.description().rfind("quadrants.mbtiles: MBTiles ", 0) == 0);
    CHECK(raster.description().find("RGB with alpha, EPSG:3857, ") != std::string::npos);
    // GDAL gives the tiles' data the raster's extent to within a pixel of its zoom level.
    const BoundingBox box = raster.extent();
    CHECK(box.min_x == Approx(121.0).margin(0.002));
    CHECK(box.max_x == Approx(121.2).margin(0.002));
    CHECK(box.min_y == Approx(39.0).margin(0.002));
    CHECK(box.max_y == Approx(39.2).margin(0.002));

    const Plane plane(121.37, 39.1);
    const Picture picture(plane, raster, {120.96, 38.97, 121.24, 39.23}, 420, 500);
    // Resampled once into Web Mercator by GDAL when the file was made: the edge may move by
    // a source pixel (under a picture pixel here); the colours inside do not change.
    check_quadrants(picture, 121.0, 39.0, 121.2, 39.2, 3);

    // Zoomed out: a picture of 40 × 50 pixels of the same area reads a zoom level above.
    const Picture small(plane, raster, {120.96, 38.97, 121.24, 39.23}, 42, 50);
    CHECK(near(small.at(121.05, 39.15), red, 3));
    CHECK(near(small.at(121.15, 39.05), yellow, 3));
    CHECK(small.at(120.97, 39.1) == clear);
}

TEST_CASE("paletted and grey rasters show their colours, and nodata is transparent", "[raster]") {
    ScratchDir dir("raster_kinds");
    const Plane plane(121.1, 39.1);
    const BoundingBox around{120.98, 38.98, 121.22, 39.22};

    // Paletted: index 1 red in the west half, 2 blue in the east; 0 (nodata) a strip in the south.
    const auto paletted = dir / "paletted.tif";
    write_raster(
        paletted, "GTiff", 100, 100, 1, {121.0, 0.002, 0, 39.2, 0, -0.002}, 4490,
        [](int, int x, int y) { return y >= 90  ? 0
                                       : x < 50 ? 1
                                                : 2; }, GDT_Byte,
        [](GDALDataset& ds) {
            GDALColorTable table;
            const GDALColorEntry none{0, 0, 0, 255}, r{255, 0, 0, 255}, b{0, 0, 255, 255};
            table.SetColorEntry(0, &none);
            table.SetColorEntry(1, &r);
            table.SetColorEntry(2, &b);
            ds.GetRasterBand(1)->SetColorTable(&table);
            ds.GetRasterBand(1)->SetColorInterpretation(GCI_PaletteIndex);
            ds.GetRasterBand(1)->SetNoDataValue(0);
        });
    const RasterBackground palette = RasterBackground::open(paletted);
    CHECK(palette.description() == "paletted.tif: GTiff 100x100, paletted, EPSG:4490");
    const Picture p(plane, palette, around, 300, 300);
    CHECK(p.at(121.05, 39.1) == red);
    CHECK(p.at(121.15, 39.1) == blue);
    CHECK(p.at(121.05, 39.01) == clear);  // nodata
    CHECK(p.at(120.99, 39.1) == clear);   // outside

    // Grey with nodata 0 in its west half.
    const auto grey = dir / "grey.tif";
    write_raster(
        grey, "GTiff", 100, 100, 1, {121.0, 0.002, 0, 39.2, 0, -0.002}, 4490,
        [](int, int x, int) { return x < 50 ? 0 : 200; }, GDT_Byte,
        [](GDALDataset& ds) { ds.GetRasterBand(1)->SetNoDataValue(0); });
    const RasterBackground g = RasterBackground::open(grey);
    CHECK(g.description() == "grey.tif: GTiff 100x100, grey, EPSG:4490");
    const Picture q(plane, g, around, 300, 300);
    CHECK(q.at(121.05, 39.1) == clear);
    CHECK(q.at(121.15, 39.1) == Colour{200, 200, 200, 255});

    // RGB with nodata 0 0 0: black pixels are empty, dark ones are not.
    const auto rgb = dir / "rgb_nodata.tif";
    write_raster(
        rgb, "GTiff", 100, 100, 3, {121.0, 0.002, 0, 39.2, 0, -0.002}, 4490,
        [](int band, int x, int) { return x < 50      ? 0
                                          : band == 3 ? 40
                                                      : 0; }, GDT_Byte,
        [](GDALDataset& ds) {
            for (int b = 1; b <= 3; ++b) {
                ds.GetRasterBand(b)->SetNoDataValue(0);
            }
        });
    const Picture r(plane, RasterBackground::open(rgb), around, 300, 300);
    CHECK(r.at(121.05, 39.1) == clear);
    CHECK(r.at(121.15, 39.1) == Colour{0, 0, 40, 255});
}

TEST_CASE("rasters that cannot be shown are refused with a message naming the file and what to do", "[raster]") {
    ScratchDir dir("raster_refused");
    auto refusal = [](const std::filesystem::path& path) {
        try {
            (void)RasterBackground::open(path);
        } catch (const DataError& e) {
            return e.message();
        }
        FAIL("opened " << path);
        return Message();
    };

    const Message missing = refusal(dir / "missing.tif");
    CHECK(missing.code() == "raster.not_found");
    CHECK(missing.text(Language::zh).find("missing.tif：找不到底图文件") != std::string::npos);

    // Coordinates without a CRS.
    const auto no_crs = dir / "no_crs.tif";
    write_raster(no_crs, "GTiff", 10, 10, 3, {121.0, 0.01, 0, 39.2, 0, -0.01}, 0, quadrants(10, 10));
    const Message crs = refusal(no_crs);
    CHECK(crs.code() == "raster.no_crs");
    CHECK(crs.text(Language::zh).find(no_crs.string() + "：栅格有坐标但没有坐标参考系") != std::string::npos);
    CHECK(crs.text(Language::zh).find("gdal_translate -a_srs EPSG:4490") != std::string::npos);
    CHECK(crs.text(Language::en).find("has coordinates but no CRS") != std::string::npos);
    CHECK(crs.text(Language::en).find(".aux.xml") != std::string::npos);

    // A picture that says nowhere where it lies.
    const auto plain = dir / "plain.png";
    write_raster(plain, "PNG", 10, 10, 3, {}, 0, quadrants(10, 10));
    const Message georef = refusal(plain);
    CHECK(georef.code() == "raster.no_georeferencing");
    CHECK(georef.text(Language::en).find("plain.png: the raster has no georeferencing") != std::string::npos);
    CHECK(georef.text(Language::en).find(".wld") != std::string::npos);
    CHECK(georef.text(Language::zh).find("gdal_translate -a_ullr") != std::string::npos);

    // The same picture with a world file, and its CRS in .aux.xml, is fine.
    const auto placed = dir / "placed.png";
    write_raster(placed, "PNG", 10, 10, 3, {}, 4490, quadrants(10, 10));
    std::ofstream(dir / "placed.wld") << "0.01\n0\n0\n-0.01\n121.005\n39.195\n";
    CHECK(RasterBackground::open(placed).extent().max_y == Approx(39.2).margin(1e-9));

    // Elevations in metres (floating point).
    const auto dem = dir / "dem.tif";
    write_raster(
        dem, "GTiff", 10, 10, 1, {121.0, 0.01, 0, 39.2, 0, -0.01}, 4490, [](int, int x, int) { return x * 10; },
        GDT_Float32);
    const Message bands = refusal(dem);
    CHECK(bands.code() == "raster.unsupported_bands");
    CHECK(bands.text(Language::en).find("1 band(s) (Float32 Gray)") != std::string::npos);
    CHECK(bands.text(Language::zh).find("gdal_translate -ot Byte -scale") != std::string::npos);

    // Not a raster at all.
    const auto text = dir / "notes.txt";
    std::ofstream(text) << "not a picture\n";
    const Message open = refusal(text);
    CHECK(open.code() == "raster.cannot_open");
    CHECK(open.text(Language::zh).find(text.string() + "：无法作为栅格底图打开") != std::string::npos);
}

TEST_CASE("renders repeat exactly, and renders from two threads take turns", "[raster]") {
    ScratchDir dir("raster_threads");
    const RasterBackground raster = RasterBackground::open(write_degrees(dir));
    const Plane plane(121.1, 39.1);
    const auto centre = plane.at(121.1, 39.1);  // a pair: lambdas may not capture bindings (C++20, clang)
    const double x = centre.first, y = centre.second;
    auto draw = [&](double shift) {
        return raster.render(plane.definition, x - 9000 + shift, y - 9000, x + 9000 + shift, y + 9000, 200, 200).rgba;
    };
    const auto a = draw(0), b = draw(500);
    CHECK(draw(0) == a);  // the picture kept from a call before
    CHECK(a != b);
    bool same = true;
    std::thread other([&]() {
        for (int i = 0; i < 20; ++i) {
            same = same && draw(i % 2 == 0 ? 0 : 500) == (i % 2 == 0 ? a : b);
        }
    });
    bool mine = true;
    for (int i = 0; i < 20; ++i) {
        mine = mine && draw(i % 2 == 0 ? 500 : 0) == (i % 2 == 0 ? b : a);
    }
    other.join();
    CHECK(same);
    CHECK(mine);
}
