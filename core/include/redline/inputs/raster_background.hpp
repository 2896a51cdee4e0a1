// A local raster shown under the zones: a scanned map, an orthophoto, tiles saved as
// MBTiles; any raster GDAL reads that says where it lies (GeoTIFF, MBTiles, PNG or JPEG
// with a world file and a CRS, ...). Nothing is fetched over a network. GDAL reads and
// places it; no GDAL type shows here.
#pragma once

#include "redline/geometry.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace redline {

// A picture of a rectangle: width × height pixels, rows from the top (north) down, four
// bytes a pixel in the order R, G, B, A, premultiplied: R, G and B are already multiplied by
// alpha (a half-covered red pixel is 128, 0, 0, 128), as painters compose them. Alpha is 0
// (and so every byte) where the raster has no data or does not reach, 255 inside it, in
// between along its edges.
struct RasterImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4 bytes
};

class RasterBackground {
public:
    // Opens the raster and checks that it can be shown: DataError naming the file when it
    // is missing or unreadable, has no georeferencing or no CRS (the message says how to
    // give them), or is not an 8-bit RGB, RGBA, grey or paletted image.
    static RasterBackground open(const std::filesystem::path& path);

    RasterBackground(RasterBackground&&) noexcept;
    RasterBackground& operator=(RasterBackground&&) noexcept;
    ~RasterBackground();

    const std::filesystem::path& path() const;
    // Where it lies, CGCS2000 longitude/latitude (EPSG:4490).
    BoundingBox extent() const;
    // The file, its format, size, bands, CRS and overviews, in one line: e.g.
    // "quadrants.tif: GTiff 400x400, RGB, EPSG:4490, 2 overviews".
    std::string description() const;

    // The raster over the rectangle [min_x, max_x] × [min_y, max_y] of the target CRS (a
    // PROJ string or anything else GDAL takes for a CRS, e.g. the viewer's transverse
    // Mercator plane), warped into width × height pixels: each pixel's centre placed in the
    // raster by GDAL's transformer (exactly every 16 pixels, interpolated between), its
    // colour interpolated bilinearly (nearest for paletted images) from the level whose
    // pixels are nearest the picture's in size: an overview when zoomed out (GeoTIFF
    // overviews, MBTiles zoom levels), the raster itself when zoomed in. DataError when GDAL
    // cannot read the raster or place the rectangle.
    //
    // The dataset stays open between calls and GDAL keeps the blocks it read, so redrawing
    // the same area costs only the warp; asking for the very rectangle of the last call
    // again (a redraw for labels or a highlight) returns the picture kept from it. Renders
    // take turns: any thread may call this, one render runs at a time.
    RasterImage render(const std::string& target_proj_definition, double min_x, double min_y, double max_x,
                       double max_y, int width, int height) const;

private:
    struct Impl;
    explicit RasterBackground(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace redline
