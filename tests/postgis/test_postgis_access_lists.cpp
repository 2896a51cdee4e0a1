// Access lists on a PostGIS workspace: the same versions, replacement and reviews as on a
// GeoPackage, and the same digests for the same content.
#include "access_round_trip.hpp"
#include "postgis_support.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace redline;

TEST_CASE("access lists on PostGIS: versions, replacement, reviews, digests as on a GeoPackage",
          "[postgis][access_lists]") {
    test::ScratchDir dir("postgis_access");
    const std::string pg = test::fresh_database("ws_access");
    test::import_demo(pg);
    test::import_demo((dir / "ws.gpkg").string());
    Workspace on_server = Workspace::open(pg);
    Workspace in_file = Workspace::open(dir / "ws.gpkg");
    test::check_access_round_trip(on_server);
    test::check_access_round_trip(in_file);
    CHECK(test::texts_of(on_server.access_lists()) == test::texts_of(in_file.access_lists()));
    const auto server_versions = on_server.versions();
    const auto file_versions = in_file.versions();
    REQUIRE(server_versions.size() == file_versions.size());
    for (std::size_t i = 0; i < server_versions.size(); ++i) {
        CHECK(server_versions[i].workspace_digest == file_versions[i].workspace_digest);
    }
    // A reader sees the lists, also at an older version.
    const Workspace reader = Workspace::open_read_only(pg);
    CHECK(reader.access_lists().size() == 2);
    CHECK(reader.access_lists(6).size() == 4);
}
