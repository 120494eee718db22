#!/usr/bin/env bash
# The stack's floor (issue 17): the server CPU per request of a bare Vert.x server that reads the
# body and answers a fixed decision (dev.verdict.bench.http.FloorServer, no Verdict code), with the
# same wrk load and CPU accounting as bench-model.sh's AuthZEN 1x1 run: what Netty and Vert.x cost
# on this machine before any of Verdict's work. Prints requests/s, p50/p99 and the server's CPU
# time per request (user + system, and each).
#   MODE=core (a request handler on Vert.x core) or web (Vert.x Web's router and body handler)
#   WRK_CPUS=1 (taskset for wrk; empty: not pinned)  THREADS=1  CONNECTIONS=64  DURATION=10s  WARM=8s
#   INSTANCES=2 (HTTP server instances, one per event loop, as Verdict's default on two cores)
#   TRANSPORT=nio or io_uring (as Verdict's `transport` setting; io_uring that cannot run is refused)
#   BENCH_JAR=path (default benchmarks/target/benchmarks.jar, built if missing)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="${BENCH_JAR:-$root/benchmarks/target/benchmarks.jar}"
body="$root/benchmarks/src/main/resources/bench-model/requests/evaluation_1x1.json"
mode="${MODE:-core}"
port="${PORT:-18284}"
duration="${DURATION:-10s}"
threads="${THREADS:-1}"
connections="${CONNECTIONS:-64}"
pin=""
[ -n "${WRK_CPUS-1}" ] && pin="taskset -c ${WRK_CPUS-1}"
command -v wrk >/dev/null || { echo "floor.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -B -o -q -DskipTests -Dverdict.dist.skip=true -pl benchmarks -am package)

work="$(mktemp -d)"
java ${FLOOR_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -cp "$jar" dev.verdict.bench.http.FloorServer \
  "$mode" "$port" "${INSTANCES:-2}" "${TRANSPORT:-nio}" >/dev/null 2>"$work/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port/access/v1/evaluation"
for _ in $(seq 1 150); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary "@$body" "$url" && break
  sleep 0.2
done
cat "$here/body-file.lua" "$here/report.lua" >"$work/script.lua"
export BODY_FILE="$body"

# warm the JIT with the same request; not reported
$pin wrk -t"$threads" -c"$connections" -d"${WARM:-8s}" -s "$work/script.lua" "$url" >/dev/null
read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
out=$($pin wrk -t"$threads" -c"$connections" -d"$duration" -s "$work/script.lua" "$url" 2>/dev/null | grep RESULT)
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
n=$(echo "$out" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
n=$(( n > 0 ? n : 1 ))
tck=$(getconf CLK_TCK)
echo "$out" | sed "s|RESULT|floor $mode ${TRANSPORT:-nio} c=$connections|; s| requests=[0-9]*||" | tr -d '\n'
echo " server_cpu_us_per_request=$(( (u1 + s1 - u0 - s0) * 1000000 / tck / n ))" \
  "user=$(( (u1 - u0) * 1000000 / tck / n )) sys=$(( (s1 - s0) * 1000000 / tck / n ))"
echo "rss_kb=$(ps -o rss= -p $pid | tr -d ' ')"
