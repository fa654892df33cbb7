#!/usr/bin/env bash
# `npm run demo [-- --headless]`: builds oxeye, starts the local Bugsink (data kept in
# .data/bugsink), serves the demo page and, with --headless, drives it in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/ensure-python.sh
if [[ " $* " == *" --headless "* ]]; then bash scripts/ensure-chromium.sh; fi
exec node scripts/demo.mjs "$@"
