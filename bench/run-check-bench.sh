#!/usr/bin/env bash
# Screening speed on a province-scale workspace, redline and PostGIS in one run.
#   bench/run-check-bench.sh [--units N] [--patches N] [--vertices N] [--footprints N]
# Generates the data (deterministic), imports it with `redline import`, loads the same
# zones into a PostGIS started on loopback, then times one footprint at a time on both.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh" --with-postgis >/dev/null
build=${REDLINE_BUILD_DIR:-$repo/build}
work="$build/bench/check"
rm -rf "$work" && mkdir -p "$work"

"$build/bench/redline_bench_generate" "$work/data" "$@"
ws="$work/province.gpkg"
echo "== redline import" >&2
/usr/bin/time -f "   import units: %e s, %M KB peak" "$build/cli/redline" import --kind control_unit "$work/data/units.gpkg" --into "$ws" >/dev/null
/usr/bin/time -f "   import red lines: %e s, %M KB peak" "$build/cli/redline" import --kind red_line "$work/data/red_lines.gpkg" --into "$ws" >/dev/null

server="$work/pg"
port=$("$repo/tests/support/postgis-server.sh" start "$server")
trap '"$repo/tests/support/postgis-server.sh" stop "$server"' EXIT
conn="host=127.0.0.1 port=$port user=postgres dbname=postgres"
echo "== PostGIS load and index" >&2
start=$(date +%s.%N)
ogr2ogr -f PostgreSQL "PG:$conn" "$ws" -sql "SELECT fid AS zid, kind, zone_id, geom FROM zones WHERE version_to IS NULL" \
  -nln zones -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
psql -q -h 127.0.0.1 -p "$port" -U postgres -c "VACUUM ANALYZE zones"
echo "   PostGIS load + GiST index: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s" >&2

echo "== one footprint at a time" >&2
"$build/bench/redline_bench_check" "$ws" "$work/data/footprints.gpkg" --postgis "$conn"
echo "== the command line, one footprint end to end (open, load nearby zones, check, print)" >&2
wkt=$(ogrinfo -q -ro "$work/data/footprints.gpkg" -sql "SELECT ST_AsText(geom) AS wkt FROM footprints LIMIT 1 OFFSET 8" | sed -n 's/.*wkt (String) = //p')
for i in 1 2 3; do
  /usr/bin/time -f "   redline check --wkt: %e s wall, %M KB peak" "$build/cli/redline" check --zones "$ws" --wkt "$wkt" --crs EPSG:4490 >/dev/null || true
done
