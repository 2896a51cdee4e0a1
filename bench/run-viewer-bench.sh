#!/usr/bin/env bash
# The viewer's redraw beside QGIS, on the same data, views and machine, in one run.
#   bench/run-viewer-bench.sh [--views N] [--size WxH] [--qgis-timeout SECONDS] [generator options]
# Generates the province of run-check-bench.sh (deterministic) and imports it, builds
# redline_bench_viewer if needed, times redline's redraws at its views (--extents-out),
# then renders the same views with QGIS (bench/qgis_render.py, headless) and prints both
# per zoom step; then the zones alone (QGIS without labels). Installs Debian's qgis and
# python3-qgis when they are missing. Results in $REDLINE_BUILD_DIR/bench/viewer.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${REDLINE_BUILD_DIR:-$repo/build}
work="$build/bench/viewer"
views=60 size=1400x900 qgis_timeout=900
generator=()
while [ $# -gt 0 ]; do
  case $1 in
    --views) views=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --qgis-timeout) qgis_timeout=$2; shift 2 ;;
    *) generator+=("$1"); shift ;;
  esac
done

# Debian's QGIS and its Python bindings (python3-qgis is for Debian's /usr/bin/python3).
if ! /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "== installing qgis python3-qgis (Debian)" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends qgis python3-qgis >/dev/null
fi

# The build is shared with other work on this machine: one build at a time.
if [ ! -f "$build/CMakeCache.txt" ] || ! grep -q '^REDLINE_BENCH:BOOL=ON' "$build/CMakeCache.txt" ||
  ! grep -q '^REDLINE_VIEWER:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "run-viewer-bench.sh: $build is not configured with REDLINE_BENCH=ON and REDLINE_VIEWER=ON;" \
    "configure it (cmake -S $repo -B $build -DREDLINE_BENCH=ON -DREDLINE_VIEWER=ON) or set REDLINE_BUILD_DIR" >&2
  exit 2
fi
echo "== build" >&2
targets=(redline redline_bench_generate redline_bench_viewer)
if ! flock /tmp/redline-build.lock cmake --build "$build" --target "${targets[@]}" -j "$(nproc)" >"$build/viewer-bench-build.log" 2>&1; then
  # Others may be half way through a change of the shared tree: the last good binaries do.
  for t in cli/redline bench/redline_bench_generate bench/redline_bench_viewer; do
    [ -x "$build/$t" ] || { tail -20 "$build/viewer-bench-build.log" >&2; exit 1; }
  done
  echo "   the build failed (see $build/viewer-bench-build.log); using the binaries already built" >&2
fi

rm -rf "$work" && mkdir -p "$work"
echo "== generate and import the province (as run-check-bench.sh)" >&2
"$build/bench/redline_bench_generate" "$work/data" "${generator[@]}" >&2
ws="$work/province.gpkg"
"$build/cli/redline" import --kind control_unit "$work/data/units.gpkg" --into "$ws" >/dev/null
"$build/cli/redline" import --kind red_line "$work/data/red_lines.gpkg" --into "$ws" >/dev/null

export XDG_RUNTIME_DIR="$work/runtime"  # Qt wants one; the offscreen platform needs no other
mkdir -m 0700 "$XDG_RUNTIME_DIR"
# The machine may be shared: the load each side ran under is part of its figures.
echo "== redline: redline_bench_viewer --views $views --size $size (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
timeout 600 "$build/bench/redline_bench_viewer" "$ws" --views "$views" --size "$size" --extents-out "$work/views.tsv"

qgis_render() {
  local status=0
  timeout "$qgis_timeout" /usr/bin/python3 "$repo/bench/qgis_render.py" "$ws" "$work/views.tsv" --layers "$repo/layers" \
    "$@" 2>"$work/qgis.stderr" || status=$?
  grep -v -e 'propagateSizeHints' "$work/qgis.stderr" >&2 || true
  if [ "$status" -ne 0 ]; then
    echo "run-viewer-bench.sh: qgis_render.py failed (exit $status; 124: over --qgis-timeout $qgis_timeout s)" >&2
    exit "$status"
  fi
}
echo "== QGIS at the same views (bench/qgis_render.py), whole redraws side by side" \
  "(load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
qgis_render --json "$work/qgis.json"
echo "== the zones alone: QGIS without labels beside the zones part of redline's redraws" \
  "(load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
qgis_render --no-labels --summary-only --json "$work/qgis-zones.json"
