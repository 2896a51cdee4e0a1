// What mapping staff see around the editing tools: the attribute form generated from the
// kind's schema, the law panel watching the unsaved edits, and the save dialog that asks for
// author, note and (when guarded ground is given up) the basis.
#pragma once

#ifndef Q_MOC_RUN
#include "edit_controller.hpp"
#include "redline/model/schema.hpp"
#endif

#include <QDialog>
#include <QTreeWidget>

#include <map>
#include <optional>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QDialogButtonBox;

namespace redline::viewer {

// The fields of a zone as its kind defines them: code (its pattern checked as you type),
// name, sub-zone (a pick list of the kind's current sub-zones) and every attribute.
class AttributeForm : public QDialog {
    Q_OBJECT

public:
    AttributeForm(const KindSchema& kind, const ZoneEdit& prefilled, QWidget* parent = nullptr);
    // The edit with the fields as filled in.
    ZoneEdit edit() const;
    // The code's check as you type: empty when it matches the pattern (or there is none).
    QString code_problem() const;
    QLineEdit* code_input() const { return code_; }
    QComboBox* subzone_input() const { return subzone_; }
    QLineEdit* name_input() const { return name_; }
    QLineEdit* attribute_input(const std::string& field) const;

private:
    void check_code();
    const KindSchema& kind_;
    ZoneEdit edit_;
    QLineEdit* code_ = nullptr;
    QLabel* code_hint_ = nullptr;
    QLineEdit* name_ = nullptr;
    QComboBox* subzone_ = nullptr;
    std::map<std::string, QLineEdit*> attributes_;
    QDialogButtonBox* buttons_ = nullptr;
};

// The law watching: zones touched, area gained and lost per kind, coverage lost (red when a
// guarded kind: saving needs a basis), gaps and overlaps in tiling kinds, other findings.
class LawPanel : public QTreeWidget {
    Q_OBJECT

public:
    static constexpr int location_role = Qt::UserRole + 1;  // QPointF lon/lat, when there is one
    explicit LawPanel(EditController& controller, QWidget* parent = nullptr);
    void refresh();
    bool needs_basis() const { return needs_basis_; }

signals:
    void zoom_requested(double lon, double lat);

private:
    EditController& controller_;
    bool needs_basis_ = false;
};

class SaveDialog : public QDialog {
    Q_OBJECT

public:
    // `losses`: the guarded ground given up, one line each (empty: no basis needed).
    SaveDialog(const QStringList& losses, const QString& author, QWidget* parent = nullptr);
    QLineEdit* author_input() const { return author_; }
    QLineEdit* note_input() const { return note_; }
    QLineEdit* basis_input() const { return basis_; }
    std::string author() const;
    std::string note() const;
    std::string basis() const;

private:
    void check();
    bool basis_needed_;
    QLineEdit* author_;
    QLineEdit* note_;
    QLineEdit* basis_;
    QDialogButtonBox* buttons_;
};

// The lines a SaveDialog lists: each piece of guarded coverage the edits give up.
QStringList guarded_losses(const EditImpact& impact, const SchemaSet& schemas);

}  // namespace redline::viewer
