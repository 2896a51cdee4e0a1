// The industry vocabulary: GB/T 4754-2017 as data (every code well formed under a listed
// parent, every name unique), resolution of codes and names as users and lists write
// them, covering down the hierarchy, close names for unknown ones, and the old facts
// values mapped to codes so the rules keyed on them keep working.
#include "redline/errors.hpp"
#include "redline/model/industries.hpp"
#include "redline/model/rules.hpp"
#include "test_support.hpp"

#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>

using namespace redline;

namespace {

const IndustryCatalog& catalog() {
    static const IndustryCatalog c = IndustryCatalog::load(test::layers_dir);
    return c;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// The message a failed resolution gives.
Message failure_of(const std::string& text) {
    try {
        catalog().resolve(text);
    } catch (const UsageError& e) {
        return e.message();
    }
    FAIL("'" << text << "' resolved");
    return {};
}

std::string arg(const Message& m, const std::string& name) {
    const auto* v = m.arg(name);
    return v == nullptr ? "" : v->words();
}

}  // namespace

TEST_CASE("the standard's file: 20 sections, 97 divisions, codes well formed under listed parents", "[industries]") {
    // Read the file as it is written, without the catalog, so the check does not rest on
    // the code it checks.
    const auto root =
        toml::parse_file((std::filesystem::path(test::layers_dir) / "industries/gbt4754_2017.toml").string());
    std::map<std::string, std::string> section_of;  // division -> letter
    std::set<std::string> codes;                    // without letters, and the letters
    const auto* sections = root["sections"].as_table();
    REQUIRE(sections != nullptr);
    CHECK(sections->size() == 20);
    for (const auto& [key, node] : *sections) {
        const std::string letter(key.str());
        CHECK(std::regex_match(letter, std::regex("[A-T]")));
        codes.insert(letter);
        const auto* range = node.as_table()->get("divisions")->as_array();
        REQUIRE(range != nullptr);
        const int first = std::stoi(*range->get(0)->value<std::string>());
        const int last = std::stoi(*range->get(1)->value<std::string>());
        for (int d = first; d <= last; ++d) {
            const std::string division = (d < 10 ? "0" : "") + std::to_string(d);
            CHECK(section_of.emplace(division, letter).second);
        }
    }
    CHECK(section_of.size() == 97);
    CHECK(section_of.begin()->first == "01");
    CHECK(section_of.rbegin()->first == "97");

    std::map<std::string, std::string> names;  // name -> full code
    std::map<std::string, int> children;
    for (const auto& [table, digits] : {std::pair{"divisions", 2}, std::pair{"groups", 3}, std::pair{"classes", 4}}) {
        const auto* entries = root[table].as_table();
        REQUIRE(entries != nullptr);
        for (const auto& [key, node] : *entries) {
            const std::string code(key.str());
            INFO(table << " " << code);
            REQUIRE(std::regex_match(code, std::regex("[0-9]{" + std::to_string(digits) + "}")));
            REQUIRE(section_of.contains(code.substr(0, 2)));
            const std::string parent = digits == 2 ? section_of.at(code) : code.substr(0, code.size() - 1);
            CHECK(codes.contains(parent));  // the prefix is listed (tables are read in order)
            codes.insert(code);
            ++children[parent];
            const auto zh =
                node.is_table() ? node.as_table()->get("zh")->value<std::string>() : node.value<std::string>();
            REQUIRE(zh);
            CHECK(!zh->empty());
        }
    }
    CHECK(std::count_if(codes.begin(), codes.end(), [](const std::string& c) { return c.size() == 2; }) == 97);

    // Names unique, except an only child sharing its parent's name (单一小类的中类, 单一大类的门类).
    for (const Industry& entry : catalog().entries()) {
        const auto [it, inserted] = names.emplace(entry.name_zh, entry.code);
        if (!inserted) {
            INFO(entry.name_zh << ": " << it->second << " and " << entry.code);
            const std::string& broader = it->second;
            CHECK(IndustryCatalog::covers(broader, entry.code));
            std::string up = entry.code;
            while (up != broader) {
                const std::string parent = up.size() == 3 ? up.substr(0, 1) : up.substr(0, up.size() - 1);
                const std::string parent_digits = parent.size() == 1 ? parent : parent.substr(1);
                CHECK(children[parent_digits] == 1);
                up = parent;
            }
        }
    }
}

TEST_CASE("the catalog's entries carry levels and names in both languages for sections and divisions", "[industries]") {
    const auto& c = catalog();
    CHECK(c.edition() == "GB/T 4754-2017");
    int sections = 0, divisions = 0;
    for (const Industry& entry : c.entries()) {
        INFO(entry.code);
        CHECK(std::regex_match(entry.code, std::regex("[A-T]([0-9]{2,4})?")));
        CHECK(entry.listed);
        if (entry.level == IndustryLevel::section || entry.level == IndustryLevel::division) {
            CHECK(!entry.name_en.empty());
            sections += entry.level == IndustryLevel::section;
            divisions += entry.level == IndustryLevel::division;
        }
    }
    CHECK(sections == 20);
    CHECK(divisions == 97);
    CHECK(c.name("C26", Language::zh) == "化学原料和化学制品制造业");
    CHECK(c.name("C26", Language::en) == "Manufacture of raw chemical materials and chemical products");
    CHECK(c.name("C3360", Language::zh) == "金属表面处理及热处理加工");
    CHECK(c.name("D4412", Language::zh) == "热电联产");
    CHECK(c.name("D4610", Language::zh) == "自来水生产和供应");
    CHECK(c.name("N77", Language::zh) == "生态保护和环境治理业");
    CHECK(c.name("C1910", Language::en) == "Tanning of leather");
    CHECK(c.name("C2231", Language::en) == "纸和纸板容器制造");  // no English: Chinese
    CHECK(c.name("C3499", Language::zh).empty());                // not listed
}

TEST_CASE("codes resolve as users type them: with or without the letter, any level, full-width", "[industries]") {
    const auto& c = catalog();
    for (const auto& [text, code] : std::vector<std::pair<std::string, std::string>>{{"C2614", "C2614"},
                                                                                     {"2614", "C2614"},
                                                                                     {"c2614", "C2614"},
                                                                                     {"Ｃ２６１４", "C2614"},
                                                                                     {"  C26 ", "C26"},
                                                                                     {"26", "C26"},
                                                                                     {"C261", "C261"},
                                                                                     {"C", "C"},
                                                                                     {"d4412", "D4412"},
                                                                                     {"0711", "B0711"},
                                                                                     {"　４６１０　", "D4610"}}) {
        INFO(text);
        const IndustryMatch m = c.resolve(text);
        CHECK(m.by == IndustryMatch::By::code);
        CHECK(m.codes == std::vector<std::string>{code});
    }
    CHECK(c.find("C2614")->level == IndustryLevel::class_);
    CHECK(c.find("C26")->level == IndustryLevel::division);
    CHECK(c.find("C261")->level == IndustryLevel::group);
    CHECK(c.find("C")->level == IndustryLevel::section);
    // A division whose entries are not all listed accepts a well-formed code by prefix;
    // a complete division or a listed group does not.
    REQUIRE(c.find("C3499"));
    CHECK_FALSE(c.find("C3499")->listed);
    CHECK(c.resolve("3499").codes == std::vector<std::string>{"C3499"});
    CHECK_FALSE(c.find("C2698"));
    CHECK_FALSE(c.find("C1359"));          // group 135 lists its classes
    CHECK(c.find("C1399"));                // group 139 is not listed, division 13 not complete
    CHECK_FALSE(c.canonical_code("C01"));  // division 01 is in section A
    CHECK_FALSE(c.canonical_code("98"));
    CHECK_FALSE(c.canonical_code("C2"));
}

TEST_CASE("names resolve: official, common (with 项目/企业 and full-width), old facts values", "[industries]") {
    const auto& c = catalog();
    const IndustryMatch official = c.resolve("有机化学原料制造");
    CHECK(official.by == IndustryMatch::By::official_name);
    CHECK(official.codes == std::vector<std::string>{"C2614"});
    CHECK(c.resolve("化学原料和化学制品制造业").codes == std::vector<std::string>{"C26"});
    CHECK(c.resolve("教育").codes == std::vector<std::string>{"P"});  // a section and its only division share the name

    const IndustryMatch chemical = c.resolve("化工");
    CHECK(chemical.by == IndustryMatch::By::common_name);
    CHECK(chemical.id == "chemical");
    CHECK(chemical.codes == std::vector<std::string>{"C26"});
    CHECK(c.resolve("化工项目").id == "chemical");
    CHECK(c.resolve("　化工企业 ").id == "chemical");
    CHECK(c.resolve("“两高”").id == "two-highs");
    CHECK(c.resolve("两高").judgement);
    CHECK(c.resolve("两高").codes.empty());
    CHECK(sorted(c.resolve("印染").codes) ==
          std::vector<std::string>{"C1713", "C1723", "C1733", "C1743", "C1752", "C1762"});
    CHECK(c.resolve("电镀").partial);
    CHECK(c.resolve("焦化").codes == std::vector<std::string>{"C2521"});
    CHECK(sorted(c.resolve("火电").codes) == std::vector<std::string>{"D4411", "D4412"});
    CHECK(c.resolve("水泥").codes == std::vector<std::string>{"C3011"});
    CHECK(c.resolve("平板玻璃").codes == std::vector<std::string>{"C3041"});
    CHECK(c.resolve("钢铁").codes == std::vector<std::string>{"C31"});
    // 造纸 is also the official name of group C222; lists mean pulp and paper, on purpose.
    CHECK(sorted(c.resolve("造纸").codes) == std::vector<std::string>{"C221", "C222"});
    CHECK(c.resolve("造纸和纸制品业").codes == std::vector<std::string>{"C22"});
    CHECK(c.resolve("非金属矿物制品项目").codes == std::vector<std::string>{"C30"});  // 非金属矿物制品业

    const IndustryMatch old = c.resolve("chemical");
    CHECK(old.by == IndustryMatch::By::fact_value);
    CHECK(old.codes == std::vector<std::string>{"C26"});
}

TEST_CASE("a class is covered by its group, division and section, and by nothing narrower", "[industries]") {
    const auto& c = catalog();
    CHECK(IndustryCatalog::covers("C2614", "C2614"));
    CHECK(IndustryCatalog::covers("C261", "C2614"));
    CHECK(IndustryCatalog::covers("C26", "C2614"));
    CHECK(IndustryCatalog::covers("C", "C2614"));
    CHECK_FALSE(IndustryCatalog::covers("C2614", "C26"));
    CHECK_FALSE(IndustryCatalog::covers("C27", "C2614"));
    CHECK_FALSE(IndustryCatalog::covers("D", "C2614"));

    const IndustryMatch chemical = c.resolve("化工");
    CHECK(c.coverage(chemical, "C2614") == IndustryCoverage::yes);
    CHECK(c.coverage(chemical, "C26") == IndustryCoverage::yes);
    CHECK(c.coverage(chemical, "C2710") == IndustryCoverage::arguable);  // chemical APIs: some lists count them
    CHECK(c.coverage(chemical, "C3011") == IndustryCoverage::no);
    CHECK(c.coverage(chemical, "C") == IndustryCoverage::arguable);  // a project known only as 制造业 may be chemical
    CHECK(c.coverage(c.resolve("电镀"), "C3360") == IndustryCoverage::arguable);  // C3360 also holds heat treatment
    CHECK(c.coverage(c.resolve("重污染"), "C2614") == IndustryCoverage::arguable);
    CHECK(c.coverage(c.resolve("C26"), "C2614") == IndustryCoverage::yes);
    // A project given by the same name as the clause is covered; by several codes only
    // when all agree.
    CHECK(c.coverage(c.resolve("电镀"), c.resolve("电镀")) == IndustryCoverage::yes);
    CHECK(c.coverage(chemical, c.resolve("C2614")) == IndustryCoverage::yes);
    CHECK(c.coverage(c.resolve("C222"), c.resolve("造纸")) == IndustryCoverage::arguable);
    CHECK(c.coverage(c.resolve("C22"), c.resolve("造纸")) == IndustryCoverage::yes);
    CHECK(c.coverage(c.resolve("水泥"), c.resolve("造纸")) == IndustryCoverage::no);
}

TEST_CASE("an unknown name is an error that names close ones, by characters, Chinese too", "[industries]") {
    const Message near_chemical = failure_of("化工原料");
    CHECK(near_chemical.code() == "industries.unknown_name");
    CHECK_THAT(arg(near_chemical, "close"), Catch::Contains("化工"));
    CHECK_THAT(near_chemical.text(Language::zh), Catch::Contains("化工原料") && Catch::Contains("相近的有"));
    CHECK_THAT(near_chemical.text(Language::en), Catch::Contains("close ones"));

    CHECK_THAT(arg(failure_of("涂漆"), "close"), Catch::Contains("涂料"));
    CHECK_THAT(arg(failure_of("电渡"), "close"), Catch::Contains("电镀"));  // one character wrong
    CHECK_THAT(arg(failure_of("印染厂房"), "close"), Catch::Contains("印染"));
    CHECK_THAT(arg(failure_of("chemicals"), "close"), Catch::Contains("chemical"));
    CHECK(failure_of("qqqq").code() == "industries.unknown_name_none_close");
    CHECK(failure_of("  ").code() == "industries.empty");

    const Message code = failure_of("C2698");
    CHECK(code.code() == "industries.unknown_code");
    CHECK_THAT(arg(code, "close"), Catch::Contains("C261 基础化学原料制造"));
    CHECK(failure_of("C01").code() == "industries.not_a_code");
    CHECK(failure_of("9999").code() == "industries.not_a_code");
    CHECK_FALSE(catalog().try_resolve("化工原料"));
}

TEST_CASE("every old facts.toml industry value maps to codes, and codes map back to them", "[industries]") {
    const auto& c = catalog();
    const FactVocabulary facts = FactVocabulary::load(test::layers_dir);
    for (const auto& value : facts.values("industry")) {
        INFO(value);
        CHECK(c.fact_value(value).has_value());
    }
    CHECK(c.fact_values().size() == facts.values("industry").size());

    auto certain = [&](const std::string& code) { return sorted(c.fact_values_of(code).certain); };
    auto arguable = [&](const std::string& code) { return sorted(c.fact_values_of(code).arguable); };
    CHECK(certain("C2614") == std::vector<std::string>{"chemical"});
    CHECK(arguable("C2614") == std::vector<std::string>{"petrochemical"});  // also coal- and bio-based
    CHECK(arguable("C2682") == std::vector<std::string>{"chemical"});       // cosmetics: 化工 or not
    CHECK(certain("C2511") == std::vector<std::string>{"petrochemical"});
    CHECK(certain("C2710") == std::vector<std::string>{"pharmaceutical"});
    CHECK(arguable("C2710") == std::vector<std::string>{"chemical"});
    CHECK(certain("C1762") == std::vector<std::string>{"dyeing"});
    CHECK(certain("C1910") == std::vector<std::string>{"tanning"});
    CHECK(certain("C3360").empty());  // electroplating is part of C3360: stays unknown
    CHECK(arguable("C3360") == std::vector<std::string>{"electroplating"});
    CHECK(certain("C2221") == std::vector<std::string>{"papermaking"});
    CHECK(certain("C3120") == std::vector<std::string>{"smelting"});
    CHECK(certain("C3212") == std::vector<std::string>{"smelting"});
    CHECK(certain("C3252").empty());  // aluminium rolling is not smelting
    CHECK(certain("D4610") == std::vector<std::string>{"water-supply"});
    CHECK(arguable("N7630") == std::vector<std::string>{"water-supply"});
    CHECK(certain("N7721").empty());
    CHECK(arguable("N7721") == std::vector<std::string>{"water-protection"});
    CHECK(certain("K7010") == std::vector<std::string>{"other"});
    CHECK(certain("G5942").empty());
    CHECK(arguable("G5942") == std::vector<std::string>{"other"});
    // Manufacturing outside the old values maps to none: the rules state their assumption.
    CHECK(certain("C3011").empty());
    CHECK(arguable("C3011").empty());
}

TEST_CASE("a broken industry file is refused with every problem and its file and line", "[industries]") {
    test::ScratchDir dir("industries-broken");
    std::filesystem::create_directories(dir.path() / "industries");
    const auto source = std::filesystem::path(test::layers_dir) / "industries";
    std::string standard = test::read_file(source / "gbt4754_2017.toml");
    std::string names = test::read_file(source / "common_names.toml");
    // A class under a group that is not listed, a name used twice, a reference to no code.
    standard.replace(standard.find("\"2614\" = {"), 0, "\"2698\" = \"有机化学原料制造\"\n\"2699\" = \"无此中类\"\n");
    names.replace(names.find("codes = [\"C26\"]"), 15, "codes = [\"C2697\"]");
    std::ofstream(dir.path() / "industries/gbt4754_2017.toml") << standard;
    std::ofstream(dir.path() / "industries/common_names.toml") << names;
    try {
        IndustryCatalog::load(dir.path());
        FAIL("loaded");
    } catch (const DataError& e) {
        const std::string text = e.message().text(Language::en);
        CHECK(e.message().code() == "industries.problems");
        CHECK_THAT(text, Catch::Contains("gbt4754_2017.toml:") && Catch::Contains("the parent C269 of C2698"));
        CHECK_THAT(text, Catch::Contains("the name '有机化学原料制造' is used for C2698 and C2614"));
        CHECK_THAT(text, Catch::Contains("common_names.toml:") && Catch::Contains("C2697 in 'name.chemical.codes'"));
    }
    CHECK_THROWS_AS(IndustryCatalog::load(dir.path() / "none"), DataError);
}

TEST_CASE("facts: --industry takes a GB/T 4754 code or a name, an unknown one names close ones", "[industries]") {
    const FactVocabulary vocabulary = FactVocabulary::load(test::layers_dir);
    const auto given = [&](const std::string& text) { return vocabulary.from_options({{"industry", text}}); };

    // A class code, bare or with its section letter, or its official name: the code kept,
    // and the category the rules key on only where the code certainly falls under one.
    for (const char* text : {"C2614", "2614", "Ｃ２６１４", "有机化学原料制造"}) {
        const ActivityFacts facts = given(text);
        CHECK(facts.industry_codes == std::vector<std::string>{"C2614"});
        // Certainly chemical (C26), arguably petrochemical: the rules then state what they
        // assumed rather than take one reading.
        CHECK_FALSE(facts.industry.has_value());
        CHECK(facts.sources.at("industry").code() == "facts.from_option");
    }
    const ActivityFacts cement = given("C3011");
    CHECK(cement.industry_codes == std::vector<std::string>{"C3011"});
    CHECK(vocabulary.industry_codes_text(cement, Language::zh) == "C3011 水泥制造");
    const ActivityFacts water = given("D4610");
    CHECK(water.industry == std::optional<std::string>("water-supply"));

    // The old values and their aliases stay what they were: categories, no codes.
    CHECK(given("化工").industry == std::optional<std::string>("chemical"));
    CHECK(given("chemical").industry_codes.empty());

    // A category without a fixed list of codes: known, but neither codes nor a category.
    const ActivityFacts heavy = given("重污染");
    CHECK(heavy.industry_codes.empty());
    CHECK_FALSE(heavy.industry.has_value());

    // Unknown: the catalog's error, with the names close to it.
    try {
        given("电渡");
        FAIL("an unknown industry name was taken");
    } catch (const UsageError& e) {
        CHECK(e.message().code() == "industries.unknown_name");
        CHECK_THAT(e.message().text(Language::zh), Catch::Contains("电镀"));
    }
    CHECK_THROWS_AS(given("C9999"), UsageError);

    // From a footprint's attribute: the same reading, an unknown value a warning.
    std::vector<Message> warnings;
    const ActivityFacts from_field = vocabulary.from_attributes({{"行业", "C2614"}}, ActivityFacts{}, warnings);
    CHECK(from_field.industry_codes == std::vector<std::string>{"C2614"});
    CHECK(warnings.empty());
    vocabulary.from_attributes({{"行业", "电渡"}}, ActivityFacts{}, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].code() == "facts.attribute_unknown_value");
}
