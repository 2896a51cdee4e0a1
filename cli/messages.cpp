#include "messages.hpp"

#include "redline/message.hpp"

#include <iterator>

namespace redline::cli {
namespace {

const MessageTemplate templates[] = {
#include "messages.inc"
};

}  // namespace

void add_cli_messages() {
    add_message_templates(std::begin(templates), std::end(templates));
}

}  // namespace redline::cli
