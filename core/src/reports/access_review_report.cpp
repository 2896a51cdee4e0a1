#include "redline/reports/access_review_report.hpp"

#include "redline/access/clause_structure.hpp"
#include "redline/reports/screening_report.hpp"
#include "redline/reports/wording.hpp"
#include "redline/version.hpp"

#include "base/text.hpp"
#include "reports/report_document.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace redline {
namespace {

std::string say(Language language, const char* zh, const char* en) {
    return language == Language::en ? en : zh;
}

std::string joined(const std::vector<std::string>& items, Language language) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : (language == Language::en ? ", " : "、")) + item;
    }
    return out;
}

std::string industry_text(const access::IndustryRef& ref, const IndustryCatalog& catalog, Language language) {
    std::vector<std::string> codes;
    for (const auto& code : ref.match.codes) {
        const std::string name = catalog.name(code, language);
        codes.push_back(code + (name.empty() ? "" : " " + name));
    }
    std::string out = codes.empty() ? ref.match.id : joined(codes, language);
    if (!ref.match.arguable.empty()) {
        out +=
            say(language, "（可能含 ", " (arguably ") + joined(ref.match.arguable, language) + say(language, "）", ")");
    }
    return out;
}

}  // namespace

std::string clause_structure_text(const access::Clause& clause, const IndustryCatalog& catalog, Language language) {
    std::vector<std::string> parts;
    parts.push_back(clause.action ? access::action_message(*clause.action).text(language)
                                  : say(language, "（无管控动作）", "(no action)"));
    std::vector<std::string> scales;
    for (auto scale : clause.scales) {
        scales.push_back(access::scale_message(scale).text(language));
    }
    parts.push_back(scales.empty() ? say(language, "任何建设性质", "any scale") : joined(scales, language));
    if (clause.target == access::Target::outfalls) {
        std::string what = say(language, "排污口", "outfalls");
        const auto limits = joined(clause.outfall_waters, language) +
                            (clause.outfall_waters.empty() || clause.outfall_types.empty() ? "" : " ") +
                            joined(clause.outfall_types, language);
        parts.push_back(what + (limits.empty() ? "" : "（" + limits + "）"));
    }
    if (clause.all_industries) {
        parts.push_back(say(language, "所有行业", "every industry"));
    } else if (!clause.industries.empty()) {
        std::vector<std::string> industries;
        for (const auto& ref : clause.industries) {
            industries.push_back(industry_text(ref, catalog, language));
        }
        parts.push_back(joined(industries, language) + (clause.open_list ? say(language, " 等", " etc.") : ""));
    }
    if (clause.category) {
        parts.push_back(say(language, "类别：", "category: ") + clause.category->match.id);
    }
    for (const auto& exception : clause.exceptions) {
        std::vector<std::string> excepted;
        for (const auto& ref : exception.industries) {
            excepted.push_back(industry_text(ref, catalog, language));
        }
        parts.push_back(say(language, "除外：", "except: ") + (exception.condition
                                                                   ? say(language, "（条件）", "(a condition)")
                                                                   : joined(excepted, language)));
    }
    for (const auto& t : clause.thresholds) {
        parts.push_back(std::string(access::threshold_role_name(t.role)) + " " + access::measure_name(t.measure) + " " +
                        access::comparison_name(t.comparison) + " " + text::fixed(t.value, 0) + " " +
                        access::unit_name(t.unit));
    }
    if (clause.needs_judgement()) {
        std::vector<std::string> reasons;
        for (const auto& j : clause.judgements) {
            reasons.push_back(access::reason_message(j.reason).text(language));
        }
        parts.push_back(say(language, "需人工判断：", "needs judgement: ") + joined(reasons, language));
    }
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : " | ") + p;
    }
    return out;
}

void write_review_table(std::ostream& out, const access::ReviewSheet& sheet, const IndustryCatalog& catalog,
                        Language language) {
    out << say(language, "准入清单复核：", "Access-list review: ") << sheet.clauses.size()
        << say(language, " 条（所选清单共 ", " clauses (of ") << sheet.total
        << say(language, " 条）", " in the lists selected)") << "\n\n";
    for (const access::ListedClause* c : sheet.clauses) {
        out << c->key << "  " << access_list_label(*c, language) << "  "
            << access::dimension_message(c->clause.dimension).text(language) << "  ["
            << clause_review_label(*c, language) << "]\n";
        out << "    " << say(language, "原文：", "text:      ")
            << (c->clause.label.empty() ? "" : c->clause.label + " ") << c->clause.text << '\n';
        out << "    " << say(language, "结构：", "structure: ") << clause_structure_text(c->clause, catalog, language)
            << "\n\n";
    }
}

void write_review_json(std::ostream& out, const access::ReviewSheet& sheet, const IndustryCatalog& catalog,
                       Language language) {
    nlohmann::ordered_json clauses = nlohmann::ordered_json::array();
    for (const access::ListedClause* c : sheet.clauses) {
        nlohmann::ordered_json j;
        j["key"] = c->key;
        j["digest"] = c->digest;
        j["list"] = {{"scope", access_list_scope_name(c->scope)},
                     {"id", c->list_id},
                     {"title", c->list_title},
                     {"from_attributes", c->from_attributes}};
        j["dimension"] = access::dimension_name(c->clause.dimension);
        j["label"] = c->clause.label;
        j["text"] = c->clause.text;
        j["structure"] = nlohmann::ordered_json::parse(access::structure_json(c->clause, catalog));
        j["structure_text"] = clause_structure_text(c->clause, catalog, language);
        j["needs_judgement"] = c->clause.needs_judgement();
        j["review"] = c->review ? nlohmann::ordered_json{{"state", clause_review_state_name(*c->review)},
                                                         {"author", c->reviewer},
                                                         {"version", c->review_version}}
                                : nlohmann::ordered_json(nullptr);
        clauses.push_back(std::move(j));
    }
    nlohmann::ordered_json doc;
    doc["total"] = sheet.total;
    doc["clauses"] = std::move(clauses);
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_review_document(const std::filesystem::path& path, const access::ReviewSheet& sheet,
                           const IndustryCatalog& catalog, const std::string& workspace, const std::string& version,
                           Language language) {
    check_report_path(path);
    document::Document d;
    d.language = language;
    d.title = say(language, "生态环境准入清单复核表", "Access-list review sheet");
    d.subtitle = workspace + say(language, "，版本 ", ", version ") + version;
    d.generated_at = report_time_stamp();
    d.footer = std::string(tool_name) + " " + tool_version;
    d.blocks.push_back(
        {document::Block::Type::paragraph,
         say(language,
             "左栏为清单原文，右栏为 redline 使用的结构（机读、已确认或已更正）。确认或更正：redline "
             "access-list review 工作空间 --confirm 编号 / --correct 编号 --structure JSON / --apply 文件。",
             "Left, the clause as published; right, the structure redline uses it with (as read, "
             "confirmed or corrected). To confirm or correct: redline access-list review WS --confirm KEY "
             "/ --correct KEY --structure JSON / --apply FILE.")});
    d.blocks.push_back(
        {document::Block::Type::paragraph, say(language, "条款 ", "Clauses: ") + std::to_string(sheet.clauses.size()) +
                                               say(language, " 条，所选清单共 ", " of ") + std::to_string(sheet.total) +
                                               say(language, " 条。", " in the lists selected.")});
    document::Block t{document::Block::Type::table};
    t.header = {say(language, "编号", "Key"), say(language, "清单原文", "Text as published"),
                say(language, "使用的结构", "Structure used"), say(language, "复核", "Review")};
    t.widths = {1.6, 3.2, 3.6, 1.2};
    t.numeric = {false, false, false, false};
    for (const access::ListedClause* c : sheet.clauses) {
        t.rows.push_back({c->key, (c->clause.label.empty() ? "" : c->clause.label + " ") + c->clause.text,
                          clause_structure_text(c->clause, catalog, language), clause_review_label(*c, language)});
        t.row_tones.push_back(c->clause.needs_judgement() ? document::Tone::conditional
                              : c->review                 ? document::Tone::allowed
                                                          : document::Tone::neutral);
    }
    d.blocks.push_back(std::move(t));
    document::write_document(path, d);
}

}  // namespace redline
