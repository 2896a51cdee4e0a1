// Results without language: every message is a code with arguments, and every code the
// sources use has a template in Chinese and in English with the same arguments.
#include "redline/errors.hpp"
#include "redline/message.hpp"
#include "test_config.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>

using namespace redline;

namespace {

// The command line registers its own templates at start; the tests check them with the rest.
const MessageTemplate cli_templates[] = {
#include "cli/messages.inc"
};

struct CliTemplates {
    CliTemplates() { add_message_templates(std::begin(cli_templates), std::end(cli_templates)); }
};
const CliTemplates registered;

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> names;
    static const std::regex placeholder(R"(\{([a-z_0-9]+)\})");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator(); ++it) {
        names.insert((*it)[1].str());
    }
    return names;
}

const MessageTemplate* find_template(const std::string& code) {
    for (const auto& t : message_catalog()) {
        if (code == t.code) {
            return &t;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("every template has both languages, with the same arguments, once", "[messages]") {
    std::set<std::string> seen;
    for (const auto& t : message_catalog()) {
        INFO(t.code);
        CHECK(seen.insert(t.code).second);
        CHECK(std::string(t.zh).size() > 0);
        CHECK(std::string(t.en).size() > 0);
        if (std::string(t.code) != "bilingual") {  // the one template that picks an argument by language
            CHECK(placeholders(t.zh) == placeholders(t.en));
        }
    }
    CHECK(seen.size() > 200);
}

TEST_CASE("every message code written in the sources has a template", "[messages]") {
    // Codes are string literals of dotted lower-case words whose first word is a family of
    // the catalog ("input.no_geometry"); any such literal without a template is a bug.
    std::set<std::string> families;
    for (const auto& t : message_catalog()) {
        const std::string code = t.code;
        families.insert(code.substr(0, code.find('.')));
    }
    static const std::regex literal(R"re("([a-z_]+)\.([a-z_0-9.]*[a-z_0-9])")re");
    std::size_t checked = 0;
    for (const char* folder : {"core/src", "cli"}) {
        for (const auto& entry :
             std::filesystem::recursive_directory_iterator(std::filesystem::path(test::source_dir) / folder)) {
            const auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp") {
                continue;
            }
            std::ifstream in(entry.path());
            std::stringstream content;
            content << in.rdbuf();
            const std::string text = content.str();
            for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator();
                 ++it) {
                if (!families.contains((*it)[1].str())) {
                    continue;
                }
                const std::string code = (*it)[1].str() + "." + (*it)[2].str();
                if (std::regex_search(code, std::regex(R"(\.(toml|json|csv|gpkg|inc)$)"))) {
                    continue;  // a file name, not a code
                }
                INFO(entry.path().string() << ": " << code);
                CHECK(find_template(code) != nullptr);
                ++checked;
            }
        }
    }
    CHECK(checked > 200);
}

TEST_CASE("a message is written in the language asked for, arguments and nested messages filled in", "[messages]") {
    const Message inner("geometry.empty");
    const Message outer("input.not_checked", {{"why", inner}});
    CHECK(outer.text(Language::zh) == "未检查：几何为空或缺失。");
    CHECK(outer.text(Language::en) == "not checked: the geometry is empty or missing");
    CHECK(line_ref(12).text(Language::zh) == "第 12 行");
    CHECK(feature_ref("7", "一号地块").text(Language::en) == "feature 7 (一号地块)");
    CHECK(bilingual("核心保护区", "core protection zone").text(Language::en) == "core protection zone");
    CHECK(Message::verbatim("GDAL says {x}").text(Language::zh) == "GDAL says {x}");

    const Message list = Message::list({Message::verbatim("a"), Message::verbatim("b")});
    CHECK(list.text(Language::zh) == "\n  a\n  b");

    // An unknown code still says something a developer can act on.
    CHECK(Message("no.such_code", {{"n", 3}}).text(Language::zh) == "no.such_code n=3");

    const Problem problem{Severity::warning, "in.csv", line_ref(3), Message("table.duplicate_id", {{"id", "A1"}})};
    CHECK(problem_line(problem, Language::zh) == "[警告] in.csv，第 3 行：编号“A1”已被前面的行使用。");
    CHECK(problem_line(problem, Language::en) == "[warning] in.csv, line 3: id 'A1' is used by an earlier row");
}

TEST_CASE("failures carry their message, what() is English for logs", "[messages]") {
    const DataError error(Message("file.cannot_read", {{"file", "x.csv"}}));
    CHECK(error.message().code() == "file.cannot_read");
    CHECK(std::string(error.what()) == "x.csv: cannot read the file; check the path and permissions");
    CHECK(error.message().text(Language::zh) == "x.csv：无法读取该文件；请检查路径和权限。");
}
