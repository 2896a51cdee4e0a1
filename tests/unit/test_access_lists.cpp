// Access lists: published tables read (CSV in UTF-8 and GBK, XLSX, GeoPackage; long and
// wide; unit and general lists; bad rows and bad files), and stored as versions.
#include "access_round_trip.hpp"
#include "base/digest.hpp"
#include "redline/errors.hpp"
#include "redline/store/workspace.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fstream>

using namespace redline;
using test::ScratchDir;

namespace {

const std::filesystem::path fixtures = std::filesystem::path(test::fixtures_dir) / "access_lists";
const std::filesystem::path layers = test::layers_dir;

AccessListSourceOptions source_of(const std::filesystem::path& file) {
    AccessListSourceOptions options;
    options.source = file.string();
    return options;
}

void write_text(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

const AccessListBlock* find_block(const AccessListSource& s, const std::string& list, const std::string& dimension) {
    for (const auto& b : s.blocks) {
        if (b.list_id == list && b.dimension == dimension) {
            return &b;
        }
    }
    return nullptr;
}

std::string problem_text(const AccessListSource& s, std::size_t i) {
    return problem_line(s.problems.at(i), Language::en);
}

std::string error_of(const std::function<void()>& run) {
    try {
        run();
    } catch (const Failure& e) {
        return e.message().text(Language::en);
    }
    return "";
}

// A workspace of one red line: zones, no access lists.
std::filesystem::path zones_workspace(const ScratchDir& dir, const std::string& name = "ws.gpkg") {
    const auto source = dir / (name + ".geojson");
    test::write_layer(source, "GeoJSON", 4490,
                      {{"POLYGON((121.80 39.10, 121.82 39.10, 121.82 39.12, 121.80 39.12, 121.80 39.10))",
                        {{"name", "红线一"}, {"code", "HX01"}}}});
    Workspace ws = Workspace::open_or_create(dir / name);
    ImportOptions options;
    options.kind = "red_line";
    options.source = source.string();
    ws.import_layer(test::schemas(), options);
    return dir / name;
}

// The workspace digest as every build before access lists computed it: the current
// zones' kind, id and digest in order.
std::string zones_only_digest(const std::filesystem::path& gpkg) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* result = ds->ExecuteSQL(
        "SELECT kind, zone_id, zone_digest FROM zones WHERE version_to IS NULL ORDER BY kind, zone_id, fid", nullptr,
        nullptr);
    REQUIRE(result != nullptr);
    Sha256 digest;
    for (auto& f : *result) {
        for (int i = 0; i < 3; ++i) {
            digest.field(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
        }
    }
    ds->ReleaseResultSet(result);
    return digest.finish();
}

}  // namespace

TEST_CASE("a long CSV of unit lists: rows joined per unit and dimension, bad rows named", "[access_lists]") {
    const auto read = read_access_list_source(layers, source_of(fixtures / "units_long.csv"));
    REQUIRE(read.blocks.size() == 3);
    const auto* spatial = find_block(read, "ZH21021320001", "spatial_layout");
    REQUIRE(spatial != nullptr);
    CHECK(spatial->scope == AccessListScope::unit);
    CHECK(spatial->title == "金州重点管控单元");
    CHECK(spatial->text == "1.禁止新建化工项目。\n2.限制新建高耗能项目。");
    CHECK(spatial->source_ref == "units_long.csv:2-3");
    REQUIRE(find_block(read, "ZH21021320001", "pollutant_discharge") != nullptr);
    CHECK(find_block(read, "ZH21021310002", "environmental_risk")->source_ref == "units_long.csv:5");
    CHECK(read.field_mapping.at("unit_code") == "环境管控单元编码");
    CHECK(read.field_mapping.at("dimension") == "管控维度");
    CHECK(read.field_mapping.at("text") == "准入要求");
    CHECK(read.source_digest.rfind("sha256:", 0) == 0);  // as a zone import's: the file and its sidecars
    REQUIRE(read.problems.size() == 3);
    CHECK_THAT(problem_text(read, 0), Catch::Contains("units_long.csv") && Catch::Contains("row 6") &&
                                          Catch::Contains("unit code 'ZH2102132' is malformed"));
    CHECK_THAT(problem_text(read, 1), Catch::Contains("row 7") && Catch::Contains("no list text"));
    CHECK_THAT(problem_text(read, 2),
               Catch::Contains("row 8") && Catch::Contains("unknown dimension '不知道'") && Catch::Contains("alias"));
}

TEST_CASE("a GBK CSV is read with --encoding and refused without it", "[access_lists]") {
    ScratchDir dir("access_gbk");
    const auto file = dir / "gbk.csv";
    write_text(file, test::gbk(test::read_file(fixtures / "units_long.csv")));
    CHECK_THAT(error_of([&] { read_access_list_source(layers, source_of(file)); }),
               Catch::Contains("gbk.csv") && Catch::Contains("--encoding GBK"));
    auto options = source_of(file);
    options.encoding = "GBK";
    const auto read = read_access_list_source(layers, options);
    REQUIRE(read.blocks.size() == 3);
    CHECK(find_block(read, "ZH21021320001", "spatial_layout")->text == "1.禁止新建化工项目。\n2.限制新建高耗能项目。");

    // A header in ASCII and one cell in GBK: that row is a problem, the others are read.
    const auto mixed = dir / "mixed.csv";
    write_text(mixed, "HJZHGKDYBM,KJBJYS\nZH21021320001,ok\nZH21021320002," + test::gbk("禁止") + "\n");
    const auto partly = read_access_list_source(layers, source_of(mixed));
    CHECK(partly.blocks.size() == 1);
    REQUIRE(partly.problems.size() == 1);
    CHECK_THAT(problem_text(partly, 0), Catch::Contains("row 3") && Catch::Contains("not valid UTF-8"));
}

TEST_CASE("a wide table: a column per dimension", "[access_lists]") {
    const auto read = read_access_list_source(layers, source_of(fixtures / "units_wide.csv"));
    CHECK(read.problems.empty());
    REQUIRE(read.blocks.size() == 4);
    CHECK(find_block(read, "ZH21021320001", "spatial_layout")->text == "禁止新建化工项目。");
    CHECK(find_block(read, "ZH21021320001", "resource_efficiency")->text == "提高用水效率。");
    CHECK(find_block(read, "ZH21021320001", "environmental_risk") == nullptr);
    CHECK(find_block(read, "ZH21021330005", "environmental_risk")->title == "金州一般管控单元");
    CHECK(read.field_mapping.at("spatial_layout") == "KJBJYS");
}

TEST_CASE("general lists from list columns, with classes and regions", "[access_lists]") {
    const auto read = read_access_list_source(layers, source_of(fixtures / "general.csv"));
    REQUIRE(read.blocks.size() == 2);
    const auto* province = find_block(read, "LN-ZT", "spatial_layout");
    REQUIRE(province != nullptr);
    CHECK(province->scope == AccessListScope::general);
    CHECK(province->title == "辽宁省总体准入要求");
    CHECK(province->unit_classes == std::vector<std::string>{"key", "general"});
    CHECK(province->region == "21");
    CHECK(province->text == "全省禁止新建严重污染项目。\n沿海禁止围填海。");
    const auto* city = find_block(read, "DL-ZT", "pollutant_discharge");
    REQUIRE(city != nullptr);
    CHECK(city->unit_classes.empty());
    CHECK(city->region == "2102");
    REQUIRE(read.problems.size() == 1);
    CHECK_THAT(problem_text(read, 0), Catch::Contains("row 5") && Catch::Contains("unknown unit class '特别单元'"));
}

TEST_CASE("a general list given whole by the options", "[access_lists]") {
    auto options = source_of(fixtures / "general_plain.csv");
    options.general_list_id = "DL-2021";
    options.general_title = "大连市总体准入要求";
    options.general_classes = {"重点管控", "general"};
    options.general_region = "2102";
    const auto read = read_access_list_source(layers, options);
    REQUIRE(read.blocks.size() == 2);
    CHECK(read.blocks[0].list_id == "DL-2021");
    CHECK(read.blocks[0].scope == AccessListScope::general);
    CHECK(read.blocks[0].dimension == "spatial_layout");
    CHECK(read.blocks[1].dimension == "resource_efficiency");
    CHECK(read.blocks[0].unit_classes == std::vector<std::string>{"key", "general"});
    CHECK(read.blocks[0].region == "2102");
    CHECK(read.blocks[0].title == "大连市总体准入要求");

    options.general_classes = {"maybe"};
    CHECK_THROWS_AS(read_access_list_source(layers, options), UsageError);
    options.general_classes = {};
    options.general_region = "21a";
    CHECK_THROWS_AS(read_access_list_source(layers, options), UsageError);
}

TEST_CASE("an XLSX sheet and a GeoPackage table are read like a CSV", "[access_lists]") {
    ScratchDir dir("access_xlsx");
    const std::vector<test::FixtureFeature> rows = {
        {"", {{"单元编码", "ZH21021320001"}, {"要求类别", "空间布局"}, {"条款", "禁止新建化工项目。"}}},
        {"", {{"单元编码", "ZH21021320001"}, {"要求类别", "空间布局"}, {"条款", "限制新建高耗能项目。"}}},
        {"", {{"单元编码", "ZH21021330005"}, {"要求类别", "资源开发效率要求"}, {"条款", "节约用水。"}}},
    };
    test::write_layer(dir / "lists.xlsx", "XLSX", 0, rows, "清单");
    const auto xlsx = read_access_list_source(layers, source_of(dir / "lists.xlsx"));
    REQUIRE(xlsx.blocks.size() == 2);
    CHECK(xlsx.blocks[0].text == "禁止新建化工项目。\n限制新建高耗能项目。");
    CHECK(xlsx.blocks[0].source_ref == "lists.xlsx:清单!2-3");
    CHECK(xlsx.blocks[1].dimension == "resource_efficiency");

    test::write_layer(dir / "lists.gpkg", "GPKG", 0, rows, "lists");
    const auto gpkg = read_access_list_source(layers, source_of(dir / "lists.gpkg"));
    CHECK(test::texts_of(gpkg.blocks) == test::texts_of(xlsx.blocks));

    // --map names a column no alias knows.
    test::write_layer(dir / "odd.csv", "CSV", 0, {{"", {{"编号", "ZH21021320001"}, {"KJBJYS", "禁止。"}}}});
    CHECK_THAT(error_of([&] { read_access_list_source(layers, source_of(dir / "odd.csv")); }),
               Catch::Contains("no unit_code column") && Catch::Contains("编号") && Catch::Contains("HJZHGKDYBM"));
    auto mapped = source_of(dir / "odd.csv");
    mapped.field_map["unit_code"] = "编号";
    CHECK(read_access_list_source(layers, mapped).blocks.size() == 1);
    mapped.field_map["unit_code"] = "没有";
    CHECK_THROWS_AS(read_access_list_source(layers, mapped), UsageError);
    mapped.field_map.clear();
    mapped.field_map["colour"] = "编号";
    CHECK_THROWS_AS(read_access_list_source(layers, mapped), UsageError);
}

TEST_CASE("files that cannot be used name the file and what to do", "[access_lists]") {
    ScratchDir dir("access_bad");
    write_text(dir / "no_text.csv", "HJZHGKDYBM,备注\nZH21021320001,x\n");
    CHECK_THAT(error_of([&] { read_access_list_source(layers, source_of(dir / "no_text.csv")); }),
               Catch::Contains("no_text.csv") && Catch::Contains("no text column") && Catch::Contains("备注") &&
                   Catch::Contains("准入要求") && Catch::Contains("KJBJYS"));
    write_text(dir / "no_unit.csv", "名称,准入要求\n甲,禁止。\n");
    CHECK_THAT(error_of([&] { read_access_list_source(layers, source_of(dir / "no_unit.csv")); }),
               Catch::Contains("no unit_code column") && Catch::Contains("清单编号"));
    write_text(dir / "nothing.csv", "HJZHGKDYBM,KJBJYS\nZH1,禁止。\n,\n");
    CHECK_THAT(
        error_of([&] { read_access_list_source(layers, source_of(dir / "nothing.csv")); }),
        Catch::Contains("nothing.csv") && Catch::Contains("no usable access-list row") && Catch::Contains("row 2"));
    const std::string xlsx = test::read_file(fixtures / "units_long.csv");
    write_text(dir / "broken.xlsx", "PK\x03\x04" + xlsx.substr(0, 40));
    CHECK_THAT(error_of([&] { read_access_list_source(layers, source_of(dir / "broken.xlsx")); }),
               Catch::Contains("broken.xlsx"));
    CHECK_THAT(error_of([&] { read_access_list_source(layers, source_of(dir / "missing.csv")); }),
               Catch::Contains("missing.csv"));
}

TEST_CASE("access lists are stored as versions on a GeoPackage", "[access_lists][workspace]") {
    ScratchDir dir("access_store");
    const auto path = zones_workspace(dir);
    Workspace ws = Workspace::open(path);
    test::check_access_round_trip(ws);
}

TEST_CASE("the workspace digest takes access lists in, and leaves zones-only digests as they were",
          "[access_lists][workspace]") {
    ScratchDir dir("access_digest");
    const auto path = zones_workspace(dir);
    Workspace ws = Workspace::open(path);
    const std::string zones = ws.current_version()->workspace_digest;
    CHECK(zones == zones_only_digest(path));
    // A workspace with the tables made but nothing current in them would not differ either;
    // the same zones and lists give the same digest in another workspace.
    const auto blocks = read_access_list_source(layers, source_of(fixtures / "units_long.csv")).blocks;
    const VersionInfo with_lists = ws.import_access_lists(blocks, test::import_named("units_long.csv"));
    CHECK(with_lists.workspace_digest != zones);

    const auto other_path = zones_workspace(dir, "other.gpkg");
    Workspace other = Workspace::open(other_path);
    CHECK(other.current_version()->workspace_digest == zones);
    auto import = test::import_named("elsewhere.csv");
    import.author = "someone else";
    CHECK(other.import_access_lists(blocks, import).workspace_digest == with_lists.workspace_digest);

    // A later zone write keeps the access rows in its digest.
    const auto more = dir / "more.geojson";
    test::write_layer(
        more, "GeoJSON", 4490,
        {{"POLYGON((121.90 39.10, 121.92 39.10, 121.92 39.12, 121.90 39.12, 121.90 39.10))", {{"name", "红线二"}}}});
    ImportOptions options;
    options.kind = "red_line";
    options.source = more.string();
    const auto zones_after = ws.import_layer(test::schemas(), options).version;
    CHECK(zones_after.workspace_digest != zones_only_digest(path));
    CHECK(zones_after.workspace_digest != with_lists.workspace_digest);
}

TEST_CASE("a read-only workspace without access tables has no lists", "[access_lists][workspace]") {
    ScratchDir dir("access_read_only");
    const auto path = zones_workspace(dir);
    const Workspace ws = Workspace::open_read_only(path);
    CHECK(ws.access_lists().empty());
    CHECK(ws.clause_reviews().empty());
    CHECK(ws.access_lists(1).empty());
    Workspace reader = Workspace::open_read_only(path);
    CHECK_THROWS_AS(reader.import_access_lists({test::unit_block("ZH21021320001", "", "x")}, test::import_named("a")),
                    UsageError);
    // A reader opened before the first import sees the lists once they are there.
    Workspace writer = Workspace::open(path);
    writer.import_access_lists({test::unit_block("ZH21021320001", "", "x")}, test::import_named("a"));
    CHECK(ws.access_lists().size() == 1);
}
