// The indicators report (规划指标监测预警报告) as a document: the state of the targets first,
// then the figures with what moved them, a chart per indicator across the versions, the
// districts, the definitions and the stamp; HTML and PDF are written from it.
#include "redline/indicators/indicators_report.hpp"

#include "base/text.hpp"
#include "indicators/wording.hpp"
#include "redline/version.hpp"
#include "reports/report_document.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace redline {
namespace {

using document::Block;
using document::Document;
using document::Tone;
namespace words = indicator_words;

Tone tone_of(TargetStatus status) {
    switch (status) {
        case TargetStatus::met:
            return Tone::allowed;
        case TargetStatus::at_risk:
            return Tone::conditional;
        case TargetStatus::missed:
        case TargetStatus::unmeasured:
            return Tone::prohibited;
    }
    return Tone::neutral;
}

// A round step for about `count` intervals over a span: 1, 2 or 5 times a power of ten.
double nice_step(double span, int count) {
    const double raw = span / count;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (raw <= m * power) {
            return m * power;
        }
    }
    return 10 * power;
}

int decimals_for(double step) {
    return step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
}

struct Point {
    std::string label;  // the version
    std::optional<double> value;
};

// A line chart of one indicator over the versions, with its target as a dashed line.
map::Scene trend_chart(const std::vector<Point>& points, const std::string& unit, const std::optional<double>& limit,
                       const std::string& limit_label, double width_pt) {
    map::Scene scene;
    scene.width = width_pt;
    scene.height = 140;
    const double left = 64, right = 16, top = 20, bottom = 28;
    const double plot_w = width_pt - left - right, plot_h = scene.height - top - bottom;
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto& p : points) {
        if (p.value) {
            low = std::min(low, *p.value);
            high = std::max(high, *p.value);
        }
    }
    if (limit) {
        low = std::min(low, *limit);
        high = std::max(high, *limit);
    }
    if (!std::isfinite(low)) {
        low = 0;
        high = 1;
    }
    if (high - low < 1e-9 * std::max(1.0, std::fabs(high))) {
        const double pad = std::max(std::fabs(high) * 0.01, 1e-3);
        low -= pad;
        high += pad;
    }
    const double step = nice_step(high - low, 4);
    low = std::floor(low / step) * step;
    high = std::ceil(high / step) * step;
    const int decimals = decimals_for(step);
    const map::Colour ink{0.15, 0.15, 0.15, 1}, grid{0.82, 0.82, 0.82, 1}, line{0.20, 0.40, 0.70, 1},
        target{0.80, 0.10, 0.10, 1};
    const auto y_of = [&](double v) { return top + plot_h * (1 - (v - low) / (high - low)); };
    const double n = static_cast<double>(points.size());
    const auto x_of = [&](std::size_t i) {
        return points.size() == 1 ? left + plot_w / 2 : left + plot_w * static_cast<double>(i) / (n - 1);
    };
    for (double v = low; v <= high + step / 2; v += step) {
        const double y = y_of(v);
        scene.paths.push_back({{{{left, y}, {left + plot_w, y}}}, false, {{0, 0, 0, 0}, grid, 0.5, false}});
        scene.texts.push_back({text::fixed(v, decimals), left - 5, y + 3, 7, ink, map::Anchor::end, false, false});
    }
    scene.texts.push_back({unit, left - 5, top - 10, 7, ink, map::Anchor::end, false, false});
    if (limit) {
        const double y = y_of(*limit);
        scene.paths.push_back({{{{left, y}, {left + plot_w, y}}}, false, {{0, 0, 0, 0}, target, 1.0, true}});
        scene.texts.push_back({limit_label, left + plot_w, y - 3, 7, target, map::Anchor::end, false, true});
    }
    // The line, broken where the indicator did not exist.
    map::Ring run;
    auto flush = [&] {
        if (run.size() > 1) {
            scene.paths.push_back({{run}, false, {{0, 0, 0, 0}, line, 1.6, false}});
        }
        run.clear();
    };
    const std::size_t label_every = std::max<std::size_t>(1, points.size() / 12 + 1);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double x = x_of(i);
        if (i % label_every == 0 || i + 1 == points.size()) {
            scene.texts.push_back({points[i].label, x, top + plot_h + 14, 7, ink, map::Anchor::middle, false, false});
        }
        if (!points[i].value) {
            flush();
            continue;
        }
        const double y = y_of(*points[i].value);
        run.push_back({x, y});
        scene.paths.push_back(
            {{{{x - 2.5, y}, {x, y - 2.5}, {x + 2.5, y}, {x, y + 2.5}, {x - 2.5, y}}}, true, {line, line, 0.5, false}});
    }
    flush();
    // The last value, written out.
    for (std::size_t i = points.size(); i-- > 0;) {
        if (points[i].value) {
            scene.texts.push_back({indicator_value_text(points[i].value, unit), x_of(i) - 4, y_of(*points[i].value) - 6,
                                   7.5, ink, map::Anchor::end, true, true});
            break;
        }
    }
    scene.paths.push_back(
        {{{{left, top}, {left, top + plot_h}, {left + plot_w, top + plot_h}}}, false, {{0, 0, 0, 0}, ink, 0.7, false}});
    return scene;
}

class Builder {
public:
    Builder(const IndicatorRun& run, const SchemaSet& schemas, Language language)
        : run_(run), schemas_(schemas), language_(language) {}

    Document build(const std::string& generated_at) {
        doc_.language = language_;
        doc_.title = say("indicators.report.title");
        const std::string& plan = pick_text(run_.targets_title_zh, run_.targets_title_en);
        doc_.subtitle = plan.empty() ? say("indicators.report.subtitle") : plan;
        doc_.generated_at = generated_at;
        doc_.footer = std::string(tool_name) + " " + tool_version;
        banner();
        workspace();
        targets();
        guard();
        values();
        changes();
        trend();
        districts();
        definitions();
        problems();
        stamp(generated_at);
        return std::move(doc_);
    }

private:
    std::string say(const char* code, Message::Args args = {}) const {
        return Message(code, std::move(args)).text(language_);
    }
    std::string text(const Message& m) const { return m.text(language_); }
    const std::string& pick_text(const std::string& zh, const std::string& en) const {
        return language_ == Language::zh || en.empty() ? zh : en;
    }
    void add(Block b) { doc_.blocks.push_back(std::move(b)); }
    void heading(const std::string& t) { add({Block::Type::heading, t}); }
    std::string version_text(const VersionInfo& v) const {
        return say("indicators.report.version", {{"version", v.id},
                                                 {"time", v.time},
                                                 {"operation", words::operation(v.operation)},
                                                 {"kind", v.kind.empty() ? "-" : v.kind}});
    }

    void banner() {
        Block b{Block::Type::banner};
        std::size_t at_risk = 0, met = 0;
        for (const auto& t : run_.targets) {
            at_risk += t.status == TargetStatus::at_risk ||
                       (t.target.type == TargetType::expected &&
                        (t.status == TargetStatus::missed || t.status == TargetStatus::unmeasured));
            met += t.status == TargetStatus::met;
        }
        const auto failures = run_.binding_failures();
        if (run_.red_line_fall() != nullptr || !failures.empty()) {
            b.tone = Tone::prohibited;
            b.text = say("indicators.report.banner_failed",
                         {{"count", failures.size()},
                          {"fell", run_.red_line_fall() != nullptr ? Message("indicators.report.banner_fell")
                                                                   : Message::verbatim("")}});
        } else if (at_risk > 0) {
            b.tone = Tone::conditional;
            b.text = say("indicators.report.banner_at_risk", {{"count", at_risk}});
        } else if (!run_.targets.empty()) {
            b.tone = Tone::allowed;
            b.text = say("indicators.report.banner_met", {{"count", met}});
        } else {
            b.tone = Tone::clear;
            b.text = say("indicators.report.banner_no_targets");
        }
        add(std::move(b));
    }

    void workspace() {
        heading(say("indicators.report.workspace"));
        Block kv{Block::Type::key_values};
        kv.widths = {1, 3};
        kv.rows.push_back({say("indicators.report.workspace_path"), run_.workspace});
        kv.rows.push_back({say("indicators.report.version_measured"), version_text(run_.now.version)});
        if (run_.earlier) {
            kv.rows.push_back({say("indicators.report.version_earlier"), version_text(run_.earlier->version)});
        }
        const KindSchema* land = schemas_.find(run_.now.land_kind);
        kv.rows.push_back({say("indicators.report.land"),
                           land == nullptr
                               ? say("indicators.table.no_land")
                               : say("indicators.table.land", {{"kind", bilingual(land->name_zh, land->name_en)}})});
        if (!run_.targets_file.empty()) {
            kv.rows.push_back({say("indicators.report.targets_file"), run_.targets_file});
            kv.rows.push_back({say("indicators.report.as_of"), run_.as_of.text()});
        }
        add(std::move(kv));
    }

    void targets() {
        if (run_.targets_file.empty()) {
            return;
        }
        heading(say("indicators.report.targets"));
        if (run_.targets.empty()) {
            add({Block::Type::paragraph, say("indicators.table.no_targets_in_force", {{"as_of", run_.as_of.text()}})});
        } else {
            Block t{Block::Type::table};
            t.header = {say("indicators.table.indicator"),   say("indicators.table.type"),
                        say("indicators.table.requirement"), say("indicators.table.value"),
                        say("indicators.table.reason"),      say("indicators.table.status")};
            t.widths = {2.2, 0.8, 2.2, 1.2, 3, 0.9};
            t.numeric = {false, false, false, true, false, false};
            for (const auto& c : run_.targets) {
                std::string source = pick_text(c.target.source_zh, c.target.source_en);
                t.rows.push_back({text(words::target_name(c)) + (source.empty() ? "" : "\n" + source),
                                  text(words::type(c.target.type)), text(words::requirement(c)),
                                  indicator_value_text(c.indicator.value, c.indicator.unit) + " " + c.indicator.unit,
                                  text(c.reason), text(words::status(c.status))});
                t.row_tones.push_back(tone_of(c.status));
            }
            add(std::move(t));
        }
        if (run_.targets_not_in_force > 0) {
            add({Block::Type::note, say("indicators.table.targets_not_in_force",
                                        {{"count", run_.targets_not_in_force}, {"as_of", run_.as_of.text()}})});
        }
    }

    void guard() {
        const auto findings = guard_messages(run_, schemas_);
        if (findings.empty()) {
            return;
        }
        heading(say("indicators.report.warnings"));
        for (const auto& m : findings) {
            Block b{Block::Type::paragraph, text(m)};
            add(std::move(b));
        }
    }

    void values() {
        heading(say("indicators.report.values"));
        Block t{Block::Type::table};
        t.header = {say("indicators.table.indicator"), say("indicators.table.value"), say("indicators.table.unit")};
        t.widths = {3, 1.4, 0.6};
        t.numeric = {false, true, false};
        if (run_.earlier) {
            t.header.push_back(say("indicators.table.change_since", {{"version", run_.earlier->version.id}}));
            t.widths.push_back(1.4);
            t.numeric.push_back(true);
        }
        for (const auto& v : run_.now.values) {
            if (!v.whole()) {
                continue;
            }
            std::vector<std::string> row = {text(v.name), indicator_value_text(v.value, v.unit), v.unit};
            if (run_.earlier) {
                const IndicatorValue* then = run_.earlier->find(v.key());
                row.push_back(
                    words::change_text(then != nullptr ? then->value : std::nullopt, v.value, v.unit, language_));
            }
            t.rows.push_back(std::move(row));
        }
        add(std::move(t));
    }

    void changes() {
        if (!run_.earlier) {
            add({Block::Type::note, say("indicators.table.first_version", {{"version", run_.now.version.id}})});
            return;
        }
        const Message::Args span = {{"since", run_.earlier->version.id}, {"version", run_.now.version.id}};
        bool any = false;
        for (const auto& c : run_.changes) {
            if (!c.now.whole()) {
                continue;
            }
            if (!any) {
                heading(say("indicators.report.changes", span));
                any = true;
            }
            add({Block::Type::subheading,
                 say("indicators.report.change_heading", {{"name", c.now.name},
                                                          {"before", indicator_value_text(c.before, c.now.unit)},
                                                          {"after", indicator_value_text(c.now.value, c.now.unit)},
                                                          {"unit", c.now.unit}})});
            Block t{Block::Type::table};
            t.header = {say("indicators.report.move"), say("indicators.report.causes")};
            t.widths = {3, 3};
            t.numeric = {false, false};
            for (const auto& m : c.moves) {
                std::string causes;
                for (const auto& cause : m.causes) {
                    causes += (causes.empty() ? "" : "\n") + text(words::cause(cause));
                }
                if (m.more > 0) {
                    causes += "\n" + say("indicators.cause.more", {{"count", m.more}});
                }
                t.rows.push_back({text(words::move(m, c.now.unit)), causes});
            }
            add(std::move(t));
        }
        if (!any) {
            add({Block::Type::paragraph, say("indicators.table.no_changes", span)});
        }
    }

    // The target in force for an indicator of the whole workspace, drawn on its chart.
    const TargetCheck* target_for(const IndicatorKey& key) const {
        for (const auto& t : run_.targets) {
            if (t.indicator.key() == key && t.limit) {
                return &t;
            }
        }
        return nullptr;
    }

    void trend() {
        if (run_.trend.size() < 2) {
            return;
        }
        add({Block::Type::section_break});
        heading(say("indicators.report.trend",
                    {{"since", run_.trend.front().version.id}, {"version", run_.trend.back().version.id}}));
        std::vector<IndicatorKey> keys;
        std::set<IndicatorKey> seen;
        for (const auto& set : run_.trend) {
            for (const auto& v : set.values) {
                if (v.whole() && seen.insert(v.key()).second) {
                    keys.push_back(v.key());
                }
            }
        }
        for (const auto& key : keys) {
            std::vector<Point> points;
            const IndicatorValue* named = nullptr;
            for (const auto& set : run_.trend) {
                const IndicatorValue* v = set.find(key);
                if (named == nullptr) {
                    named = v;
                }
                points.push_back({"v" + std::to_string(set.version.id), v != nullptr ? v->value : std::nullopt});
            }
            const TargetCheck* target = target_for(key);
            Block chart{Block::Type::map};
            chart.scene = std::make_shared<const map::Scene>(
                trend_chart(points, named->unit, target != nullptr ? target->limit : std::nullopt,
                            target != nullptr ? text(words::requirement(*target)) : "", 480));
            chart.text = text(named->name) + " (" + named->unit + ")";
            add(std::move(chart));
        }
        Block t{Block::Type::table};
        t.header = {say("indicators.table.version"), say("indicators.table.time"), say("indicators.table.operation"),
                    say("indicators.table.kind"), say("indicators.report.version_note")};
        t.widths = {0.6, 1.8, 0.7, 1.1, 2.8};
        t.numeric = {true, false, false, false, false};
        for (const auto& set : run_.trend) {
            const VersionInfo& v = set.version;
            std::string note = v.note;
            if (!v.basis.empty()) {
                note += (note.empty() ? "" : "；") + say("indicators.report.basis", {{"basis", v.basis}});
            }
            if (!v.author.empty()) {
                note += (note.empty() ? "" : "；") + v.author;
            }
            t.rows.push_back({std::to_string(v.id), v.time, text(words::operation(v.operation)),
                              v.kind.empty() ? "-" : v.kind, note});
        }
        add(std::move(t));
    }

    // A row per district, a column per indicator of a kind as a whole (the sub-zones' figures
    // per district are in the JSON and CSV outputs).
    void districts() {
        if (run_.now.districts == 0) {
            return;
        }
        add({Block::Type::section_break});
        heading(say("indicators.report.districts", {{"count", run_.now.districts}}));
        std::vector<const IndicatorValue*> columns;
        std::set<std::string> seen;
        for (const auto& v : run_.now.values) {
            if (!v.whole() && v.subzone.empty() && seen.insert(v.id).second) {
                columns.push_back(&v);
            }
        }
        Block t{Block::Type::table};
        t.header = {say("indicators.report.district")};
        t.widths = {1.2};
        t.numeric = {false};
        for (const auto* c : columns) {
            t.header.push_back(text(c->name) + " (" + c->unit + ")");
            t.widths.push_back(1);
            t.numeric.push_back(true);
        }
        std::string district = "-";
        for (const auto& v : run_.now.values) {
            if (v.whole()) {
                continue;
            }
            if (v.district_id != district) {
                district = v.district_id;
                t.rows.push_back({v.district_name.empty() ? v.district_id : v.district_name});
                t.rows.back().resize(t.header.size());
            }
            for (std::size_t c = 0; c < columns.size(); ++c) {
                if (v.subzone.empty() && v.id == columns[c]->id) {
                    t.rows.back()[c + 1] = indicator_value_text(v.value, v.unit);
                }
            }
        }
        add(std::move(t));
        add({Block::Type::note, say("indicators.def.by_district")});
        add({Block::Type::note, say("indicators.report.districts_subzones")});
    }

    void definitions() {
        heading(say("indicators.report.definitions"));
        Block kv{Block::Type::key_values};
        kv.widths = {1, 3};
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& v : run_.now.values) {
            if (v.whole() && seen.insert({v.id, v.subzone}).second) {
                kv.rows.push_back({text(v.name) + "\n" + v.id, text(v.definition)});
            }
        }
        add(std::move(kv));
    }

    void problems() {
        if (run_.now.problems.empty()) {
            return;
        }
        heading(say("indicators.table.problems"));
        Block t{Block::Type::table};
        t.header = {say("indicators.report.severity"), say("indicators.report.where"), say("indicators.table.reason")};
        t.widths = {0.8, 1.6, 4};
        t.numeric = {false, false, false};
        for (const auto& p : run_.now.problems) {
            t.rows.push_back({severity_label(p.severity, language_), text(p.feature), text(p.message)});
            t.row_tones.push_back(p.severity == Severity::error ? Tone::prohibited : Tone::conditional);
        }
        add(std::move(t));
    }

    void stamp(const std::string& generated_at) {
        add({Block::Type::section_break});
        heading(say("indicators.report.stamp"));
        Block kv{Block::Type::key_values};
        kv.widths = {1, 3};
        kv.rows.push_back({say("indicators.report.tool"), std::string(tool_name) + " " + tool_version});
        kv.rows.push_back({say("indicators.report.digest"), run_.now.version.workspace_digest});
        kv.rows.push_back({say("indicators.report.methods"), say("indicators.report.methods_text")});
        kv.rows.push_back({say("indicators.report.generated"), generated_at});
        add(std::move(kv));
    }

    const IndicatorRun& run_;
    const SchemaSet& schemas_;
    Language language_;
    Document doc_;
};

}  // namespace

void write_indicators_report(const std::filesystem::path& path, const IndicatorRun& run, const SchemaSet& schemas,
                             Language language, const std::string& time_stamp) {
    document::write_document(path, Builder(run, schemas, language).build(time_stamp));
}

}  // namespace redline
