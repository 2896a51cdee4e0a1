#include "command.hpp"
#include "progress_bar.hpp"

#include "redline/quality/quality.hpp"

#include <fstream>
#include <iostream>

namespace redline::cli {
namespace {

class ValidateCommand : public Command {
public:
    explicit ValidateCommand(CLI::App& app)
        : Command(app.add_subcommand("validate", say("在分区图层投入使用前检查其中的错误",
                                                     "Check zone layers for errors before they are used"))) {
        auto* sub = subcommand_;
        sub->add_option(
               "source", source_,
               say("工作空间（检查其当前分区），或 GDAL 可读的任意图层（在导入前按 --kind 所指的分区类型检查）",
                   "A workspace (its current zones), or any layer GDAL reads, validated as zones of --kind "
                   "before import"))
            ->required();
        sub->add_option("--kind", kind_,
                        say("对工作空间：只检查此分区类型；对数据源图层：该图层的分区类型（此时必填）",
                            "Only this kind (workspace); the kind of a source layer (required there)"));
        sub->add_option("--layer", layer_, say("多图层数据源中的图层", "Layer of a multi-layer source"));
        sub->add_option("--map", maps_,
                        say("标准字段对应的数据源字段，例如 --map code=DYBM（可重复）",
                            "Source field for a standard field, e.g. --map code=DYBM (repeatable)"));
        sub->add_option("--crs", crs_, say("数据源没有坐标参考系时指定", "CRS of a source without one"));
        sub->add_option("--encoding", encoding_,
                        say("数据源的文本编码，例如 GBK", "Text encoding of a source, e.g. GBK"));
        sub->add_option("--format", format_, say("table（默认）或 json", "table (default) or json"))
            ->check(CLI::IsMember({"table", "json"}));
        sub->add_flag(
            "--overwrite", overwrite_,
            say("覆盖已有的输出文件（-o、--errors-gpkg）", "Replace existing output files (-o, --errors-gpkg)"));
        sub->add_option(
            "-o,--output", output_,
            say("将检查结果写入此文件，而不是标准输出", "Write the findings to this file instead of standard output"));
        sub->add_option("--errors-gpkg", errors_gpkg_,
                        say("同时将问题的位置和范围写为 GeoPackage，例如供 QGIS 使用",
                            "Also write the findings' locations and areas as a GeoPackage, e.g. for QGIS"));
        sub->add_option("--sliver-area", options_.sliver_area_m2,
                        say("面积小于此值（m²）的多边形部分为碎片", "Polygon parts smaller than this (m²) are slivers"))
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-width", options_.sliver_width_m,
                        say("平均宽度 2A/P 小于此值（m）的多边形部分为碎片",
                            "Polygon parts thinner than this mean width 2A/P (m) are slivers"))
            ->check(CLI::NonNegativeNumber);
        sub->add_flag("--fix", fix_,
                      say("将安全的修复（修正无效几何、规范编码、注销完全重复的要素）作为工作空间的新版本应用，"
                          "逐项列出，然后重新检查",
                          "Apply the safe repairs (invalid geometry made valid, codes normalised, exact duplicates "
                          "retired) as a new workspace version, listing each; then validate again"));
        sub->add_option("--note", note_, say("随 --fix 版本记录的备注", "Note recorded with the --fix version"));
        sub->add_option(
               "--min-overlap", options_.min_overlap_m2,
               say("面积小于此值（m²）的重叠和缝隙忽略不计", "Overlaps and gaps below this area (m²) are ignored"))
            ->check(CLI::NonNegativeNumber);
        sub->footer(
            say("检查项：无效几何与自相交（指出位置）；不得重叠的图层中的重叠（管控单元、行政区、\n"
                "同一水源地或保护区的各分区）；管控单元与行政区之间的缝隙；碎片；重复和格式错误的\n"
                "编码；编码类别与单元类别不符；内层分区超出外层（一级保护区超出二级保护区）。\n"
                "退出码：0 没有错误（可有警告），1 发现错误，2 用法错误，3 数据错误。\n"
                "示例：redline validate ws.gpkg --kind control_unit --errors-gpkg findings.gpkg",
                "Checks: invalid geometry and self-intersections (with the place), overlaps in layers that "
                "must not\noverlap (management units, districts, the sub-zones of one source or reserve), "
                "gaps in management\nunits against the districts, slivers, duplicate and malformed codes, "
                "code class against unit class,\ninner sub-zones outside the next (level 1 outside level "
                "2).\nExit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error, 3 data "
                "error.\nExample: redline validate ws.gpkg --kind control_unit --errors-gpkg "
                "findings.gpkg"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        options_.language = global.language();
        if (!kind_.empty()) {
            schemas.kind(kind_);  // an unknown kind is a usage error
            options_.kind = kind_;
        }
        if (!errors_gpkg_.empty()) {
            require_extension(errors_gpkg_, {".gpkg"}, "--errors-gpkg");
        }
        check_outputs({output_, errors_gpkg_}, {source_}, overwrite_);
        Output output(output_);
        ValidationReport report;
        const bool workspace = is_workspace(source_);
        if (fix_ && !workspace) {
            throw UsageError(Message("cli.fix_needs_workspace", {{"source", source_}}));
        }
        if (workspace && fix_) {
            Workspace ws = Workspace::open(source_);
            const auto fixes = plan_safe_fixes(ws, schemas, options_);
            const bool zh = global.language() == Language::zh;
            if (fixes.empty()) {
                std::cerr << (zh ? "没有可自动修复的问题\n" : "nothing to repair safely\n");
            } else {
                const VersionInfo v = ws.apply_fixes(fixes, note_);
                std::cerr << (zh ? "已修复 " : "repaired ") << fixes.size() << (zh ? " 项，新版本 " : ", new version ")
                          << v.id << '\n';
                for (const auto& f : fixes) {
                    std::cerr << "  fid " << f.fid << ": " << f.description.text(global.language()) << '\n';
                }
            }
        }
        if (workspace) {
            TerminalProgress progress(global.language());
            report = validate_workspace(Workspace::open_read_only(source_), schemas, options_, progress);
        } else {
            if (kind_.empty()) {
                throw UsageError(Message("cli.validate_needs_kind", {{"source", source_}}));
            }
            ImportOptions source;
            source.kind = kind_;
            source.source = source_;
            if (!layer_.empty()) {
                source.layer = layer_;
            }
            if (!crs_.empty()) {
                source.assign_crs = crs_;
            }
            if (!encoding_.empty()) {
                source.encoding = encoding_;
            }
            for (const auto& m : maps_) {
                auto [key, field] = split_assignment(m, "--map");
                source.field_map[key] = field;
            }
            TerminalProgress progress(global.language());
            report = validate_source(schemas, source, options_, progress);
        }
        std::ostream& out = output.stream();
        if (format_ == "json") {
            write_findings_json(out, report, global.language());
        } else {
            write_findings_table(out, report, schemas, global.language());
        }
        output.finish();
        if (!errors_gpkg_.empty()) {
            write_findings_gpkg(errors_gpkg_, report, global.language());
            std::cerr << (global.language() == Language::zh ? "问题位置 " : "finding locations ") << errors_gpkg_
                      << '\n';
        }
        return report.errors() > 0 ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    // A GeoPackage or PostGIS database with redline's tables; anything else is a source layer.
    static bool is_workspace(const std::string& path) {
        const bool database = path.rfind("PG:", 0) == 0;
        if (!database && (!path.ends_with(".gpkg") || !std::filesystem::exists(path))) {
            return false;
        }
        try {
            Workspace::open_read_only(path);
            return true;
        } catch (const DataError&) {
            return false;
        }
    }

    std::string source_, kind_, layer_, crs_, encoding_, output_, errors_gpkg_, note_;
    bool overwrite_ = false;
    bool fix_ = false;
    std::string format_ = "table";
    std::vector<std::string> maps_;
    ValidateOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_validate_command(CLI::App& app) {
    return std::make_unique<ValidateCommand>(app);
}

}  // namespace redline::cli
