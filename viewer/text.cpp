#include "text.hpp"

#include <QLocale>

#include <iterator>

namespace redline::viewer {
namespace {

Language current = Language::zh;

const MessageTemplate templates[] = {
#include "messages.inc"
};

}  // namespace

Language language() {
    return current;
}

void set_language(Language language) {
    current = language;
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
