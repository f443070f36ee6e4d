#!/usr/bin/env bash
# Serving at 64 connections: every public measure of the performance notes
# on one served ledger, one wrk run each, plus the server's peak resident
# memory. Usage: scripts/bench-load.sh DB [SECONDS] [CONNECTIONS]
#   DB: a strikewatch database (strikewatch ingest of a generated corpus).
# Needs wrk (apt). Prints one table row per measure.
set -euo pipefail
cd "$(dirname "$0")/.."
db="$1"; secs="${2:-10}"; conns="${3:-64}"
bin="${STRIKEWATCH_BIN:-target/release/strikewatch}"
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')"
"$bin" --db "$db" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 600); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
# The search index catches up after start: wait for it.
curl -fs --max-time 600 "$base/search.json?q=strike" >/dev/null
# Words of the index for searches not asked before: those of a few documents.
words="$(curl -fs "$base/search.json?q=strike&kind=document&per_page=20" | python3 -c '
import json, re, sys, urllib.request
base = sys.argv[1]
seen = []
for h in json.load(sys.stdin)["hits"]:
    doc = json.load(urllib.request.urlopen(base + "/documents/" + h["document_id"] + ".json"))
    for w in re.findall(r"[a-z]{4,}", doc["document"]["text"].lower()):
        if w not in seen:
            seen.append(w)
print(" ".join(seen[:300]))' "$base")"
export WORDS="$words"
total="$(curl -fs "$base/statements.json?per_page=1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["total"])')"
deep=$(( total / 50 / 2 + 1 ))
# The same deep page by cursor: the next_cursor of the page before it.
cursor="$(curl -fs --max-time 600 "$base/statements.json?page=$(( deep - 1 ))" | python3 -c 'import json,sys;print(json.load(sys.stdin)["next_cursor"] or "")')"
measure() { # name url [wrk args]
    local name="$1" url="$2" out rps p50 p99 errors
    shift 2
    out="$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency "$@" "$url" 2>&1)"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
    p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    errors="$(awk '/Socket errors|Non-2xx/ {printf "%s ", $0}' <<<"$out")"
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${errors:-none}"
}
echo "wrk -t2 -c$conns -d${secs}s; $total statements"
echo "| measure | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
measure "/incidents.json" "$base/incidents.json"
measure "/statements.json" "$base/statements.json"
measure "/statements.json?page=$deep" "$base/statements.json?page=$deep"
measure "/statements.json?page=$deep by cursor" "$base/statements.json?page=$deep&cursor=$cursor"
measure "/search.json?q=the" "$base/search.json?q=the"
measure "/search.json, a search not asked before each time" "$base" -s scripts/search-words.lua
measure "/ (overview)" "$base/"
measure "/timeline" "$base/timeline"
measure "/map" "$base/map"
echo "server peak resident memory: $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
