// The law as data: the legal texts rules cite (layers/legal_sources.toml), the days each
// was in force, and citations of their articles. A verdict is given under the law of one
// day, its legal date (`--as-of`, default today in China).
#pragma once

#include "redline/language.hpp"
#include "redline/message.hpp"

#include <compare>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redline {

// A calendar day as the law counts it. Dates in force are inclusive at both ends.
struct LegalDate {
    int year = 0, month = 0, day = 0;

    static std::optional<LegalDate> parse(std::string_view text);  // YYYY-MM-DD, a real day
    static LegalDate today();                                      // China Standard Time (UTC+8)
    std::string text() const;                                      // YYYY-MM-DD
    LegalDate next_day() const;
    LegalDate previous_day() const;
    auto operator<=>(const LegalDate&) const = default;
};

// The days something is in force: from `from` to `to` inclusive, open-ended without `to`.
struct DateRange {
    LegalDate from;
    std::optional<LegalDate> to;

    bool contains(const LegalDate& day) const { return from <= day && (!to || day <= *to); }
    bool overlaps(const DateRange& other) const;
    std::string text() const;  // "2018-01-01 – 2026-08-14", "2026-08-15 –"
};

// One legal text: a law, a regulation, a ministry notice, a plan.
struct LegalSource {
    std::string id;                  // code, wpl2017, redline142, ...
    std::string title_zh, title_en;  // full titles, for the list of texts applied
    std::string short_zh, short_en;  // in citations: 《生态环境法典》, Ecological Environment Code
    DateRange in_force;
    std::string replaced_by;                       // the source that repealed or superseded it, if any
    std::string replaced_how_zh, replaced_how_en;  // e.g. 《生态环境法典》第一千二百四十二条废止
    // Its article numbers and wording were read in the text itself (where: `checked`).
    // Citations of an unverified source are marked 待核实 wherever they are shown.
    bool verified = false;
    std::string checked;
    bool local = false;  // defined in a local rule file
    std::filesystem::path file;
    int line = 0;
};

// A citation of a source: an article ("318", "1109.2" for its second paragraph,
// "1145.1.1" for item 1 of the first paragraph), a section of a text numbered otherwise,
// or the text as a whole.
struct Citation {
    std::string source;
    std::string article;
    std::string section_zh, section_en;  // e.g. 一（一）第6项 / section 1(1), item 6
    std::string role;                    // "" (the provision itself), "penalty" or "related"
    bool verified = false;               // resolved when loaded: explicit, else the source's
};

// The texts rules may cite: layers/legal_sources.toml and the [[source]] tables of local
// rule files.
class LegalSources {
public:
    // Reads a catalog; each problem (with its file and line) is appended to `problems`.
    void read(const std::filesystem::path& file, bool local, std::vector<Message>& problems);
    const LegalSource* find(const std::string& id) const;
    const std::vector<LegalSource>& all() const { return sources_; }
    // The first legal date the default rules speak for (covers_from in the catalog).
    std::optional<LegalDate> covers_from() const { return covers_from_; }

private:
    std::vector<LegalSource> sources_;
    std::map<std::string, std::size_t> index_;
    std::optional<LegalDate> covers_from_;
};

// 318 -> 三百一十八, 1109 -> 一千一百零九 (1 to 9999).
std::string chinese_number(int value);
// "1109.2" -> 第一千一百零九条第二款 / Art. 1109(2); empty when the text is not an article
// reference (the caller reports it).
std::string article_text(const std::string& article, Language language);
bool is_article_reference(const std::string& article);
// The citations of one basis, grouped by source: 《生态环境法典》第三百一十八条；罚则：第一千一百零九条第二款.
// Unverified citations carry 待核实 / to be verified.
std::string citations_text(const std::vector<Citation>& citations, const LegalSources& sources, Language language);

}  // namespace redline
