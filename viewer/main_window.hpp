// The viewer's window: the map in the middle, search and layers on the left, the zones
// under the last click on the right, and the cursor's place and the scale below.
#pragma once

// moc (Qt 6.4) cannot parse C++20 concepts, which core's headers and the standard library
// use; it only needs the class below, so it does not read them.
#ifndef Q_MOC_RUN
#include "edit_controller.hpp"
#include "edit_panels.hpp"
#include "edit_tools.hpp"
#include "findings_panel.hpp"
#include "history_panel.hpp"
#include "map_canvas.hpp"
#include "map_data.hpp"
#include "panels.hpp"
#include "redline/projection.hpp"
#include "screening_panel.hpp"
#endif

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QMainWindow>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace redline::viewer {

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(MapData& map, const QString& workspace_name, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Editing: the workspace open for writing, unsaved edits journaled to `journal`. A
    // journal left by an earlier viewer is offered back (ask: a dialog; else restored).
    void enable_editing(Workspace& workspace, const SchemaSet& schemas, const std::filesystem::path& journal,
                        bool ask = true);
    EditController* editor() const { return editor_.get(); }
    // Screening footprints (File menu, drag and drop): `workspace` as given (a connection
    // string with its password, not the displayed path).
    void enable_screening(const std::string& workspace, const SchemaSet& schemas);
    ScreeningPanel* screening() const { return screening_; }
    // Version history and validation findings (docks; the 检查 menu): `workspace` a read-only
    // handle of its own (the panels read on a worker thread) that outlives the window.
    void enable_quality(const Workspace& workspace, const SchemaSet& schemas);
    HistoryPanel* history() const { return history_; }
    FindingsPanel* findings() const { return findings_; }
    LawPanel* law() const { return law_; }
    QComboBox* kind_picker() const { return kind_picker_; }
    // The editing tools by name ("select", "vertex", "draw", "add_part", "add_ring", "split",
    // "reshape", "move", "delete_part"), to choose one as the toolbar does.
    MapTool* edit_tool(const std::string& name) const;
    void choose_tool(const std::string& name);
    QAction* edit_action(const std::string& name) const;  // also "merge", "retire", "fields", "undo", "redo", "save"
    // Saves through the dialog (basis asked for when guarded ground is lost); a conflict is
    // shown zone by zone with the choice to take the new base. Returns whether it saved.
    bool save_edits();
    // How the window asks for things; tests replace them to answer without a dialog.
    FieldsPrompt fields_prompt;
    std::function<bool(SaveDialog&)> run_save_dialog;
    std::function<bool(const QString& conflict)> ask_rebase;

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
    void update_edit_actions();
    bool closing_with_unsaved();
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void identify_at(const QPointF& plane, double tolerance);

    MapData& data_;
    std::unique_ptr<EditController> editor_;
    std::map<std::string, std::unique_ptr<MapTool>> tools_;
    std::map<std::string, QAction*> edit_actions_;
    QActionGroup* tool_group_ = nullptr;
    QComboBox* kind_picker_ = nullptr;
    LawPanel* law_ = nullptr;
    ScreeningPanel* screening_ = nullptr;
    HistoryPanel* history_ = nullptr;
    FindingsPanel* findings_ = nullptr;
    QDockWidget* screening_dock_ = nullptr;
    QMenu* file_menu_ = nullptr;
    QMenu* view_menu_ = nullptr;
    QAction* quit_ = nullptr;
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
