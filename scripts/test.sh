#!/usr/bin/env bash
# Sets redline up (including PostgreSQL/PostGIS for the comparison tests and clang for the
# sanitizers and fuzzers), builds it, runs the test suite with ctest, then builds it again
# with clang, AddressSanitizer and UBSan, runs each fuzzer for a bounded time and the whole
# suite under the sanitizers.
#   REDLINE_FUZZ_SECONDS (default 45) bounds each fuzzer; 0 skips them.
#   REDLINE_SANITIZE=0 skips the sanitizer build (the fuzzers with it): the plain suite only.
# Arguments are passed to ctest for the plain suite (e.g. -R hardening).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/setup.sh" --with-postgis --with-fuzz --with-browser
ctest --test-dir "${REDLINE_BUILD_DIR:-$repo/build}" --output-on-failure -j "$(nproc)" "$@"
if [ "${REDLINE_SANITIZE:-1}" != 0 ]; then
  "$repo/scripts/fuzz.sh" --seconds "${REDLINE_FUZZ_SECONDS:-45}" --suite
fi
