// `redline access-list import|show`: a table imported as a version, listed back, seen in
// `redline log` and passed over by `redline diff`; bad input and exit codes.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace redline;
using test::run_cli;
using test::ScratchDir;

namespace {

const std::string fixtures = (std::filesystem::path(test::fixtures_dir) / "access_lists").string();

}  // namespace

TEST_CASE("redline access-list import and show", "[cli][access_lists]") {
    ScratchDir dir("cli_access");
    const std::string ws = test::build_demo_workspace(dir).string();

    const auto imported =
        run_cli({"access-list", "import", ws, fixtures + "/units_long.csv", "--note", "首批", "--author", "张工"});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK_THAT(imported.out, Catch::Contains("已导入 2 份清单、3 段文本为版本 7") &&
                                 Catch::Contains("spatial_layout (空间布局约束): 1") && Catch::Contains("问题 3") &&
                                 Catch::Contains("第 6 行"));

    const auto general =
        run_cli({"--lang", "en", "access-list", "import", ws, fixtures + "/general_plain.csv", "--general", "DL-2021",
                 "--title", "大连市总体准入要求", "--classes", "key,general", "--region", "2102"});
    INFO(general.err);
    REQUIRE(general.exit_code == 0);
    CHECK_THAT(general.out, Catch::Contains("imported 1 list(s), 2 block(s) as version 8"));

    const auto shown = run_cli({"access-list", "show", ws, "--unit", "ZH21021320001"});
    REQUIRE(shown.exit_code == 0);
    CHECK_THAT(shown.out, Catch::Contains("单元清单 ZH21021320001  金州重点管控单元") &&
                              Catch::Contains("[空间布局约束] units_long.csv:2-3，版本 7") &&
                              Catch::Contains("    2.限制新建高耗能项目。"));
    CHECK_THAT(shown.out, !Catch::Contains("DL-2021"));

    const auto json_text = run_cli({"access-list", "show", ws, "--format", "json", "--list", "DL-2021"});
    REQUIRE(json_text.exit_code == 0);
    const auto json = nlohmann::json::parse(json_text.out);
    REQUIRE(json["blocks"].size() == 2);
    CHECK(json["blocks"][0]["scope"] == "general");
    CHECK(json["blocks"][0]["unit_classes"] == nlohmann::json({"key", "general"}));
    CHECK(json["blocks"][0]["region"] == "2102");
    CHECK(json["blocks"][0]["version"] == 8);

    // The demo workspace holds the city's general list (3 blocks) from version 6.
    const auto at_seven = run_cli({"access-list", "show", ws, "--version", "7", "--format", "json"});
    CHECK(nlohmann::json::parse(at_seven.out)["blocks"].size() == 6);
    const auto at_six = run_cli({"access-list", "show", ws, "--version", "6", "--format", "json"});
    CHECK(nlohmann::json::parse(at_six.out)["blocks"].size() == 3);
    const auto at_five = run_cli({"access-list", "show", ws, "--version", "5"});
    CHECK_THAT(at_five.out, Catch::Contains("没有准入清单"));
    CHECK(run_cli({"access-list", "show", ws, "--version", "99"}).exit_code == 2);

    const auto log = run_cli({"log", ws});
    REQUIRE(log.exit_code == 0);
    CHECK_THAT(log.out, Catch::Contains("版本 7") && Catch::Contains("access-import access_list  +3 -0") &&
                            Catch::Contains("units_long.csv") && Catch::Contains("导入人 张工") &&
                            Catch::Contains("首批"));
    const auto log_json = nlohmann::json::parse(run_cli({"log", ws, "--format", "json"}).out);
    CHECK(log_json["versions"][6]["operation"] == "access-import");
    CHECK(log_json["versions"][6]["author"] == "张工");

    // Zones did not change between the versions: diff says so and does not fail.
    const auto diff = run_cli({"diff", ws, "5", "8"});
    INFO(diff.err);
    CHECK(diff.exit_code == 0);
}

TEST_CASE("redline access-list refuses bad input with usage and data exit codes", "[cli][access_lists]") {
    ScratchDir dir("cli_access_bad");
    const std::string ws = test::build_demo_workspace(dir).string();
    CHECK(run_cli({"access-list"}).exit_code == 2);
    CHECK(run_cli({"access-list", "import", ws}).exit_code == 2);
    const auto bad_map = run_cli({"access-list", "import", ws, fixtures + "/units_long.csv", "--map", "colour=x"});
    CHECK(bad_map.exit_code == 2);
    const auto bad_class =
        run_cli({"access-list", "import", ws, fixtures + "/general_plain.csv", "--general", "X", "--classes", "maybe"});
    CHECK(bad_class.exit_code == 2);
    const auto no_columns = run_cli({"access-list", "import", ws, fixtures + "/general_plain.csv"});
    CHECK(no_columns.exit_code == 3);
    CHECK_THAT(no_columns.err, Catch::Contains("general_plain.csv") && Catch::Contains("unit_code"));
    const auto missing = run_cli({"access-list", "import", (dir / "none.gpkg").string(), fixtures + "/units_long.csv"});
    CHECK(missing.exit_code == 3);
    // Only the demo's own import: nothing refused was written.
    const std::string log = run_cli({"log", ws}).out;
    CHECK(log.find("access-import") != std::string::npos);
    CHECK(log.find("access-import") == log.rfind("access-import"));
}
