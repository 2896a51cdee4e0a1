// The viewer's window: the map in the middle, search and layers on the left, the zones
// under the last click on the right, and the cursor's place and the scale below.
#pragma once

// moc (Qt 6.4) cannot parse C++20 concepts, which core's headers and the standard library
// use; it only needs the class below, so it does not read them.
#ifndef Q_MOC_RUN
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "panels.hpp"
#include "redline/projection.hpp"
#endif

#include <QAction>
#include <QLabel>
#include <QMainWindow>

namespace redline::viewer {

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(const MapData& map, const QString& workspace_name, QWidget* parent = nullptr);

    MapCanvas* canvas() const { return canvas_; }
    LayerPanel* layers() const { return layers_; }
    SearchPanel* search() const { return search_; }
    IdentifyPanel* identify() const { return identify_; }
    QLabel* position_label() const { return position_; }
    QLabel* gauss_kruger_label() const { return gauss_kruger_; }
    QLabel* scale_label() const { return scale_; }

    // Shows these zones: zoomed to, outlined, listed in the identify panel.
    void show_zones(const std::vector<int>& zones);
    // The status bar's texts for a plane point.
    QString position_text(const QPointF& plane) const;
    QString gauss_kruger_text(const QPointF& plane);

private:
    void update_scale();
    void identify_at(const QPointF& plane, double tolerance);

    const MapData& data_;
    MapCanvas* canvas_;
    LayerPanel* layers_;
    SearchPanel* search_;
    IdentifyPanel* identify_;
    QLabel* position_;
    QLabel* gauss_kruger_;
    QLabel* scale_;
    QLabel* timing_;
    GaussKruger3Degree gk_;
};

}  // namespace redline::viewer
