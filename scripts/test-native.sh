#!/usr/bin/env bash
# The native Rust tests, run by `npm test` and `npm run test:unit`: `cargo test` with every
# feature (the default), then once more with the features of each wasm file the package
# ships (scripts/lib/wasm-files.sh). Each file leaves out jobs only the other runtime
# family needs (Firefox/Safari stacks, Node-style frames, a `scrub` object), so the tests
# of those jobs are gated on their feature and the rest must hold in every build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/lib/wasm-files.sh

echo "cargo test (every feature)"
cargo test --quiet
for f in "${wasm_files[@]}"; do
  echo "cargo test (the features of ${f%%|*}.wasm: ${f#*|})"
  cargo test --quiet --no-default-features --features "${f#*|}"
done
