#include "map_data.hpp"

#include "shapes.hpp"
#include "text.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

namespace redline::viewer {
namespace {

using Clock = std::chrono::steady_clock;

// For each level, the coarsest level simplified from it (itself when none is).
constexpr auto last_source_use = [] {
    std::array<std::size_t, MapData::tolerances.size()> last{};
    for (std::size_t level = 0; level < last.size(); ++level) {
        last[level] = level;
        last[MapData::source_of(level)] = level;
    }
    return last;
}();

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs fn(state, i) for i in [0, n) on every core, each thread with its own state from
// make_state(). The first exception a thread meets stops the others and is thrown here.
template <typename MakeState, typename Fn>
void parallel_for(std::size_t n, MakeState&& make_state, Fn&& fn) {
    const std::size_t threads = std::max<std::size_t>(
        1, std::min<std::size_t>(std::thread::hardware_concurrency(), std::max<std::size_t>(1, n / 16)));
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&]() {
        try {
            auto state = make_state();
            for (std::size_t i = next++; i < n; i = next++) {
                fn(state, i);
            }
        } catch (...) {
            next = n;
            const std::lock_guard<std::mutex> lock(failure_mutex);
            if (!failure) {
                failure = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) {
        pool.emplace_back(work);
    }
    work();
    for (auto& thread : pool) {
        thread.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

// An extent that, unlike QRectF::united, keeps points (rectangles of no size).
struct Box {
    double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
    void add(const QPointF& p) {
        x0 = std::min(x0, p.x());
        x1 = std::max(x1, p.x());
        y0 = std::min(y0, p.y());
        y1 = std::max(y1, p.y());
    }
    void add(const QRectF& r) {
        add(r.topLeft());
        add(r.bottomRight());
    }
    bool empty() const { return !(x0 <= x1); }
    double size() const { return empty() ? 0 : std::max(x1 - x0, y1 - y0); }
    QRectF rect() const { return empty() ? QRectF() : QRectF(QPointF(x0, y0), QPointF(x1, y1)); }
};

double extent_of_points(const std::vector<QPointF>& points) {
    Box box;
    for (const auto& p : points) {
        box.add(p);
    }
    return box.size();
}

void append(QPainterPath& path, const std::vector<QPointF>& points, bool closed) {
    if (points.empty()) {
        return;
    }
    path.moveTo(points.front());
    for (std::size_t i = 1; i < points.size(); ++i) {
        path.lineTo(points[i]);
    }
    if (closed) {
        path.closeSubpath();
    }
}

// A geometry projected, at every level of detail. `longest_line` gets its longest line.
void project_levels(PlaneShape& out, const GeometryParts& parts, const TransverseMercator& projection,
                    const QPointF& origin, std::vector<QPointF>* longest_line = nullptr) {
    constexpr std::size_t levels = MapData::tolerances.size();
    out.levels.clear();
    auto make_levels = [&] {
        if (out.levels.empty()) {
            out.levels.assign(levels, {});
            for (auto& shape : out.levels) {
                shape.polygons.setFillRule(Qt::OddEvenFill);
            }
        }
    };
    auto project = [&](const LonLatPath& path) {
        LonLatPath xy = path;
        projection.forward(xy);
        std::vector<QPointF> points;
        points.reserve(xy.size());
        for (const auto& [x, y] : xy) {
            if (std::isfinite(x) && std::isfinite(y)) {
                points.emplace_back(x - origin.x(), y - origin.y());
            }
        }
        return points;
    };
    // A path at every level, each simplified from its source level (MapData::source_of).
    // Holes smaller than a level's tolerance are left out of it; outer rings stay (a small
    // zone stays a dot). A level's points are let go once no coarser level needs them.
    auto add_levels = [&](std::vector<QPointF> points, bool closed, bool hole, auto member) {
        make_levels();
        const double size = extent_of_points(points);
        std::vector<std::vector<QPointF>> made(levels);
        made[0] = std::move(points);
        for (std::size_t level = 0; level < levels; ++level) {
            if (level > 0) {
                if (hole && size < MapData::tolerances[level]) {
                    break;
                }
                made[level] = simplify(made[MapData::source_of(level)], MapData::tolerances[level]);
            }
            ZoneShape& shape = out.levels[level];
            append(shape.*member, made[level], closed);
            shape.vertices += made[level].size();
            for (std::size_t finer = 0; finer <= level; ++finer) {
                if (last_source_use[finer] == level) {
                    made[finer] = {};
                }
            }
        }
    };
    Box bounds;
    for (const auto& polygon : parts.polygons) {
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            auto points = project(polygon[r]);
            if (points.size() < 2) {
                continue;
            }
            if (r == 0) {
                for (const auto& p : points) {
                    bounds.add(p);
                }
            }
            add_levels(std::move(points), true, r > 0, &ZoneShape::polygons);
        }
    }
    for (const auto& line : parts.lines) {
        auto points = project(line);
        if (points.empty()) {
            continue;
        }
        for (const auto& p : points) {
            bounds.add(p);
        }
        if (longest_line != nullptr && points.size() > longest_line->size()) {
            *longest_line = points;
        }
        add_levels(std::move(points), false, false, &ZoneShape::lines);
    }
    out.points.clear();
    if (!parts.points.empty()) {
        out.points = project(LonLatPath(parts.points.begin(), parts.points.end()));
        for (const auto& p : out.points) {
            bounds.add(p);
        }
    }
    out.bounds = bounds.rect();
}

// One zone: projected, at every level of detail, with its label point.
void prepare(DisplayZone& out, const GeometryParts& parts, const TransverseMercator& projection,
             const QPointF& origin) {
    PlaneShape shape;
    std::vector<QPointF> longest_line;
    project_levels(shape, parts, projection, origin, &longest_line);
    out.levels = std::move(shape.levels);
    if (out.levels.empty()) {  // a zone has every level, if only empty ones
        out.levels.resize(MapData::tolerances.size());
    }
    out.points = std::move(shape.points);
    out.bounds = shape.bounds;
    // The label point: the pole of inaccessibility of the polygons, found on a level whose
    // tolerance is small against the zone; else the middle of the longest line; else the point.
    const double size = std::max(out.bounds.width(), out.bounds.height());
    constexpr std::size_t levels = MapData::tolerances.size();
    if (!out.levels[0].polygons.isEmpty()) {
        std::size_t level = 0;
        while (level + 1 < levels && MapData::tolerances[level + 1] < size / 300) {
            ++level;
        }
        if (const auto inner = inner_point(out.levels[level].polygons, size / 200)) {
            out.anchor = inner->point;
            out.anchor_clearance = inner->distance;
        }
    } else if (!longest_line.empty()) {
        out.anchor = longest_line[longest_line.size() / 2];
    } else if (!out.points.empty()) {
        out.anchor = out.points.front();
    }
}

}  // namespace

int MapData::level_for(double metres_per_pixel) {
    int level = 0;
    for (std::size_t i = 1; i < tolerances.size(); ++i) {
        if (deviation(i) <= metres_per_pixel) {
            level = static_cast<int>(i);
        }
    }
    return level;
}

MapData MapData::load(const Workspace& workspace, const SchemaSet& schemas) {
    const auto start = Clock::now();
    std::vector<Problem> problems;
    auto zones = workspace.load_zones(std::nullopt, &problems);
    const double load_ms = ms_since(start);
    MapData data = build(std::move(zones), schemas);
    data.problems = std::move(problems);
    data.load_ms = load_ms;
    return data;
}

MapData MapData::build(std::vector<Zone> zones, const SchemaSet& schemas) {
    const auto start = Clock::now();
    // Take every geometry apart first: the display projection depends on the extent.
    std::vector<GeometryParts> parts(zones.size());
    std::vector<BoundingBox> boxes(zones.size());
    parallel_for(
        zones.size(), [] { return 0; },
        [&](int /*no state*/, std::size_t i) {
            parts[i] = geometry_parts(zones[i].geometry);
            zones[i].geometry = {};
            BoundingBox box{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
            auto add = [&](const LonLat& p) { box.expand({p.first, p.second, p.first, p.second}); };
            for (const auto& polygon : parts[i].polygons) {
                if (!polygon.empty()) {
                    std::for_each(polygon.front().begin(), polygon.front().end(), add);
                }
            }
            for (const auto& line : parts[i].lines) {
                std::for_each(line.begin(), line.end(), add);
            }
            std::for_each(parts[i].points.begin(), parts[i].points.end(), add);
            boxes[i] = box;
        });
    BoundingBox all{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                    -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (const auto& box : boxes) {
        if (box.min_x <= box.max_x) {
            all.expand(box);
        }
    }
    if (!(all.min_x <= all.max_x)) {
        all = {120, 35, 120, 35};  // no zones: somewhere in China
    }
    const double meridian = std::round((all.min_x + all.max_x) / 2 * 100) / 100;
    MapData data{TransverseMercator(meridian)};
    data.schemas_ = schemas;
    {
        const auto [x, y] = data.projection_.forward(meridian, (all.min_y + all.max_y) / 2);
        data.origin_ = QPointF(x, std::round(y));
    }

    // Style groups: one per kind and sub-zone present.
    std::vector<int> group_index(zones.size());
    for (std::size_t i = 0; i < zones.size(); ++i) {
        group_index[i] = data.group_for(zones[i].kind, zones[i].subzone);
        ++data.groups_[static_cast<std::size_t>(group_index[i])].zones;
    }

    // Project and simplify on every core, each thread with its own projection.
    std::vector<DisplayZone> prepared(zones.size());
    parallel_for(
        zones.size(), [meridian] { return TransverseMercator(meridian); },
        [&](const TransverseMercator& projection, std::size_t i) {
            DisplayZone& z = prepared[i];
            z.zone = std::move(zones[i]);
            z.group = group_index[i];
            prepare(z, parts[i], projection, data.origin_);
            parts[i] = {};
            z.label = qstr(!z.zone.name.empty() ? z.zone.name : z.zone.code);
        });
    data.zones_ = std::move(prepared);
    data.sort_zones();
    data.measure();
    data.build_ms = ms_since(start);
    return data;
}

std::vector<PlaneShape> MapData::plane_shapes(const std::vector<const Geometry*>& geometries) const {
    std::vector<PlaneShape> shapes(geometries.size());
    const double meridian = projection_.central_meridian();
    parallel_for(
        geometries.size(), [meridian] { return TransverseMercator(meridian); },
        [&](const TransverseMercator& projection, std::size_t i) {
            if (geometries[i] != nullptr && !geometries[i]->empty()) {
                project_levels(shapes[i], geometry_parts(*geometries[i]), projection, origin_);
            }
        });
    return shapes;
}

PlaneShape MapData::plane_shape(const Geometry& geometry) const {
    PlaneShape shape;
    if (!geometry.empty()) {
        project_levels(shape, geometry_parts(geometry), projection_, origin_);
    }
    return shape;
}

int MapData::group_for(const std::string& kind_id, const std::string& subzone) {
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        if (groups_[g].kind == kind_id && groups_[g].subzone == subzone) {
            return static_cast<int>(g);
        }
    }
    LayerGroup group;
    group.kind = kind_id;
    group.subzone = subzone;
    const KindSchema* kind = schemas_.find(kind_id);
    group.kind_name = kind == nullptr ? qstr(kind_id) : pick(kind->name_zh, kind->name_en);
    group.rank = -1;
    if (kind != nullptr) {
        group.style = kind->style.for_subzone(subzone);
        group.draw_order = kind->style.draw_order;
        if (const SubzoneDefinition* sub = kind->find_subzone(subzone)) {
            group.subzone_name = pick(sub->name_zh, sub->name_en);
            group.rank = sub->rank;
        }
    } else {
        KindStyle fallback;
        group.style = fallback.base;
        group.draw_order = fallback.draw_order;
    }
    if (group.subzone_name.isEmpty()) {
        group.subzone_name = qstr(subzone);
    }
    groups_.push_back(std::move(group));
    return static_cast<int>(groups_.size() - 1);
}

void MapData::sort_zones() {
    // Drawing order: kinds by their style's order; inside a kind the outer sub-zones first
    // (rank: innermost first), then the larger zones first, so nothing small is buried.
    auto key = [&](const DisplayZone& z) {
        const LayerGroup& g = groups_[static_cast<std::size_t>(z.group)];
        const QRectF& b = z.bounds;
        return std::make_tuple(g.draw_order, std::cref(g.kind), -g.rank, -(b.width() * b.height()), z.zone.fid,
                               std::cref(z.zone.zone_id));
    };
    std::stable_sort(zones_.begin(), zones_.end(),
                     [&](const DisplayZone& a, const DisplayZone& b) { return key(a) < key(b); });
}

void MapData::measure() {
    Box extent;
    vertices_ = 0;
    for (const auto& z : zones_) {
        vertices_ += z.levels.empty() ? z.points.size() : z.levels[0].vertices + z.points.size();
        if (!z.points.empty() || !z.levels[0].polygons.isEmpty() || !z.levels[0].lines.isEmpty()) {
            extent.add(z.bounds);
        }
    }
    extent_ = extent.empty() ? QRectF(-50000, -50000, 100000, 100000) : extent.rect();
    if (extent_.width() < 100 || extent_.height() < 100) {
        extent_ = extent_.adjusted(-500, -500, 500, 500);  // a point, or points in a row
    }
}

bool MapData::update_zones(const std::map<std::pair<std::string, std::string>, std::optional<Zone>>& changes) {
    bool reordered = false;
    for (const auto& change : changes) {
        const std::optional<Zone>& now = change.second;
        auto it = std::find_if(zones_.begin(), zones_.end(), [&change](const DisplayZone& z) {
            return z.zone.kind == change.first.first && z.zone.zone_id == change.first.second;
        });
        if (!now) {
            if (it != zones_.end()) {
                --groups_[static_cast<std::size_t>(it->group)].zones;
                zones_.erase(it);
                reordered = true;
            }
            continue;
        }
        DisplayZone made;
        made.zone = *now;
        made.zone.geometry = {};
        made.group = group_for(now->kind, now->subzone);
        prepare(made, geometry_parts(now->geometry), projection_, origin_);
        made.label = qstr(!made.zone.name.empty() ? made.zone.name : made.zone.code);
        ++groups_[static_cast<std::size_t>(made.group)].zones;
        if (it == zones_.end()) {
            zones_.push_back(std::move(made));
        } else {
            --groups_[static_cast<std::size_t>(it->group)].zones;
            *it = std::move(made);
        }
        reordered = true;  // a new size or sub-zone may move it in the drawing order
    }
    if (reordered) {
        sort_zones();
        measure();
    }
    return reordered;
}

QPointF MapData::to_plane(double lon, double lat) const {
    const auto [x, y] = projection_.forward(lon, lat);
    return {x - origin_.x(), y - origin_.y()};
}

std::pair<double, double> MapData::to_lonlat(const QPointF& plane) const {
    return projection_.inverse(plane.x() + origin_.x(), plane.y() + origin_.y());
}

std::string MapData::plane_definition() const {
    char text[256];
    std::snprintf(
        text, sizeof text,
        "+proj=tmerc +lat_0=0 +lon_0=%.17g +k=1 +x_0=%.17g +y_0=%.17g +ellps=GRS80 +units=m +no_defs +type=crs",
        projection_.central_meridian(), projection_.false_easting() - origin_.x(), -origin_.y());
    return text;
}

QRectF MapData::plane_rect(const BoundingBox& box) const {
    Box out;
    for (int i = 0; i <= 16; ++i) {
        const double t = i / 16.0;
        const double lon = box.min_x + t * (box.max_x - box.min_x);
        const double lat = box.min_y + t * (box.max_y - box.min_y);
        for (const QPointF& p :
             {to_plane(lon, box.min_y), to_plane(lon, box.max_y), to_plane(box.min_x, lat), to_plane(box.max_x, lat)}) {
            out.add(p);
        }
    }
    return out.rect();
}

double MapData::scale_factor(const QPointF& plane) const {
    const auto [lon, lat] = to_lonlat(plane);
    return projection_.scale_factor(lon, lat);
}

std::vector<int> MapData::zones_at(const QPointF& point, double tolerance, const std::vector<bool>& visible) const {
    std::vector<int> out;
    for (int i = static_cast<int>(zones_.size()) - 1; i >= 0; --i) {
        const DisplayZone& z = zones_[static_cast<std::size_t>(i)];
        if (!visible.empty() && !visible[static_cast<std::size_t>(z.group)]) {
            continue;
        }
        if (!z.bounds.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(point)) {
            continue;
        }
        const ZoneShape& full = z.levels[0];
        bool hit = false;
        if (!full.polygons.isEmpty()) {
            hit = polygon_contains(full.polygons, point) || distance_to_edges(full.polygons, point) <= tolerance;
        }
        if (!hit && !full.lines.isEmpty()) {
            hit = distance_to_edges(full.lines, point) <= tolerance;
        }
        for (const auto& p : z.points) {
            hit = hit || std::hypot(p.x() - point.x(), p.y() - point.y()) <= tolerance;
        }
        if (hit) {
            out.push_back(i);
        }
    }
    return out;
}

std::vector<int> MapData::search(const QString& text, std::size_t limit) const {
    const QString needle = text.trimmed();
    if (needle.isEmpty()) {
        return {};
    }
    std::vector<std::pair<int, int>> found;  // (exact ? 0 : 1, index)
    for (int i = static_cast<int>(zones_.size()) - 1; i >= 0; --i) {
        const Zone& z = zones_[static_cast<std::size_t>(i)].zone;
        bool exact = false, partial = false;
        for (const std::string* field : {&z.name, &z.code, &z.zone_id}) {
            const QString value = qstr(*field);
            if (value.compare(needle, Qt::CaseInsensitive) == 0) {
                exact = true;
            } else if (value.contains(needle, Qt::CaseInsensitive)) {
                partial = true;
            }
        }
        if (exact || partial) {
            found.emplace_back(exact ? 0 : 1, i);
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<int> out;
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        out.push_back(found[i].second);
    }
    return out;
}

std::vector<int> MapData::find_zone(const std::string& id) const {
    std::string kind, zone_id = id;
    const auto colon = id.find(':');
    if (colon != std::string::npos && schemas_.find(id.substr(0, colon)) != nullptr) {
        kind = id.substr(0, colon);
        zone_id = id.substr(colon + 1);
    }
    std::vector<int> out;
    for (std::size_t i = 0; i < zones_.size(); ++i) {
        const Zone& z = zones_[i].zone;
        if (z.zone_id == zone_id && (kind.empty() || z.kind == kind)) {
            out.push_back(static_cast<int>(i));
        }
    }
    return out;
}

QRectF MapData::extent_of(const std::vector<int>& zones) const {
    Box out;
    for (int i : zones) {
        out.add(zones_[static_cast<std::size_t>(i)].bounds);
    }
    return out.rect();
}

}  // namespace redline::viewer
