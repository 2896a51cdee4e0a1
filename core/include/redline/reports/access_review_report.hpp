// The review sheet of access lists, for mapping staff: each clause's verbatim text beside
// the structure it is used with (as read, confirmed or corrected), as a table, as JSON (the
// form a decisions file is edited from) and as an HTML or PDF document.
#pragma once

#include "redline/access/review.hpp"
#include "redline/language.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>

namespace redline {

// What a clause governs, in words: 禁止｜新建、扩建｜C26 化学原料和化学制品制造业 …｜除 C2710 …
std::string clause_structure_text(const access::Clause& clause, const IndustryCatalog& catalog, Language language);

void write_review_table(std::ostream& out, const access::ReviewSheet& sheet, const IndustryCatalog& catalog,
                        Language language);
void write_review_json(std::ostream& out, const access::ReviewSheet& sheet, const IndustryCatalog& catalog,
                       Language language);
// HTML or PDF by the extension; `workspace` and `version` name what was reviewed.
void write_review_document(const std::filesystem::path& path, const access::ReviewSheet& sheet,
                           const IndustryCatalog& catalog, const std::string& workspace, const std::string& version,
                           Language language);

}  // namespace redline
