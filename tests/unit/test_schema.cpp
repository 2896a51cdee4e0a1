#include "redline/errors.hpp"
#include "redline/model/schema.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace redline;

TEST_CASE("the shipped zone kinds load with their sub-zones", "[schema]") {
    const SchemaSet& set = test::schemas();
    for (const char* id :
         {"red_line", "nature_reserve", "protected_area", "water_source", "control_unit", "coastline"}) {
        INFO(id);
        CHECK(set.find(id) != nullptr);
    }
    const KindSchema& water = set.kind("water_source");
    REQUIRE(water.subzones.size() == 3);
    CHECK(water.match_subzone_value("一级保护区")->id == "level1");
    CHECK(water.match_subzone_value(" 二级 ")->id == "level2");
    CHECK(water.match_subzone_value("准保护区")->id == "quasi");
    CHECK(water.match_subzone_value("三级") == nullptr);
    CHECK(set.kind("nature_reserve").match_subzone_value("核心区")->id == "core");
    CHECK(set.kind("control_unit").match_subzone_value("2")->id == "key");
    CHECK(set.kind("coastline").geometry == ZoneGeometry::line);
    CHECK_FALSE(set.kind("control_unit").protective);
    CHECK(water.digest.rfind("sha256:", 0) == 0);
}

TEST_CASE("sub-zone ids of the issue's list are all defined", "[schema]") {
    const SchemaSet& set = test::schemas();
    const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
        {"nature_reserve", {"core", "buffer", "experimental", "outer_belt"}},
        {"protected_area", {"core_protection", "general_control"}},
        {"water_source", {"level1", "level2", "quasi"}},
        {"control_unit", {"priority", "key", "general"}},
        {"coastline", {"strict", "restricted", "optimized"}}};
    for (const auto& [kind, subzones] : expected) {
        for (const auto& sub : subzones) {
            INFO(kind << "/" << sub);
            CHECK(set.kind(kind).find_subzone(sub) != nullptr);
        }
    }
}

TEST_CASE("an unknown kind is a usage error listing the known ones", "[schema]") {
    try {
        test::schemas().kind("redline");
        FAIL("no error");
    } catch (const UsageError& e) {
        CHECK_THAT(e.what(), Catch::Contains("red_line"));
    }
}

TEST_CASE("a broken schema file is reported with file and line", "[schema]") {
    test::ScratchDir dir("schema");
    std::filesystem::create_directories(dir / "wetland");
    {
        std::ofstream out(dir / "wetland/schema.toml");
        out << "id = \"wetland\"\nname_zh = \"湿地\"\nname_en = \"wetland\"\nnear_distanc_m = 5\n";
    }
    try {
        SchemaSet::load(dir.path());
        FAIL("no error");
    } catch (const DataError& e) {
        CHECK_THAT(e.what(), Catch::Contains("wetland/schema.toml:4") && Catch::Contains("near_distanc_m"));
    }
    {
        std::ofstream out(dir / "wetland/schema.toml");
        out << "id = \"wetland\"\nname_zh = \"湿地\n";
    }
    CHECK_THROWS_WITH(SchemaSet::load(dir.path()),
                      Catch::Contains("schema.toml:2") && Catch::Contains("not valid TOML"));
}

TEST_CASE("a new kind is a new folder, not new code", "[schema]") {
    test::ScratchDir dir("schema");
    std::filesystem::create_directories(dir / "farmland");
    std::ofstream(dir / "farmland/schema.toml") << "id = \"farmland\"\nname_zh = \"永久基本农田\"\nname_en = "
                                                   "\"permanent basic farmland\"\nnear_distance_m = 0\n";
    const SchemaSet set = SchemaSet::load(dir.path());
    CHECK(set.kind("farmland").name_zh == "永久基本农田");
    CHECK(set.kind("farmland").protective);
}
