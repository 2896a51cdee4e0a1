// A tool that takes the canvas's mouse and keys (the editing tools): the canvas offers each
// event to the tool first and pans, zooms and identifies only with what the tool leaves.
// The tool draws its feedback (a rubber band, the snapped point) over the cached map.
#pragma once

#include "map_view.hpp"

#include <QCursor>
#include <QPainter>
#include <QPointF>

class QKeyEvent;

namespace redline::viewer {

struct ToolEvent {
    QPointF screen;  // device-independent pixels
    QPointF plane;   // display plane, metres
    Qt::MouseButton button = Qt::NoButton;
    Qt::MouseButtons buttons;
    Qt::KeyboardModifiers modifiers;
};

class MapTool {
public:
    virtual ~MapTool() = default;
    // Each returns true when the tool took the event (the canvas then does nothing with it).
    virtual bool press(const ToolEvent& /*event*/) { return false; }
    virtual bool move(const ToolEvent& /*event*/) { return false; }
    virtual bool release(const ToolEvent& /*event*/) { return false; }
    virtual bool double_click(const ToolEvent& /*event*/) { return false; }
    virtual bool key(QKeyEvent* /*event*/) { return false; }
    // Feedback over the map, in screen coordinates of `view`.
    virtual void paint(QPainter& /*painter*/, const MapView& /*view*/) const {}
    virtual QCursor cursor() const { return Qt::CrossCursor; }
    // The tool is put down (another chosen, editing stopped): forget what is half done.
    virtual void cancel() {}
};

}  // namespace redline::viewer
