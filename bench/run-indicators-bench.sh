#!/usr/bin/env bash
# Every plan indicator of the province workspace, by district, redline beside PostGIS in one
# run on the same data and machine.
#   bench/run-indicators-bench.sh [generator options]
# Generates the province of the other benchmarks (units, red-line patches with holes,
# reserves, sources), adds districts (the units grouped on a grid and united in PostGIS, so
# they tile the province and cut patches) and a synthetic coastline along the southern edge
# in stretches of every type, imports all into one workspace, times `redline indicators
# --by district` end to end, and times PostGIS on the same union area of the red lines,
# ST_Area(ST_Union(geom)::geography), whole and per district; prints both areas.
# Needs `redline` and `redline_bench_generate` built in $REDLINE_BUILD_DIR (default build/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh" --no-build --with-postgis >/dev/null
build=${REDLINE_BUILD_DIR:-$repo/build}
for exe in cli/redline bench/redline_bench_generate; do
  if [ ! -x "$build/$exe" ]; then
    echo "run-indicators-bench.sh: $build/$exe is missing; build it: cmake --build $build --target redline redline_bench_generate" >&2
    exit 2
  fi
done
work="$build/bench/indicators"
rm -rf "$work" && mkdir -p "$work"
redline="$build/cli/redline"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

"$build/bench/redline_bench_generate" "$work/data" --footprints 0 "$@"

server="$work/pg"
port=$("$repo/tests/support/postgis-server.sh" start "$server")
trap '"$repo/tests/support/postgis-server.sh" stop "$server"' EXIT
conn="host=127.0.0.1 port=$port user=postgres dbname=postgres"
psql_do() { psql -q -X -t -A -h 127.0.0.1 -p "$port" -U postgres -c "$1"; }

echo "== districts and coastline for the generated province" >&2
# Districts: the units grouped by where their centres fall on a 10 x 10 grid over the
# province, each group united, so the districts tile the province along the units' edges.
ogr2ogr -f PostgreSQL "PG:$conn" "$work/data/units.gpkg" -nln units -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI
psql_do "
  CREATE TABLE districts AS
  SELECT 'D' || lpad(gx::text, 2, '0') || lpad(gy::text, 2, '0') AS xzqdm,
         '基准测试区县 ' || gx || '-' || gy AS xzqmc,
         ST_Multi(ST_Union(geom))::geometry(MultiPolygon, 4490) AS geom
  FROM (SELECT geom,
               least(9, floor((ST_X(ST_PointOnSurface(geom)) - 119.5) / 0.6))::int AS gx,
               least(9, floor((ST_Y(ST_PointOnSurface(geom)) - 38.8) / 0.46))::int AS gy
        FROM units) u
  GROUP BY gx, gy"
# The coastline: a wavy line near the southern edge, 200 stretches of 120 segments each,
# two in five natural, one in five estuary (other), the rest artificial.
psql_do "
  CREATE TABLE coastline AS
  SELECT 'AX' || lpad(s::text, 4, '0') AS axbm,
         CASE WHEN s % 5 IN (0, 3) THEN '自然岸线' WHEN s % 5 = 4 THEN '河口岸线' ELSE '人工岸线' END AS axlx,
         CASE WHEN s % 5 IN (0, 3) THEN '严格保护岸线' ELSE '优化利用岸线' END AS axlb,
         ST_MakeLine(ST_SetSRID(ST_MakePoint(119.55 + 5.9 * i / 24000.0,
                                             38.86 + 0.03 * sin(i / 41.0) + 0.008 * sin(i / 4.7)), 4490)
                     ORDER BY i)::geometry(LineString, 4490) AS geom
  FROM generate_series(0, 199) s
  JOIN generate_series(0, 24000) i ON i BETWEEN s * 120 AND (s + 1) * 120
  GROUP BY s"
ogr2ogr -f GPKG "$work/data/districts.gpkg" "PG:$conn" districts -nln districts
ogr2ogr -f GPKG "$work/data/coastline.gpkg" "PG:$conn" coastline -nln coastline
psql_do "DROP TABLE units, districts, coastline"

echo "== redline import" >&2
ws="$work/province.gpkg"
# Districts first, as a mapping office has them before the zones.
for layer in "district districts" "control_unit units" "red_line red_lines" "nature_reserve reserves" \
             "water_source sources" "coastline coastline"; do
  set -- $layer
  "$redline" import --kind "$1" "$work/data/$2.gpkg" --into "$ws" >/dev/null
done
counts=$("$redline" log "$ws" --format json | python3 -c "
import json, sys
versions = json.load(sys.stdin)['versions']
print(', '.join('%s %d' % (v['kind'], v['features_added']) for v in versions))")
echo "   zones: $counts" >&2

echo "== redline indicators --by district (every indicator, every district, and the change since the version before)" >&2
echo "   (load average before: $(cut -d ' ' -f 1-3 /proc/loadavg) on $(nproc) cores)" >&2
for run in 1 2 3; do
  /usr/bin/time -f "%e %U %S %M" -o "$work/redline.time" "$redline" indicators "$ws" --by district --format json \
    -o "$work/indicators.json" --overwrite
  read -r wall user sys rss < <(tail -n 1 "$work/redline.time")
  echo "   run $run: $wall s wall, $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') s CPU, peak $((rss / 1024)) MB" >&2
done
read -r rl_ha districts values < <(python3 -c "
import json
d = json.load(open('$work/indicators.json'))
whole = [i for i in d['indicators'] if 'district' not in i]
area = next(i['value'] for i in whole if i['id'] == 'red_line_area_ha')
print('%.6f %d %d' % (area, len({i['district_id'] for i in d['indicators'] if 'district_id' in i}), len(d['indicators'])))")
echo "   $values values over $districts districts; red_line_area_ha $rl_ha" >&2
python3 -c "
import json
d = json.load(open('$work/indicators.json'))
for i in d['indicators']:
    if 'district' not in i and i['subzone'] is None:
        print('     %-34s %16s %s' % (i['id'], '-' if i['value'] is None else '%.4f' % i['value'], i['unit']))" >&2
t=$(now)
"$redline" indicators "$ws" --format json -o "$work/whole.json" --overwrite
echo "   without --by district: $(elapsed "$t") s wall" >&2

echo "== PostGIS: the same zones, loaded and indexed (not timed in the comparison)" >&2
t=$(now)
ogr2ogr -f PostgreSQL "PG:$conn" "$ws" -sql "SELECT fid AS zid, kind, zone_id, geom FROM zones WHERE version_to IS NULL" \
  -nln zones -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
psql_do "VACUUM ANALYZE zones"
echo "   load + GiST index: $(elapsed "$t") s" >&2

echo "== PostGIS: ST_Area(ST_Union(geom)::geography) of the red lines" >&2
echo "   (load average before: $(cut -d ' ' -f 1-3 /proc/loadavg))" >&2
t=$(now)
pg_m2=$(psql_do "SELECT ST_Area(ST_Union(geom)::geography) FROM zones WHERE kind = 'red_line'")
pg_s=$(elapsed "$t")
echo "   PostGIS: ${pg_s} s, $(awk -v m="$pg_m2" 'BEGIN { printf "%.6f", m / 10000 }') ha" >&2
echo "   redline: $rl_ha ha; difference $(awk -v a="$rl_ha" -v m="$pg_m2" 'BEGIN { printf "%.3g", (a - m / 10000) / (m / 10000) }') (relative)" >&2

echo "== PostGIS: the same per district (the union of the red lines cut by each district)" >&2
t=$(now)
psql_do "
  CREATE TABLE pg_by_district AS
  SELECT d.zone_id AS district, ST_Area(ST_Union(ST_Intersection(r.geom, d.geom))::geography) AS m2
  FROM zones d JOIN zones r ON r.kind = 'red_line' AND ST_Intersects(r.geom, d.geom)
  WHERE d.kind = 'district'
  GROUP BY d.zone_id"
pg_district_s=$(elapsed "$t")
psql_do "COPY pg_by_district TO STDOUT WITH (FORMAT csv)" > "$work/pg_by_district.csv"
python3 -c "
import csv, json
d = json.load(open('$work/indicators.json'))
ours = {i['district_id']: i['value'] * 10000 for i in d['indicators']
        if i['id'] == 'red_line_area_ha' and 'district_id' in i}
theirs = {row[0]: float(row[1]) for row in csv.reader(open('$work/pg_by_district.csv'))}
worst = max(abs(ours.get(k, 0) - v) / v for k, v in theirs.items() if v > 0)
print('   PostGIS: ${pg_district_s} s over %d districts; largest relative difference to redline %.3g' % (len(theirs), worst))" >&2
