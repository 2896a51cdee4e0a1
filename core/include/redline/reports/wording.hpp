// The words the reports use for screening results, for every driver that shows them (the
// CLI's table and report, the viewer's screening panel, the server): one wording, chosen
// where it is written.
#pragma once

#include "redline/reports/report.hpp"

#include <string>
#include <vector>

namespace redline {

const char* relation_label(Relation relation, Language language);  // 位于其内, ... or within, ...
// A footprint's verdict, or unchecked when it was not fully screened: never "clear" then.
const char* footprint_verdict_name(const FootprintResult& footprint);                      // ..., unchecked
const char* footprint_verdict_label(const FootprintResult& footprint, Language language);  // ..., 未核查
// How many footprints were not fully screened.
std::size_t unchecked_count(const CheckRun& run);
std::string kind_label(const SchemaSet& schemas, const std::string& kind, Language language);
std::string subzone_label(const SchemaSet& schemas, const std::string& kind, const std::string& subzone,
                          Language language);
// A hit's sub-zone as the law of the legal date names it, with what the store or the source
// called it where that differs: 核心保护区（原数据：缓冲区）, 缓冲区（现为：核心保护区）.
std::string hit_subzone_label(const SchemaSet& schemas, const Hit& hit, Language language);
// A rule's basis on the legal date, marked 待核实 where the rule or a provision it cites was
// not checked against the text.
std::string applied_basis_text(const AppliedRule& applied, const RuleSet& rules, Language language);
// The text in the language, falling back to Chinese where no English is given.
const std::string& pick(Language language, const std::string& zh, const std::string& en);

struct AccessItem {
    std::string dimension, label, text;
};
// A 三线一单 unit's access list: the zone attributes the kind's schema groups as such.
std::vector<AccessItem> access_list(const SchemaSet& schemas, const Hit& hit, Language language);

// The conformity table (相符性分析) of a unit's access lists: one row per clause.
struct ConformityRow {
    std::string list;        // 单元清单 ZH21021320001 / 总体准入要求 大连市（...）
    std::string dimension;   // 空间布局约束 ...
    std::string clause;      // label and verbatim text
    std::string conformity;  // 符合 / 不符合 / 不涉及 / 需人工判断
    std::string reason;
    std::string review;  // 已确认 / 已更正 / 机读（未复核）
    access::Conformity value = access::Conformity::not_concerned;
    bool decisive = false;
};
// The list a clause comes from: 单元清单 ZH21021320002（单元属性） / 总体准入要求 DL-ZT-2024（title）.
std::string access_list_label(const access::ListedClause& clause, Language language);
// Whether a person reviewed the clause: 机读，未复核 / 已更正 李工（版本 8）.
std::string clause_review_label(const access::ListedClause& clause, Language language);
std::vector<ConformityRow> conformity_rows(const access::AccessAssessment& assessment, Language language);
// One line for the clause that decides a unit's outcome: 〔不符合〕ZH…/spatial_layout/1 禁止新建…：reason.
std::string deciding_clause_text(const access::AccessAssessment& assessment, Language language);
// 不符合 1 · 需人工判断 2 · 符合 3 · 不涉及 4
std::string conformity_counts_text(const access::AccessAssessment& assessment, Language language);

// An assumption in the report's language: 未说明“是否排污”，按“是”处理. With the facts, an
// industry given as codes that fall under no single category says so instead of 未说明.
std::string describe(const Assumption& assumption, const FactVocabulary& vocabulary, Language language,
                     const ActivityFacts* facts = nullptr);

}  // namespace redline
