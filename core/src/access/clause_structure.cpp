#include "redline/access/clause_structure.hpp"

#include "redline/errors.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace redline::access {
namespace {

// How an industry reference is written so that the catalog resolves it again to the same.
std::string industry_word(const IndustryMatch& match, const IndustryCatalog& catalog) {
    if (match.by == IndustryMatch::By::common_name) {
        if (const CommonIndustryName* name = catalog.common_name(match.id); name != nullptr && !name->names.empty()) {
            return name->names.front();
        }
    }
    return match.id;
}

nlohmann::ordered_json industry_list(const std::vector<IndustryRef>& refs, const IndustryCatalog& catalog) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& ref : refs) {
        out.push_back(industry_word(ref.match, catalog));
    }
    return out;
}

[[noreturn]] void refuse(const std::string& key, const char* problem, Message::Args args = {}) {
    throw UsageError(
        Message("access.structure_invalid", {{"key", key}, {"problem", Message(problem, std::move(args))}}));
}

template <typename Enum, std::size_t N>
Enum enum_named(const std::string& key, const std::string& name, const Enum (&all)[N], const char* (*name_of)(Enum)) {
    std::string known;
    for (Enum value : all) {
        if (name == name_of(value)) {
            return value;
        }
        known += (known.empty() ? "" : ", ") + std::string(name_of(value));
    }
    refuse(key, "access.structure.unknown_value", {{"value", name}, {"known", known}});
}

std::vector<std::string> string_list(const nlohmann::json& object, const std::string& key) {
    std::vector<std::string> out;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return out;
    }
    if (!it->is_array()) {
        refuse(key, "access.structure.not_list");
    }
    for (const auto& item : *it) {
        if (!item.is_string()) {
            refuse(key, "access.structure.not_list");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::vector<IndustryRef> industries_named(const std::vector<std::string>& words, const std::string& key,
                                          const IndustryCatalog& catalog) {
    std::vector<IndustryRef> out;
    for (const auto& word : words) {
        const auto match = catalog.try_resolve(word);
        if (!match) {
            std::string close;
            for (const auto& name : catalog.suggestions(word, 3)) {
                close += (close.empty() ? "" : ", ") + name;
            }
            refuse(key, "access.structure.unknown_industry", {{"word", word}, {"close", close}});
        }
        if (match->judgement) {
            refuse(key, "access.structure.category", {{"word", word}});
        }
        out.push_back({Span{}, *match});
    }
    return out;
}

}  // namespace

std::string structure_json(const Clause& clause, const IndustryCatalog& catalog) {
    nlohmann::ordered_json j;
    j["action"] = clause.action ? nlohmann::ordered_json(action_name(*clause.action)) : nlohmann::ordered_json(nullptr);
    nlohmann::ordered_json scales = nlohmann::ordered_json::array();
    for (Scale scale : clause.scales) {
        scales.push_back(scale_name(scale));
    }
    j["scales"] = std::move(scales);
    j["target"] = target_name(clause.target);
    j["all_industries"] = clause.all_industries;
    j["industries"] = industry_list(clause.industries, catalog);
    nlohmann::ordered_json excepted = nlohmann::ordered_json::array();
    bool condition = false;
    for (const auto& exception : clause.exceptions) {
        for (const auto& item : industry_list(exception.industries, catalog)) {
            excepted.push_back(item);
        }
        condition = condition || exception.condition;
    }
    j["except"] = std::move(excepted);
    if (condition) {
        j["except_condition"] = true;
    }
    if (clause.target == Target::outfalls) {
        j["outfall_waters"] = clause.outfall_waters;
        j["outfall_types"] = clause.outfall_types;
    }
    if (clause.open_list) {
        j["open_list"] = true;
    }
    if (clause.category) {
        j["category"] = industry_word(clause.category->match, catalog);
    }
    if (!clause.thresholds.empty()) {
        nlohmann::ordered_json thresholds = nlohmann::ordered_json::array();
        for (const auto& t : clause.thresholds) {
            thresholds.push_back({{"role", threshold_role_name(t.role)},
                                  {"measure", measure_name(t.measure)},
                                  {"comparison", comparison_name(t.comparison)},
                                  {"value", t.value},
                                  {"unit", unit_name(t.unit)}});
        }
        j["thresholds"] = std::move(thresholds);
    }
    if (!clause.judgements.empty()) {
        nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
        for (const auto& judgement : clause.judgements) {
            reasons.push_back(reason_name(judgement.reason));
        }
        j["judgements"] = std::move(reasons);
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void apply_structure(Clause& clause, std::string_view json, const IndustryCatalog& catalog) {
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        refuse("structure", "access.structure.not_object");
    }
    static const std::set<std::string> known = {"action",     "scales", "target",         "all_industries",
                                                "industries", "except", "outfall_waters", "outfall_types"};
    for (const auto& [key, value] : j.items()) {
        if (!known.contains(key)) {
            refuse(key, "access.structure.unknown_key");
        }
    }
    const auto action = j.find("action");
    if (action == j.end() || !action->is_string()) {
        refuse("action", "access.structure.missing");
    }
    static const Action actions[] = {Action::prohibit, Action::restrict,  Action::strictly_control,
                                     Action::require,  Action::encourage, Action::refer};
    static const Scale scales[] = {Scale::new_build, Scale::expansion, Scale::reconstruction, Scale::existing};
    static const Target targets[] = {Target::projects, Target::outfalls};

    Clause corrected;
    corrected.action = enum_named("action", action->get<std::string>(), actions, action_name);
    for (const auto& name : string_list(j, "scales")) {
        const Scale scale = enum_named("scales", name, scales, scale_name);
        if (std::find(corrected.scales.begin(), corrected.scales.end(), scale) == corrected.scales.end()) {
            corrected.scales.push_back(scale);
        }
    }
    if (const auto target = j.find("target"); target != j.end()) {
        if (!target->is_string()) {
            refuse("target", "access.structure.not_word");
        }
        corrected.target = enum_named("target", target->get<std::string>(), targets, target_name);
    }
    if (const auto all = j.find("all_industries"); all != j.end()) {
        if (!all->is_boolean()) {
            refuse("all_industries", "access.structure.not_boolean");
        }
        corrected.all_industries = all->get<bool>();
    }
    corrected.industries = industries_named(string_list(j, "industries"), "industries", catalog);
    if (auto excepted = industries_named(string_list(j, "except"), "except", catalog); !excepted.empty()) {
        corrected.exceptions.push_back({Span{}, std::move(excepted), false});
    }
    corrected.outfall_waters = string_list(j, "outfall_waters");
    corrected.outfall_types = string_list(j, "outfall_types");
    if (corrected.target == Target::projects && !corrected.all_industries && corrected.industries.empty() &&
        *corrected.action != Action::refer) {
        refuse("industries", "access.structure.no_industries");
    }
    if (corrected.all_industries && !corrected.industries.empty()) {
        refuse("all_industries", "access.structure.all_and_list");
    }
    // The place and words stay; only what the clause governs is replaced.
    corrected.text = std::move(clause.text);
    corrected.offset = clause.offset;
    corrected.label = std::move(clause.label);
    corrected.item = clause.item;
    corrected.sentence = clause.sentence;
    corrected.part = clause.part;
    corrected.dimension = clause.dimension;
    clause = std::move(corrected);
}

}  // namespace redline::access
