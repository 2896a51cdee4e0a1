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
        : Command(app.add_subcommand(
              "outfalls", say("对照全部分区批量核查排污口名录", "Check an outfall register against every zone"))) {
        auto* sub = subcommand_;
        sub->add_option(
               "--zones", workspace_,
               say("由 `redline import` 生成的工作空间 GeoPackage", "Workspace GeoPackage made by `redline import`"))
            ->required();
        input_.add_to(
            *sub,
            say("排污口名录：CSV、XLSX、Shapefile 或 GeoPackage", "The register: CSV, XLSX, Shapefile or GeoPackage"),
            false);
        sub->add_option("-o,--output", output_,
                        say("结果文件：.csv、.xlsx 或 .gpkg（名录的各行加上核查结果列）",
                            "Result: .csv, .xlsx or .gpkg (the register's rows with added columns)"))
            ->required();
        sub->add_flag("--overwrite", overwrite_,
                      say("覆盖已有的结果、汇总与报告文件", "Replace an existing result, summary and reports"));
        sub->add_option("--map", maps_,
                        say("名录中 code、name、type、water_kind、water_name 或 status 所在的列，"
                            "例如 --map water_name=河流名称（可重复）",
                            "Register column for code, name, type, water_kind, water_name or status, e.g. --map "
                            "water_name=河流名称 (repeatable)"));
        sub->add_option("--merge-distance", merge_distance_,
                        say("同一受纳水体上相距不超过此距离（m）的排污口归入同一合并组（默认 500）",
                            "Outfalls on the same receiving water this close (m) form a merge group (default 500)"))
            ->check(CLI::Range(0.0, 100000.0));
        sub->add_option("--near", near_,
                        say("邻近分区的检索距离，单位米：800，或 KIND=800（可重复）",
                            "Search distance for nearby zones in metres: 800, or KIND=800 (repeatable)"));
        sub->add_option("--rules", rule_files_,
                        say("叠加在国家默认规则之上的本地规则文件（可重复）",
                            "Local rule file over the national defaults (repeatable)"));
        sub->add_option("--as-of", as_of_, as_of_help());
        sub->add_option("--threads", threads_,
                        say("工作线程数（默认：每个 CPU 核心一个）", "Worker threads (default: one per core)"));
        sub->add_option("--summary", summary_path_,
                        say("将汇总以 JSON 写入此文件（默认：结果文件名加 .summary.json）",
                            "Write the summary as JSON here (default: RESULT.summary.json)"));
        sub->add_option("--report", reports_,
                        say("同时将汇总写为报告，附图表和按处置措施标示排污口的地图：.html（单个自包含文件）"
                            "或 .pdf（可重复）",
                            "Also write the summary as a report with charts and a map of the outfalls by action: "
                            ".html (one self-contained file) or .pdf (repeatable)"));
        sub->footer(
            say("名录的每一行都按原顺序写入结果；无法核查的行注明原因。\n"
                "退出码：0 完成，1 有排污口须取缔，2 用法错误，3 数据错误。\n"
                "示例：redline outfalls --zones ws.gpkg 排污口名录.xlsx -o 核查结果.xlsx",
                "Every row of the register is in the result, in order; rows that cannot be checked say "
                "why.\nExit codes: 0 done, 1 some outfalls must be closed, 2 usage error, 3 data error.\n"
                "Example: redline outfalls --zones ws.gpkg 排污口名录.xlsx -o 核查结果.xlsx"));
    }

    ExitCode run(const GlobalOptions& global) override {
        for (const auto& report : reports_) {
            check_report_path(report);
        }
        const std::string summary_path = summary_path_.empty() ? output_ + ".summary.json" : summary_path_;
        std::vector<std::string> outputs = {output_, summary_path};
        outputs.insert(outputs.end(), reports_.begin(), reports_.end());
        check_outputs(outputs, {workspace_, input_.path()}, overwrite_);
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
        Output json(summary_path);
        write_outfall_summary_json(json.stream(), summary, global.language());
        json.finish();
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
