#include "base/xlsx_writer.hpp"

#include "base/text.hpp"
#include "redline/errors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace redline {

namespace {

constexpr std::size_t flush_at = 1 << 20;  // bytes of sheet XML deflated at a time

// A column's letters: 0 -> A, 25 -> Z, 26 -> AA.
std::string column_name(std::size_t index) {
    std::string name;
    for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) {
        name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    }
    return name;
}

// A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ].
std::string sheet_title(const std::string& name) {
    std::string out;
    std::size_t characters = 0;
    for (std::size_t i = 0; i < name.size() && characters < 31; ++characters) {
        const auto lead = static_cast<unsigned char>(name[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        const std::string ch = name.substr(i, length);
        out += ch.find_first_of(":\\/?*[]") == std::string::npos ? ch : "_";
        i += length;
    }
    return out.empty() ? "Sheet1" : out;
}

const char* const content_types =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
    R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
    R"(<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>)"
    R"(</Types>)";

const char* const package_rels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
    R"(</Relationships>)";

const char* const workbook_rels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";

// Style 1 is the header's: bold.
const char* const styles =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>)"
    R"(<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>)"
    R"(<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>)"
    R"(<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>)"
    R"(<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>)"
    R"(<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>)"
    R"(</styleSheet>)";

const char* const sheet_head =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>)"
    R"(<sheetData>)";

}  // namespace

XlsxWriter::XlsxWriter(const std::filesystem::path& destination, const std::string& sheet_name)
    : destination_(destination), partial_(destination.parent_path() / (destination.stem().string() + ".partial.xlsx")) {
    std::error_code ignored;
    std::filesystem::remove(partial_, ignored);
    CPLErrorReset();
    zip_ = CPLCreateZip(partial_.c_str(), nullptr);
    if (zip_ == nullptr) {
        throw DataError(
            Message("file.cannot_create", {{"file", destination_.string()}, {"detail", CPLGetLastErrorMsg()}}));
    }
    add_file("[Content_Types].xml", content_types);
    add_file("_rels/.rels", package_rels);
    add_file("xl/_rels/workbook.xml.rels", workbook_rels);
    add_file("xl/styles.xml", styles);
    add_file("xl/workbook.xml",
             std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "\n" +
                 R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )" +
                 R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
                 R"(<sheets><sheet name=")" + text::xml_escaped(sheet_title(sheet_name)) +
                 R"(" sheetId="1" r:id="rId1"/></sheets></workbook>)");
    if (CPLCreateFileInZip(zip_, "xl/worksheets/sheet1.xml", nullptr) != CE_None) {
        fail();
    }
    buffer_ = sheet_head;
}

XlsxWriter::~XlsxWriter() {
    if (!committed_) {
        if (zip_ != nullptr) {
            CPLPushErrorHandler(CPLQuietErrorHandler);
            CPLCloseFileInZip(zip_);
            CPLCloseZip(zip_);
            CPLPopErrorHandler();
        }
        std::error_code ignored;
        std::filesystem::remove(partial_, ignored);
    }
}

void XlsxWriter::fail() {
    const int error = errno;  // the zip writer reports a failed write without a message
    const std::string detail = CPLGetLastErrorMsg();
    throw DataError(Message(
        "file.cannot_write_detail",
        {{"file", destination_.string()}, {"detail", !detail.empty() ? detail : std::string(std::strerror(error))}}));
}

void XlsxWriter::add_file(const char* name, const std::string& content) {
    if (CPLCreateFileInZip(zip_, name, nullptr) != CE_None ||
        CPLWriteFileInZip(zip_, content.data(), static_cast<int>(content.size())) != CE_None ||
        CPLCloseFileInZip(zip_) != CE_None) {
        fail();
    }
}

void XlsxWriter::write(const std::string& bytes) {
    if (CPLWriteFileInZip(zip_, bytes.data(), static_cast<int>(bytes.size())) != CE_None) {
        fail();
    }
}

void XlsxWriter::row(const std::vector<std::string>& cells) {
    if (rows_ >= max_rows) {
        throw DataError(Message("file.xlsx_too_many_rows", {{"file", destination_.string()}, {"rows", max_rows}}));
    }
    const std::string number = std::to_string(++rows_);
    buffer_ += "<row r=\"" + number + "\">";
    columns_ = std::max(columns_, cells.size());
    for (std::size_t c = 0; c < cells.size(); ++c) {
        if (cells[c].empty()) {
            continue;
        }
        buffer_ += "<c r=\"" + column_name(c) + number + (rows_ == 1 ? "\" s=\"1\"" : "\"") +
                   " t=\"inlineStr\"><is><t xml:space=\"preserve\">";
        text::append_xml_escaped(buffer_, cells[c]);
        buffer_ += "</t></is></c>";
    }
    buffer_ += "</row>";
    if (buffer_.size() >= flush_at) {
        write(buffer_);
        buffer_.clear();
    }
}

void XlsxWriter::commit() {
    buffer_ += "</sheetData></worksheet>";
    write(buffer_);
    buffer_.clear();
    void* zip = zip_;
    zip_ = nullptr;
    if (CPLCloseFileInZip(zip) != CE_None) {
        CPLCloseZip(zip);
        fail();
    }
    if (CPLCloseZip(zip) != CE_None) {
        fail();
    }
    std::filesystem::rename(partial_, destination_);
    committed_ = true;
}

}  // namespace redline
