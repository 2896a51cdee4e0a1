#include "base/text.hpp"

#include "base/utf32.hpp"

#include <algorithm>

#include <cstdint>
#include <cstdio>

namespace redline::text {
namespace {

bool is_space(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xFEFF;
}

bool is_wide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

bool is_blank(std::string_view value) {
    for (std::size_t i = 0; i < value.size();) {
        if (!is_space(utf32::next(value, i))) {
            return false;
        }
    }
    return true;
}

std::string trim(std::string_view value) {
    std::size_t begin = 0;
    std::size_t end = value.size();
    while (begin < end) {
        std::size_t i = begin;
        if (!is_space(utf32::next(value, i))) {
            break;
        }
        begin = i;
    }
    // Walk forward to find the end of the last non-space code point.
    std::size_t last_end = begin;
    for (std::size_t i = begin; i < end;) {
        const char32_t cp = utf32::next(value, i);
        if (!is_space(cp)) {
            last_end = i;
        }
    }
    return std::string(value.substr(begin, last_end - begin));
}

std::string fold(std::string_view value) {
    const std::string trimmed = trim(value);
    std::string out;
    out.reserve(trimmed.size());
    for (std::size_t i = 0; i < trimmed.size();) {
        utf32::append(out, utf32::fold(utf32::next(trimmed, i)));
    }
    return out;
}

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (char c : value) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        width += is_wide(utf32::next(utf8, i)) ? 2 : 1;
    }
    return width;
}

std::string pad_right(std::string_view utf8, std::size_t width) {
    std::string out(utf8);
    for (std::size_t w = display_width(utf8); w < width; ++w) {
        out += ' ';
    }
    return out;
}

std::string pad_left(std::string_view utf8, std::size_t width) {
    std::string out;
    for (std::size_t w = display_width(utf8); w < width; ++w) {
        out += ' ';
    }
    return out + std::string(utf8);
}

bool is_valid_utf8(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t before = i;
        const char32_t cp = utf32::next(bytes, i);
        if (cp == 0xFFFD && !(i - before == 3 && bytes.substr(before, 3) == "\xEF\xBF\xBD")) {
            return false;
        }
    }
    return true;
}

void append_xml_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                    out += c;
                }
        }
    }
}

std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_xml_escaped(out, text);
    return out;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

}  // namespace redline::text
