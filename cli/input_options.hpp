// The options every command that reads footprints or points shares: where the input is
// and how to read its coordinates.
#pragma once

#include "redline/inputs/footprints.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace redline::cli {

class InputOptions {
public:
    // Declares the options on a subcommand; `input_help` describes the positional input.
    void add_to(CLI::App& sub, const std::string& input_help, bool allow_wkt);
    // The input file as given ("" with --wkt, "-" for standard input).
    const std::string& path() const { return input_; }
    // The source as core reads it; UsageError when no input or both an input and --wkt.
    FootprintSource source() const;

private:
    std::string input_, layer_, wkt_, crs_, encoding_, from_, id_field_, name_field_;
    bool allow_wkt_ = false;
    int zone_ = 0;
    double cm_ = 0;
    std::size_t max_vertices_ = default_max_vertices;
};

}  // namespace redline::cli
