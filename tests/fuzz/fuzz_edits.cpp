// libFuzzer target: the two ways edits arrive from outside the process, change files
// (GeoJSON read through GDAL, then interpreted against the kinds' schemas) and the journal
// of unsaved edits the viewer keeps beside a workspace. The first byte picks the reader;
// the rest is the file.
#include "fuzz_support.hpp"
#include "redline/editing/change_file.hpp"
#include "redline/editing/edit_session.hpp"
#include "redline/errors.hpp"
#include "redline/model/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace {

std::filesystem::path scratch(const char* name) {
    static const std::filesystem::path dir = redline::fuzz::scratch_directory("edits");
    return dir / name;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    static const redline::SchemaSet schemas = redline::SchemaSet::load(redline::SchemaSet::default_directory());
    const bool journal = (data[0] & 1) != 0;
    try {
        if (journal) {
            const auto file = scratch("ws.gpkg.edits.json");
            redline::fuzz::write_file(file, data + 1, size - 1);
            (void)redline::read_journal(file);
        } else {
            const auto file = scratch("changes.geojson");
            redline::fuzz::write_file(file, data + 1, size - 1);
            (void)redline::read_change_file(file, schemas);
        }
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
