// From geometry to decision: the rules applied to each hit of a screened footprint.
#include "redline/screening/check.hpp"

#include <algorithm>
#include <functional>

namespace redline {

void widen_for_near_rules(CheckOptions& options, const SchemaSet& schemas, const RuleSet& rules) {
    for (const auto& id : schemas.kind_ids()) {
        const double current = options.near_distance_for(schemas.kind(id));
        if (rules.max_within_m(id) > current) {
            options.near_distance_m[id] = rules.max_within_m(id);
        }
    }
}

std::string inferred_activity(const std::string& geometry_type) {
    return geometry_type.find("LineString") != std::string::npos ? "linear" : "construction";
}

ZoneDecision decide_zone(const RuleSet& rules, const KindSchema* kind, const std::string& kind_id,
                         const std::string& subzone, const std::string& subzone_source, Relation relation,
                         std::optional<double> distance_m, const ActivityFacts& facts) {
    ZoneDecision d;
    d.subzone_as_of = rules.subzone_in_force(kind_id, subzone, subzone_source);
    d.rules = rules.evaluate(kind_id, d.subzone_as_of, relation, relation == Relation::near ? distance_m : std::nullopt,
                             facts);
    const bool overlapping =
        relation == Relation::within || relation == Relation::overlaps || relation == Relation::contains;
    if (!d.rules.empty()) {
        d.verdict = d.rules.front().rule->verdict;  // evaluate() lists the most severe first
    } else if (overlapping && kind != nullptr && kind->protective) {
        // A protected zone is never waved through because the rule set is silent.
        d.verdict = Verdict::conditional;
        d.note = Message("verdict.no_rule");
    }
    return d;
}

void fill_inferred_activity(ActivityFacts& facts, const std::string& geometry_type) {
    if (!facts.activity) {
        facts.activity = inferred_activity(geometry_type);
        facts.sources["activity"] = Message("facts.inferred", {{"geometry_type", geometry_type}});
    }
}

void decide(FootprintResult& result, const RuleSet& rules, const SchemaSet& schemas, const ActivityFacts& facts) {
    decide(result, schemas, facts, [&](const Hit& hit, const ActivityFacts& with) {
        return decide_zone(rules, schemas.find(hit.kind), hit.kind, hit.subzone, hit.subzone_source, hit.relation,
                           hit.distance_m, with);
    });
}

void decide(FootprintResult& result, const SchemaSet& schemas, const ActivityFacts& facts,
            const std::function<ZoneDecision(const Hit&, const ActivityFacts&)>& decide_hit) {
    result.facts = facts;
    fill_inferred_activity(result.facts, result.geometry_type);
    result.verdict = Verdict::clear;
    for (Hit& hit : result.hits) {
        if (auto it = hit.zone_attributes.find(subzone_source_attribute); it != hit.zone_attributes.end()) {
            hit.subzone_source = it->second;
        }
        ZoneDecision d = decide_hit(hit, result.facts);
        hit.subzone_as_of = std::move(d.subzone_as_of);
        hit.rules = std::move(d.rules);
        hit.verdict = d.verdict;
        hit.note = std::move(d.note);
        hit.conflict = hit.verdict >= Verdict::conditional;
        result.verdict = std::max(result.verdict, hit.verdict);
    }
    // Most severe first; at equal verdicts the protected zones before the classifying
    // kinds (units, districts); otherwise the geometric order of the index stays.
    auto protective = [&](const Hit& h) {
        const KindSchema* kind = schemas.find(h.kind);
        return kind != nullptr && kind->protective;
    };
    std::stable_sort(result.hits.begin(), result.hits.end(), [&](const Hit& a, const Hit& b) {
        if (a.verdict != b.verdict) {
            return a.verdict > b.verdict;
        }
        return protective(a) && !protective(b);
    });
}

}  // namespace redline
