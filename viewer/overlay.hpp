// Shapes laid over the zones that are not zones: a footprint being screened and its hits,
// the areas an edit gains and loses, validation findings, a version diff. Each is drawn
// with its own style, above the zones and below the labels, by the canvas and --render.
#pragma once

#ifndef Q_MOC_RUN
#include "map_data.hpp"
#include "redline/geometry.hpp"
#endif

#include <QColor>
#include <QPainter>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

namespace redline::viewer {

class MapView;

struct OverlayStyle {
    QColor stroke{0, 0, 0};
    double width = 2;  // device-independent pixels
    Qt::PenStyle dash = Qt::SolidLine;
    QColor fill = Qt::transparent;
    Qt::BrushStyle pattern = Qt::SolidPattern;  // e.g. a hatch for areas lost
    double marker = 5;                          // radius of point markers, pixels
    bool casing = false;                        // a wide light line under another: left out where the view is crowded
};

// One shape in the display plane: closed rings (even-odd), open lines and points, at the
// zones' levels of detail (a whole version laid over the map draws as fast as the map).
struct OverlayShape {
    std::vector<ZoneShape> levels;  // MapData::tolerances; empty without rings or lines
    std::vector<QPointF> points;
    OverlayStyle style;
    QRectF area;            // the rings' and lines' extent, display plane
    QRectF bounds() const;  // with the points
    bool empty() const { return levels.empty() && points.empty(); }
    bool has_polygons() const { return !levels.empty() && !levels.front().polygons.isEmpty(); }
    bool has_lines() const { return !levels.empty() && !levels.front().lines.isEmpty(); }
    // The rings alone, or the lines alone, at every level, drawn in another style.
    OverlayShape polygons_only(const OverlayStyle& style) const;
    OverlayShape lines_only(const OverlayStyle& style) const;
};

struct Overlay {
    std::vector<OverlayShape> shapes;
    QRectF bounds() const;  // display plane; null when empty
};

// A lon/lat (CGCS2000) geometry in the map's display plane (the GUI thread).
OverlayShape overlay_shape(const MapData& data, const Geometry& geometry, const OverlayStyle& style);
// A shape made by MapData::plane_shape(s), with a style.
OverlayShape overlay_shape(PlaneShape&& shape, const OverlayStyle& style);
// Draws an overlay in the view (the painter's transform is left as it was), each shape at
// the level of detail the zones are drawn at. In a crowded view (more than
// `crowded_vertices` to stroke: a whole version at the scale of a province) lines are drawn
// one pixel wide and casings are left out: Qt strokes wider lines some 25 times slower, and
// at that density a casing cannot be told apart anyway.
inline constexpr std::size_t crowded_vertices = 12000;
void draw_overlay(QPainter& painter, const MapView& view, const Overlay& overlay, double device_pixel_ratio = 1,
                  std::size_t crowded_at = crowded_vertices);

}  // namespace redline::viewer
