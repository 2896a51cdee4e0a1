#!/usr/bin/env bash
# The outfall register check at province scale, redline beside PostGIS and GeoPandas, in
# one run on the same data and machine.
#   bench/run-outfalls-bench.sh [--outfalls N] [generator options]   (default 1 000 000 outfalls)
# Prints each tool's times, the ratios, and the (outfall, zone) pair counts, which must agree.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh" --with-postgis --with-bench >/dev/null
build=${REDLINE_BUILD_DIR:-$repo/build}
work="$build/bench/outfalls"
rm -rf "$work" && mkdir -p "$work"
args=("$@")
[[ " ${args[*]} " == *" --outfalls "* ]] || args+=(--outfalls 1000000)

"$build/bench/redline_bench_generate" "$work/data" "${args[@]}"
ws="$work/province.gpkg"
for layer in "control_unit units" "red_line red_lines" "nature_reserve reserves" "water_source sources"; do
  set -- $layer
  "$build/cli/redline" import --kind "$1" "$work/data/$2.gpkg" --into "$ws" >/dev/null
done
rows=$(($(wc -l < "$work/data/register.csv") - 1))
echo "== workspace: $("$build/cli/redline" log "$ws" | grep -c '^版本') versions; register: $rows outfalls" >&2

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "== redline outfalls (read, screen, write; all cores)" >&2
t=$(now)
/usr/bin/time -f "%M" -o "$work/redline.rss" "$build/cli/redline" outfalls --zones "$ws" "$work/data/register.csv" \
  -o "$work/result.csv" --overwrite >/dev/null 2>"$work/redline.err" ||
  { rc=$?; [ $rc -eq 1 ] || { cat "$work/redline.err" >&2; exit $rc; }; }
redline_s=$(elapsed "$t")
read -r redline_within redline_near < <(python3 -c "import json,sys; d=json.load(open('$work/result.csv.summary.json')); print(d['within_pairs'], d['near_pairs'])")
echo "   redline: ${redline_s} s, peak $(( $(tail -n 1 "$work/redline.rss") / 1024 )) MB, within pairs $redline_within, near pairs $redline_near" >&2
python3 -c "import json; d=json.load(open('$work/result.csv.summary.json'))['seconds']; print('   stages: read and group %.1f s, index %.1f s, screen and write %.1f s' % (d['read'], d['index'], d['screen_and_write']))" >&2
echo "== the engine alone: read the points, open the screener, screen (no result written)" >&2
engine_line=$("$build/bench/redline_bench_points" "$ws" "$work/data/register.csv" | head -n 1)
echo "   $engine_line" >&2

server="$work/pg"
port=$("$repo/tests/support/postgis-server.sh" start "$server")
trap '"$repo/tests/support/postgis-server.sh" stop "$server"' EXIT
conn="host=127.0.0.1 port=$port user=postgres dbname=postgres"
psql_do() { psql -q -X -t -A -h 127.0.0.1 -p "$port" -U postgres -c "$1"; }
psql_do "ALTER SYSTEM SET max_parallel_workers_per_gather = $(nproc)" && psql_do "SELECT pg_reload_conf()" >/dev/null

echo "== PostGIS load and index" >&2
t=$(now)
ogr2ogr -f PostgreSQL "PG:$conn" "$ws" -sql "SELECT fid AS zid, kind, geom FROM zones WHERE version_to IS NULL" \
  -nln zones -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
psql_do "CREATE TABLE reg (code text, name text, type text, inout text, water text, status text, lon float8, lat float8)"
psql -q -X -h 127.0.0.1 -p "$port" -U postgres -c "\\copy reg FROM '$work/data/register.csv' WITH (FORMAT csv, HEADER true)"
psql_do "ALTER TABLE reg ADD COLUMN geom geometry(Point, 4490)"
psql_do "UPDATE reg SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4490)"
psql_do "CREATE INDEX ON reg USING gist (geom)"
psql_do "VACUUM ANALYZE reg"
psql_do "VACUUM ANALYZE zones"
pg_load_s=$(elapsed "$t")
echo "   PostGIS load + index: ${pg_load_s} s" >&2

echo "== PostGIS join: outfalls within zones" >&2
t=$(now)
pg_within=$(psql_do "SELECT count(*) FROM reg r JOIN zones z ON ST_Intersects(z.geom, r.geom)")
pg_within_s=$(elapsed "$t")
echo "   PostGIS within join: ${pg_within_s} s, within pairs $pg_within" >&2

echo "== PostGIS join: nearest zone per kind within its search distance (geodesic)" >&2
t=$(now)
psql_do "
  CREATE TABLE near_pairs AS
  WITH radius(kind, metres) AS (VALUES ('red_line', 500.0), ('nature_reserve', 1000.0), ('water_source', 1000.0))
  SELECT r.code, z.kind
  FROM reg r JOIN zones z ON z.geom && ST_Expand(r.geom, 0.02)
  JOIN radius USING (kind)
  WHERE ST_DWithin(z.geom::geography, r.geom::geography, radius.metres)
    AND NOT EXISTS (SELECT 1 FROM zones z2 WHERE z2.kind = z.kind AND ST_Intersects(z2.geom, r.geom))
  GROUP BY r.code, z.kind"
pg_near=$(psql_do "SELECT count(*) FROM near_pairs")
pg_near_s=$(elapsed "$t")
echo "   PostGIS near join: ${pg_near_s} s, near pairs $pg_near" >&2

echo "== GeoPandas sjoin (within only)" >&2
gpd_line=$(/usr/bin/python3 "$repo/bench/geopandas_join.py" "$ws" "$work/data/register.csv" 2>/dev/null || echo "geopandas failed")
echo "   $gpd_line" >&2

pg_join_s=$(awk -v a="$pg_within_s" -v b="$pg_near_s" 'BEGIN { printf "%.1f", a + b }')
echo
echo "outfalls:                 $rows"
echo "redline whole run:        ${redline_s} s (read, index, screen, write, all cores)"
echo "redline engine alone:     $engine_line"
echo "PostGIS join alone:       ${pg_join_s} s (within ${pg_within_s} s + near ${pg_near_s} s; load ${pg_load_s} s not counted)"
echo "ratio PostGIS / redline:  $(awk -v a="$pg_join_s" -v b="$redline_s" 'BEGIN { printf "%.1f", a / b }')x"
echo "GeoPandas:                $gpd_line"
gpd_s=$(echo "$gpd_line" | sed -n 's/.*sjoin \([0-9.]*\) s.*/\1/p')
[ -n "$gpd_s" ] && echo "ratio GeoPandas sjoin / redline: $(awk -v a="$gpd_s" -v b="$redline_s" 'BEGIN { printf "%.1f", a / b }')x (within only)"
echo "within pairs:             redline $redline_within, PostGIS $pg_within $([ "$redline_within" = "$pg_within" ] && echo '(identical)' || echo '(DIFFERENT)')"
# Pairs the two list differently are measured a third way (pyproj's geodesic, brute force).
psql -q -X -h 127.0.0.1 -p "$port" -U postgres -c "\\copy near_pairs TO '$work/pg_near.csv' WITH (FORMAT csv)"
disputes=$(/usr/bin/python3 "$repo/bench/check_near_pairs.py" "$work/result.csv" "$work/pg_near.csv" "$repo/layers" \
  psql -q -X -t -A -h 127.0.0.1 -p "$port" -U postgres)
read -r _ disputed _ for_redline < <(echo "$disputes" | tail -n 1)
echo "near pairs:               redline $redline_near, PostGIS $pg_near $([ "$redline_near" = "$pg_near" ] && [ "$disputed" = 0 ] && echo '(identical)' || echo "(the pairs differ for $disputed outfall(s); an independent geodesic sides with redline on $for_redline of them:)")"
echo "$disputes" | grep -v '^disputed' || true
