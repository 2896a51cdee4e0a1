// The workspace's quality findings for mapping staff, as `redline validate` finds them:
// listed (check, severity, kind, zones, area, message), laid over the map coloured by
// severity, and stepped through one by one (buttons, F8 and Shift+F8), each zoomed to with
// its zones outlined. Validation runs on a worker thread, so the window stays responsive
// on a province's zones; it can be cancelled.
#pragma once

// moc (Qt 6.4) cannot parse C++20 concepts, which core's headers and the standard library
// use; it only needs the class below, so it does not read them.
#ifndef Q_MOC_RUN
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "overlay.hpp"
#include "redline/quality/quality.hpp"
#include "redline/store/workspace.hpp"
#endif

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QRectF>
#include <QTreeWidget>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace redline::viewer {

class FindingsPanel : public QWidget {
    Q_OBJECT

public:
    // Rows: the finding's index in report()->findings. Area cells: the area in m² (double).
    static constexpr int finding_role = Qt::UserRole + 1;
    static constexpr int value_role = Qt::UserRole + 2;
    // Filter entries: the check (its int value), -1 for every check.
    static constexpr int check_role = Qt::UserRole + 3;

    enum Column { column_check, column_severity, column_kind, column_zones, column_area, column_message };

    // Every finding shown (the filter's), and the one stepped to on top of them.
    static constexpr const char* overlay_name = "findings";
    static constexpr const char* current_overlay_name = "findings/current";
    static QColor severity_colour(Severity severity);

    // `workspace` opened read-only, a handle of its own (not an edit session's writable one):
    // the worker reads it while the window goes on, and it sees the versions committed
    // since when it reads again. Everything passed must outlive the panel.
    FindingsPanel(const Workspace& workspace, const SchemaSet& schemas, const MapData& map, MapCanvas* canvas,
                  QWidget* parent = nullptr);
    ~FindingsPanel() override;
    FindingsPanel(const FindingsPanel&) = delete;
    FindingsPanel& operator=(const FindingsPanel&) = delete;

    QTreeWidget* list() const { return list_; }
    QComboBox* filter() const { return filter_; }
    QLabel* status() const { return status_; }
    QPushButton* validate_button() const { return validate_; }
    QPushButton* previous_button() const { return previous_; }
    QPushButton* next_button() const { return next_; }
    QPushButton* clear_button() const { return clear_; }
    // Stepping, with their keys (F8, Shift+F8; window-wide): for a menu of the main window.
    QAction* next_action() const { return next_action_; }
    QAction* previous_action() const { return previous_action_; }

    // Validates the current zones on the worker (ValidateOptions' defaults); job_finished
    // when the list and the overlay are ready. Nothing when a validation is running.
    void validate();
    void cancel();
    bool busy() const { return worker_.joinable(); }
    // The last validation; null before the first or after clear().
    const ValidationReport* report() const { return report_.get(); }

    // Shows finding `index` (of report()->findings): zoomed to, its zones outlined, its row
    // current.
    void show_finding(int index);
    // To the next (+1) or previous (-1) finding the filter lets through, round the end.
    void step(int direction);
    int current() const { return current_; }  // -1: none
    // The zones of a finding in the map (MapData indices).
    std::vector<int> zones_of(int index) const;
    // Takes the findings off the map and the list.
    void clear();

signals:
    void job_finished(bool ok);
    void finding_shown(int index);

private:
    void job_done(std::shared_ptr<const ValidationReport> report, const QString& error);
    void fill();
    void apply_filter();
    void update_buttons();
    bool passes(int index) const;

    const Workspace& workspace_;
    const SchemaSet& schemas_;
    const MapData& data_;
    MapCanvas* canvas_;
    std::shared_ptr<const ValidationReport> report_;
    std::vector<OverlayShape> shapes_;  // per finding: its geometry and place (empty when none)
    int current_ = -1;
    std::vector<int> highlighted_;
    std::thread worker_;
    std::unique_ptr<Progress> progress_;

    QPushButton* validate_;
    QPushButton* cancel_;
    QPushButton* previous_;
    QPushButton* next_;
    QPushButton* clear_;
    QComboBox* filter_;
    QLabel* status_;
    QTreeWidget* list_;
    QAction* next_action_;
    QAction* previous_action_;
};

}  // namespace redline::viewer
