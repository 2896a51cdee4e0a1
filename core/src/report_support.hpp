// Labels and lists shared by the report writers (table, JSON, HTML/PDF report).
#pragma once

#include "redline/report.hpp"

#include <string>
#include <vector>

namespace redline {

const char* relation_label(Relation relation, Language language);  // 位于其内, ... or within, ...
std::string kind_label(const SchemaSet& schemas, const std::string& kind, Language language);
std::string subzone_label(const SchemaSet& schemas, const std::string& kind, const std::string& subzone,
                          Language language);
// The text in the language, falling back to Chinese where no English is given.
const std::string& pick(Language language, const std::string& zh, const std::string& en);

struct AccessItem {
    std::string dimension, label, text;
};
// A 三线一单 unit's access list: the zone attributes the kind's schema groups as such.
std::vector<AccessItem> access_list(const SchemaSet& schemas, const Hit& hit, Language language);

// An assumption in the report's language: 未说明“是否排污”，按“是”处理.
std::string describe(const Assumption& assumption, const FactVocabulary& vocabulary, Language language);

}  // namespace redline
