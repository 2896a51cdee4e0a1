// From geometry to decision: the rules applied to each hit of a screened footprint.
#include "redline/screening/check.hpp"

#include <algorithm>

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

void decide(FootprintResult& result, const RuleSet& rules, const SchemaSet& schemas, const ActivityFacts& facts) {
    result.facts = facts;
    if (!result.facts.activity) {
        result.facts.activity = inferred_activity(result.geometry_type);
        result.facts.sources["activity"] = Message("facts.inferred", {{"geometry_type", result.geometry_type}});
    }
    result.verdict = Verdict::clear;
    for (Hit& hit : result.hits) {
        if (auto it = hit.zone_attributes.find(subzone_source_attribute); it != hit.zone_attributes.end()) {
            hit.subzone_source = it->second;
        }
        hit.subzone_as_of = rules.subzone_in_force(hit.kind, hit.subzone, hit.subzone_source);
        hit.rules = rules.evaluate(hit.kind, hit.subzone_as_of, hit.relation, hit.distance_m, result.facts);
        const bool overlapping = hit.relation == Relation::within || hit.relation == Relation::overlaps ||
                                 hit.relation == Relation::contains;
        if (!hit.rules.empty()) {
            hit.verdict = hit.rules.front().rule->verdict;  // evaluate() lists the most severe first
        } else if (const KindSchema* kind = schemas.find(hit.kind);
                   overlapping && kind != nullptr && kind->protective) {
            // A protected zone is never waved through because the rule set is silent.
            hit.verdict = Verdict::conditional;
            hit.note = Message("verdict.no_rule");
        } else {
            hit.verdict = Verdict::clear;
        }
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
