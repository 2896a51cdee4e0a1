#!/usr/bin/env bash
# Renders the pictures in docs/viewer.md: the map with `redline-viewer --render` from the
# demo workspace, and editing as the editing test drives the window (the picture it takes),
# so the docs show what this version's viewer draws. Builds first
# (scripts/setup.sh; REDLINE_BUILD_DIR picks the build directory, default build/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${REDLINE_BUILD_DIR:-$repo/build}
"$repo/scripts/setup.sh" >/dev/null
if [ ! -x "$build/viewer/redline-viewer" ]; then
  echo "render-viewer-images.sh: $build/viewer/redline-viewer is missing; configure with -DREDLINE_VIEWER=ON" >&2
  exit 2
fi

demo="$repo/layers/demo"
work="$build/viewer-images"
ws="$work/demo.gpkg"
rm -rf "$work" && mkdir -p "$work"
for layer in "district districts" "water_source water_sources" "nature_reserve nature_reserve" \
             "red_line red_lines" "control_unit control_units"; do
  set -- $layer
  "$build/cli/redline" import --kind "$1" "$demo/$2.geojson" --into "$ws" >/dev/null
done

out="$repo/docs/images"
mkdir -p "$out"
# The protected demo zones in 金州区, as the window shows them (no display needed).
"$build/viewer/redline-viewer" "$ws" --render "$out/viewer-demo.png" --overwrite \
  --extent 121.62,39.00,122.19,39.40 --size 1200x800
# An outward reshape of a red line, the gained ground tinted: the editing test's picture.
QT_QPA_PLATFORM=offscreen REDLINE_LAYERS="$repo/layers" "$build/tests/viewer/redline_viewer_editing_tests" \
  the_map_shows_what_an_edit_gains >/dev/null
cp "$build/tests/viewer/work/edit_render_png/window.png" "$out/viewer-edit.png"
ls "$out"/viewer-demo.png "$out"/viewer-edit.png
