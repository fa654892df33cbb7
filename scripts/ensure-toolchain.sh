#!/usr/bin/env bash
# Installs what building oxeye needs, each step skipped when already done:
# the wasm32 Rust target and the npm dev dependencies (reinstalled when package-lock.json
# changes; they include binaryen's wasm-opt and TypeScript). The core's JavaScript
# boundary is hand-written (src/bindings.rs, js/core/core.ts): no binding generator.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

stamp=node_modules/.oxeye-lock-stamp
lockhash=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  echo "setup: installing npm dev dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  lockhash=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
  echo "$lockhash" > "$stamp"
fi
