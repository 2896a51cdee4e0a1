#include "reports/report_document.hpp"

#include "base/message_json.hpp"

#include "base/text.hpp"
#include "redline/errors.hpp"
#include "redline/version.hpp"
#include "reports/report_support.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace redline::document {
namespace {

std::string area_text(double m2) {
    return text::fixed(m2, 2);
}
std::string hectare_text(double m2) {
    return text::fixed(m2 / 10'000.0, 4);
}
std::string percent_text(double ratio) {
    return text::fixed(ratio * 100.0, 2) + "%";
}

// A zone's style as layers/<kind>/style.toml gives it (the viewer reads the same).
map::Style zone_style(const SchemaSet& schemas, const std::string& kind, const std::string& subzone) {
    const KindSchema* k = schemas.find(kind);
    const ZoneStyle style = k != nullptr ? k->style.for_subzone(subzone) : KindStyle{}.base;
    const auto colour = [](const Rgba& c) { return map::Colour{c.r, c.g, c.b, c.a}; };
    map::Style s;
    s.fill = colour(style.fill);
    s.stroke = colour(style.stroke);
    s.stroke_width = style.stroke_width;
    s.dashed = style.dashed;
    return s;
}

map::Style footprint_style() {
    return {{1.0, 0.6, 0.0, 0.35}, {0.05, 0.05, 0.05, 1}, 1.6, false};
}
map::Style overlap_style() {
    return {{0.75, 0.0, 0.45, 0.55}, {0.75, 0.0, 0.45, 1}, 0.6, false};
}

// Lower layers first, as the kinds' styles order them.
int draw_order(const SchemaSet& schemas, const std::string& kind) {
    const KindSchema* k = schemas.find(kind);
    return k != nullptr ? k->style.draw_order : KindStyle{}.draw_order;
}

class Builder {
public:
    Builder(const CheckRun& run, const SchemaSet& schemas, Language language)
        : run_(run),
          schemas_(schemas),
          vocabulary_(FactVocabulary::load(schemas.directory())),
          language_(language),
          zh_(language == Language::zh) {}

    Document build(const std::string& generated_at) {
        doc_.language = language_;
        doc_.title = say("建设项目选址空间管控研判报告", "Site screening report: zoning and red lines");
        doc_.subtitle = say("生态保护红线 · 自然保护地 · 饮用水水源保护区 · 三线一单",
                            "Ecological red lines · protected areas · drinking-water sources · 三线一单 units");
        doc_.generated_at = generated_at;
        doc_.footer = std::string(tool_name) + " " + tool_version;
        overall();
        input();
        if (run_.footprints.size() > 1) {
            heading(say("总览图", "Overview map"));
            std::vector<const FootprintResult*> all;
            for (const auto& fp : run_.footprints) {
                all.push_back(&fp);
            }
            map_block(all_features(), all, say("全部用地范围与涉及分区", "All footprints and the zones they meet"));
        }
        std::size_t n = 0;
        for (const auto& fp : run_.footprints) {
            footprint(++n, fp);
        }
        problems();
        stamp();
        return std::move(doc_);
    }

private:
    std::string say(const std::string& chinese, const std::string& english) const { return zh_ ? chinese : english; }

    void heading(std::string t) { doc_.blocks.push_back({Block::Type::heading, std::move(t)}); }
    void subheading(std::string t) { doc_.blocks.push_back({Block::Type::subheading, std::move(t)}); }
    void paragraph(std::string t) { doc_.blocks.push_back({Block::Type::paragraph, std::move(t)}); }
    void note(std::string t) { doc_.blocks.push_back({Block::Type::note, std::move(t)}); }
    void key_values(std::vector<std::vector<std::string>> rows) {
        Block b{Block::Type::key_values};
        b.rows = std::move(rows);
        b.widths = {1, 3};
        doc_.blocks.push_back(std::move(b));
    }

    std::string footprint_title(std::size_t n, const FootprintResult& fp) const {
        std::string t = say("用地范围 ", "Footprint ") + std::to_string(n);
        if (!fp.name.empty()) {
            t += say("：", ": ") + fp.name;
        }
        if (!fp.id.empty() && fp.id != fp.name) {
            t += say("（", " (") + fp.id + say("）", ")");
        }
        return t;
    }

    void overall() {
        Verdict worst = Verdict::clear;
        std::map<Verdict, std::size_t> counts;
        for (const auto& fp : run_.footprints) {
            if (fp.checked()) {
                worst = std::max(worst, fp.verdict);
                ++counts[fp.verdict];
            }
        }
        const bool errors = std::any_of(run_.problems.begin(), run_.problems.end(),
                                        [](const Problem& p) { return p.severity == Severity::error; });
        const std::size_t unchecked = unchecked_count(run_);
        Block banner{Block::Type::banner};
        if (errors || unchecked > 0) {
            // Said first: what was not screened cannot be read as clear.
            banner.tone = Tone::prohibited;
            banner.text = say("总体结论：未完成核查", "Overall verdict: screening incomplete") +
                          (unchecked > 0 ? say("（" + std::to_string(unchecked) + " 个用地范围未核查）",
                                               " (" + std::to_string(unchecked) + " footprint(s) unchecked)")
                                         : say("（部分输入无法核查）", " (part of the input could not be checked)"));
        } else {
            banner.tone = tone_of(worst);
            banner.text = say("总体结论：", "Overall verdict: ") + verdict_label(worst, language_);
        }
        doc_.blocks.push_back(std::move(banner));
        std::string summary = zh_ ? "共 " + std::to_string(run_.footprints.size()) + " 个用地范围："
                                  : std::to_string(run_.footprints.size()) + " footprint(s): ";
        bool first = true;
        if (unchecked > 0) {
            summary += say("未核查 ", "unchecked ") + std::to_string(unchecked);
            first = false;
        }
        for (Verdict v : {Verdict::prohibited, Verdict::conditional, Verdict::allowed, Verdict::clear}) {
            if (counts[v] == 0) {
                continue;
            }
            summary += (first ? "" : say("，", ", ")) + std::string(verdict_label(v, language_)) + " " +
                       std::to_string(counts[v]);
            first = false;
        }
        summary += say("。结论取所涉分区适用规则中最严格者（禁止 > 有条件 > 允许）。",
                       ". Each verdict is the most severe of the rules that apply (prohibited > conditional > "
                       "allowed).");
        if (run_.rules) {
            summary += zh_ ? "适用 " + run_.rules->as_of().text() + " 施行的法律法规。"
                           : " The law applied is that in force on " + run_.rules->as_of().text() + ".";
        }
        paragraph(summary);
        if (errors) {
            note(say("注意：部分输入存在错误（见“输入问题”），相应结论不完整。",
                     "Note: part of the input has errors (see \"Input problems\"); the verdicts are incomplete."));
        }
    }

    void input() {
        heading(say("项目与输入", "Project and input"));
        std::vector<std::vector<std::string>> rows;
        rows.push_back({say("输入文件", "Input file"), run_.input_source});
        if (!run_.input_layer.empty()) {
            rows.push_back({say("图层", "Layer"), run_.input_layer});
        }
        rows.push_back({say("坐标系", "CRS"), run_.input_crs});
        for (const auto& d : run_.input_detections) {
            rows.push_back({say("识别：", "Detected: ") + detection_label(d.what, language_), d.why.text(language_)});
        }
        rows.push_back({say("用地范围数", "Footprints"), std::to_string(run_.footprints.size())});
        rows.push_back({say("工作空间", "Workspace"), run_.workspace_path});
        key_values(std::move(rows));
    }

    std::vector<map::Feature> zone_features(const std::vector<const Hit*>& hits) const {
        std::vector<const Hit*> ordered = hits;
        std::stable_sort(ordered.begin(), ordered.end(), [this](const Hit* a, const Hit* b) {
            return draw_order(schemas_, a->kind) < draw_order(schemas_, b->kind);
        });
        std::vector<map::Feature> features;
        std::set<std::int64_t> drawn;
        for (const Hit* hit : ordered) {
            const auto g = run_.zone_geometries.find(hit->zone_fid);
            if (g == run_.zone_geometries.end() || !drawn.insert(hit->zone_fid).second) {
                continue;
            }
            map::Feature f;
            f.geometry = g->second;
            // The zoning of the legal date: a 2025 map tells the buffer from the core.
            const std::string& subzone = hit->subzone_as_of.empty() ? hit->subzone : hit->subzone_as_of;
            f.style = zone_style(schemas_, hit->kind, subzone);
            f.legend = kind_label(schemas_, hit->kind, language_);
            if (!subzone.empty()) {
                f.legend += " " + subzone_label(schemas_, hit->kind, subzone, language_);
            }
            f.label = hit->zone_name.empty() ? hit->zone_id : hit->zone_name;
            features.push_back(std::move(f));
        }
        return features;
    }

    std::vector<map::Feature> all_features() const {
        std::vector<const Hit*> hits;
        for (const auto& fp : run_.footprints) {
            for (const auto& h : fp.hits) {
                hits.push_back(&h);
            }
        }
        auto features = zone_features(hits);
        std::size_t n = 0;
        for (const auto& fp : run_.footprints) {
            ++n;
            features.push_back({fp.geometry, footprint_style(), say("用地范围", "Footprint"), std::to_string(n)});
        }
        return features;
    }

    // A map of the features, framed on the footprints.
    void map_block(std::vector<map::Feature> features, const std::vector<const FootprintResult*>& framed,
                   std::string caption) {
        map::Request request;
        request.language = language_;
        bool first = true;
        for (const FootprintResult* fp : framed) {
            if (fp->geometry.empty()) {
                continue;
            }
            const BoundingBox b = bounding_box(fp->geometry);
            if (first) {
                request.focus = b;
                first = false;
            } else {
                request.focus.expand(b);
            }
        }
        if (first) {
            return;
        }
        request.features = std::move(features);
        Block b{Block::Type::map};
        b.scene = std::make_shared<const map::Scene>(map::build(request));
        b.text = std::move(caption);
        doc_.blocks.push_back(std::move(b));
    }

    void footprint(std::size_t n, const FootprintResult& fp) {
        doc_.blocks.push_back({Block::Type::section_break});
        heading(footprint_title(n, fp));
        Block banner{Block::Type::banner};
        banner.tone = fp.checked() ? tone_of(fp.verdict) : Tone::prohibited;
        banner.text = say("结论：", "Verdict: ") + footprint_verdict_label(fp, language_) +
                      (fp.checked() ? std::string() : say("（", " (") + fp.unchecked.text(language_) + say("）", ")"));
        doc_.blocks.push_back(std::move(banner));
        std::vector<std::vector<std::string>> rows;
        rows.push_back({say("几何类型", "Geometry"), fp.geometry_type});
        if (fp.area_m2 > 0) {
            rows.push_back({say("面积", "Area"), area_text(fp.area_m2) + " m² (" + hectare_text(fp.area_m2) + " ha)"});
        }
        if (fp.length_m > 0) {
            rows.push_back({say("长度", "Length"), text::fixed(fp.length_m, 2) + " m"});
        }
        std::string facts;
        auto add_fact = [&](const std::string& name, const std::optional<std::string>& value) {
            if (value) {
                facts += (facts.empty() ? "" : say("；", "; ")) +
                         (zh_ ? vocabulary_.chinese_fact(name) + "：" + vocabulary_.chinese_value(name, *value)
                              : name + "=" + *value);
            }
        };
        add_fact("activity", fp.facts.activity);
        if (!fp.facts.industry_codes.empty()) {
            // The industry as given (GB/T 4754 codes and names), with the category the rules
            // key on when the codes certainly fall under one.
            facts += (facts.empty() ? "" : say("；", "; ")) + say("行业：", "industry=") +
                     vocabulary_.industry_codes_text(fp.facts, zh_ ? Language::zh : Language::en) +
                     (fp.facts.industry
                          ? say("（", " (") +
                                (zh_ ? vocabulary_.chinese_value("industry", *fp.facts.industry) : *fp.facts.industry) +
                                say("）", ")")
                          : "");
        } else {
            add_fact("industry", fp.facts.industry);
        }
        add_fact("outfall_type", fp.facts.outfall_type);
        add_fact("receiving_water", fp.facts.receiving_water);
        if (fp.facts.discharges) {
            add_fact("discharges", std::string(*fp.facts.discharges ? "true" : "false"));
        }
        if (fp.facts.listed_activity) {
            add_fact("listed_activity", std::string(*fp.facts.listed_activity ? "true" : "false"));
        }
        rows.push_back({say("按以下活动研判", "Judged as"), facts.empty() ? say("（未说明）", "(not stated)") : facts});
        key_values(std::move(rows));

        std::vector<const Hit*> hits;
        for (const auto& h : fp.hits) {
            hits.push_back(&h);
        }
        auto features = zone_features(hits);
        for (const auto& h : fp.hits) {
            if (!h.overlap.empty() && h.relation != Relation::near) {
                const KindSchema* k = schemas_.find(h.kind);
                if (k != nullptr && k->protective) {
                    features.push_back(
                        {h.overlap, overlap_style(), say("与保护性分区重叠部分", "Overlap with a protected zone"), ""});
                }
            }
        }
        features.push_back({fp.geometry, footprint_style(), say("用地范围", "Footprint"), ""});
        map_block(std::move(features), {&fp}, say("图：", "Map: ") + footprint_title(n, fp));

        subheading(say("涉及分区", "Zones met"));
        if (fp.hits.empty()) {
            paragraph(say("未涉及任何分区，也不在任何分区的检索距离内。",
                          "Meets no zone and lies beyond every zone's search distance."));
        } else {
            hit_table(fp);
        }
        rules_table(fp);
        access_lists(fp);
    }

    void hit_table(const FootprintResult& fp) {
        Block t{Block::Type::table};
        t.header = {say("分区类型", "Kind"),     say("子区", "Sub-zone"),          say("分区名称及编码", "Zone"),
                    say("空间关系", "Relation"), say("重叠面积 m²", "Overlap m²"), say("重叠面积 ha", "Overlap ha"),
                    say("占用地比例", "Share"),  say("区内长度 m", "Inside m"),    say("距离 m", "Distance m"),
                    say("结论", "Verdict")};
        t.widths = {1.3, 1.0, 2.0, 0.95, 1.25, 0.95, 0.85, 0.9, 0.9, 1.15};  // room for "conditional"
        t.numeric = {false, false, false, false, true, true, true, true, true, false};
        for (const auto& h : fp.hits) {
            std::string zone = h.zone_name.empty() ? h.zone_id : h.zone_name;
            if (!h.zone_code.empty()) {
                zone += " [" + h.zone_code + "]";
            }
            t.rows.push_back({kind_label(schemas_, h.kind, language_), hit_subzone_label(schemas_, h, language_), zone,
                              relation_label(h.relation, language_),
                              h.overlap_area_m2 ? area_text(*h.overlap_area_m2) : "",
                              h.overlap_area_m2 ? hectare_text(*h.overlap_area_m2) : "",
                              h.overlap_ratio ? percent_text(*h.overlap_ratio) : "",
                              h.inside_length_m ? text::fixed(*h.inside_length_m, 2) : "",
                              h.distance_m ? text::fixed(*h.distance_m, 2) : "", verdict_label(h.verdict, language_)});
            t.row_tones.push_back(tone_of(h.verdict));
        }
        doc_.blocks.push_back(std::move(t));
        for (const auto& h : fp.hits) {
            if (!h.note.empty()) {
                note((h.zone_name.empty() ? h.zone_id : h.zone_name) + say("：", ": ") + h.note.text(language_));
            }
        }
    }

    void rules_table(const FootprintResult& fp) {
        Block t{Block::Type::table};
        t.header = {say("规则", "Rule"), say("结论", "Verdict"), say("分区", "Zone"),
                    say("说明与要求", "Finding and requirements"), say("法律依据", "Legal basis")};
        t.widths = {1.5, 0.8, 1.5, 3.4, 2.8};
        t.numeric = {false, false, false, false, false};
        bool verify = false;
        std::set<std::string> assumptions;
        for (const auto& h : fp.hits) {
            for (const auto& applied : h.rules) {
                const Rule& r = *applied.rule;
                // Sentences joined once: the texts end with their own full stops.
                auto sentence = [&](std::string text) {
                    const std::string stop = say("。", ".");
                    if (!text.empty() && !text.ends_with(stop)) {
                        text += stop;
                    }
                    return text;
                };
                std::string finding = sentence(pick(language_, r.message_zh, r.message_en));
                const std::string& requires_text = pick(language_, r.requires_zh, r.requires_en);
                if (!requires_text.empty()) {
                    finding += say("要求：", " Requires: ") + sentence(requires_text);
                }
                if (!applied.basis->note_zh.empty()) {
                    finding += say("", " ") + sentence(pick(language_, applied.basis->note_zh, applied.basis->note_en));
                }
                std::string basis = applied_basis_text(applied, *run_.rules, language_);
                for (const RuleBasis& b : r.basis) {
                    if (b.in_force.to && b.in_force.to->next_day() == applied.basis->in_force.from) {
                        basis += say("；", "; ") + history_text(b, run_.rules->sources(), language_);
                    }
                }
                std::string verdict = verdict_label(r.verdict, language_);
                if (!applied.verified()) {
                    verdict += say("（待核实）", " (to be verified)");
                    verify = true;
                }
                t.rows.push_back({r.id, verdict, h.zone_name.empty() ? h.zone_id : h.zone_name, finding, basis});
                t.row_tones.push_back(tone_of(r.verdict));
                for (const auto& a : applied.assumptions) {
                    assumptions.insert(describe(a, vocabulary_, language_, &fp.facts));
                }
            }
        }
        if (t.rows.empty()) {
            return;
        }
        subheading(say("适用规则与法律依据", "Applicable rules and legal basis"));
        doc_.blocks.push_back(std::move(t));
        for (const auto& a : assumptions) {
            note(say("假定：", "Assumed: ") + a);
        }
        if (verify) {
            note(
                say("标注“待核实”的结论所依据的条文或其适用尚未与法规原文核对，引用前须核实（redline rules "
                    "verify-status 列出全部待核实条文）。",
                    "Verdicts marked \"to be verified\" rest on provisions, or a reading of them, not yet checked "
                    "against the text; verify them before relying on them (redline rules verify-status lists them)."));
        }
    }

    void access_lists(const FootprintResult& fp) {
        bool any = false;
        for (const auto& h : fp.hits) {
            const auto items = access_list(schemas_, h, language_);
            if (items.empty() || h.relation == Relation::near) {
                continue;
            }
            if (!any) {
                subheading(say("三线一单生态环境准入清单", "三线一单 access lists"));
                any = true;
            }
            paragraph((h.zone_name.empty() ? h.zone_id : h.zone_name) +
                      (h.zone_code.empty() ? "" : " [" + h.zone_code + "]"));
            std::vector<std::vector<std::string>> rows;
            for (const auto& item : items) {
                rows.push_back({item.label, item.text});
            }
            key_values(std::move(rows));
        }
        conformity_tables(fp);
    }

    // 相符性分析: every clause of every list that applies to each unit met, with its
    // conformity and why; the deciding clause first in words.
    void conformity_tables(const FootprintResult& fp) {
        for (const auto& h : fp.hits) {
            if (!h.access || h.access->findings.empty()) {
                continue;
            }
            subheading(say("准入清单相符性分析", "Conformity with the access lists") + (say("：", ": ")) +
                       (h.zone_name.empty() ? h.zone_id : h.zone_name) +
                       (h.zone_code.empty() ? "" : " [" + h.zone_code + "]"));
            paragraph(conformity_counts_text(*h.access, language_));
            if (const auto deciding = deciding_clause_text(*h.access, language_); !deciding.empty()) {
                note(say("决定条款：", "Deciding clause: ") + deciding);
            }
            Block t{Block::Type::table};
            t.header = {say("清单", "List"),       say("维度", "Dimension"), say("条款", "Clause"),
                        say("结论", "Conformity"), say("理由", "Reason"),    say("复核", "Review")};
            t.widths = {1.4, 1.1, 3.6, 0.9, 2.4, 1.1};
            t.numeric = {false, false, false, false, false, false};
            for (auto& row : conformity_rows(*h.access, language_)) {
                Tone tone = Tone::neutral;
                if (row.value == access::Conformity::violates) {
                    tone = Tone::prohibited;
                } else if (row.value == access::Conformity::needs_judgement) {
                    tone = row.decisive ? Tone::conditional : Tone::neutral;
                } else if (row.value == access::Conformity::conforms) {
                    tone = Tone::allowed;
                }
                t.rows.push_back({std::move(row.list), std::move(row.dimension), std::move(row.clause),
                                  std::move(row.conformity), std::move(row.reason), std::move(row.review)});
                t.row_tones.push_back(tone);
            }
            doc_.blocks.push_back(std::move(t));
        }
    }

    void problems() {
        if (run_.problems.empty()) {
            return;
        }
        doc_.blocks.push_back({Block::Type::section_break});
        heading(say("输入问题", "Input problems"));
        Block t{Block::Type::table};
        t.header = {say("级别", "Severity"), say("要素", "Feature"), say("说明", "Message")};
        t.widths = {0.8, 1.5, 5};
        t.numeric = {false, false, false};
        for (const auto& p : run_.problems) {
            t.rows.push_back(
                {severity_label(p.severity, language_), p.feature.text(language_), p.message.text(language_)});
            t.row_tones.push_back(p.severity == Severity::error ? Tone::prohibited : Tone::conditional);
        }
        doc_.blocks.push_back(std::move(t));
    }

    void stamp() {
        doc_.blocks.push_back({Block::Type::section_break});
        heading(say("复核信息", "Reproducibility stamp"));
        paragraph(
            say("持有相同工作空间版本与规则集的任何人，以相同输入运行相同版本的 redline，将得到相同的结论与数值。",
                "Anyone holding the same workspace version and rule set who runs the same redline version on "
                "the same input gets the same verdicts and figures."));
        std::vector<std::vector<std::string>> rows;
        rows.push_back({say("工具", "Tool"), std::string(tool_name) + " " + tool_version});
        if (run_.workspace_version) {
            rows.push_back({say("工作空间版本", "Workspace version"),
                            std::to_string(run_.workspace_version->id) + " (" + run_.workspace_version->time + ")"});
            rows.push_back({say("工作空间摘要", "Workspace digest"), run_.workspace_version->workspace_digest});
        }
        if (run_.rules) {
            rows.push_back({say("法律适用日期", "Legal date"), run_.rules->as_of().text()});
            std::string texts;
            for (const LegalSource* t : run_.rules->texts_applied()) {
                texts += (texts.empty() ? "" : say("；", "; ")) + pick(language_, t->title_zh, t->title_en) +
                         (t->verified ? "" : say("（待核实）", " (to be verified)"));
            }
            rows.push_back({say("适用的法律文件", "Texts applied"), texts});
            rows.push_back({say("规则集摘要", "Rule set digest"), run_.rules->digest()});
            for (const auto& f : run_.rules->files()) {
                if (f.local) {
                    rows.push_back({say("地方规则文件", "Local rule file"), f.path.string() + " " + f.digest});
                }
            }
        }
        rows.push_back(
            {say("面积计算方法", "Area method"), say("CGCS2000（GRS80 椭球）上的椭球面积（测地线多边形面积）",
                                                     "ellipsoidal: geodesic polygon area on GRS80 (CGCS2000)")});
        rows.push_back({say("距离计算方法", "Distance method"),
                        say("GRS80 椭球面上最近点之间的测地线距离", "geodesic on GRS80 between nearest points")});
        std::string near;
        for (const auto& kind : run_.kinds) {
            if (const KindSchema* k = schemas_.find(kind); k != nullptr && run_.options.near_distance_for(*k) > 0) {
                near += (near.empty() ? "" : "; ") + kind_label(schemas_, kind, language_) + " " +
                        text::fixed(run_.options.near_distance_for(*k), 0) + " m";
            }
        }
        rows.push_back({say("邻近检索距离", "Search distances"), near});
        rows.push_back({say("细小碎片容差", "Sliver tolerances"),
                        say("面积 ", "area ") + text::fixed(run_.options.sliver_area_m2, 2) +
                            say(" m²；平均宽度小于 ", " m²; thinner than ") +
                            text::fixed(run_.options.sliver_width_m, 2) + say(" m 且面积不超过 ", " m and at most ") +
                            text::fixed(run_.options.sliver_thin_area_m2, 0) + say(" m²；线 ", " m²; lines ") +
                            text::fixed(run_.options.sliver_length_m, 2) + " m"});
        rows.push_back({say("生成时间", "Generated"), doc_.generated_at});
        key_values(std::move(rows));
    }

    const CheckRun& run_;
    const SchemaSet& schemas_;
    const FactVocabulary vocabulary_;
    Language language_;
    bool zh_;
    Document doc_;
};

}  // namespace

Tone tone_of(Verdict verdict) {
    switch (verdict) {
        case Verdict::prohibited:
            return Tone::prohibited;
        case Verdict::conditional:
            return Tone::conditional;
        case Verdict::allowed:
            return Tone::allowed;
        case Verdict::clear:
            return Tone::clear;
    }
    return Tone::neutral;
}

Document screening_report(const CheckRun& run, const SchemaSet& schemas, Language language,
                          const std::string& generated_at) {
    return Builder(run, schemas, language).build(generated_at);
}

Document outfall_report(const OutfallSummary& s, const SchemaSet& schemas, Language language,
                        const std::string& generated_at) {
    const bool zh = language == Language::zh;
    auto say = [zh](const std::string& chinese, const std::string& english) { return zh ? chinese : english; };
    Document doc;
    doc.language = language;
    doc.title = say("入河入海排污口排查整治核查汇总", "Outfall register check: summary");
    doc.subtitle = say("取缔一批、合并一批、规范一批", "Close, merge, standardise");
    doc.generated_at = generated_at;
    doc.footer = std::string(tool_name) + " " + tool_version;
    auto add = [&doc](Block b) { doc.blocks.push_back(std::move(b)); };
    auto key_values = [&](std::vector<std::vector<std::string>> rows) {
        Block b{Block::Type::key_values};
        b.rows = std::move(rows);
        b.widths = {1, 3};
        add(std::move(b));
    };
    const std::vector<std::pair<OutfallAction, map::Colour>> actions = {
        {OutfallAction::close, {0.80, 0.10, 0.10, 1}},
        {OutfallAction::merge, {0.93, 0.55, 0.05, 1}},
        {OutfallAction::standardise, {0.15, 0.40, 0.80, 1}},
        {OutfallAction::keep, {0.20, 0.60, 0.25, 1}}};
    auto count = [](const std::map<std::string, std::size_t>& m, const std::string& key) {
        const auto it = m.find(key);
        return it == m.end() ? std::size_t{0} : it->second;
    };

    Block banner{Block::Type::banner};
    const std::size_t closes = count(s.by_action, "close");
    banner.tone = closes > 0 ? Tone::prohibited : Tone::allowed;
    banner.text = zh ? "已核查 " + std::to_string(s.screened) + " 个排污口，建议取缔 " + std::to_string(closes) + " 个"
                     : std::to_string(s.screened) + " outfalls checked, " + std::to_string(closes) + " to close";
    add(std::move(banner));
    add({Block::Type::heading, say("名录与工作空间", "Register and workspace")});
    key_values(
        {{say("排污口名录", "Register"), s.source},
         {say("核查结果", "Result"), s.output},
         {say("行数", "Rows"), std::to_string(s.rows)},
         {say("已核查", "Screened"), std::to_string(s.screened)},
         {say("无法核查的行", "Rows that could not be screened"), std::to_string(s.error_rows)},
         {say("有警告的行（如编码重复）", "Rows with warnings (e.g. duplicate codes)"), std::to_string(s.warning_rows)},
         {say("坐标系", "CRS"), s.crs},
         {say("合并组", "Merge groups"), std::to_string(s.merge_groups) +
                                             say("（同一受纳水体 ", " (same receiving water within ") +
                                             text::fixed(s.merge_distance_m, 0) + say(" 米内）", " m)")},
         {say("工作空间", "Workspace"), s.workspace}});

    add({Block::Type::heading, say("按建议措施", "By action")});
    std::vector<map::Bar> bars;
    for (const auto& [action, colour] : actions) {
        bars.push_back(
            {action_label(action, language), static_cast<double>(count(s.by_action, action_name(action))), colour});
    }
    Block chart{Block::Type::map};
    chart.scene = std::make_shared<const map::Scene>(map::bar_chart(bars, 480));
    chart.text = say("各建议措施的排污口数", "Outfalls per action");
    add(std::move(chart));

    auto count_section = [&](const std::string& title, const std::string& what,
                             const std::map<std::string, std::size_t>& counts, bool chart_it) {
        if (counts.empty()) {
            return;
        }
        add({Block::Type::heading, title});
        std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        if (chart_it) {
            std::vector<map::Bar> type_bars;
            for (std::size_t i = 0; i < sorted.size() && i < 12; ++i) {
                type_bars.push_back({sorted[i].first, static_cast<double>(sorted[i].second)});
            }
            Block b{Block::Type::map};
            b.scene = std::make_shared<const map::Scene>(map::bar_chart(type_bars, 480));
            b.text = title;
            add(std::move(b));
        }
        Block t{Block::Type::table};
        t.header = {what, say("排污口数", "Outfalls")};
        t.widths = {3, 1};
        t.numeric = {false, true};
        for (const auto& [key, n] : sorted) {
            t.rows.push_back({key, std::to_string(n)});
        }
        add(std::move(t));
    };
    count_section(say("按排污口类型", "By outfall type"), say("类型", "Type"), s.by_type, true);
    std::map<std::string, std::size_t> kinds;
    for (const auto& [kind, n] : s.by_kind) {
        const KindSchema* k = schemas.find(kind);
        kinds[k == nullptr ? kind : zh ? k->name_zh : k->name_en] += n;
    }
    count_section(say("按所在分区类型", "By zone kind"), say("分区类型", "Zone kind"), kinds, false);
    count_section(say("按行政区", "By district"), say("行政区", "District"), s.by_district, false);

    // The map: administrative boundaries, and the outfalls coloured by action.
    map::Request request;
    request.language = language;
    request.width_pt = 480;
    request.height_pt = 400;
    bool any = false;
    for (const auto& [name, geometry] : s.districts) {
        map::Feature f;
        f.geometry = geometry;
        f.style = {{0, 0, 0, 0}, {0.4, 0.4, 0.4, 1}, 0.5, false};
        f.legend = say("行政区界", "District boundary");
        request.features.push_back(std::move(f));
    }
    for (const auto& [action, colour] : actions) {
        const auto it = s.mapped.find(action_name(action));
        if (it == s.mapped.end() || it->second.empty()) {
            continue;
        }
        std::string wkt = "MULTIPOINT(";
        for (std::size_t i = 0; i < it->second.size(); ++i) {
            wkt += (i ? "," : "") + text::fixed(it->second[i].first, 7) + " " + text::fixed(it->second[i].second, 7);
            const BoundingBox b{it->second[i].first, it->second[i].second, it->second[i].first, it->second[i].second};
            if (!any) {
                request.focus = b;
                any = true;
            } else {
                request.focus.expand(b);
            }
        }
        wkt += ")";
        map::Feature f;
        f.geometry = geometry_from_wkt(wkt);
        f.style = {colour, {1, 1, 1, 0.8}, 0.3, false, 1.8};
        f.legend = std::string(action_label(action, language)) + " (" +
                   std::to_string(count(s.by_action, action_name(action))) + ")";
        request.features.push_back(std::move(f));
    }
    if (any) {
        add({Block::Type::section_break});
        add({Block::Type::heading, say("排污口分布（按建议措施着色）", "Outfalls by action")});
        Block m{Block::Type::map};
        m.scene = std::make_shared<const map::Scene>(map::build(request));
        m.text = zh ? "每类措施最多显示 " + std::to_string(OutfallSummary::max_mapped_per_action) +
                          " 个排污口（超出时为均匀抽样）"
                    : "At most " + std::to_string(OutfallSummary::max_mapped_per_action) +
                          " outfalls per action are drawn (a uniform sample beyond that)";
        add(std::move(m));
    }

    if (!s.problems.empty()) {
        add({Block::Type::section_break});
        add({Block::Type::heading, say("问题行", "Rows with problems")});
        Block t{Block::Type::table};
        t.header = {say("级别", "Severity"), say("行", "Line"), say("说明", "Message")};
        t.widths = {0.8, 1, 5};
        t.numeric = {false, false, false};
        for (const auto& p : s.problems) {
            t.rows.push_back(
                {severity_label(p.severity, language), p.feature.text(language), p.message.text(language)});
            t.row_tones.push_back(p.severity == Severity::error ? Tone::prohibited : Tone::conditional);
        }
        add(std::move(t));
        if (s.error_rows + s.warning_rows > s.problems.size()) {
            add({Block::Type::note,
                 say("仅列出前 ", "Only the first ") + std::to_string(s.problems.size()) +
                     say(" 条；每一行的核查状态见核查结果。", " are listed; every row's status is in the result.")});
        }
    }

    add({Block::Type::section_break});
    add({Block::Type::heading, say("复核信息", "Reproducibility stamp")});
    std::vector<std::vector<std::string>> stamp = {{say("工具", "Tool"), std::string(tool_name) + " " + tool_version}};
    if (s.workspace_version) {
        stamp.push_back({say("工作空间版本", "Workspace version"),
                         std::to_string(s.workspace_version->id) + " (" + s.workspace_version->time + ")"});
        stamp.push_back({say("工作空间摘要", "Workspace digest"), s.workspace_version->workspace_digest});
    }
    stamp.push_back({say("法律适用日期", "Legal date"), s.legal_date.text()});
    stamp.push_back({say("规则集摘要", "Rule set digest"), s.rule_set_digest});
    stamp.push_back({say("距离计算方法", "Distance method"),
                     say("GRS80 椭球面上最近点之间的测地线距离", "geodesic on GRS80 between nearest points")});
    stamp.push_back({say("生成时间", "Generated"), generated_at});
    key_values(std::move(stamp));
    return doc;
}

}  // namespace redline::document
