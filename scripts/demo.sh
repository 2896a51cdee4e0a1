#!/usr/bin/env bash
# Sets redline up, builds the demo workspace from layers/demo/ and screens the demo
# footprints against it. Usage: scripts/demo.sh [--lang en] [--format json]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh"

redline="$repo/build/cli/redline"
demo="$repo/layers/demo"
work="$repo/build/demo"
ws="$work/demo.gpkg"
mkdir -p "$work"
rm -f "$ws"

echo "== 构建示例工作空间 / building the demo workspace: $ws" >&2
"$redline" import --kind district      "$demo/districts.geojson"      --into "$ws" --note "大连市区县边界（真实数据，MIT）" >&2
"$redline" import --kind water_source  "$demo/water_sources.geojson"  --into "$ws" --note "示意数据" >&2
"$redline" import --kind nature_reserve "$demo/nature_reserve.geojson" --into "$ws" --note "示意数据" >&2
"$redline" import --kind red_line      "$demo/red_lines.geojson"      --into "$ws" --note "示意数据" >&2
"$redline" import --kind control_unit  "$demo/control_units.geojson"  --into "$ws" --note "示意数据" >&2
"$redline" import --kind coastline     "$demo/coastline.geojson"      --into "$ws" --note "示意数据" >&2
"$redline" access-list import "$ws" "$demo/access_lists.csv" --note "大连市总体准入要求（示意数据）" >&2

echo "== 规划指标与预警（示例目标，以规划期末 2025-12-31 判定）/ plan indicators against the demo targets" >&2
"$redline" "$@" indicators "$ws" --by district --targets "$demo/targets.toml" --as-of 2025-12-31 --overwrite \
  --report "$work/indicators.pdf" --report "$work/indicators.html" >&2

echo "== 核查示例项目 / screening the demo footprints" >&2
set +e
"$redline" "$@" check --zones "$ws" "$demo/footprints.geojson" --report "$work/report.pdf" --report "$work/report.html"
status=$?
set -e
# Exit 1 means conflicts were found, which is the point of the demo.
if [ "$status" -gt 1 ]; then
  exit "$status"
fi

echo "== 逐条对照准入清单：拟建有机化学原料项目（C2614，新建）/ a decision by clause: C2614, new build" >&2
set +e
"$redline" "$@" check --zones "$ws" "$demo/chemical_plant.geojson" --report "$work/report-by-clause.pdf" \
  --report "$work/report-by-clause.html" >&2
by_clause=$?
set -e
if [ "$by_clause" -gt 1 ]; then
  exit "$by_clause"
fi
echo "== 退出码 / exit code $status (0 无冲突 no conflict, 1 有冲突 conflicts found)" >&2
