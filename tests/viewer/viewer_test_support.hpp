// What the viewer tests share: the demo workspace, built once per test program, and the
// places the build gives them.
#pragma once

#include "redline/model/schema.hpp"
#include "text.hpp"

#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>

namespace redline::viewer::test {

const SchemaSet& schemas();
// layers/demo imported (districts, water sources, reserve, red lines, units) into
// <work>/<name>/demo.gpkg, made afresh.
std::filesystem::path build_demo_workspace(const std::string& name);
// A fresh, empty directory under the build tree's work directory.
std::filesystem::path fresh_directory(const std::string& name);

// The viewer run as a program with no display at all (--render must manage by itself).
struct Run {
    int exit_code = -1;
    QString out, err;
};
Run run_viewer(const QStringList& args);

// What the interface should show in the language in effect: written here in both
// languages, so that a missing or wrong translation fails the test.
inline QString expected(const char* zh, const char* en) {
    return QString::fromUtf8(language() == Language::zh ? zh : en);
}

inline constexpr const char* viewer_path = REDLINE_VIEWER_PATH;
inline constexpr const char* source_dir = REDLINE_VIEWER_TEST_SOURCE;

}  // namespace redline::viewer::test
