// The workspace's versions, newest first, for mapping staff: who made each and on what
// basis (调整依据); one version's zones laid over the map as dashed outlines, and two
// versions (or one and the current zones) compared as `redline diff` compares them: the
// areas gained (green) and lost (red hatch) per zone, coverage a kind lost (cross-hatched,
// outlined), the changes per zone and each kind's balance. Reading and comparing run on a
// worker thread, so the window stays responsive on a province's zones.
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

#include <QLabel>
#include <QPushButton>
#include <QRectF>
#include <QString>
#include <QTreeWidget>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace redline::viewer {

// A version's zones as the map shows them over the current ones: each outline dashed in
// its kind's colour over a white casing, in the map's drawing order. Prepared on every
// core, at the zones' levels of detail; safe from a job's worker thread.
std::shared_ptr<Overlay> dashed_version(const MapData& data, const SchemaSet& schemas, const std::vector<Zone>& zones);

class HistoryPanel : public QWidget {
    Q_OBJECT

public:
    // Version rows: the version id. Change rows and lost-coverage rows: their index in
    // report()->changes / report()->lost. Area cells: the value in m² (double).
    static constexpr int version_role = Qt::UserRole + 1;
    static constexpr int change_role = Qt::UserRole + 2;
    static constexpr int lost_role = Qt::UserRole + 3;
    static constexpr int value_role = Qt::UserRole + 4;

    enum VersionColumn {
        version_id,
        version_time,
        version_operation,
        version_kind,
        version_author,
        version_note,
        version_basis
    };
    enum ChangeColumn { change_kind, change_zone, change_type, change_gained, change_lost, change_fields };
    enum BalanceColumn {
        balance_kind,
        balance_zones,
        balance_counts,
        balance_area,
        balance_gained,
        balance_lost,
        balance_coverage_lost
    };

    // The overlays the panel lays on the canvas, drawn in the order of their names.
    static constexpr const char* version_overlay = "history/version";
    static constexpr const char* gained_overlay = "history/gained";
    static constexpr const char* lost_overlay = "history/lost";
    static constexpr const char* coverage_lost_overlay = "history/lost_coverage";

    // How they look: gained a green tint; lost a red hatch over a faint red tint; coverage
    // lost the other hatch (so it reads cross-hatched over the lost area) in dark red, with a
    // thick outline and a marker that stays visible at any scale.
    static OverlayStyle gained_style();
    static OverlayStyle lost_style();
    static OverlayStyle coverage_lost_style();

    // `workspace` opened read-only, a handle of its own (not an edit session's writable one):
    // the worker reads it while the window goes on, and it sees the versions committed
    // since when it reads again. Everything passed must outlive the panel.
    HistoryPanel(const Workspace& workspace, const SchemaSet& schemas, const MapData& map, MapCanvas* canvas,
                 QWidget* parent = nullptr);
    ~HistoryPanel() override;
    HistoryPanel(const HistoryPanel&) = delete;
    HistoryPanel& operator=(const HistoryPanel&) = delete;

    QTreeWidget* versions() const { return versions_; }
    QTreeWidget* balance() const { return balance_; }
    QTreeWidget* changes() const { return changes_; }
    QLabel* status() const { return status_; }
    QPushButton* show_button() const { return show_; }
    QPushButton* compare_button() const { return compare_; }
    QPushButton* clear_button() const { return clear_; }

    // Reads the workspace's versions again (another writer may have committed).
    void reload();
    // The versions selected in the list, oldest first.
    std::vector<std::int64_t> selected_versions() const;
    // What the buttons do: show the one version selected; compare the two selected (older
    // to newer), or the one selected against the current zones; clear the overlays.
    void show_selected();
    void compare_selected();
    void clear();

    // Lays a version's zones over the map (overlay "history/version"), on the worker.
    void show_version(std::int64_t version);
    // Compares a version with a later one, or with the current zones when `after` is none.
    void compare(std::int64_t before, std::optional<std::int64_t> after);
    // The last comparison; null before the first or after clear().
    const DiffReport* report() const { return report_.get(); }
    // Zooms to a change's areas (else its zone, else its place) and outlines its zone.
    void zoom_to_change(int change);
    void zoom_to_lost(int lost);
    bool busy() const { return worker_.joinable(); }

signals:
    // A show or compare is done: its overlays laid and its tables filled (ok), or it failed
    // or was cancelled (the status says why).
    void job_finished(bool ok);

private:
    // A job for the worker: reads and measures, then returns what the GUI thread does with
    // the result (lay overlays, fill tables).
    using Job = std::function<std::function<void()>(Progress&)>;
    void run(const QString& what, Job job);
    void job_done(const std::function<void()>& finish, const QString& error);
    void update_buttons();
    void lay_version(std::int64_t version, std::shared_ptr<Overlay> overlay, std::size_t unusable);
    void lay_diff(std::shared_ptr<const DiffReport> report);
    void fill_tables();
    QString kind_name(const std::string& kind) const;
    QString version_text(std::int64_t version) const;

    const Workspace& workspace_;
    const SchemaSet& schemas_;
    const MapData& data_;
    MapCanvas* canvas_;
    std::vector<VersionInfo> version_infos_;  // as read, oldest first
    std::shared_ptr<const DiffReport> report_;
    std::vector<QRectF> change_bounds_;  // per change: its areas in the display plane
    std::vector<QRectF> lost_bounds_;    // per piece of coverage lost
    std::vector<int> highlighted_;       // the zones a change row outlined
    std::thread worker_;
    std::unique_ptr<Progress> progress_;

    QTreeWidget* versions_;
    QPushButton* show_;
    QPushButton* compare_;
    QPushButton* clear_;
    QPushButton* reload_;
    QPushButton* cancel_;
    QLabel* status_;
    QLabel* summary_;
    QTreeWidget* balance_;
    QTreeWidget* changes_;
};

}  // namespace redline::viewer
