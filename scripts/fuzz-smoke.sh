#!/usr/bin/env bash
# A short fuzz run for the suite: every target of fuzz/ for FUZZ_SECONDS (default 3) each,
# one at a time with a fixed seed (the same inputs on every run, so a pass is
# reproducible), when `cargo +nightly fuzz` is installed; new inputs go to a scratch
# directory, so the committed corpora stay as they are (a crash lands in fuzz/artifacts/
# and fails the run). Without cargo-fuzz the corpora are still replayed through the same
# property checks by `cargo test --test fuzz_corpus`, which runs in either case.
# Long runs: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-3}"

if cargo +nightly fuzz --version >/dev/null 2>&1; then
  targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -vx oxeye-fuzz)
  nice -n 10 cargo +nightly fuzz build --fuzz-dir fuzz -O
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  for t in $targets; do
    mkdir -p "$scratch/$t"
    echo "fuzz-smoke: $t for ${seconds}s"
    if ! nice -n 10 cargo +nightly fuzz run --fuzz-dir fuzz -O "$t" "$scratch/$t" "fuzz/corpus/$t" -- -seed=1 \
      -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1536 -print_final_stats=1 >"$scratch/$t.log" 2>&1; then
      tail -n 40 "$scratch/$t.log"
      echo "fuzz-smoke: $t failed; the input is in fuzz/artifacts/$t/" >&2
      exit 1
    fi
    grep -E 'stat::number_of_executed_units' "$scratch/$t.log" || true
  done
else
  echo "fuzz-smoke: cargo +nightly fuzz is not installed; replaying the corpora only"
fi
cargo test --quiet --test fuzz_corpus
