#!/usr/bin/env bash
# Serving benchmark: strikewatch against Datasette serving the same ledger
# (the SQLite export, plus the corpus's documents with Datasette's own FTS5
# search), both on loopback, measured with wrk in one run.
# Usage: scripts/bench-serve.sh DB CORPUS.jsonl [SECONDS] [CONNECTIONS]
#   DB: a strikewatch database built from CORPUS.jsonl (strikewatch ingest).
# Needs wrk (apt) and datasette (pip). Prints one table row per measure.
set -euo pipefail
cd "$(dirname "$0")/.."
db="$1"; corpus="$2"; secs="${3:-10}"; conns="${4:-64}"
bin="${STRIKEWATCH_BIN:-target/release/strikewatch}"
work="$(mktemp -d)"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap stop EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }
wait_up() { python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=5); break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("not up: " + sys.argv[1])
PY
}

"$bin" --db "$db" export --format sqlite "$work/ledger.db" >/dev/null
python3 - "$work/ledger.db" "$corpus" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT, published TEXT, language TEXT, text TEXT)")
with open(sys.argv[2], encoding="utf-8") as f:
    rows = ((d.get("id"), d.get("title"), d.get("published_at"), d.get("language"), d.get("text"))
            for d in map(json.loads, f))
    db.executemany("INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?)", rows)
db.execute("CREATE VIRTUAL TABLE documents_fts USING fts5 (title, text, content='documents')")
db.execute("INSERT INTO documents_fts (rowid, title, text) SELECT rowid, title, text FROM documents")
db.execute("CREATE INDEX incidents_region ON incidents (region)")
db.commit()
PY

sw_port="$(free_port)"; ds_port="$(free_port)"
"$bin" --db "$db" serve --addr "127.0.0.1:$sw_port" >"$work/sw.log" 2>&1 & pids+=($!)
datasette serve -i "$work/ledger.db" -h 127.0.0.1 -p "$ds_port" \
    --setting sql_time_limit_ms 20000 --setting num_sql_threads 2 >"$work/ds.log" 2>&1 & pids+=($!)
sw="http://127.0.0.1:$sw_port"; ds="http://127.0.0.1:$ds_port"
wait_up "$sw/healthz"; wait_up "$ds/-/versions.json"
# The search index catches up in the background after start: wait for it.
wait_up "$sw/search.json?q=caribbean"
incident="$(python3 -c "import json,urllib.request;print(json.load(urllib.request.urlopen('$sw/incidents.json?per_page=1'))['incidents'][0]['id'])")"

measure() { # name url
    local out rps p50 p99 errors
    out="$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency "$2" 2>&1)"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
    p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    errors="$(awk '/Socket errors|Non-2xx/ {printf "%s ", $0}' <<<"$out")"
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-none}"
}
echo "wrk -t2 -c$conns -d${secs}s"
echo "| measure | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
measure "strikewatch listing /incidents.json" "$sw/incidents.json"
measure "Datasette listing /ledger/incidents.json" "$ds/ledger/incidents.json"
measure "strikewatch filtered ?region=caribbean" "$sw/incidents.json?region=caribbean"
measure "Datasette filtered ?region=caribbean" "$ds/ledger/incidents.json?region=caribbean"
measure "strikewatch incident /incidents/ID.json" "$sw/incidents/$incident.json"
measure "Datasette incident row /ledger/incidents/ID.json" "$ds/ledger/incidents/$incident.json"
measure "strikewatch search q=caribbean" "$sw/search.json?q=caribbean"
measure "Datasette search _search=caribbean" "$ds/ledger/documents.json?_search=caribbean"
measure "strikewatch overview /index.json" "$sw/index.json"
measure "strikewatch overview / (HTML)" "$sw/"
measure "strikewatch timeline /timeline" "$sw/timeline"
measure "strikewatch map /map" "$sw/map"
