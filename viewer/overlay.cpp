#include "overlay.hpp"

#include "map_data.hpp"
#include "map_view.hpp"

#include <QPen>

namespace redline::viewer {

QRectF OverlayShape::bounds() const {
    QRectF r = polygons.boundingRect() | lines.boundingRect();
    for (const auto& p : points) {
        r |= QRectF(p, QSizeF(0.001, 0.001));
    }
    return r;
}

QRectF Overlay::bounds() const {
    QRectF r;
    for (const auto& s : shapes) {
        r |= s.bounds();
    }
    return r;
}

OverlayShape overlay_shape(const MapData& data, const Geometry& geometry, const OverlayStyle& style) {
    OverlayShape shape;
    shape.style = style;
    shape.polygons.setFillRule(Qt::OddEvenFill);
    if (geometry.empty()) {
        return shape;
    }
    const GeometryParts parts = geometry_parts(geometry);
    auto append = [&](QPainterPath& path, const LonLatPath& points, bool closed) {
        for (std::size_t i = 0; i < points.size(); ++i) {
            const QPointF p = data.to_plane(points[i].first, points[i].second);
            i == 0 ? path.moveTo(p) : path.lineTo(p);
        }
        if (closed && !points.empty()) {
            path.closeSubpath();
        }
    };
    for (const auto& polygon : parts.polygons) {
        for (const auto& ring : polygon) {
            append(shape.polygons, ring, true);
        }
    }
    for (const auto& line : parts.lines) {
        append(shape.lines, line, false);
    }
    for (const auto& [lon, lat] : parts.points) {
        shape.points.push_back(data.to_plane(lon, lat));
    }
    return shape;
}

void draw_overlay(QPainter& painter, const MapView& view, const Overlay& overlay, double device_pixel_ratio) {
    const QTransform before = painter.transform();
    const QRectF visible = view.plane_rect();
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const auto& shape : overlay.shapes) {
        // A metre around: a straight line or a point has an empty box, which meets nothing.
        if (!shape.bounds().adjusted(-1, -1, 1, 1).intersects(visible)) {
            continue;
        }
        QPen pen(shape.style.stroke, shape.style.width * device_pixel_ratio, shape.style.dash, Qt::RoundCap,
                 Qt::RoundJoin);
        pen.setCosmetic(true);
        painter.setTransform(view.transform());
        painter.setPen(shape.style.width > 0 ? pen : QPen(Qt::NoPen));
        if (!shape.polygons.isEmpty()) {
            QBrush brush(shape.style.fill, shape.style.pattern);
            // A hatch keeps its pattern in pixels, not in metres.
            brush.setTransform(painter.transform().inverted());
            painter.setBrush(shape.style.fill.alpha() == 0 ? QBrush(Qt::NoBrush) : brush);
            painter.drawPath(shape.polygons);
        }
        painter.setBrush(Qt::NoBrush);
        if (!shape.lines.isEmpty()) {
            painter.drawPath(shape.lines);
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
