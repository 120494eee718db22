#!/usr/bin/env bash
# Throughput of a 3-node cluster against one node, on the same machine and cores: non-rate-limited
# AuthZEN evaluations (authzen-evaluation.lua, an owner reading her account). First one
# `verdict serve` alone, then three that form one cluster (`--cluster-members`, decision cache
# `auto`, the default), each loaded through its own port by one wrk with a third of the
# connections; the three rates are summed. Prints both rates and their ratio. Needs wrk.
#   DURATION=10s CONNECTIONS=48 benchmarks/wrk/cluster.sh
# WARMUP (one node, default 15s) and CLUSTER_WARMUP (three nodes sharing the cores, default 30s)
# warm the JITs first (with 5s for three nodes the ratio measured their JIT: 26 to 68%);
# NODE_ARGS adds `serve` options to the three nodes (e.g. NODE_ARGS="--decision-cache local").
# NODE_CPUS pins every server JVM (taskset -c), WRK_CPUS pins wrk, e.g. NODE_CPUS=0 WRK_CPUS=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/pdp-server/target/verdict.jar"
policies="${POLICIES:-$root/pdp-server/src/test/resources/policies/bank}"
duration="${DURATION:-10s}"
# Three JVMs share the cores while their JITs warm up: give them as long as one node had, each.
warmup="${WARMUP:-15s}"
cluster_warmup="${CLUSTER_WARMUP:-30s}"
connections="${CONNECTIONS:-48}"
base_port="${PORT:-18281}"
base_cluster_port="${CLUSTER_PORT:-15801}"
command -v wrk >/dev/null || { echo "cluster.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
pin_node=""; pin_wrk=""
[ -n "${NODE_CPUS:-}" ] && pin_node="taskset -c $NODE_CPUS"
[ -n "${WRK_CPUS:-}" ] && pin_wrk="taskset -c $WRK_CPUS"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -DskipTests -pl pdp-server -am package)
fi

# What Hazelcast asks of Java 17 (the ./verdict launcher passes the same).
hz_flags="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
 --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
 --add-opens java.management/sun.management=ALL-UNNAMED
 --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
work="$(mktemp -d)"
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop; rm -rf "$work"' EXIT

start() { # port [cluster args...]
  local port=$1; shift
  # shellcheck disable=SC2086
  $pin_node java ${VERDICT_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} $hz_flags -jar "$jar" serve \
    --policies "$policies" --port "$port" --decision-log off "$@" >/dev/null 2>"$work/node-$port.err" &
  pids+=($!)
}

ready() { # port...
  for port in "$@"; do
    for _ in $(seq 1 600); do
      curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && continue 2
      sleep 0.2
    done
    echo "cluster.sh: the node on $port did not become ready:" >&2; cat "$work/node-$port.err" >&2; exit 1
  done
}

load() { # seconds-or-duration port... : one wrk per port, connections split; prints the summed rate
  local d=$1; shift
  local per=$(( connections / $# )); [ "$per" -lt 1 ] && per=1
  local outs=()
  for port in "$@"; do
    # shellcheck disable=SC2086
    $pin_wrk wrk -t1 -c"$per" -d"$d" -s "$here/authzen-evaluation.lua" \
      "http://127.0.0.1:$port/access/v1/evaluation" >"$work/wrk-$port.out" 2>&1 &
    outs+=($!)
  done
  for p in "${outs[@]}"; do wait "$p"; done
  local total=0
  for port in "$@"; do
    if grep -q 'Non-2xx' "$work/wrk-$port.out"; then
      echo "cluster.sh: non-2xx answers from $port:" >&2; cat "$work/wrk-$port.out" >&2; exit 1
    fi
    total=$(awk -v t="$total" '/Requests\/sec/ {printf "%.0f", t + $2}' "$work/wrk-$port.out")
  done
  echo "$total"
}

# One node alone.
start "$base_port"
ready "$base_port"
load "$warmup" "$base_port" >/dev/null # warm the JIT
one=$(load "$duration" "$base_port")
stop
echo "one node:    $one evaluations/s ($connections connections)"

# Three nodes, one cluster.
ports=("$((base_port + 1))" "$((base_port + 2))" "$((base_port + 3))")
members="127.0.0.1:$base_cluster_port,127.0.0.1:$((base_cluster_port + 1)),127.0.0.1:$((base_cluster_port + 2))"
name="bench-$$"
for i in 0 1 2; do
  VERDICT_CLUSTER_JOIN_WAIT_SECONDS=1 start "${ports[$i]}" --cluster-name "$name" \
    --cluster-port "$((base_cluster_port + i))" --cluster-members "$members" ${NODE_ARGS:-}
done
ready "${ports[@]}"
members_seen=$(curl -s "http://127.0.0.1:${ports[0]}/v1/cluster" | grep -o '"address"' | wc -l)
[ "$members_seen" -eq 3 ] || { echo "cluster.sh: the nodes formed no cluster of 3 ($members_seen)" >&2; exit 1; }
load "$cluster_warmup" "${ports[@]}" >/dev/null
three=$(load "$duration" "${ports[@]}")
stop
echo "three nodes: $three evaluations/s ($connections connections over 3 ports)"
awk -v a="$three" -v b="$one" 'BEGIN {printf "ratio:       %.0f%% of one node (target: at least 90%%)\n", 100 * a / b}'
