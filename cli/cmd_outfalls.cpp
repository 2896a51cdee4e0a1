#include "command.hpp"
#include "input_options.hpp"
#include "progress_bar.hpp"

#include "redline/outfalls/outfalls.hpp"
#include "redline/reports/screening_report.hpp"

#include <unistd.h>
#include <fstream>
#include <iostream>

namespace redline::cli {
namespace {

class OutfallsCommand : public Command {
public:
    explicit OutfallsCommand(CLI::App& app)
        : Command(app.add_subcommand("outfalls", "Check an outfall register against every zone  排污口名录批量核查")) {
        auto* sub = subcommand_;
        sub->add_option("--zones", workspace_, "Workspace GeoPackage made by `redline import`")->required();
        input_.add_to(*sub, "The register: CSV, XLSX, Shapefile or GeoPackage", false);
        sub->add_option("-o,--output", output_, "Result: .csv, .xlsx or .gpkg (the register's rows with added columns)")
            ->required();
        sub->add_flag("--overwrite", overwrite_, "Replace an existing result");
        sub->add_option("--map", maps_,
                        "Register column for code, name, type, water_kind, water_name or status, e.g. --map "
                        "water_name=河流名称 (repeatable)");
        sub->add_option("--merge-distance", merge_distance_,
                        "Outfalls on the same receiving water this close (m) form a merge group (default 500)")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--near", near_, "Search distance for nearby zones in metres: 800, or KIND=800 (repeatable)");
        sub->add_option("--rules", rule_files_, "Local rule file over the national defaults (repeatable)");
        sub->add_option("--as-of", as_of_, as_of_help);
        sub->add_option("--threads", threads_, "Worker threads (default: one per core)");
        sub->add_option("--summary", summary_path_, "Write the summary as JSON here (default: RESULT.summary.json)");
        sub->add_option("--report", reports_,
                        "Also write the summary as a report with charts and a map of the outfalls by action: .html "
                        "(one self-contained file) or .pdf (repeatable)");
        sub->footer(
            "Every row of the register is in the result, in order; rows that cannot be checked say why.\n"
            "Exit codes: 0 done, 1 some outfalls must be closed, 2 usage error, 3 data error.\n"
            "Example: redline outfalls --zones ws.gpkg 排污口名录.xlsx -o 核查结果.xlsx");
    }

    ExitCode run(const GlobalOptions& global) override {
        for (const auto& report : reports_) {
            check_report_path(report);
        }
        const SchemaSet schemas = global.load_schemas();
        OutfallRequest request;
        request.workspace = workspace_;
        request.input = input_.source();
        request.output = output_;
        request.overwrite = overwrite_;
        request.merge_distance_m = merge_distance_;
        request.language = global.language();
        request.threads = threads_;
        request.rule_files.assign(rule_files_.begin(), rule_files_.end());
        request.as_of = parse_as_of(as_of_);
        for (const auto& m : maps_) {
            auto [key, column] = split_assignment(m, "--map");
            if (key.empty()) {
                throw UsageError(Message("cli.bad_register_map", {{"text", m}}));
            }
            request.field_map[key] = column;
        }
        apply_near_options(near_, schemas, request.options);
        const OutfallSummary summary = [&] {
            TerminalProgress progress(global.language());
            return run_outfalls(schemas, request, progress);
        }();
        write_outfall_summary(std::cout, summary, global.language());
        const std::size_t shown = std::min<std::size_t>(summary.problems.size(), 20);
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& p = summary.problems[i];
            std::cerr << "  " << problem_line(p, global.language()) << '\n';
        }
        const std::size_t listed_rows = summary.error_rows + summary.warning_rows;
        if (listed_rows > shown) {
            const bool zh = global.language() == Language::zh;
            std::cerr << "  ... " << (zh ? "另有 " : "") << listed_rows - shown
                      << (zh ? " 行，见汇总文件及结果的核查状态列\n"
                             : " more rows: see the summary file and the result's status column\n");
        }
        const std::string summary_path = summary_path_.empty() ? output_ + ".summary.json" : summary_path_;
        std::ofstream json(summary_path);
        write_outfall_summary_json(json, summary, global.language());
        if (!json) {
            throw DataError(Message("cli.cannot_write_summary", {{"file", summary_path}}));
        }
        const std::string time_stamp = report_time_stamp();
        for (const auto& report : reports_) {
            write_outfall_report(report, summary, schemas, global.language(), time_stamp);
            std::cout << (global.language() == Language::zh ? "汇总报告 " : "report ") << report << '\n';
        }
        std::cout << (global.language() == Language::zh ? "结果 " : "result ") << output_ << ", "
                  << (global.language() == Language::zh ? "汇总 " : "summary ") << summary_path << '\n';
        const auto closes = summary.by_action.find("close");
        return closes != summary.by_action.end() && closes->second > 0 ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    InputOptions input_;
    std::string workspace_, output_, summary_path_;
    std::vector<std::string> reports_;
    bool overwrite_ = false;
    double merge_distance_ = 500;
    unsigned threads_ = 0;
    std::vector<std::string> maps_, near_, rule_files_;
    std::string as_of_;
};

}  // namespace

std::unique_ptr<Command> make_outfalls_command(CLI::App& app) {
    return std::make_unique<OutfallsCommand>(app);
}

}  // namespace redline::cli
