// Editing in the viewer, off screen: every tool driven by synthesized mouse and key events
// on the canvas, then the session and the saved workspace checked against core's own
// measures; snapping, topological moves, avoiding overlaps, undo and redo, the basis asked
// for when red-line ground is given up, a conflict taken onto the new base, crash recovery.
#include "edit_controller.hpp"
#include "edit_panels.hpp"
#include "edit_tools.hpp"
#include "findings_panel.hpp"
#include "history_panel.hpp"
#include "main_window.hpp"
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "screening_panel.hpp"
#include "text.hpp"
#include "viewer_test_support.hpp"

#include "redline/editing/edit_session.hpp"
#include "redline/editing/geometry_edits.hpp"
#include "redline/store/workspace.hpp"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QUrl>
#include <QtTest/QtTest>

#include <memory>
#include <optional>

using namespace redline;
using namespace redline::viewer;

namespace {

// The 大黑山 red line of the demo.
const std::string red_line = "HX210213-002";

std::string box_wkt(double x0, double y0, double x1, double y1) {
    const auto p = [](double x, double y) {
        return QString::number(x, 'f', 6).toStdString() + " " + QString::number(y, 'f', 6).toStdString();
    };
    return "POLYGON((" + p(x0, y0) + "," + p(x1, y0) + "," + p(x1, y1) + "," + p(x0, y1) + "," + p(x0, y0) + "))";
}

// Two control units sharing the edge x = 121.62 (and its corners), south of the demo's
// units, committed as a version.
void add_two_units(const std::filesystem::path& path) {
    Workspace ws = Workspace::open(path);
    EditSession session(ws, test::schemas());
    int n = 0;
    for (const auto& wkt : {box_wkt(121.60, 39.00, 121.62, 39.02), box_wkt(121.62, 39.00, 121.64, 39.02)}) {
        ZoneEdit add;
        add.op = EditOp::add;
        add.kind = "control_unit";
        add.code = "ZH2102133010" + std::to_string(++n);
        add.subzone = "general";
        add.name = "测试单元" + std::to_string(n);
        add.geometry = geometry_from_wkt(wkt);
        session.apply(add);
    }
    session.commit("测试", "two units", "");
}

// A window editing a workspace, as the viewer makes it (the workspace open for writing).
struct Editing {
    std::filesystem::path path;
    std::optional<Workspace> workspace;
    std::unique_ptr<MapData> data;
    std::unique_ptr<MainWindow> window;
    std::vector<ZoneEdit> prompted;  // what the attribute form was asked to fill

    explicit Editing(const std::filesystem::path& workspace_path, const std::string& kind = {}) : path(workspace_path) {
        workspace.emplace(Workspace::open(path));
        data = std::make_unique<MapData>(MapData::load(*workspace, test::schemas()));
        window = std::make_unique<MainWindow>(*data, QStringLiteral("test"));
        window->enable_editing(*workspace, test::schemas(), default_journal_path(path), false);
        window->resize(1200, 800);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        if (!kind.empty()) {
            choose_kind(kind);
        }
    }
    ~Editing() {
        window.reset();  // before the map and the workspace it edits
    }

    void choose_kind(const std::string& kind) {
        QComboBox* picker = window->kind_picker();
        picker->setCurrentIndex(picker->findData(QString::fromStdString(kind)));
        QCOMPARE(editor().kind(), kind);
    }
    EditController& editor() { return *window->editor(); }
    MapCanvas& canvas() { return *window->canvas(); }
    QPoint screen(const LonLat& p) { return canvas().view().to_screen(editor().to_plane(p)).toPoint(); }
    void zoom_to(const std::string& kind, const std::string& id) {
        canvas().zoom_to_zones(data->find_zone(kind + ":" + id));
        canvas().render_if_needed();
    }
    void zoom_to_box(double x0, double y0, double x1, double y1) {
        canvas().zoom_to_rect(data->plane_rect({x0, y0, x1, y1}));
        canvas().render_if_needed();
    }
    void click(const QPoint& at, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
        QTest::mouseClick(&canvas(), Qt::LeftButton, modifiers, at);
    }
    void drag(const QPoint& from, const QPoint& to) {
        QTest::mousePress(&canvas(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(&canvas(), (from + to) / 2);
        QTest::mouseMove(&canvas(), to);
        QTest::mouseRelease(&canvas(), Qt::LeftButton, Qt::NoModifier, to);
    }
    // Clicks each point and finishes with Enter.
    void draw(const std::vector<QPoint>& points) {
        for (const auto& p : points) {
            QTest::mouseMove(&canvas(), p);
            click(p);
        }
        QTest::keyClick(&canvas(), Qt::Key_Return);
    }
    // The attribute form answers with these fields.
    void answer_fields(const std::string& code, const std::string& subzone = {}, const std::string& name = {}) {
        window->fields_prompt = [this, code, subzone, name](const ZoneEdit& prefilled) {
            prompted.push_back(prefilled);
            ZoneEdit e = prefilled;
            e.code = code;
            if (!subzone.empty()) {
                e.subzone = subzone;
            }
            if (!name.empty()) {
                e.name = name;
            }
            return std::optional<ZoneEdit>(e);
        };
    }
    Zone zone(const std::string& id) {
        auto z = editor().zone(id);
        if (!z) {
            QTest::qFail(("no zone " + id).c_str(), __FILE__, __LINE__);
            return {};
        }
        return *z;
    }
    LonLat to_lonlat(const QPoint& screen_point) {
        return editor().to_lonlat(canvas().view().to_plane(QPointF(screen_point)));
    }
};

std::vector<LonLat> exterior(const Zone& z) {
    const GeometryParts parts = geometry_parts(z.geometry);
    return parts.polygons.empty() ? std::vector<LonLat>{} : parts.polygons.front().front();
}

bool has_vertex(const Zone& z, const LonLat& p) {
    const GeometryParts parts = geometry_parts(z.geometry);
    for (const auto& polygon : parts.polygons) {
        for (const auto& ring : polygon) {
            if (std::find(ring.begin(), ring.end(), p) != ring.end()) {
                return true;
            }
        }
    }
    return false;
}

QPoint inside(Editing& e, const std::string& kind, const std::string& id) {
    const auto found = e.data->find_zone(kind + ":" + id);
    if (found.empty() || !e.data->zones()[static_cast<std::size_t>(found.front())].anchor) {
        return {};
    }
    return e.canvas().view().to_screen(*e.data->zones()[static_cast<std::size_t>(found.front())].anchor).toPoint();
}

}  // namespace

class EditingTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        add_viewer_messages();
        set_language(Language::en);
    }

    void vertex_move_undo_redo_and_save() {
        Editing e(test::build_demo_workspace("edit_vertex"), "red_line");
        e.editor().snap_tolerance_px = 0;
        e.zoom_to("red_line", red_line);
        e.window->choose_tool("select");
        e.click(inside(e, "red_line", red_line));
        QCOMPARE(e.editor().selection(), std::vector<std::string>{red_line});

        const Zone before = e.zone(red_line);
        const std::vector<LonLat> ring = exterior(before);
        QVERIFY(ring.size() > 4);
        const LonLat moved = ring[1];
        e.window->choose_tool("vertex");
        const QPoint from = e.screen(moved), to = from + QPoint(25, -10);
        e.drag(from, to);
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        const Zone after = e.zone(red_line);
        QVERIFY(!has_vertex(after, moved));
        QVERIFY(has_vertex(after, e.to_lonlat(to)));
        // Every other vertex is where it was, bit for bit.
        for (std::size_t i = 0; i < ring.size(); ++i) {
            if (ring[i] != moved) {
                QVERIFY(has_vertex(after, ring[i]));
            }
        }
        QVERIFY(e.editor().can_undo());
        QVERIFY(e.window->edit_action("undo")->isEnabled());
        QTest::keySequence(e.window.get(), QKeySequence::Undo);
        QVERIFY(e.zone(red_line).geometry.wkb == before.geometry.wkb);
        QVERIFY(!e.editor().has_unsaved());
        QTest::keySequence(e.window.get(), QKeySequence::Redo);
        QVERIFY(e.zone(red_line).geometry.wkb == after.geometry.wkb);

        // Moving a vertex outward gains ground: no basis asked for; the version says who.
        e.window->run_save_dialog = [](SaveDialog& dialog) {
            dialog.author_input()->setText(QStringLiteral("张三"));
            dialog.note_input()->setText(QStringLiteral("节点修正"));
            return true;
        };
        const bool needs_basis = e.editor().impact().needs_basis();
        if (needs_basis) {
            e.window->run_save_dialog = [](SaveDialog& dialog) {
                dialog.author_input()->setText(QStringLiteral("张三"));
                dialog.basis_input()->setText(QStringLiteral("辽政函〔2026〕1号"));
                return true;
            };
        }
        QVERIFY(e.window->save_edits());
        const auto v = e.workspace->current_version();
        QCOMPARE(v->author, std::string("张三"));
        QCOMPARE(v->operation, std::string("edit"));
        QVERIFY(e.workspace->find_zones("red_line", {red_line}).front().geometry.wkb == after.geometry.wkb);
        QVERIFY(!e.editor().has_unsaved());
        QVERIFY(!std::filesystem::exists(default_journal_path(e.path)));
    }

    void shared_vertex_moves_in_every_unit_and_snapping_keeps_it_shared() {
        const auto path = test::build_demo_workspace("edit_topology");
        add_two_units(path);
        Editing e(path, "control_unit");
        QVERIFY(e.editor().topological);  // units tile the jurisdiction
        QVERIFY(e.window->edit_action("topology")->isChecked());
        e.zoom_to_box(121.59, 38.99, 121.67, 39.03);
        e.editor().snap_tolerance_px = 0;
        std::string a, b;
        for (const auto& d : e.data->zones()) {
            if (d.zone.kind == "control_unit" && d.zone.code == "ZH21021330101")
                a = d.zone.zone_id;
            if (d.zone.kind == "control_unit" && d.zone.code == "ZH21021330102")
                b = d.zone.zone_id;
        }
        QVERIFY(!a.empty() && !b.empty());
        e.window->choose_tool("select");
        e.click(inside(e, "control_unit", a));
        QCOMPARE(e.editor().selection(), std::vector<std::string>{a});

        const LonLat corner{121.62, 39.02};
        QVERIFY(has_vertex(e.zone(a), corner) && has_vertex(e.zone(b), corner));
        e.window->choose_tool("vertex");
        const QPoint to = e.screen(corner) + QPoint(20, -15);
        e.drag(e.screen(corner), to);
        const LonLat now = e.to_lonlat(to);
        QVERIFY(has_vertex(e.zone(a), now));
        QVERIFY(has_vertex(e.zone(b), now));  // the neighbour moved with it, in the same step
        QVERIFY(!has_vertex(e.zone(b), corner));
        QCOMPARE(e.editor().undo_label(), QStringLiteral("Move vertex"));
        e.window->edit_action("undo")->trigger();
        QVERIFY(has_vertex(e.zone(a), corner) && has_vertex(e.zone(b), corner));  // both back at once

        // Without topological editing only the selected unit moves.
        e.window->edit_action("topology")->setChecked(false);
        e.drag(e.screen(corner), to);
        QVERIFY(has_vertex(e.zone(a), now));
        QVERIFY(has_vertex(e.zone(b), corner));
        e.window->edit_action("undo")->trigger();
        e.window->edit_action("topology")->setChecked(true);

        // A new unit drawn from a point 4 px off b's corner snaps to it exactly, and the
        // part drawn over b is left out (avoid overlaps).
        e.editor().snap_tolerance_px = 10;
        e.answer_fields("ZH21021330103", "general", "新单元");
        e.window->choose_tool("draw");
        const LonLat b_corner{121.64, 39.00};
        const QPoint start = e.screen(b_corner) + QPoint(3, -2);
        const QPoint p2 = e.screen({121.66, 39.00}), p3 = e.screen({121.66, 39.015}), p4 = e.screen({121.63, 39.015});
        e.draw({start, p2, p3, p4});
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        QCOMPARE(e.prompted.size(), std::size_t(1));
        const auto added = e.editor().zone("ZH21021330103/general");
        QVERIFY(added.has_value());
        QVERIFY(has_vertex(*added, b_corner));  // snapped: the same vertex, bit for bit
        // Drawn minus b: what the union with b adds to b.
        GeometryParts drawn;
        drawn.polygons.push_back({{b_corner, e.to_lonlat(p2), e.to_lonlat(p3), e.to_lonlat(p4), b_corner}});
        const Zone unit_b = e.zone(b);
        const double expected =
            geodesic_area_m2(merge_geometries({geometry_from_parts(drawn), unit_b.geometry})) - unit_b.area_m2;
        QVERIFY2(std::abs(added->area_m2 - expected) < 0.001 * expected,
                 qPrintable(QString("%1 vs %2").arg(added->area_m2).arg(expected)));
        const EditImpact& impact = e.editor().impact();
        QVERIFY(std::none_of(impact.findings.begin(), impact.findings.end(),
                             [](const Finding& f) { return f.check == Check::overlap; }));

        // Topology off: the same drawing overlaps b, and the law panel says so.
        e.window->edit_action("undo")->trigger();
        e.window->edit_action("topology")->setChecked(false);
        e.draw({start, p2, p3, p4});
        const EditImpact& overlapping = e.editor().impact();
        QVERIFY(std::any_of(overlapping.findings.begin(), overlapping.findings.end(),
                            [](const Finding& f) { return f.check == Check::overlap; }));
        QVERIFY(!e.window->law()->findItems(QStringLiteral("Findings"), Qt::MatchStartsWith).isEmpty());
    }

    void draw_hole_split_and_reshape_with_basis() {
        Editing e(test::build_demo_workspace("edit_shapes"), "red_line");
        e.editor().snap_tolerance_px = 0;
        e.zoom_to_box(121.74, 39.04, 121.80, 39.07);
        // A new red line with a hole.
        e.answer_fields("HX210213-901", {}, "测试红线");
        e.window->choose_tool("draw");
        e.draw({e.screen({121.75, 39.05}), e.screen({121.79, 39.05}), e.screen({121.79, 39.065}),
                e.screen({121.75, 39.065})});
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        const Zone drawn = e.zone("HX210213-901");
        QCOMPARE(drawn.name, std::string("测试红线"));
        e.editor().select({"HX210213-901"});
        e.window->choose_tool("add_ring");
        e.draw({e.screen({121.76, 39.055}), e.screen({121.765, 39.055}), e.screen({121.765, 39.06})});
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        const Zone holed = e.zone("HX210213-901");
        QCOMPARE(geometry_parts(holed.geometry).polygons.front().size(), std::size_t(2));
        QVERIFY(holed.area_m2 < drawn.area_m2);

        // Split by a line across it: two zones, the same ground.
        e.answer_fields("HX210213-902");
        e.window->choose_tool("split");
        e.draw({e.screen({121.78, 39.045}), e.screen({121.78, 39.07})});
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        const auto left = e.editor().zone("HX210213-901"), right = e.editor().zone("HX210213-902");
        QVERIFY(left && right);
        QVERIFY(std::abs(left->area_m2 + right->area_m2 - holed.area_m2) < 1e-4 * holed.area_m2);
        QCOMPARE(right->name, std::string("测试红线"));  // the form was prefilled from the zone split
        QVERIFY(!e.editor().impact().needs_basis());

        // Reshape the demo red line inward: red-line ground given up needs a basis.
        e.zoom_to("red_line", red_line);
        e.editor().select({red_line});
        const Zone before = e.zone(red_line);
        const BoundingBox box = bounding_box(before.geometry);
        const double mid_x = (box.min_x + box.max_x) / 2, mid_y = (box.min_y + box.max_y) / 2;
        e.window->choose_tool("reshape");
        e.draw({e.screen({mid_x, box.max_y + 0.002}), e.screen({mid_x + 0.002, mid_y}),
                e.screen({box.max_x + 0.002, mid_y})});
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        QVERIFY(e.zone(red_line).area_m2 < before.area_m2);
        QVERIFY(e.editor().impact().needs_basis());
        QVERIFY(e.window->law()->needs_basis());
        bool save_enabled_without_basis = true;
        e.window->run_save_dialog = [&](SaveDialog& dialog) {
            dialog.author_input()->setText(QStringLiteral("李四"));
            auto* buttons = dialog.findChild<QDialogButtonBox*>();
            save_enabled_without_basis = buttons->button(QDialogButtonBox::Save)->isEnabled();
            dialog.basis_input()->setText(QStringLiteral("辽政函〔2026〕12号"));
            return buttons->button(QDialogButtonBox::Save)->isEnabled();
        };
        QVERIFY(e.window->save_edits());
        QVERIFY(!save_enabled_without_basis);
        const auto v = e.workspace->current_version();
        QCOMPARE(v->basis, std::string("辽政函〔2026〕12号"));
        QCOMPARE(v->author, std::string("李四"));
        QCOMPARE(e.workspace->find_zones("red_line", {"HX210213-901", "HX210213-902"}).size(), std::size_t(2));
    }

    void merge_move_parts_retire() {
        const auto path = test::build_demo_workspace("edit_merge");
        add_two_units(path);
        Editing e(path, "control_unit");
        e.editor().snap_tolerance_px = 0;
        e.zoom_to_box(121.59, 38.99, 121.67, 39.03);
        std::string a, b;
        for (const auto& d : e.data->zones()) {
            if (d.zone.code == "ZH21021330101")
                a = d.zone.zone_id;
            if (d.zone.code == "ZH21021330102")
                b = d.zone.zone_id;
        }
        const double area_a = e.zone(a).area_m2, area_b = e.zone(b).area_m2;
        e.window->choose_tool("select");
        e.click(inside(e, "control_unit", a));
        e.click(inside(e, "control_unit", b), Qt::ShiftModifier);
        QCOMPARE(e.editor().selection().size(), std::size_t(2));
        QVERIFY(e.window->edit_action("merge")->isEnabled());
        e.window->edit_action("merge")->trigger();
        QVERIFY(!e.editor().zone(b));
        QVERIFY(std::abs(e.zone(a).area_m2 - (area_a + area_b)) < 1e-4 * (area_a + area_b));
        QCOMPARE(geometry_parts(e.zone(a).geometry).polygons.size(), std::size_t(1));
        QVERIFY(e.data->find_zone("control_unit:" + b).empty());  // gone from the map too

        // Move: the zone follows the drag.
        e.editor().select({a});
        e.canvas().render_if_needed();
        const BoundingBox before = bounding_box(e.zone(a).geometry);
        e.window->choose_tool("move");
        const QPoint from = inside(e, "control_unit", a);
        e.drag(from, from + QPoint(40, 0));
        const BoundingBox after = bounding_box(e.zone(a).geometry);
        const double expected = e.to_lonlat(from + QPoint(40, 0)).first - e.to_lonlat(from).first;
        QVERIFY(std::abs((after.min_x - before.min_x) - expected) < 1e-9);

        // A part added, then taken away again with the delete-part tool.
        e.window->choose_tool("add_part");
        e.draw({e.screen({121.60, 39.025}), e.screen({121.61, 39.025}), e.screen({121.61, 39.028})});
        QCOMPARE(geometry_parts(e.zone(a).geometry).polygons.size(), std::size_t(2));
        e.canvas().render_if_needed();
        e.window->choose_tool("delete_part");
        e.click(e.screen({121.608, 39.0255}));
        QCOMPARE(geometry_parts(e.zone(a).geometry).polygons.size(), std::size_t(1));

        // Retire: the zone is gone; undo brings it back on the map.
        e.window->edit_action("retire")->trigger();
        QVERIFY(!e.editor().zone(a));
        QVERIFY(e.data->find_zone("control_unit:" + a).empty());
        e.window->edit_action("undo")->trigger();
        QVERIFY(e.editor().zone(a));
        QVERIFY(!e.data->find_zone("control_unit:" + a).empty());
    }

    void attribute_form_checks_the_code_as_you_type() {
        const KindSchema& unit = test::schemas().kind("control_unit");
        ZoneEdit e;
        e.op = EditOp::add;
        e.kind = "control_unit";
        AttributeForm form(unit, e);
        auto* ok = form.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QTest::keyClicks(form.code_input(), "ZH2102134");
        QVERIFY(!form.code_problem().isEmpty());
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(form.code_input(), "0001");
        QVERIFY(!form.code_problem().isEmpty());  // class 4 does not exist
        form.code_input()->setText(QStringLiteral("ZH21021320001"));
        QVERIFY(form.code_problem().isEmpty());
        QVERIFY(ok->isEnabled());
        // The sub-zone pick list holds the kind's current sub-zones.
        QCOMPARE(form.subzone_input()->count(), 3);
        form.subzone_input()->setCurrentIndex(form.subzone_input()->findData(QStringLiteral("key")));
        QCOMPARE(form.edit().subzone.value_or(""), std::string("key"));
        QCOMPARE(form.edit().code.value_or(""), std::string("ZH21021320001"));
    }

    void a_conflict_is_taken_onto_the_new_base() {
        const auto path = test::build_demo_workspace("edit_conflict");
        Editing e(path, "red_line");
        e.window->fields_prompt = [](const ZoneEdit& prefilled) {
            ZoneEdit f = prefilled;
            f.name = "大黑山红线（查看器）";
            return std::optional<ZoneEdit>(f);
        };
        e.editor().select({red_line});
        e.window->edit_action("fields")->trigger();
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        QCOMPARE(e.zone(red_line).name, std::string("大黑山红线（查看器）"));
        // Meanwhile a colleague grows the same zone.
        {
            Workspace other = Workspace::open(path);
            EditSession theirs(other, test::schemas());
            ZoneEdit grow;
            grow.op = EditOp::replace;
            grow.kind = "red_line";
            grow.zone_id = red_line;
            grow.geometry = geometry_from_wkt(box_wkt(121.69, 39.04, 121.73, 39.08));
            theirs.apply(grow);
            theirs.commit("王五", "扩大", "");
        }
        QString conflict;
        e.window->ask_rebase = [&](const QString& why) {
            conflict = why;
            return true;
        };
        e.window->run_save_dialog = [](SaveDialog& dialog) {
            dialog.author_input()->setText(QStringLiteral("张三"));
            return true;
        };
        QVERIFY(!e.window->save_edits());
        QVERIFY(conflict.contains(QString::fromStdString(red_line)));
        QVERIFY(e.editor().has_unsaved());  // the edit kept, on the new base
        // The map shows the colleague's boundary now.
        const auto shown = e.data->find_zone("red_line:" + red_line);
        QCOMPARE(shown.size(), std::size_t(1));
        const QRectF grown = e.data->plane_rect({121.69, 39.04, 121.73, 39.08});
        const QRectF bounds = e.data->zones()[static_cast<std::size_t>(shown.front())].bounds;
        QVERIFY2(std::abs(bounds.width() - grown.width()) < 50 && std::abs(bounds.height() - grown.height()) < 50,
                 qPrintable(QString("%1x%2 vs %3x%4")
                                .arg(bounds.width())
                                .arg(bounds.height())
                                .arg(grown.width())
                                .arg(grown.height())));
        QVERIFY(e.window->save_edits());
        const Zone saved = e.workspace->find_zones("red_line", {red_line}).front();
        QCOMPARE(saved.name, std::string("大黑山红线（查看器）"));
        QVERIFY(std::abs(saved.area_m2 - geodesic_area_m2(geometry_from_wkt(box_wkt(121.69, 39.04, 121.73, 39.08)))) <
                1.0);
    }

    void unsaved_edits_survive_a_killed_viewer() {
        const auto path = test::build_demo_workspace("edit_journal");
        std::vector<unsigned char> edited;
        {
            Editing e(path, "red_line");
            e.editor().snap_tolerance_px = 0;
            e.zoom_to("red_line", red_line);
            e.editor().select({red_line});
            e.window->choose_tool("vertex");
            const LonLat v = exterior(e.zone(red_line))[2];
            e.drag(e.screen(v), e.screen(v) + QPoint(-20, 20));
            edited = e.zone(red_line).geometry.wkb;
            QVERIFY(std::filesystem::exists(default_journal_path(path)));
            // The window goes away without saving, as a killed process would leave it.
        }
        Editing again(path, "red_line");
        QVERIFY(again.editor().has_unsaved());
        QVERIFY(again.zone(red_line).geometry.wkb == edited);
        QVERIFY(again.editor().can_undo());  // restored as one step
        QVERIFY(again.workspace->find_zones("red_line", {red_line}).front().geometry.wkb != edited);
    }

    void the_whole_window_screens_a_dropped_file_and_lists_a_saved_version() {
        const auto path = test::build_demo_workspace("edit_window");
        Editing e(path, "red_line");
        Workspace read_only = Workspace::open_read_only(path);
        e.window->enable_screening(path.string(), test::schemas());
        e.window->enable_quality(read_only, test::schemas());
        QTRY_VERIFY(!e.window->history()->busy());
        const int versions = e.window->history()->versions()->topLevelItemCount();
        QVERIFY(versions >= 5);

        // A footprint dropped on the window is screened.
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(QString::fromStdString(test::source_dir) +
                                          QStringLiteral("/layers/demo/footprints.geojson"))});
        QDragEnterEvent enter(QPoint(300, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(e.window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(300, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(e.window.get(), &drop);
        QVERIFY(drop.isAccepted());
        QTRY_VERIFY(e.window->screening()->run() != nullptr);
        QVERIFY(!e.window->screening()->run()->footprints.empty());

        // A saved edit is a version the history lists.
        e.window->fields_prompt = [](const ZoneEdit& prefilled) {
            ZoneEdit f = prefilled;
            f.name = "改名";
            return std::optional<ZoneEdit>(f);
        };
        e.editor().select({red_line});
        QVERIFY(e.window->screening()->unsaved_label()->isHidden());
        e.window->edit_action("fields")->trigger();
        // While the edit is not saved, the screening panel says it screens the saved version.
        QVERIFY(!e.window->screening()->unsaved_label()->isHidden());
        QVERIFY(e.window->screening()->unsaved_label()->text().startsWith(QStringLiteral("1 ")));
        e.window->run_save_dialog = [](SaveDialog& dialog) {
            dialog.author_input()->setText(QStringLiteral("张三"));
            return true;
        };
        QVERIFY(e.window->save_edits());
        QTRY_COMPARE(e.window->history()->versions()->topLevelItemCount(), versions + 1);
        QVERIFY(e.window->screening()->unsaved_label()->isHidden());

        // Identify lists the zone's revisions, the newest first, with who made it.
        QTRY_VERIFY(!e.window->history()->busy());
        e.window->identify()->show_zones(e.data->find_zone("red_line:" + red_line));
        const auto found = e.window->identify()->findItems(QStringLiteral("History"), Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front()->childCount(), 2);
        QVERIFY(found.front()->child(0)->text(1).contains(QStringLiteral("张三")));
        QVERIFY(found.front()->child(0)->text(1).contains(QStringLiteral("current")));
    }

    void the_map_shows_what_an_edit_gains() {
        Editing e(test::build_demo_workspace("edit_render"), "red_line");
        e.editor().snap_tolerance_px = 0;
        e.zoom_to("red_line", red_line);
        e.editor().select({red_line});
        const Zone before = e.zone(red_line);
        const BoundingBox box = bounding_box(before.geometry);
        const double mid_y = (box.min_y + box.max_y) / 2;
        // Reshape outward on the east: a bulge of new red-line ground.
        e.window->choose_tool("reshape");
        const QPoint anchor = inside(e, "red_line", red_line);
        const LonLat in = e.to_lonlat(anchor);
        const double east = box.max_x;
        e.draw({e.screen({in.first, in.second + 0.002}), e.screen({east + 0.006, mid_y}),
                e.screen({in.first, in.second - 0.002})});
        QVERIFY2(e.editor().last_error().isEmpty(), qPrintable(e.editor().last_error()));
        QVERIFY(e.zone(red_line).area_m2 > before.area_m2);
        QVERIFY(e.canvas().overlay(QStringLiteral("edit/changes")) != nullptr);
        e.canvas().set_labels(false);
        e.zoom_to_box(box.min_x, box.min_y, east + 0.008, box.max_y);
        const QImage image = e.canvas().grab().toImage();
        // Near the bulge's tip, outside the zone as it was.
        const QPoint bulge = e.screen({0.85 * (east + 0.006) + 0.15 * in.first, mid_y * 0.85 + in.second * 0.15});
        const auto pictures = test::fresh_directory("edit_render_png");
        image.save(QString::fromStdString((pictures / "gained.png").string()));
        // The whole window as mapping staff see it (docs/viewer.md, scripts/render-viewer-images.sh).
        e.window->grab().save(QString::fromStdString((pictures / "window.png").string()));
        const QColor pixel = image.pixelColor(bulge * image.devicePixelRatio());
        // The gained ground is tinted green over whatever lies below.
        QVERIFY2(pixel.green() > pixel.red() + 20 && pixel.green() > pixel.blue(),
                 qPrintable(QString("pixel %1").arg(pixel.name())));
    }
};

QTEST_MAIN(EditingTest)
#include "test_editing.moc"
