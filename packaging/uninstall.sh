#!/usr/bin/env bash
# Reverses install.sh. Keeps settings and state unless --purge.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: uninstall.sh [--purge] [--root DIR] [--help]

Stops and disables the pulse service and removes what install.sh installed:
/etc/systemd/system/pulse.service and /opt/pulse.
Keeps /etc/pulse (settings, secrets), /var/lib/pulse (run history, schedules) and the pulse user,
so a later install.sh picks up where it left off.

Options:
  --purge      also remove /etc/pulse, /var/lib/pulse, the unit's drop-ins
               (/etc/systemd/system/pulse.service.d) and the pulse user
  --root DIR   remove the files under DIR instead of / (see install.sh --root)
  --help       this text
Needs root (except with --root).
USAGE
}

purge=false
root=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --purge) purge=true; shift ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$root" && $EUID -ne 0 ]]; then
  echo "uninstall.sh: run as root (sudo $0), or use --root DIR" >&2
  exit 1
fi
real_uninstall=$([[ -z "$root" ]] && echo true || echo false)
systemd_running=$($real_uninstall && [[ -d /run/systemd/system ]] && echo true || echo false)

if $systemd_running && systemctl cat pulse >/dev/null 2>&1; then
  echo "== stopping and disabling pulse"
  systemctl disable --now --quiet pulse || true
fi

echo "== removing the unit and /opt/pulse"
rm -f "$root/etc/systemd/system/pulse.service"
rm -rf "$root/opt/pulse"
rm -f "$root/usr/local/bin/pulse"

if $purge; then
  echo "== purging /etc/pulse, /var/lib/pulse and drop-ins"
  rm -rf "$root/etc/pulse" "$root/var/lib/pulse" "$root/etc/systemd/system/pulse.service.d"
  if $real_uninstall && getent passwd pulse >/dev/null; then
    echo "== removing user pulse"
    userdel pulse
    getent group pulse >/dev/null && groupdel pulse || true
  fi
fi

if $systemd_running; then
  systemctl daemon-reload
  systemctl reset-failed pulse 2>/dev/null || true
fi
echo "Pulse uninstalled$($purge && echo ", settings and state purged" || echo "; kept /etc/pulse and /var/lib/pulse (--purge removes them)")."
