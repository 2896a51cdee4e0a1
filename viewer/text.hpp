// The viewer's words. Interface texts are English in the source and translated by Qt
// (viewer/translations/*.ts, compiled into the program): Chinese unless --lang en. Names
// that come from data (kinds, sub-zones, fields, rules) carry both languages and are
// picked; messages come from core's catalog, with the viewer's own templates beside it.
#pragma once

#include "redline/language.hpp"
#include "redline/message.hpp"

#include <QCoreApplication>
#include <QString>

#include <string>

namespace redline::viewer {

Language language();
// Sets the language of the interface; once a QApplication exists it also installs (or, for
// English, removes) the Chinese translations of the viewer and of Qt's own dialogs.
void set_language(Language language);

// An interface text, translated into the language in effect. lupdate reads calls to it as
// QCoreApplication::translate (scripts/update-translations.sh): context and source must be
// string literals, or marked with QT_TRANSLATE_NOOP where they are defined.
inline QString ui(const char* context, const char* source) {
    return QCoreApplication::translate(context, source);
}
// A name from data that carries both languages (Chinese where no English is given).
QString pick(const std::string& zh, const std::string& en);
inline QString qstr(const std::string& text) {
    return QString::fromStdString(text);
}
// A message of core's catalog (or the viewer's) in the language in effect.
QString text(const Message& message);

// Registers the viewer's templates (viewer/messages.inc); call once before showing any.
void add_viewer_messages();

// Numbers as the status bar and the panels show them: fixed decimals, thousands apart.
QString grouped(double value, int decimals);

}  // namespace redline::viewer
