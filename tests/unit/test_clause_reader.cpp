// The clause reader on a corpus of access-list clauses written for these tests in the
// style of the plans (fixtures/clauses/corpus.toml), each with the structure it must get:
// a clause expected structured must come out exactly so and without a judgement; a clause
// expected to need judgement must be flagged with its reasons. Then spans, positions,
// reach, and text that is not an access list at all.
#include "redline/access/clause_reader.hpp"
#include "redline/errors.hpp"
#include "test_support.hpp"

#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

using namespace redline;
using namespace redline::access;

namespace {

const IndustryCatalog& catalog() {
    static const IndustryCatalog c = IndustryCatalog::load(test::layers_dir);
    return c;
}

std::vector<std::string> strings(const toml::table& table, const char* key) {
    std::vector<std::string> out;
    if (const auto* array = table[key].as_array()) {
        for (const auto& item : *array) {
            out.push_back(item.value<std::string>().value_or("?"));
        }
    }
    return out;
}

std::string words(const Clause& clause, const Span& span) {
    return clause.text.substr(span.offset, span.length);
}

std::vector<std::string> ids(const std::vector<IndustryRef>& refs) {
    std::vector<std::string> out;
    for (const auto& ref : refs) {
        out.push_back(ref.match.id);
    }
    return out;
}

std::vector<std::string> names(const std::vector<Scale>& scales) {
    std::vector<std::string> out;
    for (const Scale scale : scales) {
        out.push_back(scale_name(scale));
    }
    return out;
}

std::string describe(const Clause& clause) {
    std::string out = "action=" + std::string(clause.action ? action_name(*clause.action) : "none");
    for (const auto& j : clause.judgements) {
        out += "\n  judgement " + std::string(reason_name(j.reason)) + ": " + words(clause, j.span);
    }
    for (const auto& ref : clause.industries) {
        out += "\n  industry " + ref.match.id + ": " + words(clause, ref.span);
    }
    return out;
}

// Checks one clause against its expectation.
void check_clause(const Clause& clause, const toml::table& expected) {
    INFO("clause: " << clause.text);
    INFO(describe(clause));
    const auto reasons = strings(expected, "judgement");
    if (const auto action = expected["action"].value<std::string>()) {
        REQUIRE(clause.action.has_value());
        CHECK(action_name(*clause.action) == *action);
    }
    if (!reasons.empty()) {
        // Never structured: flagged, with each expected reason.
        CHECK(clause.needs_judgement());
        for (const auto& reason : reasons) {
            INFO("expected reason " << reason);
            CHECK(std::any_of(clause.judgements.begin(), clause.judgements.end(),
                              [&](const Judgement& j) { return reason_name(j.reason) == reason; }));
        }
        return;
    }
    // Structured: exactly as expected, and nothing left to judge.
    CHECK_FALSE(clause.needs_judgement());
    CHECK(expected.contains("action") == clause.action.has_value());
    CHECK(names(clause.scales) == strings(expected, "scales"));
    CHECK(target_name(clause.target) == expected["target"].value_or<std::string>("projects"));
    CHECK(clause.outfall_waters == strings(expected, "outfall_waters"));
    CHECK(clause.outfall_types == strings(expected, "outfall_types"));
    CHECK(clause.all_industries == expected["all_industries"].value_or(false));
    CHECK(ids(clause.industries) == strings(expected, "industries"));
    CHECK(clause.open_list == expected["open_list"].value_or(false));
    CHECK((clause.category ? clause.category->match.id : "") == expected["category"].value_or<std::string>(""));
    const auto* exceptions = expected["exceptions"].as_array();
    const std::size_t exception_count = exceptions != nullptr ? exceptions->size() : 0;
    REQUIRE(clause.exceptions.size() == exception_count);
    for (std::size_t i = 0; i < exception_count; ++i) {
        const auto& want = *exceptions->get(i)->as_table();
        CHECK_FALSE(clause.exceptions[i].condition);
        CHECK(ids(clause.exceptions[i].industries) == strings(want, "industries"));
    }
    const auto* thresholds = expected["thresholds"].as_array();
    const std::size_t threshold_count = thresholds != nullptr ? thresholds->size() : 0;
    REQUIRE(clause.thresholds.size() == threshold_count);
    for (std::size_t i = 0; i < threshold_count; ++i) {
        const auto& want = *thresholds->get(i)->as_table();
        const Threshold& got = clause.thresholds[i];
        INFO("threshold " << words(clause, got.span));
        CHECK(threshold_role_name(got.role) == want["role"].value_or<std::string>("?"));
        CHECK(measure_name(got.measure) == want["measure"].value_or<std::string>("unspecified"));
        CHECK(pollutant_name(got.pollutant) == want["pollutant"].value_or<std::string>("unspecified"));
        CHECK(comparison_name(got.comparison) == want["comparison"].value_or<std::string>("?"));
        CHECK(unit_name(got.unit) == want["unit"].value_or<std::string>("?"));
        const double value = want["value"].value_or(-1.0);
        CHECK(std::abs(got.value - value) <= 1e-6 * std::max(1.0, std::abs(value)));
    }
}

const toml::table& corpus() {
    static const toml::table table =
        toml::parse_file((std::filesystem::path(test::fixtures_dir) / "clauses/corpus.toml").string());
    return table;
}

}  // namespace

TEST_CASE("the clause corpus: every clause structured as expected or flagged for judgement, none wrong", "[clauses]") {
    std::set<std::string> seen;
    const auto* singles = corpus()["clause"].as_array();
    REQUIRE(singles != nullptr);
    for (const auto& node : *singles) {
        const auto& expected = *node.as_table();
        const std::string id = expected["id"].value_or<std::string>("");
        REQUIRE(seen.insert(id).second);
        SECTION(id) {
            const std::string text = expected["text"].value_or<std::string>("");
            const auto clauses = read_clauses(text, catalog());
            INFO(text);
            REQUIRE(clauses.size() == 1);
            check_clause(clauses[0], expected);
        }
    }
    const auto* blocks = corpus()["block"].as_array();
    REQUIRE(blocks != nullptr);
    for (const auto& node : *blocks) {
        const auto& block = *node.as_table();
        const std::string id = block["id"].value_or<std::string>("");
        const std::string text = block["text"].value_or<std::string>("");
        const auto clauses = read_clauses(text, catalog());
        const auto* expected = block["clause"].as_array();
        REQUIRE(expected != nullptr);
        SECTION(id + ": clause count") {
            CHECK(clauses.size() == expected->size());
        }
        for (std::size_t i = 0; i < std::min(clauses.size(), expected->size()); ++i) {
            const auto& want = *expected->get(i)->as_table();
            REQUIRE(seen.insert(id + "/" + std::to_string(i + 1)).second);
            SECTION(id + "/" + std::to_string(i + 1)) {
                const Clause& clause = clauses[i];
                CHECK(clause.text == want["text"].value_or<std::string>("?"));
                CHECK(text.substr(clause.offset, clause.text.size()) == clause.text);
                CHECK(clause.label == want["label"].value_or<std::string>(""));
                CHECK(clause.item == want["item"].value_or(0));
                CHECK(clause.sentence == want["sentence"].value_or(0));
                CHECK(clause.part == want["part"].value_or(0));
                CHECK(dimension_name(clause.dimension) == want["dimension"].value_or<std::string>("unspecified"));
                check_clause(clause, want);
            }
        }
    }
    // Sections run one at a time; the whole corpus is counted once it has all run.
    CHECK(seen.size() >= 80);
}

TEST_CASE("the corpus holds both kinds in number, and every reason and action appears", "[clauses]") {
    std::map<std::string, int> reasons;
    std::map<std::string, int> actions;
    int structured = 0;
    int total = 0;
    auto count = [&](const toml::table& expected) {
        ++total;
        for (const auto& r : strings(expected, "judgement")) {
            ++reasons[r];
        }
        if (!expected.contains("judgement")) {
            ++structured;
        }
        if (const auto a = expected["action"].value<std::string>()) {
            ++actions[*a];
        }
    };
    for (const auto& node : *corpus()["clause"].as_array()) {
        count(*node.as_table());
    }
    for (const auto& block : *corpus()["block"].as_array()) {
        for (const auto& node : *block.as_table()->get("clause")->as_array()) {
            count(*node.as_table());
        }
    }
    CHECK(total >= 80);
    CHECK(structured >= 40);
    CHECK(total - structured >= 30);
    for (const char* reason :
         {"no_action", "mixed_actions", "condition", "exception_condition", "double_negation", "unknown_industry",
          "undefined_category", "in_principle", "soft_wording", "policy_catalogue", "reference", "threshold_unclear"}) {
        INFO(reason);
        CHECK(reasons[reason] > 0);
    }
    for (const char* action : {"prohibit", "restrict", "strictly_control", "require", "encourage", "refer"}) {
        INFO(action);
        CHECK(actions[action] > 0);
    }
}

TEST_CASE("spans point at the words, offsets into the block, labels and parts in order", "[clauses]") {
    const std::string block =
        "空间布局约束：\n1.禁止新建化工、电镀项目，现有企业应当限期搬迁。\n（2）除热电联产外，禁止新建火电项目。";
    const auto clauses = read_clauses(block, catalog());
    REQUIRE(clauses.size() == 3);
    for (const auto& clause : clauses) {
        CHECK(block.substr(clause.offset, clause.text.size()) == clause.text);
        CHECK(clause.dimension == Dimension::spatial_layout);
    }
    CHECK(clauses[0].text == "禁止新建化工、电镀项目");
    CHECK(clauses[0].label == "1.");
    CHECK(clauses[1].text == "现有企业应当限期搬迁。");
    CHECK(clauses[1].part == 2);
    CHECK(words(clauses[0], clauses[0].industries.at(0).span) == "化工");
    CHECK(words(clauses[0], clauses[0].industries.at(1).span) == "电镀");
    REQUIRE(clauses[2].exceptions.size() == 1);
    CHECK(words(clauses[2], clauses[2].exceptions[0].span) == "除热电联产外");
    CHECK(words(clauses[2], clauses[2].exceptions[0].industries.at(0).span) == "热电联产");
    CHECK(clauses[2].label == "（2）");
    CHECK(clauses[2].item == 2);

    const auto limit = read_clauses("新建项目二氧化硫排放量不得超过10吨/年。", catalog());
    REQUIRE(limit.at(0).thresholds.size() == 1);
    CHECK(words(limit[0], limit[0].thresholds[0].span) == "二氧化硫排放量不得超过10吨/年");
    const auto judged = read_clauses("禁止新建光伏玻璃项目。", catalog());
    REQUIRE(judged.at(0).judgements.size() == 1);
    CHECK(words(judged[0], judged[0].judgements[0].span) == "光伏玻璃");

    // The block's dimension is used until a heading says otherwise.
    const auto given = read_clauses("禁止新建化工项目。", catalog(), Dimension::environmental_risk);
    CHECK(given.at(0).dimension == Dimension::environmental_risk);
}

TEST_CASE("reach: listed industries govern down the hierarchy, exceptions and open lists are honoured", "[clauses]") {
    const auto& c = catalog();
    auto clause = [&](const std::string& text) {
        auto clauses = read_clauses(text, c);
        REQUIRE(clauses.size() == 1);
        return clauses[0];
    };
    const Clause heavy = clause("禁止新建、扩建化工、电镀、印染等重污染项目。");
    CHECK(industry_reach(heavy, c, "C2614") == Reach::governed);  // class under a division-level name
    CHECK(industry_reach(heavy, c, "C26") == Reach::governed);
    CHECK(industry_reach(heavy, c, "C1762") == Reach::governed);
    CHECK(industry_reach(heavy, c, "C3360") == Reach::needs_judgement);  // 电镀 is part of C3360
    CHECK(industry_reach(heavy, c, "C3011") == Reach::needs_judgement);  // 重污染? not decided here
    CHECK(scale_reach(heavy, Scale::new_build) == Reach::governed);
    CHECK(scale_reach(heavy, Scale::expansion) == Reach::governed);
    CHECK(scale_reach(heavy, Scale::reconstruction) == Reach::not_governed);

    const Clause examples = clause("禁止新建农药、染料等化工项目。");
    CHECK(industry_reach(examples, c, "C2631") == Reach::governed);
    CHECK(industry_reach(examples, c, "C2614") == Reach::needs_judgement);  // chemical, not listed
    CHECK(industry_reach(examples, c, "C3011") == Reach::not_governed);     // not chemical

    const Clause division = clause("禁止新建化学原料和化学制品制造业项目。");
    CHECK(industry_reach(division, c, "C2614") == Reach::governed);
    CHECK(industry_reach(division, c, "C27") == Reach::not_governed);

    const Clause except = clause("除热电联产项目外，禁止新建燃煤发电项目。");
    CHECK(industry_reach(except, c, "D4412") == Reach::not_governed);
    CHECK(industry_reach(except, c, "D4411") == Reach::needs_judgement);  // coal is not in the code
    CHECK(industry_reach(except, c, "C2614") == Reach::not_governed);

    // 炼化一体化 names a combination: a C2614 project alone may or may not be one.
    const Clause integrated = clause("禁止新建化工、石化项目，但炼化一体化项目除外。");
    CHECK(industry_reach(integrated, c, "C2614") == Reach::needs_judgement);
    CHECK(industry_reach(integrated, c, "C2631") == Reach::governed);
    CHECK(industry_reach(integrated, c, "C2511") == Reach::needs_judgement);

    const Clause industry = clause("禁止新建工业项目。");
    CHECK(industry_reach(industry, c, "C3011") == Reach::governed);
    CHECK(industry_reach(industry, c, "B0610") == Reach::governed);
    CHECK(industry_reach(industry, c, "K7010") == Reach::not_governed);

    const Clause everyone = clause("区域内企业应当编制突发环境事件应急预案。");
    CHECK(industry_reach(everyone, c, "K7010") == Reach::governed);
    CHECK(scale_reach(everyone, Scale::existing) == Reach::governed);

    const Clause condition = clause("禁止新建化工项目，但符合园区规划的除外。");
    CHECK(industry_reach(condition, c, "C2614") == Reach::needs_judgement);
    CHECK(scale_reach(condition, Scale::new_build) == Reach::needs_judgement);
}

TEST_CASE("every action, scale, dimension and reason has words in both languages", "[clauses]") {
    for (const Reason reason :
         {Reason::no_action, Reason::mixed_actions, Reason::condition, Reason::exception_condition,
          Reason::double_negation, Reason::unknown_industry, Reason::undefined_category, Reason::in_principle,
          Reason::soft_wording, Reason::policy_catalogue, Reason::reference, Reason::threshold_unclear,
          Reason::unparsed}) {
        const Message m = reason_message(reason);
        INFO(m.code());
        CHECK(m.text(Language::zh) != m.code());
        CHECK(m.text(Language::en) != m.code());
    }
    for (const Action action : {Action::prohibit, Action::restrict, Action::strictly_control, Action::require,
                                Action::encourage, Action::refer}) {
        CHECK(action_message(action).text(Language::zh) != action_message(action).code());
    }
    for (const Scale scale : {Scale::new_build, Scale::expansion, Scale::reconstruction, Scale::existing}) {
        CHECK(scale_message(scale).text(Language::en) != scale_message(scale).code());
    }
    for (const Dimension dimension : {Dimension::unspecified, Dimension::spatial_layout, Dimension::pollutant_discharge,
                                      Dimension::environmental_risk, Dimension::resource_efficiency}) {
        CHECK(dimension_message(dimension).text(Language::zh) != dimension_message(dimension).code());
    }
    CHECK(action_message(Action::prohibit).text(Language::zh) == "禁止");
    CHECK(reason_message(Reason::in_principle).text(Language::en) == "'in principle': unnamed exceptions are allowed");
}

TEST_CASE("text that is not an access list gives no clause or judgements, never a crash", "[clauses]") {
    CHECK(read_clauses("", catalog()).empty());
    CHECK(read_clauses("  \n\n。；", catalog()).empty());
    CHECK(read_clauses("1.\n2.\n（3）", catalog()).empty());
    const auto english = read_clauses("No new chemical plants.", catalog());
    REQUIRE(english.size() == 1);
    CHECK(english[0].has(Reason::no_action));
    // Broken UTF-8, control characters, unbalanced brackets, a very long line.
    const std::string broken = std::string("禁止新建\xE5\x8C") + "化工项目（除外。\x01\xFF";
    for (const auto& clause : read_clauses(broken, catalog())) {
        CHECK(!clause.text.empty());
    }
    std::string long_line = "禁止新建";
    for (int i = 0; i < 2000; ++i) {
        long_line += "化工、";
    }
    long_line += "电镀项目。";
    const auto many = read_clauses(long_line, catalog());
    REQUIRE(many.size() == 1);
    CHECK(many[0].industries.size() == 2001);
}
