#include "command.hpp"

#include "redline/editing/change_file.hpp"
#include "redline/editing/edit_session.hpp"
#include "redline/store/workspace.hpp"

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace redline::cli {
namespace {

class EditCommand : public Command {
public:
    explicit EditCommand(CLI::App& app)
        : Command(app.add_subcommand("edit", say("将修改文件中的编辑作为一个版本写入工作空间",
                                                 "Apply the edits of a change file to a workspace as one version"))) {
        auto* sub = subcommand_;
        sub->add_option("workspace", workspace_,
                        say("工作空间（GeoPackage 或 PG:...）", "Workspace (GeoPackage or PG:...)"))
            ->required();
        sub->add_option("--apply", changes_,
                        say("修改文件：GeoJSON，每个要素一项编辑，属性 op（add/replace/fields/retire）、kind、"
                            "zone_id 及分区字段",
                            "Change file: GeoJSON, one feature per edit, properties op (add/replace/fields/retire), "
                            "kind, zone_id and the zone's fields"))
            ->required();
        sub->add_option("--basis", basis_,
                        say("调整依据：批准文号与说明；编辑使生态保护红线或自然保护地失去覆盖范围时必须给出",
                            "The approval the change rests on (document number and note); required when the edits "
                            "give up ground of red lines or reserves"));
        sub->add_option("--note", note_, say("版本说明", "Note recorded with the version"));
        sub->add_option("--author", author_, say("编辑人（默认：当前系统用户）", "Author (default: the system user)"));
        sub->add_flag("--dry-run", dry_run_,
                      say("只检查并报告影响，不写入", "Check and report what the edits do, write nothing"));
        sub->footer(
            say("每项编辑都按几何有效性和该类型的定义检查；任一项不能进行时不写入任何内容。\n"
                "退出码：0 已写入（或 --dry-run 检查通过），2 用法错误，3 数据错误、冲突或缺少调整依据。\n"
                "示例：redline edit ws.gpkg --apply changes.geojson --basis \"辽政函〔2026〕12号\" "
                "--note \"红线调整\"",
                "Every edit is checked for valid geometry and against its kind's definition; when one "
                "cannot be made,\nnothing is written. Exit codes: 0 written (or --dry-run passed), 2 usage "
                "error, 3 data error, conflict or\nmissing basis.\n"
                "Example: redline edit ws.gpkg --apply changes.geojson --basis \"approval 2026-12\" --note "
                "\"red line adjusted\""));
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        const Language language = global.language();
        const bool zh = language == Language::zh;
        const std::vector<ZoneEdit> edits = read_change_file(changes_, schemas);
        Workspace workspace = dry_run_ ? Workspace::open_read_only(workspace_) : Workspace::open(workspace_);
        EditSession session(workspace, schemas);
        for (const auto& edit : edits) {
            session.apply(edit);
        }
        const EditImpact& impact = session.impact();
        std::cout << (zh ? "编辑 " : "edits ") << edits.size() << (zh ? " 项，基于版本 " : " on version ")
                  << session.base_version() << '\n';
        for (const auto& [kind, balance] : impact.kinds) {
            if (balance.added + balance.removed + balance.changed == 0) {
                continue;
            }
            std::cout << "  " << kind << (zh ? "：新增 " : ": added ") << balance.added
                      << (zh ? "，注销 " : ", retired ") << balance.removed << (zh ? "，修改 " : ", changed ")
                      << balance.changed << (zh ? "；面积增加 " : "; area gained ") << fixed_text(balance.gained_m2, 1)
                      << (zh ? " m²，减少 " : " m², lost ") << fixed_text(balance.lost_m2, 1)
                      << (zh ? " m²；覆盖范围减少 " : " m²; coverage lost ") << fixed_text(balance.coverage_lost_m2, 1)
                      << " m²\n";
        }
        if (dry_run_) {
            if (impact.needs_basis()) {
                std::cout << (zh ? "保存时须给出 --basis（调整依据）。\n" : "saving needs --basis (the approval).\n");
            }
            return ExitCode::ok;
        }
        const VersionInfo version = session.commit(author_.empty() ? system_user() : author_, note_, basis_);
        std::cout << (zh ? "已写入版本 " : "written as version ") << version.id
                  << (zh ? "，工作空间摘要 " : ", workspace digest ") << version.workspace_digest << '\n';
        return ExitCode::ok;
    }

private:
    static std::string system_user() {
        for (const char* name : {"USER", "LOGNAME"}) {
            if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
                return value;
            }
        }
        return "";
    }

    std::string workspace_, changes_, basis_, note_, author_;
    bool dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> make_edit_command(CLI::App& app) {
    return std::make_unique<EditCommand>(app);
}

}  // namespace redline::cli
