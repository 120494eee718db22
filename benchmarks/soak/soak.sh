#!/usr/bin/env bash
# Soak: starts `verdict serve` with the launcher's JVM flags (256 MB heap) on 127.0.0.1 and a
# free port, runs the floods of issue 8 against it one after the other, and prints one table
# row per flood: answers and answer rate by status, /health/live latency during and after,
# RSS and heap after a full GC (jcmd). Bounded: each flood runs SECONDS (default 60), with at
# most 8 client threads, 200 stalled-body or 2,000 slow-header sockets. Local only.
#
#   benchmarks/soak/soak.sh [SECONDS] [FLOOD…]      floods: numbers bigkeys methods bodies headers
#
# A server that exits during a flood (e.g. -XX:+ExitOnOutOfMemoryError) is reported as gone
# and started again for the next flood.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-60}"
shift || true
floods=("$@")
[ ${#floods[@]} -eq 0 ] && floods=(numbers bigkeys methods bodies headers)
work="$(mktemp -d)"
trap 'stop_server; rm -rf "$work"' EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pid=""
start_server() {
  local p; p="$(port)"
  (cd "$root" && exec ./verdict serve --host 127.0.0.1 --port "$p" --decision-log off \
      --policies policies/banking >"$work/server.out" 2>"$work/server.err") &
  pid=$!
  for _ in $(seq 1 1500); do
    grep -q "listening on" "$work/server.err" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 2; }
    sleep 0.2
  done
  PORT="$p"
}

stop_server() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  fi
  pid=""
}

echo "soak: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), ${seconds}s per flood"
for f in "${floods[@]}"; do
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    start_server
  fi
  echo "== $f (server pid $pid, port $PORT)"
  java "$root/benchmarks/soak/Soak.java" "$PORT" "$pid" "$seconds" "$f"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "   the server exited during '$f'; its last stderr lines:"
    tail -n 3 "$work/server.err" | sed 's/^/   /'
    pid=""
  fi
done
echo "soak: done, load $(cut -d' ' -f1-3 /proc/loadavg)"
