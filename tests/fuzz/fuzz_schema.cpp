// libFuzzer target: zone-kind definitions (layers/<kind>/schema.toml) and the fact
// vocabulary (layers/facts.toml), the TOML files that make kinds and facts data. The first
// byte picks the file; the rest is its text.
#include "fuzz_support.hpp"
#include "redline/errors.hpp"
#include "redline/model/rules.hpp"
#include "redline/model/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace {

const std::filesystem::path& layers() {
    static const std::filesystem::path path = [] {
        auto dir = redline::fuzz::scratch_directory("layers");
        std::filesystem::create_directories(dir / "fuzzed");
        return dir;
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool facts = (data[0] & 1) != 0;
    try {
        if (facts) {
            redline::fuzz::write_file(layers() / "facts.toml", data + 1, size - 1);
            (void)redline::FactVocabulary::load(layers());
        } else {
            redline::fuzz::write_file(layers() / "fuzzed" / "schema.toml", data + 1, size - 1);
            (void)redline::SchemaSet::load(layers());
        }
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
