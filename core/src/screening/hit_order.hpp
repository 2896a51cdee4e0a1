// The order hits are listed in, shared by footprints and register rows so that both list
// a point's zones alike: geometric first (within, contains, overlaps, touches, then near by
// distance, then kind and zone id), then, once decided, the most severe first with the
// protected zones before the classifying kinds at equal verdicts.
#pragma once

#include "redline/relation.hpp"

#include <optional>
#include <string>
#include <tuple>

namespace redline {

inline int relation_order(Relation r) {
    switch (r) {
        case Relation::within:
            return 0;
        case Relation::contains:
            return 1;
        case Relation::overlaps:
            return 2;
        case Relation::touches:
            return 3;
        case Relation::near:
            return 4;
    }
    return 5;
}

inline bool geometric_less(Relation ra, double da, const std::string& kind_a, const std::string& id_a, Relation rb,
                           double db, const std::string& kind_b, const std::string& id_b) {
    return std::forward_as_tuple(relation_order(ra), da, kind_a, id_a) <
           std::forward_as_tuple(relation_order(rb), db, kind_b, id_b);
}

}  // namespace redline
