// The indicators of a workspace at a version, measured at every version since an earlier
// one: what changed, which versions moved it (and, for falls, the zones), the targets in
// force checked, and what the guard fails on.
#include "redline/indicators/indicator_run.hpp"

#include "base/text.hpp"
#include "indicators/wording.hpp"
#include "redline/quality/quality.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace redline {
namespace {

// A difference below a millionth of the unit is the arithmetic's, not the zones': 0.01 m²
// of hectares (as `redline diff`), 1 mm of kilometres, 1e-6 percentage points.
double tolerance(double magnitude) {
    return std::max(1e-6, 1e-12 * std::fabs(magnitude));
}

bool differ(const std::optional<double>& a, const std::optional<double>& b) {
    if (a.has_value() != b.has_value()) {
        return true;
    }
    return a && std::fabs(*a - *b) > tolerance(*a);
}

bool fell(const std::optional<double>& before, const std::optional<double>& after) {
    return before && (!after || *after < *before - tolerance(*before));
}

bool rose(const std::optional<double>& before, const std::optional<double>& after) {
    return before && after && *after > *before + tolerance(*before);
}

// The indicators where more is better: every one but the land area.
bool falls_matter(const std::string& id) {
    return id != "land_area_ha";
}

std::vector<IndicatorKey> keys_of(const IndicatorSet& a, const IndicatorSet& b) {
    std::vector<IndicatorKey> keys;
    std::set<IndicatorKey> seen;
    for (const auto* set : {&a, &b}) {
        for (const auto& v : set->values) {
            if (seen.insert(v.key()).second) {
                keys.push_back(v.key());
            }
        }
    }
    return keys;
}

// What one version did to the zones of a kind, as the indicators' falls are explained:
// ground lost (for polygons), zones added, retired or changed (for sub-zones and lines).
class StepCauses {
public:
    StepCauses(const std::vector<Zone>& before, const std::vector<Zone>& after, const SchemaSet& schemas)
        : before_(before), after_(after), schemas_(schemas) {}

    std::pair<std::vector<FallCause>, std::size_t> of(const IndicatorValue& value) {
        if (value.kind.empty()) {
            return {};
        }
        const DiffReport& report = diff(value.kind);
        std::vector<FallCause> causes;
        const KindSchema* kind = schemas_.find(value.kind);
        const bool polygons = kind == nullptr || kind->geometry == ZoneGeometry::polygon;
        if (polygons) {
            for (const auto& lost : report.lost) {
                causes.push_back({"coverage_lost", lost.zone_ids, lost.names, lost.area_m2, lost.location});
            }
        }
        if (!polygons || !value.subzone.empty()) {
            for (const auto& c : report.changes) {
                const bool subzone_moved = std::any_of(c.fields.begin(), c.fields.end(), [&](const auto& f) {
                    return f[0] == "subzone" && (f[1] == value.subzone || f[2] == value.subzone);
                });
                if (!value.subzone.empty() && c.subzone != value.subzone && !subzone_moved) {
                    continue;
                }
                const char* change = c.type == ZoneChange::Type::added     ? "added"
                                     : c.type == ZoneChange::Type::removed ? "removed"
                                                                           : "changed";
                causes.push_back({change, {c.zone_id}, {c.name}, c.lost_m2, c.location});
            }
        }
        std::size_t more = 0;
        if (causes.size() > IndicatorMove::max_causes) {
            more = causes.size() - IndicatorMove::max_causes;
            causes.resize(IndicatorMove::max_causes);
        }
        return {std::move(causes), more};
    }

private:
    const DiffReport& diff(const std::string& kind) {
        if (auto it = reports_.find(kind); it != reports_.end()) {
            return it->second;
        }
        DiffOptions options;
        options.kind = kind;
        return reports_.emplace(kind, diff_zones(before_, after_, options)).first->second;
    }

    const std::vector<Zone>& before_;
    const std::vector<Zone>& after_;
    const SchemaSet& schemas_;
    std::map<std::string, DiffReport> reports_;
};

std::optional<VersionInfo> version_of(const std::vector<VersionInfo>& versions, std::int64_t id) {
    for (const auto& v : versions) {
        if (v.id == id) {
            return v;
        }
    }
    return std::nullopt;
}

class Runner {
public:
    Runner(const Workspace& workspace, const SchemaSet& schemas, const IndicatorRunOptions& options, Progress& progress)
        : workspace_(workspace),
          schemas_(schemas),
          options_(options),
          progress_(progress),
          meter_(schemas, IndicatorOptions{options.by_district || targets_need_districts()}) {}

    IndicatorRun run() {
        IndicatorRun run;
        run.workspace = workspace_.display_path();
        run.as_of = options_.as_of;
        versions_ = workspace_.versions();
        if (versions_.empty()) {
            throw DataError(Message("indicators.no_versions", {{"workspace", run.workspace}}));
        }
        const std::int64_t version = options_.version.value_or(versions_.back().id);
        if (!version_of(versions_, version)) {
            throw UsageError(
                Message("indicators.no_such_version", {{"workspace", run.workspace}, {"version", version}}));
        }
        std::optional<std::int64_t> since = options_.since;
        if (since) {
            if (!version_of(versions_, *since)) {
                throw UsageError(
                    Message("indicators.no_such_version", {{"workspace", run.workspace}, {"version", *since}}));
            }
            if (*since >= version) {
                throw UsageError(Message("indicators.since_not_earlier", {{"since", *since}, {"version", version}}));
            }
        } else {
            for (const auto& v : versions_) {
                if (v.id < version) {
                    since = v.id;
                }
            }
        }
        run.since_asked = options_.since.has_value();

        std::map<IndicatorKey, std::vector<IndicatorMove>> moves;
        std::vector<Zone> previous;
        for (const auto& v : versions_) {
            if (v.id > version || (since ? v.id < *since : v.id < version)) {
                continue;
            }
            std::vector<Zone> zones = zones_at(v.id);
            IndicatorSet set = measure(zones, v, v.id == version);
            if (!run.trend.empty()) {
                StepCauses causes(previous, zones, schemas_);
                const IndicatorSet& last = run.trend.back();
                for (const auto& key : keys_of(last, set)) {
                    const IndicatorValue* a = last.find(key);
                    const IndicatorValue* b = set.find(key);
                    const IndicatorValue& any = b != nullptr ? *b : *a;
                    const auto before = a != nullptr ? a->value : std::nullopt;
                    const auto after = b != nullptr ? b->value : std::nullopt;
                    if (!differ(before, after)) {
                        continue;
                    }
                    IndicatorMove move{v, before, after, {}, 0};
                    if (any.whole() && falls_matter(any.id) && fell(before, after)) {
                        std::tie(move.causes, move.more) = causes.of(any);
                    }
                    moves[key].push_back(std::move(move));
                }
            }
            run.trend.push_back(std::move(set));
            previous = std::move(zones);
        }
        run.now = run.trend.back();
        if (run.trend.size() > 1) {
            run.earlier = run.trend.front();
        }
        if (run.earlier) {
            for (const auto& key : keys_of(*run.earlier, run.now)) {
                const IndicatorValue* a = run.earlier->find(key);
                const IndicatorValue* b = run.now.find(key);
                IndicatorChange change;
                change.now = b != nullptr ? *b : *a;
                if (b == nullptr) {
                    change.now.value.reset();
                }
                change.before = a != nullptr ? a->value : std::nullopt;
                if (!differ(change.before, change.now.value) && !moves.contains(key)) {
                    continue;
                }
                change.moves = std::move(moves[key]);
                run.changes.push_back(std::move(change));
            }
        }
        if (options_.targets != nullptr) {
            check_targets(run);
        }
        return run;
    }

private:
    bool targets_need_districts() const {
        if (options_.targets == nullptr) {
            return false;
        }
        for (const Target* t : options_.targets->in_force(options_.as_of)) {
            if (!t->district.empty()) {
                return true;
            }
        }
        return false;
    }

    std::vector<Zone> zones_at(std::int64_t version) {
        unusable_.clear();
        return workspace_.load_zones_at(version, &unusable_);
    }

    IndicatorSet measure(const std::vector<Zone>& zones, const VersionInfo& version, bool measured_version) {
        IndicatorSet set = meter_.measure(zones, version, measured_version, progress_);
        for (auto& p : set.problems) {
            if (p.source.empty()) {
                p.source = workspace_.display_path();
            }
        }
        set.problems.insert(set.problems.begin(), unusable_.begin(), unusable_.end());
        return set;
    }

    // The district a target names (by code, zone id or name), as the values know it.
    std::string district_of(const Target& t, const IndicatorSet& set) const {
        std::vector<std::string> names;
        for (const auto& v : set.values) {
            if (v.whole()) {
                continue;
            }
            if (t.district == v.district_code || t.district == v.district_id || t.district == v.district_name) {
                return v.district_id;
            }
            if (names.empty() || names.back() != v.district_name) {
                names.push_back(v.district_name.empty() ? v.district_id : v.district_name);
            }
        }
        std::string known;
        for (const auto& n : names) {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw DataError(Message("targets.unknown_district", {{"file", t.file.string()},
                                                             {"line", t.line},
                                                             {"district", t.district},
                                                             {"version", set.version.id},
                                                             {"known", known}}));
    }

    void check_targets(IndicatorRun& run) {
        const TargetFile& file = *options_.targets;
        run.targets_file = file.path.string();
        run.targets_title_zh = file.title_zh;
        run.targets_title_en = file.title_en;
        const auto in_force = file.in_force(options_.as_of);
        run.targets_not_in_force = file.targets.size() - in_force.size();
        for (const Target* t : in_force) {
            run.targets.push_back(check(*t, run));
        }
    }

    TargetCheck check(const Target& t, const IndicatorRun& run) {
        TargetCheck c;
        c.target = t;
        const IndicatorKey key{t.indicator, t.subzone, t.district.empty() ? "" : district_of(t, run.now)};
        const IndicatorValue* now = run.now.find(key);
        if (now == nullptr) {
            c.indicator.id = t.indicator;
            c.indicator.subzone = t.subzone;
            c.indicator.kind = indicator_kind(t.indicator, schemas_);
            c.indicator.name = Message::verbatim(t.indicator);
            c.status = TargetStatus::unmeasured;
            c.reason = Message("targets.reason.absent", {{"version", run.now.version.id}});
            return c;
        }
        c.indicator = *now;
        if (!now->value) {
            c.status = TargetStatus::unmeasured;
            c.reason = Message("targets.reason.undefined");
            return c;
        }
        const double value = *now->value;
        const std::string& unit = now->unit;
        const bool upward = t.comparison == Comparison::at_least || t.comparison == Comparison::not_decrease;
        switch (t.comparison) {
            case Comparison::at_least:
            case Comparison::at_most:
                c.limit = t.value;
                break;
            case Comparison::not_decrease:
            case Comparison::not_increase:
                if (t.baseline) {
                    c.limit = t.baseline;
                } else if (t.baseline_version) {
                    const auto at = version_of(versions_, *t.baseline_version);
                    if (!at) {
                        throw DataError(
                            Message("targets.no_such_baseline_version",
                                    {{"file", t.file.string()}, {"line", t.line}, {"version", *t.baseline_version}}));
                    }
                    const IndicatorSet baseline = baseline_set(*at);
                    const IndicatorValue* then = baseline.find(key);
                    c.baseline_version = at->id;
                    if (then == nullptr || !then->value) {
                        c.status = TargetStatus::unmeasured;
                        c.reason = Message("targets.reason.no_baseline", {{"version", at->id}});
                        return c;
                    }
                    c.limit = then->value;
                } else if (run.earlier) {
                    const IndicatorValue* then = run.earlier->find(key);
                    c.baseline_version = run.earlier->version.id;
                    if (then == nullptr || !then->value) {
                        c.status = TargetStatus::met;
                        c.reason = Message("targets.reason.first_measure", {{"version", run.earlier->version.id}});
                        return c;
                    }
                    c.limit = then->value;
                } else {
                    c.status = TargetStatus::met;
                    c.reason = Message("targets.reason.no_earlier");
                    return c;
                }
                break;
        }
        const double limit = *c.limit;
        const double margin = upward ? value - limit : limit - value;
        const Message::Args numbers = {{"value", indicator_value_text(value, unit)},
                                       {"limit", indicator_value_text(limit, unit)},
                                       {"margin", indicator_value_text(std::fabs(margin), unit)},
                                       {"unit", unit}};
        auto reason = [&numbers](const char* code, Message::Args more = {}) {
            Message m(code, numbers);
            for (auto& [name, v] : more) {
                m.with(std::move(name), std::move(v));
            }
            return m;
        };
        if (margin < -tolerance(limit)) {
            if (t.due && options_.as_of < *t.due) {
                c.status = TargetStatus::at_risk;
                c.reason = reason("targets.reason.behind", {{"due", t.due->text()}});
            } else {
                c.status = TargetStatus::missed;
                c.reason = t.due ? reason("targets.reason.missed_by_due", {{"due", t.due->text()}})
                                 : reason("targets.reason.missed");
            }
            return c;
        }
        if (t.warn_within && margin < *t.warn_within) {
            c.status = TargetStatus::at_risk;
            c.reason = reason("targets.reason.close", {{"warn", indicator_value_text(*t.warn_within, unit)}});
            return c;
        }
        if (run.earlier) {
            const IndicatorValue* then = run.earlier->find(key);
            if (then != nullptr && then->value && (upward ? fell(then->value, value) : rose(then->value, value))) {
                c.status = TargetStatus::at_risk;
                c.reason = reason("targets.reason.worsening", {{"before", indicator_value_text(then->value, unit)},
                                                               {"since", run.earlier->version.id}});
                return c;
            }
        }
        c.status = TargetStatus::met;
        c.reason = reason("targets.reason.met");
        return c;
    }

    IndicatorSet baseline_set(const VersionInfo& at) {
        if (auto it = baselines_.find(at.id); it != baselines_.end()) {
            return it->second;
        }
        const std::vector<Zone> zones = zones_at(at.id);
        return baselines_.emplace(at.id, measure(zones, at, false)).first->second;
    }

    const Workspace& workspace_;
    const SchemaSet& schemas_;
    const IndicatorRunOptions& options_;
    Progress& progress_;
    IndicatorMeter meter_;
    std::vector<VersionInfo> versions_;
    std::vector<Problem> unusable_;
    std::map<std::int64_t, IndicatorSet> baselines_;
};

}  // namespace

const char* target_status_name(TargetStatus status) {
    switch (status) {
        case TargetStatus::met:
            return "met";
        case TargetStatus::at_risk:
            return "at_risk";
        case TargetStatus::missed:
            return "missed";
        case TargetStatus::unmeasured:
            return "unmeasured";
    }
    return "";
}

const IndicatorChange* IndicatorRun::red_line_fall() const {
    for (const auto& c : changes) {
        if (c.now.id == "red_line_area_ha" && c.now.whole()) {
            const std::optional<double> after = c.now.value.value_or(0.0);
            return fell(c.before, after) ? &c : nullptr;
        }
    }
    return nullptr;
}

std::vector<const TargetCheck*> IndicatorRun::binding_failures() const {
    std::vector<const TargetCheck*> out;
    for (const auto& t : targets) {
        if (t.target.type == TargetType::binding &&
            (t.status == TargetStatus::missed || t.status == TargetStatus::unmeasured)) {
            out.push_back(&t);
        }
    }
    return out;
}

IndicatorRun run_indicators(const Workspace& workspace, const SchemaSet& schemas, const IndicatorRunOptions& options,
                            Progress& progress) {
    return Runner(workspace, schemas, options, progress).run();
}

std::string indicator_value_text(const std::optional<double>& value, const std::string& unit) {
    if (!value) {
        return "-";
    }
    const int decimals = unit == "ha" ? 4 : unit == "km" ? 3 : 2;
    std::string text = text::fixed(*value, decimals);
    if (text == "-" + text::fixed(0.0, decimals)) {
        text = text.substr(1);
    }
    return text;
}

std::vector<Message> guard_messages(const IndicatorRun& run, const SchemaSet& /*schemas*/) {
    std::vector<Message> out;
    auto move_messages = [](const IndicatorChange& change, std::vector<Message>& list) {
        for (const auto& m : change.moves) {
            if (!fell(m.before, m.after)) {
                continue;
            }
            std::vector<Message> causes;
            // Indented under their version, itself an item of the list under the finding.
            for (const auto& cause : m.causes) {
                causes.push_back(Message("indicators.guard.cause", {{"cause", indicator_words::cause(cause)}}));
            }
            if (m.more > 0) {
                causes.push_back(Message("indicators.guard.cause",
                                         {{"cause", Message("indicators.cause.more", {{"count", m.more}})}}));
            }
            list.push_back(Message("indicators.guard.move", {{"move", indicator_words::move(m, change.now.unit)},
                                                             {"causes", Message::list(causes)}}));
        }
    };
    if (const IndicatorChange* fall = run.red_line_fall()) {
        std::vector<Message> versions;
        move_messages(*fall, versions);
        out.push_back(Message("indicators.guard.red_line_fell",
                              {{"before", indicator_value_text(fall->before, "ha")},
                               {"after", indicator_value_text(fall->now.value.value_or(0.0), "ha")},
                               {"since", run.earlier ? run.earlier->version.id : 0},
                               {"version", run.now.version.id},
                               {"list", Message::list(versions)}}));
    }
    for (const TargetCheck* t : run.binding_failures()) {
        std::vector<Message> versions;
        for (const auto& change : run.changes) {
            if (change.now.key() == t->indicator.key()) {
                move_messages(change, versions);
            }
        }
        out.push_back(Message("indicators.guard.target_failed", {{"target", indicator_words::target_name(*t)},
                                                                 {"status", indicator_words::status(t->status)},
                                                                 {"reason", t->reason},
                                                                 {"file", t->target.file.string()},
                                                                 {"line", t->target.line},
                                                                 {"list", Message::list(versions)}}));
    }
    return out;
}

}  // namespace redline
