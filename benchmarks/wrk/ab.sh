#!/usr/bin/env bash
# A/B of JVM flags with footprint.sh: runs it ROUNDS times for each variant, alternating (A, B, A,
# B, ...) so that a change in the machine's load falls on both, then prints each variant's median
# CPU to the first answer (and its main thread's), RSS under load and requests per CPU-second (per_cpu_s).
#   ab.sh ROUNDS "A's EXTRA_OPTS" "B's EXTRA_OPTS" DIST POLICIES LUA [LIMIT]
# e.g. the young generation's cost in throughput (docs/benchmarks.md, "Start-up and memory"):
#   WARMUP=60s DURATION=20s ab.sh 3 -XX:NewRatio=5 -XX:NewRatio=2 /tmp/verdict-0.1.0-SNAPSHOT \
#     policies/banking benchmarks/wrk/banking-evaluation.lua 256m
# (a later flag wins over lib/serve.options', so each variant may restate a shipped flag.)
set -euo pipefail
rounds=$1 a=$2 b=$3
shift 3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq 1 "$rounds"); do
  for v in a b; do
    opts=$a
    [ "$v" = b ] && opts=$b
    line=$(EXTRA_OPTS="$opts" "$here/footprint.sh" "$@")
    echo "$v [$opts] $line"
    echo "$line" >>"$out/$v"
  done
done
median() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for v in a b; do
  opts=$a
  [ "$v" = b ] && opts=$b
  echo "median $v [$opts]: cpu_to_first=$(median cpu_to_first "$out/$v")ms main_cpu_to_first=$(median main_cpu_to_first "$out/$v")ms load_rss=$(median load_rss "$out/$v")MiB per_cpu_s=$(median per_cpu_s "$out/$v") rps=$(median rps "$out/$v")"
done
