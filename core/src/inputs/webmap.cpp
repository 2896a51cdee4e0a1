#include "inputs/webmap.hpp"

#include <cmath>
#include <numbers>

namespace redline::webmap {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double krasovsky_a = 6378245.0;
constexpr double krasovsky_e2 = 0.00669342162296594323;
constexpr double baidu_pi = pi * 3000.0 / 180.0;

double shift_lat(double x, double y) {
    double d = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    d += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    d += (20.0 * std::sin(y * pi) + 40.0 * std::sin(y / 3.0 * pi)) * 2.0 / 3.0;
    d += (160.0 * std::sin(y / 12.0 * pi) + 320.0 * std::sin(y * pi / 30.0)) * 2.0 / 3.0;
    return d;
}

double shift_lon(double x, double y) {
    double d = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    d += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    d += (20.0 * std::sin(x * pi) + 40.0 * std::sin(x / 3.0 * pi)) * 2.0 / 3.0;
    d += (150.0 * std::sin(x / 12.0 * pi) + 300.0 * std::sin(x / 30.0 * pi)) * 2.0 / 3.0;
    return d;
}

// Inverts a forward mapping by fixed-point iteration: the offsets vary slowly, so each
// step removes almost all of the remaining error.
template <typename Forward>
std::pair<double, double> invert(Forward forward, double lon, double lat) {
    double x = lon, y = lat;
    for (int i = 0; i < 50; ++i) {
        const auto [fx, fy] = forward(x, y);
        const double dx = fx - lon, dy = fy - lat;
        x -= dx;
        y -= dy;
        if (std::fabs(dx) < 1e-10 && std::fabs(dy) < 1e-10) {
            break;
        }
    }
    return {x, y};
}

}  // namespace

bool offset_applies(double lon, double lat) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

std::pair<double, double> gcj02_from_wgs84(double lon, double lat) {
    if (!offset_applies(lon, lat)) {
        return {lon, lat};
    }
    const double x = lon - 105.0, y = lat - 35.0;
    const double rad_lat = lat / 180.0 * pi;
    double magic = std::sin(rad_lat);
    magic = 1.0 - krasovsky_e2 * magic * magic;
    const double sqrt_magic = std::sqrt(magic);
    const double d_lat = (shift_lat(x, y) * 180.0) / ((krasovsky_a * (1.0 - krasovsky_e2)) / (magic * sqrt_magic) * pi);
    const double d_lon = (shift_lon(x, y) * 180.0) / (krasovsky_a / sqrt_magic * std::cos(rad_lat) * pi);
    return {lon + d_lon, lat + d_lat};
}

std::pair<double, double> wgs84_from_gcj02(double lon, double lat) {
    if (!offset_applies(lon, lat)) {
        return {lon, lat};
    }
    return invert([](double x, double y) { return gcj02_from_wgs84(x, y); }, lon, lat);
}

std::pair<double, double> bd09_from_gcj02(double lon, double lat) {
    const double z = std::sqrt(lon * lon + lat * lat) + 0.00002 * std::sin(lat * baidu_pi);
    const double theta = std::atan2(lat, lon) + 0.000003 * std::cos(lon * baidu_pi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

std::pair<double, double> gcj02_from_bd09(double lon, double lat) {
    return invert([](double x, double y) { return bd09_from_gcj02(x, y); }, lon, lat);
}

std::pair<double, double> wgs84_from_bd09(double lon, double lat) {
    const auto [glon, glat] = gcj02_from_bd09(lon, lat);
    return wgs84_from_gcj02(glon, glat);
}

}  // namespace redline::webmap
