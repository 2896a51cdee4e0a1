#include "command.hpp"
#include "progress_bar.hpp"

#include "redline/indicators/indicator_run.hpp"
#include "redline/indicators/indicators_report.hpp"
#include "redline/reports/screening_report.hpp"

#include <iostream>
#include <optional>

namespace redline::cli {
namespace {

class IndicatorsCommand : public Command {
public:
    explicit IndicatorsCommand(CLI::App& app)
        : Command(app.add_subcommand(
              "indicators", say("计算规划指标（红线面积与占比、保护地与水源地面积、自然岸线保有率），对照目标预警",
                                "Measure plan indicators (red-line area and share, protected and source areas, "
                                "natural coastline retention) and warn against targets"))) {
        auto* sub = subcommand_;
        sub->add_option("workspace", workspace_,
                        say("工作空间（GeoPackage 或 PG: 连接）", "Workspace (GeoPackage or PG: connection)"))
            ->required();
        sub->add_option("--version", version_,
                        say("计算此版本的指标（默认：当前版本）", "Measure at this version (default: the current one)"))
            ->check(CLI::PositiveNumber);
        sub->add_option("--since", since_,
                        say("与此更早的版本比较，并列出其后每个版本的趋势（默认：与上一版本比较，不列趋势）",
                            "Compare with this earlier version and list the trend over every version since "
                            "(default: compare with the version before, no trend)"))
            ->check(CLI::PositiveNumber);
        sub->add_option("--by", by_, say("按行政区分别计算：--by district", "Also per district: --by district"))
            ->check(CLI::IsMember({"district"}));
        sub->add_option(
            "--targets", targets_,
            say("目标文件（TOML，见 docs/indicators.md 和 layers/demo/targets.toml）：逐项判定达标、预警或未达标",
                "Targets file (TOML, see docs/indicators.md and layers/demo/targets.toml): each target "
                "met, at risk or missed"));
        sub->add_option("--as-of", as_of_,
                        say("目标的适用日期，格式 YYYY-MM-DD（默认：中国当天）：决定哪些目标适用、期限是否已到",
                            "The day the targets are judged on, YYYY-MM-DD (default: today in China): which are in "
                            "force, whether their due days have passed"));
        sub->add_flag("--guard", guard_,
                      say("约束性目标未达标或无法计算、或生态保护红线面积较比较版本减少时，以退出码 1 结束，"
                          "并指出相关版本和分区",
                          "Exit 1 when a binding target is missed or cannot be measured, or the red-line area fell "
                          "since the version compared with, naming the versions and zones"));
        sub->add_option("--format", format_, say("table（默认）、json 或 csv", "table (default), json or csv"))
            ->check(CLI::IsMember({"table", "json", "csv"}));
        sub->add_option("-o,--output", output_,
                        say("写入此文件，而不是标准输出", "Write to this file instead of standard output"));
        sub->add_option("--report", reports_,
                        say("同时写出报告（每项指标一张趋势图）：.pdf，或 .html（单个自包含文件）（可重复）",
                            "Also write the report (a trend chart per indicator): .pdf, or .html as one "
                            "self-contained file (repeatable)"));
        sub->add_flag("--overwrite", overwrite_,
                      say("覆盖已有的输出文件（-o、--report）", "Replace existing output files (-o, --report)"));
        sub->footer(
            say("面积为 GRS80 椭球面积，同类图斑先求并集（重叠只计一次，洞不计入）；长度为测地线长度。\n"
                "退出码：0 完成（且 --guard 未发现问题），1 --guard 发现约束性指标未达标或红线面积减少，\n"
                "2 用法错误，3 数据错误。\n"
                "示例：redline indicators ws.gpkg --by district --targets layers/demo/targets.toml --guard",
                "Areas are ellipsoidal (GRS80), zones of a kind united first (overlaps once, holes out); lengths "
                "are geodesic.\nExit codes: 0 done (and --guard found nothing), 1 --guard found a binding target "
                "missed or the\nred-line area fallen, 2 usage error, 3 data error.\n"
                "Example: redline indicators ws.gpkg --by district --targets layers/demo/targets.toml --guard"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const Language language = global.language();
        const SchemaSet schemas = global.load_schemas();
        for (const auto& report : reports_) {
            check_report_path(report);
        }
        std::vector<std::string> outputs = {output_};
        outputs.insert(outputs.end(), reports_.begin(), reports_.end());
        check_outputs(outputs, {workspace_, targets_}, overwrite_);
        IndicatorRunOptions options;
        options.as_of = parse_as_of(as_of_).value_or(LegalDate::today());
        std::optional<TargetFile> targets;
        if (!targets_.empty()) {
            targets = TargetFile::load(targets_, schemas);
            options.targets = &*targets;
        }
        if (version_ > 0) {
            options.version = version_;
        }
        if (since_ > 0) {
            options.since = since_;
        }
        options.by_district = by_ == "district";
        Output output(output_);
        const Workspace workspace = Workspace::open_read_only(workspace_);
        IndicatorRun run;
        {
            TerminalProgress progress(language);
            run = run_indicators(workspace, schemas, options, progress);
        }
        std::ostream& out = output.stream();
        if (format_ == "json") {
            write_indicators_json(out, run, schemas, language);
        } else if (format_ == "csv") {
            write_indicators_csv(out, run, language);
        } else {
            write_indicators_table(out, run, schemas, language);
        }
        output.finish();
        const std::string time_stamp = report_time_stamp();
        for (const auto& report : reports_) {
            write_indicators_report(report, run, schemas, language, time_stamp);
            std::cerr << Message("cli.report_written", {{"file", report}}).text(language) << '\n';
        }
        if (!guard_) {
            return ExitCode::ok;
        }
        for (const auto& finding : guard_messages(run, schemas)) {
            std::cerr << "redline: " << finding.text(language) << '\n';
        }
        return run.guard_tripped() ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    std::string workspace_, by_, targets_, as_of_, output_;
    std::int64_t version_ = 0, since_ = 0;
    std::string format_ = "table";
    std::vector<std::string> reports_;
    bool guard_ = false, overwrite_ = false;
};

}  // namespace

std::unique_ptr<Command> make_indicators_command(CLI::App& app) {
    return std::make_unique<IndicatorsCommand>(app);
}

}  // namespace redline::cli
