// The map widget: draws the MapData through the renderer into a cached image, redrawn only
// when the view, the layers shown or the highlight change. Drag to pan (the cached image
// moves along until the button is released), wheel to zoom about the cursor, + and - to
// zoom about the centre, Home for the full extent, arrows to pan; a click without a drag
// is an identify request.
#pragma once

// moc (Qt 6.4) cannot parse C++20 concepts, which core's headers and the standard library
// use; it only needs the class below, so it does not read them.
#ifndef Q_MOC_RUN
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "map_tool.hpp"
#include "map_view.hpp"
#endif

#include <QImage>
#include <QString>
#include <QWidget>

#include <map>
#include <memory>
#include <vector>

namespace redline::viewer {

// How the canvas (and --render) shows a plane rectangle: all of it with a margin of 5% of
// the window, and at least 300 m across (a point or a tiny zone shows its surroundings).
void fit_view(MapView& view, const QRectF& plane);

class MapCanvas : public QWidget {
    Q_OBJECT

public:
    explicit MapCanvas(const MapData& map, QWidget* parent = nullptr);

    const MapView& view() const { return view_; }
    const RenderSettings& settings() const { return settings_; }
    const RenderStats& last_render() const { return last_render_; }
    int renders() const { return renders_; }  // how many times the map was drawn

    void set_view(const MapView& view);
    void zoom_to_full_extent();
    void zoom_to_rect(const QRectF& plane);  // with a margin, at least 300 m across
    void zoom_to_zones(const std::vector<int>& zones);
    void zoom_by(double factor);  // about the centre
    void set_group_visible(int group, bool visible);
    void set_labels(bool shown);
    void set_highlighted(const std::vector<int>& zones);
    // Lays an overlay over the zones under a name (replacing the one of that name); null
    // takes it away. Overlays are drawn in the order of their names.
    void set_overlay(const QString& name, std::shared_ptr<const Overlay> overlay);
    std::shared_ptr<const Overlay> overlay(const QString& name) const;
    // A raster drawn under the zones (null takes it away); the map is drawn again.
    void set_background(std::shared_ptr<const RasterBackground> background);
    // The zones changed (an edit): zone indices, layer groups and labels are taken anew;
    // the highlight is dropped (its indices are stale).
    void data_changed();
    // The tool that takes the mouse and keys first (not owned; null: pan and identify).
    void set_tool(MapTool* tool);
    MapTool* tool() const { return tool_; }
    // Draws now if anything changed (the paint event does this too).
    void render_if_needed();

    QSize sizeHint() const override { return {900, 650}; }

signals:
    void cursor_moved(QPointF plane);
    void cursor_left();
    void view_changed();
    void rendered();  // the map was drawn again (last_render() says how long it took)
    void identify_requested(QPointF plane, double tolerance_m);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void changed();       // the view changed: draw again, tell the others
    void warm_labels();   // draws a few labels ahead into the cache, while the user looks
    void order_labels();  // zones by size for warm_labels
    void moved_by_user();

    const MapData& data_;
    MapView view_;
    RenderSettings settings_;
    std::map<QString, std::shared_ptr<const Overlay>> overlays_;
    QImage cache_;
    std::unique_ptr<LabelCache> labels_;
    std::vector<int> warm_order_;  // zones by size, largest first: labels needed soonest
    std::size_t warm_next_ = 0;
    bool dirty_ = true;
    // What the view was last asked to show (fitted again when the window is resized, until
    // the user moves the map).
    QRectF requested_;
    bool user_moved_ = false;
    RenderStats last_render_;
    int renders_ = 0;
    MapTool* tool_ = nullptr;
    ToolEvent tool_event(const QMouseEvent* event) const;
    // A drag in progress: where the button went down, and how far the map moved so far.
    bool pressed_ = false;
    bool dragging_ = false;
    QPointF press_at_;
    QPointF drag_offset_;
};

}  // namespace redline::viewer
