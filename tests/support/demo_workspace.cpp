#include "demo_workspace.hpp"

#include "redline/store/workspace.hpp"

#include <string>
#include <utility>
#include <vector>

namespace redline::test {

void import_demo_layers(const std::filesystem::path& path, const std::filesystem::path& demo_dir,
                        const SchemaSet& schemas) {
    Workspace ws = Workspace::open_or_create(path);
    for (const auto& [kind, file] :
         std::vector<std::pair<std::string, std::string>>{{"district", "districts.geojson"},
                                                          {"water_source", "water_sources.geojson"},
                                                          {"nature_reserve", "nature_reserve.geojson"},
                                                          {"red_line", "red_lines.geojson"},
                                                          {"control_unit", "control_units.geojson"}}) {
        ImportOptions options;
        options.kind = kind;
        options.source = (demo_dir / file).string();
        ws.import_layer(schemas, options);
    }
}

}  // namespace redline::test
