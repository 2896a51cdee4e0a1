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
        CHECK(e.message().code() == "schema.unknown_kind");
        CHECK(e.message().arg("kind")->words() == "redline");
        CHECK_THAT(e.message().text(Language::zh), Catch::StartsWith("未知的分区类型“redline”；已知类型：") &&
                                                       Catch::Contains("red_line") && Catch::Contains("（定义于 "));
        CHECK_THAT(e.message().text(Language::en), Catch::StartsWith("unknown zone kind 'redline'; known kinds: "));
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
        const Message& m = e.message();
        CHECK(m.code() == "schema.unknown_key");
        CHECK_THAT(m.arg("file")->words(), Catch::EndsWith("schema.toml"));
        CHECK(m.arg("line")->words() == "4");
        CHECK(m.arg("key")->words() == "near_distanc_m");
        CHECK(m.arg("context")->message().code() == "schema.context.schema");
        CHECK_THAT(m.text(Language::zh), Catch::EndsWith("wetland/schema.toml:4：类型定义中有未知的键“near_distanc_m”"
                                                         "（允许的键：administrative, attributes, coverage_guarded, default_subzone, "
                                                         "fields, geometry, id, name_en, name_zh, near_distance_m, "
                                                         "nested_subzones, protective, subzone_from, subzones, "
                                                         "tiles_jurisdiction）。"));
    }
    {
        std::ofstream out(dir / "wetland/schema.toml");
        out << "id = \"wetland\"\nname_zh = \"湿地\n";
    }
    CHECK_THROWS_WITH(SchemaSet::load(dir.path()),
                      Catch::Contains("schema.toml:2") && Catch::Contains("not valid TOML"));
    {
        std::ofstream out(dir / "wetland/schema.toml");
        out << "id = \"wetland\"\nname_zh = \"湿地\"\nname_en = \"wetland\"\n[[subzones]]\nid = \"core\"\n"
               "name_zh = \"核心区\"\n";
    }
    try {
        SchemaSet::load(dir.path());
        FAIL("no error");
    } catch (const DataError& e) {
        CHECK(e.message().code() == "schema.needs_string");
        CHECK(e.message().arg("key")->words() == "name_en");
        CHECK_THAT(e.message().text(Language::en),
                   Catch::EndsWith("schema.toml:4: sub-zone 'core' needs 'name_en' as a string"));
        CHECK_THAT(e.message().text(Language::zh), Catch::EndsWith("schema.toml:4：分区“core”需要字符串“name_en”。"));
    }
    const auto none = dir / "none";
    try {
        SchemaSet::load(none);
        FAIL("no error");
    } catch (const DataError& e) {
        CHECK(e.message().code() == "schema.no_directory");
        CHECK_THAT(e.message().text(Language::zh),
                   Catch::EndsWith(
                       "none：分区类型目录不存在；请将 REDLINE_LAYERS 或 --layers 设为 redline 的 layers/ 文件夹。"));
    }
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

TEST_CASE("styles are data: each kind's style.toml, sub-zones overriding what they change", "[schema][style]") {
    const SchemaSet& set = test::schemas();
    const KindStyle& water = set.kind("water_source").style;
    CHECK(water.draw_order == 4);
    const ZoneStyle& level1 = water.for_subzone("level1");
    CHECK(level1.fill.r == Approx(0x1F / 255.0));
    CHECK(level1.fill.a == Approx(0.5));
    CHECK(level1.stroke == water.base.stroke);  // not overridden
    CHECK(water.for_subzone("quasi").fill.a == Approx(0.14));
    CHECK(set.kind("district").style.base.dashed);
    CHECK(set.kind("district").style.base.fill.a == 0);
    // Red lines above reserves above districts, for maps and the viewer alike.
    CHECK(set.kind("red_line").style.draw_order > set.kind("nature_reserve").style.draw_order);
    CHECK(set.kind("nature_reserve").style.draw_order > set.kind("district").style.draw_order);

    // A kind without a style file still draws; a bad one names file, line and key.
    test::ScratchDir dir("style");
    std::filesystem::create_directories(dir / "farmland");
    std::ofstream(dir / "farmland/schema.toml") << "id = \"farmland\"\nname_zh = \"永久基本农田\"\nname_en = "
                                                   "\"permanent basic farmland\"\n";
    CHECK(SchemaSet::load(dir.path()).kind("farmland").style.base.fill.a > 0);
    for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
             {"fill = \"red\"\n", "style.toml:1"},
             {"draw_order = 1\nfill_opacity = 2\n", "fill_opacity"},
             {"[subzones.core]\nfill_opacity = 0.5\n", "core"},
             {"strok = \"#000000\"\n", "strok"}}) {
        std::ofstream(dir / "farmland/style.toml") << text;
        INFO(text);
        CHECK_THROWS_WITH(SchemaSet::load(dir.path()), Catch::Contains(expected));
    }
}
