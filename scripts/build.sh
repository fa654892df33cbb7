#!/usr/bin/env bash
# The whole build: Rust core → wasm32 (size-optimised release) → wasm-bindgen (web
# target, one glue for browsers, Node and workerd) → wasm-opt → TypeScript → dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/ensure-toolchain.sh

cargo build --quiet --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name oxeye target/wasm32-unknown-unknown/release/oxeye.wasm
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-reference-types --enable-multivalue --enable-sign-ext \
  --enable-mutable-globals --enable-nontrapping-float-to-int \
  pkg/oxeye_bg.wasm -o pkg/oxeye_bg.wasm

# The TypeScript sources import the glue as ./wasm/oxeye.js; give tsc its types.
rm -rf js/wasm dist
mkdir -p js/wasm dist/wasm
cp pkg/oxeye.d.ts js/wasm/
node_modules/.bin/tsc -p tsconfig.json
cp pkg/oxeye.js pkg/oxeye.d.ts pkg/oxeye_bg.wasm dist/wasm/
wasm_bytes=$(wc -c < dist/wasm/oxeye_bg.wasm)
wasm_gz=$(gzip -9 -c dist/wasm/oxeye_bg.wasm | wc -c)
echo "build: dist/ ready (wasm ${wasm_bytes} B, ${wasm_gz} B gzip)"
