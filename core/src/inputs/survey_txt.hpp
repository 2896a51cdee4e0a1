// The land-boundary coordinate file (勘测定界 / 坐标交换 TXT): sections [属性描述],
// [项目信息] and [地块坐标]; parcels with header lines ending in '@' and point rows
// "name,ring,X,Y" (X northing, Y easting). See DOMAIN.md and docs/formats.md.
#pragma once

#include "redline/inputs/footprints.hpp"

#include <map>
#include <string>
#include <vector>

namespace redline {

struct SurveyParcel {
    std::string number;                             // 地块号
    std::string name;                               // 地块名称
    std::string kind;                               // 面, 线 or 点
    std::map<std::string, std::string> attributes;  // 点数, 面积, 图幅号, 地块用途, 地类编码
    std::map<int, std::vector<std::pair<double, double>>> rings;  // ring number -> (X, Y) as written
    int line = 0;                                                 // of the parcel header
};

struct SurveyFile {
    std::map<std::string, std::string> header;   // [属性描述]
    std::map<std::string, std::string> project;  // [项目信息]
    std::vector<SurveyParcel> parcels;
    std::string encoding;           // UTF-8 or GB18030
    int decimals = 3;               // from 精度, else the most decimals written
    std::vector<Message> warnings;  // each names its line
};

// True when the bytes look like such a file (a [地块坐标] or [属性描述] section).
bool looks_like_survey_txt(const std::string& bytes);
// Parses the bytes; DataError naming the line for anything that cannot be read.
SurveyFile parse_survey_txt(const std::string& bytes, const std::string& where);
// Reads footprints: CRS from the header (or the options), with every decision reported.
FootprintSet read_survey_txt(const std::string& bytes, const std::string& where, const FootprintSource& source);

// Writes parcels in the same format; coordinates in `epsg` (a Gauss-Kruger CRS), X first.
struct SurveyOutputParcel {
    std::string number, name, kind;
    double area_ha = 0;
    std::vector<std::vector<std::pair<double, double>>> rings;  // (X northing, Y easting), closed
};
std::string write_survey_txt(const std::vector<SurveyOutputParcel>& parcels,
                             const std::map<std::string, std::string>& header, int decimals);

// Full-width digits and letters to ASCII, ideographic spaces to spaces.
std::string fold_fullwidth(const std::string& utf8);

}  // namespace redline
