#!/usr/bin/env bash
# The API contract: serves the demo corpus on a free loopback port with writes
# on and a test token, and runs schemathesis against its /openapi.json.
# Usage: scripts/api-contract.sh [BINARY]   (default target/debug/strikewatch)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/strikewatch}"
if ! command -v schemathesis >/dev/null 2>&1; then
    echo "api-contract: schemathesis is missing (scripts/setup.sh installs it)" >&2
    exit 1
fi
work="$(mktemp -d)"
server=""
stop() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap stop EXIT
"$bin" --db "$work/api.db" ingest examples/corpus >/dev/null
token="$("$bin" --db "$work/api.db" token create contract | grep -o 'sw_[0-9a-f]*' | head -1)"
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')"
"$bin" --db "$work/api.db" serve --addr "127.0.0.1:$port" --writes >"$work/serve.log" 2>&1 &
server=$!
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("api-contract: the server did not start")
PY
schemathesis --config-file scripts/schemathesis.toml run "http://127.0.0.1:$port/openapi.json" \
    --max-examples 15 --workers 1 --no-color \
    -H "Authorization: Bearer $token"
