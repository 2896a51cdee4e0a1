// Targets files: read with every problem named by file and line, checked against the
// indicators the zone kinds allow.
#include "redline/indicators/targets.hpp"

#include "base/text.hpp"
#include "base/toml_support.hpp"
#include "redline/errors.hpp"
#include "redline/indicators/indicators.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace redline {
namespace {

const std::vector<std::string> top_keys = {"title_zh", "title_en", "target"};
const std::vector<std::string> target_keys = {
    "indicator",        "subzone", "district", "name_zh",       "name_en",     "comparison",  "value",     "baseline",
    "baseline_version", "type",    "due",      "in_force_from", "in_force_to", "warn_within", "source_zh", "source_en"};

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ", ") + i;
    }
    return out;
}

std::optional<Comparison> parse_comparison(const std::string& text) {
    static const std::map<std::string, Comparison> names = [] {
        std::map<std::string, Comparison> m;
        for (const char* v : {"at_least", ">=", "≥", "不低于", "不少于", "不小于"}) {
            m[text::fold(v)] = Comparison::at_least;
        }
        for (const char* v : {"at_most", "<=", "≤", "不高于", "不超过", "不大于"}) {
            m[text::fold(v)] = Comparison::at_most;
        }
        for (const char* v : {"not_decrease", "不减少", "不降低"}) {
            m[text::fold(v)] = Comparison::not_decrease;
        }
        for (const char* v : {"not_increase", "不增加", "不上升"}) {
            m[text::fold(v)] = Comparison::not_increase;
        }
        return m;
    }();
    const auto it = names.find(text::fold(text));
    return it == names.end() ? std::nullopt : std::optional<Comparison>(it->second);
}

std::optional<TargetType> parse_type(const std::string& text) {
    const std::string v = text::fold(text);
    if (v == "binding" || v == text::fold("约束性")) {
        return TargetType::binding;
    }
    if (v == "expected" || v == text::fold("预期性") || v == text::fold("引导性")) {
        return TargetType::expected;
    }
    return std::nullopt;
}

class TargetReader {
public:
    TargetReader(const std::filesystem::path& file, const SchemaSet& schemas) : file_(file), schemas_(schemas) {}

    TargetFile read() {
        TargetFile out;
        out.path = file_;
        if (!std::filesystem::exists(file_)) {
            throw DataError(Message("targets.file_not_found", {{"file", file_.string()}}));
        }
        const toml::table root = parse_toml_file(file_);  // file:line: not valid TOML: ...
        for (const auto& [key, node] : root) {
            const std::string name(key.str());
            if (std::find(top_keys.begin(), top_keys.end(), name) == top_keys.end()) {
                problem(node, "targets.unknown_top_key", {{"key", name}});
            }
        }
        out.title_zh = optional_string(root, "title_zh");
        out.title_en = optional_string(root, "title_en");
        const toml::node* targets = root.get("target");
        if (targets == nullptr) {
            problems_.push_back(Message("targets.none", {{"file", file_.string()}}));
        } else if (const auto* array = targets->as_array(); array == nullptr) {
            problem(*targets, "targets.not_array");
        } else {
            for (const auto& node : *array) {
                if (const auto* table = node.as_table(); table == nullptr) {
                    problem(node, "targets.not_table");
                } else if (auto target = read_target(*table)) {
                    out.targets.push_back(std::move(*target));
                }
            }
        }
        if (!problems_.empty()) {
            throw DataError(
                Message("targets.problems",
                        {{"file", file_.string()}, {"count", problems_.size()}, {"list", Message::list(problems_)}}));
        }
        return out;
    }

private:
    static int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

    void problem(const toml::node& node, std::string code, Message::Args args = {}) {
        Message message(std::move(code), {{"file", file_.string()}, {"line", line_of(node)}});
        for (auto& [name, value] : args) {
            message.with(std::move(name), std::move(value));
        }
        problems_.push_back(std::move(message));
    }

    std::string optional_string(const toml::table& table, const char* key) {
        const toml::node* node = table.get(key);
        if (node == nullptr) {
            return "";
        }
        if (!node->is_string()) {
            problem(*node, "targets.not_text", {{"key", key}});
            return "";
        }
        return *node->value<std::string>();
    }

    std::optional<double> optional_number(const toml::table& table, const char* key) {
        const toml::node* node = table.get(key);
        if (node == nullptr) {
            return std::nullopt;
        }
        if (!node->is_number()) {
            problem(*node, "targets.not_number", {{"key", key}});
            return std::nullopt;
        }
        return node->value<double>();
    }

    std::optional<LegalDate> optional_date(const toml::table& table, const char* key) {
        const toml::node* node = table.get(key);
        if (node == nullptr) {
            return std::nullopt;
        }
        if (const auto* date = node->as_date()) {
            const toml::date d = date->get();
            LegalDate day{static_cast<int>(d.year), static_cast<int>(d.month), static_cast<int>(d.day)};
            if (auto valid = LegalDate::parse(day.text())) {
                return valid;
            }
        } else if (node->is_string()) {
            if (auto day = LegalDate::parse(*node->value<std::string>())) {
                return day;
            }
        }
        problem(*node, "targets.bad_date", {{"key", key}});
        return std::nullopt;
    }

    std::optional<Target> read_target(const toml::table& table) {
        const std::size_t before = problems_.size();
        Target t;
        t.file = file_;
        t.line = line_of(table);
        for (const auto& [key, node] : table) {
            const std::string name(key.str());
            if (std::find(target_keys.begin(), target_keys.end(), name) == target_keys.end()) {
                problem(node, "targets.unknown_key", {{"key", name}, {"allowed", joined(target_keys)}});
            }
        }
        t.indicator = optional_string(table, "indicator");
        const std::vector<std::string> known = indicator_ids(schemas_);
        if (t.indicator.empty()) {
            problem(table, "targets.needs_key", {{"key", "indicator"}});
        } else if (std::find(known.begin(), known.end(), t.indicator) == known.end()) {
            problem(*table.get("indicator"), "targets.unknown_indicator",
                    {{"indicator", t.indicator}, {"known", joined(known)}});
        }
        t.subzone = optional_string(table, "subzone");
        if (!t.subzone.empty() && !t.indicator.empty()) {
            const std::string kind = indicator_kind(t.indicator, schemas_);
            const KindSchema* k = schemas_.find(kind);
            if (k == nullptr || k->subzones.empty() || t.indicator == "red_line_share_pct" ||
                t.indicator == "red_line_area_ha") {
                problem(*table.get("subzone"), "targets.no_subzones", {{"indicator", t.indicator}});
            } else if (k->find_subzone(t.subzone) == nullptr) {
                std::vector<std::string> ids;
                for (const auto& s : k->subzones) {
                    ids.push_back(s.id);
                }
                problem(*table.get("subzone"), "targets.unknown_subzone",
                        {{"subzone", t.subzone}, {"kind", kind}, {"known", joined(ids)}});
            }
        }
        t.district = optional_string(table, "district");
        t.name_zh = optional_string(table, "name_zh");
        t.name_en = optional_string(table, "name_en");
        t.source_zh = optional_string(table, "source_zh");
        t.source_en = optional_string(table, "source_en");

        const std::string comparison = optional_string(table, "comparison");
        if (comparison.empty()) {
            problem(table, "targets.needs_key", {{"key", "comparison"}});
        } else if (auto c = parse_comparison(comparison)) {
            t.comparison = *c;
        } else {
            problem(*table.get("comparison"), "targets.bad_comparison", {{"comparison", comparison}});
        }
        const std::string type = optional_string(table, "type");
        if (type.empty()) {
            problem(table, "targets.needs_key", {{"key", "type"}});
        } else if (auto ty = parse_type(type)) {
            t.type = *ty;
        } else {
            problem(*table.get("type"), "targets.bad_type", {{"type", type}});
        }

        t.value = optional_number(table, "value");
        t.baseline = optional_number(table, "baseline");
        if (const toml::node* node = table.get("baseline_version")) {
            if (const auto v = node->value<std::int64_t>(); node->is_integer() && v && *v > 0) {
                t.baseline_version = *v;
            } else {
                problem(*node, "targets.bad_baseline_version");
            }
        }
        t.warn_within = optional_number(table, "warn_within");
        if (t.warn_within && *t.warn_within < 0) {
            problem(*table.get("warn_within"), "targets.negative_warn");
        }
        const bool limit = t.comparison == Comparison::at_least || t.comparison == Comparison::at_most;
        if (!comparison.empty() && parse_comparison(comparison)) {
            if (limit && !t.value && table.get("value") == nullptr) {
                problem(table, "targets.needs_value", {{"comparison", comparison}});
            }
            if (!limit && table.get("value") != nullptr) {
                problem(*table.get("value"), "targets.value_not_baseline", {{"comparison", comparison}});
            }
            if (limit && (table.get("baseline") != nullptr || table.get("baseline_version") != nullptr)) {
                problem(table, "targets.baseline_not_limit", {{"comparison", comparison}});
            }
            if (t.baseline && t.baseline_version) {
                problem(table, "targets.baseline_twice");
            }
        }

        const auto from = optional_date(table, "in_force_from");
        if (!from && table.get("in_force_from") == nullptr) {
            problem(table, "targets.needs_key", {{"key", "in_force_from"}});
        }
        const auto to = optional_date(table, "in_force_to");
        t.due = optional_date(table, "due");
        if (from) {
            t.in_force = DateRange{*from, to};
            if (to && *to < *from) {
                problem(*table.get("in_force_to"), "targets.in_force_reversed");
            }
        }
        if (problems_.size() != before) {
            return std::nullopt;
        }
        return t;
    }

    std::filesystem::path file_;
    const SchemaSet& schemas_;
    std::vector<Message> problems_;
};

}  // namespace

const char* comparison_name(Comparison comparison) {
    switch (comparison) {
        case Comparison::at_least:
            return "at_least";
        case Comparison::at_most:
            return "at_most";
        case Comparison::not_decrease:
            return "not_decrease";
        case Comparison::not_increase:
            return "not_increase";
    }
    return "";
}

const char* target_type_name(TargetType type) {
    return type == TargetType::binding ? "binding" : "expected";
}

TargetFile TargetFile::load(const std::filesystem::path& path, const SchemaSet& schemas) {
    return TargetReader(path, schemas).read();
}

std::vector<const Target*> TargetFile::in_force(const LegalDate& day) const {
    std::vector<const Target*> out;
    for (const auto& t : targets) {
        if (t.in_force.contains(day)) {
            out.push_back(&t);
        }
    }
    return out;
}

}  // namespace redline
