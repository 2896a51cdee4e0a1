// Times a raster background's drawing as the viewer asks for it: 1400x900 pictures of a
// transverse Mercator plane, from the whole raster down to beyond its pixels, each view
// drawn once as met and then again a pixel aside (GDAL keeps the blocks it read).
//   redline_bench_background DIR             makes DIR/big.tif (10000x10000 RGB, 1 m pixels,
//                                            EPSG:4527, tiled JPEG with overviews) and
//                                            DIR/big.mbtiles from it (JPEG tiles, zoom levels
//                                            as overviews) when missing, and times both
//   redline_bench_background --raster FILE   times FILE over its own extent
#include "redline/inputs/raster_background.hpp"
#include "redline/projection.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int width = 1400, height = 900;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A pattern an orthophoto's compression has to work at: fields of colour 80 m across,
// shaded, with lines every 250 m.
std::uint8_t pattern(int band, int x, int y) {
    const unsigned cell = static_cast<unsigned>(x / 80) * 7919u + static_cast<unsigned>(y / 80) * 104729u;
    const unsigned base = (cell * (band + 3) * 2654435761u) >> 24;
    const int shade = ((x * 3 + y * 5) % 64) - 32;
    if (x % 250 < 3 || y % 250 < 3) {
        return static_cast<std::uint8_t>(band == 0 ? 230 : 40);
    }
    return static_cast<std::uint8_t>(std::clamp(static_cast<int>(base % 200) + 28 + shade, 0, 255));
}

void make_big_tif(const std::filesystem::path& path) {
    const int size = 10000;
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    const char* options[] = {"TILED=YES", "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", "JPEG_QUALITY=85", nullptr};
    const std::string partial = path.string() + ".partial";
    GDALDataset* ds = gtiff->Create(partial.c_str(), size, size, 3, GDT_Byte, const_cast<char**>(options));
    if (ds == nullptr) {
        throw std::runtime_error("cannot create " + partial);
    }
    double geotransform[6] = {39'495'000, 1, 0, 4'405'000, 0, -1};
    ds->SetGeoTransform(geotransform);
    OGRSpatialReference srs;
    srs.importFromEPSG(4527);
    ds->SetSpatialRef(&srs);
    std::vector<std::uint8_t> rows(static_cast<std::size_t>(size) * 256 * 3);
    for (int y0 = 0; y0 < size; y0 += 256) {
        const int lines = std::min(256, size - y0);
        for (int b = 0; b < 3; ++b) {
            for (int y = 0; y < lines; ++y) {
                for (int x = 0; x < size; ++x) {
                    rows[(static_cast<std::size_t>(b) * lines + static_cast<std::size_t>(y)) * size +
                         static_cast<std::size_t>(x)] = pattern(b, x, y0 + y);
                }
            }
        }
        if (ds->RasterIO(GF_Write, 0, y0, size, lines, rows.data(), size, lines, GDT_Byte, 3, nullptr, 0, 0, 0,
                         nullptr) != CE_None) {
            throw std::runtime_error("cannot write " + partial);
        }
    }
    const int levels[] = {2, 4, 8, 16, 32, 64};
    if (ds->BuildOverviews("AVERAGE", 6, levels, 0, nullptr, nullptr, nullptr) != CE_None) {
        throw std::runtime_error("cannot build overviews of " + partial);
    }
    GDALClose(GDALDataset::ToHandle(ds));
    std::filesystem::rename(partial, path);
}

void make_mbtiles(const std::filesystem::path& from, const std::filesystem::path& path) {
    const std::string partial = path.string() + ".partial";
    const char* args[] = {"-of", "MBTiles", "-co", "TILE_FORMAT=JPEG", "-co", "QUALITY=85", nullptr};
    GDALTranslateOptions* options = GDALTranslateOptionsNew(const_cast<char**>(args), nullptr);
    GDALDatasetH source = GDALOpen(from.string().c_str(), GA_ReadOnly);
    int usage = 0;
    GDALDatasetH out = GDALTranslate(partial.c_str(), source, options, &usage);
    GDALTranslateOptionsFree(options);
    GDALClose(source);
    if (out == nullptr) {
        throw std::runtime_error("cannot write " + partial);
    }
    const int levels[] = {2, 4, 8, 16, 32, 64};
    if (GDALBuildOverviews(out, "AVERAGE", 6, levels, 0, nullptr, nullptr, nullptr) != CE_None) {
        throw std::runtime_error("cannot build the zoom levels of " + partial);
    }
    GDALClose(out);
    std::filesystem::rename(partial, path);
}

void time_raster(const std::filesystem::path& file) {
    const auto open_start = Clock::now();
    const redline::RasterBackground raster = redline::RasterBackground::open(file);
    std::printf("%s\n  opened in %.1f ms\n", raster.description().c_str(), ms_since(open_start));
    const redline::BoundingBox box = raster.extent();
    // The viewer's plane: a transverse Mercator on a meridian near the raster, not its own.
    const double meridian = std::round((box.min_x + box.max_x) / 2 * 100) / 100 + 0.03;
    const redline::TransverseMercator tm(meridian);
    const double origin_y = std::round(tm.forward(meridian, (box.min_y + box.max_y) / 2).second);
    char definition[256];
    std::snprintf(definition, sizeof definition,
                  "+proj=tmerc +lat_0=0 +lon_0=%.17g +k=1 +x_0=0 +y_0=%.17g +ellps=GRS80 +units=m +no_defs +type=crs",
                  meridian, -origin_y);
    double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
    for (int i = 0; i <= 16; ++i) {
        const double t = i / 16.0;
        for (const auto& [lon, lat] : {std::pair{box.min_x + t * (box.max_x - box.min_x), box.min_y},
                                       std::pair{box.min_x + t * (box.max_x - box.min_x), box.max_y},
                                       std::pair{box.min_x, box.min_y + t * (box.max_y - box.min_y)},
                                       std::pair{box.max_x, box.min_y + t * (box.max_y - box.min_y)}}) {
            const auto [x, y] = tm.forward(lon, lat);
            min_x = std::min(min_x, x);
            max_x = std::max(max_x, x);
            min_y = std::min(min_y, y - origin_y);
            max_y = std::max(max_y, y - origin_y);
        }
    }
    const double cx = (min_x + max_x) / 2, cy = (min_y + max_y) / 2;
    const double fit = std::max((max_x - min_x) / width, (max_y - min_y) / height) / 0.9;
    struct View {
        const char* name;
        double mpp, dx, dy;  // metres a pixel; the centre's offset from the raster's, in its sizes
    };
    const std::vector<View> views = {
        {"whole raster", fit, 0, 0},
        {"zoomed out 4x", fit * 4, 0, 0},
        {"zoomed out 16x", fit * 16, 0.3, 0},
        {"2 m/px, centre", 2, 0, 0},
        {"2 m/px, NE", 2, 0.3, 0.3},
        {"1 m/px, SW", 1, -0.3, -0.3},
        {"1 m/px, edge", 1, 0.5, 0},
        {"0.25 m/px (4x the pixels)", 0.25, 0.1, 0.2},
        {"outside", 2, 3, 0},
    };
    std::vector<double> first, again;
    for (const View& v : views) {
        const double x = cx + v.dx * (max_x - min_x), y = cy + v.dy * (max_y - min_y);
        auto draw = [&](double shift) {
            const double x0 = x - width / 2.0 * v.mpp + shift * v.mpp, y0 = y - height / 2.0 * v.mpp;
            const auto start = Clock::now();
            const redline::RasterImage image =
                raster.render(definition, x0, y0, x0 + width * v.mpp, y0 + height * v.mpp, width, height);
            const double ms = ms_since(start);
            std::size_t covered = 0;
            for (std::size_t i = 3; i < image.rgba.size(); i += 4) {
                covered += image.rgba[i] > 0 ? 1 : 0;
            }
            return std::pair{ms, 100.0 * static_cast<double>(covered) / (width * height)};
        };
        const auto [cold, cover] = draw(0);
        const auto [warm, cover2] = draw(1);
        first.push_back(cold);
        again.push_back(warm);
        std::printf("  %-28s %8.2f m/px  covered %5.1f%%  first %7.1f ms  a pixel aside %7.1f ms\n", v.name, v.mpp,
                    cover, cold, warm);
    }
    std::sort(again.begin(), again.end());
    std::printf("  redraws a pixel aside: median %.1f ms, max %.1f ms; first draws: max %.1f ms\n",
                again[again.size() / 2], again.back(), *std::max_element(first.begin(), first.end()));
}

}  // namespace

int main(int argc, char** argv) {
    GDALAllRegister();
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "--raster") {
            time_raster(args[1]);
            return 0;
        }
        if (args.size() != 1) {
            std::cerr << "usage: redline_bench_background DIR | --raster FILE\n";
            return 2;
        }
        const std::filesystem::path dir = args[0];
        std::filesystem::create_directories(dir);
        const auto tif = dir / "big.tif", mbtiles = dir / "big.mbtiles";
        if (!std::filesystem::exists(tif)) {
            const auto start = Clock::now();
            make_big_tif(tif);
            std::printf("made %s in %.1f s\n", tif.string().c_str(), ms_since(start) / 1000);
        }
        if (!std::filesystem::exists(mbtiles)) {
            const auto start = Clock::now();
            make_mbtiles(tif, mbtiles);
            std::printf("made %s in %.1f s\n", mbtiles.string().c_str(), ms_since(start) / 1000);
        }
        std::printf("GDAL_CACHEMAX %d MB, %u cores\n", static_cast<int>(GDALGetCacheMax64() >> 20),
                    std::max(1u, std::thread::hardware_concurrency()));
        time_raster(tif);
        time_raster(mbtiles);
    } catch (const std::exception& e) {
        std::cerr << "redline_bench_background: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
