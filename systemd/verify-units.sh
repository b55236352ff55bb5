#!/usr/bin/env bash
# Runs `systemd-analyze verify` on the CardioGate unit inside a scratch root that holds the host's systemd units and
# a stand-in for the installed launcher, so the check needs neither an installation nor root. Fails on any message,
# since systemd-analyze exits 0 even for settings it ignores. Exit 77 (skip) when systemd-analyze is missing.
# Usage: systemd/verify-units.sh [unit-file...]   (default: every systemd/*.service)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "verify-units: systemd-analyze not found; skipped" >&2
  exit 77
fi
SYSTEM_UNITS=""
for d in /usr/lib/systemd/system /lib/systemd/system; do
  [ -f "$d/sysinit.target" ] && SYSTEM_UNITS="$d" && break
done
if [ -z "$SYSTEM_UNITS" ]; then
  echo "verify-units: no systemd unit directory with sysinit.target on this host; skipped" >&2
  exit 77
fi
ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/usr/lib/systemd" "$ROOT/etc/systemd/system" "$ROOT/opt/cardiogate/bin"
cp -a "$SYSTEM_UNITS" "$ROOT/usr/lib/systemd/system"
printf '#!/bin/sh\nexit 0\n' > "$ROOT/opt/cardiogate/bin/gateway"
chmod 755 "$ROOT/opt/cardiogate/bin/gateway"
status=0
UNITS=("$@")
[ "${#UNITS[@]}" -gt 0 ] || UNITS=("$HERE"/*.service)
for unit in "${UNITS[@]}"; do
  unit_status=0
  name="$(basename "$unit")"
  cp "$unit" "$ROOT/etc/systemd/system/$name"
  out="$(systemd-analyze verify --root="$ROOT" "/etc/systemd/system/$name" 2>&1)" || unit_status=1
  [ -n "$out" ] && unit_status=1
  if [ "$unit_status" -eq 0 ]; then
    echo "verify-units: $name ok"
  else
    echo "$out" | sed "s|$ROOT||g" >&2
    echo "verify-units: $name FAILED" >&2
    status=1
  fi
done
exit "$status"
