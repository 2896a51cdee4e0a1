// Conformity with access lists, scenario by scenario: an industry hit by a unit clause, by
// a general list, by neither; new against expansion; a class code against a division
// clause; exceptions, outfalls, requirements, judgements, reviews and corrections.
#include "redline/access/clause_structure.hpp"
#include "redline/access/conformity.hpp"
#include "redline/errors.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace redline;
using namespace redline::access;

namespace {

std::shared_ptr<const IndustryCatalog> catalog() {
    static const auto c = std::make_shared<const IndustryCatalog>(IndustryCatalog::load(test::layers_dir));
    return c;
}

AccessListBlock unit_block(const std::string& code, const std::string& dimension, const std::string& text) {
    AccessListBlock b;
    b.scope = AccessListScope::unit;
    b.list_id = code;
    b.dimension = dimension;
    b.text = text;
    return b;
}

AccessListBlock general_block(const std::string& id, std::vector<std::string> classes, const std::string& region,
                              const std::string& text) {
    AccessListBlock b;
    b.scope = AccessListScope::general;
    b.list_id = id;
    b.title = id;
    b.unit_classes = std::move(classes);
    b.region = region;
    b.dimension = "spatial_layout";
    b.text = text;
    return b;
}

ActivityFacts project(const std::string& code, const std::optional<std::string>& scale = "new") {
    ActivityFacts f;
    f.activity = "construction";
    if (!code.empty()) {
        f.industry_codes = {code};
    }
    f.scale = scale;
    return f;
}

UnitRef unit(const std::string& code, const std::string& subzone) {
    return {code, subzone, "", {}};
}

// The finding on the clause whose text starts with `words`.
const ClauseFinding& on(const AccessAssessment& a, const std::string& words) {
    const auto it = std::find_if(a.findings.begin(), a.findings.end(),
                                 [&](const ClauseFinding& f) { return f.clause->clause.text.starts_with(words); });
    REQUIRE(it != a.findings.end());
    return *it;
}

const std::string key_unit = "ZH21021320002";
const std::string priority_unit = "ZH21021310001";
const std::string heavy = "禁止新建、扩建化工、电镀、印染等重污染项目。";

}  // namespace

TEST_CASE("a unit clause prohibits a chemical project: the class code under the division the clause names",
          "[conformity]") {
    const AccessBook book({unit_block(key_unit, "spatial_layout", "1." + heavy + "2.严格控制新建水泥、平板玻璃项目。")},
                          {}, catalog());
    const auto a = book.assess(unit(key_unit, "key"), project("C2614"));
    CHECK(a.outcome == AccessOutcome::prohibited);
    const auto& f = on(a, "禁止新建、扩建化工");
    CHECK(f.conformity == Conformity::violates);
    CHECK(f.finding == Finding::prohibits_project);
    CHECK(f.decisive);
    REQUIRE(a.deciding() == &f);
    CHECK(f.clause->key == key_unit + "/spatial_layout/1");
    CHECK(f.clause->list_id == key_unit);
    CHECK(f.clause->clause.dimension == Dimension::spatial_layout);
    // The cement clause governs another industry: met.
    CHECK(on(a, "严格控制新建水泥").conformity == Conformity::conforms);
    CHECK(on(a, "严格控制新建水泥").finding == Finding::other_industry);
    CHECK(a.count(Conformity::violates) == 1);
    CHECK(a.count(Conformity::conforms) == 1);
}

TEST_CASE("new against expansion: a clause on new projects does not concern an expansion", "[conformity]") {
    const AccessBook book({unit_block(key_unit, "spatial_layout", "禁止新建化工项目。")}, {}, catalog());
    CHECK(book.assess(unit(key_unit, "key"), project("C2614", "new")).outcome == AccessOutcome::prohibited);
    const auto expansion = book.assess(unit(key_unit, "key"), project("C2614", "expansion"));
    CHECK(expansion.outcome == AccessOutcome::conforms);
    CHECK(expansion.findings.at(0).conformity == Conformity::not_concerned);
    CHECK(expansion.findings.at(0).finding == Finding::other_scale);
    // Without a scale the clause cannot be decided: a person must, and the unit says so.
    const auto unknown = book.assess(unit(key_unit, "key"), project("C2614", std::nullopt));
    CHECK(unknown.outcome == AccessOutcome::needs_judgement);
    CHECK(unknown.findings.at(0).finding == Finding::scale_not_given);
    // 新建、扩建 reaches both.
    const AccessBook both({unit_block(key_unit, "spatial_layout", heavy)}, {}, catalog());
    CHECK(both.assess(unit(key_unit, "key"), project("C2614", "expansion")).outcome == AccessOutcome::prohibited);
    CHECK(both.assess(unit(key_unit, "key"), project("C2614", "reconstruction")).outcome == AccessOutcome::conforms);
}

TEST_CASE("a general list reaches the units of its classes and region, and only those", "[conformity]") {
    const AccessBook book({general_block("大连市总体准入要求", {"key", "general"}, "2102", "禁止新建燃煤发电项目。")},
                          {}, catalog());
    // D4411 (thermal power) is coarser than what 燃煤发电 names: a person decides.
    const auto coal = book.assess(unit(key_unit, "key"), project("D4411"));
    CHECK(coal.outcome == AccessOutcome::needs_judgement);
    CHECK(coal.findings.at(0).clause->scope == AccessListScope::general);
    CHECK(coal.findings.at(0).finding == Finding::industry_uncertain);

    const AccessBook steel({general_block("大连市总体准入要求", {"key", "general"}, "2102", "禁止新建钢铁项目。")}, {},
                           catalog());
    CHECK(steel.assess(unit(key_unit, "key"), project("C3120")).outcome == AccessOutcome::prohibited);
    // Another class, another city: the list is not theirs.
    CHECK(steel.assess(unit(priority_unit, "priority"), project("C3120")).findings.empty());
    CHECK(steel.assess(unit("ZH21030220001", "key"), project("C3120")).findings.empty());
    CHECK(steel.assess(unit("ZH21030220001", "key"), project("C3120")).outcome == AccessOutcome::none);
}

TEST_CASE("an industry neither list names conforms, every clause still listed", "[conformity]") {
    const AccessBook book({unit_block(key_unit, "spatial_layout", "禁止新建化工项目。"),
                           general_block("辽宁省总体准入要求", {}, "21", "禁止新建钢铁项目。")},
                          {}, catalog());
    const auto a = book.assess(unit(key_unit, "key"), project("C3921"));  // communication equipment
    CHECK(a.outcome == AccessOutcome::conforms);
    REQUIRE(a.findings.size() == 2);
    CHECK(a.findings[0].clause->scope == AccessListScope::unit);  // the unit's own list first
    CHECK(a.findings[1].clause->scope == AccessListScope::general);
    for (const auto& f : a.findings) {
        CHECK(f.conformity == Conformity::conforms);
        CHECK(f.finding == Finding::other_industry);
    }
    CHECK(a.deciding() == nullptr);
}

TEST_CASE("a division-level project against a class-level clause needs judgement", "[conformity]") {
    const AccessBook book({unit_block(key_unit, "spatial_layout", "禁止新建有机化学原料制造项目。")}, {}, catalog());
    const auto a = book.assess(unit(key_unit, "key"), project("C26"));
    CHECK(a.findings.at(0).finding == Finding::industry_uncertain);
    CHECK(a.outcome == AccessOutcome::needs_judgement);
    CHECK(book.assess(unit(key_unit, "key"), project("C2614")).outcome == AccessOutcome::prohibited);
}

TEST_CASE("exceptions, open lists and categories", "[conformity]") {
    const AccessBook book({unit_block(key_unit, "spatial_layout", "1.禁止新建制革项目（毛皮鞣制除外）。2." + heavy)},
                          {}, catalog());
    const auto fur = book.assess(unit(key_unit, "key"), project("C1931"));
    CHECK(on(fur, "禁止新建制革").finding == Finding::excepted_industry);
    CHECK(on(fur, "禁止新建制革").conformity == Conformity::conforms);
    const auto leather = book.assess(unit(key_unit, "key"), project("C1910"));
    CHECK(on(leather, "禁止新建制革").conformity == Conformity::violates);
    // Cement is not listed, but might be 重污染: the open list's category is for a person.
    const auto cement = book.assess(unit(key_unit, "key"), project("C3011"));
    CHECK(on(cement, "禁止新建、扩建化工").finding == Finding::industry_uncertain);
    CHECK(on(cement, "禁止新建、扩建化工").decisive);
}

TEST_CASE("no industry given: clauses naming industries need judgement, clauses on every project decide",
          "[conformity]") {
    const AccessBook book({unit_block(priority_unit, "spatial_layout", "1.禁止新建化工项目。2.禁止新建任何建设项目。")},
                          {}, catalog());
    const auto a = book.assess(unit(priority_unit, "priority"), project(""));
    CHECK(on(a, "禁止新建化工").finding == Finding::industry_not_given);
    CHECK(on(a, "禁止新建任何").conformity == Conformity::violates);
    CHECK(a.outcome == AccessOutcome::prohibited);
}

TEST_CASE("outfall clauses are held against outfalls, project clauses against projects", "[conformity]") {
    const AccessBook book({unit_block(key_unit, "pollutant_discharge", "1.禁止新设入河排污口。2.禁止新建化工项目。")},
                          {}, catalog());
    ActivityFacts outfall;
    outfall.activity = "outfall-new";
    outfall.receiving_water = "river";
    const auto river = book.assess(unit(key_unit, "key"), outfall);
    CHECK(on(river, "禁止新设入河").conformity == Conformity::violates);
    CHECK(on(river, "禁止新建化工").finding == Finding::projects_only);
    CHECK(river.outcome == AccessOutcome::prohibited);

    outfall.receiving_water = "sea";
    CHECK(on(book.assess(unit(key_unit, "key"), outfall), "禁止新设入河").finding == Finding::other_outfalls);
    outfall.receiving_water.reset();
    CHECK(on(book.assess(unit(key_unit, "key"), outfall), "禁止新设入河").finding == Finding::outfall_not_described);
    outfall.activity = "outfall-existing";
    outfall.receiving_water = "river";
    CHECK(on(book.assess(unit(key_unit, "key"), outfall), "禁止新设入河").finding == Finding::other_scale);

    const auto building = book.assess(unit(key_unit, "key"), project("C3921"));
    CHECK(on(building, "禁止新设入河").finding == Finding::outfalls_only);
}

TEST_CASE("requirements and encouragements do not weigh on the verdict", "[conformity]") {
    const AccessBook book({unit_block(key_unit, "environmental_risk", "化工企业应当编制突发环境事件应急预案。"),
                           unit_block(key_unit, "resource_efficiency", "鼓励发展化工新材料项目。")},
                          {}, catalog());
    const auto a = book.assess(unit(key_unit, "key"), project("C2614"));
    CHECK(on(a, "化工企业应当").finding == Finding::requirement);
    CHECK_FALSE(on(a, "化工企业应当").decisive);
    CHECK(a.outcome == AccessOutcome::conforms);
    const auto other = book.assess(unit(key_unit, "key"), project("C3921"));
    CHECK(on(other, "化工企业应当").conformity == Conformity::not_concerned);
}

TEST_CASE("a clause the reader could not structure is never decided by machine", "[conformity]") {
    const AccessBook book(
        {unit_block(key_unit, "spatial_layout",
                    "1.禁止新建重污染项目。2.在工业园区外禁止新建化工项目。3.执行大连市总体准入要求。")},
        {}, catalog());
    const auto a = book.assess(unit(key_unit, "key"), project("C3921"));
    CHECK(on(a, "禁止新建重污染").finding == Finding::reader_judgement);
    CHECK(on(a, "禁止新建重污染").reader_reason == Reason::undefined_category);
    // A condition only narrows: an industry the clause does not name is out of it anyway.
    CHECK(on(a, "在工业园区外").conformity == Conformity::conforms);
    // The general requirements are not in this workspace: a person reads them.
    CHECK(on(a, "执行大连市").reader_reason == Reason::reference);
    CHECK(a.outcome == AccessOutcome::needs_judgement);
    // A chemical project: the condition (inside or outside the park) needs a person.
    CHECK(on(book.assess(unit(key_unit, "key"), project("C2614")), "在工业园区外").finding ==
          Finding::reader_judgement);
}

TEST_CASE("a unit's own list comes from its attributes where none is imported", "[conformity]") {
    const AccessBook book({}, {}, catalog());
    UnitRef u = unit(key_unit, "key");
    u.attribute_texts["spatial_layout"] = heavy;
    const auto a = book.assess(u, project("C2614"));
    CHECK(a.outcome == AccessOutcome::prohibited);
    CHECK(a.findings.at(0).clause->from_attributes);
    // An imported list replaces the attributes.
    const AccessBook imported({unit_block(key_unit, "spatial_layout", "禁止新建钢铁项目。")}, {}, catalog());
    const auto b = imported.assess(u, project("C2614"));
    CHECK(b.outcome == AccessOutcome::conforms);
    CHECK_FALSE(b.findings.at(0).clause->from_attributes);
}

TEST_CASE("reviews: a correction is used as given, a confirmation is recorded, a changed text drops both",
          "[conformity]") {
    const std::string text = "禁止新建重污染项目。";
    const auto read = read_listed_clauses(unit_block(key_unit, "spatial_layout", text), *catalog(), {});
    REQUIRE(read.size() == 1);
    ClauseReview corrected;
    corrected.scope = AccessListScope::unit;
    corrected.list_id = key_unit;
    corrected.dimension = "spatial_layout";
    corrected.clause_digest = read[0].digest;
    corrected.state = ClauseReviewState::corrected;
    corrected.structure_json = R"({"action": "prohibit", "scales": ["new"], "industries": ["化工", "C3360"]})";
    corrected.author = "张工";
    corrected.version = 7;
    const AccessBook book({unit_block(key_unit, "spatial_layout", text)}, {corrected}, catalog());
    const auto a = book.assess(unit(key_unit, "key"), project("C2614"));
    CHECK(a.outcome == AccessOutcome::prohibited);
    CHECK(a.findings.at(0).clause->review == ClauseReviewState::corrected);
    CHECK(a.findings.at(0).clause->reviewer == "张工");
    CHECK(a.findings.at(0).clause->clause.text == text);  // the words stay
    CHECK(book.assess(unit(key_unit, "key"), project("C3921")).outcome == AccessOutcome::conforms);

    // The list re-imported with other words: the review no longer applies.
    const AccessBook changed({unit_block(key_unit, "spatial_layout", "禁止新建重污染企业。")}, {corrected}, catalog());
    const auto c = changed.assess(unit(key_unit, "key"), project("C2614"));
    CHECK_FALSE(c.findings.at(0).clause->review.has_value());
    CHECK(c.outcome == AccessOutcome::needs_judgement);
}

TEST_CASE("clause structures read back as written, and bad corrections are refused by name", "[conformity]") {
    const auto read = read_clauses("禁止新建、扩建制革项目（毛皮鞣制除外）。", *catalog());
    REQUIRE(read.size() == 1);
    const std::string json = structure_json(read[0], *catalog());
    Clause again = read[0];
    apply_structure(again, json, *catalog());
    CHECK(again.action == read[0].action);
    CHECK(again.scales == read[0].scales);
    REQUIRE(again.industries.size() == read[0].industries.size());
    CHECK(again.industries[0].match.codes == read[0].industries[0].match.codes);
    REQUIRE(again.exceptions.size() == 1);
    CHECK(again.exceptions[0].industries.at(0).match.codes == read[0].exceptions[0].industries.at(0).match.codes);
    CHECK(again.text == read[0].text);

    Clause c = read[0];
    const auto refused = [&](const std::string& structure, const std::string& key) {
        try {
            apply_structure(c, structure, *catalog());
        } catch (const UsageError& e) {
            return e.message().code() == "access.structure_invalid" &&
                   e.message().text(Language::en).find(key) != std::string::npos;
        }
        return false;
    };
    CHECK(refused("[1]", "structure"));
    CHECK(refused(R"({"scales": ["new"]})", "action"));
    CHECK(refused(R"({"action": "forbid", "all_industries": true})", "action"));
    CHECK(refused(R"({"action": "prohibit", "scales": ["newly"], "all_industries": true})", "scales"));
    CHECK(refused(R"({"action": "prohibit", "industries": ["化公"]})", "industries"));
    CHECK(refused(R"({"action": "prohibit", "industries": ["重污染"]})", "industries"));
    CHECK(refused(R"({"action": "prohibit"})", "industries"));
    CHECK(refused(R"({"action": "prohibit", "all_industries": true, "colour": "red"})", "colour"));
    CHECK(c.text == read[0].text);  // nothing changed by a refused correction
    CHECK(c.action == read[0].action);
}

TEST_CASE("a category without fixed membership cannot reach a project outside its bounds", "[conformity]") {
    const AccessBook book(
        {unit_block(key_unit, "spatial_layout",
                    "1.禁止新建重污染项目。2.禁止新建、扩建钢铁、水泥熟料、平板玻璃、电解铝等产能过剩行业项目。")},
        {}, catalog());
    // A research centre is neither 重污染 nor of an overcapacity industry.
    const auto research = book.assess(unit(key_unit, "key"), project("M7310"));
    CHECK(on(research, "禁止新建重污染").conformity == Conformity::conforms);
    CHECK(on(research, "禁止新建、扩建钢铁").conformity == Conformity::conforms);
    CHECK(research.outcome == AccessOutcome::conforms);
    // A chemical plant may be either: a person decides.
    const auto chemical = book.assess(unit(key_unit, "key"), project("C2614"));
    CHECK(on(chemical, "禁止新建重污染").finding == Finding::reader_judgement);
    CHECK(on(chemical, "禁止新建、扩建钢铁").finding == Finding::industry_uncertain);
    CHECK(chemical.outcome == AccessOutcome::needs_judgement);
    // Livestock farming counts among 重污染 in some lists: inside the bounds.
    CHECK(on(book.assess(unit(key_unit, "key"), project("A0313")), "禁止新建重污染").conformity ==
          Conformity::needs_judgement);
}
