// Rules and verdicts: what the law says about a hit. Rules are data (layers/<kind>/rules.toml,
// local files with --rules); each names the zones, activities and facts it applies to, a
// verdict, and its legal basis period by period: the provisions it rests on while they are
// in force. A rule set is read for one legal date and applies the law of that day. The most
// severe verdict wins; every applicable rule is cited.
#pragma once

#include "redline/message.hpp"
#include "redline/model/industries.hpp"
#include "redline/model/law.hpp"
#include "redline/model/schema.hpp"
#include "redline/relation.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline {

// Most severe last, so that std::max picks the winner.
enum class Verdict { clear = 0, allowed = 1, conditional = 2, prohibited = 3 };
const char* verdict_name(Verdict verdict);
std::optional<Verdict> parse_verdict(const std::string& text);
// 禁止 / 有条件 / 允许 / 未涉及, or the English names.
const char* verdict_label(Verdict verdict, Language language);

// What is being screened. Every fact may be unknown; rules that depend on an unknown fact
// still apply, and say which assumption they made.
struct ActivityFacts {
    std::optional<std::string> activity;  // construction, linear, outfall-new, outfall-existing
    std::optional<std::string> industry;  // chemical, water-supply, ... (facts.toml)
    // GB/T 4754-2017 codes of the industry as given (a code such as C2614, or a name
    // layers/industries/ knows); `industry` is then the facts.toml value those codes
    // certainly fall under, or unknown when they fall under none or several.
    std::vector<std::string> industry_codes;
    std::optional<bool> discharges;              // the project discharges pollutants
    std::optional<std::string> outfall_type;     // industrial, municipal-sewage, agricultural, other
    std::optional<std::string> receiving_water;  // river, sea
    std::optional<bool> listed_activity;         // one of the limited activities allowed in a red line (142号)
    std::optional<std::string> scale;            // new, expansion, reconstruction (建设性质)
    // Per management unit, never given: what its access lists say of the other facts
    // (none, conforms, needs_judgement, restricted, prohibited), set by the screener.
    std::optional<std::string> access_list;
    std::map<std::string, Message> sources;  // fact -> where it came from (option, attribute, inferred)
};

// The vocabulary of facts: accepted values with their aliases, and the input attribute
// names that carry them. Loaded from layers/facts.toml.
class FactVocabulary {
public:
    static FactVocabulary load(const std::filesystem::path& layers_dir);
    // Canonical value for a fact ("activity", "industry", ...), or nullopt when unknown.
    std::optional<std::string> canonical(const std::string& fact, const std::string& value) const;
    std::optional<bool> boolean(const std::string& value) const;
    // The value whose longest alias of two or more characters occurs inside free text, e.g.
    // "城镇污水处理厂排污口（入海）" -> municipal-sewage for outfall_type, sea for receiving_water.
    std::optional<std::string> find_in(const std::string& fact, const std::string& text) const;
    const std::vector<std::string>& values(const std::string& fact) const;
    // Chinese names for reports: the first alias written in Chinese, else the id itself.
    std::string chinese_fact(const std::string& fact) const;                             // discharges -> 是否排污
    std::string chinese_value(const std::string& fact, const std::string& value) const;  // construction -> 建设项目
    // The industry codes of `facts` with their names ("C2614 有机化学原料制造"), joined; ""
    // when none were given.
    std::string industry_codes_text(const ActivityFacts& facts, Language language) const;
    // Facts given as options: {"activity": "线性工程", "discharges": "yes", ...}; the keys are
    // fact names, an unknown value is a UsageError naming the option (--outfall-type, ...).
    ActivityFacts from_options(const std::map<std::string, std::string>& given) const;
    // Reads facts from a feature's attributes, over the defaults given on the command line.
    ActivityFacts from_attributes(const std::map<std::string, std::string>& attributes, const ActivityFacts& defaults,
                                  std::vector<Message>& warnings) const;

private:
    static FactVocabulary parse(const std::filesystem::path& file);
    // The industry named by `text` into `facts`: a facts.toml value, or a code or name of the
    // industry catalog; false when neither knows it.
    bool read_industry(const std::string& text, ActivityFacts& facts) const;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> values_;  // fact -> value -> aliases
    std::map<std::string, std::vector<std::string>> value_names_;                    // fact -> values
    std::map<std::string, std::vector<std::string>> fields_;                         // fact -> attribute names
    std::vector<std::string> true_words_, false_words_;
    std::shared_ptr<const IndustryCatalog> industries_;  // none when layers/industries/ is not there
};

// One period of a rule's legal basis: the provisions it rests on while they are in force.
struct RuleBasis {
    DateRange in_force;
    std::vector<Citation> citations;  // default rules always cite; local rules may give text instead
    std::string text_zh, text_en;     // a basis written out (local rules without [[source]] tables)
    std::string note_zh, note_en;     // what else the provision says, e.g. its fines
    int line = 0;
    bool verified() const;  // every citation checked against its text
};

struct Rule {
    std::string id;
    std::string kind;
    std::vector<std::string> subzones;                       // empty: any sub-zone of the kind
    std::vector<std::string> activities;                     // empty: any activity
    std::vector<std::string> relations;                      // default: within, overlaps, contains
    std::optional<double> within_m;                          // for `near`: the distance up to which the rule applies
    std::map<std::string, std::vector<std::string>> when;    // fact -> values that make it apply
    std::map<std::string, std::vector<std::string>> unless;  // fact -> values that exempt
    Verdict verdict = Verdict::conditional;
    std::string message_zh, message_en;
    std::string requires_zh, requires_en;
    std::string action;            // for outfalls: close, merge, standardise, keep
    std::vector<RuleBasis> basis;  // newest first; periods never overlap; a rule applies only within one
    bool verify = false;           // the rule's reading of its provisions is not confirmed in the text
    std::filesystem::path file;
    int line = 0;
    std::string replaces;  // file of the default rule this local rule replaces on the days it is in force

    const RuleBasis* basis_on(const LegalDate& day) const;
    // Verified when its claim is confirmed and every provision it cites on that day was read.
    bool verified_on(const LegalDate& day) const;
};
struct RuleFile {
    std::filesystem::path path;
    std::string digest;
    bool local = false;  // given with --rules
};

// Basis periods and citations written out in a language.
std::string basis_text(const RuleBasis& basis, const LegalSources& sources, Language language);
// A superseded period as history: 原《水污染防治法》第六十四条（2018-01-01 – 2026-08-14）.
std::string history_text(const RuleBasis& basis, const LegalSources& sources, Language language);

// A fact nobody stated, which a rule was applied over as if it had one of `values` (or,
// negated, none of them): the cautious reading, which never softens a verdict.
struct Assumption {
    std::string fact;
    std::vector<std::string> values;
    bool negated = false;
};

// The outcome of one rule on one hit: the rule, the period of its basis in force on the
// legal date, and the assumptions it was applied over.
struct AppliedRule {
    const Rule* rule = nullptr;
    const RuleBasis* basis = nullptr;
    std::vector<Assumption> assumptions;
    bool verified() const { return !rule->verify && basis->verified(); }
};

class RuleSet {
public:
    // The national defaults (layers/<kind>/rules.toml over layers/legal_sources.toml), then
    // each local file in order, for the law of `as_of` (default: today in China). A local
    // rule with an existing id replaces the default on the days the local rule is in force.
    // DataError listing every problem (file:line), including any period that cites a text
    // not in force then; UsageError when `as_of` is before the days the defaults cover.
    static RuleSet load(const SchemaSet& schemas, const std::vector<std::filesystem::path>& local_files = {},
                        std::optional<LegalDate> as_of = std::nullopt);
    // Checks files without loading them over anything; returns one message per problem, each
    // with the file and line (arguments "file", "line").
    static std::vector<Message> check(const SchemaSet& schemas, const std::vector<std::filesystem::path>& files);

    const LegalDate& as_of() const { return as_of_; }
    const LegalSources& sources() const { return sources_; }
    // Every rule with every period, the defaults and the local ones, in file order.
    const std::vector<Rule>& rules() const { return rules_; }
    // Whether a rule of this set applies on the legal date.
    bool in_force(const Rule& rule) const;
    // The rule with this id that applies on the legal date, else any rule with the id.
    const Rule* find(const std::string& id) const;
    const std::vector<RuleFile>& files() const { return files_; }
    const std::string& digest() const { return digest_; }
    // The texts the rules in force cite, in catalog order.
    std::vector<const LegalSource*> texts_applied() const;
    // The largest `within_m` of the kind's near rules in force (0 when none).
    double max_within_m(const std::string& kind) const;
    // The sub-zone the law of the legal date knows a zone as (reserves were re-zoned on
    // 2026-03-15: 缓冲区 is 核心保护区 after it, 核心保护区 is 核心区 before it).
    std::string subzone_in_force(const std::string& kind, const std::string& subzone,
                                 const std::string& source_value) const;

    // Rules in force on the legal date that apply to a hit on a zone of the kind/sub-zone
    // (as subzone_in_force gives it), with the given relation and distance, for the activity.
    std::vector<AppliedRule> evaluate(const std::string& kind, const std::string& subzone, Relation relation,
                                      std::optional<double> distance_m, const ActivityFacts& facts) const;

private:
    std::vector<Rule> rules_;
    std::vector<std::size_t> replaced_by_;  // per rule: index of the local rule replacing it, or npos
    std::vector<RuleFile> files_;
    std::string digest_;
    LegalDate as_of_;
    LegalSources sources_;
    std::map<std::string, KindSchema> zoning_;  // kinds whose zoning changed (legacy sub-zones)
};

}  // namespace redline
