#include "redline/rules.hpp"

#include "digest.hpp"
#include "redline/check.hpp"
#include "redline/errors.hpp"
#include "redline/schema.hpp"
#include "text.hpp"
#include "toml_support.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace redline {
namespace {

const std::vector<std::string> default_relations = {"within", "overlaps", "contains"};
const std::set<std::string> known_relations = {"within", "overlaps", "contains", "touches", "near"};
const std::set<std::string> boolean_facts = {"discharges", "listed_activity"};
const std::set<std::string> value_facts = {"activity", "industry", "outfall_type", "receiving_water"};
const std::set<std::string> known_actions = {"close", "merge", "standardise", "keep"};

// Where each fact lives in ActivityFacts (const or not); facts are named as in rule files.
template <typename Facts>
auto value_slot(Facts& facts, const std::string& fact) -> decltype(&facts.activity) {
    if (fact == "activity")
        return &facts.activity;
    if (fact == "industry")
        return &facts.industry;
    if (fact == "outfall_type")
        return &facts.outfall_type;
    if (fact == "receiving_water")
        return &facts.receiving_water;
    return nullptr;
}

template <typename Facts>
auto flag_slot(Facts& facts, const std::string& fact) -> decltype(&facts.discharges) {
    if (fact == "discharges")
        return &facts.discharges;
    if (fact == "listed_activity")
        return &facts.listed_activity;
    return nullptr;
}

std::optional<std::string> fact_value(const ActivityFacts& facts, const std::string& fact) {
    if (const auto* value = value_slot(facts, fact)) {
        return *value;
    }
    if (const auto* flag = flag_slot(facts, fact); flag != nullptr && flag->has_value()) {
        return **flag ? "true" : "false";
    }
    return std::nullopt;
}

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

// Reads rule files, collecting every problem with its file and line.
class RuleReader {
public:
    RuleReader(const SchemaSet& schemas, const FactVocabulary& vocabulary)
        : schemas_(schemas), vocabulary_(vocabulary) {}

    std::vector<Rule> read(const std::filesystem::path& file, const std::optional<std::string>& folder_kind) {
        std::vector<Rule> rules;
        toml::table root;
        try {
            root = parse_toml_file(file);
        } catch (const DataError& e) {
            problems_.push_back(e.what());  // file:line: not valid TOML: ...
            return rules;
        }
        for (const auto& [key, node] : root) {
            if (key.str() != "rule") {
                problem(file, line_of(node),
                        "unknown top-level key '" + std::string(key.str()) + "' (rules are [[rule]] tables)");
            }
        }
        const auto* array = root["rule"].as_array();
        if (array == nullptr) {
            if (root.contains("rule")) {
                problem(file, line_of(*root.get("rule")), "'rule' must be an array of tables: write [[rule]]");
            }
            return rules;
        }
        std::set<std::string> ids;
        for (const auto& node : *array) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                problem(file, line_of(node), "each [[rule]] must be a table");
                continue;
            }
            if (auto rule = read_rule(file, *table, folder_kind)) {
                if (!ids.insert(rule->id).second) {
                    problem(file, rule->line, "rule id '" + rule->id + "' is used twice in this file");
                    continue;
                }
                rules.push_back(std::move(*rule));
            }
        }
        return rules;
    }

    std::vector<std::string>& problems() { return problems_; }

private:
    static int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

    void problem(const std::filesystem::path& file, int line, const std::string& what) {
        problems_.push_back(file.string() + ":" + std::to_string(line) + ": " + what);
    }

    std::optional<std::vector<std::string>> strings(const std::filesystem::path& file, const toml::table& table,
                                                    const char* key) {
        std::vector<std::string> out;
        const auto* node = table.get(key);
        if (node == nullptr) {
            return out;
        }
        if (node->is_string()) {
            out.push_back(*node->value<std::string>());
            return out;
        }
        const auto* array = node->as_array();
        if (array == nullptr) {
            problem(file, line_of(*node), std::string("'") + key + "' must be a string or a list of strings");
            return std::nullopt;
        }
        for (const auto& item : *array) {
            if (!item.is_string()) {
                problem(file, line_of(item), std::string("'") + key + "' must hold strings only");
                return std::nullopt;
            }
            out.push_back(*item.value<std::string>());
        }
        return out;
    }

    bool read_conditions(const std::filesystem::path& file, const toml::table& rule, const char* key,
                         std::map<std::string, std::vector<std::string>>& out) {
        const auto* node = rule.get(key);
        if (node == nullptr) {
            return true;
        }
        const auto* table = node->as_table();
        if (table == nullptr) {
            problem(file, line_of(*node),
                    std::string("'") + key + "' must be a table, e.g. " + key + " = { discharges = true }");
            return false;
        }
        bool ok = true;
        for (const auto& [fact_key, value] : *table) {
            const std::string fact(fact_key.str());
            std::vector<std::string> values;
            if (boolean_facts.contains(fact)) {
                if (auto b = value.value<bool>(); b && value.is_boolean()) {
                    values.push_back(*b ? "true" : "false");
                } else {
                    problem(file, line_of(value), "'" + fact + "' takes true or false");
                    ok = false;
                    continue;
                }
            } else if (value_facts.contains(fact)) {
                const auto* array = value.as_array();
                if (value.is_string()) {
                    values.push_back(*value.value<std::string>());
                } else if (array != nullptr) {
                    for (const auto& item : *array) {
                        values.push_back(item.value_or(std::string{}));
                    }
                }
                for (const auto& v : values) {
                    const auto& allowed = vocabulary_.values(fact);
                    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
                        problem(file, line_of(value),
                                "'" + v + "' is not a value of " + fact + " (known: " + join(allowed) + ")");
                        ok = false;
                    }
                }
            } else {
                problem(
                    file, line_of(value),
                    "unknown fact '" + fact +
                        "' (facts: activity, industry, discharges, outfall_type, receiving_water, listed_activity)");
                ok = false;
                continue;
            }
            out[fact] = values;
        }
        return ok;
    }

    std::optional<Rule> read_rule(const std::filesystem::path& file, const toml::table& table,
                                  const std::optional<std::string>& folder_kind) {
        static const std::set<std::string> allowed = {
            "id",       "kind",        "subzones",    "activities", "relations",  "within_m",
            "when",     "unless",      "verdict",     "message_zh", "message_en", "basis_zh",
            "basis_en", "requires_zh", "requires_en", "action",     "verify"};
        Rule rule;
        rule.file = file;
        rule.line = line_of(table);
        const std::size_t before = problems_.size();
        for (const auto& [key, node] : table) {
            if (!allowed.contains(std::string(key.str()))) {
                problem(file, line_of(node),
                        "unknown key '" + std::string(key.str()) +
                            "' (allowed: " + join(std::vector<std::string>(allowed.begin(), allowed.end())) + ")");
            }
        }
        auto text = [&](const char* key, bool required) {
            const auto* node = table.get(key);
            if (node == nullptr || !node->is_string() || node->value<std::string>()->empty()) {
                if (required || node != nullptr) {
                    problem(file, node != nullptr ? line_of(*node) : rule.line,
                            std::string("rule ") + (rule.id.empty() ? "" : "'" + rule.id + "' ") + "needs '" + key +
                                "' as a non-empty string");
                }
                return std::string{};
            }
            return *node->value<std::string>();
        };
        rule.id = text("id", true);
        rule.kind = table["kind"].value_or(folder_kind.value_or(""));
        if (folder_kind && rule.kind != *folder_kind) {
            problem(file, rule.line,
                    "rule '" + rule.id + "' names kind '" + rule.kind + "' but lives in the folder of " + *folder_kind);
        }
        const KindSchema* kind = schemas_.find(rule.kind);
        if (kind == nullptr) {
            problem(file, rule.line,
                    rule.kind.empty() ? "rule '" + rule.id + "' needs 'kind' (it is outside a kind's folder)"
                                      : "rule '" + rule.id + "': unknown kind '" + rule.kind +
                                            "' (known: " + join(schemas_.kind_ids()) + ")");
        }
        auto line_at = [&](const char* key) {
            const auto* node = table.get(key);
            return node != nullptr ? line_of(*node) : rule.line;
        };
        if (auto subzones = strings(file, table, "subzones")) {
            rule.subzones = *subzones;
            for (const auto& s : rule.subzones) {
                if (kind != nullptr && kind->find_subzone(s) == nullptr) {
                    std::vector<std::string> known;
                    for (const auto& sub : kind->subzones) {
                        known.push_back(sub.id);
                    }
                    problem(file, line_at("subzones"),
                            "rule '" + rule.id + "': '" + s + "' is not a sub-zone of " + rule.kind +
                                " (known: " + join(known) + ")");
                }
            }
        }
        if (auto activities = strings(file, table, "activities")) {
            rule.activities = *activities;
            for (const auto& a : rule.activities) {
                const auto& known = vocabulary_.values("activity");
                if (std::find(known.begin(), known.end(), a) == known.end()) {
                    problem(file, line_at("activities"),
                            "rule '" + rule.id + "': unknown activity '" + a + "' (known: " + join(known) + ")");
                }
            }
        }
        if (auto within = table["within_m"].value<double>()) {
            rule.within_m = *within;
            if (*within < 0) {
                problem(file, rule.line, "rule '" + rule.id + "': within_m must not be negative");
            }
        }
        if (auto relations = strings(file, table, "relations")) {
            rule.relations = relations->empty() ? (rule.within_m ? std::vector<std::string>{"near"} : default_relations)
                                                : *relations;
            for (const auto& r : rule.relations) {
                if (!known_relations.contains(r)) {
                    problem(file, line_at("relations"),
                            "rule '" + rule.id + "': unknown relation '" + r +
                                "' (within, overlaps, contains, touches, near)");
                }
            }
        }
        if (rule.within_m && std::find(rule.relations.begin(), rule.relations.end(), "near") == rule.relations.end()) {
            problem(file, rule.line, "rule '" + rule.id + "': within_m is for near rules; add \"near\" to relations");
        }
        read_conditions(file, table, "when", rule.when);
        read_conditions(file, table, "unless", rule.unless);
        const std::string verdict = text("verdict", true);
        const auto parsed = parse_verdict(verdict);
        if (parsed && *parsed != Verdict::clear) {
            rule.verdict = *parsed;
        } else if (!verdict.empty()) {
            problem(file, line_at("verdict"),
                    "rule '" + rule.id + "': verdict '" + verdict + "' is not prohibited, conditional or allowed");
        }
        rule.message_zh = text("message_zh", true);
        rule.message_en = text("message_en", true);
        rule.basis_zh = text("basis_zh", true);
        rule.basis_en = text("basis_en", true);
        // A conditional verdict must say what approval or justification it needs.
        const bool conditional = parsed && *parsed == Verdict::conditional;
        rule.requires_zh = text("requires_zh", conditional);
        rule.requires_en = text("requires_en", conditional);
        rule.action = table["action"].value_or(std::string{});
        if (!rule.action.empty() && !known_actions.contains(rule.action)) {
            problem(file, rule.line,
                    "rule '" + rule.id + "': action '" + rule.action + "' is not close, merge, standardise or keep");
        }
        rule.verify = table["verify"].value_or(false);
        if (problems_.size() != before) {
            return std::nullopt;
        }
        return rule;
    }

    const SchemaSet& schemas_;
    const FactVocabulary& vocabulary_;
    std::vector<std::string> problems_;
};

struct DefaultFile {
    std::filesystem::path path;
    std::string kind;
};

std::vector<DefaultFile> default_files(const SchemaSet& schemas) {
    std::vector<DefaultFile> files;
    for (const auto& id : schemas.kind_ids()) {
        const auto path = schemas.kind(id).directory / "rules.toml";
        if (std::filesystem::exists(path)) {
            files.push_back({path, id});
        }
    }
    return files;
}

[[noreturn]] void throw_problems(const std::vector<std::string>& problems) {
    std::string message = std::to_string(problems.size()) + " problem(s) in the rule files:";
    for (const auto& p : problems) {
        message += "\n  " + p;
    }
    throw DataError(message);
}

}  // namespace

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::clear:
            return "clear";
        case Verdict::allowed:
            return "allowed";
        case Verdict::conditional:
            return "conditional";
        case Verdict::prohibited:
            return "prohibited";
    }
    return "clear";
}

std::optional<Verdict> parse_verdict(const std::string& text) {
    for (Verdict v : {Verdict::clear, Verdict::allowed, Verdict::conditional, Verdict::prohibited}) {
        if (text == verdict_name(v)) {
            return v;
        }
    }
    return std::nullopt;
}

FactVocabulary FactVocabulary::load(const std::filesystem::path& layers_dir) {
    const auto file = layers_dir / "facts.toml";
    const toml::table root = parse_toml_file(file);
    FactVocabulary vocabulary;
    auto list = [&](const toml::node& node) {
        std::vector<std::string> out;
        if (const auto* array = node.as_array()) {
            for (const auto& item : *array) {
                out.push_back(item.value_or(std::string{}));
            }
        }
        return out;
    };
    if (const auto* fields = root["fields"].as_table()) {
        for (const auto& [fact, node] : *fields) {
            vocabulary.fields_[std::string(fact.str())] = list(node);
        }
    }
    if (const auto* booleans = root["booleans"].as_table()) {
        vocabulary.true_words_ = list(*booleans->get("true"));
        vocabulary.false_words_ = list(*booleans->get("false"));
    }
    if (const auto* values = root["values"].as_table()) {
        for (const auto& [fact, node] : *values) {
            if (const auto* table = node.as_table()) {
                for (const auto& [value, aliases] : *table) {
                    vocabulary.values_[std::string(fact.str())][std::string(value.str())] = list(aliases);
                    vocabulary.value_names_[std::string(fact.str())].emplace_back(value.str());
                }
            }
        }
    }
    for (const auto& fact : value_facts) {
        if (!vocabulary.values_.contains(fact)) {
            throw DataError(file.string() + ": no [values." + fact + "] table");
        }
    }
    return vocabulary;
}

std::optional<std::string> FactVocabulary::canonical(const std::string& fact, const std::string& value) const {
    const auto it = values_.find(fact);
    if (it == values_.end()) {
        return std::nullopt;
    }
    const std::string key = text::fold(value);
    for (const auto& [canonical_value, aliases] : it->second) {
        if (text::fold(canonical_value) == key) {
            return canonical_value;
        }
        for (const auto& alias : aliases) {
            if (text::fold(alias) == key) {
                return canonical_value;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> FactVocabulary::find_in(const std::string& fact, const std::string& value) const {
    const auto it = values_.find(fact);
    if (it == values_.end()) {
        return std::nullopt;
    }
    const std::string haystack = text::fold(value);
    std::optional<std::string> best;
    std::size_t best_length = 0;
    for (const auto& [canonical_value, aliases] : it->second) {
        for (const auto& alias : aliases) {
            const std::string needle = text::fold(alias);
            // Single characters (海, 1) say too little inside free text.
            if (text::display_width(needle) >= 4 && needle.size() > best_length &&
                haystack.find(needle) != std::string::npos) {
                best = canonical_value;
                best_length = needle.size();
            }
        }
    }
    return best;
}

std::optional<bool> FactVocabulary::boolean(const std::string& value) const {
    const std::string key = text::fold(value);
    for (const auto& w : true_words_) {
        if (text::fold(w) == key)
            return true;
    }
    for (const auto& w : false_words_) {
        if (text::fold(w) == key)
            return false;
    }
    return std::nullopt;
}

const std::vector<std::string>& FactVocabulary::values(const std::string& fact) const {
    static const std::vector<std::string> none;
    const auto it = value_names_.find(fact);
    return it == value_names_.end() ? none : it->second;
}

namespace {

std::optional<std::string> first_chinese(const std::vector<std::string>& aliases) {
    for (const auto& a : aliases) {
        if (std::any_of(a.begin(), a.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
            return a;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string FactVocabulary::chinese_fact(const std::string& fact) const {
    const auto it = fields_.find(fact);
    return it == fields_.end() ? fact : first_chinese(it->second).value_or(fact);
}

std::string FactVocabulary::chinese_value(const std::string& fact, const std::string& value) const {
    if (value == "true" || value == "false") {
        return first_chinese(value == "true" ? true_words_ : false_words_).value_or(value);
    }
    const auto f = values_.find(fact);
    if (f == values_.end()) {
        return value;
    }
    const auto v = f->second.find(value);
    return v == f->second.end() ? value : first_chinese(v->second).value_or(value);
}

std::string Assumption::text() const {
    return fact + " unknown: taken as " + (negated ? "not " : "") + join(values, " or ");
}

ActivityFacts FactVocabulary::from_options(const std::map<std::string, std::string>& given) const {
    ActivityFacts facts;
    for (const auto& [fact, text] : given) {
        std::string option = "--" + fact;
        std::replace(option.begin(), option.end(), '_', '-');
        if (boolean_facts.contains(fact)) {
            const auto value = boolean(text);
            if (!value) {
                throw UsageError(option + " '" + text + "': give yes or no");
            }
            *flag_slot(facts, fact) = *value;
        } else if (value_facts.contains(fact)) {
            const auto value = canonical(fact, text);
            if (!value) {
                throw UsageError(option + " '" + text + "' is not known; known values: " + join(values(fact)) +
                                 " (and their Chinese names in layers/facts.toml)");
            }
            *value_slot(facts, fact) = *value;
        } else {
            throw UsageError("unknown fact '" + fact + "'");
        }
        facts.sources[fact] = "option " + option;
    }
    return facts;
}

ActivityFacts FactVocabulary::from_attributes(const std::map<std::string, std::string>& attributes,
                                              const ActivityFacts& defaults, std::vector<std::string>& warnings) const {
    ActivityFacts facts = defaults;
    auto find_attribute = [&](const std::string& fact) -> std::optional<std::pair<std::string, std::string>> {
        const auto names = fields_.find(fact);
        if (names == fields_.end()) {
            return std::nullopt;
        }
        for (const auto& [field, value] : attributes) {
            for (const auto& name : names->second) {
                if (text::fold(field) == text::fold(name) && !text::trim(value).empty()) {
                    return std::make_pair(field, value);
                }
            }
        }
        return std::nullopt;
    };
    for (const std::string fact : {"activity", "industry", "outfall_type", "receiving_water"}) {
        if (auto found = find_attribute(fact)) {
            if (auto value = canonical(fact, found->second)) {
                *value_slot(facts, fact) = *value;
                facts.sources[fact] = "attribute " + found->first;
            } else {
                warnings.push_back("attribute " + found->first + " = '" + found->second + "' is not a known " + fact +
                                   " (known: " + join(values(fact)) + "); ignored");
            }
        }
    }
    for (const std::string fact : {"discharges", "listed_activity"}) {
        if (auto found = find_attribute(fact)) {
            if (auto value = boolean(found->second)) {
                *flag_slot(facts, fact) = *value;
                facts.sources[fact] = "attribute " + found->first;
            } else {
                warnings.push_back("attribute " + found->first + " = '" + found->second +
                                   "' is not yes or no; ignored");
            }
        }
    }
    return facts;
}

RuleSet RuleSet::load(const SchemaSet& schemas, const std::vector<std::filesystem::path>& local_files) {
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    RuleReader reader(schemas, vocabulary);
    RuleSet set;
    std::map<std::string, std::size_t> index;
    for (const auto& file : default_files(schemas)) {
        for (auto& rule : reader.read(file.path, file.kind)) {
            if (index.contains(rule.id)) {
                reader.problems().push_back(file.path.string() + ":" + std::to_string(rule.line) + ": rule id '" +
                                            rule.id + "' is also defined in " +
                                            set.rules_[index[rule.id]].file.string());
                continue;
            }
            index[rule.id] = set.rules_.size();
            set.rules_.push_back(std::move(rule));
        }
        set.files_.push_back({file.path, sha256_file(file.path), false});
    }
    for (const auto& file : local_files) {
        if (!std::filesystem::is_regular_file(file)) {
            throw DataError(file.string() + ": rule file not found");
        }
        for (auto& rule : reader.read(file, std::nullopt)) {
            if (auto it = index.find(rule.id); it != index.end()) {
                rule.replaces = set.rules_[it->second].file.string();
                set.rules_[it->second] = std::move(rule);
            } else {
                index[rule.id] = set.rules_.size();
                set.rules_.push_back(std::move(rule));
            }
        }
        set.files_.push_back({file, sha256_file(file), true});
    }
    if (!reader.problems().empty()) {
        throw_problems(reader.problems());
    }
    Sha256 digest;
    for (const auto& f : set.files_) {
        digest.field(f.local ? "local" : "default");
        digest.field(f.local ? f.path.string() : f.path.parent_path().filename().string());
        digest.field(f.digest);
    }
    set.digest_ = digest.finish();
    return set;
}

std::vector<std::string> RuleSet::validate(const SchemaSet& schemas, const std::vector<std::filesystem::path>& files) {
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    RuleReader reader(schemas, vocabulary);
    for (const auto& file : files) {
        if (!std::filesystem::is_regular_file(file)) {
            reader.problems().push_back(file.string() + ": rule file not found");
            continue;
        }
        // A file inside a kind's folder may leave out `kind`.
        std::optional<std::string> folder_kind;
        const std::string parent = std::filesystem::absolute(file).parent_path().filename().string();
        if (file.filename() == "rules.toml" && schemas.find(parent) != nullptr) {
            folder_kind = parent;
        }
        reader.read(file, folder_kind);
    }
    return reader.problems();
}

const Rule* RuleSet::find(const std::string& id) const {
    auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.id == id; });
    return it == rules_.end() ? nullptr : &*it;
}

double RuleSet::max_within_m(const std::string& kind) const {
    double best = 0;
    for (const auto& rule : rules_) {
        if (rule.kind == kind && rule.within_m) {
            best = std::max(best, *rule.within_m);
        }
    }
    return best;
}

std::vector<AppliedRule> RuleSet::evaluate(const std::string& kind, const std::string& subzone, Relation relation,
                                           std::optional<double> distance_m, const ActivityFacts& facts) const {
    std::vector<AppliedRule> applied;
    const std::string relation_text = relation_name(relation);
    for (const auto& rule : rules_) {
        if (rule.kind != kind)
            continue;
        if (!rule.subzones.empty() &&
            std::find(rule.subzones.begin(), rule.subzones.end(), subzone) == rule.subzones.end()) {
            continue;
        }
        const auto& relations = rule.relations.empty() ? default_relations : rule.relations;
        if (std::find(relations.begin(), relations.end(), relation_text) == relations.end())
            continue;
        if (relation == Relation::near && rule.within_m && (!distance_m || *distance_m > *rule.within_m))
            continue;
        AppliedRule outcome{&rule, {}};
        if (!rule.activities.empty()) {
            if (!facts.activity) {
                outcome.assumptions.push_back({"activity", rule.activities, false});
            } else if (std::find(rule.activities.begin(), rule.activities.end(), *facts.activity) ==
                       rule.activities.end()) {
                continue;
            }
        }
        bool applies = true;
        for (const auto& [fact, values] : rule.when) {
            const auto value = fact_value(facts, fact);
            if (!value) {
                outcome.assumptions.push_back({fact, values, false});
            } else if (std::find(values.begin(), values.end(), *value) == values.end()) {
                applies = false;
            }
        }
        for (const auto& [fact, values] : rule.unless) {
            const auto value = fact_value(facts, fact);
            if (!value) {
                outcome.assumptions.push_back({fact, values, true});
            } else if (std::find(values.begin(), values.end(), *value) != values.end()) {
                applies = false;
            }
        }
        if (applies) {
            applied.push_back(std::move(outcome));
        }
    }
    std::stable_sort(applied.begin(), applied.end(),
                     [](const AppliedRule& a, const AppliedRule& b) { return a.rule->verdict > b.rule->verdict; });
    return applied;
}

}  // namespace redline
