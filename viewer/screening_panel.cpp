#include "screening_panel.hpp"

#include "overlay.hpp"
#include "panels.hpp"
#include "text.hpp"

#include "redline/errors.hpp"
#include "redline/reports/screening_report.hpp"
#include "redline/reports/wording.hpp"

#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QPainter>
#include <QPixmap>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>
#include <new>
#include <set>

namespace redline::viewer {
namespace {

// ---------------------------------------------------------------------------------------
// Words as the report writes them: core's wording (redline/reports/wording.hpp), in the
// viewer's language.

QString relation_text(Relation relation) {
    return QString::fromUtf8(relation_label(relation, language()));
}

QString verdict_text(Verdict verdict) {
    return QString::fromUtf8(verdict_label(verdict, language()));
}

QString kind_text(const SchemaSet& schemas, const std::string& kind) {
    return qstr(kind_label(schemas, kind, language()));
}

QString hit_subzone_text(const SchemaSet& schemas, const Hit& hit) {
    return hit.subzone.empty() ? QString() : qstr(hit_subzone_label(schemas, hit, language()));
}

QString zone_text(const Hit& hit) {
    QString zone = qstr(hit.zone_name.empty() ? hit.zone_id : hit.zone_name);
    if (!hit.zone_code.empty()) {
        zone += QStringLiteral(" [") + qstr(hit.zone_code) + QStringLiteral("]");
    }
    return zone;
}

QString assumption_text(const Assumption& a, const FactVocabulary& vocabulary) {
    return qstr(describe(a, vocabulary, language()));
}

QString facts_text(const ActivityFacts& facts, const FactVocabulary& vocabulary) {
    QStringList parts;
    auto add = [&](const char* name, const std::optional<std::string>& value) {
        if (value) {
            parts << (language() == Language::zh ? qstr(vocabulary.chinese_fact(name)) + QStringLiteral("：") +
                                                       qstr(vocabulary.chinese_value(name, *value))
                                                 : QString::fromUtf8(name) + QStringLiteral("=") + qstr(*value));
        }
    };
    auto flag = [](const std::optional<bool>& value) {
        return value ? std::optional<std::string>(*value ? "true" : "false") : std::nullopt;
    };
    add("activity", facts.activity);
    add("industry", facts.industry);
    add("outfall_type", facts.outfall_type);
    add("receiving_water", facts.receiving_water);
    add("discharges", flag(facts.discharges));
    add("listed_activity", flag(facts.listed_activity));
    return parts.isEmpty() ? ui("ScreeningPanel", "(not stated)") : parts.join(ui("ScreeningPanel", "; "));
}

QString detection_text(const std::string& what) {
    const std::string code = "detect.what." + what;
    const std::string label = Message(code).text(language());
    return qstr(label == code ? what : label);
}

QString percent_text(double ratio) {
    return QString::number(ratio * 100, 'f', 2) + QStringLiteral("%");
}

QString metres_text(double metres) {
    return grouped(metres, metres < 100 ? 2 : 1) + QStringLiteral(" m");
}

// ---------------------------------------------------------------------------------------
// Colours by verdict: the report's banner colours for text, stronger ones for the map.

struct Tone {
    QColor background, text, map;
};

Tone tone_of(Verdict verdict) {
    switch (verdict) {
        case Verdict::prohibited:
            return {QColor(0xf8, 0xd7, 0xd7), QColor(0x8a, 0x00, 0x00), QColor(0xd0, 0x10, 0x10)};
        case Verdict::conditional:
            return {QColor(0xfd, 0xeb, 0xc8), QColor(0x7a, 0x4a, 0x00), QColor(0xf0, 0x80, 0x00)};
        case Verdict::allowed:
            return {QColor(0xdc, 0xef, 0xdc), QColor(0x1d, 0x5e, 0x1d), QColor(0x2e, 0x8b, 0x2e)};
        case Verdict::clear:
            break;
    }
    return {QColor(0xe6, 0xee, 0xf7), QColor(0x23, 0x46, 0x6e), QColor(0x4a, 0x6f, 0xa5)};
}
QColor with_alpha(QColor colour, int alpha) {
    colour.setAlpha(alpha);
    return colour;
}

// Prohibited cross-hatched, conditional and allowed hatched one way and the other.
Qt::BrushStyle hatch_of(Verdict verdict) {
    switch (verdict) {
        case Verdict::prohibited:
            return Qt::DiagCrossPattern;
        case Verdict::conditional:
            return Qt::BDiagPattern;
        case Verdict::allowed:
        case Verdict::clear:
            break;
    }
    return Qt::FDiagPattern;
}

const Tone unchecked_tone{QColor(0xf8, 0xd7, 0xd7), QColor(0x8a, 0x00, 0x00), QColor(0xd0, 0x10, 0x10)};

QIcon tone_swatch(const Tone& tone) {
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setPen(QPen(tone.text, 1));
    painter.setBrush(tone.map);
    painter.drawRect(QRectF(2.5, 2.5, 11, 11));
    return QIcon(pixmap);
}

QString banner_style(const Tone& tone) {
    return QStringLiteral("QLabel { background: %1; color: %2; font-weight: bold; padding: 6px; border-radius: 3px; }")
        .arg(tone.background.name(), tone.text.name());
}

// The footprint: a dark outline over a white halo, seen over any zone's colours.
const OverlayStyle footprint_halo{QColor(255, 255, 255, 230), 7, Qt::SolidLine, Qt::transparent, Qt::SolidPattern, 7};
const OverlayStyle footprint_line{QColor(17, 17, 17), 3, Qt::SolidLine, Qt::transparent, Qt::SolidPattern, 5};

// ---------------------------------------------------------------------------------------

// The wait cursor for as long as a reading or a screening takes.
class BusyCursor {
public:
    BusyCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
    ~BusyCursor() { QApplication::restoreOverrideCursor(); }
    BusyCursor(const BusyCursor&) = delete;
    BusyCursor& operator=(const BusyCursor&) = delete;
};

// What a failure says, in the viewer's language: core's message where it has one.
QString failure_text(const QString& file) {
    try {
        throw;
    } catch (const Failure& e) {
        return text(e.message());
    } catch (const std::filesystem::filesystem_error& e) {
        return text(Message("viewer.file_system", {{"file", e.path1().string()}, {"detail", e.code().message()}}));
    } catch (const std::bad_alloc&) {
        return text(Message("viewer.out_of_memory"));
    } catch (const std::exception& e) {
        return text(Message("viewer.screening_failed", {{"file", file.toStdString()}, {"detail", e.what()}}));
    }
}

// The display zone with a workspace fid, or -1: looked up when needed, as the map's zones
// change with edits.
int zone_with_fid(const MapData& data, std::int64_t fid) {
    for (std::size_t i = 0; i < data.zones().size(); ++i) {
        if (data.zones()[i].zone.fid == fid) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// Fills the result tree from a run: per footprint its verdict, measures and hits, per hit
// its rules with their legal basis, then the problems and how the input was read.
class ResultFiller {
public:
    ResultFiller(QTreeWidget* tree, const MapData& data, const SchemaSet& schemas, const CheckRun& run,
                 const FactVocabulary& vocabulary)
        : tree_(tree), data_(data), schemas_(schemas), run_(run), vocabulary_(vocabulary) {}

    void fill(const QString& path) {
        std::size_t n = 0;
        for (const auto& fp : run_.footprints) {
            footprint(++n, fp);
        }
        problems();
        input(path);
        tree_->setColumnWidth(0, std::min(label_width_ + 3 * tree_->indentation() + 40, 200));
    }

private:
    QTreeWidgetItem* heading(QTreeWidgetItem* parent, const QString& title) {
        auto* item = parent == nullptr ? new QTreeWidgetItem(tree_) : new QTreeWidgetItem(parent);
        item->setText(0, title);
        item->setToolTip(0, title);
        item->setFirstColumnSpanned(true);
        return item;
    }

    QTreeWidgetItem* row(QTreeWidgetItem* parent, const QString& field, const QString& value) {
        label_width_ = std::max(label_width_, tree_->fontMetrics().horizontalAdvance(field));
        auto* item = new QTreeWidgetItem(parent);
        item->setText(0, field);
        item->setText(1, value);
        item->setToolTip(1, value);
        return item;
    }

    static void colour(QTreeWidgetItem* item, const Tone& tone) {
        item->setIcon(0, tone_swatch(tone));
        item->setForeground(0, tone.text);
    }

    static QString bracketed(const QString& verdict) { return ui("ScreeningPanel", "[%1] ").arg(verdict); }

    QRectF bounds(const Geometry& geometry) const {
        return geometry.empty() ? QRectF() : overlay_shape(data_, geometry, OverlayStyle{}).bounds();
    }

    void footprint(std::size_t n, const FootprintResult& fp) {
        const Tone tone = fp.checked() ? tone_of(fp.verdict) : unchecked_tone;
        const QString verdict = QString::fromUtf8(footprint_verdict_label(fp, language()));
        QString title = ui("ScreeningPanel", "Footprint %1").arg(n);
        if (!fp.name.empty()) {
            title += ui("ScreeningPanel", ": ") + qstr(fp.name);
        }
        if (!fp.id.empty() && fp.id != fp.name) {
            title += ui("ScreeningPanel", " (") + qstr(fp.id) + ui("ScreeningPanel", ")");
        }
        QTreeWidgetItem* top = heading(nullptr, bracketed(verdict) + title);
        colour(top, tone);
        top->setBackground(0, tone.background);
        QFont bold = top->font(0);
        bold.setBold(true);
        top->setFont(0, bold);
        const QRectF where = bounds(fp.geometry);
        if (!where.isNull()) {
            top->setData(0, ScreeningPanel::target_role, where);
            top->setToolTip(0, title + QStringLiteral("\n") + ui("ScreeningPanel", "Click to zoom to it"));
        }
        if (!fp.checked()) {
            row(top, ui("ScreeningPanel", "Unchecked"), text(fp.unchecked));
        }
        row(top, ui("ScreeningPanel", "Geometry"), qstr(fp.geometry_type));
        if (fp.area_m2 > 0) {
            row(top, ui("ScreeningPanel", "Area"), area_text(fp.area_m2));
        }
        if (fp.length_m > 0) {
            row(top, ui("ScreeningPanel", "Length"), metres_text(fp.length_m));
        }
        row(top, ui("ScreeningPanel", "Judged as"), facts_text(fp.facts, vocabulary_));
        if (fp.hits.empty()) {
            heading(top, ui("ScreeningPanel", "Meets no zone and lies beyond every zone's search distance."));
        }
        for (const auto& h : fp.hits) {
            hit(top, h, where);
        }
        top->setExpanded(true);
    }

    void hit(QTreeWidgetItem* parent, const Hit& hit, const QRectF& footprint_bounds) {
        QString what = kind_text(schemas_, hit.kind);
        const QString subzone = hit_subzone_text(schemas_, hit);
        if (!subzone.isEmpty()) {
            what += QStringLiteral(" · ") + subzone;
        }
        QTreeWidgetItem* item =
            heading(parent, bracketed(verdict_text(hit.verdict)) + what + ui("ScreeningPanel", ": ") + zone_text(hit) +
                                ui("ScreeningPanel", " (") + relation_text(hit.relation) + ui("ScreeningPanel", ")"));
        colour(item, tone_of(hit.verdict));
        if (const int zone = zone_with_fid(data_, hit.zone_fid); zone >= 0) {
            const DisplayZone& shown = data_.zones()[static_cast<std::size_t>(zone)];
            item->setIcon(0, style_swatch(data_.groups()[static_cast<std::size_t>(shown.group)].style));
        }
        // A click shows the overlap, or the zone (with the footprint when it is near).
        QRectF target;
        if (!hit.overlap.empty() && hit.relation != Relation::near) {
            target = bounds(hit.overlap);
        } else if (const auto g = run_.zone_geometries.find(hit.zone_fid); g != run_.zone_geometries.end()) {
            target = bounds(g->second);
            if (hit.relation == Relation::near) {
                target |= footprint_bounds;
            }
        }
        if (target.isNull()) {
            target = footprint_bounds;
        }
        if (!target.isNull()) {
            item->setData(0, ScreeningPanel::target_role, target);
            item->setData(0, ScreeningPanel::zone_role, QVariant::fromValue<qlonglong>(hit.zone_fid));
            item->setToolTip(0, item->text(0) + QStringLiteral("\n") +
                                    ui("ScreeningPanel", "Click to zoom there and outline the zone"));
        }
        row(item, ui("ScreeningPanel", "Verdict"), verdict_text(hit.verdict));
        row(item, ui("ScreeningPanel", "Relation"), relation_text(hit.relation));
        if (!hit.zone_id.empty()) {
            row(item, ui("ScreeningPanel", "Zone id"), qstr(hit.zone_id));
        }
        if (hit.overlap_area_m2) {
            row(item, ui("ScreeningPanel", "Overlap"), area_text(*hit.overlap_area_m2));
        }
        if (hit.overlap_ratio) {
            row(item, ui("ScreeningPanel", "Share of footprint"), percent_text(*hit.overlap_ratio));
        }
        if (hit.zone_overlap_ratio) {
            row(item, ui("ScreeningPanel", "Share of zone"), percent_text(*hit.zone_overlap_ratio));
        }
        if (hit.inside_length_m) {
            row(item, ui("ScreeningPanel", "Length inside"), metres_text(*hit.inside_length_m));
        }
        if (hit.distance_m) {
            row(item, ui("ScreeningPanel", "Distance"), metres_text(*hit.distance_m));
        }
        if (!hit.note.empty()) {
            row(item, ui("ScreeningPanel", "Note"), text(hit.note));
        }
        for (const auto& applied : hit.rules) {
            rule(item, applied);
        }
        if (hit.relation != Relation::near) {
            access_list(item, hit);
            conformity(item, hit);
        }
        item->setExpanded(hit.verdict != Verdict::clear);
    }

    void rule(QTreeWidgetItem* parent, const AppliedRule& applied) {
        const Rule& rule = *applied.rule;
        QString verdict = verdict_text(rule.verdict);
        if (!applied.verified()) {
            verdict += ui("ScreeningPanel", " (to be verified)");
        }
        QTreeWidgetItem* item = heading(parent, bracketed(verdict) + ui("ScreeningPanel", "Rule ") + qstr(rule.id));
        colour(item, tone_of(rule.verdict));
        // The finding, and what else its provision says (its fines), as the report joins them.
        QString finding = pick(rule.message_zh, rule.message_en);
        if (!applied.basis->note_zh.empty()) {
            const QString stop = ui("ScreeningPanel", ".");
            if (!finding.isEmpty() && !finding.endsWith(stop)) {
                finding += stop;
            }
            finding += QStringLiteral(" ") + pick(applied.basis->note_zh, applied.basis->note_en);
        }
        row(item, ui("ScreeningPanel", "Finding"), finding);
        if (!rule.requires_zh.empty()) {
            row(item, ui("ScreeningPanel", "Requires"), pick(rule.requires_zh, rule.requires_en));
        }
        QString basis = qstr(applied_basis_text(applied, *run_.rules, language()));
        for (const RuleBasis& b : rule.basis) {
            if (b.in_force.to && b.in_force.to->next_day() == applied.basis->in_force.from) {
                basis += ui("ScreeningPanel", "; ") + qstr(history_text(b, run_.rules->sources(), language()));
            }
        }
        row(item, ui("ScreeningPanel", "Legal basis"), basis);
        for (const auto& a : applied.assumptions) {
            row(item, ui("ScreeningPanel", "Assumed"), assumption_text(a, vocabulary_));
        }
        // What forbids or conditions the project is read at once.
        item->setExpanded(rule.verdict >= Verdict::conditional);
    }

    // A 三线一单 unit's access list, as the report lists it.
    void access_list(QTreeWidgetItem* parent, const Hit& hit) {
        const auto items = redline::access_list(schemas_, hit, language());
        if (items.empty()) {
            return;
        }
        QTreeWidgetItem* list = heading(parent, ui("ScreeningPanel", "Access list"));
        for (const auto& item : items) {
            row(list, qstr(item.label), qstr(item.text));
        }
    }

    // The unit's lists clause by clause (相符性分析), as the report tables them: the counts and
    // the deciding clause in the heading's rows, then every clause with its conformity.
    void conformity(QTreeWidgetItem* parent, const Hit& hit) {
        if (!hit.access || hit.access->findings.empty()) {
            return;
        }
        QTreeWidgetItem* top = heading(parent, ui("ScreeningPanel", "Conformity with the access lists: %1")
                                                   .arg(qstr(conformity_counts_text(*hit.access, language()))));
        if (const auto deciding = deciding_clause_text(*hit.access, language()); !deciding.empty()) {
            row(top, ui("ScreeningPanel", "Deciding clause"), qstr(deciding));
        }
        for (const auto& clause : conformity_rows(*hit.access, language())) {
            QTreeWidgetItem* item = row(top, bracketed(qstr(clause.conformity)) + qstr(clause.dimension),
                                        qstr(clause.clause) + ui("ScreeningPanel", " — ") + qstr(clause.reason));
            item->setToolTip(0, qstr(clause.list));  // the unit's own list or a general one
            if (clause.value == access::Conformity::violates) {
                colour(item, tone_of(Verdict::prohibited));
            } else if (clause.decisive && clause.value == access::Conformity::needs_judgement) {
                colour(item, tone_of(Verdict::conditional));
            }
        }
        top->setExpanded(hit.access->outcome >= access::AccessOutcome::needs_judgement);
    }

    void problems() {
        if (run_.problems.empty()) {
            return;
        }
        QTreeWidgetItem* top = heading(nullptr, ui("ScreeningPanel", "Problems (%1)").arg(run_.problems.size()));
        const bool errors = std::any_of(run_.problems.begin(), run_.problems.end(),
                                        [](const Problem& p) { return p.severity == Severity::error; });
        colour(top, errors ? unchecked_tone : tone_of(Verdict::conditional));
        for (const auto& p : run_.problems) {
            const QString where = p.feature.empty() ? QString() : text(p.feature) + ui("ScreeningPanel", ": ");
            QTreeWidgetItem* item =
                row(top, QString::fromUtf8(severity_label(p.severity, language())), where + text(p.message));
            item->setForeground(
                0, p.severity == Severity::error ? unchecked_tone.text : tone_of(Verdict::conditional).text);
            item->setToolTip(1, qstr(problem_line(p, language())));
        }
        top->setExpanded(true);
    }

    void input(const QString& path) {
        QTreeWidgetItem* top = heading(nullptr, ui("ScreeningPanel", "Input and how it was read"));
        row(top, ui("ScreeningPanel", "Input file"), QDir::toNativeSeparators(path));
        if (!run_.input_layer.empty()) {
            row(top, ui("ScreeningPanel", "Layer"), qstr(run_.input_layer));
        }
        row(top, ui("ScreeningPanel", "CRS"), qstr(run_.input_crs));
        for (const auto& d : run_.input_detections) {
            row(top, ui("ScreeningPanel", "Detected: ") + detection_text(d.what), text(d.why));
        }
        row(top, ui("ScreeningPanel", "Workspace"), qstr(run_.workspace_path));
        if (run_.rules) {
            row(top, ui("ScreeningPanel", "Legal date"), qstr(run_.rules->as_of().text()));
        }
        top->setExpanded(true);
    }

    QTreeWidget* tree_;
    const MapData& data_;
    const SchemaSet& schemas_;
    const CheckRun& run_;
    const FactVocabulary& vocabulary_;
    int label_width_ = 0;
};

QString dropped_file(const QMimeData* mime) {
    if (mime == nullptr || !mime->hasUrls()) {
        return {};
    }
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile()) {
            continue;
        }
        const QString file = url.toLocalFile();
        if (ScreeningPanel::footprint_extensions().contains(QFileInfo(file).suffix().toLower())) {
            return file;
        }
    }
    return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------

ScreeningPanel::ScreeningPanel(MapCanvas* canvas, const MapData& map, std::string workspace, const SchemaSet& schemas,
                               QWidget* parent)
    : QWidget(parent),
      canvas_(canvas),
      data_(map),
      workspace_(std::move(workspace)),
      schemas_(schemas),
      open_button_(new QPushButton(ui("ScreeningPanel", "Open footprint…"), this)),
      report_button_(new QPushButton(ui("ScreeningPanel", "Write report…"), this)),
      source_(new QLabel(this)),
      verdict_(new QLabel(this)),
      error_(new QLabel(this)),
      notice_(new QLabel(this)),
      unsaved_(new QLabel(this)),
      tree_(new FieldTree(ui("ScreeningPanel", "Item"), ui("ScreeningPanel", "Value"), this)),
      open_action_(new QAction(ui("ScreeningPanel", "Open footprint…"), this)),
      report_action_(new QAction(ui("ScreeningPanel", "Write report…"), this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open_button_);
    buttons->addWidget(report_button_);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    for (QLabel* label : {unsaved_, source_, verdict_, error_, notice_}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setTextFormat(Qt::PlainText);
        layout->addWidget(label);
    }
    layout->addWidget(tree_, 1);
    error_->setStyleSheet(
        QStringLiteral("QLabel { background: #f8d7d7; color: #8a0000; padding: 6px; border-radius: 3px; }"));
    notice_->setStyleSheet(QStringLiteral("QLabel { color: #1d5e1d; }"));
    unsaved_->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #6b4e00; padding: 6px; border-radius: 3px; }"));
    unsaved_->hide();
    source_->setText(ui("ScreeningPanel",
                        "Open or drop a footprint file (coordinate TXT, CSV, KML/KMZ, DXF, shapefile, GeoJSON, "
                        "GeoPackage...) to screen it against the workspace."));
    verdict_->hide();
    error_->hide();
    notice_->hide();
    tree_->hide();

    open_action_->setShortcut(QKeySequence::Open);
    open_action_->setToolTip(ui("ScreeningPanel", "Read a footprint file and screen it against the zones (Ctrl+O)"));
    report_action_->setToolTip(ui("ScreeningPanel", "Write the screening shown as a report (PDF or HTML)"));
    report_action_->setEnabled(false);
    report_button_->setEnabled(false);
    open_button_->setToolTip(open_action_->toolTip());
    report_button_->setToolTip(report_action_->toolTip());
    connect(open_action_, &QAction::triggered, this, &ScreeningPanel::choose_footprint);
    connect(report_action_, &QAction::triggered, this, &ScreeningPanel::choose_report);
    connect(open_button_, &QPushButton::clicked, this, &ScreeningPanel::choose_footprint);
    connect(report_button_, &QPushButton::clicked, this, &ScreeningPanel::choose_report);

    auto go_to = [this](QTreeWidgetItem* item) {
        const QVariant target = item != nullptr ? item->data(0, target_role) : QVariant();
        if (!target.isValid() || canvas_ == nullptr) {
            return;
        }
        canvas_->zoom_to_rect(target.toRectF());
        const QVariant fid = item->data(0, zone_role);
        const int zone = fid.isValid() ? zone_with_fid(data_, fid.toLongLong()) : -1;
        canvas_->set_highlighted(zone >= 0 ? std::vector<int>{zone} : std::vector<int>{});
    };
    connect(tree_, &QTreeWidget::itemClicked, this, go_to);
    connect(tree_, &QTreeWidget::itemActivated, this, go_to);
    setAcceptDrops(true);
}

ScreeningPanel::~ScreeningPanel() = default;

const QStringList& ScreeningPanel::footprint_extensions() {
    // What read_footprints reads: the land-boundary TXT, point tables, and the vector
    // formats GDAL opens that footprints come in (docs/formats.md).
    static const QStringList extensions = {
        QStringLiteral("txt"),  QStringLiteral("csv"),  QStringLiteral("tsv"), QStringLiteral("xlsx"),
        QStringLiteral("xls"),  QStringLiteral("ods"),  QStringLiteral("kml"), QStringLiteral("kmz"),
        QStringLiteral("dxf"),  QStringLiteral("dwg"),  QStringLiteral("shp"), QStringLiteral("geojson"),
        QStringLiteral("json"), QStringLiteral("gpkg"), QStringLiteral("gml"), QStringLiteral("fgb"),
        QStringLiteral("gdb"),  QStringLiteral("tab"),  QStringLiteral("mif"), QStringLiteral("sqlite"),
    };
    return extensions;
}

QString ScreeningPanel::file_filter() {
    QStringList patterns;
    for (const QString& ext : footprint_extensions()) {
        patterns << QStringLiteral("*.") + ext;
    }
    return ui("ScreeningPanel", "Footprints (%1)").arg(patterns.join(QLatin1Char(' '))) + QStringLiteral(";;") +
           ui("ScreeningPanel", "All files (*)");
}

bool ScreeningPanel::accepts(const QMimeData* mime) {
    return !dropped_file(mime).isEmpty();
}

bool ScreeningPanel::open_dropped(const QMimeData* mime, QString* error) {
    const QString file = dropped_file(mime);
    if (file.isEmpty()) {
        QStringList patterns;
        for (const QString& ext : footprint_extensions()) {
            patterns << QStringLiteral(".") + ext;
        }
        const QString message = text(
            Message("viewer.drop_not_footprint", {{"extensions", patterns.join(QStringLiteral(" ")).toStdString()}}));
        show_error(message);
        if (error != nullptr) {
            *error = message;
        }
        return false;
    }
    return open_footprint(file, error);
}

void ScreeningPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (accepts(event->mimeData())) {
        event->acceptProposedAction();
    }
}

void ScreeningPanel::dropEvent(QDropEvent* event) {
    if (!accepts(event->mimeData())) {
        return;
    }
    event->acceptProposedAction();
    open_dropped_later(event->mimeData());
}

void ScreeningPanel::open_dropped_later(const QMimeData* mime) {
    const QList<QUrl> urls = mime->urls();
    QTimer::singleShot(0, this, [this, urls]() {
        QMimeData dropped;
        dropped.setUrls(urls);
        open_dropped(&dropped);
    });
}

void ScreeningPanel::set_unsaved_edits(std::size_t zones) {
    unsaved_->setVisible(zones > 0);
    unsaved_->setText(ui("ScreeningPanel",
                         "%1 zones have edits not yet saved. Screening and its report use the saved version; save "
                         "the edits to screen against them.")
                          .arg(zones));
}

const Screener& ScreeningPanel::screener() {
    // One screener for every footprint: the zones indexed once. It is opened again when it
    // no longer answers for today's law (the viewer kept open past midnight) or for the
    // workspace's current version (a version committed since, by this viewer or another).
    if (screener_) {
        const auto version = [](const std::optional<VersionInfo>& v) { return v ? v->id : std::int64_t{0}; };
        const bool same_day = screener_->rules().as_of() == LegalDate::today();
        if (same_day && version(screener_->workspace_version()) ==
                            version(Workspace::open_read_only(workspace_).current_version())) {
            return *screener_;
        }
    }
    screener_.reset();
    ScreenerSettings settings;
    settings.workspace = workspace_;
    screener_ = std::make_unique<Screener>(schemas_, settings);
    ++screeners_opened_;
    return *screener_;
}

bool ScreeningPanel::open_footprint(const QString& path, QString* error) {
    QString message;
    try {
        if (path.trimmed().isEmpty()) {
            // An empty path would make core read standard input.
            throw UsageError(Message("viewer.no_footprint"));
        }
        const BusyCursor busy;
        FootprintSource source;
        source.path = QFile::encodeName(path).toStdString();
        const FootprintSet input = read_footprints(source);
        if (input.footprints.empty()) {
            // Every feature was refused; each problem names it and says why.
            message = text(Message("viewer.no_usable_footprint", {{"file", source.path}}));
            for (const Problem& p : input.problems) {
                message += QStringLiteral("\n") + qstr(problem_line(p, language()));
            }
        } else {
            const Screener& engine = screener();
            CheckRun run;
            screen_footprints(engine, input, engine.vocabulary().from_options({}), run);
            run_ = std::move(run);
            path_ = path;
            show_run();
            emit footprint_opened(path);
            return true;
        }
    } catch (...) {
        message = failure_text(path);
    }
    clear();
    show_error(message);
    if (error != nullptr) {
        *error = message;
    }
    return false;
}

bool ScreeningPanel::write_report(const QString& path, QString* error) {
    QString message;
    try {
        if (!run_) {
            throw UsageError(Message("viewer.nothing_screened"));
        }
        const BusyCursor busy;
        const std::filesystem::path file(QFile::encodeName(path).toStdString());
        write_screening_report(file, *run_, schemas_, language(), report_time_stamp());
        error_->hide();
        notice_->setText(ui("ScreeningPanel", "Report written: %1").arg(QDir::toNativeSeparators(path)));
        notice_->show();
        return true;
    } catch (...) {
        message = failure_text(path);
    }
    show_error(message);
    if (error != nullptr) {
        *error = message;
    }
    return false;
}

void ScreeningPanel::choose_footprint() {
    const QString start = last_dir_.isEmpty() ? QDir::currentPath() : last_dir_;
    const QString path =
        QFileDialog::getOpenFileName(this, ui("ScreeningPanel", "Open a footprint"), start, file_filter());
    if (path.isEmpty()) {
        return;
    }
    last_dir_ = QFileInfo(path).absolutePath();
    open_footprint(path);
}

void ScreeningPanel::choose_report() {
    if (!run_) {
        return;
    }
    const QFileInfo footprint(path_);
    const QString suggested = QDir(last_dir_.isEmpty() ? footprint.absolutePath() : last_dir_)
                                  .filePath(footprint.completeBaseName() + ui("ScreeningPanel", "-report.pdf"));
    const QString pdf = QStringLiteral("PDF (*.pdf)");
    const QString html = ui("ScreeningPanel", "HTML, one file (*.html *.htm)");
    QString filter = pdf;
    QString path = QFileDialog::getSaveFileName(this, ui("ScreeningPanel", "Write the screening report"), suggested,
                                                pdf + QStringLiteral(";;") + html, &filter);
    if (path.isEmpty()) {
        return;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QStringLiteral("pdf") && suffix != QStringLiteral("html") && suffix != QStringLiteral("htm")) {
        path += filter == html ? QStringLiteral(".html") : QStringLiteral(".pdf");
    }
    last_dir_ = QFileInfo(path).absolutePath();
    write_report(path);
}

void ScreeningPanel::clear() {
    run_.reset();
    path_.clear();
    tree_->clear();
    tree_->hide();
    verdict_->hide();
    error_->hide();
    notice_->hide();
    source_->clear();
    report_action_->setEnabled(false);
    report_button_->setEnabled(false);
    if (canvas_ != nullptr) {
        canvas_->set_overlay(footprint_overlay, nullptr);
        canvas_->set_overlay(hits_overlay, nullptr);
    }
}

void ScreeningPanel::show_error(const QString& message) {
    notice_->hide();
    error_->setText(ui("ScreeningPanel", "Not done: ") + message);
    error_->show();
}

std::optional<Verdict> ScreeningPanel::overall_verdict() const {
    if (!run_) {
        return std::nullopt;
    }
    Verdict worst = Verdict::clear;
    for (const auto& fp : run_->footprints) {
        if (fp.checked()) {
            worst = std::max(worst, fp.verdict);
        }
    }
    return worst;
}

bool ScreeningPanel::complete() const {
    if (!run_) {
        return false;
    }
    const bool errors = std::any_of(run_->problems.begin(), run_->problems.end(),
                                    [](const Problem& p) { return p.severity == Severity::error; });
    const bool unchecked =
        std::any_of(run_->footprints.begin(), run_->footprints.end(), [](const auto& f) { return !f.checked(); });
    return !errors && !unchecked;
}

void ScreeningPanel::show_run() {
    const CheckRun& run = *run_;
    error_->hide();
    notice_->hide();
    report_action_->setEnabled(true);
    report_button_->setEnabled(true);

    // Where the result comes from: the input, how many footprints, the workspace and the law.
    QString source = ui("ScreeningPanel", "Input: %1 (%2), %3 footprint(s)")
                         .arg(QFileInfo(path_).fileName(), qstr(run.input_crs))
                         .arg(run.footprints.size());
    source += QStringLiteral("\n") + ui("ScreeningPanel", "Workspace: ") + qstr(run.workspace_path);
    if (run.workspace_version) {
        source += ui("ScreeningPanel", " (version %1)").arg(run.workspace_version->id);
    }
    if (run.rules) {
        source += QStringLiteral("\n") + ui("ScreeningPanel", "Legal date %1").arg(qstr(run.rules->as_of().text()));
    }
    source_->setText(source);
    source_->setToolTip(QDir::toNativeSeparators(path_));

    // The overall verdict, said as the report says it: what was not screened is never clear.
    const Verdict worst = *overall_verdict();
    const std::size_t unchecked = unchecked_count(run);
    if (!complete()) {
        verdict_->setText(ui("ScreeningPanel", "Overall verdict: screening incomplete") +
                          (unchecked > 0 ? ui("ScreeningPanel", " (%1 footprint(s) unchecked)").arg(unchecked)
                                         : ui("ScreeningPanel", " (part of the input could not be checked)")));
        verdict_->setStyleSheet(banner_style(unchecked_tone));
    } else {
        verdict_->setText(ui("ScreeningPanel", "Overall verdict: ") + verdict_text(worst));
        verdict_->setStyleSheet(banner_style(tone_of(worst)));
    }
    verdict_->setToolTip(ui("ScreeningPanel",
                            "Each verdict is the most severe of the rules that apply (prohibited > conditional > "
                            "allowed)."));
    verdict_->show();

    lay_overlays();
    fill_tree();
    tree_->show();
    tree_->fit_rows();
}

void ScreeningPanel::lay_overlays() {
    if (canvas_ == nullptr) {
        return;
    }
    const CheckRun& run = *run_;
    auto footprints = std::make_shared<Overlay>();
    std::vector<OverlayShape> lines;
    for (const auto& fp : run.footprints) {
        if (fp.geometry.empty()) {
            continue;
        }
        OverlayShape shape = overlay_shape(data_, fp.geometry, footprint_line);
        OverlayShape halo = shape;
        halo.style = footprint_halo;
        footprints->shapes.push_back(std::move(halo));
        lines.push_back(std::move(shape));
    }
    // Every halo under every outline: two footprints side by side keep both outlines.
    for (auto& shape : lines) {
        footprints->shapes.push_back(std::move(shape));
    }

    // The hits, least severe first so the most severe lie on top: the overlaps hatched in
    // the verdict's colour; zones met without an overlap (touching, near) outlined dashed.
    struct Drawn {
        const Hit* hit;
        const FootprintResult* footprint;
    };
    std::vector<Drawn> drawn;
    for (const auto& fp : run.footprints) {
        for (const auto& hit : fp.hits) {
            if (hit.verdict != Verdict::clear) {
                drawn.push_back({&hit, &fp});
            }
        }
    }
    std::stable_sort(drawn.begin(), drawn.end(),
                     [](const Drawn& a, const Drawn& b) { return a.hit->verdict < b.hit->verdict; });
    auto hits = std::make_shared<Overlay>();
    std::set<std::int64_t> outlined;
    for (const auto& [hit, fp] : drawn) {
        const Tone tone = tone_of(hit->verdict);
        if (!hit->overlap.empty() && hit->relation != Relation::near) {
            const OverlayShape whole = overlay_shape(data_, hit->overlap, OverlayStyle{});
            if (whole.has_polygons()) {
                // A light tint under a hatch: the zones beneath stay readable.
                hits->shapes.push_back(
                    whole.polygons_only({Qt::transparent, 0, Qt::SolidLine, with_alpha(tone.map, 40)}));
                hits->shapes.push_back(whole.polygons_only(
                    {Qt::transparent, 0, Qt::SolidLine, with_alpha(tone.map, 170), hatch_of(hit->verdict)}));
            }
            if (whole.has_lines()) {
                hits->shapes.push_back(whole.lines_only({with_alpha(tone.map, 150), 8}));
            }
            if (!whole.points.empty()) {
                OverlayShape marks;
                marks.points = whole.points;
                marks.style = {tone.map, 2, Qt::SolidLine, with_alpha(tone.map, 90), Qt::SolidPattern, 10};
                hits->shapes.push_back(std::move(marks));
            }
            continue;
        }
        const auto zone = run.zone_geometries.find(hit->zone_fid);
        if (zone != run.zone_geometries.end() && outlined.insert(hit->zone_fid).second) {
            hits->shapes.push_back(overlay_shape(data_, zone->second, {tone.map, 2, Qt::DashLine}));
        }
    }
    canvas_->set_overlay(footprint_overlay, footprints->shapes.empty() ? nullptr : footprints);
    canvas_->set_overlay(hits_overlay, hits->shapes.empty() ? nullptr : hits);
    const QRectF bounds = footprints->bounds();
    if (!bounds.isNull()) {
        canvas_->zoom_to_rect(bounds);
    }
}

void ScreeningPanel::fill_tree() {
    tree_->clear();
    ResultFiller(tree_, data_, schemas_, *run_, screener_->vocabulary()).fill(path_);
}

}  // namespace redline::viewer
