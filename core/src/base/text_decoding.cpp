#include "base/text_decoding.hpp"

#include "base/text.hpp"

#include <cpl_error.h>
#include <cpl_string.h>

namespace redline::text {

namespace {

// Decodes with iconv through GDAL; nullopt when iconv does not know the encoding or the
// result is not UTF-8.
std::optional<std::string> recode(const std::string& bytes, const std::string& from) {
    // iconv replaces what it cannot convert with '?' and says so with a warning: that is
    // a failure here, not text.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    char* recoded = CPLRecode(bytes.c_str(), from.c_str(), CPL_ENC_UTF8);
    const bool lossy = CPLGetLastErrorType() != CE_None;
    CPLErrorReset();
    CPLPopErrorHandler();
    if (recoded == nullptr || lossy) {
        CPLFree(recoded);
        return std::nullopt;
    }
    std::string out = recoded;
    CPLFree(recoded);
    if (!is_valid_utf8(out)) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::string decode_to_utf8(const std::string& bytes, std::string& encoding) {
    if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) {
        encoding = "UTF-8 (with BOM)";
        return bytes.substr(3);
    }
    if (is_valid_utf8(bytes)) {
        encoding = "UTF-8";
        return bytes;
    }
    encoding = "GB18030 (GBK)";
    return recode(bytes, "GB18030").value_or(valid_utf8(bytes));
}

std::string valid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        const auto lead = static_cast<unsigned char>(bytes[i]);
        const std::size_t length = lead < 0x80           ? 1
                                   : (lead >> 5) == 0x06 ? 2
                                   : (lead >> 4) == 0x0E ? 3
                                   : (lead >> 3) == 0x1E ? 4
                                                         : 0;
        if (length != 0 && i + length <= bytes.size() && is_valid_utf8(bytes.substr(i, length))) {
            out.append(bytes.substr(i, length));
            i += length;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

TextDecoder::TextDecoder(std::optional<std::string> declared, bool guess_gb18030)
    : declared_(std::move(declared)), guess_(guess_gb18030) {}

std::optional<std::string> TextDecoder::operator()(std::string bytes) {
    if (is_valid_utf8(bytes)) {
        return bytes;
    }
    const std::string from = declared_ ? *declared_ : guess_ ? std::string("GB18030") : std::string();
    if (from.empty()) {
        return std::nullopt;
    }
    auto decoded = recode(bytes, from);
    if (decoded) {
        decoded_from_ = from;
    }
    return decoded;
}

}  // namespace redline::text
