#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UBSan) in build-fuzz/ and runs
# each for a bounded time on its seed corpus.
#   scripts/fuzz.sh [--seconds N] [--build-only]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=60 build_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift ;;
    --build-only) build_only=1 ;;
    *) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
"$repo/scripts/setup.sh" --no-build --with-fuzz
build="${REDLINE_FUZZ_BUILD_DIR:-$repo/build-fuzz}"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DREDLINE_FUZZ=ON -DREDLINE_TESTS=OFF -DREDLINE_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_survey_txt fuzz_csv -j "$(nproc)"
[ "$build_only" = 1 ] && exit 0
for target in survey_txt csv; do
  work="$build/fuzz-work/$target"
  mkdir -p "$work"
  echo "== fuzz_$target for ${seconds}s" >&2
  # Findings are written to $work; the run fails on any crash, leak, timeout or OOM.
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$work/" -print_final_stats=1 "$work" "$repo/tests/fuzz/corpus/$target" 2>&1 | tail -n 12
done
