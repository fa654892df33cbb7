#!/usr/bin/env bash
# `npm run bench`: builds oxeye, installs what the benchmarks need (Debian's brotli, the
# pinned peers in bench/node_modules, Chromium, the sentry-relay venv on first use), then
# runs bench/run.mjs, which writes bench/results/<name>.json, BENCHMARKS.md and the chart.
# Arguments are passed on (e.g. `npm run bench -- --quick`, `-- --report-only`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ "${1:-}" != "--report-only" ]; then
  if ! command -v brotli >/dev/null 2>&1; then
    echo "bench: installing Debian's brotli (to weigh bundles)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -q -o DPkg::Lock::Timeout=600 brotli >/dev/null 2>&1 ||
      { $sudo apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null && $sudo apt-get install -y -q -o DPkg::Lock::Timeout=600 brotli >/dev/null; } ||
      echo "bench: brotli could not be installed; the brotli column stays empty"
  fi
  bash scripts/build.sh
  bash scripts/ensure-chromium.sh
fi

# The peers live in bench/ with their own lockfile, reinstalled when it changes.
stamp=bench/node_modules/.oxeye-bench-stamp
want=$(sha256sum bench/package.json bench/package-lock.json | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bench: installing the pinned peers into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
# The bench bundles import oxeye by name, through its package exports, as an app does.
ln -sfn ../.. bench/node_modules/oxeye

node bench/run.mjs "$@"
