// Where the map looks: the display-plane point at the centre of the window, the metres one
// pixel covers, and the window's size. Screen y runs down, plane y (north) up.
#pragma once

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QTransform>

namespace redline::viewer {

class MapView {
public:
    static constexpr double min_metres_per_pixel = 0.02;  // about 1:75 at 96 dpi
    static constexpr double max_metres_per_pixel = 50000;

    QPointF centre;               // display plane, metres
    double metres_per_pixel = 1;  // plane metres per device-independent pixel
    QSizeF size{800, 600};        // device-independent pixels

    QPointF to_screen(const QPointF& plane) const {
        return {(plane.x() - centre.x()) / metres_per_pixel + size.width() / 2,
                size.height() / 2 - (plane.y() - centre.y()) / metres_per_pixel};
    }
    QPointF to_plane(const QPointF& screen) const {
        return {centre.x() + (screen.x() - size.width() / 2) * metres_per_pixel,
                centre.y() - (screen.y() - size.height() / 2) * metres_per_pixel};
    }
    // The plane rectangle the window shows (y up: top() is the southern edge).
    QRectF plane_rect() const {
        const double w = size.width() * metres_per_pixel, h = size.height() * metres_per_pixel;
        return {centre.x() - w / 2, centre.y() - h / 2, w, h};
    }
    // Plane to screen, for QPainter.
    QTransform transform() const {
        const double s = 1 / metres_per_pixel;
        return {s, 0, 0, -s, size.width() / 2 - centre.x() * s, size.height() / 2 + centre.y() * s};
    }

    // Shows the whole of `plane` with a margin of `margin` (a fraction of the window) around it.
    void fit(const QRectF& plane, double margin = 0.04);
    // Zooms by `factor` (> 1: in), keeping the plane point under `screen` where it is.
    void zoom_about(const QPointF& screen, double factor);
    // Moves the map's content by `pixels` (dragging it right moves the view west).
    void pan(const QPointF& pixels);

private:
    void clamp();
};

}  // namespace redline::viewer
