#!/usr/bin/env bash
# Ingest throughput and peak memory on generated corpus documents (~2 KB each).
# Usage: scripts/bench-ingest.sh [DOCS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-100000}"
cargo build --release --locked -p strikewatch
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v target/release/strikewatch bench ingest --docs "$docs" 2>&1 |
        grep -E 'documents|ingest:|Maximum resident|Elapsed' 
else
    target/release/strikewatch bench ingest --docs "$docs"
fi
