// One subcommand of `redline`: it declares its options on construction and runs after
// parsing (the osmium-tool life cycle). Exceptions go back to main, which maps them to
// exit codes in one place.
#pragma once

#include "redline/errors.hpp"
#include "redline/language.hpp"
#include "redline/model/law.hpp"
#include "redline/model/schema.hpp"
#include "redline/reports/report.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace redline::cli {

// Exit codes of the `redline` command, shared by every subcommand.
enum class ExitCode : int {
    ok = 0,
    conflicts = 1,    // the job ran and found conflicts
    usage = 2,        // the command line is wrong
    data = 3,         // an input or the workspace cannot be used as it is
    internal = 4,     // a bug or an environment failure (out of memory, library error)
    cancelled = 130,  // interrupted (SIGINT), as shells count it
};

// The language of --help. CLI11 takes the help texts when the options are declared, before
// it parses the command line, so main reads --lang from argv itself first (`--lang en` or
// `--lang=en` for English, Chinese otherwise) and sets this before building the commands.
Language help_language();
void set_help_language(Language language);

// A help text (description, group name, footer) in the language of --help.
inline const char* say(const char* zh, const char* en) {
    return help_language() == Language::zh ? zh : en;
}

struct GlobalOptions {
    std::string layers_dir;
    std::string lang = "zh";

    SchemaSet load_schemas() const;
    Language language() const { return lang == "en" ? Language::en : Language::zh; }
};

class Command {
public:
    explicit Command(CLI::App* subcommand) : subcommand_(subcommand) {}
    virtual ~Command() = default;
    bool selected() const { return subcommand_->parsed(); }
    virtual ExitCode run(const GlobalOptions& global) = 0;

protected:
    CLI::App* subcommand_;
};

std::unique_ptr<Command> make_import_command(CLI::App& app);
std::unique_ptr<Command> make_check_command(CLI::App& app);
std::unique_ptr<Command> make_log_command(CLI::App& app);
std::unique_ptr<Command> make_kinds_command(CLI::App& app);
std::unique_ptr<Command> make_rules_command(CLI::App& app);
std::unique_ptr<Command> make_convert_command(CLI::App& app);
std::unique_ptr<Command> make_outfalls_command(CLI::App& app);
std::unique_ptr<Command> make_validate_command(CLI::App& app);
std::unique_ptr<Command> make_diff_command(CLI::App& app);
std::unique_ptr<Command> make_edit_command(CLI::App& app);
std::unique_ptr<Command> make_serve_command(CLI::App& app);
std::unique_ptr<Command> make_token_command(CLI::App& app);
std::unique_ptr<Command> make_indicators_command(CLI::App& app);
// `redline access-list SUB`: the parent is made once, by whichever subcommand comes first;
// a new subcommand adds itself with access_list_parent(app).add_subcommand(...) and is
// pushed into main's list of commands like the others.
CLI::App& access_list_parent(CLI::App& app);
std::unique_ptr<Command> make_access_import_command(CLI::App& app);
std::unique_ptr<Command> make_access_show_command(CLI::App& app);
std::unique_ptr<Command> make_access_review_command(CLI::App& app);

// A number with a fixed count of decimals, as tables print them.
std::string fixed_text(double value, int decimals);

// Applies --near values ("800" for every protective kind, "KIND=800" for one) to options.
void apply_near_options(const std::vector<std::string>& values, const SchemaSet& schemas, CheckOptions& options);

// Where a command's main output goes: the file given with -o, else standard output.
// A file is written under a partial name and renamed into place by finish(), so a failed
// or interrupted command leaves no half-written output (and an older one as it was).
// Made before the command's work, so an unwritable path fails first.
class Output {
public:
    explicit Output(const std::string& path);
    ~Output();
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    std::ostream& stream() { return path_.empty() ? std::cout : file_; }
    // Flushes, renames the file into place; DataError naming the destination when writing failed.
    void finish();

private:
    std::string path_, partial_;
    std::ofstream file_;
    bool finished_ = false;
};

// Before any work: DataError when an output exists and --overwrite was not given, UsageError
// when an output is the workspace or an input of the same run. Empty paths (standard
// output) and connection strings are skipped.
void check_outputs(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs, bool overwrite);

// UsageError unless `path` ends in one of `extensions` (".gpkg"), naming the option.
void require_extension(const std::string& path, const std::vector<std::string>& extensions, const char* option);

// The legal date of --as-of: empty for today (in China); UsageError for anything but a real
// day written YYYY-MM-DD.
std::optional<LegalDate> parse_as_of(const std::string& text);
inline const char* as_of_help() {
    return say(
        "法律适用日期：适用该日有效的法律，格式 YYYY-MM-DD（默认：中国当天），例如复核 2024 年的审批："
        "--as-of 2024-05-01",
        "Apply the law in force on this day, YYYY-MM-DD (default: today in China), e.g. to re-examine an "
        "approval of 2024: --as-of 2024-05-01");
}

// Splits "kind=500" or "500" for --near, "standard=FIELD" for --map.
std::pair<std::string, std::string> split_assignment(const std::string& text, const std::string& option);

}  // namespace redline::cli
