#!/usr/bin/env bash
# The entity store's figures: starts the server jar (256 MiB heap) on the test policy set,
# imports N accounts (100,000 by default) into its store over /v1/entities/import and prints
#   - the bulk import rate (records/s, one NDJSON request),
#   - the store's memory per 100,000 records (heap used after a full GC, before and after),
#   - gateway checks per second (wrk) for an account read from the store and for one of the
#     same shape read from the set's data file, and their ratio (target: stored >= 0.9).
# Needs wrk and jcmd. The JWT and its key pair are made for the run (GatewayToken.java);
# nothing is kept. N, PORT, DURATION, THREADS and CONNECTIONS can be set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/pdp-server/target/verdict.jar"
n="${N:-100000}"
port="${PORT:-18281}"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-16}"
key="bench-data-key-0123456789"

for tool in wrk jcmd curl python3; do
  command -v "$tool" >/dev/null || { echo "entity-gateway.sh: $tool is missing" >&2; exit 2; }
done
[ -f "$jar" ] || (cd "$root" && mvn -B -q -o -DskipTests -pl pdp-server -am package)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/pdp-server/src/test/resources/policies/bank" "$work/policies"
# the data-file account; the stored one (s0) has the same shape
cat >"$work/policies/bench-accounts.entities.json" <<'JSON'
[{"uid": {"type": "Account", "id": "f0"}, "attrs": {"owner": "alice", "tenant": "t1", "ssn": "123-45-6789"},
  "parents": []}]
JSON
python3 - "$work/accounts.ndjson" "$n" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        owner = "alice" if i == 0 else "u%d" % i
        f.write(json.dumps({"uid": {"type": "Account", "id": "s%d" % i},
                            "attrs": {"owner": owner, "tenant": "t1", "ssn": "123-45-%04d" % (i % 10000)},
                            "parents": []}) + "\n")
PY
export VERDICT_TOKEN="$(java -cp "$jar" "$here/GatewayToken.java" "$work")"
hash="$(printf %s "$key" | java -jar "$jar" hash-key)"
cat >"$work/verdict.yaml" <<YAML
jwt:
  jwks-file: $work/jwks.json
  issuer: https://bench.verdict.invalid/
  audiences: [verdict-bench]
  attribute-claims: {tenant: tenant}
auth:
  api-keys:
    - name: bench
      hash: $hash
      scopes: [data, decide]
YAML
java ${VERDICT_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -jar "$jar" serve --policies "$work/policies" \
  --config "$work/verdict.yaml" --port "$port" --decision-log off >/dev/null 2>"$work/server.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 0.2
done

heap_used_kb() { # after a full GC
  jcmd "$pid" GC.run >/dev/null
  # the heap's generations ("total …K, used …K"), not the metaspace lines
  jcmd "$pid" GC.heap_info | awk '/total/ && /used/ {for (i = 1; i < NF; i++) if ($i == "used") {v = $(i+1);
    sub(/K,?$/, "", v); sum += v}} END {print sum + 0}'
}

before=$(heap_used_kb)
t0=$(date +%s%N)
curl -sf -X POST "http://127.0.0.1:$port/v1/entities/import" -H "X-API-Key: $key" \
  -H 'Content-Type: application/x-ndjson' --data-binary @"$work/accounts.ndjson" >"$work/import.json"
t1=$(date +%s%N)
after=$(heap_used_kb)
loaded=$(sed -n 's/.*"loaded":\([0-9]*\).*/\1/p' "$work/import.json")
echo "import: loaded=$loaded records in $(( (t1 - t0) / 1000000 )) ms, rate=$(( loaded * 1000000000 / (t1 - t0) )) records/s"
echo "store: heap_per_100000_records_mb=$(( (after - before) * 100000 / loaded / 1024 ))" \
  "bound_counted_bytes=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^verdict_entity_store_bytes/ {print $2}')"

check() { # account id -> requests/s
  cat >"$work/check.lua" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("VERDICT_TOKEN")
wrk.headers["X-API-Key"] = "$key"
wrk.headers["X-Original-Method"] = "GET"
wrk.headers["X-Original-URI"] = "/accounts/$1"
LUA
  wrk -t"$threads" -c"$connections" -d"$2" -s "$work/check.lua" "http://127.0.0.1:$port/v1/gateway/check" \
    | awk '/Requests\/sec/ {print $2}'
}
code() {
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/gateway/check" -H "X-API-Key: $key" \
    -H "Authorization: Bearer $VERDICT_TOKEN" -H 'X-Original-Method: GET' -H "X-Original-URI: /accounts/$1"
}
echo "allowed: stored=$(code s0) in_file=$(code f0) (both 200, or the figures mean nothing)"
# warm both paths, then alternate twice so that a change of load hits both alike
check s0 5s >/dev/null
check f0 5s >/dev/null
s1=$(check s0 "$duration"); f1=$(check f0 "$duration"); s2=$(check s0 "$duration"); f2=$(check f0 "$duration")
python3 - "$s1" "$s2" "$f1" "$f2" <<'PY'
import sys
s = (float(sys.argv[1]) + float(sys.argv[2])) / 2
f = (float(sys.argv[3]) + float(sys.argv[4])) / 2
print("gateway check: stored=%.0f/s in_file=%.0f/s ratio=%.3f" % (s, f, s / f))
PY
