// The workspace's current zones made ready to draw, once: each projected into the display
// plane, kept as QPainterPaths at several levels of detail, with its extent, its style
// group and the point its label goes. Everything the canvas does afterwards (draw, pick,
// search) reads this and never the workspace again.
#pragma once

#include "redline/model/schema.hpp"
#include "redline/projection.hpp"
#include "redline/store/workspace.hpp"

#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redline::viewer {

// A kind and one of its sub-zones as the layer panel lists them, with their style.
struct LayerGroup {
    std::string kind;
    std::string subzone;  // "" for a kind without sub-zones
    QString kind_name;    // the schema's name in the language in effect
    QString subzone_name;
    ZoneStyle style;
    int draw_order = 0;
    int rank = 0;  // the sub-zone's rank in its kind (innermost first); -1 when unknown
    int zones = 0;
};

// A zone at one level of detail, in display-plane metres (y north).
struct ZoneShape {
    QPainterPath polygons;  // closed rings, even-odd
    QPainterPath lines;     // open polylines
    std::size_t vertices = 0;
};

// Any geometry made ready to draw the way zones are (overlays: a version, a diff, findings,
// hits): in the display plane, at the same levels of detail, with its extent.
struct PlaneShape {
    std::vector<ZoneShape> levels;  // as DisplayZone::levels; empty without rings or lines
    std::vector<QPointF> points;    // point parts
    QRectF bounds;                  // display plane; null when empty
};

struct DisplayZone {
    Zone zone;  // as loaded, without its geometry (kept once, in `levels`)
    int group = 0;
    QRectF bounds;                  // display plane
    std::vector<ZoneShape> levels;  // [0] every vertex; then coarser, see MapData::tolerance
    std::vector<QPointF> points;    // point parts
    std::optional<QPointF> anchor;  // where the label goes at full extent
    double anchor_clearance = 0;    // the anchor's distance to the nearest edge, metres
    QString label;                  // the zone's name, else its code
};

class MapData {
public:
    // The simplification tolerances of the levels of detail, metres: level 0 is the zone as
    // stored; each further level keeps the vertices Douglas-Peucker needs at its tolerance,
    // run on the coarsest level at most a quarter as coarse (source_of), so its lines stay
    // within 4/3 of its tolerance of the zone as stored (deviation). From 64 m up, where a
    // view holds thousands of zones, the steps are √2 rather than 2: a view draws a level
    // nearer its pixel, with a fifth to a third fewer vertices.
    static constexpr std::array<double, 15> tolerances{0,   8,   16,  32,  64,   90.5, 128, 181,
                                                       256, 362, 512, 724, 1024, 1448, 2048};

    // The level a level is simplified from.
    static constexpr std::size_t source_of(std::size_t level) {
        std::size_t source = 0;
        for (std::size_t i = 0; i < level; ++i) {
            if (tolerances[i] <= tolerances[level] / 4) {
                source = i;
            }
        }
        return source;
    }
    // How far a level's lines may lie from the zone as stored, metres: its tolerance and its
    // source's deviation.
    static constexpr double deviation(std::size_t level) {
        return level == 0 ? 0 : tolerances[level] + deviation(source_of(level));
    }

    // Reads the current zones of a workspace opened read-only and prepares them.
    static MapData load(const Workspace& workspace, const SchemaSet& schemas);
    // Prepares zones on every core. The display projection is a transverse Mercator on the
    // meridian through the middle of the zones' longitudes; the plane's origin (0, 0) is
    // the centre of their extent.
    static MapData build(std::vector<Zone> zones, const SchemaSet& schemas);

    const std::vector<DisplayZone>& zones() const { return zones_; }  // in drawing order
    const std::vector<LayerGroup>& groups() const { return groups_; }
    const SchemaSet& schemas() const { return schemas_; }
    QRectF full_extent() const { return extent_; }
    std::size_t vertex_count() const { return vertices_; }
    double central_meridian() const { return projection_.central_meridian(); }
    // The display plane as a CRS, a PROJ string: the transverse Mercator above with the
    // plane's origin taken off as its false easting and northing (+x_0, +y_0), so that its
    // coordinates are plane coordinates (for GDAL to warp a raster background onto the plane).
    std::string plane_definition() const;
    std::vector<Problem> problems;  // zones the workspace could not give (no usable geometry)
    double load_ms = 0, build_ms = 0;

    // The level to draw at this many metres per pixel: the coarsest whose lines stay within
    // a pixel of the zone's (deviation), the threshold desktop GIS simplify to.
    static int level_for(double metres_per_pixel);

    // Geometries made ready as zones are, on every core, each thread with its own
    // projection: safe from any thread (a job's worker).
    std::vector<PlaneShape> plane_shapes(const std::vector<const Geometry*>& geometries) const;
    // One geometry, on this thread's projection: the GUI thread only.
    PlaneShape plane_shape(const Geometry& geometry) const;

    // Display plane <-> CGCS2000 lon/lat (this thread's projection: the GUI thread only).
    QPointF to_plane(double lon, double lat) const;
    std::pair<double, double> to_lonlat(const QPointF& plane) const;
    // The plane rectangle around a lon/lat box (its edges sampled).
    QRectF plane_rect(const BoundingBox& box) const;
    // The plane scale factor at a plane point (plane metres per metre on the ellipsoid).
    double scale_factor(const QPointF& plane) const;

    // Zones at a plane point, topmost first: polygons containing it, lines and points
    // within `tolerance` metres. Only the groups `visible` says (empty: all).
    std::vector<int> zones_at(const QPointF& point, double tolerance, const std::vector<bool>& visible = {}) const;
    // Zones whose name, code or zone id contains `text` (case-insensitive), exact matches
    // first, then by drawing order from the top; at most `limit`.
    std::vector<int> search(const QString& text, std::size_t limit = 500) const;
    // Zones with this zone id, or KIND:ID.
    std::vector<int> find_zone(const std::string& id) const;
    // The extent of some zones, display plane.
    QRectF extent_of(const std::vector<int>& zones) const;

    // Brings edited zones in: each (kind, zone id) as it now is (with its geometry), or
    // gone (nullopt). Zone indices change; true when anything changed.
    bool update_zones(const std::map<std::pair<std::string, std::string>, std::optional<Zone>>& changes);

private:
    explicit MapData(TransverseMercator projection) : projection_(std::move(projection)) {}
    int group_for(const std::string& kind, const std::string& subzone);  // made when new
    void sort_zones();
    void measure();  // extent and vertices
    SchemaSet schemas_;
    TransverseMercator projection_;
    QPointF origin_;  // the projection's coordinates of the plane's (0, 0)
    std::vector<DisplayZone> zones_;
    std::vector<LayerGroup> groups_;
    QRectF extent_;
    std::size_t vertices_ = 0;
};

}  // namespace redline::viewer
