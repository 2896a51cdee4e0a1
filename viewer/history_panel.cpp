#include "history_panel.hpp"

#include "label_progress.hpp"
#include "map_renderer.hpp"
#include "text.hpp"

#include <QApplication>
#include <QDateTime>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <utility>

namespace redline::viewer {
namespace {

QString operation_label(const std::string& operation) {
    if (operation == "import") {
        return ui("HistoryPanel", "import");
    }
    if (operation == "edit") {
        return ui("HistoryPanel", "edit");
    }
    if (operation == "fix") {
        return ui("HistoryPanel", "fix");
    }
    return qstr(operation);
}

QString change_type_label(ZoneChange::Type type) {
    switch (type) {
        case ZoneChange::Type::added:
            return ui("HistoryPanel", "added");
        case ZoneChange::Type::removed:
            return ui("HistoryPanel", "removed");
        case ZoneChange::Type::changed:
            return ui("HistoryPanel", "changed");
    }
    return {};
}

// "2026-12-02 17:59:33" in local time; the stored UTC text when it does not parse.
QString local_time(const std::string& utc) {
    const QDateTime time = QDateTime::fromString(qstr(utc), Qt::ISODate);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : qstr(utc);
}

QString place_text(const std::pair<double, double>& lonlat) {
    return QStringLiteral("%1, %2").arg(QString::number(lonlat.first, 'f', 6), QString::number(lonlat.second, 'f', 6));
}

// An area cell: the number shown with two decimals, the value kept for sorting and tests.
void set_area(QTreeWidgetItem* item, int column, double square_metres) {
    item->setText(column, grouped(square_metres, 2));
    item->setData(column, HistoryPanel::value_role, square_metres);
    item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
}

void set_up_table(QTreeWidget* tree, const QStringList& headers) {
    tree->setColumnCount(static_cast<int>(headers.size()));
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setAlternatingRowColors(true);
    tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    tree->setUniformRowHeights(true);
    tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tree->header()->setStretchLastSection(true);
}

}  // namespace

OverlayStyle HistoryPanel::gained_style() {
    OverlayStyle style;
    style.stroke = QColor(26, 140, 60);
    style.width = 1.5;
    style.fill = QColor(40, 170, 80, 100);
    return style;
}

OverlayStyle HistoryPanel::lost_style() {
    OverlayStyle style;
    style.stroke = QColor(215, 25, 28);
    style.width = 1.5;
    style.fill = QColor(215, 25, 28);
    style.pattern = Qt::BDiagPattern;
    return style;
}

OverlayStyle HistoryPanel::coverage_lost_style() {
    OverlayStyle style;
    style.stroke = QColor(120, 0, 10);
    style.width = 3;
    style.fill = QColor(120, 0, 10);
    style.pattern = Qt::FDiagPattern;
    style.marker = 6;
    return style;
}

HistoryPanel::HistoryPanel(const Workspace& workspace, const SchemaSet& schemas, const MapData& map, MapCanvas* canvas,
                           QWidget* parent)
    : QWidget(parent),
      workspace_(workspace),
      schemas_(schemas),
      data_(map),
      canvas_(canvas),
      versions_(new QTreeWidget),
      show_(new QPushButton(ui("HistoryPanel", "Show"))),
      compare_(new QPushButton(ui("HistoryPanel", "Compare"))),
      clear_(new QPushButton(ui("HistoryPanel", "Clear"))),
      reload_(new QPushButton(ui("HistoryPanel", "Reload"))),
      cancel_(new QPushButton(ui("HistoryPanel", "Cancel"))),
      status_(new QLabel),
      summary_(new QLabel),
      balance_(new QTreeWidget),
      changes_(new QTreeWidget) {
    set_up_table(versions_, {ui("HistoryPanel", "Version"), ui("HistoryPanel", "Time"), ui("HistoryPanel", "Operation"),
                             ui("HistoryPanel", "Kind"), ui("HistoryPanel", "Author"), ui("HistoryPanel", "Note"),
                             ui("HistoryPanel", "Basis")});
    versions_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    versions_->setToolTip(ui("HistoryPanel",
                             "Select a version to show its zones; select two to compare them, or one to compare "
                             "it with the current zones"));
    set_up_table(balance_,
                 {ui("HistoryPanel", "Kind"), ui("HistoryPanel", "Zones"), ui("HistoryPanel", "Added/removed/changed"),
                  ui("HistoryPanel", "Area (ha)"), ui("HistoryPanel", "Gained m²"), ui("HistoryPanel", "Lost m²"),
                  ui("HistoryPanel", "No longer covered m²")});
    balance_->setRootIsDecorated(true);
    set_up_table(changes_, {ui("HistoryPanel", "Kind"), ui("HistoryPanel", "Zone"), ui("HistoryPanel", "Change"),
                            ui("HistoryPanel", "Gained m²"), ui("HistoryPanel", "Lost m²"),
                            ui("HistoryPanel", "Fields changed")});
    changes_->setToolTip(ui("HistoryPanel", "Click a row to zoom to the change"));

    show_->setToolTip(ui("HistoryPanel", "Draw the selected version's zones on the map, dashed"));
    compare_->setToolTip(ui("HistoryPanel",
                            "Compare the two selected versions, or the selected one with the current zones (as "
                            "redline diff does)"));
    clear_->setToolTip(ui("HistoryPanel", "Take the version and difference overlays off the map"));
    reload_->setToolTip(ui("HistoryPanel", "Read the workspace's versions again"));
    cancel_->setVisible(false);
    status_->setWordWrap(true);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* top = new QWidget;
    auto* top_layout = new QVBoxLayout(top);
    top_layout->setContentsMargins(0, 0, 0, 0);
    top_layout->addWidget(versions_, 1);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {show_, compare_, clear_, reload_, cancel_}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    top_layout->addLayout(buttons);
    top_layout->addWidget(status_);
    auto* middle = new QWidget;
    auto* middle_layout = new QVBoxLayout(middle);
    middle_layout->setContentsMargins(0, 0, 0, 0);
    middle_layout->addWidget(summary_);
    middle_layout->addWidget(balance_, 1);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(top);
    splitter->addWidget(middle);
    splitter->addWidget(changes_);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    connect(versions_, &QTreeWidget::itemSelectionChanged, this, &HistoryPanel::update_buttons);
    connect(versions_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item, int) {
        if (!busy()) {
            show_version(item->data(0, version_role).toLongLong());
        }
    });
    connect(show_, &QPushButton::clicked, this, &HistoryPanel::show_selected);
    connect(compare_, &QPushButton::clicked, this, &HistoryPanel::compare_selected);
    connect(clear_, &QPushButton::clicked, this, &HistoryPanel::clear);
    connect(reload_, &QPushButton::clicked, this, &HistoryPanel::reload);
    connect(cancel_, &QPushButton::clicked, this, [this]() {
        if (progress_) {
            progress_->cancel();
        }
    });
    auto change_chosen = [this](QTreeWidgetItem* item) {
        if (item != nullptr && item->data(0, change_role).isValid()) {
            zoom_to_change(item->data(0, change_role).toInt());
        }
    };
    connect(changes_, &QTreeWidget::itemClicked, this, change_chosen);
    connect(changes_, &QTreeWidget::currentItemChanged, this, change_chosen);
    auto lost_chosen = [this](QTreeWidgetItem* item) {
        if (item != nullptr && item->data(0, lost_role).isValid()) {
            zoom_to_lost(item->data(0, lost_role).toInt());
        }
    };
    connect(balance_, &QTreeWidget::itemClicked, this, lost_chosen);
    connect(balance_, &QTreeWidget::currentItemChanged, this, lost_chosen);
    reload();
}

HistoryPanel::~HistoryPanel() {
    if (worker_.joinable()) {
        progress_->cancel();
        worker_.join();
        QApplication::restoreOverrideCursor();
    }
}

void HistoryPanel::reload() {
    try {
        version_infos_ = workspace_.versions();
    } catch (const Failure& e) {
        status_->setText(text(e.message()));
        return;
    }
    std::sort(version_infos_.begin(), version_infos_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    versions_->clear();
    for (auto v = version_infos_.rbegin(); v != version_infos_.rend(); ++v) {
        auto* item = new QTreeWidgetItem(versions_);
        const bool current = v == version_infos_.rbegin();
        item->setData(0, version_role, static_cast<qlonglong>(v->id));
        item->setText(version_id, current ? ui("HistoryPanel", "%1 (current)").arg(v->id) : QString::number(v->id));
        item->setText(version_time, local_time(v->time));
        item->setToolTip(version_time, qstr(v->time));
        item->setText(version_operation, operation_label(v->operation));
        item->setText(version_kind, kind_name(v->kind));
        item->setText(version_author, qstr(v->author));
        item->setText(version_note, qstr(v->note));
        item->setText(version_basis, qstr(v->basis));
        QString detail =
            ui("HistoryPanel", "%1 zones added, %2 retired").arg(v->features_added).arg(v->features_retired);
        if (!v->source.empty()) {
            detail += ui("HistoryPanel", "\nsource: ") + qstr(redact_secrets(v->source));
        }
        if (v->base_version) {
            detail += ui("HistoryPanel", "\nmade on version %1").arg(*v->base_version);
        }
        for (int c = 0; c < versions_->columnCount(); ++c) {
            if (c != version_time) {
                item->setToolTip(c, detail);
            }
        }
    }
    update_buttons();
}

std::vector<std::int64_t> HistoryPanel::selected_versions() const {
    std::vector<std::int64_t> out;
    for (const QTreeWidgetItem* item : versions_->selectedItems()) {
        out.push_back(item->data(0, version_role).toLongLong());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void HistoryPanel::show_selected() {
    const auto selected = selected_versions();
    if (selected.size() == 1) {
        show_version(selected.front());
    }
}

void HistoryPanel::compare_selected() {
    const auto selected = selected_versions();
    if (selected.size() == 1) {
        compare(selected.front(), std::nullopt);
    } else if (selected.size() == 2) {
        compare(selected.front(), selected.back());
    }
}

void HistoryPanel::update_buttons() {
    const std::size_t selected = versions_->selectedItems().size();
    const bool idle = !busy();
    show_->setEnabled(idle && selected == 1);
    compare_->setEnabled(idle && (selected == 1 || selected == 2));
    reload_->setEnabled(idle);
    clear_->setEnabled(idle);
    cancel_->setVisible(!idle);
}

QString HistoryPanel::kind_name(const std::string& kind) const {
    if (kind.empty()) {
        return {};
    }
    const KindSchema* schema = schemas_.find(kind);
    return schema == nullptr ? qstr(kind) : pick(schema->name_zh, schema->name_en);
}

QString HistoryPanel::version_text(std::int64_t version) const {
    return ui("HistoryPanel", "version %1").arg(version);
}

// ---------------------------------------------------------------------------------------
// The worker.

void HistoryPanel::run(const QString& what, Job job) {
    if (busy()) {
        return;
    }
    status_->setText(what);
    progress_ = std::make_unique<LabelProgress>(status_, what + QStringLiteral(" "));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    worker_ = std::thread([this, progress = progress_.get(), job = std::move(job)]() {
        std::function<void()> finish;
        QString error;
        try {
            finish = job(*progress);
        } catch (const Failure& e) {  // cancelled too
            error = text(e.message());
        } catch (const std::exception& e) {
            error = ui("HistoryPanel", "internal error: ") + QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, finish, error]() { job_done(finish, error); }, Qt::QueuedConnection);
    });
    update_buttons();
}

void HistoryPanel::job_done(const std::function<void()>& finish, const QString& error) {
    worker_.join();
    progress_.reset();
    QApplication::restoreOverrideCursor();
    bool ok = static_cast<bool>(finish);
    if (ok) {
        try {
            finish();
        } catch (const Failure& e) {
            status_->setText(text(e.message()));
            ok = false;
        }
    } else {
        status_->setText(error);
    }
    update_buttons();
    emit job_finished(ok);
}

// ---------------------------------------------------------------------------------------
// One version over the map.

std::shared_ptr<Overlay> dashed_version(const MapData& data, const SchemaSet& schemas, const std::vector<Zone>& zones) {
    const KindStyle fallback;
    auto kind_style = [&](const std::string& kind) -> const KindStyle& {
        const KindSchema* schema = schemas.find(kind);
        return schema == nullptr ? fallback : schema->style;
    };
    // In the map's drawing order, so the red lines' dashes lie on top.
    std::vector<const Zone*> order;
    for (const auto& z : zones) {
        order.push_back(&z);
    }
    std::stable_sort(order.begin(), order.end(), [&](const Zone* a, const Zone* b) {
        return kind_style(a->kind).draw_order < kind_style(b->kind).draw_order;
    });
    std::vector<const Geometry*> geometries;
    geometries.reserve(order.size());
    for (const Zone* z : order) {
        geometries.push_back(&z->geometry);
    }
    std::vector<PlaneShape> shapes = data.plane_shapes(geometries);
    // Each outline dashed in its kind's colour over a white casing: it reads as another
    // version where it lies on the current outline, and apart where it does not. Casing and
    // dashes zone by zone: where two zones share an edge, the later one's casing covers the
    // earlier one's dashes, so the edge stays dashed (two dash patterns out of step would
    // read as one solid line).
    auto overlay = std::make_shared<Overlay>();
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Zone* z = order[i];
        const ZoneStyle& style = kind_style(z->kind).for_subzone(z->subzone);
        QColor colour = style.stroke.a > 0 && style.stroke_width > 0 ? stroke_colour(style) : fill_colour(style);
        colour.setAlpha(255);
        OverlayStyle dash;
        dash.stroke = colour.darker(115);
        dash.width = 2;
        dash.dash = Qt::DashLine;
        dash.marker = 4;
        OverlayShape shape = overlay_shape(std::move(shapes[i]), dash);
        if (shape.empty()) {
            continue;
        }
        OverlayShape casing = shape;  // the paths are shared, not copied
        casing.style.stroke = Qt::white;
        casing.style.width = 4;
        casing.style.dash = Qt::SolidLine;
        casing.style.marker = 5.5;
        casing.style.casing = true;
        overlay->shapes.push_back(std::move(casing));
        overlay->shapes.push_back(std::move(shape));
    }
    return overlay;
}

void HistoryPanel::show_version(std::int64_t version) {
    run(ui("HistoryPanel", "Reading the zones of version %1...").arg(version),
        [this, version](Progress& progress) -> std::function<void()> {
            std::vector<Problem> problems;
            const std::vector<Zone> zones = workspace_.load_zones_at(version, &problems);
            progress.check();
            // Projected and simplified here too, so that a province's version does not
            // stop the window while it is made ready.
            std::shared_ptr<Overlay> overlay = dashed_version(data_, schemas_, zones);
            progress.check();
            const std::size_t unusable = problems.size();
            return [this, version, overlay, unusable]() { lay_version(version, overlay, unusable); };
        });
}

void HistoryPanel::lay_version(std::int64_t version, std::shared_ptr<Overlay> overlay, std::size_t unusable) {
    const std::size_t drawn = overlay->shapes.size() / 2;  // a casing and dashes each
    canvas_->set_overlay(QString::fromUtf8(version_overlay), std::move(overlay));
    QString message = ui("HistoryPanel", "%1: %2 zones, drawn dashed").arg(version_text(version)).arg(drawn);
    if (unusable > 0) {
        message += ui("HistoryPanel", "; %1 zones without usable geometry").arg(unusable);
    }
    status_->setText(message);
}

// ---------------------------------------------------------------------------------------
// Two versions compared.

void HistoryPanel::compare(std::int64_t before, std::optional<std::int64_t> after) {
    const QString what = after ? ui("HistoryPanel", "Comparing version %1 with version %2...").arg(before).arg(*after)
                               : ui("HistoryPanel", "Comparing version %1 with the current zones...").arg(before);
    run(what, [this, before, after](Progress& progress) -> std::function<void()> {
        // As `redline diff WS V1 [V2]` does it: the same zones, options and versions between.
        std::vector<Problem> unusable;
        const std::vector<Zone> old_zones = workspace_.load_zones_at(before, &unusable);
        const std::vector<Zone> new_zones =
            after ? workspace_.load_zones_at(*after, &unusable) : workspace_.load_zones(std::nullopt, &unusable);
        const std::vector<VersionInfo> all = workspace_.versions();
        const auto current = workspace_.current_version();
        const std::int64_t to = after ? *after : current ? current->id : before;
        DiffOptions options;
        options.language = language();
        auto report = std::make_shared<DiffReport>(diff_zones(old_zones, new_zones, options, progress));
        report->before_label = version_text(before).toStdString();
        report->after_label =
            after ? version_text(*after).toStdString() : ui("HistoryPanel", "current version %1").arg(to).toStdString();
        for (const auto& v : all) {
            if (v.id == before) {
                report->before_version = v;
            }
            if (v.id == to) {
                report->after_version = v;
            }
            if (v.id > std::min(before, to) && v.id <= std::max(before, to)) {
                report->versions.push_back(v);
            }
        }
        report->problems = std::move(unusable);
        return [this, report]() { lay_diff(report); };
    });
}

void HistoryPanel::lay_diff(std::shared_ptr<const DiffReport> report) {
    report_ = std::move(report);
    const DiffReport& r = *report_;
    change_bounds_.assign(r.changes.size(), QRectF());
    lost_bounds_.assign(r.lost.size(), QRectF());
    auto gained = std::make_shared<Overlay>();
    auto lost = std::make_shared<Overlay>();
    auto coverage = std::make_shared<Overlay>();
    // Under the hatches, a faint tint, so that a small lost area shows at a glance.
    OverlayStyle tint;
    tint.width = 0;
    tint.fill = QColor(215, 25, 28, 45);
    std::vector<OverlayShape> hatches;
    for (std::size_t i = 0; i < r.changes.size(); ++i) {
        const ZoneChange& c = r.changes[i];
        QRectF bounds;
        if (!c.gained.empty()) {
            OverlayShape shape = overlay_shape(data_, c.gained, gained_style());
            bounds |= shape.bounds();
            gained->shapes.push_back(std::move(shape));
        }
        if (!c.lost.empty()) {
            OverlayShape shape = overlay_shape(data_, c.lost, lost_style());
            bounds |= shape.bounds();
            OverlayShape under = shape;
            under.style = tint;
            lost->shapes.push_back(std::move(under));
            hatches.push_back(std::move(shape));
        }
        change_bounds_[i] = bounds;
    }
    for (auto& shape : hatches) {
        lost->shapes.push_back(std::move(shape));
    }
    for (std::size_t i = 0; i < r.lost.size(); ++i) {
        const LostArea& l = r.lost[i];
        OverlayShape shape = overlay_shape(data_, l.geometry, coverage_lost_style());
        shape.points.push_back(data_.to_plane(l.location.first, l.location.second));
        lost_bounds_[i] = shape.bounds();
        coverage->shapes.push_back(std::move(shape));
    }
    auto lay = [this](const char* name, std::shared_ptr<Overlay> overlay) {
        canvas_->set_overlay(QString::fromUtf8(name), overlay->shapes.empty() ? nullptr : std::move(overlay));
    };
    lay(gained_overlay, std::move(gained));
    lay(lost_overlay, std::move(lost));
    lay(coverage_lost_overlay, std::move(coverage));
    fill_tables();
    status_->setText(ui("HistoryPanel", "Compared: %1 zones changed").arg(r.changes.size()));
}

void HistoryPanel::fill_tables() {
    balance_->clear();
    changes_->clear();
    summary_->clear();
    if (!report_) {
        return;
    }
    const DiffReport& r = *report_;
    const bool zh = language() == Language::zh;
    QStringList lines;
    lines << QStringLiteral("%1 → %2").arg(qstr(r.before_label), qstr(r.after_label));
    // The versions that made the difference, the latest last; a long run shortened.
    constexpr std::size_t listed = 12;
    const std::size_t skipped = r.versions.size() > listed ? r.versions.size() - listed : 0;
    if (skipped > 0) {
        lines << ui("HistoryPanel", "... and %1 earlier versions").arg(skipped);
    }
    for (std::size_t i = skipped; i < r.versions.size(); ++i) {
        const VersionInfo& v = r.versions[i];
        QString line = ui("HistoryPanel", "version %1 %2 %3 %4")
                           .arg(v.id)
                           .arg(operation_label(v.operation), kind_name(v.kind), local_time(v.time));
        if (!v.author.empty()) {
            line += ui("HistoryPanel", "  by ") + qstr(v.author);
        }
        if (!v.basis.empty()) {
            line += ui("HistoryPanel", "  basis: ") + qstr(v.basis);
        }
        if (!v.note.empty()) {
            line += QStringLiteral("  ") + qstr(v.note);
        }
        lines << line;
    }
    for (std::size_t i = 0; i < r.problems.size() && i < listed; ++i) {
        lines << qstr(problem_line(r.problems[i], language()));
    }
    if (r.problems.size() > listed) {
        lines << ui("HistoryPanel", "... and %1 more zones that cannot be compared").arg(r.problems.size() - listed);
    }
    if (r.changes.empty()) {
        lines << ui("HistoryPanel", "No differences");
    }
    summary_->setText(lines.join(QStringLiteral("\n")));

    // Per kind, the balance `redline diff` prints; the coverage lost under it, piece by piece.
    QFont bold = balance_->font();
    bold.setBold(true);
    // The kinds that changed first; those that did not after them, greyed.
    std::vector<std::pair<std::string, const KindBalance*>> kinds;
    for (const auto& [kind, b] : r.kinds) {
        kinds.emplace_back(kind, &b);
    }
    auto changed = [](const KindBalance& b) { return b.added + b.removed + b.changed > 0 || b.coverage_lost_m2 > 0; };
    std::stable_partition(kinds.begin(), kinds.end(), [&](const auto& k) { return changed(*k.second); });
    for (const auto& [kind, balance] : kinds) {
        const KindBalance& b = *balance;
        auto* item = new QTreeWidgetItem(balance_);
        item->setText(balance_kind, kind_name(kind));
        item->setToolTip(balance_kind, qstr(kind));
        if (!changed(b)) {
            for (int c = 0; c < balance_->columnCount(); ++c) {
                item->setForeground(c, palette().color(QPalette::Disabled, QPalette::Text));
            }
        }
        item->setText(balance_zones, QStringLiteral("%1 → %2").arg(b.before).arg(b.after));
        item->setText(balance_counts, QStringLiteral("%1 / %2 / %3").arg(b.added).arg(b.removed).arg(b.changed));
        item->setText(balance_area, QStringLiteral("%1 → %2").arg(grouped(b.area_before_m2 / 10'000.0, 4),
                                                                  grouped(b.area_after_m2 / 10'000.0, 4)));
        set_area(item, balance_gained, b.gained_m2);
        set_area(item, balance_lost, b.lost_m2);
        set_area(item, balance_coverage_lost, b.coverage_lost_m2);
        if (b.coverage_lost_m2 > 0) {
            item->setForeground(balance_coverage_lost, QColor(170, 0, 0));
            item->setFont(balance_coverage_lost, bold);
            item->setToolTip(balance_coverage_lost,
                             ui("HistoryPanel",
                                "Ground the kind's zones taken together no longer cover (what the rule that the "
                                "area must not shrink is about)"));
        }
        for (std::size_t i = 0; i < r.lost.size(); ++i) {
            const LostArea& l = r.lost[i];
            if (l.kind != kind) {
                continue;
            }
            auto* piece = new QTreeWidgetItem(item);
            piece->setData(0, lost_role, static_cast<int>(i));
            piece->setText(balance_kind, ui("HistoryPanel", "no longer covered"));
            QStringList was;
            for (std::size_t z = 0; z < l.zone_ids.size(); ++z) {
                const std::string& name = z < l.names.size() ? l.names[z] : std::string();
                was << qstr(l.zone_ids[z]) +
                           (name.empty() ? QString() : (zh ? "（" : " (") + qstr(name) + (zh ? "）" : ")"));
            }
            piece->setText(balance_zones, ui("HistoryPanel", "was ") + was.join(QStringLiteral(", ")));
            piece->setText(balance_counts, QStringLiteral("@ ") + place_text(l.location));
            set_area(piece, balance_coverage_lost, l.area_m2);
            piece->setForeground(balance_coverage_lost, QColor(170, 0, 0));
            piece->setFont(balance_coverage_lost, bold);
            for (int c = 0; c < balance_->columnCount(); ++c) {
                piece->setToolTip(c, ui("HistoryPanel", "Click to zoom to it"));
            }
        }
        item->setExpanded(true);
    }

    // Per zone: what it gained and lost against its own earlier geometry, and its fields.
    for (std::size_t i = 0; i < r.changes.size(); ++i) {
        const ZoneChange& c = r.changes[i];
        const KindSchema* schema = schemas_.find(c.kind);
        auto* item = new QTreeWidgetItem(changes_);
        item->setData(0, change_role, static_cast<int>(i));
        QString kind = kind_name(c.kind);
        if (!c.subzone.empty()) {
            const SubzoneDefinition* sub = schema == nullptr ? nullptr : schema->find_subzone(c.subzone);
            kind += QStringLiteral(" · ") + (sub == nullptr ? qstr(c.subzone) : pick(sub->name_zh, sub->name_en));
        }
        item->setText(change_kind, kind);
        item->setText(
            change_zone,
            qstr(c.zone_id) + (c.name.empty() ? QString() : (zh ? "（" : " (") + qstr(c.name) + (zh ? "）" : ")")));
        item->setText(change_type, change_type_label(c.type));
        if (c.type == ZoneChange::Type::added) {
            item->setForeground(change_type, QColor(26, 120, 50));
        } else if (c.type == ZoneChange::Type::removed) {
            item->setForeground(change_type, QColor(180, 20, 20));
        }
        set_area(item, change_gained, c.gained_m2);
        set_area(item, change_lost, c.lost_m2);
        QStringList fields;
        if (c.geometry_changed && c.type == ZoneChange::Type::changed) {
            fields << ui("HistoryPanel", "boundary");
        }
        for (const auto& [field, old_value, new_value] : c.fields) {
            QString label = qstr(field);
            if (field == "subzone") {
                label = ui("HistoryPanel", "sub-zone");
            } else if (field == "code") {
                label = ui("HistoryPanel", "code");
            } else if (field == "name") {
                label = ui("HistoryPanel", "name");
            } else if (const FieldDefinition* f = schema == nullptr ? nullptr : schema->find_field(field)) {
                const std::string& zh_label = f->label_zh.empty() ? field : f->label_zh;
                const std::string& en_label = f->label_en.empty() ? field : f->label_en;
                label = pick(zh_label, en_label);
            }
            fields << ui("HistoryPanel", "%1: '%2' → '%3'").arg(label, qstr(old_value), qstr(new_value));
        }
        item->setText(change_fields, fields.join(ui("HistoryPanel", "; ")));
        item->setToolTip(change_fields, fields.join(QStringLiteral("\n")));
        if (c.location) {
            item->setToolTip(change_zone, QStringLiteral("@ ") + place_text(*c.location));
        }
    }
}

void HistoryPanel::zoom_to_change(int change) {
    if (!report_ || change < 0 || static_cast<std::size_t>(change) >= report_->changes.size()) {
        return;
    }
    const ZoneChange& c = report_->changes[static_cast<std::size_t>(change)];
    const std::vector<int> zones = data_.find_zone(c.kind + ":" + c.zone_id);
    QRectF rect = change_bounds_[static_cast<std::size_t>(change)];
    if (rect.isEmpty() && !zones.empty()) {
        rect = data_.extent_of(zones);
    }
    if (rect.isEmpty() && c.location) {
        const QPointF p = data_.to_plane(c.location->first, c.location->second);
        rect = QRectF(p - QPointF(1, 1), QSizeF(2, 2));
    }
    if (!rect.isEmpty()) {
        canvas_->zoom_to_rect(rect);
    }
    canvas_->set_highlighted(zones);
    highlighted_ = zones;
}

void HistoryPanel::zoom_to_lost(int lost) {
    if (!report_ || lost < 0 || static_cast<std::size_t>(lost) >= report_->lost.size()) {
        return;
    }
    const QRectF rect = lost_bounds_[static_cast<std::size_t>(lost)];
    if (!rect.isEmpty()) {
        canvas_->zoom_to_rect(rect);
    }
}

void HistoryPanel::clear() {
    for (const char* name : {version_overlay, gained_overlay, lost_overlay, coverage_lost_overlay}) {
        canvas_->set_overlay(QString::fromUtf8(name), nullptr);
    }
    if (!highlighted_.empty() && canvas_->settings().highlighted == highlighted_) {
        canvas_->set_highlighted({});
    }
    highlighted_.clear();
    report_.reset();
    change_bounds_.clear();
    lost_bounds_.clear();
    fill_tables();
    status_->clear();
}

}  // namespace redline::viewer
