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
        : Command(app.add_subcommand(
              "check", say("对照各类分区核查项目用地范围", "Screen project footprints against the zones"))) {
        auto* sub = subcommand_;
        sub->add_option(
               "--zones", workspace_,
               say("由 `redline import` 生成的工作空间 GeoPackage", "Workspace GeoPackage made by `redline import`"))
            ->required();
        input_.add_to(*sub,
                      say("项目用地范围：任意 OGR 数据源、坐标 TXT、CSV/XLSX，或用 - 从标准输入读入 GeoJSON/WKT",
                          "Footprints: any OGR source, a coordinate TXT, CSV/XLSX, or - for GeoJSON/WKT on stdin"),
                      true);
        const char* facts = say("项目活动（规则据此适用；输入数据带有这些属性时，以各用地范围自身的值为准）",
                                "Activity (rules key on these; input attributes override per footprint)");
        sub->add_option("--activity", facts_["activity"],
                        say("活动类型：construction | linear | outfall-new | outfall-existing"
                            "（默认：线要素为 linear，其余为 construction）",
                            "construction | linear | outfall-new | outfall-existing (default: lines linear, else "
                            "construction)"))
            ->group(facts);
        sub->add_option("--industry", facts_["industry"],
                        say("所属行业，例如 chemical、water-supply（见 layers/facts.toml）",
                            "e.g. chemical, water-supply (layers/facts.toml)"))
            ->group(facts);
        sub->add_option("--scale", facts_["scale"],
                        say("建设性质：new（新建）| expansion（扩建）| reconstruction（改建），与准入清单条款对照",
                            "new | expansion | reconstruction: held against the access lists' clauses"))
            ->group(facts);
        sub->add_option("--discharges", facts_["discharges"],
                        say("yes | no：项目是否排放污染物", "yes | no: the project discharges pollutants"))
            ->group(facts);
        sub->add_option("--outfall-type", facts_["outfall_type"],
                        say("排污口类型：industrial | municipal-sewage | agricultural | other",
                            "industrial | municipal-sewage | agricultural | other"))
            ->group(facts);
        sub->add_option("--receiving-water", facts_["receiving_water"], say("受纳水体：river | sea", "river | sea"))
            ->group(facts);
        sub->add_option("--listed-activity", facts_["listed_activity"],
                        say("yes | no：是否属于分区自身规定所允许的活动（生态保护红线为自然资发〔2022〕142号所列活动，"
                            "自然保护区为《自然保护区条例》第二十六、二十七条，……）",
                            "yes | no: an activity the zone's own text permits (the list of 自然资发〔2022〕142号 in "
                            "red lines, of 自然保护区条例 Arts. 26-27 in reserves, ...)"))
            ->group(facts);
        sub->add_option("--rules", rule_files_,
                        say("叠加在国家默认规则之上的本地规则文件（可重复；编号相同的规则取代默认规则）",
                            "Local rule file over the national defaults (repeatable; same id replaces)"));
        sub->add_option("--as-of", as_of_, as_of_help());
        sub->add_option("--format", format_,
                        say("输出格式：table（默认）、json（见 docs/json-schema.md）或 csv（每个命中一行）",
                            "Output: table (default), json (docs/json-schema.md) or csv (one row per hit)"))
            ->check(CLI::IsMember({"table", "json", "csv"}));
        sub->add_option("--export-geojson", export_geojson_,
                        say("将重叠部分的几何及其属性写为 GeoJSON（CGCS2000），例如供 QGIS 使用",
                            "Write the overlap geometries with their attributes as GeoJSON (CGCS2000), e.g. for QGIS"));
        sub->add_flag("--overwrite", overwrite_,
                      say("覆盖已有的输出文件（-o、--export-geojson、--report）",
                          "Replace existing output files (-o, --export-geojson, --report)"));
        sub->add_option("-o,--output", output_,
                        say("写入此文件，而不是标准输出", "Write to this file instead of standard output"));
        sub->add_option("--report", reports_,
                        say("同时写出研判报告：.pdf，或 .html（单个自包含文件）；语言随 --lang"
                            "（可重复：--report r.pdf --report r.html）",
                            "Also write the screening report: .pdf, or .html as one self-contained file; in the "
                            "language of --lang (repeatable: --report r.pdf --report r.html)"));
        sub->add_option("--near", near_,
                        say("邻近（near）命中的检索距离，单位米：800 适用于所有保护类分区类型，KIND=800 只适用于该类型"
                            "（可重复）；各类型的默认值见 layers/<kind>/schema.toml",
                            "Search distance for `near` hits in metres: 800 for every protective kind, or KIND=800 "
                            "(repeatable); defaults per kind in layers/<kind>/schema.toml"));
        sub->add_option("--sliver-area", options_.sliver_area_m2,
                        say("面积不超过此值（m²）的重叠按仅接触计（默认 1）",
                            "Overlaps up to this area (m²) count as touches (default 1)"))
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-width", options_.sliver_width_m,
                        say("平均宽度 2A/P 小于此值（m）的重叠按仅接触计（默认 0.05）",
                            "Overlaps thinner than this mean width 2A/P (m) count as touches (default 0.05)"))
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-thin-area", options_.sliver_thin_area_m2,
                        say("平均宽度小于 --sliver-width 的重叠，面积不超过此值（m²）时才按仅接触计（默认 "
                            "100）：细小碎片既窄且小",
                            "A thinner overlap counts as touches only up to this area (m²; default 100): a sliver is "
                            "small as well as thin"))
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--sliver-length", options_.sliver_length_m,
                        say("线要素在分区内的长度不超过此值（m）时按仅接触计（默认 0.1）",
                            "Lines inside a zone for up to this length (m) count as touches (default 0.1)"))
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--point-on-boundary", boundary_,
                        say("落在分区边界上的点按 inside（位于区内，默认）或 touches（仅接触）计",
                            "A point on a zone boundary is: inside (default) or touches"))
            ->check(CLI::IsMember({"inside", "touches"}));
        sub->footer(
            say("退出码：0 没有结论为禁止或有条件的用地范围，1 有此类用地范围，2 用法错误，\n"
                "3 数据错误（包括未能核查的用地范围）。\n"
                "示例：redline check --zones ws.gpkg site.geojson --format json -o result.json",
                "Exit codes: 0 no footprint prohibited or conditional, 1 some are, 2 usage error, 3 data "
                "error (including\nfootprints that could not be checked).\n"
                "Example: redline check --zones ws.gpkg site.geojson --format json -o result.json"));
    }

    ExitCode run(const GlobalOptions& global) override {
        for (const auto& report : reports_) {
            check_report_path(report);
        }
        std::vector<std::string> outputs = {output_, export_geojson_};
        outputs.insert(outputs.end(), reports_.begin(), reports_.end());
        check_outputs(outputs, {workspace_, input_.path()}, overwrite_);
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
            // Either footprints were not checked, or the workspace lacks zones it holds.
            std::cerr << "redline: "
                      << Message(run.footprints_missed() ? "cli.some_unchecked" : "cli.workspace_incomplete")
                             .text(global.language())
                      << '\n';
            return ExitCode::data;
        }
        return run.has_conflicts() ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    CheckOptions options_;
    InputOptions input_;
    std::string workspace_, output_;
    bool overwrite_ = false;
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
