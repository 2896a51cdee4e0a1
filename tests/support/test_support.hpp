// Helpers shared by the tests: scratch directories, fixture writers, running the CLI.
#pragma once

#include "redline/model/schema.hpp"
#include "redline/store/workspace.hpp"
#include "test_config.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace redline::test {

// A fresh directory under the build tree, removed when the object goes.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& name);
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::filesystem::path operator/(const std::string& file) const { return path_ / file; }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

const SchemaSet& schemas();

struct FixtureFeature {
    std::string wkt;
    std::map<std::string, std::string> fields;
};

// Writes features to any OGR format (by driver name); epsg 0 writes no CRS.
void write_layer(const std::filesystem::path& path, const std::string& driver, int epsg,
                 const std::vector<FixtureFeature>& features, const std::string& layer_name = "",
                 const std::vector<std::string>& layer_options = {});

// The demo workspace of layers/demo, imported into dir/demo.gpkg.
std::filesystem::path build_demo_workspace(const ScratchDir& dir);

// A file's bytes, whole (empty when it cannot be read).
std::string read_file(const std::filesystem::path& path);

// Runs SQL on a GeoPackage as a tool outside redline would (no redline code involved):
// how tests damage a workspace the way hand edits in a desktop GIS can.
void execute_sql(const std::filesystem::path& gpkg, const std::string& sql);

// The intersection of two geometries (through GDAL's GEOS), for expected shapes.
Geometry intersection(const Geometry& a, const Geometry& b);

// UTF-8 text as GBK bytes, as Chinese desktop tools write it.
std::string gbk(const std::string& utf8);

struct CliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs the redline binary with the given arguments (no shell interpretation of them).
CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text = "");
// The same with files limited to `kilobytes` each: a full disk, for the files it writes.
CliResult run_cli_with_file_limit(const std::vector<std::string>& args, int kilobytes);

// A polygon of `vertices` points on a circle around (x, y), radius in degrees: the
// features of the big layers that tests need slow writes with. `cell` places the i-th of
// them on a grid of 0.01 degree cells, 100 to a row, from (121, 39).
std::string circle_wkt(double x, double y, double radius, int vertices);
std::string circle_in_cell(int cell);

// Starts the redline binary (output discarded) and kills it with SIGKILL as soon as
// `writing()` says it is in the middle of a write, after `settle_ms` more. True when it was
// killed that way; false when it finished first.
bool kill_redline_while_writing(const std::vector<std::string>& args, const std::function<bool()>& writing,
                                int settle_ms = 0);

// Starts the redline binary and sends it `signal` once `ready()` holds; returns its exit
// code, or -1 when it finished before `ready()` held or died of the signal instead.
int interrupt_redline_when(const std::vector<std::string>& args, const std::function<bool()>& ready, int signal);

}  // namespace redline::test
