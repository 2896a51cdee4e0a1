#include "redline/reports/report.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace redline {

CheckRun run_check(const SchemaSet& schemas, const CheckRequest& request) {
    CheckRun run;
    run.options = request.options;
    for (const auto& [kind, _] : request.options.near_distance_m) {
        schemas.kind(kind);  // an unknown kind in --near is a usage error
    }
    auto rules = std::make_shared<const RuleSet>(RuleSet::load(schemas, request.rule_files, request.as_of));
    run.rules = rules;
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    widen_for_near_rules(run.options, schemas, *rules);

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
    run.input_detections = input.detections;
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
    // Kinds that tile the jurisdiction: every footprint inside it meets one of them.
    std::set<std::string> covering_kinds;
    for (const auto& kind : run.kinds) {
        if (const KindSchema* k = schemas.find(kind); k != nullptr && k->tiles_jurisdiction) {
            covering_kinds.insert(kind);
        }
    }
    for (const auto& fp : input.footprints) {
        std::vector<Message> warnings;
        const ActivityFacts facts = vocabulary.from_attributes(fp.attributes, request.facts, warnings);
        for (const auto& w : warnings) {
            run.problems.push_back({Severity::warning, run.input_source, feature_ref(fp.id, fp.name), w});
        }
        FootprintResult result = index.check(fp, run.options);
        result.geometry = fp.geometry;
        decide(result, *rules, schemas, facts);
        for (const auto& hit : result.hits) {
            if (!run.zone_geometries.contains(hit.zone_fid)) {
                if (auto g = index.zone_geometry(hit.zone_fid)) {
                    run.zone_geometries.emplace(hit.zone_fid, std::move(*g));
                }
            }
        }
        if (!covering_kinds.empty()) {
            const bool covered = std::any_of(result.hits.begin(), result.hits.end(), [&](const Hit& h) {
                return covering_kinds.contains(h.kind) && h.relation != Relation::near;
            });
            if (!covered) {
                // A misplaced footprint (wrong zone, datum or axis order) would look "clear":
                // outside every unit or district of the workspace, nothing can be said.
                run.problems.push_back({Severity::error, run.input_source, feature_ref(fp.id, fp.name),
                                        Message("check.outside_coverage")});
            }
        }
        run.footprints.push_back(std::move(result));
    }
    return run;
}

}  // namespace redline
