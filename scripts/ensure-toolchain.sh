#!/usr/bin/env bash
# Installs what building oxeye needs, each step skipped when already done:
# the wasm32 Rust target, wasm-bindgen-cli at the exact version Cargo.lock pins, and
# the npm dev dependencies (reinstalled when package-lock.json changes).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -f Cargo.lock ]; then cargo generate-lockfile -q; fi
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  echo "setup: installing wasm-bindgen-cli $want (was: ${have:-none}); this builds from source, a few minutes"
  cargo install wasm-bindgen-cli --version "$want" --force || cargo install wasm-bindgen-cli --version "$want" --force --locked
fi

stamp=node_modules/.oxeye-lock-stamp
lockhash=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  echo "setup: installing npm dev dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  lockhash=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
  echo "$lockhash" > "$stamp"
fi
