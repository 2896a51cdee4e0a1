#include "shapes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <utility>

namespace redline::viewer {
namespace {

double segment_distance_squared(const QPointF& p, const QPointF& a, const QPointF& b) {
    double x = a.x(), y = a.y();
    double dx = b.x() - x, dy = b.y() - y;
    if (dx != 0 || dy != 0) {
        const double t = ((p.x() - x) * dx + (p.y() - y) * dy) / (dx * dx + dy * dy);
        if (t > 1) {
            x = b.x();
            y = b.y();
        } else if (t > 0) {
            x += dx * t;
            y += dy * t;
        }
    }
    dx = p.x() - x;
    dy = p.y() - y;
    return dx * dx + dy * dy;
}

// Douglas-Peucker over points[first..last], marking what it keeps (first and last are kept
// by the caller). A stack instead of recursion: rings have hundreds of thousands of points.
void simplify_range(const std::vector<QPointF>& points, std::size_t first, std::size_t last, double tolerance2,
                    std::vector<char>& keep) {
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        double worst = -1;
        std::size_t index = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = segment_distance_squared(points[i], points[a], points[b]);
            if (d > worst) {
                worst = d;
                index = i;
            }
        }
        if (worst > tolerance2) {
            keep[index] = 1;
            stack.emplace_back(a, index);
            stack.emplace_back(index, b);
        }
    }
}

// Signed distance to the polygon's edges: positive inside, negative outside.
double signed_distance(const QPainterPath& path, const QPointF& p) {
    bool inside = false;
    double best = std::numeric_limits<double>::infinity();
    QPointF previous;
    const int n = path.elementCount();
    for (int i = 0; i < n; ++i) {
        const QPainterPath::Element& e = path.elementAt(i);
        const QPointF current(e.x, e.y);
        if (!e.isMoveTo()) {
            const QPointF& a = previous;
            const QPointF& b = current;
            if ((a.y() > p.y()) != (b.y() > p.y()) &&
                p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) {
                inside = !inside;
            }
            best = std::min(best, segment_distance_squared(p, a, b));
        }
        previous = current;
    }
    const double d = std::sqrt(best);
    return inside ? d : -d;
}

struct Cell {
    QPointF centre;
    double half = 0;       // half the cell's side
    double distance = 0;   // signed, from the centre
    double potential = 0;  // the best distance a point in the cell can have
};

// One ring cut by one half-plane: `inside` says which side stays, `cross` where an edge
// between the sides meets the boundary.
template <typename Inside, typename Cross>
void clip_ring(std::vector<QPointF>& ring, Inside inside, Cross cross) {
    if (ring.empty()) {
        return;
    }
    std::vector<QPointF> out;
    out.reserve(ring.size() + 4);
    QPointF previous = ring.back();
    bool previous_in = inside(previous);
    for (const QPointF& current : ring) {
        const bool current_in = inside(current);
        if (current_in != previous_in) {
            out.push_back(cross(previous, current));
        }
        if (current_in) {
            out.push_back(current);
        }
        previous = current;
        previous_in = current_in;
    }
    ring.swap(out);
}

}  // namespace

QPainterPath clip_polygons(const QPainterPath& polygons, const QRectF& rect) {
    QPainterPath out;
    out.setFillRule(Qt::OddEvenFill);
    const double x0 = rect.left(), x1 = rect.right(), y0 = rect.top(), y1 = rect.bottom();
    auto at_x = [](const QPointF& a, const QPointF& b, double x) {
        return QPointF(x, a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x()));
    };
    auto at_y = [](const QPointF& a, const QPointF& b, double y) {
        return QPointF(a.x() + (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()), y);
    };
    std::vector<QPointF> ring;
    auto flush = [&]() {
        if (ring.size() > 1 && ring.front() == ring.back()) {
            ring.pop_back();
        }
        clip_ring(
            ring, [&](const QPointF& p) { return p.x() >= x0; }, [&](auto a, auto b) { return at_x(a, b, x0); });
        clip_ring(
            ring, [&](const QPointF& p) { return p.x() <= x1; }, [&](auto a, auto b) { return at_x(a, b, x1); });
        clip_ring(
            ring, [&](const QPointF& p) { return p.y() >= y0; }, [&](auto a, auto b) { return at_y(a, b, y0); });
        clip_ring(
            ring, [&](const QPointF& p) { return p.y() <= y1; }, [&](auto a, auto b) { return at_y(a, b, y1); });
        if (ring.size() >= 3) {
            out.moveTo(ring.front());
            for (std::size_t i = 1; i < ring.size(); ++i) {
                out.lineTo(ring[i]);
            }
            out.lineTo(ring.front());
        }
        ring.clear();
    };
    const int n = polygons.elementCount();
    for (int i = 0; i < n; ++i) {
        const QPainterPath::Element& e = polygons.elementAt(i);
        if (e.isMoveTo()) {
            flush();
        }
        ring.emplace_back(e.x, e.y);
    }
    flush();
    return out;
}

std::vector<QPointF> simplify(const std::vector<QPointF>& points, double tolerance) {
    const std::size_t n = points.size();
    if (n < 3 || tolerance <= 0) {
        return points;
    }
    std::vector<char> keep(n, 0);
    keep[0] = keep[n - 1] = 1;
    const double tolerance2 = tolerance * tolerance;
    if (points.front() == points.back()) {
        // A ring: split at the point farthest from the first, simplify both halves.
        std::size_t far = 0;
        double worst = -1;
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double dx = points[i].x() - points[0].x(), dy = points[i].y() - points[0].y();
            if (dx * dx + dy * dy > worst) {
                worst = dx * dx + dy * dy;
                far = i;
            }
        }
        keep[far] = 1;
        simplify_range(points, 0, far, tolerance2, keep);
        simplify_range(points, far, n - 1, tolerance2, keep);
    } else {
        simplify_range(points, 0, n - 1, tolerance2, keep);
    }
    std::vector<QPointF> out;
    out.reserve(static_cast<std::size_t>(std::count(keep.begin(), keep.end(), 1)));
    for (std::size_t i = 0; i < n; ++i) {
        if (keep[i] != 0) {
            out.push_back(points[i]);
        }
    }
    return out;
}

bool polygon_contains(const QPainterPath& polygons, const QPointF& point) {
    return signed_distance(polygons, point) > 0;
}

double distance_to_edges(const QPainterPath& path, const QPointF& point) {
    return std::abs(signed_distance(path, point));
}

std::optional<InnerPoint> inner_point(const QPainterPath& whole, double precision, const std::optional<QRectF>& clip,
                                      int budget) {
    QRectF box = whole.boundingRect();
    if (clip) {
        box = box.intersected(*clip);
    }
    if (whole.elementCount() < 3 || box.isEmpty()) {
        return std::nullopt;
    }
    // Only the part inside the rectangle is searched: its vertices are all that count.
    const QPainterPath polygons = clip ? clip_polygons(whole, clip->adjusted(-1e-6, -1e-6, 1e-6, 1e-6)) : whole;
    if (polygons.elementCount() < 3) {
        return std::nullopt;
    }
    auto distance = [&](const QPointF& p) {
        double d = signed_distance(polygons, p);
        if (clip) {
            const double inside_clip = std::min(std::min(p.x() - clip->left(), clip->right() - p.x()),
                                                std::min(p.y() - clip->top(), clip->bottom() - p.y()));
            d = std::min(d, inside_clip);
        }
        return d;
    };
    auto make = [&](const QPointF& centre, double half) {
        Cell c;
        c.centre = centre;
        c.half = half;
        c.distance = distance(centre);
        c.potential = c.distance + half * std::sqrt(2.0);
        return c;
    };
    auto lower = [](const Cell& a, const Cell& b) { return a.potential < b.potential; };
    std::priority_queue<Cell, std::vector<Cell>, decltype(lower)> queue(lower);

    // Cells start square, a few dozen at most along the longer side.
    const double side = std::max(std::min(box.width(), box.height()), std::max(box.width(), box.height()) / 32);
    precision = std::max(precision, side * 1e-4);
    if (side <= 0) {
        return InnerPoint{box.center(), 0};
    }
    const double half = side / 2;
    for (double x = box.left(); x < box.right(); x += side) {
        for (double y = box.top(); y < box.bottom(); y += side) {
            queue.push(make({x + half, y + half}, half));
        }
    }
    Cell best = make(box.center(), 0);
    // A long thin box starts with many cells; the budget keeps a pathological shape cheap.
    for (int visited = 0; !queue.empty() && visited < budget; ++visited) {
        const Cell cell = queue.top();
        queue.pop();
        if (cell.distance > best.distance) {
            best = cell;
        }
        if (cell.potential - best.distance <= precision) {
            continue;
        }
        const double h = cell.half / 2;
        queue.push(make(cell.centre + QPointF(-h, -h), h));
        queue.push(make(cell.centre + QPointF(h, -h), h));
        queue.push(make(cell.centre + QPointF(-h, h), h));
        queue.push(make(cell.centre + QPointF(h, h), h));
    }
    if (best.distance <= 0) {
        return std::nullopt;
    }
    return InnerPoint{best.centre, best.distance};
}

}  // namespace redline::viewer
