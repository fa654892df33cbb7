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

# One wasm per runtime family (cargo features, Cargo.toml): `oxeye_bg.wasm` for browsers
# (page-view sessions, Firefox/Safari stacks) and `oxeye_server_bg.wasm`
# for Node, edge and Workers (request-mode session aggregates); each leaves out what the
# other family alone uses (bench/size-log/runtime-wasm.md). Browsers have a second build,
# `oxeye_rules_bg.wasm`, which also reads a `scrub` object (`scrub-rules`): a page fetches
# it only when a client sets one (bench/size-log/scrub-rules-wasm.md). All come from the
# same target dir, so the size-optimised std is built once; each further build recompiles
# only the oxeye crate. The list is scripts/lib/wasm-files.sh; `scripts/test-native.sh` runs
# `cargo test` with every feature and with each file's.
# OXEYE_WASM_FEATURES (comma-separated cargo features; "default" for everything) builds
# one wasm, target/wasm/oxeye_bg.wasm, with those features instead (in dist/ it then serves
# every runtime, under both names); OXEYE_WASM_ONLY=1 stops once the wasm files are in
# target/wasm/ and leaves dist/ alone. Both are for measuring (bench/lib/wasm-variants.sh).
source scripts/lib/wasm-files.sh
variants=("${wasm_files[@]}")
if [ -n "${OXEYE_WASM_FEATURES:-}" ]; then variants=("oxeye_bg|$OXEYE_WASM_FEATURES"); fi

# The cargo arguments that select a variant's features.
features_args() {
  if [ "$1" = default ]; then return; fi
  printf '%s\n' --no-default-features --features "$1"
}

# Builds the core with the nightly size settings (`nightly_core <features>`).
nightly_core() {
  local args
  mapfile -t args < <(features_args "$1")
  RUSTFLAGS="$NIGHTLY_RUSTFLAGS" CARGO_TARGET_DIR=target/nightly-size \
    cargo +nightly rustc --quiet --lib --release --target wasm32-unknown-unknown --crate-type cdylib ${args[@]+"${args[@]}"} \
    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
}

# Builds the core with stable (`stable_core <features>`).
stable_core() {
  local args
  mapfile -t args < <(features_args "$1")
  cargo rustc --quiet --lib --release --target wasm32-unknown-unknown --crate-type cdylib ${args[@]+"${args[@]}"}
}

mkdir -p target/wasm
# --flatten --rereloop rebuilds every function's control flow from scratch (about 1.7 KB
# raw, 0.9 KB gzip smaller after -Oz; the size log); --converge repeats -Oz until nothing
# shrinks; --gufa is a whole-program type flow pass, and the last -Oz cleans up after it.
# --low-memory-unused lets a constant added to an address become the load's or store's own
# offset (0.3 KB gzip): it assumes nothing reads the first 1 KiB of memory through an
# address that wrapped past 4 GiB, and the core's addresses never wrap (the stack runs down
# from 1 MiB and the data lies above it; bench/size-log/build-low-memory.md).
# Exports are roots, so their names (the glue calls them) survive; the name, producers and
# target-feature sections are dropped. (`optimize <in> <out>`)
optimize() {
  node_modules/.bin/wasm-opt --low-memory-unused --flatten --rereloop -Oz --converge --gufa -Oz --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-reference-types --enable-multivalue --enable-sign-ext \
    --enable-mutable-globals --enable-nontrapping-float-to-int \
    "$1" -o "$2"
}

# Every variant with one toolchain: nightly when it builds them all, else stable for all.
# A variant whose inputs (the core's sources, the toolchain, its features and the build
# steps above) are those of its last build is not built again: cargo keeps one fingerprint
# per crate whatever the features, so it would recompile the core for each variant.
# (`build_all <nightly|stable> <cargo output>`)
build_all() {
  local v name features key sources
  sources=$(find src Cargo.toml Cargo.lock -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
  for v in "${variants[@]}"; do
    IFS='|' read -r name features <<<"$v"
    key=$({ echo "$sources"
      rustup run "$1" rustc --version; echo "$features ${RUSTFLAGS:-} $NIGHTLY_RUSTFLAGS"
      declare -f "$1_core" optimize; } | sha256sum | cut -c1-16)
    if [ -f "target/wasm/$name.wasm" ] && [ "$(cat "target/wasm/$name.key" 2>/dev/null)" = "$key" ]; then continue; fi
    rm -f "target/wasm/$name.key"
    "$1_core" "$features" || return 1
    optimize "$2" "target/wasm/$name.wasm" || return 1
    echo "$key" > "target/wasm/$name.key"
  done
}

toolchain=stable
if [ "${OXEYE_TOOLCHAIN:-auto}" != stable ] && rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    echo "setup: adding rust-src to the nightly toolchain (for the size-optimised std)"
    rustup component add rust-src --toolchain nightly >/dev/null 2>&1 || true
  fi
  if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' &&
    build_all nightly target/nightly-size/wasm32-unknown-unknown/release/oxeye.wasm; then
    toolchain="nightly ($(rustup run nightly rustc --version | awk '{print $2, $4}' | tr -d ')'))"
  else
    echo "build: the nightly size build is not available here; building with stable"
  fi
fi
if [ "$toolchain" = stable ]; then
  build_all stable target/wasm32-unknown-unknown/release/oxeye.wasm
  toolchain="stable ($(rustc --version | awk '{print $2}'))"
fi
printf '{"toolchain":"%s"}\n' "$toolchain" > target/oxeye-wasm-build.json
names=()
for v in "${variants[@]}"; do names+=("target/wasm/${v%%|*}.wasm"); done
if [ "${OXEYE_WASM_ONLY:-}" = 1 ]; then
  echo "build: ${names[*]} ready (features: ${OXEYE_WASM_FEATURES:-per runtime}; core built with ${toolchain})"
  exit 0
fi

# TypeScript → dist/ (the rooms of js/ become folders of dist/; js/core/core.ts is the
# glue, dist/core/core.js), and the wasm next to it in dist/core/wasm/.
rm -rf js/wasm dist
node_modules/.bin/tsc -p tsconfig.json
node scripts/lib/doc-exports.mjs dist
mkdir -p dist/core/wasm
for f in "${names[@]}"; do
  cp "$f" dist/core/wasm/
  echo "build: dist/core/wasm/${f##*/} ($(wc -c < "$f") B, $(gzip -9 -n -c "$f" | wc -c) B gzip)"
done
# One wasm for measuring (OXEYE_WASM_FEATURES) serves every runtime.
if [ "${#names[@]}" = 1 ]; then
  for f in oxeye_rules_bg oxeye_server_bg; do cp dist/core/wasm/oxeye_bg.wasm "dist/core/wasm/$f.wasm"; done
fi
# The browsers' loader checks the files it fetches against these bytes.
node scripts/lib/stamp-integrity.mjs dist
echo "build: dist/ ready (core built with ${toolchain})"
