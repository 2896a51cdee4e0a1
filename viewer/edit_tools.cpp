#include "edit_tools.hpp"

#include "map_canvas.hpp"
#include "redline/editing/geometry_edits.hpp"
#include "redline/errors.hpp"
#include "shapes.hpp"
#include "text.hpp"

#include <QKeyEvent>
#include <QPainterPath>

#include <cmath>

namespace redline::viewer {
namespace {

constexpr double pick_px = 8;  // how near a vertex or segment the cursor must be

const QColor edit_colour(255, 0, 200);

double screen_distance(const QPointF& a, const QPointF& b) {
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

ZoneEdit geometry_edit(EditOp op, const std::string& kind, const std::string& zone_id, Geometry geometry) {
    ZoneEdit e;
    e.op = op;
    e.kind = kind;
    e.zone_id = zone_id;
    e.geometry = std::move(geometry);
    return e;
}

// The polygon (or hole) of `parts` whose ring contains the lon/lat point: (polygon, ring)
// of the innermost ring, or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> ring_at(const GeometryParts& parts, const EditController& c,
                                                           const QPointF& plane) {
    std::optional<std::pair<std::size_t, std::size_t>> found;
    for (std::size_t p = 0; p < parts.polygons.size(); ++p) {
        for (std::size_t r = 0; r < parts.polygons[p].size(); ++r) {
            QPainterPath ring;
            const auto& points = parts.polygons[p][r];
            for (std::size_t i = 0; i < points.size(); ++i) {
                const QPointF q = c.to_plane(points[i]);
                i == 0 ? ring.moveTo(q) : ring.lineTo(q);
            }
            ring.closeSubpath();
            if (polygon_contains(ring, plane) && (!found || r > 0)) {
                found = std::pair{p, r};
            }
        }
    }
    return found;
}

}  // namespace

// --- EditTool -------------------------------------------------------------------------

QPointF EditTool::snapped_plane(const ToolEvent& event) {
    snapped_ = controller_.snap(event.plane, canvas_.view());
    return snapped_ ? snapped_->plane : event.plane;
}

LonLat EditTool::snapped_lonlat(const ToolEvent& event) {
    snapped_ = controller_.snap(event.plane, canvas_.view());
    return snapped_ ? controller_.to_lonlat(*snapped_) : controller_.to_lonlat(event.plane);
}

bool EditTool::move(const ToolEvent& event) {
    const bool had = snapped_.has_value();
    snapped_ = controller_.snap(event.plane, canvas_.view());
    return had || snapped_.has_value();  // repaint to show or hide the snap marker
}

void EditTool::paint(QPainter& painter, const MapView& view) const {
    if (!snapped_) {
        return;
    }
    // The snap marker: a square on a vertex, a cross on a segment; the tolerance as a circle.
    const QPointF at = view.to_screen(snapped_->plane);
    painter.setPen(QPen(QColor(255, 120, 0), 2));
    painter.setBrush(Qt::NoBrush);
    if (snapped_->vertex) {
        painter.drawRect(QRectF(at - QPointF(5, 5), QSizeF(10, 10)));
    } else {
        painter.drawLine(at - QPointF(5, 5), at + QPointF(5, 5));
        painter.drawLine(at - QPointF(5, -5), at + QPointF(5, -5));
    }
    painter.setPen(QPen(QColor(255, 120, 0, 90), 1, Qt::DotLine));
    painter.drawEllipse(at, controller_.snap_tolerance_px, controller_.snap_tolerance_px);
}

// --- SelectTool -----------------------------------------------------------------------

bool SelectTool::press(const ToolEvent& event) {
    if (event.button != Qt::LeftButton) {
        return false;
    }
    const auto ids = controller_.zones_at(event.plane, pick_px * canvas_.view().metres_per_pixel);
    std::vector<std::string> selection;
    if (event.modifiers & Qt::ShiftModifier) {
        selection = controller_.selection();
    }
    if (!ids.empty()) {
        const std::string& id = ids.front();
        if (const auto it = std::find(selection.begin(), selection.end(), id); it != selection.end()) {
            selection.erase(it);  // Shift-click on a selected zone takes it out
        } else {
            selection.push_back(id);
        }
    }
    controller_.select(std::move(selection));
    return true;
}

bool SelectTool::key(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        controller_.select({});
        return true;
    }
    return false;
}

// --- VertexTool -----------------------------------------------------------------------

const std::vector<std::pair<LonLat, QPointF>>& VertexTool::selected_vertices() const {
    const std::pair<std::string, int> key{
        controller_.selection().empty() ? std::string() : controller_.selection().front(), controller_.revision()};
    if (key == vertices_of_) {
        return vertices_;
    }
    vertices_of_ = key;
    auto& out = vertices_;
    out.clear();
    const auto zone = key.first.empty() ? std::nullopt : controller_.zone(key.first);
    if (!zone) {
        return out;
    }
    const GeometryParts parts = geometry_parts(zone->geometry);
    auto add = [&](const LonLatPath& path) {
        for (const auto& p : path) {
            out.emplace_back(p, controller_.to_plane(p));
        }
    };
    for (const auto& polygon : parts.polygons) {
        for (const auto& ring : polygon) {
            add(ring);
        }
    }
    for (const auto& line : parts.lines) {
        add(line);
    }
    add(LonLatPath(parts.points.begin(), parts.points.end()));
    return out;
}

std::optional<VertexTool::Hit> VertexTool::vertex_near(const QPointF& screen) const {
    std::optional<Hit> best;
    double best_distance = pick_px;
    for (const auto& [lonlat, plane] : selected_vertices()) {
        const double d = screen_distance(canvas_.view().to_screen(plane), screen);
        if (d <= best_distance) {
            best_distance = d;
            best = Hit{lonlat, plane};
        }
    }
    return best;
}

std::optional<std::pair<LonLat, LonLat>> VertexTool::segment_near(const QPointF& screen, QPointF* foot) const {
    if (controller_.selection().empty()) {
        return std::nullopt;
    }
    const auto zone = controller_.zone(controller_.selection().front());
    if (!zone) {
        return std::nullopt;
    }
    const GeometryParts parts = geometry_parts(zone->geometry);
    std::optional<std::pair<LonLat, LonLat>> best;
    double best_distance = pick_px;
    auto look = [&](const LonLatPath& path) {
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            const QPointF a = canvas_.view().to_screen(controller_.to_plane(path[i]));
            const QPointF b = canvas_.view().to_screen(controller_.to_plane(path[i + 1]));
            const QPointF ab = b - a;
            const double len2 = QPointF::dotProduct(ab, ab);
            const double t = len2 == 0 ? 0 : std::clamp(QPointF::dotProduct(screen - a, ab) / len2, 0.0, 1.0);
            const QPointF f = a + t * ab;
            const double d = screen_distance(f, screen);
            if (d <= best_distance) {
                best_distance = d;
                best = std::pair{path[i], path[i + 1]};
                *foot = canvas_.view().to_plane(f);
            }
        }
    };
    for (const auto& polygon : parts.polygons) {
        for (const auto& ring : polygon) {
            look(ring);
        }
    }
    for (const auto& line : parts.lines) {
        look(line);
    }
    return best;
}

bool VertexTool::press(const ToolEvent& event) {
    if (event.button != Qt::LeftButton) {
        return false;
    }
    if (controller_.selection().empty()) {
        // No zone yet: the click picks one, as the select tool does.
        const auto ids = controller_.zones_at(event.plane, pick_px * canvas_.view().metres_per_pixel);
        controller_.select(ids.empty() ? std::vector<std::string>{} : std::vector<std::string>{ids.front()});
        return true;
    }
    dragging_ = vertex_near(event.screen);
    if (!dragging_) {
        const auto ids = controller_.zones_at(event.plane, pick_px * canvas_.view().metres_per_pixel);
        if (!ids.empty() && ids.front() != controller_.selection().front()) {
            controller_.select({ids.front()});
            return true;
        }
        return false;  // not on a vertex: the map pans
    }
    drag_to_ = dragging_->plane;
    return true;
}

bool VertexTool::move(const ToolEvent& event) {
    if (dragging_) {
        drag_to_ = snapped_plane(event);
        return true;
    }
    hover_ = vertex_near(event.screen);
    EditTool::move(event);
    return true;
}

bool VertexTool::release(const ToolEvent& event) {
    if (!dragging_ || event.button != Qt::LeftButton) {
        return false;
    }
    const Hit from = *dragging_;
    dragging_.reset();
    if (screen_distance(canvas_.view().to_screen(from.plane), event.screen) < 1 && !snapped_) {
        return true;  // a click on a vertex, no move
    }
    const LonLat to = snapped_lonlat(event);
    if (to == from.at) {
        return true;
    }
    const auto edits = controller_.move_vertex(controller_.selection().front(), from.at, to);
    controller_.apply_step(ui("EditTools", "Move vertex"), edits);
    hover_.reset();
    return true;
}

bool VertexTool::double_click(const ToolEvent& event) {
    if (controller_.selection().empty()) {
        return false;
    }
    QPointF foot;
    const auto segment = segment_near(event.screen, &foot);
    if (!segment || vertex_near(event.screen)) {
        return false;
    }
    const auto edits = controller_.insert_vertex(controller_.selection().front(), segment->first, segment->second,
                                                 controller_.to_lonlat(foot));
    controller_.apply_step(ui("EditTools", "Add vertex"), edits);
    return true;
}

bool VertexTool::key(QKeyEvent* event) {
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) && hover_ &&
        !controller_.selection().empty()) {
        if (const auto edits = controller_.delete_vertex(controller_.selection().front(), hover_->at)) {
            controller_.apply_step(ui("EditTools", "Delete vertex"), *edits);
        }
        hover_.reset();
        return true;
    }
    if (event->key() == Qt::Key_Escape) {
        cancel();
        return true;
    }
    return false;
}

void VertexTool::cancel() {
    dragging_.reset();
    hover_.reset();
    EditTool::cancel();
}

void VertexTool::paint(QPainter& painter, const MapView& view) const {
    painter.setPen(QPen(edit_colour, 1));
    painter.setBrush(Qt::white);
    for (const auto& [lonlat, plane] : selected_vertices()) {
        painter.drawRect(QRectF(view.to_screen(plane) - QPointF(3, 3), QSizeF(6, 6)));
    }
    if (hover_) {
        painter.setBrush(edit_colour);
        painter.drawRect(QRectF(view.to_screen(hover_->plane) - QPointF(4, 4), QSizeF(8, 8)));
    }
    if (dragging_) {
        painter.setPen(QPen(edit_colour, 1.5, Qt::DashLine));
        painter.drawLine(view.to_screen(dragging_->plane), view.to_screen(drag_to_));
        painter.setBrush(edit_colour);
        painter.drawEllipse(view.to_screen(drag_to_), 4, 4);
    }
    EditTool::paint(painter, view);
}

// --- DrawTool -------------------------------------------------------------------------

bool DrawTool::draws_line() const {
    return mode_ == Mode::split || mode_ == Mode::reshape ||
           (mode_ != Mode::add_ring && controller_.kind_schema().geometry == ZoneGeometry::line);
}

bool DrawTool::press(const ToolEvent& event) {
    if (event.button == Qt::RightButton && !points_.empty()) {
        finish();
        return true;
    }
    if (event.button != Qt::LeftButton) {
        return false;
    }
    const LonLat at = snapped_lonlat(event);
    if (!points_.empty() && at == points_.back()) {
        return true;  // the second press of a double-click
    }
    points_.push_back(at);
    plane_.push_back(snapped_ ? snapped_->plane : event.plane);
    if (controller_.kind_schema().geometry == ZoneGeometry::point && mode_ == Mode::new_zone) {
        finish();
    }
    return true;
}

bool DrawTool::move(const ToolEvent& event) {
    cursor_ = snapped_plane(event);
    return true;
}

bool DrawTool::double_click(const ToolEvent& /*event*/) {
    finish();
    return true;
}

bool DrawTool::key(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            finish();
            return true;
        case Qt::Key_Backspace:
            if (!points_.empty()) {
                points_.pop_back();
                plane_.pop_back();
            }
            return true;
        case Qt::Key_Escape:
            cancel();
            return true;
        default:
            return false;
    }
}

void DrawTool::cancel() {
    points_.clear();
    plane_.clear();
    cursor_.reset();
    EditTool::cancel();
}

bool DrawTool::finish() {
    const bool line = draws_line();
    const bool point = !line && controller_.kind_schema().geometry == ZoneGeometry::point && mode_ == Mode::new_zone;
    const std::size_t needed = point ? 1 : line ? 2 : 3;
    if (points_.size() < needed) {
        controller_.refuse(ui("EditTools", "Not enough points: a line needs two, a polygon three."));
        return false;
    }
    GeometryParts drawn;
    if (point) {
        drawn.points = points_;
    } else if (line) {
        drawn.lines.push_back(points_);
    } else {
        LonLatPath ring = points_;
        ring.push_back(ring.front());
        drawn.polygons.push_back({ring});
    }
    const std::vector<LonLat> points = points_;
    cancel();
    const Geometry geometry = geometry_from_parts(drawn);
    if (const auto problem = geometry_problem(geometry)) {
        controller_.refuse(text(Message(
            "viewer.drawn_invalid",
            {{"why", problem->reason}, {"lon", std::to_string(problem->lon)}, {"lat", std::to_string(problem->lat)}})));
        return false;
    }
    const std::string& kind = controller_.kind();
    try {
        if (mode_ == Mode::new_zone) {
            ZoneEdit add = geometry_edit(EditOp::add, kind, "", controller_.without_neighbours(geometry, ""));
            if (add.geometry->empty()) {
                controller_.refuse(ui("EditTools",
                                      "The new shape lies wholly inside its neighbours (topological editing: avoid "
                                      "overlaps)."));
                return false;
            }
            if (prompt_) {
                auto filled = prompt_(add);
                if (!filled) {
                    return false;
                }
                add = std::move(*filled);
            }
            return controller_.apply_step(ui("EditTools", "New zone"), {add});
        }
        if (controller_.selection().empty()) {
            controller_.refuse(ui("EditTools", "Select a zone first."));
            return false;
        }
        const std::string id = controller_.selection().front();
        const auto zone = controller_.zone(id);
        if (!zone) {
            return false;
        }
        switch (mode_) {
            case Mode::add_part: {
                GeometryParts parts = geometry_parts(zone->geometry);
                if (line) {
                    parts.lines.push_back(points);
                } else {
                    const Geometry part = controller_.without_neighbours(geometry, id);
                    for (auto& polygon : geometry_parts(part).polygons) {
                        parts.polygons.push_back(std::move(polygon));
                    }
                }
                return controller_.apply_step(ui("EditTools", "Add part"),
                                              {geometry_edit(EditOp::replace, kind, id, geometry_from_parts(parts))});
            }
            case Mode::add_ring: {
                GeometryParts parts = geometry_parts(zone->geometry);
                const auto inside = ring_at(parts, controller_, controller_.to_plane(points.front()));
                if (!inside || inside->second != 0) {
                    controller_.refuse(ui("EditTools", "Draw the hole inside the selected zone."));
                    return false;
                }
                LonLatPath ring = points;
                ring.push_back(ring.front());
                parts.polygons[inside->first].push_back(std::move(ring));
                return controller_.apply_step(ui("EditTools", "Add hole"),
                                              {geometry_edit(EditOp::replace, kind, id, geometry_from_parts(parts))});
            }
            case Mode::reshape: {
                Geometry reshaped = controller_.without_neighbours(reshape_by_line(zone->geometry, geometry), id);
                return controller_.apply_step(ui("EditTools", "Reshape"),
                                              {geometry_edit(EditOp::replace, kind, id, std::move(reshaped))});
            }
            case Mode::split: {
                auto pieces = split_by_line(zone->geometry, geometry);
                if (pieces.size() < 2) {
                    controller_.refuse(ui("EditTools", "The line does not cut the zone in two."));
                    return false;
                }
                // The largest piece (core gives it first) keeps the zone; each other piece is
                // a new zone with its fields.
                std::vector<ZoneEdit> edits{geometry_edit(EditOp::replace, kind, id, pieces.front())};
                for (std::size_t i = 1; i < pieces.size(); ++i) {
                    ZoneEdit add = geometry_edit(EditOp::add, kind, "", pieces[i]);
                    if (!controller_.kind_schema().subzones.empty()) {
                        add.subzone = zone->subzone;
                    }
                    add.name = zone->name;
                    add.attributes = zone->attributes;
                    add.attributes.erase(subzone_source_attribute);
                    if (prompt_) {
                        auto filled = prompt_(add);
                        if (!filled) {
                            return false;
                        }
                        add = std::move(*filled);
                    }
                    edits.push_back(std::move(add));
                }
                return controller_.apply_step(ui("EditTools", "Split"), edits);
            }
            case Mode::new_zone:
                break;
        }
    } catch (const Failure& error) {
        controller_.refuse(text(error.message()));
    }
    return false;
}

void DrawTool::paint(QPainter& painter, const MapView& view) const {
    if (!plane_.empty()) {
        QPolygonF shape;
        for (const auto& p : plane_) {
            shape << view.to_screen(p);
        }
        if (cursor_) {
            shape << view.to_screen(*cursor_);
        }
        const bool line = draws_line();
        painter.setPen(QPen(edit_colour, 2, line ? Qt::DashLine : Qt::SolidLine));
        painter.setBrush(line ? QBrush(Qt::NoBrush) : QBrush(QColor(255, 0, 200, 50)));
        line ? painter.drawPolyline(shape) : painter.drawPolygon(shape);
        painter.setBrush(edit_colour);
        for (const auto& p : plane_) {
            painter.drawEllipse(view.to_screen(p), 3, 3);
        }
    }
    EditTool::paint(painter, view);
}

// --- MoveTool -------------------------------------------------------------------------

bool MoveTool::press(const ToolEvent& event) {
    if (event.button != Qt::LeftButton || controller_.selection().empty()) {
        return false;
    }
    const auto ids = controller_.zones_at(event.plane, pick_px * canvas_.view().metres_per_pixel);
    if (std::find(ids.begin(), ids.end(), controller_.selection().front()) == ids.end()) {
        return false;
    }
    from_ = event.plane;
    to_ = event.plane;
    return true;
}

bool MoveTool::move(const ToolEvent& event) {
    if (!from_) {
        return false;
    }
    to_ = event.plane;
    return true;
}

bool MoveTool::release(const ToolEvent& event) {
    if (!from_ || event.button != Qt::LeftButton) {
        return false;
    }
    const QPointF from = *from_;
    from_.reset();
    const LonLat a = controller_.to_lonlat(from), b = controller_.to_lonlat(event.plane);
    if (a == b) {
        return true;
    }
    const std::string id = controller_.selection().front();
    const auto zone = controller_.zone(id);
    if (!zone) {
        return true;
    }
    try {
        Geometry moved =
            controller_.without_neighbours(moved_by(zone->geometry, b.first - a.first, b.second - a.second), id);
        controller_.apply_step(ui("EditTools", "Move zone"),
                               {geometry_edit(EditOp::replace, controller_.kind(), id, moved)});
    } catch (const Failure& error) {
        controller_.refuse(text(error.message()));
    }
    return true;
}

void MoveTool::paint(QPainter& painter, const MapView& view) const {
    if (from_) {
        painter.setPen(QPen(edit_colour, 2, Qt::DashLine));
        painter.drawLine(view.to_screen(*from_), view.to_screen(to_));
    }
}

// --- DeletePartTool -------------------------------------------------------------------

bool DeletePartTool::press(const ToolEvent& event) {
    if (event.button != Qt::LeftButton || controller_.selection().empty()) {
        return false;
    }
    const std::string id = controller_.selection().front();
    const auto zone = controller_.zone(id);
    if (!zone) {
        return false;
    }
    GeometryParts parts = geometry_parts(zone->geometry);
    const auto at = ring_at(parts, controller_, event.plane);
    if (!at) {
        return false;
    }
    if (at->second > 0) {
        parts.polygons[at->first].erase(parts.polygons[at->first].begin() + static_cast<std::ptrdiff_t>(at->second));
    } else if (parts.polygons.size() > 1) {
        parts.polygons.erase(parts.polygons.begin() + static_cast<std::ptrdiff_t>(at->first));
    } else {
        controller_.refuse(ui("EditTools", "This is the zone's only part; to delete the zone, retire it."));
        return true;
    }
    controller_.apply_step(at->second > 0 ? ui("EditTools", "Delete hole") : ui("EditTools", "Delete part"),
                           {geometry_edit(EditOp::replace, controller_.kind(), id, geometry_from_parts(parts))});
    return true;
}

// --- merge and retire -----------------------------------------------------------------

std::optional<std::vector<ZoneEdit>> merge_selected(EditController& controller) {
    const auto& ids = controller.selection();
    if (ids.size() < 2) {
        controller.refuse(ui("EditTools", "Merging needs two or more selected zones (Shift-click)."));
        return std::nullopt;
    }
    std::vector<Geometry> geometries;
    for (const auto& id : ids) {
        if (auto z = controller.zone(id)) {
            geometries.push_back(z->geometry);
        }
    }
    try {
        std::vector<ZoneEdit> edits{
            geometry_edit(EditOp::replace, controller.kind(), ids.front(), merge_geometries(geometries))};
        for (std::size_t i = 1; i < ids.size(); ++i) {
            ZoneEdit retire;
            retire.op = EditOp::retire;
            retire.kind = controller.kind();
            retire.zone_id = ids[i];
            edits.push_back(std::move(retire));
        }
        return edits;
    } catch (const Failure& error) {
        controller.refuse(text(error.message()));
        return std::nullopt;
    }
}

std::vector<ZoneEdit> retire_selected(const EditController& controller) {
    std::vector<ZoneEdit> edits;
    for (const auto& id : controller.selection()) {
        ZoneEdit retire;
        retire.op = EditOp::retire;
        retire.kind = controller.kind();
        retire.zone_id = id;
        edits.push_back(std::move(retire));
    }
    return edits;
}

}  // namespace redline::viewer
