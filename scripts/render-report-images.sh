#!/usr/bin/env bash
# Renders the demo screening report (scripts/demo.sh) to the PNG pages shown in
# docs/reports.md, so the pictures in the docs are the real report of this version.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/demo.sh" >/dev/null 2>&1
out="$repo/docs/images"
mkdir -p "$out"
rm -f "$out"/report-page-*.png
pdftoppm -r 72 -png -f 1 -l 3 "$repo/build/demo/report.pdf" "$out/report-page"
ls "$out"/report-page-*.png
