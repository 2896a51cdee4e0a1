#!/usr/bin/env bash
# Sets redline up (including the PostgreSQL/PostGIS packages the comparison tests use),
# builds it and runs the whole test suite with ctest.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh" --with-postgis
ctest --test-dir "${REDLINE_BUILD_DIR:-$repo/build}" --output-on-failure -j "$(nproc)" "$@"
