#include "map_renderer.hpp"
#include "redline/projection.hpp"

#include "shapes.hpp"
#include "text.hpp"

#include <QFontMetricsF>
#include <QPainterPath>
#include <QSemaphore>
#include <QThreadPool>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <set>
#include <thread>

namespace redline::viewer {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

bool overlaps(const QRectF& a, const QRectF& b) {
    return a.left() <= b.right() && b.left() <= a.right() && a.top() <= b.bottom() && b.top() <= a.bottom();
}

QString length_label(double metres) {
    if (metres >= 1000) {
        return QString::number(metres / 1000, 'g', 6) + " km";
    }
    return QString::number(metres, 'g', 6) + " m";
}

QFont label_font() {
    QFont font(QStringLiteral("Noto Sans CJK SC"));
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(12);
    return font;
}

constexpr double halo = 2;  // pixels of white around a label's letters

QColor label_colour(const ZoneStyle& style) {
    QColor colour = stroke_colour(style);
    colour.setAlphaF(1);
    return colour.darker(140);
}

// ---------------------------------------------------------------------------------------
// Zones

// What every drawing thread shares: the level, and each group's pen and brush.
struct ZonePass {
    const MapData& data;
    const MapView& view;
    int level = 0;
    std::vector<QPen> pens;
    std::vector<QBrush> brushes;
    std::vector<char> aliased_fill;  // fills drawn without antialiasing (see draw_zones)
};

// Draws the zones order[first..last) in that order, a run of zones of one group at a time:
// their fills first (aliased where the group's outline covers the edge, which costs half
// as much), then their outlines, so the pen and brush are set once a run and an outline is
// not hidden under the fill of its neighbour. Zones smaller than two pixels are gathered
// into one path per run: thousands of specks cost one call. `to_device` takes the view's
// pixels to the painter's (identity where the painter's device is the view's).
void draw_zones(QPainter& painter, const ZonePass& pass, const std::vector<int>& order, const QTransform& to_device) {
    painter.setTransform(pass.view.transform() * to_device);
    const double speck = 2 * pass.view.metres_per_pixel;
    const auto level = static_cast<std::size_t>(pass.level);
    const auto& zones = pass.data.zones();
    auto zone = [&](std::size_t i) -> const DisplayZone& { return zones[static_cast<std::size_t>(order[i])]; };
    for (std::size_t run = 0; run < order.size();) {
        const int group = zone(run).group;
        std::size_t end = run;
        while (end < order.size() && zone(end).group == group) {
            ++end;
        }
        const auto g = static_cast<std::size_t>(group);
        QPainterPath specks;
        specks.setFillRule(Qt::WindingFill);
        std::vector<const QPainterPath*> polygons, lines;
        for (std::size_t i = run; i < end; ++i) {
            const DisplayZone& z = zone(i);
            const ZoneShape& shape = z.levels[level];
            if (z.bounds.width() < speck && z.bounds.height() < speck && shape.lines.isEmpty()) {
                specks.addPath(shape.polygons);
                continue;
            }
            if (!shape.polygons.isEmpty()) {
                polygons.push_back(&shape.polygons);
            }
            if (!shape.lines.isEmpty()) {
                lines.push_back(&shape.lines);
            }
        }
        if (!specks.isEmpty()) {
            polygons.push_back(&specks);
        }
        if (pass.brushes[g].style() != Qt::NoBrush) {
            painter.setRenderHint(QPainter::Antialiasing, pass.aliased_fill[g] == 0);
            painter.setPen(Qt::NoPen);
            painter.setBrush(pass.brushes[g]);
            for (const QPainterPath* path : polygons) {
                painter.drawPath(*path);
            }
        }
        if (pass.pens[g].style() != Qt::NoPen) {
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.setPen(pass.pens[g]);
            painter.setBrush(Qt::NoBrush);
            for (const QPainterPath* path : polygons) {
                painter.drawPath(*path);
            }
            for (const QPainterPath* path : lines) {
                painter.drawPath(*path);
            }
        }
        run = end;
    }
}

// The device row that halves the estimated work of drawing these zones (`boxes`: their
// extents in device pixels), for two threads to draw a band each; 0 when the picture is
// too low to share. A zone's cost is its vertices and a pixel for every pixel around the
// part of its box on screen, spread evenly over the rows that part spans.
int balanced_split(const MapData& data, const std::vector<int>& drawn, const std::vector<QRectF>& boxes, int level,
                   QSize device) {
    if (device.height() < 2) {
        return 0;
    }
    const double width = device.width(), height = device.height();
    std::vector<double> change(static_cast<std::size_t>(device.height()) + 1, 0.0);  // of the cost a row, row to row
    double total = 0;
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        const DisplayZone& z = data.zones()[static_cast<std::size_t>(drawn[i])];
        const QRectF& box = boxes[i];
        const double top = std::clamp(std::floor(box.top()), 0.0, height - 1);
        const double bottom = std::clamp(std::ceil(box.bottom()), top + 1, height);
        const double across = std::clamp(box.right(), 0.0, width) - std::clamp(box.left(), 0.0, width);
        const double cost = static_cast<double>(z.levels[static_cast<std::size_t>(level)].vertices + z.points.size()) +
                            2 * (across + bottom - top);
        change[static_cast<std::size_t>(top)] += cost / (bottom - top);
        change[static_cast<std::size_t>(bottom)] -= cost / (bottom - top);
        total += cost;
    }
    double per_row = 0, above = 0;
    for (int row = 0; row < device.height(); ++row) {
        per_row += change[static_cast<std::size_t>(row)];
        above += per_row;
        if (above >= total / 2) {
            return std::clamp(row + 1, 1, device.height() - 1);
        }
    }
    return device.height() - 1;
}

// ---------------------------------------------------------------------------------------
// Decorations and labels

// Where the scale bar and the projection note go, and what they say: laid out before the
// labels, which keep clear of them.
struct Decorations {
    double bar = 0;  // pixels
    QString length, scale, note;
    QRectF scale_box, note_box;
    QFont font, small_font;
};

Decorations layout_decorations(const MapData& data, const MapView& view, const RenderSettings& settings) {
    Decorations d;
    d.font = label_font();
    d.font.setPixelSize(11);
    d.small_font = d.font;
    d.small_font.setPixelSize(10);
    const QFontMetricsF metrics(d.font), small(d.small_font);
    const double ground_per_pixel = view.metres_per_pixel / data.scale_factor(view.centre);
    const double length = scale_bar_length(110 * ground_per_pixel);
    d.bar = length / ground_per_pixel;
    d.length = length_label(length);
    d.scale = QStringLiteral("1:") + grouped(std::round(scale_denominator(data, view, settings.dpi)), 0);
    const double text_w = std::max(metrics.horizontalAdvance(d.length), metrics.horizontalAdvance(d.scale));
    const double bottom = view.size.height() - 6;
    d.scale_box = QRectF(8, bottom - 2 * metrics.height() - 4, d.bar + 12 + text_w + 6, 2 * metrics.height() + 4);
    d.note = ui("MapRenderer", "CGCS2000, transverse Mercator, central meridian ") +
             QString::number(data.central_meridian(), 'f', 2) + QStringLiteral("°E");
    const double nw = small.horizontalAdvance(d.note);
    d.note_box = QRectF(view.size.width() - nw - 14, bottom - small.height() - 2, nw + 8, small.height() + 2);
    return d;
}

void draw_decorations(QPainter& painter, const Decorations& d) {
    const QFontMetricsF metrics(d.font), small(d.small_font);
    // A quiet white box under the bar and its words.
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 215));
    painter.drawRoundedRect(d.scale_box, 3, 3);
    const double x = d.scale_box.left() + 6, y = d.scale_box.bottom() - 6;
    painter.setBrush(QColor(40, 40, 40));
    painter.setPen(QPen(QColor(40, 40, 40), 1));
    painter.drawRect(QRectF(x, y - 4, d.bar / 2, 4));
    painter.setBrush(Qt::white);
    painter.drawRect(QRectF(x + d.bar / 2, y - 4, d.bar / 2, 4));
    painter.drawLine(QPointF(x, y - 8), QPointF(x, y));
    painter.drawLine(QPointF(x + d.bar, y - 8), QPointF(x + d.bar, y));
    painter.setFont(d.font);
    painter.setPen(QColor(30, 30, 30));
    painter.drawText(QPointF(x + d.bar + 8, y), d.length);
    painter.drawText(QPointF(x + d.bar + 8, y - metrics.height()), d.scale);
    // The projection, bottom right.
    painter.setFont(d.small_font);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 215));
    painter.drawRect(d.note_box);
    painter.setPen(QColor(90, 90, 90));
    painter.drawText(QPointF(d.note_box.left() + 4, d.note_box.bottom() - small.descent() - 1), d.note);
}

struct LabelCandidate {
    int zone = 0;
    QPointF at;            // screen, the label's centre
    double clearance = 0;  // screen pixels to the zone's edge (0 for lines and points)
    int draw_order = 0;
};

// Where labels go: a label for each zone that has room for one, the top layers and the
// roomiest zones first, none over another or over `placed`. Needs no pixel of the map, so it
// is worked out while the zones are drawn.
std::vector<std::pair<int, QRectF>> place_labels(const MapData& data, const MapView& view, int level,
                                                 const std::vector<int>& drawn, std::vector<QRectF> placed,
                                                 LabelCache& cache) {
    const QRectF screen(QPointF(0, 0), view.size);
    const double mpp = view.metres_per_pixel;
    const QRectF inner_plane = view.plane_rect().adjusted(4 * mpp, 4 * mpp, -4 * mpp, -4 * mpp);
    std::vector<LabelCandidate> candidates;
    for (int index : drawn) {
        const DisplayZone& z = data.zones()[static_cast<std::size_t>(index)];
        if (z.label.isEmpty() || !z.anchor) {
            continue;
        }
        LabelCandidate c;
        c.zone = index;
        c.draw_order = data.groups()[static_cast<std::size_t>(z.group)].draw_order;
        const ZoneShape& shape = z.levels[static_cast<std::size_t>(level)];
        if (!shape.polygons.isEmpty()) {
            // Big enough on screen to carry a label at all? It may be wider than its zone (a
            // red line's name usually is), not five times.
            const double small_side = std::min(z.bounds.width(), z.bounds.height()) / mpp;
            if (small_side < 20 ||
                std::max(z.bounds.width(), z.bounds.height()) / mpp < 0.2 * cache.width(data, index)) {
                continue;
            }
            if (inner_plane.contains(*z.anchor)) {
                c.at = view.to_screen(*z.anchor);
                c.clearance = z.anchor_clearance / mpp;
            } else {
                // The usual point is off screen: find one in the part that shows, on lines
                // simplified to about a pixel (a label needs no more).
                const int coarse = MapData::level_for(2 * mpp);
                const auto inner =
                    inner_point(z.levels[static_cast<std::size_t>(coarse)].polygons, 3 * mpp, inner_plane, 600);
                if (!inner) {
                    continue;
                }
                c.at = view.to_screen(inner->point);
                c.clearance = inner->distance / mpp;
            }
            if (c.clearance < 6) {
                continue;
            }
        } else if (!shape.lines.isEmpty()) {
            if (std::hypot(z.bounds.width(), z.bounds.height()) / mpp < cache.width(data, index) ||
                !inner_plane.contains(*z.anchor)) {
                continue;
            }
            c.at = view.to_screen(*z.anchor);
        } else {
            if (!inner_plane.contains(*z.anchor)) {
                continue;
            }
            c.at = view.to_screen(*z.anchor) + QPointF(6 + cache.width(data, index) / 2, 0);
        }
        candidates.push_back(c);
    }
    // The top layers first, then the roomiest zones.
    std::stable_sort(candidates.begin(), candidates.end(), [](const LabelCandidate& a, const LabelCandidate& b) {
        if (a.draw_order != b.draw_order) {
            return a.draw_order > b.draw_order;
        }
        return a.clearance > b.clearance;
    });
    std::set<std::pair<std::string, QString>> shown;  // one label per kind and name
    // Placed by their sizes first; then the images not made yet are made at once (on two
    // threads).
    std::vector<std::pair<int, QRectF>> chosen;
    for (const auto& c : candidates) {
        const DisplayZone& z = data.zones()[static_cast<std::size_t>(c.zone)];
        const LayerGroup& group = data.groups()[static_cast<std::size_t>(z.group)];
        if (shown.contains({group.kind, z.label})) {
            continue;  // nested sub-zones of one source share its name: label it once
        }
        const QSizeF size = cache.size(data, c.zone);
        const QRectF box(c.at.x() - size.width() / 2, c.at.y() - size.height() / 2, size.width(), size.height());
        if (!screen.contains(box) ||
            std::any_of(placed.begin(), placed.end(), [&](const QRectF& o) { return o.intersects(box); })) {
            continue;
        }
        placed.push_back(box);
        shown.insert({group.kind, z.label});
        chosen.emplace_back(c.zone, box);
    }
    std::vector<int> zones;
    for (const auto& [zone, box] : chosen) {
        zones.push_back(zone);
    }
    cache.prepare(data, zones);
    return chosen;
}

void draw_labels(QPainter& painter, const MapData& data, const std::vector<std::pair<int, QRectF>>& chosen,
                 LabelCache& cache, RenderStats& stats) {
    painter.setTransform(QTransform());
    for (const auto& [zone, box] : chosen) {
        // Whole pixels: the label's letters stay as crisp as they were drawn.
        painter.drawImage(QPointF(std::round(box.left()), std::round(box.top())), cache.image(data, zone));
        ++stats.labels;
    }
}

}  // namespace

LabelCache::LabelCache(double device_pixel_ratio)
    : dpr_(device_pixel_ratio), font_(label_font()), metrics_(std::make_unique<QFontMetricsF>(font_)) {}

LabelCache::~LabelCache() = default;

namespace {

// A label as an image: the text in the zone's label colour over a white halo. `width` is the
// text's advance; `font` and `metrics` belong to the calling thread (fonts are reentrant,
// not thread-safe).
QImage label_image(const QString& label, const QColor& colour, const QFont& font, const QFontMetricsF& metrics,
                   double width, double dpr) {
    const double w = std::ceil(width + 2 * halo + 2);
    const double h = std::ceil(metrics.height() + 2 * halo);
    auto blank = [&]() {
        QImage image(static_cast<int>(std::ceil(w * dpr)), static_cast<int>(std::ceil(h * dpr)),
                     QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(dpr);
        image.fill(Qt::transparent);
        return image;
    };
    const QPointF baseline(halo + 1, halo + metrics.ascent());
    // The text once in white; laid around a circle it makes the halo (as readable as
    // stroking the outlines of the glyphs, at a fraction of the cost for CJK).
    QImage white = blank();
    {
        QPainter painter(&white);
        painter.setFont(font);
        painter.setPen(QColor(255, 255, 255, 235));
        painter.drawText(baseline, label);
    }
    QImage image = blank();
    {
        QPainter painter(&image);
        for (int step = 0; step < 12; ++step) {
            const double angle = step * std::numbers::pi / 6;
            painter.drawImage(QPointF(halo * std::cos(angle), halo * std::sin(angle)), white);
        }
        painter.setFont(font);
        painter.setPen(colour);
        painter.drawText(baseline, label);
    }
    return image;
}

}  // namespace

void LabelCache::fit(const MapData& data) {
    if (images_.size() != data.zones().size()) {
        images_.assign(data.zones().size(), QImage());
    }
}

const QImage& LabelCache::image(const MapData& data, int zone) {
    fit(data);
    const auto i = static_cast<std::size_t>(zone);
    if (images_[i].isNull()) {
        const DisplayZone& z = data.zones()[i];
        images_[i] = label_image(z.label, label_colour(data.groups()[static_cast<std::size_t>(z.group)].style), font_,
                                 *metrics_, width(data, zone), dpr_);
    }
    return images_[i];
}

QSizeF LabelCache::size(const MapData& data, int zone) {
    return {std::ceil(width(data, zone) + 2 * halo + 2), std::ceil(metrics_->height() + 2 * halo)};
}

std::vector<int> label_warm_order(const MapData& data) {
    std::vector<int> order;
    for (std::size_t i = 0; i < data.zones().size(); ++i) {
        if (!data.zones()[i].label.isEmpty()) {
            order.push_back(static_cast<int>(i));
        }
    }
    std::stable_sort(order.begin(), order.end(), [&data](int a, int b) {
        const QRectF& ra = data.zones()[static_cast<std::size_t>(a)].bounds;
        const QRectF& rb = data.zones()[static_cast<std::size_t>(b)].bounds;
        return ra.width() * ra.height() > rb.width() * rb.height();
    });
    return order;
}

void LabelCache::prepare(const MapData& data, const std::vector<int>& zones) {
    fit(data);
    std::vector<int> missing;
    for (int zone : zones) {
        if (images_[static_cast<std::size_t>(zone)].isNull()) {
            width(data, zone);  // measured here, on this thread
            missing.push_back(zone);
        }
    }
    // Rasterising text is most of a first view's labelling: a second thread takes half,
    // with its own font (each image is written by one thread only).
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (missing.size() < 8 || cores < 2) {
        for (int zone : missing) {
            image(data, zone);
        }
        return;
    }
    auto make = [&](std::size_t from, std::size_t to, const QFont& font, const QFontMetricsF& metrics) {
        for (std::size_t k = from; k < to; ++k) {
            const auto i = static_cast<std::size_t>(missing[k]);
            const DisplayZone& z = data.zones()[i];
            images_[i] = label_image(z.label, label_colour(data.groups()[static_cast<std::size_t>(z.group)].style),
                                     font, metrics, widths_[i], dpr_);
        }
    };
    const std::size_t half = missing.size() / 2;
    std::thread worker([&]() {
        const QFont font = label_font();
        const QFontMetricsF metrics(font);
        make(half, missing.size(), font, metrics);
    });
    make(0, half, font_, *metrics_);
    worker.join();
}

double LabelCache::width(const MapData& data, int zone) {
    const auto i = static_cast<std::size_t>(zone);
    if (widths_.size() != data.zones().size()) {
        widths_.assign(data.zones().size(), -1.0f);
    }
    if (widths_[i] < 0) {
        widths_[i] = static_cast<float>(metrics_->horizontalAdvance(data.zones()[i].label));
    }
    return widths_[i];
}

namespace {

// The raster background under the whole picture, at the device's pixels. A raster that
// cannot be read leaves the white and says why in the stats.
void draw_background(QPainter& painter, const MapData& data, const MapView& view, const RasterBackground& background,
                     double dpr, RenderStats& stats) {
    const auto start = Clock::now();
    const int width = static_cast<int>(std::ceil(view.size.width() * dpr));
    const int height = static_cast<int>(std::ceil(view.size.height() * dpr));
    // The plane rectangle those pixels cover: from the window's top left corner.
    const QRectF plane = view.plane_rect();
    const double min_x = plane.left(), max_y = plane.bottom();
    const double max_x = min_x + width / dpr * view.metres_per_pixel;
    const double min_y = max_y - height / dpr * view.metres_per_pixel;
    try {
        RasterImage image = background.render(data.plane_definition(), min_x, min_y, max_x, max_y, width, height);
        QImage picture(image.rgba.data(), image.width, image.height, static_cast<qsizetype>(image.width) * 4,
                       QImage::Format_RGBA8888_Premultiplied);
        picture.setDevicePixelRatio(dpr);
        painter.setTransform(QTransform());
        painter.drawImage(QPointF(0, 0), picture);
    } catch (const Failure& e) {
        stats.background_problem = e.message();
    }
    stats.background_ms = ms_between(start, Clock::now());
}

}  // namespace

QColor fill_colour(const ZoneStyle& style) {
    return QColor::fromRgbF(static_cast<float>(style.fill.r), static_cast<float>(style.fill.g),
                            static_cast<float>(style.fill.b), static_cast<float>(style.fill.a));
}

QColor stroke_colour(const ZoneStyle& style) {
    return QColor::fromRgbF(static_cast<float>(style.stroke.r), static_cast<float>(style.stroke.g),
                            static_cast<float>(style.stroke.b), static_cast<float>(style.stroke.a));
}

QPen stroke_pen(const ZoneStyle& style, double device_pixel_ratio) {
    if (style.stroke_width <= 0 || style.stroke.a <= 0) {
        return Qt::NoPen;
    }
    // Cosmetic pens are as wide in device pixels as they say: scaled here to stay
    // device-independent on high-density screens.
    const double width = style.stroke_width * device_pixel_ratio;
    QPen pen(stroke_colour(style), width);
    pen.setCosmetic(true);
    pen.setJoinStyle(Qt::RoundJoin);
    pen.setCapStyle(Qt::FlatCap);
    if (style.dashed) {
        // The pattern counts in pen widths: 5 pixels on, 3 off at any width.
        const double unit = std::max(width, 1.0);
        pen.setDashPattern({5 * device_pixel_ratio / unit, 3 * device_pixel_ratio / unit});
    }
    return pen;
}

double scale_denominator(const MapData& data, const MapView& view, double dpi) {
    const double ground_per_pixel = view.metres_per_pixel / data.scale_factor(view.centre);
    return ground_per_pixel / (0.0254 / dpi);
}

RenderStats render_map(QPainter& painter, const MapData& data, const MapView& view, const RenderSettings& settings,
                       LabelCache* labels) {
    const auto start = Clock::now();
    RenderStats stats;
    painter.setTransform(QTransform());
    painter.fillRect(QRectF(QPointF(0, 0), view.size), Qt::white);
    const double mpp = view.metres_per_pixel;
    const double dpr = painter.device() != nullptr ? painter.device()->devicePixelRatio() : 1.0;
    if (settings.background) {
        draw_background(painter, data, view, *settings.background, dpr, stats);
    }
    ZonePass pass{data, view, MapData::level_for(mpp), {}, {}, {}};
    stats.level = pass.level;
    for (const auto& g : data.groups()) {
        pass.pens.push_back(stroke_pen(g.style, dpr));
        pass.brushes.push_back(g.style.fill.a > 0 ? QBrush(fill_colour(g.style)) : QBrush(Qt::NoBrush));
        // Under a solid outline at least half a pixel wide and mostly opaque, which covers
        // the stair steps of the fill's edge; or where the fill is so faint (a tint of a
        // tiling kind) that they do not show.
        const bool covered = !g.style.dashed && g.style.stroke_width >= 0.5 && g.style.stroke.a >= 0.5;
        pass.aliased_fill.push_back(g.style.fill.a > 0 && (covered || g.style.fill.a <= 0.15) ? 1 : 0);
    }

    // The zones that show, in drawing order.
    const QRectF visible = view.plane_rect().adjusted(-4 * mpp, -4 * mpp, 4 * mpp, 4 * mpp);
    std::vector<int> drawn;
    for (std::size_t i = 0; i < data.zones().size(); ++i) {
        const DisplayZone& z = data.zones()[i];
        if ((!settings.visible.empty() && !settings.visible[static_cast<std::size_t>(z.group)]) ||
            !overlaps(z.bounds, visible)) {
            continue;
        }
        drawn.push_back(static_cast<int>(i));
        stats.vertices += z.levels[static_cast<std::size_t>(pass.level)].vertices + z.points.size();
    }
    stats.zones = static_cast<int>(drawn.size());

    // Labels are placed on this thread while the zones are drawn (they need no pixel of
    // them), around the scale bar and the projection note.
    const Decorations decorations = layout_decorations(data, view, settings);
    LabelCache local(dpr);
    LabelCache& cache = labels != nullptr && labels->device_pixel_ratio() == dpr ? *labels : local;
    std::vector<std::pair<int, QRectF>> placed_labels;
    auto place = [&]() {
        if (settings.labels) {
            std::vector<QRectF> reserved;
            if (settings.decorations) {
                reserved = {decorations.scale_box, decorations.note_box};
            }
            placed_labels = place_labels(data, view, pass.level, drawn, std::move(reserved), cache);
        }
    };

    // A heavy map is drawn on two threads, each into its own band of the image's rows,
    // split where the estimated work halves. Each thread paints the whole picture through an
    // image of its own over the same pixels, clipped to its rows: a line crossing from one
    // band into the other is drawn as one line (its dashes in step), and the picture is
    // the one a single thread draws.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int threads = settings.threads > 0 ? settings.threads : static_cast<int>(std::min(2u, cores));
    QImage* image = painter.device() != nullptr && painter.device()->devType() == QInternal::Image
                        ? static_cast<QImage*>(painter.device())
                        : nullptr;
    // The bands' painters stand in for this one only where it draws plainly on the whole
    // image; and a shared image would be copied by bits(), and the copy drawn into.
    const bool plain = image != nullptr && image->isDetached() && !painter.hasClipping() && painter.opacity() >= 1 &&
                       painter.compositionMode() == QPainter::CompositionMode_SourceOver;
    std::vector<QRectF> boxes;  // the drawn zones' extents in device pixels, for the split
    if (threads >= 2 && plain && stats.vertices > 15000) {
        const QTransform to_device = view.transform() * QTransform::fromScale(dpr, dpr);
        boxes.reserve(drawn.size());
        for (int index : drawn) {
            boxes.push_back(to_device.mapRect(data.zones()[static_cast<std::size_t>(index)].bounds));
        }
    }
    const int split = boxes.empty() ? 0 : balanced_split(data, drawn, boxes, pass.level, image->size());
    if (split > 0) {
        // Each band's zones: those whose box reaches its rows, with a pixel or two for the
        // outline's width and antialiasing.
        std::vector<int> upper, lower;
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            if (boxes[i].top() < split + 2) {
                upper.push_back(drawn[i]);
            }
            if (boxes[i].bottom() > split - 2) {
                lower.push_back(drawn[i]);
            }
        }
        uchar* const bits = image->bits();
        // Both bands are drawn on threads of Qt's global pool. Off it, Qt's raster engine
        // hands each large fill to that pool in pieces and waits for them: with two threads
        // drawing, on two cores, that made the zones twice as slow as drawing in place.
        QThreadPool* pool = QThreadPool::globalInstance();
        QSemaphore finished;
        auto draw_band = [&](const QRect& rows, const std::vector<int>& zones) {
            // At one pixel a device pixel: the clip is whole rows.
            QImage picture(bits, image->width(), image->height(), image->bytesPerLine(), image->format());
            {
                QPainter band(&picture);
                band.setClipRect(rows);
                draw_zones(band, pass, zones, QTransform::fromScale(dpr, dpr));
            }
            finished.release();
        };
        const int width = image->width(), height = image->height();
        pool->reserveThread();
        pool->startOnReservedThread([&]() { draw_band(QRect(0, 0, width, split), upper); });
        pool->reserveThread();
        pool->startOnReservedThread([&]() { draw_band(QRect(0, split, width, height - split), lower); });
        place();
        finished.acquire(2);
        stats.threads = 2;
    } else if (image != nullptr && !painter.hasClipping()) {
        // Clipped to the picture as a band is to its rows (Qt blends a clipped fill a shade
        // apart), so that the picture does not depend on how many threads drew it.
        painter.save();
        painter.setTransform(QTransform());
        painter.setClipRect(QRectF(QPointF(0, 0), QSizeF(image->size()) / dpr));
        draw_zones(painter, pass, drawn, QTransform());
        painter.restore();
    } else {
        draw_zones(painter, pass, drawn, QTransform());
    }

    // Highlighted zones: a bright outline over everything else, the zone itself left visible.
    painter.setTransform(view.transform());
    painter.setRenderHint(QPainter::Antialiasing, true);
    QPen highlight(QColor(0, 170, 255), 2.5 * dpr);
    highlight.setCosmetic(true);
    highlight.setJoinStyle(Qt::RoundJoin);
    painter.setPen(highlight);
    painter.setBrush(Qt::NoBrush);
    for (int index : settings.highlighted) {
        if (index >= 0 && static_cast<std::size_t>(index) < data.zones().size()) {
            const ZoneShape& shape =
                data.zones()[static_cast<std::size_t>(index)].levels[static_cast<std::size_t>(pass.level)];
            painter.drawPath(shape.polygons);
            painter.drawPath(shape.lines);
        }
    }
    // Point parts as markers of a fixed size.
    painter.setTransform(QTransform());
    for (int index : drawn) {
        const DisplayZone& z = data.zones()[static_cast<std::size_t>(index)];
        if (z.points.empty()) {
            continue;
        }
        const auto g = static_cast<std::size_t>(z.group);
        painter.setPen(pass.pens[g]);
        QColor fill = fill_colour(data.groups()[g].style);
        fill.setAlphaF(std::max(fill.alphaF(), 0.6f));
        painter.setBrush(fill);
        for (const auto& p : z.points) {
            painter.drawEllipse(view.to_screen(p), 4.0, 4.0);
        }
    }
    for (const auto& overlay : settings.overlays) {
        if (overlay) {
            draw_overlay(painter, view, *overlay, dpr, settings.crowded_overlay_vertices);
        }
    }
    painter.setTransform(QTransform());
    const auto zones_done = Clock::now();
    stats.zones_ms = ms_between(start, zones_done) - stats.background_ms;
    if (stats.threads < 2) {
        place();
    }

    draw_labels(painter, data, placed_labels, cache, stats);
    if (settings.decorations) {
        painter.setTransform(QTransform());
        draw_decorations(painter, decorations);
    }
    const auto end = Clock::now();
    stats.labels_ms = ms_between(zones_done, end);
    stats.ms = ms_between(start, end);
    return stats;
}

QImage render_image(const MapData& data, const MapView& view, const RenderSettings& settings, double device_pixel_ratio,
                    RenderStats* stats, LabelCache* labels) {
    QImage image(static_cast<int>(std::ceil(view.size.width() * device_pixel_ratio)),
                 static_cast<int>(std::ceil(view.size.height() * device_pixel_ratio)),
                 QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(device_pixel_ratio);
    QPainter painter(&image);
    const RenderStats s = render_map(painter, data, view, settings, labels);
    painter.end();
    if (stats != nullptr) {
        *stats = s;
    }
    return image;
}

}  // namespace redline::viewer
