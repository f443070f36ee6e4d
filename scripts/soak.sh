#!/usr/bin/env bash
# Soak test of `serve` on loopback: readers at a steady rate, measured alone and
# then beside 300 slow clients, expensive searches, document views and posts with
# and without a token, over a real SQLite store holding the demo corpus and one
# long document. Passes when the readers' p99 under load stays within twice the
# idle p99 and no reader request fails.
# Usage: scripts/soak.sh [SECONDS]   (time under load, default 300, in rounds of
# a minute, each after a fifth as long of readers alone, at least 10 s).
# Everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked -p strikewatch
cargo build --release --locked -p strikewatch-web --example soak
bin="$target/release/strikewatch"

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# One long document (about 1.5 MB) beside the demo corpus: searches snippet it
# and the viewer renders it whole.
sentence="Officials said the vessel was seen in the area before the strike, and the boat carried no flag. "
long="$(for _ in $(seq 1 16000); do printf '%s' "$sentence"; done)"
printf '{"id":"soak-long","url":"https://example.org/soak/long","title":"A long transcript","published_at":"2025-10-01","language":"en","text":"%s"}\n' "$long" > "$work/long.jsonl"
"$bin" --db "$work/soak.db" ingest examples/corpus "$work/long.jsonl" >/dev/null
token="$("$bin" --db "$work/soak.db" token create soak 2>/dev/null)"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
addr="127.0.0.1:$port"
"$bin" --db "$work/soak.db" serve --writes --addr "$addr" >"$work/serve.log" 2>&1 &
server=$!

# The soak bounds itself; the timeout is a second guard.
SOAK_BIG_DOCUMENT=soak-long timeout "$((seconds + 180))" \
    "$target/release/examples/soak" "$addr" "$seconds" "$token"
