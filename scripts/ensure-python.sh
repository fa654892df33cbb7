#!/usr/bin/env bash
# ensure-python.sh — owns the Python virtualenvs of the real-parts harness.
#
# One venv per requirements file scripts/python/requirements-<name>.txt, created
# at ${OXEYE_CACHE:-$HOME/.cache/oxeye}/venv-<name>. Each requirements file is a
# full pinned closure and is installed with --no-deps, so no resolver runs.
# A venv is rebuilt only when the sha256 of its requirements file differs from
# the stamp written inside it after a successful install: a second run is a
# few file reads. Concurrent runs serialise on a lock file per venv.
#
# Usage: scripts/ensure-python.sh [name ...]   (default: bugsink relay backend)
# (backend: sentry-sdk for the example backend scripts/python/backend.py)
# Prints one line per venv: "<name> <venv path> ready|installed in Ns".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${OXEYE_CACHE:-$HOME/.cache/oxeye}"
python="${PYTHON:-python3}"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(bugsink relay backend)

mkdir -p "$cache"
for name in "${names[@]}"; do
  req="$here/python/requirements-$name.txt"
  venv="$cache/venv-$name"
  stamp="$venv/.oxeye-requirements.sha256"
  [ -f "$req" ] || { echo "ensure-python: no requirements file $req" >&2; exit 1; }
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  current() { [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }
  if current; then echo "$name $venv ready"; continue; fi

  exec 9>"$cache/.venv-$name.lock"
  flock -w 600 9 || { echo "ensure-python: timed out waiting for $cache/.venv-$name.lock" >&2; exit 1; }
  if current; then echo "$name $venv ready"; exec 9>&-; continue; fi
  start=$SECONDS
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-input --no-deps -r "$req" >&2
  echo "$want" > "$stamp"
  exec 9>&-
  echo "$name $venv installed in $((SECONDS - start))s"
done
