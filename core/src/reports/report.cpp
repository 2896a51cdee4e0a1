#include "redline/reports/report.hpp"

#include "base/message_json.hpp"
#include "base/text.hpp"
#include "redline/version.hpp"
#include "reports/report_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

namespace redline {
namespace {

double rounded(double value, double step) {
    return std::round(value / step) * step;
}

nlohmann::json optional_text(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json optional_flag(const std::optional<bool>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json optional_number(const std::optional<double>& value, double step) {
    return value ? nlohmann::json(rounded(*value, step)) : nlohmann::json(nullptr);
}

// A rule's basis on the legal date, with the periods before it: the members the check's
// JSON and the rule list share.
void add_basis(nlohmann::ordered_json& r, const Rule& rule, const RuleBasis& basis, const LegalSources& sources,
               Language language) {
    r["basis"] = basis_text(basis, sources, language);
    nlohmann::ordered_json citations = nlohmann::ordered_json::array();
    for (const Citation& c : basis.citations) {
        const LegalSource* source = sources.find(c.source);
        citations.push_back(
            {{"source", c.source},
             {"title", source != nullptr ? pick(language, source->title_zh, source->title_en) : c.source},
             {"article", c.article.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.article)},
             {"text", citations_text({c}, sources, language)},
             {"role", c.role.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.role)},
             {"verified", c.verified}});
    }
    r["citations"] = std::move(citations);
    r["in_force"] = {{"from", basis.in_force.from.text()},
                     {"to", basis.in_force.to ? nlohmann::json(basis.in_force.to->text()) : nlohmann::json(nullptr)}};
    r["note"] =
        basis.note_zh.empty() ? nlohmann::json(nullptr) : nlohmann::json(pick(language, basis.note_zh, basis.note_en));
    nlohmann::ordered_json history = nlohmann::ordered_json::array();
    for (const RuleBasis& b : rule.basis) {
        if (&b != &basis && b.in_force.from < basis.in_force.from) {
            history.push_back(history_text(b, sources, language));
        }
    }
    r["history"] = std::move(history);
    r["requires"] = pick(language, rule.requires_zh, rule.requires_en);
    r["action"] = rule.action.empty() ? nlohmann::json(nullptr) : nlohmann::json(rule.action);
    r["within_m"] = rule.within_m ? nlohmann::json(*rule.within_m) : nlohmann::json(nullptr);
}

// A plain text table whose columns fit CJK text.
class Table {
public:
    explicit Table(std::vector<std::string> header, std::vector<bool> right_aligned)
        : rows_{std::move(header)}, right_(std::move(right_aligned)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out, const std::string& indent) const {
        std::vector<std::size_t> widths(rows_.front().size(), 0);
        for (const auto& row : rows_) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                widths[i] = std::max(widths[i], text::display_width(row[i]));
            }
        }
        for (std::size_t r = 0; r < rows_.size(); ++r) {
            std::string line = indent;
            for (std::size_t i = 0; i < rows_[r].size(); ++i) {
                const bool last = i + 1 == rows_[r].size();
                line += right_[i] ? text::pad_left(rows_[r][i], widths[i])
                                  : (last ? rows_[r][i] : text::pad_right(rows_[r][i], widths[i]));
                line += last ? "" : "  ";
            }
            out << text::trim(line).insert(0, indent) << '\n';
            if (r == 0) {
                std::size_t total = 0;
                for (auto w : widths) {
                    total += w + 2;
                }
                out << indent << std::string(total - 2, '-') << '\n';
            }
        }
    }

private:
    std::vector<std::vector<std::string>> rows_;
    std::vector<bool> right_;
};

}  // namespace

const char* footprint_verdict_name(const FootprintResult& footprint) {
    return footprint.checked() ? verdict_name(footprint.verdict) : "unchecked";
}

const char* footprint_verdict_label(const FootprintResult& footprint, Language language) {
    if (footprint.checked()) {
        return verdict_label(footprint.verdict, language);
    }
    return language == Language::zh ? "未核查" : "unchecked";
}

std::size_t unchecked_count(const CheckRun& run) {
    return static_cast<std::size_t>(
        std::count_if(run.footprints.begin(), run.footprints.end(), [](const auto& f) { return !f.checked(); }));
}

const char* relation_label(Relation r, Language language) {
    if (language == Language::en) {
        return relation_name(r);
    }
    switch (r) {
        case Relation::within:
            return "位于其内";
        case Relation::overlaps:
            return "部分重叠";
        case Relation::contains:
            return "包含该区";
        case Relation::touches:
            return "仅接触";
        case Relation::near:
            return "邻近";
    }
    return "";
}

std::string kind_label(const SchemaSet& schemas, const std::string& kind, Language language) {
    const KindSchema* k = schemas.find(kind);
    return k == nullptr ? kind : language == Language::zh ? k->name_zh : k->name_en;
}

std::string subzone_label(const SchemaSet& schemas, const std::string& kind, const std::string& subzone,
                          Language language) {
    const KindSchema* k = schemas.find(kind);
    const SubzoneDefinition* s = k != nullptr ? k->find_subzone(subzone) : nullptr;
    return s == nullptr ? subzone : language == Language::zh ? s->name_zh : s->name_en;
}

std::string hit_subzone_label(const SchemaSet& schemas, const Hit& hit, Language language) {
    if (hit.subzone.empty()) {
        return {};
    }
    const bool zh = language == Language::zh;
    const std::string& as_of = hit.subzone_as_of.empty() ? hit.subzone : hit.subzone_as_of;
    std::string label = subzone_label(schemas, hit.kind, as_of, language);
    std::vector<std::string> notes;
    if (as_of != hit.subzone) {
        notes.push_back((zh ? "现为：" : "now: ") + subzone_label(schemas, hit.kind, hit.subzone, language));
    }
    if (!hit.subzone_source.empty() && hit.subzone_source != subzone_label(schemas, hit.kind, as_of, Language::zh)) {
        notes.push_back((zh ? "原数据：" : "source: ") + hit.subzone_source);
    }
    for (std::size_t i = 0; i < notes.size(); ++i) {
        label += (i == 0 ? (zh ? "（" : " (") : (zh ? "；" : "; ")) + notes[i];
    }
    return notes.empty() ? label : label + (zh ? "）" : ")");
}

std::string applied_basis_text(const AppliedRule& applied, const RuleSet& rules, Language language) {
    std::string text = basis_text(*applied.basis, rules.sources(), language);
    if (applied.rule->verify) {
        text += language == Language::zh ? "（适用待核实）" : " (reading to be verified)";
    }
    return text;
}

const std::string& pick(Language language, const std::string& zh, const std::string& en) {
    return language == Language::en && !en.empty() ? en : zh;
}

// A 三线一单 unit's access list: the zone attributes the kind's schema groups as such.
std::vector<AccessItem> access_list(const SchemaSet& schemas, const Hit& hit, Language language) {
    std::vector<AccessItem> items;
    const KindSchema* kind = schemas.find(hit.kind);
    if (kind == nullptr) {
        return items;
    }
    for (const auto& field : kind->fields) {
        if (field.group != "access_list") {
            continue;
        }
        if (auto it = hit.zone_attributes.find(field.id); it != hit.zone_attributes.end()) {
            items.push_back({field.id, pick(language, field.label_zh, field.label_en), it->second});
        }
    }
    return items;
}

std::string access_list_label(const access::ListedClause& c, Language language) {
    const bool zh = language != Language::en;
    if (c.scope == AccessListScope::general) {
        return (zh ? "总体准入要求 " : "general list ") + c.list_id +
               (c.list_title.empty() || c.list_title == c.list_id
                    ? ""
                    : (zh ? "（" : " (") + c.list_title + (zh ? "）" : ")"));
    }
    return (zh ? "单元清单 " : "unit list ") + c.list_id +
           (c.from_attributes ? (zh ? "（单元属性）" : " (unit attributes)") : "");
}

std::string clause_review_label(const access::ListedClause& c, Language language) {
    const bool zh = language != Language::en;
    if (!c.review) {
        return zh ? "机读，未复核" : "machine-read, not reviewed";
    }
    const std::string who = c.reviewer.empty() ? "" : " " + c.reviewer;
    return (*c.review == ClauseReviewState::corrected ? (zh ? "已更正" : "corrected") : (zh ? "已确认" : "confirmed")) +
           who + (zh ? "（版本 " : " (version ") + std::to_string(c.review_version) + (zh ? "）" : ")");
}

namespace {

std::string finding_text(const access::ClauseFinding& f, Language language) {
    Message why = access::finding_message(f.finding);
    if (f.finding == access::Finding::reader_judgement && f.reader_reason) {
        why = Message("access.finding.reader_judgement", {{"reason", access::reason_message(*f.reader_reason)}});
    }
    return why.text(language);
}

// A unit's conformity as JSON: the outcome, the deciding clause and every clause with its
// conformity and reason (codes, and the words in the language asked).
nlohmann::ordered_json access_json(const access::AccessAssessment& assessment, Language language) {
    nlohmann::ordered_json out;
    out["outcome"] = access::access_outcome_name(assessment.outcome);
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (auto c : {access::Conformity::violates, access::Conformity::needs_judgement, access::Conformity::conforms,
                   access::Conformity::not_concerned}) {
        counts[access::conformity_name(c)] = assessment.count(c);
    }
    out["counts"] = std::move(counts);
    const access::ClauseFinding* deciding = assessment.deciding();
    out["deciding"] =
        deciding == nullptr ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(deciding->clause->key);
    nlohmann::ordered_json clauses = nlohmann::ordered_json::array();
    for (const auto& f : assessment.findings) {
        const access::ListedClause& c = *f.clause;
        nlohmann::ordered_json j;
        j["key"] = c.key;
        j["list"] = {{"scope", access_list_scope_name(c.scope)},
                     {"id", c.list_id},
                     {"title", c.list_title},
                     {"from_attributes", c.from_attributes}};
        j["dimension"] = access::dimension_name(c.clause.dimension);
        j["label"] = c.clause.label;
        j["text"] = c.clause.text;
        j["action"] = c.clause.action ? nlohmann::ordered_json(access::action_name(*c.clause.action))
                                      : nlohmann::ordered_json(nullptr);
        j["conformity"] = access::conformity_name(f.conformity);
        j["finding"] = access::finding_name(f.finding);
        j["reader_reason"] = f.reader_reason ? nlohmann::ordered_json(access::reason_name(*f.reader_reason))
                                             : nlohmann::ordered_json(nullptr);
        j["decisive"] = f.decisive;
        j["reason"] = finding_text(f, language);
        j["review"] =
            c.review ? nlohmann::ordered_json(clause_review_state_name(*c.review)) : nlohmann::ordered_json(nullptr);
        j["digest"] = c.digest;
        clauses.push_back(std::move(j));
    }
    out["clauses"] = std::move(clauses);
    return out;
}

}  // namespace

std::vector<ConformityRow> conformity_rows(const access::AccessAssessment& assessment, Language language) {
    std::vector<ConformityRow> rows;
    for (const auto& f : assessment.findings) {
        const access::ListedClause& c = *f.clause;
        ConformityRow row;
        row.list = access_list_label(c, language);
        row.dimension = access::dimension_message(c.clause.dimension).text(language);
        row.clause = (c.clause.label.empty() ? "" : c.clause.label + " ") + c.clause.text;
        row.conformity = access::conformity_message(f.conformity).text(language);
        row.reason = finding_text(f, language);
        row.review = clause_review_label(c, language);
        row.value = f.conformity;
        row.decisive = f.decisive;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string deciding_clause_text(const access::AccessAssessment& assessment, Language language) {
    const access::ClauseFinding* f = assessment.deciding();
    if (f == nullptr) {
        return {};
    }
    const bool zh = language != Language::en;
    return (zh ? "〔" : "[") + access::conformity_message(f->conformity).text(language) + (zh ? "〕" : "] ") +
           access_list_label(*f->clause, language) + (zh ? "，" : ", ") +
           access::dimension_message(f->clause->clause.dimension).text(language) + (zh ? "：“" : ": \"") +
           f->clause->clause.text + (zh ? "”——" : "\" - ") + finding_text(*f, language);
}

std::string conformity_counts_text(const access::AccessAssessment& assessment, Language language) {
    std::string out;
    for (auto c : {access::Conformity::violates, access::Conformity::needs_judgement, access::Conformity::conforms,
                   access::Conformity::not_concerned}) {
        out += (out.empty() ? "" : " · ") + access::conformity_message(c).text(language) + " " +
               std::to_string(assessment.count(c));
    }
    return out;
}

std::string describe(const Assumption& a, const FactVocabulary& vocabulary, Language language,
                     const ActivityFacts* facts) {
    const bool as_codes = facts != nullptr && a.fact == "industry" && !facts->industry_codes.empty();
    if (language == Language::en) {
        std::string values;
        for (const auto& v : a.values) {
            values += (values.empty() ? "" : " or ") + v;
        }
        const std::string what = as_codes ? "industry " + vocabulary.industry_codes_text(*facts, language) +
                                                " not certainly in one category the rules name"
                                          : a.fact + " unknown";
        return what + ": taken as " + (a.negated ? "not " : "") + values;
    }
    std::string values;
    for (const auto& v : a.values) {
        values += (values.empty() ? "" : "或") + vocabulary.chinese_value(a.fact, v);
    }
    const std::string what =
        as_codes ? "行业 " + vocabulary.industry_codes_text(*facts, language) + " 不能确定归入规则所列的某一类别"
                 : "未说明“" + vocabulary.chinese_fact(a.fact) + "”";
    return what + "，按" + (a.negated ? "非" : "") + "“" + values + "”处理";
}

void write_json(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language) {
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    nlohmann::ordered_json doc;
    doc["tool"] = {{"name", tool_name}, {"version", tool_version}};
    doc["schema_version"] = 4;
    doc["lang"] = language == Language::en ? "en" : "zh";
    nlohmann::ordered_json workspace = {{"path", run.workspace_path}};
    workspace["version"] = run.workspace_version ? nlohmann::json(run.workspace_version->id) : nlohmann::json(nullptr);
    workspace["digest"] = run.workspace_version ? run.workspace_version->workspace_digest : "";
    doc["workspace"] = workspace;
    nlohmann::ordered_json detections = nlohmann::ordered_json::array();
    for (const auto& d : run.input_detections) {
        detections.push_back({{"what", d.what}, {"why", message_json(d.why, language)}});
    }
    doc["input"] = {
        {"source", run.input_source}, {"layer", run.input_layer}, {"crs", run.input_crs}, {"detections", detections}};
    nlohmann::ordered_json near = nlohmann::ordered_json::object();
    for (const auto& kind : run.kinds) {
        if (const KindSchema* k = schemas.find(kind)) {
            near[kind] = run.options.near_distance_for(*k);
        }
    }
    doc["settings"] = {{"area_method", "ellipsoidal: geodesic polygon area on GRS80 (CGCS2000)"},
                       {"distance_method", "geodesic on GRS80 between nearest points"},
                       {"sliver_area_m2", run.options.sliver_area_m2},
                       {"sliver_width_m", run.options.sliver_width_m},
                       {"sliver_thin_area_m2", run.options.sliver_thin_area_m2},
                       {"sliver_length_m", run.options.sliver_length_m},
                       {"point_on_boundary", run.options.point_on_boundary_inside ? "inside" : "touches"},
                       {"near_distance_m", near}};
    nlohmann::ordered_json rule_files = nlohmann::ordered_json::array();
    if (run.rules) {
        for (const auto& f : run.rules->files()) {
            rule_files.push_back({{"path", f.path.string()}, {"digest", f.digest}, {"local", f.local}});
        }
    }
    nlohmann::ordered_json texts = nlohmann::ordered_json::array();
    if (run.rules) {
        for (const LegalSource* t : run.rules->texts_applied()) {
            texts.push_back(
                {{"id", t->id},
                 {"title", pick(language, t->title_zh, t->title_en)},
                 {"in_force_from", t->in_force.from.text()},
                 {"in_force_to", t->in_force.to ? nlohmann::json(t->in_force.to->text()) : nlohmann::json(nullptr)},
                 {"verified", t->verified}});
        }
    }
    doc["rule_set"] = {{"digest", run.rules ? run.rules->digest() : ""},
                       {"legal_date", run.rules ? run.rules->as_of().text() : ""},
                       {"files", rule_files},
                       {"texts", texts}};
    std::size_t hits = 0, with_conflicts = 0;
    nlohmann::ordered_json footprints = nlohmann::ordered_json::array();
    for (const auto& fp : run.footprints) {
        nlohmann::ordered_json f;
        f["id"] = fp.id;
        f["name"] = fp.name;
        f["geometry_type"] = fp.geometry_type;
        f["area_m2"] = rounded(fp.area_m2, 0.01);
        f["length_m"] = rounded(fp.length_m, 0.001);
        f["verdict"] = footprint_verdict_name(fp);
        f["status"] = fp.checked() ? "checked" : "unchecked";
        f["unchecked_reason"] = fp.checked() ? nlohmann::ordered_json(nullptr) : message_json(fp.unchecked, language);
        f["conflict"] = fp.has_conflict();
        nlohmann::ordered_json sources = nlohmann::ordered_json::object();
        for (const auto& [fact, source] : fp.facts.sources) {
            sources[fact] = message_json(source, language);
        }
        f["activity"] = {{"activity", optional_text(fp.facts.activity)},
                         {"industry", optional_text(fp.facts.industry)},
                         {"industry_codes", fp.facts.industry_codes},
                         {"discharges", optional_flag(fp.facts.discharges)},
                         {"outfall_type", optional_text(fp.facts.outfall_type)},
                         {"receiving_water", optional_text(fp.facts.receiving_water)},
                         {"listed_activity", optional_flag(fp.facts.listed_activity)},
                         {"scale", optional_text(fp.facts.scale)},
                         {"sources", sources}};
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& hit : fp.hits) {
            nlohmann::ordered_json h;
            h["kind"] = hit.kind;
            h["subzone"] = hit.subzone.empty() ? nlohmann::json(nullptr) : nlohmann::json(hit.subzone);
            h["subzone_source"] =
                hit.subzone_source.empty() ? nlohmann::json(nullptr) : nlohmann::json(hit.subzone_source);
            h["subzone_as_of"] =
                hit.subzone_as_of.empty() ? nlohmann::json(nullptr) : nlohmann::json(hit.subzone_as_of);
            h["zone_id"] = hit.zone_id;
            h["zone_code"] = hit.zone_code;
            h["zone_name"] = hit.zone_name;
            h["relation"] = relation_name(hit.relation);
            h["verdict"] = verdict_name(hit.verdict);
            h["conflict"] = hit.conflict;
            h["overlap_area_m2"] = optional_number(hit.overlap_area_m2, 0.01);
            h["overlap_area_ha"] = hit.overlap_area_m2 ? nlohmann::json(rounded(*hit.overlap_area_m2 / 10'000.0, 1e-6))
                                                       : nlohmann::json(nullptr);
            h["overlap_ratio"] = optional_number(hit.overlap_ratio, 1e-6);
            h["zone_overlap_ratio"] = optional_number(hit.zone_overlap_ratio, 1e-6);
            h["inside_length_m"] = optional_number(hit.inside_length_m, 0.001);
            h["distance_m"] = optional_number(hit.distance_m, 0.001);
            h["zone_attributes"] = hit.zone_attributes;
            nlohmann::ordered_json rules = nlohmann::ordered_json::array();
            for (const auto& applied : hit.rules) {
                const Rule& rule = *applied.rule;
                nlohmann::ordered_json r;
                r["id"] = rule.id;
                r["verdict"] = verdict_name(rule.verdict);
                r["message"] = pick(language, rule.message_zh, rule.message_en);
                add_basis(r, rule, *applied.basis, run.rules->sources(), language);
                r["verified"] = applied.verified();
                nlohmann::ordered_json assumed = nlohmann::ordered_json::array();
                for (const auto& a : applied.assumptions) {
                    assumed.push_back({{"fact", a.fact},
                                       {"values", a.values},
                                       {"negated", a.negated},
                                       {"text", describe(a, vocabulary, language, &fp.facts)}});
                }
                r["assumptions"] = std::move(assumed);
                r["source"] = rule.file.string() + ":" + std::to_string(rule.line);
                rules.push_back(std::move(r));
            }
            h["rules"] = std::move(rules);
            h["note"] = hit.note.empty() ? nlohmann::ordered_json(nullptr) : message_json(hit.note, language);
            nlohmann::ordered_json access = nlohmann::ordered_json::array();
            for (const auto& item : access_list(schemas, hit, language)) {
                access.push_back({{"dimension", item.dimension}, {"label", item.label}, {"text", item.text}});
            }
            h["access_list"] = std::move(access);
            if (hit.access) {
                h["access"] = access_json(*hit.access, language);
            }
            list.push_back(std::move(h));
        }
        hits += fp.hits.size();
        with_conflicts += fp.has_conflict() ? 1 : 0;
        f["hits"] = std::move(list);
        footprints.push_back(std::move(f));
    }
    doc["summary"] = {{"footprints", run.footprints.size()},
                      {"footprints_with_conflicts", with_conflicts},
                      {"hits", hits},
                      {"problems", run.problems.size()}};
    doc["footprints"] = std::move(footprints);
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : run.problems) {
        problems.push_back(problem_json(p, language));
    }
    doc["problems"] = std::move(problems);
    out << json_text(doc, 2) << '\n';
}

void write_detections(std::ostream& out, const std::vector<Detection>& detections, Language language) {
    for (const auto& d : detections) {
        out << "  " << detection_label(d.what, language) << (language == Language::zh ? "：" : ": ")
            << d.why.text(language) << '\n';
    }
}

void write_table(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language) {
    const bool zh = language == Language::zh;
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    out << tool_name << ' ' << tool_version << "  " << (zh ? "工作空间 " : "workspace ") << run.workspace_path;
    if (run.workspace_version) {
        out << (zh ? "（版本 " : " (version ") << run.workspace_version->id << ", "
            << run.workspace_version->workspace_digest.substr(0, 19) << (zh ? "）" : ")");
    }
    out << '\n'
        << (zh ? "输入 " : "input ") << run.input_source << (zh ? "（" : " (") << run.input_crs << (zh ? "），" : "), ")
        << run.footprints.size() << (zh ? " 个项目范围" : " footprint(s)") << '\n';
    write_detections(out, run.input_detections, language);
    if (run.rules) {
        std::size_t local = 0;
        for (const auto& f : run.rules->files()) {
            local += f.local ? 1 : 0;
        }
        out << (zh ? "法律适用日期 " : "legal date ") << run.rules->as_of().text() << (zh ? "，" : ", ")
            << (zh ? "规则集 " : "rule set ") << run.rules->digest().substr(0, 19)
            << (zh ? "（国家默认规则" : " (national defaults")
            << (local > 0 ? (zh ? " + " : " + ") + std::to_string(local) + (zh ? " 个地方规则文件" : " local file(s)")
                          : "")
            << (zh ? "）" : ")") << '\n';
    }
    out << (zh ? "面积为椭球面积（CGCS2000），距离为椭球面测地线距离。"
               : "Areas are ellipsoidal (CGCS2000); distances are geodesic.")
        << "\n\n";

    std::size_t index = 0;
    for (const auto& fp : run.footprints) {
        ++index;
        std::string measure;
        if (fp.area_m2 > 0) {
            measure = text::fixed(fp.area_m2, 1) + " m², " + text::fixed(fp.area_m2 / 10'000.0, 4) + " ha";
        } else if (fp.length_m > 0) {
            measure = text::fixed(fp.length_m, 1) + " m";
        } else {
            measure = zh ? "点" : "point";
        }
        out << '[' << index << "] " << fp.id << (fp.name.empty() ? "" : " " + fp.name) << "  " << fp.geometry_type
            << ", " << measure << "  => " << (zh ? "结论：" : "verdict: ") << footprint_verdict_label(fp, language)
            << '\n';
        if (fp.facts.activity) {
            out << "    " << (zh ? "活动 " : "activity ") << *fp.facts.activity;
            for (const auto& [label, value] :
                 {std::pair<const char*, std::optional<std::string>>{"industry", fp.facts.industry},
                  {"outfall_type", fp.facts.outfall_type},
                  {"receiving_water", fp.facts.receiving_water},
                  {"scale", fp.facts.scale}}) {
                if (value) {
                    out << ", " << label << ' ' << *value;
                }
            }
            if (!fp.facts.industry_codes.empty()) {
                out << ", " << (fp.facts.industry ? "" : "industry ")
                    << vocabulary.industry_codes_text(fp.facts, language);
            }
            if (fp.facts.discharges) {
                out << ", discharges " << (*fp.facts.discharges ? "yes" : "no");
            }
            if (fp.facts.listed_activity) {
                out << ", listed_activity " << (*fp.facts.listed_activity ? "yes" : "no");
            }
            if (auto it = fp.facts.sources.find("activity"); it != fp.facts.sources.end()) {
                out << (zh ? "（" : "  (") << it->second.text(language) << (zh ? "）" : ")");
            }
            out << '\n';
        }
        if (fp.hits.empty()) {
            out << '\n';
            continue;
        }
        Table table(
            zh ? std::vector<std::string>{"结论", "类型", "分区", "名称", "编码", "关系", "重叠面积(m²)", "重叠(ha)",
                                          "占项目", "占该区", "区内长度(m)", "距离(m)"}
               : std::vector<std::string>{"verdict", "kind", "sub-zone", "name", "code", "relation", "overlap (m²)",
                                          "overlap (ha)", "of footprint", "of zone", "inside (m)", "distance (m)"},
            {false, false, false, false, false, false, true, true, true, true, true, true});
        auto percent = [](const std::optional<double>& v) {
            return v ? text::fixed(*v * 100.0, 2) + "%" : std::string("-");
        };
        auto number = [](const std::optional<double>& v, int d) { return v ? text::fixed(*v, d) : std::string("-"); };
        for (const auto& hit : fp.hits) {
            table.add({verdict_label(hit.verdict, language), kind_label(schemas, hit.kind, language),
                       hit_subzone_label(schemas, hit, language), hit.zone_name.empty() ? hit.zone_id : hit.zone_name,
                       hit.zone_code.empty() ? "-" : hit.zone_code, relation_label(hit.relation, language),
                       number(hit.overlap_area_m2, 1),
                       hit.overlap_area_m2 ? text::fixed(*hit.overlap_area_m2 / 10'000.0, 4) : "-",
                       percent(hit.overlap_ratio), percent(hit.zone_overlap_ratio), number(hit.inside_length_m, 1),
                       number(hit.distance_m, 1)});
        }
        table.print(out, "    ");

        // The rules behind each verdict, each cited once per footprint.
        std::vector<std::string> cited;
        for (const auto& hit : fp.hits) {
            const std::string zone = hit.zone_name.empty() ? hit.zone_id : hit.zone_name;
            for (const auto& applied : hit.rules) {
                const Rule& rule = *applied.rule;
                if (std::find(cited.begin(), cited.end(), rule.id + zone) != cited.end()) {
                    continue;
                }
                cited.push_back(rule.id + zone);
                out << "    [" << verdict_label(rule.verdict, language) << "] " << rule.id << "  " << zone << '\n'
                    << "        " << pick(language, rule.message_zh, rule.message_en) << '\n'
                    << "        " << (zh ? "依据：" : "basis: ") << applied_basis_text(applied, *run.rules, language)
                    << '\n';
                if (!rule.requires_zh.empty()) {
                    out << "        " << (zh ? "要求：" : "requires: ")
                        << pick(language, rule.requires_zh, rule.requires_en) << '\n';
                }
                for (const auto& assumption : applied.assumptions) {
                    out << "        " << (zh ? "假定：" : "assumed: ")
                        << describe(assumption, vocabulary, language, &fp.facts) << '\n';
                }
            }
            if (!hit.note.empty()) {
                out << "    [" << verdict_label(hit.verdict, language) << "] " << zone << (zh ? "：" : ": ")
                    << hit.note.text(language) << '\n';
            }
            if (hit.access && !hit.access->findings.empty()) {
                out << "    " << (zh ? "准入清单相符性 " : "access-list conformity ") << zone << (zh ? "：" : ": ")
                    << conformity_counts_text(*hit.access, language) << '\n';
                if (const auto deciding = deciding_clause_text(*hit.access, language); !deciding.empty()) {
                    out << "        " << (zh ? "决定条款：" : "deciding clause: ") << deciding << '\n';
                }
                for (const auto& f : hit.access->findings) {
                    const bool decisive_undecided = f.decisive && f.conformity == access::Conformity::needs_judgement;
                    if ((f.conformity == access::Conformity::violates || decisive_undecided) &&
                        &f != hit.access->deciding()) {
                        out << "        " << (zh ? "另见：" : "also: ") << "〔"
                            << access::conformity_message(f.conformity).text(language) << "〕" << f.clause->key << ' '
                            << f.clause->clause.text << '\n';
                    }
                }
            } else if (const auto items = access_list(schemas, hit, language); !items.empty()) {
                out << "    " << (zh ? "准入清单 " : "access list ") << zone << '\n';
                for (const auto& item : items) {
                    out << "        " << item.label << (zh ? "：" : ": ") << item.text << '\n';
                }
            }
        }
        out << '\n';
    }
    if (!run.problems.empty()) {
        out << (zh ? "问题与修复：" : "Problems and repairs:") << '\n';
        for (const auto& p : run.problems) {
            out << "  " << problem_line(p, language) << '\n';
        }
        out << '\n';
    }
    std::map<Verdict, std::size_t> counts;
    for (const auto& fp : run.footprints) {
        if (fp.checked()) {
            ++counts[fp.verdict];
        }
    }
    out << (zh ? "结论汇总：" : "Verdicts: ");
    bool first = true;
    if (const std::size_t unchecked = unchecked_count(run); unchecked > 0) {
        out << (zh ? "未核查 " : "unchecked ") << unchecked;
        first = false;
    }
    for (Verdict v : {Verdict::prohibited, Verdict::conditional, Verdict::allowed, Verdict::clear}) {
        out << (first ? "" : (zh ? "，" : ", ")) << verdict_label(v, language) << ' ' << counts[v];
        first = false;
    }
    out << (zh ? "（共 " : " (of ") << run.footprints.size() << (zh ? " 个项目范围）" : " footprint(s))") << '\n';
}

void write_rules_json(std::ostream& out, const RuleSet& rules, const std::string& kind, Language language) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : rules.files()) {
        files.push_back({{"path", f.path.string()}, {"digest", f.digest}, {"local", f.local}});
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    std::size_t out_of_force = 0;
    for (const Rule& rule : rules.rules()) {
        if (!kind.empty() && rule.kind != kind) {
            continue;
        }
        if (!rules.in_force(rule)) {
            ++out_of_force;
            continue;
        }
        nlohmann::ordered_json r;
        r["id"] = rule.id;
        r["kind"] = rule.kind;
        r["subzones"] = rule.subzones;  // empty: every sub-zone of the kind
        r["activities"] = rule.activities;
        r["relations"] = rule.relations;
        r["when"] = rule.when.empty() ? nlohmann::ordered_json::object() : nlohmann::ordered_json(rule.when);
        r["unless"] = rule.unless.empty() ? nlohmann::ordered_json::object() : nlohmann::ordered_json(rule.unless);
        r["verdict"] = verdict_name(rule.verdict);
        r["message"] = pick(language, rule.message_zh, rule.message_en);
        add_basis(r, rule, *rule.basis_on(rules.as_of()), rules.sources(), language);
        r["verified"] = rule.verified_on(rules.as_of());
        r["replaces"] = rule.replaces.empty() ? nlohmann::json(nullptr) : nlohmann::json(rule.replaces);
        r["source"] = rule.file.string() + ":" + std::to_string(rule.line);
        list.push_back(std::move(r));
    }
    const nlohmann::ordered_json doc = {{"legal_date", rules.as_of().text()},
                                        {"rule_set_digest", rules.digest()},
                                        {"kind", kind.empty() ? nlohmann::json(nullptr) : nlohmann::json(kind)},
                                        {"files", files},
                                        {"rules", list},
                                        {"not_in_force", out_of_force}};
    out << json_text(doc, 2) << '\n';
}

void write_versions_json(std::ostream& out, const std::string& workspace, const std::vector<VersionInfo>& versions) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& v : versions) {
        list.push_back({{"id", v.id},
                        {"time", v.time},
                        {"operation", v.operation},
                        {"kind", v.kind},
                        {"source", v.source},
                        {"source_layer", v.source_layer},
                        {"source_digest", v.source_digest},
                        {"schema_digest", v.schema_digest},
                        {"features_read", v.features_read},
                        {"features_added", v.features_added},
                        {"features_retired", v.features_retired},
                        {"repairs", v.repairs},
                        {"note", v.note},
                        {"author", v.author},
                        {"basis", v.basis},
                        {"base_version",
                         v.base_version ? nlohmann::ordered_json(*v.base_version) : nlohmann::ordered_json(nullptr)},
                        {"workspace_digest", v.workspace_digest}});
    }
    out << json_text(nlohmann::ordered_json{{"workspace", workspace}, {"versions", list}}, 2) << '\n';
}

}  // namespace redline
