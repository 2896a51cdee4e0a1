// The vocabulary of activity facts (layers/facts.toml): values, aliases and the input
// attribute names that carry them.
#include "base/text.hpp"
#include "base/toml_support.hpp"
#include "model/fact_slots.hpp"
#include "redline/errors.hpp"
#include "redline/model/rules.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace redline {

using facts::boolean_facts;
using facts::derived_facts;
using facts::flag_slot;
using facts::join;
using facts::value_facts;
using facts::value_slot;

namespace {}  // namespace

FactVocabulary FactVocabulary::load(const std::filesystem::path& layers_dir) {
    // Parsed once per file and kept while it is unchanged: reports and every screening
    // ask for it (a server's request parsed the TOML three times, 5 % of its time).
    static std::mutex mutex;
    static std::map<std::filesystem::path, std::pair<std::string, std::shared_ptr<const FactVocabulary>>> parsed;
    const auto file = layers_dir / "facts.toml";
    const std::string stamp = file_stamp(file);
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (const auto found = parsed.find(file);
            !stamp.empty() && found != parsed.end() && found->second.first == stamp) {
            return *found->second.second;
        }
    }
    FactVocabulary made = parse(file);
    // The industry catalog beside it, read with it (and again only with it).
    if (std::filesystem::is_directory(layers_dir / "industries")) {
        made.industries_ = std::make_shared<const IndustryCatalog>(IndustryCatalog::load(layers_dir));
    }
    auto vocabulary = std::make_shared<const FactVocabulary>(std::move(made));
    const std::lock_guard<std::mutex> lock(mutex);
    if (!stamp.empty()) {
        parsed[file] = {stamp, vocabulary};
    }
    return *vocabulary;
}

FactVocabulary FactVocabulary::parse(const std::filesystem::path& file) {
    const toml::table root = parse_toml_file(file);
    FactVocabulary vocabulary;
    // A list of words, or an error naming the key: a hand-edited file must not lose words
    // (or crash) in silence.
    auto list = [&](const toml::node* node, const std::string& key) {
        std::vector<std::string> out;
        const auto* array = node != nullptr ? node->as_array() : nullptr;
        if (array == nullptr) {
            throw DataError(Message("facts.not_a_list", {{"file", file.string()}, {"key", key}}));
        }
        for (const auto& item : *array) {
            const auto word = item.value<std::string>();
            if (!word) {
                throw DataError(Message("facts.not_a_list", {{"file", file.string()}, {"key", key}}));
            }
            out.push_back(*word);
        }
        return out;
    };
    if (const auto* fields = root["fields"].as_table()) {
        for (const auto& [fact, node] : *fields) {
            vocabulary.fields_[std::string(fact.str())] = list(&node, "fields." + std::string(fact.str()));
        }
    }
    if (const auto* booleans = root["booleans"].as_table()) {
        vocabulary.true_words_ = list(booleans->get("true"), "booleans.true");
        vocabulary.false_words_ = list(booleans->get("false"), "booleans.false");
    }
    if (const auto* values = root["values"].as_table()) {
        for (const auto& [fact, node] : *values) {
            if (const auto* table = node.as_table()) {
                for (const auto& [value, aliases] : *table) {
                    vocabulary.values_[std::string(fact.str())][std::string(value.str())] =
                        list(&aliases, "values." + std::string(fact.str()) + "." + std::string(value.str()));
                    vocabulary.value_names_[std::string(fact.str())].emplace_back(value.str());
                }
            }
        }
    }
    for (const auto& fact : value_facts) {
        if (!vocabulary.values_.contains(fact)) {
            throw DataError(Message("facts.no_values_table", {{"file", file.string()}, {"fact", fact}}));
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

bool FactVocabulary::read_industry(const std::string& text, ActivityFacts& facts) const {
    facts.industry_codes.clear();
    // A facts.toml value is a category the rules key on, not an industry of the standard:
    // it is kept as given (the catalog knows its codes where a clause needs them).
    if (const auto value = canonical("industry", text)) {
        facts.industry = *value;
        return true;
    }
    const auto match = industries_ != nullptr ? industries_->try_resolve(text) : std::nullopt;
    if (!match) {
        return false;
    }
    facts.industry_codes = match->codes;
    // The rules key on facts.toml's coarse values: one that every code certainly falls
    // under is the industry; several, an arguable one, or a category without codes (重污染)
    // leave it unknown, so that rules state what they assumed rather than guess.
    std::set<std::string> certain;
    bool arguable = match->judgement || match->codes.empty() || !match->arguable.empty();
    for (const auto& code : match->codes) {
        const FactIndustryValues values = industries_->fact_values_of(code);
        certain.insert(values.certain.begin(), values.certain.end());
        arguable = arguable || !values.arguable.empty() || values.certain.empty();
    }
    facts.industry.reset();
    if (certain.size() == 1 && !arguable) {
        facts.industry = *certain.begin();
    }
    return true;
}

std::string FactVocabulary::industry_codes_text(const ActivityFacts& facts, Language language) const {
    std::string out;
    for (const auto& code : facts.industry_codes) {
        const std::string name = industries_ != nullptr ? industries_->name(code, language) : std::string();
        out += (out.empty() ? "" : (language == Language::zh ? "、" : ", ")) + code + (name.empty() ? "" : " " + name);
    }
    return out;
}

ActivityFacts FactVocabulary::from_options(const std::map<std::string, std::string>& given) const {
    ActivityFacts facts;
    for (const auto& [fact, text] : given) {
        std::string option = "--" + fact;
        std::replace(option.begin(), option.end(), '_', '-');
        if (boolean_facts.contains(fact)) {
            const auto value = boolean(text);
            if (!value) {
                throw UsageError(Message("facts.option_not_boolean", {{"option", option}, {"value", text}}));
            }
            *flag_slot(facts, fact) = *value;
        } else if (fact == "industry") {
            if (!read_industry(text, facts)) {
                if (industries_ == nullptr) {
                    throw UsageError(Message("facts.option_unknown_value",
                                             {{"option", option}, {"value", text}, {"known", join(values(fact))}}));
                }
                industries_->resolve(text);  // throws the catalog's error, with the names close to it
            }
        } else if (value_facts.contains(fact) && !derived_facts.contains(fact)) {
            const auto value = canonical(fact, text);
            if (!value) {
                throw UsageError(Message("facts.option_unknown_value",
                                         {{"option", option}, {"value", text}, {"known", join(values(fact))}}));
            }
            *value_slot(facts, fact) = *value;
        } else {
            throw UsageError(Message("facts.unknown_fact", {{"fact", fact}}));
        }
        facts.sources[fact] = Message("facts.from_option", {{"option", option}});
    }
    return facts;
}

ActivityFacts FactVocabulary::from_attributes(const std::map<std::string, std::string>& attributes,
                                              const ActivityFacts& defaults, std::vector<Message>& warnings) const {
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
    if (auto found = find_attribute("industry")) {
        if (read_industry(found->second, facts)) {
            facts.sources["industry"] = Message("facts.from_attribute", {{"field", found->first}});
        } else {
            warnings.push_back(Message("facts.attribute_unknown_value", {{"field", found->first},
                                                                         {"value", found->second},
                                                                         {"fact", "industry"},
                                                                         {"known", join(values("industry"))}}));
        }
    }
    for (const std::string fact : {"activity", "outfall_type", "receiving_water", "scale"}) {
        if (auto found = find_attribute(fact)) {
            if (auto value = canonical(fact, found->second)) {
                *value_slot(facts, fact) = *value;
                facts.sources[fact] = Message("facts.from_attribute", {{"field", found->first}});
            } else {
                warnings.push_back(Message("facts.attribute_unknown_value", {{"field", found->first},
                                                                             {"value", found->second},
                                                                             {"fact", fact},
                                                                             {"known", join(values(fact))}}));
            }
        }
    }
    for (const std::string fact : {"discharges", "listed_activity"}) {
        if (auto found = find_attribute(fact)) {
            if (auto value = boolean(found->second)) {
                *flag_slot(facts, fact) = *value;
                facts.sources[fact] = Message("facts.from_attribute", {{"field", found->first}});
            } else {
                warnings.push_back(
                    Message("facts.attribute_not_boolean", {{"field", found->first}, {"value", found->second}}));
            }
        }
    }
    return facts;
}

}  // namespace redline
