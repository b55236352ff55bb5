#!/usr/bin/env bash
# Removes CardioGate: stops and disables the service, removes PREFIX, the unit, udev rules, sysusers.d and
# tmpfiles.d files. Keeps /etc/cardiogate and /var/lib/cardiogate (configuration, database, recordings) and the
# cardiogate user unless --purge is given.
# Usage: [DESTDIR=/scratch/root] uninstall.sh [--prefix DIR] [--no-systemctl] [--purge]
set -euo pipefail

PREFIX=/opt/cardiogate
SYSTEMCTL=yes
PURGE=no
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    --no-systemctl) SYSTEMCTL=no; shift ;;
    --purge) PURGE=yes; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$PREFIX" in /?*) ;; *) echo "uninstall.sh: --prefix must be an absolute path, was '$PREFIX'" >&2; exit 2 ;; esac
DESTDIR="${DESTDIR:-}"
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  echo "uninstall.sh: run as root (or set DESTDIR for a scratch root)" >&2
  exit 2
fi
ROOT="$DESTDIR"
LOG="$ROOT/var/log/cardiogate-install.log"
mkdir -p "$(dirname "$LOG")"
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >> "$LOG"; echo "uninstall.sh: $*"; }
system() {
  if [ -n "$DESTDIR" ]; then log "would run: $*"; else log "run: $*"; "$@" || true; fi
}

if [ "$SYSTEMCTL" = yes ] || [ -n "$DESTDIR" ]; then
  system systemctl disable --now cardiogate.service
fi
rm -f "$ROOT/etc/systemd/system/cardiogate.service" "$ROOT/etc/udev/rules.d/99-cardiogate.rules" \
  "$ROOT/usr/lib/sysusers.d/cardiogate.conf" "$ROOT/usr/lib/tmpfiles.d/cardiogate.conf"
rm -rf "$ROOT$PREFIX" "$ROOT$PREFIX.old"
log "removed $PREFIX, the unit, udev rules, sysusers.d and tmpfiles.d files"
if [ "$SYSTEMCTL" = yes ] || [ -n "$DESTDIR" ]; then
  system systemctl daemon-reload
  system udevadm control --reload
fi
if [ "$PURGE" = yes ]; then
  rm -rf "$ROOT/etc/cardiogate" "$ROOT/var/lib/cardiogate"
  if [ -n "$DESTDIR" ]; then
    sed -i '/^cardiogate:/d' "$ROOT/etc/passwd" "$ROOT/etc/group" 2>/dev/null || true
    sed -i 's/,cardiogate\b//; s/:cardiogate,/:/; s/:cardiogate$/:/' "$ROOT/etc/group" 2>/dev/null || true
  else
    system userdel cardiogate
  fi
  log "purged configuration, data and the cardiogate user"
else
  log "kept /etc/cardiogate and /var/lib/cardiogate (use --purge to remove them)"
fi
