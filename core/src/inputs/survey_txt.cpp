#include "inputs/survey_txt.hpp"

#include "base/text.hpp"
#include "base/text_decoding.hpp"
#include "inputs/raw_shapes.hpp"
#include "redline/errors.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace redline {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    for (char c : line) {
        if (c == ',') {
            fields.push_back(text::trim(field));
            field.clear();
        } else {
            field += c;
        }
    }
    fields.push_back(text::trim(field));
    return fields;
}

bool parse_number(const std::string& text, double& out) {
    if (text.empty() || text.size() > 64) {
        return false;
    }
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(out);
}

// A header value that must be a whole number in [low, high]; anything else is refused
// before it is narrowed to int (a double out of int's range is undefined behaviour).
std::optional<int> whole_number_in(const std::string& text, int low, int high) {
    double value = 0;
    if (!parse_number(text, value) || value != std::floor(value) || value < low || value > high) {
        return std::nullopt;
    }
    return static_cast<int>(value);
}

int decimals_of(const std::string& number) {
    const auto dot = number.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(number.size() - dot - 1);
}

std::optional<Datum> datum_from_header(const std::string& value) {
    const std::string v = text::fold(value);
    if (v.find("2000") != std::string::npos || v.find("cgcs") != std::string::npos)
        return Datum::cgcs2000;
    if (v.find("西安") != std::string::npos || v.find("1980") != std::string::npos || v.find("80") != std::string::npos)
        return Datum::xian1980;
    if (v.find("北京") != std::string::npos || v.find("1954") != std::string::npos || v.find("54") != std::string::npos)
        return Datum::beijing1954;
    if (v.find("wgs") != std::string::npos || v.find("84") != std::string::npos)
        return Datum::wgs84;
    return std::nullopt;
}

}  // namespace

std::string fold_fullwidth(const std::string& utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        // U+FF01..U+FF5E are three bytes EF BC 81 .. EF BD 9E; U+3000 is E3 80 80.
        if (c == 0xEF && i + 2 < utf8.size()) {
            const auto c1 = static_cast<unsigned char>(utf8[i + 1]);
            const auto c2 = static_cast<unsigned char>(utf8[i + 2]);
            const unsigned code = 0xF000u | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
            if (code >= 0xFF01 && code <= 0xFF5E) {
                out += static_cast<char>(code - 0xFEE0);
                i += 3;
                continue;
            }
        }
        if (c == 0xE3 && i + 2 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) == 0x80 &&
            static_cast<unsigned char>(utf8[i + 2]) == 0x80) {
            out += ' ';
            i += 3;
            continue;
        }
        out += static_cast<char>(c);
        ++i;
    }
    return out;
}

bool looks_like_survey_txt(const std::string& bytes) {
    std::string encoding;
    const std::string head = fold_fullwidth(text::decode_to_utf8(bytes.substr(0, 4096), encoding));
    return head.find("[地块坐标]") != std::string::npos || head.find("[属性描述]") != std::string::npos;
}

SurveyFile parse_survey_txt(const std::string& bytes, const std::string& where) {
    SurveyFile file;
    const std::string content = fold_fullwidth(text::decode_to_utf8(bytes, file.encoding));
    std::istringstream in(content);
    std::string raw;
    std::string section;
    int line_no = 0;
    bool saw_parcels_section = false;
    int max_decimals = 0;
    SurveyParcel* parcel = nullptr;
    while (std::getline(in, raw)) {
        ++line_no;
        const std::string line = text::trim(raw);
        if (line.empty()) {
            continue;
        }
        if (line.front() == '[' && line.back() == ']') {
            section = line.substr(1, line.size() - 2);
            saw_parcels_section = saw_parcels_section || section == "地块坐标";
            if (section != "属性描述" && section != "项目信息" && section != "地块坐标") {
                file.warnings.push_back(Message("survey.unknown_section", {{"line", line_no}, {"section", section}}));
            }
            continue;
        }
        if (section == "属性描述" || section == "项目信息") {
            const auto eq = line.find('=');
            if (eq == std::string::npos) {
                file.warnings.push_back(
                    Message("survey.not_key_value", {{"line", line_no}, {"text", line.substr(0, 40)}}));
                continue;
            }
            (section == "属性描述" ? file.header : file.project)[text::trim(line.substr(0, eq))] =
                text::trim(line.substr(eq + 1));
            continue;
        }
        if (section != "地块坐标") {
            throw DataError(Message("survey.outside_section", {{"file", where}, {"line", line_no}}));
        }
        const auto fields = split_fields(line);
        if (!fields.empty() && fields.back() == "@") {
            SurveyParcel next;
            next.line = line_no;
            auto field = [&](std::size_t i) { return i < fields.size() - 1 ? fields[i] : std::string{}; };
            next.attributes["点数"] = field(0);
            next.attributes["面积"] = field(1);
            next.number = field(2);
            next.name = field(3);
            next.kind = field(4).empty() ? "面" : field(4);
            if (next.kind != "面" && next.kind != "线" && next.kind != "点") {
                throw DataError(Message("survey.bad_kind", {{"file", where}, {"line", line_no}, {"kind", next.kind}}));
            }
            for (const auto& [index, key] :
                 {std::pair<std::size_t, const char*>{5, "图幅号"}, {6, "地块用途"}, {7, "地类编码"}}) {
                if (!field(index).empty()) {
                    next.attributes[key] = field(index);
                }
            }
            file.parcels.push_back(std::move(next));
            parcel = &file.parcels.back();
            continue;
        }
        if (parcel == nullptr) {
            throw DataError(Message("survey.point_before_parcel", {{"file", where}, {"line", line_no}}));
        }
        if (fields.size() < 4) {
            throw DataError(
                Message("survey.bad_point_row", {{"file", where}, {"line", line_no}, {"text", line.substr(0, 60)}}));
        }
        double ring = 0, x = 0, y = 0;
        if (!parse_number(fields[1], ring) || ring < 1 || ring != std::floor(ring) || ring > 10000) {
            throw DataError(Message("survey.bad_ring", {{"file", where}, {"line", line_no}, {"ring", fields[1]}}));
        }
        if (!parse_number(fields[2], x) || !parse_number(fields[3], y)) {
            throw DataError(Message("survey.bad_coordinates",
                                    {{"file", where}, {"line", line_no}, {"x", fields[2]}, {"y", fields[3]}}));
        }
        max_decimals = std::max({max_decimals, decimals_of(fields[2]), decimals_of(fields[3])});
        parcel->rings[static_cast<int>(ring)].emplace_back(x, y);
    }
    if (!saw_parcels_section) {
        throw DataError(Message("survey.no_parcel_section", {{"file", where}}));
    }
    if (file.parcels.empty()) {
        throw DataError(Message("survey.no_parcel", {{"file", where}}));
    }
    for (auto& p : file.parcels) {
        if (p.rings.empty()) {
            throw DataError(Message("survey.parcel_empty", {{"file", where}, {"line", p.line}, {"parcel", p.number}}));
        }
        std::size_t points = 0;
        for (auto& [number, ring] : p.rings) {
            points += ring.size();
            if (p.kind != "面") {
                continue;
            }
            if (ring.size() >= 2 && ring.front() != ring.back()) {
                ring.push_back(ring.front());
                file.warnings.push_back(
                    Message("survey.ring_closed", {{"line", p.line}, {"parcel", p.number}, {"ring", number}}));
            }
            if (ring.size() < 4) {
                throw DataError(Message("survey.ring_too_short",
                                        {{"file", where}, {"line", p.line}, {"parcel", p.number}, {"ring", number}}));
            }
        }
        double declared = 0;
        if (parse_number(p.attributes["点数"], declared) && declared != static_cast<double>(points)) {
            file.warnings.push_back(Message(
                "survey.point_count",
                {{"line", p.line}, {"parcel", p.number}, {"declared", p.attributes["点数"]}, {"listed", points}}));
        }
    }
    double precision = 0;
    if (auto it = file.header.find("精度");
        it != file.header.end() && parse_number(it->second, precision) && precision > 0) {
        file.decimals = static_cast<int>(std::clamp(std::round(-std::log10(precision)), 0.0, 12.0));
    } else {
        file.decimals = max_decimals;
    }
    return file;
}

FootprintSet read_survey_txt(const std::string& bytes, const std::string& where, const FootprintSource& source) {
    const SurveyFile file = parse_survey_txt(bytes, where);
    FootprintSet set;
    set.source = where;
    set.layer = "地块坐标";
    set.detections.push_back({"format", Message("detect.survey_txt", {{"parcels", file.parcels.size()}})});
    set.detections.push_back({"encoding", Message::verbatim(file.encoding)});
    for (const auto& w : file.warnings) {
        set.problems.push_back({Severity::warning, where, {}, w});
    }

    RawCrsHints hints;
    hints.expected_east = 1;  // X (northing) first, Y (easting) second
    hints.first_label = "X";
    hints.second_label = "Y";
    hints.geographic_default_ok = true;
    hints.crs = source.crs;
    hints.web_datum = source.web_datum;
    hints.source_of_hints = Message("hints.file_header");
    auto header = [&](const char* key) -> std::string {
        auto it = file.header.find(key);
        return it == file.header.end() ? std::string{} : it->second;
    };
    if (const std::string datum = header("坐标系"); !datum.empty()) {
        hints.datum = datum_from_header(datum);
        if (!hints.datum) {
            throw DataError(Message("survey.unknown_datum", {{"file", where}, {"datum", datum}}));
        }
    }
    if (const std::string width = header("几度分带"); !width.empty()) {
        const auto value = whole_number_in(width, 3, 6);
        if (!value || (*value != 3 && *value != 6)) {
            throw DataError(Message("survey.bad_zone_width", {{"file", where}, {"width", width}}));
        }
        hints.zone_width = *value;
    }
    if (const std::string zone = header("带号"); !zone.empty()) {
        const auto value = whole_number_in(zone, 1, 120);
        if (!value) {
            throw DataError(Message("survey.bad_zone", {{"file", where}, {"zone", zone}}));
        }
        hints.zone = *value;
    }
    if (const std::string unit = header("计量单位"); !unit.empty() && unit != "米" && text::fold(unit) != "m") {
        throw DataError(Message("survey.bad_unit", {{"file", where}, {"unit", unit}}));
    }
    if (const std::string params = header("转换参数"); !params.empty()) {
        const auto values = split_fields(params);
        std::array<double, 7> seven{};
        int given = 0;
        for (std::size_t i = 0; i < values.size() && i < 7; ++i) {
            if (parse_number(values[i], seven[i])) {
                ++given;
            }
        }
        if (given == 7) {
            hints.towgs84 = seven;
        } else if (given > 0) {
            throw DataError(Message("survey.bad_parameters", {{"file", where}, {"text", params}}));
        }
    }
    // Options given on the command line override the header.
    if (source.zone) {
        hints.zone = source.zone;
        hints.source_of_hints = Message::verbatim("--zone");
    }
    if (source.central_meridian) {
        hints.central_meridian = source.central_meridian;
        hints.zone.reset();
        hints.source_of_hints = Message::verbatim("--cm");
    }

    std::vector<RawShape> shapes;
    for (const auto& p : file.parcels) {
        RawShape shape;
        shape.id = p.number.empty() ? std::to_string(shapes.size() + 1) : p.number;
        shape.name = p.name;
        shape.where = line_ref(p.line);
        shape.attributes = p.attributes;
        shape.dimension = p.kind == "面" ? 2 : p.kind == "线" ? 1 : 0;
        for (const auto& [number_of_ring, ring] : p.rings) {
            shape.rings.push_back(ring);
        }
        shapes.push_back(std::move(shape));
    }
    place_raw_shapes(shapes, hints, where, source.max_vertices, set);
    return set;
}

std::string write_survey_txt(const std::vector<SurveyOutputParcel>& parcels,
                             const std::map<std::string, std::string>& header, int decimals) {
    std::ostringstream out;
    out << "[属性描述]\n";
    for (const auto& [key, value] : header) {
        out << key << '=' << value << '\n';
    }
    out << "[地块坐标]\n";
    char buf[128];
    for (const auto& p : parcels) {
        std::size_t points = 0;
        for (const auto& ring : p.rings) {
            points += ring.size();
        }
        std::snprintf(buf, sizeof buf, "%.4f", p.area_ha);
        out << points << ',' << buf << ',' << p.number << ',' << p.name << ',' << p.kind << ",,,,@\n";
        int point = 0;
        int ring_number = 0;
        for (const auto& ring : p.rings) {
            ++ring_number;
            const int first_point = point + 1;
            for (std::size_t i = 0; i < ring.size(); ++i) {
                // A closed ring repeats its first point, under the first point's name.
                const bool closing = i + 1 == ring.size() && ring.size() > 1 && ring[i] == ring.front();
                const auto [x, y] = ring[i];
                std::snprintf(buf, sizeof buf, "J%d,%d,%.*f,%.*f", closing ? first_point : ++point, ring_number,
                              decimals, x, decimals, y);
                out << buf << '\n';
            }
        }
    }
    return out.str();
}

}  // namespace redline
