// The side panels: layers (kinds and sub-zones to show or hide, with their style),
// search (zones by name or code), and identify (the zones under a click, every field).
#pragma once

// moc (Qt 6.4) cannot parse C++20 concepts, which core's headers and the standard library
// use; it only needs the class below, so it does not read them.
#ifndef Q_MOC_RUN
#include "map_data.hpp"
#endif

#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTreeWidget>
#include <QWidget>

#include <vector>

namespace redline::viewer {

// A small picture of a style: its fill over white, its outline, dashed when it is.
QIcon style_swatch(const ZoneStyle& style);

class LayerPanel : public QTreeWidget {
    Q_OBJECT

public:
    static constexpr int group_role = Qt::UserRole + 1;

    explicit LayerPanel(const MapData& map, QWidget* parent = nullptr);
    // The item that shows and hides a layer group.
    QTreeWidgetItem* item_for_group(int group) const;

signals:
    void group_visibility_changed(int group, bool visible);

private:
    std::vector<QTreeWidgetItem*> group_items_;
};

class SearchPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int zone_role = Qt::UserRole + 1;

    explicit SearchPanel(const MapData& map, QWidget* parent = nullptr);
    QLineEdit* input() const { return input_; }
    QListWidget* results() const { return results_; }

signals:
    void zone_chosen(int zone);

private:
    void update_results(const QString& text);

    const MapData& data_;
    QLineEdit* input_;
    QListWidget* results_;
    QLabel* summary_;
};

// A two-column tree, a name and its value, whose values wrap and whose rows grow to hold
// them, measured again whenever the width changes (Qt does not grow rows for wrapped text
// by itself). A row whose first column spans both wraps across the width.
class FieldTree : public QTreeWidget {
    Q_OBJECT

public:
    FieldTree(const QString& name_header, const QString& value_header, QWidget* parent = nullptr);
    void fit_rows();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fit(QTreeWidgetItem* item, int depth);
};

class IdentifyPanel : public FieldTree {
    Q_OBJECT

public:
    static constexpr int zone_role = Qt::UserRole + 1;

    explicit IdentifyPanel(const MapData& map, QWidget* parent = nullptr);
    void show_zones(const std::vector<int>& zones);
    // Where each zone's version history is read (a handle that outlives the panel); none:
    // no history is listed.
    void set_workspace(const Workspace* workspace) { workspace_ = workspace; }
    QSize sizeHint() const override { return {360, 500}; }
    const std::vector<int>& zones() const { return zones_; }

signals:
    void zoom_requested(int zone);

private:
    void add_history(QTreeWidgetItem* zone_item, const Zone& zone);
    const MapData& data_;
    const Workspace* workspace_ = nullptr;
    std::vector<int> zones_;
};

// "1 234 567.8 m²（123.46 公顷）"
QString area_text(double square_metres);

}  // namespace redline::viewer
