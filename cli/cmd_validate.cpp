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
        : Command(
              app.add_subcommand("validate", "Check zone layers for errors before they are used  分区图层质量检查")) {
        auto* sub = subcommand_;
        sub->add_option("source", source_,
                        "A workspace (its current zones), or any layer GDAL reads, validated as zones of --kind "
                        "before import")
            ->required();
        sub->add_option("--kind", kind_, "Only this kind (workspace); the kind of a source layer (required there)");
        sub->add_option("--layer", layer_, "Layer of a multi-layer source");
        sub->add_option("--map", maps_, "Source field for a standard field, e.g. --map code=DYBM (repeatable)");
        sub->add_option("--crs", crs_, "CRS of a source without one");
        sub->add_option("--encoding", encoding_, "Text encoding of a source, e.g. GBK");
        sub->add_option("--format", format_, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
        sub->add_option("-o,--output", output_, "Write the findings to this file instead of standard output");
        sub->add_option("--errors-gpkg", errors_gpkg_,
                        "Also write the findings' locations and areas as a GeoPackage, e.g. for QGIS");
        sub->add_option("--sliver-area", options_.sliver_area_m2, "Polygon parts smaller than this (m²) are slivers")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-width", options_.sliver_width_m,
                        "Polygon parts thinner than this mean width 2A/P (m) are slivers")
            ->check(CLI::NonNegativeNumber);
        sub->add_flag("--fix", fix_,
                      "Apply the safe repairs (invalid geometry made valid, codes normalised, exact duplicates "
                      "retired) as a new workspace version, listing each; then validate again");
        sub->add_option("--note", note_, "Note recorded with the --fix version");
        sub->add_option("--min-overlap", options_.min_overlap_m2, "Overlaps and gaps below this area (m²) are ignored")
            ->check(CLI::NonNegativeNumber);
        sub->footer(
            "Checks: invalid geometry and self-intersections (with the place), overlaps in layers that must not\n"
            "overlap (management units, districts, the sub-zones of one source or reserve), gaps in management\n"
            "units against the districts, slivers, duplicate and malformed codes, code class against unit class,\n"
            "inner sub-zones outside the next (level 1 outside level 2).\n"
            "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error, 3 data error.\n"
            "Example: redline validate ws.gpkg --kind control_unit --errors-gpkg findings.gpkg");
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
