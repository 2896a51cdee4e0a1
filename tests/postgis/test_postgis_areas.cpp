// Overlap areas from redline against PostGIS on the same data:
// ST_Area(ST_Intersection(a, b)::geography), with PostGIS repairing the invalid source
// geometries itself (ST_MakeValid, structure method). Agreement within 0.01 % is required.
//
// Starts its own server on loopback; exits 77 (ctest: skipped) when none can be had.
#include "postgis_support.hpp"
#include "redline/editing/edit_session.hpp"
#include "redline/quality/quality.hpp"
#include "redline/reports/report.hpp"
#include "test_support.hpp"

#include <libpq-fe.h>
// This file has main (it starts the test server), so Catch's runner is built here.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <regex>

using namespace redline;

namespace redline::test {
std::string g_conninfo;
}  // namespace redline::test
using test::g_conninfo;

namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

struct Connection {
    explicit Connection(const std::string& conninfo = g_conninfo) : conn(PQconnectdb(conninfo.c_str())) {}
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    PGconn* conn;
    ~Connection() { PQfinish(conn); }
    // Runs a query; returns rows of text columns.
    std::vector<std::vector<std::string>> query(const std::string& sql) {
        PGresult* res = PQexec(conn, sql.c_str());
        const auto status = PQresultStatus(res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            const std::string message = PQresultErrorMessage(res);
            PQclear(res);
            throw std::runtime_error("PostGIS: " + message + " in: " + sql.substr(0, 200));
        }
        std::vector<std::vector<std::string>> rows;
        for (int r = 0; r < PQntuples(res); ++r) {
            std::vector<std::string> row;
            for (int c = 0; c < PQnfields(res); ++c) {
                row.emplace_back(PQgetvalue(res, r, c));
            }
            rows.push_back(std::move(row));
        }
        PQclear(res);
        return rows;
    }
};

void load(const std::filesystem::path& file, const std::string& table) {
    const std::string command = "ogr2ogr -f PostgreSQL " + shell_quote("PG:" + g_conninfo) + " " +
                                shell_quote(file.string()) + " -nln " + table +
                                " -lco GEOMETRY_NAME=geom -lco FID=ogc_fid -nlt PROMOTE_TO_MULTI -overwrite";
    if (std::system(command.c_str()) != 0) {
        throw std::runtime_error("ogr2ogr could not load " + file.string());
    }
}

// Probes that cross the real (invalid) district boundaries of Dalian, with holes and parts.
std::vector<test::FixtureFeature> probes() {
    return {
        {"POLYGON((121.55 38.90, 121.70 38.90, 121.70 39.00, 121.55 39.00, 121.55 38.90),"
         "(121.60 38.93, 121.64 38.93, 121.64 38.96, 121.60 38.96, 121.60 38.93))",
         {{"id", "X1"}, {"name", "city districts with a hole"}}},
        {"MULTIPOLYGON(((121.40 38.90, 121.50 38.90, 121.50 39.00, 121.40 39.00, 121.40 38.90)),"
         "((121.95 39.25, 122.10 39.25, 122.10 39.40, 121.95 39.40, 121.95 39.25)))",
         {{"id", "X2"}, {"name", "two parts over three districts"}}},
        {"POLYGON((121.70 39.05, 121.90 39.05, 121.90 39.25, 121.70 39.25, 121.70 39.05))",
         {{"id", "X3"}, {"name", "water sources and red line"}}},
        {"POLYGON((121.85 39.28, 121.96 39.28, 121.96 39.38, 121.85 39.38, 121.85 39.28))",
         {{"id", "X4"}, {"name", "the reserve's zones"}}},
        {"POLYGON((122.20 39.50, 122.40 39.50, 122.40 39.70, 122.20 39.70, 122.20 39.50))",
         {{"id", "X5"}, {"name", "Jinzhou, Pulandian, Zhuanghe"}}},
    };
}

}  // namespace

TEST_CASE("overlap areas agree with PostGIS within 0.01 %", "[postgis]") {
    test::ScratchDir dir("postgis");
    const auto ws = test::build_demo_workspace(dir);
    const auto probe_file = dir / "probes.geojson";
    test::write_layer(probe_file, "GeoJSON", 4326, probes());

    const std::filesystem::path demo(test::demo_dir);
    load(demo / "footprints.geojson", "fp_demo");
    load(probe_file, "fp_probe");
    load(demo / "districts.geojson", "z_district");
    load(demo / "water_sources.geojson", "z_water");
    load(demo / "nature_reserve.geojson", "z_reserve");
    load(demo / "red_lines.geojson", "z_red_line");
    load(demo / "control_units.geojson", "z_unit");

    // One key per zone, built from the same source attributes redline maps.
    const std::vector<std::pair<std::string, std::string>> zone_tables = {{"z_district", "district"},
                                                                          {"z_water", "sydmc || '|' || bhqjb"},
                                                                          {"z_reserve", "bhqmc || '|' || gnfq"},
                                                                          {"z_red_line", "hxmc"},
                                                                          {"z_unit", "hjzhgkdymc"}};

    Connection pg;
    REQUIRE(PQstatus(pg.conn) == CONNECTION_OK);
    std::map<std::string, double> expected;         // "footprint|zone key" -> m²
    std::map<std::string, double> expected_length;  // the same for lines -> m
    for (const char* fp_table : {"fp_demo", "fp_probe"}) {
        for (const auto& [table, key] : zone_tables) {
            const std::string sql =
                "WITH f AS (SELECT id, ST_SetSRID(ST_MakeValid(geom, 'method=structure'), 4490) AS g FROM " +
                std::string(fp_table) + "), z AS (SELECT " + key +
                " AS k, ST_SetSRID(ST_MakeValid(geom, 'method=structure'), 4490) AS g FROM " + table +
                ") SELECT f.id, z.k, ST_Area(ST_CollectionExtract(ST_Intersection(f.g, z.g), 3)::geography), "
                "ST_Length(ST_CollectionExtract(ST_Intersection(f.g, z.g), 2)::geography) "
                "FROM f JOIN z ON ST_Intersects(f.g, z.g)";
            for (const auto& row : pg.query(sql)) {
                expected[row[0] + "|" + row[1]] += std::stod(row[2]);
                expected_length[row[0] + "|" + row[1]] += std::stod(row[3]);
            }
        }
    }
    REQUIRE(expected.size() > 20);

    std::size_t compared = 0, lengths_compared = 0;
    double worst = 0;
    for (const auto& input : {demo / "footprints.geojson", probe_file}) {
        CheckRequest request;
        request.workspace = ws;
        request.input.path = input.string();
        const CheckRun run = run_check(test::schemas(), request);
        for (const auto& fp : run.footprints) {
            for (const auto& hit : fp.hits) {
                std::string key = hit.zone_name;
                if (hit.kind == "water_source" || hit.kind == "nature_reserve") {
                    // As the source wrote it: 核心区 and 缓冲区 are both stored as 核心保护区.
                    key += "|" + (hit.subzone_source.empty()
                                      ? test::schemas().kind(hit.kind).find_subzone(hit.subzone)->name_zh
                                      : hit.subzone_source);
                }
                INFO("footprint " << fp.id << ", zone " << key);
                if (hit.inside_length_m && fp.length_m > 0) {
                    const auto it = expected_length.find(fp.id + "|" + key);
                    REQUIRE(it != expected_length.end());
                    CHECK(*hit.inside_length_m == Approx(it->second).epsilon(1e-4));
                    worst = std::max(worst, std::fabs(*hit.inside_length_m - it->second) / it->second);
                    ++lengths_compared;
                }
                if (!hit.overlap_area_m2) {
                    continue;
                }
                const auto it = expected.find(fp.id + "|" + key);
                REQUIRE(it != expected.end());
                if (it->second < 1.0) {
                    continue;  // slivers: a relative tolerance means nothing there
                }
                CHECK(*hit.overlap_area_m2 == Approx(it->second).epsilon(1e-4));
                worst = std::max(worst, std::fabs(*hit.overlap_area_m2 - it->second) / it->second);
                ++compared;
            }
        }
    }
    std::cout << "compared " << compared << " overlap areas and " << lengths_compared
              << " inside lengths with PostGIS; largest relative difference " << worst * 100 << " %\n";
    CHECK(lengths_compared > 0);
    CHECK(compared > 20);
}

TEST_CASE("zones import straight from a PostGIS connection", "[postgis]") {
    test::ScratchDir dir("postgis");
    load(std::filesystem::path(test::demo_dir) / "water_sources.geojson", "pg_sources");
    Workspace ws = Workspace::open_or_create(dir / "ws.gpkg");
    ImportOptions options;
    options.kind = "water_source";
    options.source = "PG:" + g_conninfo + " password=secret";
    options.layer = "pg_sources";
    const auto report = ws.import_layer(test::schemas(), options);
    CHECK(report.version.features_added == 6);
    CHECK(report.zones_by_subzone.at("level1") == 2);
    // The version keeps where the zones came from, never a password.
    CHECK_THAT(report.version.source, Catch::Contains("PG:") && !Catch::Contains("secret"));
}

// ---------------------------------------------------------------------------------------
// Workspaces on PostGIS: the same versions as a GeoPackage, conflicts told, kill-safe.

namespace redline::test {

// A fresh database with PostGIS for one test; its PG: connection string.
std::string fresh_database(const std::string& name) {
    Connection admin;
    admin.query("SET client_min_messages = warning");
    admin.query("DROP DATABASE IF EXISTS " + name);
    admin.query("CREATE DATABASE " + name);
    const std::string conninfo = std::regex_replace(g_conninfo, std::regex("dbname=\\S+"), "dbname=" + name);
    PGconn* conn = PQconnectdb(conninfo.c_str());
    PQclear(PQexec(conn, "CREATE EXTENSION postgis"));
    PQfinish(conn);
    return "PG:" + conninfo;
}

void import_demo(const std::string& into) {
    for (const auto& [kind, file] :
         std::vector<std::pair<std::string, std::string>>{{"district", "districts"},
                                                          {"water_source", "water_sources"},
                                                          {"nature_reserve", "nature_reserve"},
                                                          {"red_line", "red_lines"},
                                                          {"control_unit", "control_units"}}) {
        Workspace ws = Workspace::open_or_create(into);
        ImportOptions options;
        options.kind = kind;
        options.source = std::string(test::demo_dir) + "/" + file + ".geojson";
        ws.import_layer(test::schemas(), options);
    }
}

}  // namespace redline::test

using test::fresh_database;
using test::import_demo;

TEST_CASE("a PostGIS workspace holds the same versions, digests and answers as a GeoPackage", "[postgis][workspace]") {
    test::ScratchDir dir("postgis");
    const std::string pg = fresh_database("ws_same");
    import_demo(pg);
    import_demo((dir / "ws.gpkg").string());
    const Workspace on_server = Workspace::open(pg);
    const Workspace on_disk = Workspace::open(dir / "ws.gpkg");
    const auto a = on_server.versions(), b = on_disk.versions();
    REQUIRE(a.size() == 5);
    REQUIRE(b.size() == 5);
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].id == b[i].id);
        CHECK(a[i].kind == b[i].kind);
        CHECK(a[i].workspace_digest == b[i].workspace_digest);
    }
    CHECK(on_server.zone_counts_by_kind() == on_disk.zone_counts_by_kind());

    CheckRequest request;
    request.input.path = std::string(test::demo_dir) + "/footprints.geojson";
    request.workspace = pg;
    const CheckRun server_run = run_check(test::schemas(), request);
    request.workspace = dir / "ws.gpkg";
    const CheckRun disk_run = run_check(test::schemas(), request);
    REQUIRE(server_run.footprints.size() == disk_run.footprints.size());
    for (std::size_t i = 0; i < server_run.footprints.size(); ++i) {
        CHECK(server_run.footprints[i].verdict == disk_run.footprints[i].verdict);
        CHECK(server_run.footprints[i].hits.size() == disk_run.footprints[i].hits.size());
    }

    const ValidationReport v = validate_workspace(on_server, test::schemas(), {});
    CHECK(v.findings.size() == validate_workspace(on_disk, test::schemas(), {}).findings.size());
    const DiffReport d = diff_zones(on_server.load_zones_at(3), on_server.load_zones_at(5), {});
    CHECK(d.kinds.at("red_line").added == 3);
}

TEST_CASE("two writers on one PostGIS workspace: the second is told, nothing is lost", "[postgis][workspace]") {
    const std::string pg = fresh_database("ws_conflict");
    import_demo(pg);
    Workspace mine = Workspace::open(pg);  // a member of staff opens the workspace at version 5
    // Meanwhile a colleague replaces the red lines.
    const auto theirs =
        test::run_cli({"import", "--kind", "red_line", std::string(test::demo_dir) + "/red_lines.geojson", "--into", pg,
                       "--replace", "--note", "同事的修改"});
    REQUIRE(theirs.exit_code == 0);
    ImportOptions options;
    options.kind = "red_line";
    options.source = std::string(test::demo_dir) + "/red_lines.geojson";
    options.replace = true;
    CHECK_THROWS_WITH(mine.import_layer(test::schemas(), options), Catch::Contains("conflict") &&
                                                                       Catch::Contains("version 6") &&
                                                                       Catch::Contains("nothing was written"));
    const Workspace after = Workspace::open(pg);
    REQUIRE(after.versions().size() == 6);
    CHECK(after.current_version()->note == "同事的修改");
    // Another kind is no conflict: the colleague's red lines are not touched by it.
    options.kind = "water_source";
    options.source = std::string(test::demo_dir) + "/water_sources.geojson";
    CHECK(mine.import_layer(test::schemas(), options).version.id == 7);  // no gap left by the refused one
}

TEST_CASE("edits on a PostGIS workspace: the same digests as on a GeoPackage, conflicts per zone", "[postgis][edit]") {
    test::ScratchDir dir("postgis");
    const std::string pg = fresh_database("ws_edit");
    import_demo(pg);
    import_demo((dir / "ws.gpkg").string());
    ZoneEdit edit;
    edit.op = EditOp::fields;
    edit.kind = "red_line";
    edit.zone_id = "HX210213-002";
    edit.name = "大黑山红线（更名）";
    std::vector<std::string> digests;
    for (const std::string& where : {pg, (dir / "ws.gpkg").string()}) {
        Workspace ws = Workspace::open(where);
        EditSession session(ws, test::schemas());
        session.apply(edit);
        const VersionInfo v = session.commit("张三", "更名", "");
        CHECK(v.author == "张三");
        CHECK(v.base_version == 5);
        digests.push_back(v.workspace_digest);
    }
    CHECK(digests[0] == digests[1]);

    // Two sessions on version 6: the second to save the same zone is told which.
    Workspace first = Workspace::open(pg);
    Workspace second = Workspace::open(pg);
    EditSession a(first, test::schemas());
    EditSession b(second, test::schemas());
    edit.name = "甲";
    a.apply(edit);
    edit.name = "乙";
    b.apply(edit);
    a.commit("甲", "", "");
    CHECK_THROWS_WITH(b.commit("乙", "", ""), Catch::Contains("HX210213-002") && Catch::Contains("version 7"));
    CHECK(Workspace::open(pg).find_zones("red_line", {"HX210213-002"}).front().name == "甲");
}

TEST_CASE("an import into PostGIS killed mid-write leaves the previous version", "[postgis][workspace]") {
    test::ScratchDir dir("postgis");
    const std::string pg = fresh_database("ws_kill");
    import_demo(pg);
    const auto before = Workspace::open(pg).current_version();
    std::vector<test::FixtureFeature> features;
    for (int i = 0; i < 6000; ++i) {
        const std::string wkt = test::circle_in_cell(i);
        features.push_back({wkt, {{"HXMC", "红线 " + std::to_string(i)}}});
    }
    test::write_layer(dir / "big.gpkg", "GPKG", 4490, features);
    // Kill it once its transaction holds the writers' lock (it is writing), well into the writing.
    Connection watch(pg.substr(3));  // the test database itself, whose catalog names the tables
    REQUIRE(test::kill_redline_while_writing(
        {"import", "--kind", "red_line", (dir / "big.gpkg").string(), "--into", pg, "--replace"},
        [&] {
            return watch
                       .query(
                           "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE "
                           "c.relname = 'redline_versions' AND l.mode = 'ExclusiveLock' AND l.granted")
                       .at(0)
                       .at(0) != "0";
        },
        200));
    ::sleep(1);  // the server notices the dropped connection and rolls back
    const Workspace ws = Workspace::open(pg);
    CHECK(ws.current_version()->id == before->id);
    CHECK(ws.current_version()->workspace_digest == before->workspace_digest);
    CHECK(ws.zone_counts_by_kind().at("red_line") == 3);
}

int main(int argc, char* argv[]) {
    const std::filesystem::path server_dir =
        std::filesystem::temp_directory_path() / ("redline-pg-" + std::to_string(::getpid()));
    const std::string script = std::string(test::support_dir) + "/postgis-server.sh";
    FILE* pipe = ::popen((shell_quote(script) + " start " + shell_quote(server_dir.string())).c_str(), "r");
    char buffer[64] = {0};
    const bool got = pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr;
    const int status = pipe != nullptr ? ::pclose(pipe) : -1;
    if (!got || status != 0) {
        std::cerr << "SKIPPED: no PostgreSQL/PostGIS server could be started (see the message above)\n";
        return 77;
    }
    g_conninfo = "host=127.0.0.1 port=" + std::string(buffer).substr(0, std::string(buffer).find('\n')) +
                 " user=postgres dbname=postgres";
    const int result = Catch::Session().run(argc, argv);
    std::system((shell_quote(script) + " stop " + shell_quote(server_dir.string())).c_str());
    return result;
}
