// The screening panel over the demo workspace, off screen: a footprint opened as `redline
// check` reads it shows what core's run_check says of the same file, lies on the map, and
// goes into the report; broken files, drops and the English interface.
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "panels.hpp"
#include "screening_panel.hpp"
#include "text.hpp"
#include "viewer_test_support.hpp"

#include "redline/projection.hpp"
#include "redline/screening/check_run.hpp"
#include "redline/store/workspace.hpp"

#include <QApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

using namespace redline;
using namespace redline::viewer;

namespace {

const char* demo_footprints = REDLINE_VIEWER_TEST_DEMO "/footprints.geojson";
const char* demo_chemical_plant = REDLINE_VIEWER_TEST_DEMO "/chemical_plant.geojson";

QString qpath(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

// What `redline check --zones WS FILE` computes, without the command line.
CheckRun core_check(const std::filesystem::path& workspace, const QString& file) {
    CheckRequest request;
    request.workspace = workspace;
    request.input.path = file.toStdString();
    request.facts = FactVocabulary::load(test::schemas().directory()).from_options({});
    return run_check(test::schemas(), request);
}

// Every item of the tree, depth first.
std::vector<QTreeWidgetItem*> all_items(QTreeWidget* tree) {
    std::vector<QTreeWidgetItem*> items;
    std::vector<QTreeWidgetItem*> stack;
    for (int i = tree->topLevelItemCount() - 1; i >= 0; --i) {
        stack.push_back(tree->topLevelItem(i));
    }
    while (!stack.empty()) {
        QTreeWidgetItem* item = stack.back();
        stack.pop_back();
        items.push_back(item);
        for (int i = item->childCount() - 1; i >= 0; --i) {
            stack.push_back(item->child(i));
        }
    }
    return items;
}

QString bracketed(Verdict verdict) {
    return test::expected("【%1】", "[%1] ").arg(QString::fromUtf8(verdict_label(verdict, language())));
}

// The tree item of a hit: under the footprint's item, headed by its verdict and naming its zone.
QTreeWidgetItem* hit_item(QTreeWidgetItem* footprint, const Hit& hit) {
    const QString zone = QString::fromStdString(hit.zone_name.empty() ? hit.zone_id : hit.zone_name);
    for (int i = 0; i < footprint->childCount(); ++i) {
        QTreeWidgetItem* item = footprint->child(i);
        if (item->text(0).startsWith(bracketed(hit.verdict)) && item->text(0).contains(zone) &&
            (hit.zone_code.empty() || item->text(0).contains(QString::fromStdString(hit.zone_code)))) {
            return item;
        }
    }
    return nullptr;
}

QString row_value(QTreeWidgetItem* parent, const QString& field) {
    for (int i = 0; i < parent->childCount(); ++i) {
        if (parent->child(i)->text(0) == field) {
            return parent->child(i)->text(1);
        }
    }
    return {};
}

// The panel shows what core says of the same file: the same footprints, verdicts and hits
// with their measures, and says so in its words.
void compare_with_core(const ScreeningPanel& panel, const CheckRun& core) {
    const CheckRun* shown = panel.run();
    QVERIFY(shown != nullptr);
    QCOMPARE(shown->footprints.size(), core.footprints.size());
    QCOMPARE(shown->input_crs, core.input_crs);
    QCOMPARE(shown->problems.size(), core.problems.size());
    Verdict worst = Verdict::clear;
    for (std::size_t f = 0; f < core.footprints.size(); ++f) {
        const FootprintResult& want = core.footprints[f];
        const FootprintResult& got = shown->footprints[f];
        QCOMPARE(got.id, want.id);
        QCOMPARE(got.verdict, want.verdict);
        QCOMPARE(got.checked(), want.checked());
        worst = std::max(worst, want.verdict);
        QCOMPARE(got.hits.size(), want.hits.size());
        QTreeWidgetItem* item = panel.results()->topLevelItem(static_cast<int>(f));
        QVERIFY(item->text(0).startsWith(
            want.checked() ? bracketed(want.verdict)
                           : test::expected("【%1】", "[%1] ").arg(test::expected("未核查", "unchecked"))));
        for (std::size_t h = 0; h < want.hits.size(); ++h) {
            const Hit& a = got.hits[h];
            const Hit& b = want.hits[h];
            QCOMPARE(a.kind, b.kind);
            QCOMPARE(a.zone_id, b.zone_id);
            QCOMPARE(a.relation, b.relation);
            QCOMPARE(a.verdict, b.verdict);
            QCOMPARE(a.rules.size(), b.rules.size());
            for (std::size_t r = 0; r < b.rules.size(); ++r) {
                QCOMPARE(a.rules[r].rule->id, b.rules[r].rule->id);
            }
            QCOMPARE(a.overlap_area_m2.has_value(), b.overlap_area_m2.has_value());
            if (b.overlap_area_m2) {
                QVERIFY(std::abs(*a.overlap_area_m2 - *b.overlap_area_m2) <= 1e-6 * std::max(1.0, *b.overlap_area_m2));
            }
            QCOMPARE(a.distance_m.has_value(), b.distance_m.has_value());
            if (b.distance_m) {
                QVERIFY(std::abs(*a.distance_m - *b.distance_m) < 1e-6);
            }
            // Shown: the hit under its footprint, with its relation, measures and rules.
            QTreeWidgetItem* shown_hit = hit_item(item, b);
            QVERIFY2(shown_hit != nullptr, b.zone_id.c_str());
            QCOMPARE(row_value(shown_hit, test::expected("结论", "Verdict")),
                     QString::fromUtf8(verdict_label(b.verdict, language())));
            if (b.overlap_area_m2) {
                QCOMPARE(row_value(shown_hit, test::expected("重叠面积", "Overlap")), area_text(*b.overlap_area_m2));
            }
            if (b.inside_length_m) {
                QVERIFY(
                    row_value(shown_hit, test::expected("区内长度", "Length inside")).endsWith(QStringLiteral(" m")));
            }
            for (const auto& applied : b.rules) {
                bool found = false;
                for (int i = 0; i < shown_hit->childCount(); ++i) {
                    QTreeWidgetItem* rule = shown_hit->child(i);
                    if (rule->text(0).endsWith(QString::fromStdString(applied.rule->id))) {
                        found = !row_value(rule, test::expected("法律依据", "Legal basis")).isEmpty();
                    }
                }
                QVERIFY2(found, applied.rule->id.c_str());
            }
        }
    }
    QCOMPARE(panel.overall_verdict(), std::optional<Verdict>(worst));
    if (panel.complete()) {
        QCOMPARE(panel.verdict_label()->text(), test::expected("总体结论：", "Overall verdict: ") +
                                                    QString::fromUtf8(verdict_label(worst, language())));
    }
    QVERIFY(panel.verdict_label()->isVisibleTo(&const_cast<ScreeningPanel&>(panel)));
}

}  // namespace

class ScreeningTest : public QObject {
    Q_OBJECT

private:
    std::filesystem::path workspace_, work_;
    std::unique_ptr<MapData> data_;
    std::filesystem::path red_line_txt_;
    QString red_line_name_;

    // A square parcel of the given half side (metres) around a point, as a land-boundary
    // TXT in Gauss-Krüger zone 41 (eastings with the zone prefix), as surveyors hand them in.
    std::filesystem::path write_survey_txt(const std::string& name, double lon, double lat, double half) {
        GaussKruger3Degree gk;
        const GaussKrugerPoint c = gk.forward(lon, lat);
        std::ostringstream out;
        out.setf(std::ios::fixed);
        out.precision(3);
        out << "[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=" << c.zone
            << "\n精度=0.001\n[地块坐标]\n5," << (4 * half * half / 10000) << ",1,拟建项目地块,面,,,,@\n";
        const double corners[5][2] = {{-half, -half}, {-half, half}, {half, half}, {half, -half}, {-half, -half}};
        for (int i = 0; i < 5; ++i) {
            out << "J" << (i % 4 + 1) << ",1," << c.northing + corners[i][0] << "," << c.easting + corners[i][1]
                << "\n";
        }
        const auto path = work_ / name;
        write_file(path, out.str());
        return path;
    }

private slots:
    void initTestCase() {
        add_viewer_messages();
        set_language(Language::zh);
        workspace_ = test::build_demo_workspace("screening");
        work_ = workspace_.parent_path();
        const Workspace ws = Workspace::open_read_only(workspace_);
        data_ = std::make_unique<MapData>(MapData::load(ws, test::schemas()));
        // A parcel well inside the red line HX210213-001, around its roomiest point.
        for (const auto& z : data_->zones()) {
            if (z.zone.kind == "red_line" && z.zone.code == "HX210213-001") {
                QVERIFY(z.anchor.has_value());
                const auto [lon, lat] = data_->to_lonlat(*z.anchor);
                red_line_txt_ = write_survey_txt("red_line.txt", lon, lat, std::min(150.0, z.anchor_clearance / 3));
                red_line_name_ = QString::fromStdString(z.zone.name);
            }
        }
        QVERIFY(!red_line_txt_.empty());
    }

    void opens_a_survey_txt_and_shows_what_check_says() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        QSignalSpy opened(&panel, &ScreeningPanel::footprint_opened);
        QString error;
        QVERIFY2(panel.open_footprint(qpath(red_line_txt_), &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(opened.count(), 1);
        const CheckRun core = core_check(workspace_, qpath(red_line_txt_));
        compare_with_core(panel, core);
        // The parcel lies in the red line, which the panel names, and is read as a survey TXT.
        const FootprintResult& fp = panel.run()->footprints.at(0);
        QVERIFY(std::any_of(fp.hits.begin(), fp.hits.end(),
                            [](const Hit& h) { return h.kind == "red_line" && h.relation == Relation::within; }));
        QVERIFY(panel.complete());
        QVERIFY(panel.results()->topLevelItem(0)->text(0).contains(QStringLiteral("拟建项目地块")));
        bool named = false;
        for (auto* item : all_items(panel.results())) {
            named = named ||
                    (item->text(0).contains(red_line_name_) && item->text(0).contains(QStringLiteral("生态保护红线")));
        }
        QVERIFY(named);
        QVERIFY(panel.source_label()->text().contains(QStringLiteral("red_line.txt")));
        QVERIFY(panel.report_action()->isEnabled());

        // The footprint and its hits lie on the map, and the map shows the footprint.
        const auto footprint = canvas.overlay(ScreeningPanel::footprint_overlay);
        const auto hits = canvas.overlay(ScreeningPanel::hits_overlay);
        QVERIFY(footprint != nullptr);
        QVERIFY(hits != nullptr);
        QVERIFY(!hits->shapes.empty());
        QVERIFY(canvas.view().plane_rect().contains(footprint->bounds()));
        QVERIFY(canvas.view().plane_rect().width() < 5 * std::max(footprint->bounds().width(), 300.0));
    }

    void the_canvas_draws_the_footprint_outline() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        canvas.render_if_needed();
        const QImage shown = canvas.grab().toImage();
        shown.save(qpath(work_ / "canvas.png"));
        RenderSettings bare = canvas.settings();
        bare.overlays.clear();
        const QImage without = render_image(*data_, canvas.view(), bare);
        without.save(qpath(work_ / "canvas-without.png"));

        // The parcel's corners on screen, and a pixel just outside the middle of each edge.
        const auto footprint = canvas.overlay(ScreeningPanel::footprint_overlay);
        QPainterPath outline;
        for (const auto& s : footprint->shapes) {
            if (s.style.stroke == QColor(17, 17, 17)) {
                outline = s.levels.at(0).polygons;
            }
        }
        QVERIFY(outline.elementCount() >= 4);
        std::vector<QPointF> corners;
        for (int i = 0; i < 4; ++i) {
            corners.push_back(canvas.view().to_screen(QPointF(outline.elementAt(i).x, outline.elementAt(i).y)));
        }
        const QPointF centre = (corners[0] + corners[1] + corners[2] + corners[3]) / 4;
        int dark = 0;
        for (int i = 0; i < 4; ++i) {
            const QPointF middle =
                (corners[static_cast<std::size_t>(i)] + corners[static_cast<std::size_t>((i + 1) % 4)]) / 2;
            const QPointF out = middle - centre;
            const QPointF at = middle + out / std::hypot(out.x(), out.y());
            const QPoint pixel(static_cast<int>(std::floor(at.x())), static_cast<int>(std::floor(at.y())));
            const QColor c = shown.pixelColor(pixel);
            const QColor before = without.pixelColor(pixel);
            qInfo("edge %d at (%d, %d): %s, without the overlays %s", i, pixel.x(), pixel.y(), qPrintable(c.name()),
                  qPrintable(before.name()));
            if (c.red() < 80 && c.green() < 80 && c.blue() < 80 && before.lightness() > 120) {
                ++dark;
            }
        }
        QVERIFY2(dark == 4, qPrintable(QString::number(dark)));
        // Inside, the hatch of the red line's verdict: reddish pixels that were not there before.
        const Verdict verdict = panel.run()->footprints.at(0).verdict;
        QCOMPARE(verdict, Verdict::prohibited);
        int hatched = 0;
        for (int dy = -20; dy <= 20; ++dy) {
            for (int dx = -20; dx <= 20; ++dx) {
                const QColor c = shown.pixelColor(centre.toPoint() + QPoint(dx, dy));
                const QColor b = without.pixelColor(centre.toPoint() + QPoint(dx, dy));
                hatched += c.red() > c.green() + 80 && c != b ? 1 : 0;
            }
        }
        QVERIFY2(hatched > 100, qPrintable(QString::number(hatched)));
    }

    void a_second_footprint_uses_the_same_screener() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        QCOMPARE(panel.screeners_opened(), 1);
        // The demo footprints: a parcel, a pipeline through the red line HX210213-002, outfalls.
        QString error;
        QVERIFY2(panel.open_footprint(QString::fromUtf8(demo_footprints), &error), qPrintable(error));
        QCOMPARE(panel.screeners_opened(), 1);
        compare_with_core(panel, core_check(workspace_, QString::fromUtf8(demo_footprints)));
        const auto& fps = panel.run()->footprints;
        QCOMPARE(fps.size(), std::size_t(5));
        QVERIFY(std::any_of(fps[1].hits.begin(), fps[1].hits.end(), [](const Hit& h) {
            return h.kind == "red_line" && h.zone_code == "HX210213-002" && h.inside_length_m.has_value();
        }));
        // The canvas shows all five.
        QVERIFY(canvas.view().plane_rect().contains(canvas.overlay(ScreeningPanel::footprint_overlay)->bounds()));
        render_image(*data_, canvas.view(), canvas.settings()).save(qpath(work_ / "demo-footprints.png"));
        // Detections are listed: how the input was read.
        bool detected = false;
        for (auto* item : all_items(panel.results())) {
            detected = detected || (item->text(0).startsWith(QStringLiteral("识别：")) &&
                                    item->text(1).contains(QStringLiteral("EPSG:4326")));
        }
        QVERIFY(detected);
    }

    void a_version_committed_since_is_screened() {
        const auto workspace = test::build_demo_workspace("screening_versions");
        MapCanvas canvas(*data_);
        ScreeningPanel panel(&canvas, *data_, workspace.string(), test::schemas());
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        auto in_red_line = [&panel]() {
            const auto& hits = panel.run()->footprints.at(0).hits;
            return std::any_of(hits.begin(), hits.end(), [](const Hit& h) { return h.kind == "red_line"; });
        };
        QVERIFY(in_red_line());
        // The red line is retired in a new version, written elsewhere.
        {
            Workspace ws = Workspace::open(workspace);
            std::string zone_id;
            for (const auto& z : data_->zones()) {
                zone_id = z.zone.code == "HX210213-001" ? z.zone.zone_id : zone_id;
            }
            const std::vector<Zone> found = ws.find_zones("red_line", {zone_id});
            QCOMPARE(found.size(), std::size_t(1));
            ZoneWrite write;
            write.retire = {found.front().fid};
            write.author = "test";
            write.note = "retired to test the screening panel";
            write.basis = "test";
            write.base_version = ws.current_version()->id;
            ws.commit_edit(write);
        }
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        QCOMPARE(panel.screeners_opened(), 2);
        QVERIFY(!in_red_line());
        compare_with_core(panel, core_check(workspace, qpath(red_line_txt_)));
    }

    void clicking_a_hit_zooms_to_it() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        canvas.show();
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        panel.resize(500, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.open_footprint(QString::fromUtf8(demo_footprints)));
        panel.grab().save(qpath(work_ / "panel.png"));
        // The pipeline's red line crossing.
        QTreeWidgetItem* pipeline = panel.results()->topLevelItem(1);
        const Hit* red = nullptr;
        for (const auto& h : panel.run()->footprints.at(1).hits) {
            red = h.kind == "red_line" ? &h : red;
        }
        QVERIFY(red != nullptr);
        QTreeWidgetItem* item = hit_item(pipeline, *red);
        QVERIFY(item != nullptr);
        canvas.zoom_to_full_extent();
        panel.results()->scrollToItem(item);
        const QRect rect = panel.results()->visualItemRect(item);
        QVERIFY(!rect.isEmpty());
        QTest::mouseClick(panel.results()->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
        const QRectF target = item->data(0, ScreeningPanel::target_role).toRectF();
        QVERIFY(!target.isNull());
        QVERIFY(canvas.view().plane_rect().contains(target));
        QVERIFY(std::abs(canvas.view().centre.x() - target.center().x()) < 1);
        // The zone is outlined.
        QCOMPARE(item->data(0, ScreeningPanel::zone_role).toLongLong(), red->zone_fid);
        QCOMPARE(canvas.settings().highlighted.size(), std::size_t(1));
        const int zone = canvas.settings().highlighted.front();
        QCOMPARE(data_->zones()[static_cast<std::size_t>(zone)].zone.code, std::string("HX210213-002"));
        // The footprint's own item zooms back to it, outlining nothing.
        QTest::mouseClick(panel.results()->viewport(), Qt::LeftButton, Qt::NoModifier,
                          panel.results()->visualItemRect(pipeline).center());
        QVERIFY(canvas.view().plane_rect().contains(pipeline->data(0, ScreeningPanel::target_role).toRectF()));
        QVERIFY(canvas.settings().highlighted.empty());
    }

    // A new organic-chemicals plant in the port park's key unit: prohibited by a clause of the
    // unit's list; the panel gives the conformity, the deciding clause and every clause.
    void shows_the_conformity_with_the_access_lists() {
        ScreeningPanel panel(nullptr, *data_, workspace_.string(), test::schemas());
        panel.resize(560, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QString error;
        QVERIFY2(panel.open_footprint(QString::fromUtf8(demo_chemical_plant), &error), qPrintable(error));
        const auto& fp = panel.run()->footprints.at(0);
        QCOMPARE(fp.verdict, Verdict::prohibited);
        const Hit* unit = nullptr;
        for (const auto& h : fp.hits) {
            unit = h.access ? &h : unit;
        }
        QVERIFY(unit != nullptr);
        QTreeWidgetItem* item = hit_item(panel.results()->topLevelItem(0), *unit);
        QVERIFY(item != nullptr);
        QTreeWidgetItem* conformity = nullptr;
        for (int i = 0; i < item->childCount(); ++i) {
            if (item->child(i)->text(0).startsWith(QStringLiteral("准入清单相符性分析"))) {
                conformity = item->child(i);
            }
        }
        QVERIFY(conformity != nullptr);
        QVERIFY(conformity->text(0).contains(QStringLiteral("不符合 1")));
        QVERIFY(conformity->isExpanded());
        QCOMPARE(conformity->child(0)->text(0), QStringLiteral("决定条款"));
        QVERIFY(conformity->child(0)->text(1).contains(QStringLiteral("禁止新建、扩建化工、电镀、印染等重污染项目")));
        // Every clause of the unit's own list and of the city's general list, one row each.
        QCOMPARE(conformity->childCount(), 1 + static_cast<int>(unit->access->findings.size()));
        QVERIFY(conformity->child(1)->text(0).startsWith(QStringLiteral("【不符合】")));
        panel.results()->scrollToItem(conformity, QAbstractItemView::PositionAtTop);
        std::filesystem::create_directories(REDLINE_VIEWER_TEST_ARTIFACTS);
        panel.grab().save(QString::fromUtf8(REDLINE_VIEWER_TEST_ARTIFACTS "/screening-conformity.png"));
    }

    void broken_files_are_named_in_plain_words() {
        MapCanvas canvas(*data_);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        struct Case {
            std::string name, content;
        };
        const std::vector<Case> cases = {
            {"broken.geojson", "this is not GeoJSON"},
            {"not_survey.txt", "just some notes\n"},
            // Far from China: a wrong CRS or datum, never screened.
            {"elsewhere.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
                                  R"("geometry":{"type":"Point","coordinates":[10.0,50.0]}}]})"},
            // A feature without a usable geometry.
            {"no_geometry.geojson",
             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A"},)"
             R"("geometry":{"type":"Polygon","coordinates":[[[121.8,39.1],[121.8,39.1]]]}}]})"},
            {"null_geometry.geojson",
             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A"},"geometry":null}]})"},
            {"collapsed.geojson",
             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A"},)"
             R"("geometry":{"type":"Polygon","coordinates":[[[121.8,39.1],[121.81,39.1],[121.8,39.1],[121.8,39.1]]]}}]})"},
            {"missing.kml", ""},
        };
        for (const auto& c : cases) {
            const auto path = work_ / c.name;
            if (!c.content.empty()) {
                write_file(path, c.content);
            }
            QString error;
            QVERIFY2(!panel.open_footprint(qpath(path), &error), c.name.c_str());
            qInfo("%s: %s", c.name.c_str(), qPrintable(error));
            QVERIFY2(error.contains(QString::fromStdString(c.name)), qPrintable(error));
            QVERIFY(panel.error_label()->isVisibleTo(&panel));
            QVERIFY(panel.error_label()->text().contains(error));
            QVERIFY(panel.run() == nullptr);
            QVERIFY(canvas.overlay(ScreeningPanel::footprint_overlay) == nullptr);
            QVERIFY(canvas.overlay(ScreeningPanel::hits_overlay) == nullptr);
            QVERIFY(!panel.report_action()->isEnabled());
        }
        QString error;
        QVERIFY(!panel.open_footprint(QString(), &error));
        QVERIFY(!error.isEmpty());
    }

    void a_footprint_outside_the_workspace_is_not_called_clear() {
        MapCanvas canvas(*data_);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        // Beijing: in China, outside every district and unit of the Dalian workspace.
        const auto path = work_ / "beijing.geojson";
        write_file(path, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B1"},)"
                         R"("geometry":{"type":"Point","coordinates":[116.39,39.91]}}]})");
        QVERIFY(panel.open_footprint(qpath(path)));
        QVERIFY(!panel.complete());
        QVERIFY(panel.verdict_label()->text().startsWith(QStringLiteral("总体结论：未完成核查")));
        QVERIFY(panel.results()->topLevelItem(0)->text(0).startsWith(QStringLiteral("【未核查】")));
        compare_with_core(panel, core_check(workspace_, qpath(path)));
    }

    void writes_the_report_of_what_is_shown() {
        MapCanvas canvas(*data_);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        const auto dir = test::fresh_directory("screening_report");
        QString error;
        QVERIFY(!panel.write_report(qpath(dir / "early.html"), &error));
        QVERIFY2(error.contains(QStringLiteral("尚未核查")), qPrintable(error));
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        const auto html = dir / "report.html";
        QVERIFY2(panel.write_report(qpath(html), &error), qPrintable(error));
        QVERIFY(std::filesystem::exists(html));
        const std::string content = read_file(html);
        const std::string verdict = verdict_label(*panel.overall_verdict(), Language::zh);
        QVERIFY(content.find("总体结论：" + verdict) != std::string::npos);
        QVERIFY(content.find("red_line.txt") != std::string::npos);
        QVERIFY(panel.notice_label()->isVisibleTo(&panel));
        // PDF too; anything else is refused with the reason.
        QVERIFY2(panel.write_report(qpath(dir / "report.pdf"), &error), qPrintable(error));
        QVERIFY(read_file(dir / "report.pdf").rfind("%PDF", 0) == 0);
        QVERIFY(!panel.write_report(qpath(dir / "report.docx"), &error));
        QVERIFY2(error.contains(QStringLiteral("report.docx")), qPrintable(error));
        QVERIFY(panel.run() != nullptr);  // a failed report keeps the result
    }

    void drops_open_the_footprint_file() {
        MapCanvas canvas(*data_);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        // A shapefile comes with its companions: the .shp is taken, the others ignored.
        QMimeData files;
        files.setUrls({QUrl::fromLocalFile(qpath(work_ / "parcel.dbf")), QUrl::fromLocalFile(qpath(red_line_txt_))});
        QVERIFY(ScreeningPanel::accepts(&files));
        QString error;
        QVERIFY2(panel.open_dropped(&files, &error), qPrintable(error));
        QCOMPARE(panel.footprint_path(), qpath(red_line_txt_));

        QMimeData picture;
        picture.setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/map.png"))});
        QVERIFY(!ScreeningPanel::accepts(&picture));
        QVERIFY(!panel.open_dropped(&picture, &error));
        QVERIFY2(error.contains(QStringLiteral(".geojson")), qPrintable(error));
        QMimeData words;
        words.setText(QStringLiteral("121.8,39.1"));
        QVERIFY(!ScreeningPanel::accepts(&words));
        QMimeData remote;
        remote.setUrls({QUrl(QStringLiteral("https://example.com/site.geojson"))});
        QVERIFY(!ScreeningPanel::accepts(&remote));

        // Dropped on the panel itself.
        QMimeData demo;
        demo.setUrls({QUrl::fromLocalFile(QString::fromUtf8(demo_footprints))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &demo, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &demo, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &drop);
        QVERIFY(drop.isAccepted());
        QTRY_COMPARE(panel.footprint_path(), QString::fromUtf8(demo_footprints));
        QCOMPARE(panel.run()->footprints.size(), std::size_t(5));
    }

    void english_interface() {
        set_language(Language::en);
        MapCanvas canvas(*data_);
        ScreeningPanel panel(&canvas, *data_, workspace_.string(), test::schemas());
        QCOMPARE(panel.open_action()->text(), QStringLiteral("Open footprint…"));
        QVERIFY(panel.open_footprint(qpath(red_line_txt_)));
        QVERIFY(panel.verdict_label()->text().startsWith(QStringLiteral("Overall verdict: ")));
        QVERIFY(panel.results()->topLevelItem(0)->text(0).startsWith(QStringLiteral("[prohibited] Footprint 1")));
        compare_with_core(panel, core_check(workspace_, qpath(red_line_txt_)));
        QString error;
        QVERIFY(!panel.open_footprint(qpath(work_ / "nowhere.geojson"), &error));
        QVERIFY2(error.contains(QStringLiteral("nowhere.geojson")) && !error.contains(QStringLiteral("无法")),
                 qPrintable(error));
        set_language(Language::zh);
    }
};

QTEST_MAIN(ScreeningTest)
#include "test_screening.moc"
