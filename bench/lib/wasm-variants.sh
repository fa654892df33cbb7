#!/usr/bin/env bash
# Weighs the core's wasm built for each runtime family (the three shipped ones: browsers',
# browsers' with the `scrub` object, servers'; and a browser one without wasm images) against one wasm for all (the
# default features): each variant is built exactly as scripts/build.sh builds the shipped
# wasm (same toolchain, RUSTFLAGS, build-std and wasm-opt passes), with only the cargo
# features changed (Cargo.toml; `OXEYE_WASM_FEATURES`). Prints a Markdown table of raw and
# `gzip -9 -n` bytes and the difference to the full wasm. Leaves dist/ alone; the variants
# stay in target/wasm-variants/, and target/wasm/ holds the shipped three again at the end.
#
#   bash bench/lib/wasm-variants.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

# name|features (`default`: everything)|what it leaves out
variants=(
  "browser (oxeye_bg.wasm)|runtime-browser,wasm-images|request-mode session aggregates (recordRequestSession, takeSessionAggregates), the \`scrub\` object"
  "browser with the scrub object (oxeye_rules_bg.wasm)|runtime-browser,wasm-images,scrub-rules|request-mode session aggregates"
  "browser, no wasm images|runtime-browser|as browser, and debug_meta images of the app's wasm modules"
  "servers: Node, edge, Workers (oxeye_server_bg.wasm)|runtime-server,wasm-images,scrub-rules|page-view sessions (startSession, endSession, takeSessionEnvelope), Firefox/Safari stack formats"
  "full|default||"
)

mkdir -p target/wasm-variants
rows=()
full_raw=0
full_gz=0
for v in "${variants[@]}"; do
  IFS='|' read -r name features leaves <<<"$v"
  OXEYE_WASM_ONLY=1 OXEYE_WASM_FEATURES="$features" nice -n 10 bash scripts/build.sh >&2
  file="target/wasm-variants/$(echo "$name" | tr -c 'a-z0-9\n' '-').wasm"
  cp target/wasm/oxeye_bg.wasm "$file"
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -n -c "$file" | wc -c)
  if [ "$features" = default ]; then full_raw=$raw full_gz=$gz; fi
  rows+=("$name|$features|$raw|$gz|$leaves")
done
# The shipped three back in target/wasm/.
OXEYE_WASM_ONLY=1 nice -n 10 bash scripts/build.sh >&2

echo "| wasm | cargo features | raw B | gzip -9 B | Δ raw | Δ gzip | leaves out |"
echo "|---|---|--:|--:|--:|--:|---|"
for r in "${rows[@]}"; do
  IFS='|' read -r name features raw gz leaves <<<"$r"
  echo "| $name | \`$features\` | $raw | $gz | $((raw - full_raw)) | $((gz - full_gz)) | ${leaves:-nothing} |"
done
echo
echo "toolchain: $(cat target/oxeye-wasm-build.json)"
