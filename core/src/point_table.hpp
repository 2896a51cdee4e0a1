// Point and vertex tables (CSV, XLSX): outfall registers, GPS points, parcel corner lists.
// Coordinate columns are found by their Chinese or English header names; vertex tables
// (several rows per parcel) become polygons.
#pragma once

#include "redline/footprints.hpp"

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

// Parses CSV bytes (UTF-8 with or without BOM, or GBK; comma, semicolon or tab separated,
// RFC 4180 quoting). DataError naming the line for an unterminated quote.
Table parse_csv(const std::string& bytes, const std::string& where);
// Reads a sheet through GDAL (XLSX, ODS, XLS where GDAL can).
Table read_sheet(const std::string& path, const std::optional<std::string>& sheet);
// Footprints from a table: points per row, or polygons per parcel for vertex tables.
FootprintSet read_point_table(const Table& table, const std::string& where, const FootprintSource& source);
// Parses 121.5, "121°30'15.2\"", "121度30分15.2秒", "121:30:15.2"; nullopt if none of these.
std::optional<double> parse_coordinate(const std::string& text);

}  // namespace redline
