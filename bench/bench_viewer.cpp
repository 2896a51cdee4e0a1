// Times redline-viewer's drawing on a workspace, as the canvas draws it: the zones loaded
// and prepared once, then the map drawn at the full extent and at every zoom level down
// to streets, at the centre and at zones across the workspace, with labels.
//   redline_bench_viewer WORKSPACE [--size WxH] [--views N]
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "text.hpp"

#include "redline/store/workspace.hpp"

#include <QGuiApplication>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <string>

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

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: redline_bench_viewer WORKSPACE [--size WxH] [--views N]\n";
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    int width = 1400, height = 900, views = 60;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--size") {
            std::sscanf(argv[i + 1], "%dx%d", &width, &height);
        } else if (key == "--views") {
            views = std::stoi(argv[i + 1]);
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
    MapView full;
    full.size = QSizeF(width, height);
    fit_view(full, data.full_extent());
    plan.push_back(full);
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
        }
    }
    // As the canvas does: one label cache for the session (a label is drawn once).
    LabelCache labels;
    std::vector<double> times, cpu;
    double worst = 0;
    std::size_t worst_index = 0;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        RenderStats stats;
        const double cpu_start = cpu_ms();
        render_image(data, plan[i], RenderSettings{}, 1, &stats, &labels);
        cpu.push_back(cpu_ms() - cpu_start);
        times.push_back(stats.ms);
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
    for (const auto& view : plan) {
        RenderStats stats;
        render_image(data, view, RenderSettings{}, 1, &stats, &labels);
        again.push_back(stats.ms);
    }
    std::sort(again.begin(), again.end());
    std::printf("the same views again (labels cached): p50 %.1f ms, p95 %.1f, max %.1f\n", again[again.size() / 2],
                again[again.size() * 95 / 100], again.back());
    return 0;
}
