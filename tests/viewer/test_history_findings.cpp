// The history and findings panels over the demo workspace with two edits committed (the
// 大黑山 red line moved east, a management unit laid over another): the versions listed
// with author and basis, comparisons measured as core's diff_zones measures them, the
// areas lost hatched on the canvas, and validation findings stepped through on the map.
#include "findings_panel.hpp"
#include "history_panel.hpp"
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "shapes.hpp"
#include "text.hpp"
#include "viewer_test_support.hpp"

#include "redline/editing/edit_session.hpp"
#include "redline/quality/quality.hpp"
#include "redline/store/workspace.hpp"

#include <QApplication>
#include <QHBoxLayout>
#include <QSignalSpy>
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

using namespace redline;
using namespace redline::viewer;

namespace {

const std::string moved_red_line = "HX210213-002";  // 大黑山, about 121.699-121.723 E, 39.045-39.073 N
const std::string added_unit = "ZH21021310099/priority";

std::string box(double x0, double y0, double x1, double y1) {
    const auto p = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
    return "POLYGON((" + p(x0, y0) + "," + p(x1, y0) + "," + p(x1, y1) + "," + p(x0, y1) + "," + p(x0, y0) + "))";
}

bool near(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

void select_versions(HistoryPanel& panel, const std::vector<std::int64_t>& versions) {
    QTreeWidget* list = panel.versions();
    list->clearSelection();
    for (int row = 0; row < list->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = list->topLevelItem(row);
        const auto id = item->data(0, HistoryPanel::version_role).toLongLong();
        item->setSelected(std::find(versions.begin(), versions.end(), id) != versions.end());
    }
}

// Clicks a button and waits for the panel's job; false when it failed or never finished.
template <class Panel>
bool click_and_wait(Panel& panel, QPushButton* button) {
    QSignalSpy done(&panel, &Panel::job_finished);
    QTest::mouseClick(button, Qt::LeftButton);
    return done.wait(120'000) && done.first().first().toBool();
}

QTreeWidgetItem* change_row(const HistoryPanel& panel, const std::string& zone_id) {
    QTreeWidget* changes = panel.changes();
    for (int row = 0; row < changes->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = changes->topLevelItem(row);
        const int index = item->data(0, HistoryPanel::change_role).toInt();
        if (panel.report()->changes[static_cast<std::size_t>(index)].zone_id == zone_id) {
            return item;
        }
    }
    return nullptr;
}

QRectF overlay_bounds(const std::shared_ptr<const Overlay>& overlay) {
    return overlay ? overlay->bounds() : QRectF();
}

bool inside(const std::shared_ptr<const Overlay>& overlay, const QPointF& plane) {
    if (!overlay) {
        return false;
    }
    return std::any_of(overlay->shapes.begin(), overlay->shapes.end(), [&](const OverlayShape& s) {
        return s.has_polygons() && polygon_contains(s.levels[0].polygons, plane);
    });
}

// Pixels of `image` around `at` (17×17) within 30 of `colour` in every channel.
int pixels_like(const QImage& image, const QPoint& at, const QColor& colour) {
    int n = 0;
    for (int y = at.y() - 8; y <= at.y() + 8; ++y) {
        for (int x = at.x() - 8; x <= at.x() + 8; ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - colour.red()) <= 30 && std::abs(c.green() - colour.green()) <= 30 &&
                         std::abs(c.blue() - colour.blue()) <= 30
                     ? 1
                     : 0;
        }
    }
    return n;
}

QImage grab(MapCanvas& canvas) {
    canvas.render_if_needed();
    return canvas.grab().toImage().convertToFormat(QImage::Format_ARGB32);
}

}  // namespace

class HistoryFindingsTest : public QObject {
    Q_OBJECT

private:
    std::filesystem::path path_;
    QString pictures_;  // the canvas as the tests saw it, to look at
    std::int64_t base_ = 0, moved_ = 0, added_ = 0;
    std::unique_ptr<Workspace> workspace_;
    std::unique_ptr<MapData> data_;

private slots:
    void initTestCase() {
        add_viewer_messages();
        set_language(Language::zh);
        path_ = test::build_demo_workspace("history_findings");
        pictures_ = QString::fromStdString(test::fresh_directory("history_findings_pictures").string()) + "/";
        {
            // The red line moved east: it gains ground east of its old edge and gives up its west.
            Workspace ws = Workspace::open(path_);
            base_ = ws.current_version()->id;
            EditSession session(ws, test::schemas());
            ZoneEdit move;
            move.op = EditOp::replace;
            move.kind = "red_line";
            move.zone_id = moved_red_line;
            move.geometry = geometry_from_wkt(box(121.71, 39.05, 121.735, 39.065));
            session.apply(move);
            moved_ = session.commit("张三", "大黑山红线东移", "辽政函〔2026〕12号").id;
        }
        {
            // A management unit laid inside the general unit: an overlap of about 1 km².
            Workspace ws = Workspace::open(path_);
            EditSession session(ws, test::schemas());
            ZoneEdit unit;
            unit.op = EditOp::add;
            unit.kind = "control_unit";
            unit.code = "ZH21021310099";
            unit.subzone = "priority";
            unit.name = "测试重叠单元";
            unit.geometry = geometry_from_wkt(box(121.80, 39.10, 121.81, 39.11));
            session.apply(unit);
            added_ = session.commit("李四", "新增单元", "").id;
        }
        QCOMPARE(moved_, base_ + 1);
        QCOMPARE(added_, base_ + 2);
        workspace_ = std::make_unique<Workspace>(Workspace::open_read_only(path_));
        data_ = std::make_unique<MapData>(MapData::load(*workspace_, test::schemas()));
    }

    void history_lists_versions_newest_first_with_author_and_basis() {
        MapCanvas canvas(*data_);
        HistoryPanel panel(*workspace_, test::schemas(), *data_, &canvas);
        QTreeWidget* list = panel.versions();
        QCOMPARE(list->topLevelItemCount(), static_cast<int>(added_));
        for (int row = 0; row < list->topLevelItemCount(); ++row) {
            QCOMPARE(list->topLevelItem(row)->data(0, HistoryPanel::version_role).toLongLong(), added_ - row);
        }
        QTreeWidgetItem* newest = list->topLevelItem(0);
        QVERIFY(newest->text(HistoryPanel::version_id).contains(QStringLiteral("当前")));
        QCOMPARE(newest->text(HistoryPanel::version_author), QStringLiteral("李四"));
        QCOMPARE(newest->text(HistoryPanel::version_kind), QStringLiteral("环境管控单元"));
        QTreeWidgetItem* moved = list->topLevelItem(1);
        QCOMPARE(moved->text(HistoryPanel::version_operation), QStringLiteral("编辑"));
        QCOMPARE(moved->text(HistoryPanel::version_kind), QStringLiteral("生态保护红线"));
        QCOMPARE(moved->text(HistoryPanel::version_author), QStringLiteral("张三"));
        QCOMPARE(moved->text(HistoryPanel::version_note), QStringLiteral("大黑山红线东移"));
        QCOMPARE(moved->text(HistoryPanel::version_basis), QStringLiteral("辽政函〔2026〕12号"));
        QVERIFY(moved->toolTip(HistoryPanel::version_id).contains(QStringLiteral("基于版本 %1").arg(base_)));
        QTreeWidgetItem* first = list->topLevelItem(list->topLevelItemCount() - 1);
        QCOMPARE(first->text(HistoryPanel::version_operation), QStringLiteral("导入"));
        QVERIFY(first->text(HistoryPanel::version_author).isEmpty());
        // The buttons follow the selection: show one, compare one or two.
        select_versions(panel, {});
        QVERIFY(!panel.show_button()->isEnabled() && !panel.compare_button()->isEnabled());
        select_versions(panel, {base_});
        QVERIFY(panel.show_button()->isEnabled() && panel.compare_button()->isEnabled());
        select_versions(panel, {base_, moved_});
        QVERIFY(!panel.show_button()->isEnabled() && panel.compare_button()->isEnabled());
        select_versions(panel, {1, base_, moved_});
        QVERIFY(!panel.compare_button()->isEnabled());
    }

    void comparing_two_versions_measures_as_core_diff() {
        MapCanvas canvas(*data_);
        HistoryPanel panel(*workspace_, test::schemas(), *data_, &canvas);
        select_versions(panel, {moved_, base_});
        QVERIFY(click_and_wait(panel, panel.compare_button()));

        const DiffReport expected =
            diff_zones(workspace_->load_zones_at(base_), workspace_->load_zones_at(moved_), DiffOptions{});
        QCOMPARE(expected.changes.size(), std::size_t(1));
        QCOMPARE(panel.changes()->topLevelItemCount(), static_cast<int>(expected.changes.size()));
        for (const ZoneChange& c : expected.changes) {
            QTreeWidgetItem* row = change_row(panel, c.zone_id);
            QVERIFY(row != nullptr);
            QVERIFY(near(row->data(HistoryPanel::change_gained, HistoryPanel::value_role).toDouble(), c.gained_m2));
            QVERIFY(near(row->data(HistoryPanel::change_lost, HistoryPanel::value_role).toDouble(), c.lost_m2));
            QCOMPARE(row->text(HistoryPanel::change_gained), grouped(c.gained_m2, 2));
            QCOMPARE(row->text(HistoryPanel::change_lost), grouped(c.lost_m2, 2));
            QCOMPARE(row->text(HistoryPanel::change_type), QStringLiteral("修改"));
            QVERIFY(row->text(HistoryPanel::change_fields).contains(QStringLiteral("边界")));
        }
        const ZoneChange& moved = expected.changes.front();
        QVERIFY(moved.gained_m2 > 10'000 && moved.lost_m2 > 10'000);  // the test moves it far enough

        // The red lines' balance, with the coverage they lost.
        const KindBalance& b = expected.kinds.at("red_line");
        QVERIFY(b.coverage_lost_m2 > 10'000);
        QTreeWidgetItem* kind = nullptr;
        for (int row = 0; row < panel.balance()->topLevelItemCount(); ++row) {
            if (panel.balance()->topLevelItem(row)->text(HistoryPanel::balance_kind) ==
                QStringLiteral("生态保护红线")) {
                kind = panel.balance()->topLevelItem(row);
            }
        }
        QVERIFY(kind != nullptr);
        QCOMPARE(kind->text(HistoryPanel::balance_zones), QStringLiteral("%1 → %2").arg(b.before).arg(b.after));
        QVERIFY(near(kind->data(HistoryPanel::balance_gained, HistoryPanel::value_role).toDouble(), b.gained_m2));
        QVERIFY(near(kind->data(HistoryPanel::balance_lost, HistoryPanel::value_role).toDouble(), b.lost_m2));
        QVERIFY(near(kind->data(HistoryPanel::balance_coverage_lost, HistoryPanel::value_role).toDouble(),
                     b.coverage_lost_m2));
        QCOMPARE(kind->childCount(), static_cast<int>(expected.lost.size()));
        // Who moved it and on what basis.
        bool basis_shown = false;
        for (const QLabel* label : panel.findChildren<QLabel*>()) {
            basis_shown = basis_shown || (label->text().contains(QStringLiteral("辽政函〔2026〕12号")) &&
                                          label->text().contains(QStringLiteral("张三")));
        }
        QVERIFY(basis_shown);

        // The overlays: gained, lost and the coverage lost.
        QVERIFY(canvas.overlay(HistoryPanel::gained_overlay) != nullptr);
        QVERIFY(canvas.overlay(HistoryPanel::lost_overlay) != nullptr);
        QVERIFY(canvas.overlay(HistoryPanel::coverage_lost_overlay) != nullptr);
        QVERIFY(canvas.overlay(HistoryPanel::version_overlay) == nullptr);
    }

    void lost_area_is_hatched_on_the_canvas() {
        QWidget window;
        auto* layout = new QHBoxLayout(&window);
        auto* canvas = new MapCanvas(*data_);
        canvas->setMinimumSize(800, 600);
        auto* panel = new HistoryPanel(*workspace_, test::schemas(), *data_, canvas);
        layout->addWidget(panel);
        layout->addWidget(canvas, 1);
        window.resize(1300, 650);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        select_versions(*panel, {base_, moved_});
        QVERIFY(click_and_wait(*panel, panel->compare_button()));

        // A click on the change zooms to its areas and outlines the zone.
        QTreeWidgetItem* row = change_row(*panel, moved_red_line);
        QVERIFY(row != nullptr);
        QTreeWidget* changes = panel->changes();
        QTest::mouseClick(changes->viewport(), Qt::LeftButton, Qt::NoModifier,
                          QPoint(20, changes->visualItemRect(row).center().y()));
        const auto lost = canvas->overlay(HistoryPanel::lost_overlay);
        const auto gained = canvas->overlay(HistoryPanel::gained_overlay);
        const QRectF changed = overlay_bounds(lost) | overlay_bounds(gained);
        const MapView view = canvas->view();
        QVERIFY(view.plane_rect().contains(changed));
        QVERIFY(view.plane_rect().width() < 3 * changed.width());
        QCOMPARE(canvas->settings().highlighted, data_->find_zone("red_line:" + moved_red_line));

        const QImage shown = grab(*canvas);
        shown.save(pictures_ + "compare.png");
        window.grab().save(pictures_ + "compare_window.png");
        // A pixel well inside the lost area (10 pixels every way), not in the gained one.
        std::optional<QPoint> at;
        for (int y = 20; y < canvas->height() - 60 && !at; y += 3) {
            for (int x = 20; x < canvas->width() - 20 && !at; x += 3) {
                bool all = true;
                for (const QPoint d : {QPoint(0, 0), QPoint(10, 0), QPoint(-10, 0), QPoint(0, 10), QPoint(0, -10)}) {
                    const QPointF plane = view.to_plane(QPointF(x + d.x() + 0.5, y + d.y() + 0.5));
                    all = all && inside(lost, plane) && !inside(gained, plane);
                }
                if (all) {
                    at = QPoint(x, y);
                }
            }
        }
        QVERIFY(at.has_value());
        const QColor hatch = HistoryPanel::lost_style().fill;
        const int hatched = pixels_like(shown, *at, hatch);
        QVERIFY2(hatched >= 8, qPrintable(QStringLiteral("%1 hatch pixels").arg(hatched)));

        // Cleared: the overlays are gone, and the hatch with them.
        QTest::mouseClick(panel->clear_button(), Qt::LeftButton);
        QVERIFY(canvas->overlay(HistoryPanel::lost_overlay) == nullptr);
        QVERIFY(canvas->overlay(HistoryPanel::gained_overlay) == nullptr);
        QVERIFY(canvas->overlay(HistoryPanel::coverage_lost_overlay) == nullptr);
        QVERIFY(canvas->settings().highlighted.empty());
        QCOMPARE(panel->changes()->topLevelItemCount(), 0);
        QCOMPARE(pixels_like(grab(*canvas), *at, hatch), 0);
    }

    void a_version_is_shown_dashed_in_its_kinds_colours() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        HistoryPanel panel(*workspace_, test::schemas(), *data_, &canvas);
        select_versions(panel, {base_});
        QVERIFY(click_and_wait(panel, panel.show_button()));
        const auto overlay = canvas.overlay(HistoryPanel::version_overlay);
        QVERIFY(overlay != nullptr);
        const std::size_t zones = workspace_->load_zones_at(base_).size();
        QCOMPARE(overlay->shapes.size(), 2 * zones);              // a white casing and a dashed outline each
        const QColor red = QColor(0xB3, 0x0D, 0x0D).darker(115);  // layers/red_line/style.toml's stroke
        std::size_t dashed = 0, red_dashes = 0;
        for (const auto& s : overlay->shapes) {
            dashed += s.style.dash == Qt::DashLine ? 1 : 0;
            red_dashes += s.style.dash == Qt::DashLine && s.style.stroke == red ? 1 : 0;
        }
        QCOMPARE(dashed, zones);
        QCOMPARE(red_dashes, std::size_t(3));
        QVERIFY(panel.status()->text().contains(QString::number(zones)));

        canvas.zoom_to_full_extent();
        grab(canvas).save(pictures_ + "version_full.png");
        // On the map: the old red line's outline where the current one no longer runs.
        canvas.zoom_to_zones(data_->find_zone("red_line:" + moved_red_line));
        const QImage with = grab(canvas);
        with.save(pictures_ + "version.png");
        canvas.set_overlay(QString::fromUtf8(HistoryPanel::version_overlay), nullptr);
        const QImage without = grab(canvas);
        int red_pixels_with = 0, red_pixels_without = 0;
        for (int y = 0; y < with.height(); ++y) {
            for (int x = 0; x < with.width(); ++x) {
                const QColor a = with.pixelColor(x, y), b = without.pixelColor(x, y);
                const auto like = [&](const QColor& c) {
                    return std::abs(c.red() - red.red()) <= 20 && std::abs(c.green() - red.green()) <= 20 &&
                           std::abs(c.blue() - red.blue()) <= 20;
                };
                red_pixels_with += like(a) ? 1 : 0;
                red_pixels_without += like(b) ? 1 : 0;
            }
        }
        QVERIFY2(red_pixels_with > red_pixels_without + 100,
                 qPrintable(QStringLiteral("%1 against %2").arg(red_pixels_with).arg(red_pixels_without)));
    }

    void one_version_is_compared_with_the_current_zones() {
        MapCanvas canvas(*data_);
        HistoryPanel panel(*workspace_, test::schemas(), *data_, &canvas);
        select_versions(panel, {base_});
        QVERIFY(click_and_wait(panel, panel.compare_button()));
        const DiffReport expected =
            diff_zones(workspace_->load_zones_at(base_), workspace_->load_zones(), DiffOptions{});
        QCOMPARE(panel.report()->changes.size(), expected.changes.size());
        QCOMPARE(panel.changes()->topLevelItemCount(), static_cast<int>(expected.changes.size()));
        QTreeWidgetItem* unit = change_row(panel, added_unit);
        QVERIFY(unit != nullptr);
        QCOMPARE(unit->text(HistoryPanel::change_type), QStringLiteral("新增"));
        QVERIFY(unit->text(HistoryPanel::change_zone).contains(QStringLiteral("测试重叠单元")));
        for (const ZoneChange& c : expected.changes) {
            QTreeWidgetItem* row = change_row(panel, c.zone_id);
            QVERIFY(row != nullptr);
            QVERIFY(near(row->data(HistoryPanel::change_gained, HistoryPanel::value_role).toDouble(), c.gained_m2));
            QVERIFY(near(row->data(HistoryPanel::change_lost, HistoryPanel::value_role).toDouble(), c.lost_m2));
        }
        // Both versions in between, each with its author.
        QCOMPARE(panel.report()->versions.size(), std::size_t(2));
        QCOMPARE(panel.report()->versions.back().author, std::string("李四"));
        QVERIFY(panel.report()->after_label.find(std::to_string(added_)) != std::string::npos);
    }

    void findings_list_the_overlap_and_stepping_zooms_to_it() {
        QWidget window;
        auto* layout = new QHBoxLayout(&window);
        auto* canvas = new MapCanvas(*data_);
        canvas->setMinimumSize(800, 600);
        auto* panel = new FindingsPanel(*workspace_, test::schemas(), *data_, canvas);
        layout->addWidget(panel);
        layout->addWidget(canvas, 1);
        window.resize(1400, 650);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(!panel->next_button()->isEnabled());
        QVERIFY(click_and_wait(*panel, panel->validate_button()));

        const ValidationReport expected = validate_workspace(*workspace_, test::schemas(), ValidateOptions{});
        QTreeWidget* list = panel->list();
        QCOMPARE(list->topLevelItemCount(), static_cast<int>(expected.findings.size()));
        int overlap = -1;
        for (std::size_t i = 0; i < expected.findings.size(); ++i) {
            const Finding& f = expected.findings[i];
            if (f.check == Check::overlap &&
                std::find(f.zone_ids.begin(), f.zone_ids.end(), added_unit) != f.zone_ids.end()) {
                overlap = static_cast<int>(i);
            }
        }
        QVERIFY(overlap >= 0);
        const Finding& f = expected.findings[static_cast<std::size_t>(overlap)];
        QVERIFY(f.area_m2 && *f.area_m2 > 500'000);  // the unit's square: about 0.96 km²
        QTreeWidgetItem* row = list->topLevelItem(overlap);
        QCOMPARE(row->data(0, FindingsPanel::finding_role).toInt(), overlap);
        QCOMPARE(row->text(FindingsPanel::column_check), QStringLiteral("重叠"));
        QCOMPARE(row->text(FindingsPanel::column_severity), QStringLiteral("错误"));
        QCOMPARE(row->text(FindingsPanel::column_kind), QStringLiteral("环境管控单元"));
        QVERIFY(row->text(FindingsPanel::column_zones).contains(QString::fromStdString(added_unit)));
        QVERIFY(near(row->data(FindingsPanel::column_area, FindingsPanel::value_role).toDouble(), *f.area_m2));
        QCOMPARE(row->text(FindingsPanel::column_message), text(f.message));
        const auto overlay = canvas->overlay(FindingsPanel::overlay_name);
        QVERIFY(overlay != nullptr);
        QCOMPARE(overlay->shapes.size(), expected.findings.size());

        canvas->zoom_to_full_extent();
        grab(*canvas).save(pictures_ + "findings_full.png");
        // Next from none: the first finding, zoomed to.
        const QRectF full = data_->full_extent();
        auto bounds_of = [&](int index) {
            OverlayShape s = overlay_shape(*data_, expected.findings[static_cast<std::size_t>(index)].geometry, {});
            const auto& loc = expected.findings[static_cast<std::size_t>(index)].location;
            if (loc) {
                s.points.push_back(data_->to_plane(loc->first, loc->second));
            }
            return s.bounds();
        };
        QTest::mouseClick(panel->next_button(), Qt::LeftButton);
        QCOMPARE(panel->current(), 0);
        QVERIFY(canvas->view().plane_rect().contains(bounds_of(0)));
        QVERIFY(canvas->overlay(FindingsPanel::current_overlay_name) != nullptr);
        // F8 steps on (the keys work wherever the focus is in the window) to the overlap.
        canvas->setFocus();
        for (int k = 0; k < list->topLevelItemCount() && panel->current() != overlap; ++k) {
            const int before = panel->current();
            QTest::keyClick(canvas, Qt::Key_F8);
            QCOMPARE(panel->current(), (before + 1) % list->topLevelItemCount());
            QVERIFY(canvas->view().plane_rect().contains(bounds_of(panel->current())));
        }
        QCOMPARE(panel->current(), overlap);
        QCOMPARE(list->currentItem(), row);
        const QRectF place = bounds_of(overlap);
        QVERIFY(canvas->view().plane_rect().contains(place));
        QVERIFY(canvas->view().plane_rect().width() < 3 * std::max(place.width(), place.height()) + 1000);
        QVERIFY(canvas->view().plane_rect().width() < full.width() / 10);
        std::vector<int> zones;
        for (const auto& id : f.zone_ids) {
            for (int z : data_->find_zone("control_unit:" + id)) {
                zones.push_back(z);
            }
        }
        QCOMPARE(zones.size(), std::size_t(2));
        auto highlighted = canvas->settings().highlighted;
        std::sort(highlighted.begin(), highlighted.end());
        std::sort(zones.begin(), zones.end());
        QCOMPARE(highlighted, zones);
        grab(*canvas).save(pictures_ + "findings.png");
        window.grab().save(pictures_ + "findings_window.png");
        // The overlap drawn in the error colour where the unit lies (away from the labels).
        const QPointF quarter = place.center() + QPointF(place.width() / 4, -place.height() / 4);
        const QColor c = grab(*canvas).pixelColor(canvas->view().to_screen(quarter).toPoint());
        QVERIFY2(c.red() > c.green() + 40 && c.red() > c.blue() + 40, qPrintable(c.name()));

        // Shift+F8 steps back.
        QTest::keyClick(canvas, Qt::Key_F8, Qt::ShiftModifier);
        QCOMPARE(panel->current(), overlap == 0 ? list->topLevelItemCount() - 1 : overlap - 1);

        // The filter: only overlaps listed, drawn and stepped through.
        const int overlaps =
            static_cast<int>(std::count_if(expected.findings.begin(), expected.findings.end(),
                                           [](const Finding& x) { return x.check == Check::overlap; }));
        const int entry = panel->filter()->findData(static_cast<int>(Check::overlap), FindingsPanel::check_role);
        QVERIFY(entry > 0);
        panel->filter()->setCurrentIndex(entry);
        int visible = 0;
        for (int r = 0; r < list->topLevelItemCount(); ++r) {
            visible += list->topLevelItem(r)->isHidden() ? 0 : 1;
        }
        QCOMPARE(visible, overlaps);
        QCOMPARE(canvas->overlay(FindingsPanel::overlay_name)->shapes.size(), static_cast<std::size_t>(overlaps));
        for (int k = 0; k < 2 * overlaps; ++k) {
            QTest::mouseClick(panel->next_button(), Qt::LeftButton);
            QCOMPARE(expected.findings[static_cast<std::size_t>(panel->current())].check, Check::overlap);
        }
        // A click on a row goes to it.
        panel->filter()->setCurrentIndex(0);
        list->scrollToItem(row);
        QCoreApplication::processEvents();  // the rows shown again are laid out
        QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier,
                          QPoint(20, list->visualItemRect(row).center().y()));
        QCOMPARE(panel->current(), overlap);

        QTest::mouseClick(panel->clear_button(), Qt::LeftButton);
        QVERIFY(canvas->overlay(FindingsPanel::overlay_name) == nullptr);
        QVERIFY(canvas->overlay(FindingsPanel::current_overlay_name) == nullptr);
        QCOMPARE(list->topLevelItemCount(), 0);
    }

    void panels_speak_english() {
        set_language(Language::en);
        MapCanvas canvas(*data_);
        HistoryPanel history(*workspace_, test::schemas(), *data_, &canvas);
        QCOMPARE(history.versions()->headerItem()->text(HistoryPanel::version_basis), QStringLiteral("Basis"));
        QCOMPARE(history.versions()->topLevelItem(1)->text(HistoryPanel::version_operation), QStringLiteral("edit"));
        QCOMPARE(history.versions()->topLevelItem(1)->text(HistoryPanel::version_kind),
                 QString::fromStdString(test::schemas().kind("red_line").name_en));
        FindingsPanel findings(*workspace_, test::schemas(), *data_, &canvas);
        QVERIFY(click_and_wait(findings, findings.validate_button()));
        bool overlap = false;
        for (int r = 0; r < findings.list()->topLevelItemCount(); ++r) {
            overlap = overlap ||
                      findings.list()->topLevelItem(r)->text(FindingsPanel::column_check) == QStringLiteral("overlap");
        }
        QVERIFY(overlap);
        QVERIFY(findings.status()->text().contains(QStringLiteral("findings")));
        set_language(Language::zh);
    }

    void a_panel_closed_while_working_stops_its_worker() {
        MapCanvas canvas(*data_);
        {
            FindingsPanel panel(*workspace_, test::schemas(), *data_, &canvas);
            panel.validate();
            QVERIFY(panel.busy());
        }
        {
            HistoryPanel panel(*workspace_, test::schemas(), *data_, &canvas);
            panel.compare(1, std::nullopt);
            QVERIFY(panel.busy());
        }
        // Nothing was left for the event loop of the panels gone, and the cursor is back.
        QTest::qWait(50);
        QVERIFY(QApplication::overrideCursor() == nullptr);
    }

    // Last: it commits a version the tests above do not expect.
    void reload_lists_a_version_committed_since() {
        MapCanvas canvas(*data_);
        HistoryPanel panel(*workspace_, test::schemas(), *data_, &canvas);
        QCOMPARE(panel.versions()->topLevelItemCount(), static_cast<int>(added_));
        std::int64_t renamed = 0;
        {
            Workspace ws = Workspace::open(path_);
            EditSession session(ws, test::schemas());
            ZoneEdit rename;
            rename.op = EditOp::fields;
            rename.kind = "red_line";
            rename.zone_id = moved_red_line;
            rename.name = "大黑山红线（新名）";
            session.apply(rename);
            renamed = session.commit("王五", "改名", "").id;
        }
        panel.reload();
        QCOMPARE(panel.versions()->topLevelItemCount(), static_cast<int>(renamed));
        QCOMPARE(panel.versions()->topLevelItem(0)->text(HistoryPanel::version_author), QStringLiteral("王五"));
        // The rename compared: no area, one field.
        panel.compare(added_, renamed);
        QSignalSpy done(&panel, &HistoryPanel::job_finished);
        QVERIFY(done.wait(120'000));
        QTreeWidgetItem* row = change_row(panel, moved_red_line);
        QVERIFY(row != nullptr);
        QCOMPARE(row->data(HistoryPanel::change_gained, HistoryPanel::value_role).toDouble(), 0.0);
        QVERIFY2(row->text(HistoryPanel::change_fields).contains(QStringLiteral("大黑山红线（新名）")),
                 qPrintable(row->text(HistoryPanel::change_fields)));
        QVERIFY(!row->text(HistoryPanel::change_fields).contains(QStringLiteral("边界")));
    }
};

QTEST_MAIN(HistoryFindingsTest)
#include "test_history_findings.moc"
