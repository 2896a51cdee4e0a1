// Reading TOML data files (zone kinds, rules, facts, register columns) with errors that
// name the file and line.
#pragma once

#include "redline/errors.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <string>

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

}  // namespace redline
