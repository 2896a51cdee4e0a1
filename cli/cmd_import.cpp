#include "command.hpp"
#include "progress_bar.hpp"

#include "redline/store/workspace.hpp"

#include <iostream>

namespace redline::cli {
namespace {

class ImportCommand : public Command {
public:
    explicit ImportCommand(CLI::App& app)
        : Command(app.add_subcommand("import", say("将分区图层作为新版本导入工作空间",
                                                   "Import a zone layer into a workspace as a new version"))) {
        auto* sub = subcommand_;
        sub->add_option("--kind", options_.kind,
                        say("分区类型：red_line、nature_reserve、water_source、control_unit……"
                            "（`redline kinds` 列出全部类型）",
                            "Zone kind: red_line, nature_reserve, water_source, control_unit, ... "
                            "(`redline kinds` lists them)"))
            ->required();
        sub->add_option("source", options_.source,
                        say("任意 OGR 数据源：Shapefile、GeoPackage、GeoJSON、File Geodatabase、KML、PG:\"...\"",
                            "Any OGR data source: Shapefile, GeoPackage, GeoJSON, File Geodatabase, KML, PG:\"...\""))
            ->required();
        sub->add_option("--into", workspace_,
                        say("工作空间 GeoPackage；不存在时新建", "Workspace GeoPackage; created when missing"))
            ->required();
        sub->add_option("--layer", layer_, say("多图层数据源中的图层", "Layer of a multi-layer source"));
        sub->add_option("--map", maps_,
                        say("将标准字段对应到数据源字段，例如 --map subzone=GNFQ；或把某个分区取值读作另一分区，"
                            "例如 --map subzone:缓冲区=general_control（可重复）",
                            "Map a standard field to a source field, e.g. --map subzone=GNFQ; or read a sub-zone "
                            "value as another sub-zone, e.g. --map subzone:缓冲区=general_control (repeatable)"));
        sub->add_option("--crs", crs_,
                        say("数据源没有坐标参考系时指定（或覆盖其坐标参考系），例如 EPSG:4490",
                            "CRS of a source that has none (or to override it), e.g. EPSG:4490"));
        sub->add_option("--encoding", encoding_,
                        say("无 .cpg 的 Shapefile 中 DBF 的文本编码，例如 GBK",
                            "Text encoding of a Shapefile DBF without .cpg, e.g. GBK"));
        sub->add_flag("--replace", options_.replace,
                      say("注销该分区类型现有的分区：由本次导入取而代之",
                          "Retire the kind's current zones: this import supersedes them"));
        sub->add_option("--note", options_.note, say("随版本记录的备注", "A note recorded with the version"));
        sub->footer(
            say("退出码：0 已导入，2 用法错误，3 数据错误（不写入任何内容）。\n"
                "示例：redline import --kind water_source sources.shp --into ws.gpkg --map subzone=BHQJB",
                "Exit codes: 0 imported, 2 usage error, 3 data error (nothing is written).\n"
                "Example: redline import --kind water_source sources.shp --into ws.gpkg --map subzone=BHQJB"));
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
