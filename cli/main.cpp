// `redline`: the command line. Everything that decides lives in core/; this file parses,
// dispatches and turns exceptions into exit codes (0 ok, 1 conflicts, 2 usage, 3 data, 4 internal).
#include "command.hpp"
#include "help_format.hpp"
#include "messages.hpp"

#include "redline/version.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <string_view>
#include <vector>

namespace redline::cli {

SchemaSet GlobalOptions::load_schemas() const {
    return SchemaSet::load(layers_dir.empty() ? SchemaSet::default_directory() : std::filesystem::path(layers_dir));
}

Output::Output(const std::string& path) : path_(path) {
    if (!path_.empty()) {
        partial_ = path_ + ".partial";
        file_.open(partial_, std::ios::binary);
        if (!file_) {
            throw DataError(Message("cli.cannot_write_output", {{"file", path_}}));
        }
    }
}

Output::~Output() {
    if (!path_.empty() && !finished_) {
        file_.close();
        std::error_code ignored;
        std::filesystem::remove(partial_, ignored);
    }
}

std::string fixed_text(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

void Output::finish() {
    stream().flush();
    if (!path_.empty()) {
        file_.close();
    }
    if (!stream()) {
        throw DataError(
            Message("cli.write_failed", {{"file", path_.empty() ? Message("cli.stdout") : Message::verbatim(path_)}}));
    }
    if (!path_.empty()) {
        std::filesystem::rename(partial_, path_);
        finished_ = true;
    }
}

void check_outputs(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs, bool overwrite) {
    auto is_file = [](const std::string& p) {
        return !p.empty() && p != "-" && p.rfind("PG:", 0) != 0 && p.find("://") == std::string::npos;
    };
    auto same_file = [](const std::string& a, const std::string& b) {
        std::error_code error;
        const auto ca = std::filesystem::weakly_canonical(a, error);
        const auto cb = std::filesystem::weakly_canonical(b, error);
        return !error && ca == cb;
    };
    for (const auto& output : outputs) {
        if (!is_file(output)) {
            continue;
        }
        for (const auto& input : inputs) {
            if (is_file(input) && same_file(output, input)) {
                throw UsageError(Message("cli.output_is_input", {{"file", output}}));
            }
        }
        if (std::filesystem::exists(output) && !overwrite) {
            throw DataError(Message("file.exists", {{"file", output}}));
        }
    }
}

void require_extension(const std::string& path, const std::vector<std::string>& extensions, const char* option) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(extensions.begin(), extensions.end(), ext) == extensions.end()) {
        std::string known;
        for (const auto& e : extensions) {
            known += (known.empty() ? "" : ", ") + e;
        }
        throw UsageError(Message("cli.bad_extension", {{"option", option}, {"file", path}, {"extensions", known}}));
    }
}

std::pair<std::string, std::string> split_assignment(const std::string& text, const std::string& option) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
        return {"", text};
    }
    if (eq == 0 || eq + 1 == text.size()) {
        throw UsageError(Message("cli.expected_assignment", {{"option", option}, {"text", text}}));
    }
    return {text.substr(0, eq), text.substr(eq + 1)};
}

std::optional<LegalDate> parse_as_of(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    if (auto day = LegalDate::parse(text)) {
        return day;
    }
    throw UsageError(Message("cli.bad_as_of", {{"text", text}}));
}

void apply_near_options(const std::vector<std::string>& values, const SchemaSet& schemas, CheckOptions& options) {
    for (const auto& text : values) {
        auto [kind, value] = split_assignment(text, "--near");
        double metres = -1;
        try {
            std::size_t used = 0;
            metres = std::stod(value, &used);
            if (used != value.size()) {
                metres = -1;
            }
        } catch (const std::logic_error&) {
        }
        if (metres < 0) {
            throw UsageError(Message("cli.bad_near", {{"text", text}}));
        }
        if (kind.empty()) {
            options.near_distance_all_m = metres;
        } else {
            schemas.kind(kind);  // a usage error naming the known kinds
            options.near_distance_m[kind] = metres;
        }
    }
}

}  // namespace redline::cli

int main(int argc, char** argv) {
    using namespace redline;
    using cli::say;
    cli::add_cli_messages();
    cli::set_help_language(cli::requested_language(argc, argv));
    CLI::App app{say("redline：对照生态保护红线、自然保护区、饮用水水源保护区和三线一单管控单元，\n"
                     "核查建设项目用地范围与排污口。",
                     "redline: screens project footprints and outfalls against ecological red lines, nature "
                     "reserves,\ndrinking-water source zones and 三线一单 units."),
                 "redline"};
    // Set before the subcommands are added: they take the formatter, the options' group and
    // their own group (the heading they are listed under) from the app.
    app.formatter(cli::make_help_formatter());
    const std::string options_group = say("选项", "Options");
    app.option_defaults()->group(options_group);
    app.group(say("子命令", "Subcommands"));
    app.set_help_flag("-h,--help", say("显示本帮助并退出", "Print this help message and exit"));
    app.set_version_flag("--version", std::string("redline ") + tool_version,
                         say("显示版本信息并退出", "Display program version information and exit"));
    cli::GlobalOptions global;
    app.add_option("--layers", global.layers_dir,
                   say("分区类型定义目录（默认：$REDLINE_LAYERS 或 redline 自带的 layers/）",
                       "Zone-kind definitions directory (default: $REDLINE_LAYERS or redline's own layers/)"))
        ->check(CLI::ExistingDirectory);
    app.add_option("--lang", global.lang,
                   say("消息、表格、报告与帮助的语言：zh（默认）或 en",
                       "Language of messages, tables, reports and help: zh (default) or en"))
        ->check(CLI::IsMember({"zh", "en"}));
    app.require_subcommand(1);
    app.fallthrough();

    std::vector<std::unique_ptr<cli::Command>> commands;
    commands.push_back(cli::make_import_command(app));
    commands.push_back(cli::make_check_command(app));
    commands.push_back(cli::make_log_command(app));
    commands.push_back(cli::make_kinds_command(app));
    commands.push_back(cli::make_rules_command(app));
    commands.push_back(cli::make_convert_command(app));
    commands.push_back(cli::make_outfalls_command(app));
    commands.push_back(cli::make_validate_command(app));
    commands.push_back(cli::make_diff_command(app));
    commands.push_back(cli::make_indicators_command(app));
    commands.push_back(cli::make_access_import_command(app));
    commands.push_back(cli::make_access_show_command(app));
    commands.push_back(cli::make_access_review_command(app));
    commands.push_back(cli::make_edit_command(app));
    commands.push_back(cli::make_serve_command(app));
    commands.push_back(cli::make_token_command(app));
    cli::group_help_flags(app, options_group);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : static_cast<int>(cli::ExitCode::usage);
    }
    try {
        for (auto& command : commands) {
            if (command->selected()) {
                return static_cast<int>(command->run(global));
            }
        }
        return static_cast<int>(cli::ExitCode::usage);
    } catch (const UsageError& e) {
        std::cerr << "redline: " << redact_secrets(e.message().text(global.language())) << "\n";
        return static_cast<int>(cli::ExitCode::usage);
    } catch (const Cancelled& e) {
        std::cerr << "redline: " << e.message().text(global.language()) << "\n";
        return static_cast<int>(cli::ExitCode::cancelled);
    } catch (const DataError& e) {
        std::cerr << "redline: " << redact_secrets(e.message().text(global.language())) << "\n";
        return static_cast<int>(cli::ExitCode::data);
    } catch (const std::filesystem::filesystem_error& e) {
        // The environment, not a bug: a read-only target, a path too long, a full disk.
        std::cerr << "redline: "
                  << redact_secrets(
                         Message("cli.file_system", {{"file", e.path1().string()}, {"detail", e.code().message()}})
                             .text(global.language()))
                  << "\n";
        return static_cast<int>(cli::ExitCode::data);
    } catch (const std::bad_alloc&) {
        std::cerr << "redline: " << Message("cli.out_of_memory").text(global.language()) << "\n";
        return static_cast<int>(cli::ExitCode::data);
    } catch (const std::exception& e) {
        std::cerr << (global.language() == Language::zh ? "redline：内部错误：" : "redline: internal error: ")
                  << e.what()
                  << (global.language() == Language::zh
                          ? "\n这是程序缺陷或运行环境故障，请连同命令行一并报告。\n"
                          : "\nThis is a bug or an environment failure; please report it with the command line.\n");
        return static_cast<int>(cli::ExitCode::internal);
    }
}
