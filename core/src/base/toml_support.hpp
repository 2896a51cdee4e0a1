// Reading TOML data files (zone kinds, rules, facts, register columns) with errors that
// name the file and line.
#pragma once

#include "redline/errors.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace redline {

inline toml::table parse_toml_file(const std::filesystem::path& file) {
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw DataError(Message("toml.invalid", {{"file", file.string()},
                                                 {"line", static_cast<long>(e.source().begin.line)},
                                                 {"detail", std::string(e.description())}}));
    }
}

// What tells a changed data file, for caches of what was read from it: its size and
// modification time; empty when it cannot be read.
inline std::string file_stamp(const std::filesystem::path& file) {
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (error) {
        return {};
    }
    const auto time = std::filesystem::last_write_time(file, error);
    return error ? std::string() : std::to_string(size) + ":" + std::to_string(time.time_since_epoch().count());
}

}  // namespace redline
