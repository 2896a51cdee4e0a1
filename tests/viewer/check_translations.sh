#!/usr/bin/env bash
# The viewer's translation file is in step with its source and every text is translated:
# lupdate is run on a copy and must change nothing and leave nothing unfinished.
#   check_translations.sh SOURCE_DIR LUPDATE
set -euo pipefail
source_dir=$1
ts=$source_dir/viewer/translations/redline_viewer_zh_CN.ts
copy=$(mktemp --suffix=.ts)
trap 'rm -f "$copy"' EXIT
cp "$ts" "$copy"
LUPDATE=$2 "$source_dir/scripts/update-translations.sh" "$copy"
if grep -q 'type="unfinished"' "$copy"; then
  echo "texts of the viewer without a Chinese translation (run scripts/update-translations.sh, then translate them in $ts):" >&2
  grep -B2 'type="unfinished"' "$copy" | grep '<source>' >&2
  exit 1
fi
if ! diff -u "$ts" "$copy" >&2; then
  echo "$ts is not in step with the source: run scripts/update-translations.sh and commit the result" >&2
  exit 1
fi
echo "$(grep -c '<message>' "$ts") texts, all translated"
