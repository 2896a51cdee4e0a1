#include "main_window.hpp"

#include "background.hpp"
#include "redline/errors.hpp"
#include "text.hpp"

#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>

namespace redline::viewer {

MainWindow::MainWindow(MapData& map, const QString& workspace_name, QWidget* parent)
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
    setWindowTitle(QStringLiteral("redline-viewer — ") + workspace_name + QStringLiteral("[*]"));
    setCentralWidget(canvas_);

    // Left: search above the layers.
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(search_);
    left->addWidget(layers_);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 2);
    auto* left_dock = new QDockWidget(ui("MainWindow", "Search and layers"), this);
    left_dock->setObjectName(QStringLiteral("layers"));
    left_dock->setWidget(left);
    left_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, left_dock);

    auto* right_dock = new QDockWidget(ui("MainWindow", "Identify"), this);
    right_dock->setObjectName(QStringLiteral("identify"));
    right_dock->setWidget(identify_);
    right_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, right_dock);
    resizeDocks({left_dock, right_dock}, {280, 360}, Qt::Horizontal);

    // Navigation.
    auto* tools = addToolBar(ui("MainWindow", "Navigation"));
    tools->setObjectName(QStringLiteral("navigation"));
    QAction* full = tools->addAction(ui("MainWindow", "Full extent"), canvas_, &MapCanvas::zoom_to_full_extent);
    full->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    full->setToolTip(ui("MainWindow", "Zoom to every zone (Home)"));
    QAction* in = tools->addAction(ui("MainWindow", "Zoom in"), canvas_, [this]() { canvas_->zoom_by(2); });
    in->setShortcut(QKeySequence::ZoomIn);
    QAction* out = tools->addAction(ui("MainWindow", "Zoom out"), canvas_, [this]() { canvas_->zoom_by(0.5); });
    out->setShortcut(QKeySequence::ZoomOut);
    tools->addSeparator();
    QAction* labels = tools->addAction(ui("MainWindow", "Labels"));
    labels->setCheckable(true);
    labels->setChecked(true);
    labels->setToolTip(ui("MainWindow", "Show or hide zone names"));
    connect(labels, &QAction::toggled, canvas_, &MapCanvas::set_labels);
    QMenu* file = menuBar()->addMenu(ui("MainWindow", "File"));
    QAction* quit = file->addAction(ui("MainWindow", "Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* view = menuBar()->addMenu(ui("MainWindow", "View"));
    view->addAction(full);
    view->addAction(in);
    view->addAction(out);
    view->addAction(labels);
    view->addSeparator();
    view->addAction(left_dock->toggleViewAction());
    view->addAction(right_dock->toggleViewAction());
    file_menu_ = file;
    view_menu_ = view;
    quit_ = quit;
    // A local raster under the zones (GeoTIFF, MBTiles, ...): no network needed.
    QAction* background = new QAction(ui("MainWindow", "Open background…"), this);
    connect(background, &QAction::triggered, this, [this]() {
        const QString path = QFileDialog::getOpenFileName(this, ui("MainWindow", "Open background"), QString(),
                                                          background_file_filter());
        QString error;
        if (!path.isEmpty() && !set_background(*canvas_, path, &error)) {
            QMessageBox::warning(this, ui("MainWindow", "Cannot open the background"), error);
        }
    });
    QAction* no_background = new QAction(ui("MainWindow", "Remove background"), this);
    connect(no_background, &QAction::triggered, this, [this]() { clear_background(*canvas_); });
    file->insertAction(quit, background);
    file->insertAction(quit, no_background);
    file->insertSeparator(quit);

    // The status bar: where the cursor is, in both coordinate systems, and the scale.
    statusBar()->addWidget(position_);
    statusBar()->addWidget(gauss_kruger_);
    statusBar()->addPermanentWidget(timing_);
    statusBar()->addPermanentWidget(scale_);
    position_->setMinimumWidth(320);
    timing_->setToolTip(ui("MainWindow", "Time the last map drawing took"));

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

MainWindow::~MainWindow() {
    canvas_->set_tool(nullptr);
}

void MainWindow::enable_editing(Workspace& workspace, const SchemaSet& schemas, const std::filesystem::path& journal,
                                bool ask) {
    editor_ = std::make_unique<EditController>(workspace, schemas, data_, canvas_, journal);
    EditController& editor = *editor_;
    fields_prompt = [this](const ZoneEdit& prefilled) -> std::optional<ZoneEdit> {
        AttributeForm form(editor_->kind_schema(), prefilled, this);
        if (form.exec() != QDialog::Accepted) {
            return std::nullopt;
        }
        return form.edit();
    };
    run_save_dialog = [](SaveDialog& dialog) { return dialog.exec() == QDialog::Accepted; };
    ask_rebase = [this](const QString& conflict) {
        QMessageBox box(QMessageBox::Warning, ui("MainWindow", "Conflict on save"), conflict, QMessageBox::NoButton,
                        this);
        QPushButton* take =
            box.addButton(ui("MainWindow", "Take the new base, keep my edits"), QMessageBox::AcceptRole);
        box.addButton(QMessageBox::Cancel);
        box.exec();
        return box.clickedButton() == take;
    };
    FieldsPrompt prompt = [this](const ZoneEdit& prefilled) {
        return fields_prompt ? fields_prompt(prefilled) : std::optional<ZoneEdit>(prefilled);
    };

    tools_["select"] = std::make_unique<SelectTool>(editor, *canvas_);
    tools_["vertex"] = std::make_unique<VertexTool>(editor, *canvas_);
    tools_["draw"] = std::make_unique<DrawTool>(editor, *canvas_, DrawTool::Mode::new_zone, prompt);
    tools_["add_part"] = std::make_unique<DrawTool>(editor, *canvas_, DrawTool::Mode::add_part, prompt);
    tools_["add_ring"] = std::make_unique<DrawTool>(editor, *canvas_, DrawTool::Mode::add_ring, prompt);
    tools_["split"] = std::make_unique<DrawTool>(editor, *canvas_, DrawTool::Mode::split, prompt);
    tools_["reshape"] = std::make_unique<DrawTool>(editor, *canvas_, DrawTool::Mode::reshape, prompt);
    tools_["move"] = std::make_unique<MoveTool>(editor, *canvas_);
    tools_["delete_part"] = std::make_unique<DeletePartTool>(editor, *canvas_);

    QToolBar* bar = addToolBar(ui("MainWindow", "Editing"));
    bar->setObjectName(QStringLiteral("editing"));
    QMenu* menu = menuBar()->addMenu(ui("MainWindow", "Edit"));
    kind_picker_ = new QComboBox;
    kind_picker_->addItem(ui("MainWindow", "(browse, no editing)"), QString());
    for (const auto& id : schemas.kind_ids()) {
        const KindSchema& kind = schemas.kind(id);
        kind_picker_->addItem(pick(kind.name_zh, kind.name_en), qstr(kind.id));
    }
    kind_picker_->setToolTip(ui("MainWindow", "Choose the kind of zone to edit"));
    bar->addWidget(kind_picker_);

    tool_group_ = new QActionGroup(this);
    const std::pair<const char*, const char*> tool_names[] = {
        {"select", QT_TRANSLATE_NOOP("MainWindow", "Select")},
        {"vertex", QT_TRANSLATE_NOOP("MainWindow", "Vertices")},
        {"draw", QT_TRANSLATE_NOOP("MainWindow", "New zone")},
        {"add_part", QT_TRANSLATE_NOOP("MainWindow", "Add part")},
        {"add_ring", QT_TRANSLATE_NOOP("MainWindow", "Add hole")},
        {"split", QT_TRANSLATE_NOOP("MainWindow", "Split")},
        {"reshape", QT_TRANSLATE_NOOP("MainWindow", "Reshape")},
        {"move", QT_TRANSLATE_NOOP("MainWindow", "Move")},
        {"delete_part", QT_TRANSLATE_NOOP("MainWindow", "Delete part/hole")}};
    for (const auto& [name, words] : tool_names) {
        QAction* action = bar->addAction(ui("MainWindow", words));
        action->setCheckable(true);
        tool_group_->addAction(action);
        menu->addAction(action);
        const std::string id = name;
        connect(action, &QAction::triggered, this, [this, id]() { choose_tool(id); });
        edit_actions_[id] = action;
    }
    bar->addSeparator();
    menu->addSeparator();
    auto add = [&](const std::string& id, const QString& label, auto&& slot, const QKeySequence& keys = {}) {
        QAction* action = bar->addAction(label);
        menu->addAction(action);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        edit_actions_[id] = action;
        return action;
    };
    add("merge", ui("MainWindow", "Merge"), [this]() {
        if (auto edits = merge_selected(*editor_)) {
            editor_->apply_step(ui("MainWindow", "Merge"), *edits);
        }
    });
    add("retire", ui("MainWindow", "Retire"),
        [this]() { editor_->apply_step(ui("MainWindow", "Retire"), retire_selected(*editor_)); });
    add("fields", ui("MainWindow", "Fields…"), [this]() {
        if (editor_->selection().empty()) {
            return;
        }
        const auto zone = editor_->zone(editor_->selection().front());
        if (!zone) {
            return;
        }
        ZoneEdit e;
        e.op = EditOp::fields;
        e.kind = zone->kind;
        e.zone_id = zone->zone_id;
        e.code = zone->code;
        e.name = zone->name;
        if (!editor_->kind_schema().subzones.empty()) {
            e.subzone = zone->subzone;
        }
        e.attributes = zone->attributes;
        e.attributes.erase(subzone_source_attribute);  // kept by core unless the sub-zone changes
        if (auto filled = fields_prompt ? fields_prompt(e) : std::optional<ZoneEdit>(e)) {
            editor_->apply_step(ui("MainWindow", "Change fields"), {*filled});
        }
    });
    add(
        "undo", ui("MainWindow", "Undo"), [this]() { editor_->undo(); }, QKeySequence::Undo);
    add(
        "redo", ui("MainWindow", "Redo"), [this]() { editor_->redo(); }, QKeySequence::Redo);
    add(
        "save", ui("MainWindow", "Save…"), [this]() { save_edits(); }, QKeySequence::Save);
    QAction* topology = bar->addAction(ui("MainWindow", "Topological editing"));
    topology->setCheckable(true);
    topology->setToolTip(ui("MainWindow",
                            "Shared vertices move together; new or "
                            "reshaped areas avoid their neighbours"));
    menu->addAction(topology);
    connect(topology, &QAction::toggled, this, [this](bool on) { editor_->topological = on; });
    edit_actions_["topology"] = topology;
    QAction* snapping = bar->addAction(ui("MainWindow", "Snapping"));
    snapping->setCheckable(true);
    snapping->setChecked(true);
    snapping->setToolTip(ui("MainWindow",
                            "Snap to vertices and edges of visible zones "
                            "(within 10 pixels)"));
    menu->addAction(snapping);
    connect(snapping, &QAction::toggled, this, [this](bool on) { editor_->snap_tolerance_px = on ? 10 : 0; });
    edit_actions_["snapping"] = snapping;

    connect(kind_picker_, &QComboBox::currentIndexChanged, this, [this, topology](int) {
        const std::string kind = kind_picker_->currentData().toString().toStdString();
        if (kind.empty()) {
            choose_tool("");
        } else {
            editor_->set_kind(kind);
            topology->setChecked(editor_->topological);
            choose_tool("select");
            if (auto* dock = findChild<QDockWidget*>(QStringLiteral("law"))) {
                dock->raise();
            }
        }
        update_edit_actions();
    });

    law_ = new LawPanel(editor);
    auto* law_dock = new QDockWidget(ui("MainWindow", "The law watching (unsaved edits)"), this);
    law_dock->setObjectName(QStringLiteral("law"));
    law_dock->setWidget(law_);
    addDockWidget(Qt::RightDockWidgetArea, law_dock);
    // Beside identify, as a tab: it comes forward when a kind is chosen for editing.
    if (auto* identify_dock = findChild<QDockWidget*>(QStringLiteral("identify"))) {
        tabifyDockWidget(identify_dock, law_dock);
    }
    connect(law_, &LawPanel::zoom_requested, this, [this](double lon, double lat) {
        const QPointF p = data_.to_plane(lon, lat);
        canvas_->zoom_to_rect(QRectF(p.x() - 250, p.y() - 250, 500, 500));
    });
    connect(&editor, &EditController::changed, this, &MainWindow::update_edit_actions);
    connect(&editor, &EditController::selection_changed, this, &MainWindow::update_edit_actions);
    connect(&editor, &EditController::refused, this,
            [this](const QString& why) { statusBar()->showMessage(why, 15000); });
    connect(&editor, &EditController::changed, this, [this]() {
        identify_->show_zones({});
        setWindowModified(editor_->has_unsaved());
    });

    if (auto journal_found = editor.pending_journal()) {
        bool restore = true;
        if (ask) {
            restore = QMessageBox::question(
                          this, ui("MainWindow", "Restore unsaved edits"),
                          ui("MainWindow",
                             "%1 edits were left unsaved when the viewer last closed (on version %2). Restore them?")
                              .arg(journal_found->edits.size())
                              .arg(journal_found->base_version)) == QMessageBox::Yes;
        }
        if (restore) {
            const auto refused = editor.restore(*journal_found);
            for (const auto& why : refused) {
                statusBar()->showMessage(text(why), 15000);
            }
        } else {
            editor.discard_journal();
        }
    }
    update_edit_actions();
}

void MainWindow::enable_screening(const std::string& workspace, const SchemaSet& schemas) {
    screening_ = new ScreeningPanel(canvas_, data_, workspace, schemas);
    if (editor_) {
        auto tell = [this]() { screening_->set_unsaved_edits(editor_->session().edited_zones().size()); };
        connect(editor_.get(), &EditController::changed, screening_, tell);
        tell();
    }
    screening_dock_ = new QDockWidget(ui("MainWindow", "Screening"), this);
    screening_dock_->setObjectName(QStringLiteral("screening"));
    screening_dock_->setWidget(screening_);
    screening_dock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                                 QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, screening_dock_);
    if (auto* identify = findChild<QDockWidget*>(QStringLiteral("identify"))) {
        tabifyDockWidget(identify, screening_dock_);
    }
    file_menu_->insertAction(quit_, screening_->open_action());
    file_menu_->insertAction(quit_, screening_->report_action());
    file_menu_->insertSeparator(quit_);
    view_menu_->addAction(screening_dock_->toggleViewAction());
    connect(screening_, &ScreeningPanel::footprint_opened, this, [this]() {
        screening_dock_->show();
        screening_dock_->raise();
    });
    setAcceptDrops(true);  // the canvas takes no drops: they reach the window
}

void MainWindow::enable_quality(const Workspace& workspace, const SchemaSet& schemas) {
    const auto features =
        QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable;
    identify_->set_workspace(&workspace);  // each zone's history, listed under its fields
    history_ = new HistoryPanel(workspace, schemas, data_, canvas_);
    auto* history_dock = new QDockWidget(ui("MainWindow", "History"), this);
    history_dock->setObjectName(QStringLiteral("history"));
    history_dock->setWidget(history_);
    history_dock->setFeatures(features);
    addDockWidget(Qt::RightDockWidgetArea, history_dock);
    if (auto* identify = findChild<QDockWidget*>(QStringLiteral("identify"))) {
        tabifyDockWidget(identify, history_dock);
    }
    findings_ = new FindingsPanel(workspace, schemas, data_, canvas_);
    auto* findings_dock = new QDockWidget(ui("MainWindow", "Validation"), this);
    findings_dock->setObjectName(QStringLiteral("findings"));
    findings_dock->setWidget(findings_);
    findings_dock->setFeatures(features);
    addDockWidget(Qt::BottomDockWidgetArea, findings_dock);
    findings_dock->hide();

    QMenu* quality = menuBar()->addMenu(ui("MainWindow", "Quality"));
    QAction* validate = quality->addAction(ui("MainWindow", "Validate zones"), this, [this, findings_dock]() {
        findings_dock->show();
        findings_dock->raise();
        findings_->validate();
    });
    validate->setShortcut(QKeySequence(Qt::Key_F7));
    quality->addAction(findings_->next_action());      // F8
    quality->addAction(findings_->previous_action());  // Shift+F8
    quality->addSeparator();
    quality->addAction(ui("MainWindow", "Version history"), this, [history_dock]() {
        history_dock->show();
        history_dock->raise();
    });
    view_menu_->addAction(history_dock->toggleViewAction());
    view_menu_->addAction(findings_dock->toggleViewAction());
    if (editor_) {
        connect(editor_.get(), &EditController::saved, history_, &HistoryPanel::reload);  // a new version
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (screening_ != nullptr && ScreeningPanel::accepts(event->mimeData())) {
        event->acceptProposedAction();
    }
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (screening_ != nullptr && ScreeningPanel::accepts(event->mimeData())) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    if (screening_ == nullptr || !ScreeningPanel::accepts(event->mimeData())) {
        return;
    }
    event->acceptProposedAction();
    screening_dock_->show();
    screening_dock_->raise();
    screening_->open_dropped_later(event->mimeData());
}

MapTool* MainWindow::edit_tool(const std::string& name) const {
    const auto it = tools_.find(name);
    return it == tools_.end() ? nullptr : it->second.get();
}

QAction* MainWindow::edit_action(const std::string& name) const {
    const auto it = edit_actions_.find(name);
    return it == edit_actions_.end() ? nullptr : it->second;
}

void MainWindow::choose_tool(const std::string& name) {
    MapTool* tool = edit_tool(name);
    canvas_->set_tool(tool);
    if (QAction* action = edit_action(name)) {
        action->setChecked(true);
    } else if (tool_group_ != nullptr && tool_group_->checkedAction() != nullptr) {
        tool_group_->checkedAction()->setChecked(false);
    }
}

void MainWindow::update_edit_actions() {
    if (!editor_) {
        return;
    }
    const bool editing = !editor_->kind().empty() && !kind_picker_->currentData().toString().isEmpty();
    const bool selected = !editor_->selection().empty();
    for (const auto& [name, action] : edit_actions_) {
        action->setEnabled(editing);
    }
    edit_actions_["merge"]->setEnabled(editing && editor_->selection().size() >= 2);
    edit_actions_["retire"]->setEnabled(editing && selected);
    edit_actions_["fields"]->setEnabled(editing && selected);
    edit_actions_["undo"]->setEnabled(editor_->can_undo());
    edit_actions_["undo"]->setToolTip(ui("MainWindow", "Undo: ") + editor_->undo_label());
    edit_actions_["redo"]->setEnabled(editor_->can_redo());
    edit_actions_["redo"]->setToolTip(ui("MainWindow", "Redo: ") + editor_->redo_label());
    edit_actions_["save"]->setEnabled(editor_->has_unsaved());
}

bool MainWindow::save_edits() {
    if (!editor_ || !editor_->has_unsaved()) {
        return false;
    }
    const char* user = std::getenv("USER");
    SaveDialog dialog(guarded_losses(editor_->impact(), editor_->schemas()),
                      user != nullptr ? QString::fromLocal8Bit(user) : QString(), this);
    if (!run_save_dialog || !run_save_dialog(dialog)) {
        return false;
    }
    try {
        const VersionInfo v = editor_->save(dialog.author(), dialog.note(), dialog.basis());
        statusBar()->showMessage(ui("MainWindow", "Saved as version %1").arg(v.id), 15000);
        return true;
    } catch (const DataError& error) {
        const QString why = text(error.message());
        if (error.message().code() == "edit.conflict") {
            if (ask_rebase && ask_rebase(why)) {
                const auto refused = editor_->rebase();
                QStringList lines;
                for (const auto& r : refused) {
                    lines << text(r);
                }
                statusBar()->showMessage(
                    refused.empty() ? ui("MainWindow", "On the newest version now, every edit kept; save again.")
                                    : ui("MainWindow",
                                         "On the newest version; these edits "
                                         "could not be kept: ") +
                                          lines.join("; "),
                    30000);
            }
            return false;
        }
        QMessageBox::warning(this, ui("MainWindow", "Not saved"), why);
        return false;
    } catch (const Failure& error) {
        QMessageBox::warning(this, ui("MainWindow", "Not saved"), text(error.message()));
        return false;
    }
}

bool MainWindow::closing_with_unsaved() {
    if (!editor_ || !editor_->has_unsaved()) {
        return false;
    }
    const auto answer = QMessageBox::question(
        this, ui("MainWindow", "Unsaved edits"),
        ui("MainWindow",
           "There are unsaved edits. Save them? (Not saving loses nothing: they are offered back next time.)"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel) {
        return true;
    }
    if (answer == QMessageBox::Save) {
        return !save_edits();
    }
    return false;  // closing: the journal keeps the edits for next time
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!isVisible() || !closing_with_unsaved()) {
        event->accept();
    } else {
        event->ignore();
    }
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
    return ui("MainWindow", "lon %1° lat %2° (CGCS2000)")
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
    const QString crs = gk.epsg != 0 ? QStringLiteral("EPSG:%1").arg(gk.epsg) : ui("MainWindow", "no EPSG code");
    return ui("MainWindow", "Gauss-Krüger 3° zone %1 (%2): E %4 m  N %3 m")
        .arg(QString::number(gk.zone), crs, QString::number(gk.northing, 'f', 2), QString::number(gk.easting, 'f', 2));
}

void MainWindow::update_scale() {
    const double n = scale_denominator(data_, canvas_->view(), canvas_->logicalDpiX());
    scale_->setText(ui("MainWindow", "Scale 1:%1").arg(grouped(std::round(n), 0)));
    const RenderStats& r = canvas_->last_render();
    if (canvas_->renders() > 0) {
        timing_->setText(ui("MainWindow", "drawn in %1 ms").arg(QString::number(r.ms, 'f', 1)));
    }
}

void MainWindow::identify_at(const QPointF& plane, double tolerance) {
    const std::vector<int> zones = data_.zones_at(plane, tolerance, canvas_->settings().visible);
    identify_->show_zones(zones);
    canvas_->set_highlighted(zones);
}

}  // namespace redline::viewer
