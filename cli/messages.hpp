// The command line's own message templates (cli/messages.inc), added to the catalog.
#pragma once

namespace redline::cli {

void add_cli_messages();

}  // namespace redline::cli
