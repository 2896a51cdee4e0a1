// Point and vertex tables (CSV, XLSX): outfall registers, GPS points, parcel corner lists.
// Coordinate columns are found by their Chinese or English header names; vertex tables
// (several rows per parcel) become polygons.
#pragma once

#include "base/gdal_support.hpp"
#include "inputs/raw_crs.hpp"
#include "redline/inputs/footprints.hpp"

#include <istream>

#include <map>
#include <string>
#include <vector>

namespace redline {

struct TableRow {
    int line = 0;  // where the row starts (CSV line, or sheet row)
    std::vector<std::string> cells;
};

struct Table {
    std::vector<std::string> header;
    std::vector<TableRow> rows;
    std::string encoding;
};

// Reads CSV records one at a time from a stream, so that registers of millions of rows
// need no more memory than a row. The encoding is decided from the first 64 KiB.
class CsvStream {
public:
    CsvStream(std::istream& in, std::string where);
    // The next non-blank record, or false at the end. DataError for an unterminated quote.
    bool next(TableRow& row);
    const std::string& encoding() const { return encoding_; }

private:
    bool fill();
    std::istream& in_;
    std::string where_;
    std::string buffer_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    bool recode_ = false;
    char separator_ = ',';
    int line_ = 1;
    std::string encoding_;
};

// Which columns hold the coordinates, and what their names say about the CRS.
struct CoordinateColumns {
    int first = -1;
    int second = -1;
    RawCrsHints hints;
};
// DataError listing the header when no coordinate columns are found.
CoordinateColumns find_coordinate_columns(const std::vector<std::string>& header, const FootprintSource& source,
                                          const std::string& where);
int find_column(const std::vector<std::string>& header, const std::vector<std::string>& names);

// Parses CSV bytes (UTF-8 with or without BOM, or GBK; comma, semicolon or tab separated,
// RFC 4180 quoting). DataError naming the line for an unterminated quote.
Table parse_csv(const std::string& bytes, const std::string& where);
// Opens a workbook with its first row taken as the header, whatever its cell types.
gdal::DatasetPtr open_spreadsheet(const std::string& path);
// Reads a sheet through GDAL (XLSX, ODS, XLS where GDAL can).
Table read_sheet(const std::string& path, const std::optional<std::string>& sheet);
// Footprints from a table: points per row, or polygons per parcel for vertex tables.
FootprintSet read_point_table(const Table& table, const std::string& where, const FootprintSource& source);
// Parses 121.5, "121°30'15.2\"", "121度30分15.2秒", "121:30:15.2"; nullopt if none of these.
std::optional<double> parse_coordinate(const std::string& text);

}  // namespace redline
