// `redline check` short of printing: read the footprints, screen each against the zones
// near them, and keep what the writers need. Used by the CLI, and by the server for a
// request with a file.
#pragma once

#include "redline/inputs/footprints.hpp"
#include "redline/progress.hpp"
#include "redline/screening/check.hpp"
#include "redline/screening/screener.hpp"
#include "redline/store/workspace.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline {

struct CheckRun {
    std::string workspace_path;
    std::optional<VersionInfo> workspace_version;
    std::string input_source;
    std::string input_layer;
    std::string input_crs;
    std::vector<Detection> input_detections;
    CheckOptions options;
    std::vector<std::string> kinds;  // kinds present, for the settings block
    std::vector<FootprintResult> footprints;
    std::map<std::int64_t, Geometry> zone_geometries;  // every zone hit, by fid (for maps)
    bool keep_zone_geometries = true;                  // false: no map will be drawn (JSON alone)
    std::vector<Problem> problems;
    std::shared_ptr<const RuleSet> rules;  // the hits' applied rules point into it
    std::size_t unusable_zones = 0;        // zones of the workspace nothing could use (error problems)
    bool has_conflicts() const;
    // Some footprint was not checked, or could not be read at all.
    bool footprints_missed() const;
};

struct CheckRequest {
    std::filesystem::path workspace;
    FootprintSource input;
    CheckOptions options;
    ActivityFacts facts;                            // defaults; input attributes override per footprint
    std::vector<std::filesystem::path> rule_files;  // local rules over the national defaults (--rules)
    std::optional<LegalDate> as_of;                 // the law of this day (--as-of); default today in China
};

// Reads the input, opens a screener on the zones near it, screens every footprint. Bad
// rule options fail before anything is read; a footprint outside the workspace's
// coverage is an error problem (never a clear result).
CheckRun run_check(const SchemaSet& schemas, const CheckRequest& request, Progress& progress = no_progress());

// The footprints of a read input screened with an open screener: for drivers that keep
// one open (the viewer, the server).
void screen_footprints(const Screener& screener, const FootprintSet& input, const ActivityFacts& defaults,
                       CheckRun& run, Progress& progress = no_progress());

}  // namespace redline
