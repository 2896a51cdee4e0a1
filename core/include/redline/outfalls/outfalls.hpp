// Outfall registers (排污口名录): every outfall screened against every zone in one run,
// with verdict, suggested action (取缔 close / 合并 merge / 规范 standardise / 保留 keep),
// reason and legal basis, merge groups, and a summary.
#pragma once

#include "redline/inputs/footprints.hpp"
#include "redline/language.hpp"
#include "redline/progress.hpp"
#include "redline/screening/check.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline {

enum class OutfallAction { close, merge, standardise, keep };
const char* action_name(OutfallAction action);                      // close, merge, ...
const char* action_label(OutfallAction action, Language language);  // 取缔, 合并, ...

struct OutfallRequest {
    std::filesystem::path workspace;
    FootprintSource input;         // path, layer, crs, zone, cm, web_datum, encoding
    std::filesystem::path output;  // .csv, .xlsx or .gpkg
    bool overwrite = false;
    CheckOptions options;
    double merge_distance_m = 500;                 // outfalls on one receiving water this close form a merge group
    std::map<std::string, std::string> field_map;  // code, name, type, water_kind, water_name, status -> column
    std::vector<std::filesystem::path> rule_files;
    std::optional<LegalDate> as_of;  // the law of this day (--as-of); default today in China
    Language language = Language::zh;
    unsigned threads = 0;  // 0: one per core
};

struct OutfallSummary {
    std::size_t rows = 0;
    std::size_t screened = 0;
    // Bad rows with their line numbers: the first max_listed_problems of them (every
    // row's status is in the result), and the counts of all.
    static constexpr std::size_t max_listed_problems = 1000;
    std::vector<Problem> problems;
    std::size_t error_rows = 0;                    // rows that could not be screened
    std::size_t outside_coverage = 0;              // of them: placed where the workspace says nothing
    std::size_t warning_rows = 0;                  // screened, with a warning (duplicate codes)
    std::map<std::string, std::size_t> by_action;  // action name -> count
    std::map<std::string, std::size_t> by_type;
    std::map<std::string, std::size_t> by_kind;      // zone kind -> outfalls inside a zone of it
    std::map<std::string, std::size_t> by_district;  // district name -> outfalls
    std::size_t merge_groups = 0;
    std::string crs;
    std::vector<Detection> detections;
    std::string rule_set_digest;
    LegalDate legal_date;                    // whose law the verdicts apply
    std::vector<std::string> texts_applied;  // ids of the legal texts the rules in force cite
    std::optional<VersionInfo> workspace_version;
    std::size_t within_pairs = 0;  // (outfall, zone) pairs where the outfall lies in the zone
    std::size_t near_pairs =
        0;  // (outfall, kind) pairs: outside every zone of the kind, one within its search distance
    double seconds_read = 0, seconds_index = 0, seconds_screen = 0;
    double seconds_screen_only = 0;  // of seconds_screen: the threads screening (the rest reads and writes)
    // For the report's map: per action a uniform sample (fixed seed) of the outfalls'
    // positions (lon/lat, CGCS2000), at most max_mapped_per_action each, and the
    // workspace's administrative boundaries.
    static constexpr std::size_t max_mapped_per_action = 5000;
    std::map<std::string, std::vector<std::pair<double, double>>> mapped;
    std::vector<std::pair<std::string, Geometry>> districts;
    std::string source;     // the register
    std::string workspace;  // the workspace's path
    std::string output;     // the result's path
    double merge_distance_m = 0;
};

// Reads the register twice: first the coordinates, codes and waters of every row into a
// record per row on disk (for the CRS, duplicate codes and merge groups), then row by
// row to screen (with the screening engine) and write. Memory is the zone index,
// fixed-size buffers, and the outfalls of the one receiving water being grouped, whatever
// the register's size. Rows that cannot be placed, or lie outside the workspace's
// coverage, are flagged errors with their reason, never a "keep". The output is written
// only when complete; options are checked before anything is read.
OutfallSummary run_outfalls(const SchemaSet& schemas, const OutfallRequest& request,
                            Progress& progress = no_progress());

void write_outfall_summary(std::ostream& out, const OutfallSummary& summary, Language language);
void write_outfall_summary_json(std::ostream& out, const OutfallSummary& summary, Language language);
}  // namespace redline
