#!/usr/bin/env bash
# Start-up and memory of `serve` as the container image runs it (docs/benchmarks.md, "Start-up and
# memory"): the unpacked distribution's ENTRYPOINT command line from its root, with -XX:MaxRAM
# standing in for the container's memory limit (the JVM sizes the heap from either the same way).
# Prints: time from process start to the first answered decision (and the server's CPU time until
# then, and its main thread's: the critical path of the start), RSS idle, and throughput and RSS (now and peak) under wrk, with the requests answered per
# CPU-second of the server (per_cpu_s): on a machine busy with other work, wall-clock throughput
# measures the neighbours, CPU spent per request much less so.
#   footprint.sh DIST POLICIES LUA [LIMIT]     e.g. footprint.sh /tmp/verdict-0.1.0 policies/banking banking.lua 256m
# EXTRA_OPTS adds JVM flags after the image's (e.g. EXTRA_OPTS=-Xmx256m for the old fixed heap);
# NO_CDS=1 starts without the class-data archive; WARMUP (e.g. 20s) runs wrk that long before the
# measured run (throughput of the compiled code rather than of the compiler); DURATION (15s), CONNECTIONS (64), THREADS (2), PORT (random).
set -euo pipefail
dist=$(cd "$1" && pwd)
policies=$(cd "$2" && pwd)
lua=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
limit=${4:-256m}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port=${PORT:-$((20000 + RANDOM % 10000))}
body=$(sed -n '/^wrk.body = \[\[/,/\]\]/p' "$lua" | sed -e 's/^wrk.body = \[\[//' -e 's/\]\]$//')
command -v wrk >/dev/null || { echo "footprint.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
log=$(mktemp -d)
cd "$dist"
start=$(date +%s%N)
# shellcheck disable=SC2086
cds=-XX:SharedArchiveFile=lib/verdict.jsa
[ -z "${NO_CDS:-}" ] || cds=-Xshare:auto
java @lib/serve.options -XX:MaxRAM="$limit" ${EXTRA_OPTS:-} "$cds" -jar lib/verdict.jar \
  serve --port "$port" --policies "$policies" --decision-log file --decision-log-file "$log/decisions.jsonl" \
  >/dev/null 2>"$log/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$log"' EXIT
# Asks every 5 ms from one process that never forks: a loop of curl and sleep forks two processes
# each round and took 34 ms of CPU per round (0.8 of a core), which on a two-core machine slowed
# the start it was measuring by a quarter (docs/benchmarks.md, "Sixth pass"). Perl is in every
# Debian and Ubuntu base system; its sockets module ships with it.
code=000
if perl -MIO::Socket::INET -e '
  my ($port, $pid, $body) = @ARGV;
  my $request = "POST /access/v1/evaluation HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    . "Content-Length: " . length($body) . "\r\nConnection: close\r\n\r\n" . $body;
  for (1 .. 12000) {
    exit 2 unless kill 0, $pid;
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp");
    if ($s) {
      print $s $request;
      my $status = <$s>;
      close $s;
      exit 0 if defined $status && $status =~ m{^HTTP/1\.[01] 200 };
    }
    select(undef, undef, undef, 0.005);
  }
  exit 1;' "$port" "$pid" "$body"; then
  code=200
else
  kill -0 $pid 2>/dev/null || { cat "$log/err" >&2; exit 1; }
fi
first=$(( ($(date +%s%N) - start) / 1000000 ))
# the CPU the JVM used (user + system, in ms): steadier than wall time on a busy machine
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' /proc/$pid/stat; }
cpu=$(cpu_ms)
# the main thread's share (the start's critical path; the launcher's thread and it are both named java)
main_cpu=$(for t in /proc/$pid/task/*; do
  [ "$(cat "$t/comm" 2>/dev/null)" != java ] || awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz)}' "$t/stat" || true
done | sort -n | tail -1)
[ "$code" = 200 ] || { echo "footprint.sh: no answer" >&2; exit 1; }
sleep 3
kill -0 $pid 2>/dev/null || { echo "footprint.sh: the server exited:" >&2; cat "$log/err" >&2; exit 1; }
idle=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
cat "$lua" "$here/report.lua" >"$log/run.lua"
if [ -n "${WARMUP:-}" ]; then
  wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d"$WARMUP" -s "$log/run.lua" "http://127.0.0.1:$port/access/v1/evaluation" >/dev/null 2>&1
fi
before=$(cpu_ms)
result=$(wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d"${DURATION:-15s}" -s "$log/run.lua" "http://127.0.0.1:$port/access/v1/evaluation" 2>/dev/null | grep RESULT)
spent=$(( $(cpu_ms) - before ))
requests=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$result")
rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
peak=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
heap=$(java @lib/serve.options -XX:MaxRAM="$limit" ${EXTRA_OPTS:-} -XX:+PrintFlagsFinal -version 2>/dev/null \
  | awk '/ MaxHeapSize / {print int($4/1048576)}')
echo "cds=$([ -z "${NO_CDS:-}" ] && echo on || echo off) limit=$limit heap=${heap}MiB first_answer=${first}ms cpu_to_first=${cpu}ms main_cpu_to_first=${main_cpu}ms idle_rss=${idle}MiB load_rss=${rss}MiB peak_rss=${peak}MiB ${result#RESULT } per_cpu_s=$(( requests * 1000 / (spent > 0 ? spent : 1) )) load=$(cut -d' ' -f1-3 /proc/loadavg)"
