// Raster backgrounds. GDAL opens the raster, says where each picture pixel falls in it (its
// transformer: the geotransform or control points and the CRS, through PROJ) and reads the
// pixels from the overview that suits the zoom, with their mask (alpha band, nodata or an
// internal mask), keeping the blocks it decoded. The resampling onto the picture's pixels
// is done here: GDALWarp into a MEM dataset took 39-50 ms for a 1400x900 picture of the
// bench's GeoTIFF (bilinear, two threads; 280 ms zoomed out between two overviews, where
// its bilinear widens into a filter), this 10-16 ms for the same views (bench/README.md).
#include "redline/inputs/raster_background.hpp"

#include "base/gdal_support.hpp"
#include "redline/errors.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_alg.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace redline {
namespace {

// How the bands make colours.
enum class Colours { grey, rgb, palette };

// Where a pixel's coverage comes from: nowhere (all valid), the mask band GDAL gives for
// the first band (an alpha band, an internal mask, the one band's nodata value), or the
// nodata values of the colour bands (a pixel is empty when all of them say so).
enum class Coverage { all, mask, nodata_each };

struct TransformerDeleter {
    void operator()(void* transformer) const { GDALDestroyGenImgProjTransformer(transformer); }
};
using TransformerPtr = std::unique_ptr<void, TransformerDeleter>;

using Rect = std::array<double, 4>;  // min_x, min_y, max_x, max_y

// Picture pixels between the points transformed exactly; positions in between are
// interpolated (far below a pixel's error for the projections a background meets).
constexpr int grid_step = 16;

std::string gdal_detail() {
    const char* message = CPLGetLastErrorMsg();
    return message != nullptr && *message != '\0' ? std::string(message) : std::string("no detail from GDAL");
}

// A transformer from coordinates of a CRS (dst) to the raster's pixel/line (src), or null.
TransformerPtr transformer_to(GDALDataset& dataset, const std::string& crs) {
    CPLStringList options;
    options.SetNameValue("DST_SRS", crs.c_str());
    return TransformerPtr(GDALCreateGenImgProjTransformer2(GDALDataset::ToHandle(&dataset), nullptr, options.List()));
}

// The smallest rectangle of the transformer's CRS holding the raster: its edges, 64 points
// each, transformed. Nothing when a point fails (PROJ cannot place the whole raster there,
// e.g. a world in Web Mercator on a transverse Mercator plane).
std::optional<Rect> bounds_in(GDALDataset& dataset, void* transformer) {
    if (transformer == nullptr) {
        return std::nullopt;
    }
    constexpr int steps = 64;
    const double width = dataset.GetRasterXSize(), height = dataset.GetRasterYSize();
    std::vector<double> x, y;
    for (int i = 0; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps;
        for (const auto& [px, py] : {std::pair{t * width, 0.0}, std::pair{t * width, height},
                                     std::pair{0.0, t * height}, std::pair{width, t * height}}) {
            x.push_back(px);
            y.push_back(py);
        }
    }
    std::vector<double> z(x.size(), 0);
    std::vector<int> ok(x.size(), 0);
    GDALGenImgProjTransform(transformer, FALSE, static_cast<int>(x.size()), x.data(), y.data(), z.data(), ok.data());
    constexpr double inf = std::numeric_limits<double>::infinity();
    Rect extent{inf, inf, -inf, -inf};
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (ok[i] == 0 || !std::isfinite(x[i]) || !std::isfinite(y[i])) {
            return std::nullopt;
        }
        extent = {std::min(extent[0], x[i]), std::min(extent[1], y[i]), std::max(extent[2], x[i]),
                  std::max(extent[3], y[i])};
    }
    return extent;
}

std::string band_list(GDALDataset& dataset) {
    std::string out;
    for (int b = 1; b <= dataset.GetRasterCount(); ++b) {
        GDALRasterBand* band = dataset.GetRasterBand(b);
        out += (b > 1 ? ", " : "") + std::string(GDALGetDataTypeName(band->GetRasterDataType())) + " " +
               GDALGetColorInterpretationName(band->GetColorInterpretation());
    }
    return out.empty() ? std::string("-") : out;
}

// The raster at one resolution: full, or an overview.
struct Level {
    std::array<GDALRasterBand*, 3> colour{};  // red, green, blue (grey and palette: the one band)
    int width = 0, height = 0;
    double factor_x = 1, factor_y = 1;  // full-resolution pixels per pixel of this level
};

// A window of a level read into memory: premultiplied RGBA, rows from the top.
struct Window {
    int x0 = 0, y0 = 0, width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
};

// Where each picture pixel of the grid's nodes falls, in full-resolution pixel/line.
struct Grid {
    int columns = 0, rows = 0;  // nodes
    std::vector<double> u, v;
    std::vector<int> ok;
    std::size_t at(int i, int j) const {
        return static_cast<std::size_t>(j) * static_cast<std::size_t>(columns) + static_cast<std::size_t>(i);
    }
};

std::uint8_t premultiply(std::uint8_t c, std::uint8_t a) {
    return static_cast<std::uint8_t>((c * a + 127) / 255);
}

// Fills picture rows [row_begin, row_end) of the part [col0, col1) × [row0, row1) from the
// window, bilinear (premultiplied, so empty neighbours fade the edge out) or nearest.
void resample(const Grid& grid, const Window& window, const Level& level, bool nearest, int col0, int col1, int row0,
              int row_begin, int row_end, RasterImage& out) {
    const std::uint8_t* src = window.rgba.data();
    const auto stride = static_cast<std::size_t>(window.width) * 4;
    for (int row = row_begin; row < row_end; ++row) {
        const int j = (row - row0) / grid_step;
        const double ty = static_cast<double>(row - row0 - j * grid_step) / grid_step;
        std::uint8_t* dst =
            out.rgba.data() +
            (static_cast<std::size_t>(row) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(col0)) * 4;
        for (int i = 0; col0 + i * grid_step < col1; ++i) {
            const int start = col0 + i * grid_step;
            const int end = std::min(col1, start + grid_step);
            const std::size_t a = grid.at(i, j), b = grid.at(i + 1, j), c = grid.at(i, j + 1),
                              d = grid.at(i + 1, j + 1);
            if (!grid.ok[a] || !grid.ok[b] || !grid.ok[c] || !grid.ok[d]) {
                dst += static_cast<std::size_t>(end - start) * 4;
                continue;
            }
            // The cell's left and right edges at this row, in the window's pixels (centres at
            // whole numbers).
            auto window_u = [&](double u) { return u / level.factor_x - window.x0 - 0.5; };
            auto window_v = [&](double v) { return v / level.factor_y - window.y0 - 0.5; };
            const double lu = window_u(grid.u[a] + (grid.u[c] - grid.u[a]) * ty);
            const double lv = window_v(grid.v[a] + (grid.v[c] - grid.v[a]) * ty);
            const double ru = window_u(grid.u[b] + (grid.u[d] - grid.u[b]) * ty);
            const double rv = window_v(grid.v[b] + (grid.v[d] - grid.v[b]) * ty);
            // Fixed point from here, 16 bits of fraction: whole pixels by shifting, weights
            // from the fraction's top 8 bits.
            constexpr std::int64_t half = 1 << 15;
            auto fixed = [](double value) { return static_cast<std::int64_t>(std::llround(value * 65536.0)); };
            std::int64_t u = fixed(lu), v = fixed(lv);
            const std::int64_t du = fixed((ru - lu) / grid_step), dv = fixed((rv - lv) / grid_step);
            if (nearest) {
                for (int col = start; col < end; ++col, dst += 4, u += du, v += dv) {
                    const auto x = static_cast<int>((u + half) >> 16), y = static_cast<int>((v + half) >> 16);
                    if (x >= 0 && y >= 0 && x < window.width && y < window.height) {
                        const std::uint8_t* p =
                            src + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x) * 4;
                        std::copy(p, p + 4, dst);
                    }
                }
                continue;
            }
            for (int col = start; col < end; ++col, dst += 4, u += du, v += dv) {
                const auto x = static_cast<int>(u >> 16), y = static_cast<int>(v >> 16);
                if (x < -1 || y < -1 || x >= window.width || y >= window.height) {
                    continue;  // beyond the raster: empty
                }
                const auto wx = static_cast<unsigned>((u >> 8) & 255), wy = static_cast<unsigned>((v >> 8) & 255);
                const unsigned w00 = (256 - wx) * (256 - wy), w10 = wx * (256 - wy), w01 = (256 - wx) * wy,
                               w11 = wx * wy;
                if (x >= 0 && y >= 0 && x + 1 < window.width && y + 1 < window.height) {
                    const std::uint8_t* p =
                        src + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x) * 4;
                    const std::uint8_t* q = p + stride;
                    for (int ch = 0; ch < 4; ++ch) {
                        dst[ch] = static_cast<std::uint8_t>(
                            (p[ch] * w00 + p[ch + 4] * w10 + q[ch] * w01 + q[ch + 4] * w11 + 32768) >> 16);
                    }
                    continue;
                }
                // On the raster's edge: the taps beyond it are empty.
                const unsigned weights[4] = {w00, w10, w01, w11};
                unsigned sum[4] = {0, 0, 0, 0};
                for (int k = 0; k < 4; ++k) {
                    const int sx = x + (k & 1), sy = y + (k >> 1);
                    if (sx < 0 || sy < 0 || sx >= window.width || sy >= window.height) {
                        continue;
                    }
                    const std::uint8_t* p =
                        src + static_cast<std::size_t>(sy) * stride + static_cast<std::size_t>(sx) * 4;
                    for (int ch = 0; ch < 4; ++ch) {
                        sum[ch] += p[ch] * weights[k];
                    }
                }
                for (int ch = 0; ch < 4; ++ch) {
                    dst[ch] = static_cast<std::uint8_t>((sum[ch] + 32768) >> 16);
                }
            }
        }
    }
}

}  // namespace

struct RasterBackground::Impl {
    std::filesystem::path path;
    gdal::DatasetPtr dataset;
    Colours colours = Colours::rgb;
    Coverage coverage = Coverage::all;
    std::array<int, 3> rgb{1, 2, 3};                   // the bands of red, green and blue (grey: band 1 thrice)
    bool alpha = false;                                // the last band is an alpha band
    std::vector<std::array<std::uint8_t, 4>> palette;  // RGBA by index, 256 entries
    std::vector<Level> levels;                         // full resolution, then the overviews, finest first
    BoundingBox extent;
    std::string description;

    std::mutex mutex;  // one render at a time: they share the dataset and what is kept below
    // The transformer from the CRS of the last render to the raster, and the raster's
    // rectangle in that CRS grown by a margin (nothing when GDAL cannot say).
    std::string target_crs;
    TransformerPtr transformer;
    std::optional<Rect> bounds;
    // The last render's request and picture.
    std::string last_crs;
    Rect last_rect{};
    RasterImage last;

    void classify();
    void find_levels();
    void use_target(const std::string& crs);
    Window read(const Level& level, int x0, int y0, int width, int height) const;
    void draw(RasterImage& out, const Rect& rect, int col0, int col1, int row0, int row1);
    DataError cannot_render() const {
        return DataError(Message("raster.cannot_render", {{"file", path.string()}, {"detail", gdal_detail()}}));
    }
};

void RasterBackground::Impl::classify() {
    GDALDataset& ds = *dataset;
    const int bands = ds.GetRasterCount();
    const std::string file = path.string();
    auto unsupported = [&]() {
        return DataError(
            Message("raster.unsupported_bands", {{"file", file}, {"bands", bands}, {"types", band_list(ds)}}));
    };
    if (bands == 0) {
        throw unsupported();
    }
    for (int b = 1; b <= bands; ++b) {
        if (ds.GetRasterBand(b)->GetRasterDataType() != GDT_Byte) {
            throw unsupported();
        }
    }
    auto interpretation = [&](int b) { return ds.GetRasterBand(b)->GetColorInterpretation(); };
    alpha = bands >= 2 && interpretation(bands) == GCI_AlphaBand;
    const int colour_bands = bands - (alpha ? 1 : 0);
    if (colour_bands == 1) {
        GDALRasterBand* band = ds.GetRasterBand(1);
        const GDALColorTable* table = band->GetColorTable();
        rgb = {1, 1, 1};
        if (interpretation(1) == GCI_PaletteIndex && table != nullptr) {
            colours = Colours::palette;
            palette.assign(256, {0, 0, 0, 0});  // indices the table lacks: transparent
            const int entries = std::min(table->GetColorEntryCount(), 256);
            for (int i = 0; i < entries; ++i) {
                GDALColorEntry c{};
                table->GetColorEntryAsRGB(i, &c);
                palette[static_cast<std::size_t>(i)] = {
                    static_cast<std::uint8_t>(c.c1), static_cast<std::uint8_t>(c.c2), static_cast<std::uint8_t>(c.c3),
                    static_cast<std::uint8_t>(c.c4)};
            }
        } else {
            colours = Colours::grey;
        }
    } else if (colour_bands >= 3) {
        colours = Colours::rgb;
        std::array<int, 3> found{0, 0, 0};
        for (int b = 1; b <= colour_bands; ++b) {
            const GDALColorInterp c = interpretation(b);
            const int slot = c == GCI_RedBand ? 0 : c == GCI_GreenBand ? 1 : c == GCI_BlueBand ? 2 : -1;
            if (slot >= 0 && found[static_cast<std::size_t>(slot)] == 0) {
                found[static_cast<std::size_t>(slot)] = b;
            }
        }
        if (std::all_of(found.begin(), found.end(), [](int b) { return b > 0; })) {
            rgb = found;
        } else {
            // Bands that say nothing of their colours (a TIFF without photometric tags): the
            // first three are red, green and blue. Bands that say something else (CMYK, a
            // multispectral image) cannot be shown as they are.
            for (int b = 1; b <= 3; ++b) {
                if (interpretation(b) != GCI_Undefined && interpretation(b) != GCI_GrayIndex) {
                    throw unsupported();
                }
            }
            rgb = {1, 2, 3};
        }
    } else {
        throw unsupported();
    }

    const int flags = ds.GetRasterBand(rgb[0])->GetMaskFlags();
    if ((flags & GMF_ALL_VALID) != 0) {
        coverage = Coverage::all;
    } else if (colours == Colours::rgb && (flags & GMF_NODATA) != 0) {
        coverage = Coverage::nodata_each;
    } else {
        coverage = Coverage::mask;
    }
}

void RasterBackground::Impl::find_levels() {
    GDALDataset& ds = *dataset;
    Level full;
    for (std::size_t k = 0; k < 3; ++k) {
        full.colour[k] = ds.GetRasterBand(rgb[k]);
    }
    full.width = ds.GetRasterXSize();
    full.height = ds.GetRasterYSize();
    levels.push_back(full);
    // Overviews that every band used has at the same size (a raster may lack some).
    const int count = full.colour[0]->GetOverviewCount();
    for (int o = 0; o < count; ++o) {
        Level level;
        bool usable = true;
        for (std::size_t k = 0; k < 3; ++k) {
            level.colour[k] = full.colour[k]->GetOverview(o);
            usable = usable && level.colour[k] != nullptr && level.colour[k]->GetXSize() > 0 &&
                     level.colour[k]->GetXSize() == level.colour[0]->GetXSize() &&
                     level.colour[k]->GetYSize() == level.colour[0]->GetYSize();
        }
        if (!usable) {
            continue;
        }
        level.width = level.colour[0]->GetXSize();
        level.height = level.colour[0]->GetYSize();
        level.factor_x = static_cast<double>(full.width) / level.width;
        level.factor_y = static_cast<double>(full.height) / level.height;
        levels.push_back(level);
    }
    std::sort(levels.begin() + 1, levels.end(), [](const Level& a, const Level& b) { return a.width > b.width; });
}

void RasterBackground::Impl::use_target(const std::string& crs) {
    if (transformer && target_crs == crs) {
        return;
    }
    CPLErrorReset();
    transformer = transformer_to(*dataset, crs);
    if (!transformer) {
        throw cannot_render();
    }
    bounds = bounds_in(*dataset, transformer.get());
    if (bounds) {
        // The edges were sampled: a curved edge may bulge a little between the samples (and
        // the picture's pixels reach half a pixel beyond their centres).
        Rect& b = *bounds;
        const double margin = 0.01 * std::max(b[2] - b[0], b[3] - b[1]);
        b = {b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin};
    }
    target_crs = crs;
}

Window RasterBackground::Impl::read(const Level& level, int x0, int y0, int width, int height) const {
    Window w{x0, y0, width, height, {}};
    const auto pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    w.rgba.assign(pixels * 4, 255);
    std::uint8_t* base = w.rgba.data();
    const GSpacing line = static_cast<GSpacing>(width) * 4;
    auto read_band = [&](GDALRasterBand* band, std::uint8_t* into) {
        if (band->RasterIO(GF_Read, x0, y0, width, height, into, width, height, GDT_Byte, 4, line, nullptr) !=
            CE_None) {
            throw cannot_render();
        }
    };
    const int bands_read = colours == Colours::rgb ? 3 : 1;
    for (int k = 0; k < bands_read; ++k) {
        read_band(level.colour[static_cast<std::size_t>(k)], base + k);
    }
    if (coverage == Coverage::mask) {
        read_band(level.colour[0]->GetMaskBand(), base + 3);
    } else if (coverage == Coverage::nodata_each) {
        // Empty where every colour band holds its nodata value.
        std::vector<std::uint8_t> masks(pixels * 4, 0);
        for (std::size_t k = 0; k < 3; ++k) {
            read_band(level.colour[k]->GetMaskBand(), masks.data() + k);
        }
        for (std::size_t i = 0; i < pixels; ++i) {
            base[i * 4 + 3] = std::max({masks[i * 4], masks[i * 4 + 1], masks[i * 4 + 2]});
        }
    }
    for (std::size_t i = 0; i < pixels; ++i) {
        std::uint8_t* p = base + i * 4;
        if (colours == Colours::palette) {
            const auto& c = palette[p[0]];
            p[3] = static_cast<std::uint8_t>((c[3] * p[3] + 127) / 255);
            p[0] = c[0];
            p[1] = c[1];
            p[2] = c[2];
        } else if (colours == Colours::grey) {
            p[1] = p[2] = p[0];
        }
        if (p[3] != 255) {
            p[0] = premultiply(p[0], p[3]);
            p[1] = premultiply(p[1], p[3]);
            p[2] = premultiply(p[2], p[3]);
        }
    }
    return w;
}

// Draws the part [col0, col1) × [row0, row1) of the picture of `rect`.
void RasterBackground::Impl::draw(RasterImage& out, const Rect& rect, int col0, int col1, int row0, int row1) {
    const double px = (rect[2] - rect[0]) / out.width, py = (rect[3] - rect[1]) / out.height;
    // Where the grid's nodes fall in the raster: picture pixel centres, every grid_step
    // pixels and at the part's far edges.
    Grid grid;
    grid.columns = (col1 - col0 + grid_step - 1) / grid_step + 1;
    grid.rows = (row1 - row0 + grid_step - 1) / grid_step + 1;
    const auto nodes = static_cast<std::size_t>(grid.columns) * static_cast<std::size_t>(grid.rows);
    grid.u.resize(nodes);
    grid.v.resize(nodes);
    grid.ok.resize(nodes);
    std::vector<double> z(nodes, 0);
    for (int j = 0; j < grid.rows; ++j) {
        for (int i = 0; i < grid.columns; ++i) {
            const std::size_t n = grid.at(i, j);
            grid.u[n] = rect[0] + (col0 + i * grid_step + 0.5) * px;
            grid.v[n] = rect[3] - (row0 + j * grid_step + 0.5) * py;
        }
    }
    GDALGenImgProjTransform(transformer.get(), TRUE, static_cast<int>(nodes), grid.u.data(), grid.v.data(), z.data(),
                            grid.ok.data());
    for (std::size_t n = 0; n < nodes; ++n) {
        grid.ok[n] = grid.ok[n] != 0 && std::isfinite(grid.u[n]) && std::isfinite(grid.v[n]) ? 1 : 0;
    }

    // Raster pixels per picture pixel (the median over the grid's cells), and the level whose
    // pixels are nearest that size: zoomed out, an overview; zoomed in, the full raster.
    std::vector<double> scales;
    constexpr double inf = std::numeric_limits<double>::infinity();
    double min_u = inf, min_v = inf, max_u = -inf, max_v = -inf;
    for (int j = 0; j < grid.rows; ++j) {
        for (int i = 0; i < grid.columns; ++i) {
            const std::size_t n = grid.at(i, j);
            if (!grid.ok[n]) {
                continue;
            }
            min_u = std::min(min_u, grid.u[n]);
            max_u = std::max(max_u, grid.u[n]);
            min_v = std::min(min_v, grid.v[n]);
            max_v = std::max(max_v, grid.v[n]);
            if (i + 1 < grid.columns && j + 1 < grid.rows && grid.ok[grid.at(i + 1, j)] && grid.ok[grid.at(i, j + 1)]) {
                const std::size_t r = grid.at(i + 1, j), b = grid.at(i, j + 1);
                const double across = std::hypot(grid.u[r] - grid.u[n], grid.v[r] - grid.v[n]);
                const double down = std::hypot(grid.u[b] - grid.u[n], grid.v[b] - grid.v[n]);
                scales.push_back(std::min(across, down) / grid_step);
            }
        }
    }
    if (scales.empty()) {
        return;  // nothing of the picture falls on the raster where PROJ can say
    }
    std::nth_element(scales.begin(), scales.begin() + static_cast<std::ptrdiff_t>(scales.size() / 2), scales.end());
    const double scale = scales[scales.size() / 2];
    std::size_t chosen = 0;
    for (std::size_t l = 1; l < levels.size(); ++l) {
        if (std::abs(std::log(levels[l].factor_x / scale)) < std::abs(std::log(levels[chosen].factor_x / scale))) {
            chosen = l;
        }
    }
    // The window of that level under the picture, a pixel around for the interpolation.
    // Never more than a few times the picture's pixels (a view where the raster's scale
    // varies wildly): a coarser level then.
    auto window_of = [&](const Level& level) {
        const int x0 = std::max(0, static_cast<int>(std::floor(min_u / level.factor_x)) - 2);
        const int y0 = std::max(0, static_cast<int>(std::floor(min_v / level.factor_y)) - 2);
        const int x1 = std::min(level.width, static_cast<int>(std::ceil(max_u / level.factor_x)) + 2);
        const int y1 = std::min(level.height, static_cast<int>(std::ceil(max_v / level.factor_y)) + 2);
        return std::array<int, 4>{x0, y0, x1, y1};
    };
    const double budget = 4.0 * (col1 - col0) * (row1 - row0) + 1e6;
    std::array<int, 4> win = window_of(levels[chosen]);
    while (chosen + 1 < levels.size() && static_cast<double>(win[2] - win[0]) * (win[3] - win[1]) > budget) {
        win = window_of(levels[++chosen]);
    }
    if (win[2] <= win[0] || win[3] <= win[1]) {
        return;  // the picture misses the raster
    }
    const Level& level = levels[chosen];
    const Window window = read(level, win[0], win[1], win[2] - win[0], win[3] - win[1]);

    // The picture's rows shared among the cores.
    const bool nearest = colours == Colours::palette;
    const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
    const int rows = row1 - row0;
    if (threads == 1 || rows < 64) {
        resample(grid, window, level, nearest, col0, col1, row0, row0, row1, out);
        return;
    }
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) {
        workers.emplace_back([&, t]() {
            resample(grid, window, level, nearest, col0, col1, row0, row0 + rows * t / threads,
                     row0 + rows * (t + 1) / threads, out);
        });
    }
    resample(grid, window, level, nearest, col0, col1, row0, row0, row0 + rows / threads, out);
    for (auto& worker : workers) {
        worker.join();
    }
}

RasterBackground::RasterBackground(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RasterBackground::RasterBackground(RasterBackground&&) noexcept = default;
RasterBackground& RasterBackground::operator=(RasterBackground&&) noexcept = default;
RasterBackground::~RasterBackground() = default;

RasterBackground RasterBackground::open(const std::filesystem::path& path) {
    gdal::ensure_initialised();
    const std::string file = path.string();
    std::error_code ignored;
    if (!std::filesystem::exists(path, ignored)) {
        throw DataError(Message("raster.not_found", {{"file", file}}));
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    CPLErrorReset();
    impl->dataset.reset(GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
    if (!impl->dataset) {
        throw DataError(Message("raster.cannot_open", {{"file", file}, {"detail", gdal_detail()}}));
    }
    GDALDataset& ds = *impl->dataset;

    // Where it lies: a geotransform with its CRS, or control points with theirs.
    double geotransform[6];
    const bool has_geotransform = ds.GetGeoTransform(geotransform) == CE_None;
    const OGRSpatialReference* srs = nullptr;
    if (has_geotransform) {
        srs = ds.GetSpatialRef();
    } else if (ds.GetGCPCount() > 0) {
        srs = ds.GetGCPSpatialRef();
    } else {
        throw DataError(Message("raster.no_georeferencing", {{"file", file}}));
    }
    if (srs == nullptr || srs->IsEmpty()) {
        throw DataError(Message("raster.no_crs", {{"file", file}}));
    }
    impl->classify();
    impl->find_levels();

    const std::string crs = gdal::describe(*srs);
    CPLErrorReset();
    const TransformerPtr to_storage = transformer_to(ds, "EPSG:4490");
    const std::optional<Rect> box = bounds_in(ds, to_storage.get());
    if (!box) {
        throw DataError(Message("raster.no_transform", {{"file", file}, {"crs", crs}, {"detail", gdal_detail()}}));
    }
    impl->extent = {(*box)[0], (*box)[1], (*box)[2], (*box)[3]};

    const char* colour_names[] = {"grey", "RGB", "paletted"};
    std::string description = path.filename().string() + ": " + ds.GetDriver()->GetDescription() + " " +
                              std::to_string(ds.GetRasterXSize()) + "x" + std::to_string(ds.GetRasterYSize()) + ", " +
                              colour_names[static_cast<int>(impl->colours)] + (impl->alpha ? " with alpha" : "") +
                              ", " + crs;
    const std::size_t overviews = impl->levels.size() - 1;
    if (overviews > 0) {
        description += ", " + std::to_string(overviews) + (overviews == 1 ? " overview" : " overviews");
    }
    impl->description = std::move(description);
    return RasterBackground(std::move(impl));
}

const std::filesystem::path& RasterBackground::path() const {
    return impl_->path;
}

BoundingBox RasterBackground::extent() const {
    return impl_->extent;
}

std::string RasterBackground::description() const {
    return impl_->description;
}

RasterImage RasterBackground::render(const std::string& target_proj_definition, double min_x, double min_y,
                                     double max_x, double max_y, int width, int height) const {
    RasterImage out;
    out.width = std::max(width, 0);
    out.height = std::max(height, 0);
    out.rgba.assign(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4, 0);
    if (out.width == 0 || out.height == 0 || !(max_x > min_x) || !(max_y > min_y)) {
        return out;
    }
    Impl& d = *impl_;
    const Rect rect{min_x, min_y, max_x, max_y};
    std::lock_guard lock(d.mutex);
    if (d.last_crs == target_proj_definition && d.last_rect == rect && d.last.width == out.width &&
        d.last.height == out.height) {
        return d.last;
    }
    d.use_target(target_proj_definition);
    // Only the pixels the raster may cover are drawn (a raster smaller than the view costs
    // what it covers; a view far beyond the earth is never asked of PROJ).
    int col0 = 0, row0 = 0, col1 = out.width, row1 = out.height;
    if (d.bounds) {
        const double px = (max_x - min_x) / out.width, py = (max_y - min_y) / out.height;
        const Rect& b = *d.bounds;
        auto clamp_to = [](double v, int hi) { return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(hi))); };
        col0 = clamp_to(std::floor((b[0] - min_x) / px), out.width);
        col1 = clamp_to(std::ceil((b[2] - min_x) / px), out.width);
        row0 = clamp_to(std::floor((max_y - b[3]) / py), out.height);
        row1 = clamp_to(std::ceil((max_y - b[1]) / py), out.height);
    }
    if (col1 > col0 && row1 > row0) {
        d.draw(out, rect, col0, col1, row0, row1);
    }
    d.last_crs = target_proj_definition;
    d.last_rect = rect;
    d.last = out;
    return out;
}

}  // namespace redline
