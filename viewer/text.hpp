// The viewer's words: Chinese unless --lang en, chosen where they are shown (no Qt
// translation files), and its own message templates beside core's catalog.
#pragma once

#include "redline/language.hpp"
#include "redline/message.hpp"

#include <QString>

#include <string>

namespace redline::viewer {

Language language();
void set_language(Language language);

// A text of the interface in the language in effect.
inline QString say(const char* zh, const char* en) {
    return QString::fromUtf8(language() == Language::zh ? zh : en);
}
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
