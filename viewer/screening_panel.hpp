// The screening panel: a reviewer opens a footprint (any file `redline check` reads, or one
// dropped on the window) and sees what the check says of it: the footprint and its hits on
// the map, the overall verdict in its colour, per footprint the zones met with their
// measures, the rules with their legal basis, how the input was read and what was wrong
// with it; and writes the screening report (PDF or HTML) of what is shown. The reading, the
// screening and the report are core's (read_footprints, Screener, screen_footprints,
// write_screening_report), as the CLI drives them; one screener stays open for the next
// footprint.
#pragma once

// moc (Qt 6.4) cannot parse C++20 concepts, which core's headers and the standard library
// use; it only needs the class below, so it does not read them.
#ifndef Q_MOC_RUN
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "panels.hpp"
#include "redline/screening/check_run.hpp"
#endif

#include <QAction>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QString>
#include <QStringList>
#include <QTreeWidget>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline::viewer {

class ScreeningPanel : public QWidget {
    Q_OBJECT

public:
    // The overlays laid on the canvas (drawn in the order of their names).
    static inline const QString footprint_overlay = QStringLiteral("screening/footprint");
    static inline const QString hits_overlay = QStringLiteral("screening/hits");
    // Tree items a click zooms to: the plane rectangle (QRectF), and the workspace fid
    // (qlonglong) of the zone to outline.
    static constexpr int target_role = Qt::UserRole + 1;
    static constexpr int zone_role = Qt::UserRole + 2;

    // `workspace`: the path or PG:... connection the map was loaded from (not its display
    // name, whose password is hidden). The canvas must outlive the panel.
    ScreeningPanel(MapCanvas* canvas, const MapData& map, std::string workspace, const SchemaSet& schemas,
                   QWidget* parent = nullptr);
    ~ScreeningPanel() override;

    // Reads a footprint file as `redline check` does (format and CRS detected, default
    // options), screens it against the workspace, shows the result and lays it on the map.
    // False with the reason in `error` (and in the panel) when nothing could be screened;
    // footprints that were read but not fully checked are shown as such (true).
    bool open_footprint(const QString& path, QString* error = nullptr);
    // The screening report of what is shown: PDF or HTML by the extension.
    bool write_report(const QString& path, QString* error = nullptr);
    // Local files with an extension `redline check` reads (one of them is enough).
    static bool accepts(const QMimeData* mime);
    // Opens the first file of a drop that accepts() would take.
    // Opens dropped files once the drop is over (the program they came from is not kept
    // waiting): what a drop on the panel or on the window does.
    void open_dropped_later(const QMimeData* mime);
    bool open_dropped(const QMimeData* mime, QString* error = nullptr);
    // Takes the result away: the panel empties, the overlays leave the map.
    void clear();
    // Edits not yet saved, in this many zones: screening and its report use the saved
    // version (a report cites a version), and the panel says so while there are any.
    void set_unsaved_edits(std::size_t zones);

    // The file dialogs (what the actions do).
    void choose_footprint();
    void choose_report();

    // 打开项目范围… (Ctrl+O) and 写出研判报告… (enabled once something was screened), for
    // the window's menu and tool bar.
    QAction* open_action() const { return open_action_; }
    QAction* report_action() const { return report_action_; }

    // What is shown: the last run (null when none), the path it was read from.
    const CheckRun* run() const { return run_ ? &*run_ : nullptr; }
    const QString& footprint_path() const { return path_; }
    // The overall verdict: the most severe of the checked footprints' (none when nothing is
    // shown). Complete: every footprint checked and no error in the input or the workspace;
    // when not, the panel says the screening is incomplete instead of a verdict.
    std::optional<Verdict> overall_verdict() const;
    bool complete() const;
    QLabel* verdict_label() const { return verdict_; }
    QLabel* error_label() const { return error_; }
    QLabel* source_label() const { return source_; }
    QLabel* notice_label() const { return notice_; }
    QLabel* unsaved_label() const { return unsaved_; }
    QTreeWidget* results() const { return tree_; }
    // How many times a screener was opened (once per workspace version and legal date).
    int screeners_opened() const { return screeners_opened_; }

    // The extensions, lower case without the dot, of the files `redline check` reads.
    static const QStringList& footprint_extensions();
    // "项目范围 (*.txt *.csv ...)" for a file dialog.
    static QString file_filter();

    QSize sizeHint() const override { return {400, 600}; }

signals:
    // A footprint was screened and is shown (the window may raise the panel's dock).
    void footprint_opened(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void show_error(const QString& message);
    void show_run();
    void lay_overlays();
    void fill_tree();
    const Screener& screener();

    MapCanvas* canvas_;
    const MapData& data_;
    std::string workspace_;
    SchemaSet schemas_;
    std::unique_ptr<Screener> screener_;
    int screeners_opened_ = 0;
    std::optional<CheckRun> run_;
    QString path_;
    QString last_dir_;  // where the file dialogs open

    QPushButton* open_button_;
    QPushButton* report_button_;
    QLabel* source_;
    QLabel* verdict_;
    QLabel* error_;
    QLabel* notice_;
    QLabel* unsaved_;
    FieldTree* tree_;
    QAction* open_action_;
    QAction* report_action_;
};

}  // namespace redline::viewer
