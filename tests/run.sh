#!/bin/sh
# Runs the whole suite: the C tests, the busted specs of the binding and the command tests.
# Ends with one line "N passed, N failed[, N skipped]" and exits non-zero if anything failed.
B=${COPYDESK_BUILD:-build}
export COPYDESK_BUILD="$B"
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds up a closing line "... N passed, N failed[, N skipped]".
add_counts() {
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$1: no result line (crashed?)"
    failed=$((failed + 1))
    return
  fi
  p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
}

for t in "$B"/tests/test_*; do
  [ -x "$t" ] || continue
  "$t" >"$log" 2>&1
  status=$?
  cat "$log"
  add_counts "$t"
  if [ $status -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed' "$log"; then
    echo "$t: exit status $status"
    failed=$((failed + 1))
  fi
done

# Each fuzz target's properties over its regression inputs and the fixtures (tests/fuzz).
for t in "$B"/fuzz/*; do
  [ -f "$t" ] && [ -x "$t" ] || continue
  n=$(basename "$t")
  "$t" "tests/fuzz/corpus/$n" tests/fixtures >"$log" 2>&1
  cat "$log"
  add_counts "$t"
done

# With clang (FUZZ_RUN, from the Makefile), a short libFuzzer run of each target in tests/fuzz
# (by name, so a stale binary left in the build folder is not run).
if [ -n "$FUZZ_RUN" ]; then
  for src in tests/fuzz/*.c; do
    n=$(basename "$src" .c)
    [ "$n" = driver ] && continue
    t="$FUZZ_RUN/$n"
    sh tests/fuzz/run.sh "$t" "${FUZZ_SECONDS:-10}" "$(dirname "$FUZZ_RUN")" >"$log" 2>&1
    cat "$log"
    add_counts "$t"
  done
else
  echo "fuzz-run: clang and libclang-rt-14-dev missing, or sanitizer build: skipped"
  skipped=$((skipped + 1))
fi

# Helgrind watches the threads test for data races (a sanitizer build cannot run under valgrind).
if [ "$SANITIZE" != 1 ] && command -v valgrind >/dev/null 2>&1; then
  if valgrind -q --tool=helgrind --error-exitcode=9 "$B/tests/test_threads" >"$log" 2>&1; then
    echo "helgrind test_threads: 1 passed, 0 failed"
    passed=$((passed + 1))
  else
    cat "$log"
    echo "helgrind test_threads: 0 passed, 1 failed"
    failed=$((failed + 1))
  fi
else
  echo "helgrind: valgrind missing or sanitizer build: skipped"
  skipped=$((skipped + 1))
fi

# The specs run under Debian's stock lua5.4, loading build/copydesk.so as any user would. With
# SANITIZE=1 the module needs the ASan runtime (ASAN_RUNTIME, from the Makefile) loaded first;
# unpreload.so then drops LD_PRELOAD, so only lua5.4 and the copydesk commands (built with ASan)
# run under LeakSanitizer, not the other programs the specs start.
if [ "$SANITIZE" = 1 ]; then
  LD_PRELOAD="${ASAN_RUNTIME:?run through make test SANITIZE=1}"
  LD_PRELOAD="$LD_PRELOAD $(cd "$B" && pwd)/tests/unpreload.so"
  export LD_PRELOAD ASAN_OPTIONS=detect_leaks=1
fi
lua5.4 /usr/bin/busted --helper=tests/lua/helper.lua -o plainTerminal tests/lua tests/cmd \
  >"$log" 2>&1
busted_status=$?
cat "$log"
unset LD_PRELOAD
# busted closes with "N successes / N failures / N errors / N pending : T seconds".
line=$(grep -E '^[0-9]+ success.* / [0-9]+ failure.* / [0-9]+ error.* / [0-9]+ pending' "$log" | tail -n 1)
if [ -z "$line" ]; then
  echo "busted: no result line"
  failed=$((failed + 1))
else
  set -- $line
  passed=$((passed + $1)); failed=$((failed + $4 + $7)); skipped=$((skipped + ${10}))
  if [ "$busted_status" -ne 0 ] && [ $(($4 + $7)) -eq 0 ]; then
    echo "busted: exit status $busted_status"
    failed=$((failed + 1))
  fi
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
