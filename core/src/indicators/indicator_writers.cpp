// The indicators as a terminal table, JSON and CSV, and the words they share with the report.
#include "base/message_json.hpp"
#include "base/text.hpp"
#include "indicators/wording.hpp"
#include "redline/indicators/indicator_run.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <set>

namespace redline {
namespace indicator_words {

Message operation(const std::string& operation) {
    if (operation == "import" || operation == "edit" || operation == "fix") {
        return Message("indicators.operation." + operation);
    }
    return Message::verbatim(operation);
}

Message status(TargetStatus status) {
    return Message(std::string("indicators.status.") + target_status_name(status));
}

Message type(TargetType type) {
    return Message(std::string("indicators.type.") + target_type_name(type));
}

Message name(const IndicatorValue& value) {
    if (value.whole()) {
        return value.name;
    }
    return Message(
        "indicators.in_district",
        {{"name", value.name}, {"district", value.district_name.empty() ? value.district_id : value.district_name}});
}

Message target_name(const TargetCheck& check) {
    const Target& t = check.target;
    Message plain = t.name_zh.empty() && t.name_en.empty() ? check.indicator.name
                                                           : bilingual(t.name_zh.empty() ? t.name_en : t.name_zh,
                                                                       t.name_en.empty() ? t.name_zh : t.name_en);
    if (check.indicator.whole()) {
        return plain;
    }
    IndicatorValue v = check.indicator;
    v.name = plain;
    return name(v);
}

Message requirement(const TargetCheck& check) {
    const Target& t = check.target;
    const std::string unit = check.indicator.unit;
    Message m;
    if (t.comparison == Comparison::at_least || t.comparison == Comparison::at_most) {
        m = Message(std::string("targets.requirement.") + comparison_name(t.comparison),
                    {{"value", indicator_value_text(t.value, unit)}, {"unit", unit}});
    } else if (check.limit) {
        m = Message(std::string("targets.requirement.") + comparison_name(t.comparison),
                    {{"value", indicator_value_text(check.limit, unit)}, {"unit", unit}});
    } else {
        m = Message(std::string("targets.requirement.") + comparison_name(t.comparison) + "_open");
    }
    if (check.baseline_version) {
        m = Message("targets.requirement.baseline_version", {{"requirement", m}, {"version", *check.baseline_version}});
    }
    if (t.due) {
        m = Message("targets.requirement.due", {{"requirement", m}, {"due", t.due->text()}});
    }
    return m;
}

Message move(const IndicatorMove& move, const std::string& unit) {
    const VersionInfo& v = move.version;
    Message::Value basis = std::string();
    if (!v.basis.empty()) {
        basis = Message("indicators.table.basis", {{"basis", v.basis}});
    } else if (v.operation == "edit") {
        basis = Message("indicators.table.no_basis");
    }
    return Message(
        "indicators.table.move",
        {{"version", v.id},
         {"operation", operation(v.operation)},
         {"time", v.time},
         {"author", v.author.empty() ? Message::Value(std::string())
                                     : Message::Value(Message("indicators.table.author", {{"author", v.author}}))},
         {"basis", basis},
         {"note", v.note.empty() ? Message::Value(std::string())
                                 : Message::Value(Message("indicators.table.note", {{"note", v.note}}))},
         {"before", indicator_value_text(move.before, unit) + (move.before ? " " + unit : "")},
         {"after", indicator_value_text(move.after, unit) + (move.after ? " " + unit : "")}});
}

std::string place(const std::optional<std::pair<double, double>>& at) {
    return at ? text::fixed(at->first, 6) + ", " + text::fixed(at->second, 6) : "";
}

Message cause(const FallCause& cause) {
    std::string zones;
    for (std::size_t i = 0; i < cause.zone_ids.size(); ++i) {
        zones += (i ? ", " : "") + cause.zone_ids[i] +
                 (i < cause.names.size() && !cause.names[i].empty() ? " " + cause.names[i] : "");
    }
    return Message("indicators.cause." + cause.change,
                   {{"zones", zones}, {"area", text::fixed(cause.area_m2, 2)}, {"at", place(cause.location)}});
}

std::string change_text(const std::optional<double>& before, const std::optional<double>& after,
                        const std::string& unit, Language language) {
    if (!before && !after) {
        return "";
    }
    if (!before) {
        return Message("indicators.table.new").text(language);
    }
    if (!after) {
        return Message("indicators.table.gone").text(language);
    }
    const std::string text = indicator_value_text(*after - *before, unit);
    if (text.find_first_not_of("0.") == std::string::npos) {
        return text;  // no change at the precision shown
    }
    return text.front() == '-' ? text : "+" + text;
}

}  // namespace indicator_words

namespace {

namespace words = indicator_words;

// A table laid out for a terminal: columns padded to their widest cell, numbers right.
class TextTable {
public:
    TextTable(std::vector<std::string> header, std::vector<bool> numeric)
        : header_(std::move(header)), numeric_(std::move(numeric)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void write(std::ostream& out, const std::string& indent) const {
        std::vector<std::size_t> widths(header_.size(), 0);
        auto measure = [&widths](const std::vector<std::string>& row) {
            for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
                widths[c] = std::max(widths[c], text::display_width(row[c]));
            }
        };
        measure(header_);
        for (const auto& r : rows_) {
            measure(r);
        }
        auto line = [&](const std::vector<std::string>& row) {
            std::string s = indent;
            for (std::size_t c = 0; c < row.size(); ++c) {
                const bool last = c + 1 == row.size();
                if (numeric_[c]) {
                    s += text::pad_left(row[c], widths[c]);
                } else {
                    s += last ? row[c] : text::pad_right(row[c], widths[c]);
                }
                s += last ? "" : "  ";
            }
            while (!s.empty() && s.back() == ' ') {
                s.pop_back();
            }
            out << s << '\n';
        };
        line(header_);
        for (const auto& r : rows_) {
            line(r);
        }
    }

private:
    std::vector<std::string> header_;
    std::vector<bool> numeric_;
    std::vector<std::vector<std::string>> rows_;
};

std::string say(const char* code, Language language, Message::Args args = {}) {
    return Message(code, std::move(args)).text(language);
}

std::string district_label(const IndicatorValue& v) {
    return v.district_name.empty() ? v.district_id : v.district_name;
}

// The whole workspace's values, or every district's in one table, its name on its first row.
void write_values(std::ostream& out, const IndicatorRun& run, bool whole, Language language) {
    std::vector<std::string> header = {say("indicators.table.indicator", language),
                                       say("indicators.table.value", language), say("indicators.table.unit", language)};
    std::vector<bool> numeric = {false, true, false};
    if (!whole) {
        header.insert(header.begin(), say("indicators.table.district", language));
        numeric.insert(numeric.begin(), false);
    }
    if (run.earlier) {
        header.push_back(say("indicators.table.change_since", language, {{"version", run.earlier->version.id}}));
        numeric.push_back(true);
    }
    TextTable table(header, numeric);
    std::string district = "-";
    for (const auto& v : run.now.values) {
        if (v.whole() != whole) {
            continue;
        }
        std::vector<std::string> row = {v.name.text(language), indicator_value_text(v.value, v.unit), v.unit};
        if (!whole) {
            row.insert(row.begin(), v.district_id == district ? "" : district_label(v));
            district = v.district_id;
        }
        if (run.earlier) {
            const IndicatorValue* then = run.earlier->find(v.key());
            row.push_back(words::change_text(then != nullptr ? then->value : std::nullopt, v.value, v.unit, language));
        }
        table.add(std::move(row));
    }
    table.write(out, "  ");
}

void write_targets(std::ostream& out, const IndicatorRun& run, Language language) {
    if (run.targets_file.empty()) {
        return;
    }
    const std::string& title =
        language == Language::zh || run.targets_title_en.empty() ? run.targets_title_zh : run.targets_title_en;
    out << say("indicators.table.targets", language,
               {{"file", run.targets_file},
                {"title", title.empty() ? "" : (language == Language::zh ? "：" : ": ") + title},
                {"as_of", run.as_of.text()}})
        << '\n';
    if (run.targets.empty()) {
        out << "  " << say("indicators.table.no_targets_in_force", language, {{"as_of", run.as_of.text()}}) << '\n';
    } else {
        TextTable table({say("indicators.table.status", language), say("indicators.table.type", language),
                         say("indicators.table.indicator", language), say("indicators.table.requirement", language),
                         say("indicators.table.value", language), say("indicators.table.reason", language)},
                        {false, false, false, false, true, false});
        for (const auto& t : run.targets) {
            table.add({"[" + words::status(t.status).text(language) + "]", words::type(t.target.type).text(language),
                       words::target_name(t).text(language), words::requirement(t).text(language),
                       indicator_value_text(t.indicator.value, t.indicator.unit) + " " + t.indicator.unit,
                       t.reason.text(language)});
        }
        table.write(out, "  ");
    }
    if (run.targets_not_in_force > 0) {
        out << "  "
            << say("indicators.table.targets_not_in_force", language,
                   {{"count", run.targets_not_in_force}, {"as_of", run.as_of.text()}})
            << '\n';
    }
}

void write_changes(std::ostream& out, const IndicatorRun& run, Language language) {
    if (!run.earlier) {
        out << say("indicators.table.first_version", language, {{"version", run.now.version.id}}) << '\n';
        return;
    }
    const Message::Args span = {{"since", run.earlier->version.id}, {"version", run.now.version.id}};
    bool any = false;
    for (const auto& c : run.changes) {
        if (!c.now.whole()) {
            continue;  // districts: in the values above, JSON and the report
        }
        if (!any) {
            out << say("indicators.table.changes", language, span) << '\n';
            any = true;
        }
        out << "  " << c.now.name.text(language) << (language == Language::zh ? "：" : ": ")
            << indicator_value_text(c.before, c.now.unit) << " → " << indicator_value_text(c.now.value, c.now.unit)
            << ' ' << c.now.unit << " (" << words::change_text(c.before, c.now.value, c.now.unit, language) << ")\n";
        for (const auto& m : c.moves) {
            out << "    " << words::move(m, c.now.unit).text(language) << '\n';
            for (const auto& cause : m.causes) {
                out << "      " << words::cause(cause).text(language) << '\n';
            }
            if (m.more > 0) {
                out << "      " << say("indicators.cause.more", language, {{"count", m.more}}) << '\n';
            }
        }
    }
    if (!any) {
        out << say("indicators.table.no_changes", language, span) << '\n';
    }
}

// The whole workspace's indicators, as the trend and the CSV list them.
std::vector<IndicatorKey> whole_keys(const IndicatorRun& run) {
    std::vector<IndicatorKey> keys;
    std::set<IndicatorKey> seen;
    for (const auto& set : run.trend) {
        for (const auto& v : set.values) {
            if (v.whole() && seen.insert(v.key()).second) {
                keys.push_back(v.key());
            }
        }
    }
    return keys;
}

void write_trend(std::ostream& out, const IndicatorRun& run, Language language) {
    if (!run.since_asked || run.trend.empty()) {
        return;
    }
    out << say("indicators.table.trend", language,
               {{"since", run.trend.front().version.id}, {"version", run.trend.back().version.id}})
        << '\n';
    // One table per indicator: a row per version, so the table stays narrow however many there are.
    for (const auto& key : whole_keys(run)) {
        const IndicatorValue* named = nullptr;
        for (const auto& set : run.trend) {
            if ((named = set.find(key)) != nullptr) {
                break;
            }
        }
        out << "  " << named->name.text(language) << " (" << named->unit << ")\n";
        TextTable table({say("indicators.table.version", language), say("indicators.table.time", language),
                         say("indicators.table.operation", language), say("indicators.table.kind", language),
                         say("indicators.table.value", language)},
                        {true, false, false, false, true});
        for (const auto& set : run.trend) {
            const IndicatorValue* v = set.find(key);
            table.add({std::to_string(set.version.id), set.version.time,
                       words::operation(set.version.operation).text(language), set.version.kind,
                       indicator_value_text(v != nullptr ? v->value : std::nullopt, named->unit)});
        }
        table.write(out, "    ");
    }
}

void write_definitions(std::ostream& out, const IndicatorRun& run, Language language) {
    out << say("indicators.table.definitions", language) << '\n';
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& v : run.now.values) {
        if (v.whole() && seen.insert({v.id, v.subzone}).second) {
            out << "  " << v.name.text(language) << (language == Language::zh ? "：" : ": ")
                << v.definition.text(language) << '\n';
        }
    }
    if (run.now.districts > 0) {
        out << "  " << say("indicators.def.by_district", language) << '\n';
    }
}

nlohmann::ordered_json version_json(const VersionInfo& v) {
    return {
        {"id", v.id},         {"time", v.time},   {"operation", v.operation}, {"kind", v.kind},
        {"author", v.author}, {"basis", v.basis}, {"note", v.note},           {"workspace_digest", v.workspace_digest}};
}

nlohmann::ordered_json number(const std::optional<double>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json value_json(const IndicatorValue& v, std::int64_t version, Language language) {
    nlohmann::ordered_json j;
    j["id"] = v.id;
    j["name"] = v.name.text(language);
    j["value"] = number(v.value);
    j["unit"] = v.unit;
    j["kind"] = v.kind;
    j["subzone"] = v.subzone.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.subzone);
    if (!v.whole()) {
        j["district"] = district_label(v);
        j["district_code"] = v.district_code;
        j["district_id"] = v.district_id;
    }
    j["version"] = version;
    j["definition"] = v.definition.text(language);
    return j;
}

}  // namespace

void write_indicators_table(std::ostream& out, const IndicatorRun& run, const SchemaSet& schemas, Language language) {
    const VersionInfo& v = run.now.version;
    out << say("indicators.table.title", language,
               {{"workspace", run.workspace},
                {"version", v.id},
                {"time", v.time},
                {"operation", words::operation(v.operation)}})
        << '\n';
    if (run.now.land_kind.empty()) {
        out << say("indicators.table.no_land", language) << '\n';
    } else {
        const KindSchema* k = schemas.find(run.now.land_kind);
        out << say("indicators.table.land", language,
                   {{"kind", k == nullptr ? Message::verbatim(run.now.land_kind) : bilingual(k->name_zh, k->name_en)}})
            << '\n';
    }
    write_values(out, run, true, language);
    if (run.now.districts > 0) {
        out << say("indicators.table.districts", language, {{"count", run.now.districts}}) << '\n';
        write_values(out, run, false, language);
    }
    write_targets(out, run, language);
    write_changes(out, run, language);
    write_trend(out, run, language);
    write_definitions(out, run, language);
    if (!run.now.problems.empty()) {
        out << say("indicators.table.problems", language) << '\n';
        for (const auto& p : run.now.problems) {
            out << "  " << problem_line(p, language) << '\n';
        }
    }
}

void write_indicators_json(std::ostream& out, const IndicatorRun& run, const SchemaSet& schemas, Language language) {
    nlohmann::ordered_json doc;
    doc["workspace"] = run.workspace;
    doc["version"] = version_json(run.now.version);
    doc["as_of"] = run.as_of.text();
    {
        nlohmann::ordered_json land;
        land["kind"] =
            run.now.land_kind.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(run.now.land_kind);
        const KindSchema* k = schemas.find(run.now.land_kind);
        land["name"] = k == nullptr ? nlohmann::ordered_json(nullptr)
                                    : nlohmann::ordered_json(bilingual(k->name_zh, k->name_en).text(language));
        doc["land"] = std::move(land);
    }
    doc["by_district"] = run.now.districts > 0;
    if (run.now.districts > 0) {
        doc["district_rule"] = Message("indicators.def.by_district").text(language);
    }
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const auto& v : run.now.values) {
        values.push_back(value_json(v, run.now.version.id, language));
    }
    doc["indicators"] = std::move(values);
    doc["since"] = run.earlier ? version_json(run.earlier->version) : nlohmann::ordered_json(nullptr);
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const auto& c : run.changes) {
        nlohmann::ordered_json moves = nlohmann::ordered_json::array();
        for (const auto& m : c.moves) {
            nlohmann::ordered_json causes = nlohmann::ordered_json::array();
            for (const auto& cause : m.causes) {
                causes.push_back({{"change", cause.change},
                                  {"zone_ids", cause.zone_ids},
                                  {"names", cause.names},
                                  {"area_m2", cause.area_m2},
                                  {"location", cause.location ? nlohmann::ordered_json::array(
                                                                    {cause.location->first, cause.location->second})
                                                              : nlohmann::ordered_json(nullptr)},
                                  {"text", indicator_words::cause(cause).text(language)}});
            }
            moves.push_back({{"version", version_json(m.version)},
                             {"before", number(m.before)},
                             {"after", number(m.after)},
                             {"causes", std::move(causes)},
                             {"causes_not_listed", m.more}});
        }
        nlohmann::ordered_json j = value_json(c.now, run.now.version.id, language);
        j.erase("definition");
        j["before"] = number(c.before);
        j["after"] = number(c.now.value);
        j["moves"] = std::move(moves);
        changes.push_back(std::move(j));
    }
    doc["changes"] = std::move(changes);
    nlohmann::ordered_json trend = nlohmann::ordered_json::array();
    if (run.since_asked) {
        for (const auto& set : run.trend) {
            nlohmann::ordered_json items = nlohmann::ordered_json::array();
            for (const auto& v : set.values) {
                nlohmann::ordered_json item = {{"id", v.id}, {"value", number(v.value)}, {"unit", v.unit}};
                if (!v.subzone.empty()) {
                    item["subzone"] = v.subzone;
                }
                if (!v.whole()) {
                    item["district"] = district_label(v);
                    item["district_id"] = v.district_id;
                }
                items.push_back(std::move(item));
            }
            trend.push_back({{"version", version_json(set.version)}, {"indicators", std::move(items)}});
        }
    }
    doc["trend"] = std::move(trend);
    if (!run.targets_file.empty()) {
        nlohmann::ordered_json targets;
        targets["file"] = run.targets_file;
        targets["title"] =
            language == Language::zh || run.targets_title_en.empty() ? run.targets_title_zh : run.targets_title_en;
        targets["not_in_force"] = run.targets_not_in_force;
        nlohmann::ordered_json checks = nlohmann::ordered_json::array();
        for (const auto& t : run.targets) {
            nlohmann::ordered_json j;
            j["indicator"] = t.target.indicator;
            j["subzone"] =
                t.target.subzone.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.target.subzone);
            j["district"] = t.indicator.whole() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(district_label(t.indicator));
            j["name"] = indicator_words::target_name(t).text(language);
            j["type"] = target_type_name(t.target.type);
            j["comparison"] = comparison_name(t.target.comparison);
            j["limit"] = number(t.limit);
            j["baseline_version"] =
                t.baseline_version ? nlohmann::ordered_json(*t.baseline_version) : nlohmann::ordered_json(nullptr);
            j["due"] = t.target.due ? nlohmann::ordered_json(t.target.due->text()) : nlohmann::ordered_json(nullptr);
            j["in_force"] = t.target.in_force.text();
            j["value"] = number(t.indicator.value);
            j["unit"] = t.indicator.unit;
            j["status"] = target_status_name(t.status);
            j["requirement"] = indicator_words::requirement(t).text(language);
            j["reason"] = message_json(t.reason, language);
            j["source"] =
                language == Language::zh || t.target.source_en.empty() ? t.target.source_zh : t.target.source_en;
            j["line"] = t.target.line;
            checks.push_back(std::move(j));
        }
        targets["checks"] = std::move(checks);
        doc["targets"] = std::move(targets);
    }
    nlohmann::ordered_json guard;
    guard["red_line_area_fell"] = run.red_line_fall() != nullptr;
    guard["binding_failures"] = run.binding_failures().size();
    guard["tripped"] = run.guard_tripped();
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const auto& m : guard_messages(run, schemas)) {
        findings.push_back(message_json(m, language));
    }
    guard["findings"] = std::move(findings);
    doc["guard"] = std::move(guard);
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : run.now.problems) {
        problems.push_back(problem_json(p, language));
    }
    doc["problems"] = std::move(problems);
    out << json_text(doc, 2) << '\n';
}

void write_indicators_csv(std::ostream& out, const IndicatorRun& run, Language language) {
    out << "version,version_time,id,name,kind,subzone,district,district_code,value,unit\n";
    auto rows = [&](const IndicatorSet& set) {
        for (const auto& v : set.values) {
            out << set.version.id << ',' << text::csv_field(set.version.time) << ',' << v.id << ','
                << text::csv_field(v.name.text(language)) << ',' << v.kind << ',' << text::csv_field(v.subzone) << ','
                << text::csv_field(v.whole() ? "" : district_label(v)) << ',' << text::csv_field(v.district_code) << ','
                << (v.value ? text::fixed(*v.value, 6) : "") << ',' << v.unit << '\n';
        }
    };
    if (run.since_asked) {
        for (const auto& set : run.trend) {
            rows(set);
        }
    } else {
        rows(run.now);
    }
}

}  // namespace redline
