#!/usr/bin/env bash
# The whole build: Rust core → wasm32 (size-optimised release) → wasm-opt → TypeScript
# → dist/. The boundary is hand-written on both sides (src/bindings.rs exports plain
# numeric functions; js/core/core.ts is the glue, compiled with the rest of js/), so no
# binding generator runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/ensure-toolchain.sh

# The core is built for size, as a cdylib only (the rlib of Cargo.toml is for tests). With a nightly toolchain the standard library is rebuilt
# with the same settings (`build-std`, `optimize_for_size`), panics compile to a bare trap
# (`-Cpanic=immediate-abort`) and panic locations are dropped: about 21% smaller wasm
# (BENCHMARKS.md, size log). Stable is the fallback and always works: it is used when
# nightly or its rust-src component is missing, when the nightly build fails, or when
# OXEYE_TOOLCHAIN=stable. Nightly builds go to their own target dir so switching
# toolchains rebuilds nothing needlessly.
NIGHTLY_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
# OXEYE_WASM_FEATURES (comma-separated cargo features) builds a wasm for one runtime
# family instead of the default one for all (Cargo.toml's features); OXEYE_WASM_ONLY=1
# stops after target/wasm/oxeye_bg.wasm and leaves dist/ alone. Both are for measuring
# (bench/lib/wasm-variants.sh).
features=()
if [ -n "${OXEYE_WASM_FEATURES:-}" ]; then features=(--no-default-features --features "$OXEYE_WASM_FEATURES"); fi
toolchain=stable
wasm=target/wasm32-unknown-unknown/release/oxeye.wasm
if [ "${OXEYE_TOOLCHAIN:-auto}" != stable ] && rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    echo "setup: adding rust-src to the nightly toolchain (for the size-optimised std)"
    rustup component add rust-src --toolchain nightly >/dev/null 2>&1 || true
  fi
  if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' &&
    RUSTFLAGS="$NIGHTLY_RUSTFLAGS" CARGO_TARGET_DIR=target/nightly-size \
      cargo +nightly rustc --quiet --lib --release --target wasm32-unknown-unknown --crate-type cdylib ${features[@]+"${features[@]}"} \
      -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size; then
    toolchain="nightly ($(rustup run nightly rustc --version | awk '{print $2, $4}' | tr -d ')'))"
    wasm=target/nightly-size/wasm32-unknown-unknown/release/oxeye.wasm
  else
    echo "build: the nightly size build is not available here; building with stable"
  fi
fi
if [ "$toolchain" = stable ]; then
  cargo rustc --quiet --lib --release --target wasm32-unknown-unknown --crate-type cdylib ${features[@]+"${features[@]}"}
  toolchain="stable ($(rustc --version | awk '{print $2}'))"
fi
mkdir -p target/wasm
# --flatten --rereloop rebuilds every function's control flow from scratch (about 1.7 KB
# raw, 0.9 KB gzip smaller after -Oz; the size log); --converge repeats -Oz until nothing
# shrinks; --gufa is a whole-program type flow pass, and the last -Oz cleans up after it.
# Exports are roots, so their names (the glue calls them) survive; the name, producers and
# target-feature sections are dropped.
node_modules/.bin/wasm-opt --flatten --rereloop -Oz --converge --gufa -Oz --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-reference-types --enable-multivalue --enable-sign-ext \
  --enable-mutable-globals --enable-nontrapping-float-to-int \
  "$wasm" -o target/wasm/oxeye_bg.wasm
printf '{"toolchain":"%s"}\n' "$toolchain" > target/oxeye-wasm-build.json
if [ "${OXEYE_WASM_ONLY:-}" = 1 ]; then
  echo "build: target/wasm/oxeye_bg.wasm ready (features: ${OXEYE_WASM_FEATURES:-default}; core built with ${toolchain})"
  exit 0
fi

# TypeScript → dist/ (the rooms of js/ become folders of dist/; js/core/core.ts is the
# glue, dist/core/core.js), and the wasm next to it in dist/core/wasm/.
rm -rf js/wasm dist
node_modules/.bin/tsc -p tsconfig.json
mkdir -p dist/core/wasm
cp target/wasm/oxeye_bg.wasm dist/core/wasm/
wasm_bytes=$(wc -c < dist/core/wasm/oxeye_bg.wasm)
wasm_gz=$(gzip -9 -c dist/core/wasm/oxeye_bg.wasm | wc -c)
echo "build: dist/ ready (wasm ${wasm_bytes} B, ${wasm_gz} B gzip; core built with ${toolchain})"
