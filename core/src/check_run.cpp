#include "redline/report.hpp"

namespace redline {

CheckRun run_check(const SchemaSet& schemas, const CheckRequest& request) {
    CheckRun run;
    run.options = request.options;
    for (const auto& [kind, _] : request.options.near_distance_m) {
        schemas.kind(kind);  // an unknown kind in --near is a usage error
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
    box = grow_box_by_metres(box, max_near_distance_m(schemas, request.options));
    const ZoneIndex index(schemas, workspace.load_zones(box));
    for (const auto& fp : input.footprints) {
        run.footprints.push_back(index.check(fp, request.options));
    }
    return run;
}

}  // namespace redline
