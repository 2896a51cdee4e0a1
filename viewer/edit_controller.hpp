// The viewer's edit session: one kind edited at a time through core's EditSession (the same
// checks, impact and commit as `redline edit`), steps that undo and redo whole (a topological
// vertex move is one step over several zones), the selection, snapping to what is drawn,
// and the map kept in step with the edits. The tools (edit_tools.hpp) only build edits.
#pragma once

#ifndef Q_MOC_RUN
#include "map_data.hpp"
#include "redline/editing/edit_session.hpp"
#include "redline/geometry.hpp"
#endif

#include <QObject>
#include <QPointF>
#include <QString>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace redline::viewer {

class MapCanvas;
class MapView;

// A point the cursor snapped to: a vertex (its exact lon/lat, so that shared boundaries
// stay shared) or a point on a segment.
struct SnapResult {
    QPointF plane;
    bool vertex = false;
    std::optional<LonLat> exact;
    int zone = -1;  // MapData index of the zone snapped to
};

class EditController : public QObject {
    Q_OBJECT

public:
    // `workspace` open for writing. Unsaved edits are journaled to `journal` (none: empty).
    EditController(Workspace& workspace, const SchemaSet& schemas, MapData& map, MapCanvas* canvas,
                   std::filesystem::path journal, QObject* parent = nullptr);
    ~EditController() override;

    // The kind being edited; its tiling decides the topological defaults.
    void set_kind(const std::string& kind);
    const std::string& kind() const { return kind_; }
    const KindSchema& kind_schema() const;
    const SchemaSet& schemas() const { return schemas_; }
    bool topological = false;       // shared vertices move together; new areas avoid neighbours
    double snap_tolerance_px = 10;  // 0: no snapping

    // One step of edits, all or none. False when core refuses one (last_error() says why,
    // naming the edit); the session is then as it was.
    bool apply_step(const QString& label, const std::vector<ZoneEdit>& edits);
    bool undo();
    bool redo();
    bool can_undo() const { return !done_.empty(); }
    bool can_redo() const { return !undone_.empty(); }
    QString undo_label() const;
    QString redo_label() const;
    const QString& last_error() const { return last_error_; }
    // Says why something could not be done (last_error() and the refused signal).
    void refuse(const QString& why);
    bool has_unsaved() const;

    // Zones of the edited kind, by zone id.
    const std::vector<std::string>& selection() const { return selection_; }
    void select(std::vector<std::string> zone_ids);
    std::optional<Zone> zone(const std::string& zone_id) const;
    // Zones of the edited kind at a plane point, topmost first.
    std::vector<std::string> zones_at(const QPointF& plane, double tolerance_m) const;
    // Zones of the edited kind whose extent meets `box` (lon/lat), other than `except`.
    std::vector<Zone> neighbours(const BoundingBox& box, const std::string& except = {}) const;

    // Where the cursor snaps (vertices first, then segments) of visible zones within the
    // tolerance; nullopt: nowhere.
    std::optional<SnapResult> snap(const QPointF& plane, const MapView& view) const;
    LonLat to_lonlat(const QPointF& plane) const;
    LonLat to_lonlat(const SnapResult& snapped) const;
    QPointF to_plane(const LonLat& point) const;

    // A polygon as a tiling kind takes it: with topological editing on, the neighbours'
    // ground taken out (empty when nothing is left).
    Geometry without_neighbours(const Geometry& geometry, const std::string& zone_id) const;
    // Edits that move the vertex at `from` to `to` in a zone and, with topological editing,
    // in every zone of the kind that shares it (exactly).
    std::vector<ZoneEdit> move_vertex(const std::string& zone_id, const LonLat& from, const LonLat& to) const;
    // Edits that delete the vertex at `at` (and the shared ones); refused rings stay (a ring
    // keeps at least three points: last_error() then says why and none is made).
    std::optional<std::vector<ZoneEdit>> delete_vertex(const std::string& zone_id, const LonLat& at);
    // Edits that add a vertex on the segment a-b (and on the same segment of neighbours).
    std::vector<ZoneEdit> insert_vertex(const std::string& zone_id, const LonLat& a, const LonLat& b,
                                        const LonLat& at) const;

    EditSession& session() { return *session_; }
    const EditImpact& impact();  // of the unsaved edits (measured once per state)
    // Counts the changes of the session and the map (steps, undo, redo, save, rebase): what
    // a tool keeps about a zone is good while it stays the same.
    int revision() const { return revision_; }
    // One version; DataError as core words it (basis missing, conflict) and nothing saved.
    VersionInfo save(const std::string& author, const std::string& note, const std::string& basis);
    // After a conflict: the newest version as base, these edits on top; those that cannot
    // be made are returned.
    std::vector<Message> rebase();
    // A journal of unsaved edits left by an earlier viewer on this workspace, if any.
    std::optional<EditJournal> pending_journal() const;
    // Applies a journal's edits as one step; those that cannot be made are returned.
    std::vector<Message> restore(const EditJournal& journal);
    void discard_journal();

signals:
    void changed();              // after every step, undo, redo, save and rebase
    void saved(qint64 version);  // a version was committed
    void selection_changed();
    void refused(const QString& why);  // a step core refused, or a tool could not make

private:
    void sync_map();  // the touched zones redrawn as they now are
    // The zone and, with topological editing, the zones of the kind whose extent meets `box`.
    std::vector<Zone> zone_and_neighbours(const std::string& zone_id, const BoundingBox& box) const;
    void update_overlays();

    struct Step {
        QString label;
        std::vector<ZoneEdit> edits;
    };
    Workspace& workspace_;
    const SchemaSet& schemas_;
    MapData& map_;
    MapCanvas* canvas_;
    std::filesystem::path journal_;
    std::unique_ptr<EditSession> session_;
    std::string kind_;
    std::vector<Step> done_, undone_;
    std::vector<std::string> selection_;
    QString last_error_;
    std::set<std::pair<std::string, std::string>> shown_edited_;
    int revision_ = 0;
    // Vertices of zones snapped to, lon/lat and plane, per MapData index (until a change).
    struct Vertices {
        std::vector<LonLat> lonlat;
        std::vector<QPointF> plane;
    };
    mutable std::map<int, Vertices> vertex_cache_;
    const Vertices& vertices_of(int zone) const;
};

}  // namespace redline::viewer
