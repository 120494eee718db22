#!/usr/bin/env bash
# AuthZEN resource search over 100,000 accounts (issue 14): the banking set with a generated
# data file of 100,000 accounts, 1 in 100 owned by alice, served by the server jar; wrk asks
# POST /access/v1/search/resource for alice's readable accounts, first page of 100 (the server
# plans, then runs the filter over the stored accounts in id order until the page is full: about
# 10,000 accounts looked at). Prints requests/s, p50/p99 and the server's CPU per request.
# Needs wrk and python3; loopback only. Target: p99 < 50 ms for the first page of 100.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/pdp-server/target/verdict.jar"
port="${PORT:-18283}"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-16}"
pin=""
[ -n "${WRK_CPUS:-}" ] && pin="taskset -c $WRK_CPUS"
command -v wrk >/dev/null || { echo "search.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl pdp-server -am package)

work="$(mktemp -d)"
set_dir="$work/banking"
mkdir -p "$set_dir"
cp "$root"/policies/banking/*.verdict "$root/policies/banking/regions.entities.json" "$set_dir/"
rm -f "$set_dir"/*_tests.verdict "$set_dir"/accounts.entities.json
# Data files are at most 2 MB each (V0101): 20 files of 5,000 accounts.
python3 - "$set_dir" <<'PY'
import json, sys
for part in range(20):
    with open("%s/accounts-%02d.entities.json" % (sys.argv[1], part), "w") as f:
        f.write("[\n")
        for i in range(part * 5000, (part + 1) * 5000):
            owner = "alice" if i % 100 == 0 else "u%d" % i
            rec = {"uid": {"type": "Account", "id": "A-%06d" % i},
                   "attrs": {"owner": owner, "tenant": "bank1", "branch": "b-leeds", "balance": i % 5000,
                             "frozen": False, "number": "4000%012d" % i,
                             "holder": {"name": "H %d" % i, "email": "h%d@example.com" % i, "ssn": "000-00-0000"}},
                   "parents": [{"type": "Branch", "id": "b-leeds"}]}
            f.write(("," if i > part * 5000 else "") + json.dumps(rec) + "\n")
        f.write("]\n")
PY
cat >"$work/search.json" <<'JSON'
{"subject": {"type": "User", "id": "alice", "properties": {"roles": ["customer"], "tenant": "bank1"}},
 "action": {"name": "read"}, "resource": {"type": "Account"}, "page": {"limit": 100}}
JSON

# 100,000 accounts from data files hold about 230 MB of heap (jcmd GC.class_histogram): the
# launcher's 256 MB is too small for them.
java ${VERDICT_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC} -jar "$jar" serve --policies "$set_dir" \
  --port "$port" --decision-log off >/dev/null 2>"$work/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 0.2
done
page=$(curl -sf "http://127.0.0.1:$port/access/v1/search/resource" -H 'Content-Type: application/json' \
  --data-binary @"$work/search.json") || { echo "search.sh: the server did not answer:" >&2; cat "$work/err" >&2; exit 1; }
echo "first page: $(echo "$page" | python3 -c 'import json,sys; p=json.load(sys.stdin); print(len(p["results"]), "results, first", p["results"][0]["id"], ", next_token", "yes" if p["page"].get("next_token") else "no")')"
cat "$here/body-file.lua" "$here/report.lua" >"$work/script.lua"
# warm the JIT; not reported
BODY_FILE="$work/search.json" $pin wrk -t"$threads" -c"$connections" -d5s -s "$work/script.lua" \
  "http://127.0.0.1:$port/access/v1/search/resource" >/dev/null
t0=$(awk '{print $14+$15}' /proc/$pid/stat)
out=$(BODY_FILE="$work/search.json" $pin wrk -t"$threads" -c"$connections" -d"$duration" -s "$work/script.lua" \
  "http://127.0.0.1:$port/access/v1/search/resource" 2>/dev/null | grep RESULT)
t1=$(awk '{print $14+$15}' /proc/$pid/stat)
n=$(echo "$out" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
echo "$out" | sed "s|RESULT|search/resource first page c=$connections|; s| requests=[0-9]*||" | tr -d '\n'
echo " server_cpu_us_per_request=$(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / (n > 0 ? n : 1) ))"
echo "rss_kb=$(ps -o rss= -p $pid | tr -d ' ')"
