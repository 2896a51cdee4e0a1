// Shapes laid over the zones that are not zones: a footprint being screened and its hits,
// the areas an edit gains and loses, validation findings, a version diff. Each is drawn
// with its own style, above the zones and below the labels, by the canvas and --render.
#pragma once

#ifndef Q_MOC_RUN
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

class MapData;
class MapView;

struct OverlayStyle {
    QColor stroke{0, 0, 0};
    double width = 2;  // device-independent pixels
    Qt::PenStyle dash = Qt::SolidLine;
    QColor fill = Qt::transparent;
    Qt::BrushStyle pattern = Qt::SolidPattern;  // e.g. a hatch for areas lost
    double marker = 5;                          // radius of point markers, pixels
};

// One shape in the display plane: closed rings (even-odd), open lines and points.
struct OverlayShape {
    QPainterPath polygons;
    QPainterPath lines;
    std::vector<QPointF> points;
    OverlayStyle style;
    QRectF bounds() const;
};

struct Overlay {
    std::vector<OverlayShape> shapes;
    QRectF bounds() const;  // display plane; null when empty
};

// A lon/lat (CGCS2000) geometry in the map's display plane.
OverlayShape overlay_shape(const MapData& data, const Geometry& geometry, const OverlayStyle& style);
// Draws an overlay in the view (the painter's transform is left as it was).
void draw_overlay(QPainter& painter, const MapView& view, const Overlay& overlay, double device_pixel_ratio = 1);

}  // namespace redline::viewer
