#include "inputs/point_table.hpp"

#include "base/gdal_support.hpp"
#include "base/text.hpp"
#include "base/text_decoding.hpp"
#include "inputs/raw_shapes.hpp"
#include "inputs/survey_txt.hpp"
#include "redline/errors.hpp"

#include <cpl_conv.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

namespace redline {
namespace {

char sniff_separator(const std::string& content) {
    const std::string first_line = content.substr(0, content.find('\n'));
    const auto commas = std::count(first_line.begin(), first_line.end(), ',');
    const auto semicolons = std::count(first_line.begin(), first_line.end(), ';');
    const auto tabs = std::count(first_line.begin(), first_line.end(), '\t');
    if (tabs > commas && tabs >= semicolons)
        return '\t';
    if (semicolons > commas)
        return ';';
    return ',';
}

// A column whose folded name contains one of the words (for "经度(高德)", "gcj02_lng", ...).
int find_column_containing(const std::vector<std::string>& header, const std::vector<std::string>& words) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string name = text::fold(header[i]);
        for (const auto& w : words) {
            if (name.find(w) != std::string::npos) {
                return static_cast<int>(i);
            }
        }
    }
    return -1;
}

std::string cell(const TableRow& row, int column) {
    return column >= 0 && static_cast<std::size_t>(column) < row.cells.size() ? text::trim(row.cells[column]) : "";
}

bool contains_any(const std::string& folded, const std::vector<std::string>& words) {
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& w) { return folded.find(w) != std::string::npos; });
}

}  // namespace

int find_column(const std::vector<std::string>& header, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (text::fold(header[i]) == text::fold(name)) {
                return static_cast<int>(i);
            }
        }
    }
    return -1;
}

CsvStream::CsvStream(std::istream& in, std::string where) : in_(in), where_(std::move(where)) {
    fill();
    if (buffer_.rfind("\xEF\xBB\xBF", 0) == 0) {
        pos_ = 3;
        encoding_ = "UTF-8 (with BOM)";
    } else {
        // The sample may end inside a character: judge it up to its last complete one.
        std::string sample = buffer_;
        while (!sample.empty() && (static_cast<unsigned char>(sample.back()) & 0xC0) == 0x80) {
            sample.pop_back();
        }
        if (!sample.empty() && static_cast<unsigned char>(sample.back()) >= 0xC0) {
            sample.pop_back();
        }
        recode_ = !text::is_valid_utf8(sample);
        encoding_ = recode_ ? "GB18030 (GBK)" : "UTF-8";
    }
    separator_ = sniff_separator(buffer_.substr(pos_, 4096));
}

bool CsvStream::fill() {
    if (eof_) {
        return false;
    }
    char chunk[1 << 16];
    in_.read(chunk, sizeof chunk);
    const auto got = in_.gcount();
    if (got <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.erase(0, pos_);
    pos_ = 0;
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
}

bool CsvStream::next(TableRow& row) {
    while (true) {
        // The row's strings are reused from the last row: a register of a million rows
        // allocates for its longest cells, not for every cell.
        std::size_t cells = 0;
        auto next_cell = [&]() -> std::string& {
            if (cells == row.cells.size()) {
                row.cells.emplace_back();
            }
            std::string& cell = row.cells[cells++];
            cell.clear();
            return cell;
        };
        row.line = line_;
        std::string* field = &next_cell();
        bool quoted = false, started = false, any = false;
        const int quote_line = line_;
        while (true) {
            if (pos_ >= buffer_.size() && !fill()) {
                if (quoted) {
                    throw DataError(Message("table.open_quote", {{"file", where_}, {"line", quote_line}}));
                }
                if (!any && field->empty() && cells == 1) {
                    row.cells.clear();
                    return false;
                }
                break;
            }
            if (!quoted) {
                // A run of ordinary characters, taken at once.
                const char* begin = buffer_.data() + pos_;
                const char* end = buffer_.data() + buffer_.size();
                const char* p = begin;
                while (p < end && *p != separator_ && *p != '"' && *p != '\n' && *p != '\r') {
                    ++p;
                }
                if (p != begin) {
                    field->append(begin, p);
                    pos_ += static_cast<std::size_t>(p - begin);
                    started = any = true;
                    continue;
                }
            }
            const char c = buffer_[pos_++];
            any = true;
            if (quoted) {
                if (c == '"') {
                    if (pos_ >= buffer_.size()) {
                        fill();
                    }
                    if (pos_ < buffer_.size() && buffer_[pos_] == '"') {
                        *field += '"';
                        ++pos_;
                    } else {
                        quoted = false;
                    }
                } else {
                    line_ += c == '\n' ? 1 : 0;
                    *field += c;
                }
            } else if (c == '"' && !started) {
                quoted = started = true;
            } else if (c == separator_) {
                field = &next_cell();
                started = false;
            } else if (c == '\n') {
                ++line_;
                break;
            } else if (c != '\r') {
                *field += c;
                started = true;
            }
        }
        row.cells.resize(cells);
        if (recode_) {
            for (auto& cell_text : row.cells) {
                std::string encoding;
                cell_text = text::decode_to_utf8(cell_text, encoding);
            }
        }
        const bool blank =
            std::all_of(row.cells.begin(), row.cells.end(), [](const std::string& f) { return text::is_blank(f); });
        if (!blank) {
            return true;
        }
        if (pos_ >= buffer_.size() && eof_) {
            row.cells.clear();
            return false;
        }
    }
}

CoordinateColumns find_coordinate_columns(const std::vector<std::string>& h, const FootprintSource& source,
                                          const std::string& where) {
    RawCrsHints hints;
    hints.crs = source.crs;
    hints.web_datum = source.web_datum;
    hints.zone = source.zone;
    hints.central_meridian = source.central_meridian;
    hints.source_of_hints = source.zone               ? Message::verbatim("--zone")
                            : source.central_meridian ? Message::verbatim("--cm")
                                                      : Message("hints.column_names");

    int first = -1, second = -1;
    const int lon = find_column_containing(h, {"经度", "lon", "lng"});
    const int lat = find_column_containing(h, {"纬度", "lat"});
    if (lon >= 0 && lat >= 0) {
        first = lon;
        second = lat;
        hints.expected_east = 0;
        const std::string names = text::fold(h[lon]) + " " + text::fold(h[lat]);
        if (!hints.web_datum && contains_any(names, {"gcj", "高德", "腾讯", "amap"})) {
            hints.web_datum = "gcj02";
            hints.source_of_hints = Message("hints.column_names");
        } else if (!hints.web_datum && contains_any(names, {"bd09", "百度", "baidu"})) {
            hints.web_datum = "bd09";
            hints.source_of_hints = Message("hints.column_names");
        } else if (contains_any(names, {"wgs84", "wgs", "gps"})) {
            hints.datum = Datum::wgs84;
        } else if (contains_any(names, {"cgcs2000", "2000"})) {
            hints.datum = Datum::cgcs2000;
        }
    } else {
        const int north = find_column(h, {"北坐标", "纵坐标", "northing", "n", "north"});
        const int east = find_column(h, {"东坐标", "横坐标", "easting", "e", "east"});
        const int x = find_column(h, {"x", "x坐标", "坐标x", "x(m)", "x(米)"});
        const int y = find_column(h, {"y", "y坐标", "坐标y", "y(m)", "y(米)"});
        if (north >= 0 && east >= 0) {
            first = north;
            second = east;
        } else if (x >= 0 && y >= 0) {
            first = x;  // surveyors' X is the northing
            second = y;
        }
        hints.expected_east = 1;
        const std::string all = first >= 0 ? text::fold(h[first]) + " " + text::fold(h[second]) : "";
        if (contains_any(all, {"西安", "xian", "1980"})) {
            hints.datum = Datum::xian1980;
        } else if (contains_any(all, {"北京", "1954"})) {
            hints.datum = Datum::beijing1954;
        }
    }
    if (first < 0) {
        std::string names;
        for (const auto& n : h) {
            names += (names.empty() ? "" : ", ") + n;
        }
        throw DataError(Message("table.no_coordinate_columns", {{"file", where}, {"header", names}}));
    }
    hints.first_label = h[first];
    hints.second_label = h[second];

    return {first, second, hints};
}

Table parse_csv(const std::string& bytes, const std::string& where) {
    std::istringstream in(bytes);
    CsvStream stream(in, where);
    Table table;
    table.encoding = stream.encoding();
    TableRow row;
    if (!stream.next(row)) {
        throw DataError(Message("table.empty", {{"file", where}}));
    }
    table.header = std::move(row.cells);
    while (stream.next(row)) {
        table.rows.push_back(row);
    }
    return table;
}

gdal::DatasetPtr open_spreadsheet(const std::string& path) {
    // Registers are all text as often as not: the first row is the header regardless.
    // (GDAL 3.6 takes this as a configuration option, not an open option.)
    struct ForceHeaders {
        ForceHeaders() {
            CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
            CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
        }
        ~ForceHeaders() {
            CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", nullptr);
            CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", nullptr);
        }
    } force_headers;
    gdal::DatasetPtr dataset = gdal::open_vector(path);
    // The driver reads a sheet lazily: make it do so while the option is set.
    for (OGRLayer* layer : dataset->GetLayers()) {
        layer->GetLayerDefn();
    }
    return dataset;
}

Table read_sheet(const std::string& path, const std::optional<std::string>& sheet) {
    gdal::DatasetPtr dataset = open_spreadsheet(path);
    OGRLayer* layer = sheet ? gdal::pick_layer(*dataset, path, sheet) : dataset->GetLayer(0);
    if (layer == nullptr) {
        throw DataError(Message("table.no_sheet", {{"file", path}}));
    }
    Table table;
    table.encoding = "UTF-8";
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        table.header.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    }
    layer->ResetReading();
    for (auto& feature : *layer) {
        TableRow row;
        row.line = static_cast<int>(feature->GetFID()) + 1;
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            row.cells.push_back(gdal::field_text(*feature, i));
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::optional<double> parse_coordinate(const std::string& raw) {
    const std::string text = fold_fullwidth(text::trim(raw));
    if (text.empty() || text.size() > 64) {
        return std::nullopt;
    }
    char* end = nullptr;
    const double plain = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size()) {
        return std::isfinite(plain) ? std::optional<double>(plain) : std::nullopt;
    }
    // Degrees, minutes, seconds with the usual marks between the numbers, and nothing else.
    std::string rest = text;
    for (const char* mark : {"°", "度", "′", "分", "″", "秒", "'", "\"", ":", "E", "N", "e", "n"}) {
        for (auto at = rest.find(mark); at != std::string::npos; at = rest.find(mark)) {
            rest.replace(at, std::strlen(mark), " ");
        }
    }
    std::vector<double> parts;
    std::istringstream numbers(rest);
    std::string token;
    while (numbers >> token) {
        char* after = nullptr;
        const double v = std::strtod(token.c_str(), &after);
        if (after != token.c_str() + token.size() || parts.size() == 3) {
            return std::nullopt;
        }
        parts.push_back(v);
    }
    if (parts.empty() || parts.size() > 3) {
        return std::nullopt;
    }
    const double sign = parts[0] < 0 ? -1.0 : 1.0;
    double value = std::fabs(parts[0]);
    if (parts.size() > 1) {
        if (parts[1] < 0 || parts[1] >= 60)
            return std::nullopt;
        value += parts[1] / 60.0;
    }
    if (parts.size() > 2) {
        if (parts[2] < 0 || parts[2] >= 60)
            return std::nullopt;
        value += parts[2] / 3600.0;
    }
    return sign * value;
}

FootprintSet read_point_table(const Table& table, const std::string& where, const FootprintSource& source) {
    FootprintSet set;
    set.source = where;
    set.detections.push_back({"encoding", Message::verbatim(table.encoding)});
    const auto& h = table.header;
    const CoordinateColumns columns = find_coordinate_columns(h, source, where);
    const int first = columns.first, second = columns.second;
    const RawCrsHints& hints = columns.hints;
    set.detections.push_back(
        {"columns", Message("detect.coordinate_columns", {{"first", h[first]}, {"second", h[second]}})});

    const int id = find_column(h, {"id", "编号", "编码", "排污口编码", "排污口编号", "code", "点号", "序号"});
    const int name = find_column(h, {"name", "名称", "排污口名称", "项目名称", "点名"});
    const int group = find_column(h, {"地块编号", "地块号", "宗地号", "图斑编号", "parcel", "polygon", "面编号"});
    const int ring = find_column(h, {"圈号", "环号", "ring"});

    std::vector<RawShape> shapes;
    std::map<std::string, std::size_t> by_group;
    std::set<std::string> seen_ids;
    for (const auto& row : table.rows) {
        const Message row_label = line_ref(row.line);
        const auto a = parse_coordinate(cell(row, first));
        const auto b = parse_coordinate(cell(row, second));
        if (!a || !b) {
            set.problems.push_back(
                {Severity::error, where, row_label,
                 Message("table.bad_coordinates", {{"first", cell(row, first)}, {"second", cell(row, second)}})});
            continue;
        }
        std::map<std::string, std::string> attributes;
        for (std::size_t i = 0; i < h.size() && i < row.cells.size(); ++i) {
            if (!text::trim(row.cells[i]).empty()) {
                attributes[h[i]] = row.cells[i];
            }
        }
        if (group >= 0 && !cell(row, group).empty()) {
            const std::string key = cell(row, group);
            auto [it, inserted] = by_group.try_emplace(key, shapes.size());
            if (inserted) {
                RawShape shape;
                shape.id = key;
                shape.name = cell(row, name);
                shape.where = row_label;
                shape.attributes = attributes;
                shape.dimension = 2;
                shapes.push_back(std::move(shape));
            }
            RawShape& shape = shapes[it->second];
            // Checked as a double first: a ring number out of size_t's range must not be narrowed.
            const double ring_number = ring >= 0 ? std::max(1.0, parse_coordinate(cell(row, ring)).value_or(1)) : 1.0;
            const std::size_t ring_index = ring_number <= 1001 ? static_cast<std::size_t>(ring_number) - 1 : 1001;
            if (ring_index > 1000) {
                set.problems.push_back(
                    {Severity::error, where, row_label, Message("table.bad_ring", {{"ring", cell(row, ring)}})});
                continue;
            }
            if (shape.rings.size() <= ring_index) {
                shape.rings.resize(ring_index + 1);
            }
            shape.rings[ring_index].emplace_back(*a, *b);
            continue;
        }
        RawShape shape;
        shape.id = id >= 0 && !cell(row, id).empty() ? cell(row, id) : std::to_string(row.line);
        if (!seen_ids.insert(shape.id).second) {
            set.problems.push_back(
                {Severity::warning, where, row_label, Message("table.duplicate_id", {{"id", shape.id}})});
        }
        shape.name = cell(row, name);
        shape.where = row_label;
        shape.attributes = std::move(attributes);
        shape.dimension = 0;
        shape.rings.push_back({{*a, *b}});
        shapes.push_back(std::move(shape));
    }
    // Vertex tables: close rings that are not closed; a group of fewer than three points is
    // no polygon.
    for (auto& shape : shapes) {
        if (shape.dimension != 2) {
            continue;
        }
        for (auto& r : shape.rings) {
            if (r.size() >= 3 && r.front() != r.back()) {
                r.push_back(r.front());
            }
        }
        if (shape.rings.empty() || shape.rings.front().size() < 4) {
            shape.dimension = shape.rings.empty() || shape.rings.front().size() < 2 ? 0 : 1;
            set.problems.push_back({Severity::warning, where, shape.where,
                                    Message(shape.dimension == 0 ? "table.parcel_as_point" : "table.parcel_as_line",
                                            {{"parcel", shape.id}})});
        }
    }
    if (group >= 0) {
        set.detections.push_back({"shape", Message("detect.vertex_table", {{"column", h[group]}})});
    }
    if (shapes.empty()) {
        throw DataError(Message("table.no_usable_row", {{"file", where}}));
    }
    place_raw_shapes(shapes, hints, where, source.max_vertices, set);
    return set;
}

}  // namespace redline
