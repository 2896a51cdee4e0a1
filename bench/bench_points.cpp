// The engine's register path alone: read a register's points, open the screener (load,
// rules, index on every core), screen every point on every core. No result is written:
// this is what `redline outfalls` spends on reading, indexing and screening, measured
// apart from formatting and writing its result.
//   redline_bench_points WS.gpkg REGISTER.csv [THREADS]
// The register is the generator's (CGCS2000 longitude and latitude in its last two columns).
#include "inputs/point_table.hpp"
#include "redline/screening/screener.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double s_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: redline_bench_points WS.gpkg REGISTER.csv [THREADS]\n");
        return 2;
    }
    const unsigned threads =
        argc >= 4 ? static_cast<unsigned>(std::stoul(argv[3])) : std::max(1u, std::thread::hardware_concurrency());
    const auto schemas = redline::SchemaSet::load(redline::SchemaSet::default_directory());

    auto start = Clock::now();
    std::ifstream in(argv[2], std::ios::binary);
    redline::CsvStream csv(in, argv[2]);
    redline::TableRow row;
    csv.next(row);  // the header
    std::vector<std::pair<double, double>> points;
    while (csv.next(row)) {
        const auto lon = redline::parse_coordinate(row.cells[row.cells.size() - 2]);
        const auto lat = redline::parse_coordinate(row.cells.back());
        if (lon && lat) {
            points.emplace_back(*lon, *lat);
        }
    }
    const double read_s = s_since(start);

    start = Clock::now();
    redline::ScreenerSettings settings;
    settings.workspace = argv[1];
    settings.threads = threads;
    const redline::Screener screener(schemas, settings);
    const double open_s = s_since(start);

    start = Clock::now();
    std::vector<std::size_t> within(threads), near(threads), prohibited(threads);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            redline::ActivityFacts facts;
            facts.activity = "outfall-existing";
            redline::PointScreening out;
            for (std::size_t i = t; i < points.size(); i += threads) {
                screener.screen_point(points[i].first, points[i].second, facts, out);
                for (const auto& h : out.hits) {
                    (h.relation == redline::Relation::near ? near : within)[t] += 1;
                }
                prohibited[t] += out.verdict == redline::Verdict::prohibited ? 1 : 0;
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    const double screen_s = s_since(start);
    std::size_t w = 0, n = 0, p = 0;
    for (unsigned t = 0; t < threads; ++t) {
        w += within[t];
        n += near[t];
        p += prohibited[t];
    }
    std::printf(
        "points %zu, threads %u: read %.2f s, screener open %.2f s, screen %.2f s (%.2f us per point per "
        "thread); total %.2f s\n",
        points.size(), threads, read_s, open_s, screen_s, screen_s * 1e6 * threads / static_cast<double>(points.size()),
        read_s + open_s + screen_s);
    std::printf("hits: within or touching %zu, near %zu; points prohibited %zu\n", w, n, p);
    return 0;
}
