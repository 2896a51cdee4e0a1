#include "redline/reports/screening_report.hpp"

#include "base/text.hpp"
#include "redline/errors.hpp"
#include "reports/report_document.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace redline {

std::string report_time_stamp() {
    std::time_t now = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
        char* end = nullptr;
        const long long value = std::strtoll(epoch, &end, 10);
        if (end != nullptr && *end == '\0' && value >= 0) {
            now = static_cast<std::time_t>(value);
        }
    }
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S%z", &local);
    return buffer;
}

void check_report_path(const std::filesystem::path& path) {
    const std::string ext = text::lower_extension(path);
    if (ext != ".html" && ext != ".htm" && ext != ".pdf") {
        throw UsageError(Message("report.bad_extension", {{"file", path.string()}}));
    }
}

// Through a partial file renamed when complete: a failed write leaves no half report.
void document::write_document(const std::filesystem::path& path, const document::Document& doc) {
    check_report_path(path);
    const std::string ext = text::lower_extension(path);
    const std::filesystem::path partial = path.parent_path() / (path.stem().string() + ".partial" + ext);
    try {
        if (ext == ".pdf") {
            document::render_pdf(doc, partial.string());
        } else {
            std::ofstream out(partial, std::ios::binary);
            out << document::render_html(doc);
            out.close();
            if (!out) {
                throw DataError(Message("file.cannot_write", {{"file", path.string()}}));
            }
        }
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw;
    }
    std::filesystem::rename(partial, path);
}

void write_screening_report(const std::filesystem::path& path, const CheckRun& run, const SchemaSet& schemas,
                            Language language, const std::string& time_stamp) {
    check_report_path(path);
    write_document(path, document::screening_report(run, schemas, language, time_stamp));
}

void write_outfall_report(const std::filesystem::path& path, const OutfallSummary& summary, const SchemaSet& schemas,
                          Language language, const std::string& time_stamp) {
    check_report_path(path);
    write_document(path, document::outfall_report(summary, schemas, language, time_stamp));
}

}  // namespace redline
