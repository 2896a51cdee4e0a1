#!/usr/bin/env bash
# Sets redline up (including PostgreSQL/PostGIS for the comparison tests and clang for the
# fuzzers), builds it, runs the TXT and CSV fuzzers for a bounded time, then the whole test
# suite with ctest. REDLINE_FUZZ_SECONDS (default 45) bounds each fuzzer; 0 skips them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh" --with-postgis --with-fuzz
seconds=${REDLINE_FUZZ_SECONDS:-45}
if [ "$seconds" != 0 ]; then
  "$repo/scripts/fuzz.sh" --seconds "$seconds"
fi
ctest --test-dir "${REDLINE_BUILD_DIR:-$repo/build}" --output-on-failure -j "$(nproc)" "$@"
