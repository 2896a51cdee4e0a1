#include "command.hpp"

#include "redline/report.hpp"

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
        sub->add_option("input", input_, "Footprints: any OGR source, or - for GeoJSON/WKT on standard input");
        sub->add_option("--layer", layer_, "Layer of a multi-layer input");
        sub->add_option("--wkt", wkt_, "A footprint as WKT instead of a file (needs --crs)");
        sub->add_option("--crs", crs_, "CRS of input without one (or to override it), e.g. EPSG:4490, EPSG:4527");
        sub->add_option("--encoding", encoding_,
                        "Text encoding of a Shapefile DBF without .cpg, e.g. GBK (default: detected)");
        sub->add_option("--zone", zone_,
                        "Gauss-Kruger zone of eastings without zone prefix (3-degree 25-45, 6-degree 13-23)");
        sub->add_option("--cm", cm_, "Or the central meridian of those eastings, in degrees (e.g. 123)");
        sub->add_option("--from", from_,
                        "Longitude/latitude taken from a web map: gcj02 (AMap, Tencent) or bd09 (Baidu)")
            ->check(CLI::IsMember({"gcj02", "bd09"}));
        sub->add_option("--id-field", id_field_, "Field holding the footprint id (default: id/编号/DKBH/...)");
        sub->add_option("--name-field", name_field_, "Field holding the footprint name (default: name/名称/XMMC/...)");
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
        sub->add_option("--listed-activity", facts_["listed_activity"],
                        "yes | no: one of the limited activities allowed in red lines (自然资发〔2022〕142号)")
            ->group(facts);
        sub->add_option("--rules", rule_files_,
                        "Local rule file over the national defaults (repeatable; same id replaces)");
        sub->add_option("--format", format_, "Output: table (default) or json (docs/json-schema.md)")
            ->check(CLI::IsMember({"table", "json"}));
        sub->add_option("-o,--output", output_, "Write to this file instead of standard output");
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
        const SchemaSet schemas = global.load_schemas();
        CheckRequest request;
        request.workspace = workspace_;
        if (!wkt_.empty()) {
            if (!input_.empty()) {
                throw UsageError("give either an input file or --wkt, not both");
            }
            request.input.wkt = wkt_;
        } else if (input_.empty()) {
            throw UsageError("no footprints: give an input file, - for standard input, or --wkt with --crs");
        }
        request.input.path = input_;
        auto set_if = [](std::optional<std::string>& target, const std::string& value) {
            if (!value.empty()) {
                target = value;
            }
        };
        set_if(request.input.layer, layer_);
        set_if(request.input.crs, crs_);
        set_if(request.input.encoding, encoding_);
        set_if(request.input.id_field, id_field_);
        set_if(request.input.name_field, name_field_);
        set_if(request.input.web_datum, from_);
        if (zone_ > 0) {
            request.input.zone = zone_;
        }
        if (cm_ > 0) {
            request.input.central_meridian = cm_;
        }
        for (const auto& n : near_) {
            auto [kind, value] = split_assignment(n, "--near");
            double metres = 0;
            try {
                std::size_t used = 0;
                metres = std::stod(value, &used);
                if (used != value.size() || metres < 0) {
                    throw std::invalid_argument(value);
                }
            } catch (const std::logic_error&) {
                throw UsageError("--near '" + n + "': the distance must be a number of metres, e.g. --near 800");
            }
            if (kind.empty()) {
                options_.near_distance_all_m = metres;
            } else {
                schemas.kind(kind);
                options_.near_distance_m[kind] = metres;
            }
        }
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

        const CheckRun run = run_check(schemas, request);
        std::ofstream file;
        if (!output_.empty()) {
            file.open(output_);
            if (!file) {
                throw DataError(output_ + ": cannot write the output file");
            }
        }
        std::ostream& out = output_.empty() ? std::cout : file;
        if (format_ == "json") {
            write_json(out, run, schemas, global.language());
        } else {
            write_table(out, run, schemas, global.language());
        }
        out.flush();
        if (!out) {
            throw DataError((output_.empty() ? std::string("standard output") : output_) + ": write failed");
        }
        const bool unchecked = std::any_of(run.problems.begin(), run.problems.end(),
                                           [](const Problem& p) { return p.severity == "error"; });
        if (unchecked) {
            std::cerr << "redline: some footprints could not be checked; see the problems listed\n";
            return ExitCode::data;
        }
        return run.has_conflicts() ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    CheckOptions options_;
    std::string workspace_, input_, layer_, wkt_, crs_, encoding_, id_field_, name_field_, output_;
    std::string format_ = "table";
    std::string boundary_ = "inside";
    std::vector<std::string> near_;
    std::vector<std::string> rule_files_;
    std::string from_;
    int zone_ = 0;
    double cm_ = 0;
    std::map<std::string, std::string> facts_;
};

}  // namespace

std::unique_ptr<Command> make_check_command(CLI::App& app) {
    return std::make_unique<CheckCommand>(app);
}

}  // namespace redline::cli
