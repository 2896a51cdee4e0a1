#include "viewer_test_support.hpp"

#include "redline/store/workspace.hpp"

#include <utility>
#include <vector>

namespace redline::viewer::test {

const SchemaSet& schemas() {
    static const SchemaSet set = SchemaSet::load(REDLINE_VIEWER_TEST_LAYERS);
    return set;
}

std::filesystem::path fresh_directory(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::path(REDLINE_VIEWER_TEST_WORK) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::filesystem::path build_demo_workspace(const std::string& name) {
    const auto path = fresh_directory(name) / "demo.gpkg";
    Workspace workspace = Workspace::open_or_create(path);
    const std::filesystem::path demo(REDLINE_VIEWER_TEST_DEMO);
    for (const auto& [kind, file] :
         std::vector<std::pair<std::string, std::string>>{{"district", "districts.geojson"},
                                                          {"water_source", "water_sources.geojson"},
                                                          {"nature_reserve", "nature_reserve.geojson"},
                                                          {"red_line", "red_lines.geojson"},
                                                          {"control_unit", "control_units.geojson"}}) {
        ImportOptions options;
        options.kind = kind;
        options.source = (demo / file).string();
        workspace.import_layer(schemas(), options);
    }
    return path;
}

}  // namespace redline::viewer::test
