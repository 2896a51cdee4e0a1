// A raster background under the zones: --background with --render and on the canvas. The
// raster (four coloured quadrants over the demo, written here with GDAL) must show its
// colour where no zone is, under a zone's fill where one is, and a raster that cannot be
// shown must end the program the way a missing workspace does.
#include "background.hpp"
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "map_renderer.hpp"
#include "text.hpp"
#include "viewer_test_support.hpp"

#include "redline/store/workspace.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <QProcess>
#include <QtTest/QtTest>

#include <array>
#include <cmath>
#include <memory>
#include <optional>
#include <set>

using namespace redline;
using namespace redline::viewer;
using test::Run;
using test::run_viewer;

namespace {

// The raster: 120.5-124.0E, 38.5-40.5N in CGCS2000 degrees, 0.005° pixels, split at 122E
// and 39.5N: north-west, north-east, south-west, south-east.
constexpr double west = 120.5, east = 124.0, south = 38.5, north = 40.5, split_lon = 122.0, split_lat = 39.5;
const std::array<QColor, 4> quadrant_colours{QColor(250, 200, 120), QColor(140, 210, 240), QColor(170, 230, 150),
                                             QColor(230, 170, 220)};

QColor quadrant_of(double lon, double lat) {
    return quadrant_colours[(lat < split_lat ? 2 : 0) + (lon < split_lon ? 0 : 1)];
}

void write_quadrants(const QString& path, bool with_crs) {
    GDALAllRegister();
    const int width = 700, height = 400;
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDataset* ds = gtiff->Create(path.toStdString().c_str(), width, height, 3, GDT_Byte, nullptr);
    QVERIFY(ds != nullptr);
    double geotransform[6] = {west, (east - west) / width, 0, north, 0, -(north - south) / height};
    ds->SetGeoTransform(geotransform);
    if (with_crs) {
        OGRSpatialReference srs;
        srs.importFromEPSG(4490);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        ds->SetSpatialRef(&srs);
    }
    std::vector<std::uint8_t> values(static_cast<std::size_t>(width) * height);
    for (int b = 0; b < 3; ++b) {
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                const QColor c =
                    quadrant_of(west + (x + 0.5) * (east - west) / width, north - (y + 0.5) * (north - south) / height);
                values[static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)] =
                    static_cast<std::uint8_t>(b == 0   ? c.red()
                                              : b == 1 ? c.green()
                                                       : c.blue());
            }
        }
        QVERIFY(ds->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, width, height, values.data(), width, height,
                                                   GDT_Byte, 0, 0, nullptr) == CE_None);
    }
    GDALClose(GDALDataset::ToHandle(ds));
}

bool close_to(const QColor& a, const QColor& b, int tolerance) {
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

// The pixel and the 5 × 5 around it are one colour: no outline, label or edge nearby.
bool uniform(const QImage& image, int x, int y) {
    if (x < 2 || y < 2 || x + 2 >= image.width() || y + 2 >= image.height()) {
        return false;
    }
    const QRgb centre = image.pixel(x, y);
    for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
            if (image.pixel(x + dx, y + dy) != centre) {
                return false;
            }
        }
    }
    return true;
}

// The fills of the zones at a point laid over a colour, bottom first (zones_at lists the
// top first).
QColor composite(const MapData& data, const std::vector<int>& zones, QColor under) {
    for (auto it = zones.rbegin(); it != zones.rend(); ++it) {
        const QColor fill = fill_colour(
            data.groups()[static_cast<std::size_t>(data.zones()[static_cast<std::size_t>(*it)].group)].style);
        const double a = fill.alphaF();
        under = QColor::fromRgbF(static_cast<float>(fill.redF() * a + under.redF() * (1 - a)),
                                 static_cast<float>(fill.greenF() * a + under.greenF() * (1 - a)),
                                 static_cast<float>(fill.blueF() * a + under.blueF() * (1 - a)));
    }
    return under;
}

QString show(const QColor& c) {
    return QStringLiteral("%1,%2,%3").arg(c.red()).arg(c.green()).arg(c.blue());
}

}  // namespace

class BackgroundTest : public QObject {
    Q_OBJECT

private:
    QString workspace_, dir_, raster_;
    std::optional<MapData> data_;

private slots:
    void initTestCase() {
        add_viewer_messages();
        set_language(Language::zh);
        const auto ws = test::build_demo_workspace("viewer_background");
        workspace_ = QString::fromStdString(ws.string());
        dir_ = QString::fromStdString(ws.parent_path().string());
        raster_ = dir_ + "/quadrants.tif";
        write_quadrants(raster_, true);
        const Workspace workspace = Workspace::open_read_only(ws.string());
        data_.emplace(MapData::load(workspace, test::schemas()));
    }

    void render_shows_the_raster_under_the_zones() {
        const QString out = dir_ + "/background.png";
        const Run run = run_viewer({workspace_, "--background", raster_, "--render", out, "--size", "600x450"});
        QVERIFY2(run.exit_code == 0, qPrintable(run.err));
        const QImage written = QImage(out).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(written.size(), QSize(600, 450));

        // The same view drawn here, with the background and without.
        const MapData& data = *data_;
        MapView view;
        view.size = QSizeF(600, 450);
        fit_view(view, data.full_extent());
        RenderSettings settings;
        settings.background = open_background(raster_);
        RenderStats stats;
        const QImage with = render_image(data, view, settings, 1, &stats).convertToFormat(QImage::Format_RGB32);
        QVERIFY(!stats.background_problem);
        QVERIFY(written == with);
        // The pixels are looked at without labels and the scale bar (its translucent box).
        settings.labels = false;
        settings.decorations = false;
        const QImage with_plain = render_image(data, view, settings).convertToFormat(QImage::Format_RGB32);
        RenderSettings bare_settings;
        bare_settings.labels = false;
        bare_settings.decorations = false;
        const QImage without = render_image(data, view, bare_settings).convertToFormat(QImage::Format_RGB32);

        // Where nothing is drawn, the raster's colour; where zones are filled, their fills
        // over it. Pixels near a quadrant's edge, an outline or a label are left out.
        int empty = 0, filled = 0;
        std::set<QRgb> colours_seen;
        for (int y = 4; y < 446; y += 3) {
            for (int x = 4; x < 596; x += 3) {
                const QPointF plane = view.to_plane(QPointF(x + 0.5, y + 0.5));
                const auto [lon, lat] = data.to_lonlat(plane);
                if (std::abs(lon - split_lon) < 0.03 || std::abs(lat - split_lat) < 0.03 || lon < west + 0.03 ||
                    lon > east - 0.03 || lat < south + 0.03 || lat > north - 0.03 || !uniform(without, x, y) ||
                    !uniform(with_plain, x, y)) {
                    continue;
                }
                const QColor raster = quadrant_of(lon, lat);
                const std::vector<int> zones = data.zones_at(plane, 0);
                const QColor bare = without.pixelColor(x, y);
                const QColor shown = with_plain.pixelColor(x, y);
                if (zones.empty() && bare == QColor(Qt::white)) {
                    QVERIFY2(close_to(shown, raster, 1), qPrintable(QStringLiteral("empty at %1,%2: %3, raster %4")
                                                                        .arg(x)
                                                                        .arg(y)
                                                                        .arg(show(shown), show(raster))));
                    colours_seen.insert(raster.rgb());
                    ++empty;
                } else if (!zones.empty() && bare != QColor(Qt::white) &&
                           close_to(bare, composite(data, zones, Qt::white), 3)) {
                    // A zone's fill (only fills here): over white without the raster, over the
                    // raster with it.
                    const QColor expected = composite(data, zones, raster);
                    QVERIFY2(close_to(shown, expected, 3), qPrintable(QStringLiteral("zone at %1,%2: %3, expected %4")
                                                                          .arg(x)
                                                                          .arg(y)
                                                                          .arg(show(shown), show(expected))));
                    QVERIFY(!close_to(shown, raster, 2));
                    ++filled;
                }
            }
        }
        qInfo("%d empty pixels checked (%zu quadrant colours), %d under zone fills", empty, colours_seen.size(),
              filled);
        QVERIFY(empty > 100);
        QVERIFY(colours_seen.size() >= 3);
        QVERIFY(filled > 50);

        // How long the background takes in a redraw the size of the bench's (not asserted:
        // bench/README.md has the figures).
        MapView big;
        big.size = QSizeF(1400, 900);
        fit_view(big, data.full_extent());
        RenderSettings full;
        full.background = settings.background;
        RenderStats first, again;
        render_image(data, big, full, 1, &first);
        big.pan(QPointF(1, 0));
        render_image(data, big, full, 1, &again);
        qInfo("1400x900: background %.1f ms of %.1f ms the first time, %.1f ms of %.1f ms a pixel aside",
              first.background_ms, first.ms, again.background_ms, again.ms);
    }

    void a_bad_background_ends_like_a_missing_workspace() {
        const QString never = dir_ + "/never.png";
        const Run missing = run_viewer({workspace_, "--background", dir_ + "/missing.tif", "--render", never});
        QCOMPARE(missing.exit_code, 3);
        QVERIFY2(missing.err.startsWith(QStringLiteral("redline-viewer: ")) &&
                     missing.err.contains(dir_ + QStringLiteral("/missing.tif：找不到底图文件")),
                 qPrintable(missing.err));
        const Run en =
            run_viewer({workspace_, "--background", dir_ + "/missing.tif", "--render", never, "--lang", "en"});
        QCOMPARE(en.exit_code, 3);
        QVERIFY2(en.err.contains(QStringLiteral("background raster not found")), qPrintable(en.err));

        const QString no_crs = dir_ + "/no_crs.tif";
        write_quadrants(no_crs, false);
        const Run crs = run_viewer({workspace_, "--background", no_crs, "--render", never});
        QCOMPARE(crs.exit_code, 3);
        QVERIFY2(crs.err.contains(QStringLiteral("没有坐标参考系")) && crs.err.contains(QStringLiteral("-a_srs")),
                 qPrintable(crs.err));
        QVERIFY(!QFile::exists(never));

        const Run no_value = run_viewer({workspace_, "--render", never, "--background"});
        QCOMPARE(no_value.exit_code, 2);
        QVERIFY(run_viewer({"--help"}).out.contains(QStringLiteral("--background 文件")));
        QVERIFY(run_viewer({"--help", "--lang", "en"}).out.contains(QStringLiteral("--background FILE")));
    }

    void the_canvas_takes_a_background_and_draws_what_render_draws() {
        MapCanvas canvas(*data_);
        canvas.resize(640, 480);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        canvas.zoom_to_full_extent();
        canvas.render_if_needed();
        const int before = canvas.renders();

        QString error;
        QVERIFY2(set_background(canvas, raster_, &error), qPrintable(error));
        QVERIFY(canvas.settings().background != nullptr);
        canvas.render_if_needed();
        QCOMPARE(canvas.renders(), before + 1);
        QVERIFY(!canvas.last_render().background_problem);
        const QImage shown = canvas.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
        const QImage drawn = render_image(*data_, canvas.view(), canvas.settings());
        QVERIFY(shown == drawn);
        QVERIFY(shown != render_image(*data_, canvas.view(), RenderSettings{}));

        // A file that cannot be shown: refused with the reason, the background kept.
        const auto kept = canvas.settings().background;
        QVERIFY(!set_background(canvas, dir_ + "/missing.tif", &error));
        QVERIFY2(error.contains(QStringLiteral("missing.tif：找不到底图文件")), qPrintable(error));
        QCOMPARE(canvas.settings().background, kept);
        QVERIFY(background_file_filter().contains(QStringLiteral("*.mbtiles")));

        clear_background(canvas);
        QVERIFY(canvas.settings().background == nullptr);
        canvas.render_if_needed();
        QCOMPARE(canvas.renders(), before + 2);
    }
};

QTEST_MAIN(BackgroundTest)
#include "test_background.moc"
