#!/usr/bin/env bash
# Installs CardioGate from an unpacked distribution (the directory holding this script, with bin/ and lib/):
#   PREFIX (default /opt/cardiogate)    launcher and jars; replaced on upgrade (the previous one kept as PREFIX.old)
#   /etc/cardiogate/gateway.yaml        from config/gateway.example.yaml, only if there is no configuration yet
#   /etc/systemd/system/cardiogate.service, /etc/udev/rules.d/99-cardiogate.rules,
#   /usr/lib/sysusers.d/cardiogate.conf, /usr/lib/tmpfiles.d/cardiogate.conf
#   user cardiogate (no login) in groups spi, i2c, gpio, dialout; missing groups are created
# Usage: [DESTDIR=/scratch/root] install.sh [--prefix DIR] [--no-systemctl] [--start]
# With DESTDIR set, everything goes under DESTDIR: users and groups are written into DESTDIR/etc/{passwd,group},
# and no command touches the running system (systemctl, udevadm, useradd); what would have run is logged to
# DESTDIR/var/log/cardiogate-install.log.
set -euo pipefail

PREFIX=/opt/cardiogate
SYSTEMCTL=yes
START=no
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    --no-systemctl) SYSTEMCTL=no; shift ;;
    --start) START=yes; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$PREFIX" in /*) ;; *) echo "install.sh: --prefix must be an absolute path, was '$PREFIX'" >&2; exit 2 ;; esac

SRC="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
DESTDIR="${DESTDIR:-}"
if [ -n "$DESTDIR" ]; then
  mkdir -p "$DESTDIR"
  DESTDIR="$(cd "$DESTDIR" && pwd)"
fi
for need in bin/gateway lib systemd/cardiogate.service systemd/99-cardiogate.rules systemd/cardiogate.sysusers \
            systemd/cardiogate.tmpfiles config/gateway.example.yaml; do
  if [ ! -e "$SRC/$need" ]; then
    echo "install.sh: $SRC/$need is missing: run this script from an unpacked distribution" >&2
    echo "  (build one with ./mvnw -DskipTests package: gateway/target/cardiogate-<version>-dist.tar.gz)" >&2
    exit 2
  fi
done
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or set DESTDIR to install into a scratch root)" >&2
  exit 2
fi

LOG="$DESTDIR/var/log/cardiogate-install.log"
mkdir -p "$(dirname "$LOG")"
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >> "$LOG"; echo "install.sh: $*"; }
# runs a command that changes the live system, or only logs it in a scratch root
system() {
  if [ -n "$DESTDIR" ]; then log "would run: $*"; else log "run: $*"; "$@"; fi
}

ROOT="$DESTDIR"
USER_NAME=cardiogate
GROUPS_NEEDED=(spi i2c gpio dialout)

# --- user and groups -----------------------------------------------------------------------------------------
add_user_in_root() { # writes passwd/group entries inside DESTDIR without touching the host
  mkdir -p "$ROOT/etc"
  touch "$ROOT/etc/passwd" "$ROOT/etc/group"
  local next=990 g
  for g in "${GROUPS_NEEDED[@]}" "$USER_NAME"; do
    if ! grep -q "^$g:" "$ROOT/etc/group"; then
      while cut -d: -f3 "$ROOT/etc/group" | grep -qx "$next"; do next=$((next - 1)); done
      echo "$g:x:$next:" >> "$ROOT/etc/group"
      log "created group $g ($next) in $ROOT/etc/group"
    fi
  done
  local gid
  gid="$(grep "^$USER_NAME:" "$ROOT/etc/group" | cut -d: -f3)"
  if ! grep -q "^$USER_NAME:" "$ROOT/etc/passwd"; then
    echo "$USER_NAME:x:$gid:$gid:CardioGate gateway:/var/lib/cardiogate:/usr/sbin/nologin" >> "$ROOT/etc/passwd"
    log "created user $USER_NAME ($gid) in $ROOT/etc/passwd"
  fi
  for g in "${GROUPS_NEEDED[@]}"; do
    if ! grep "^$g:" "$ROOT/etc/group" | cut -d: -f4 | tr ',' '\n' | grep -qx "$USER_NAME"; then
      sed -i "s/^\($g:[^:]*:[^:]*:\)\(.*\)$/\1\2,$USER_NAME/; s/^\($g:[^:]*:[^:]*:\),/\1/" "$ROOT/etc/group"
    fi
  done
}

add_user_on_host() {
  local g
  for g in "${GROUPS_NEEDED[@]}"; do
    getent group "$g" >/dev/null || system groupadd --system "$g"
  done
  if ! getent passwd "$USER_NAME" >/dev/null; then
    system useradd --system --user-group --home-dir /var/lib/cardiogate --no-create-home \
      --shell /usr/sbin/nologin --comment "CardioGate gateway" "$USER_NAME"
  fi
  system usermod --append --groups "$(IFS=,; echo "${GROUPS_NEEDED[*]}")" "$USER_NAME"
}

if [ -n "$DESTDIR" ]; then add_user_in_root; else add_user_on_host; fi

# --- files ---------------------------------------------------------------------------------------------------
install -d -m 0755 "$ROOT$(dirname "$PREFIX")"
if [ -e "$ROOT$PREFIX" ]; then
  rm -rf "$ROOT$PREFIX.old"
  mv "$ROOT$PREFIX" "$ROOT$PREFIX.old"
  log "kept the previous installation as $PREFIX.old"
fi
install -d -m 0755 "$ROOT$PREFIX" "$ROOT$PREFIX/bin" "$ROOT$PREFIX/lib" "$ROOT$PREFIX/config" "$ROOT$PREFIX/systemd"
install -m 0755 "$SRC/bin/gateway" "$ROOT$PREFIX/bin/gateway"
install -m 0644 "$SRC"/lib/*.jar "$ROOT$PREFIX/lib/"
install -m 0644 "$SRC/config/gateway.example.yaml" "$ROOT$PREFIX/config/"
install -m 0644 "$SRC"/systemd/cardiogate.service "$SRC"/systemd/99-cardiogate.rules \
  "$SRC"/systemd/cardiogate.sysusers "$SRC"/systemd/cardiogate.tmpfiles "$ROOT$PREFIX/systemd/"
for doc in README.md INSTALL.md; do
  [ -f "$SRC/$doc" ] && install -m 0644 "$SRC/$doc" "$ROOT$PREFIX/$doc"
done
install -m 0755 "$SRC/uninstall.sh" "$ROOT$PREFIX/uninstall.sh" 2>/dev/null || true
log "installed the distribution in $PREFIX"

# the unit names /opt/cardiogate; point it at another prefix if one was given
install -d -m 0755 "$ROOT/etc/systemd/system"
sed "s|/opt/cardiogate|$PREFIX|g" "$SRC/systemd/cardiogate.service" > "$ROOT/etc/systemd/system/cardiogate.service"
chmod 0644 "$ROOT/etc/systemd/system/cardiogate.service"
install -D -m 0644 "$SRC/systemd/99-cardiogate.rules" "$ROOT/etc/udev/rules.d/99-cardiogate.rules"
install -D -m 0644 "$SRC/systemd/cardiogate.sysusers" "$ROOT/usr/lib/sysusers.d/cardiogate.conf"
install -D -m 0644 "$SRC/systemd/cardiogate.tmpfiles" "$ROOT/usr/lib/tmpfiles.d/cardiogate.conf"
log "installed the unit, udev rules, sysusers.d and tmpfiles.d files"

# configuration: never overwrite one that exists
CONF_GROUP="$USER_NAME"
install -d -m 0750 "$ROOT/etc/cardiogate"
install -d -m 0750 "$ROOT/var/lib/cardiogate" "$ROOT/var/lib/cardiogate/backups"
if [ -e "$ROOT/etc/cardiogate/gateway.yaml" ]; then
  install -m 0640 "$SRC/config/gateway.example.yaml" "$ROOT/etc/cardiogate/gateway.yaml.new"
  log "kept the existing /etc/cardiogate/gateway.yaml; the new example is gateway.yaml.new"
else
  install -m 0640 "$SRC/config/gateway.example.yaml" "$ROOT/etc/cardiogate/gateway.yaml"
  log "wrote /etc/cardiogate/gateway.yaml from the example: edit it before starting"
fi
if [ -n "$DESTDIR" ]; then
  # ownership by the ids written into DESTDIR/etc (chown needs root; skip quietly otherwise)
  uid="$(grep "^$USER_NAME:" "$ROOT/etc/passwd" | cut -d: -f3)"
  gid="$(grep "^$CONF_GROUP:" "$ROOT/etc/group" | cut -d: -f3)"
  if [ "$(id -u)" -eq 0 ]; then
    chown "0:$gid" "$ROOT/etc/cardiogate" "$ROOT/etc/cardiogate"/gateway.yaml*
    chown -R "$uid:$gid" "$ROOT/var/lib/cardiogate"
  fi
else
  chown "root:$CONF_GROUP" /etc/cardiogate /etc/cardiogate/gateway.yaml*
  chown -R "$USER_NAME:$USER_NAME" /var/lib/cardiogate
fi

# --- activate ------------------------------------------------------------------------------------------------
if [ "$SYSTEMCTL" = yes ] || [ -n "$DESTDIR" ]; then
  system udevadm control --reload
  system udevadm trigger --subsystem-match=spidev --subsystem-match=i2c-dev --subsystem-match=gpio --subsystem-match=tty
  system systemctl daemon-reload
  system systemctl enable cardiogate.service
  if [ "$START" = yes ]; then system systemctl restart cardiogate.service; fi
else
  log "skipped systemctl and udevadm (--no-systemctl); run: systemctl daemon-reload && systemctl enable --now cardiogate"
fi
log "done"
