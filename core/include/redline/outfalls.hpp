// Outfall registers (排污口名录): every outfall screened against every zone in one run,
// with verdict, suggested action (取缔 close / 合并 merge / 规范 standardise / 保留 keep),
// reason and legal basis, merge groups, and a summary.
#pragma once

#include "redline/check.hpp"
#include "redline/footprints.hpp"
#include "redline/report.hpp"

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
    Language language = Language::zh;
    unsigned threads = 0;  // 0: one per core
    std::function<void(std::size_t done, std::size_t total)> progress;
};

struct OutfallSummary {
    std::size_t rows = 0;
    std::size_t screened = 0;
    std::vector<Problem> problems;                 // bad rows, with their line numbers
    std::map<std::string, std::size_t> by_action;  // action name -> count
    std::map<std::string, std::size_t> by_type;
    std::map<std::string, std::size_t> by_kind;      // zone kind -> outfalls inside a zone of it
    std::map<std::string, std::size_t> by_district;  // district name -> outfalls
    std::size_t merge_groups = 0;
    std::string crs;
    std::vector<Detection> detections;
    std::string rule_set_digest;
    std::optional<VersionInfo> workspace_version;
    std::size_t within_pairs = 0;  // (outfall, zone) pairs where the outfall lies in the zone
    std::size_t near_pairs = 0;    // (outfall, kind) pairs with a nearest zone within the search distance
    double seconds_read = 0, seconds_index = 0, seconds_screen = 0;
};

// Reads the register twice (coordinates first, for merge groups; then row by row), so
// memory is the zones plus a few numbers per outfall, whatever the register's size.
OutfallSummary run_outfalls(const SchemaSet& schemas, const OutfallRequest& request);

void write_outfall_summary(std::ostream& out, const OutfallSummary& summary, Language language);
void write_outfall_summary_json(std::ostream& out, const OutfallSummary& summary);

}  // namespace redline
