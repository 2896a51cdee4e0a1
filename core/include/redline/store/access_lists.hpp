// Access lists (生态环境准入清单) as workspace data: each list's text blocks as published,
// per unit (a unit's own list, keyed by its unit code) or general (总体准入要求 of a province
// or city, applying to every unit of some classes in some region), and the reviews mapping
// staff made of single clauses. Both are versioned like zones: every import and every
// review is a version, nothing is overwritten, and a workspace at any version gives the
// lists and reviews of that version. The store keeps text and ids only; reading clauses is
// the access wing's work.
#pragma once

#include "redline/errors.hpp"
#include "redline/progress.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline {

enum class AccessListScope { unit, general };
const char* access_list_scope_name(AccessListScope scope);  // "unit", "general"

// One dimension of one list, as published.
struct AccessListBlock {
    AccessListScope scope = AccessListScope::unit;
    // A unit's code (ZH + region + class + serial) for unit lists; the list's own id as the
    // file gives it (or --general) for general lists.
    std::string list_id;
    std::string title;  // the unit's or the list's name, when the source gives one
    // General lists: the control_unit sub-zones (priority, key, general) they apply to;
    // empty: every class.
    std::vector<std::string> unit_classes;
    // General lists: the leading digits of the 6-digit region code in the unit codes they
    // apply to ("21" a province, "2102" a city, "210213" a county); empty: every unit.
    std::string region;
    // The access wing's dimension id (spatial_layout, pollutant_discharge,
    // environmental_risk, resource_efficiency); "" when the source does not say (the text's
    // own headings may).
    std::string dimension;
    std::string text;          // verbatim, line breaks kept
    std::string source_ref;    // where it was read: "file.xlsx:清单!12" or "file.csv:12"
    std::int64_t version = 0;  // the version that stored it
};

// A mapping staff's decision on one clause: the reader's structure confirmed, or replaced
// by a corrected one. Keyed by list, dimension and the clause's verbatim text (its digest):
// a review applies while that text stands, and no longer once the list is re-imported
// with other words.
enum class ClauseReviewState { confirmed, corrected };
const char* clause_review_state_name(ClauseReviewState state);  // "confirmed", "corrected"

struct ClauseReview {
    AccessListScope scope = AccessListScope::unit;
    std::string list_id;
    std::string dimension;
    std::string clause_digest;  // sha256 (hex) of the clause's verbatim text
    std::string clause_text;    // the text reviewed, for the record
    ClauseReviewState state = ClauseReviewState::confirmed;
    std::string structure_json;  // corrected: the structure as the access wing writes it; else ""
    std::string author, note;
    std::int64_t version = 0;  // the version that stored it
};

// Reading a published access-list table, before storing it.
struct AccessListSourceOptions {
    std::string source;  // XLSX, CSV, GeoPackage or any OGR source with a table
    std::optional<std::string> layer;
    // Standard field -> source field (--map unit_code=单元编码), over the aliases of
    // layers/control_unit/access_lists.toml.
    std::map<std::string, std::string> field_map;
    std::optional<std::string> encoding;  // CSV text encoding, e.g. GBK
    // A general list given whole by the options (a file without list columns): its id,
    // title, classes and region. Unset: rows name their unit (unit lists) or carry list
    // columns (general lists).
    std::optional<std::string> general_list_id;
    std::string general_title;
    std::vector<std::string> general_classes;
    std::string general_region;
};

struct AccessListSource {
    std::vector<AccessListBlock> blocks;               // in source order; rows of one list and dimension joined
    std::vector<Problem> problems;                     // each naming file and row: rows skipped, unknown units ...
    std::string source_digest;                         // sha256 of the source file(s)
    std::map<std::string, std::string> field_mapping;  // standard field -> source field used
};

// Reads a table of access lists. Long tables (a row per unit, dimension and clause or
// block) and wide ones (a row per unit, a column per dimension) are both read; rows of the
// same list and dimension are joined in order, one line each. UsageError or DataError
// naming the file (and row) when it cannot be read at all.
AccessListSource read_access_list_source(const std::filesystem::path& layers_dir,
                                         const AccessListSourceOptions& options);

struct AccessListImport {
    std::string source;  // as given (passwords hidden when recorded)
    std::string source_layer;
    std::string source_digest;
    // Retire every current list of the scopes in `blocks` first; otherwise only the lists
    // (scope and id) the import holds are replaced, all their dimensions.
    bool replace = false;
    std::string author, note;
};

}  // namespace redline
