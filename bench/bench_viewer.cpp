// Times redline-viewer's drawing on a workspace, as the canvas draws it: the zones loaded
// and prepared once, then the map drawn at the full extent and at every zoom level down
// to streets, at the centre and at zones across the workspace, with labels.
//   redline_bench_viewer WORKSPACE [--size WxH] [--views N] [--extents-out FILE]
// --extents-out writes each view's extent and times, for bench/qgis_render.py to draw the
// same views with QGIS (bench/run-viewer-bench.sh).
#include "history_panel.hpp"
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "text.hpp"

#include "redline/projection.hpp"
#include "redline/store/workspace.hpp"

#include <QGuiApplication>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

long peak_rss_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return 0;
}

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// What the views file says of one view: enough for another renderer to draw the same
// pixels (the plane rectangle in the display projection's own coordinates) or the same
// place (the lon/lat box around it).
struct ViewExtent {
    double min_lon, min_lat, max_lon, max_lat;
    double min_x, min_y, max_x, max_y;  // transverse Mercator on the central meridian, no false easting
};

ViewExtent extent_of_view(const redline::viewer::MapData& data, const redline::viewer::MapView& view,
                          const QPointF& plane_origin) {
    const QRectF rect = view.plane_rect();
    constexpr double infinity = std::numeric_limits<double>::infinity();
    ViewExtent e{infinity, infinity, -infinity, -infinity, 0, 0, 0, 0};
    // The edges sampled, not only the corners: meridians and parallels curve on the plane.
    constexpr int samples = 16;
    for (int i = 0; i <= samples; ++i) {
        const double t = static_cast<double>(i) / samples;
        const double x = rect.left() + t * rect.width(), y = rect.top() + t * rect.height();
        for (const QPointF& p :
             {QPointF(x, rect.top()), QPointF(x, rect.bottom()), QPointF(rect.left(), y), QPointF(rect.right(), y)}) {
            const auto [lon, lat] = data.to_lonlat(p);
            e.min_lon = std::min(e.min_lon, lon);
            e.max_lon = std::max(e.max_lon, lon);
            e.min_lat = std::min(e.min_lat, lat);
            e.max_lat = std::max(e.max_lat, lat);
        }
    }
    e.min_x = rect.left() + plane_origin.x();
    e.max_x = rect.right() + plane_origin.x();
    e.min_y = rect.top() + plane_origin.y();
    e.max_y = rect.bottom() + plane_origin.y();
    return e;
}

// One line a view, tab-separated, after a header naming the columns.
void write_extents(const std::string& path, const redline::viewer::MapData& data,
                   const std::vector<redline::viewer::MapView>& plan, const std::vector<int>& zoom_steps,
                   const std::vector<redline::viewer::RenderStats>& first,
                   const std::vector<redline::viewer::RenderStats>& repeat) {
    using namespace redline;
    // MapData's plane is the transverse Mercator shifted to the middle of the zones; the
    // shift, in the projection's coordinates, is where the plane's (0, 0) projects.
    const TransverseMercator projection(data.central_meridian());
    const auto [origin_lon, origin_lat] = data.to_lonlat(QPointF(0, 0));
    const auto [origin_x, origin_y] = projection.forward(origin_lon, origin_lat);
    std::ofstream out(path);
    if (!out) {
        throw std::runtime_error("cannot write the views file " + path);
    }
    out << "# redline_bench_viewer views; plane: +proj=tmerc +lon_0=" << data.central_meridian()
        << " +k=1 +x_0=0 +y_0=0 +ellps=GRS80 (CGCS2000), metres\n"
        << "view\tzoom_step\tmetres_per_pixel\tscale\tmin_lon\tmin_lat\tmax_lon\tmax_lat\twidth\theight"
           "\tcentral_meridian\tmin_x\tmin_y\tmax_x\tmax_y\tredline_first_ms\tredline_repeat_ms"
           "\tredline_zones_first_ms\tredline_zones_repeat_ms\tredline_zones\tredline_vertices\tredline_labels\n";
    out.precision(10);
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const ViewExtent e = extent_of_view(data, plan[i], QPointF(origin_x, origin_y));
        out << i << '\t' << zoom_steps[i] << '\t' << plan[i].metres_per_pixel << '\t'
            << std::round(viewer::scale_denominator(data, plan[i], 96)) << '\t' << e.min_lon << '\t' << e.min_lat
            << '\t' << e.max_lon << '\t' << e.max_lat << '\t' << plan[i].size.width() << '\t' << plan[i].size.height()
            << '\t' << data.central_meridian() << '\t' << e.min_x << '\t' << e.min_y << '\t' << e.max_x << '\t'
            << e.max_y << '\t' << first[i].ms << '\t' << repeat[i].ms << '\t' << first[i].zones_ms << '\t'
            << repeat[i].zones_ms << '\t' << first[i].zones << '\t' << first[i].vertices << '\t' << first[i].labels
            << '\n';
    }
    if (!out.flush()) {
        throw std::runtime_error("cannot write the views file " + path);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: redline_bench_viewer WORKSPACE [--size WxH] [--views N] [--extents-out FILE] [--overlays 0]\n";
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    int width = 1400, height = 900, views = 60;
    std::string extents_out;
    bool overlays = true;  // --overlays 0: the map alone, a quicker run to compare changes with
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--size") {
            std::sscanf(argv[i + 1], "%dx%d", &width, &height);
        } else if (key == "--views") {
            views = std::stoi(argv[i + 1]);
        } else if (key == "--extents-out") {
            extents_out = argv[i + 1];
        } else if (key == "--overlays") {
            overlays = std::string(argv[i + 1]) != "0";
        }
    }
    QGuiApplication app(argc, argv);
    using namespace redline;
    using namespace redline::viewer;
    const SchemaSet schemas = SchemaSet::load(SchemaSet::default_directory());
    const Workspace workspace = Workspace::open_read_only(argv[1]);
    const MapData data = MapData::load(workspace, schemas);
    std::size_t level_vertices[MapData::tolerances.size()] = {};
    for (const auto& z : data.zones()) {
        for (std::size_t l = 0; l < z.levels.size(); ++l) {
            level_vertices[l] += z.levels[l].vertices;
        }
    }
    std::printf("workspace: %zu zones, %zu vertices; read %.0f ms, projected and simplified %.0f ms; peak %ld MB\n",
                data.zones().size(), data.vertex_count(), data.load_ms, data.build_ms, peak_rss_kb() / 1024);
    std::printf("vertices by level (tolerance):");
    for (std::size_t l = 0; l < MapData::tolerances.size(); ++l) {
        std::printf(" %g m: %zu;", MapData::tolerances[l], level_vertices[l]);
    }
    std::printf("\n");

    // Views: the full extent, then zooming in by 2 at a time towards zones picked across
    // the workspace (deterministic), down to about 0.5 m per pixel.
    std::vector<MapView> plan;
    std::vector<int> zoom_steps;  // halvings of the full extent's metres per pixel
    MapView full;
    full.size = QSizeF(width, height);
    fit_view(full, data.full_extent());
    plan.push_back(full);
    zoom_steps.push_back(0);
    std::mt19937 rng(7);
    while (static_cast<int>(plan.size()) < views && !data.zones().empty()) {
        const auto& zone = data.zones()[rng() % data.zones().size()];
        MapView view = full;
        view.centre = zone.anchor.value_or(zone.bounds.center());
        for (int step = 0; step < 12 && static_cast<int>(plan.size()) < views; ++step) {
            view.metres_per_pixel /= 2;
            if (view.metres_per_pixel < 0.5) {
                break;
            }
            plan.push_back(view);
            zoom_steps.push_back(step + 1);
        }
    }
    // As the canvas does: one label cache for the session (a label is drawn once). The
    // window's first frame finds it empty; then, while the user looks at that frame, the
    // canvas makes the labels' images in 8 ms slices of idle time, largest zones first
    // (MapCanvas::warm_labels): the redraws that follow are timed after that, as a user
    // meets them.
    LabelCache labels;
    {
        RenderStats stats;
        render_image(data, plan.front(), RenderSettings{}, 1, &stats, &labels);
        std::printf("first frame (full extent, no label made yet): %.1f ms (zones %.1f, labels %.1f)\n", stats.ms,
                    stats.zones_ms, stats.labels_ms);
        const auto order = label_warm_order(data);
        const auto start = std::chrono::steady_clock::now();
        for (int zone : order) {
            labels.image(data, zone);
        }
        const double warm_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::printf("labels made in the idle time after it, as the canvas does: %zu in %.0f ms\n", order.size(),
                    warm_ms);
    }
    std::vector<double> times, cpu;
    std::vector<RenderStats> drawn;
    double worst = 0;
    std::size_t worst_index = 0;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        RenderStats stats;
        const double cpu_start = cpu_ms();
        render_image(data, plan[i], RenderSettings{}, 1, &stats, &labels);
        cpu.push_back(cpu_ms() - cpu_start);
        times.push_back(stats.ms);
        drawn.push_back(stats);
        if (i < 14 || stats.ms > worst) {
            std::printf(
                "view %2zu: 1:%-10.0f level %d  %5d zones %8zu vertices %3d labels  %6.1f ms (zones %.1f on %d "
                "threads, labels %.1f; cpu %.1f ms)\n",
                i, scale_denominator(data, plan[i], 96), stats.level, stats.zones, stats.vertices, stats.labels,
                stats.ms, stats.zones_ms, stats.threads, stats.labels_ms, cpu.back());
        }
        if (stats.ms > worst) {
            worst = stats.ms;
            worst_index = i;
        }
    }
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    const double mean = std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(times.size());
    std::printf("redraw at %dx%d over %zu views: mean %.1f ms, p50 %.1f, p95 %.1f, max %.1f (view %zu); peak %ld MB\n",
                width, height, times.size(), mean, sorted[sorted.size() / 2], sorted[sorted.size() * 95 / 100],
                sorted.back(), worst_index, peak_rss_kb() / 1024);
    std::sort(cpu.begin(), cpu.end());
    std::printf(
        "processor time per redraw (all threads; what an idle machine's wall time is at most): p50 %.1f ms, "
        "p95 %.1f, max %.1f\n",
        cpu[cpu.size() / 2], cpu[cpu.size() * 95 / 100], cpu.back());
    // The same views again: every label met is cached now, as on a canvas in use.
    std::vector<double> again;
    std::vector<RenderStats> drawn_again;
    for (const auto& view : plan) {
        RenderStats stats;
        render_image(data, view, RenderSettings{}, 1, &stats, &labels);
        again.push_back(stats.ms);
        drawn_again.push_back(stats);
    }
    if (!extents_out.empty()) {
        write_extents(extents_out, data, plan, zoom_steps, drawn, drawn_again);
    }
    std::sort(again.begin(), again.end());
    std::printf("the same views again (labels cached): p50 %.1f ms, p95 %.1f, max %.1f\n", again[again.size() / 2],
                again[again.size() * 95 / 100], again.back());

    // A whole version laid over the map, as History -> Show does it (the current version:
    // every zone again, dashed over a casing), drawn at the zones' levels of detail, and
    // drawn whole (every vertex at every scale) as the viewer did before overlays had them.
    if (const auto current = overlays ? workspace.current_version() : std::nullopt) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<Problem> problems;
        const std::vector<Zone> zones = workspace.load_zones_at(current->id, &problems);
        const auto read = std::chrono::steady_clock::now();
        const std::shared_ptr<Overlay> version = dashed_version(data, schemas, zones);
        const auto made = std::chrono::steady_clock::now();
        auto whole = std::make_shared<Overlay>(*version);
        for (auto& shape : whole->shapes) {
            for (auto& level : shape.levels) {
                level = shape.levels.front();
            }
        }
        auto time_views = [&](const std::shared_ptr<Overlay>& overlay, std::size_t count, bool as_styled = false) {
            RenderSettings settings;
            settings.overlays = {overlay};
            if (as_styled) {  // every casing and width as styled, however crowded (as before)
                settings.crowded_overlay_vertices = std::numeric_limits<std::size_t>::max();
            }
            std::vector<double> ms;
            for (std::size_t i = 0; i < std::min(count, plan.size()); ++i) {
                RenderStats stats;
                const auto t0 = std::chrono::steady_clock::now();
                render_image(data, plan[i], settings, 1, &stats, &labels);
                ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
            return ms;
        };
        auto summary = [](std::vector<double> ms) {
            const double first = ms.front();
            std::sort(ms.begin(), ms.end());
            char line[160];
            std::snprintf(line, sizeof line, "full extent %.1f ms; p50 %.1f, p95 %.1f, max %.1f", first,
                          ms[ms.size() / 2], ms[ms.size() * 95 / 100], ms.back());
            return std::string(line);
        };
        const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
        std::printf("a version over the map (%zu zones, %zu shapes): read %.0f ms, made ready %.0f ms\n", zones.size(),
                    version->shapes.size(), ms(start, read), ms(read, made));
        std::printf("  as drawn now, %zu views: %s\n", plan.size(), summary(time_views(version, plan.size())).c_str());
        // Drawn whole, a view can take many seconds: the first 12 views (the full extent,
        // then zooming in by 2 towards one zone) tell.
        std::printf("  before: every vertex, every casing, 12 views: %s\n",
                    summary(time_views(whole, 12, true)).c_str());
        std::printf("  levels of detail, every casing, 12 views: %s\n", summary(time_views(version, 12, true)).c_str());
        std::printf("  levels of detail, crowded views thin (as drawn now), 12 views: %s; peak %ld MB\n",
                    summary(time_views(version, 12)).c_str(), peak_rss_kb() / 1024);
    }
    return 0;
}
