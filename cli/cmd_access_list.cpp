// `redline access-list import|show`: access lists (准入清单) as published, stored in the
// workspace as versions. Another file adds a subcommand through access_list_parent().
#include "command.hpp"

#include "redline/access/clause_reader.hpp"
#include "redline/store/workspace.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

namespace redline::cli {

CLI::App& access_list_parent(CLI::App& app) {
    for (CLI::App* existing : app.get_subcommands({})) {
        if (existing->get_name() == "access-list") {
            return *existing;
        }
    }
    CLI::App* parent =
        app.add_subcommand("access-list", say("生态环境准入清单：导入、查看", "Access lists (准入清单): import, show"));
    parent->require_subcommand(1);
    parent->footer(say("退出码：0 成功，2 用法错误，3 数据错误（不写入任何内容）。",
                       "Exit codes: 0 done, 2 usage error, 3 data error (nothing is written)."));
    return *parent;
}

namespace {

// The dimension as the access wing names it: 空间布局约束 ... or 未注明维度.
std::string dimension_label(const std::string& id, bool zh) {
    const auto dimension = access::parse_dimension(id);
    return access::dimension_message(dimension.value_or(access::Dimension::unspecified))
        .text(zh ? Language::zh : Language::en);
}

class AccessImportCommand : public Command {
public:
    explicit AccessImportCommand(CLI::App& app)
        : Command(access_list_parent(app).add_subcommand(
              "import",
              say("将准入清单表（XLSX、CSV、GeoPackage……）作为新版本导入工作空间",
                  "Import an access-list table (XLSX, CSV, GeoPackage, ...) into a workspace as a version"))) {
        auto* sub = subcommand_;
        sub->add_option("workspace", workspace_,
                        say("工作空间（GeoPackage 或 PG:...）", "Workspace (GeoPackage or PG:...)"))
            ->required();
        sub->add_option("source", options_.source,
                        say("准入清单表：XLSX、CSV、GeoPackage 或任意 OGR 数据源",
                            "The access-list table: XLSX, CSV, GeoPackage or any OGR source"))
            ->required();
        sub->add_option("--layer", layer_, say("工作表或图层", "Sheet or layer"));
        sub->add_option("--map", maps_,
                        say("将标准字段对应到表中的列，例如 --map unit_code=单元编码（可重复；字段见 "
                            "layers/control_unit/access_lists.toml）",
                            "Map a standard field to a column, e.g. --map unit_code=单元编码 (repeatable; fields in "
                            "layers/control_unit/access_lists.toml)"));
        sub->add_option("--encoding", encoding_, say("CSV 的文本编码，例如 GBK", "Text encoding of a CSV, e.g. GBK"));
        sub->add_option(
            "--general", general_,
            say("整个表是一份总体准入清单：其编号，例如 LN-2021", "The whole table is one general list: its id"));
        sub->add_option("--title", options_.general_title, say("总体清单的名称", "The general list's title"));
        sub->add_option("--classes", classes_,
                        say("总体清单适用的单元类别，例如 key,general（默认：全部）",
                            "Unit classes the general list applies to, e.g. key,general (default: all)"))
            ->delimiter(',');
        sub->add_option("--region", options_.general_region,
                        say("总体清单适用的行政区划代码，例如 21（省）或 2102（市）",
                            "Region code the general list applies to, e.g. 21 (province) or 2102 (city)"));
        sub->add_flag("--replace", import_.replace,
                      say("注销所含范围（单元清单或总体清单）的全部现行清单，由本次导入取而代之",
                          "Retire every current list of the scopes imported: this import supersedes them"));
        sub->add_option("--note", import_.note, say("随版本记录的备注", "A note recorded with the version"));
        sub->add_option("--author", import_.author, say("导入人", "Who imports"));
        sub->footer(
            say("退出码：0 已导入，2 用法错误，3 数据错误（不写入任何内容）。\n"
                "示例：redline access-list import ws.gpkg 准入清单.xlsx\n"
                "      redline access-list import ws.gpkg 总体要求.csv --encoding GBK --general LN --region 21",
                "Exit codes: 0 imported, 2 usage error, 3 data error (nothing is written).\n"
                "Example: redline access-list import ws.gpkg lists.xlsx\n"
                "         redline access-list import ws.gpkg general.csv --encoding GBK --general LN --region 21"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const std::filesystem::path layers =
            global.layers_dir.empty() ? SchemaSet::default_directory() : std::filesystem::path(global.layers_dir);
        if (!layer_.empty()) {
            options_.layer = layer_;
        }
        if (!encoding_.empty()) {
            options_.encoding = encoding_;
        }
        if (!general_.empty()) {
            options_.general_list_id = general_;
        }
        options_.general_classes = classes_;
        for (const auto& m : maps_) {
            auto [standard, field] = split_assignment(m, "--map");
            if (standard.empty()) {
                throw UsageError(Message("cli.bad_access_map", {{"text", m}}));
            }
            options_.field_map[standard] = field;
        }
        Workspace workspace = Workspace::open(workspace_);  // lists belong to a workspace's units
        const AccessListSource read = read_access_list_source(layers, options_);
        import_.source = options_.source;
        import_.source_layer = options_.layer.value_or("");
        import_.source_digest = read.source_digest;
        const VersionInfo version = workspace.import_access_lists(read.blocks, import_);

        const bool zh = global.language() == Language::zh;
        std::set<std::pair<std::string, std::string>> lists;
        std::map<std::string, int> by_dimension;
        for (const auto& b : read.blocks) {
            lists.insert({access_list_scope_name(b.scope), b.list_id});
            ++by_dimension[b.dimension];
        }
        std::cout << (zh ? "已导入 " : "imported ") << lists.size() << (zh ? " 份清单、" : " list(s), ")
                  << read.blocks.size() << (zh ? " 段文本为版本 " : " block(s) as version ") << version.id << " ("
                  << version.workspace_digest.substr(0, 19) << ")\n";
        std::cout << (zh ? "  来源 " : "  source ") << version.source << ' ' << version.source_digest.substr(0, 19)
                  << '\n';
        if (version.features_retired > 0) {
            std::cout << (zh ? "  取代原有文本段 " : "  blocks retired ") << version.features_retired << '\n';
        }
        std::cout << (zh ? "  字段对应：" : "  fields:");
        for (const auto& [standard, source] : read.field_mapping) {
            std::cout << ' ' << standard << "←" << source;
        }
        std::cout << '\n';
        for (const auto& [dimension, count] : by_dimension) {
            std::cout << "  " << (dimension.empty() ? "-" : dimension) << " (" << dimension_label(dimension, zh)
                      << "): " << count << '\n';
        }
        if (!read.problems.empty()) {
            std::cout << (zh ? "  问题 " : "  problems ") << read.problems.size() << ":\n";
            for (const auto& p : read.problems) {
                std::cout << "    " << problem_line(p, global.language()) << '\n';
            }
        }
        return ExitCode::ok;
    }

private:
    AccessListSourceOptions options_;
    AccessListImport import_;
    std::string workspace_, layer_, encoding_, general_;
    std::vector<std::string> maps_, classes_;
};

class AccessShowCommand : public Command {
public:
    explicit AccessShowCommand(CLI::App& app)
        : Command(access_list_parent(app).add_subcommand(
              "show", say("列出工作空间中的准入清单", "List the access lists stored in a workspace"))) {
        auto* sub = subcommand_;
        sub->add_option("workspace", workspace_,
                        say("工作空间（GeoPackage 或 PG:...）", "Workspace (GeoPackage or PG:...)"))
            ->required();
        sub->add_option("--unit", unit_, say("只列该管控单元的清单（编码）", "Only the list of this unit (its code)"));
        sub->add_option("--list", list_, say("只列该清单（编号）", "Only this list (its id)"));
        sub->add_option("--version", version_,
                        say("该版本时的清单（默认：现行）", "The lists as of this version (default: current)"));
        sub->add_option("--format", format_, say("table（默认）或 json", "table (default) or json"))
            ->check(CLI::IsMember({"table", "json"}));
    }

    ExitCode run(const GlobalOptions& global) override {
        const Workspace workspace = Workspace::open_read_only(workspace_);
        std::optional<std::int64_t> at;
        if (version_ >= 0) {
            const auto versions = workspace.versions();
            if (std::none_of(versions.begin(), versions.end(),
                             [&](const VersionInfo& v) { return v.id == version_; })) {
                throw UsageError(
                    Message("cli.no_such_version", {{"workspace", workspace.display_path()}, {"version", version_}}));
            }
            at = version_;
        }
        std::vector<AccessListBlock> blocks;
        for (auto& b : workspace.access_lists(at)) {
            if ((unit_.empty() || (b.scope == AccessListScope::unit && b.list_id == unit_)) &&
                (list_.empty() || b.list_id == list_)) {
                blocks.push_back(std::move(b));
            }
        }
        if (format_ == "json") {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auto& b : blocks) {
                list.push_back({{"scope", access_list_scope_name(b.scope)},
                                {"list_id", b.list_id},
                                {"title", b.title},
                                {"unit_classes", b.unit_classes},
                                {"region", b.region},
                                {"dimension", b.dimension},
                                {"source_ref", b.source_ref},
                                {"version", b.version},
                                {"text", b.text}});
            }
            std::cout << nlohmann::ordered_json{{"workspace", workspace.display_path()},
                                                {"version",
                                                 at ? nlohmann::ordered_json(*at) : nlohmann::ordered_json(nullptr)},
                                                {"blocks", list}}
                             .dump(2)
                      << '\n';
            return ExitCode::ok;
        }
        const bool zh = global.language() == Language::zh;
        std::string shown;
        for (const auto& b : blocks) {
            const std::string heading = std::string(access_list_scope_name(b.scope)) + " " + b.list_id;
            if (heading != shown) {
                shown = heading;
                std::cout << (b.scope == AccessListScope::unit ? (zh ? "单元清单 " : "unit list ")
                                                               : (zh ? "总体清单 " : "general list "))
                          << b.list_id << (b.title.empty() ? "" : "  " + b.title);
                if (b.scope == AccessListScope::general) {
                    std::string classes;
                    for (const auto& c : b.unit_classes) {
                        classes += (classes.empty() ? "" : ",") + c;
                    }
                    std::cout << (zh ? "  适用类别 " : "  classes ")
                              << (classes.empty() ? (zh ? "全部" : "all") : classes) << (zh ? "  区域 " : "  region ")
                              << (b.region.empty() ? (zh ? "全部" : "all") : b.region);
                }
                std::cout << '\n';
            }
            std::cout << "  [" << dimension_label(b.dimension, zh) << "] " << b.source_ref
                      << (zh ? "，版本 " : ", version ") << b.version << '\n';
            for (std::size_t start = 0; start <= b.text.size();) {
                const auto end = b.text.find('\n', start);
                std::cout << "    " << b.text.substr(start, end == std::string::npos ? std::string::npos : end - start)
                          << '\n';
                if (end == std::string::npos) {
                    break;
                }
                start = end + 1;
            }
        }
        if (blocks.empty()) {
            std::cout << (zh ? "（没有准入清单）" : "(no access lists)") << '\n';
        }
        return ExitCode::ok;
    }

private:
    std::string workspace_, unit_, list_;
    std::int64_t version_ = -1;
    std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> make_access_import_command(CLI::App& app) {
    return std::make_unique<AccessImportCommand>(app);
}
std::unique_ptr<Command> make_access_show_command(CLI::App& app) {
    return std::make_unique<AccessShowCommand>(app);
}

}  // namespace redline::cli
