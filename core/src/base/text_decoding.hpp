// Text from files to UTF-8. Chinese producers write GBK where the format says nothing
// (CSV, DBF without a code page) and sometimes where it says UTF-8 (GeoJSON); redline
// decodes such text once, where it is read, so everything past the readers is UTF-8.
#pragma once

#include <optional>
#include <string>

namespace redline::text {

// The bytes as UTF-8, with the encoding they were found in ("UTF-8", "UTF-8 (with BOM)",
// "GB18030 (GBK)"). GB18030, the superset of GBK, decodes what is not UTF-8.
std::string decode_to_utf8(const std::string& bytes, std::string& encoding);

// Any bytes as valid UTF-8: each sequence that is not UTF-8 becomes U+FFFD. For what is
// shown or recorded but was never text of a known encoding (a file name, say).
std::string valid_utf8(std::string_view bytes);

// Field values read through GDAL, decoded to UTF-8. Values GDAL already recoded (a
// Shapefile with a .cpg, or opened with --encoding) arrive as UTF-8 and pass unchanged;
// others are decoded from the encoding the user declared, or else, when guessing is
// allowed, from GB18030.
class TextDecoder {
public:
    TextDecoder(std::optional<std::string> declared, bool guess_gb18030);
    // The value as UTF-8; nullopt when it is not UTF-8 and may not be (or cannot be) decoded.
    std::optional<std::string> operator()(std::string bytes);
    // The encoding used for values that were not UTF-8; empty while all were.
    const std::string& decoded_from() const { return decoded_from_; }

private:
    std::optional<std::string> declared_;
    bool guess_;
    std::string decoded_from_;
};

}  // namespace redline::text
