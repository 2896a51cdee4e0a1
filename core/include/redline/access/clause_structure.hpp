// A clause's structure as JSON: what `access-list review` shows, what mapping staff write
// to correct a clause, and what a correction is stored as (ClauseReview::structure_json).
//
//   {"action": "prohibit", "scales": ["new", "expansion"], "target": "projects",
//    "industries": ["C26", "电镀"], "all_industries": false, "except": ["C2614"],
//    "outfall_waters": [], "outfall_types": []}
//
// `action` is required; everything else may be left out (no scales: every scale). A
// corrected clause carries exactly this: no thresholds, categories or open lists, and no
// judgement. A clause whose meaning needs a person every time stays as read (confirm it).
#pragma once

#include "redline/access/clause_reader.hpp"

#include <string>
#include <string_view>

namespace redline::access {

// The structure of a clause, one JSON object on one line (industries by code or id, as the
// catalog resolved them; thresholds and judgements included for reading, never read back).
std::string structure_json(const Clause& clause, const IndustryCatalog& catalog);

// Replaces the structure of `clause` (not its text or place) by a correction. UsageError
// naming the key and what is wrong: not JSON, unknown key, unknown action or scale, an
// industry the catalog does not know, neither industries nor all_industries for a
// projects clause.
void apply_structure(Clause& clause, std::string_view json, const IndustryCatalog& catalog);

}  // namespace redline::access
