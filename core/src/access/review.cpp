#include "redline/access/review.hpp"

#include "redline/access/clause_structure.hpp"
#include "redline/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace redline::access {

ReviewSheet review_sheet(const AccessBook& book, const std::vector<UnitRef>& units, const ReviewSelection& selection) {
    ReviewSheet sheet;
    const std::set<std::string> wanted(selection.lists.begin(), selection.lists.end());
    auto selected = [&](const std::string& id) { return wanted.empty() || wanted.contains(id); };
    std::set<std::string> stored_units;
    for (const auto& [scope, id] : book.stored_lists()) {
        if (scope == AccessListScope::unit) {
            stored_units.insert(id);
        }
        if (selected(id)) {
            sheet.lists.push_back(book.list(scope, id));
        }
    }
    for (const auto& unit : units) {
        if (!stored_units.contains(unit.code) && !unit.attribute_texts.empty() && selected(unit.code)) {
            // Only the unit's own list: general lists are listed once, above.
            auto lists = book.lists_for(unit);
            if (!lists.empty() && !lists.front()->empty() && lists.front()->front().from_attributes) {
                sheet.lists.push_back(std::move(lists.front()));
            }
        }
    }
    for (const auto& list : sheet.lists) {
        for (const ListedClause& clause : *list) {
            ++sheet.total;
            if (selection.pending_only && clause.review) {
                continue;
            }
            if (selection.judgement_only && !clause.clause.needs_judgement()) {
                continue;
            }
            sheet.clauses.push_back(&clause);
        }
    }
    return sheet;
}

std::vector<ClauseReview> make_reviews(const ReviewSheet& sheet, const std::vector<ReviewDecision>& decisions,
                                       const IndustryCatalog& catalog, const std::string& author,
                                       const std::string& note) {
    std::map<std::string, const ListedClause*> by_key;
    for (const auto& list : sheet.lists) {
        for (const ListedClause& clause : *list) {
            by_key.emplace(clause.key, &clause);
        }
    }
    std::vector<ClauseReview> reviews;
    std::set<std::string> decided;
    for (const auto& decision : decisions) {
        const auto it = by_key.find(decision.key);
        if (it == by_key.end()) {
            throw UsageError(Message("access.review.unknown_key", {{"key", decision.key}}));
        }
        if (!decided.insert(decision.key).second) {
            throw UsageError(Message("access.review.twice", {{"key", decision.key}}));
        }
        const ListedClause& listed = *it->second;
        if (!decision.digest.empty() && decision.digest != listed.digest) {
            throw UsageError(
                Message("access.review.text_changed", {{"key", decision.key}, {"text", listed.clause.text}}));
        }
        ClauseReview review;
        review.scope = listed.scope;
        review.list_id = listed.list_id;
        review.dimension = dimension_name(listed.clause.dimension);
        review.clause_digest = listed.digest;
        review.clause_text = listed.clause.text;
        review.state = decision.state;
        review.author = author;
        review.note = note;
        if (decision.state == ClauseReviewState::corrected) {
            Clause trial = listed.clause;
            try {
                apply_structure(trial, decision.structure_json, catalog);
            } catch (const UsageError& e) {
                throw UsageError(
                    Message("access.review.bad_correction", {{"key", decision.key}, {"why", e.message()}}));
            }
            // Stored as it will be read again: normalised by the catalog.
            review.structure_json = structure_json(trial, catalog);
        }
        reviews.push_back(std::move(review));
    }
    return reviews;
}

std::vector<ReviewDecision> read_review_decisions(std::string_view json_text, const std::string& file) {
    const auto j = nlohmann::json::parse(json_text, nullptr, false);
    auto refuse = [&](std::size_t entry, const char* problem) {
        throw UsageError(
            Message("access.review.bad_decision",
                    {{"file", file}, {"entry", static_cast<std::int64_t>(entry + 1)}, {"problem", Message(problem)}}));
    };
    if (j.is_discarded() || !j.is_array()) {
        throw UsageError(Message("access.review.not_a_list", {{"file", file}}));
    }
    std::vector<ReviewDecision> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const auto& e = j[i];
        if (!e.is_object() || !e.contains("key") || !e["key"].is_string()) {
            refuse(i, "access.review.problem.key");
        }
        ReviewDecision d;
        d.key = e["key"].get<std::string>();
        const std::string state = e.value("state", std::string());
        if (state == "confirmed") {
            d.state = ClauseReviewState::confirmed;
        } else if (state == "corrected") {
            d.state = ClauseReviewState::corrected;
            if (!e.contains("structure") || !e["structure"].is_object()) {
                refuse(i, "access.review.problem.structure");
            }
            d.structure_json = e["structure"].dump();
        } else {
            refuse(i, "access.review.problem.state");
        }
        if (e.contains("digest")) {
            if (!e["digest"].is_string()) {
                refuse(i, "access.review.problem.digest");
            }
            d.digest = e["digest"].get<std::string>();
        }
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace redline::access
