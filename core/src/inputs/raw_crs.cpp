#include "inputs/raw_crs.hpp"

#include "base/gdal_support.hpp"
#include "redline/errors.hpp"
#include "inputs/webmap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace redline {
namespace {

enum class Role { longitude, latitude, northing, prefixed_easting, easting, unknown };

const char* role_text(Role role) {
    switch (role) {
        case Role::longitude:
            return "longitudes";
        case Role::latitude:
            return "latitudes";
        case Role::northing:
            return "northings (7 digits)";
        case Role::prefixed_easting:
            return "eastings with a zone prefix (8 digits)";
        case Role::easting:
            return "eastings without zone prefix (6 digits)";
        case Role::unknown:
            return "values that are neither degrees nor Gauss-Kruger metres in China";
    }
    return "";
}

bool is_east(Role r) {
    return r == Role::longitude || r == Role::prefixed_easting || r == Role::easting;
}
bool is_north(Role r) {
    return r == Role::latitude || r == Role::northing;
}

Role classify(double min, double max) {
    if (min >= 73.0 && max <= 136.0)
        return Role::longitude;
    if (min >= 3.0 && max <= 54.0)
        return Role::latitude;
    if (min >= 1.5e6 && max <= 6.3e6)
        return Role::northing;
    if (min >= 13e6 && max < 46e6)
        return Role::prefixed_easting;
    if (min >= 1e5 && max < 1e6)
        return Role::easting;
    return Role::unknown;
}

std::string range_text(double min, double max) {
    char buf[96];
    if (min == max) {
        std::snprintf(buf, sizeof buf, "%.3f", min);
    } else {
        std::snprintf(buf, sizeof buf, "%.3f to %.3f", min, max);
    }
    return buf;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// EPSG codes of the Chinese Gauss-Kruger families, 3- and 6-degree, with and without prefix.
std::optional<int> gauss_kruger_epsg(Datum datum, int width, bool prefixed, int zone, double cm) {
    struct Family {
        int six_zone13, six_cm75, three_zone25, three_cm75;
    };
    Family f{};
    switch (datum) {
        case Datum::cgcs2000:
            f = {4491, 4502, 4513, 4534};
            break;
        case Datum::xian1980:
            f = {2327, 2338, 2349, 2370};
            break;
        case Datum::beijing1954:
            f = {21413, 21453, 2401, 2422};
            break;
        case Datum::wgs84:
            return std::nullopt;
    }
    if (width == 6) {
        if (prefixed && zone >= 13 && zone <= 23)
            return f.six_zone13 + zone - 13;
        const double k = (cm - 75.0) / 6.0;
        if (!prefixed && k >= 0 && k <= 10 && k == std::floor(k))
            return f.six_cm75 + static_cast<int>(k);
    } else {
        if (prefixed && zone >= 25 && zone <= 45)
            return f.three_zone25 + zone - 25;
        const double k = (cm - 75.0) / 3.0;
        if (!prefixed && k >= 0 && k <= 20 && k == std::floor(k))
            return f.three_cm75 + static_cast<int>(k);
    }
    return std::nullopt;
}

const char* ellipsoid(Datum datum) {
    switch (datum) {
        case Datum::cgcs2000:
            return "+ellps=GRS80";
        case Datum::xian1980:
            return "+a=6378140 +rf=298.257";
        case Datum::beijing1954:
            return "+ellps=krass";
        case Datum::wgs84:
            return "+ellps=WGS84";
    }
    return "+ellps=GRS80";
}

int geographic_epsg(Datum datum) {
    switch (datum) {
        case Datum::cgcs2000:
            return 4490;
        case Datum::xian1980:
            return 4610;
        case Datum::beijing1954:
            return 4214;
        case Datum::wgs84:
            return 4326;
    }
    return 4490;
}

}  // namespace

const char* datum_name(Datum datum) {
    switch (datum) {
        case Datum::cgcs2000:
            return "CGCS2000";
        case Datum::xian1980:
            return "Xian 1980";
        case Datum::beijing1954:
            return "Beijing 1954";
        case Datum::wgs84:
            return "WGS 84";
    }
    return "";
}

bool inside_china(double lon, double lat) {
    return lon >= 73.0 && lon <= 135.5 && lat >= 3.0 && lat <= 54.0;
}

RawCrsDecision decide_raw_crs(const std::vector<std::pair<double, double>>& coords, const RawCrsHints& hints,
                              const std::string& where) {
    if (coords.empty()) {
        throw DataError(where + ": no coordinates to read");
    }
    // The roles come from the coordinates most of the rows agree on, so that a stray row
    // (a typo, a point abroad) is reported as a bad row rather than blocking the input.
    std::map<std::pair<Role, Role>, std::size_t> votes;
    for (const auto& [a, b] : coords) {
        ++votes[{classify(a, a), classify(b, b)}];
    }
    const auto majority = std::max_element(votes.begin(), votes.end(), [](const auto& x, const auto& y) {
                              return x.second < y.second;
                          })->first;
    double min0 = INFINITY, max0 = -INFINITY, min1 = INFINITY, max1 = -INFINITY;
    for (const auto& [a, b] : coords) {
        if (classify(a, a) != majority.first || classify(b, b) != majority.second) {
            continue;
        }
        min0 = std::min(min0, a);
        max0 = std::max(max0, a);
        min1 = std::min(min1, b);
        max1 = std::max(max1, b);
    }
    if (votes.size() == 1 || majority.first == Role::unknown || majority.second == Role::unknown) {
        // Everything agrees (or nothing does): judge the whole range.
        min0 = min1 = INFINITY;
        max0 = max1 = -INFINITY;
        for (const auto& [a, b] : coords) {
            min0 = std::min(min0, a);
            max0 = std::max(max0, a);
            min1 = std::min(min1, b);
            max1 = std::max(max1, b);
        }
    }
    const Role r0 = classify(min0, max0);
    const Role r1 = classify(min1, max1);
    auto describe_columns = [&] {
        return hints.first_label + " holds " + role_text(r0) + " (" + range_text(min0, max0) + "), " +
               hints.second_label + " holds " + role_text(r1) + " (" + range_text(min1, max1) + ")";
    };

    RawCrsDecision decision;
    if (is_north(r0) && is_east(r1)) {
        decision.east_index = 1;
    } else if (is_east(r0) && is_north(r1)) {
        decision.east_index = 0;
    } else {
        throw DataError(where + ": cannot tell the coordinates' axes: " + describe_columns() +
                        ". Coordinates must lie in China, as longitude/latitude or as CGCS2000 Gauss-Kruger metres; "
                        "check the columns, or give --crs");
    }
    const Role east = decision.east_index == 0 ? r0 : r1;
    const Role north = decision.east_index == 0 ? r1 : r0;
    const bool geographic = east == Role::longitude;
    if (geographic != (north == Role::latitude)) {
        throw DataError(where + ": the coordinates mix degrees and metres: " + describe_columns());
    }
    decision.swapped = decision.east_index != hints.expected_east;
    const std::string east_label = decision.east_index == 0 ? hints.first_label : hints.second_label;
    const std::string north_label = decision.east_index == 0 ? hints.second_label : hints.first_label;
    if (decision.swapped) {
        decision.warnings.push_back(hints.first_label + " and " + hints.second_label +
                                    " are swapped: " + describe_columns() + "; read with " + east_label + " as " +
                                    (geographic ? "longitude" : "easting"));
    }
    decision.detections.push_back(
        {"axes", east_label + " is " + (geographic ? "longitude" : "easting") + ", " + north_label + " is " +
                     (geographic ? "latitude" : "northing") + ": " + describe_columns() +
                     (decision.swapped ? " (swapped against the column labels; corrected)" : "")});

    const double east_min = decision.east_index == 0 ? min0 : min1;
    const double east_max = decision.east_index == 0 ? max0 : max1;

    if (hints.crs) {
        decision.srs = gdal::parse_crs(*hints.crs, "--crs");
        if (decision.srs.IsGeographic() != geographic) {
            throw DataError(where + ": --crs " + *hints.crs + " is " + (geographic ? "projected" : "geographic") +
                            " but the coordinates are " + (geographic ? "degrees" : "metres") + ": " +
                            describe_columns());
        }
        decision.label = gdal::describe(decision.srs);
        decision.detections.push_back({"crs", decision.label + ", given with --crs"});
        return decision;
    }

    if (geographic) {
        if (hints.web_datum) {
            decision.web_datum = hints.web_datum;
            decision.srs.importFromEPSG(4326);
            decision.label = "EPSG:4326";
            decision.detections.push_back(
                {"crs", "web-map coordinates (" + *hints.web_datum + ", " + hints.source_of_hints +
                            ") converted to WGS 84 by inverting the published offset formula; metre-level accuracy"});
        } else if (hints.datum) {
            decision.srs.importFromEPSG(geographic_epsg(*hints.datum));
            decision.label = "EPSG:" + std::to_string(geographic_epsg(*hints.datum));
            decision.detections.push_back(
                {"crs", std::string(datum_name(*hints.datum)) + " longitude/latitude (" + hints.source_of_hints + ")"});
        } else if (hints.geographic_default_ok) {
            decision.srs.importFromEPSG(4490);
            decision.label = "EPSG:4490";
            decision.detections.push_back({"crs", "CGCS2000 longitude/latitude, assumed: the file names no datum"});
            decision.warnings.push_back("the file names no coordinate system; CGCS2000 assumed");
        } else {
            throw UsageError(where +
                             ": the coordinates are longitude/latitude but nothing says in which datum, and a "
                             "web-map (GCJ-02) position is hundreds of metres off. Give --crs EPSG:4490 (CGCS2000), "
                             "--crs EPSG:4326 (WGS 84, GPS), or --from gcj02 / --from bd09 for coordinates taken "
                             "from AMap/Tencent or Baidu maps");
        }
    } else {
        if (hints.web_datum) {
            throw UsageError(where + ": --from " + *hints.web_datum +
                             " is for longitude/latitude from web maps, but the coordinates are metres");
        }
        const bool prefixed = east == Role::prefixed_easting;
        int zone = 0;
        int width = 3;
        double cm = 0;
        if (prefixed) {
            const int zone_min = static_cast<int>(east_min / 1e6);
            const int zone_max = static_cast<int>(east_max / 1e6);
            if (zone_min != zone_max) {
                throw DataError(where + ": the eastings carry different zone prefixes (" + std::to_string(zone_min) +
                                " to " + std::to_string(zone_max) + "); split the input by zone");
            }
            zone = zone_min;
            if (zone >= 13 && zone <= 23) {
                width = 6;
                cm = 6.0 * zone - 3.0;
            } else if (zone >= 25 && zone <= 45) {
                width = 3;
                cm = 3.0 * zone;
            } else {
                throw DataError(where + ": easting prefix " + std::to_string(zone) +
                                " is no Gauss-Kruger zone in China (6-degree zones 13-23, 3-degree zones 25-45)");
            }
            if (hints.zone_width && *hints.zone_width != width) {
                throw DataError(where + ": the eastings carry zone prefix " + std::to_string(zone) + ", a " +
                                std::to_string(width) + "-degree zone, but " + hints.source_of_hints + " says " +
                                std::to_string(*hints.zone_width) + "-degree zones");
            }
            if (hints.zone && *hints.zone != zone) {
                throw DataError(where + ": the eastings carry zone prefix " + std::to_string(zone) + " but " +
                                hints.source_of_hints + " gives zone " + std::to_string(*hints.zone) +
                                "; correct one of them");
            }
            decision.detections.push_back({"zone", std::to_string(width) + "-degree Gauss-Kruger zone " +
                                                       std::to_string(zone) + " (central meridian " + number(cm) +
                                                       "E), from the easting prefix"});
        } else if (hints.central_meridian) {
            cm = *hints.central_meridian;
            width = hints.zone_width.value_or(3);
            decision.detections.push_back(
                {"zone", "central meridian " + number(cm) + "E, from " + hints.source_of_hints});
        } else if (hints.zone) {
            zone = *hints.zone;
            if (zone >= 13 && zone <= 23 && hints.zone_width.value_or(6) == 6) {
                width = 6;
                cm = 6.0 * zone - 3.0;
            } else if (zone >= 25 && zone <= 45 && hints.zone_width.value_or(3) == 3) {
                width = 3;
                cm = 3.0 * zone;
            } else {
                throw UsageError(where + ": zone " + std::to_string(zone) +
                                 " is no Gauss-Kruger zone in China (6-degree 13-23, 3-degree 25-45); use --cm to give "
                                 "the central meridian instead");
            }
            decision.detections.push_back({"zone", std::to_string(width) + "-degree Gauss-Kruger zone " +
                                                       std::to_string(zone) + " (central meridian " + number(cm) +
                                                       "E), from " + hints.source_of_hints});
        } else {
            throw UsageError(where + ": the eastings (" + range_text(east_min, east_max) +
                             ") have no zone prefix, so the zone is unknown; give it with --zone N (3-degree zones "
                             "25-45, e.g. --zone 41 for 123E) or the central meridian with --cm DEG (e.g. --cm 123)");
        }
        const Datum datum = hints.datum.value_or(Datum::cgcs2000);
        if (!hints.datum) {
            decision.warnings.push_back("the coordinate system is not named; CGCS2000 assumed");
        }
        const auto epsg = gauss_kruger_epsg(datum, width, prefixed, zone, cm);
        if (epsg) {
            decision.srs.importFromEPSG(*epsg);
            decision.label = "EPSG:" + std::to_string(*epsg);
        } else {
            const std::string proj = "+proj=tmerc +lat_0=0 +lon_0=" + number(cm) +
                                     " +k=1 +x_0=" + number(prefixed ? zone * 1e6 + 500000.0 : 500000.0) + " +y_0=0 " +
                                     ellipsoid(datum) + " +units=m +no_defs +type=crs";
            decision.srs.importFromProj4(proj.c_str());
            decision.label = proj;
        }
        decision.detections.push_back(
            {"crs", decision.label + " (" + datum_name(datum) + " Gauss-Kruger" +
                        (hints.datum ? ", datum from " + hints.source_of_hints : ", datum assumed") + ")"});
    }
    if (hints.towgs84 && !decision.web_datum) {
        const auto& p = *hints.towgs84;
        decision.srs.SetTOWGS84(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        decision.detections.push_back({"datum", "seven-parameter transformation from " + hints.source_of_hints});
    } else if (hints.datum && (*hints.datum == Datum::xian1980 || *hints.datum == Datum::beijing1954)) {
        decision.warnings.push_back(std::string(datum_name(*hints.datum)) +
                                    " coordinates without transformation parameters: taken without a datum shift, "
                                    "so positions may be off by metres; give the file's seven parameters (转换参数) "
                                    "for an exact result");
    }
    decision.srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return decision;
}

std::pair<double, double> to_east_north(const RawCrsDecision& decision, double first, double second) {
    double east = decision.east_index == 0 ? first : second;
    double north = decision.east_index == 0 ? second : first;
    if (decision.web_datum) {
        const auto converted = *decision.web_datum == "bd09" ? webmap::wgs84_from_bd09(east, north)
                                                             : webmap::wgs84_from_gcj02(east, north);
        east = converted.first;
        north = converted.second;
    }
    return {east, north};
}

}  // namespace redline
