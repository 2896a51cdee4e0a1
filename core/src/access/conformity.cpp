#include "redline/access/conformity.hpp"

#include "redline/access/clause_structure.hpp"

#include "base/digest.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace redline::access {
namespace {

// Judgements that only narrow what a clause governs (a place, a condition, an exception
// that is a condition, 原则上, soft wording, a number not read): where the clause's
// structure without them does not reach the project, the clause cannot reach it either.
bool narrows_only(Reason reason) {
    switch (reason) {
        case Reason::condition:
        case Reason::exception_condition:
        case Reason::in_principle:
        case Reason::soft_wording:
        case Reason::threshold_unclear:
            return true;
        default:
            return false;
    }
}

bool weighs_on_verdict(const Clause& clause) {
    return (clause.action && (*clause.action == Action::prohibit || *clause.action == Action::restrict ||
                              *clause.action == Action::strictly_control)) ||
           clause.has(Reason::mixed_actions);
}

// The codes a project is known by: those given, else those of an old facts value (other
// names no industry).
std::vector<std::string> project_codes(const ActivityFacts& facts, const IndustryCatalog& catalog) {
    if (!facts.industry_codes.empty()) {
        return facts.industry_codes;
    }
    if (facts.industry && *facts.industry != "other") {
        if (const auto match = catalog.fact_value(*facts.industry)) {
            return match->codes;
        }
    }
    return {};
}

// How the industries of a clause reach a project with these codes: governed by any code
// governed; else needing judgement if any does; else not governed.
Reach reach_by_codes(const Clause& clause, const IndustryCatalog& catalog, const std::vector<std::string>& codes) {
    Reach reach = Reach::not_governed;
    for (const auto& code : codes) {
        const Reach r = industry_reach(clause, catalog, code);
        if (r == Reach::governed) {
            return r;
        }
        if (r == Reach::needs_judgement) {
            reach = r;
        }
    }
    return reach;
}

bool excepted(const Clause& clause, const IndustryCatalog& catalog, const std::vector<std::string>& codes) {
    for (const auto& exception : clause.exceptions) {
        for (const auto& item : exception.industries) {
            for (const auto& code : codes) {
                if (catalog.coverage(item.match, code) == IndustryCoverage::yes) {
                    return true;
                }
            }
        }
    }
    return false;
}

bool contains(const std::vector<std::string>& values, const std::optional<std::string>& value) {
    return value && std::find(values.begin(), values.end(), *value) != values.end();
}

// Unspecified blocks last: their headings may name any dimension.
int dimension_rank(const std::string& id) {
    const auto d = parse_dimension(id);
    return d ? static_cast<int>(*d) : 99;
}

ClauseFinding found(const ListedClause& clause, Conformity conformity, Finding finding, bool decisive = false) {
    return {&clause, conformity, finding, std::nullopt, decisive};
}

}  // namespace

const char* conformity_name(Conformity conformity) {
    switch (conformity) {
        case Conformity::conforms:
            return "conforms";
        case Conformity::violates:
            return "violates";
        case Conformity::not_concerned:
            return "not_concerned";
        case Conformity::needs_judgement:
            return "needs_judgement";
    }
    return "needs_judgement";
}

Message conformity_message(Conformity conformity) {
    return Message(std::string("access.conformity.") + conformity_name(conformity));
}

const char* finding_name(Finding finding) {
    switch (finding) {
        case Finding::prohibits_project:
            return "prohibits_project";
        case Finding::restricts_project:
            return "restricts_project";
        case Finding::other_industry:
            return "other_industry";
        case Finding::excepted_industry:
            return "excepted_industry";
        case Finding::other_outfalls:
            return "other_outfalls";
        case Finding::encouraged:
            return "encouraged";
        case Finding::other_scale:
            return "other_scale";
        case Finding::existing_only:
            return "existing_only";
        case Finding::outfalls_only:
            return "outfalls_only";
        case Finding::projects_only:
            return "projects_only";
        case Finding::reference:
            return "reference";
        case Finding::encouragement_elsewhere:
            return "encouragement_elsewhere";
        case Finding::requirement:
            return "requirement";
        case Finding::industry_not_given:
            return "industry_not_given";
        case Finding::scale_not_given:
            return "scale_not_given";
        case Finding::industry_uncertain:
            return "industry_uncertain";
        case Finding::threshold_needs_figure:
            return "threshold_needs_figure";
        case Finding::outfall_not_described:
            return "outfall_not_described";
        case Finding::reader_judgement:
            return "reader_judgement";
    }
    return "reader_judgement";
}

Message finding_message(Finding finding) {
    return Message(std::string("access.finding.") + finding_name(finding));
}

const char* access_outcome_name(AccessOutcome outcome) {
    switch (outcome) {
        case AccessOutcome::none:
            return "none";
        case AccessOutcome::conforms:
            return "conforms";
        case AccessOutcome::needs_judgement:
            return "needs_judgement";
        case AccessOutcome::restricted:
            return "restricted";
        case AccessOutcome::prohibited:
            return "prohibited";
    }
    return "none";
}

AccessListFields access_list_fields(const KindSchema& kind) {
    AccessListFields fields;
    for (const auto& field : kind.fields) {
        if (field.group == "access_list") {
            const auto dimension = parse_dimension(field.label_zh);
            fields.emplace_back(field.id, dimension ? dimension_name(*dimension) : "");
        }
    }
    return fields;
}

UnitRef unit_ref(const AccessListFields& fields, const std::string& code, const std::string& subzone,
                 const std::string& name, const std::map<std::string, std::string>& attributes) {
    UnitRef unit{code, subzone, name, {}};
    for (const auto& [field, dimension] : fields) {
        if (auto it = attributes.find(field); it != attributes.end() && !it->second.empty()) {
            std::string& text = unit.attribute_texts[dimension];
            text += (text.empty() ? "" : "\n") + it->second;
        }
    }
    return unit;
}

std::optional<Scale> parse_scale(std::string_view id) {
    for (Scale scale : {Scale::new_build, Scale::expansion, Scale::reconstruction}) {
        if (id == scale_name(scale)) {
            return scale;
        }
    }
    return std::nullopt;
}

const ClauseFinding* AccessAssessment::deciding() const {
    for (Finding wanted : {Finding::prohibits_project, Finding::restricts_project}) {
        for (const auto& f : findings) {
            if (f.decisive && f.finding == wanted) {
                return &f;
            }
        }
    }
    for (const auto& f : findings) {
        if (f.decisive && f.conformity == Conformity::needs_judgement) {
            return &f;
        }
    }
    return nullptr;
}

std::size_t AccessAssessment::count(Conformity conformity) const {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                  [&](const ClauseFinding& f) { return f.conformity == conformity; }));
}

std::vector<ListedClause> read_listed_clauses(const AccessListBlock& block, const IndustryCatalog& catalog,
                                              const std::vector<const ClauseReview*>& reviews) {
    std::vector<ListedClause> out;
    const Dimension dimension = parse_dimension(block.dimension).value_or(Dimension::unspecified);
    std::map<Dimension, int> numbered;
    for (Clause& clause : read_clauses(block.text, catalog, dimension)) {
        ListedClause listed;
        listed.scope = block.scope;
        listed.list_id = block.list_id;
        listed.list_title = block.title;
        const int n = ++numbered[clause.dimension];
        listed.key = block.list_id + '/' + dimension_name(clause.dimension) + '/' + std::to_string(n);
        Sha256 digest;
        digest.update(clause.text);
        listed.digest = digest.finish();
        for (const ClauseReview* review : reviews) {
            if (review->scope != block.scope || review->list_id != block.list_id ||
                review->dimension != dimension_name(clause.dimension) || review->clause_digest != listed.digest) {
                continue;
            }
            if (review->state == ClauseReviewState::corrected) {
                try {
                    apply_structure(clause, review->structure_json, catalog);
                } catch (const UsageError&) {
                    // A correction the catalog no longer reads (a name since removed): the
                    // clause goes back to a person rather than to the reader's structure.
                    clause.judgements.push_back({Reason::unknown_industry, Span{0, clause.text.size()}});
                }
            }
            listed.review = review->state;
            listed.reviewer = review->author;
            listed.review_version = review->version;
        }
        listed.clause = std::move(clause);
        out.push_back(std::move(listed));
    }
    return out;
}

struct AccessBook::Impl {
    std::shared_ptr<const IndustryCatalog> catalog;
    std::map<std::pair<AccessListScope, std::string>, std::vector<AccessListBlock>> stored;
    std::vector<ClauseReview> reviews;
    std::map<std::pair<AccessListScope, std::string>, std::vector<const ClauseReview*>> reviews_by_list;
    // The general lists: id, classes and region (of their first block; the store keeps them equal).
    struct General {
        std::string id;
        std::vector<std::string> classes;
        std::string region;
    };
    std::vector<General> general;

    mutable std::mutex mutex;
    mutable std::map<std::string, std::shared_ptr<const std::vector<ListedClause>>> read;  // by cache key

    std::shared_ptr<const std::vector<ListedClause>> read_blocks(const std::string& cache_key,
                                                                 const std::vector<AccessListBlock>& blocks,
                                                                 AccessListScope scope, const std::string& id) const {
        {
            const std::lock_guard lock(mutex);
            if (auto it = read.find(cache_key); it != read.end()) {
                return it->second;
            }
        }
        static const std::vector<const ClauseReview*> none;
        const auto found = reviews_by_list.find({scope, id});
        const auto& list_reviews = found == reviews_by_list.end() ? none : found->second;
        // The four dimensions in the order the lists print them; blocks of one dimension as given.
        std::vector<const AccessListBlock*> ordered;
        for (const auto& block : blocks) {
            ordered.push_back(&block);
        }
        std::stable_sort(ordered.begin(), ordered.end(), [](const AccessListBlock* a, const AccessListBlock* b) {
            return dimension_rank(a->dimension) < dimension_rank(b->dimension);
        });
        auto clauses = std::make_shared<std::vector<ListedClause>>();
        for (const AccessListBlock* block_ptr : ordered) {
            const AccessListBlock& block = *block_ptr;
            for (auto& c : read_listed_clauses(block, *catalog, list_reviews)) {
                c.from_attributes = cache_key.starts_with("attributes:");
                clauses->push_back(std::move(c));
            }
        }
        const std::lock_guard lock(mutex);
        return read.try_emplace(cache_key, std::move(clauses)).first->second;
    }
};

AccessBook::AccessBook(std::vector<AccessListBlock> stored, std::vector<ClauseReview> reviews,
                       std::shared_ptr<const IndustryCatalog> catalog)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.catalog = std::move(catalog);
    for (auto& block : stored) {
        const auto key = std::make_pair(block.scope, block.list_id);
        if (block.scope == AccessListScope::general && !m.stored.contains(key)) {
            m.general.push_back({block.list_id, block.unit_classes, block.region});
        }
        m.stored[key].push_back(std::move(block));
    }
    std::sort(m.general.begin(), m.general.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    m.reviews = std::move(reviews);
    for (const auto& review : m.reviews) {
        m.reviews_by_list[{review.scope, review.list_id}].push_back(&review);
    }
}

AccessBook::~AccessBook() = default;

const IndustryCatalog& AccessBook::catalog() const {
    return *impl_->catalog;
}

bool AccessBook::has_stored_lists() const {
    return !impl_->stored.empty();
}

std::vector<std::pair<AccessListScope, std::string>> AccessBook::stored_lists() const {
    std::vector<std::pair<AccessListScope, std::string>> out;
    for (const auto& [key, _] : impl_->stored) {
        out.push_back(key);
    }
    return out;
}

std::shared_ptr<const std::vector<ListedClause>> AccessBook::list(AccessListScope scope,
                                                                  const std::string& list_id) const {
    const Impl& m = *impl_;
    const auto it = m.stored.find({scope, list_id});
    if (it == m.stored.end()) {
        return nullptr;
    }
    return m.read_blocks(std::string(access_list_scope_name(scope)) + ':' + list_id, it->second, scope, list_id);
}

std::vector<std::shared_ptr<const std::vector<ListedClause>>> AccessBook::lists_for(const UnitRef& unit) const {
    const Impl& m = *impl_;
    std::vector<std::shared_ptr<const std::vector<ListedClause>>> lists;
    if (auto own = list(AccessListScope::unit, unit.code)) {
        lists.push_back(std::move(own));
    } else if (!unit.attribute_texts.empty()) {
        std::vector<AccessListBlock> blocks;
        for (const auto& [dimension, text] : unit.attribute_texts) {
            AccessListBlock block;
            block.list_id = unit.code;
            block.title = unit.name;
            block.dimension = dimension;
            block.text = text;
            blocks.push_back(std::move(block));
        }
        lists.push_back(m.read_blocks("attributes:" + unit.code, blocks, AccessListScope::unit, unit.code));
    }
    // The region code of a unit: the six digits after ZH.
    const std::string region = unit.code.size() >= 8 ? unit.code.substr(2, 6) : std::string();
    for (const auto& general : m.general) {
        const bool of_class = general.classes.empty() || std::find(general.classes.begin(), general.classes.end(),
                                                                   unit.subzone) != general.classes.end();
        const bool of_region = general.region.empty() || region.starts_with(general.region);
        if (of_class && of_region) {
            lists.push_back(list(AccessListScope::general, general.id));
        }
    }
    return lists;
}

namespace {

// One clause against the facts; `codes` are the project's industry codes (project_codes()),
// worked out once per assessment rather than once per clause.
ClauseFinding assess_clause(const ListedClause& listed, const ActivityFacts& facts,
                            const std::vector<std::string>& codes, const IndustryCatalog& catalog) {
    const Clause& c = listed.clause;
    const bool decisive = weighs_on_verdict(c);

    if (c.action == Action::refer || (c.has(Reason::reference) && c.judgements.size() == 1)) {
        return found(listed, Conformity::not_concerned, Finding::reference);
    }
    // A clause on outfalls does not concern a project, nor one on projects an outfall, however
    // else it reads: the reader knows the words for outfalls.
    const bool outfall_screened = facts.activity && facts.activity->starts_with("outfall-");
    if (c.target == Target::outfalls && !outfall_screened) {
        return found(listed, Conformity::not_concerned, Finding::outfalls_only);
    }
    if (c.target == Target::projects && outfall_screened) {
        return found(listed, Conformity::not_concerned, Finding::projects_only);
    }
    // A category without fixed membership (重污染) cannot reach a project outside its bounds:
    // then it only narrows the clause, like a condition.
    const bool outside_categories = !codes.empty() && [&] {
        std::vector<const IndustryRef*> categories;
        for (const auto& ref : c.industries) {
            categories.push_back(&ref);
        }
        if (c.category) {
            categories.push_back(&*c.category);
        }
        return std::all_of(categories.begin(), categories.end(), [&](const IndustryRef* ref) {
            return !ref->match.judgement || std::all_of(codes.begin(), codes.end(), [&](const std::string& code) {
                return catalog.coverage(ref->match, code) == IndustryCoverage::no;
            });
        });
    }();
    const auto hard = std::find_if(c.judgements.begin(), c.judgements.end(), [&](const Judgement& j) {
        return !narrows_only(j.reason) && !(j.reason == Reason::undefined_category && outside_categories);
    });
    if (!c.action || hard != c.judgements.end()) {
        ClauseFinding f = found(listed, Conformity::needs_judgement, Finding::reader_judgement, decisive);
        f.reader_reason = hard != c.judgements.end() ? hard->reason : Reason::no_action;
        return f;
    }
    // Only narrowing judgements are left: reach is asked of the structure without them.
    const Clause* structure = &c;
    Clause widened;
    if (!c.judgements.empty()) {
        widened = c;
        widened.judgements.clear();
        structure = &widened;
    }

    std::optional<Scale> scale;
    bool outfall_undescribed = false;
    if (c.target == Target::outfalls) {
        for (const auto& [values, fact] :
             {std::pair{&c.outfall_waters, &facts.receiving_water}, std::pair{&c.outfall_types, &facts.outfall_type}}) {
            if (values->empty()) {
                continue;
            }
            if (!fact->has_value()) {
                outfall_undescribed = true;
            } else if (!contains(*values, *fact)) {
                return found(listed, Conformity::conforms, Finding::other_outfalls);
            }
        }
        scale = *facts.activity == "outfall-existing" ? Scale::existing : Scale::new_build;
    } else {
        if (!c.scales.empty() &&
            std::all_of(c.scales.begin(), c.scales.end(), [](Scale s) { return s == Scale::existing; })) {
            return found(listed, Conformity::not_concerned, Finding::existing_only);
        }
        if (facts.scale) {
            scale = parse_scale(*facts.scale);
        }
    }

    // Industries first: a clause on other industries is met whatever the scale.
    Reach by_industry = Reach::governed;
    bool industry_given = true;
    if (!structure->all_industries && (!structure->industries.empty() || structure->category)) {
        if (codes.empty()) {
            industry_given = false;
            by_industry = Reach::needs_judgement;
        } else {
            by_industry = reach_by_codes(*structure, catalog, codes);
            if (by_industry == Reach::not_governed) {
                const Action action = *c.action;
                if (action == Action::encourage) {
                    return found(listed, Conformity::not_concerned, Finding::encouragement_elsewhere);
                }
                if (action == Action::require) {
                    return found(listed, Conformity::not_concerned, Finding::other_industry);
                }
                return found(
                    listed, Conformity::conforms,
                    excepted(*structure, catalog, codes) ? Finding::excepted_industry : Finding::other_industry);
            }
        }
    } else if (structure->all_industries && !structure->exceptions.empty()) {
        if (codes.empty()) {
            industry_given = false;
            by_industry = Reach::needs_judgement;
        } else {
            by_industry = reach_by_codes(*structure, catalog, codes);
            if (by_industry == Reach::not_governed) {
                return found(listed, Conformity::conforms, Finding::excepted_industry);
            }
        }
    }
    const Reach by_scale = !scale ? (structure->scales.empty() ? Reach::governed : Reach::needs_judgement)
                                  : scale_reach(*structure, *scale);
    if (by_scale == Reach::not_governed) {
        return found(listed, Conformity::not_concerned, Finding::other_scale);
    }
    if (!c.judgements.empty()) {
        ClauseFinding f = found(listed, Conformity::needs_judgement, Finding::reader_judgement, decisive);
        f.reader_reason = c.judgements.front().reason;
        return f;
    }
    if (by_industry == Reach::needs_judgement) {
        return found(listed, Conformity::needs_judgement,
                     industry_given ? Finding::industry_uncertain : Finding::industry_not_given, decisive);
    }
    if (by_scale == Reach::needs_judgement) {
        return found(listed, Conformity::needs_judgement, Finding::scale_not_given, decisive);
    }
    if (outfall_undescribed) {
        return found(listed, Conformity::needs_judgement, Finding::outfall_not_described, decisive);
    }
    if (std::any_of(c.thresholds.begin(), c.thresholds.end(),
                    [](const Threshold& t) { return t.role == ThresholdRole::scope; })) {
        return found(listed, Conformity::needs_judgement, Finding::threshold_needs_figure, decisive);
    }
    switch (*c.action) {
        case Action::prohibit:
            return found(listed, Conformity::violates, Finding::prohibits_project, true);
        case Action::restrict:
        case Action::strictly_control:
            return found(listed, Conformity::needs_judgement, Finding::restricts_project, true);
        case Action::encourage:
            return found(listed, Conformity::conforms, Finding::encouraged);
        case Action::require:
        case Action::refer:
            break;
    }
    return found(listed, Conformity::needs_judgement, Finding::requirement);
}

}  // namespace

ClauseFinding AccessBook::assess(const ListedClause& listed, const ActivityFacts& facts) const {
    return assess_clause(listed, facts, project_codes(facts, *impl_->catalog), *impl_->catalog);
}

AccessAssessment AccessBook::assess(const UnitRef& unit, const ActivityFacts& facts) const {
    const auto codes = project_codes(facts, *impl_->catalog);
    AccessAssessment out;
    out.lists = lists_for(unit);
    const bool general_applies = std::any_of(out.lists.begin(), out.lists.end(), [](const auto& list) {
        return !list->empty() && list->front().scope == AccessListScope::general;
    });
    for (const auto& list : out.lists) {
        for (const ListedClause& clause : *list) {
            ClauseFinding f = assess_clause(clause, facts, codes, *impl_->catalog);
            if (f.finding == Finding::reference && !general_applies) {
                // It points to requirements this workspace does not hold: a person reads them.
                f.conformity = Conformity::needs_judgement;
                f.finding = Finding::reader_judgement;
                f.reader_reason = Reason::reference;
                f.decisive = true;
            }
            out.findings.push_back(f);
        }
    }
    if (out.findings.empty()) {
        return out;
    }
    out.outcome = AccessOutcome::conforms;
    for (const auto& f : out.findings) {
        AccessOutcome o = AccessOutcome::conforms;
        if (f.decisive && f.conformity == Conformity::violates) {
            o = AccessOutcome::prohibited;
        } else if (f.decisive && f.finding == Finding::restricts_project) {
            o = AccessOutcome::restricted;
        } else if (f.decisive && f.conformity == Conformity::needs_judgement) {
            o = AccessOutcome::needs_judgement;
        }
        out.outcome = std::max(out.outcome, o);
    }
    return out;
}

}  // namespace redline::access
