// libFuzzer target: the land-boundary coordinate TXT reader, from bytes to footprints.
// Any input may be rejected with a DataError or UsageError; nothing may crash, hang or
// grow without bound.
#include "inputs/survey_txt.hpp"
#include "redline/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        redline::FootprintSource source;
        (void)redline::read_survey_txt(bytes, "fuzz.txt", source);
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
