#include "redline/model/law.hpp"

#include "base/toml_support.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace redline {
namespace {

std::chrono::sys_days to_days(const LegalDate& d) {
    return std::chrono::sys_days(std::chrono::year(d.year) / std::chrono::month(static_cast<unsigned>(d.month)) /
                                 std::chrono::day(static_cast<unsigned>(d.day)));
}

LegalDate from_days(std::chrono::sys_days days) {
    const std::chrono::year_month_day ymd(days);
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

const char* const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

std::vector<int> article_parts(const std::string& article) {
    std::vector<int> parts;
    std::size_t start = 0;
    while (start <= article.size()) {
        const std::size_t dot = article.find('.', start);
        const std::string_view part(article.data() + start, (dot == std::string::npos ? article.size() : dot) - start);
        const auto n = parse_int(part);
        if (!n || *n < 1 || *n > 9999) {
            return {};
        }
        parts.push_back(*n);
        if (dot == std::string::npos) {
            break;
        }
        start = dot + 1;
    }
    return parts.size() <= 3 ? parts : std::vector<int>{};
}

}  // namespace

std::optional<LegalDate> LegalDate::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    const auto y = parse_int(text.substr(0, 4));
    const auto m = parse_int(text.substr(5, 2));
    const auto d = parse_int(text.substr(8, 2));
    if (!y || !m || !d) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd(std::chrono::year(*y), std::chrono::month(static_cast<unsigned>(*m)),
                                          std::chrono::day(static_cast<unsigned>(*d)));
    if (!ymd.ok() || *y < 1949 || *y > 2999) {
        return std::nullopt;
    }
    return LegalDate{*y, *m, *d};
}

LegalDate LegalDate::today() {
    // The law counts days in China: the date at UTC+8, whatever the machine's zone.
    const auto now = std::chrono::system_clock::now() + std::chrono::hours(8);
    return from_days(std::chrono::floor<std::chrono::days>(now));
}

std::string LegalDate::text() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

LegalDate LegalDate::next_day() const {
    return from_days(to_days(*this) + std::chrono::days(1));
}

LegalDate LegalDate::previous_day() const {
    return from_days(to_days(*this) - std::chrono::days(1));
}

bool DateRange::overlaps(const DateRange& other) const {
    const bool this_before = to && *to < other.from;
    const bool other_before = other.to && *other.to < from;
    return !this_before && !other_before;
}

std::string DateRange::text() const {
    return from.text() + " –" + (to ? " " + to->text() : "");
}

void LegalSources::read(const std::filesystem::path& file, bool local, std::vector<Message>& problems) {
    toml::table root;
    try {
        root = parse_toml_file(file);
    } catch (const DataError& e) {
        if (!local) {  // a local rule file's syntax is reported once, by the rule reader
            problems.push_back(e.message());
        }
        return;
    }
    // A problem at a node: its code with the file and line, then its own arguments.
    auto problem = [&](const toml::node& node, std::string code, Message::Args args = {}) {
        Message message(std::move(code),
                        {{"file", file.string()}, {"line", static_cast<long>(node.source().begin.line)}});
        for (auto& [name, value] : args) {
            message.with(std::move(name), std::move(value));
        }
        problems.push_back(std::move(message));
    };
    auto date = [&](const toml::table& table, const char* key, bool required) -> std::optional<LegalDate> {
        const auto* node = table.get(key);
        if (node == nullptr) {
            if (required) {
                problem(table, "law.needs_date", {{"key", key}});
            }
            return std::nullopt;
        }
        const auto text = node->value<std::string>();
        const auto parsed = text ? LegalDate::parse(*text) : std::nullopt;
        if (!parsed) {
            problem(*node, "law.bad_date", {{"key", key}});
        }
        return parsed;
    };
    if (!local) {
        covers_from_ = date(root, "covers_from", true);
    }
    const auto* array = root["source"].as_array();
    if (array == nullptr) {
        if (!local) {
            problem(root, "law.no_sources");
        }
        return;
    }
    static const std::vector<std::string> allowed = {
        "id",          "title_zh",    "title_en",        "short_zh",        "short_en", "in_force_from",
        "in_force_to", "replaced_by", "replaced_how_zh", "replaced_how_en", "verified", "checked"};
    for (const auto& node : *array) {
        const auto* table = node.as_table();
        if (table == nullptr) {
            problem(node, "law.source_not_table");
            continue;
        }
        const std::size_t before = problems.size();
        for (const auto& [key, value] : *table) {
            if (std::find(allowed.begin(), allowed.end(), std::string(key.str())) == allowed.end()) {
                problem(value, "law.unknown_key", {{"key", std::string(key.str())}});
            }
        }
        LegalSource source;
        source.file = file;
        source.line = static_cast<int>(table->source().begin.line);
        source.local = local;
        auto text = [&](const char* key, bool required) {
            const auto value = (*table)[key].value<std::string>();
            if (required && (!value || value->empty())) {
                problem(*table, "law.needs_key", {{"key", key}});
            }
            return value.value_or(std::string{});
        };
        source.id = text("id", true);
        source.title_zh = text("title_zh", true);
        source.title_en = text("title_en", true);
        source.short_zh = text("short_zh", false);
        source.short_en = text("short_en", false);
        if (source.short_zh.empty()) {
            source.short_zh = source.title_zh;
        }
        if (source.short_en.empty()) {
            source.short_en = source.title_en;
        }
        source.replaced_by = text("replaced_by", false);
        source.replaced_how_zh = text("replaced_how_zh", false);
        source.replaced_how_en = text("replaced_how_en", false);
        source.checked = text("checked", false);
        source.verified = (*table)["verified"].value_or(false);
        if (const auto from = date(*table, "in_force_from", true)) {
            source.in_force.from = *from;
        }
        source.in_force.to = date(*table, "in_force_to", false);
        if (source.in_force.to && *source.in_force.to < source.in_force.from) {
            problem(*table, "law.in_force_reversed", {{"source", source.id}});
        }
        if (!source.replaced_by.empty() && !source.in_force.to) {
            problem(*table, "law.replaced_without_end", {{"source", source.id}});
        }
        if (index_.contains(source.id)) {
            problem(*table, "law.duplicate_source",
                    {{"source", source.id}, {"other", sources_[index_[source.id]].file.string()}});
            continue;
        }
        if (problems.size() == before) {
            index_[source.id] = sources_.size();
            sources_.push_back(std::move(source));
        }
    }
}

const LegalSource* LegalSources::find(const std::string& id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : &sources_[it->second];
}

std::string chinese_number(int value) {
    if (value < 1 || value > 9999) {
        return std::to_string(value);
    }
    const int thousands = value / 1000, hundreds = value / 100 % 10, tens = value / 10 % 10, ones = value % 10;
    if (value < 20 && tens == 1) {
        return std::string("十") + (ones != 0 ? digits[ones] : "");
    }
    std::string out;
    bool started = false, zero = false;
    auto put = [&](int digit, const char* unit) {
        if (zero) {
            out += "零";
            zero = false;
        }
        out += digits[digit];
        out += unit;
        started = true;
    };
    for (const auto& [digit, unit] : {std::pair{thousands, "千"}, std::pair{hundreds, "百"}, std::pair{tens, "十"}}) {
        if (digit != 0) {
            put(digit, unit);
        } else if (started) {
            zero = true;  // written only if a later digit follows: 一千零九, 一千一百
        }
    }
    if (ones != 0) {
        put(ones, "");
    }
    return out;
}

bool is_article_reference(const std::string& article) {
    return !article_parts(article).empty();
}

std::string article_text(const std::string& article, Language language) {
    const std::vector<int> parts = article_parts(article);
    if (parts.empty()) {
        return {};
    }
    if (language == Language::zh) {
        std::string out = "第" + chinese_number(parts[0]) + "条";
        if (parts.size() > 1) {
            out += "第" + chinese_number(parts[1]) + "款";
        }
        if (parts.size() > 2) {
            out += "第（" + chinese_number(parts[2]) + "）项";
        }
        return out;
    }
    std::string out = "Art. " + std::to_string(parts[0]);
    if (parts.size() > 1) {
        out += "(" + std::to_string(parts[1]) + ")";
    }
    if (parts.size() > 2) {
        out += " item " + std::to_string(parts[2]);
    }
    return out;
}

std::string citations_text(const std::vector<Citation>& citations, const LegalSources& sources, Language language) {
    const bool zh = language == Language::zh;
    std::string out;
    std::string open_key;  // source and role of the group being written
    for (const Citation& c : citations) {
        const LegalSource* source = sources.find(c.source);
        const std::string title = source == nullptr ? c.source : (zh ? source->short_zh : source->short_en);
        const std::string section = zh ? c.section_zh : c.section_en;
        const std::string core = !c.article.empty() ? article_text(c.article, language) : section;
        const std::string mark = c.verified ? "" : (zh ? "（待核实）" : " (to be verified)");
        const std::string key = c.source + "|" + c.role;
        if (key == open_key && !core.empty()) {
            out += (zh ? "、" : ", ") + core + mark;
            continue;
        }
        if (!out.empty()) {
            out += zh ? "；" : "; ";
        }
        if (c.role == "penalty") {
            out += zh ? "罚则：" : "penalty: ";
        } else if (c.role == "related") {
            out += zh ? "另见" : "see also ";
        }
        out += title;
        if (!core.empty()) {
            // 《生态环境法典》第三百一十八条, 自然资发〔2022〕142号 一（一）; Code, Art. 318
            out += zh ? (c.article.empty() ? " " : "") : ", ";
            out += core;
        }
        out += mark;
        open_key = key;
    }
    return out;
}

}  // namespace redline
