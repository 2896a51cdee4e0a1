#include "redline/report.hpp"

#include <algorithm>

namespace redline {

CheckRun run_check(const SchemaSet& schemas, const CheckRequest& request) {
    CheckRun run;
    run.options = request.options;
    for (const auto& [kind, _] : request.options.near_distance_m) {
        schemas.kind(kind);  // an unknown kind in --near is a usage error
    }
    auto rules = std::make_shared<const RuleSet>(RuleSet::load(schemas, request.rule_files));
    run.rules = rules;
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    // Near rules must see zones up to their own distance.
    for (const auto& id : schemas.kind_ids()) {
        const double wanted = std::max(run.options.near_distance_for(schemas.kind(id)), rules->max_within_m(id));
        if (wanted > run.options.near_distance_for(schemas.kind(id))) {
            run.options.near_distance_m[id] = wanted;
        }
    }

    Workspace workspace = Workspace::open(request.workspace);
    run.workspace_path = request.workspace.string();
    run.workspace_version = workspace.current_version();
    for (const auto& [kind, count] : workspace.zone_counts_by_kind()) {
        run.kinds.push_back(kind);
    }

    FootprintSet input = read_footprints(request.input);
    run.input_source = input.source;
    run.input_layer = input.layer;
    run.input_crs = input.crs;
    run.problems = std::move(input.problems);
    if (input.footprints.empty()) {
        return run;
    }

    BoundingBox box = bounding_box(input.footprints.front().geometry);
    for (const auto& fp : input.footprints) {
        box.expand(bounding_box(fp.geometry));
    }
    box = grow_box_by_metres(box, max_near_distance_m(schemas, run.options));
    const ZoneIndex index(schemas, workspace.load_zones(box));
    for (const auto& fp : input.footprints) {
        std::vector<std::string> warnings;
        const ActivityFacts facts = vocabulary.from_attributes(fp.attributes, request.facts, warnings);
        for (const auto& w : warnings) {
            run.problems.push_back({"warning", run.input_source, "feature " + fp.id, w});
        }
        FootprintResult result = index.check(fp, run.options);
        decide(result, *rules, schemas, facts);
        run.footprints.push_back(std::move(result));
    }
    return run;
}

}  // namespace redline
