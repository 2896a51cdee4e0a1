// redline-viewer as a program: --render writes the picture the window shows, without a
// display, and errors end with the command line's exit codes and messages.
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "text.hpp"
#include "viewer_test_support.hpp"

#include "redline/store/workspace.hpp"

#include <QProcess>
#include <QtTest/QtTest>

using namespace redline;
using namespace redline::viewer;
using test::Run;
using test::run_viewer;

namespace {}  // namespace

class ViewerCliTest : public QObject {
    Q_OBJECT

private:
    QString workspace_;
    QString dir_;

private slots:
    void initTestCase() {
        add_viewer_messages();
        const auto ws = test::build_demo_workspace("viewer_cli");
        workspace_ = QString::fromStdString(ws.string());
        dir_ = QString::fromStdString(ws.parent_path().string());
    }

    void render_writes_a_png_of_the_size_asked() {
        const QString out = dir_ + "/map.png";
        const Run run = run_viewer({workspace_, "--render", out, "--size", "640x480"});
        QVERIFY2(run.exit_code == 0, qPrintable(run.err));
        QImage image(out);
        QCOMPARE(image.size(), QSize(640, 480));
        QVERIFY(!QFile::exists(out + ".partial"));
        // Not blank: zones are drawn.
        int coloured = 0;
        for (int y = 0; y < image.height(); y += 4) {
            for (int x = 0; x < image.width(); x += 4) {
                const QColor c = image.pixelColor(x, y);
                coloured += c.red() != c.green() || c.green() != c.blue() ? 1 : 0;
            }
        }
        QVERIFY(coloured > 500);
    }

    void render_is_what_the_canvas_draws() {
        // The same view drawn in this process (as the canvas draws it) and by --render.
        const QString out = dir_ + "/zone.png";
        const Run run = run_viewer({workspace_, "--render", out, "--size", "500x400", "--zone", "HX210213-001"});
        QVERIFY2(run.exit_code == 0, qPrintable(run.err));
        set_language(Language::zh);
        const Workspace ws = Workspace::open_read_only(workspace_.toStdString());
        const MapData data = MapData::load(ws, test::schemas());
        const std::vector<int> zones = data.find_zone("HX210213-001");
        QCOMPARE(zones.size(), std::size_t(1));
        MapView view;
        view.size = QSizeF(500, 400);
        fit_view(view, data.extent_of(zones));
        RenderSettings settings;
        settings.highlighted = zones;
        const QImage expected = render_image(data, view, settings).convertToFormat(QImage::Format_RGB32);
        const QImage written = QImage(out).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(written.size(), expected.size());
        QVERIFY(written == expected);
    }

    void extent_and_kind_qualified_zone() {
        const Run extent = run_viewer(
            {workspace_, "--render", dir_ + "/extent.png", "--extent", "121.8,39.0,122.1,39.2", "--size", "300x200"});
        QVERIFY2(extent.exit_code == 0, qPrintable(extent.err));
        QCOMPARE(QImage(dir_ + "/extent.png").size(), QSize(300, 200));
        const Run zone = run_viewer({workspace_, "--render", dir_ + "/kind.png", "--zone", "red_line:HX210213-002"});
        QVERIFY2(zone.exit_code == 0, qPrintable(zone.err));
        QCOMPARE(QImage(dir_ + "/kind.png").size(), QSize(1200, 900));
    }

    void existing_output_needs_overwrite() {
        const QString out = dir_ + "/twice.png";
        QCOMPARE(run_viewer({workspace_, "--render", out, "--size", "100x100"}).exit_code, 0);
        const Run again = run_viewer({workspace_, "--render", out, "--size", "200x100"});
        QCOMPARE(again.exit_code, 3);
        QVERIFY2(again.err.contains(QStringLiteral("已存在")), qPrintable(again.err));
        QCOMPARE(QImage(out).size(), QSize(100, 100));
        QCOMPARE(run_viewer({workspace_, "--render", out, "--size", "200x100", "--overwrite"}).exit_code, 0);
        QCOMPARE(QImage(out).size(), QSize(200, 100));
    }

    void missing_workspace_is_a_data_error() {
        const QString missing = dir_ + "/missing.gpkg";
        const Run zh = run_viewer({missing, "--render", dir_ + "/never.png"});
        QCOMPARE(zh.exit_code, 3);
        QVERIFY2(
            zh.err.startsWith(QStringLiteral("redline-viewer: ")) && zh.err.contains(QStringLiteral("找不到工作空间")),
            qPrintable(zh.err));
        const Run en = run_viewer({missing, "--render", dir_ + "/never.png", "--lang", "en"});
        QCOMPARE(en.exit_code, 3);
        QVERIFY2(en.err.contains(QStringLiteral("workspace not found")), qPrintable(en.err));
        QVERIFY(!QFile::exists(dir_ + "/never.png"));
    }

    void unknown_zone_is_a_usage_error() {
        const Run zh = run_viewer({workspace_, "--render", dir_ + "/never.png", "--zone", "NO-SUCH-ZONE"});
        QCOMPARE(zh.exit_code, 2);
        QVERIFY2(zh.err.contains(QStringLiteral("没有编号为“NO-SUCH-ZONE”的现行分区")), qPrintable(zh.err));
        const Run en = run_viewer({workspace_, "--render", dir_ + "/never.png", "--zone", "NO-SUCH-ZONE", "--lang=en"});
        QCOMPARE(en.exit_code, 2);
        QVERIFY2(en.err.contains(QStringLiteral("no current zone has the id 'NO-SUCH-ZONE'")), qPrintable(en.err));
        QVERIFY(!QFile::exists(dir_ + "/never.png"));
    }

    void bad_command_lines() {
        QCOMPARE(run_viewer({}).exit_code, 2);
        QCOMPARE(run_viewer({workspace_, "--render", dir_ + "/x.jpg"}).exit_code, 2);
        QCOMPARE(run_viewer({workspace_, "--render", dir_ + "/x.png", "--size", "12x9000000"}).exit_code, 2);
        QCOMPARE(run_viewer({workspace_, "--render", dir_ + "/x.png", "--extent", "122,39,121,40"}).exit_code, 2);
        QCOMPARE(
            run_viewer({workspace_, "--zone", "a", "--extent", "121,39,122,40", "--render", dir_ + "/x.png"}).exit_code,
            2);
        QCOMPARE(run_viewer({workspace_, "--size", "100x100"}).exit_code, 2);
        QCOMPARE(run_viewer({workspace_, "--frobnicate"}).exit_code, 2);
        const Run en = run_viewer({workspace_, "--lang", "en", "--size", "9x9", "--render", dir_ + "/x.png"});
        QCOMPARE(en.exit_code, 2);
        QVERIFY2(en.err.contains(QStringLiteral("--size 9x9: expected WIDTHxHEIGHT")), qPrintable(en.err));
        // The window needs a display; without one the message says to use --render.
        const Run window = run_viewer({workspace_});
        QCOMPARE(window.exit_code, 2);
        QVERIFY2(window.err.contains(QStringLiteral("--render")), qPrintable(window.err));
        const Run help = run_viewer({"--help"});
        QCOMPARE(help.exit_code, 0);
        QVERIFY(help.out.contains(QStringLiteral("用法：redline-viewer 工作空间")));
        QVERIFY(run_viewer({"--help", "--lang", "en"}).out.contains(QStringLiteral("Usage: redline-viewer WORKSPACE")));
        QVERIFY(!QFile::exists(dir_ + "/x.png"));
    }
};

QTEST_MAIN(ViewerCliTest)
#include "test_viewer_cli.moc"
