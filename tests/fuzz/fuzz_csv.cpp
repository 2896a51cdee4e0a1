// libFuzzer target: the CSV table reader and the point/vertex table interpretation.
#include "inputs/point_table.hpp"
#include "redline/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        const redline::Table table = redline::parse_csv(bytes, "fuzz.csv");
        redline::FootprintSource source;
        source.crs = "EPSG:4490";  // so that lon/lat tables go all the way through
        (void)redline::read_point_table(table, "fuzz.csv", source);
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
