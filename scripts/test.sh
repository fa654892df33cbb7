#!/usr/bin/env bash
# `npm test`: builds everything, installs the real parts the suite runs against (Python
# venvs for Bugsink and sentry-relay, Debian's Chromium, the Next.js test app's npm
# packages), then runs the native Rust tests and the Node test suite (shim, Chromium, Node,
# workerd and Next.js deliveries into Bugsink).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/build.sh
bash scripts/ensure-python.sh
bash scripts/ensure-chromium.sh
node scripts/lib/next-app.mjs

echo "test: native core (scripts/test-native.sh)"
bash scripts/test-native.sh

echo "test: fuzz smoke (fuzz/README.md)"
bash scripts/fuzz-smoke.sh

echo "test: node --test"
node --test --test-concurrency=1 tests/*.test.mjs
