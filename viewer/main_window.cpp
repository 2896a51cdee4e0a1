#include "main_window.hpp"

#include "text.hpp"

#include <QDockWidget>
#include <QKeySequence>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>

namespace redline::viewer {

MainWindow::MainWindow(const MapData& map, const QString& workspace_name, QWidget* parent)
    : QMainWindow(parent),
      data_(map),
      canvas_(new MapCanvas(map, this)),
      layers_(new LayerPanel(map)),
      search_(new SearchPanel(map)),
      identify_(new IdentifyPanel(map)),
      position_(new QLabel),
      gauss_kruger_(new QLabel),
      scale_(new QLabel),
      timing_(new QLabel) {
    setWindowTitle(QStringLiteral("redline-viewer — ") + workspace_name);
    setCentralWidget(canvas_);

    // Left: search above the layers.
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(search_);
    left->addWidget(layers_);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 2);
    auto* left_dock = new QDockWidget(say("查找与图层", "Search and layers"), this);
    left_dock->setObjectName(QStringLiteral("layers"));
    left_dock->setWidget(left);
    left_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, left_dock);

    auto* right_dock = new QDockWidget(say("查询结果", "Identify"), this);
    right_dock->setObjectName(QStringLiteral("identify"));
    right_dock->setWidget(identify_);
    right_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, right_dock);
    resizeDocks({left_dock, right_dock}, {280, 360}, Qt::Horizontal);

    // Navigation.
    auto* tools = addToolBar(say("导航", "Navigation"));
    tools->setObjectName(QStringLiteral("navigation"));
    QAction* full = tools->addAction(say("全图", "Full extent"), canvas_, &MapCanvas::zoom_to_full_extent);
    full->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    full->setToolTip(say("缩放到全部分区（Home）", "Zoom to every zone (Home)"));
    QAction* in = tools->addAction(say("放大", "Zoom in"), canvas_, [this]() { canvas_->zoom_by(2); });
    in->setShortcut(QKeySequence::ZoomIn);
    QAction* out = tools->addAction(say("缩小", "Zoom out"), canvas_, [this]() { canvas_->zoom_by(0.5); });
    out->setShortcut(QKeySequence::ZoomOut);
    tools->addSeparator();
    QAction* labels = tools->addAction(say("标注", "Labels"));
    labels->setCheckable(true);
    labels->setChecked(true);
    labels->setToolTip(say("显示或隐藏分区名称", "Show or hide zone names"));
    connect(labels, &QAction::toggled, canvas_, &MapCanvas::set_labels);
    QMenu* file = menuBar()->addMenu(say("文件", "File"));
    QAction* quit = file->addAction(say("退出", "Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* view = menuBar()->addMenu(say("视图", "View"));
    view->addAction(full);
    view->addAction(in);
    view->addAction(out);
    view->addAction(labels);
    view->addSeparator();
    view->addAction(left_dock->toggleViewAction());
    view->addAction(right_dock->toggleViewAction());

    // The status bar: where the cursor is, in both coordinate systems, and the scale.
    statusBar()->addWidget(position_);
    statusBar()->addWidget(gauss_kruger_);
    statusBar()->addPermanentWidget(timing_);
    statusBar()->addPermanentWidget(scale_);
    position_->setMinimumWidth(320);
    timing_->setToolTip(say("上次绘制地图所用时间", "Time the last map drawing took"));

    connect(canvas_, &MapCanvas::cursor_moved, this, [this](QPointF plane) {
        position_->setText(position_text(plane));
        gauss_kruger_->setText(gauss_kruger_text(plane));
    });
    connect(canvas_, &MapCanvas::cursor_left, this, [this]() {
        position_->clear();
        gauss_kruger_->clear();
    });
    connect(canvas_, &MapCanvas::view_changed, this, &MainWindow::update_scale);
    connect(canvas_, &MapCanvas::rendered, this, &MainWindow::update_scale);
    connect(canvas_, &MapCanvas::identify_requested, this, &MainWindow::identify_at);
    connect(layers_, &LayerPanel::group_visibility_changed, canvas_, &MapCanvas::set_group_visible);
    connect(search_, &SearchPanel::zone_chosen, this, [this](int zone) { show_zones({zone}); });
    connect(identify_, &IdentifyPanel::zoom_requested, this, [this](int zone) { canvas_->zoom_to_zones({zone}); });
    update_scale();
    resize(1400, 900);
}

void MainWindow::show_zones(const std::vector<int>& zones) {
    canvas_->zoom_to_zones(zones);
    canvas_->set_highlighted(zones);
    identify_->show_zones(zones);
}

QString MainWindow::position_text(const QPointF& plane) const {
    const auto [lon, lat] = data_.to_lonlat(plane);
    if (!std::isfinite(lon) || !std::isfinite(lat)) {
        return {};
    }
    return say("经度 %1° 纬度 %2°（CGCS2000）", "lon %1° lat %2° (CGCS2000)")
        .arg(QString::number(lon, 'f', 6), QString::number(lat, 'f', 6));
}

QString MainWindow::gauss_kruger_text(const QPointF& plane) {
    const auto [lon, lat] = data_.to_lonlat(plane);
    if (!std::isfinite(lon) || !std::isfinite(lat) || std::abs(lat) > 84) {
        return {};
    }
    const GaussKrugerPoint gk = gk_.forward(lon, lat);
    if (!std::isfinite(gk.easting) || !std::isfinite(gk.northing)) {
        return {};
    }
    const QString crs = gk.epsg != 0 ? QStringLiteral("EPSG:%1").arg(gk.epsg) : say("非标准带", "no EPSG code");
    return say("高斯-克吕格 3°带 %1（%2）：X %3 m  Y %4 m", "Gauss-Krüger 3° zone %1 (%2): E %4 m  N %3 m")
        .arg(QString::number(gk.zone), crs, QString::number(gk.northing, 'f', 2), QString::number(gk.easting, 'f', 2));
}

void MainWindow::update_scale() {
    const double n = scale_denominator(data_, canvas_->view(), canvas_->logicalDpiX());
    scale_->setText(say("比例尺 1:%1", "Scale 1:%1").arg(grouped(std::round(n), 0)));
    const RenderStats& r = canvas_->last_render();
    if (canvas_->renders() > 0) {
        timing_->setText(say("绘制 %1 ms", "drawn in %1 ms").arg(QString::number(r.ms, 'f', 1)));
    }
}

void MainWindow::identify_at(const QPointF& plane, double tolerance) {
    const std::vector<int> zones = data_.zones_at(plane, tolerance, canvas_->settings().visible);
    identify_->show_zones(zones);
    canvas_->set_highlighted(zones);
}

}  // namespace redline::viewer
