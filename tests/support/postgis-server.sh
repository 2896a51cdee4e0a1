#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server on loopback for tests and benchmarks.
#   postgis-server.sh start DIR   -> prints the port; exit 77 when no server can be had
#   postgis-server.sh stop DIR
# As root the server runs as the 'postgres' user, since PostgreSQL refuses to run as root.
set -euo pipefail
cmd=${1:?start|stop} dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_owner=()
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); fi

case $cmd in
start)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries are not installed; run scripts/setup.sh --with-postgis" >&2
    exit 77
  fi
  if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    echo "PostGIS is not installed; run scripts/setup.sh --with-postgis" >&2
    exit 77
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 || {
    echo "initdb failed: $(tail -n 3 "$dir/initdb.log")" >&2; exit 77; }
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null 2>&1; then
      if "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE EXTENSION postgis" >/dev/null 2>"$dir/psql.log"; then
        echo "$port"
        exit 0
      fi
      echo "CREATE EXTENSION postgis failed: $(cat "$dir/psql.log")" >&2
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
      exit 77
    fi
  done
  echo "the PostgreSQL server did not start: $(tail -n 3 "$dir/server.log" 2>/dev/null)" >&2
  exit 77
  ;;
stop)
  [ -d "$dir/data" ] && "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
