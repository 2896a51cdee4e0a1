#include "redline/editing/geometry_edits.hpp"

#include "base/gdal_support.hpp"
#include "base/geodesy.hpp"
#include "base/geometry_intake.hpp"
#include "base/geos_support.hpp"
#include "base/text.hpp"
#include "redline/errors.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace redline {
namespace {

const geos::Context& context() {
    thread_local geos::Context instance;
    return instance;
}

// ---------------------------------------------------------------------------------------
// GEOS answers, checked.

[[noreturn]] void geos_failed(const geos::Context& ctx, const char* operation) {
    const std::string detail = ctx.last_error().empty() ? std::string("?") : ctx.last_error();
    throw DataError(Message("geometry_edit.geos_failed", {{"operation", operation}, {"detail", detail}}));
}

// Takes over a GEOS result; a null one (GEOS failed) is a DataError naming the operation.
geos::GeomPtr result_of(const geos::Context& ctx, GEOSGeometry* geometry, const char* operation) {
    if (geometry == nullptr) {
        geos_failed(ctx, operation);
    }
    return geos::GeomPtr(geometry, geos::GeometryDeleter{ctx.handle()});
}

geos::GeomPtr copy(const geos::Context& ctx, const GEOSGeometry* geometry) {
    return result_of(ctx, GEOSGeom_clone_r(ctx.handle(), geometry), "clone");
}

// Predicates answer 1 or 0, and 2 when GEOS failed.
bool answer(const geos::Context& ctx, char result, const char* operation) {
    if (result != 0 && result != 1) {
        geos_failed(ctx, operation);
    }
    return result == 1;
}

bool is_empty(const geos::Context& ctx, const GEOSGeometry* geometry) {
    return answer(ctx, GEOSisEmpty_r(ctx.handle(), geometry), "isEmpty");
}

double planar_length(const geos::Context& ctx, const GEOSGeometry* geometry) {
    double length = 0;
    if (GEOSLength_r(ctx.handle(), geometry, &length) == 0) {
        geos_failed(ctx, "length");
    }
    return length;
}

std::pair<double, double> point_xy(const geos::Context& ctx, const GEOSGeometry* point) {
    double x = 0, y = 0;
    if (GEOSGeomGetX_r(ctx.handle(), point, &x) == 0 || GEOSGeomGetY_r(ctx.handle(), point, &y) == 0) {
        geos_failed(ctx, "point coordinates");
    }
    return {x, y};
}

// 0 points, 1 lines, 2 polygons, for a part that is not a collection.
int part_dimension(const geos::Context& ctx, const GEOSGeometry* part) {
    switch (GEOSGeomTypeId_r(ctx.handle(), part)) {
        case GEOS_POINT:
            return 0;
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
            return 1;
        case GEOS_POLYGON:
            return 2;
        default:
            geos_failed(ctx, "geometry type");
    }
}

// Runs a tool, turning failures of the shared GEOS helpers (std::runtime_error with GEOS's
// words) into a DataError that names the tool.
template <typename Fn>
auto guarded(const char* tool, Fn&& fn) {
    try {
        return fn();
    } catch (const Failure&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw DataError(Message("geometry_edit.geos_failed", {{"operation", tool}, {"detail", e.what()}}));
    }
}

// ---------------------------------------------------------------------------------------
// Inputs.

Message the_geometry() {
    return Message("geometry_edit.role.geometry");
}
Message the_line() {
    return Message("geometry_edit.role.line");
}
Message item(std::size_t index) {
    return Message("geometry_edit.role.item", {{"n", index + 1}});
}
Message neighbour(std::size_t index) {
    return Message("geometry_edit.role.neighbour", {{"n", index + 1}});
}

geos::GeomPtr read(const geos::Context& ctx, const Geometry& geometry, const Message& what) {
    if (geometry.empty()) {
        throw DataError(Message("geometry_edit.empty_input", {{"what", what}}));
    }
    try {
        return geos::from_wkb(ctx, geometry);
    } catch (const std::runtime_error&) {
        throw DataError(Message("geometry_edit.bad_wkb", {{"what", what}, {"detail", ctx.last_error()}}));
    }
}

Geometry written(const geos::Context& ctx, const GEOSGeometry* geometry) {
    return is_empty(ctx, geometry) ? Geometry{} : geos::to_wkb(ctx, geometry);
}

// The highest dimension of the geometry's non-empty parts; -1 when it has none.
int dimension_of(const geos::Context& ctx, const GEOSGeometry* geometry) {
    int highest = -1;
    geos::for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        if (!is_empty(ctx, part)) {
            highest = std::max(highest, part_dimension(ctx, part));
        }
    });
    return highest;
}

// The non-empty parts, which must all be of the wanted dimension (2 or 1).
std::vector<const GEOSGeometry*> parts_of(const geos::Context& ctx, const GEOSGeometry* geometry, int wanted,
                                          const Message& what) {
    std::vector<const GEOSGeometry*> parts;
    int other = -1;
    geos::for_each_part(ctx, geometry, [&](const GEOSGeometry* part) {
        if (is_empty(ctx, part)) {
            return;
        }
        if (const int d = part_dimension(ctx, part); d == wanted) {
            parts.push_back(part);
        } else {
            other = d;
        }
    });
    if (other >= 0) {
        throw DataError(Message(wanted == 2 ? "geometry_edit.not_polygonal" : "geometry_edit.not_linear",
                                {{"what", what}, {"holds", dimension_name(other)}}));
    }
    if (parts.empty()) {
        throw DataError(Message("geometry_edit.empty_input", {{"what", what}}));
    }
    return parts;
}

// What GEOS finds wrong, as an edit session reports it (GeometryIntake, invalidity()).
std::optional<GeometryProblem> problem_of(const geos::Context& ctx, const GEOSGeometry* geometry) {
    if (answer(ctx, GEOSisValid_r(ctx.handle(), geometry), "isValid")) {
        return std::nullopt;
    }
    const GeometryIntake intake(ctx, gdal::storage_srs());
    const IntakeResult taken = intake.make_valid(copy(ctx, geometry), -1);
    if (!taken.invalid_reason) {
        return std::nullopt;
    }
    const auto at = taken.invalid_at.value_or(std::pair{0.0, 0.0});
    return GeometryProblem{invalidity(*taken.invalid_reason), at.first, at.second};
}

void require_valid(const geos::Context& ctx, const GEOSGeometry* geometry, const Message& what) {
    if (const auto problem = problem_of(ctx, geometry)) {
        throw DataError(Message("geometry_edit.invalid_input", {{"what", what},
                                                                {"why", problem->reason},
                                                                {"lon", text::fixed(problem->lon, 6)},
                                                                {"lat", text::fixed(problem->lat, 6)}}));
    }
}

// A single geometry of the parts, or a multi-geometry (collection) of them; takes them over.
geos::GeomPtr collect(const geos::Context& ctx, std::vector<geos::GeomPtr> parts, int type) {
    if (parts.size() == 1 && type != GEOS_GEOMETRYCOLLECTION) {
        return std::move(parts.front());
    }
    if (parts.empty()) {
        return result_of(ctx, GEOSGeom_createEmptyCollection_r(ctx.handle(), type), "empty collection");
    }
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (auto& part : parts) {
        raw.push_back(part.release());  // the collection owns them from here, made or not
    }
    return result_of(ctx,
                     GEOSGeom_createCollection_r(ctx.handle(), type, raw.data(), static_cast<unsigned>(raw.size())),
                     "collection");
}

// A point strictly inside a polygon (GEOS point on surface).
geos::GeomPtr interior_point(const geos::Context& ctx, const GEOSGeometry* polygon) {
    return result_of(ctx, GEOSPointOnSurface_r(ctx.handle(), polygon), "point on surface");
}

// Which of some polygons holds a point (each prepared once); -1 for none.
class Locator {
public:
    Locator(const geos::Context& ctx, const std::vector<const GEOSGeometry*>& polygons) : ctx_(ctx) {
        for (const GEOSGeometry* p : polygons) {
            prepared_.push_back(geos::prepare(ctx, p));
        }
    }
    int find(const GEOSGeometry* point) const {
        for (std::size_t i = 0; i < prepared_.size(); ++i) {
            if (answer(ctx_, GEOSPreparedIntersects_r(ctx_.handle(), prepared_[i].get(), point), "intersects")) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

private:
    const geos::Context& ctx_;
    std::vector<geos::PreparedPtr> prepared_;
};

// The faces the boundary of a polygonal geometry makes with a line noded into it (or alone),
// and the line's ends that bound no face.
struct Arrangement {
    geos::GeomPtr faces;    // a collection of polygons
    geos::GeomPtr dangles;  // may be null
    std::vector<const GEOSGeometry*> list;
};

Arrangement arrange(const geos::Context& ctx, const GEOSGeometry* polygonal, const GEOSGeometry* line) {
    const auto h = ctx.handle();
    const auto boundary = result_of(ctx, GEOSBoundary_r(h, polygonal), "boundary");
    const auto noded = line != nullptr ? result_of(ctx, GEOSUnion_r(h, boundary.get(), line), "union")
                                       : result_of(ctx, GEOSUnaryUnion_r(h, boundary.get()), "union");
    GEOSGeometry* cuts = nullptr;
    GEOSGeometry* dangles = nullptr;
    GEOSGeometry* invalid = nullptr;
    GEOSGeometry* faces = GEOSPolygonize_full_r(h, noded.get(), &cuts, &dangles, &invalid);
    const geos::GeomPtr cuts_owned(cuts, geos::GeometryDeleter{h});
    const geos::GeomPtr invalid_owned(invalid, geos::GeometryDeleter{h});
    Arrangement out;
    out.dangles = geos::GeomPtr(dangles, geos::GeometryDeleter{h});
    out.faces = result_of(ctx, faces, "polygonize");
    const int n = GEOSGetNumGeometries_r(h, out.faces.get());
    if (n < 0) {
        geos_failed(ctx, "polygonize");
    }
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* face = GEOSGetGeometryN_r(h, out.faces.get(), i);
        if (face == nullptr) {
            geos_failed(ctx, "polygonize");
        }
        if (!is_empty(ctx, face)) {
            out.list.push_back(face);
        }
    }
    return out;
}

struct Piece {
    geos::GeomPtr geometry;
    double size = 0;
};

// The largest piece with the untouched parts first, then the other pieces, largest first.
std::vector<Geometry> assemble(const geos::Context& ctx, std::vector<Piece> pieces,
                               std::vector<geos::GeomPtr> untouched, int multi_type) {
    std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.size > b.size; });
    std::vector<Geometry> out;
    untouched.push_back(std::move(pieces.front().geometry));
    out.push_back(written(ctx, collect(ctx, std::move(untouched), multi_type).get()));
    for (std::size_t i = 1; i < pieces.size(); ++i) {
        out.push_back(written(ctx, pieces[i].geometry.get()));
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Split.

std::vector<Geometry> split_polygons(const geos::Context& ctx, const GEOSGeometry* geometry, const GEOSGeometry* line) {
    const auto parts = parts_of(ctx, geometry, 2, the_geometry());
    require_valid(ctx, geometry, the_geometry());
    const Arrangement arrangement = arrange(ctx, geometry, line);
    const Locator in_part(ctx, parts);
    std::vector<std::vector<const GEOSGeometry*>> faces(parts.size());
    for (const GEOSGeometry* face : arrangement.list) {
        if (const int i = in_part.find(interior_point(ctx, face).get()); i >= 0) {
            faces[static_cast<std::size_t>(i)].push_back(face);
        }
    }
    std::vector<Piece> pieces;
    std::vector<geos::GeomPtr> untouched;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (faces[i].size() < 2) {
            untouched.push_back(copy(ctx, parts[i]));
            continue;
        }
        for (const GEOSGeometry* face : faces[i]) {
            pieces.push_back({copy(ctx, face), geodesy::area_m2(ctx, face)});
        }
    }
    if (pieces.empty()) {
        throw DataError(Message("geometry_edit.split_no_cut"));
    }
    return assemble(ctx, std::move(pieces), std::move(untouched), GEOS_MULTIPOLYGON);
}

std::vector<Geometry> split_lines(const geos::Context& ctx, const GEOSGeometry* geometry, const GEOSGeometry* line) {
    const auto parts = parts_of(ctx, geometry, 1, the_geometry());
    std::vector<Piece> pieces;
    std::vector<geos::GeomPtr> untouched;
    for (const GEOSGeometry* part : parts) {
        // The overlay nodes the part where the line crosses it and leaves its edges apart.
        const auto rest = result_of(ctx, GEOSDifference_r(ctx.handle(), part, line), "difference");
        std::vector<const GEOSGeometry*> bits;
        geos::for_each_part(ctx, rest.get(), [&](const GEOSGeometry* bit) {
            if (!is_empty(ctx, bit) && part_dimension(ctx, bit) == 1) {
                bits.push_back(bit);
            }
        });
        if (bits.size() < 2) {
            untouched.push_back(copy(ctx, part));
            continue;
        }
        for (const GEOSGeometry* bit : bits) {
            pieces.push_back({copy(ctx, bit), geodesy::length_m(ctx, bit)});
        }
    }
    if (pieces.empty()) {
        throw DataError(Message("geometry_edit.split_line_no_cut"));
    }
    return assemble(ctx, std::move(pieces), std::move(untouched), GEOS_MULTILINESTRING);
}

// ---------------------------------------------------------------------------------------
// Reshape.

// Whether the line, its dangling ends left out, runs inside the geometry for at least half
// its length.
bool mostly_inside(const geos::Context& ctx, const GEOSGeometry* polygonal, const GEOSGeometry* line,
                   const GEOSGeometry* dangles) {
    const auto h = ctx.handle();
    const auto effective = dangles != nullptr && !is_empty(ctx, dangles)
                               ? result_of(ctx, GEOSDifference_r(h, line, dangles), "difference")
                               : copy(ctx, line);
    const auto inside = result_of(ctx, GEOSIntersection_r(h, effective.get(), polygonal), "intersection");
    const double in = planar_length(ctx, inside.get());
    return in >= planar_length(ctx, effective.get()) - in;
}

const GEOSGeometry* largest(const geos::Context& ctx, const std::vector<const GEOSGeometry*>& faces) {
    const GEOSGeometry* best = nullptr;
    double best_area = -1;
    for (const GEOSGeometry* face : faces) {
        if (const double a = geodesy::area_m2(ctx, face); a > best_area) {
            best = face;
            best_area = a;
        }
    }
    return best;
}

Geometry reshape_polygons(const geos::Context& ctx, const GEOSGeometry* geometry, const GEOSGeometry* line) {
    const auto parts = parts_of(ctx, geometry, 2, the_geometry());
    require_valid(ctx, geometry, the_geometry());
    const Locator in_part(ctx, parts);

    // The bounded regions outside the geometry: its holes, and gaps its parts enclose.
    const Arrangement own_faces = arrange(ctx, geometry, nullptr);
    std::vector<const GEOSGeometry*> regions;
    for (const GEOSGeometry* face : own_faces.list) {
        if (in_part.find(interior_point(ctx, face).get()) < 0) {
            regions.push_back(face);
        }
    }
    const Locator in_region(ctx, regions);

    const Arrangement arrangement = arrange(ctx, geometry, line);
    std::vector<std::vector<const GEOSGeometry*>> inside(parts.size()), enclosed(regions.size());
    std::vector<const GEOSGeometry*> outside;  // faces between the line and the outer boundary
    for (const GEOSGeometry* face : arrangement.list) {
        const auto point = interior_point(ctx, face);
        if (const int i = in_part.find(point.get()); i >= 0) {
            inside[static_cast<std::size_t>(i)].push_back(face);
        } else if (const int r = in_region.find(point.get()); r >= 0) {
            enclosed[static_cast<std::size_t>(r)].push_back(face);
        } else {
            outside.push_back(face);
        }
    }
    const auto split = [](const auto& faces) { return faces.size() >= 2; };
    const bool cuts = std::any_of(inside.begin(), inside.end(), split);
    const bool adds = !outside.empty() || std::any_of(enclosed.begin(), enclosed.end(), split);
    if (!cuts && !adds) {
        throw DataError(Message("geometry_edit.reshape_no_cut"));
    }

    if (cuts && (!adds || mostly_inside(ctx, geometry, line, arrangement.dangles.get()))) {
        std::vector<geos::GeomPtr> kept;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            kept.push_back(copy(ctx, split(inside[i]) ? largest(ctx, inside[i]) : parts[i]));
        }
        return written(ctx, collect(ctx, std::move(kept), GEOS_MULTIPOLYGON).get());
    }
    std::vector<const GEOSGeometry*> grown{geometry};
    grown.insert(grown.end(), outside.begin(), outside.end());
    for (const auto& faces : enclosed) {
        if (split(faces)) {
            const GEOSGeometry* open = largest(ctx, faces);
            std::copy_if(faces.begin(), faces.end(), std::back_inserter(grown),
                         [&](const GEOSGeometry* f) { return f != open; });
        }
    }
    const auto merged = geos::union_all(ctx, grown);
    return written(ctx, geos::valid_copy(ctx, geos::keep_dimension(ctx, merged.get(), 2).get()).get());
}

// A line's part between the points nearest to the reshape line's ends replaced by it.
Geometry reshape_lines(const geos::Context& ctx, const GEOSGeometry* geometry, const GEOSGeometry* line) {
    const auto h = ctx.handle();
    const auto parts = parts_of(ctx, geometry, 1, the_geometry());
    const auto drawn_parts = parts_of(ctx, line, 1, the_line());
    if (drawn_parts.size() != 1) {
        throw DataError(Message("geometry_edit.reshape_one_line"));
    }
    std::size_t nearest = 0;
    double nearest_distance = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        double d = 0;
        if (GEOSDistance_r(h, parts[i], line, &d) == 0) {
            geos_failed(ctx, "distance");
        }
        if (d < nearest_distance) {
            nearest = i;
            nearest_distance = d;
        }
    }
    const GEOSGeometry* target = parts[nearest];
    const std::vector<double> xy = geos::coordinates(ctx, target);
    std::vector<double> drawn = geos::coordinates(ctx, drawn_parts.front());
    const auto along = [&](double x, double y) {
        const auto point = result_of(ctx, GEOSGeom_createPointFromXY_r(h, x, y), "point");
        const double d = GEOSProject_r(h, target, point.get());
        if (d < 0) {
            geos_failed(ctx, "project");
        }
        return d;
    };
    double from = along(drawn[0], drawn[1]);
    double to = along(drawn[drawn.size() - 2], drawn[drawn.size() - 1]);
    if (from == to) {
        throw DataError(Message("geometry_edit.reshape_line_ends"));
    }
    if (from > to) {
        std::swap(from, to);
        for (std::size_t i = 0, j = drawn.size() / 2 - 1; i < j; ++i, --j) {
            std::swap(drawn[2 * i], drawn[2 * j]);
            std::swap(drawn[2 * i + 1], drawn[2 * j + 1]);
        }
    }
    const auto at = [&](double distance) {
        return point_xy(ctx, result_of(ctx, GEOSInterpolate_r(h, target, distance), "interpolate").get());
    };

    // Vertices within this distance (degrees, about 10 µm) are one.
    constexpr double same = 1e-10;
    std::vector<double> out;
    const auto add = [&](double x, double y) {
        const std::size_t n = out.size();
        if (n >= 2 && std::abs(out[n - 2] - x) <= same && std::abs(out[n - 1] - y) <= same) {
            return;
        }
        out.push_back(x);
        out.push_back(y);
    };
    std::vector<double> walked(xy.size() / 2, 0.0);  // planar distance along the line, as GEOS measures
    for (std::size_t i = 1; i < walked.size(); ++i) {
        walked[i] = walked[i - 1] + std::hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    }
    for (std::size_t i = 0; i < walked.size() && walked[i] < from - same; ++i) {
        add(xy[2 * i], xy[2 * i + 1]);
    }
    // The points of the line where the reshape line leaves it and joins it again, unless the
    // reshape line starts and ends there itself (then its own points are kept, bit for bit).
    const auto near = [&](std::pair<double, double> p, std::size_t i) {
        return std::abs(p.first - drawn[i]) <= same && std::abs(p.second - drawn[i + 1]) <= same;
    };
    if (const auto start = at(from); !near(start, 0)) {
        add(start.first, start.second);
    }
    for (std::size_t i = 0; i < drawn.size(); i += 2) {
        add(drawn[i], drawn[i + 1]);
    }
    if (const auto end = at(to); !near(end, drawn.size() - 2)) {
        add(end.first, end.second);
    }
    for (std::size_t i = 0; i < walked.size(); ++i) {
        if (walked[i] > to + same) {
            add(xy[2 * i], xy[2 * i + 1]);
        }
    }
    GEOSCoordSequence* sequence =
        GEOSCoordSeq_copyFromBuffer_r(h, out.data(), static_cast<unsigned>(out.size() / 2), 0, 0);
    if (sequence == nullptr) {
        geos_failed(ctx, "coordinates");
    }
    auto reshaped = result_of(ctx, GEOSGeom_createLineString_r(h, sequence), "line");  // owns the sequence
    std::vector<geos::GeomPtr> result;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        result.push_back(i == nearest ? std::move(reshaped) : copy(ctx, parts[i]));
    }
    return written(ctx, collect(ctx, std::move(result), GEOS_MULTILINESTRING).get());
}

// ---------------------------------------------------------------------------------------
// Parts to geometry.

bool finite(const LonLat& p) {
    return std::isfinite(p.first) && std::isfinite(p.second);
}

// A coordinate sequence of the points (closed when `ring`), handed to GEOS at once.
GEOSCoordSequence* sequence_of(const geos::Context& ctx, const LonLatPath& path, bool ring) {
    std::vector<double> xy;
    xy.reserve(path.size() * 2 + 2);
    for (const auto& p : path) {
        if (!finite(p)) {
            throw DataError(Message("geometry_edit.not_finite"));
        }
        xy.push_back(p.first);
        xy.push_back(p.second);
    }
    if (ring && (path.front().first != path.back().first || path.front().second != path.back().second)) {
        xy.push_back(path.front().first);
        xy.push_back(path.front().second);
    }
    GEOSCoordSequence* sequence =
        GEOSCoordSeq_copyFromBuffer_r(ctx.handle(), xy.data(), static_cast<unsigned>(xy.size() / 2), 0, 0);
    if (sequence == nullptr) {
        geos_failed(ctx, "coordinates");
    }
    return sequence;
}

geos::GeomPtr polygon_of(const geos::Context& ctx, const std::vector<LonLatPath>& rings, std::size_t index) {
    const auto h = ctx.handle();
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const auto& ring = rings[r];
        const bool closed = !ring.empty() && ring.front() == ring.back();
        const std::size_t points = ring.size() + (closed ? 0 : 1);
        if (ring.empty() || points < 4) {
            throw DataError(
                Message("geometry_edit.short_ring", {{"polygon", index + 1}, {"ring", r + 1}, {"count", ring.size()}}));
        }
    }
    auto shell = result_of(ctx, GEOSGeom_createLinearRing_r(h, sequence_of(ctx, rings.front(), true)), "ring");
    std::vector<geos::GeomPtr> holes;
    for (std::size_t r = 1; r < rings.size(); ++r) {
        holes.push_back(result_of(ctx, GEOSGeom_createLinearRing_r(h, sequence_of(ctx, rings[r], true)), "ring"));
    }
    std::vector<GEOSGeometry*> raw;
    raw.reserve(holes.size());
    for (auto& hole : holes) {
        raw.push_back(hole.release());  // the polygon owns its rings from here
    }
    return result_of(ctx,
                     GEOSGeom_createPolygon_r(h, shell.release(), raw.empty() ? nullptr : raw.data(),
                                              static_cast<unsigned>(raw.size())),
                     "polygon");
}

}  // namespace

Geometry geometry_from_parts(const GeometryParts& parts) {
    return guarded("parts", [&] {
        const auto& ctx = context();
        const auto h = ctx.handle();
        std::vector<geos::GeomPtr> polygons, lines, points;
        for (std::size_t i = 0; i < parts.polygons.size(); ++i) {
            if (!parts.polygons[i].empty()) {
                polygons.push_back(polygon_of(ctx, parts.polygons[i], i));
            }
        }
        for (std::size_t i = 0; i < parts.lines.size(); ++i) {
            const auto& line = parts.lines[i];
            if (line.empty()) {
                continue;
            }
            if (line.size() < 2) {
                throw DataError(Message("geometry_edit.short_line", {{"line", i + 1}, {"count", line.size()}}));
            }
            lines.push_back(result_of(ctx, GEOSGeom_createLineString_r(h, sequence_of(ctx, line, false)), "line"));
        }
        for (const auto& p : parts.points) {
            if (!finite(p)) {
                throw DataError(Message("geometry_edit.not_finite"));
            }
            points.push_back(result_of(ctx, GEOSGeom_createPointFromXY_r(h, p.first, p.second), "point"));
        }
        const int kinds = int(!polygons.empty()) + int(!lines.empty()) + int(!points.empty());
        if (kinds == 0) {
            return Geometry{};
        }
        if (kinds > 1) {
            std::vector<geos::GeomPtr> all;
            for (auto* group : {&polygons, &lines, &points}) {
                for (auto& g : *group) {
                    all.push_back(std::move(g));
                }
            }
            return written(ctx, collect(ctx, std::move(all), GEOS_GEOMETRYCOLLECTION).get());
        }
        if (!polygons.empty()) {
            return written(ctx, collect(ctx, std::move(polygons), GEOS_MULTIPOLYGON).get());
        }
        if (!lines.empty()) {
            return written(ctx, collect(ctx, std::move(lines), GEOS_MULTILINESTRING).get());
        }
        return written(ctx, collect(ctx, std::move(points), GEOS_MULTIPOINT).get());
    });
}

std::optional<GeometryProblem> geometry_problem(const Geometry& geometry) {
    if (geometry.empty()) {
        return std::nullopt;
    }
    return guarded("validity", [&] {
        const auto& ctx = context();
        return problem_of(ctx, read(ctx, geometry, the_geometry()).get());
    });
}

std::vector<Geometry> split_by_line(const Geometry& geometry, const Geometry& line) {
    return guarded("split", [&] {
        const auto& ctx = context();
        const auto g = read(ctx, geometry, the_geometry());
        const auto blade = read(ctx, line, the_line());
        parts_of(ctx, blade.get(), 1, the_line());
        switch (const int d = dimension_of(ctx, g.get())) {
            case 2:
                return split_polygons(ctx, g.get(), blade.get());
            case 1:
                return split_lines(ctx, g.get(), blade.get());
            case -1:
                throw DataError(Message("geometry_edit.empty_input", {{"what", the_geometry()}}));
            default:
                throw DataError(
                    Message("geometry_edit.not_splittable", {{"what", the_geometry()}, {"holds", dimension_name(d)}}));
        }
    });
}

Geometry merge_geometries(const std::vector<Geometry>& geometries) {
    return guarded("merge", [&] {
        const auto& ctx = context();
        const auto h = ctx.handle();
        std::vector<geos::GeomPtr> taken;
        int dimension = -1;
        std::size_t first = 0;
        for (std::size_t i = 0; i < geometries.size(); ++i) {
            if (geometries[i].empty()) {
                continue;
            }
            auto g = read(ctx, geometries[i], item(i));
            const int d = dimension_of(ctx, g.get());
            if (d < 0) {
                continue;
            }
            parts_of(ctx, g.get(), d, item(i));  // one dimension within each, too
            if (dimension < 0) {
                dimension = d;
                first = i;
            } else if (d != dimension) {
                throw DataError(Message("geometry_edit.merge_mixed", {{"first", first + 1},
                                                                      {"first_holds", dimension_name(dimension)},
                                                                      {"n", i + 1},
                                                                      {"holds", dimension_name(d)}}));
            }
            if (d == 2) {
                require_valid(ctx, g.get(), item(i));
            }
            taken.push_back(std::move(g));
        }
        if (taken.empty()) {
            return Geometry{};
        }
        if (dimension == 1) {
            std::vector<geos::GeomPtr> lines;
            for (const auto& g : taken) {
                for (const GEOSGeometry* part : parts_of(ctx, g.get(), 1, the_geometry())) {
                    lines.push_back(copy(ctx, part));
                }
            }
            const auto all = collect(ctx, std::move(lines), GEOS_GEOMETRYCOLLECTION);
            return written(ctx, result_of(ctx, GEOSLineMerge_r(h, all.get()), "line merge").get());
        }
        std::vector<const GEOSGeometry*> raw;
        for (const auto& g : taken) {
            raw.push_back(g.get());
        }
        const auto merged = geos::union_all(ctx, raw);
        return written(ctx, geos::keep_dimension(ctx, merged.get(), dimension).get());
    });
}

Geometry reshape_by_line(const Geometry& geometry, const Geometry& line) {
    return guarded("reshape", [&] {
        const auto& ctx = context();
        const auto g = read(ctx, geometry, the_geometry());
        const auto drawn = read(ctx, line, the_line());
        parts_of(ctx, drawn.get(), 1, the_line());
        switch (const int d = dimension_of(ctx, g.get())) {
            case 2:
                return reshape_polygons(ctx, g.get(), drawn.get());
            case 1:
                return reshape_lines(ctx, g.get(), drawn.get());
            case -1:
                throw DataError(Message("geometry_edit.empty_input", {{"what", the_geometry()}}));
            default:
                throw DataError(
                    Message("geometry_edit.not_reshapable", {{"what", the_geometry()}, {"holds", dimension_name(d)}}));
        }
    });
}

Geometry without_overlaps(const Geometry& polygonal, const std::vector<Geometry>& neighbours) {
    return guarded("avoid overlaps", [&] {
        const auto& ctx = context();
        const auto g = read(ctx, polygonal, the_geometry());
        parts_of(ctx, g.get(), 2, the_geometry());
        require_valid(ctx, g.get(), the_geometry());
        const BoundingBox box = geos::extent(ctx, g.get());
        std::vector<geos::GeomPtr> others;
        for (std::size_t i = 0; i < neighbours.size(); ++i) {
            if (neighbours[i].empty()) {
                continue;
            }
            const auto n = read(ctx, neighbours[i], neighbour(i));
            auto area = geos::valid_copy(ctx, geos::keep_dimension(ctx, n.get(), 2).get());
            if (is_empty(ctx, area.get())) {
                continue;
            }
            const BoundingBox b = geos::extent(ctx, area.get());
            if (b.max_x >= box.min_x && b.min_x <= box.max_x && b.max_y >= box.min_y && b.min_y <= box.max_y) {
                others.push_back(std::move(area));
            }
        }
        if (others.empty()) {
            return written(ctx, g.get());
        }
        std::vector<const GEOSGeometry*> raw;
        for (const auto& o : others) {
            raw.push_back(o.get());
        }
        const auto covered = geos::union_all(ctx, raw);
        const auto rest = result_of(ctx, GEOSDifference_r(ctx.handle(), g.get(), covered.get()), "difference");
        return written(ctx, geos::valid_copy(ctx, geos::keep_dimension(ctx, rest.get(), 2).get()).get());
    });
}

Geometry moved_by(const Geometry& geometry, double dlon, double dlat) {
    return guarded("move", [&] {
        const auto& ctx = context();
        const Message off_earth("geometry_edit.moved_off_earth",
                                {{"dlon", text::fixed(dlon, 9)}, {"dlat", text::fixed(dlat, 9)}});
        if (!std::isfinite(dlon) || !std::isfinite(dlat)) {
            throw DataError(off_earth);
        }
        const auto g = read(ctx, geometry, the_geometry());
        struct Shift {
            double dx, dy;
            bool off = false;
        } shift{dlon, dlat};
        const auto moved = result_of(ctx,
                                     GEOSGeom_transformXY_r(
                                         ctx.handle(), g.get(),
                                         [](double* x, double* y, void* data) {
                                             auto* s = static_cast<Shift*>(data);
                                             *x += s->dx;
                                             *y += s->dy;
                                             if (!(std::abs(*x) <= 180 && std::abs(*y) <= 90)) {
                                                 s->off = true;
                                             }
                                             return 1;
                                         },
                                         &shift),
                                     "move");
        if (shift.off) {
            throw DataError(off_earth);
        }
        return geos::to_wkb(ctx, moved.get());
    });
}

std::vector<OverlapArea> overlaps_among(const std::vector<Geometry>& geometries, double min_area_m2) {
    return guarded("overlaps", [&] {
        const auto& ctx = context();
        const auto h = ctx.handle();
        std::vector<geos::GeomPtr> areas(geometries.size());
        std::vector<BoundingBox> boxes(geometries.size());
        for (std::size_t i = 0; i < geometries.size(); ++i) {
            if (geometries[i].empty()) {
                continue;
            }
            const auto g = read(ctx, geometries[i], item(i));
            auto area = geos::valid_copy(ctx, geos::keep_dimension(ctx, g.get(), 2).get());
            if (!is_empty(ctx, area.get())) {
                boxes[i] = geos::extent(ctx, area.get());
                areas[i] = std::move(area);
            }
        }
        std::vector<OverlapArea> out;
        for (std::size_t i = 0; i < areas.size(); ++i) {
            if (!areas[i]) {
                continue;
            }
            geos::PreparedPtr prepared;
            for (std::size_t j = i + 1; j < areas.size(); ++j) {
                const BoundingBox& a = boxes[i];
                const BoundingBox& b = boxes[j];
                if (!areas[j] || b.max_x < a.min_x || b.min_x > a.max_x || b.max_y < a.min_y || b.min_y > a.max_y) {
                    continue;
                }
                if (!prepared) {
                    prepared = geos::prepare(ctx, areas[i].get());
                }
                if (!answer(ctx, GEOSPreparedIntersects_r(h, prepared.get(), areas[j].get()), "intersects")) {
                    continue;
                }
                const auto shared =
                    result_of(ctx, GEOSIntersection_r(h, areas[i].get(), areas[j].get()), "intersection");
                const auto overlap = geos::keep_dimension(ctx, shared.get(), 2);
                if (is_empty(ctx, overlap.get())) {
                    continue;
                }
                const double area_m2 = geodesy::area_m2(ctx, overlap.get());
                if (area_m2 > min_area_m2) {
                    out.push_back({i, j, geos::to_wkb(ctx, overlap.get()), area_m2});
                }
            }
        }
        return out;
    });
}

}  // namespace redline
