#include "findings_panel.hpp"

#include "label_progress.hpp"
#include "text.hpp"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <utility>

namespace redline::viewer {
namespace {

constexpr Check all_checks[] = {
    Check::invalid_geometry,
    Check::self_intersection,
    Check::unusable_geometry,
    Check::overlap,
    Check::gap,
    Check::sliver,
    Check::duplicate_code,
    Check::malformed_code,
    Check::class_mismatch,
    Check::subzone_order,
    Check::field_error,
};

QString check_text(Check check) {
    return QString::fromUtf8(check_label(check, language()));
}

}  // namespace

QColor FindingsPanel::severity_colour(Severity severity) {
    switch (severity) {
        case Severity::error:
            return {222, 45, 38};
        case Severity::warning:
            return {236, 140, 0};
        case Severity::repair:
            return {40, 110, 190};
    }
    return {222, 45, 38};
}

FindingsPanel::FindingsPanel(const Workspace& workspace, const SchemaSet& schemas, const MapData& map,
                             MapCanvas* canvas, QWidget* parent)
    : QWidget(parent),
      workspace_(workspace),
      schemas_(schemas),
      data_(map),
      canvas_(canvas),
      validate_(new QPushButton(ui("FindingsPanel", "Validate"))),
      cancel_(new QPushButton(ui("FindingsPanel", "Cancel"))),
      previous_(new QPushButton(ui("FindingsPanel", "Previous"))),
      next_(new QPushButton(ui("FindingsPanel", "Next"))),
      clear_(new QPushButton(ui("FindingsPanel", "Clear"))),
      filter_(new QComboBox),
      status_(new QLabel),
      list_(new QTreeWidget),
      next_action_(new QAction(ui("FindingsPanel", "Next finding"), this)),
      previous_action_(new QAction(ui("FindingsPanel", "Previous finding"), this)) {
    validate_->setToolTip(ui("FindingsPanel",
                             "Validate the current zones (as redline validate does): geometry, overlaps, gaps, "
                             "slivers, codes and nesting"));
    previous_->setToolTip(ui("FindingsPanel", "Previous finding (Shift+F8)"));
    next_->setToolTip(ui("FindingsPanel", "Next finding (F8)"));
    clear_->setToolTip(ui("FindingsPanel", "Take the findings off the map and the list"));
    cancel_->setVisible(false);
    filter_->setToolTip(ui("FindingsPanel", "List only the findings of this check"));
    status_->setWordWrap(true);
    next_action_->setShortcut(QKeySequence(Qt::Key_F8));
    previous_action_->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F8));
    for (QAction* action : {next_action_, previous_action_}) {
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }

    list_->setColumnCount(6);
    list_->setHeaderLabels({ui("FindingsPanel", "Check"), ui("FindingsPanel", "Severity"), ui("FindingsPanel", "Kind"),
                            ui("FindingsPanel", "Zones"), ui("FindingsPanel", "Area m²"),
                            ui("FindingsPanel", "Message")});
    list_->setRootIsDecorated(false);
    list_->setAlternatingRowColors(true);
    list_->setUniformRowHeights(true);
    list_->setSelectionBehavior(QAbstractItemView::SelectRows);
    list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    list_->header()->setStretchLastSection(true);
    list_->setToolTip(ui("FindingsPanel", "Click a row to zoom to the finding"));

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {validate_, cancel_, previous_, next_, clear_}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(filter_);
    layout->addWidget(status_);
    layout->addWidget(list_, 1);

    connect(validate_, &QPushButton::clicked, this, &FindingsPanel::validate);
    connect(cancel_, &QPushButton::clicked, this, &FindingsPanel::cancel);
    connect(clear_, &QPushButton::clicked, this, &FindingsPanel::clear);
    connect(next_, &QPushButton::clicked, this, [this]() { step(1); });
    connect(previous_, &QPushButton::clicked, this, [this]() { step(-1); });
    connect(next_action_, &QAction::triggered, this, [this]() { step(1); });
    connect(previous_action_, &QAction::triggered, this, [this]() { step(-1); });
    connect(filter_, &QComboBox::currentIndexChanged, this, [this](int) { apply_filter(); });
    auto chosen = [this](QTreeWidgetItem* item) {
        if (item != nullptr && item->data(0, finding_role).isValid()) {
            const int index = item->data(0, finding_role).toInt();
            if (index != current_) {
                show_finding(index);
            }
        }
    };
    connect(list_, &QTreeWidget::currentItemChanged, this, chosen);
    connect(list_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        if (item != nullptr && item->data(0, finding_role).isValid()) {
            show_finding(item->data(0, finding_role).toInt());  // again: back to it after panning away
        }
    });
    fill();
}

FindingsPanel::~FindingsPanel() {
    if (worker_.joinable()) {
        progress_->cancel();
        worker_.join();
        QApplication::restoreOverrideCursor();
    }
}

void FindingsPanel::validate() {
    if (busy()) {
        return;
    }
    status_->setText(ui("FindingsPanel", "Validating..."));
    progress_ = std::make_unique<LabelProgress>(status_, ui("FindingsPanel", "Validating: "));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    worker_ = std::thread([this, progress = progress_.get()]() {
        std::shared_ptr<const ValidationReport> report;
        QString error;
        try {
            ValidateOptions options;
            options.language = language();
            report = std::make_shared<ValidationReport>(validate_workspace(workspace_, schemas_, options, *progress));
        } catch (const Failure& e) {  // cancelled too
            error = text(e.message());
        } catch (const std::exception& e) {
            error = ui("FindingsPanel", "internal error: ") + QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, report, error]() { job_done(report, error); }, Qt::QueuedConnection);
    });
    update_buttons();
}

void FindingsPanel::cancel() {
    if (progress_) {
        progress_->cancel();
    }
}

void FindingsPanel::job_done(std::shared_ptr<const ValidationReport> report, const QString& error) {
    worker_.join();
    progress_.reset();
    QApplication::restoreOverrideCursor();
    const bool ok = report != nullptr;
    if (ok) {
        report_ = std::move(report);
        fill();
    } else {
        status_->setText(error);
    }
    update_buttons();
    emit job_finished(ok);
}

void FindingsPanel::update_buttons() {
    const bool idle = !busy();
    const bool any = report_ && !report_->findings.empty();
    validate_->setEnabled(idle);
    cancel_->setVisible(!idle);
    previous_->setEnabled(any);
    next_->setEnabled(any);
    previous_action_->setEnabled(any);
    next_action_->setEnabled(any);
    clear_->setEnabled(idle && report_ != nullptr);
    filter_->setEnabled(any);
}

void FindingsPanel::fill() {
    list_->clear();
    shapes_.clear();
    current_ = -1;
    const int previous_check =
        filter_->currentData(check_role).isValid() ? filter_->currentData(check_role).toInt() : -1;
    filter_->blockSignals(true);
    filter_->clear();
    if (!report_) {
        filter_->addItem(ui("FindingsPanel", "Every check"));
        filter_->setItemData(0, -1, check_role);
        filter_->blockSignals(false);
        status_->clear();
        update_buttons();
        return;
    }
    const ValidationReport& r = *report_;
    std::map<int, int> counts;
    for (const auto& f : r.findings) {
        ++counts[static_cast<int>(f.check)];
    }
    filter_->addItem(ui("FindingsPanel", "Every check (%1)").arg(r.findings.size()));
    filter_->setItemData(0, -1, check_role);
    for (Check check : all_checks) {
        const auto n = counts.find(static_cast<int>(check));
        if (n != counts.end()) {
            filter_->addItem(ui("FindingsPanel", "%1 (%2)").arg(check_text(check)).arg(n->second));
            filter_->setItemData(filter_->count() - 1, static_cast<int>(check), check_role);
        }
    }
    const int restored = filter_->findData(previous_check, check_role);
    filter_->setCurrentIndex(restored < 0 ? 0 : restored);
    filter_->blockSignals(false);

    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        const Finding& f = r.findings[i];
        OverlayStyle style;
        style.stroke = severity_colour(f.severity);
        style.width = 2;
        QColor fill = style.stroke;
        fill.setAlpha(110);
        style.fill = fill;
        style.marker = 5;
        OverlayShape shape = f.geometry.empty() ? OverlayShape{} : overlay_shape(data_, f.geometry, style);
        shape.style = style;
        if (f.location) {
            shape.points.push_back(data_.to_plane(f.location->first, f.location->second));
        }
        shapes_.push_back(std::move(shape));

        auto* item = new QTreeWidgetItem(list_);
        item->setData(0, finding_role, static_cast<int>(i));
        item->setText(column_check, check_text(f.check));
        item->setToolTip(column_check, QString::fromUtf8(check_name(f.check)));
        item->setText(column_severity, QString::fromUtf8(severity_label(f.severity, language())));
        item->setForeground(column_severity, severity_colour(f.severity));
        const KindSchema* kind = schemas_.find(f.kind);
        item->setText(column_kind, kind == nullptr ? qstr(f.kind) : pick(kind->name_zh, kind->name_en));
        QStringList zones;
        for (const auto& id : f.zone_ids) {
            zones << qstr(id);
        }
        item->setText(column_zones, zones.join(QStringLiteral(", ")));
        item->setToolTip(column_zones, zones.join(QStringLiteral("\n")));
        if (f.area_m2) {
            item->setText(column_area, grouped(*f.area_m2, 2));
            item->setData(column_area, value_role, *f.area_m2);
            item->setTextAlignment(column_area, Qt::AlignRight | Qt::AlignVCenter);
        }
        const QString message = text(f.message);
        item->setText(column_message, message);
        QString tip = message;
        if (f.location) {
            tip += QStringLiteral("\n@ %1, %2")
                       .arg(QString::number(f.location->first, 'f', 6), QString::number(f.location->second, 'f', 6));
        }
        item->setToolTip(column_message, tip);
    }
    std::size_t warnings = 0;
    for (const auto& f : r.findings) {
        warnings += f.severity == Severity::warning ? 1 : 0;
    }
    const QString version = r.version ? ui("FindingsPanel", "version %1: ").arg(r.version->id) : QString();
    status_->setText(r.findings.empty() ? version + ui("FindingsPanel", "no findings")
                                        : version + ui("FindingsPanel", "%1 findings (%2 errors, %3 warnings)")
                                                        .arg(r.findings.size())
                                                        .arg(r.errors())
                                                        .arg(warnings));
    apply_filter();
    update_buttons();
}

bool FindingsPanel::passes(int index) const {
    const QVariant check = filter_->currentData(check_role);
    const int wanted = check.isValid() ? check.toInt() : -1;
    return wanted < 0 || static_cast<int>(report_->findings[static_cast<std::size_t>(index)].check) == wanted;
}

void FindingsPanel::apply_filter() {
    if (!report_) {
        canvas_->set_overlay(QString::fromUtf8(overlay_name), nullptr);
        canvas_->set_overlay(QString::fromUtf8(current_overlay_name), nullptr);
        return;
    }
    // The findings the filter lets through, errors drawn last (on top).
    auto overlay = std::make_shared<Overlay>();
    for (Severity severity : {Severity::repair, Severity::warning, Severity::error}) {
        for (std::size_t i = 0; i < shapes_.size(); ++i) {
            if (report_->findings[i].severity == severity && passes(static_cast<int>(i))) {
                overlay->shapes.push_back(shapes_[i]);
            }
        }
    }
    for (int row = 0; row < list_->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = list_->topLevelItem(row);
        item->setHidden(!passes(item->data(0, finding_role).toInt()));
    }
    canvas_->set_overlay(QString::fromUtf8(overlay_name), overlay->shapes.empty() ? nullptr : std::move(overlay));
    if (current_ >= 0 && !passes(current_)) {
        current_ = -1;
        canvas_->set_overlay(QString::fromUtf8(current_overlay_name), nullptr);
        list_->setCurrentItem(nullptr);
    }
}

std::vector<int> FindingsPanel::zones_of(int index) const {
    std::vector<int> zones;
    if (!report_ || index < 0 || static_cast<std::size_t>(index) >= report_->findings.size()) {
        return zones;
    }
    // Looked up when asked: the map changes under an edit session (indices shift, zones
    // come and go). By zone id, else (a zone renamed since) by its fid.
    const Finding& f = report_->findings[static_cast<std::size_t>(index)];
    for (const auto& id : f.zone_ids) {
        for (int z : data_.find_zone(f.kind + ":" + id)) {
            zones.push_back(z);
        }
    }
    if (zones.empty() && !f.fids.empty()) {
        for (std::size_t i = 0; i < data_.zones().size(); ++i) {
            const Zone& z = data_.zones()[i].zone;
            if (z.kind == f.kind && std::find(f.fids.begin(), f.fids.end(), z.fid) != f.fids.end()) {
                zones.push_back(static_cast<int>(i));
            }
        }
    }
    return zones;
}

void FindingsPanel::show_finding(int index) {
    if (!report_ || index < 0 || static_cast<std::size_t>(index) >= report_->findings.size()) {
        return;
    }
    current_ = index;
    const OverlayShape& shape = shapes_[static_cast<std::size_t>(index)];
    const std::vector<int> zones = zones_of(index);
    QRectF rect = shape.bounds();
    if (rect.isNull()) {
        rect = data_.extent_of(zones);
    }
    if (!rect.isNull()) {
        // The finding in the middle half of the view: its surroundings show what it is about.
        canvas_->zoom_to_rect(
            rect.adjusted(-rect.width() / 2, -rect.height() / 2, rect.width() / 2, rect.height() / 2));
    }
    canvas_->set_highlighted(zones);
    highlighted_ = zones;
    // The finding stepped to: a dark outline on a white casing, its place ringed.
    auto current = std::make_shared<Overlay>();
    OverlayShape casing = shape;
    casing.style.stroke = QColor(255, 255, 255, 230);
    casing.style.width = 5.5;
    casing.style.fill = Qt::transparent;
    casing.points.clear();
    casing.style.casing = true;
    OverlayShape outline = shape;
    outline.style.stroke = QColor(25, 25, 25);
    outline.style.width = 2.5;
    outline.style.fill = QColor(255, 255, 255, 1);  // not filled, and a ring (not a disc) at its place
    outline.style.marker = 10;
    current->shapes.push_back(std::move(casing));
    current->shapes.push_back(std::move(outline));
    canvas_->set_overlay(QString::fromUtf8(current_overlay_name), current);
    for (int row = 0; row < list_->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = list_->topLevelItem(row);
        if (item->data(0, finding_role).toInt() == index) {
            if (list_->currentItem() != item) {
                list_->setCurrentItem(item);
            }
            list_->scrollToItem(item);
            break;
        }
    }
    emit finding_shown(index);
}

void FindingsPanel::step(int direction) {
    if (!report_ || report_->findings.empty()) {
        return;
    }
    const int n = static_cast<int>(report_->findings.size());
    int at = current_ < 0 ? (direction > 0 ? -1 : n) : current_;
    for (int k = 0; k < n; ++k) {
        at = ((at + (direction > 0 ? 1 : -1)) % n + n) % n;
        if (passes(at)) {
            show_finding(at);
            return;
        }
    }
}

void FindingsPanel::clear() {
    if (!highlighted_.empty() && canvas_->settings().highlighted == highlighted_) {
        canvas_->set_highlighted({});
    }
    highlighted_.clear();
    report_.reset();
    fill();
    apply_filter();
}

}  // namespace redline::viewer
