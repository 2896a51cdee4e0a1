// UTF-8 text helpers: matching source values loosely, and laying out terminal tables.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace redline::text {

// Trims ASCII and ideographic white space, maps full-width ASCII to half-width and
// folds ASCII case, so that "一级保护区 ", "Level1" and "ＬＥＶＥＬ１" compare as expected.
std::string fold(std::string_view value);
std::string trim(std::string_view value);
// True when the text holds nothing but white space (as trim() sees it); allocates nothing.
bool is_blank(std::string_view value);
// A CSV field: quoted (with quotes doubled) when it holds a comma, quote or line break.
std::string csv_field(const std::string& value);
// Columns the text takes in a terminal: East Asian wide characters count two.
std::size_t display_width(std::string_view utf8);
std::string pad_right(std::string_view utf8, std::size_t width);
std::string pad_left(std::string_view utf8, std::size_t width);
bool is_valid_utf8(std::string_view bytes);
// Text as XML (and HTML) character data: & < > " escaped, and the control characters XML
// 1.0 cannot carry dropped (tabs and line breaks stay).
void append_xml_escaped(std::string& out, std::string_view text);
std::string xml_escaped(std::string_view text);
// A file name's extension in lower case, with its dot: ".gpkg"; "" when it has none.
std::string lower_extension(const std::filesystem::path& path);
// A number with a fixed count of decimals, as printed in tables and results.
std::string fixed(double value, int decimals);

}  // namespace redline::text
