#include "redline/screening/check_run.hpp"

#include <algorithm>

namespace redline {

bool CheckRun::has_conflicts() const {
    return std::any_of(footprints.begin(), footprints.end(), [](const auto& f) { return f.has_conflict(); });
}

bool CheckRun::footprints_missed() const {
    const auto errors = static_cast<std::size_t>(std::count_if(
        problems.begin(), problems.end(), [](const Problem& p) { return p.severity == Severity::error; }));
    return errors > unusable_zones ||
           std::any_of(footprints.begin(), footprints.end(), [](const FootprintResult& f) { return !f.checked(); });
}

void screen_footprints(const Screener& screener, const FootprintSet& input, const ActivityFacts& defaults,
                       CheckRun& run, Progress& progress) {
    run.options = screener.options();
    run.rules = screener.shared_rules();
    run.workspace_path = redact_secrets(screener.workspace_path().string());
    run.workspace_version = screener.workspace_version();
    run.kinds = screener.kinds();
    run.input_source = input.source;
    run.input_layer = input.layer;
    run.input_crs = input.crs;
    run.input_detections = input.detections;
    run.problems = input.problems;
    run.problems.insert(run.problems.end(), screener.problems().begin(), screener.problems().end());
    run.unusable_zones =
        static_cast<std::size_t>(std::count_if(screener.problems().begin(), screener.problems().end(),
                                               [](const Problem& p) { return p.severity == Severity::error; }));
    if (!screener.coverage_known()) {
        run.problems.push_back({Severity::warning, run.workspace_path, {}, Message("check.coverage_unknown")});
    }
    progress.stage(Message("stage.screen"), input.footprints.size());
    std::uint64_t done = 0;
    for (const auto& fp : input.footprints) {
        std::vector<Message> warnings;
        const ActivityFacts facts = screener.vocabulary().from_attributes(fp.attributes, defaults, warnings);
        for (const auto& w : warnings) {
            run.problems.push_back({Severity::warning, run.input_source, feature_ref(fp.id, fp.name), w});
        }
        FootprintResult result = screener.screen(fp, facts);
        for (const auto& hit : result.hits) {
            if (run.keep_zone_geometries && !run.zone_geometries.contains(hit.zone_fid)) {
                if (auto g = screener.index().zone_geometry(hit.zone_fid)) {
                    run.zone_geometries.emplace(hit.zone_fid, std::move(*g));
                }
            }
        }
        if (screener.coverage(result) == Coverage::outside) {
            // A misplaced footprint (wrong zone, datum or axis order) would look "clear":
            // outside the area the workspace speaks for, nothing can be said.
            result.unchecked = Message(screener.has_tiling_kinds() ? "check.outside_coverage" : "check.outside_extent");
            run.problems.push_back({Severity::error, run.input_source, feature_ref(fp.id, fp.name), result.unchecked});
        }
        run.footprints.push_back(std::move(result));
        progress.advance(++done);
    }
}

CheckRun run_check(const SchemaSet& schemas, const CheckRequest& request, Progress& progress) {
    // The options first: a bad --near, --rules or --as-of fails before any reading.
    for (const auto& [kind, _] : request.options.near_distance_m) {
        schemas.kind(kind);
    }
    ScreenerSettings settings;
    settings.workspace = request.workspace;
    settings.options = request.options;
    settings.rules = std::make_shared<const RuleSet>(RuleSet::load(schemas, request.rule_files, request.as_of));

    progress.stage(Message("stage.read_input"));
    const FootprintSet input = read_footprints(request.input);
    CheckRun run;
    if (input.footprints.empty()) {
        // Nothing to screen: still say which workspace and rules it would have been.
        const Workspace workspace = Workspace::open_read_only(request.workspace);
        run.workspace_path = redact_secrets(request.workspace.string());
        run.workspace_version = workspace.current_version();
        for (const auto& [kind, count] : workspace.zone_counts_by_kind()) {
            run.kinds.push_back(kind);
        }
        run.options = request.options;
        run.rules = settings.rules;
        run.input_source = input.source;
        run.input_layer = input.layer;
        run.input_crs = input.crs;
        run.input_detections = input.detections;
        run.problems = input.problems;
        return run;
    }
    BoundingBox box = bounding_box(input.footprints.front().geometry);
    for (const auto& fp : input.footprints) {
        box.expand(bounding_box(fp.geometry));
    }
    settings.region = box;
    const Screener screener(schemas, settings, progress);
    screen_footprints(screener, input, request.facts, run, progress);
    return run;
}

}  // namespace redline
