// Web-map coordinates: GCJ-02 (AMap, Tencent) and BD-09 (Baidu) to WGS 84.
//
// GCJ-02 is WGS 84 shifted by a published, non-official formula; it is inverted here by
// fixed-point iteration to a residual below 1e-9 degrees (about 0.1 mm), so the result is as
// good as the formula: treat converted positions as metre-level. BD-09 is GCJ-02 with a
// further published offset, inverted the same way.
#pragma once

#include <utility>

namespace redline::webmap {

std::pair<double, double> gcj02_from_wgs84(double lon, double lat);
std::pair<double, double> wgs84_from_gcj02(double lon, double lat);
std::pair<double, double> bd09_from_gcj02(double lon, double lat);
std::pair<double, double> gcj02_from_bd09(double lon, double lat);
std::pair<double, double> wgs84_from_bd09(double lon, double lat);
// The offsets apply inside China's bounding box only.
bool offset_applies(double lon, double lat);

}  // namespace redline::webmap
