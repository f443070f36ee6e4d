#!/usr/bin/env bash
# The whole test suite, as CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
