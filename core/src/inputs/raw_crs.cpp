#include "inputs/raw_crs.hpp"

#include "base/gdal_support.hpp"
#include "inputs/webmap.hpp"
#include "redline/errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace redline {
namespace {

enum class Role { longitude, latitude, northing, prefixed_easting, easting, unknown };

Message role_text(Role role) {
    switch (role) {
        case Role::longitude:
            return Message("axes.longitudes");
        case Role::latitude:
            return Message("axes.latitudes");
        case Role::northing:
            return Message("axes.northings");
        case Role::prefixed_easting:
            return Message("axes.prefixed_eastings");
        case Role::easting:
            return Message("axes.eastings");
        case Role::unknown:
            return Message("axes.unknown");
    }
    return Message("axes.unknown");
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

Message range_text(double min, double max) {
    char low[48], high[48];
    std::snprintf(low, sizeof low, "%.3f", min);
    std::snprintf(high, sizeof high, "%.3f", max);
    return min == max ? Message::verbatim(low) : Message("axes.range", {{"min", low}, {"max", high}});
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
        throw DataError(Message("axes.no_coordinates", {{"source", where}}));
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
        return Message("axes.columns", {{"first", hints.first_label},
                                        {"first_role", role_text(r0)},
                                        {"first_range", range_text(min0, max0)},
                                        {"second", hints.second_label},
                                        {"second_role", role_text(r1)},
                                        {"second_range", range_text(min1, max1)}});
    };

    RawCrsDecision decision;
    if (is_north(r0) && is_east(r1)) {
        decision.east_index = 1;
    } else if (is_east(r0) && is_north(r1)) {
        decision.east_index = 0;
    } else {
        throw DataError(Message("axes.undecidable", {{"source", where}, {"columns", describe_columns()}}));
    }
    const Role east = decision.east_index == 0 ? r0 : r1;
    const Role north = decision.east_index == 0 ? r1 : r0;
    const bool geographic = east == Role::longitude;
    if (geographic != (north == Role::latitude)) {
        throw DataError(Message("axes.mixed", {{"source", where}, {"columns", describe_columns()}}));
    }
    decision.swapped = decision.east_index != hints.expected_east;
    const std::string east_label = decision.east_index == 0 ? hints.first_label : hints.second_label;
    const std::string north_label = decision.east_index == 0 ? hints.second_label : hints.first_label;
    if (decision.swapped) {
        decision.warnings.push_back(
            Message(geographic ? "axes.swapped_degrees" : "axes.swapped_metres", {{"first", hints.first_label},
                                                                                  {"second", hints.second_label},
                                                                                  {"columns", describe_columns()},
                                                                                  {"east", east_label}}));
    }
    decision.detections.push_back(
        {"axes", Message(geographic ? "axes.read_degrees" : "axes.read_metres",
                         {{"east", east_label}, {"north", north_label}, {"columns", describe_columns()}})});
    if (decision.swapped) {
        decision.detections.back().why = Message("axes.corrected", {{"detail", decision.detections.back().why}});
    }

    const double east_min = decision.east_index == 0 ? min0 : min1;
    const double east_max = decision.east_index == 0 ? max0 : max1;

    if (hints.crs) {
        decision.srs = gdal::parse_crs(*hints.crs, "--crs");
        if (decision.srs.IsGeographic() != geographic) {
            throw DataError(Message(geographic ? "axes.crs_projected_but_degrees" : "axes.crs_geographic_but_metres",
                                    {{"source", where}, {"crs", *hints.crs}, {"columns", describe_columns()}}));
        }
        decision.label = gdal::describe(decision.srs);
        decision.detections.push_back({"crs", Message("detect.crs_given", {{"crs", decision.label}})});
        return decision;
    }

    if (geographic) {
        if (hints.web_datum) {
            decision.web_datum = hints.web_datum;
            decision.srs.importFromEPSG(4326);
            decision.label = "EPSG:4326";
            decision.detections.push_back(
                {"crs", Message("detect.web_datum", {{"from", *hints.web_datum}, {"by", hints.source_of_hints}})});
        } else if (hints.datum) {
            decision.srs.importFromEPSG(geographic_epsg(*hints.datum));
            decision.label = "EPSG:" + std::to_string(geographic_epsg(*hints.datum));
            decision.detections.push_back({"crs", Message("detect.datum_degrees", {{"datum", datum_name(*hints.datum)},
                                                                                   {"by", hints.source_of_hints}})});
        } else if (hints.geographic_default_ok) {
            decision.srs.importFromEPSG(4490);
            decision.label = "EPSG:4490";
            decision.detections.push_back({"crs", Message("detect.cgcs2000_assumed")});
            decision.warnings.push_back(Message("axes.cgcs2000_assumed"));
        } else {
            throw UsageError(Message("axes.degrees_need_datum", {{"source", where}}));
        }
    } else {
        if (hints.web_datum) {
            throw UsageError(Message("axes.from_needs_degrees", {{"source", where}, {"from", *hints.web_datum}}));
        }
        const bool prefixed = east == Role::prefixed_easting;
        int zone = 0;
        int width = 3;
        double cm = 0;
        if (prefixed) {
            const int zone_min = static_cast<int>(east_min / 1e6);
            const int zone_max = static_cast<int>(east_max / 1e6);
            if (zone_min != zone_max) {
                throw DataError(
                    Message("axes.several_zones", {{"source", where}, {"min", zone_min}, {"max", zone_max}}));
            }
            zone = zone_min;
            if (zone >= 13 && zone <= 23) {
                width = 6;
                cm = 6.0 * zone - 3.0;
            } else if (zone >= 25 && zone <= 45) {
                width = 3;
                cm = 3.0 * zone;
            } else {
                throw DataError(Message("axes.bad_prefix", {{"source", where}, {"zone", zone}}));
            }
            if (hints.zone_width && *hints.zone_width != width) {
                throw DataError(Message("axes.width_conflict", {{"source", where},
                                                                {"zone", zone},
                                                                {"width", width},
                                                                {"by", hints.source_of_hints},
                                                                {"said", *hints.zone_width}}));
            }
            if (hints.zone && *hints.zone != zone) {
                throw DataError(
                    Message("axes.zone_conflict",
                            {{"source", where}, {"zone", zone}, {"by", hints.source_of_hints}, {"said", *hints.zone}}));
            }
            decision.detections.push_back(
                {"zone", Message("detect.zone_prefix", {{"width", width}, {"zone", zone}, {"cm", number(cm)}})});
        } else if (hints.central_meridian) {
            cm = *hints.central_meridian;
            width = hints.zone_width.value_or(3);
            decision.detections.push_back(
                {"zone", Message("detect.central_meridian", {{"cm", number(cm)}, {"by", hints.source_of_hints}})});
        } else if (hints.zone) {
            zone = *hints.zone;
            if (zone >= 13 && zone <= 23 && hints.zone_width.value_or(6) == 6) {
                width = 6;
                cm = 6.0 * zone - 3.0;
            } else if (zone >= 25 && zone <= 45 && hints.zone_width.value_or(3) == 3) {
                width = 3;
                cm = 3.0 * zone;
            } else {
                throw UsageError(Message("axes.bad_zone", {{"source", where}, {"zone", zone}}));
            }
            decision.detections.push_back(
                {"zone",
                 Message("detect.zone_given",
                         {{"width", width}, {"zone", zone}, {"cm", number(cm)}, {"by", hints.source_of_hints}})});
        } else {
            throw UsageError(
                Message("axes.zone_unknown", {{"source", where}, {"range", range_text(east_min, east_max)}}));
        }
        const Datum datum = hints.datum.value_or(Datum::cgcs2000);
        if (!hints.datum) {
            decision.warnings.push_back(Message("axes.cgcs2000_assumed"));
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
            {"crs", hints.datum ? Message("detect.gauss_kruger_datum_from", {{"crs", decision.label},
                                                                             {"datum", datum_name(datum)},
                                                                             {"by", hints.source_of_hints}})
                                : Message("detect.gauss_kruger_datum_assumed",
                                          {{"crs", decision.label}, {"datum", datum_name(datum)}})});
    }
    if (hints.towgs84 && !decision.web_datum) {
        const auto& p = *hints.towgs84;
        decision.srs.SetTOWGS84(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        decision.detections.push_back({"datum", Message("detect.seven_parameters", {{"by", hints.source_of_hints}})});
    } else if (hints.datum && (*hints.datum == Datum::xian1980 || *hints.datum == Datum::beijing1954)) {
        decision.warnings.push_back(Message("axes.no_datum_shift", {{"datum", datum_name(*hints.datum)}}));
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
