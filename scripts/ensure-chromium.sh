#!/usr/bin/env bash
# ensure-chromium.sh — owns installing Debian's Chromium for the browser tests.
#
# Does nothing when /usr/bin/chromium exists. Otherwise waits (bounded) for any
# apt/dpkg run already in progress to finish — it never takes or breaks their
# locks — checks again, then runs apt-get update and apt-get install chromium.
# Needs root (as on this project's machines) or sudo.
# Env: OXEYE_APT_WAIT_SECONDS (default 900) bounds the wait for other apt runs.
set -euo pipefail

bin=/usr/bin/chromium
if [ -x "$bin" ]; then
  echo "chromium $bin ready ($("$bin" --version 2>/dev/null | head -n1))"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# True while another apt/dpkg process runs or holds one of the lock files
# (read from /proc/locks, so nothing is locked or unlocked here).
apt_busy() {
  pgrep -x 'apt-get|apt|dpkg' >/dev/null 2>&1 && return 0
  pgrep -x 'unattended-upgr' >/dev/null 2>&1 && return 0
  local f ino
  for f in "${locks[@]}"; do
    [ -e "$f" ] || continue
    ino=$(stat -c %i "$f")
    awk -v ino="$ino" '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9a-f]+:[0-9a-f]+:[0-9]+$/) { split($i, a, ":"); if (a[3] == ino) found = 1 } }
      END { exit !found }' /proc/locks && return 0
  done
  return 1
}

limit=${OXEYE_APT_WAIT_SECONDS:-900}
start=$SECONDS
idle=0
# Idle twice in a row, 2 s apart: another run's "apt-get update && apt-get
# install" has a short gap between its two commands.
while [ "$idle" -lt 2 ]; do
  if apt_busy; then
    idle=0
    if [ $((SECONDS - start)) -ge "$limit" ]; then
      echo "ensure-chromium: apt/dpkg still busy after ${limit}s; giving up" >&2
      exit 1
    fi
    if [ -z "${said_wait:-}" ]; then
      echo "ensure-chromium: waiting for another apt/dpkg run to finish" >&2
      said_wait=1
    fi
  else
    idle=$((idle + 1))
  fi
  if [ -x "$bin" ] && [ "$idle" -gt 0 ]; then break; fi
  if [ "$idle" -lt 2 ]; then sleep 2; fi
done

if [ -x "$bin" ]; then
  echo "chromium $bin ready after waiting $((SECONDS - start))s"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=300 update -q
$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -q chromium
[ -x "$bin" ] || { echo "ensure-chromium: $bin missing after install" >&2; exit 1; }
echo "chromium $bin installed in $((SECONDS - start))s"
