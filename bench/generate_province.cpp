// Generates a province-scale zone set and footprints for the benchmarks, deterministically:
//   units.gpkg       management units: a Voronoi tiling of the province, densified
//   red_lines.gpkg   red-line patches: wavy polygons, half of them with a hole
//   footprints.gpkg  project footprints: boxes and lines scattered over the province
// All in CGCS2000 (EPSG:4490). Usage:
//   redline_bench_generate OUT_DIR [--units N] [--patches N] [--vertices N] [--footprints N] [--seed N]
#include <gdal_priv.h>
#include <geos_c.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

namespace {

// The province: roughly Liaoning's extent.
constexpr double min_lon = 119.5, max_lon = 125.5, min_lat = 38.8, max_lat = 43.4;

struct Settings {
    std::filesystem::path out;
    int units = 1500;
    int patches = 3000;
    int vertices = 1000;  // per red-line patch ring
    int footprints = 200;
    int reserves = 100;
    int sources = 300;
    int outfalls = 0;  // register rows; 0 writes no register
    unsigned seed = 1;
};

struct GeosDeleter {
    GEOSContextHandle_t ctx;
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using Geom = std::unique_ptr<GEOSGeometry, GeosDeleter>;

class Writer {
public:
    Writer(const std::filesystem::path& path, const std::vector<std::string>& fields) {
        std::filesystem::remove(path);
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        ds_.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4490);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        layer_ = ds_->CreateLayer(path.stem().c_str(), &srs, wkbUnknown, nullptr);
        for (const auto& f : fields) {
            OGRFieldDefn defn(f.c_str(), OFTString);
            if (layer_->CreateField(&defn) != OGRERR_NONE) {
                throw std::runtime_error("cannot create field " + f);
            }
        }
        ds_->StartTransaction();
    }
    ~Writer() { ds_->CommitTransaction(); }
    void add(const std::string& wkt, const std::vector<std::string>& values) {
        OGRFeature* f = OGRFeature::CreateFeature(layer_->GetLayerDefn());
        for (int i = 0; i < static_cast<int>(values.size()); ++i) {
            f->SetField(i, values[static_cast<std::size_t>(i)].c_str());
        }
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
        f->SetGeometryDirectly(g);
        const OGRErr err = layer_->CreateFeature(f);
        OGRFeature::DestroyFeature(f);
        if (err != OGRERR_NONE) {
            throw std::runtime_error("cannot write feature");
        }
    }

private:
    struct Closer {
        void operator()(GDALDataset* d) const { GDALClose(d); }
    };
    std::unique_ptr<GDALDataset, Closer> ds_;
    OGRLayer* layer_ = nullptr;
};

std::string to_wkt(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(ctx);
    GEOSWKTWriter_setRoundingPrecision_r(ctx, w, 8);
    char* text = GEOSWKTWriter_write_r(ctx, w, g);
    std::string out(text);
    GEOSFree_r(ctx, text);
    GEOSWKTWriter_destroy_r(ctx, w);
    return out;
}

std::string ring_wkt(double lon, double lat, double radius_deg, int n, double phase, int lobes, double wobble) {
    std::string s = "(";
    const double aspect = 1.0 / std::cos(lat * std::numbers::pi / 180.0);
    for (int i = 0; i <= n; ++i) {
        const double t = 2 * std::numbers::pi * (i % n) / n;
        const double r = radius_deg * (1 + wobble * std::sin(lobes * t + phase) + 0.05 * std::sin(37 * t + 2 * phase));
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%.8f %.8f", i == 0 ? "" : ",", lon + r * aspect * std::cos(t),
                      lat + r * std::sin(t));
        s += buf;
    }
    return s + ")";
}

void generate_units(GEOSContextHandle_t ctx, const Settings& s, std::mt19937& rng) {
    std::uniform_real_distribution<double> lon(min_lon, max_lon), lat(min_lat, max_lat);
    std::string points = "MULTIPOINT(";
    for (int i = 0; i < s.units; ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s(%.6f %.6f)", i == 0 ? "" : ",", lon(rng), lat(rng));
        points += buf;
    }
    points += ")";
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx);
    Geom sites(GEOSWKTReader_read_r(ctx, reader, points.c_str()), {ctx});
    Geom frame(GEOSGeom_createRectangle_r(ctx, min_lon, min_lat, max_lon, max_lat), {ctx});
    GEOSWKTReader_destroy_r(ctx, reader);
    Geom cells(GEOSVoronoiDiagram_r(ctx, sites.get(), frame.get(), 0.0, 0), {ctx});
    // Access lists in the plans' style, one set per class, so that screening reads and
    // holds real clauses (the bench of verdicts by clause).
    const std::array<std::array<const char*, 4>, 3> lists = {{
        {"1.禁止新建、扩建化工、石化、电镀、印染、制革、造纸等重污染项目。2.禁止新建、扩建与生态保护无关的建设项目。",
         "1.禁止新设排污口。2.现有排污口依法限期整治或取缔。", "1.禁止新建危险化学品仓储项目。",
         "严格控制取水和占用林地。"},
        {"1.禁止新建、扩建化工、电镀、印染等重污染项目。2.新建工业项目应进入依法合规设立的工业园区。3."
         "严格控制新建水泥、平板玻璃项目。",
         "1.新建、改建、扩建项目实行主要污染物排放等量或减量替代。2.禁止新设入河排污口。",
         "涉及有毒有害物质的企业应当编制突发环境事件应急预案。", "鼓励发展污水处理及其再生利用项目。"},
        {"1.执行全省总体准入要求。2.禁止新建、扩建制革项目。", "污染物达标排放。", "落实一般环境风险防控要求。",
         "执行资源利用上线要求。"},
    }};
    Writer out(s.out / "units.gpkg", {"HJZHGKDYBM", "HJZHGKDYMC", "KJBJYS", "PWWPFGK", "HJFXFK", "ZYKFXLYQ"});
    const int n = GEOSGetNumGeometries_r(ctx, cells.get());
    for (int i = 0; i < n; ++i) {
        Geom clipped(GEOSIntersection_r(ctx, GEOSGetGeometryN_r(ctx, cells.get(), i), frame.get()), {ctx});
        // Densify shared edges identically on both sides so the units still tile.
        Geom dense(GEOSDensify_r(ctx, clipped.get(), 0.0008), {ctx});
        const int cls = 1 + (i % 3);
        char code[32];
        std::snprintf(code, sizeof code, "ZH210000%d%04d", cls, i % 10000);
        const auto& list = lists[static_cast<std::size_t>(cls - 1)];
        out.add(to_wkt(ctx, dense.get()),
                {code, "基准测试管控单元 " + std::to_string(i), list[0], list[1], list[2], list[3]});
    }
}

void generate_patches(const Settings& s, std::mt19937& rng) {
    std::uniform_real_distribution<double> lon(min_lon + 0.1, max_lon - 0.1), lat(min_lat + 0.1, max_lat - 0.1);
    std::uniform_real_distribution<double> radius(0.01, 0.06), phase(0, 6.28);
    Writer out(s.out / "red_lines.gpkg", {"HXBM", "HXMC"});
    for (int i = 0; i < s.patches; ++i) {
        const double x = lon(rng), y = lat(rng), r = radius(rng), p = phase(rng);
        std::string wkt = "POLYGON(" + ring_wkt(x, y, r, s.vertices, p, 5, 0.2);
        if (i % 2 == 0) {
            wkt += "," + ring_wkt(x, y, r * 0.3, s.vertices / 4, p, 3, 0.1);
        }
        wkt += ")";
        char code[32];
        std::snprintf(code, sizeof code, "HX-%05d", i);
        out.add(wkt, {code, "基准测试红线 " + std::to_string(i)});
    }
}

// Nested zones: each ring is the area between two wavy outlines around one centre.
void generate_nested(std::mt19937& rng, const std::filesystem::path& file, int count,
                     const std::vector<std::string>& levels, const std::vector<double>& radii,
                     const std::vector<std::string>& fields, const std::string& prefix) {
    std::uniform_real_distribution<double> lon(min_lon + 0.2, max_lon - 0.2), lat(min_lat + 0.2, max_lat - 0.2);
    std::uniform_real_distribution<double> scale(0.6, 1.4), phase(0, 6.28);
    Writer out(file, fields);
    for (int i = 0; i < count; ++i) {
        const double x = lon(rng), y = lat(rng), k = scale(rng), p = phase(rng);
        for (std::size_t level = 0; level < levels.size(); ++level) {
            std::string wkt = "POLYGON(" + ring_wkt(x, y, radii[level] * k, 400, p, 4, 0.1);
            if (level > 0) {
                wkt += "," + ring_wkt(x, y, radii[level - 1] * k, 400, p, 4, 0.1);
            }
            wkt += ")";
            char code[32];
            std::snprintf(code, sizeof code, "%s%04d", prefix.c_str(), i);
            out.add(wkt, {code, prefix + " " + std::to_string(i), levels[level]});
        }
    }
}

// An outfall register as a CSV: lon/lat in CGCS2000, type, receiving water, status.
void generate_register(const Settings& s, std::mt19937& rng) {
    std::uniform_real_distribution<double> lon(min_lon, max_lon), lat(min_lat, max_lat), jitter(-0.003, 0.003);
    std::uniform_int_distribution<int> type(0, 3), water(0, 1999), status(0, 9), cluster(0, 4);
    const char* types[] = {"工业排污口", "城镇污水处理厂排污口", "农业排口", "其他排口"};
    std::ofstream out(s.out / "register.csv", std::ios::binary);
    out << "排污口编码,排污口名称,排污口类型,入河入海,受纳水体,状态,经度(CGCS2000),纬度(CGCS2000)\n";
    char line[256];
    double x = 0, y = 0;
    for (int i = 0; i < s.outfalls; ++i) {
        // Outfalls come in clusters along waters: every few rows start a new spot.
        if (cluster(rng) == 0 || i == 0) {
            x = lon(rng);
            y = lat(rng);
        }
        const int w = water(rng);
        std::snprintf(line, sizeof line, "PK%07d,排污口%d,%s,%s,河流%d,%s,%.6f,%.6f\n", i, i, types[type(rng)],
                      w % 10 == 0 ? "入海" : "入河", w, status(rng) == 0 ? "新建" : "现有", x + jitter(rng),
                      y + jitter(rng));
        out << line;
    }
}

void generate_footprints(const Settings& s, std::mt19937& rng) {
    std::uniform_real_distribution<double> lon(min_lon + 0.1, max_lon - 0.1), lat(min_lat + 0.1, max_lat - 0.1);
    std::uniform_real_distribution<double> size(0.003, 0.01), angle(0, 6.28);
    Writer out(s.out / "footprints.gpkg", {"id", "name"});
    for (int i = 0; i < s.footprints; ++i) {
        const double x = lon(rng), y = lat(rng);
        char wkt[512];
        if (i % 4 == 3) {
            const double a = angle(rng), len = 0.05;
            std::snprintf(wkt, sizeof wkt, "LINESTRING(%.7f %.7f, %.7f %.7f, %.7f %.7f)", x, y,
                          x + len * std::cos(a) / 2, y + len * std::sin(a) / 2 + 0.005, x + len * std::cos(a),
                          y + len * std::sin(a));
        } else {
            const double w = size(rng), h = size(rng);
            std::snprintf(wkt, sizeof wkt, "POLYGON((%.7f %.7f, %.7f %.7f, %.7f %.7f, %.7f %.7f, %.7f %.7f))", x, y,
                          x + w, y, x + w, y + h, x, y + h, x, y);
        }
        out.add(wkt, {"F" + std::to_string(i), "基准测试项目 " + std::to_string(i)});
    }
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    if (argc < 2) {
        std::cerr << "usage: redline_bench_generate OUT_DIR [--units N] [--patches N] [--vertices N] "
                     "[--footprints N] [--reserves N] [--sources N] [--outfalls N] [--seed N]\n";
        return 2;
    }
    s.out = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const int value = std::stoi(argv[i + 1]);
        if (key == "--units") {
            s.units = value;
        } else if (key == "--patches") {
            s.patches = value;
        } else if (key == "--vertices") {
            s.vertices = value;
        } else if (key == "--footprints") {
            s.footprints = value;
        } else if (key == "--reserves") {
            s.reserves = value;
        } else if (key == "--sources") {
            s.sources = value;
        } else if (key == "--outfalls") {
            s.outfalls = value;
        } else if (key == "--seed") {
            s.seed = static_cast<unsigned>(value);
        } else {
            std::cerr << "unknown option " << key << "\n";
            return 2;
        }
    }
    std::filesystem::create_directories(s.out);
    GDALAllRegister();
    struct Context {
        GEOSContextHandle_t handle = GEOS_init_r();
        ~Context() { GEOS_finish_r(handle); }
    } geos;
    std::mt19937 rng(s.seed);
    generate_units(geos.handle, s, rng);
    generate_patches(s, rng);
    generate_footprints(s, rng);
    generate_nested(rng, s.out / "reserves.gpkg", s.reserves, {"核心区", "缓冲区", "实验区"}, {0.02, 0.035, 0.06},
                    {"BHQBM", "BHQMC", "GNFQ"}, "ZR");
    generate_nested(rng, s.out / "sources.gpkg", s.sources, {"一级保护区", "二级保护区", "准保护区"},
                    {0.004, 0.012, 0.025}, {"SYDBM", "SYDMC", "BHQJB"}, "SY");
    if (s.outfalls > 0) {
        generate_register(s, rng);
    }
    std::cout << "generated " << s.units << " units, " << s.patches << " red-line patches (" << s.vertices
              << " vertices each), " << s.reserves << " reserves, " << s.sources << " water sources, " << s.footprints
              << " footprints, " << s.outfalls << " outfalls in " << s.out << "\n";
    return 0;
}
