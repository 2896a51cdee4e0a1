// libFuzzer target: zone-kind definitions (layers/<kind>/schema.toml) and the fact
// vocabulary (layers/facts.toml), the TOML files that make kinds and facts data. The first
// byte picks the file; the rest is its text.
#include "redline/errors.hpp"
#include "redline/model/rules.hpp"
#include "redline/model/schema.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

const std::filesystem::path& layers() {
    static const std::filesystem::path path = [] {
        auto dir = std::filesystem::temp_directory_path() / ("redline-fuzz-layers-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir / "fuzzed");
        return dir;
    }();
    return path;
}

void write(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool facts = (data[0] & 1) != 0;
    try {
        if (facts) {
            write(layers() / "facts.toml", data + 1, size - 1);
            (void)redline::FactVocabulary::load(layers());
        } else {
            write(layers() / "fuzzed" / "schema.toml", data + 1, size - 1);
            (void)redline::SchemaSet::load(layers());
        }
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
