#include "test_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <sys/wait.h>
#include <algorithm>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

namespace redline::test {

ScratchDir::ScratchDir(const std::string& name) {
    std::random_device random;
    path_ = std::filesystem::path(work_dir) / (name + "-" + std::to_string(random()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

const SchemaSet& schemas() {
    static const SchemaSet set = SchemaSet::load(layers_dir);
    return set;
}

void write_layer(const std::filesystem::path& path, const std::string& driver_name, int epsg,
                 const std::vector<FixtureFeature>& features, const std::string& layer_name,
                 const std::vector<std::string>& layer_options) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (driver == nullptr) {
        throw std::runtime_error("no GDAL driver " + driver_name);
    }
    std::unique_ptr<GDALDataset> ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) {
        throw std::runtime_error("cannot create " + path.string());
    }
    OGRSpatialReference srs;
    if (epsg != 0) {
        srs.importFromEPSG(epsg);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }
    const std::string name = layer_name.empty() ? path.stem().string() : layer_name;
    CPLStringList options;
    for (const auto& o : layer_options) {
        options.AddString(o.c_str());
    }
    // Some formats (File Geodatabase) need one geometry type per layer.
    std::optional<OGRwkbGeometryType> type;
    for (const auto& f : features) {
        OGRGeometry* g = nullptr;
        if (!f.wkt.empty() && OGRGeometryFactory::createFromWkt(f.wkt.c_str(), nullptr, &g) == OGRERR_NONE) {
            const OGRwkbGeometryType this_type = g->getGeometryType();
            type = (!type || *type == this_type) ? this_type : wkbUnknown;
            OGRGeometryFactory::destroyGeometry(g);
        }
    }
    OGRLayer* layer =
        ds->CreateLayer(name.c_str(), epsg != 0 ? &srs : nullptr, type.value_or(wkbUnknown), options.List());
    if (layer == nullptr) {
        throw std::runtime_error("cannot create layer " + name + " in " + path.string() + ": " + CPLGetLastErrorMsg());
    }
    std::vector<std::string> field_names;
    for (const auto& f : features) {
        for (const auto& [key, _] : f.fields) {
            if (std::find(field_names.begin(), field_names.end(), key) == field_names.end()) {
                field_names.push_back(key);
                OGRFieldDefn defn(key.c_str(), OFTString);
                layer->CreateField(&defn);
            }
        }
    }
    for (const auto& f : features) {
        OGRFeature* feature = OGRFeature::CreateFeature(layer->GetLayerDefn());
        for (const auto& [key, value] : f.fields) {
            feature->SetField(key.c_str(), value.c_str());
        }
        if (!f.wkt.empty()) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkt(f.wkt.c_str(), nullptr, &g) != OGRERR_NONE) {
                OGRFeature::DestroyFeature(feature);
                throw std::runtime_error("bad fixture WKT: " + f.wkt);
            }
            feature->SetGeometryDirectly(g);
        }
        const OGRErr err = layer->CreateFeature(feature);
        OGRFeature::DestroyFeature(feature);
        if (err != OGRERR_NONE) {
            throw std::runtime_error("cannot write fixture feature to " + path.string());
        }
    }
}

std::filesystem::path build_demo_workspace(const ScratchDir& dir) {
    const auto path = dir / "demo.gpkg";
    Workspace ws = Workspace::open_or_create(path);
    const std::filesystem::path demo(demo_dir);
    for (const auto& [kind, file] :
         std::vector<std::pair<std::string, std::string>>{{"district", "districts.geojson"},
                                                          {"water_source", "water_sources.geojson"},
                                                          {"nature_reserve", "nature_reserve.geojson"},
                                                          {"red_line", "red_lines.geojson"},
                                                          {"control_unit", "control_units.geojson"}}) {
        ImportOptions options;
        options.kind = kind;
        options.source = (demo / file).string();
        ws.import_layer(schemas(), options);
    }
    return path;
}

namespace {

std::string quote(const std::string& arg) {
    std::string out = "'";
    for (char c : arg) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text) {
    ScratchDir dir("cli");
    std::string command = quote(cli_path);
    for (const auto& a : args) {
        command += " " + quote(a);
    }
    {
        std::ofstream in(dir / "stdin");
        in << stdin_text;
    }
    command += " < " + quote((dir / "stdin").string()) + " > " + quote((dir / "stdout").string()) + " 2> " +
               quote((dir / "stderr").string());
    const int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = slurp(dir / "stdout");
    result.err = slurp(dir / "stderr");
    return result;
}

}  // namespace redline::test
