#include "text.hpp"

#include "redline/reports/wording.hpp"

#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <iterator>
#include <memory>

namespace redline::viewer {
namespace {

Language current = Language::zh;

const MessageTemplate templates[] = {
#include "messages.inc"
};

// The viewer's Chinese (compiled from viewer/translations/ into the program's resources)
// and Qt's own, for the buttons of standard dialogs (qt6-translations-l10n; missing is fine).
struct Translators {
    QTranslator viewer, qt;
};

Translators& translators() {
    static Translators* kept = new Translators;  // outlives every application of the process
    return *kept;
}

void apply_translations() {
    if (QCoreApplication::instance() == nullptr) {
        return;  // set_language is called again once the application exists
    }
    Translators& t = translators();
    // Removed first, so that a second application in the same process (tests) or a switch
    // back to Chinese installs each once.
    QCoreApplication::removeTranslator(&t.viewer);
    QCoreApplication::removeTranslator(&t.qt);
    if (current != Language::zh) {
        return;
    }
    if (t.viewer.isEmpty()) {
        (void)t.viewer.load(QStringLiteral(":/i18n/redline_viewer_zh_CN.qm"));
        (void)t.qt.load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    }
    QCoreApplication::installTranslator(&t.qt);
    QCoreApplication::installTranslator(&t.viewer);
}

}  // namespace

Language language() {
    return current;
}

void set_language(Language language) {
    current = language;
    apply_translations();
}

QString pick(const std::string& zh, const std::string& en) {
    return QString::fromStdString(redline::pick(current, zh, en));
}

QString text(const Message& message) {
    return QString::fromStdString(message.text(current));
}

void add_viewer_messages() {
    add_message_templates(std::begin(templates), std::end(templates));
}

QString grouped(double value, int decimals) {
    QLocale locale(QLocale::English);
    return locale.toString(value, 'f', decimals);
}

}  // namespace redline::viewer
