// The languages user-facing text is written in. Results carry codes and numbers; the
// words are chosen where they are written.
#pragma once

namespace redline {

enum class Language { zh, en };

}  // namespace redline
