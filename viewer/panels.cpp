#include "panels.hpp"

#include "map_renderer.hpp"
#include "text.hpp"

#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace redline::viewer {

QIcon style_swatch(const ZoneStyle& style) {
    QPixmap pixmap(28, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QRectF box(2, 2, 24, 12);
    painter.fillRect(box, Qt::white);
    if (style.fill.a > 0) {
        painter.fillRect(box, fill_colour(style));
    }
    QPen pen = stroke_pen(style);
    if (pen.style() != Qt::NoPen) {
        pen.setWidthF(std::max(1.0, style.stroke_width * 1.25));
        if (style.dashed) {
            pen.setDashPattern({3, 2});
        }
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(box);
    }
    return QIcon(pixmap);
}

void IdentifyPanel::add_history(QTreeWidgetItem* zone_item, const Zone& zone) {
    if (workspace_ == nullptr) {
        return;
    }
    std::vector<Zone> revisions;
    std::vector<VersionInfo> versions;
    try {
        revisions = workspace_->zone_history(zone.kind, zone.zone_id);
        versions = workspace_->versions();
    } catch (const std::exception&) {
        return;  // the map stays usable when the history cannot be read
    }
    auto* history = new QTreeWidgetItem(zone_item);
    history->setText(0, ui("Panels", "History"));
    history->setText(1, ui("Panels", "%1 revision(s)").arg(revisions.size()));
    auto version_of = [&](std::int64_t id) -> const VersionInfo* {
        const auto it =
            std::find_if(versions.begin(), versions.end(), [id](const VersionInfo& v) { return v.id == id; });
        return it == versions.end() ? nullptr : &*it;
    };
    // The newest first: what changed it last is what a reviewer asks first.
    for (auto r = revisions.rbegin(); r != revisions.rend(); ++r) {
        const VersionInfo* made = version_of(r->version);
        QString when = ui("Panels", "version %1").arg(r->version);
        if (made != nullptr) {
            when += QStringLiteral(" ") + qstr(made->time.substr(0, 10)) + QStringLiteral(" ") + qstr(made->operation);
        }
        QString what = area_text(r->area_m2);
        if (made != nullptr && !made->author.empty()) {
            what += ui("Panels", "; by ") + qstr(made->author);
        }
        if (made != nullptr && !made->basis.empty()) {
            what += ui("Panels", "; basis ") + qstr(made->basis);
        }
        if (made != nullptr && !made->note.empty()) {
            what += ui("Panels", "; ") + qstr(made->note);
        }
        what += r->version_to == 0 ? ui("Panels", " (current)") : ui("Panels", "; until version %1").arg(r->version_to);
        auto* item = new QTreeWidgetItem(history);
        item->setText(0, when);
        item->setText(1, what);
        item->setToolTip(1, what);
    }
}

QString area_text(double square_metres) {
    return ui("Panels", "%1 m² (%2 ha)")
        .arg(grouped(square_metres, square_metres < 100 ? 2 : 1), grouped(square_metres / 10000, 2));
}

// ---------------------------------------------------------------------------------------

LayerPanel::LayerPanel(const MapData& map, QWidget* parent) : QTreeWidget(parent) {
    setHeaderHidden(true);
    setColumnCount(1);
    setRootIsDecorated(true);
    setIconSize(QSize(28, 16));
    group_items_.assign(map.groups().size(), nullptr);
    // Kinds as a GIS lists layers: the one drawn on top first.
    std::map<std::string, std::vector<int>> by_kind;
    for (std::size_t g = 0; g < map.groups().size(); ++g) {
        by_kind[map.groups()[g].kind].push_back(static_cast<int>(g));
    }
    std::vector<std::pair<std::string, std::vector<int>>> kinds(by_kind.begin(), by_kind.end());
    auto group = [&](int g) -> const LayerGroup& { return map.groups()[static_cast<std::size_t>(g)]; };
    std::stable_sort(kinds.begin(), kinds.end(), [&](const auto& a, const auto& b) {
        return group(a.second.front()).draw_order > group(b.second.front()).draw_order;
    });
    for (auto& [kind, groups] : kinds) {
        std::sort(groups.begin(), groups.end(), [&](int a, int b) {
            const int ra = group(a).rank < 0 ? 1000 : group(a).rank;
            const int rb = group(b).rank < 0 ? 1000 : group(b).rank;
            return ra != rb ? ra < rb : group(a).subzone < group(b).subzone;
        });
        int count = 0;
        for (int g : groups) {
            count += group(g).zones;
        }
        auto* top = new QTreeWidgetItem(this);
        top->setText(0, QStringLiteral("%1 (%2)").arg(group(groups.front()).kind_name).arg(count));
        top->setToolTip(0, qstr(kind));
        top->setFlags(top->flags() | Qt::ItemIsUserCheckable);
        top->setCheckState(0, Qt::Checked);
        if (groups.size() == 1 && group(groups.front()).subzone.empty()) {
            // A kind without sub-zones is one layer.
            top->setIcon(0, style_swatch(group(groups.front()).style));
            top->setData(0, group_role, groups.front());
            group_items_[static_cast<std::size_t>(groups.front())] = top;
            continue;
        }
        top->setFlags(top->flags() | Qt::ItemIsAutoTristate);
        for (int g : groups) {
            auto* child = new QTreeWidgetItem(top);
            child->setText(0, QStringLiteral("%1 (%2)").arg(group(g).subzone_name).arg(group(g).zones));
            child->setToolTip(0, qstr(group(g).kind + " / " + group(g).subzone));
            child->setIcon(0, style_swatch(group(g).style));
            child->setFlags(child->flags() | Qt::ItemIsUserCheckable);
            child->setCheckState(0, Qt::Checked);
            child->setData(0, group_role, g);
            group_items_[static_cast<std::size_t>(g)] = child;
        }
        top->setExpanded(true);
    }
    connect(this, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
        const QVariant g = item->data(column, group_role);
        if (g.isValid() && item->checkState(0) != Qt::PartiallyChecked) {
            emit group_visibility_changed(g.toInt(), item->checkState(0) == Qt::Checked);
        }
    });
}

QTreeWidgetItem* LayerPanel::item_for_group(int group) const {
    return group >= 0 && static_cast<std::size_t>(group) < group_items_.size()
               ? group_items_[static_cast<std::size_t>(group)]
               : nullptr;
}

// ---------------------------------------------------------------------------------------

SearchPanel::SearchPanel(const MapData& map, QWidget* parent)
    : QWidget(parent),
      data_(map),
      input_(new QLineEdit(this)),
      results_(new QListWidget(this)),
      summary_(new QLabel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    input_->setPlaceholderText(ui("Panels", "Find zones by name or code"));
    input_->setClearButtonEnabled(true);
    layout->addWidget(input_);
    layout->addWidget(summary_);
    layout->addWidget(results_, 1);
    summary_->setVisible(false);
    results_->setIconSize(QSize(28, 16));
    connect(input_, &QLineEdit::textChanged, this, &SearchPanel::update_results);
    connect(input_, &QLineEdit::returnPressed, this, [this]() {
        if (results_->count() > 0) {
            results_->setCurrentRow(0);
            emit zone_chosen(results_->item(0)->data(zone_role).toInt());
        }
    });
    auto choose = [this](QListWidgetItem* item) {
        if (item != nullptr) {
            emit zone_chosen(item->data(zone_role).toInt());
        }
    };
    connect(results_, &QListWidget::itemClicked, this, choose);
    connect(results_, &QListWidget::itemActivated, this, choose);
}

void SearchPanel::update_results(const QString& text) {
    results_->clear();
    if (text.trimmed().isEmpty()) {
        summary_->setVisible(false);
        return;
    }
    constexpr std::size_t limit = 200;
    const std::vector<int> found = data_.search(text, limit + 1);
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        const DisplayZone& z = data_.zones()[static_cast<std::size_t>(found[i])];
        const LayerGroup& g = data_.groups()[static_cast<std::size_t>(z.group)];
        const QString name = z.zone.name.empty() ? qstr(z.zone.zone_id) : qstr(z.zone.name);
        QString detail = g.kind_name;
        if (!g.subzone.empty()) {
            detail += QStringLiteral(" · ") + g.subzone_name;
        }
        if (!z.zone.code.empty()) {
            detail += QStringLiteral(" · ") + qstr(z.zone.code);
        }
        auto* item = new QListWidgetItem(style_swatch(g.style), name + QStringLiteral("\n") + detail, results_);
        item->setData(zone_role, found[i]);
        item->setToolTip(qstr(z.zone.kind + ":" + z.zone.zone_id));
    }
    summary_->setVisible(true);
    if (found.empty()) {
        summary_->setText(ui("Panels", "No zone matches"));
    } else if (found.size() > limit) {
        summary_->setText(ui("Panels", "First %1 matches (type more to narrow)").arg(limit));
    } else {
        summary_->setText(ui("Panels", "%1 matches").arg(found.size()));
    }
}

// ---------------------------------------------------------------------------------------

FieldTree::FieldTree(const QString& name_header, const QString& value_header, QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(2);
    setHeaderLabels({name_header, value_header});
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    header()->setStretchLastSection(true);
    setWordWrap(true);
    setTextElideMode(Qt::ElideNone);
    setUniformRowHeights(false);
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setIconSize(QSize(28, 16));
    connect(header(), &QHeaderView::sectionResized, this, [this](int) { fit_rows(); });
}

void FieldTree::fit_rows() {
    for (int i = 0; i < topLevelItemCount(); ++i) {
        fit(topLevelItem(i), 0);
    }
    scheduleDelayedItemsLayout();
}

void FieldTree::fit(QTreeWidgetItem* item, int depth) {
    const QFontMetrics metrics = fontMetrics();
    if (item->isFirstColumnSpanned()) {
        const int width = std::max(60, viewport()->width() - indentation() * (depth + 1) - iconSize().width() - 12);
        const QRect text = metrics.boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, item->text(0));
        item->setSizeHint(0, QSize(width, std::max(iconSize().height(), text.height()) + 4));
    } else if (!item->text(1).isEmpty()) {
        const int width = std::max(40, columnWidth(1) - 8);
        const QRect text = metrics.boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, item->text(1));
        item->setSizeHint(1, QSize(width, std::max(metrics.height(), text.height()) + 4));
    }
    for (int i = 0; i < item->childCount(); ++i) {
        fit(item->child(i), depth + 1);
    }
}

void FieldTree::resizeEvent(QResizeEvent* event) {
    QTreeWidget::resizeEvent(event);
    fit_rows();
}

IdentifyPanel::IdentifyPanel(const MapData& map, QWidget* parent)
    : FieldTree(ui("Panels", "Field"), ui("Panels", "Value"), parent), data_(map) {
    connect(this, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item, int) {
        while (item->parent() != nullptr) {
            item = item->parent();
        }
        const QVariant zone = item->data(0, zone_role);
        if (zone.isValid()) {
            emit zoom_requested(zone.toInt());
        }
    });
}

void IdentifyPanel::show_zones(const std::vector<int>& zones) {
    zones_ = zones;
    clear();
    if (zones.empty()) {
        auto* none = new QTreeWidgetItem(this);
        none->setText(0, ui("Panels", "No zone here"));
        none->setFirstColumnSpanned(true);
        return;
    }
    int label_width = 0;
    for (int index : zones) {
        const DisplayZone& dz = data_.zones()[static_cast<std::size_t>(index)];
        const Zone& z = dz.zone;
        const LayerGroup& g = data_.groups()[static_cast<std::size_t>(dz.group)];
        const KindSchema* kind = data_.schemas().find(z.kind);
        auto* top = new QTreeWidgetItem(this);
        top->setIcon(0, style_swatch(g.style));
        QString title = g.kind_name;
        if (!z.subzone.empty()) {
            title += QStringLiteral(" · ") + g.subzone_name;
        }
        // The zone's kind and name across both columns; its fields below.
        const std::string& shown = !z.name.empty() ? z.name : !z.code.empty() ? z.code : z.zone_id;
        top->setText(0, title + ui("Panels", ": ") + qstr(shown));
        top->setFirstColumnSpanned(true);
        top->setToolTip(0, top->text(0) + QStringLiteral("\n") + ui("Panels", "Double-click to zoom to this zone"));
        top->setData(0, zone_role, index);
        auto row = [&](const QString& field, const QString& value) {
            label_width = std::max(label_width, fontMetrics().horizontalAdvance(field));
            auto* item = new QTreeWidgetItem(top);
            item->setText(0, field);
            item->setText(1, value);
            item->setToolTip(1, value);
        };
        const QString id_format = ui("Panels", "%1 (%2)");
        row(ui("Panels", "Kind"), id_format.arg(g.kind_name, qstr(z.kind)));
        if (!z.subzone.empty()) {
            QString sub = id_format.arg(g.subzone_name, qstr(z.subzone));
            const auto source = z.attributes.find(subzone_source_attribute);
            if (source != z.attributes.end()) {
                sub += ui("Panels", "; source value: ") + qstr(source->second);
            }
            row(ui("Panels", "Sub-zone"), sub);
        }
        row(ui("Panels", "Zone id"), qstr(z.zone_id));
        row(ui("Panels", "Code"), qstr(z.code));
        row(ui("Panels", "Name"), qstr(z.name));
        if (kind == nullptr || kind->geometry == ZoneGeometry::polygon || z.area_m2 > 0) {
            row(ui("Panels", "Area"), area_text(z.area_m2));
        }
        if (z.length_m > 0) {
            row(ui("Panels", "Length"), grouped(z.length_m, 1) + QStringLiteral(" m"));
        }
        for (const auto& [key, value] : z.attributes) {
            if (key == subzone_source_attribute) {
                continue;
            }
            QString label = qstr(key);
            if (kind != nullptr) {
                if (const FieldDefinition* field = kind->find_field(key)) {
                    const std::string& zh = field->label_zh.empty() ? key : field->label_zh;
                    const std::string& en = field->label_en.empty() ? key : field->label_en;
                    label = pick(zh, en);
                }
            }
            row(label, qstr(value));
        }
        row(ui("Panels", "Version"), QString::number(z.version));
        row(ui("Panels", "Feature id"), QString::number(z.fid));
        add_history(top, z);
        top->setExpanded(true);
    }
    // The field names fit; the values take the rest and wrap.
    setColumnWidth(0, label_width + 2 * indentation() + 12);
    fit_rows();
}

}  // namespace redline::viewer
