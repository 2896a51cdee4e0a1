// The command line's help in the language of --lang (see help_format.cpp).
#pragma once

#include "command.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace redline::cli {

// The language --lang asks for, read from argv before CLI11 parses it: `--lang en` or
// `--lang=en` anywhere is English, anything else or nothing Chinese.
Language requested_language(int argc, char** argv);
// CLI11's layout with its own words in the help language, Chinese aligned by columns.
std::shared_ptr<CLI::Formatter> make_help_formatter();
// Puts every subcommand's help flag into `group` (CLI11 leaves it in "Options").
void group_help_flags(CLI::App& app, const std::string& group);

}  // namespace redline::cli
