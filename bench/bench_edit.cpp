// Times editing one zone of a large workspace as the viewer does it: the window's data
// loaded once, then a vertex of a unit moved (topological: every unit sharing it moves
// too) through the EditController, the impact the law panel shows measured, and the edit
// saved as a version; then the same for a red line (whose loss needs a basis). Each step is
// timed apart. Works on a copy: the workspace given is left as it is.
//   redline_bench_edit WORKSPACE [--rounds N]
#include "edit_controller.hpp"
#include "map_data.hpp"
#include "text.hpp"

#include "redline/store/workspace.hpp"

#include <QGuiApplication>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The middle vertex of a zone's outer ring, and a point a little way towards the ring's
// first vertex (a small, valid move).
std::pair<redline::LonLat, redline::LonLat> vertex_move(const redline::Zone& zone) {
    const auto parts = redline::geometry_parts(zone.geometry);
    const auto& ring = parts.polygons.front().front();
    const auto from = ring[ring.size() / 2];
    const auto towards = ring[ring.size() / 2 + 1];
    return {from, {from.first + (towards.first - from.first) * 0.3, from.second + (towards.second - from.second) * 0.3}};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: redline_bench_edit WORKSPACE [--rounds N]\n");
        return 2;
    }
    int rounds = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--rounds") {
            rounds = std::stoi(argv[i + 1]);
        }
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    using namespace redline;
    using namespace redline::viewer;
    add_viewer_messages();
    const auto copy = std::filesystem::temp_directory_path() / "redline-bench-edit.gpkg";
    std::filesystem::copy_file(argv[1], copy, std::filesystem::copy_options::overwrite_existing);
    const SchemaSet schemas = SchemaSet::load(SchemaSet::default_directory());

    auto start = Clock::now();
    Workspace workspace = Workspace::open(copy);
    MapData data = MapData::load(workspace, schemas);
    std::printf("workspace: %zu zones, %zu vertices; loaded and prepared in %.0f ms\n", data.zones().size(),
                data.vertex_count(), ms_since(start));
    EditController editor(workspace, schemas, data, nullptr, {});

    for (const std::string kind : {"control_unit", "red_line"}) {
        std::vector<std::string> ids;
        for (const auto& z : data.zones()) {
            if (z.zone.kind == kind && ids.size() < static_cast<std::size_t>(rounds)) {
                ids.push_back(z.zone.zone_id);
            }
        }
        editor.set_kind(kind);
        for (const auto& id : ids) {
            const auto zone = editor.zone(id);
            const auto [from, to] = vertex_move(*zone);
            const auto round = Clock::now();
            start = Clock::now();
            const auto edits = editor.move_vertex(id, from, to);
            const bool applied = editor.apply_step(QStringLiteral("move"), edits);
            const double apply_ms = ms_since(start);
            start = Clock::now();
            const EditImpact& impact = editor.impact();
            const double impact_ms = ms_since(start);
            const bool needs_basis = impact.needs_basis();
            start = Clock::now();
            const VersionInfo v = editor.save("bench", "vertex moved", needs_basis ? "bench basis" : "");
            const double save_ms = ms_since(start);
            std::printf("%-12s %-18s %zu zone(s) edited%s: apply+redraw data %6.1f ms, impact %6.1f ms, save %6.1f "
                        "ms; whole %6.1f ms (version %lld)\n",
                        kind.c_str(), id.c_str(), edits.size(), applied ? "" : " REFUSED", apply_ms, impact_ms,
                        save_ms, ms_since(round), static_cast<long long>(v.id));
        }
    }
    std::filesystem::remove(copy);
    return 0;
}
