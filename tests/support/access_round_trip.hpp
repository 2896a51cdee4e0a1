// The access lists' storage checks, run on a GeoPackage (unit tests) and on PostGIS
// (postgis tests): versions, replacement, lists and reviews at old versions, digests.
#pragma once

#include "redline/errors.hpp"
#include "redline/store/workspace.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace redline::test {

inline AccessListBlock unit_block(const std::string& code, const std::string& dimension, const std::string& text) {
    AccessListBlock b;
    b.scope = AccessListScope::unit;
    b.list_id = code;
    b.title = "单元 " + code;
    b.dimension = dimension;
    b.text = text;
    b.source_ref = "lists.csv:2";
    return b;
}

inline AccessListBlock general_block(const std::string& id, const std::string& text) {
    AccessListBlock b;
    b.scope = AccessListScope::general;
    b.list_id = id;
    b.title = "总体准入要求";
    b.unit_classes = {"key", "general"};
    b.region = "21";
    b.dimension = "spatial_layout";
    b.text = text;
    return b;
}

inline std::vector<std::string> texts_of(const std::vector<AccessListBlock>& blocks) {
    std::vector<std::string> texts;
    for (const auto& b : blocks) {
        texts.push_back(b.list_id + "/" + b.dimension + ":" + b.text);
    }
    std::sort(texts.begin(), texts.end());
    return texts;
}

inline AccessListImport import_named(const std::string& source, bool replace = false) {
    AccessListImport import;
    import.source = source;
    import.source_digest = "sha256:" + std::string(64, '0');
    import.replace = replace;
    import.author = "张工";
    import.note = "测试";
    return import;
}

// `ws`: a workspace holding zones and no access lists yet, at version `base`.
inline void check_access_round_trip(Workspace& ws) {
    const std::int64_t base = ws.current_version()->id;
    const std::string zones_digest = ws.current_version()->workspace_digest;
    CHECK(ws.access_lists().empty());
    CHECK(ws.clause_reviews().empty());

    // Import: two units and a general list.
    const VersionInfo first = ws.import_access_lists(
        {unit_block("ZH21021320001", "spatial_layout", "禁止新建化工项目。"),
         unit_block("ZH21021320001", "pollutant_discharge", "严格执行排放标准。"),
         unit_block("ZH21021330002", "environmental_risk", "加强风险防控。"), general_block("LN", "全省禁止。")},
        import_named("lists.csv"));
    CHECK(first.id == base + 1);
    CHECK(first.operation == "access-import");
    CHECK(first.kind == "access_list");
    CHECK(first.features_read == 4);
    CHECK(first.features_added == 4);
    CHECK(first.features_retired == 0);
    CHECK(first.author == "张工");
    CHECK(first.workspace_digest != zones_digest);
    const auto stored = ws.access_lists();
    REQUIRE(stored.size() == 4);
    CHECK(stored[0].list_id == "ZH21021320001");
    CHECK(stored[0].title == "单元 ZH21021320001");
    CHECK(stored[0].source_ref == "lists.csv:2");
    CHECK(stored[0].version == first.id);
    CHECK(stored[3].scope == AccessListScope::general);
    CHECK(stored[3].unit_classes == std::vector<std::string>{"key", "general"});
    CHECK(stored[3].region == "21");

    // Re-import of one unit: its dimensions all replaced, the others kept.
    const VersionInfo second = ws.import_access_lists(
        {unit_block("ZH21021320001", "spatial_layout", "限制新建化工项目。")}, import_named("b.csv"));
    CHECK(second.features_retired == 2);
    CHECK(texts_of(ws.access_lists()) == std::vector<std::string>{"LN/spatial_layout:全省禁止。",
                                                                  "ZH21021320001/spatial_layout:限制新建化工项目。",
                                                                  "ZH21021330002/environmental_risk:加强风险防控。"});
    CHECK(texts_of(ws.access_lists(first.id)) == texts_of(stored));
    CHECK(ws.access_lists(base).empty());

    // --replace: every current unit list goes, the general list stays.
    const VersionInfo third =
        ws.import_access_lists({unit_block("ZH21021320009", "", "新清单。")}, import_named("c.csv", true));
    CHECK(third.features_retired == 2);
    CHECK(texts_of(ws.access_lists()) ==
          std::vector<std::string>{"LN/spatial_layout:全省禁止。", "ZH21021320009/:新清单。"});
    CHECK(texts_of(ws.access_lists(second.id)).size() == 3);

    // Reviews: a second review of the same clause replaces the first.
    ClauseReview review;
    review.scope = AccessListScope::general;
    review.list_id = "LN";
    review.dimension = "spatial_layout";
    review.clause_text = "全省禁止。";
    review.state = ClauseReviewState::confirmed;
    const VersionInfo reviewed = ws.commit_clause_reviews({review}, "李工", "核对");
    CHECK(reviewed.operation == "access-review");
    CHECK(reviewed.kind == "access_list");
    CHECK(reviewed.features_added == 1);
    CHECK(reviewed.workspace_digest != third.workspace_digest);
    review.state = ClauseReviewState::corrected;
    review.structure_json = R"({"action":"prohibit"})";
    const VersionInfo corrected = ws.commit_clause_reviews({review}, "李工", "更正");
    CHECK(corrected.features_retired == 1);
    const auto reviews = ws.clause_reviews();
    REQUIRE(reviews.size() == 1);
    CHECK(reviews[0].state == ClauseReviewState::corrected);
    CHECK(reviews[0].author == "李工");
    CHECK(reviews[0].clause_digest.rfind("sha256:", 0) == 0);
    CHECK(reviews[0].version == corrected.id);
    const auto earlier = ws.clause_reviews(reviewed.id);
    REQUIRE(earlier.size() == 1);
    CHECK(earlier[0].state == ClauseReviewState::confirmed);
    CHECK(ws.clause_reviews(third.id).empty());

    // Bad input is refused and nothing is written.
    const auto count = ws.versions().size();
    CHECK_THROWS_AS(ws.import_access_lists({unit_block("", "", "x")}, import_named("d.csv")), UsageError);
    CHECK_THROWS_AS(ws.import_access_lists({unit_block("ZH21021320001", "", "\xff\xfe")}, import_named("d.csv")),
                    UsageError);
    AccessListBlock odd = unit_block("ZH21021320001", "", "x");
    odd.scope = static_cast<AccessListScope>(7);
    CHECK_THROWS_AS(ws.import_access_lists({odd}, import_named("d.csv")), UsageError);
    CHECK_THROWS_AS(ws.import_access_lists({unit_block("ZH21021320001", "noise", "x")}, import_named("d.csv")),
                    UsageError);
    CHECK_THROWS_AS(ws.import_access_lists({}, import_named("d.csv")), UsageError);
    CHECK(ws.versions().size() == count);
}

}  // namespace redline::test
