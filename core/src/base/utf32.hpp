// Text as code points, for reading Chinese character by character: names compared by
// characters, clauses scanned for words, with the byte offset of every character kept so
// that what is found can point back into the UTF-8 text. The one UTF-8 decoder and
// encoder of the library (base/text.cpp uses them too).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace redline::utf32 {

// The code point at bytes[i], advancing i past it; an invalid byte decodes as U+FFFD and
// is stepped over alone.
inline char32_t next(std::string_view bytes, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + static_cast<std::size_t>(length) > bytes.size()) {
        ++i;
        return U'\uFFFD';
    }
    char32_t cp = length == 1 ? lead : static_cast<char32_t>(lead & (0x7F >> length));
    for (int k = 1; k < length; ++k) {
        const auto cont = static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
        if ((cont & 0xC0) != 0x80) {
            ++i;
            return U'\uFFFD';
        }
        cp = (cp << 6) | (cont & 0x3F);
    }
    i += static_cast<std::size_t>(length);
    return cp;
}

// UTF-8 decoded; invalid bytes become U+FFFD. `offsets` (when given) receives the byte
// offset of every code point plus one past the end (size() + 1 entries).
inline std::u32string decode(std::string_view utf8, std::vector<std::size_t>* offsets = nullptr) {
    std::u32string out;
    out.reserve(utf8.size());
    if (offsets != nullptr) {
        offsets->clear();
        offsets->reserve(utf8.size() + 1);
    }
    for (std::size_t i = 0; i < utf8.size();) {
        if (offsets != nullptr) {
            offsets->push_back(i);
        }
        out += next(utf8, i);
    }
    if (offsets != nullptr) {
        offsets->push_back(utf8.size());
    }
    return out;
}

inline void append(std::string& out, char32_t cp) {
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

inline std::string encode(std::u32string_view text) {
    std::string out;
    out.reserve(text.size() * 3);
    for (const char32_t cp : text) {
        append(out, cp);
    }
    return out;
}

// Full-width ASCII (Ｃ２６, （）, ，？) as ASCII, the ideographic space as a space, and
// ASCII upper case as lower case: one character for one, so positions stay.
inline char32_t fold(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        cp -= 0xFEE0;
    } else if (cp == 0x3000) {
        cp = U' ';
    }
    if (cp >= U'A' && cp <= U'Z') {
        cp += U'a' - U'A';
    }
    return cp;
}

inline std::u32string fold(std::u32string_view text) {
    std::u32string out(text);
    for (auto& cp : out) {
        cp = fold(cp);
    }
    return out;
}

inline bool is_space(char32_t cp) {
    return cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n' || cp == 0x3000 || cp == 0xFEFF || cp == 0xA0;
}

inline bool is_han(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

// Levenshtein distance in code points.
inline std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace redline::utf32
