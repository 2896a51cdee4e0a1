// The industry vocabulary (layers/industries/): GB/T 4754-2017 codes and names, common
// names and the old facts values, loaded and checked once, then resolved by code or name.
#include "redline/model/industries.hpp"

#include "base/text.hpp"
#include "base/toml_support.hpp"
#include "base/utf32.hpp"
#include "redline/errors.hpp"
#include "redline/message.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <mutex>
#include <set>

namespace redline {

const char* industry_level_name(IndustryLevel level) {
    switch (level) {
        case IndustryLevel::section:
            return "section";
        case IndustryLevel::division:
            return "division";
        case IndustryLevel::group:
            return "group";
        case IndustryLevel::class_:
            return "class";
    }
    return "section";
}

const char* industry_coverage_name(IndustryCoverage coverage) {
    switch (coverage) {
        case IndustryCoverage::no:
            return "no";
        case IndustryCoverage::arguable:
            return "arguable";
        case IndustryCoverage::yes:
            return "yes";
    }
    return "no";
}

struct IndustryCatalog::Data {
    std::string edition;
    std::map<std::string, Industry> entries;                 // canonical code -> entry
    std::map<std::string, std::string> section_of_division;  // "26" -> "C"
    std::set<std::string> complete_divisions;                // "C26"
    std::map<std::string, std::string> official_names;       // name key -> code (the broadest)
    std::vector<CommonIndustryName> common;
    std::map<std::string, std::size_t> common_names;  // name key -> index in common
    std::vector<CommonIndustryName> facts;
};

namespace {

const std::array<std::u32string_view, 9> resolvable_suffixes = {U"项目", U"企业", U"单位", U"行业", U"产业",
                                                                U"类",   U"厂",   U"场",   U"业"};

// The key names are compared by: folded (trim, full-width, case), without spaces and
// quotation marks.
std::string name_key(std::string_view text) {
    std::u32string out;
    for (const char32_t cp : utf32::decode(text)) {
        const char32_t c = utf32::fold(cp);
        if (utf32::is_space(c) || c == U'"' || c == U'\'' || c == U'“' || c == U'”' || c == U'‘' || c == U'’' ||
            c == U'「' || c == U'」' || c == U'『' || c == U'』') {
            continue;
        }
        out += c;
    }
    return utf32::encode(out);
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

IndustryLevel level_of(std::size_t digits) {
    return digits == 0   ? IndustryLevel::section
           : digits == 2 ? IndustryLevel::division
           : digits == 3 ? IndustryLevel::group
                         : IndustryLevel::class_;
}

// The code one level up ("C2614" -> "C261", "C26" -> "C"); "" for a section.
std::string parent_code(std::string_view code) {
    if (code.size() <= 1) {
        return {};
    }
    if (code.size() == 3) {
        return std::string(code.substr(0, 1));
    }
    return std::string(code.substr(0, code.size() - 1));
}

struct Loader {
    std::filesystem::path file;
    std::vector<Message> problems;

    std::map<std::string, long> lines;  // code -> line of its entry

    void problem(const std::string& code, long line, Message::Args args) {
        args.insert(args.begin(), Message::Args::value_type{"line", line});
        args.insert(args.begin(), Message::Args::value_type{"file", file.string()});
        problems.push_back(Message(code, std::move(args)));
    }
    void problem(const std::string& code, const toml::node* node, Message::Args args) {
        problem(code, node != nullptr ? static_cast<long>(node->source().begin.line) : 0L, std::move(args));
    }
    void problem_at(const std::string& code, const std::string& entry, Message::Args args) {
        const auto it = lines.find(entry);
        problem(code, it != lines.end() ? it->second : 0L, std::move(args));
    }

    std::optional<std::string> text(const toml::node* node, const std::string& key) {
        const auto value = node != nullptr ? node->value<std::string>() : std::nullopt;
        if (!value || text::is_blank(*value)) {
            problem("industries.needs_text", node, {{"key", key}});
            return std::nullopt;
        }
        return *value;
    }

    std::vector<std::string> list(const toml::node* node, const std::string& key) {
        std::vector<std::string> out;
        if (node == nullptr) {
            return out;
        }
        const auto* array = node->as_array();
        if (array == nullptr) {
            problem("industries.not_a_list", node, {{"key", key}});
            return out;
        }
        for (const auto& item : *array) {
            if (const auto word = item.value<std::string>(); word && !text::is_blank(*word)) {
                out.push_back(text::trim(*word));
            } else {
                problem("industries.not_a_list", &item, {{"key", key}});
            }
        }
        return out;
    }

    bool flag(const toml::node* node, const std::string& key) {
        if (node == nullptr) {
            return false;
        }
        if (const auto value = node->value<bool>()) {
            return *value;
        }
        problem("industries.not_a_flag", node, {{"key", key}});
        return false;
    }
};

// Reads the standard's file into `data`.
void read_standard(const std::filesystem::path& file, IndustryCatalog::Data& data, Loader& loader) {
    const toml::table root = parse_toml_file(file);
    loader.file = file;
    if (const auto edition = loader.text(root.get("edition"), "edition")) {
        data.edition = *edition;
    }
    auto add = [&](const std::string& code, IndustryLevel level, const std::string& zh, const std::string& en,
                   const toml::node* node) {
        if (!data.entries.emplace(code, Industry{code, level, zh, en, true}).second) {
            loader.problem("industries.duplicate_code", node, {{"code", code}});
        }
        loader.lines[code] = static_cast<long>(node->source().begin.line);
    };
    // A table entry or a plain name.
    auto names_of = [&](const toml::node& node, const std::string& key) -> std::pair<std::string, std::string> {
        if (const auto* table = node.as_table()) {
            return {loader.text(table->get("zh"), key + ".zh").value_or(""),
                    table->contains("en") ? loader.text(table->get("en"), key + ".en").value_or("") : ""};
        }
        return {loader.text(&node, key).value_or(""), ""};
    };

    const auto* sections = root["sections"].as_table();
    if (sections == nullptr) {
        loader.problem("industries.no_table", &root, {{"table", "sections"}});
        return;
    }
    for (const auto& [key, node] : *sections) {
        const std::string letter(key.str());
        const auto* table = node.as_table();
        if (letter.size() != 1 || letter[0] < 'A' || letter[0] > 'T' || table == nullptr) {
            loader.problem("industries.bad_code", &node, {{"code", letter}, {"table", "sections"}});
            continue;
        }
        const auto [zh, en] = names_of(node, "sections." + letter);
        add(letter, IndustryLevel::section, zh, en, &node);
        const auto range = loader.list(table->get("divisions"), "sections." + letter + ".divisions");
        if (range.size() != 2 || !all_digits(range[0]) || !all_digits(range[1]) || range[0].size() != 2 ||
            range[1].size() != 2 || range[0] > range[1]) {
            loader.problem("industries.bad_range", &node, {{"section", letter}});
            continue;
        }
        for (int d = std::stoi(range[0]); d <= std::stoi(range[1]); ++d) {
            const std::string division = (d < 10 ? "0" : "") + std::to_string(d);
            if (!data.section_of_division.emplace(division, letter).second) {
                loader.problem("industries.range_overlap", &node, {{"section", letter}, {"division", division}});
            }
        }
    }
    for (int d = 1; d <= 97; ++d) {
        const std::string division = (d < 10 ? "0" : "") + std::to_string(d);
        if (!data.section_of_division.contains(division)) {
            loader.problem("industries.division_outside_sections", sections, {{"division", division}});
        }
    }

    // Divisions, groups and classes: digits only in the file, the section letter from the
    // division's range.
    auto read_level = [&](const char* table_name, std::size_t digits) {
        const auto* table = root[table_name].as_table();
        if (table == nullptr) {
            loader.problem("industries.no_table", &root, {{"table", table_name}});
            return;
        }
        for (const auto& [key, node] : *table) {
            const std::string number(key.str());
            const auto section = number.size() >= 2 ? data.section_of_division.find(number.substr(0, 2))
                                                    : data.section_of_division.end();
            if (number.size() != digits || !all_digits(number) || section == data.section_of_division.end()) {
                loader.problem("industries.bad_code", &node, {{"code", number}, {"table", table_name}});
                continue;
            }
            const std::string code = section->second + number;
            const auto [zh, en] = names_of(node, std::string(table_name) + "." + number);
            add(code, level_of(digits), zh, en, &node);
            if (digits == 2) {
                if (const auto* entry = node.as_table(); entry != nullptr && entry->contains("complete")) {
                    if (loader.flag(entry->get("complete"), std::string(table_name) + "." + number + ".complete")) {
                        data.complete_divisions.insert(code);
                    }
                }
            }
        }
    };
    read_level("divisions", 2);
    read_level("groups", 3);
    read_level("classes", 4);

    // Parents listed, every division present, groups listing their classes, complete
    // divisions holding groups.
    std::map<std::string, std::size_t> children;
    for (const auto& [code, entry] : data.entries) {
        if (const std::string parent = parent_code(code); !parent.empty()) {
            if (!data.entries.contains(parent)) {
                loader.problem_at("industries.no_parent", code, {{"code", code}, {"parent", parent}});
            }
            ++children[parent];
        }
    }
    for (const auto& [division, section] : data.section_of_division) {
        if (!data.entries.contains(section + division)) {
            loader.problem("industries.missing_division", root.get("divisions"), {{"code", section + division}});
        }
    }
    for (const auto& [code, entry] : data.entries) {
        if ((entry.level == IndustryLevel::group || data.complete_divisions.contains(code)) &&
            !children.contains(code)) {
            loader.problem_at("industries.no_children", code, {{"code", code}});
        }
    }

    // Names: unique, except along a chain of only children (a single-class group and its
    // class, a single-division section and its division); the broadest code keeps the name.
    for (const auto& [code, entry] : data.entries) {
        const std::string key = name_key(entry.name_zh);
        const auto [it, inserted] = data.official_names.emplace(key, code);
        if (inserted) {
            continue;
        }
        const std::string& other = it->second;  // shorter or equal length: map order is by code
        bool only_children = IndustryCatalog::covers(other, code);
        for (std::string up = code; only_children && up != other; up = parent_code(up)) {
            only_children = children[parent_code(up)] == 1;
        }
        if (!only_children) {
            loader.problem_at("industries.duplicate_name", code,
                              {{"name", entry.name_zh}, {"code", code}, {"other", other}});
        }
    }
}

void read_common_names(const std::filesystem::path& file, IndustryCatalog::Data& data, Loader& loader,
                       const IndustryCatalog& catalog) {
    const toml::table root = parse_toml_file(file);
    loader.file = file;
    auto check_codes = [&](const std::vector<std::string>& codes, const toml::node* node, const std::string& key) {
        std::vector<std::string> out;
        for (const auto& code : codes) {
            const auto canonical = catalog.canonical_code(code);
            if (!canonical || *canonical != code || !catalog.find(code)) {
                loader.problem("industries.unknown_reference", node, {{"key", key}, {"code", code}});
            } else {
                out.push_back(code);
            }
        }
        return out;
    };
    auto read_entry = [&](const toml::table& table, const std::string& key, CommonIndustryName& entry) {
        entry.codes = check_codes(loader.list(table.get("codes"), key + ".codes"), table.get("codes"), key + ".codes");
        entry.arguable = check_codes(loader.list(table.get("arguable"), key + ".arguable"), table.get("arguable"),
                                     key + ".arguable");
        entry.partial = loader.flag(table.get("partial"), key + ".partial");
        entry.judgement = loader.flag(table.get("judgement"), key + ".judgement");
        entry.within =
            check_codes(loader.list(table.get("within"), key + ".within"), table.get("within"), key + ".within");
        if (table.contains("note_zh")) {
            entry.note_zh = loader.text(table.get("note_zh"), key + ".note_zh").value_or("");
        }
        if (table.contains("note_en")) {
            entry.note_en = loader.text(table.get("note_en"), key + ".note_en").value_or("");
        }
        if (entry.judgement && (!entry.codes.empty() || !entry.arguable.empty())) {
            loader.problem("industries.judgement_with_codes", &table, {{"key", key}});
        }
        if (!entry.judgement && !entry.within.empty()) {
            loader.problem("industries.within_without_judgement", &table, {{"key", key}});
        }
    };

    if (const auto* names = root["name"].as_array()) {
        for (const auto& node : *names) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                loader.problem("industries.not_a_table", &node, {{"key", "name"}});
                continue;
            }
            CommonIndustryName entry;
            entry.id = loader.text(table->get("id"), "name.id").value_or("");
            const std::string key = "name." + entry.id;
            entry.names = loader.list(table->get("names"), key + ".names");
            read_entry(*table, key, entry);
            if (!entry.judgement && entry.codes.empty()) {
                loader.problem("industries.no_codes", table, {{"key", key}});
            }
            const auto overrides = loader.list(table->get("overrides"), key + ".overrides");
            for (const auto& name : entry.names) {
                const std::string name_k = name_key(name);
                if (const auto official = data.official_names.find(name_k);
                    official != data.official_names.end() &&
                    std::find(overrides.begin(), overrides.end(), name) == overrides.end()) {
                    loader.problem("industries.shadows_official", table, {{"name", name}, {"code", official->second}});
                }
                if (!data.common_names.emplace(name_k, data.common.size()).second) {
                    loader.problem("industries.duplicate_common_name", table, {{"name", name}});
                }
            }
            for (const auto& name : overrides) {
                if (!data.official_names.contains(name_key(name)) ||
                    std::find(entry.names.begin(), entry.names.end(), name) == entry.names.end()) {
                    loader.problem("industries.bad_override", table, {{"name", name}});
                }
            }
            if (std::any_of(data.common.begin(), data.common.end(), [&](const auto& c) { return c.id == entry.id; })) {
                loader.problem("industries.duplicate_id", table, {{"id", entry.id}});
            }
            data.common.push_back(std::move(entry));
        }
    } else {
        loader.problem("industries.no_table", &root, {{"table", "name"}});
    }

    if (const auto* facts = root["facts"].as_table()) {
        for (const auto& [value, node] : *facts) {
            const auto* table = node.as_table();
            if (table == nullptr) {
                loader.problem("industries.not_a_table", &node, {{"key", "facts." + std::string(value.str())}});
                continue;
            }
            CommonIndustryName entry;
            entry.id = std::string(value.str());
            read_entry(*table, "facts." + entry.id, entry);
            data.facts.push_back(std::move(entry));
        }
    } else {
        loader.problem("industries.no_table", &root, {{"table", "facts"}});
    }
}

IndustryMatch match_of(const CommonIndustryName& entry, IndustryMatch::By by) {
    IndustryMatch match;
    match.by = by;
    match.id = entry.id;
    match.codes = entry.codes;
    match.arguable = entry.arguable;
    match.partial = entry.partial;
    match.judgement = entry.judgement;
    match.within = entry.within;
    return match;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        out += (out.empty() ? "" : "、") + w;
    }
    return out;
}

}  // namespace

IndustryCatalog IndustryCatalog::load(const std::filesystem::path& layers_dir) {
    static std::mutex mutex;
    static std::map<std::filesystem::path, std::pair<std::string, std::shared_ptr<const Data>>> parsed;
    const auto directory = layers_dir / "industries";
    const auto standard_file = directory / "gbt4754_2017.toml";
    const auto names_file = directory / "common_names.toml";
    for (const auto& file : {standard_file, names_file}) {
        if (!std::filesystem::is_regular_file(file)) {
            throw DataError(Message("industries.no_file", {{"file", file.string()}}));
        }
    }
    const std::string stamp = file_stamp(standard_file) + "|" + file_stamp(names_file);
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (const auto found = parsed.find(directory); found != parsed.end() && found->second.first == stamp) {
            IndustryCatalog catalog;
            catalog.data_ = found->second.second;
            return catalog;
        }
    }
    auto data = std::make_shared<Data>();
    Loader loader;
    read_standard(standard_file, *data, loader);
    IndustryCatalog catalog;
    catalog.data_ = data;  // codes are checked against the standard while the names are read
    read_common_names(names_file, *data, loader, catalog);
    if (!loader.problems.empty()) {
        throw DataError(Message("industries.problems",
                                {{"count", loader.problems.size()}, {"list", Message::list(loader.problems)}}));
    }
    const std::lock_guard<std::mutex> lock(mutex);
    parsed[directory] = {stamp, data};
    return catalog;
}

const std::string& IndustryCatalog::edition() const {
    return data_->edition;
}

std::optional<std::string> IndustryCatalog::canonical_code(std::string_view text) const {
    std::string compact;
    for (const char c : name_key(text)) {
        compact += c;
    }
    if (compact.empty() || compact.size() > 5) {
        return std::nullopt;
    }
    std::string letter;
    std::string digits = compact;
    if (std::isalpha(static_cast<unsigned char>(compact[0]))) {
        letter = std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(compact[0]))));
        digits = compact.substr(1);
    }
    if (digits.empty()) {
        return letter.size() == 1 && data_->entries.contains(letter) ? std::optional(letter) : std::nullopt;
    }
    if (!all_digits(digits) || digits.size() < 2 || digits.size() > 4) {
        return std::nullopt;
    }
    const auto section = data_->section_of_division.find(digits.substr(0, 2));
    if (section == data_->section_of_division.end() || (!letter.empty() && letter != section->second)) {
        return std::nullopt;
    }
    return section->second + digits;
}

std::optional<Industry> IndustryCatalog::find(std::string_view code) const {
    if (const auto it = data_->entries.find(std::string(code)); it != data_->entries.end()) {
        return it->second;
    }
    if (code.size() < 4 || canonical_code(code) != std::string(code)) {
        return std::nullopt;
    }
    // Unlisted: fine under a division not listed in full, unless a listed group says
    // which classes exist.
    const std::string division(code.substr(0, 3));
    if (data_->complete_divisions.contains(division)) {
        return std::nullopt;
    }
    if (code.size() == 5 && data_->entries.contains(std::string(code.substr(0, 4)))) {
        return std::nullopt;
    }
    return Industry{std::string(code), level_of(code.size() - 1), "", "", false};
}

std::vector<Industry> IndustryCatalog::entries() const {
    std::vector<Industry> out;
    out.reserve(data_->entries.size());
    for (const auto& [code, entry] : data_->entries) {
        out.push_back(entry);
    }
    return out;
}

std::string IndustryCatalog::name(std::string_view code, Language language) const {
    const auto it = data_->entries.find(std::string(code));
    if (it == data_->entries.end()) {
        return {};
    }
    return language == Language::en && !it->second.name_en.empty() ? it->second.name_en : it->second.name_zh;
}

std::optional<IndustryMatch> IndustryCatalog::try_resolve(std::string_view text) const {
    if (const auto code = canonical_code(text)) {
        if (!find(*code)) {
            return std::nullopt;
        }
        IndustryMatch match;
        match.by = IndustryMatch::By::code;
        match.id = *code;
        match.codes = {*code};
        return match;
    }
    auto by_key = [&](const std::string& key) -> std::optional<IndustryMatch> {
        if (const auto it = data_->common_names.find(key); it != data_->common_names.end()) {
            return match_of(data_->common[it->second], IndustryMatch::By::common_name);
        }
        if (const auto it = data_->official_names.find(key); it != data_->official_names.end()) {
            IndustryMatch match;
            match.by = IndustryMatch::By::official_name;
            match.id = it->second;
            match.codes = {it->second};
            return match;
        }
        for (const auto& fact : data_->facts) {
            if (fact.id == key) {
                return match_of(fact, IndustryMatch::By::fact_value);
            }
        }
        return std::nullopt;
    };
    const std::string key = name_key(text);
    if (key.empty()) {
        return std::nullopt;
    }
    if (auto match = by_key(key)) {
        return match;
    }
    const std::u32string wide = utf32::decode(key);
    for (const auto suffix : resolvable_suffixes) {
        if (wide.size() > suffix.size() && wide.ends_with(suffix)) {
            const std::string stem = utf32::encode(wide.substr(0, wide.size() - suffix.size()));
            if (auto match = by_key(stem)) {
                return match;
            }
            // 非金属矿物制品项目: the official name is 非金属矿物制品业.
            if (auto match = by_key(stem + "业"); match && match->by == IndustryMatch::By::official_name) {
                return match;
            }
        }
    }
    return std::nullopt;
}

IndustryMatch IndustryCatalog::resolve(std::string_view text) const {
    if (auto match = try_resolve(text)) {
        return *match;
    }
    const std::string shown = text::trim(text);
    if (shown.empty()) {
        throw UsageError(Message("industries.empty"));
    }
    // Shaped like a code: name the listed codes next to where it would be.
    std::string compact = name_key(text);
    if (!compact.empty() &&
        std::all_of(compact.begin() + (std::isalpha(static_cast<unsigned char>(compact[0])) ? 1 : 0), compact.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        std::string near;
        if (const auto code = canonical_code(text)) {
            std::string parent = parent_code(*code);
            while (!parent.empty() && !data_->entries.contains(parent)) {
                parent = parent_code(parent);
            }
            std::vector<std::string> siblings;
            for (const auto& [other, entry] : data_->entries) {
                if (parent_code(other) == parent && siblings.size() < 12) {
                    siblings.push_back(other + " " + entry.name_zh);
                }
            }
            near = joined(siblings);
        }
        throw UsageError(Message(near.empty() ? "industries.not_a_code" : "industries.unknown_code",
                                 {{"text", shown}, {"close", near}, {"edition", edition()}}));
    }
    const auto close = suggestions(text);
    if (close.empty()) {
        throw UsageError(Message("industries.unknown_name_none_close", {{"text", shown}, {"edition", edition()}}));
    }
    throw UsageError(
        Message("industries.unknown_name", {{"text", shown}, {"close", joined(close)}, {"edition", edition()}}));
}

std::vector<std::string> IndustryCatalog::suggestions(std::string_view text, std::size_t count) const {
    const std::u32string wanted = utf32::decode(name_key(text));
    if (wanted.empty()) {
        return {};
    }
    struct Candidate {
        double score;
        std::string name;
    };
    std::vector<Candidate> candidates;
    std::set<std::string> seen;
    auto consider = [&](const std::string& name) {
        if (!seen.insert(name).second) {
            return;
        }
        const std::u32string other = utf32::decode(name_key(name));
        if (other.empty()) {
            return;
        }
        const double longest = static_cast<double>(std::max(wanted.size(), other.size()));
        const double by_edits = 1.0 - static_cast<double>(utf32::edit_distance(wanted, other)) / longest;
        // Characters in common, each counted as often as both have it.
        std::multiset<char32_t> pool(other.begin(), other.end());
        std::size_t shared = 0;
        for (const char32_t c : wanted) {
            if (const auto it = pool.find(c); it != pool.end()) {
                pool.erase(it);
                ++shared;
            }
        }
        const double by_characters = static_cast<double>(shared) / longest;
        const bool contained = other.find(wanted) != std::u32string::npos || wanted.find(other) != std::u32string::npos;
        const double score = std::max(by_edits, by_characters) + (contained ? 0.25 : 0.0);
        if (score >= 0.4 || (shared >= 2 && by_characters >= 0.25)) {
            candidates.push_back({score, name});
        }
    };
    for (const auto& entry : data_->common) {
        for (const auto& name : entry.names) {
            consider(name);
        }
    }
    for (const auto& [code, entry] : data_->entries) {
        consider(entry.name_zh);
    }
    for (const auto& fact : data_->facts) {
        consider(fact.id);
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    std::vector<std::string> out;
    for (const auto& c : candidates) {
        if (out.size() == count) {
            break;
        }
        out.push_back(c.name);
    }
    return out;
}

bool IndustryCatalog::covers(std::string_view clause_code, std::string_view project_code) {
    return !clause_code.empty() && project_code.size() >= clause_code.size() && project_code.starts_with(clause_code);
}

IndustryCoverage IndustryCatalog::coverage(const IndustryMatch& match, std::string_view project_code) const {
    if (match.judgement) {
        // Outside its bounds a category cannot reach a project; within them only a person can say.
        const bool bounded = !match.within.empty() &&
                             std::none_of(match.within.begin(), match.within.end(), [&](const std::string& code) {
                                 return covers(code, project_code) || covers(project_code, code);
                             });
        return bounded ? IndustryCoverage::no : IndustryCoverage::arguable;
    }
    for (const auto& code : match.arguable) {
        if (covers(code, project_code)) {
            return IndustryCoverage::arguable;
        }
    }
    for (const auto& code : match.codes) {
        if (covers(code, project_code)) {
            return match.partial ? IndustryCoverage::arguable : IndustryCoverage::yes;
        }
    }
    // A project known only coarsely (C26) may lie in what the match names (C2614).
    for (const auto* codes : {&match.codes, &match.arguable}) {
        for (const auto& code : *codes) {
            if (covers(project_code, code)) {
                return IndustryCoverage::arguable;
            }
        }
    }
    return IndustryCoverage::no;
}

IndustryCoverage IndustryCatalog::coverage(const IndustryMatch& match, const IndustryMatch& project) const {
    if (match.by == project.by && match.id == project.id && !match.judgement) {
        return IndustryCoverage::yes;
    }
    if (project.judgement || project.codes.empty()) {
        return IndustryCoverage::arguable;
    }
    std::optional<IndustryCoverage> all;
    for (const auto& code : project.codes) {
        const IndustryCoverage one = coverage(match, code);
        if (all && *all != one) {
            return IndustryCoverage::arguable;
        }
        all = one;
    }
    const IndustryCoverage agreed = all.value_or(IndustryCoverage::arguable);
    return project.partial && agreed == IndustryCoverage::yes && match.partial ? IndustryCoverage::arguable : agreed;
}

const std::vector<CommonIndustryName>& IndustryCatalog::common_names() const {
    return data_->common;
}

const CommonIndustryName* IndustryCatalog::common_name(std::string_view id) const {
    for (const auto& entry : data_->common) {
        if (entry.id == id) {
            return &entry;
        }
    }
    return nullptr;
}

const std::vector<CommonIndustryName>& IndustryCatalog::fact_values() const {
    return data_->facts;
}

std::optional<IndustryMatch> IndustryCatalog::fact_value(std::string_view value) const {
    for (const auto& fact : data_->facts) {
        if (fact.id == value) {
            return match_of(fact, IndustryMatch::By::fact_value);
        }
    }
    return std::nullopt;
}

FactIndustryValues IndustryCatalog::fact_values_of(std::string_view project_code) const {
    FactIndustryValues out;
    for (const auto& fact : data_->facts) {
        switch (coverage(match_of(fact, IndustryMatch::By::fact_value), project_code)) {
            case IndustryCoverage::yes:
                out.certain.push_back(fact.id);
                break;
            case IndustryCoverage::arguable:
                out.arguable.push_back(fact.id);
                break;
            case IndustryCoverage::no:
                break;
        }
    }
    return out;
}

}  // namespace redline
