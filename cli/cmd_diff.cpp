#include "command.hpp"
#include "progress_bar.hpp"

#include "redline/quality/quality.hpp"

#include <charconv>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace redline::cli {
namespace {

std::string fixed(double value, int decimals) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

std::optional<std::int64_t> version_number(const std::string& text) {
    std::int64_t v = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (error != std::errc() || end != text.data() + text.size() || v <= 0) {
        return std::nullopt;
    }
    return v;
}

class DiffCommand : public Command {
public:
    explicit DiffCommand(CLI::App& app)
        : Command(app.add_subcommand("diff", "Compare two versions or two workspaces  版本比较")) {
        auto* sub = subcommand_;
        sub->add_option("from", arguments_,
                        "WS V1 V2 (two versions of a workspace), WS V1 (a version against the current zones), or "
                        "WS1 WS2 (the current zones of two workspaces)")
            ->required()
            ->expected(2, 3);
        sub->add_option("--kind", kind_, "Only this kind");
        sub->add_option("--guard", guards_,
                        "Exit 1 when any area of this kind is no longer covered, naming where and how much, e.g. "
                        "--guard red_line (repeatable)");
        sub->add_option("--tolerance", options_.tolerance_m2, "Areas gained or lost below this (m²) are noise")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--changes-gpkg", changes_gpkg_,
                        "Write the zones added and removed and the areas gained and lost as a GeoPackage");
        sub->add_option("--format", format_, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
        sub->add_option("-o,--output", output_, "Write to this file instead of standard output");
        sub->footer(
            "Zones are matched by kind and zone id. Areas are ellipsoidal. Exit codes: 0 done (and no guarded\n"
            "area lost), 1 a guarded kind lost area, 2 usage error, 3 data error.\n"
            "Example: redline diff ws.gpkg 3 5 --guard red_line --changes-gpkg changes.gpkg");
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
        Output output(output_);
        std::vector<Zone> before, after;
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
        if (v1) {
            const VersionInfo from = version_info(first, *v1);
            before = first.load_zones_at(*v1);
            before_label = arguments_[0] + (zh ? " 版本 " : " version ") + std::to_string(*v1);
            if (arguments_.size() == 3) {
                const auto v2 = version_number(arguments_[2]);
                if (!v2) {
                    throw UsageError(Message("cli.not_a_version", {{"text", arguments_[2]}}));
                }
                version_info(first, *v2);
                after = first.load_zones_at(*v2);
                after_label = arguments_[0] + (zh ? " 版本 " : " version ") + std::to_string(*v2);
            } else {
                after = first.load_zones();
                const auto current = first.current_version();
                after_label = arguments_[0] + (zh ? " 当前版本 " : " current version ") +
                              (current ? std::to_string(current->id) : std::string("-"));
            }
        } else {
            if (arguments_.size() != 2) {
                throw UsageError(Message("cli.diff_arguments"));
            }
            const Workspace second = Workspace::open_read_only(arguments_[1]);
            before = first.load_zones();
            after = second.load_zones();
            before_label = arguments_[0];
            after_label = arguments_[1];
        }
        {
            TerminalProgress progress(global.language());
            report = diff_zones(before, after, options_, progress);
        }
        report.before_label = before_label;
        report.after_label = after_label;

        std::ostream& out = output.stream();
        if (format_ == "json") {
            write_diff_json(out, report);
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
                      << fixed(lost.area_m2, 2) << " m² @ " << fixed(lost.location.first, 6) << ", "
                      << fixed(lost.location.second, 6) << (zh ? "（原属 " : " (was ") << zones << (zh ? "）" : ")")
                      << '\n';
        }
        return guarded_loss ? ExitCode::conflicts : ExitCode::ok;
    }

private:
    std::vector<std::string> arguments_;
    std::string kind_, changes_gpkg_, output_;
    std::string format_ = "table";
    std::vector<std::string> guards_;
    DiffOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_diff_command(CLI::App& app) {
    return std::make_unique<DiffCommand>(app);
}

}  // namespace redline::cli
