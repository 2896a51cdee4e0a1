// Edit sessions: each edit checked as it is made, the impact measured as `redline diff`
// measures it, guarded coverage given up only on a basis, conflicts per zone.
#include "redline/editing/edit_session.hpp"
#include "redline/errors.hpp"
#include "redline/store/workspace.hpp"
#include "test_support.hpp"

#include <gdal_priv.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

using namespace redline;
using test::ScratchDir;

namespace {

// The 大黑山 red line of the demo: HX210213-002, about 121.699-121.723 E, 39.045-39.073 N.
const std::string red_line = "HX210213-002";

ZoneEdit replace_with(const std::string& kind, const std::string& id, const std::string& wkt) {
    ZoneEdit e;
    e.op = EditOp::replace;
    e.kind = kind;
    e.zone_id = id;
    e.geometry = geometry_from_wkt(wkt);
    return e;
}

std::string box(double x0, double y0, double x1, double y1) {
    const auto p = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
    return "POLYGON((" + p(x0, y0) + "," + p(x1, y0) + "," + p(x1, y1) + "," + p(x0, y1) + "," + p(x0, y0) + "))";
}

Zone current_zone(const Workspace& ws, const std::string& kind, const std::string& id) {
    const auto found = ws.find_zones(kind, {id});
    REQUIRE(found.size() == 1);
    return found.front();
}

}  // namespace

TEST_CASE("giving up red-line ground needs a basis, the version records it", "[edit]") {
    ScratchDir dir("edit");
    const auto path = test::build_demo_workspace(dir);
    Workspace ws = Workspace::open(path);
    const auto base = ws.current_version()->id;
    const Zone before = current_zone(ws, "red_line", red_line);

    EditSession session(ws, test::schemas());
    session.apply(replace_with("red_line", red_line, box(121.705, 39.05, 121.715, 39.06)));
    const EditImpact impact = session.impact();
    REQUIRE(impact.needs_basis());
    double lost = 0;
    for (const auto& l : impact.guarded_loss) {
        CHECK(l.kind == "red_line");
        lost += l.area_m2;
    }
    // Lost: what the old zone covered outside the new one (measured independently).
    const double kept = geodesic_area_m2(geometry_from_wkt(box(121.705, 39.05, 121.715, 39.06)));
    const double still_covered =
        geodesic_area_m2(test::intersection(before.geometry, geometry_from_wkt(box(121.705, 39.05, 121.715, 39.06))));
    CHECK(lost == Approx(before.area_m2 - still_covered).epsilon(0.001));

    CHECK_THROWS_WITH(session.commit("张三", "收缩", ""), Catch::Contains("--basis") && Catch::Contains(red_line));
    CHECK(ws.current_version()->id == base);  // nothing written

    const VersionInfo v = session.commit("张三", "收缩", "辽政函〔2026〕12号");
    CHECK(v.id == base + 1);
    CHECK(v.operation == "edit");
    CHECK(v.author == "张三");
    CHECK(v.basis == "辽政函〔2026〕12号");
    CHECK(v.base_version == base);
    const Zone after = current_zone(ws, "red_line", red_line);
    CHECK(after.area_m2 == Approx(kept).epsilon(1e-6));
    CHECK(after.name == before.name);
    // The earlier version still holds the earlier zone.
    bool found_old = false;
    for (const auto& z : ws.load_zones_at(base)) {
        found_old = found_old || (z.zone_id == red_line && z.area_m2 == Approx(before.area_m2));
    }
    CHECK(found_old);
}

TEST_CASE("a split that keeps the ground loses nothing, a unit's gain needs no basis", "[edit]") {
    ScratchDir dir("edit");
    Workspace ws = Workspace::open(test::build_demo_workspace(dir));
    EditSession session(ws, test::schemas());
    // Cut the red line into two along 121.71 E: the same ground in two zones.
    const Zone z = current_zone(ws, "red_line", red_line);
    ZoneEdit retire;
    retire.op = EditOp::retire;
    retire.kind = "red_line";
    retire.zone_id = red_line;
    session.apply(retire);
    for (const auto& [id, cut] : {std::pair{"HX210213-002a", box(121.0, 38.0, 121.71, 40.0)},
                                  std::pair{"HX210213-002b", box(121.71, 38.0, 122.0, 40.0)}}) {
        ZoneEdit add;
        add.op = EditOp::add;
        add.kind = "red_line";
        add.zone_id = id;
        add.code = id;
        add.name = z.name;
        const std::string wkt = geometry_to_wkt(z.geometry);
        // The part of the zone inside the cut, computed by GEOS through the test support.
        add.geometry = test::intersection(z.geometry, geometry_from_wkt(cut));
        session.apply(add);
    }
    const EditImpact impact = session.impact();
    CHECK_FALSE(impact.needs_basis());
    CHECK(impact.kinds.at("red_line").coverage_lost_m2 < 1.0);
    CHECK(session.commit("李四", "拆分", "").operation == "edit");
    CHECK(ws.find_zones("red_line", {"HX210213-002a", "HX210213-002b"}).size() == 2);
    CHECK(ws.find_zones("red_line", {red_line}).empty());
}

TEST_CASE("each edit is checked when made, and a refused one leaves the session as it was", "[edit]") {
    ScratchDir dir("edit");
    Workspace ws = Workspace::open(test::build_demo_workspace(dir));
    EditSession session(ws, test::schemas());
    // A bow tie: GEOS's reason and the place.
    CHECK_THROWS_WITH(session.apply(replace_with("red_line", red_line,
                                                 "POLYGON((121.70 39.05, 121.72 39.07, 121.72 39.05, 121.70 39.07, "
                                                 "121.70 39.05))")),
                      Catch::Contains("Self-intersection") && Catch::Contains("121.71"));
    CHECK(session.edits().empty());
    ZoneEdit unknown;
    unknown.op = EditOp::fields;
    unknown.kind = "red_line";
    unknown.zone_id = "HX-NONE";
    CHECK_THROWS_WITH(session.apply(unknown), Catch::Contains("HX-NONE"));

    ZoneEdit unit;
    unit.op = EditOp::add;
    unit.kind = "control_unit";
    unit.code = "ZH2102131000X";  // not ZH + 6 digits + class + 4 digits
    unit.subzone = "priority";
    unit.geometry = geometry_from_wkt(box(121.80, 39.10, 121.81, 39.11));
    CHECK_THROWS_WITH(session.apply(unit), Catch::Contains("ZH2102131000X"));
    unit.code = "ZH21021310099";
    unit.subzone = "no such class";
    CHECK_THROWS_WITH(session.apply(unit), Catch::Contains("priority"));
    unit.subzone = "优先保护单元";  // an alias the schema knows
    session.apply(unit);
    CHECK(session.edited_zones().front().subzone == "priority");
    CHECK(session.edited_zones().front().zone_id == "ZH21021310099/priority");
    CHECK_THROWS_WITH(session.apply(unit), Catch::Contains("ZH21021310099/priority"));  // taken now
    ZoneEdit field;
    field.op = EditOp::fields;
    field.kind = "control_unit";
    field.zone_id = "ZH21021310099/priority";
    field.attributes["no_such_field"] = "x";
    CHECK_THROWS_WITH(session.apply(field), Catch::Contains("no_such_field"));

    // Undo takes edits back one by one.
    REQUIRE(session.edits().size() == 1);
    CHECK(session.undo());
    CHECK(session.edited_zones().empty());
    CHECK_FALSE(session.undo());
}

TEST_CASE("edits conflict per zone: a colleague's work on other zones of the kind is no conflict", "[edit]") {
    ScratchDir dir("edit");
    const auto path = test::build_demo_workspace(dir);
    Workspace first = Workspace::open(path);
    Workspace second = Workspace::open(path);
    EditSession mine(first, test::schemas());
    EditSession theirs(second, test::schemas());
    ZoneEdit rename;
    rename.op = EditOp::fields;
    rename.kind = "red_line";
    rename.zone_id = red_line;
    rename.name = "大黑山红线（甲）";
    mine.apply(rename);
    ZoneEdit other = rename;
    other.zone_id = "HX210213-003";
    other.name = "金石滩红线（乙）";
    theirs.apply(other);
    theirs.commit("王五", "", "");
    CHECK(mine.commit("张三", "", "").operation == "edit");  // another zone: both stand

    EditSession late(second, test::schemas());
    Workspace third = Workspace::open(path);
    EditSession early(third, test::schemas());
    rename.name = "大黑山红线（丙）";
    early.apply(rename);
    late.apply(rename);
    early.commit("张三", "", "");
    try {
        late.commit("王五", "", "");
        FAIL("no conflict");
    } catch (const DataError& e) {
        CHECK_THAT(e.what(), Catch::Contains(red_line) && Catch::Contains("conflict"));
    }
    CHECK(current_zone(third, "red_line", red_line).name == "大黑山红线（丙）");
}

TEST_CASE("unsaved edits survive in a journal and are offered back, saving removes it", "[edit][journal]") {
    ScratchDir dir("edit");
    const auto path = test::build_demo_workspace(dir);
    const auto journal = default_journal_path(path);
    CHECK(journal == std::filesystem::path(path.string() + ".edits.json"));
    CHECK_FALSE(read_journal(journal));
    {
        Workspace ws = Workspace::open(path);
        EditSession session(ws, test::schemas());
        session.keep_journal(journal);
        session.apply(replace_with("red_line", red_line, box(121.705, 39.05, 121.715, 39.06)));
        ZoneEdit rename;
        rename.op = EditOp::fields;
        rename.kind = "red_line";
        rename.zone_id = "HX210213-001";
        rename.name = "小黑山红线（未保存）";
        session.apply(rename);
        // The viewer dies here: nothing saved, the session gone.
    }
    const auto kept = read_journal(journal);
    REQUIRE(kept);
    CHECK(kept->edits.size() == 2);
    CHECK(kept->base_version == 6);
    CHECK(kept->edits[1].name == "小黑山红线（未保存）");

    Workspace ws = Workspace::open(path);
    CHECK(ws.current_version()->id == 6);  // nothing was written to the workspace
    EditSession session(ws, test::schemas());
    session.keep_journal(journal);
    CHECK(session.replay(kept->edits).empty());
    CHECK(session.edited_zones().size() == 2);
    session.commit("张三", "恢复的编辑", "辽政函〔2026〕12号");
    CHECK_FALSE(std::filesystem::exists(journal));
    CHECK(current_zone(ws, "red_line", "HX210213-001").name == "小黑山红线（未保存）");

    // A damaged journal is named, not taken for edits.
    std::ofstream(journal) << "{\"edits\": [";
    CHECK_THROWS_WITH(read_journal(journal), Catch::Contains(journal.string()));
    // So is one whose fields have the wrong JSON types (found by fuzz_edits: it crashed).
    std::ofstream(journal) << R"({"edits": [], "base_version": 1, "workspace": 1})";
    CHECK_THROWS_AS(read_journal(journal), DataError);
    std::ofstream(journal) << R"({"edits": [{"op": "add", "kind": 1}], "base_version": 1})";
    CHECK_THROWS_AS(read_journal(journal), DataError);
}

TEST_CASE("the law watches a tiling kind: overlaps with neighbours, gaps opened", "[edit]") {
    ScratchDir dir("edit");
    Workspace ws = Workspace::open(test::build_demo_workspace(dir));
    std::string unit, neighbour;
    for (const auto& z : ws.load_zones()) {
        if (z.kind == "control_unit" && z.code == "ZH21021310001") {
            unit = z.zone_id;
        } else if (z.kind == "control_unit" && z.code == "ZH21021320001") {
            neighbour = z.zone_id;
        }
    }
    REQUIRE_FALSE(unit.empty());
    REQUIRE_FALSE(neighbour.empty());
    const Zone before = current_zone(ws, "control_unit", unit);

    // Grown over its neighbour: an overlap naming both, and no gap.
    EditSession grow(ws, test::schemas());
    grow.apply(replace_with("control_unit", unit, box(121.70, 39.12, 121.88, 39.20)));
    const EditImpact grown = grow.impact();
    CHECK(grown.gaps.empty());
    const auto overlap = std::find_if(grown.findings.begin(), grown.findings.end(),
                                      [](const Finding& f) { return f.check == Check::overlap; });
    REQUIRE(overlap != grown.findings.end());
    CHECK(std::find(overlap->zone_ids.begin(), overlap->zone_ids.end(), neighbour) != overlap->zone_ids.end());
    const Zone other = current_zone(ws, "control_unit", neighbour);
    const double expected =
        geodesic_area_m2(test::intersection(other.geometry, geometry_from_wkt(box(121.70, 39.12, 121.88, 39.20))));
    CHECK(overlap->area_m2.value_or(0) == Approx(expected).epsilon(0.001));

    // Shrunk: the ground it gave up is a gap of the tiling, and no red line is involved.
    EditSession shrink(ws, test::schemas());
    shrink.apply(replace_with("control_unit", unit, box(121.80, 39.14, 121.86, 39.18)));
    const EditImpact shrunk = shrink.impact();
    REQUIRE(shrunk.gaps.size() >= 1);
    double gap = 0;
    for (const auto& g : shrunk.gaps) {
        CHECK(g.kind == "control_unit");
        gap += g.area_m2;
    }
    const double kept =
        geodesic_area_m2(test::intersection(before.geometry, geometry_from_wkt(box(121.80, 39.14, 121.86, 39.18))));
    CHECK(gap == Approx(before.area_m2 - kept).epsilon(0.001));
    CHECK_FALSE(shrunk.needs_basis());
    // The session's zone is the edited one; a zone no edit touched is read from the store
    // without joining the session.
    CHECK(shrink.zone("control_unit", unit)->area_m2 < before.area_m2);
    CHECK(shrink.zone("control_unit", neighbour)->area_m2 == Approx(other.area_m2));
    CHECK(shrink.touched_zones().size() == 1);
}

TEST_CASE("after a conflict the session takes the new base and keeps its edits", "[edit]") {
    ScratchDir dir("edit");
    const auto path = test::build_demo_workspace(dir);
    Workspace mine_ws = Workspace::open(path);
    Workspace theirs_ws = Workspace::open(path);
    EditSession mine(mine_ws, test::schemas());
    EditSession theirs(theirs_ws, test::schemas());
    ZoneEdit rename;
    rename.op = EditOp::fields;
    rename.kind = "red_line";
    rename.zone_id = red_line;
    rename.name = "大黑山红线（我）";
    mine.apply(rename);
    ZoneEdit grow = replace_with("red_line", red_line, box(121.69, 39.04, 121.73, 39.08));
    theirs.apply(grow);
    const VersionInfo their_version = theirs.commit("王五", "扩大", "");
    CHECK_THROWS_WITH(mine.commit("张三", "", ""), Catch::Contains("conflict") && Catch::Contains(red_line));

    const auto refused = mine.rebase();
    CHECK(refused.empty());
    CHECK(mine.base_version() == their_version.id);
    CHECK(mine.edits().size() == 1);
    const VersionInfo v = mine.commit("张三", "改名", "");
    const Zone now = current_zone(mine_ws, "red_line", red_line);
    CHECK(now.name == "大黑山红线（我）");  // my edit
    CHECK(now.area_m2 ==
          Approx(geodesic_area_m2(geometry_from_wkt(box(121.69, 39.04, 121.73, 39.08)))));  // theirs kept
    CHECK(v.base_version == their_version.id);
}

TEST_CASE("a zone's history lists every revision with the versions that made and replaced it", "[edit][store]") {
    ScratchDir dir("edit");
    Workspace ws = Workspace::open(test::build_demo_workspace(dir));
    const Zone first = current_zone(ws, "red_line", red_line);
    CHECK(first.version_to == 0);
    EditSession session(ws, test::schemas());
    session.apply(replace_with("red_line", red_line, box(121.69, 39.04, 121.73, 39.08)));
    const VersionInfo grown = session.commit("王五", "扩大", "");
    ZoneEdit retire;
    retire.op = EditOp::retire;
    retire.kind = "red_line";
    retire.zone_id = red_line;
    session.apply(retire);
    const VersionInfo retired = session.commit("王五", "注销", "辽政函〔2026〕3号");

    const auto history = ws.zone_history("red_line", red_line);
    REQUIRE(history.size() == 2);
    CHECK(history[0].version == first.version);
    CHECK(history[0].version_to == grown.id);
    CHECK(history[0].area_m2 == Approx(first.area_m2));
    CHECK(history[1].version == grown.id);
    CHECK(history[1].version_to == retired.id);
    CHECK(ws.zone_history("red_line", "no such zone").empty());
}

TEST_CASE("a version hashes only the zones it writes, and a workspace from before per-zone digests gains them",
          "[edit][store]") {
    ScratchDir dir("edit");
    const auto fresh = test::build_demo_workspace(dir);
    ScratchDir old_dir("edit");
    const auto old = test::build_demo_workspace(old_dir);
    // As an earlier redline left it: no zone digests.
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(old.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        REQUIRE(ds);
        ds->ExecuteSQL("UPDATE zones SET zone_digest = NULL", nullptr, nullptr);
    }
    std::vector<std::string> digests;
    for (const auto& path : {fresh, old}) {
        Workspace ws = Workspace::open(path);
        EditSession session(ws, test::schemas());
        session.apply(replace_with("red_line", red_line, box(121.69, 39.04, 121.73, 39.08)));
        digests.push_back(session.commit("张三", "", "").workspace_digest);
    }
    // The same zones, the same digest, whether the digests were made on import or filled in.
    CHECK(digests[0] == digests[1]);
    CHECK(digests[0].rfind("sha256:", 0) == 0);
}
