// Turns a source OGR geometry into a valid GEOS geometry in the storage CRS, repairing
// what GEOS make-valid can repair and saying so. Shared by zone import and footprint input.
#pragma once

#include "base/gdal_support.hpp"
#include "base/geos_support.hpp"
#include "redline/message.hpp"

#include <optional>
#include <string>
#include <utility>

namespace redline {

struct IntakeResult {
    geos::GeomPtr geometry;         // null when the feature cannot be used
    std::optional<Message> repair;  // what was repaired, when something was
    Message error;                  // why the feature cannot be used
    // What GEOS found wrong with the geometry as given, and where (lon/lat), when invalid.
    std::optional<std::string> invalid_reason;
    std::optional<std::pair<double, double>> invalid_at;
};

class GeometryIntake {
public:
    // vertex_budget: geometries with more vertices are refused (0: no limit).
    GeometryIntake(const geos::Context& ctx, const OGRSpatialReference& source_srs, std::size_t vertex_budget = 0);

    // wanted_dimension: 2 polygons, 1 lines, 0 points, -1 any.
    IntakeResult take(const OGRGeometry* source, int wanted_dimension) const;
    // Validates and repairs a geometry already in the storage CRS.
    IntakeResult make_valid(geos::GeomPtr geometry, int wanted_dimension) const;

private:
    const geos::Context& ctx_;
    gdal::TransformPtr transform_;
    std::size_t vertex_budget_ = 0;
};

// The vertices of a geometry, every part and ring counted.
std::size_t vertex_count(const OGRGeometry& geometry);

// What GEOS says is wrong with a geometry ("Self-intersection"), as a message.
Message invalidity(const std::string& geos_reason);

// "points", "lines", "polygons" as a message, for texts in either language.
Message dimension_name(int dimension);

}  // namespace redline
