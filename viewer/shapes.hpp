// Plane geometry the viewer needs for drawing: Douglas-Peucker simplification, the pole of
// inaccessibility (where a label goes), and point-in-shape tests on QPainterPaths whose
// subpaths are closed rings (polygons, even-odd) or open polylines (lines).
#pragma once

#include <QPainterPath>
#include <QPointF>
#include <QRectF>

#include <optional>
#include <vector>

namespace redline::viewer {

// The points of `points` Douglas-Peucker keeps at `tolerance` (same units). A closed ring
// (first point repeated last) stays closed, with at least its first point and the one
// farthest from it; an open line keeps its ends.
std::vector<QPointF> simplify(const std::vector<QPointF>& points, double tolerance);

// A point well inside a polygon path (even-odd rings) and its distance to the nearest
// edge: the pole of inaccessibility (Agafonkin's polylabel), to within `precision`.
// With `clip`, only the part inside that rectangle counts (its edges are edges too).
// None when no part of the polygon lies inside `clip`.
struct InnerPoint {
    QPointF point;
    double distance = 0;
};
// At most `budget` cells are looked at (the answer is then less precise, never outside).
std::optional<InnerPoint> inner_point(const QPainterPath& polygons, double precision,
                                      const std::optional<QRectF>& clip = std::nullopt, int budget = 4000);

// Every ring of a polygon path cut to a rectangle (Sutherland-Hodgman): inside the
// rectangle the result covers what the path covers (even-odd); cut edges run along it.
QPainterPath clip_polygons(const QPainterPath& polygons, const QRectF& rect);

// Even-odd inside test over every ring of the path.
bool polygon_contains(const QPainterPath& polygons, const QPointF& point);
// The distance from `point` to the nearest segment of the path's subpaths.
double distance_to_edges(const QPainterPath& path, const QPointF& point);

}  // namespace redline::viewer
