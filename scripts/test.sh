#!/usr/bin/env bash
# The whole test suite, as CI runs it: the Rust tests, then the browser suite
# against a real server on loopback over a real SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo test --workspace --locked

# The API contract: schemathesis against the served /openapi.json (fixed seed).
[ -x target/debug/strikewatch ] || cargo build --locked -p strikewatch
scripts/api-contract.sh target/debug/strikewatch

# The browser suite: the demo corpus plus a hostile document and a private one, ingested with the
# binary the tests just built (cargo test builds it for the CLI's integration
# tests; building it again with `cargo build` would recompile dependencies with
# other features), served on a free loopback port.
[ -x target/debug/strikewatch ] || cargo build --locked -p strikewatch
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin="target/debug/strikewatch"
"$bin" --db "$work/e2e.db" ingest examples/corpus e2e/fixtures/hostile.jsonl e2e/fixtures/private.jsonl
e2e/run.sh "$bin --db $work/e2e.db serve --addr {addr}"
