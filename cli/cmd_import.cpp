#include "command.hpp"
#include "progress_bar.hpp"

#include "redline/store/workspace.hpp"

#include <iostream>

namespace redline::cli {
namespace {

class ImportCommand : public Command {
public:
    explicit ImportCommand(CLI::App& app)
        : Command(app.add_subcommand("import", "Import a zone layer into a workspace as a new version  导入分区图层")) {
        auto* sub = subcommand_;
        sub->add_option("--kind", options_.kind,
                        "Zone kind: red_line, nature_reserve, water_source, control_unit, ... "
                        "(`redline kinds` lists them)")
            ->required();
        sub->add_option("source", options_.source,
                        "Any OGR data source: Shapefile, GeoPackage, GeoJSON, File Geodatabase, KML, PG:\"...\"")
            ->required();
        sub->add_option("--into", workspace_, "Workspace GeoPackage; created when missing")->required();
        sub->add_option("--layer", layer_, "Layer of a multi-layer source");
        sub->add_option("--map", maps_,
                        "Map a standard field to a source field, e.g. --map subzone=GNFQ; or read a sub-zone value "
                        "as another sub-zone, e.g. --map subzone:缓冲区=general_control (repeatable)");
        sub->add_option("--crs", crs_, "CRS of a source that has none (or to override it), e.g. EPSG:4490");
        sub->add_option("--encoding", encoding_, "Text encoding of a Shapefile DBF without .cpg, e.g. GBK");
        sub->add_flag("--replace", options_.replace, "Retire the kind's current zones: this import supersedes them");
        sub->add_option("--note", options_.note, "A note recorded with the version");
        sub->footer(
            "Exit codes: 0 imported, 2 usage error, 3 data error (nothing is written).\n"
            "Example: redline import --kind water_source sources.shp --into ws.gpkg --map subzone=BHQJB");
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        if (!layer_.empty()) {
            options_.layer = layer_;
        }
        if (!crs_.empty()) {
            options_.assign_crs = crs_;
        }
        if (!encoding_.empty()) {
            options_.encoding = encoding_;
        }
        for (const auto& m : maps_) {
            if (m.rfind("subzone:", 0) == 0) {
                auto [value, id] = split_assignment(m.substr(8), "--map");
                if (value.empty()) {
                    throw UsageError(Message("cli.bad_subzone_map", {{"text", m}}));
                }
                options_.subzone_values[value] = id;
                continue;
            }
            auto [standard, field] = split_assignment(m, "--map");
            if (standard.empty()) {
                throw UsageError(Message("cli.bad_field_map", {{"text", m}}));
            }
            options_.field_map[standard] = field;
        }
        Workspace workspace = Workspace::open_or_create(workspace_);
        const ImportReport report = [&] {
            TerminalProgress progress(global.language());
            return workspace.import_layer(schemas, options_, progress);
        }();
        const bool zh = global.language() == Language::zh;
        const KindSchema& kind = schemas.kind(options_.kind);
        std::cout << (zh ? "已导入 " : "imported ") << report.version.features_added << ' '
                  << (zh ? kind.name_zh : kind.name_en) << (zh ? " 要素为版本 " : " zone(s) as version ")
                  << report.version.id << " (" << report.version.workspace_digest.substr(0, 19) << ")\n";
        std::cout << (zh ? "  来源 " : "  source ") << report.version.source << " [" << report.version.source_layer
                  << "], " << report.version.features_read << (zh ? " 个要素" : " feature(s) read") << '\n';
        if (report.version.features_retired > 0) {
            std::cout << (zh ? "  取代原有要素 " : "  retired ") << report.version.features_retired << '\n';
        }
        std::cout << (zh ? "  字段对应：" : "  fields:");
        for (const auto& [standard, source] : report.field_mapping) {
            std::cout << ' ' << standard << "←" << source;
        }
        std::cout << '\n';
        for (const auto& [subzone, count] : report.zones_by_subzone) {
            if (!subzone.empty()) {
                const auto* def = kind.find_subzone(subzone);
                std::cout << "  " << subzone << " (" << (def != nullptr ? (zh ? def->name_zh : def->name_en) : "")
                          << "): " << count << '\n';
            }
        }
        if (!report.problems.empty()) {
            std::cout << (zh ? "  修复与警告 " : "  repairs and warnings ") << report.problems.size() << ":\n";
            for (const auto& p : report.problems) {
                std::cout << "    " << problem_line(p, global.language()) << '\n';
            }
        }
        return ExitCode::ok;
    }

private:
    ImportOptions options_;
    std::string workspace_, layer_, crs_, encoding_;
    std::vector<std::string> maps_;
};

}  // namespace

std::unique_ptr<Command> make_import_command(CLI::App& app) {
    return std::make_unique<ImportCommand>(app);
}

}  // namespace redline::cli
