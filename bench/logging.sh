#!/usr/bin/env bash
# The cost of logging per call, in instructions (callgrind: repeatable where timings are not on a
# shared machine): core_vs_sdk's sequential GetChannel loops with no log sink (logging off, as in
# C and Node without a logger), a sink at WARN (Python's default: libivs's per-call records off)
# and a sink at DEBUG (every record of libivs and the SDK formatted and scrubbed). Per-call
# figures are the difference between 3000 and 1000 calls, /2000, so start-up cancels out.
set -euo pipefail
bin="${1:?usage: logging.sh path/to/core_vs_sdk}"
command -v valgrind >/dev/null || { echo "bench-logging: valgrind is needed"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
per_call() {
  local mode=$1 log=$2 n total=()
  for n in 1000 3000; do
    env ${log:+BENCH_LOG=$log} BENCH_ONLY="$mode" BENCH_CALLS=$n \
      valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" >/dev/null 2>&1
    total+=("$(awk '/^totals:/ {print $2}' "$out/cg")")
  done
  echo $(( (total[1] - total[0]) / 2000 ))
}
printf '%-28s %14s %14s %10s\n' "GetChannel, sequential" "sink" "instr./call" "vs off"
for mode in blocking core; do
  off=$(per_call "$mode" "")
  for log in "" warn debug; do
    n=$([ -z "$log" ] && echo "$off" || per_call "$mode" "$log")
    printf '%-28s %14s %14d %9.2f%%\n' "$mode" "${log:-off}" "$n" \
      "$(awk -v n="$n" -v off="$off" 'BEGIN { print (n - off) * 100 / off }')"
  done
done
