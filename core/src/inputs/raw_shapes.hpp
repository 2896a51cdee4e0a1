// Footprints from bare coordinates (TXT parcels, table rows): decide the CRS once for the
// whole input, then build, transform, validate and place every shape.
#pragma once

#include "inputs/raw_crs.hpp"

#include <ogr_geometry.h>
#include "redline/inputs/footprints.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace redline {

struct RawShape {
    std::string id;
    std::string name;
    Message where;  // line_ref(12), a row: for messages
    std::map<std::string, std::string> attributes;
    int dimension = 2;                                          // 2 polygon (rings), 1 line, 0 points
    std::vector<std::vector<std::pair<double, double>>> rings;  // (first, second) as written
};

// Adds the shapes to `out` as footprints, with the CRS decision's detections and warnings;
// shapes that cannot be used (or have more than vertex_budget vertices, 0: no limit)
// become error problems naming where they came from.
void place_raw_shapes(const std::vector<RawShape>& shapes, const RawCrsHints& hints, const std::string& source,
                      std::size_t vertex_budget, FootprintSet& out);

// Applies a decision's axis order and web-map conversion to a geometry read by OGR.
std::unique_ptr<OGRGeometry> adjust_coordinates(const OGRGeometry& geometry, const RawCrsDecision& decision);

// Footprints that fall outside China are errors: a wrong CRS, zone or axis order.
void refuse_outside_china(FootprintSet& set);

}  // namespace redline
