#!/bin/sh
# Runs one libFuzzer target for SECONDS: sh tests/fuzz/run.sh BINARY SECONDS WORK.
# It starts from its regression inputs (tests/fuzz/corpus/NAME) and the fixtures; what it learns
# goes to WORK/corpus/NAME, a crash to WORK/crash-NAME-*, which then belongs in
# tests/fuzz/corpus/NAME. Prints executions per second and the corpus it ended with, then the
# suite's "N passed, N failed" line; the log is WORK/NAME.log.
bin=$1 seconds=$2 work=$3
n=$(basename "$bin")
mkdir -p "$work/corpus/$n" "tests/fuzz/corpus/$n"
log="$work/$n.log"
echo "== fuzz $n ($seconds s)"
"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/crash-$n-" \
  "$work/corpus/$n" "tests/fuzz/corpus/$n" tests/fixtures >"$log" 2>&1
status=$?
# libFuzzer's last status line reads "#RUNS DONE cov: C ft: F corp: UNITS/SIZE ...".
execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n 1 | sed 's/corp: //')
if [ $status -eq 0 ]; then
  echo "fuzz-run $n: $runs runs, $execs exec/s, corpus $corpus: 1 passed, 0 failed"
else
  tail -n 40 "$log"
  seed=$(sed -n 's/^INFO: Seed: //p' "$log")
  echo "fuzz-run $n: exit status $status, seed $seed (see $log): 0 passed, 1 failed"
fi
[ $status -eq 0 ]
