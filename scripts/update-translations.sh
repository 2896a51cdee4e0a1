#!/usr/bin/env bash
# Brings the viewer's translation file up to date with its source: new interface texts
# are added as unfinished (translate them in Qt Linguist, `linguist FILE.ts`, or by hand),
# texts gone from the source are dropped. The build compiles the file into the program;
# the test `viewer_translations` fails while a text is untranslated or the file is stale.
#   scripts/update-translations.sh [TS_FILE]   (default: viewer/translations/redline_viewer_zh_CN.ts)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ts=${1:-$repo/viewer/translations/redline_viewer_zh_CN.ts}
lupdate=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
[ -x "$lupdate" ] || { echo "update-translations.sh: $lupdate not found (apt-get install qt6-l10n-tools)" >&2; exit 3; }
# ui(context, source) is the viewer's QCoreApplication::translate (viewer/text.hpp).
"$lupdate" -silent -tr-function-alias translate+=ui -locations none -no-obsolete -target-language zh_CN \
  "$repo"/viewer/*.cpp "$repo"/viewer/*.hpp -ts "$ts"
