#include "command.hpp"
#include "input_options.hpp"
#include "progress_bar.hpp"

#include "redline/reports/report.hpp"
#include "redline/reports/screening_report.hpp"

#include <fstream>
#include <iostream>
#include <map>

namespace redline::cli {
namespace {

class CheckCommand : public Command {
public:
    explicit CheckCommand(CLI::App& app)
        : Command(app.add_subcommand("check", "Screen project footprints against the zones  项目选址空间核查")) {
        auto* sub = subcommand_;
        sub->add_option("--zones", workspace_, "Workspace GeoPackage made by `redline import`")->required();
        input_.add_to(*sub, "Footprints: any OGR source, a coordinate TXT, CSV/XLSX, or - for GeoJSON/WKT on stdin",
                      true);
        auto* facts = "Activity (rules key on these; input attributes override per footprint)";
        sub->add_option(
               "--activity", facts_["activity"],
               "construction | linear | outfall-new | outfall-existing (default: lines linear, else construction)")
            ->group(facts);
        sub->add_option("--industry", facts_["industry"], "e.g. chemical, water-supply (layers/facts.toml)")
            ->group(facts);
        sub->add_option("--discharges", facts_["discharges"], "yes | no: the project discharges pollutants")
            ->group(facts);
        sub->add_option("--outfall-type", facts_["outfall_type"],
                        "industrial | municipal-sewage | agricultural | other")
            ->group(facts);
        sub->add_option("--receiving-water", facts_["receiving_water"], "river | sea")->group(facts);
        sub->add_option(
               "--listed-activity", facts_["listed_activity"],
               "yes | no: an activity the zone's own text permits (the list of 自然资发〔2022〕142号 in red lines, "
               "of 自然保护区条例 Arts. 26-27 in reserves, ...)")
            ->group(facts);
        sub->add_option("--rules", rule_files_,
                        "Local rule file over the national defaults (repeatable; same id replaces)");
        sub->add_option("--as-of", as_of_, as_of_help);
        sub->add_option("--format", format_,
                        "Output: table (default), json (docs/json-schema.md) or csv (one row per hit)")
            ->check(CLI::IsMember({"table", "json", "csv"}));
        sub->add_option("--export-geojson", export_geojson_,
                        "Write the overlap geometries with their attributes as GeoJSON (CGCS2000), e.g. for QGIS");
        sub->add_option("-o,--output", output_, "Write to this file instead of standard output");
        sub->add_option("--report", reports_,
                        "Also write the screening report (研判报告): .pdf, or .html as one self-contained file; "
                        "in the language of --lang (repeatable: --report r.pdf --report r.html)");
        sub->add_option(
            "--near", near_,
            "Search distance for `near` hits in metres: 800 for every protective kind, or KIND=800 (repeatable); "
            "defaults per kind in layers/<kind>/schema.toml");
        sub->add_option("--sliver-area", options_.sliver_area_m2,
                        "Overlaps up to this area (m²) count as touches (default 1)")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-width", options_.sliver_width_m,
                        "Overlaps thinner than this mean width 2A/P (m) count as touches (default 0.05)")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-length", options_.sliver_length_m,
                        "Lines inside a zone for up to this length (m) count as touches (default 0.1)")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--point-on-boundary", boundary_, "A point on a zone boundary is: inside (default) or touches")
            ->check(CLI::IsMember({"inside", "touches"}));
        sub->footer(
            "Exit codes: 0 no footprint prohibited or conditional, 1 some are, 2 usage error, 3 data error (including\n"
            "footprints that could not be checked).\n"
            "Example: redline check --zones ws.gpkg site.geojson --format json -o result.json");
    }

    ExitCode run(const GlobalOptions& global) override {
        for (const auto& report : reports_) {
            check_report_path(report);
        }
        const SchemaSet schemas = global.load_schemas();
        CheckRequest request;
        request.workspace = workspace_;
        request.input = input_.source();
        apply_near_options(near_, schemas, options_);
        options_.point_on_boundary_inside = boundary_ != "touches";
        request.options = options_;
        std::map<std::string, std::string> given;
        for (const auto& [fact, value] : facts_) {
            if (!value.empty()) {
                given[fact] = value;
            }
        }
        request.facts = FactVocabulary::load(schemas.directory()).from_options(given);
        request.rule_files.assign(rule_files_.begin(), rule_files_.end());
        request.as_of = parse_as_of(as_of_);

        if (!export_geojson_.empty()) {
            require_extension(export_geojson_, {".geojson", ".json"}, "--export-geojson");
        }
        Output output(output_);
        const CheckRun run = [&] {
            TerminalProgress progress(global.language());
            return run_check(schemas, request, progress);
        }();
        std::ostream& out = output.stream();
        if (format_ == "json") {
            write_json(out, run, schemas, global.language());
        } else if (format_ == "csv") {
            write_csv(out, run, schemas, global.language());
        } else {
            write_table(out, run, schemas, global.language());
        }
        output.finish();
        if (!export_geojson_.empty()) {
            const std::size_t n = write_overlaps_geojson(export_geojson_, run, schemas, global.language());
            std::cerr << (global.language() == Language::zh ? "重叠部分 " : "overlaps ") << n << " → "
                      << export_geojson_ << '\n';
        }
        const std::string time_stamp = report_time_stamp();
        for (const auto& report : reports_) {
            write_screening_report(report, run, schemas, global.language(), time_stamp);
            std::cerr << (global.language() == Language::zh ? "研判报告 " : "report ") << report << '\n';
        }
        const bool unchecked = std::any_of(run.problems.begin(), run.problems.end(),
                                           [](const Problem& p) { return p.severity == Severity::error; });
        if (unchecked) {
            std::cerr << "redline: " << Message("cli.some_unchecked").text(global.language()) << '\n';
            return ExitCode::data;
        }
        return run.has_conflicts() ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    CheckOptions options_;
    InputOptions input_;
    std::string workspace_, output_;
    std::vector<std::string> reports_;
    std::string export_geojson_;
    std::string format_ = "table";
    std::string boundary_ = "inside";
    std::vector<std::string> near_;
    std::vector<std::string> rule_files_;
    std::string as_of_;
    std::map<std::string, std::string> facts_;
};

}  // namespace

std::unique_ptr<Command> make_check_command(CLI::App& app) {
    return std::make_unique<CheckCommand>(app);
}

}  // namespace redline::cli
