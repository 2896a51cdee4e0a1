// Rules and verdicts: what the law says about a hit. Rules are data (layers/<kind>/rules.toml,
// local files with --rules); each names the zones, activities and facts it applies to, a
// verdict and its legal basis. The most severe verdict wins; every applicable rule is cited.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline {

class SchemaSet;
enum class Relation;

// Most severe last, so that std::max picks the winner.
enum class Verdict { clear = 0, allowed = 1, conditional = 2, prohibited = 3 };
const char* verdict_name(Verdict verdict);
std::optional<Verdict> parse_verdict(const std::string& text);

// What is being screened. Every fact may be unknown; rules that depend on an unknown fact
// still apply, and say which assumption they made.
struct ActivityFacts {
    std::optional<std::string> activity;         // construction, linear, outfall-new, outfall-existing
    std::optional<std::string> industry;         // chemical, water-supply, ... (facts.toml)
    std::optional<bool> discharges;              // the project discharges pollutants
    std::optional<std::string> outfall_type;     // industrial, municipal-sewage, agricultural, other
    std::optional<std::string> receiving_water;  // river, sea
    std::optional<bool> listed_activity;         // one of the limited activities allowed in a red line (142号)
    std::map<std::string, std::string> sources;  // fact -> where it came from (option, attribute, inferred)
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
    // Facts given as options: {"activity": "线性工程", "discharges": "yes", ...}; the keys are
    // fact names, an unknown value is a UsageError naming the option (--outfall-type, ...).
    ActivityFacts from_options(const std::map<std::string, std::string>& given) const;
    // Reads facts from a feature's attributes, over the defaults given on the command line.
    ActivityFacts from_attributes(const std::map<std::string, std::string>& attributes, const ActivityFacts& defaults,
                                  std::vector<std::string>& warnings) const;

private:
    std::map<std::string, std::map<std::string, std::vector<std::string>>> values_;  // fact -> value -> aliases
    std::map<std::string, std::vector<std::string>> value_names_;                    // fact -> values
    std::map<std::string, std::vector<std::string>> fields_;                         // fact -> attribute names
    std::vector<std::string> true_words_, false_words_;
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
    std::string basis_zh, basis_en;
    std::string requires_zh, requires_en;
    std::string action;   // for outfalls: close, merge, standardise, keep
    bool verify = false;  // the provision was recalled, not checked against the text
    std::filesystem::path file;
    int line = 0;
    std::string replaces;  // file of the rule this one replaced, if any
};

struct RuleFile {
    std::filesystem::path path;
    std::string digest;
    bool local = false;  // given with --rules
};

// A fact nobody stated, which a rule was applied over as if it had one of `values` (or,
// negated, none of them): the cautious reading, which never softens a verdict.
struct Assumption {
    std::string fact;
    std::vector<std::string> values;
    bool negated = false;
    std::string text() const;  // "discharges unknown: taken as yes", as in the JSON output
};

// The outcome of one rule on one hit.
struct AppliedRule {
    const Rule* rule = nullptr;
    std::vector<Assumption> assumptions;
};

class RuleSet {
public:
    // The national defaults from layers/<kind>/rules.toml, then each local file in order;
    // a rule with an existing id replaces it. DataError listing every problem (file:line).
    static RuleSet load(const SchemaSet& schemas, const std::vector<std::filesystem::path>& local_files = {});
    // Checks files without loading them over anything; returns one message per problem.
    static std::vector<std::string> validate(const SchemaSet& schemas, const std::vector<std::filesystem::path>& files);

    const std::vector<Rule>& rules() const { return rules_; }
    const Rule* find(const std::string& id) const;
    const std::vector<RuleFile>& files() const { return files_; }
    const std::string& digest() const { return digest_; }
    // The largest `within_m` of the kind's near rules (0 when none).
    double max_within_m(const std::string& kind) const;

    // Rules that apply to a hit on a zone of the kind/sub-zone, with the given relation and
    // distance, for the activity described.
    std::vector<AppliedRule> evaluate(const std::string& kind, const std::string& subzone, Relation relation,
                                      std::optional<double> distance_m, const ActivityFacts& facts) const;

private:
    std::vector<Rule> rules_;
    std::vector<RuleFile> files_;
    std::string digest_;
};

}  // namespace redline
