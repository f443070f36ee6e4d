#!/usr/bin/env bash
# Installs what the test suite needs beyond Rust: Debian's chromium for the browser
# suite and the suite's npm packages (playwright-core only; it never downloads a browser).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing Debian's chromium"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "setup: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium" >&2
        exit 1
    fi
fi
if ! command -v node >/dev/null 2>&1; then
    echo "setup: node is missing; install Node.js 20 or later" >&2
    exit 1
fi
if [ ! -d e2e/node_modules/playwright-core ]; then
    echo "setup: installing the browser suite's npm packages"
    (cd e2e && npm ci --no-audit --no-fund --silent)
fi
# schemathesis checks the API against its description (scripts/api-contract.sh).
SCHEMATHESIS_VERSION=4.32.5
if ! schemathesis --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    echo "setup: installing schemathesis $SCHEMATHESIS_VERSION"
    python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "schemathesis==$SCHEMATHESIS_VERSION"
fi
# warcio validates the WARC export in the capture tests (they skip the check without it).
if ! command -v warcio >/dev/null 2>&1; then
    echo "setup: installing warcio (WARC validator)"
    python3 -m pip install --quiet --disable-pip-version-check warcio 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages warcio \
        || echo "setup: warcio could not be installed; WARC validation will be skipped" >&2
fi
