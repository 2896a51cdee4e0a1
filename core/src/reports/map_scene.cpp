#include "reports/map_scene.hpp"
#include "redline/projection.hpp"

#include "base/geodesy.hpp"
#include "base/geos_support.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace redline::map {
namespace {

constexpr double legend_row = 13;  // points per legend row
constexpr int legend_columns = 3;

// Page placement of local metres: x right, y down.
struct Placement {
    double origin_x = 0, origin_y = 0;  // metres at the frame's top left
    double scale = 1;                   // points per metre
    double frame_x = 0, frame_y = 0;
    std::pair<double, double> page(double mx, double my) const {
        return {frame_x + (mx - origin_x) * scale, frame_y + (origin_y - my) * scale};
    }
};

bool is_cjk_lead(unsigned char c) {
    return c >= 0xE0;  // three- and four-byte UTF-8 sequences: CJK and other wide symbols
}

std::string degrees_label(double value, bool longitude, double step_deg) {
    const char hemisphere = longitude ? (value < 0 ? 'W' : 'E') : (value < 0 ? 'S' : 'N');
    const double a = std::fabs(value);
    long total_seconds = std::lround(a * 3600);
    const long d = total_seconds / 3600;
    const long m = (total_seconds % 3600) / 60;
    const long s = total_seconds % 60;
    std::string out = std::to_string(d) + "°";
    if (step_deg < 1 - 1e-9 || m != 0 || s != 0) {
        out += (m < 10 ? "0" : "") + std::to_string(m) + "′";
    }
    if (step_deg < 1.0 / 60 - 1e-9 || s != 0) {
        out += (s < 10 ? "0" : "") + std::to_string(s) + "″";
    }
    return out + hemisphere;
}

std::string length_label(double metres) {
    if (metres >= 1000) {
        return text::fixed(metres / 1000, metres >= 10000 || std::fmod(metres, 1000) == 0 ? 0 : 1) + " km";
    }
    return text::fixed(metres, 0) + " m";
}

class Builder {
public:
    explicit Builder(const Request& request) : request_(request) {}

    Scene build() {
        scene_.width = request_.width_pt;
        scene_.height = request_.height_pt;
        collect_legend();
        const double legend_rows = std::ceil(static_cast<double>(legend_.size()) / static_cast<double>(legend_columns));
        scene_.frame_x = 46;
        scene_.frame_y = 6;
        scene_.frame_w = scene_.width - scene_.frame_x - 8;
        scene_.frame_h = scene_.height - scene_.frame_y - 16 - legend_rows * legend_row - 4;
        place();
        for (const auto& feature : request_.features) {
            add_feature(feature);
        }
        add_labels();
        add_graticule();
        add_frame();
        add_scale_bar();
        add_north_arrow();
        add_legend();
        return std::move(scene_);
    }

private:
    void collect_legend() {
        for (const auto& f : request_.features) {
            if (f.legend.empty()) {
                continue;
            }
            if (std::none_of(legend_.begin(), legend_.end(),
                             [&](const std::pair<std::string, Feature>& e) { return e.first == f.legend; })) {
                legend_.emplace_back(f.legend, f);
            }
        }
    }

    // The local projection and the scale that fit the focus (grown by a margin) in the frame.
    void place() {
        const BoundingBox& f = request_.focus;
        projection_ = std::make_unique<geodesy::LocalProjection>((f.min_x + f.max_x) / 2);
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (double t = 0; t <= 1.0001; t += 0.25) {
            for (auto [lon, lat] :
                 std::array<std::pair<double, double>, 4>{{{f.min_x + t * (f.max_x - f.min_x), f.min_y},
                                                           {f.min_x + t * (f.max_x - f.min_x), f.max_y},
                                                           {f.min_x, f.min_y + t * (f.max_y - f.min_y)},
                                                           {f.max_x, f.min_y + t * (f.max_y - f.min_y)}}}) {
                projection_->forward(lon, lat);
                x0 = std::min(x0, lon);
                x1 = std::max(x1, lon);
                y0 = std::min(y0, lat);
                y1 = std::max(y1, lat);
            }
        }
        // At least 600 m across, so a point or a small parcel shows its surroundings.
        const double min_extent = 600;
        double w = std::max(x1 - x0, min_extent) * 1.3;
        double h = std::max(y1 - y0, min_extent) * 1.3;
        const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        const double aspect = scene_.frame_w / scene_.frame_h;
        if (w / h > aspect) {
            h = w / aspect;
        } else {
            w = h * aspect;
        }
        placement_.scale = scene_.frame_w / w;
        placement_.origin_x = cx - w / 2;
        placement_.origin_y = cy + h / 2;
        placement_.frame_x = scene_.frame_x;
        placement_.frame_y = scene_.frame_y;
        // The lon/lat box the frame shows (for clipping before projecting).
        view_ = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (double t = 0; t <= 1.0001; t += 0.125) {
            for (auto [x, y] : std::array<std::pair<double, double>, 4>{{{cx - w / 2 + t * w, cy - h / 2},
                                                                         {cx - w / 2 + t * w, cy + h / 2},
                                                                         {cx - w / 2, cy - h / 2 + t * h},
                                                                         {cx + w / 2, cy - h / 2 + t * h}}}) {
                projection_->inverse(x, y);
                view_.min_x = std::min(view_.min_x, x);
                view_.max_x = std::max(view_.max_x, x);
                view_.min_y = std::min(view_.min_y, y);
                view_.max_y = std::max(view_.max_y, y);
            }
        }
        const double gx = (view_.max_x - view_.min_x) * 0.05, gy = (view_.max_y - view_.min_y) * 0.05;
        view_ = {view_.min_x - gx, view_.min_y - gy, view_.max_x + gx, view_.max_y + gy};
    }

    std::pair<double, double> to_page(double lon, double lat) const {
        projection_->forward(lon, lat);
        return placement_.page(lon, lat);
    }

    // The feature in page points, clipped to the frame and thinned to a fifth of a point.
    geos::GeomPtr page_geometry(const Geometry& geometry) {
        auto g = geos::from_wkb(ctx_, geometry);
        const auto h = ctx_.handle();
        if (GEOSGeom_getDimensions_r(h, g.get()) > 0) {
            if (GEOSGeometry* clipped =
                    GEOSClipByRect_r(h, g.get(), view_.min_x, view_.min_y, view_.max_x, view_.max_y)) {
                g = geos::own(ctx_, clipped, "clip");
            }
        }
        auto to_page_cb = [](double* x, double* y, void* userdata) -> int {
            const auto* self = static_cast<const Builder*>(userdata);
            const auto [px, py] = self->to_page(*x, *y);
            *x = px;
            *y = py;
            return 1;
        };
        g = geos::own(ctx_, GEOSGeom_transformXY_r(h, g.get(), to_page_cb, this), "page coordinates");
        if (GEOSGeom_getDimensions_r(h, g.get()) > 0) {
            const double m = 3;
            if (GEOSGeometry* clipped =
                    GEOSClipByRect_r(h, g.get(), scene_.frame_x - m, scene_.frame_y - m,
                                     scene_.frame_x + scene_.frame_w + m, scene_.frame_y + scene_.frame_h + m)) {
                g = geos::own(ctx_, clipped, "clip");
            }
            if (GEOSGeometry* thin = GEOSTopologyPreserveSimplify_r(h, g.get(), 0.2)) {
                g = geos::own(ctx_, thin, "simplify");
            }
        }
        return g;
    }

    void add_feature(const Feature& feature) {
        if (feature.geometry.empty()) {
            return;
        }
        auto g = page_geometry(feature.geometry);
        const auto h = ctx_.handle();
        if (GEOSisEmpty_r(h, g.get()) == 1) {
            return;
        }
        Path polygons{{}, true, feature.style};
        Path lines{{}, false, feature.style};
        geos::for_each_part(ctx_, g.get(), [&](const GEOSGeometry* part) {
            switch (GEOSGeomTypeId_r(h, part)) {
                case GEOS_POLYGON: {
                    polygons.rings.push_back(ring(geos::coordinates(ctx_, GEOSGetExteriorRing_r(h, part))));
                    for (int i = 0; i < GEOSGetNumInteriorRings_r(h, part); ++i) {
                        polygons.rings.push_back(ring(geos::coordinates(ctx_, GEOSGetInteriorRingN_r(h, part, i))));
                    }
                    break;
                }
                case GEOS_LINESTRING:
                case GEOS_LINEARRING:
                    lines.rings.push_back(ring(geos::coordinates(ctx_, part)));
                    break;
                case GEOS_POINT: {
                    double x = 0, y = 0;
                    GEOSGeomGetX_r(h, part, &x);
                    GEOSGeomGetY_r(h, part, &y);
                    polygons.rings.push_back(marker(x, y, feature.style.marker_radius));
                    break;
                }
                default:
                    break;
            }
        });
        if (!polygons.rings.empty()) {
            scene_.clipped_paths.push_back(std::move(polygons));
        }
        if (!lines.rings.empty()) {
            scene_.clipped_paths.push_back(std::move(lines));
        }
        if (!feature.label.empty()) {
            labels_.push_back({feature.label, label_point(g.get())});
        }
    }

    static Ring ring(const std::vector<double>& xy) {
        Ring r;
        for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
            r.emplace_back(xy[i], xy[i + 1]);
        }
        return r;
    }

    static Ring marker(double x, double y, double radius) {
        Ring r;
        const int sides = radius < 2 ? 8 : 16;
        for (int i = 0; i <= sides; ++i) {
            const double a = 2 * std::numbers::pi * i / sides;
            r.emplace_back(x + radius * std::cos(a), y + radius * std::sin(a));
        }
        return r;
    }

    std::pair<double, double> label_point(const GEOSGeometry* g) {
        const auto h = ctx_.handle();
        // Only the part inside the frame can carry a label.
        auto inside =
            geos::own(ctx_,
                      GEOSClipByRect_r(h, g, scene_.frame_x + 4, scene_.frame_y + 4,
                                       scene_.frame_x + scene_.frame_w - 4, scene_.frame_y + scene_.frame_h - 4),
                      "clip");
        if (GEOSisEmpty_r(h, inside.get()) == 1) {
            return {NAN, NAN};
        }
        geos::GeomPtr point;
        if (GEOSGeom_getDimensions_r(h, inside.get()) == 1) {
            point = geos::own(ctx_, GEOSInterpolateNormalized_r(h, inside.get(), 0.5), "label point");
        } else {
            point = geos::own(ctx_, GEOSPointOnSurface_r(h, inside.get()), "label point");
        }
        double x = NAN, y = NAN;
        if (GEOSisEmpty_r(h, point.get()) == 0) {
            GEOSGeomGetX_r(h, point.get(), &x);
            GEOSGeomGetY_r(h, point.get(), &y);
        }
        return {x, y};
    }

    // Labels of the top layers first (the footprint, then red lines, ...); one that would
    // overlap a placed one is left out.
    void add_labels() {
        std::reverse(labels_.begin(), labels_.end());
        struct Box {
            double x0, y0, x1, y1;
        };
        std::vector<Box> placed;
        const double size = 7.5;
        for (const auto& [label, at] : labels_) {
            if (std::isnan(at.first)) {
                continue;
            }
            const double w = text_width(label, size);
            Box b{at.first - w / 2 - 1, at.second - size, at.first + w / 2 + 1, at.second + 2};
            b.x0 = std::max(b.x0, scene_.frame_x + 2);
            b.x1 = b.x0 + w + 2;
            if (b.x1 > scene_.frame_x + scene_.frame_w - 2) {
                b.x1 = scene_.frame_x + scene_.frame_w - 2;
                b.x0 = b.x1 - w - 2;
            }
            const bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const Box& o) {
                return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1;
            });
            if (overlaps) {
                continue;
            }
            placed.push_back(b);
            Text t;
            t.text = label;
            t.x = (b.x0 + b.x1) / 2;
            t.y = at.second;
            t.size = size;
            t.colour = {0.1, 0.1, 0.1, 1};
            t.anchor = Anchor::middle;
            t.halo = true;
            scene_.texts.push_back(std::move(t));
        }
    }

    // Lines of longitude and latitude at a round step, labelled outside the frame.
    void add_graticule() {
        static constexpr double steps[] = {1.0,        0.5,        0.25,        1.0 / 6,     5.0 / 60,
                                           2.0 / 60,   1.0 / 60,   30.0 / 3600, 15.0 / 3600, 10.0 / 3600,
                                           5.0 / 3600, 2.0 / 3600, 1.0 / 3600};
        const double span = std::max(view_.max_x - view_.min_x, view_.max_y - view_.min_y) / 1.1;
        double step = steps[0];
        for (double s : steps) {
            step = s;
            if (span / s >= 3) {
                break;
            }
        }
        const Style grid{{0, 0, 0, 0}, {0.35, 0.35, 0.35, 0.7}, 0.4, true};
        const double left = scene_.frame_x, right = scene_.frame_x + scene_.frame_w;
        const double top = scene_.frame_y, bottom = scene_.frame_y + scene_.frame_h;
        auto inside = [&](double x, double y) { return x >= left && x <= right && y >= top && y <= bottom; };
        for (int axis = 0; axis < 2; ++axis) {
            const bool meridians = axis == 0;
            const double lo = meridians ? view_.min_x : view_.min_y, hi = meridians ? view_.max_x : view_.max_y;
            for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + 1e-12; v += step) {
                Path line{{}, false, grid};
                Ring points;
                const double a0 = meridians ? view_.min_y : view_.min_x;
                const double a1 = meridians ? view_.max_y : view_.max_x;
                for (int i = 0; i <= 40; ++i) {
                    const double a = a0 + (a1 - a0) * i / 40;
                    const auto [x, y] = meridians ? to_page(v, a) : to_page(a, v);
                    if (inside(x, y)) {
                        points.emplace_back(x, y);
                    } else if (!points.empty()) {
                        break;
                    }
                }
                if (points.size() < 2) {
                    continue;
                }
                // The label goes where the line leaves the frame: bottom for meridians, left for parallels.
                Text t;
                t.text = degrees_label(v, meridians, step);
                t.size = 6.5;
                t.colour = {0.2, 0.2, 0.2, 1};
                if (meridians) {
                    const auto& end = points.front().second > points.back().second ? points.front() : points.back();
                    t.x = end.first;
                    t.y = bottom + 9;
                    t.anchor = Anchor::middle;
                    if (t.x - text_width(t.text, t.size) / 2 < left || t.x + text_width(t.text, t.size) / 2 > right) {
                        t.text.clear();
                    }
                } else {
                    const auto& end = points.front().first < points.back().first ? points.front() : points.back();
                    t.x = left - 3;
                    t.y = end.second + 2.2;
                    t.anchor = Anchor::end;
                    if (end.second < top + 4 || end.second > bottom - 2) {
                        t.text.clear();
                    }
                }
                line.rings.push_back(std::move(points));
                scene_.paths.push_back(std::move(line));
                if (!t.text.empty()) {
                    scene_.texts.push_back(std::move(t));
                }
            }
        }
    }

    void add_frame() {
        Path frame{{}, true, {{0, 0, 0, 0}, {0.1, 0.1, 0.1, 1}, 0.8, false}};
        const double x0 = scene_.frame_x, y0 = scene_.frame_y;
        const double x1 = x0 + scene_.frame_w, y1 = y0 + scene_.frame_h;
        frame.rings.push_back({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
        scene_.paths.push_back(std::move(frame));
    }

    static Ring rectangle(double x0, double y0, double x1, double y1) {
        return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    }

    // Bottom left: a bar of a round length in four alternating parts, and the scale.
    void add_scale_bar() {
        const double target_m = scene_.frame_w * 0.22 / placement_.scale;
        const double length_m = scale_bar_length(target_m);
        const double bar = length_m * placement_.scale;
        const double x0 = scene_.frame_x + 10, y0 = scene_.frame_y + scene_.frame_h - 14;
        scene_.paths.push_back(
            {{rectangle(x0 - 5, y0 - 12, x0 + bar + 24, y0 + 9)}, true, {{1, 1, 1, 0.85}, {0, 0, 0, 0}, 0, false}});
        for (int i = 0; i < 4; ++i) {
            const double a = x0 + bar * i / 4, b = x0 + bar * (i + 1) / 4;
            const Colour fill = i % 2 == 0 ? Colour{0.1, 0.1, 0.1, 1} : Colour{1, 1, 1, 1};
            scene_.paths.push_back({{rectangle(a, y0, b, y0 + 4)}, true, {fill, {0.1, 0.1, 0.1, 1}, 0.5, false}});
        }
        scene_.texts.push_back({"0", x0, y0 - 2.5, 6.5, {0.1, 0.1, 0.1, 1}, Anchor::middle, false, false});
        scene_.texts.push_back(
            {length_label(length_m), x0 + bar, y0 - 2.5, 6.5, {0.1, 0.1, 0.1, 1}, Anchor::middle, false, false});
        // The representative fraction, rounded: at 96 dpi on screen it differs, on paper it holds.
        const double denominator = 1.0 / (placement_.scale * 0.0254 / 72.0);
        const double rounded = scale_bar_length(denominator) == denominator
                                   ? denominator
                                   : std::round(denominator / std::pow(10.0, std::floor(std::log10(denominator)) - 1)) *
                                         std::pow(10.0, std::floor(std::log10(denominator)) - 1);
        scene_.texts.push_back({"1:" + text::fixed(rounded, 0),
                                x0 + bar + 4,
                                y0 + 4.5,
                                6.5,
                                {0.1, 0.1, 0.1, 1},
                                Anchor::start,
                                false,
                                false});
    }

    // Top right: the projection's central meridian runs through the map's centre, so grid
    // north there is true north.
    void add_north_arrow() {
        const double cx = scene_.frame_x + scene_.frame_w - 16, top = scene_.frame_y + 8;
        scene_.paths.push_back(
            {{rectangle(cx - 9, top - 3, cx + 9, top + 34)}, true, {{1, 1, 1, 0.85}, {0, 0, 0, 0}, 0, false}});
        scene_.paths.push_back({{{{cx, top + 12}, {cx - 6, top + 28}, {cx, top + 23}, {cx, top + 12}}},
                                true,
                                {{0.1, 0.1, 0.1, 1}, {0.1, 0.1, 0.1, 1}, 0.6, false}});
        scene_.paths.push_back({{{{cx, top + 12}, {cx + 6, top + 28}, {cx, top + 23}, {cx, top + 12}}},
                                true,
                                {{1, 1, 1, 1}, {0.1, 0.1, 0.1, 1}, 0.6, false}});
        scene_.texts.push_back({request_.language == Language::zh ? "北" : "N",
                                cx,
                                top + 9,
                                8,
                                {0.1, 0.1, 0.1, 1},
                                Anchor::middle,
                                true,
                                false});
    }

    void add_legend() {
        const double y0 = scene_.frame_y + scene_.frame_h + 16;
        const double column_w = scene_.frame_w / legend_columns;
        for (std::size_t i = 0; i < legend_.size(); ++i) {
            const double x = scene_.frame_x + column_w * static_cast<double>(i % legend_columns);
            const double y = y0 + legend_row * static_cast<double>(i / legend_columns);
            const Feature& f = legend_[i].second;
            const std::string type = geometry_type_name(f.geometry);
            if (type.find("LineString") != std::string::npos) {
                scene_.paths.push_back({{{{x, y + 4}, {x + 16, y + 4}}}, false, f.style});
            } else if (type.find("Point") != std::string::npos) {
                scene_.paths.push_back({{marker(x + 8, y + 4, std::max(f.style.marker_radius, 2.5))}, true, f.style});
            } else {
                Style s = f.style;
                s.stroke_width = std::min(s.stroke_width, 1.5);
                scene_.paths.push_back({{rectangle(x, y, x + 16, y + 8)}, true, s});
            }
            std::string label = legend_[i].first;
            const double room = column_w - 24;
            while (text_width(label, 7) > room && label.size() > 3) {
                // Cut whole UTF-8 characters until it fits.
                std::size_t cut = label.size() - 1;
                while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) {
                    --cut;
                }
                label = label.substr(0, cut);
            }
            if (label != legend_[i].first) {
                label += "…";
            }
            scene_.texts.push_back({label, x + 20, y + 7, 7, {0.1, 0.1, 0.1, 1}, Anchor::start, false, false});
        }
    }

    const Request& request_;
    Scene scene_;
    geos::Context ctx_;
    std::unique_ptr<geodesy::LocalProjection> projection_;
    Placement placement_;
    BoundingBox view_;
    std::vector<std::pair<std::string, Feature>> legend_;
    std::vector<std::pair<std::string, std::pair<double, double>>> labels_;
};

}  // namespace

double text_width(const std::string& text, double size) {
    double width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            width += 0.55 * size;
            ++i;
        } else {
            width += is_cjk_lead(c) ? size : 0.6 * size;
            ++i;
            while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
                ++i;
            }
        }
    }
    return width;
}

Scene build(const Request& request) {
    return Builder(request).build();
}

Scene bar_chart(const std::vector<Bar>& bars, double width_pt) {
    Scene scene;
    const double row = 16, label_w = 130, count_w = 60;
    scene.width = width_pt;
    scene.height = row * static_cast<double>(bars.size()) + 8;
    double largest = 0;
    for (const auto& b : bars) {
        largest = std::max(largest, b.value);
    }
    const double room = width_pt - label_w - count_w;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double y = 4 + row * static_cast<double>(i);
        const double w = largest > 0 ? room * bars[i].value / largest : 0;
        if (w > 0) {
            scene.paths.push_back({{{{label_w, y + 2},
                                     {label_w + w, y + 2},
                                     {label_w + w, y + row - 3},
                                     {label_w, y + row - 3},
                                     {label_w, y + 2}}},
                                   true,
                                   {bars[i].colour, {0, 0, 0, 0}, 0, false}});
        }
        scene.texts.push_back(
            {bars[i].label, label_w - 6, y + row - 5.5, 8, {0.1, 0.1, 0.1, 1}, Anchor::end, false, false});
        scene.texts.push_back({text::fixed(bars[i].value, 0),
                               label_w + w + 4,
                               y + row - 5.5,
                               8,
                               {0.1, 0.1, 0.1, 1},
                               Anchor::start,
                               false,
                               false});
    }
    return scene;
}

}  // namespace redline::map
