// Rules and verdicts: every default rule is pinned, verdict and citation, by dated scenarios
// in fixtures/rule_scenarios.toml; rule files are validated with file and line; rule sets
// apply the law of their legal date.
#include "redline/errors.hpp"
#include "redline/model/rules.hpp"
#include "redline/screening/check.hpp"
#include "test_support.hpp"

#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numbers>
#include <set>

using namespace redline;

namespace {

// The Ecological Environment Code came into force on this day.
const LegalDate code_in_force{2026, 8, 15};
const LegalDate test_day{2026, 12, 1};

// The problems with this code, in file order.
std::vector<Message> with_code(const std::vector<Message>& problems, const std::string& code) {
    std::vector<Message> found;
    std::copy_if(problems.begin(), problems.end(), std::back_inserter(found),
                 [&](const Message& p) { return p.code() == code; });
    return found;
}

std::string arg(const Message& message, const std::string& name) {
    const Message::Value* value = message.arg(name);
    return value == nullptr ? "(none)" : value->words();
}

// Every problem in English, one per line, for INFO.
std::string english(const std::vector<Message>& problems) {
    std::string all;
    for (const auto& p : problems) {
        all += p.text(Language::en) + "\n";
    }
    return all;
}

LegalDate day(const std::string& text) {
    const auto d = LegalDate::parse(text);
    REQUIRE(d);
    return *d;
}

// The default rules for the law of one day (loaded once per day).
const RuleSet& rules_on(const LegalDate& date) {
    static std::map<LegalDate, RuleSet> cache;
    auto it = cache.find(date);
    if (it == cache.end()) {
        it = cache.emplace(date, RuleSet::load(test::schemas(), {}, date)).first;
    }
    return it->second;
}

const RuleSet& default_rules() {
    return rules_on(test_day);
}

const FactVocabulary& vocabulary() {
    static const FactVocabulary v = FactVocabulary::load(test::layers_dir);
    return v;
}

// A 2 km square zone (or, for line kinds, a line across it) south-west at 121 E, 39 N.
Zone scenario_zone(const std::string& kind, const std::string& subzone, const std::string& source, int index) {
    Zone z;
    z.kind = kind;
    z.subzone = subzone;
    z.zone_id = kind + "-" + std::to_string(index);
    z.name = z.zone_id;
    if (!source.empty()) {
        z.attributes[subzone_source_attribute] = source;
    }
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

std::map<std::string, std::string> string_table(const toml::node_view<const toml::node>& node) {
    std::map<std::string, std::string> out;
    if (const auto* table = node.as_table()) {
        for (const auto& [key, value] : *table) {
            out[std::string(key.str())] = value.value_or(std::string{});
        }
    }
    return out;
}

const toml::table& scenarios() {
    static const toml::table table = toml::parse_file(std::string(test::fixtures_dir) + "/rule_scenarios.toml");
    return table;
}

// A field of a dated check, else of its scenario.
toml::node_view<const toml::node> field(const toml::table& on, const toml::table& scenario, const char* key) {
    return on.contains(key) ? toml::node_view<const toml::node>(on.get(key))
                            : toml::node_view<const toml::node>(scenario.get(key));
}

struct Observation {
    LegalDate date;
    bool present = false;  // applied with its citation pinned; else shown not to apply
};

// Every rule id to what the scenarios pin about it, date by date.
std::map<std::string, std::vector<Observation>> observations() {
    std::map<std::string, std::vector<Observation>> seen;
    for (const auto& node : *scenarios()["scenario"].as_array()) {
        const auto& s = *node.as_table();
        for (const auto& on_node : *s["on"].as_array()) {
            const auto& on = *on_node.as_table();
            const LegalDate date = *LegalDate::parse(on["date"].value_or(std::string{}));
            const auto cites = string_table(on["cites"]);
            for (const auto& id : string_list(field(on, s, "rules"))) {
                if (cites.contains(id)) {
                    seen[id].push_back({date, true});
                }
            }
            for (const auto& id : string_list(field(on, s, "absent"))) {
                seen[id].push_back({date, false});
            }
        }
    }
    return seen;
}

}  // namespace

TEST_CASE("the default rule set loads, every rule cites its texts, and the digest is stable", "[rules]") {
    const RuleSet& rules = default_rules();
    CHECK(rules.rules().size() > 60);
    for (const auto& rule : rules.rules()) {
        INFO(rule.id);
        CHECK_FALSE(rule.message_zh.empty());
        CHECK_FALSE(rule.message_en.empty());
        if (rule.verdict == Verdict::conditional) {
            CHECK_FALSE(rule.requires_zh.empty());
        }
        REQUIRE_FALSE(rule.basis.empty());
        for (const auto& basis : rule.basis) {
            CHECK_FALSE(basis.citations.empty());  // defaults cite texts, never free words
            CHECK_FALSE(basis_text(basis, rules.sources(), Language::zh).empty());
            CHECK_FALSE(basis_text(basis, rules.sources(), Language::en).empty());
        }
    }
    CHECK(rules.digest() == RuleSet::load(test::schemas(), {}, test_day).digest());
    CHECK(rules.digest() == rules_on(day("2025-06-01")).digest());  // one rule set, read for any day
    CHECK(
        RuleSet::check(test::schemas(), {std::filesystem::path(test::layers_dir) / "water_source/rules.toml"}).empty());
}

TEST_CASE("no default rule cites a text for a day it was not in force, and none cites a repealed text today",
          "[rules]") {
    const RuleSet& rules = default_rules();
    for (const auto& rule : rules.rules()) {
        for (const auto& basis : rule.basis) {
            for (const auto& c : basis.citations) {
                const LegalSource* source = rules.sources().find(c.source);
                INFO(rule.id << " period " << basis.in_force.text() << " cites " << c.source);
                REQUIRE(source != nullptr);
                CHECK(source->in_force.from <= basis.in_force.from);
                if (source->in_force.to) {
                    REQUIRE(basis.in_force.to);
                    CHECK(*basis.in_force.to <= *source->in_force.to);
                }
            }
        }
        // On the test day, the basis of a rule in force cites only texts in force.
        if (rules.in_force(rule)) {
            for (const auto& c : rule.basis_on(test_day)->citations) {
                INFO(rule.id << " cites " << c.source << " on " << test_day.text());
                CHECK(rules.sources().find(c.source)->in_force.contains(test_day));
                CHECK(rules.sources().find(c.source)->replaced_by.empty());
            }
        }
    }
    // The repealed laws are cited only as history.
    for (const char* repealed : {"wpl2017", "mepl2023", "eial2018", "nrr2017"}) {
        INFO(repealed);
        const LegalSource* source = rules.sources().find(repealed);
        REQUIRE(source != nullptr);
        REQUIRE(source->in_force.to);
        CHECK(*source->in_force.to < test_day);
    }
}

TEST_CASE("provisions not read in their text stay marked in the rule data", "[rules]") {
    for (const char* id :
         {"nature_reserve.core_buffer.outfall_existing", "protected_area.core_protection.construction",
          "nature_reserve.general_control.construction", "coastline.strict.construction", "red_line.outfall_new"}) {
        INFO(id);
        const Rule* rule = default_rules().find(id);
        REQUIRE(rule != nullptr);
        const LegalDate when = rule->basis.front().in_force.to.value_or(test_day);
        CHECK_FALSE(rule->verified_on(std::min(when, test_day)));
    }
    // Read in the text: not marked.
    CHECK(default_rules().find("water_source.protection_zone.outfall_new")->verified_on(test_day));
    CHECK(default_rules().find("nature_reserve.core_protection.construction")->verified_on(test_day));
}

TEST_CASE("every scenario gets its verdict and cites its rules, on each of its days", "[rules]") {
    const auto* list = scenarios()["scenario"].as_array();
    REQUIRE(list != nullptr);
    for (const auto& node : *list) {
        const auto& s = *node.as_table();
        const std::string name = s["name"].value_or(std::string{});
        const auto* on_list = s["on"].as_array();
        INFO("scenario: " << name);
        REQUIRE(on_list != nullptr);
        for (const auto& on_node : *on_list) {
            const auto& on = *on_node.as_table();
            const LegalDate date = day(on["date"].value_or(std::string{}));
            INFO("on " << date.text());
            const RuleSet& rules = rules_on(date);
            std::vector<Zone> zones;
            int index = 0;
            for (const auto& z : *s["zones"].as_array()) {
                const auto& zt = *z.as_table();
                zones.push_back(scenario_zone(zt["kind"].value_or(std::string{}), zt["subzone"].value_or(std::string{}),
                                              zt["source"].value_or(std::string{}), index++));
            }
            const ZoneIndex zone_index(test::schemas(), std::move(zones));
            const std::string geometry = s["geometry"].value_or(std::string("polygon"));
            const std::string place = s["place"].value_or(std::string("inside"));
            Footprint fp{"fp", name, geometry_from_wkt(footprint_wkt(geometry, place)), {}};
            FootprintResult result = zone_index.check(fp, CheckOptions{});
            // The access lists' outcome is derived by the screener, never given: a scenario
            // states it as the screener would have set it.
            auto given = string_table(s["facts"]);
            const auto derived = given.extract("access_list");
            ActivityFacts facts = vocabulary().from_options(given);
            if (!derived.empty()) {
                facts.access_list = derived.mapped();
            }
            decide(result, rules, test::schemas(), facts);

            CHECK(verdict_name(result.verdict) == field(on, s, "verdict").value_or(std::string{}));
            std::map<std::string, const AppliedRule*> cited;
            std::vector<const AppliedRule*> in_order;
            for (const auto& hit : result.hits) {
                for (const auto& applied : hit.rules) {
                    cited.emplace(applied.rule->id, &applied);
                    in_order.push_back(&applied);
                }
            }
            const auto expected = string_list(field(on, s, "rules"));
            for (const auto& id : expected) {
                INFO("expected rule " << id);
                CHECK(cited.contains(id));
            }
            for (const auto& id : string_list(field(on, s, "absent"))) {
                INFO("rule that must not apply: " << id);
                CHECK_FALSE(cited.contains(id));
            }
            if (expected.empty()) {
                CHECK(cited.empty());
            }
            for (const auto& [id, text] : string_table(on["cites"])) {
                INFO("citation of " << id);
                REQUIRE(cited.contains(id));
                CHECK_THAT(basis_text(*cited[id]->basis, rules.sources(), Language::zh), Catch::Contains(text));
            }
            for (const auto& [id, text] : string_table(field(on, s, "says"))) {
                INFO("claim of " << id);
                REQUIRE(cited.contains(id));
                CHECK_THAT(cited[id]->rule->message_zh, Catch::Contains(text));
            }
            if (auto action = field(on, s, "action").value<std::string>()) {
                REQUIRE_FALSE(in_order.empty());
                CHECK(in_order.front()->rule->action == *action);
            }
        }
    }
}

TEST_CASE("every default rule is pinned on a day before the Code and on a day after it", "[rules]") {
    const auto seen = observations();
    for (const auto& rule : default_rules().rules()) {
        INFO("rule: " << rule.id);
        const auto it = seen.find(rule.id);
        REQUIRE(it != seen.end());
        const bool before = std::any_of(it->second.begin(), it->second.end(),
                                        [](const Observation& o) { return o.date < code_in_force; });
        const bool after = std::any_of(it->second.begin(), it->second.end(),
                                       [](const Observation& o) { return !(o.date < code_in_force); });
        CHECK(before);
        CHECK(after);
        // Where a rule is in force on a day, the scenarios pin its citation there.
        for (const auto& o : it->second) {
            if (o.present) {
                CHECK(rule.basis_on(o.date) != nullptr);
            }
        }
        const bool pinned_in_force =
            std::any_of(it->second.begin(), it->second.end(), [](const Observation& o) { return o.present; });
        CHECK(pinned_in_force);
    }
    for (const auto& [id, _] : seen) {
        INFO("scenario names a rule that does not exist: " << id);
        CHECK(default_rules().find(id) != nullptr);
    }
}

TEST_CASE("a rule set reads the law of its day, and refuses a day before the defaults' coverage", "[rules]") {
    const RuleSet& before = rules_on(day("2025-06-01"));
    const RuleSet& after = rules_on(test_day);
    CHECK(before.as_of() == day("2025-06-01"));
    const Rule* outfall = after.find("water_source.protection_zone.outfall_new");
    REQUIRE(outfall != nullptr);
    CHECK(outfall->basis.size() == 2);
    CHECK_THAT(history_text(outfall->basis.back(), after.sources(), Language::zh),
               Catch::Equals(
                   "原《水污染防治法》第六十四条；罚则：《水污染防治法》第八十四条第一款（2018-01-01 – 2026-08-14）"));
    CHECK_THAT(history_text(outfall->basis.back(), after.sources(), Language::en),
               Catch::StartsWith("formerly Water Pollution Prevention and Control Law, Art. 64; penalty:"));
    // The texts applied differ by day.
    auto ids = [](const RuleSet& rules) {
        std::set<std::string> out;
        for (const LegalSource* s : rules.texts_applied()) {
            out.insert(s->id);
        }
        return out;
    };
    CHECK(ids(before).contains("wpl2017"));
    CHECK_FALSE(ids(before).contains("code"));
    CHECK(ids(after).contains("code"));
    CHECK_FALSE(ids(after).contains("wpl2017"));
    CHECK_FALSE(ids(after).contains("nrr2017"));
    // The reserves' old zoning is gone after 2026-03-14.
    CHECK(before.in_force(*before.find("nature_reserve.core_buffer.construction")));
    CHECK_FALSE(after.in_force(*after.find("nature_reserve.core_buffer.construction")));
    CHECK_THROWS_AS(RuleSet::load(test::schemas(), {}, day("2023-12-31")), UsageError);
    CHECK_THROWS_WITH(RuleSet::load(test::schemas(), {}, day("2020-01-01")), Catch::Contains("2024-01-01"));
    try {
        RuleSet::load(test::schemas(), {}, day("2020-01-01"));
        FAIL("no error");
    } catch (const UsageError& e) {
        CHECK(e.message().code() == "rules.before_coverage");
        CHECK(arg(e.message(), "from") == "2024-01-01");
        CHECK(e.message().text(Language::zh) ==
              "--as-of 2020-01-01：默认规则涵盖的是自 2024-01-01 起的法律；更早的日期请给出为该日期制定的本地规则文件"
              "（见 docs/rules.md）。");
    }
}

TEST_CASE("the sub-zone a reserve zone had on a day follows the change of zoning", "[rules]") {
    const KindSchema& reserve = test::schemas().kind("nature_reserve");
    const LegalDate old_day = day("2025-06-01"), new_day = test_day;
    CHECK(reserve.subzone_on("core_protection", "缓冲区", old_day) == "buffer");
    CHECK(reserve.subzone_on("core_protection", "", old_day) == "core");
    CHECK(reserve.subzone_on("general_control", "", old_day) == "experimental");
    CHECK(reserve.subzone_on("general_control", "缓冲区", old_day) == "buffer");  // re-zoned otherwise
    CHECK(reserve.subzone_on("core_protection", "缓冲区", new_day) == "core_protection");
    CHECK(reserve.subzone_on("buffer", "", new_day) == "core_protection");  // stored by an older redline
    CHECK(reserve.subzone_on("buffer", "", old_day) == "buffer");
    CHECK(reserve.subzone_on("outer_belt", "", old_day) == "outer_belt");
    CHECK(reserve.subzone_on("core_protection", "", day("2026-03-14")) == "core");
    CHECK(reserve.subzone_on("core_protection", "", day("2026-03-15")) == "core_protection");
    CHECK_FALSE(test::schemas().kind("water_source").has_legacy_zoning());
}

TEST_CASE("legal dates, Chinese numerals and article references", "[rules]") {
    CHECK(day("2026-08-15").previous_day() == day("2026-08-14"));
    CHECK(day("2024-02-28").next_day() == day("2024-02-29"));
    CHECK(day("2025-12-31").next_day() == day("2026-01-01"));
    CHECK_FALSE(LegalDate::parse("2026-02-30"));
    CHECK_FALSE(LegalDate::parse("2026-8-15"));
    CHECK_FALSE(LegalDate::parse("yesterday"));
    const LegalDate today = LegalDate::today();
    CHECK(today > day("2026-01-01"));
    CHECK(today.text().size() == 10);
    for (const auto& [n, text] : std::vector<std::pair<int, std::string>>{{1, "一"},
                                                                          {10, "十"},
                                                                          {11, "十一"},
                                                                          {20, "二十"},
                                                                          {64, "六十四"},
                                                                          {100, "一百"},
                                                                          {101, "一百零一"},
                                                                          {110, "一百一十"},
                                                                          {318, "三百一十八"},
                                                                          {1000, "一千"},
                                                                          {1009, "一千零九"},
                                                                          {1010, "一千零一十"},
                                                                          {1109, "一千一百零九"},
                                                                          {1242, "一千二百四十二"}}) {
        INFO(n);
        CHECK(chinese_number(n) == text);
    }
    CHECK(article_text("318", Language::zh) == "第三百一十八条");
    CHECK(article_text("1109.2", Language::zh) == "第一千一百零九条第二款");
    CHECK(article_text("1145.1.3", Language::zh) == "第一千一百四十五条第一款第（三）项");
    CHECK(article_text("1109.2", Language::en) == "Art. 1109(2)");
    CHECK(article_text("1145.1.3", Language::en) == "Art. 1145(1) item 3");
    CHECK(article_text("Art. 5", Language::zh).empty());
    CHECK_FALSE(is_article_reference("318a"));
    CHECK_FALSE(is_article_reference("0"));
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
    std::vector<Message> warnings;
    const ActivityFacts facts = vocabulary().from_attributes(
        {{"排污口类型", "城镇污水处理厂"}, {"受纳水体类型", "入海"}, {"行业", "火箭"}}, defaults, warnings);
    CHECK(*facts.outfall_type == "municipal-sewage");
    CHECK(*facts.receiving_water == "sea");
    CHECK(*facts.activity == "outfall-new");
    CHECK(facts.sources.at("outfall_type") == Message("facts.from_attribute", {{"field", "排污口类型"}}));
    CHECK(facts.sources.at("outfall_type").text(Language::zh) == "属性 排污口类型");
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].code() == "facts.attribute_unknown_value");
    CHECK_THAT(warnings[0].text(Language::en), Catch::Contains("火箭"));
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
    const RuleSet rules = RuleSet::load(test::schemas(), {file}, test_day);
    const Rule* replaced = rules.find("water_source.quasi.outfall_new");
    REQUIRE(replaced != nullptr);
    CHECK(replaced->verdict == Verdict::prohibited);
    CHECK_THAT(replaced->replaces, Catch::Contains("water_source/rules.toml"));
    CHECK(rules.find("liaoning.red_line.near.construction") != nullptr);
    CHECK(rules.max_within_m("red_line") == 300);
    CHECK(rules.digest() != default_rules().digest());
    CHECK(rules.files().back().local);
    // The replaced default stays known (its history), but no longer applies.
    CHECK(rules.rules().size() == default_rules().rules().size() + 2);
    const auto applied = rules.evaluate("water_source", "quasi", Relation::within, std::nullopt,
                                        vocabulary().from_options({{"activity", "outfall-new"}}));
    REQUIRE(applied.size() == 1);
    CHECK(applied[0].rule == replaced);
    CHECK(basis_text(*applied[0].basis, rules.sources(), Language::zh) == "《辽宁省饮用水水源保护条例》");
    CHECK_FALSE(applied[0].basis->verified());  // free text was not checked by anyone
}

TEST_CASE("a dated local rule replaces the default only on its own days", "[rules]") {
    test::ScratchDir dir("rules");
    const auto file = dir / "city.toml";
    std::ofstream(file) << R"([[source]]
id = "city_plan"
title_zh = "《某市“十四五”生态环境保护规划》"
title_en = "A city's 14th five-year environmental plan"
in_force_from = "2021-01-01"
in_force_to = "2025-12-31"
verified = true
checked = "read in the gazette"

[[rule]]
id = "water_source.quasi.outfall_new"
kind = "water_source"
subzones = ["quasi"]
activities = ["outfall-new"]
verdict = "prohibited"
message_zh = "规划期内准保护区禁止新设排污口。"
message_en = "No new outfall in a quasi zone during the plan."
[[rule.basis]]
cite = [{ source = "city_plan", section_zh = "第五章", section_en = "chapter 5" }]
)";
    auto verdict_on = [&](const std::string& date) {
        const RuleSet rules = RuleSet::load(test::schemas(), {file}, day(date));
        const auto applied = rules.evaluate("water_source", "quasi", Relation::within, std::nullopt,
                                            vocabulary().from_options({{"activity", "outfall-new"}}));
        REQUIRE(applied.size() == 1);
        return std::make_pair(applied[0].rule->verdict, basis_text(*applied[0].basis, rules.sources(), Language::zh));
    };
    const auto during = verdict_on("2025-06-01");
    CHECK(during.first == Verdict::prohibited);
    CHECK(during.second == "《某市“十四五”生态环境保护规划》 第五章");
    const auto after = verdict_on("2026-12-01");  // the plan ended: the national default again
    CHECK(after.first == Verdict::conditional);
    CHECK_THAT(after.second, Catch::Contains("《生态环境法典》"));
}

TEST_CASE("a period that cites a text outside its days is refused, naming the text and its repeal", "[rules]") {
    test::ScratchDir dir("rules");
    const auto file = dir / "stale.toml";
    std::ofstream(file) << R"([[rule]]
id = "local.stale"
kind = "water_source"
subzones = ["level2"]
verdict = "prohibited"
message_zh = "x"
message_en = "x"
[[rule.basis]]
cite = [{ source = "wpl2017", article = "64" }]
from = "2026-09-01"

[[rule]]
id = "local.nowhere"
kind = "water_source"
verdict = "allowed"
message_zh = "x"
message_en = "x"
[[rule.basis]]
cite = [{ source = "no_such_law", article = "1" }]

[[rule]]
id = "local.overlap"
kind = "red_line"
verdict = "allowed"
message_zh = "x"
message_en = "x"
[[rule.basis]]
cite = [{ source = "code", article = "60" }]
[[rule.basis]]
cite = [{ source = "redline142", article = "1x" }]

[[rule]]
id = "local.old_zoning"
kind = "nature_reserve"
subzones = ["buffer"]
verdict = "prohibited"
message_zh = "x"
message_en = "x"
[[rule.basis]]
cite = [{ source = "code", article = "862" }]
)";
    const auto problems = RuleSet::check(test::schemas(), {file});
    INFO(english(problems));
    const auto stale = with_code(problems, "law.not_in_force_replaced");
    REQUIRE(stale.size() == 1);
    CHECK_THAT(arg(stale[0], "file"), Catch::EndsWith("stale.toml"));
    CHECK(arg(stale[0], "line") == "8");
    CHECK(arg(stale[0], "rule") == "local.stale");
    CHECK(arg(stale[0], "id") == "wpl2017");
    CHECK_THAT(stale[0].text(Language::en),
               Catch::Contains("stale.toml:8: rule 'local.stale' cites Water Pollution Prevention and Control Law "
                               "(wpl2017) for 2026-09-01 –, but that text was in force only 2018-01-01 – 2026-08-14 "
                               "(repealed by Art. 1242 of the Ecological Environment Code)"));
    CHECK_THAT(stale[0].text(Language::zh),
               Catch::Contains("stale.toml:8：规则“local.stale”的依据期间（2026-09-01 起）引用了《水污染防治法》"
                               "（wpl2017），但该文本的有效期仅为 2018-01-01 – 2026-08-14"
                               "（《生态环境法典》第一千二百四十二条废止）；"));
    const auto unknown = with_code(problems, "law.unknown_source");
    REQUIRE(unknown.size() == 1);
    CHECK(arg(unknown[0], "source") == "no_such_law");
    CHECK_THAT(unknown[0].text(Language::en), Catch::Contains("unknown source 'no_such_law'"));
    const auto article = with_code(problems, "law.bad_article");
    REQUIRE(article.size() == 1);
    CHECK(arg(article[0], "article") == "1x");
    CHECK_THAT(article[0].text(Language::zh), Catch::Contains("规则“local.overlap”：条号“1x”不是有效的条文引用"));
    const auto zoning = with_code(problems, "rules.subzone_replaced");
    REQUIRE(zoning.size() == 1);
    CHECK(arg(zoning[0], "subzone") == "buffer");
    CHECK(arg(zoning[0], "last_day") == "2026-03-14");
    CHECK_THAT(zoning[0].text(Language::en), Catch::Contains("'buffer', which the law replaced after 2026-03-14"));
    try {
        RuleSet::load(test::schemas(), {file}, test_day);
        FAIL("no error");
    } catch (const DataError& e) {
        CHECK(e.message().code() == "rules.problems");
        CHECK(arg(e.message(), "count") == std::to_string(problems.size()));
        CHECK_THAT(e.message().text(Language::zh),
                   Catch::StartsWith("规则文件中有 " + std::to_string(problems.size()) + " 个问题：\n  ") &&
                       Catch::Contains("引用了未知的文本“no_such_law”"));
    }
}

TEST_CASE("the example of a city's dated rule file applies during its plan only", "[rules]") {
    const auto file = std::filesystem::path(test::source_dir) / "docs/examples/dalian-jinpu-rules.toml";
    CHECK(RuleSet::check(test::schemas(), {file}).empty());
    for (const auto& [date, verdict] : std::vector<std::pair<std::string, Verdict>>{
             {"2025-06-01", Verdict::prohibited}, {"2026-12-01", Verdict::conditional}}) {
        INFO(date);
        const RuleSet rules = RuleSet::load(test::schemas(), {file}, day(date));
        const auto applied =
            rules.evaluate("coastal_function_zone", "class1", Relation::within, std::nullopt,
                           vocabulary().from_options({{"activity", "outfall-new"}, {"outfall_type", "agricultural"}}));
        REQUIRE_FALSE(applied.empty());
        CHECK(applied[0].rule->verdict == verdict);
    }
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
    const auto problems = RuleSet::check(test::schemas(), {file});
    INFO(english(problems));
    const auto subzone = with_code(problems, "rules.unknown_subzone");
    REQUIRE(subzone.size() == 1);
    CHECK_THAT(arg(subzone[0], "file"), Catch::EndsWith("bad.toml"));
    CHECK(arg(subzone[0], "line") == "4");
    CHECK(arg(subzone[0], "rule") == "a");
    CHECK(arg(subzone[0], "subzone") == "level9");
    CHECK_THAT(subzone[0].text(Language::en), Catch::Contains("bad.toml:4: rule 'a': 'level9' is not a sub-zone"));
    CHECK_THAT(
        subzone[0].text(Language::zh),
        Catch::EndsWith("bad.toml:4：规则“a”：“level9”不是 water_source 类的分区（已知：level1, level2, quasi）。"));
    const auto verdict = with_code(problems, "rules.bad_verdict");
    REQUIRE(verdict.size() == 1);
    CHECK(arg(verdict[0], "verdict") == "forbidden");
    CHECK_THAT(verdict[0].text(Language::zh),
               Catch::Contains("规则“a”：结论“forbidden”不是 prohibited、conditional 或 allowed。"));
    const auto kind = with_code(problems, "rules.unknown_kind");
    REQUIRE(kind.size() == 1);
    CHECK(arg(kind[0], "kind") == "wetland");
    const auto key = with_code(problems, "rules.unknown_key");
    REQUIRE(key.size() == 1);
    CHECK(arg(key[0], "line") == "14");
    CHECK(arg(key[0], "key") == "colour");
    CHECK_THAT(key[0].text(Language::zh), Catch::Contains("bad.toml:14：未知的键“colour”（允许的键："));
    const auto fact = with_code(problems, "rules.fact_not_boolean");
    REQUIRE(fact.size() == 1);
    CHECK(arg(fact[0], "fact") == "discharges");
    CHECK_THAT(fact[0].text(Language::en), Catch::Contains("'discharges' takes true or false"));
    const auto needs = with_code(problems, "rules.rule_needs_text");
    REQUIRE(needs.size() == 2);  // rule c is conditional: requires_zh and requires_en
    CHECK(arg(needs[0], "rule") == "c");
    CHECK(arg(needs[0], "key") == "requires_zh");
    CHECK_THAT(needs[0].text(Language::zh), Catch::Contains("规则“c”需要非空字符串“requires_zh”。"));
    CHECK_THROWS_WITH(RuleSet::load(test::schemas(), {file}), Catch::Contains("problem(s) in the rule files"));

    std::ofstream(dir / "broken.toml") << "[[rule]]\nid = \"x\nverdict = 1\n";
    const auto broken = RuleSet::check(test::schemas(), {dir / "broken.toml"});
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].code() == "toml.invalid");
    CHECK_THAT(broken[0].text(Language::en), Catch::Contains("broken.toml:2") && Catch::Contains("not valid TOML"));

    const auto missing = RuleSet::check(test::schemas(), {dir / "none.toml"});
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].code() == "rules.file_not_found");
    CHECK_THAT(missing[0].text(Language::zh), Catch::EndsWith("none.toml：找不到规则文件。"));
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

TEST_CASE("a hand-edited facts file with a missing or mistyped list is refused, naming the key", "[rules][facts]") {
    test::ScratchDir dir("facts");
    // Found by fuzz_schema: [booleans] without `false` crashed the reader.
    for (const auto& [text, key] : std::vector<std::pair<std::string, std::string>>{
             {"[booleans]\ntrue = [\"是\"]\n", "booleans.false"},
             {"[fields]\nindustry = \"行业\"\n", "fields.industry"},
             {"[booleans]\ntrue = [\"是\", 1]\nfalse = [\"否\"]\n", "booleans.true"}}) {
        std::ofstream(dir / "facts.toml") << text;
        INFO(text);
        CHECK_THROWS_WITH(FactVocabulary::load(dir.path()), Catch::Contains(key));
    }
}
