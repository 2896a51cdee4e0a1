#!/usr/bin/env bash
# `redline serve` under load beside PostGIS answering the same query, in one run.
#   bench/run-serve-bench.sh [--seconds N] [--reuse] [generator options]
# Generates and imports the province of run-check-bench.sh, starts `redline serve` and a
# PostGIS (both on loopback), then for 1, 4 and 16 concurrent clients: wrk POSTs the
# province's footprints (GeoJSON, one per request) to /api/v1/check, and pgbench runs the
# same screening query (intersections with areas and lengths, red lines near) on the same
# footprints with a custom script. Throughput and p50/p99 side by side; then a soak at 16
# clients, twice, with the server's memory after each. Results in $REDLINE_BUILD_DIR/bench/serve.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=20 reuse=0
generator=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --reuse) reuse=1; shift ;;  # the province of the last run, not generated again
    *) generator+=("$1"); shift ;;
  esac
done
"$repo/scripts/setup.sh" --with-postgis >/dev/null
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
build=${REDLINE_BUILD_DIR:-$repo/build}
work="$build/bench/serve"
ws="$work/province.gpkg"
if [ "$reuse" = 0 ] || [ ! -f "$ws" ]; then
  rm -rf "$work" && mkdir -p "$work/bodies"
  echo "== generate and import the province (as run-check-bench.sh)" >&2
  "$build/bench/redline_bench_generate" "$work/data" "${generator[@]}" >&2
  "$build/cli/redline" import --kind control_unit "$work/data/units.gpkg" --into "$ws" >/dev/null
  "$build/cli/redline" import --kind red_line "$work/data/red_lines.gpkg" --into "$ws" >/dev/null
  # One GeoJSON body per footprint, in fid order, for wrk to cycle through.
  ogr2ogr -f GeoJSONSeq /vsistdout/ "$work/data/footprints.gpkg" -t_srs EPSG:4326 -lco RS=NO |
    awk -v dir="$work/bodies" '{ f = sprintf("%s/%04d.json", dir, NR); print > f; close(f) }'
fi
rm -rf "$work/pg" "$work"/pgbench_log.*
bodies=$(ls "$work/bodies" | wc -l)

echo "== PostGIS on loopback: the zones and the footprints, GiST indexes" >&2
server_dir="$work/pg"
pg_port=$("$repo/tests/support/postgis-server.sh" start "$server_dir")
serve_pid=
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  "$repo/tests/support/postgis-server.sh" stop "$server_dir"
}
trap cleanup EXIT
conn="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
ogr2ogr -f PostgreSQL "PG:$conn" "$ws" -sql "SELECT fid AS zid, kind, zone_id, geom FROM zones WHERE version_to IS NULL" \
  -nln zones -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
ogr2ogr -f PostgreSQL "PG:$conn" "$work/data/footprints.gpkg" -nln footprints -lco GEOMETRY_NAME=g -lco FID=fp_id \
  -preserve_fid -t_srs EPSG:4490
psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "VACUUM ANALYZE zones" -c "VACUUM ANALYZE footprints"
# The query redline_bench_check times: every zone met with the overlap's area and length,
# and the red lines within 500 m that are not met, with their distance.
cat > "$work/screen.sql" <<SQL
\\set id random(1, $bodies)
WITH f AS (SELECT g FROM footprints WHERE fp_id = :id)
SELECT z.fid, ST_Area(ST_Intersection(z.geom, f.g)::geography),
       ST_Length(ST_CollectionExtract(ST_Intersection(z.geom, f.g), 2)::geography), NULL::float8
  FROM zones z, f WHERE z.geom && f.g AND ST_Intersects(z.geom, f.g)
UNION ALL
SELECT z.fid, NULL, NULL, ST_Distance(z.geom::geography, f.g::geography) FROM zones z, f
 WHERE z.kind = 'red_line' AND z.geom && ST_Expand(f.g, 0.00625) AND NOT ST_Intersects(z.geom, f.g)
   AND ST_DWithin(z.geom::geography, f.g::geography, 500);
SQL

echo "== redline serve on loopback" >&2
"$build/cli/redline" serve --zones "$ws" --port 0 --reload-seconds 0 2>"$work/serve.log" &
serve_pid=$!
for _ in $(seq 1 600); do
  grep -q "http://127.0.0.1:" "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o "http://127.0.0.1:[0-9]*" "$work/serve.log" | head -1)
[ -n "$url" ] || { echo "run-serve-bench.sh: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
# wrk: each request the next footprint's body.
cat > "$work/bodies.lua" <<LUA
local bodies, n = {}, 0
for i = 1, $bodies do
  local f = io.open(string.format("$work/bodies/%04d.json", i), "r")
  bodies[i] = f:read("*a"); f:close()
end
request = function()
  n = n % $bodies + 1
  return wrk.format("POST", "/api/v1/check?activity=construction", {["Content-Type"] = "application/geo+json"}, bodies[n])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.read + summary.errors.connect + summary.errors.timeout))
end
LUA
rss() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$serve_pid/status"; }
echo "   $url, $bodies footprints, ${seconds}s a run; server memory after start: $(rss)" >&2

printf "%-8s %14s %9s %9s   %14s %9s %9s   %s\n" clients "redline req/s" "p50 ms" "p99 ms" "PostGIS tps" "p50 ms" "p99 ms" "ratio"
for clients in 1 4 16; do
  threads=$(( clients < 2 ? clients : 2 ))
  redline=$(wrk -t "$threads" -c "$clients" -d "${seconds}s" -s "$work/bodies.lua" "$url" | awk '/^RESULT/ { print $2, $3, $4, $5 }')
  rm -f "$work"/pgbench_log.*
  (cd "$work" && pgbench -n -M prepared -h 127.0.0.1 -p "$pg_port" -U postgres -c "$clients" -j "$threads" \
    -T "$seconds" -f "$work/screen.sql" -l postgres >"$work/pgbench-$clients.txt" 2>&1)
  postgis=$(cat "$work"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -n |
    awk -v s="$seconds" '{ v[NR] = $1 } END { printf "%.1f %.2f %.2f", NR / s, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }')
  read -r r_rate r_p50 r_p99 r_errors <<<"$redline"
  read -r p_rate p_p50 p_p99 <<<"$postgis"
  printf "%-8s %14s %9s %9s   %14s %9s %9s   %.1fx%s\n" "$clients" "$r_rate" "$r_p50" "$r_p99" "$p_rate" "$p_p50" "$p_p99" \
    "$(awk -v a="$r_rate" -v b="$p_rate" 'BEGIN { print a / b }')" "$([ "$r_errors" != 0 ] && echo "  ($r_errors redline errors)")"
done

echo "== soak: 16 clients, twice $((seconds * 3))s; the server's memory after each" >&2
for round in 1 2; do
  wrk -t 2 -c 16 -d "$((seconds * 3))s" -s "$work/bodies.lua" "$url" | awk -v r="$round" '/^RESULT/ { printf "   round %s: %s req/s, p99 %s ms, %s errors", r, $2, $4, $5 }'
  echo ", server memory $(rss)"
done
