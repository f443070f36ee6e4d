#!/usr/bin/env bash
# Live capture, end to end, on this machine only: serves pages made from the
# bundled sample corpus and an RSS feed of them on 127.0.0.1, watches the feed
# once, then edits one page and deletes another and captures them again, so
# versions and a gone page show in the output and the database.
#
#   scripts/capture-demo.sh [DB]        (default: capture-demo.db)
#   then: strikewatch --db capture-demo.db serve
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-capture-demo.db}"
bin="${STRIKEWATCH:-target/debug/strikewatch}"
[ -x "$bin" ] || cargo build -p strikewatch
work="$(mktemp -d)"
port="${PORT:-18940}"
base="http://127.0.0.1:$port"
python3 - "$work" "$base" <<'PY'
import json, sys, html
work, base = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in open("examples/corpus/docs.jsonl")][:8]
items = []
for i, d in enumerate(docs):
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in d["text"].split("\n\n"))
    page = (f"<!doctype html><html lang='{d.get('language', 'en')}'><head>"
            f"<title>{html.escape(d.get('title') or f'Report {i}')}</title>"
            f"<meta property='article:published_time' content='{d.get('published_at', '')}'>"
            f"</head><body><article>{paras}</article></body></html>")
    open(f"{work}/{i}.html", "w").write(page)
    items.append(f"<item><title>Report {i}</title><link>{base}/{i}.html</link></item>")
open(f"{work}/feed.xml", "w").write(
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Fixture releases</title>"
    + "".join(items) + "</channel></rss>")
open(f"{work}/sources.toml", "w").write(
    "# Fixture sources for scripts/capture-demo.sh (served on 127.0.0.1)\n"
    f"[[source]]\nname = \"fixture releases\"\nurl = \"{base}/feed.xml\"\nkind = \"official\"\ninterval = \"1m\"\n")
PY
(cd "$work" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
echo "== watch --once: the feed and its entries"
"$bin" --db "$db" watch --sources "$work/sources.toml" --once --allow-private --delay 0 -v
echo "== one page edited, one deleted; captured again"
sed -i 's/<\/article>/<p>Update: the command later said one person survived.<\/p><\/article>/' "$work/0.html"
rm "$work/1.html"
"$bin" --db "$db" capture --allow-private --delay 0 "$base/0.html" "$base/1.html" || true
echo "== done: $bin --db $db serve   (or: $bin --db $db export --format warc capture.warc)"
