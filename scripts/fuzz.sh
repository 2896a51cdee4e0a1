#!/usr/bin/env bash
# Builds redline with clang, AddressSanitizer and UBSan in build-fuzz/: the libFuzzer
# targets, run each for a bounded time on its seed corpus, and with --suite the whole test
# suite too, run under the sanitizers (any leak, overflow or undefined behaviour fails it).
#   scripts/fuzz.sh [--seconds N] [--build-only] [--suite]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=60 build_only=0 suite=0
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift ;;
    --build-only) build_only=1 ;;
    --suite) suite=1 ;;
    *) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
"$repo/scripts/setup.sh" --no-build --with-fuzz
build="${REDLINE_FUZZ_BUILD_DIR:-$repo/build-fuzz}"
tests=OFF
[ "$suite" = 1 ] && tests=ON
# With the suite, the viewer and its QtTest programs are built and run under the sanitizers too.
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DREDLINE_FUZZ=ON -DREDLINE_TESTS=$tests -DREDLINE_BENCH=OFF -DREDLINE_VIEWER=$tests >/dev/null
targets=(fuzz_survey_txt fuzz_csv fuzz_rules fuzz_schema fuzz_edits fuzz_http_body)
if [ "$suite" = 1 ]; then
  cmake --build "$build" -j "$(nproc)"
else
  cmake --build "$build" --target "${targets[@]}" -j "$(nproc)"
fi
[ "$build_only" = 1 ] && exit 0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$repo/tests/fuzz/lsan.supp:print_suppressions=0}
if [ "$seconds" != 0 ]; then
  for target in "${targets[@]}"; do
    name=${target#fuzz_}
    work="$build/fuzz-work/$name"
    mkdir -p "$work"
    echo "== $target for ${seconds}s" >&2
    # Findings are written to $work; the run fails on any crash, leak, timeout or OOM, and
    # then shows the sanitizer's report and the input that caused it, not only the stats.
    log="$work/last-run.log"
    status=0
    # A dictionary of the format's tokens, where there is one, lets mutations reach past the syntax.
    dict=()
    [ -f "$repo/tests/fuzz/$name.dict" ] && dict=(-dict="$repo/tests/fuzz/$name.dict")
    "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 "${dict[@]}" \
      -max_len=65536 -artifact_prefix="$work/" -print_final_stats=1 "$work" "$repo/tests/fuzz/corpus/$name" \
      >"$log" 2>&1 || status=$?
    if [ "$status" != 0 ]; then
      grep -n -m1 -A40 -E 'ERROR: |runtime error:|==[0-9]+==' "$log" >&2 || tail -n 60 "$log" >&2
      for finding in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -f "$finding" ] || continue
        echo "-- input $finding (first 2 KB, base64):" >&2
        head -c 2048 "$finding" | base64 >&2
      done
      exit "$status"
    fi
    tail -n 8 "$log" >&2
  done
fi
if [ "$suite" = 1 ]; then
  echo "== the test suite under AddressSanitizer and UBSan" >&2
  ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
fi
