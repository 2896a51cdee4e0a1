#include "edit_panels.hpp"

#include "panels.hpp"
#include "text.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <regex>

namespace redline::viewer {
namespace {

QString kind_name(const SchemaSet& schemas, const std::string& kind) {
    const KindSchema* k = schemas.find(kind);
    return k == nullptr ? qstr(kind) : pick(k->name_zh, k->name_en);
}

QString field_label(const FieldDefinition& f) {
    const std::string& label = language() == Language::zh ? f.label_zh : f.label_en;
    return qstr(label.empty() ? f.id : label);
}

}  // namespace

// --- AttributeForm --------------------------------------------------------------------

AttributeForm::AttributeForm(const KindSchema& kind, const ZoneEdit& prefilled, QWidget* parent)
    : QDialog(parent), kind_(kind), edit_(prefilled) {
    setWindowTitle(ui("EditPanels", "Zone fields: ") + pick(kind.name_zh, kind.name_en));
    auto* form = new QFormLayout;
    code_ = new QLineEdit(qstr(prefilled.code.value_or("")));
    code_hint_ = new QLabel;
    code_hint_->setWordWrap(true);
    const FieldDefinition* code_field = kind.find_field("code");
    form->addRow(code_field != nullptr ? field_label(*code_field) : ui("EditPanels", "Code"), code_);
    form->addRow(QString(), code_hint_);
    name_ = new QLineEdit(qstr(prefilled.name.value_or("")));
    const FieldDefinition* name_field = kind.find_field("name");
    form->addRow(name_field != nullptr ? field_label(*name_field) : ui("EditPanels", "Name"), name_);
    if (!kind.subzones.empty()) {
        subzone_ = new QComboBox;
        for (const auto& sub : kind.subzones) {
            if (sub.legacy()) {
                continue;  // the law has replaced it: new zones take the current zoning
            }
            subzone_->addItem(pick(sub.name_zh, sub.name_en), qstr(sub.id));
        }
        const std::string wanted = prefilled.subzone.value_or(kind.default_subzone.value_or(""));
        if (const int at = subzone_->findData(qstr(wanted)); at >= 0) {
            subzone_->setCurrentIndex(at);
        }
        form->addRow(ui("EditPanels", "Sub-zone"), subzone_);
    }
    for (const auto& f : kind.fields) {
        if (!f.is_attribute || f.id == subzone_source_attribute) {
            continue;
        }
        const auto it = prefilled.attributes.find(f.id);
        auto* input = new QLineEdit(it == prefilled.attributes.end() ? QString() : qstr(it->second));
        attributes_[f.id] = input;
        form->addRow(field_label(f), input);
    }
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons_);
    connect(code_, &QLineEdit::textChanged, this, &AttributeForm::check_code);
    check_code();
}

QString AttributeForm::code_problem() const {
    const FieldDefinition* field = kind_.find_field("code");
    const std::string code = code_->text().trimmed().toStdString();
    if (code.empty()) {
        return ui("EditPanels", "A code is needed (the zone id is made from it).");
    }
    if (field != nullptr && !field->pattern.empty() && !std::regex_match(code, std::regex(field->pattern))) {
        return ui("EditPanels", "The code does not match the pattern ") + qstr(field->pattern);
    }
    return {};
}

void AttributeForm::check_code() {
    const QString problem = code_problem();
    code_hint_->setText(problem.isEmpty() ? ui("EditPanels", "✓ code well formed") : problem);
    code_hint_->setStyleSheet(problem.isEmpty() ? QStringLiteral("color: #1a7f37") : QStringLiteral("color: #c62828"));
    code_->setStyleSheet(problem.isEmpty() ? QString() : QStringLiteral("border: 1px solid #c62828"));
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QLineEdit* AttributeForm::attribute_input(const std::string& field) const {
    const auto it = attributes_.find(field);
    return it == attributes_.end() ? nullptr : it->second;
}

ZoneEdit AttributeForm::edit() const {
    ZoneEdit e = edit_;
    e.code = code_->text().trimmed().toStdString();
    e.name = name_->text().trimmed().toStdString();
    if (subzone_ != nullptr) {
        e.subzone = subzone_->currentData().toString().toStdString();
    }
    for (const auto& [id, input] : attributes_) {
        e.attributes[id] = input->text().trimmed().toStdString();  // empty: core removes it
    }
    return e;
}

// --- LawPanel -------------------------------------------------------------------------

LawPanel::LawPanel(EditController& controller, QWidget* parent) : QTreeWidget(parent), controller_(controller) {
    setColumnCount(2);
    setHeaderLabels({ui("EditPanels", "Item"), ui("EditPanels", "Value")});
    // Names can be long (kind, zone id and name): both columns share the width, the rest
    // of a cut text is in its tooltip.
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    header()->setStretchLastSection(true);
    header()->resizeSection(0, 230);
    setRootIsDecorated(true);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QVariant at = item->data(0, location_role);
        if (at.isValid()) {
            const QPointF p = at.toPointF();
            emit zoom_requested(p.x(), p.y());
        }
    });
    connect(&controller_, &EditController::changed, this, &LawPanel::refresh);
    refresh();
}

void LawPanel::refresh() {
    clear();
    needs_basis_ = false;
    if (!controller_.has_unsaved()) {
        addTopLevelItem(new QTreeWidgetItem({ui("EditPanels", "No unsaved edits")}));
        return;
    }
    const EditImpact& impact = controller_.impact();
    auto located = [](QTreeWidgetItem* item, const std::optional<std::pair<double, double>>& at) {
        if (at) {
            item->setData(0, location_role, QPointF(at->first, at->second));
        }
        return item;
    };
    const QColor red(198, 40, 40), amber(176, 96, 0);

    auto* touched = new QTreeWidgetItem({ui("EditPanels", "Zones touched"), QString::number(impact.changes.size())});
    for (const auto& c : impact.changes) {
        const QString type = c.type == ZoneChange::Type::added     ? ui("EditPanels", "added")
                             : c.type == ZoneChange::Type::removed ? ui("EditPanels", "retired")
                                                                   : ui("EditPanels", "changed");
        QString value = type;
        if (c.gained_m2 > 0) {
            value += ui("EditPanels", ", +") + area_text(c.gained_m2);
        }
        if (c.lost_m2 > 0) {
            value += ui("EditPanels", ", −") + area_text(c.lost_m2);
        }
        auto* item =
            located(new QTreeWidgetItem(
                        {kind_name(controller_.schemas(), c.kind) + " " + qstr(c.zone_id + " " + c.name), value}),
                    c.location);
        item->setToolTip(0, item->text(0));
        item->setToolTip(1, value);
        touched->addChild(item);
    }
    addTopLevelItem(touched);

    auto* balance = new QTreeWidgetItem({ui("EditPanels", "Area by kind")});
    for (const auto& [kind, b] : impact.kinds) {
        balance->addChild(new QTreeWidgetItem(
            {kind_name(controller_.schemas(), kind), ui("EditPanels", "+") + area_text(b.coverage_gained_m2) +
                                                         ui("EditPanels", "; −") + area_text(b.coverage_lost_m2)}));
    }
    addTopLevelItem(balance);

    if (!impact.guarded_loss.empty()) {
        needs_basis_ = true;
        auto* guarded = new QTreeWidgetItem({ui("EditPanels", "Guarded coverage lost (saving needs a basis)"),
                                             QString::number(impact.guarded_loss.size())});
        guarded->setForeground(0, red);
        for (const auto& l : impact.guarded_loss) {
            auto* item = located(new QTreeWidgetItem({kind_name(controller_.schemas(), l.kind), area_text(l.area_m2)}),
                                 l.location);
            item->setForeground(0, red);
            item->setForeground(1, red);
            guarded->addChild(item);
        }
        addTopLevelItem(guarded);
    }
    if (!impact.gaps.empty()) {
        auto* gaps =
            new QTreeWidgetItem({ui("EditPanels", "Gaps in tiling kinds"), QString::number(impact.gaps.size())});
        gaps->setForeground(0, amber);
        for (const auto& g : impact.gaps) {
            gaps->addChild(located(
                new QTreeWidgetItem({kind_name(controller_.schemas(), g.kind), area_text(g.area_m2)}), g.location));
        }
        addTopLevelItem(gaps);
    }
    if (!impact.findings.empty()) {
        auto* findings = new QTreeWidgetItem(
            {ui("EditPanels", "Findings (overlaps, slivers, codes)"), QString::number(impact.findings.size())});
        findings->setForeground(0, amber);
        for (const auto& f : impact.findings) {
            auto* item =
                located(new QTreeWidgetItem({QString::fromUtf8(check_label(f.check, language())), text(f.message)}),
                        f.location);
            item->setToolTip(1, text(f.message));
            findings->addChild(item);
        }
        addTopLevelItem(findings);
    }
    expandAll();
}

// --- SaveDialog -----------------------------------------------------------------------

QStringList guarded_losses(const EditImpact& impact, const SchemaSet& schemas) {
    QStringList lines;
    for (const auto& l : impact.guarded_loss) {
        QString ids;
        for (const auto& id : l.zone_ids) {
            ids += (ids.isEmpty() ? "" : ", ") + qstr(id);
        }
        lines << kind_name(schemas, l.kind) + " " + ids + ui("EditPanels", ": loses ") + area_text(l.area_m2);
    }
    return lines;
}

SaveDialog::SaveDialog(const QStringList& losses, const QString& author, QWidget* parent)
    : QDialog(parent),
      basis_needed_(!losses.isEmpty()),
      author_(new QLineEdit(author)),
      note_(new QLineEdit),
      basis_(new QLineEdit),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel)) {
    setWindowTitle(ui("EditPanels", "Save as a new version"));
    auto* layout = new QVBoxLayout(this);
    if (basis_needed_) {
        auto* warning =
            new QLabel(ui("EditPanels", "These edits give up red-line or reserve ground:\n") + losses.join('\n') +
                       ui("EditPanels",
                          "\n\nState the basis (approval document number and note); it is recorded in "
                          "the version and shown by redline log and diff."));
        warning->setWordWrap(true);
        warning->setStyleSheet(QStringLiteral("color: #c62828"));
        layout->addWidget(warning);
    }
    auto* form = new QFormLayout;
    form->addRow(ui("EditPanels", "Author"), author_);
    form->addRow(ui("EditPanels", "Note"), note_);
    form->addRow(ui("EditPanels", "Basis"), basis_);
    basis_->setPlaceholderText(basis_needed_ ? ui("EditPanels", "Required: e.g. 辽政函〔2026〕12号")
                                             : ui("EditPanels", "Optional"));
    layout->addLayout(form);
    layout->addWidget(buttons_);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(basis_, &QLineEdit::textChanged, this, &SaveDialog::check);
    connect(author_, &QLineEdit::textChanged, this, &SaveDialog::check);
    check();
}

void SaveDialog::check() {
    const bool ok = !author_->text().trimmed().isEmpty() && (!basis_needed_ || !basis_->text().trimmed().isEmpty());
    buttons_->button(QDialogButtonBox::Save)->setEnabled(ok);
}

std::string SaveDialog::author() const {
    return author_->text().trimmed().toStdString();
}
std::string SaveDialog::note() const {
    return note_->text().trimmed().toStdString();
}
std::string SaveDialog::basis() const {
    return basis_->text().trimmed().toStdString();
}

}  // namespace redline::viewer
