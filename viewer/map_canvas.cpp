#include "map_canvas.hpp"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace redline::viewer {
namespace {

constexpr double drag_threshold = 4;  // pixels: less is a click
constexpr double key_zoom = 2;        // + and - halve or double the scale
constexpr double wheel_zoom = 1.5;    // per notch (120 eighths of a degree)

}  // namespace

void fit_view(MapView& view, const QRectF& plane) {
    QRectF r = plane;
    const QPointF c = r.center();
    if (r.width() < 300 && r.height() < 300) {
        r = QRectF(c.x() - 150, c.y() - 150, 300, 300);
    }
    view.fit(r, 0.05);
}

MapCanvas::MapCanvas(const MapData& map, QWidget* parent) : QWidget(parent), data_(map) {
    settings_.visible.assign(map.groups().size(), true);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::OpenHandCursor);
    setMinimumSize(200, 150);
    requested_ = map.full_extent();
    order_labels();
    view_.size = size();
    fit_view(view_, requested_);
}

void MapCanvas::order_labels() {
    warm_order_ = label_warm_order(data_);
    warm_next_ = 0;
}

void MapCanvas::data_changed() {
    settings_.visible.resize(data_.groups().size(), true);
    settings_.highlighted.clear();
    labels_.reset();
    order_labels();
    dirty_ = true;
    update();
}

void MapCanvas::set_view(const MapView& view) {
    view_ = view;
    view_.size = size();
    user_moved_ = true;
    changed();
}

void MapCanvas::moved_by_user() {
    user_moved_ = true;
    changed();
}

void MapCanvas::zoom_to_full_extent() {
    zoom_to_rect(data_.full_extent());
}

void MapCanvas::zoom_to_rect(const QRectF& plane) {
    view_.size = size();
    requested_ = plane;
    user_moved_ = false;
    fit_view(view_, plane);
    changed();
}

void MapCanvas::zoom_to_zones(const std::vector<int>& zones) {
    if (!zones.empty()) {
        zoom_to_rect(data_.extent_of(zones));
    }
}

void MapCanvas::zoom_by(double factor) {
    view_.zoom_about(QPointF(view_.size.width() / 2, view_.size.height() / 2), factor);
    moved_by_user();
}

void MapCanvas::set_group_visible(int group, bool visible) {
    auto& flags = settings_.visible;
    if (group >= 0 && static_cast<std::size_t>(group) < flags.size() &&
        flags[static_cast<std::size_t>(group)] != visible) {
        flags[static_cast<std::size_t>(group)] = visible;
        dirty_ = true;
        update();
    }
}

void MapCanvas::set_labels(bool shown) {
    if (settings_.labels != shown) {
        settings_.labels = shown;
        dirty_ = true;
        update();
    }
}

void MapCanvas::set_overlay(const QString& name, std::shared_ptr<const Overlay> overlay) {
    if (overlay) {
        overlays_[name] = std::move(overlay);
    } else {
        overlays_.erase(name);
    }
    settings_.overlays.clear();
    for (const auto& [key, layer] : overlays_) {
        settings_.overlays.push_back(layer);
    }
    dirty_ = true;
    update();
}

std::shared_ptr<const Overlay> MapCanvas::overlay(const QString& name) const {
    const auto it = overlays_.find(name);
    return it == overlays_.end() ? nullptr : it->second;
}

void MapCanvas::set_background(std::shared_ptr<const RasterBackground> background) {
    settings_.background = std::move(background);
    dirty_ = true;
    update();
}

void MapCanvas::set_highlighted(const std::vector<int>& zones) {
    settings_.highlighted = zones;
    dirty_ = true;
    update();
}

void MapCanvas::changed() {
    dirty_ = true;
    update();
    emit view_changed();
}

void MapCanvas::render_if_needed() {
    const qreal dpr = devicePixelRatioF();
    view_.size = size();
    if (!dirty_ && cache_.size() == (QSizeF(size()) * dpr).toSize()) {
        return;
    }
    settings_.dpi = logicalDpiX();
    if (!labels_ || labels_->device_pixel_ratio() != dpr) {
        labels_ = std::make_unique<LabelCache>(dpr);
        warm_next_ = 0;
    }
    cache_ = render_image(data_, view_, settings_, dpr, &last_render_, labels_.get());
    ++renders_;
    dirty_ = false;
    emit rendered();
    if (warm_next_ < warm_order_.size()) {
        QTimer::singleShot(0, this, &MapCanvas::warm_labels);
    }
}

void MapCanvas::warm_labels() {
    // A few milliseconds at a time, and never while a drawing waits: the first view of an
    // area then finds its labels made (drawing a label once costs about as much as placing
    // a hundred).
    if (dirty_ || !labels_) {
        return;
    }
    QElapsedTimer timer;
    timer.start();
    while (warm_next_ < warm_order_.size() && timer.elapsed() < 8) {
        labels_->image(data_, warm_order_[warm_next_++]);
    }
    if (warm_next_ < warm_order_.size()) {
        QTimer::singleShot(0, this, &MapCanvas::warm_labels);
    }
}

void MapCanvas::set_tool(MapTool* tool) {
    if (tool_ != nullptr && tool_ != tool) {
        tool_->cancel();
    }
    tool_ = tool;
    setCursor(tool_ != nullptr ? tool_->cursor() : QCursor(Qt::OpenHandCursor));
    update();
}

ToolEvent MapCanvas::tool_event(const QMouseEvent* event) const {
    ToolEvent e;
    e.screen = event->position();
    e.plane = view_.to_plane(event->position());
    e.button = event->button();
    e.buttons = event->buttons();
    e.modifiers = event->modifiers();
    return e;
}

void MapCanvas::paintEvent(QPaintEvent* /*event*/) {
    render_if_needed();
    QPainter painter(this);
    if (dragging_) {
        // While dragging, the picture moves with the hand; it is drawn again on release.
        painter.fillRect(rect(), Qt::white);
        painter.drawImage(drag_offset_, cache_);
    } else {
        painter.drawImage(QPointF(0, 0), cache_);
        if (tool_ != nullptr) {
            painter.setRenderHint(QPainter::Antialiasing, true);
            tool_->paint(painter, view_);
        }
    }
}

void MapCanvas::resizeEvent(QResizeEvent* /*event*/) {
    view_.size = size();
    if (!user_moved_) {
        fit_view(view_, requested_);
    }
    // Otherwise the centre stays: the window shows more or less around it at the same scale.
    dirty_ = true;
    emit view_changed();
}

void MapCanvas::mousePressEvent(QMouseEvent* event) {
    if (tool_ != nullptr && !pressed_ && tool_->press(tool_event(event))) {
        update();
        return;
    }
    // With a tool, the middle button pans too (the left one draws).
    if (event->button() == Qt::LeftButton || (tool_ != nullptr && event->button() == Qt::MiddleButton)) {
        pressed_ = true;
        dragging_ = false;
        press_at_ = event->position();
        drag_offset_ = QPointF();
        setCursor(Qt::ClosedHandCursor);
    }
}

void MapCanvas::mouseMoveEvent(QMouseEvent* event) {
    emit cursor_moved(view_.to_plane(event->position() - drag_offset_));
    if (!pressed_) {
        if (tool_ != nullptr && tool_->move(tool_event(event))) {
            update();
        }
        return;
    }
    const QPointF delta = event->position() - press_at_;
    if (!dragging_ && std::hypot(delta.x(), delta.y()) >= drag_threshold) {
        dragging_ = true;
    }
    if (dragging_) {
        drag_offset_ = delta;
        update();
    }
}

void MapCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (!pressed_) {
        if (tool_ != nullptr && tool_->release(tool_event(event))) {
            update();
        }
        return;
    }
    if (event->button() != Qt::LeftButton && event->button() != Qt::MiddleButton) {
        return;
    }
    pressed_ = false;
    setCursor(tool_ != nullptr ? tool_->cursor() : QCursor(Qt::OpenHandCursor));
    if (dragging_) {
        dragging_ = false;
        view_.pan(event->position() - press_at_);
        drag_offset_ = QPointF();
        moved_by_user();
    } else {
        emit identify_requested(view_.to_plane(event->position()), 4 * view_.metres_per_pixel);
    }
}

void MapCanvas::wheelEvent(QWheelEvent* event) {
    // Touchpads send fractions of a notch: each zooms by its share.
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0) {
        return;
    }
    view_.zoom_about(event->position(), std::pow(wheel_zoom, notches));
    event->accept();
    moved_by_user();
}

void MapCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    if (tool_ != nullptr && tool_->double_click(tool_event(event))) {
        update();
        return;
    }
    QWidget::mouseDoubleClickEvent(event);
}

void MapCanvas::keyPressEvent(QKeyEvent* event) {
    if (tool_ != nullptr && tool_->key(event)) {
        update();
        return;
    }
    const double step = 0.25;  // of the window, for the arrow keys
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoom_by(key_zoom);
            break;
        case Qt::Key_Minus:
        case Qt::Key_Underscore:
            zoom_by(1 / key_zoom);
            break;
        case Qt::Key_Home:
        case Qt::Key_0:
            zoom_to_full_extent();
            break;
        case Qt::Key_Left:
            view_.pan(QPointF(view_.size.width() * step, 0));
            moved_by_user();
            break;
        case Qt::Key_Right:
            view_.pan(QPointF(-view_.size.width() * step, 0));
            moved_by_user();
            break;
        case Qt::Key_Up:
            view_.pan(QPointF(0, view_.size.height() * step));
            moved_by_user();
            break;
        case Qt::Key_Down:
            view_.pan(QPointF(0, -view_.size.height() * step));
            moved_by_user();
            break;
        default:
            QWidget::keyPressEvent(event);
    }
}

void MapCanvas::leaveEvent(QEvent* event) {
    emit cursor_left();
    QWidget::leaveEvent(event);
}

}  // namespace redline::viewer
