#!/usr/bin/env bash
# `watch` over a feed of many entries, on this machine only: serves an RSS
# feed of N pages (each reporting one strike on its own day) on 127.0.0.1,
# runs `strikewatch watch --once` over it, and polls the database while it
# runs to see when each page's document first shows in the ledger. Prints
# the time from each page's capture to the ledger holding it (p50, p95,
# max), the run's wall time and the watch process's peak memory.
#
#   scripts/bench-watch.sh [ENTRIES]       (default 1000; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
entries="${1:-1000}"
bin="${STRIKEWATCH:-${CARGO_TARGET_DIR:-target}/release/strikewatch}"
[ -x "$bin" ] || cargo build --release -p strikewatch
work="$(mktemp -d)"
port="${PORT:-18941}"
base="http://127.0.0.1:$port"
python3 - "$work" "$base" "$entries" <<'PY'
import datetime, sys
work, base, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = datetime.date(2025, 9, 2)
items = []
for i in range(n):
    day = start + datetime.timedelta(days=i % 300)
    sea = "Caribbean" if i % 2 else "eastern Pacific"
    text = (f"On {day:%B} {day.day}, {day.year}, U.S. forces struck a vessel in the {sea}, "
            f"killing {i % 5 + 1} people aboard, Southern Command said in release number {i}.")
    open(f"{work}/{i}.html", "w").write(
        f"<!doctype html><html lang='en'><head><title>Release {i}</title>"
        f"<meta property='article:published_time' content='{day}T18:00:00Z'></head>"
        f"<body><article><p>{text}</p><p>No U.S. forces were harmed.</p></article></body></html>")
    items.append(f"<item><title>Release {i}</title><link>{base}/{i}.html</link></item>")
open(f"{work}/feed.xml", "w").write(
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Bench releases</title>"
    + "".join(items) + "</channel></rss>")
open(f"{work}/sources.toml", "w").write(
    f"[[source]]\nname = \"bench\"\nurl = \"{base}/feed.xml\"\nkind = \"official\"\ninterval = \"1h\"\n")
PY
(cd "$work" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
db="$work/bench.db"
"$bin" --db "$db" init >/dev/null
python3 - "$bin" "$db" "$work" <<'PY'
import datetime, sqlite3, subprocess, sys, time
bin, db, work = sys.argv[1:4]
proc = subprocess.Popen(
    ["/usr/bin/time", "-f", "%M", bin, "--db", db, "watch", "--sources", f"{work}/sources.toml",
     "--once", "--allow-private", "--delay", "0"],
    stdout=subprocess.DEVNULL, stderr=open(f"{work}/time.txt", "w"))
started = time.time()
first_in_ledger = {}
conn = sqlite3.connect(db, timeout=5)
while True:
    done = proc.poll() is not None
    now = time.time()
    try:
        for (url,) in conn.execute(
                "SELECT DISTINCT d.url FROM ledger_incident_documents l "
                "JOIN documents d ON d.id = l.document_id"):
            first_in_ledger.setdefault(url, now)
    except sqlite3.OperationalError:
        pass
    if done:
        break
    time.sleep(0.02)
wall = time.time() - started
captured = {}
for url, at in conn.execute(
        "SELECT url, MIN(started_at) FROM http_exchanges WHERE outcome = 'ok' GROUP BY url"):
    captured[url] = datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()
lags = sorted(first_in_ledger[u] - captured[u] for u in first_in_ledger if u in captured)
rss_kb = open(f"{work}/time.txt").read().strip().splitlines()[-1]
def q(p):
    return lags[min(len(lags) - 1, int(p * len(lags)))] if lags else float("nan")
print(f"watch --once over a feed of {len(captured) - 1} entries: {wall:.1f} s wall, "
      f"{len(lags)} documents in the ledger, peak RSS {int(rss_kb) / 1024:.0f} MB")
print(f"capture -> ledger: p50 {q(0.5):.2f} s, p95 {q(0.95):.2f} s, max {lags[-1] if lags else float('nan'):.2f} s "
      f"(polled every 20 ms; includes the time to fetch and store the page)")
PY
