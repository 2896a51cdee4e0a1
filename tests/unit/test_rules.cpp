// Rules and verdicts: every default rule is exercised by a scenario in
// fixtures/rule_scenarios.toml, and rule files are validated with file and line.
#include "redline/check.hpp"
#include "redline/errors.hpp"
#include "redline/rules.hpp"
#include "test_support.hpp"

#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <numbers>
#include <set>

using namespace redline;

namespace {

const RuleSet& default_rules() {
    static const RuleSet rules = RuleSet::load(test::schemas());
    return rules;
}

const FactVocabulary& vocabulary() {
    static const FactVocabulary v = FactVocabulary::load(test::layers_dir);
    return v;
}

// A 2 km square zone (or, for line kinds, a line across it) south-west at 121 E, 39 N.
Zone scenario_zone(const std::string& kind, const std::string& subzone, int index) {
    Zone z;
    z.kind = kind;
    z.subzone = subzone;
    z.zone_id = kind + "-" + std::to_string(index);
    z.name = z.zone_id;
    const bool line = test::schemas().kind(kind).geometry == ZoneGeometry::line;
    z.geometry = geometry_from_wkt(line ? "LINESTRING(121 39.007, 121.02 39.007)"
                                        : "POLYGON((121 39, 121.02 39, 121.02 39.02, 121 39.02, 121 39))");
    z.area_m2 = geodesic_area_m2(z.geometry);
    return z;
}

std::string footprint_wkt(const std::string& geometry, const std::string& place) {
    char buf[256];
    if (place.rfind("near:", 0) == 0) {
        const double metres = std::stod(place.substr(5));
        const double x = 121.02 + metres / (111'320.0 * std::cos(39.007 * std::numbers::pi / 180.0));
        if (geometry == "point") {
            std::snprintf(buf, sizeof buf, "POINT(%.9f 39.007)", x);
        } else if (geometry == "line") {
            std::snprintf(buf, sizeof buf, "LINESTRING(%.9f 39.005, %.9f 39.009)", x, x + 0.002);
        } else {
            std::snprintf(buf, sizeof buf, "POLYGON((%.9f 39.005, %.9f 39.005, %.9f 39.009, %.9f 39.009, %.9f 39.005))",
                          x, x + 0.002, x + 0.002, x, x);
        }
        return buf;
    }
    const bool straddling = place == "straddling";
    if (geometry == "point") {
        return "POINT(121.007 39.007)";
    }
    if (geometry == "line") {
        return straddling ? "LINESTRING(120.99 38.99, 121.03 39.03)" : "LINESTRING(121.005 39.005, 121.01 39.009)";
    }
    return straddling ? "POLYGON((121.015 39.005, 121.025 39.005, 121.025 39.01, 121.015 39.01, 121.015 39.005))"
                      : "POLYGON((121.005 39.005, 121.01 39.005, 121.01 39.01, 121.005 39.01, 121.005 39.005))";
}

std::vector<std::string> string_list(const toml::node_view<const toml::node>& node) {
    std::vector<std::string> out;
    if (const auto* array = node.as_array()) {
        for (const auto& item : *array) {
            out.push_back(item.value_or(std::string{}));
        }
    }
    return out;
}

const toml::table& scenarios() {
    static const toml::table table = toml::parse_file(std::string(test::fixtures_dir) + "/rule_scenarios.toml");
    return table;
}

}  // namespace

TEST_CASE("the default rule set loads, cites a basis for every rule and has a stable digest", "[rules]") {
    const RuleSet& rules = default_rules();
    CHECK(rules.rules().size() > 40);
    for (const auto& rule : rules.rules()) {
        INFO(rule.id);
        CHECK_FALSE(rule.basis_zh.empty());
        CHECK_FALSE(rule.basis_en.empty());
        CHECK_FALSE(rule.message_zh.empty());
        if (rule.verdict == Verdict::conditional) {
            CHECK_FALSE(rule.requires_zh.empty());
        }
    }
    CHECK(rules.digest() == RuleSet::load(test::schemas()).digest());
    CHECK(RuleSet::validate(test::schemas(), {std::filesystem::path(test::layers_dir) / "water_source/rules.toml"})
              .empty());
}

TEST_CASE("provisions DOMAIN.md marks (verify) stay marked in the rule data", "[rules]") {
    for (const char* id : {"nature_reserve.core_buffer.outfall_existing", "protected_area.core_protection.construction",
                           "protected_area.general_control.construction", "coastline.strict.construction"}) {
        INFO(id);
        REQUIRE(default_rules().find(id) != nullptr);
        CHECK(default_rules().find(id)->verify);
    }
}

TEST_CASE("every scenario gets exactly its verdict and cites its rules", "[rules]") {
    const auto* list = scenarios()["scenario"].as_array();
    REQUIRE(list != nullptr);
    for (const auto& node : *list) {
        const auto& s = *node.as_table();
        const std::string name = s["name"].value_or(std::string{});
        INFO("scenario: " << name);
        std::vector<Zone> zones;
        int index = 0;
        for (const auto& z : *s["zones"].as_array()) {
            const auto& zt = *z.as_table();
            zones.push_back(
                scenario_zone(zt["kind"].value_or(std::string{}), zt["subzone"].value_or(std::string{}), index++));
        }
        const ZoneIndex zone_index(test::schemas(), std::move(zones));
        const std::string geometry = s["geometry"].value_or(std::string("polygon"));
        const std::string place = s["place"].value_or(std::string("inside"));
        Footprint fp{"fp", name, geometry_from_wkt(footprint_wkt(geometry, place)), {}};

        std::map<std::string, std::string> given;
        if (const auto* facts = s["facts"].as_table()) {
            for (const auto& [key, value] : *facts) {
                given[std::string(key.str())] = value.value_or(std::string{});
            }
        }
        FootprintResult result = zone_index.check(fp, CheckOptions{});
        decide(result, default_rules(), test::schemas(), vocabulary().from_options(given));

        CHECK(verdict_name(result.verdict) == s["verdict"].value_or(std::string{}));
        std::set<std::string> cited;
        std::vector<const Rule*> cited_rules;
        for (const auto& hit : result.hits) {
            for (const auto& applied : hit.rules) {
                cited.insert(applied.rule->id);
                cited_rules.push_back(applied.rule);
            }
        }
        const auto expected = string_list(s["rules"]);
        for (const auto& id : expected) {
            INFO("expected rule " << id);
            CHECK(cited.contains(id));
        }
        for (const auto& id : string_list(s["absent"])) {
            INFO("rule that must not apply: " << id);
            CHECK_FALSE(cited.contains(id));
        }
        if (expected.empty()) {
            CHECK(cited.empty());
        }
        if (auto basis = s["basis"].value<std::string>()) {
            // A rule with the winning verdict cites that basis.
            const bool found = std::any_of(cited_rules.begin(), cited_rules.end(), [&](const Rule* r) {
                return r->verdict == result.verdict && r->basis_zh.find(*basis) != std::string::npos;
            });
            CHECK(found);
        }
        if (auto action = s["action"].value<std::string>()) {
            REQUIRE_FALSE(cited_rules.empty());
            CHECK(cited_rules.front()->action == *action);
        }
    }
}

TEST_CASE("every default rule has a scenario", "[rules]") {
    std::set<std::string> covered;
    for (const auto& node : *scenarios()["scenario"].as_array()) {
        for (const auto& id : string_list((*node.as_table())["rules"])) {
            covered.insert(id);
        }
    }
    for (const auto& rule : default_rules().rules()) {
        INFO("rule without a scenario: " << rule.id);
        CHECK(covered.contains(rule.id));
    }
    for (const auto& id : covered) {
        INFO("scenario names a rule that does not exist: " << id);
        CHECK(default_rules().find(id) != nullptr);
    }
}

TEST_CASE("unknown facts are assumptions, stated with the rule", "[rules]") {
    const auto applied = default_rules().evaluate("water_source", "level2", Relation::within, std::nullopt,
                                                  vocabulary().from_options({{"activity", "construction"}}));
    REQUIRE(applied.size() == 2);
    CHECK(applied[0].rule->verdict == Verdict::prohibited);  // most severe first
    REQUIRE(applied[0].assumptions.size() == 1);
    const Assumption& assumed = applied[0].assumptions[0];
    CHECK(assumed.fact == "discharges");
    CHECK(assumed.values == std::vector<std::string>{"true"});
    CHECK_FALSE(assumed.negated);
    CHECK(assumed.text() == "discharges unknown: taken as true");
    // Reports say it in Chinese, with the vocabulary's own words.
    CHECK(vocabulary().chinese_fact("discharges") == "是否排污");
    CHECK(vocabulary().chinese_value("discharges", "true") == "是");
    CHECK(vocabulary().chinese_value("activity", "construction") == "建设项目");
    CHECK(vocabulary().chinese_value("industry", "no-such-value") == "no-such-value");
}

TEST_CASE("facts come from options and attributes, in Chinese or English", "[rules]") {
    const ActivityFacts defaults = vocabulary().from_options({{"activity", "新建排污口"}, {"discharges", "是"}});
    CHECK(*defaults.activity == "outfall-new");
    CHECK(*defaults.discharges);
    std::vector<std::string> warnings;
    const ActivityFacts facts = vocabulary().from_attributes(
        {{"排污口类型", "城镇污水处理厂"}, {"受纳水体类型", "入海"}, {"行业", "火箭"}}, defaults, warnings);
    CHECK(*facts.outfall_type == "municipal-sewage");
    CHECK(*facts.receiving_water == "sea");
    CHECK(*facts.activity == "outfall-new");
    CHECK(facts.sources.at("outfall_type") == "attribute 排污口类型");
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("火箭"));
    CHECK_THROWS_WITH(vocabulary().from_options({{"outfall_type", "nuclear"}}),
                      Catch::Contains("--outfall-type") && Catch::Contains("industrial"));
    CHECK_THROWS_AS(vocabulary().from_options({{"discharges", "maybe"}}), UsageError);
}

TEST_CASE("a local rule file replaces a default by id and adds its own", "[rules]") {
    test::ScratchDir dir("rules");
    const auto file = dir / "liaoning.toml";
    std::ofstream(file) << R"([[rule]]
id = "water_source.quasi.outfall_new"
kind = "water_source"
subzones = ["quasi"]
activities = ["outfall-new"]
verdict = "prohibited"
message_zh = "省级规定：准保护区内禁止新建排污口。"
message_en = "Provincial rule: no new outfall in a quasi zone."
basis_zh = "《辽宁省饮用水水源保护条例》"
basis_en = "Liaoning drinking-water source regulations"

[[rule]]
id = "liaoning.red_line.near.construction"
kind = "red_line"
activities = ["construction"]
relations = ["near"]
within_m = 300
verdict = "conditional"
message_zh = "距生态保护红线300米内的建设项目须论证。"
message_en = "Projects within 300 m of a red line need justification."
basis_zh = "地方规定"
basis_en = "local rule"
requires_zh = "论证对红线生态功能的影响。"
requires_en = "Assess the effect on the red line."
)";
    const RuleSet rules = RuleSet::load(test::schemas(), {file});
    const Rule* replaced = rules.find("water_source.quasi.outfall_new");
    REQUIRE(replaced != nullptr);
    CHECK(replaced->verdict == Verdict::prohibited);
    CHECK_THAT(replaced->replaces, Catch::Contains("water_source/rules.toml"));
    CHECK(rules.find("liaoning.red_line.near.construction") != nullptr);
    CHECK(rules.max_within_m("red_line") == 300);
    CHECK(rules.digest() != default_rules().digest());
    CHECK(rules.files().back().local);
    CHECK(rules.rules().size() == default_rules().rules().size() + 1);
}

TEST_CASE("a bad rule file gives every problem with file and line", "[rules]") {
    test::ScratchDir dir("rules");
    const auto file = dir / "bad.toml";
    std::ofstream(file) << R"([[rule]]
id = "a"
kind = "water_source"
subzones = ["level9"]
verdict = "forbidden"
message_zh = "x"
message_en = "x"
basis_zh = "x"
basis_en = "x"

[[rule]]
id = "b"
kind = "wetland"
colour = "red"
verdict = "allowed"
message_zh = "x"
message_en = "x"
basis_zh = "x"
basis_en = "x"
when = { discharges = "perhaps" }

[[rule]]
id = "c"
kind = "red_line"
within_m = 100
verdict = "conditional"
message_zh = "x"
message_en = "x"
basis_zh = "x"
basis_en = "x"
)";
    const auto problems = RuleSet::validate(test::schemas(), {file});
    std::string all;
    for (const auto& p : problems) {
        all += p + "\n";
    }
    INFO(all);
    CHECK_THAT(all, Catch::Contains("bad.toml:4") && Catch::Contains("'level9' is not a sub-zone"));
    CHECK_THAT(all, Catch::Contains("verdict 'forbidden'"));
    CHECK_THAT(all, Catch::Contains("unknown kind 'wetland'"));
    CHECK_THAT(all, Catch::Contains("bad.toml:14") && Catch::Contains("unknown key 'colour'"));
    CHECK_THAT(all, Catch::Contains("'discharges' takes true or false"));
    CHECK_THAT(all, Catch::Contains("needs 'requires_zh'"));
    CHECK_THROWS_WITH(RuleSet::load(test::schemas(), {file}), Catch::Contains("problem(s) in the rule files"));

    std::ofstream(dir / "broken.toml") << "[[rule]]\nid = \"x\nverdict = 1\n";
    const auto broken = RuleSet::validate(test::schemas(), {dir / "broken.toml"});
    REQUIRE(broken.size() == 1);
    CHECK_THAT(broken[0], Catch::Contains("broken.toml:2") && Catch::Contains("not valid TOML"));
}

TEST_CASE("facts are found inside free text, by the longest alias", "[rules]") {
    CHECK(*vocabulary().find_in("outfall_type", "某某城镇污水处理厂排污口") == "municipal-sewage");
    CHECK(*vocabulary().find_in("outfall_type", "工业废水（二期）") == "industrial");
    CHECK(*vocabulary().find_in("receiving_water", "入海排污口") == "sea");
    CHECK(*vocabulary().find_in("receiving_water", "入河排污口") == "river");
    // One character says too little: 海城河 is a river, not the sea.
    CHECK_FALSE(vocabulary().find_in("receiving_water", "海城"));
    CHECK_FALSE(vocabulary().find_in("outfall_type", "未知"));
}
