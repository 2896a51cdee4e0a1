// Draws the map: a raster background when there is one, zones in drawing order with their
// kind's and sub-zone's style, the highlighted zones, labels that do not overlap, a scale bar
// and the projection. The canvas and --render both draw through here, so a picture shows
// what the window shows.
#pragma once

#include "map_data.hpp"
#include "map_view.hpp"
#include "overlay.hpp"

#include "redline/inputs/raster_background.hpp"
#include "redline/message.hpp"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include <memory>
#include <optional>
#include <vector>

namespace redline::viewer {

struct RenderSettings {
    std::vector<bool> visible;  // per layer group; empty: all shown
    // A raster drawn first, under the zones; null: none. Shared, not copied: every drawing
    // of the canvas and --render asks the one open raster.
    std::shared_ptr<const RasterBackground> background;
    bool labels = true;
    std::vector<int> highlighted;  // zone indices, outlined on top
    // Drawn in turn over the zones and under the labels.
    std::vector<std::shared_ptr<const Overlay>> overlays;
    // Above this many vertices to stroke, an overlay's lines are drawn thin and its casings
    // left out (draw_overlay); the benchmark raises it to time overlays drawn as styled.
    std::size_t crowded_overlay_vertices = crowded_vertices;
    bool decorations = true;  // scale bar, scale and projection note
    double dpi = 96;          // for the scale 1:N (logical dots per inch)
    int threads = 0;          // drawing threads for heavy maps; 0: up to two, as the cores allow
};

struct RenderStats {
    double ms = 0;             // the whole drawing
    double background_ms = 0;  // of which the raster background
    // Of which the zones; drawn on two threads, the labels are placed meanwhile and their
    // placing counts here, not in labels_ms.
    double zones_ms = 0;
    double labels_ms = 0;  // of which labels and decorations
    int level = 0;         // level of detail drawn
    int zones = 0;         // zones drawn
    std::size_t vertices = 0;
    int labels = 0;
    int threads = 1;  // that drew the zones
    // Why the background is missing from the picture (the raster could not be read); the
    // zones are drawn all the same.
    std::optional<Message> background_problem;
};

// Zone labels drawn once (text and halo) and kept: a label is the same on every redraw.
class LabelCache {
public:
    explicit LabelCache(double device_pixel_ratio = 1);
    ~LabelCache();
    LabelCache(const LabelCache&) = delete;
    LabelCache& operator=(const LabelCache&) = delete;
    // The label of a zone as an image (logical size: the text plus its halo), and the
    // text's advance width in logical pixels.
    const QImage& image(const MapData& data, int zone);
    double width(const MapData& data, int zone);
    // The size image() will have (logical pixels), without making it.
    QSizeF size(const MapData& data, int zone);
    // Makes the images of these zones not made yet, on two threads when there are many.
    void prepare(const MapData& data, const std::vector<int>& zones);
    double device_pixel_ratio() const { return dpr_; }

private:
    void fit(const MapData& data);  // one slot per zone
    double dpr_;
    QFont font_;
    std::unique_ptr<QFontMetricsF> metrics_;
    std::vector<QImage> images_;
    std::vector<float> widths_;
};

// The zones with labels, largest first: the order a canvas makes their images in while it
// is idle, so that the labels of zoomed-out views (the large zones) are made first.
std::vector<int> label_warm_order(const MapData& data);

// `labels` may be null (labels are then drawn without keeping them).
RenderStats render_map(QPainter& painter, const MapData& data, const MapView& view, const RenderSettings& settings,
                       LabelCache* labels = nullptr);
// The map as an image of view.size × device_pixel_ratio pixels.
QImage render_image(const MapData& data, const MapView& view, const RenderSettings& settings,
                    double device_pixel_ratio = 1, RenderStats* stats = nullptr, LabelCache* labels = nullptr);

// The map's scale at the view's centre as N of 1:N, on a screen of `dpi` logical dots per
// inch (ground metres, the projection's scale factor taken out).
double scale_denominator(const MapData& data, const MapView& view, double dpi);

// The colours a style gives (fill transparent when it has none).
QColor fill_colour(const ZoneStyle& style);
QColor stroke_colour(const ZoneStyle& style);
// The cosmetic pen a style draws outlines with, in device-independent pixels.
QPen stroke_pen(const ZoneStyle& style, double device_pixel_ratio = 1);

}  // namespace redline::viewer
