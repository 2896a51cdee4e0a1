// What the file-based fuzz targets share: a scratch directory of their own (per process)
// and the fuzzer's bytes written to a file there.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace redline::fuzz {

inline std::filesystem::path scratch_directory(const std::string& target) {
    auto path = std::filesystem::temp_directory_path() / ("redline-fuzz-" + target + "-" + std::to_string(getpid()));
    std::filesystem::create_directories(path);
    return path;
}

inline void write_file(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace redline::fuzz
