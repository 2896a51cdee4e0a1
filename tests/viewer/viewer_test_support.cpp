#include "viewer_test_support.hpp"

#include <QProcess>
#include <QProcessEnvironment>

#include "demo_workspace.hpp"
#include "redline/store/workspace.hpp"

#include <utility>
#include <vector>

namespace redline::viewer::test {

const SchemaSet& schemas() {
    static const SchemaSet set = SchemaSet::load(REDLINE_VIEWER_TEST_LAYERS);
    return set;
}

std::filesystem::path fresh_directory(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::path(REDLINE_VIEWER_TEST_WORK) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::filesystem::path build_demo_workspace(const std::string& name) {
    const auto path = fresh_directory(name) / "demo.gpkg";
    redline::test::import_demo_layers(path, REDLINE_VIEWER_TEST_DEMO, schemas());
    return path;
}

Run run_viewer(const QStringList& args) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    process.setProcessEnvironment(env);
    process.start(QString::fromUtf8(viewer_path), args);
    process.waitForFinished(120000);
    Run run;
    run.exit_code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

}  // namespace redline::viewer::test
