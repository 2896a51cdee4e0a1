#include "test_support.hpp"

#include "demo_workspace.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
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
    import_demo_layers(path, demo_dir, schemas());
    return path;
}

Geometry intersection(const Geometry& a, const Geometry& b) {
    const auto read = [](const Geometry& g) {
        OGRGeometry* out = nullptr;
        OGRGeometryFactory::createFromWkb(g.wkb.data(), nullptr, &out, g.wkb.size());
        return std::unique_ptr<OGRGeometry>(out);
    };
    const auto ga = read(a), gb = read(b);
    std::unique_ptr<OGRGeometry> cut(ga->Intersection(gb.get()));
    Geometry out;
    out.wkb.resize(cut->WkbSize());
    cut->exportToWkb(wkbNDR, out.wkb.data(), wkbVariantIso);
    return out;
}

std::string gbk(const std::string& utf8) {
    char* bytes = CPLRecode(utf8.c_str(), CPL_ENC_UTF8, "GBK");
    std::string out = bytes != nullptr ? bytes : "";
    CPLFree(bytes);
    return out;
}

void execute_sql(const std::filesystem::path& gpkg, const std::string& sql) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds) {
        throw std::runtime_error("cannot open " + gpkg.string());
    }
    CPLErrorReset();
    OGRLayer* result = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result != nullptr) {
        ds->ReleaseResultSet(result);
    }
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw std::runtime_error(sql + ": " + CPLGetLastErrorMsg());
    }
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
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

}  // namespace

namespace {

CliResult run_cli_after(const std::string& shell_prefix, const std::vector<std::string>& args,
                        const std::string& stdin_text) {
    ScratchDir dir("cli");
    std::string command = shell_prefix + quote(cli_path);
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
    result.out = read_file(dir / "stdout");
    result.err = read_file(dir / "stderr");
    return result;
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text) {
    return run_cli_after("", args, stdin_text);
}

CliResult run_cli_with_file_limit(const std::vector<std::string>& args, int kilobytes) {
    // As a full disk does: writes past the limit fail with EFBIG (the signal is ignored).
    return run_cli_after("ulimit -f " + std::to_string(kilobytes) + "; trap '' XFSZ; ", args, "");
}

std::string circle_wkt(double x, double y, double radius, int vertices) {
    std::string wkt = "POLYGON((";
    for (int k = 0; k <= vertices; ++k) {
        const double t = 2 * 3.14159265358979 * (k % vertices) / vertices;
        wkt += (k == 0 ? "" : ",") + std::to_string(x + radius * std::cos(t)) + " " +
               std::to_string(y + radius * std::sin(t));
    }
    return wkt + "))";
}

std::string circle_in_cell(int cell) {
    return circle_wkt(121.0 + (cell % 100) * 0.01, 39.0 + (cell / 100) * 0.01, 0.004, 200);
}

namespace {

// Starts the redline binary with its output discarded; returns the child's pid.
pid_t start_redline(const std::vector<std::string>& args) {
    std::vector<std::string> argv_storage = {cli_path};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        ::execv(cli_path, argv.data());
        ::_exit(127);
    }
    return child;
}

// Waits until `ready()` holds, then sends `signal` and reaps the child. The wait status,
// or nothing when the child ended first (or never got ready).
std::optional<int> signal_redline_when(pid_t child, const std::function<bool()>& ready, int settle_ms, int signal) {
    int status = 0;
    for (int spins = 0; spins < 400000; ++spins) {
        if (ready()) {
            if (settle_ms > 0) {
                ::usleep(static_cast<useconds_t>(settle_ms) * 1000);
            }
            ::kill(child, signal);
            ::waitpid(child, &status, 0);
            return status;
        }
        if (::waitpid(child, &status, WNOHANG) == child) {
            return std::nullopt;
        }
        ::usleep(50);
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    return std::nullopt;
}

}  // namespace

bool kill_redline_while_writing(const std::vector<std::string>& args, const std::function<bool()>& writing,
                                int settle_ms) {
    const auto status = signal_redline_when(start_redline(args), writing, settle_ms, SIGKILL);
    return status && WIFSIGNALED(*status);
}

int interrupt_redline_when(const std::vector<std::string>& args, const std::function<bool()>& ready, int signal) {
    const auto status = signal_redline_when(start_redline(args), ready, 0, signal);
    return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

}  // namespace redline::test
