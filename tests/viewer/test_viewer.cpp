// The viewer over the demo workspace, off screen: what it loads, the colours it draws,
// and the canvas driven by synthesized mouse, wheel and key events.
#include "main_window.hpp"
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "overlay.hpp"
#include "text.hpp"
#include "viewer_test_support.hpp"

#include "redline/geometry.hpp"
#include "redline/store/workspace.hpp"

#include <QApplication>
#include <QDialogButtonBox>
#include <QInputMethodEvent>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QWheelEvent>
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

using namespace redline;
using namespace redline::viewer;

namespace {

std::set<std::string> kinds_at(const MapData& data, const QPointF& plane) {
    std::set<std::string> kinds;
    for (int i : data.zones_at(plane, 0)) {
        const Zone& z = data.zones()[static_cast<std::size_t>(i)].zone;
        kinds.insert(z.kind + (z.subzone.empty() ? "" : "/" + z.subzone));
    }
    return kinds;
}

// A pixel of the view where the zones at it and at every pixel 3 around it are exactly
// what `wanted` says, away from the decorations at the bottom.
std::optional<QPoint> find_pixel(const MapData& data, const MapView& view,
                                 const std::function<bool(const std::set<std::string>&)>& wanted) {
    const int w = static_cast<int>(view.size.width()), h = static_cast<int>(view.size.height());
    for (int y = 20; y < h - 50; y += 7) {
        for (int x = 20; x < w - 20; x += 7) {
            const auto here = kinds_at(data, view.to_plane(QPointF(x + 0.5, y + 0.5)));
            if (!wanted(here)) {
                continue;
            }
            bool same = true;
            for (const QPoint d : {QPoint(3, 0), QPoint(-3, 0), QPoint(0, 3), QPoint(0, -3)}) {
                same = same && kinds_at(data, view.to_plane(QPointF(x + d.x() + 0.5, y + d.y() + 0.5))) == here;
            }
            if (same) {
                return QPoint(x, y);
            }
        }
    }
    return std::nullopt;
}

bool only_with_context(const std::set<std::string>& kinds, const std::string& wanted) {
    if (!kinds.contains(wanted)) {
        return false;
    }
    for (const auto& k : kinds) {
        if (k != wanted && k.rfind("district", 0) != 0 && k.rfind("control_unit", 0) != 0) {
            return false;
        }
    }
    return true;
}

int find_zone(const MapData& data, const std::string& kind, const std::string& subzone) {
    for (std::size_t i = 0; i < data.zones().size(); ++i) {
        const Zone& z = data.zones()[i].zone;
        if (z.kind == kind && z.subzone == subzone) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void send_wheel(QWidget* widget, const QPointF& at, int delta) {
    QWheelEvent event(at, widget->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
}

}  // namespace

class ViewerTest : public QObject {
    Q_OBJECT

private:
    std::filesystem::path workspace_;
    std::unique_ptr<MapData> data_;

private slots:
    void initTestCase() {
        add_viewer_messages();
        set_language(Language::zh);
        workspace_ = test::build_demo_workspace("viewer");
        const Workspace ws = Workspace::open_read_only(workspace_);
        data_ = std::make_unique<MapData>(MapData::load(ws, test::schemas()));
        qInfo("demo workspace: %zu zones, %zu vertices; load %.1f ms, build %.1f ms", data_->zones().size(),
              data_->vertex_count(), data_->load_ms, data_->build_ms);
    }

    void loads_every_zone_in_drawing_order() {
        const MapData& data = *data_;
        QCOMPARE(data.zones().size(), std::size_t(10 + 6 + 3 + 3 + 7));
        QVERIFY(data.problems.empty());
        // The central meridian goes through the middle of the zones (Dalian, about 121.7°E).
        QVERIFY(data.central_meridian() > 121 && data.central_meridian() < 122.5);
        int previous = -1;
        for (const auto& z : data.zones()) {
            const int order = data.groups()[static_cast<std::size_t>(z.group)].draw_order;
            QVERIFY(order >= previous);
            previous = order;
            QVERIFY(!z.bounds.isEmpty());
            QVERIFY(z.zone.geometry.empty());  // kept once, as paths
            QCOMPARE(z.levels.size(), MapData::tolerances.size());
            for (std::size_t l = 1; l < z.levels.size(); ++l) {
                // Each simplifies its source.
                QVERIFY(z.levels[l].vertices <= z.levels[MapData::source_of(l)].vertices);
            }
            // The label point lies inside its zone.
            QVERIFY(z.anchor.has_value());
            const auto here = data.zones_at(*z.anchor, 0);
            const int index = static_cast<int>(&z - data.zones().data());
            QVERIFY(std::find(here.begin(), here.end(), index) != here.end());
        }
        // Water sources: the quasi zone under level 2 under level 1.
        QVERIFY(find_zone(data, "water_source", "quasi") < find_zone(data, "water_source", "level2"));
        QVERIFY(find_zone(data, "water_source", "level2") < find_zone(data, "water_source", "level1"));
        QVERIFY(find_zone(data, "district", "") < find_zone(data, "control_unit", "priority"));
        QVERIFY(find_zone(data, "control_unit", "priority") < find_zone(data, "red_line", ""));
        // Levels of detail: each from a level at most a quarter as coarse, within 4/3 of its
        // tolerance of the zone as stored.
        for (std::size_t l = 1; l < MapData::tolerances.size(); ++l) {
            QVERIFY(MapData::tolerances[l] > MapData::tolerances[l - 1]);
            QVERIFY(MapData::source_of(l) < l);
            QVERIFY(MapData::tolerances[MapData::source_of(l)] <= MapData::tolerances[l] / 4);
            QVERIFY(MapData::deviation(l) <= 4.0 / 3 * MapData::tolerances[l]);
        }
        // Levels by pixel size: the coarsest whose lines stay within a pixel.
        QCOMPARE(MapData::level_for(0.5), 0);
        QCOMPARE(MapData::level_for(7.9), 0);
        QCOMPARE(MapData::level_for(8), 1);
        QCOMPARE(MapData::level_for(70), 3);   // 32 m (within 40 m); 64 m may be 80 m off
        QCOMPARE(MapData::level_for(318), 7);  // 181 m (221 m); 256 m may be 336 m off
        QCOMPARE(MapData::level_for(5000), 14);
        for (double mpp = 1; mpp < 10000; mpp *= 1.1) {
            const auto level = static_cast<std::size_t>(MapData::level_for(mpp));
            QVERIFY(MapData::deviation(level) <= mpp);
            QVERIFY(level + 1 == MapData::tolerances.size() || MapData::deviation(level + 1) > mpp);
        }
    }

    void draws_the_styles_colours() {
        const MapData& data = *data_;
        // The protected zones, with the sea beside them.
        std::vector<int> protected_zones;
        for (std::size_t i = 0; i < data.zones().size(); ++i) {
            const std::string& kind = data.zones()[i].zone.kind;
            if (kind == "red_line" || kind == "water_source" || kind == "nature_reserve") {
                protected_zones.push_back(static_cast<int>(i));
            }
        }
        MapView view;
        view.size = QSizeF(1000, 800);
        fit_view(view, data.extent_of(protected_zones));
        RenderSettings settings;
        settings.labels = false;
        RenderStats stats;
        const QImage image = render_image(data, view, settings, 1, &stats);
        QCOMPARE(image.size(), QSize(1000, 800));
        qInfo("protected zones: level %d, %d zones, %zu vertices, %.1f ms", stats.level, stats.zones, stats.vertices,
              stats.ms);

        const auto red = find_pixel(data, view, [](const auto& k) { return only_with_context(k, "red_line"); });
        QVERIFY(red.has_value());
        const QColor r = image.pixelColor(*red);
        QVERIFY2(r.red() > r.green() + 30 && r.red() > r.blue() + 30, qPrintable(r.name()));

        const auto blue = find_pixel(data, view, [](const auto& k) { return k.contains("water_source/level1"); });
        QVERIFY(blue.has_value());
        const QColor b = image.pixelColor(*blue);
        QVERIFY2(b.blue() > b.red() + 60 && b.blue() > b.green() + 30, qPrintable(b.name()));

        // The reserve where no red line covers it (its core zone lies wholly under one): green.
        const auto green = find_pixel(data, view, [](const auto& k) {
            return k.contains("nature_reserve/general_control") && !k.contains("red_line");
        });
        QVERIFY(green.has_value());
        const QColor g = image.pixelColor(*green);
        // A faint tint (fill_opacity 0.16 over the unit's purple): greener than red, not white.
        QVERIFY2(g.green() > g.red() + 8 && g.red() < 235, qPrintable(g.name()));

        const auto empty = find_pixel(data, view, [](const auto& k) { return k.empty(); });
        QVERIFY(empty.has_value());
        QCOMPARE(image.pixelColor(*empty), QColor(Qt::white));

        // Hidden layers are not drawn: the red line's pixel turns pale.
        const int red_group = data.zones()[static_cast<std::size_t>(find_zone(data, "red_line", ""))].group;
        settings.visible.assign(data.groups().size(), true);
        settings.visible[static_cast<std::size_t>(red_group)] = false;
        const QColor hidden = render_image(data, view, settings).pixelColor(*red);
        QVERIFY2(hidden.red() - hidden.green() < 15, qPrintable(hidden.name()));
    }

    void labels_are_drawn_apart() {
        const MapData& data = *data_;
        MapView view;
        view.size = QSizeF(1000, 800);
        fit_view(view, data.full_extent());
        RenderSettings settings;
        RenderStats with_labels;
        const QImage labelled = render_image(data, view, settings, 1, &with_labels);
        settings.labels = false;
        const QImage plain = render_image(data, view, settings);
        QVERIFY(with_labels.labels >= 5);
        QVERIFY(labelled != plain);
    }

    void redraws_fast_at_every_scale() {
        const MapData& data = *data_;
        MapView view;
        view.size = QSizeF(1400, 900);
        fit_view(view, data.full_extent());
        double worst = 0;
        for (int step = 0; step < 12; ++step) {
            RenderStats stats;
            render_image(data, view, RenderSettings{}, 1, &stats);
            worst = std::max(worst, stats.ms);
            view.zoom_about(QPointF(700, 450), 1.8);
        }
        qInfo("demo workspace, 1400x900, 12 scales from the full extent in: slowest redraw %.1f ms", worst);
    }

    // A heavy map is drawn by two threads, a band of rows each, split where the work halves:
    // the picture is the one a single thread draws, pixel for pixel (dashed outlines that
    // cross the split included), on a plain and on a high-density screen.
    void two_threads_draw_what_one_draws() {
        // Units tiling a grid with wavy edges (dashed outlines over a faint tint) and red
        // lines over them: over the 15 000 vertices a map needs to be shared.
        std::vector<Zone> zones;
        constexpr int columns = 14, rows = 10, per_side = 60;
        constexpr double cell = 0.02;
        // Edges wave across their line: west and east ones in longitude, the others in
        // latitude, so that neighbours share the same points.
        auto across_lon = [](double lon, double lat) {
            return std::to_string(lon + 0.0008 * std::sin(lat * 3000)) + " " + std::to_string(lat);
        };
        auto across_lat = [](double lon, double lat) {
            return std::to_string(lon) + " " + std::to_string(lat + 0.0008 * std::sin(lon * 3000));
        };
        for (int row = 0; row < rows; ++row) {
            for (int column = 0; column < columns; ++column) {
                const double west = 122 + column * cell, south = 40 + row * cell;
                std::ostringstream ring;
                ring << "POLYGON((";
                for (int k = 0; k < per_side; ++k) {
                    ring << across_lon(west, south + cell * k / per_side) << ",";
                }
                for (int k = 0; k < per_side; ++k) {
                    ring << across_lat(west + cell * k / per_side, south + cell) << ",";
                }
                for (int k = 0; k < per_side; ++k) {
                    ring << across_lon(west + cell, south + cell - cell * k / per_side) << ",";
                }
                for (int k = 0; k < per_side; ++k) {
                    ring << across_lat(west + cell - cell * k / per_side, south) << ",";
                }
                ring << across_lon(west, south) << "))";
                Zone unit;
                unit.kind = "control_unit";
                unit.subzone = (row + column) % 3 == 0 ? "priority" : "general";
                unit.zone_id = "u" + std::to_string(row * columns + column);
                unit.geometry = geometry_from_wkt(ring.str());
                zones.push_back(std::move(unit));
                if ((row * columns + column) % 4 == 1) {
                    std::ostringstream circle;
                    circle << "POLYGON((";
                    for (int k = 0; k <= 60; ++k) {
                        const double a = 2 * M_PI * (k % 60) / 60;
                        circle << (k > 0 ? "," : "") << west + cell * (0.5 + 0.6 * std::cos(a)) << " "
                               << south + cell * (0.5 + 0.6 * std::sin(a));
                    }
                    circle << "))";
                    Zone red;
                    red.kind = "red_line";
                    red.zone_id = "r" + std::to_string(zones.size());
                    red.geometry = geometry_from_wkt(circle.str());
                    zones.push_back(std::move(red));
                }
            }
        }
        const MapData data = MapData::build(std::move(zones), test::schemas());
        MapView view;
        view.size = QSizeF(900, 700);
        fit_view(view, data.full_extent());
        for (const double dpr : {1.0, 2.0}) {
            RenderSettings one, two;
            one.threads = 1;
            two.threads = 2;
            RenderStats by_one, by_two;
            const QImage single = render_image(data, view, one, dpr, &by_one);
            const QImage banded = render_image(data, view, two, dpr, &by_two);
            QVERIFY2(by_two.vertices > 15000, qPrintable(QString::number(by_two.vertices)));
            QCOMPARE(by_one.threads, 1);
            QCOMPARE(by_two.threads, 2);
            QCOMPARE(banded.size(), single.size());
            int differing = 0, drawn = 0;
            for (int y = 0; y < single.height(); ++y) {
                for (int x = 0; x < single.width(); ++x) {
                    differing += single.pixel(x, y) != banded.pixel(x, y) ? 1 : 0;
                    drawn += single.pixel(x, y) != qRgb(255, 255, 255) ? 1 : 0;
                }
            }
            QVERIFY2(differing == 0, qPrintable(QStringLiteral("%1 pixels differ at %2x").arg(differing).arg(dpr)));
            // Both drew the map: the units' tint covers most of the picture.
            QVERIFY2(drawn > single.width() * single.height() / 2, qPrintable(QString::number(drawn)));
        }
        // A painter clipped by its owner keeps its clip: nothing is drawn outside it.
        QImage clipped(900, 700, QImage::Format_ARGB32_Premultiplied);
        clipped.fill(Qt::black);
        {
            QPainter painter(&clipped);
            painter.setClipRect(QRect(100, 100, 300, 200));
            RenderSettings two;
            two.threads = 2;
            render_map(painter, data, view, two);
        }
        int outside = 0, inside = 0;
        for (int y = 0; y < clipped.height(); ++y) {
            for (int x = 0; x < clipped.width(); ++x) {
                const bool touched = clipped.pixel(x, y) != qRgb(0, 0, 0);
                (QRect(100, 100, 300, 200).contains(x, y) ? inside : outside) += touched ? 1 : 0;
            }
        }
        QCOMPARE(outside, 0);
        QCOMPARE(inside, 300 * 200);
    }

    // An overlay (a version, a diff, a footprint) is drawn at the level of detail the zones
    // are: a dense ring zoomed out draws a fraction of its vertices, within a pixel of the
    // ring drawn whole.
    void overlays_are_drawn_at_the_zones_levels_of_detail() {
        const MapData& data = *data_;
        const auto centre = data.to_lonlat(data.full_extent().center());
        std::ostringstream wkt;
        wkt.precision(12);
        wkt << "POLYGON((";
        constexpr int vertices = 20000;
        for (int i = 0; i <= vertices; ++i) {
            const double a = 2 * M_PI * (i % vertices) / vertices;
            wkt << (i > 0 ? "," : "") << centre.first + 0.04 * std::cos(a) << ' ' << centre.second + 0.03 * std::sin(a);
        }
        wkt << "))";
        OverlayStyle style;
        style.stroke = Qt::black;
        const OverlayShape ring = overlay_shape(data, geometry_from_wkt(wkt.str()), style);
        QCOMPARE(ring.levels.size(), MapData::tolerances.size());
        QCOMPARE(ring.levels[0].vertices, std::size_t(vertices + 1));

        MapView view;
        view.size = QSizeF(800, 600);
        fit_view(view, ring.bounds());
        const auto level = static_cast<std::size_t>(MapData::level_for(view.metres_per_pixel));
        QVERIFY(level > 0);
        QVERIFY(ring.levels[level].vertices * 20 < ring.levels[0].vertices);
        OverlayShape whole = ring;
        for (auto& l : whole.levels) {
            l = ring.levels[0];
        }
        auto draw = [&](const OverlayShape& shape) {
            QImage image(800, 600, QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::white);
            QPainter painter(&image);
            draw_overlay(painter, view, Overlay{{shape}}, 1, std::numeric_limits<std::size_t>::max());
            return image;
        };
        const QImage coarse = draw(ring), fine = draw(whole);
        int inked = 0, apart = 0;
        for (int y = 0; y < fine.height(); ++y) {
            for (int x = 0; x < fine.width(); ++x) {
                const int a = qGray(fine.pixel(x, y)), b = qGray(coarse.pixel(x, y));
                inked += a < 128 ? 1 : 0;
                apart += std::abs(a - b) > 128 ? 1 : 0;
            }
        }
        qInfo("a ring of %d vertices at 1:%.0f: %zu drawn (level %zu); %d of %d inked pixels apart", vertices,
              scale_denominator(data, view, 96), ring.levels[level].vertices, level, apart, inked);
        QVERIFY(inked > 1000);
        QVERIFY(apart * 50 < inked);

        // Crowded (more vertices to stroke than crowded_vertices): casings are left out and
        // lines drawn one pixel wide; otherwise as styled.
        OverlayStyle casing_style;
        casing_style.stroke = Qt::red;
        casing_style.width = 6;
        casing_style.casing = true;
        OverlayShape casing = ring;
        casing.style = casing_style;
        OverlayShape crowded_casing = whole;
        crowded_casing.style = casing_style;
        OverlayShape wide = whole;
        wide.style.width = 6;
        auto pixels = [&](const OverlayShape& shape, std::optional<QRgb> colour) {
            QImage image(800, 600, QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::white);
            QPainter painter(&image);
            draw_overlay(painter, view, Overlay{{shape}});
            painter.end();
            int n = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    n += (colour ? image.pixel(x, y) == *colour : qGray(image.pixel(x, y)) < 128) ? 1 : 0;
                }
            }
            return n;
        };
        QVERIFY(ring.levels[level].vertices < crowded_vertices && whole.levels[level].vertices > crowded_vertices);
        QVERIFY(pixels(casing, qRgb(255, 0, 0)) > 2000);
        QCOMPARE(pixels(crowded_casing, qRgb(255, 0, 0)), 0);
        OverlayShape wide_uncrowded = ring;
        wide_uncrowded.style.width = 6;
        const int crowded_ink = pixels(wide, std::nullopt), thin_ink = pixels(whole, std::nullopt);
        QVERIFY(crowded_ink <= thin_ink + thin_ink / 5);  // one pixel wide, as a thin line is
        QVERIFY(pixels(wide_uncrowded, std::nullopt) > 2 * crowded_ink);
    }

    void canvas_draws_what_render_draws() {
        MapCanvas canvas(*data_);
        canvas.resize(640, 480);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        canvas.zoom_to_full_extent();
        canvas.render_if_needed();
        const QImage shown = canvas.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
        RenderSettings settings = canvas.settings();
        const QImage drawn = render_image(*data_, canvas.view(), settings);
        QCOMPARE(shown.size(), drawn.size());
        QVERIFY(shown == drawn);
    }

    void drag_pans_the_map() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        const MapView before = canvas.view();
        QSignalSpy changed(&canvas, &MapCanvas::view_changed);
        QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(400, 300));
        QTest::mouseMove(&canvas, QPoint(450, 320));
        QTest::mouseMove(&canvas, QPoint(500, 350));
        QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(500, 350));
        const MapView after = canvas.view();
        const double mpp = before.metres_per_pixel;
        QCOMPARE(after.metres_per_pixel, mpp);
        // The map followed the hand 100 px right and 50 px down: the view went west and north.
        QVERIFY(std::abs(after.centre.x() - (before.centre.x() - 100 * mpp)) < 1e-6 * mpp);
        QVERIFY(std::abs(after.centre.y() - (before.centre.y() + 50 * mpp)) < 1e-6 * mpp);
        QVERIFY(changed.count() >= 1);
        // What was under the press point is now under the release point.
        const QPointF grabbed = before.to_plane(QPointF(400, 300));
        const QPointF now = after.to_screen(grabbed);
        QVERIFY(std::abs(now.x() - 500) < 1e-6 && std::abs(now.y() - 350) < 1e-6);
    }

    void wheel_zooms_about_the_cursor() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        const MapView before = canvas.view();
        const QPointF cursor(200, 150);
        const QPointF under = before.to_plane(cursor);
        send_wheel(&canvas, cursor, 120);
        const MapView in = canvas.view();
        QVERIFY(std::abs(in.metres_per_pixel - before.metres_per_pixel / 1.5) < 1e-9 * before.metres_per_pixel);
        const QPointF still = in.to_screen(under);
        QVERIFY(std::abs(still.x() - cursor.x()) < 1e-6 && std::abs(still.y() - cursor.y()) < 1e-6);
        send_wheel(&canvas, QPointF(600, 500), -240);
        QVERIFY(std::abs(canvas.view().metres_per_pixel - in.metres_per_pixel * 2.25) < 1e-9 * in.metres_per_pixel);
    }

    void keys_zoom_and_return_to_full_extent() {
        MapCanvas canvas(*data_);
        canvas.resize(800, 600);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        canvas.setFocus();
        const MapView full = canvas.view();
        QTest::keyClick(&canvas, Qt::Key_Plus);
        QVERIFY(std::abs(canvas.view().metres_per_pixel - full.metres_per_pixel / 2) < 1e-9);
        QVERIFY(std::abs(canvas.view().centre.x() - full.centre.x()) < 1e-6);
        QTest::keyClick(&canvas, Qt::Key_Minus);
        QTest::keyClick(&canvas, Qt::Key_Minus);
        QVERIFY(std::abs(canvas.view().metres_per_pixel - full.metres_per_pixel * 2) < 1e-9);
        QTest::keyClick(&canvas, Qt::Key_Right);
        QVERIFY(canvas.view().centre.x() > full.centre.x());
        QTest::keyClick(&canvas, Qt::Key_Home);
        QVERIFY(std::abs(canvas.view().metres_per_pixel - full.metres_per_pixel) < 1e-9);
        QVERIFY(std::abs(canvas.view().centre.x() - full.centre.x()) < 1e-6);
    }

    void search_lists_matches_and_zooms_to_the_chosen_one() {
        MainWindow window(*data_, QStringLiteral("demo"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Typed as an input method commits it (QTest types Latin-1 only).
        window.search()->input()->setFocus();
        QInputMethodEvent commit;
        commit.setCommitString(QStringLiteral("卧龙"));
        QApplication::sendEvent(window.search()->input(), &commit);
        QCOMPARE(window.search()->input()->text(), QStringLiteral("卧龙"));
        QListWidget* results = window.search()->results();
        // Three protection zones of the reservoir and its priority unit.
        QCOMPARE(results->count(), 4);
        int level1_row = -1;
        for (int row = 0; row < results->count(); ++row) {
            const int zone = results->item(row)->data(SearchPanel::zone_role).toInt();
            QVERIFY(data_->zones()[static_cast<std::size_t>(zone)].zone.name.find("卧龙") != std::string::npos);
            if (data_->zones()[static_cast<std::size_t>(zone)].zone.subzone == "level1") {
                level1_row = row;
            }
        }
        QVERIFY(level1_row >= 0);
        const int zone = results->item(level1_row)->data(SearchPanel::zone_role).toInt();
        const QRect item = results->visualItemRect(results->item(level1_row));
        QTest::mouseClick(results->viewport(), Qt::LeftButton, Qt::NoModifier, item.center());
        const MapView& view = window.canvas()->view();
        const QRectF bounds = data_->zones()[static_cast<std::size_t>(zone)].bounds;
        QVERIFY(view.plane_rect().contains(bounds));
        QVERIFY(std::abs(view.centre.x() - bounds.center().x()) < 1);
        QVERIFY(view.plane_rect().width() < 3 * std::max(bounds.width(), 300.0) * 1.2);
        QCOMPARE(window.canvas()->settings().highlighted, std::vector<int>{zone});
        QCOMPARE(window.identify()->zones(), std::vector<int>{zone});
        // Codes match too, and nothing matches nothing.
        window.search()->input()->clear();
        QTest::keyClicks(window.search()->input(), QStringLiteral("hx210213-002"));
        QCOMPARE(results->count(), 1);
        QTest::keyClick(window.search()->input(), Qt::Key_Return);
        QCOMPARE(data_->zones()[static_cast<std::size_t>(window.identify()->zones().at(0))].zone.code,
                 std::string("HX210213-002"));
        window.search()->input()->setText(QStringLiteral("没有这个分区"));
        QCOMPARE(results->count(), 0);
    }

    void click_identifies_the_zones_under_the_cursor() {
        MainWindow window(*data_, QStringLiteral("demo"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        MapCanvas* canvas = window.canvas();
        const int level1 = find_zone(*data_, "water_source", "level1");
        canvas->zoom_to_zones({level1});
        const QPointF at = canvas->view().to_screen(*data_->zones()[static_cast<std::size_t>(level1)].anchor);
        const MapView before = canvas->view();
        QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, at.toPoint());
        // A click is not a drag: the map stays where it was.
        QCOMPARE(canvas->view().centre, before.centre);
        QCOMPARE(canvas->view().metres_per_pixel, before.metres_per_pixel);
        const std::vector<int> zones = window.identify()->zones();
        QVERIFY(std::find(zones.begin(), zones.end(), level1) != zones.end());
        QCOMPARE(zones.front(), level1);  // the top one first
        // The nested level 2 and quasi zones, the unit and the district are listed too.
        std::set<std::string> kinds;
        for (int z : zones) {
            kinds.insert(data_->zones()[static_cast<std::size_t>(z)].zone.kind);
        }
        QVERIFY(kinds.contains("district"));
        QVERIFY(kinds.contains("control_unit"));
        QTreeWidgetItem* top = window.identify()->topLevelItem(0);
        QVERIFY(top->text(0).contains(QStringLiteral("一级保护区")));
        bool has_area = false, has_code = false;
        for (int i = 0; i < top->childCount(); ++i) {
            has_area = has_area || (top->child(i)->text(0) == QStringLiteral("面积") &&
                                    top->child(i)->text(1).contains(QStringLiteral("公顷")));
            has_code = has_code || top->child(i)->text(1) == QStringLiteral("SY210213001");
        }
        QVERIFY(has_area);
        QVERIFY(has_code);
    }

    void status_bar_shows_both_coordinates_and_the_scale() {
        MainWindow window(*data_, QStringLiteral("demo"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        MapCanvas* canvas = window.canvas();
        const QPointF plane = data_->to_plane(121.8, 39.1);
        const QPointF at = canvas->view().to_screen(plane);
        QTest::mouseMove(canvas, at.toPoint());
        const QPointF exact = canvas->view().to_plane(QPointF(at.toPoint()));
        const auto [lon, lat] = data_->to_lonlat(exact);
        QCOMPARE(window.position_label()->text(), QStringLiteral("经度 %1° 纬度 %2°（CGCS2000）")
                                                      .arg(QString::number(lon, 'f', 6), QString::number(lat, 'f', 6)));
        const QString gk = window.gauss_kruger_label()->text();
        QVERIFY2(gk.contains(QStringLiteral("3°带 41")) && gk.contains(QStringLiteral("EPSG:4529")), qPrintable(gk));
        QVERIFY2(std::regex_search(gk.toStdString(), std::regex(R"(Y 41\d{6}\.\d\d m)")), qPrintable(gk));
        QVERIFY2(std::regex_search(gk.toStdString(), std::regex(R"(X 43\d{5}\.\d\d m)")), qPrintable(gk));
        QVERIFY(std::regex_search(window.scale_label()->text().toStdString(), std::regex(R"(1:[\d,]+$)")));
        // The scale halves when the map zooms in by two.
        const double before = scale_denominator(*data_, canvas->view(), canvas->logicalDpiX());
        canvas->zoom_by(2);
        const double after = scale_denominator(*data_, canvas->view(), canvas->logicalDpiX());
        QVERIFY(std::abs(after - before / 2) < before * 1e-3);
    }

    void layer_panel_hides_and_shows_groups() {
        MainWindow window(*data_, QStringLiteral("demo"));
        const int level1 = find_zone(*data_, "water_source", "level1");
        const int group = data_->zones()[static_cast<std::size_t>(level1)].group;
        QTreeWidgetItem* item = window.layers()->item_for_group(group);
        QVERIFY(item != nullptr);
        QVERIFY(item->text(0).startsWith(QStringLiteral("一级保护区")));
        QVERIFY(item->parent()->text(0).startsWith(QStringLiteral("饮用水水源保护区")));
        QVERIFY(!item->icon(0).isNull());
        item->setCheckState(0, Qt::Unchecked);
        QVERIFY(!window.canvas()->settings().visible[static_cast<std::size_t>(group)]);
        item->parent()->setCheckState(0, Qt::Checked);
        QVERIFY(window.canvas()->settings().visible[static_cast<std::size_t>(group)]);
        // The kind unchecked hides all its sub-zones.
        item->parent()->setCheckState(0, Qt::Unchecked);
        for (int i = 0; i < item->parent()->childCount(); ++i) {
            const int g = item->parent()->child(i)->data(0, LayerPanel::group_role).toInt();
            QVERIFY(!window.canvas()->settings().visible[static_cast<std::size_t>(g)]);
        }
        // Kinds listed top layer first: red lines before districts.
        QStringList order;
        for (int i = 0; i < window.layers()->topLevelItemCount(); ++i) {
            order << window.layers()->topLevelItem(i)->toolTip(0);
        }
        QVERIFY(order.indexOf(QStringLiteral("red_line")) < order.indexOf(QStringLiteral("district")));
    }

    static QStringList menu_titles(MainWindow& window) {
        QStringList titles;
        for (QAction* action : window.menuBar()->actions()) {
            titles << action->text();
        }
        return titles;
    }

    // Chinese comes first, from the translation compiled into the program; Qt's own dialog
    // buttons are in Chinese too (Debian's qt6-translations-l10n).
    void chinese_interface_first() {
        MainWindow window(*data_, QStringLiteral("demo"));
        QCOMPARE(menu_titles(window).mid(0, 2), (QStringList{"文件", "视图"}));
        QCOMPARE(window.search()->input()->placeholderText(), QStringLiteral("按名称或代码查找分区"));
        window.identify()->show_zones({});
        QCOMPARE(window.identify()->topLevelItem(0)->text(0), QStringLiteral("此处没有分区"));
        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("取消"));
    }

    void english_interface() {
        set_language(Language::en);
        MainWindow window(*data_, QStringLiteral("demo"));
        QCOMPARE(menu_titles(window).mid(0, 2), (QStringList{"File", "View"}));
        QVERIFY(window.search()->input()->placeholderText().startsWith(QStringLiteral("Find zones")));
        window.identify()->show_zones({});
        QCOMPARE(window.identify()->topLevelItem(0)->text(0), QStringLiteral("No zone here"));
        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancel"));
        set_language(Language::zh);
    }

    void every_viewer_message_has_both_templates() {
        std::map<std::string, std::pair<std::string, std::string>> catalog;
        for (const auto& t : message_catalog()) {
            catalog[t.code] = {t.zh, t.en};
        }
        auto names = [](const std::string& text) {
            std::set<std::string> out;
            static const std::regex placeholder(R"(\{([a-z_0-9]+)\})");
            for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator();
                 ++it) {
                out.insert((*it)[1].str());
            }
            return out;
        };
        int checked = 0;
        static const std::regex literal(R"re(Message\("([a-z_]+\.[a-z_0-9.]*[a-z_0-9])")re");
        for (const auto& entry :
             std::filesystem::directory_iterator(std::filesystem::path(test::source_dir) / "viewer")) {
            if (entry.path().extension() != ".cpp") {
                continue;
            }
            std::ifstream in(entry.path());
            std::stringstream content;
            content << in.rdbuf();
            const std::string text = content.str();
            for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator();
                 ++it) {
                const std::string code = (*it)[1].str();
                QVERIFY2(catalog.contains(code),
                         qPrintable(QString::fromStdString(entry.path().string() + ": " + code)));
                QVERIFY2(names(catalog[code].first) == names(catalog[code].second), code.c_str());
                QVERIFY(!catalog[code].first.empty() && !catalog[code].second.empty());
                ++checked;
            }
        }
        QVERIFY(checked > 10);
    }
};

QTEST_MAIN(ViewerTest)
#include "test_viewer.moc"
