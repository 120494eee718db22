#!/usr/bin/env bash
# Bytes the server allocates per HTTP request (issue 17): starts the server jar on benchmarks'
# bench-model set, warms it with wrk, then records DURATION of one request file at CONNECTIONS with
# JFR (alloc.jfc: each thread's allocation counter, exact, and weighted allocation samples with
# their stacks) and prints bytes per request by thread and by where they were allocated
# (AllocSites.java). Allocation per request does not depend on the machine's load, unlike CPU.
#   REQUEST=evaluation_1x1.json (or evaluations_10x3.json, decisions_10x3.json)  ENDPOINT=/access/v1/evaluation
#   DECISION_LOG=off (or file: written to a temporary file)  VERDICT_JAR=path (another build)
#   CONNECTIONS=64 DURATION=10s WARM=8s (seconds)  KEEP=dir (keep the recording there)  STACKS=1 TOP=n
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="${VERDICT_JAR:-$root/pdp-server/target/verdict.jar}"
model="$root/benchmarks/src/main/resources/bench-model"
port="${PORT:-18283}"
request="${REQUEST:-evaluation_1x1.json}"
endpoint="${ENDPOINT:-/access/v1/evaluation}"
connections="${CONNECTIONS:-64}"
duration="${DURATION:-10s}"
pin=""
[ -n "${WRK_CPUS:-}" ] && pin="taskset -c $WRK_CPUS"
command -v wrk >/dev/null || { echo "alloc.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -B -o -q -DskipTests -Dverdict.dist.skip=true -pl pdp-server -am package)

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
url="http://127.0.0.1:$port$endpoint"
served() { # answered POSTs so far, from the server's own counter
  curl -sf "http://127.0.0.1:$port/metrics" | awk '/^vertx_http_server_requests_total\{/ && /method="POST"/ {n += $2} END {printf "%d", n}'
}
secs() { echo "$1" | sed 's/s$//'; }
# One wrk run for the warm-up and the recording, so that no connection is set up while recording:
# JFR records DURATION (it stops itself), the requests are counted by the server meanwhile.
BODY_FILE="$model/requests/$request" $pin wrk -t1 -c"$connections" -d"$(( $(secs "${WARM:-8s}") + $(secs "$duration") + 3 ))s" \
  -s "$work/script.lua" "$url" >"$work/wrk.out" &
wrk_pid=$!
sleep "$(secs "${WARM:-8s}")"
jcmd $pid JFR.start name=alloc settings="$here/alloc.jfc" duration="$duration" filename="$work/alloc.jfr" >/dev/null
n0=$(served)
sleep "$(secs "$duration")"
n1=$(served)
wait $wrk_pid
out=$(grep RESULT "$work/wrk.out")
n=$((n1 - n0))
echo "$request $endpoint c=$connections decision-log=${DECISION_LOG:-off}: $out; recorded $n requests"
[ -n "${KEEP:-}" ] && cp "$work/alloc.jfr" "$KEEP/"
java ${STACKS:+-Dstacks=true} "$here/AllocSites.java" "$work/alloc.jfr" "$n" "${TOP:-25}"
