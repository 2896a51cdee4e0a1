// Where each fact of an activity lives in ActivityFacts, shared by the fact vocabulary
// (reading facts) and the rules (testing them). Facts are named as in rule files.
#pragma once

#include "redline/model/rules.hpp"

#include <set>
#include <string>
#include <vector>

namespace redline::facts {

inline const std::set<std::string> boolean_facts = {"discharges", "listed_activity"};
inline const std::set<std::string> value_facts = {"activity",        "industry", "outfall_type",
                                                  "receiving_water", "scale",    "access_list"};
// Facts no input gives: derived by the screener.
inline const std::set<std::string> derived_facts = {"access_list"};

template <typename Facts>
auto value_slot(Facts& facts, const std::string& fact) -> decltype(&facts.activity) {
    if (fact == "activity")
        return &facts.activity;
    if (fact == "industry")
        return &facts.industry;
    if (fact == "outfall_type")
        return &facts.outfall_type;
    if (fact == "receiving_water")
        return &facts.receiving_water;
    if (fact == "scale")
        return &facts.scale;
    if (fact == "access_list")
        return &facts.access_list;
    return nullptr;
}

template <typename Facts>
auto flag_slot(Facts& facts, const std::string& fact) -> decltype(&facts.discharges) {
    if (fact == "discharges")
        return &facts.discharges;
    if (fact == "listed_activity")
        return &facts.listed_activity;
    return nullptr;
}

inline std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

}  // namespace redline::facts
