#!/usr/bin/env bash
# `npm run test:unit`: the fast loop, for changes that need no real browser, server or
# framework. First the native Rust tests and the shim compiled to target/unit-dist and
# tested against a fake core (tests/shim-unit.test.mjs; the glue is stood in for by
# tests/helpers/fake-glue.mjs, the enums are js/core/enums.ts as compiled): no wasm
# build at all. Then, against the real wasm in dist/ (rebuilt only when a source is newer
# than it), the Node suites that run in this process alone: the shim, the pipeline, PII
# options, request instrumentation, delivery against the local fault server, oxeye/nextjs
# without Next, the packed package and the size budget. Events are still checked with
# sentry-relay's normaliser (a Python venv, set up once). No Chromium, Bugsink, Next.js,
# workerd or 10,000-event load: `npm test` runs those and everything here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --silent

echo "test:unit: native core (scripts/test-native.sh)"
bash scripts/test-native.sh

echo "test:unit: the shim against a fake core"
rm -rf target/unit-dist
node_modules/.bin/tsc -p tsconfig.json --outDir target/unit-dist
node tests/helpers/fake-glue.mjs target/unit-dist/core/core.js
OXEYE_UNIT_DIST=target/unit-dist node --test tests/shim-unit.test.mjs tests/queue-unit.test.mjs tests/browser-load-unit.test.mjs tests/normalize-unit.test.mjs tests/sessions-unit.test.mjs tests/user-agent-unit.test.mjs tests/environment-unit.test.mjs tests/options-unit.test.mjs tests/scrub-check-unit.test.mjs

# Every wasm file (the browsers' two and the servers'); one missing or older than a source
# means a build.
stale=
for built in dist/core/wasm/oxeye_bg.wasm dist/core/wasm/oxeye_rules_bg.wasm dist/core/wasm/oxeye_server_bg.wasm; do
  if [ ! -f "$built" ] || [ -n "$(find src js Cargo.toml Cargo.lock tsconfig.json package.json -newer "$built" -print -quit 2>/dev/null)" ]; then stale=1; fi
done
if [ -n "$stale" ]; then bash scripts/build.sh; fi
bash scripts/ensure-python.sh

echo "test:unit: node --test (the real core, no real parts)"
node --test --test-concurrency=1 \
  tests/boundary-enums.test.mjs tests/shim.test.mjs tests/pipeline.test.mjs tests/pii-options.test.mjs tests/instrument.test.mjs \
  tests/delivery.test.mjs tests/nextjs.test.mjs tests/packaging.test.mjs tests/size-budget.test.mjs tests/runtime-wasm.test.mjs tests/readme-figures.test.mjs
