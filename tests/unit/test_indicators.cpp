// redline indicators: every indicator on fixtures whose areas and lengths are known by other
// formulas than the code's (closed forms on the GRS80 ellipsoid, not geodesic polygons),
// overlapping patches, holes, a district boundary cutting a patch, coastline classes; the
// changes between versions and the zones behind them; targets, their states and the guard;
// targets files that are wrong.
#include "redline/indicators/indicator_run.hpp"
#include "redline/indicators/targets.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <set>
#include <sstream>

using namespace redline;
using test::ScratchDir;

namespace {

// GRS80, the CGCS2000 ellipsoid.
constexpr double grs80_a = 6378137.0;
constexpr double grs80_f = 1 / 298.257222101;
const double e2 = grs80_f * (2 - grs80_f);
const double e = std::sqrt(e2);

std::string text_of(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10f", v);
    return buffer;
}

double radians(double degrees) {
    return degrees * std::numbers::pi / 180.0;
}

// The area of the ellipsoid between two parallels and two meridians, in closed form through
// the authalic latitude's q function: A = b²·Δλ/2·(q(φ2) - q(φ1)).
double quadrangle_m2(double lon0, double lat0, double lon1, double lat1) {
    const auto q = [](double phi) {
        const double s = std::sin(phi);
        return s / (1 - e2 * s * s) + std::log((1 + e * s) / (1 - e * s)) / (2 * e);
    };
    const double b2 = grs80_a * grs80_a * (1 - e2);
    return b2 * radians(lon1 - lon0) / 2 * (q(radians(lat1)) - q(radians(lat0)));
}

// The length of a meridian arc, by Simpson's rule over dM/dφ = a(1-e²)/(1-e² sin²φ)^3/2.
double meridian_m(double lat0, double lat1) {
    const int n = 2000;
    const double h = radians(lat1 - lat0) / n;
    const auto f = [](double phi) {
        const double s = std::sin(phi);
        return grs80_a * (1 - e2) / std::pow(1 - e2 * s * s, 1.5);
    };
    double sum = f(radians(lat0)) + f(radians(lat1));
    for (int i = 1; i < n; ++i) {
        sum += f(radians(lat0) + i * h) * (i % 2 == 1 ? 4 : 2);
    }
    return sum * h / 3;
}

// The length of an arc of a parallel: N(φ)·cos φ·Δλ.
double parallel_m(double lat, double lon0, double lon1) {
    const double s = std::sin(radians(lat));
    return grs80_a / std::sqrt(1 - e2 * s * s) * std::cos(radians(lat)) * radians(lon1 - lon0);
}

// Points along a parallel from lon0 to lon1 (either way), a vertex every 0.0002° (~17 m):
// the geodesics between them follow the parallel to well under a millionth of the area.
std::string along_parallel(double lat, double lon0, double lon1) {
    const int n = static_cast<int>(std::ceil(std::fabs(lon1 - lon0) / 0.0002));
    std::string s;
    for (int i = 0; i <= n; ++i) {
        s += (i ? "," : "") + text_of(lon0 + (lon1 - lon0) * i / n) + " " + text_of(lat);
    }
    return s;
}

std::string ring(double lon0, double lat0, double lon1, double lat1) {
    return "(" + along_parallel(lat0, lon0, lon1) + "," + along_parallel(lat1, lon1, lon0) + "," + text_of(lon0) + " " +
           text_of(lat0) + ")";
}

std::string box(double lon0, double lat0, double lon1, double lat1) {
    return "POLYGON(" + ring(lon0, lat0, lon1, lat1) + ")";
}

std::string box_with_hole(double lon0, double lat0, double lon1, double lat1, double hlon0, double hlat0, double hlon1,
                          double hlat1) {
    return "POLYGON(" + ring(lon0, lat0, lon1, lat1) + "," + ring(hlon0, hlat0, hlon1, hlat1) + ")";
}

std::string meridian_line(double lon, double lat0, double lat1) {
    return "LINESTRING(" + text_of(lon) + " " + text_of(lat0) + "," + text_of(lon) + " " + text_of(lat1) + ")";
}

std::string parallel_line(double lat, double lon0, double lon1) {
    return "LINESTRING(" + along_parallel(lat, lon0, lon1) + ")";
}

std::filesystem::path import(const ScratchDir& dir, const std::filesystem::path& ws, const std::string& kind,
                             const std::vector<test::FixtureFeature>& features) {
    const auto layer = dir / (kind + ".gpkg");
    std::filesystem::remove(layer);
    test::write_layer(layer, "GPKG", 4490, features);
    auto workspace = Workspace::open_or_create(ws);
    ImportOptions options;
    options.kind = kind;
    options.source = layer.string();
    workspace.import_layer(test::schemas(), options);
    return ws;
}

// Two districts side by side, split by the meridian 120.04; red-line patches, two of them
// overlapping, one with a hole, one cut by the district boundary, one at sea; a source's
// nested zones; coastline of every class, one stretch on the district boundary, one at sea,
// one without a type. Versions 1 to 4.
struct Fixture {
    ScratchDir dir{"indicators"};
    std::filesystem::path ws = dir / "ws.gpkg";

    Fixture() {
        import(dir, ws, "district",
               {{box(119.90, 39.90, 120.04, 40.10),
                 { {"XZQDM", "110101"},
                   { "XZQMC",
                     "甲区" } }},
                { box(120.04, 39.90, 120.20, 40.10),
                  { {"XZQDM", "110102"},
                    { "XZQMC",
                      "乙区" } } }});
        import(dir, ws, "red_line",
               {{box(120.00, 40.00, 120.02, 40.02),
                 { { "HXBM",
                     "RL1" } }},
                {box(120.01, 40.01, 120.03, 40.03),
                 { { "HXBM",
                     "RL2" } }},
                {box_with_hole(120.05, 40.00, 120.07, 40.02, 120.055, 40.005, 120.065, 40.015),
                 { { "HXBM",
                     "RL3" } }},
                {box(120.035, 40.04, 120.045, 40.06),
                 { { "HXBM",
                     "RL4" } }},
                { box(120.22, 40.00, 120.23, 40.01),
                  { {"HXBM", "RL5"},
                    { "HXMC",
                      "海域红线" } } }});
        import(dir, ws, "water_source",
               {{box(119.94, 40.04, 119.95, 40.05),
                 { {"SYDBM", "SY1"},
                   { "BHQJB",
                     "一级保护区" } }},
                {box_with_hole(119.93, 40.03, 119.96, 40.06, 119.94, 40.04, 119.95, 40.05),
                 { {"SYDBM", "SY1"},
                   { "BHQJB",
                     "二级保护区" } }},
                { box_with_hole(119.92, 40.02, 119.97, 40.07, 119.93, 40.03, 119.96, 40.06),
                  { {"SYDBM", "SY1"},
                    { "BHQJB",
                      "准保护区" } } }});
        import(dir, ws, "coastline",
               {{meridian_line(120.10, 39.95, 40.05),
                 { {"AXBM", "N1"},
                   {"AXLX", "基岩岸线"},
                   { "AXLB",
                     "严格保护" } }},
                {meridian_line(120.25, 39.95, 40.00),
                 { {"AXBM", "N2"},
                   {"AXLX", "自然岸线"},
                   { "AXLB",
                     "严格保护" } }},
                {parallel_line(40.08, 120.00, 120.08),
                 { {"AXBM", "A1"},
                   {"AXLX", "人工岸线"},
                   { "AXLB",
                     "优化利用" } }},
                {meridian_line(120.04, 39.92, 39.93),
                 { {"AXBM", "B1"},
                   {"AXLX", "人工岸线"},
                   { "AXLB",
                     "优化利用" } }},
                {meridian_line(119.95, 39.95, 40.00),
                 { {"AXBM", "O1"},
                   {"AXLX", "河口岸线"},
                   { "AXLB",
                     "限制开发" } }},
                { meridian_line(119.92, 40.05, 40.06),
                  { {"AXBM", "U1"},
                    { "AXLB",
                      "限制开发" } } }});
    }
};

// The expected figures, from the closed forms.
const double rl12_m2 = quadrangle_m2(120.00, 40.00, 120.02, 40.02) + quadrangle_m2(120.01, 40.01, 120.03, 40.03) -
                       quadrangle_m2(120.01, 40.01, 120.02, 40.02);
const double rl3_m2 = quadrangle_m2(120.05, 40.00, 120.07, 40.02) - quadrangle_m2(120.055, 40.005, 120.065, 40.015);
const double rl4_west_m2 = quadrangle_m2(120.035, 40.04, 120.04, 40.06);
const double rl4_east_m2 = quadrangle_m2(120.04, 40.04, 120.045, 40.06);
const double rl5_m2 = quadrangle_m2(120.22, 40.00, 120.23, 40.01);
const double west_m2 = quadrangle_m2(119.90, 39.90, 120.04, 40.10);
const double east_m2 = quadrangle_m2(120.04, 39.90, 120.20, 40.10);

const double n1_m = meridian_m(39.95, 40.05), n2_m = meridian_m(39.95, 40.00);
const double a1_half_m = parallel_m(40.08, 120.00, 120.04);
const double b1_m = meridian_m(39.92, 39.93), o1_m = meridian_m(39.95, 40.00), u1_m = meridian_m(40.05, 40.06);

double value(const IndicatorSet& set, const std::string& id, const std::string& district = "",
             const std::string& subzone = "") {
    const IndicatorValue* v = set.find({id, subzone, district});
    INFO(id << " " << district << " " << subzone);
    REQUIRE(v != nullptr);
    REQUIRE(v->value.has_value());
    return *v->value;
}

IndicatorSet measure_current(const std::filesystem::path& ws, bool by_district) {
    const Workspace workspace = Workspace::open_read_only(ws);
    return measure_indicators(workspace.load_zones(), test::schemas(), IndicatorOptions{by_district});
}

std::filesystem::path write_targets(const ScratchDir& dir, const std::string& text) {
    const auto path = dir / "targets.toml";
    std::ofstream(path) << text;
    return path;
}

IndicatorRun run(const std::filesystem::path& ws, const TargetFile* targets, const std::string& as_of,
                 std::optional<std::int64_t> version = std::nullopt, std::optional<std::int64_t> since = std::nullopt,
                 bool by_district = false) {
    const Workspace workspace = Workspace::open_read_only(ws);
    IndicatorRunOptions options;
    options.targets = targets;
    options.as_of = *LegalDate::parse(as_of);
    options.version = version;
    options.since = since;
    options.by_district = by_district;
    return run_indicators(workspace, test::schemas(), options);
}

// Retires a current zone as an edit version, on a basis.
void retire(const std::filesystem::path& ws, const std::string& kind, const std::string& zone_id,
            const std::string& basis) {
    auto workspace = Workspace::open(ws);
    const auto zones = workspace.find_zones(kind, {zone_id});
    REQUIRE(zones.size() == 1);
    ZoneWrite write;
    write.retire = {zones.front().fid};
    write.author = "测试员";
    write.note = "测试调整";
    write.basis = basis;
    write.base_version = workspace.current_version()->id;
    workspace.commit_edit(write);
}

}  // namespace

TEST_CASE("the closed forms the tests rest on agree with each other", "[indicators]") {
    // Quadrangles add up, and a thin one is its width times its height at the mean latitude.
    CHECK(quadrangle_m2(120, 40, 120.02, 40.02) ==
          Approx(quadrangle_m2(120, 40, 120.01, 40.02) + quadrangle_m2(120.01, 40, 120.02, 40.02)).epsilon(1e-12));
    const double thin = quadrangle_m2(120, 40, 120.0001, 40.0001);
    CHECK(thin == Approx(parallel_m(40.00005, 120, 120.0001) * meridian_m(40, 40.0001)).epsilon(1e-6));
    // One degree of meridian at 40°N is 111 035 m (a textbook figure for GRS80/WGS 84).
    CHECK(meridian_m(39.5, 40.5) == Approx(111035).margin(2));
}

TEST_CASE("red-line area: a union, overlapping patches once, holes out, ellipsoidal", "[indicators]") {
    Fixture f;
    const IndicatorSet set = measure_current(f.ws, false);
    const double total_m2 = rl12_m2 + rl3_m2 + rl4_west_m2 + rl4_east_m2 + rl5_m2;
    CHECK(value(set, "red_line_area_ha") == Approx(total_m2 / 1e4).epsilon(1e-7));
    // The land is the districts' union; the patch at sea is outside it and not in the share.
    CHECK(set.land_kind == "district");
    CHECK(value(set, "land_area_ha") == Approx((west_m2 + east_m2) / 1e4).epsilon(1e-7));
    CHECK(value(set, "red_line_share_pct") == Approx(100 * (total_m2 - rl5_m2) / (west_m2 + east_m2)).epsilon(1e-7));
    for (const auto& v : set.values) {
        CHECK(v.whole());
        CHECK_FALSE(v.definition.text(Language::zh).empty());
        CHECK_FALSE(v.definition.text(Language::en).empty());
    }
}

TEST_CASE("by district: a patch cut by the boundary is split along it, shares of each district", "[indicators]") {
    Fixture f;
    const IndicatorSet set = measure_current(f.ws, true);
    REQUIRE(set.districts == 2);
    const double west_rl = rl12_m2 + rl4_west_m2, east_rl = rl3_m2 + rl4_east_m2;
    CHECK(value(set, "red_line_area_ha", "110101") == Approx(west_rl / 1e4).epsilon(1e-7));
    CHECK(value(set, "red_line_area_ha", "110102") == Approx(east_rl / 1e4).epsilon(1e-7));
    CHECK(value(set, "red_line_share_pct", "110101") == Approx(100 * west_rl / west_m2).epsilon(1e-7));
    CHECK(value(set, "red_line_share_pct", "110102") == Approx(100 * east_rl / east_m2).epsilon(1e-7));
    CHECK(value(set, "land_area_ha", "110102") == Approx(east_m2 / 1e4).epsilon(1e-7));
    const IndicatorValue* west = set.find({"red_line_area_ha", "", "110101"});
    CHECK(west->district_name == "甲区");
    CHECK(west->district_code == "110101");
    // The whole workspace first, then the districts in the order of their codes.
    CHECK(set.values.front().whole());
    CHECK(set.values.back().district_code == "110102");
}

TEST_CASE("source zones by sub-zone, the zone proper without its quasi zone", "[indicators]") {
    Fixture f;
    const IndicatorSet set = measure_current(f.ws, true);
    const double l1 = quadrangle_m2(119.94, 40.04, 119.95, 40.05);
    const double l2_outer = quadrangle_m2(119.93, 40.03, 119.96, 40.06);
    const double quasi_outer = quadrangle_m2(119.92, 40.02, 119.97, 40.07);
    CHECK(value(set, "water_source_area_ha") == Approx(l2_outer / 1e4).epsilon(1e-7));
    CHECK(value(set, "water_source_area_ha", "", "level1") == Approx(l1 / 1e4).epsilon(1e-7));
    CHECK(value(set, "water_source_area_ha", "", "level2") == Approx((l2_outer - l1) / 1e4).epsilon(1e-7));
    CHECK(value(set, "water_source_area_ha", "", "quasi") == Approx((quasi_outer - l2_outer) / 1e4).epsilon(1e-7));
    CHECK(value(set, "water_source_area_ha", "110101", "level1") == Approx(l1 / 1e4).epsilon(1e-7));
    CHECK(value(set, "water_source_area_ha", "110102") == Approx(0).margin(1e-9));
    // No reserve in the workspace, no reserve indicator.
    CHECK(set.find({"nature_reserve_area_ha", "", ""}) == nullptr);
}

TEST_CASE("natural coastline retention: classes, a stretch on the boundary once, one at sea to the nearest",
          "[indicators]") {
    Fixture f;
    const IndicatorSet set = measure_current(f.ws, true);
    const double natural = n1_m + n2_m;
    const double total = natural + 2 * a1_half_m + b1_m + o1_m + u1_m;
    CHECK(value(set, "coastline_length_km") == Approx(total / 1e3).epsilon(1e-7));
    CHECK(value(set, "natural_coastline_length_km") == Approx(natural / 1e3).epsilon(1e-7));
    CHECK(value(set, "natural_coastline_retention_pct") == Approx(100 * natural / total).epsilon(1e-7));
    // 甲区: half the artificial stretch, the one on the shared boundary (it comes first), the
    // estuary and the untyped one; 乙区: the natural ones (N2 lies at sea, nearest to it).
    CHECK(value(set, "coastline_length_km", "110101") == Approx((a1_half_m + b1_m + o1_m + u1_m) / 1e3).epsilon(1e-7));
    CHECK(value(set, "natural_coastline_retention_pct", "110101") == Approx(0).margin(1e-12));
    CHECK(value(set, "coastline_length_km", "110102") == Approx((natural + a1_half_m) / 1e3).epsilon(1e-7));
    CHECK(value(set, "natural_coastline_retention_pct", "110102") ==
          Approx(100 * natural / (natural + a1_half_m)).epsilon(1e-7));
    // The untyped stretch is named as a problem.
    REQUIRE(set.problems.size() == 1);
    CHECK(set.problems.front().feature.text(Language::en).find("U1") != std::string::npos);
    CHECK(set.problems.front().message.code() == "indicators.coastline_unclassified");
}

TEST_CASE("coastline types: the values plans and surveys write", "[indicators]") {
    for (const char* v : {"自然岸线", "基岩岸线", "砂质岸线", "淤泥质岸线", "生物岸线", " 自然岸线 ", "Natural"}) {
        CHECK(coastline_class(v) == CoastlineClass::natural);
    }
    CHECK(coastline_class("人工岸线") == CoastlineClass::artificial);
    CHECK(coastline_class("河口岸线") == CoastlineClass::other);
    CHECK(coastline_class("") == CoastlineClass::unknown);
    CHECK(coastline_class("海岸") == CoastlineClass::unknown);
    // The schema maps the field plans use to the attribute the indicator reads.
    const FieldDefinition* field = test::schemas().kind("coastline").find_field(coastline_type_attribute);
    REQUIRE(field != nullptr);
    CHECK(std::find(field->aliases.begin(), field->aliases.end(), "AXLX") != field->aliases.end());
    CHECK(std::find(field->aliases.begin(), field->aliases.end(), "岸线类型") != field->aliases.end());
}

TEST_CASE("every indicator has a name and a definition in both languages", "[indicators]") {
    Fixture f;
    const IndicatorSet set = measure_current(f.ws, true);
    std::set<std::string> ids;
    for (const auto& v : set.values) {
        ids.insert(v.id);
        for (const auto language : {Language::zh, Language::en}) {
            CHECK(v.name.text(language).find("indicators.") == std::string::npos);
            CHECK(v.definition.text(language).find("indicators.") == std::string::npos);
        }
    }
    // Every id the fixture can give is one a targets file may name.
    const auto known = indicator_ids(test::schemas());
    for (const auto& id : ids) {
        CHECK(std::find(known.begin(), known.end(), id) != known.end());
    }
    CHECK(ids.size() == 7);  // land, red line area and share, source area, three coastline
}

TEST_CASE("versions: the change since an earlier one, the version and zones that moved it, the guard", "[indicators]") {
    Fixture f;
    retire(f.ws, "red_line", "RL3", "测试批复〔2026〕1号");  // version 5
    const IndicatorRun r = run(f.ws, nullptr, "2026-12-01");
    REQUIRE(r.now.version.id == 5);
    REQUIRE(r.earlier.has_value());
    CHECK(r.earlier->version.id == 4);
    const IndicatorChange* fall = r.red_line_fall();
    REQUIRE(fall != nullptr);
    CHECK(*fall->before - *fall->now.value == Approx(rl3_m2 / 1e4).epsilon(1e-7));
    REQUIRE(fall->moves.size() == 1);
    const IndicatorMove& move = fall->moves.front();
    CHECK(move.version.id == 5);
    CHECK(move.version.basis == "测试批复〔2026〕1号");
    REQUIRE(move.causes.size() == 1);
    CHECK(move.causes.front().change == "coverage_lost");
    CHECK(move.causes.front().zone_ids == std::vector<std::string>{"RL3"});
    CHECK(move.causes.front().area_m2 == Approx(rl3_m2).epsilon(1e-7));
    CHECK(r.guard_tripped());
    const auto findings = guard_messages(r, test::schemas());
    REQUIRE(findings.size() == 1);
    const std::string text = findings.front().text(Language::zh);
    CHECK_THAT(text, Catch::Contains("版本 5") && Catch::Contains("RL3") && Catch::Contains("测试批复〔2026〕1号"));
    // The share fell with it; the land did not move.
    bool share_changed = false;
    for (const auto& c : r.changes) {
        share_changed |= c.now.id == "red_line_share_pct";
        CHECK(c.now.id != "land_area_ha");
    }
    CHECK(share_changed);

    // Over the whole history: the trend, each indicator appearing with its layer's version.
    const IndicatorRun all = run(f.ws, nullptr, "2026-12-01", std::nullopt, 1);
    REQUIRE(all.trend.size() == 5);
    CHECK(all.since_asked);
    CHECK(all.trend[0].find({"red_line_area_ha", "", ""})->value == 0.0);
    CHECK(*all.trend[1].find({"red_line_area_ha", "", ""})->value == Approx(*fall->before).epsilon(1e-12));
    CHECK(all.trend[2].find({"coastline_length_km", "", ""}) == nullptr);
    CHECK(all.trend[3].find({"coastline_length_km", "", ""}) != nullptr);
    // The red line rose at version 2 and fell at 5: both moves, only the fall explained.
    for (const auto& c : all.changes) {
        if (c.now.id == "red_line_area_ha" && c.now.whole()) {
            REQUIRE(c.moves.size() == 2);
            CHECK(c.moves[0].version.id == 2);
            CHECK(c.moves[0].causes.empty());
            CHECK(c.moves[1].version.id == 5);
            CHECK_FALSE(c.moves[1].causes.empty());
        }
    }
    // The version before the edit lost nothing.
    const IndicatorRun before = run(f.ws, nullptr, "2026-12-01", 4);
    CHECK_FALSE(before.guard_tripped());
}

TEST_CASE("targets: met, at risk before the due day or close to the limit, missed, not in force", "[indicators]") {
    Fixture f;
    retire(f.ws, "coastline", "N2/strict", "");  // version 5: a natural stretch retired
    const IndicatorSet now = measure_current(f.ws, false);
    const double retention = value(now, "natural_coastline_retention_pct");
    auto limit = [&](double delta) { return text_of(retention + delta); };
    const auto path = write_targets(f.dir, R"(title_zh = "测试规划"
[[target]]
indicator = "natural_coastline_retention_pct"
comparison = "at_least"
value = )" + limit(-5) + R"(
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "natural_coastline_retention_pct"
comparison = "at_least"
value = )" + limit(-0.5) + R"(
warn_within = 1.0
type = "约束性"
in_force_from = 2021-01-01

[[target]]
indicator = "natural_coastline_retention_pct"
comparison = "不低于"
value = )" + limit(1) + R"(
due = 2030-12-31
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "natural_coastline_retention_pct"
comparison = "at_least"
value = )" + limit(1) + R"(
due = 2025-12-31
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "natural_coastline_retention_pct"
comparison = "at_least"
value = )" + limit(1) + R"(
type = "预期性"
in_force_from = 2021-01-01

[[target]]
indicator = "natural_coastline_length_km"
comparison = "not_decrease"
baseline_version = 4
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "red_line_area_ha"
comparison = "not_decrease"
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "natural_coastline_retention_pct"
district = "110101"
comparison = "at_least"
value = 0
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "water_source_area_ha"
subzone = "level1"
comparison = "at_most"
value = 1
type = "expected"
in_force_from = 2016-01-01
in_force_to = 2020-12-31
)");
    const TargetFile targets = TargetFile::load(path, test::schemas());
    REQUIRE(targets.targets.size() == 9);
    CHECK(targets.title_zh == "测试规划");
    const IndicatorRun r = run(f.ws, &targets, "2026-01-01");
    CHECK(r.targets_not_in_force == 1);
    REQUIRE(r.targets.size() == 8);
    CHECK(r.targets[0].status == TargetStatus::at_risk);  // met, but down since version 4
    CHECK(r.targets[0].reason.code() == "targets.reason.worsening");
    CHECK(r.targets[1].status == TargetStatus::at_risk);  // met by 0.5, warned within 1
    CHECK(r.targets[1].reason.code() == "targets.reason.close");
    CHECK(r.targets[2].status == TargetStatus::at_risk);  // short, but due only in 2030
    CHECK(r.targets[2].reason.code() == "targets.reason.behind");
    CHECK(r.targets[3].status == TargetStatus::missed);  // short, and 2025 has passed
    CHECK(r.targets[3].reason.code() == "targets.reason.missed_by_due");
    CHECK(r.targets[4].status == TargetStatus::missed);  // expected: reported, not a failure
    CHECK(r.targets[5].status == TargetStatus::missed);  // natural length fell since version 4
    CHECK(r.targets[5].baseline_version == 4);
    CHECK(*r.targets[5].limit - *r.targets[5].indicator.value == Approx(n2_m / 1e3).epsilon(1e-7));
    CHECK(r.targets[6].status == TargetStatus::met);  // the red line did not move
    CHECK(r.targets[7].status == TargetStatus::met);  // 甲区 has no natural coastline, and need not
    CHECK(r.targets[7].indicator.district_name == "甲区");
    // The guard: the two binding misses, not the expected one; no red-line fall.
    const auto failures = r.binding_failures();
    REQUIRE(failures.size() == 2);
    CHECK(failures[0] == &r.targets[3]);
    CHECK(failures[1] == &r.targets[5]);
    CHECK(r.red_line_fall() == nullptr);
    CHECK(r.guard_tripped());
    // The natural length's fall names the version and the stretch retired.
    const auto findings = guard_messages(r, test::schemas());
    REQUIRE(findings.size() == 2);
    CHECK_THAT(findings[1].text(Language::en),
               Catch::Contains("version 5") && Catch::Contains("removed N2") && Catch::Contains("targets.toml:"));

    // Judged on an earlier day, the 2025 target is still ahead: at risk, not missed.
    const IndicatorRun earlier_day = run(f.ws, &targets, "2025-06-30");
    CHECK(earlier_day.targets[3].status == TargetStatus::at_risk);
}

TEST_CASE("a target naming a district that is not there is an error naming the file and line", "[indicators]") {
    Fixture f;
    const auto path = write_targets(f.dir, R"([[target]]
indicator = "red_line_area_ha"
comparison = "not_decrease"
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "red_line_area_ha"
district = "丙区"
comparison = "not_decrease"
type = "binding"
in_force_from = 2021-01-01
)");
    const TargetFile targets = TargetFile::load(path, test::schemas());
    try {
        run(f.ws, &targets, "2026-01-01");
        FAIL("no error");
    } catch (const DataError& e) {
        const std::string text = e.message().text(Language::zh);
        CHECK_THAT(text, Catch::Contains("targets.toml:7") && Catch::Contains("丙区") && Catch::Contains("甲区"));
    }
}

TEST_CASE("bad targets files: every problem named with its file and line", "[indicators]") {
    ScratchDir dir("indicators-bad");
    const auto problems = [&](const std::string& text) {
        const auto path = write_targets(dir, text);
        try {
            TargetFile::load(path, test::schemas());
        } catch (const DataError& e) {
            return e.message().text(Language::en);
        }
        return std::string("loaded");
    };
    const std::string many = problems(R"(title_zh = "x"
[[target]]
indicator = "red_line_volume"
comparison = "bigger"
type = "binding"
in_force_from = "2021-13-01"
colour = "red"

[[target]]
indicator = "natural_coastline_retention_pct"
comparison = "at_least"
type = "mandatory"
in_force_from = 2021-01-01
in_force_to = 2020-01-01

[[target]]
indicator = "red_line_area_ha"
comparison = "not_decrease"
value = 3
type = "binding"
in_force_from = 2021-01-01

[[target]]
indicator = "water_source_area_ha"
subzone = "level9"
comparison = "at_most"
value = "three"
type = "binding"
)");
    INFO(many);
    CHECK_THAT(many, Catch::Contains("targets.toml:3: unknown indicator 'red_line_volume'"));
    CHECK_THAT(many, Catch::Contains("targets.toml:4: comparison 'bigger'"));
    CHECK_THAT(many, Catch::Contains("targets.toml:6: 'in_force_from' must be a date"));
    CHECK_THAT(many, Catch::Contains("targets.toml:7: unknown key 'colour'"));
    CHECK_THAT(many, Catch::Contains("targets.toml:12: type 'mandatory'"));
    CHECK_THAT(many, Catch::Contains("needs the target's value"));
    CHECK_THAT(many, Catch::Contains("targets.toml:14: in_force_to is before in_force_from"));
    CHECK_THAT(many, Catch::Contains("targets.toml:19: comparison 'not_decrease' compares with a baseline"));
    CHECK_THAT(many, Catch::Contains("targets.toml:25: 'level9' is not a sub-zone of water_source"));
    CHECK_THAT(many, Catch::Contains("targets.toml:27: 'value' must be a number"));
    CHECK_THAT(many, Catch::Contains("the target needs 'in_force_from'"));

    CHECK_THAT(problems("[[target]\nindicator = 1\n"), Catch::Contains("targets.toml:1: not valid TOML"));
    CHECK_THAT(problems("title_zh = \"only a title\"\n"), Catch::Contains("no targets"));
    CHECK_THAT(problems("target = 3\n"), Catch::Contains("targets.toml:1: 'target' must be an array of tables"));

    // The demo's targets file is a good one.
    const TargetFile demo = TargetFile::load(std::filesystem::path(test::demo_dir) / "targets.toml", test::schemas());
    CHECK(demo.targets.size() == 3);
    CHECK(demo.in_force(*LegalDate::parse("2025-12-31")).size() == 3);
    CHECK(demo.in_force(*LegalDate::parse("2026-12-31")).size() == 1);
}

TEST_CASE("the outputs: JSON with every indicator, CSV rows per version, a table in either language", "[indicators]") {
    Fixture f;
    const IndicatorRun r = run(f.ws, nullptr, "2026-12-01", std::nullopt, 2, true);
    std::ostringstream json;
    write_indicators_json(json, r, test::schemas(), Language::en);
    const auto doc = nlohmann::json::parse(json.str());
    CHECK(doc["version"]["id"] == 4);
    CHECK(doc["since"]["id"] == 2);
    CHECK(doc["by_district"] == true);
    bool found = false;
    for (const auto& i : doc["indicators"]) {
        CHECK(i["version"] == 4);
        CHECK(i.contains("definition"));
        if (i["id"] == "red_line_area_ha" && i.value("district", "") == "乙区") {
            found = true;
            CHECK(i["value"].get<double>() == Approx((rl3_m2 + rl4_east_m2) / 1e4).epsilon(1e-7));
            CHECK(i["unit"] == "ha");
            CHECK(i["district_code"] == "110102");
        }
    }
    CHECK(found);
    CHECK(doc["trend"].size() == 3);
    CHECK(doc["guard"]["tripped"] == false);

    std::ostringstream csv;
    write_indicators_csv(csv, r, Language::zh);
    std::size_t rows = 0;
    std::istringstream lines(csv.str());
    std::string line;
    std::getline(lines, line);
    CHECK(line == "version,version_time,id,name,kind,subzone,district,district_code,value,unit");
    while (std::getline(lines, line)) {
        ++rows;
    }
    std::size_t expected = 0;
    for (const auto& set : r.trend) {
        expected += set.values.size();
    }
    CHECK(rows == expected);

    std::ostringstream zh, en;
    write_indicators_table(zh, r, test::schemas(), Language::zh);
    write_indicators_table(en, r, test::schemas(), Language::en);
    CHECK_THAT(zh.str(), Catch::Contains("生态保护红线面积") && Catch::Contains("口径") && Catch::Contains("乙区"));
    CHECK_THAT(en.str(), Catch::Contains("red line share of the land area") && Catch::Contains("definitions"));
    CHECK_THAT(en.str(), Catch::Contains("trend (version 2 → 4)"));
}

TEST_CASE("by district over versions from before the districts came", "[indicators]") {
    ScratchDir dir("indicators-late-districts");
    const auto ws = dir / "ws.gpkg";
    import(dir, ws, "red_line", {{ box(120.035, 40.04, 120.045, 40.06), { { "HXBM", "RL4" } } }});
    import(dir, ws, "district",
           {{box(119.90, 39.90, 120.04, 40.10),
             { {"XZQDM", "110101"},
               { "XZQMC",
                 "甲区" } }},
            { box(120.04, 39.90, 120.20, 40.10),
              { {"XZQDM", "110102"},
                { "XZQMC",
                  "乙区" } } }});
    const IndicatorRun r = run(ws, nullptr, "2026-12-01", std::nullopt, 1, true);
    REQUIRE(r.trend.size() == 2);
    CHECK(r.trend[0].districts == 0);
    CHECK(r.trend[0].find({"red_line_share_pct", "", ""}) == nullptr);  // no land yet
    CHECK(r.trend[1].districts == 2);
    CHECK(value(r.now, "red_line_area_ha", "110101") == Approx(rl4_west_m2 / 1e4).epsilon(1e-7));
    bool appeared = false;
    for (const auto& c : r.changes) {
        if (c.now.id == "red_line_area_ha" && c.now.district_id == "110102") {
            appeared = true;
            CHECK_FALSE(c.before.has_value());
            CHECK(*c.now.value == Approx(rl4_east_m2 / 1e4).epsilon(1e-7));
        }
    }
    CHECK(appeared);
    CHECK_FALSE(r.guard_tripped());
    // The first version alone cannot be measured by district.
    CHECK_THROWS_AS(run(ws, nullptr, "2026-12-01", 1, std::nullopt, true), DataError);
}

TEST_CASE("many zones: united in strips between meridians on every core, the area as one union's", "[indicators]") {
    ScratchDir dir("indicators-strips");
    const auto ws = dir / "ws.gpkg";
    // A chain of 90 patches, each overlapping the next by a third, and a second row with holes
    // straddling it: enough zones to be cut into strips, each strip side crossing patches.
    std::vector<test::FixtureFeature> patches;
    for (int i = 0; i < 90; ++i) {
        const double x = 120.0 + 0.01 * i;
        patches.push_back({box(x, 40.0, x + 0.015, 40.01), {{"HXBM", "C" + std::to_string(i)}}});
    }
    for (int i = 0; i < 10; ++i) {
        const double x = 120.0 + 0.09 * i;
        patches.push_back({box_with_hole(x, 40.005, x + 0.06, 40.03, x + 0.02, 40.015, x + 0.04, 40.025),
                           {{"HXBM", "H" + std::to_string(i)}}});
    }
    import(dir, ws, "red_line", patches);
    double expected = quadrangle_m2(120.0, 40.0, 120.905, 40.01);
    for (int i = 0; i < 10; ++i) {
        const double x = 120.0 + 0.09 * i;
        // The part of the holed patch north of the chain, less its hole.
        expected += quadrangle_m2(x, 40.01, x + 0.06, 40.03) - quadrangle_m2(x + 0.02, 40.015, x + 0.04, 40.025);
    }
    const IndicatorSet set = measure_current(ws, false);
    CHECK(value(set, "red_line_area_ha") == Approx(expected / 1e4).epsilon(1e-9));
}
