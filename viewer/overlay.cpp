#include "overlay.hpp"

#include "map_data.hpp"
#include "map_view.hpp"

#include <QPen>

#include <algorithm>

namespace redline::viewer {

QRectF OverlayShape::bounds() const {
    QRectF r = area;
    for (const auto& p : points) {
        r |= QRectF(p, QSizeF(0.001, 0.001));
    }
    return r;
}

namespace {

// The shape with only its rings (or only its lines) at every level, in another style.
OverlayShape part_of(const OverlayShape& shape, const OverlayStyle& style, QPainterPath ZoneShape::*kept,
                     QPainterPath ZoneShape::*dropped) {
    OverlayShape part;
    part.style = style;
    part.levels = shape.levels;
    for (auto& level : part.levels) {
        level.*dropped = QPainterPath();
    }
    part.area = part.levels.empty() ? QRectF() : (part.levels.front().*kept).boundingRect();
    return part;
}

}  // namespace

OverlayShape OverlayShape::polygons_only(const OverlayStyle& with) const {
    return part_of(*this, with, &ZoneShape::polygons, &ZoneShape::lines);
}

OverlayShape OverlayShape::lines_only(const OverlayStyle& with) const {
    return part_of(*this, with, &ZoneShape::lines, &ZoneShape::polygons);
}

QRectF Overlay::bounds() const {
    QRectF r;
    for (const auto& s : shapes) {
        r |= s.bounds();
    }
    return r;
}

OverlayShape overlay_shape(PlaneShape&& plane, const OverlayStyle& style) {
    OverlayShape shape;
    shape.style = style;
    shape.levels = std::move(plane.levels);
    shape.points = std::move(plane.points);
    if (!shape.levels.empty()) {
        const ZoneShape& whole = shape.levels.front();
        shape.area = whole.polygons.boundingRect() | whole.lines.boundingRect();
    }
    return shape;
}

OverlayShape overlay_shape(const MapData& data, const Geometry& geometry, const OverlayStyle& style) {
    return overlay_shape(data.plane_shape(geometry), style);
}

void draw_overlay(QPainter& painter, const MapView& view, const Overlay& overlay, double device_pixel_ratio,
                  std::size_t crowded_at) {
    const QTransform before = painter.transform();
    const QRectF visible = view.plane_rect();
    const auto level = static_cast<std::size_t>(MapData::level_for(view.metres_per_pixel));
    // The shapes in view, and how many vertices they would have stroked.
    std::vector<const OverlayShape*> shown;
    std::size_t stroked = 0;
    for (const auto& shape : overlay.shapes) {
        // A metre around: a straight line or a point has an empty box, which meets nothing.
        if (shape.bounds().adjusted(-1, -1, 1, 1).intersects(visible)) {
            shown.push_back(&shape);
            if (!shape.levels.empty() && shape.style.width > 0) {
                stroked += shape.levels[level].vertices;
            }
        }
    }
    const bool crowded = stroked > crowded_at;
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const OverlayShape* shown_shape : shown) {
        const OverlayShape& shape = *shown_shape;
        if (crowded && shape.style.casing) {
            continue;
        }
        static const ZoneShape none;
        const ZoneShape& drawn = shape.levels.empty() ? none : shape.levels[level];
        // One device pixel is what Qt's fast stroker takes.
        const double width = shape.style.width * device_pixel_ratio;
        QPen pen(shape.style.stroke, crowded ? std::min(width, 1.0) : width, shape.style.dash, Qt::RoundCap,
                 Qt::RoundJoin);
        pen.setCosmetic(true);
        painter.setTransform(view.transform());
        painter.setPen(shape.style.width > 0 ? pen : QPen(Qt::NoPen));
        if (!drawn.polygons.isEmpty()) {
            QBrush brush(shape.style.fill, shape.style.pattern);
            // A hatch keeps its pattern in pixels, not in metres.
            brush.setTransform(painter.transform().inverted());
            painter.setBrush(shape.style.fill.alpha() == 0 ? QBrush(Qt::NoBrush) : brush);
            painter.drawPath(drawn.polygons);
        }
        painter.setBrush(Qt::NoBrush);
        if (!drawn.lines.isEmpty()) {
            painter.drawPath(drawn.lines);
        }
        if (!shape.points.empty()) {
            painter.setTransform(QTransform());
            painter.setBrush(shape.style.fill.alpha() == 0 ? QBrush(shape.style.stroke) : QBrush(shape.style.fill));
            for (const auto& p : shape.points) {
                painter.drawEllipse(view.to_screen(p), shape.style.marker, shape.style.marker);
            }
        }
    }
    painter.setTransform(before);
}

}  // namespace redline::viewer
