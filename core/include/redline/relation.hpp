// How a footprint relates to a zone: the geometric fact rules key on.
#pragma once

namespace redline {

enum class Relation { within, overlaps, contains, touches, near };
const char* relation_name(Relation relation);  // within, overlaps, ...

}  // namespace redline
