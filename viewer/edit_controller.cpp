#include "edit_controller.hpp"

#include "map_canvas.hpp"
#include "overlay.hpp"
#include "redline/editing/geometry_edits.hpp"
#include "redline/errors.hpp"
#include "shapes.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace redline::viewer {
namespace {

BoundingBox box_around(const LonLat& p) {
    return {p.first, p.second, p.first, p.second};
}

// Applies `fn` to every vertex path of a geometry's parts (rings and lines).
template <typename Fn>
void for_each_path(GeometryParts& parts, Fn&& fn) {
    for (auto& polygon : parts.polygons) {
        for (auto& ring : polygon) {
            fn(ring, true);
        }
    }
    for (auto& line : parts.lines) {
        fn(line, false);
    }
}

ZoneEdit replace_geometry(const std::string& kind, const std::string& zone_id, const Geometry& geometry) {
    ZoneEdit e;
    e.op = EditOp::replace;
    e.kind = kind;
    e.zone_id = zone_id;
    e.geometry = geometry;
    return e;
}

// The vertex `from` moved to `to` wherever it occurs; false when it does not.
bool move_in(GeometryParts& parts, const LonLat& from, const LonLat& to) {
    bool moved = false;
    for_each_path(parts, [&](LonLatPath& path, bool /*closed*/) {
        for (auto& p : path) {
            if (p == from) {
                p = to;
                moved = true;
            }
        }
    });
    for (auto& p : parts.points) {
        if (p == from) {
            p = to;
            moved = true;
        }
    }
    return moved;
}

// The vertex `at` taken out of every ring and line; -1 when a ring or line would be left
// too short, else how many were taken.
int delete_in(GeometryParts& parts, const LonLat& at) {
    int taken = 0;
    bool too_short = false;
    for_each_path(parts, [&](LonLatPath& path, bool closed) {
        const auto before = path.size();
        std::erase(path, at);
        if (path.size() == before) {
            return;
        }
        taken += static_cast<int>(before - path.size());
        if (closed && !path.empty() && path.front() != path.back()) {
            path.push_back(path.front());  // the closing vertex was the one taken
        }
        if ((closed && path.size() < 4) || (!closed && path.size() < 2)) {
            too_short = true;
        }
    });
    return too_short ? -1 : taken;
}

// `at` put between consecutive vertices a and b (either way round) wherever they follow each other.
bool insert_in(GeometryParts& parts, const LonLat& a, const LonLat& b, const LonLat& at) {
    bool inserted = false;
    for_each_path(parts, [&](LonLatPath& path, bool /*closed*/) {
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            if ((path[i] == a && path[i + 1] == b) || (path[i] == b && path[i + 1] == a)) {
                path.insert(path.begin() + static_cast<std::ptrdiff_t>(i) + 1, at);
                inserted = true;
                ++i;
            }
        }
    });
    return inserted;
}

}  // namespace

EditController::EditController(Workspace& workspace, const SchemaSet& schemas, MapData& map, MapCanvas* canvas,
                               std::filesystem::path journal, QObject* parent)
    : QObject(parent),
      workspace_(workspace),
      schemas_(schemas),
      map_(map),
      canvas_(canvas),
      journal_(std::move(journal)),
      session_(std::make_unique<EditSession>(workspace, schemas)) {}

EditController::~EditController() = default;

void EditController::refuse(const QString& why) {
    last_error_ = why;
    emit refused(why);
}

void EditController::set_kind(const std::string& kind) {
    const KindSchema& k = schemas_.kind(kind);  // UsageError for a kind the schemas lack
    kind_ = k.id;
    topological = k.tiles_jurisdiction;
    selection_.clear();
    emit selection_changed();
}

const KindSchema& EditController::kind_schema() const {
    return schemas_.kind(kind_);
}

bool EditController::apply_step(const QString& label, const std::vector<ZoneEdit>& edits) {
    last_error_.clear();
    if (edits.empty()) {
        return false;
    }
    std::size_t applied = 0;
    try {
        if (!journal_.empty() && done_.empty() && session_->edits().empty()) {
            session_->keep_journal(journal_);
        }
        for (const auto& e : edits) {
            session_->apply(e);
            ++applied;
        }
    } catch (const Failure& error) {
        while (applied-- > 0) {
            session_->undo();  // all or none
        }
        refuse(text(error.message()));
        return false;
    }
    done_.push_back({label, edits});
    undone_.clear();
    sync_map();
    return true;
}

bool EditController::undo() {
    if (done_.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < done_.back().edits.size(); ++i) {
        session_->undo();
    }
    undone_.push_back(std::move(done_.back()));
    done_.pop_back();
    sync_map();
    return true;
}

bool EditController::redo() {
    if (undone_.empty()) {
        return false;
    }
    Step step = std::move(undone_.back());
    undone_.pop_back();
    auto kept = std::move(undone_);
    const bool ok = apply_step(step.label, step.edits);
    undone_ = std::move(kept);
    if (!ok) {
        undone_.push_back(std::move(step));
    }
    return ok;
}

QString EditController::undo_label() const {
    return done_.empty() ? QString() : done_.back().label;
}

QString EditController::redo_label() const {
    return undone_.empty() ? QString() : undone_.back().label;
}

bool EditController::has_unsaved() const {
    return !session_->edits().empty();
}

void EditController::select(std::vector<std::string> zone_ids) {
    selection_ = std::move(zone_ids);
    std::vector<int> indices;
    for (const auto& id : selection_) {
        for (int i : map_.find_zone(kind_ + ":" + id)) {
            indices.push_back(i);
        }
    }
    if (canvas_ != nullptr) {
        canvas_->set_highlighted(indices);
    }
    emit selection_changed();
}

std::optional<Zone> EditController::zone(const std::string& zone_id) const {
    return session_->zone(kind_, zone_id);
}

std::vector<std::string> EditController::zones_at(const QPointF& plane, double tolerance_m) const {
    std::vector<std::string> ids;
    for (int i : map_.zones_at(plane, tolerance_m)) {
        const Zone& z = map_.zones()[static_cast<std::size_t>(i)].zone;
        if (z.kind == kind_) {
            ids.push_back(z.zone_id);
        }
    }
    return ids;
}

std::vector<Zone> EditController::neighbours(const BoundingBox& box, const std::string& except) const {
    std::vector<Zone> out;
    const QRectF rect = map_.plane_rect(box);
    for (const auto& d : map_.zones()) {
        if (d.zone.kind != kind_ || d.zone.zone_id == except || !d.bounds.intersects(rect.adjusted(-1, -1, 1, 1))) {
            continue;
        }
        if (auto z = session_->zone(kind_, d.zone.zone_id)) {
            out.push_back(std::move(*z));
        }
    }
    return out;
}

const EditController::Vertices& EditController::vertices_of(int zone) const {
    if (auto it = vertex_cache_.find(zone); it != vertex_cache_.end()) {
        return it->second;
    }
    Vertices v;
    const Zone& z = map_.zones()[static_cast<std::size_t>(zone)].zone;
    if (auto full = session_->zone(z.kind, z.zone_id)) {
        GeometryParts parts = geometry_parts(full->geometry);
        for_each_path(parts, [&](LonLatPath& path, bool /*closed*/) {
            v.lonlat.insert(v.lonlat.end(), path.begin(), path.end());
        });
        v.lonlat.insert(v.lonlat.end(), parts.points.begin(), parts.points.end());
        for (const auto& p : v.lonlat) {
            v.plane.push_back(map_.to_plane(p.first, p.second));
        }
    }
    return vertex_cache_.emplace(zone, std::move(v)).first->second;
}

std::optional<SnapResult> EditController::snap(const QPointF& plane, const MapView& view) const {
    if (snap_tolerance_px <= 0 || canvas_ == nullptr) {
        return std::nullopt;
    }
    const double tolerance = snap_tolerance_px * view.metres_per_pixel;
    const auto& visible = canvas_->settings().visible;
    std::optional<SnapResult> best_vertex, best_segment;
    double vertex_distance = tolerance, segment_distance = tolerance;
    const QRectF around(plane.x() - tolerance, plane.y() - tolerance, 2 * tolerance, 2 * tolerance);
    for (std::size_t i = 0; i < map_.zones().size(); ++i) {
        const DisplayZone& d = map_.zones()[i];
        if ((!visible.empty() && !visible[static_cast<std::size_t>(d.group)]) ||
            !d.bounds.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(plane)) {
            continue;
        }
        const Vertices& v = vertices_of(static_cast<int>(i));
        for (std::size_t k = 0; k < v.plane.size(); ++k) {
            if (!around.contains(v.plane[k])) {
                continue;
            }
            const double dist = std::hypot(v.plane[k].x() - plane.x(), v.plane[k].y() - plane.y());
            if (dist <= vertex_distance) {
                vertex_distance = dist;
                best_vertex = SnapResult{v.plane[k], true, v.lonlat[k], static_cast<int>(i)};
            }
        }
        if (best_vertex) {
            continue;  // a vertex anywhere wins over any segment
        }
        for (const QPainterPath* path : {&d.levels[0].polygons, &d.levels[0].lines}) {
            for (int e = 1; e < path->elementCount(); ++e) {
                const QPainterPath::Element b = path->elementAt(e);
                if (b.isMoveTo()) {
                    continue;
                }
                const QPainterPath::Element a = path->elementAt(e - 1);
                const QPointF pa(a.x, a.y), pb(b.x, b.y), ab = pb - pa;
                const double len2 = ab.x() * ab.x() + ab.y() * ab.y();
                const double t = len2 == 0 ? 0 : std::clamp(QPointF::dotProduct(plane - pa, ab) / len2, 0.0, 1.0);
                const QPointF foot = pa + t * ab;
                const double dist = std::hypot(foot.x() - plane.x(), foot.y() - plane.y());
                if (dist < segment_distance) {
                    segment_distance = dist;
                    best_segment = SnapResult{foot, false, std::nullopt, static_cast<int>(i)};
                }
            }
        }
    }
    return best_vertex ? best_vertex : best_segment;
}

LonLat EditController::to_lonlat(const QPointF& plane) const {
    return map_.to_lonlat(plane);
}

LonLat EditController::to_lonlat(const SnapResult& snapped) const {
    return snapped.exact ? *snapped.exact : map_.to_lonlat(snapped.plane);
}

QPointF EditController::to_plane(const LonLat& point) const {
    return map_.to_plane(point.first, point.second);
}

Geometry EditController::without_neighbours(const Geometry& geometry, const std::string& zone_id) const {
    if (!topological || kind_schema().geometry != ZoneGeometry::polygon) {
        return geometry;
    }
    std::vector<Geometry> others;
    for (auto& z : neighbours(bounding_box(geometry), zone_id)) {
        others.push_back(std::move(z.geometry));
    }
    return others.empty() ? geometry : without_overlaps(geometry, others);
}

std::vector<Zone> EditController::zone_and_neighbours(const std::string& zone_id, const BoundingBox& box) const {
    std::vector<Zone> zones;
    if (auto z = zone(zone_id)) {
        zones.push_back(std::move(*z));
    }
    if (topological) {
        for (auto& n : neighbours(box, zone_id)) {
            zones.push_back(std::move(n));
        }
    }
    return zones;
}

std::vector<ZoneEdit> EditController::move_vertex(const std::string& zone_id, const LonLat& from,
                                                  const LonLat& to) const {
    std::vector<ZoneEdit> edits;
    for (const auto& z : zone_and_neighbours(zone_id, box_around(from))) {
        GeometryParts parts = geometry_parts(z.geometry);
        if (move_in(parts, from, to)) {
            edits.push_back(replace_geometry(kind_, z.zone_id, geometry_from_parts(parts)));
        }
    }
    return edits;
}

std::optional<std::vector<ZoneEdit>> EditController::delete_vertex(const std::string& zone_id, const LonLat& at) {
    std::vector<ZoneEdit> edits;
    for (const auto& z : zone_and_neighbours(zone_id, box_around(at))) {
        GeometryParts parts = geometry_parts(z.geometry);
        const int taken = delete_in(parts, at);
        if (taken < 0) {
            refuse(ui("EditController",
                      "Without this vertex a ring would have fewer than three points (a line fewer than two); "
                      "delete the ring or part instead."));
            return std::nullopt;
        }
        if (taken > 0) {
            edits.push_back(replace_geometry(kind_, z.zone_id, geometry_from_parts(parts)));
        }
    }
    return edits;
}

std::vector<ZoneEdit> EditController::insert_vertex(const std::string& zone_id, const LonLat& a, const LonLat& b,
                                                    const LonLat& at) const {
    std::vector<ZoneEdit> edits;
    BoundingBox box = box_around(a);
    box.expand(box_around(b));
    for (const auto& z : zone_and_neighbours(zone_id, box)) {
        GeometryParts parts = geometry_parts(z.geometry);
        if (insert_in(parts, a, b, at)) {
            edits.push_back(replace_geometry(kind_, z.zone_id, geometry_from_parts(parts)));
        }
    }
    return edits;
}

const EditImpact& EditController::impact() {
    return session_->impact();
}

VersionInfo EditController::save(const std::string& author, const std::string& note, const std::string& basis) {
    VersionInfo version = session_->commit(author, note, basis);
    done_.clear();
    undone_.clear();
    sync_map();
    emit saved(version.id);
    return version;
}

std::vector<Message> EditController::rebase() {
    const std::int64_t old_base = session_->base_version();
    std::vector<Message> refused = session_->rebase();
    // What other writers committed since the old base comes in with the new one: zones made
    // since then, and zones the map shows that are no longer current. Only those are
    // prepared again.
    std::set<std::pair<std::string, std::string>> current;
    for (const auto& z : workspace_.load_zones()) {
        current.insert({z.kind, z.zone_id});
        if (z.version > old_base) {
            shown_edited_.insert({z.kind, z.zone_id});
        }
    }
    for (const auto& d : map_.zones()) {
        if (!current.contains({d.zone.kind, d.zone.zone_id})) {
            shown_edited_.insert({d.zone.kind, d.zone.zone_id});
        }
    }
    sync_map();
    return refused;
}

std::optional<EditJournal> EditController::pending_journal() const {
    if (journal_.empty()) {
        return std::nullopt;
    }
    auto journal = read_journal(journal_);
    if (journal && journal->edits.empty()) {
        return std::nullopt;
    }
    return journal;
}

std::vector<Message> EditController::restore(const EditJournal& journal) {
    if (!journal_.empty()) {
        session_->keep_journal(journal_);
    }
    const auto before = session_->edits().size();
    std::vector<Message> refused = session_->replay(journal.edits);
    std::vector<ZoneEdit> kept(session_->edits().begin() + static_cast<std::ptrdiff_t>(before),
                               session_->edits().end());
    if (!kept.empty()) {
        done_.push_back({ui("EditController", "Restore unsaved edits"), std::move(kept)});
    }
    undone_.clear();
    sync_map();
    return refused;
}

void EditController::discard_journal() {
    if (!journal_.empty()) {
        std::error_code ignored;
        std::filesystem::remove(journal_, ignored);
    }
}

void EditController::sync_map() {
    vertex_cache_.clear();
    ++revision_;
    std::map<std::pair<std::string, std::string>, std::optional<Zone>> changes;
    const auto touched = session_->touched_zones();
    // Zones shown edited before and no longer touched (an undo) go back to the store's.
    for (const auto& key : shown_edited_) {
        if (!touched.contains(key)) {
            changes.emplace(key, session_->zone(key.first, key.second));
        }
    }
    shown_edited_.clear();
    for (const auto& [key, now] : touched) {
        changes.emplace(key, now);
        shown_edited_.insert(key);
    }
    if (map_.update_zones(changes) && canvas_ != nullptr) {
        canvas_->data_changed();
    }
    std::erase_if(selection_, [this](const std::string& id) { return !zone(id); });
    select(selection_);
    update_overlays();
    emit changed();
}

void EditController::update_overlays() {
    if (canvas_ == nullptr) {
        return;
    }
    if (!has_unsaved()) {
        canvas_->set_overlay("edit/changes", nullptr);
        return;
    }
    // What the edits gain (green) and lose (red hatch), as `redline diff` measures them.
    auto overlay = std::make_shared<Overlay>();
    const OverlayStyle gained{QColor(30, 150, 60), 1, Qt::SolidLine, QColor(60, 190, 90, 110), Qt::SolidPattern, 4};
    const OverlayStyle lost{QColor(210, 30, 30), 1.5, Qt::SolidLine, QColor(220, 40, 40, 200), Qt::BDiagPattern, 4};
    for (const auto& change : impact().changes) {
        if (!change.gained.empty()) {
            overlay->shapes.push_back(overlay_shape(map_, change.gained, gained));
        }
        if (!change.lost.empty()) {
            overlay->shapes.push_back(overlay_shape(map_, change.lost, lost));
        }
    }
    canvas_->set_overlay("edit/changes", std::move(overlay));
}

}  // namespace redline::viewer
