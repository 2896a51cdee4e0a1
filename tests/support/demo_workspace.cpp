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
    // The city's general access list, as the demo imports it.
    AccessListSourceOptions access;
    access.source = (demo_dir / "access_lists.csv").string();
    const AccessListSource read = read_access_list_source(schemas.directory(), access);
    AccessListImport import;
    import.source = access.source;
    import.source_digest = read.source_digest;
    import.note = "示意数据";
    ws.import_access_lists(read.blocks, import);
}

}  // namespace redline::test
