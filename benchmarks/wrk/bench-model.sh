#!/usr/bin/env bash
# The peer model over HTTP (issue 17): starts the server jar on benchmarks' bench-model set and
# runs wrk with its three request files, AuthZEN 1x1, AuthZEN evaluations 10x3 and native 10x3,
# at 16 and 64 connections for DURATION each (default 10s). Prints requests/s, p50/p99 and the
# server's CPU time per request (user + system, and each). Needs wrk; loopback only. VERDICT_JAR=path
# measures another build (an A/B against an older jar from the same tree); ONLY=evaluation_1x1.json
# runs one request file; DECISION_LOG=file logs decisions to a temporary file (default: off).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="${VERDICT_JAR:-$root/pdp-server/target/verdict.jar}"
model="$root/benchmarks/src/main/resources/bench-model"
port="${PORT:-18282}"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
pin=""
[ -n "${WRK_CPUS:-}" ] && pin="taskset -c $WRK_CPUS"
command -v wrk >/dev/null || { echo "bench-model.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl pdp-server -am package)

work="$(mktemp -d)"
log=(--decision-log off)
[ "${DECISION_LOG:-off}" = file ] && log=(--decision-log file --decision-log-file "$work/decisions.log")
java ${VERDICT_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -jar "$jar" serve --policies "$model/policies" \
  --port "$port" "${log[@]}" >/dev/null 2>"$work/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 0.2
done
cat "$here/body-file.lua" "$here/report.lua" >"$work/script.lua"

run() { # request-file path connections
  local t0 t1 out n
  [ -n "${ONLY:-}" ] && [ "$ONLY" != "$1" ] && return 0
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  out=$(BODY_FILE="$model/requests/$1" $pin wrk -t"$threads" -c"$3" -d"$duration" -s "$work/script.lua" \
    "http://127.0.0.1:$port$2" 2>/dev/null | grep RESULT)
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  t0=$((u0 + s0)); t1=$((u1 + s1))
  n=$(echo "$out" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
  echo "$out" | sed "s|RESULT|$1 c=$3|; s| requests=[0-9]*||" | tr -d '\n'
  local tck; tck=$(getconf CLK_TCK)
  echo " server_cpu_us_per_request=$(( (t1 - t0) * 1000000 / tck / (n > 0 ? n : 1) ))" \
    "user=$(( (u1 - u0) * 1000000 / tck / (n > 0 ? n : 1) )) sys=$(( (s1 - s0) * 1000000 / tck / (n > 0 ? n : 1) ))"
}

# warm the JIT; not reported
BODY_FILE="$model/requests/evaluations_10x3.json" $pin wrk -t"$threads" -c16 -d5s -s "$work/script.lua" \
  "http://127.0.0.1:$port/access/v1/evaluations" >/dev/null
for c in 16 64; do
  run evaluation_1x1.json /access/v1/evaluation "$c"
  run evaluations_10x3.json /access/v1/evaluations "$c"
  run decisions_10x3.json /v1/decisions "$c"
done
echo "rss_kb=$(ps -o rss= -p $pid | tr -d ' ')"
