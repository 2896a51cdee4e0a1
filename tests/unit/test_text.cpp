#include "base/text.hpp"

#include <catch2/catch.hpp>

using namespace redline;

TEST_CASE("fold trims, folds case and full-width forms", "[text]") {
    CHECK(text::fold("  一级保护区\u3000") == "一级保护区");
    CHECK(text::fold("Level1") == "level1");
    CHECK(text::fold("ＬＥＶＥＬ１") == "level1");
    CHECK(text::fold("\xEF\xBB\xBF"
                     "BHQJB") == "bhqjb");
    CHECK(text::fold("") == "");
}

TEST_CASE("display width counts CJK characters as two columns", "[text]") {
    CHECK(text::display_width("abc") == 3);
    CHECK(text::display_width("核心区") == 6);
    CHECK(text::display_width("m²") == 2);
    CHECK(text::pad_right("核心", 6) == "核心  ");
    CHECK(text::pad_left("1.5", 5) == "  1.5");
}

TEST_CASE("invalid UTF-8 is recognised", "[text]") {
    CHECK(text::is_valid_utf8("卧龙水库"));
    CHECK_FALSE(text::is_valid_utf8("\xCE\xD4\xC1\xFA"));  // 卧龙 in GBK
    CHECK(text::is_valid_utf8("\xEF\xBF\xBD"));            // a real replacement character
}
