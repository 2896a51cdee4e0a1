#include "command.hpp"

#include "redline/reports/report.hpp"
#include "redline/store/workspace.hpp"

#include <iostream>

namespace redline::cli {
namespace {

class LogCommand : public Command {
public:
    explicit LogCommand(CLI::App& app)
        : Command(app.add_subcommand("log", say("列出工作空间的版本", "List the versions of a workspace"))) {
        subcommand_->add_option("workspace", workspace_, say("工作空间 GeoPackage", "Workspace GeoPackage"))
            ->required();
        subcommand_->add_option("--format", format_, say("table（默认）或 json", "table (default) or json"))
            ->check(CLI::IsMember({"table", "json"}));
    }

    ExitCode run(const GlobalOptions& global) override {
        const Workspace workspace = Workspace::open_read_only(workspace_);
        const auto versions = workspace.versions();
        if (format_ == "json") {
            write_versions_json(std::cout, workspace.display_path(), versions);
            return ExitCode::ok;
        }
        const bool zh = global.language() == Language::zh;
        for (const auto& v : versions) {
            std::cout << (zh ? "版本 " : "version ") << v.id << "  " << v.time << "  " << v.operation << ' ' << v.kind
                      << "  +" << v.features_added << " -" << v.features_retired << (zh ? "  修复 " : "  repairs ")
                      << v.repairs << '\n';
            if (v.operation == "edit") {
                std::cout << "    " << (zh ? "编辑人 " : "by ") << (v.author.empty() ? "-" : v.author)
                          << (zh ? "，基于版本 " : ", on version ")
                          << (v.base_version ? std::to_string(*v.base_version) : std::string("-")) << '\n';
                if (!v.basis.empty()) {
                    std::cout << "    " << (zh ? "调整依据：" : "basis: ") << v.basis << '\n';
                }
            } else if (v.operation.rfind("access-", 0) == 0) {
                // Access lists: blocks read, added and retired; who imported or reviewed them.
                std::cout << "    " << v.source << (v.source_layer.empty() ? "" : " [" + v.source_layer + "]") << ' '
                          << v.source_digest.substr(0, 19) << '\n';
                if (!v.author.empty()) {
                    std::cout << "    " << (zh ? (v.operation == "access-review" ? "审核人 " : "导入人 ") : "by ")
                              << v.author << '\n';
                }
            } else {
                std::cout << "    " << v.source << " [" << v.source_layer << "] " << v.source_digest.substr(0, 19)
                          << '\n';
            }
            if (!v.note.empty()) {
                std::cout << "    " << v.note << '\n';
            }
        }
        if (versions.empty()) {
            std::cout << (zh ? "（没有版本）" : "(no versions)") << '\n';
        }
        return ExitCode::ok;
    }

private:
    std::string workspace_;
    std::string format_ = "table";
};

class KindsCommand : public Command {
public:
    explicit KindsCommand(CLI::App& app)
        : Command(app.add_subcommand(
              "kinds", say("列出分区类型及其分区和字段别名", "List the zone kinds, sub-zones and field aliases"))) {}

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        const bool zh = global.language() == Language::zh;
        std::cout << (zh ? "分区类型定义目录 " : "zone kinds from ") << schemas.directory().string() << "\n\n";
        for (const auto& id : schemas.kind_ids()) {
            const KindSchema& kind = schemas.kind(id);
            std::cout << id << "  " << kind.name_zh << " / " << kind.name_en
                      << (kind.protective ? "" : "  (not protective)") << (zh ? "  邻近距离 " : "  near distance ")
                      << kind.near_distance_m << " m\n";
            for (const auto& sub : kind.subzones) {
                std::cout << "    " << sub.id << "  " << sub.name_zh << " / " << sub.name_en;
                if (sub.legacy()) {
                    std::cout << (zh ? "  → 导入为 " : "  -> imported as ") << sub.maps_to;
                }
                std::cout << '\n';
            }
            for (const auto& field : kind.fields) {
                std::cout << "    " << (field.is_attribute ? "attribute " : "field ") << field.id << " <-";
                for (const auto& a : field.aliases) {
                    std::cout << ' ' << a;
                }
                std::cout << '\n';
            }
            std::cout << '\n';
        }
        return ExitCode::ok;
    }
};

}  // namespace

std::unique_ptr<Command> make_log_command(CLI::App& app) {
    return std::make_unique<LogCommand>(app);
}
std::unique_ptr<Command> make_kinds_command(CLI::App& app) {
    return std::make_unique<KindsCommand>(app);
}

}  // namespace redline::cli
