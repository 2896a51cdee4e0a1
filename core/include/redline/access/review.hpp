// Reviewing access lists (redline access-list review): every clause of the lists a
// workspace holds, its verbatim text beside the structure the reader gave it (or a person
// corrected it to), and decisions on clauses (confirm, correct) turned into the reviews a
// new version stores.
#pragma once

#include "redline/access/conformity.hpp"

#include <string>
#include <vector>

namespace redline::access {

struct ReviewSelection {
    std::vector<std::string> lists;  // list ids (unit codes or general list ids); empty: every list
    bool pending_only = false;       // only clauses nobody has reviewed
    bool judgement_only = false;     // only clauses the reader could not structure
};

// The clauses to review, in list order: the stored lists, then the units' own lists from
// their attributes (units without a stored list).
struct ReviewSheet {
    std::vector<std::shared_ptr<const std::vector<ListedClause>>> lists;  // keeps the clauses alive
    std::vector<const ListedClause*> clauses;
    std::size_t total = 0;  // clauses in the selected lists, before pending/judgement filters
};
ReviewSheet review_sheet(const AccessBook& book, const std::vector<UnitRef>& units, const ReviewSelection& selection);

// A decision on one clause, by its key (list/dimension/n, as the sheet shows it).
struct ReviewDecision {
    std::string key;
    ClauseReviewState state = ClauseReviewState::confirmed;
    std::string structure_json;  // corrected: the structure as clause_structure.hpp reads it
    std::string digest;          // optional: the text digest the decision was made on (refused if it changed)
};

// The reviews to store: each decision checked (the key exists in the sheet, the text is
// still the one decided on, a correction reads). UsageError naming the first key that fails,
// nothing made then.
std::vector<ClauseReview> make_reviews(const ReviewSheet& sheet, const std::vector<ReviewDecision>& decisions,
                                       const IndustryCatalog& catalog, const std::string& author,
                                       const std::string& note);

// Decisions as a file: a JSON array of {"key", "state": "confirmed"|"corrected", "structure"
// (object, for corrected), "digest" (optional)}, as `review --format json` writes each clause
// (so a reviewer edits that file). UsageError naming the entry that does not read.
std::vector<ReviewDecision> read_review_decisions(std::string_view json_text, const std::string& file);

}  // namespace redline::access
