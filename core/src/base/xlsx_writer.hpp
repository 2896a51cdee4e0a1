// A spreadsheet written as it goes: one sheet of text cells, streamed through deflate into
// the .xlsx package, so memory stays flat whatever the row count (GDAL's XLSX driver keeps
// every row until it closes: 1.7 GB for a register of a million rows). Written beside its
// destination and renamed into place by commit(); never left half-written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace redline {

class XlsxWriter {
public:
    // Excel's limit, header included.
    static constexpr std::uint64_t max_rows = 1048576;

    XlsxWriter(const std::filesystem::path& destination, const std::string& sheet_name);
    ~XlsxWriter();  // removes the partial file unless committed
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    // One row of text cells; the first row stays in view as the header. DataError on a
    // write failure (disk full) or past max_rows.
    void row(const std::vector<std::string>& cells);
    // Finishes the package and renames it into place; DataError on any write failure.
    void commit();

private:
    void write(const std::string& bytes);
    void add_file(const char* name, const std::string& content);
    void fail();

    std::filesystem::path destination_, partial_;
    void* zip_ = nullptr;  // GDAL's zip writer
    std::string buffer_;   // sheet XML waiting to be deflated
    std::uint64_t rows_ = 0;
    std::size_t columns_ = 0;
    bool committed_ = false;
};

}  // namespace redline
