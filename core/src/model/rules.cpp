// Rule files: reading them with every problem named by file and line, dating each rule's
// basis from the texts it cites, and evaluating the rules in force on a legal date.
#include "redline/model/rules.hpp"

#include "base/digest.hpp"
#include "base/toml_support.hpp"
#include "model/fact_slots.hpp"
#include "redline/errors.hpp"
#include "redline/model/schema.hpp"
#include "redline/relation.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <set>

namespace redline {
namespace {

using facts::boolean_facts;
using facts::flag_slot;
using facts::join;
using facts::value_facts;
using facts::value_slot;

const std::vector<std::string> default_relations = {"within", "overlaps", "contains"};
const std::set<std::string> known_relations = {"within", "overlaps", "contains", "touches", "near"};
const std::set<std::string> known_actions = {"close", "merge", "standardise", "keep"};
const std::set<std::string> known_roles = {"", "penalty", "related"};
// A basis written out without dates holds for as long as anyone could ask.
constexpr LegalDate since_ever{1949, 10, 1};
constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

std::optional<std::string> fact_value(const ActivityFacts& facts, const std::string& fact) {
    if (const auto* value = value_slot(facts, fact)) {
        return *value;
    }
    if (const auto* flag = flag_slot(facts, fact); flag != nullptr && flag->has_value()) {
        return **flag ? "true" : "false";
    }
    return std::nullopt;
}

std::string range_text(const DateRange& range) {
    return range.from == since_ever ? (range.to ? "– " + range.to->text() : "(always)") : range.text();
}

// A period as an argument of a message, written as range_text() writes it in English.
Message::Value period(const DateRange& range) {
    if (range.from == since_ever) {
        return range.to ? Message("period.until", {{"to", range.to->text()}}) : Message("period.always");
    }
    return range.to ? Message::Value(range.text()) : Message("period.from", {{"from", range.from.text()}});
}

// A name the data gives in both languages, either of which may be missing.
Message either(const std::string& zh, const std::string& en) {
    return bilingual(zh.empty() ? en : zh, en.empty() ? zh : en);
}

// Reads rule files, collecting every problem with its file and line.
class RuleReader {
public:
    RuleReader(const SchemaSet& schemas, const FactVocabulary& vocabulary, const LegalSources& sources)
        : schemas_(schemas), vocabulary_(vocabulary), sources_(sources) {}

    // Rules of one file; `folder_kind` for a kind's own rules.toml (the national defaults).
    std::vector<Rule> read(const std::filesystem::path& file, const std::optional<std::string>& folder_kind) {
        std::vector<Rule> rules;
        toml::table root;
        try {
            root = parse_toml_file(file);
        } catch (const DataError& e) {
            problems_.push_back(e.message());  // file:line: not valid TOML: ...
            return rules;
        }
        for (const auto& [key, node] : root) {
            const std::string name(key.str());
            if (name == "source" && folder_kind) {
                problem(file, line_of(node), "rules.source_in_defaults");
            } else if (name != "rule" && name != "source") {
                problem(file, line_of(node), "rules.unknown_top_key", {{"key", name}});
            }
        }
        const auto* array = root["rule"].as_array();
        if (array == nullptr) {
            if (root.contains("rule")) {
                problem(file, line_of(*root.get("rule")), "rules.rule_not_array");
            }
            return rules;
        }
        std::set<std::string> ids;
        for (const auto& node : *array) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                problem(file, line_of(node), "rules.rule_not_table");
                continue;
            }
            if (auto rule = read_rule(file, *table, folder_kind)) {
                if (!ids.insert(rule->id).second) {
                    problem(file, rule->line, "rules.duplicate_id", {{"rule", rule->id}});
                    continue;
                }
                rules.push_back(std::move(*rule));
            }
        }
        return rules;
    }

    std::vector<Message>& problems() { return problems_; }

    // A problem at a line of a file: its code with the file and line, then its own arguments.
    static Message located(const std::filesystem::path& file, int line, std::string code, Message::Args args = {}) {
        Message message(std::move(code), {{"file", file.string()}, {"line", line}});
        for (auto& [name, value] : args) {
            message.with(std::move(name), std::move(value));
        }
        return message;
    }

private:
    static int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

    void problem(const std::filesystem::path& file, int line, std::string code, Message::Args args = {}) {
        problems_.push_back(located(file, line, std::move(code), std::move(args)));
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
            problem(file, line_of(*node), "rules.not_strings", {{"key", key}});
            return std::nullopt;
        }
        for (const auto& item : *array) {
            if (!item.is_string()) {
                problem(file, line_of(item), "rules.strings_only", {{"key", key}});
                return std::nullopt;
            }
            out.push_back(*item.value<std::string>());
        }
        return out;
    }

    std::optional<LegalDate> date(const std::filesystem::path& file, const toml::table& table, const char* key) {
        const auto* node = table.get(key);
        if (node == nullptr) {
            return std::nullopt;
        }
        const auto text = node->value<std::string>();
        const auto parsed = text ? LegalDate::parse(*text) : std::nullopt;
        if (!parsed) {
            problem(file, line_of(*node), "rules.bad_date", {{"key", key}});
        }
        return parsed;
    }

    bool read_conditions(const std::filesystem::path& file, const toml::table& rule, const char* key,
                         std::map<std::string, std::vector<std::string>>& out) {
        const auto* node = rule.get(key);
        if (node == nullptr) {
            return true;
        }
        const auto* table = node->as_table();
        if (table == nullptr) {
            problem(file, line_of(*node), "rules.conditions_not_table", {{"key", key}});
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
                    problem(file, line_of(value), "rules.fact_not_boolean", {{"fact", fact}});
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
                        problem(file, line_of(value), "rules.unknown_fact_value",
                                {{"value", v}, {"fact", fact}, {"known", join(allowed)}});
                        ok = false;
                    }
                }
            } else {
                problem(file, line_of(value), "rules.unknown_fact", {{"fact", fact}});
                ok = false;
                continue;
            }
            out[fact] = values;
        }
        return ok;
    }

    std::optional<Citation> read_citation(const std::filesystem::path& file, const toml::node& node,
                                          const std::string& rule_id) {
        const auto* table = node.as_table();
        if (table == nullptr) {
            problem(file, line_of(node), "law.cite_not_table", {{"rule", rule_id}});
            return std::nullopt;
        }
        static const std::set<std::string> allowed = {"source",     "article", "section_zh",
                                                      "section_en", "role",    "verified"};
        for (const auto& [key, value] : *table) {
            if (!allowed.contains(std::string(key.str()))) {
                problem(file, line_of(value), "law.citation_unknown_key",
                        {{"rule", rule_id}, {"key", std::string(key.str())}});
            }
        }
        Citation c;
        c.source = (*table)["source"].value_or(std::string{});
        c.article = (*table)["article"].value_or(std::string{});
        c.section_zh = (*table)["section_zh"].value_or(std::string{});
        c.section_en = (*table)["section_en"].value_or(std::string{});
        c.role = (*table)["role"].value_or(std::string{});
        const LegalSource* source = sources_.find(c.source);
        if (source == nullptr) {
            problem(file, line_of(node), "law.unknown_source", {{"rule", rule_id}, {"source", c.source}});
            return std::nullopt;
        }
        if (!c.article.empty() && !is_article_reference(c.article)) {
            problem(file, line_of(node), "law.bad_article", {{"rule", rule_id}, {"article", c.article}});
        }
        if (c.section_zh.empty() != c.section_en.empty()) {
            problem(file, line_of(node), "law.section_pair", {{"rule", rule_id}});
        }
        if (!known_roles.contains(c.role)) {
            problem(file, line_of(node), "law.bad_role", {{"rule", rule_id}, {"role", c.role}});
        }
        c.verified = (*table)["verified"].value_or(source->verified);
        return c;
    }

    // One [[rule.basis]] period, dated by its own from/to or by the texts it cites; every
    // text must be in force for the whole period.
    std::optional<RuleBasis> read_basis(const std::filesystem::path& file, const toml::table& table,
                                        const std::string& rule_id, bool require_citations) {
        static const std::set<std::string> allowed = {"cite", "from", "to", "note_zh", "note_en", "text_zh", "text_en"};
        const std::size_t before = problems_.size();
        for (const auto& [key, value] : table) {
            if (!allowed.contains(std::string(key.str()))) {
                problem(file, line_of(value), "rules.basis_unknown_key",
                        {{"rule", rule_id}, {"key", std::string(key.str())}});
            }
        }
        RuleBasis basis;
        basis.line = line_of(table);
        if (const auto* cite = table.get("cite")) {
            if (const auto* array = cite->as_array()) {
                for (const auto& item : *array) {
                    if (auto c = read_citation(file, item, rule_id)) {
                        basis.citations.push_back(std::move(*c));
                    }
                }
            } else {
                problem(file, line_of(*cite), "law.cite_not_list", {{"rule", rule_id}});
            }
        }
        basis.text_zh = table["text_zh"].value_or(std::string{});
        basis.text_en = table["text_en"].value_or(std::string{});
        basis.note_zh = table["note_zh"].value_or(std::string{});
        basis.note_en = table["note_en"].value_or(std::string{});
        if (basis.note_zh.empty() != basis.note_en.empty()) {
            problem(file, basis.line, "rules.note_pair", {{"rule", rule_id}});
        }
        const bool text = !basis.text_zh.empty() || !basis.text_en.empty();
        if (text && (basis.text_zh.empty() || basis.text_en.empty())) {
            problem(file, basis.line, "rules.text_pair", {{"rule", rule_id}});
        }
        if (basis.citations.empty() && !text && problems_.size() == before) {
            problem(file, basis.line, "rules.basis_cites_nothing", {{"rule", rule_id}});
        }
        if (require_citations && text) {
            problem(file, basis.line, "rules.default_basis_text", {{"rule", rule_id}});
        }
        // Dates: as given, else the span in which every cited text was in force.
        std::optional<LegalDate> from = date(file, table, "from");
        std::optional<LegalDate> to = date(file, table, "to");
        LegalDate derived_from = since_ever;
        std::optional<LegalDate> derived_to;
        for (const auto& c : basis.citations) {
            const LegalSource* s = sources_.find(c.source);
            derived_from = std::max(derived_from, s->in_force.from);
            if (s->in_force.to) {
                derived_to = derived_to ? std::min(*derived_to, *s->in_force.to) : *s->in_force.to;
            }
        }
        basis.in_force.from = from.value_or(derived_from);
        basis.in_force.to = to ? to : derived_to;
        for (const auto& c : basis.citations) {
            const LegalSource* s = sources_.find(c.source);
            const bool starts_in =
                s->in_force.from <= basis.in_force.from && (!s->in_force.to || basis.in_force.from <= *s->in_force.to);
            const bool ends_in = !s->in_force.to || (basis.in_force.to && *basis.in_force.to <= *s->in_force.to);
            if (!starts_in || !ends_in) {
                const DateRange asked{basis.in_force.from, to};
                Message::Args args{{"rule", rule_id},
                                   {"source", either(s->short_zh, s->short_en)},
                                   {"id", s->id},
                                   {"period", period(asked)},
                                   {"in_force", period(s->in_force)}};
                const bool how = !s->replaced_how_zh.empty() || !s->replaced_how_en.empty();
                if (how) {
                    args.emplace_back("how", either(s->replaced_how_zh, s->replaced_how_en));
                }
                problem(file, basis.line, how ? "law.not_in_force_replaced" : "law.not_in_force", std::move(args));
            }
        }
        if (problems_.size() == before && basis.in_force.to && *basis.in_force.to < basis.in_force.from) {
            problem(file, basis.line, "rules.period_reversed", {{"rule", rule_id}, {"period", period(basis.in_force)}});
        }
        if (problems_.size() != before) {
            return std::nullopt;
        }
        return basis;
    }

    // The periods of a rule: [[rule.basis]] tables, or (local rules) a basis written out with
    // basis_zh/basis_en and optional in_force_from/in_force_to.
    bool read_periods(const std::filesystem::path& file, const toml::table& table, Rule& rule, bool default_rules) {
        const auto* basis_node = table.get("basis");
        const bool text_basis = table.contains("basis_zh") || table.contains("basis_en");
        if (basis_node != nullptr && text_basis) {
            problem(file, rule.line, "rules.basis_twice", {{"rule", rule.id}});
            return false;
        }
        if (basis_node != nullptr) {
            const auto* array = basis_node->as_array();
            if (array == nullptr || array->empty()) {
                problem(file, line_of(*basis_node), "rules.basis_not_array", {{"rule", rule.id}});
                return false;
            }
            if (table.contains("in_force_from") || table.contains("in_force_to")) {
                problem(file, rule.line, "rules.rule_dated", {{"rule", rule.id}});
            }
            for (const auto& node : *array) {
                const auto* period = node.as_table();
                if (period == nullptr) {
                    problem(file, line_of(node), "rules.basis_not_table", {{"rule", rule.id}});
                    continue;
                }
                if (auto basis = read_basis(file, *period, rule.id, default_rules)) {
                    rule.basis.push_back(std::move(*basis));
                }
            }
        } else if (text_basis) {
            if (default_rules) {
                problem(file, rule.line, "rules.default_text_basis", {{"rule", rule.id}});
                return false;
            }
            RuleBasis basis;
            basis.line = rule.line;
            basis.text_zh = table["basis_zh"].value_or(std::string{});
            basis.text_en = table["basis_en"].value_or(std::string{});
            if (basis.text_zh.empty() || basis.text_en.empty()) {
                problem(file, rule.line, "rules.text_basis_incomplete", {{"rule", rule.id}});
                return false;
            }
            basis.in_force.from = date(file, table, "in_force_from").value_or(since_ever);
            basis.in_force.to = date(file, table, "in_force_to");
            if (basis.in_force.to && *basis.in_force.to < basis.in_force.from) {
                problem(file, rule.line, "rules.in_force_reversed", {{"rule", rule.id}});
                return false;
            }
            rule.basis.push_back(std::move(basis));
        } else {
            problem(file, rule.line, default_rules ? "rules.no_basis" : "rules.no_basis_local", {{"rule", rule.id}});
            return false;
        }
        std::sort(rule.basis.begin(), rule.basis.end(),
                  [](const RuleBasis& a, const RuleBasis& b) { return b.in_force.from < a.in_force.from; });
        for (std::size_t i = 0; i + 1 < rule.basis.size(); ++i) {
            if (rule.basis[i].in_force.overlaps(rule.basis[i + 1].in_force)) {
                problem(file, rule.basis[i].line, "rules.period_overlap",
                        {{"rule", rule.id},
                         {"first", period(rule.basis[i + 1].in_force)},
                         {"second", period(rule.basis[i].in_force)}});
            }
        }
        return true;
    }

    // A rule that names a sub-zone of a replaced zoning ends with it; one that names a sub-zone
    // of the new zoning begins after the old one ended.
    void check_zoning(const std::filesystem::path& file, const Rule& rule, const KindSchema& kind) {
        for (const auto& id : rule.subzones) {
            const SubzoneDefinition* sub = kind.find_subzone(id);
            if (sub == nullptr) {
                continue;
            }
            for (const auto& basis : rule.basis) {
                if (sub->legacy() && (!basis.in_force.to || *basis.in_force.to > *sub->in_force_to)) {
                    problem(file, basis.line, "rules.subzone_replaced",
                            {{"rule", rule.id},
                             {"subzone", id},
                             {"last_day", sub->in_force_to->text()},
                             {"period", period(basis.in_force)},
                             {"successor", sub->maps_to}});
                }
                for (const auto& other : kind.subzones) {
                    if (other.legacy() && other.maps_to == id && basis.in_force.from <= *other.in_force_to) {
                        problem(file, basis.line, "rules.subzone_not_yet",
                                {{"rule", rule.id},
                                 {"subzone", id},
                                 {"created", other.in_force_to->next_day().text()},
                                 {"from", basis.in_force.from.text()}});
                        break;
                    }
                }
            }
        }
    }

    std::optional<Rule> read_rule(const std::filesystem::path& file, const toml::table& table,
                                  const std::optional<std::string>& folder_kind) {
        static const std::set<std::string> allowed = {
            "id",     "kind",    "subzones",   "activities", "relations",     "within_m",    "when",
            "unless", "verdict", "message_zh", "message_en", "requires_zh",   "requires_en", "action",
            "verify", "basis",   "basis_zh",   "basis_en",   "in_force_from", "in_force_to"};
        Rule rule;
        rule.file = file;
        rule.line = line_of(table);
        const std::size_t before = problems_.size();
        for (const auto& [key, node] : table) {
            if (!allowed.contains(std::string(key.str()))) {
                problem(file, line_of(node), "rules.unknown_key",
                        {{"key", std::string(key.str())},
                         {"allowed", join(std::vector<std::string>(allowed.begin(), allowed.end()))}});
            }
        }
        auto text = [&](const char* key, bool required) {
            const auto* node = table.get(key);
            if (node == nullptr || !node->is_string() || node->value<std::string>()->empty()) {
                if (required || node != nullptr) {
                    const int line = node != nullptr ? line_of(*node) : rule.line;
                    if (rule.id.empty()) {
                        problem(file, line, "rules.needs_text", {{"key", key}});
                    } else {
                        problem(file, line, "rules.rule_needs_text", {{"rule", rule.id}, {"key", key}});
                    }
                }
                return std::string{};
            }
            return *node->value<std::string>();
        };
        rule.id = text("id", true);
        rule.kind = table["kind"].value_or(folder_kind.value_or(""));
        if (folder_kind && rule.kind != *folder_kind) {
            problem(file, rule.line, "rules.kind_not_folder",
                    {{"rule", rule.id}, {"kind", rule.kind}, {"folder", *folder_kind}});
        }
        const KindSchema* kind = schemas_.find(rule.kind);
        if (kind == nullptr) {
            if (rule.kind.empty()) {
                problem(file, rule.line, "rules.needs_kind", {{"rule", rule.id}});
            } else {
                problem(file, rule.line, "rules.unknown_kind",
                        {{"rule", rule.id}, {"kind", rule.kind}, {"known", join(schemas_.kind_ids())}});
            }
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
                    problem(file, line_at("subzones"), "rules.unknown_subzone",
                            {{"rule", rule.id}, {"subzone", s}, {"kind", rule.kind}, {"known", join(known)}});
                }
            }
        }
        if (auto activities = strings(file, table, "activities")) {
            rule.activities = *activities;
            for (const auto& a : rule.activities) {
                const auto& known = vocabulary_.values("activity");
                if (std::find(known.begin(), known.end(), a) == known.end()) {
                    problem(file, line_at("activities"), "rules.unknown_activity",
                            {{"rule", rule.id}, {"activity", a}, {"known", join(known)}});
                }
            }
        }
        if (auto within = table["within_m"].value<double>()) {
            rule.within_m = *within;
            if (*within < 0) {
                problem(file, rule.line, "rules.negative_within", {{"rule", rule.id}});
            }
        }
        if (auto relations = strings(file, table, "relations")) {
            rule.relations = relations->empty() ? (rule.within_m ? std::vector<std::string>{"near"} : default_relations)
                                                : *relations;
            for (const auto& r : rule.relations) {
                if (!known_relations.contains(r)) {
                    problem(file, line_at("relations"), "rules.unknown_relation", {{"rule", rule.id}, {"relation", r}});
                }
            }
        }
        if (rule.within_m && std::find(rule.relations.begin(), rule.relations.end(), "near") == rule.relations.end()) {
            problem(file, rule.line, "rules.within_not_near", {{"rule", rule.id}});
        }
        read_conditions(file, table, "when", rule.when);
        read_conditions(file, table, "unless", rule.unless);
        const std::string verdict = text("verdict", true);
        const auto parsed = parse_verdict(verdict);
        if (parsed && *parsed != Verdict::clear) {
            rule.verdict = *parsed;
        } else if (!verdict.empty()) {
            problem(file, line_at("verdict"), "rules.bad_verdict", {{"rule", rule.id}, {"verdict", verdict}});
        }
        rule.message_zh = text("message_zh", true);
        rule.message_en = text("message_en", true);
        // A conditional verdict must say what approval or justification it needs.
        const bool conditional = parsed && *parsed == Verdict::conditional;
        rule.requires_zh = text("requires_zh", conditional);
        rule.requires_en = text("requires_en", conditional);
        rule.action = table["action"].value_or(std::string{});
        if (!rule.action.empty() && !known_actions.contains(rule.action)) {
            problem(file, rule.line, "rules.bad_action", {{"rule", rule.id}, {"action", rule.action}});
        }
        rule.verify = table["verify"].value_or(false);
        if (!rule.id.empty() && read_periods(file, table, rule, folder_kind.has_value()) && kind != nullptr) {
            check_zoning(file, rule, *kind);
        }
        if (problems_.size() != before) {
            return std::nullopt;
        }
        return rule;
    }

    const SchemaSet& schemas_;
    const FactVocabulary& vocabulary_;
    const LegalSources& sources_;
    std::vector<Message> problems_;
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

std::filesystem::path catalog_file(const SchemaSet& schemas) {
    return schemas.directory() / "legal_sources.toml";
}

[[noreturn]] void throw_problems(const std::vector<Message>& problems) {
    throw DataError(Message("rules.problems", {{"count", problems.size()}, {"list", Message::list(problems)}}));
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

const char* verdict_label(Verdict v, Language language) {
    if (language == Language::en) {
        return verdict_name(v);
    }
    switch (v) {
        case Verdict::prohibited:
            return "禁止";
        case Verdict::conditional:
            return "有条件";
        case Verdict::allowed:
            return "允许";
        case Verdict::clear:
            return "未涉及";
    }
    return "";
}

std::optional<Verdict> parse_verdict(const std::string& text) {
    for (Verdict v : {Verdict::clear, Verdict::allowed, Verdict::conditional, Verdict::prohibited}) {
        if (text == verdict_name(v)) {
            return v;
        }
    }
    return std::nullopt;
}

bool RuleBasis::verified() const {
    // A basis written out in words was not checked against any catalogued text.
    return !citations.empty() &&
           std::all_of(citations.begin(), citations.end(), [](const Citation& c) { return c.verified; });
}

const RuleBasis* Rule::basis_on(const LegalDate& day) const {
    for (const auto& b : basis) {
        if (b.in_force.contains(day)) {
            return &b;
        }
    }
    return nullptr;
}

bool Rule::verified_on(const LegalDate& day) const {
    const RuleBasis* b = basis_on(day);
    return !verify && b != nullptr && b->verified();
}

std::string basis_text(const RuleBasis& basis, const LegalSources& sources, Language language) {
    if (basis.citations.empty()) {
        return language == Language::zh ? basis.text_zh : basis.text_en;
    }
    return citations_text(basis.citations, sources, language);
}

std::string history_text(const RuleBasis& basis, const LegalSources& sources, Language language) {
    const bool zh = language == Language::zh;
    return (zh ? "原" : "formerly ") + basis_text(basis, sources, language) + (zh ? "（" : " (") +
           range_text(basis.in_force) + (zh ? "）" : ")");
}

RuleSet RuleSet::load(const SchemaSet& schemas, const std::vector<std::filesystem::path>& local_files,
                      std::optional<LegalDate> as_of) {
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    RuleSet set;
    set.as_of_ = as_of.value_or(LegalDate::today());
    std::vector<Message> problems;
    const auto catalog = catalog_file(schemas);
    set.sources_.read(catalog, false, problems);
    if (!problems.empty()) {
        throw_problems(problems);
    }
    if (const auto from = set.sources_.covers_from(); from && set.as_of_ < *from) {
        throw UsageError(Message("rules.before_coverage", {{"as_of", set.as_of_.text()}, {"from", from->text()}}));
    }
    set.files_.push_back({catalog, sha256_file(catalog), false});
    for (const auto& file : local_files) {
        if (!std::filesystem::is_regular_file(file)) {
            throw DataError(Message("rules.file_not_found", {{"file", file.string()}}));
        }
        set.sources_.read(file, true, problems);
    }
    RuleReader reader(schemas, vocabulary, set.sources_);
    reader.problems() = std::move(problems);
    std::map<std::string, std::size_t> defaults, locals;
    for (const auto& file : default_files(schemas)) {
        for (auto& rule : reader.read(file.path, file.kind)) {
            if (defaults.contains(rule.id)) {
                reader.problems().push_back(
                    RuleReader::located(file.path, rule.line, "rules.defined_twice",
                                        {{"rule", rule.id}, {"other", set.rules_[defaults[rule.id]].file.string()}}));
                continue;
            }
            defaults[rule.id] = set.rules_.size();
            set.rules_.push_back(std::move(rule));
        }
        set.files_.push_back({file.path, sha256_file(file.path), false});
    }
    set.replaced_by_.assign(set.rules_.size(), none);
    for (const auto& file : local_files) {
        for (auto& rule : reader.read(file, std::nullopt)) {
            if (auto it = defaults.find(rule.id); it != defaults.end()) {
                rule.replaces = set.rules_[it->second].file.string();
            }
            if (auto it = locals.find(rule.id); it != locals.end()) {
                // A later local file replaces an earlier one's rule wholly.
                set.rules_[it->second] = std::move(rule);
                continue;
            }
            locals[rule.id] = set.rules_.size();
            if (auto it = defaults.find(rule.id); it != defaults.end()) {
                set.replaced_by_[it->second] = set.rules_.size();
            }
            set.rules_.push_back(std::move(rule));
            set.replaced_by_.push_back(none);
        }
        set.files_.push_back({file, sha256_file(file), true});
    }
    if (!reader.problems().empty()) {
        throw_problems(reader.problems());
    }
    for (const auto& id : schemas.kind_ids()) {
        if (schemas.kind(id).has_legacy_zoning()) {
            set.zoning_.emplace(id, schemas.kind(id));
        }
    }
    Sha256 digest;
    for (const auto& f : set.files_) {
        digest.field(f.local ? "local" : "default");
        digest.field(f.local
                         ? f.path.string()
                         : (f.path == catalog ? f.path.filename().string() : f.path.parent_path().filename().string()));
        digest.field(f.digest);
    }
    set.digest_ = digest.finish();
    return set;
}

std::vector<Message> RuleSet::check(const SchemaSet& schemas, const std::vector<std::filesystem::path>& files) {
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    LegalSources sources;
    std::vector<Message> problems;
    sources.read(catalog_file(schemas), false, problems);
    std::vector<std::pair<std::filesystem::path, std::optional<std::string>>> rule_files;
    for (const auto& file : files) {
        if (!std::filesystem::is_regular_file(file)) {
            problems.push_back(Message("rules.file_not_found", {{"file", file.string()}}));
            continue;
        }
        // A file inside a kind's folder is a default file: it may leave out `kind`.
        std::optional<std::string> folder_kind;
        const std::string parent = std::filesystem::absolute(file).parent_path().filename().string();
        if (file.filename() == "rules.toml" && schemas.find(parent) != nullptr) {
            folder_kind = parent;
        } else {
            sources.read(file, true, problems);
        }
        rule_files.emplace_back(file, folder_kind);
    }
    RuleReader reader(schemas, vocabulary, sources);
    reader.problems() = std::move(problems);
    for (const auto& [file, folder_kind] : rule_files) {
        reader.read(file, folder_kind);
    }
    return reader.problems();
}

bool RuleSet::in_force(const Rule& rule) const {
    if (rule.basis_on(as_of_) == nullptr) {
        return false;
    }
    const auto index = static_cast<std::size_t>(&rule - rules_.data());
    if (index < replaced_by_.size() && replaced_by_[index] != none) {
        return rules_[replaced_by_[index]].basis_on(as_of_) == nullptr;
    }
    return true;
}

const Rule* RuleSet::find(const std::string& id) const {
    const Rule* any = nullptr;
    for (const auto& rule : rules_) {
        if (rule.id == id) {
            if (in_force(rule)) {
                return &rule;
            }
            any = &rule;
        }
    }
    return any;
}

std::vector<const LegalSource*> RuleSet::texts_applied() const {
    std::set<std::string> cited;
    for (const auto& rule : rules_) {
        if (in_force(rule)) {
            for (const auto& c : rule.basis_on(as_of_)->citations) {
                cited.insert(c.source);
            }
        }
    }
    std::vector<const LegalSource*> texts;
    for (const auto& s : sources_.all()) {
        if (cited.contains(s.id)) {
            texts.push_back(&s);
        }
    }
    return texts;
}

double RuleSet::max_within_m(const std::string& kind) const {
    double best = 0;
    for (const auto& rule : rules_) {
        if (rule.kind == kind && rule.within_m && in_force(rule)) {
            best = std::max(best, *rule.within_m);
        }
    }
    return best;
}

std::string RuleSet::subzone_in_force(const std::string& kind, const std::string& subzone,
                                      const std::string& source_value) const {
    const auto it = zoning_.find(kind);
    return it == zoning_.end() ? subzone : it->second.subzone_on(subzone, source_value, as_of_);
}

std::vector<AppliedRule> RuleSet::evaluate(const std::string& kind, const std::string& subzone, Relation relation,
                                           std::optional<double> distance_m, const ActivityFacts& facts) const {
    std::vector<AppliedRule> applied;
    const std::string relation_text = relation_name(relation);
    for (const auto& rule : rules_) {
        if (rule.kind != kind || !in_force(rule))
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
        AppliedRule outcome{&rule, rule.basis_on(as_of_), {}};
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
            if (!value && facts::derived_facts.contains(fact)) {
                applies = false;  // nothing derived it (no screener assessed the lists): no assumption to make
            } else if (!value) {
                outcome.assumptions.push_back({fact, values, false});
            } else if (std::find(values.begin(), values.end(), *value) == values.end()) {
                applies = false;
            }
        }
        for (const auto& [fact, values] : rule.unless) {
            const auto value = fact_value(facts, fact);
            if (!value && facts::derived_facts.contains(fact)) {
                continue;
            } else if (!value) {
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
