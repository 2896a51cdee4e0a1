#include "redline/relation.hpp"

namespace redline {

const char* relation_name(Relation relation) {
    switch (relation) {
        case Relation::within:
            return "within";
        case Relation::overlaps:
            return "overlaps";
        case Relation::contains:
            return "contains";
        case Relation::touches:
            return "touches";
        case Relation::near:
            return "near";
    }
    return "unknown";
}

}  // namespace redline
