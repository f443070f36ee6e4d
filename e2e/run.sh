#!/usr/bin/env bash
# Starts a strikewatch server on a free loopback port, waits for /healthz,
# runs the browser suite against it, and stops the server.
#
#   e2e/run.sh 'strikewatch demo --addr {addr}'
#   STRIKEWATCH_SERVER_CMD='strikewatch --db e2e.db serve --addr {addr}' e2e/run.sh
#
# `{addr}` in the command is replaced by 127.0.0.1:PORT; PORT is also exported.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-${STRIKEWATCH_SERVER_CMD:-}}"
if [ -z "$cmd" ]; then
  echo "usage: $0 'SERVER COMMAND with {addr}'   (or set STRIKEWATCH_SERVER_CMD)" >&2
  exit 2
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm install --no-audit --no-fund)
fi
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export PORT
addr="127.0.0.1:${PORT}"
log="$(mktemp)"
bash -c "${cmd//\{addr\}/$addr}" >"$log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT
export STRIKEWATCH_URL="http://${addr}"
for _ in $(seq 1 120); do
  if curl -fsS "$STRIKEWATCH_URL/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "server exited before it was ready:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$STRIKEWATCH_URL/healthz" >/dev/null || { echo "server not ready after 60 s" >&2; cat "$log" >&2; exit 1; }
echo "server ready at $STRIKEWATCH_URL"
cd "$here"
node --test --test-concurrency=1 tests/
echo "screenshots in $here/artifacts"
