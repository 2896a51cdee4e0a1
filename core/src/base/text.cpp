#include "base/text.hpp"

#include <algorithm>

#include <cstdint>
#include <cstdio>

namespace redline::text {
namespace {

// Decodes one code point at bytes[i], advancing i; invalid bytes decode as U+FFFD.
char32_t next_code_point(std::string_view bytes, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + static_cast<std::size_t>(length) > bytes.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
        const auto cont = static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
        if ((cont & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cont & 0x3F);
    }
    i += static_cast<std::size_t>(length);
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

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
        if (!is_space(next_code_point(value, i))) {
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
        if (!is_space(next_code_point(value, i))) {
            break;
        }
        begin = i;
    }
    // Walk forward to find the end of the last non-space code point.
    std::size_t last_end = begin;
    for (std::size_t i = begin; i < end;) {
        const char32_t cp = next_code_point(value, i);
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
        char32_t cp = next_code_point(trimmed, i);
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp -= 0xFEE0;  // full-width ASCII to ASCII
        } else if (cp == 0x3000) {
            cp = ' ';
        }
        if (cp >= 'A' && cp <= 'Z') {
            cp += 'a' - 'A';
        }
        append_utf8(out, cp);
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
        width += is_wide(next_code_point(utf8, i)) ? 2 : 1;
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
        const char32_t cp = next_code_point(bytes, i);
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
