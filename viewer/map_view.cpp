#include "map_view.hpp"

#include <algorithm>

namespace redline::viewer {

void MapView::fit(const QRectF& plane, double margin) {
    const QRectF r = plane.normalized();
    centre = r.center();
    const double usable_w = std::max(1.0, size.width() * (1 - 2 * margin));
    const double usable_h = std::max(1.0, size.height() * (1 - 2 * margin));
    metres_per_pixel = std::max(r.width() / usable_w, r.height() / usable_h);
    clamp();
}

void MapView::zoom_about(const QPointF& screen, double factor) {
    if (factor <= 0) {
        return;
    }
    const QPointF anchor = to_plane(screen);
    metres_per_pixel /= factor;
    clamp();
    // Put the anchor back under the cursor.
    const QPointF moved = to_plane(screen);
    centre += anchor - moved;
}

void MapView::pan(const QPointF& pixels) {
    centre += QPointF(-pixels.x() * metres_per_pixel, pixels.y() * metres_per_pixel);
}

void MapView::clamp() {
    if (!(metres_per_pixel > 0)) {
        metres_per_pixel = 1;
    }
    metres_per_pixel = std::clamp(metres_per_pixel, min_metres_per_pixel, max_metres_per_pixel);
}

}  // namespace redline::viewer
