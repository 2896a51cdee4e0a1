#include "command.hpp"
#include "progress_bar.hpp"

#include "redline/quality/quality.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace redline::cli {
namespace {

std::optional<std::int64_t> version_number(const std::string& text) {
    std::int64_t v = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (error != std::errc() || end != text.data() + text.size() || v <= 0) {
        return std::nullopt;
    }
    return v;
}

// The versions that lead from one version to another (either way round), each with its
// author and basis.
std::vector<VersionInfo> versions_between(const Workspace& workspace, std::int64_t a, std::int64_t b) {
    std::vector<VersionInfo> out;
    for (auto& v : workspace.versions()) {
        if (v.id > std::min(a, b) && v.id <= std::max(a, b)) {
            out.push_back(std::move(v));
        }
    }
    return out;
}

class DiffCommand : public Command {
public:
    explicit DiffCommand(CLI::App& app)
        : Command(app.add_subcommand(
              "diff", say("比较工作空间的两个版本，或比较两个工作空间", "Compare two versions or two workspaces"))) {
        auto* sub = subcommand_;
        sub->add_option("from", arguments_,
                        say("WS V1 V2（同一工作空间的两个版本）、WS V1（某一版本与当前分区比较）"
                            "或 WS1 WS2（两个工作空间的当前分区）",
                            "WS V1 V2 (two versions of a workspace), WS V1 (a version against the current zones), "
                            "or WS1 WS2 (the current zones of two workspaces)"))
            ->required()
            ->expected(2, 3);
        sub->add_option("--kind", kind_, say("只比较此分区类型", "Only this kind"));
        sub->add_option("--guard", guards_,
                        say("此分区类型有任何区域不再被覆盖时以退出码 1 结束，并指出位置和面积，"
                            "例如 --guard red_line（可重复）",
                            "Exit 1 when any area of this kind is no longer covered, naming where and how much, "
                            "e.g. --guard red_line (repeatable)"));
        sub->add_option("--tolerance", options_.tolerance_m2,
                        say("增减面积小于此值（m²）时视为噪声", "Areas gained or lost below this (m²) are noise"))
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--changes-gpkg", changes_gpkg_,
                        say("将新增和删除的分区以及增加和减少的区域写为 GeoPackage",
                            "Write the zones added and removed and the areas gained and lost as a GeoPackage"));
        sub->add_option("--format", format_, say("table（默认）或 json", "table (default) or json"))
            ->check(CLI::IsMember({"table", "json"}));
        sub->add_flag(
            "--overwrite", overwrite_,
            say("覆盖已有的输出文件（-o、--changes-gpkg）", "Replace existing output files (-o, --changes-gpkg)"));
        sub->add_option("-o,--output", output_,
                        say("写入此文件，而不是标准输出", "Write to this file instead of standard output"));
        sub->footer(
            say("按分区类型和分区编号对应分区；面积按椭球面计算。\n"
                "退出码：0 完成（且 --guard 所指类型没有减少面积），1 --guard 所指类型面积减少，\n"
                "2 用法错误，3 数据错误。\n"
                "示例：redline diff ws.gpkg 3 5 --guard red_line --changes-gpkg changes.gpkg",
                "Zones are matched by kind and zone id. Areas are ellipsoidal. Exit codes: 0 done (and no "
                "guarded\narea lost), 1 a guarded kind lost area, 2 usage error, 3 data error.\n"
                "Example: redline diff ws.gpkg 3 5 --guard red_line --changes-gpkg changes.gpkg"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        const bool zh = global.language() == Language::zh;
        options_.language = global.language();
        if (!kind_.empty()) {
            schemas.kind(kind_);
            options_.kind = kind_;
        }
        for (const auto& g : guards_) {
            schemas.kind(g);
        }
        if (!changes_gpkg_.empty()) {
            require_extension(changes_gpkg_, {".gpkg"}, "--changes-gpkg");
        }
        check_outputs({output_, changes_gpkg_}, arguments_, overwrite_);
        Output output(output_);
        std::vector<Zone> before, after;
        std::vector<Problem> unusable;  // zones of either side that cannot be compared
        DiffReport report;
        std::string before_label, after_label;
        const Workspace first = Workspace::open_read_only(arguments_.at(0));
        auto version_info = [&](const Workspace& ws, std::int64_t id) -> VersionInfo {
            for (const auto& v : ws.versions()) {
                if (v.id == id) {
                    return v;
                }
            }
            throw UsageError(Message("cli.no_such_version", {{"workspace", ws.path().string()}, {"version", id}}));
        };
        const auto v1 = arguments_.size() >= 2 ? version_number(arguments_[1]) : std::nullopt;
        std::vector<VersionInfo> between;  // the versions that made the difference, with their basis
        if (v1) {
            const VersionInfo from = version_info(first, *v1);
            before = first.load_zones_at(*v1, &unusable);
            before_label = arguments_[0] + (zh ? " 版本 " : " version ") + std::to_string(*v1);
            if (arguments_.size() == 3) {
                const auto v2 = version_number(arguments_[2]);
                if (!v2) {
                    throw UsageError(Message("cli.not_a_version", {{"text", arguments_[2]}}));
                }
                version_info(first, *v2);
                between = versions_between(first, *v1, *v2);
                after = first.load_zones_at(*v2, &unusable);
                after_label = arguments_[0] + (zh ? " 版本 " : " version ") + std::to_string(*v2);
            } else {
                after = first.load_zones(std::nullopt, &unusable);
                const auto current = first.current_version();
                between = versions_between(first, *v1, current ? current->id : *v1);
                after_label = arguments_[0] + (zh ? " 当前版本 " : " current version ") +
                              (current ? std::to_string(current->id) : std::string("-"));
            }
        } else {
            if (arguments_.size() != 2) {
                throw UsageError(Message("cli.diff_arguments"));
            }
            const Workspace second = Workspace::open_read_only(arguments_[1]);
            before = first.load_zones(std::nullopt, &unusable);
            after = second.load_zones(std::nullopt, &unusable);
            before_label = arguments_[0];
            after_label = arguments_[1];
        }
        {
            TerminalProgress progress(global.language());
            report = diff_zones(before, after, options_, progress);
        }
        report.before_label = before_label;
        report.after_label = after_label;
        report.versions = std::move(between);
        report.problems = std::move(unusable);

        std::ostream& out = output.stream();
        if (format_ == "json") {
            write_diff_json(out, report, global.language());
        } else {
            write_diff_table(out, report, schemas, global.language());
        }
        output.finish();
        if (!changes_gpkg_.empty()) {
            write_diff_gpkg(changes_gpkg_, report);
        }
        bool guarded_loss = false;
        for (const auto& lost : report.lost) {
            if (std::find(guards_.begin(), guards_.end(), lost.kind) == guards_.end()) {
                continue;
            }
            guarded_loss = true;
            const KindSchema& k = schemas.kind(lost.kind);
            std::string zones;
            for (std::size_t i = 0; i < lost.zone_ids.size(); ++i) {
                zones += (i ? ", " : "") + lost.zone_ids[i] + (lost.names[i].empty() ? "" : " " + lost.names[i]);
            }
            std::cerr << (zh ? "redline: " + k.name_zh + "面积减少 " : "redline: " + k.name_en + " lost ")
                      << fixed_text(lost.area_m2, 2) << " m² @ " << fixed_text(lost.location.first, 6) << ", "
                      << fixed_text(lost.location.second, 6) << (zh ? "（原属 " : " (was ") << zones
                      << (zh ? "）" : ")") << '\n';
        }
        return guarded_loss ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    std::vector<std::string> arguments_;
    std::string kind_, changes_gpkg_, output_;
    bool overwrite_ = false;
    std::string format_ = "table";
    std::vector<std::string> guards_;
    DiffOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_diff_command(CLI::App& app) {
    return std::make_unique<DiffCommand>(app);
}

}  // namespace redline::cli
