#!/usr/bin/env bash
# `npm run test:unit`: the fast loop, with no wasm build, Chromium, Bugsink or Next.js:
# the native Rust tests, then the shim compiled to target/unit-dist and tested against a
# fake core (tests/shim-unit.test.mjs). The glue is stood in for by enums generated from
# the committed boundary declaration (tests/helpers/fake-glue.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --silent

echo "test:unit: cargo test (native core)"
cargo test --quiet

echo "test:unit: the shim against a fake core"
rm -rf target/unit-dist
node_modules/.bin/tsc -p tsconfig.json --outDir target/unit-dist
node tests/helpers/fake-glue.mjs target/unit-dist/core/core.js
OXEYE_UNIT_DIST=target/unit-dist node --test tests/shim-unit.test.mjs
