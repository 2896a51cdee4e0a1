// The editing tools on the canvas. Each builds edits from the mouse and keys and hands them
// to the EditController as one step; snapping and topology come from the controller.
//   select   click a zone of the edited kind (Shift adds), Esc clears
//   vertex   drag a vertex of the selected zone; double-click a segment adds one; Delete
//            removes the one under the cursor
//   draw     click vertices, double-click or Enter finishes, Backspace takes the last back,
//            Esc gives up: a new zone, a part of the selected zone, or a hole in it; or a
//            line that splits or reshapes the selected zone
//   move     drag the selected zone
//   delete part   click a part or a hole of the selected zone to take it away
#pragma once

#ifndef Q_MOC_RUN
#include "edit_controller.hpp"
#endif
#include "map_tool.hpp"

#include <QPointF>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace redline::viewer {

class MapCanvas;

// Asks the user for a new zone's fields (the attribute form); nullopt: given up.
using FieldsPrompt = std::function<std::optional<ZoneEdit>(const ZoneEdit& prefilled)>;

class EditTool : public MapTool {
public:
    EditTool(EditController& controller, MapCanvas& canvas) : controller_(controller), canvas_(canvas) {}
    void paint(QPainter& painter, const MapView& view) const override;
    bool move(const ToolEvent& event) override;
    void cancel() override { snapped_.reset(); }

protected:
    // The cursor's point, snapped when something is near.
    QPointF snapped_plane(const ToolEvent& event);
    LonLat snapped_lonlat(const ToolEvent& event);
    void report_refusal();  // the controller's last error on the status line
    EditController& controller_;
    MapCanvas& canvas_;
    std::optional<SnapResult> snapped_;
};

class SelectTool : public EditTool {
public:
    using EditTool::EditTool;
    bool press(const ToolEvent& event) override;
    bool key(QKeyEvent* event) override;
    QCursor cursor() const override { return Qt::ArrowCursor; }
};

class VertexTool : public EditTool {
public:
    using EditTool::EditTool;
    bool press(const ToolEvent& event) override;
    bool move(const ToolEvent& event) override;
    bool release(const ToolEvent& event) override;
    bool double_click(const ToolEvent& event) override;
    bool key(QKeyEvent* event) override;
    void paint(QPainter& painter, const MapView& view) const override;
    void cancel() override;

private:
    struct Hit {
        LonLat at;
        QPointF plane;
    };
    std::optional<Hit> vertex_near(const QPointF& screen) const;
    std::optional<std::pair<LonLat, LonLat>> segment_near(const QPointF& screen, QPointF* foot) const;
    // The selected zone's vertices, lon/lat and plane: read once per zone and revision (the
    // cursor asks on every move).
    const std::vector<std::pair<LonLat, QPointF>>& selected_vertices() const;
    mutable std::vector<std::pair<LonLat, QPointF>> vertices_;
    mutable std::pair<std::string, int> vertices_of_{"", -1};
    std::optional<Hit> dragging_;
    QPointF drag_to_;
    std::optional<Hit> hover_;
};

class DrawTool : public EditTool {
public:
    enum class Mode { new_zone, add_part, add_ring, split, reshape };
    DrawTool(EditController& controller, MapCanvas& canvas, Mode mode, FieldsPrompt prompt = {})
        : EditTool(controller, canvas), mode_(mode), prompt_(std::move(prompt)) {}
    bool press(const ToolEvent& event) override;
    bool move(const ToolEvent& event) override;
    bool double_click(const ToolEvent& event) override;
    bool key(QKeyEvent* event) override;
    void paint(QPainter& painter, const MapView& view) const override;
    void cancel() override;
    Mode mode() const { return mode_; }
    // Finishes what is drawn (as a double-click or Enter does); false when refused.
    bool finish();

private:
    bool draws_line() const;
    Mode mode_;
    FieldsPrompt prompt_;
    std::vector<LonLat> points_;
    std::vector<QPointF> plane_;
    std::optional<QPointF> cursor_;
};

class MoveTool : public EditTool {
public:
    using EditTool::EditTool;
    bool press(const ToolEvent& event) override;
    bool move(const ToolEvent& event) override;
    bool release(const ToolEvent& event) override;
    void paint(QPainter& painter, const MapView& view) const override;
    void cancel() override { from_.reset(); }

private:
    std::optional<QPointF> from_;
    QPointF to_;
};

class DeletePartTool : public EditTool {
public:
    using EditTool::EditTool;
    bool press(const ToolEvent& event) override;
    QCursor cursor() const override { return Qt::PointingHandCursor; }
};

// Edits not drawn: merge the selected zones into the first, retire the selected ones.
std::optional<std::vector<ZoneEdit>> merge_selected(EditController& controller);
std::vector<ZoneEdit> retire_selected(const EditController& controller);

}  // namespace redline::viewer
