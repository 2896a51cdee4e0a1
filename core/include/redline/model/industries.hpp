// Industries as a vocabulary: GB/T 4754-2017 国民经济行业分类 codes and names, the common
// names access lists use (化工, 电镀, 制浆造纸 ...), and the old `--industry` values of
// layers/facts.toml, all as data in layers/industries/. A project is given by a code or a
// name; a clause names industries by code, official name or common name; `coverage` says
// whether what a clause names reaches a project's code.
//
// Codes are written with their section letter: "C" (section), "C26" (division), "C261"
// (group), "C2614" (class). A code covers itself and everything under it.
#pragma once

#include "redline/language.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redline {

enum class IndustryLevel { section, division, group, class_ };  // 门类, 大类, 中类, 小类
const char* industry_level_name(IndustryLevel level);           // section, division, group, class

struct Industry {
    std::string code;  // "C2614"
    IndustryLevel level = IndustryLevel::section;
    std::string name_zh;  // the standard's name; empty for an unlisted code
    std::string name_en;  // redline's translation; empty where there is none
    // False for a well-formed code under a division whose entries redline does not list
    // in full: accepted by its prefix, its name unknown.
    bool listed = true;
};

// A common name lists use, or an old facts.toml value, and the codes it stands for.
struct CommonIndustryName {
    std::string id;                     // "electroplating"; for an old facts value, the value
    std::vector<std::string> names;     // 电镀, 电镀加工 (empty for a facts value)
    std::vector<std::string> codes;     // certainly covered
    std::vector<std::string> arguable;  // covered or not depending on the list's reading
    bool partial = false;               // narrower than its codes: 电镀 is part of C3360
    bool judgement = false;             // no fixed membership (重污染, 两高): no codes
    // For a judgement category, where its members can only be: a project outside these codes
    // is certainly not of it (重污染 lies within mining, manufacturing, power, ...); empty: anywhere.
    std::vector<std::string> within;
    std::string note_zh, note_en;
};

// What a piece of text names.
struct IndustryMatch {
    enum class By { code, official_name, common_name, fact_value };
    By by = By::code;
    std::string id;  // the code (by code or official name), the common name's id, or the facts value
    std::vector<std::string> codes;
    std::vector<std::string> arguable;
    bool partial = false;
    bool judgement = false;
    std::vector<std::string> within;  // a judgement category's bounds (CommonIndustryName::within)
};

// How surely what a clause names reaches a project.
enum class IndustryCoverage { no, arguable, yes };
const char* industry_coverage_name(IndustryCoverage coverage);  // no, arguable, yes

// The old facts.toml industry values a project code falls under.
struct FactIndustryValues {
    std::vector<std::string> certain;   // rules keyed on these apply as stated
    std::vector<std::string> arguable;  // leave the fact unknown: rules then state their assumption
};

class IndustryCatalog {
public:
    // Reads <layers_dir>/industries/gbt4754_2017.toml and common_names.toml, checked (codes
    // well formed, every parent listed, sections spanning divisions 01-97, names unique,
    // common names referring to listed or prefix-valid codes); a DataError lists every
    // problem with its file. Parsed once per directory while the files are unchanged.
    static IndustryCatalog load(const std::filesystem::path& layers_dir);

    const std::string& edition() const;  // "GB/T 4754-2017"

    // A code in canonical form for user text ("2614", "c26", "Ｃ２６１４ ", "C" -> "C2614",
    // "C26", "C"), whether or not it is listed; nullopt when the text is not shaped like a
    // code of the standard (or names a division that does not exist, or puts it under
    // the wrong section letter).
    std::optional<std::string> canonical_code(std::string_view text) const;
    // The entry for a canonical code: listed, or accepted by prefix (listed = false) under
    // a division whose entries are not listed in full; nullopt when the standard has no
    // such code as far as the data can tell.
    std::optional<Industry> find(std::string_view code) const;
    // Every listed entry in code order.
    std::vector<Industry> entries() const;
    // The name in a language; English falls back to Chinese, an unlisted code gives "".
    std::string name(std::string_view code, Language language) const;

    // What a user's text names: a code (C2614, 2614, C26, C), an official name
    // (有机化学原料制造), a common name (化工, 化工项目), or an old facts value (chemical).
    // Matched after trimming, full-width folding, case folding, dropping quotes and
    // spaces, and, failing that, without a trailing 项目/企业/单位/行业/产业/类/厂/场/业 (or with
    // 业 for an official name: 非金属矿物制品项目 is 非金属矿物制品业). A UsageError
    // (industries.unknown_name / unknown_code) otherwise, naming close names or codes.
    IndustryMatch resolve(std::string_view text) const;
    // The same without the error: nullopt when nothing matches.
    std::optional<IndustryMatch> try_resolve(std::string_view text) const;
    // Up to `count` names close to the text (edit distance and shared characters, counted
    // in characters, so Chinese names compare by character), most similar first.
    std::vector<std::string> suggestions(std::string_view text, std::size_t count = 5) const;

    // The clause's code covers the project's: equal, or the project's lies under it (C26
    // covers C2614; C covers C26). Both canonical.
    static bool covers(std::string_view clause_code, std::string_view project_code);
    // How a match reaches a project code: yes (under one of its codes), arguable (under an
    // arguable code, a partial name's code, a judgement category within its bounds, or the project code is
    // coarser than the match's codes), or no.
    IndustryCoverage coverage(const IndustryMatch& match, std::string_view project_code) const;
    // How a match reaches a project given as a match: the same common name is yes;
    // otherwise yes or no only when every one of the project's codes agrees.
    IndustryCoverage coverage(const IndustryMatch& match, const IndustryMatch& project) const;

    const std::vector<CommonIndustryName>& common_names() const;
    const CommonIndustryName* common_name(std::string_view id) const;
    // Old facts.toml industry values (chemical, water-supply, other ...) and their codes.
    const std::vector<CommonIndustryName>& fact_values() const;
    std::optional<IndustryMatch> fact_value(std::string_view value) const;
    // The old values a project code falls under, so rules keyed on them keep working.
    FactIndustryValues fact_values_of(std::string_view project_code) const;

    struct Data;

private:
    std::shared_ptr<const Data> data_;
};

}  // namespace redline
