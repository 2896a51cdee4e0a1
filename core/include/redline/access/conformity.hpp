// Conformity with access lists (相符性分析): every clause of every list that applies to a
// management unit, held against what is known of a project (its industry codes, scale,
// activity and outfall), each clause 符合 / 不符合 / 不涉及 / 需人工判断 with the reason, and
// the unit's outcome (the `access_list` fact the rules decide a verdict on).
//
// Lists come from the workspace (imported unit and general lists, with the clause reviews
// of mapping staff) and, for units without an imported list, from the unit's own
// attributes (the kind's `access_list` group). A reviewed clause is used as reviewed; an
// unreviewed one as the reader read it, and a clause the reader could not structure is
// never decided by machine.
#pragma once

#include "redline/access/clause_reader.hpp"
#include "redline/model/rules.hpp"
#include "redline/store/access_lists.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace redline::access {

enum class Conformity { conforms, violates, not_concerned, needs_judgement };
const char* conformity_name(Conformity conformity);  // conforms, violates, not_concerned, needs_judgement
Message conformity_message(Conformity conformity);   // 符合 / 不符合 / 不涉及 / 需人工判断

// Why a clause came out as it did.
enum class Finding {
    prohibits_project,        // violates: a prohibition governs the project's industry and scale
    restricts_project,        // violates: a restriction or strict control governs the project
    other_industry,           // conforms: the clause governs other industries
    excepted_industry,        // conforms: the project's industry is excepted (除...外)
    other_outfalls,           // conforms: an outfall clause on other waters or outfall types
    encouraged,               // conforms: the clause encourages the project
    other_scale,              // not_concerned: the clause governs other scales
    existing_only,            // not_concerned: the clause governs what already exists
    outfalls_only,            // not_concerned: an outfall clause; the project sets up no outfall
    projects_only,            // not_concerned: a project clause; an outfall is screened
    reference,                // not_concerned: it points to the general list, whose clauses are listed
    encouragement_elsewhere,  // not_concerned: it encourages other industries
    requirement,              // needs_judgement: the project must show how it meets it
    industry_not_given,       // needs_judgement: the clause names industries; the project's is not given
    scale_not_given,          // needs_judgement: the clause names scales; the project's is not given
    industry_uncertain,       // needs_judgement: arguable, partial, open list or category
    threshold_needs_figure,   // needs_judgement: a scale threshold (年产30万吨以下) needs the project's figure
    outfall_not_described,    // needs_judgement: an outfall clause on some waters or types; the outfall's not given
    reader_judgement,         // needs_judgement: the reader could not structure the clause
};
const char* finding_name(Finding finding);
Message finding_message(Finding finding);

// The unit's outcome, most severe last: the value of the `access_list` fact.
enum class AccessOutcome { none, conforms, needs_judgement, restricted, prohibited };
const char* access_outcome_name(AccessOutcome outcome);  // none, conforms, needs_judgement, restricted, prohibited

// A clause as a list carries it, with the review it had.
struct ListedClause {
    AccessListScope scope = AccessListScope::unit;
    std::string list_id;
    std::string list_title;
    bool from_attributes = false;  // the unit's own attributes, not an imported list
    std::string key;               // list_id/dimension/n: how review names it
    std::string digest;            // sha256 of the verbatim text
    Clause clause;                 // as read, or as corrected
    std::optional<ClauseReviewState> review;
    std::string reviewer;
    std::int64_t review_version = 0;
};

struct ClauseFinding {
    const ListedClause* clause = nullptr;  // owned by the AccessBook (kept alive by the assessment)
    Conformity conformity = Conformity::not_concerned;
    Finding finding = Finding::other_industry;
    std::optional<Reason> reader_reason;  // reader_judgement: the first reason the reader gave
    // Whether this finding weighs on the verdict: a violated or undecided prohibition,
    // restriction or strict control.
    bool decisive = false;
};

struct AccessAssessment {
    AccessOutcome outcome = AccessOutcome::none;
    // Every clause of every list that applies: the unit's own first, then the general
    // lists in id order; each in its text order.
    std::vector<ClauseFinding> findings;
    // The lists the findings come from, for results that outlive the book.
    std::vector<std::shared_ptr<const std::vector<ListedClause>>> lists;
    // The finding that decides the outcome: the first violated prohibition, else restriction,
    // else undecided decisive clause; none when the outcome is none or conforms.
    const ClauseFinding* deciding() const;
    std::size_t count(Conformity conformity) const;
};

// The unit a hit falls in, as the book needs it.
struct UnitRef {
    std::string code;     // ZH...; the list id of its own list
    std::string subzone;  // priority, key, general
    std::string name;
    // Its own access-list texts from its attributes: dimension id -> text.
    std::map<std::string, std::string> attribute_texts;
};

// The attributes a zone kind keeps a unit's own access list in (the schema's `access_list`
// group), each with the dimension id its label names; empty for kinds without lists.
using AccessListFields = std::vector<std::pair<std::string, std::string>>;  // field id, dimension id
AccessListFields access_list_fields(const KindSchema& kind);
// A unit as the book needs it, from a zone's fields and attributes.
UnitRef unit_ref(const AccessListFields& fields, const std::string& code, const std::string& subzone,
                 const std::string& name, const std::map<std::string, std::string>& attributes);

// How a scale given on the command line or in a footprint's attributes reads.
std::optional<Scale> parse_scale(std::string_view id);  // new, expansion, reconstruction

class AccessBook {
public:
    // Stored lists and reviews (Workspace::access_lists() and clause_reviews()); the
    // catalog reads the industries.
    AccessBook(std::vector<AccessListBlock> stored, std::vector<ClauseReview> reviews,
               std::shared_ptr<const IndustryCatalog> catalog);
    ~AccessBook();
    AccessBook(const AccessBook&) = delete;
    AccessBook& operator=(const AccessBook&) = delete;

    // Every list that applies to the unit, read into clauses (and cached): its own stored
    // list, else the one its attributes carry; then the general lists of its class and region.
    std::vector<std::shared_ptr<const std::vector<ListedClause>>> lists_for(const UnitRef& unit) const;
    // The clauses of a stored list (scope and id), read and reviewed; none when unknown.
    std::shared_ptr<const std::vector<ListedClause>> list(AccessListScope scope, const std::string& list_id) const;
    // Every stored list's scope and id, in order.
    std::vector<std::pair<AccessListScope, std::string>> stored_lists() const;

    // The unit's lists held against the facts.
    AccessAssessment assess(const UnitRef& unit, const ActivityFacts& facts) const;
    // One clause held against the facts.
    ClauseFinding assess(const ListedClause& clause, const ActivityFacts& facts) const;

    const IndustryCatalog& catalog() const;
    bool has_stored_lists() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reads a block into the clauses of a list, with their keys and digests, and applies the
// reviews given for that list (matched by dimension and digest).
std::vector<ListedClause> read_listed_clauses(const AccessListBlock& block, const IndustryCatalog& catalog,
                                              const std::vector<const ClauseReview*>& reviews);

}  // namespace redline::access
