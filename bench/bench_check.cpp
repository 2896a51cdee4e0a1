// Single-footprint screening speed: redline's index against PostGIS on the same zones.
//   redline_bench_check WS.gpkg FOOTPRINTS.gpkg [--postgis CONNINFO]
// redline: open the workspace, load every zone and build the index once, then time each
// footprint's check. PostGIS: the equivalent query per footprint (intersecting zones with
// their geodesic overlap area or length, red-line zones within the near distance with
// their geodesic distance) against a GiST-indexed copy of the zones table.
#include "redline/inputs/footprints.hpp"
#include "redline/screening/check.hpp"
#include "redline/screening/screener.hpp"
#include "redline/store/workspace.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Stats {
    double mean = 0, p50 = 0, p95 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    Stats s;
    for (double x : v) {
        s.mean += x;
    }
    s.mean /= static_cast<double>(v.size());
    s.p50 = v[v.size() / 2];
    s.p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
    s.max = v.back();
    return s;
}

void print(const char* who, const Stats& s, std::size_t hits) {
    std::printf("%-13s per footprint: mean %8.3f ms  p50 %8.3f ms  p95 %8.3f ms  max %8.3f ms  (hits %zu)\n", who,
                s.mean, s.p50, s.p95, s.max, hits);
}

std::string hex(const std::vector<unsigned char>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: redline_bench_check WS.gpkg FOOTPRINTS.gpkg [--postgis CONNINFO]\n";
        return 2;
    }
    const std::string workspace_path = argv[1];
    const std::string footprints_path = argv[2];
    const std::string conninfo = argc >= 5 && std::string(argv[3]) == "--postgis" ? argv[4] : "";

    const auto schemas = redline::SchemaSet::load(redline::SchemaSet::default_directory());
    redline::FootprintSource source;
    source.path = footprints_path;
    const auto input = redline::read_footprints(source);

    auto start = Clock::now();
    std::size_t vertices_bytes = 0, zone_count = 0;
    {
        const redline::Workspace ws = redline::Workspace::open_read_only(workspace_path);
        for (const auto& z : ws.load_zones()) {
            vertices_bytes += z.geometry.wkb.size();
            ++zone_count;
        }
    }
    const double load_ms = ms_since(start);
    // The engine as the drivers hold it: zones loaded and indexed once, rules of today.
    start = Clock::now();
    redline::ScreenerSettings settings;
    settings.workspace = workspace_path;
    const redline::Screener screener(schemas, settings);
    const double open_ms = ms_since(start);
    const redline::ZoneIndex& index = screener.index();
    std::printf("workspace: %zu zones (%.1f MB of WKB, about %.1f million vertices), %zu index parts\n", zone_count,
                static_cast<double>(vertices_bytes) / 1e6, static_cast<double>(vertices_bytes) / 16e6,
                index.part_count());
    std::printf("redline   load %.0f ms; screener open (load, rules, index on every core) %.0f ms, once per process\n",
                load_ms, open_ms);

    const redline::CheckOptions options;
    std::vector<double> times;
    std::size_t redline_hits = 0;
    for (const auto& fp : input.footprints) {
        start = Clock::now();
        const auto result = index.check(fp, options);
        times.push_back(ms_since(start));
        for (const auto& h : result.hits) {
            redline_hits += h.relation == redline::Relation::touches ? 0 : 1;
        }
    }
    print("redline", stats(times), redline_hits);
    // The same footprints with their verdicts decided, as `check` and the server answer them.
    times.clear();
    std::size_t screened_hits = 0;
    for (const auto& fp : input.footprints) {
        start = Clock::now();
        const auto result = screener.screen(fp, {});
        times.push_back(ms_since(start));
        for (const auto& h : result.hits) {
            screened_hits += h.relation == redline::Relation::touches ? 0 : 1;
        }
    }
    print("redline+rules", stats(times), screened_hits);
    // With the facts the access lists speak of, the units' clauses held against them (and
    // the same screener without clauses, alternating per footprint so that both see the
    // same machine): what verdicts by clause cost over the check of before.
    {
        redline::ScreenerSettings without = settings;
        without.access_lists = false;
        const redline::Screener by_class(schemas, without);
        const redline::ActivityFacts facts =
            screener.vocabulary().from_options({{"industry", "C2614"}, {"scale", "new"}});
        std::vector<double> with_clauses, class_only;
        std::size_t clauses = 0, class_hits = 0, clause_hits = 0;
        for (int round = 0; round < 4; ++round) {
            for (const auto& fp : input.footprints) {
                // Each goes first every other round: the second of a pair finds the caches warm.
                auto timed = [&](const redline::Screener& s, std::vector<double>& into) {
                    start = Clock::now();
                    auto result = s.screen(fp, facts);
                    into.push_back(ms_since(start));
                    return result;
                };
                redline::FootprintResult a, b;
                if (round % 2 == 0) {
                    a = timed(by_class, class_only);
                    b = timed(screener, with_clauses);
                } else {
                    b = timed(screener, with_clauses);
                    a = timed(by_class, class_only);
                }
                if (round == 0) {
                    class_hits += a.hits.size();
                    clause_hits += b.hits.size();
                    for (const auto& h : b.hits) {
                        clauses += h.access ? h.access->findings.size() : 0;
                    }
                }
            }
        }
        const Stats before = stats(class_only), after = stats(with_clauses);
        print("by unit class", before, class_hits);
        print("by clause", after, clause_hits);
        std::printf(
            "verdicts by clause (C2614, new build; %zu clauses held in the first round): mean %+.1f %%, "
            "p50 %+.1f %%, p95 %+.1f %% against by unit class\n",
            clauses, 100.0 * (after.mean / before.mean - 1), 100.0 * (after.p50 / before.p50 - 1),
            100.0 * (after.p95 / before.p95 - 1));
    }

    if (conninfo.empty()) {
        return 0;
    }
    PGconn* conn = PQconnectdb(conninfo.c_str());
    std::unique_ptr<PGconn, void (*)(PGconn*)> guard(conn, PQfinish);
    if (PQstatus(conn) != CONNECTION_OK) {
        std::cerr << "PostGIS: " << PQerrorMessage(conn);
        return 3;
    }
    const double near = options.near_distance_for(schemas.kind("red_line"));
    const std::string sql =
        "WITH f AS (SELECT ST_SetSRID(ST_GeomFromWKB(decode($1, 'hex')), 4490) AS g) "
        "SELECT z.fid, ST_Area(ST_Intersection(z.geom, f.g)::geography), "
        "ST_Length(ST_CollectionExtract(ST_Intersection(z.geom, f.g), 2)::geography), NULL::float8 "
        "FROM zones z, f WHERE z.geom && f.g AND ST_Intersects(z.geom, f.g) "
        "UNION ALL "
        "SELECT z.fid, NULL, NULL, ST_Distance(z.geom::geography, f.g::geography) FROM zones z, f "
        "WHERE z.kind = 'red_line' AND z.geom && ST_Expand(f.g, " +
        std::to_string(near / 80000.0) +
        ") AND NOT ST_Intersects(z.geom, f.g) AND ST_DWithin(z.geom::geography, f.g::geography, " +
        std::to_string(near) + ")";
    PGresult* prepared = PQprepare(conn, "screen", sql.c_str(), 1, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
        std::cerr << "PostGIS: " << PQresultErrorMessage(prepared);
        PQclear(prepared);
        return 3;
    }
    PQclear(prepared);
    times.clear();
    std::size_t postgis_hits = 0;
    for (const auto& fp : input.footprints) {
        const std::string param = hex(fp.geometry.wkb);
        const char* values[1] = {param.c_str()};
        start = Clock::now();
        PGresult* res = PQexecPrepared(conn, "screen", 1, values, nullptr, nullptr, 0);
        times.push_back(ms_since(start));
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            std::cerr << "PostGIS: " << PQresultErrorMessage(res);
            PQclear(res);
            return 3;
        }
        for (int r = 0; r < PQntuples(res); ++r) {
            // Count as redline does: an overlap above the sliver tolerance, a line inside, or near.
            const bool is_near = PQgetisnull(res, r, 3) == 0;
            const double area = PQgetisnull(res, r, 1) == 0 ? std::stod(PQgetvalue(res, r, 1)) : 0;
            const double length = PQgetisnull(res, r, 2) == 0 ? std::stod(PQgetvalue(res, r, 2)) : 0;
            postgis_hits += (is_near || area > options.sliver_area_m2 || length > options.sliver_length_m) ? 1 : 0;
        }
        PQclear(res);
    }
    print("PostGIS", stats(times), postgis_hits);
    return 0;
}
