#!/usr/bin/env bash
# Starts the server jar on the test policy set, runs wrk at 16 and 64 connections for 10 s per
# script, prints throughput and p50/p99, and the server's RSS. Needs wrk (apt-get install -y wrk).
# The gateway check needs a JWT: a key pair and a day-long token are made for the run
# (GatewayToken.java), the public JWKS goes to the run's temporary directory, nothing is kept.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/pdp-server/target/verdict.jar"
policies="${POLICIES:-$root/pdp-server/src/test/resources/policies/bank}"
port="${PORT:-18181}"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
# WRK_CPUS pins wrk (taskset -c), e.g. WRK_CPUS=1 THREADS=1 leaves the other core to the server.
pin=""
if [ -n "${WRK_CPUS:-}" ]; then
  command -v taskset >/dev/null || { echo "run.sh: taskset is missing (util-linux)" >&2; exit 2; }
  pin="taskset -c $WRK_CPUS"
fi

command -v wrk >/dev/null || { echo "run.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests -pl pdp-server -am package)
fi

# The decision log goes to a file so that stdout does not slow the server; this is the
# production setting for throughput (a log shipper tails the file).
log="$(mktemp)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The gateway resolves the routed account from the set's data, so the run's copy gets one.
cp -r "$policies" "$work/policies"
cat >"$work/policies/bench-accounts.entities.json" <<'JSON'
[{"uid": {"type": "Account", "id": "a1"}, "attrs": {"owner": "alice", "tenant": "t1", "ssn": "123-45-6789"},
  "parents": []}]
JSON
export VERDICT_TOKEN="$(java -cp "$jar" "$here/GatewayToken.java" "$work")"
cat >"$work/verdict.yaml" <<YAML
jwt:
  jwks-file: $work/jwks.json
  issuer: https://bench.verdict.invalid/
  audiences: [verdict-bench]
  attribute-claims: {tenant: tenant}
YAML
java ${VERDICT_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -jar "$jar" serve --policies "$work/policies" \
  --config "$work/verdict.yaml" --port "$port" --decision-log file --decision-log-file "$log" >/dev/null 2>"$log.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$log" "$log.err" "$log.lua" "$work"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 0.2
done

run() { # script path connections
  # wrk takes one script: the request script with the shared report appended.
  cat "$here/$1" "$here/report.lua" >"$log.lua"
  # The server's CPU time per request (Linux): steadier than throughput on a shared machine.
  local t0 t1 out
  t0=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null || echo 0)
  out=$($pin wrk -t"$threads" -c"$3" -d"$duration" -s "$log.lua" "http://127.0.0.1:$port$2" 2>/dev/null | grep RESULT)
  t1=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null || echo 0)
  local n
  n=$(echo "$out" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
  echo "$out" | sed "s|RESULT|$1 c=$3|; s| requests=[0-9]*||" | tr -d '\n'
  if [ -n "$n" ] && [ "$n" -gt 0 ]; then
    echo " server_cpu_us_per_request=$(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / n ))"
  else
    echo
  fi
}

# Warm the JIT first; those figures are not reported.
$pin wrk -t"$threads" -c16 -d5s -s "$here/authzen-evaluation.lua" "http://127.0.0.1:$port/access/v1/evaluation" >/dev/null
$pin wrk -t"$threads" -c16 -d5s -s "$here/native-decisions.lua" "http://127.0.0.1:$port/v1/decisions" >/dev/null
$pin wrk -t"$threads" -c16 -d5s -s "$here/gateway-check.lua" "http://127.0.0.1:$port/v1/gateway/check" >/dev/null
for c in 16 64; do
  run authzen-evaluation.lua /access/v1/evaluation "$c"
  run native-decisions.lua /v1/decisions "$c"
  run gateway-check.lua /v1/gateway/check "$c"
done
echo "rss_kb=$(ps -o rss= -p $pid | tr -d ' ')"
