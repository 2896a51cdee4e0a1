// libFuzzer target: the two ways edits arrive from outside the process, change files
// (GeoJSON read through GDAL, then interpreted against the kinds' schemas) and the journal
// of unsaved edits the viewer keeps beside a workspace. The first byte picks the reader;
// the rest is the file.
#include "redline/editing/change_file.hpp"
#include "redline/editing/edit_session.hpp"
#include "redline/errors.hpp"
#include "redline/model/schema.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

std::filesystem::path scratch(const char* name) {
    static const std::filesystem::path dir = [] {
        auto path = std::filesystem::temp_directory_path() / ("redline-fuzz-edits-" + std::to_string(getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return dir / name;
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
    static const redline::SchemaSet schemas = redline::SchemaSet::load(redline::SchemaSet::default_directory());
    const bool journal = (data[0] & 1) != 0;
    try {
        if (journal) {
            const auto file = scratch("ws.gpkg.edits.json");
            write(file, data + 1, size - 1);
            (void)redline::read_journal(file);
        } else {
            const auto file = scratch("changes.geojson");
            write(file, data + 1, size - 1);
            (void)redline::read_change_file(file, schemas);
        }
    } catch (const redline::DataError&) {
    } catch (const redline::UsageError&) {
    }
    return 0;
}
