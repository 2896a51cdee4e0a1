// libFuzzer target: local rule files (--rules), read and checked against the default kinds,
// facts and legal sources: the TOML reader, rule conditions, legal citations and dates.
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

const redline::SchemaSet& schemas() {
    static const redline::SchemaSet set = redline::SchemaSet::load(redline::SchemaSet::default_directory());
    return set;
}

const std::filesystem::path& rule_file() {
    static const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("redline-fuzz-rules-" + std::to_string(getpid()) + ".toml");
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(rule_file(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        (void)redline::RuleSet::check(schemas(), {rule_file()});
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
