#!/usr/bin/env bash
# Installs Pulse as a systemd service. Safe to run again: an upgrade replaces the jar and the unit,
# never /etc/pulse/pulse.env.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: install.sh [--jar PATH] [--root DIR] [--now] [--help]

Installs Pulse as the systemd service "pulse":
  - system user and group "pulse" (no login, home /var/lib/pulse)
  - /opt/pulse/pulse.jar, README.md          the jar (default: target/pulse.jar next to this script's
                                             directory, else pulse.jar next to this script)
  - /etc/systemd/system/pulse.service        the unit (overwritten; put local changes in a drop-in:
                                             systemctl edit pulse)
  - /etc/pulse/pulse.env                     created empty, mode 0600, owner pulse, only if missing
  - /var/lib/pulse/pulse.jsa                 a class-data-sharing archive (faster start), best effort
then systemctl daemon-reload, enable pulse, and restart it if it was running (an upgrade).

Options:
  --jar PATH   the jar to install
  --root DIR   install the files under DIR instead of / (packaging, tests): no user, no ownership
               changes, no systemctl
  --now        also start pulse (or restart it if it runs)
  --help       this text
Needs root (except with --root). Undo with uninstall.sh.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar=""
root=""
now=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) jar="${2:?--jar needs a path}"; shift 2 ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --now) now=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z "$root" && $EUID -ne 0 ]]; then
  echo "install.sh: run as root (sudo $0), or use --root DIR to install into a directory" >&2
  exit 1
fi
if [[ -z "$jar" ]]; then
  for candidate in "$here/../target/pulse.jar" "$here/pulse.jar"; do
    if [[ -f "$candidate" ]]; then jar="$candidate"; break; fi
  done
fi
if [[ -z "$jar" || ! -f "$jar" ]]; then
  echo "install.sh: no jar found; build it (./mvnw -B package -DskipTests) or pass --jar PATH" >&2
  exit 1
fi

JAVA_FLAGS=(-Xms8m -Xmx64m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=64m
  -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData)
opt="$root/opt/pulse"
etc="$root/etc/pulse"
unit="$root/etc/systemd/system/pulse.service"
state="$root/var/lib/pulse"
real_install=$([[ -z "$root" ]] && echo true || echo false)

if $real_install && ! getent passwd pulse >/dev/null; then
  echo "== creating system user pulse"
  useradd --system --user-group --home-dir /var/lib/pulse --no-create-home \
    --shell /usr/sbin/nologin --comment "Pulse scheduled-job daemon" pulse
fi

echo "== installing $opt/pulse.jar"
install -d -m 0755 "$opt"
install -m 0644 "$jar" "$opt/pulse.jar.new"
mv -f "$opt/pulse.jar.new" "$opt/pulse.jar" # atomic: a running JVM keeps its open copy
install -D -m 0644 "$here/pulse.service" "$unit"
if [[ -f "$here/../README.md" ]]; then
  install -m 0644 "$here/../README.md" "$opt/README.md" # the unit's Documentation=
fi

# The CLI: same jar, and the service's env file when this user may read it (root may), so that
# `pulse jobs` or `pulse run backup` talk to the daemon with its token and settings.
install -d -m 0755 "$root/usr/local/bin"
cat > "$root/usr/local/bin/pulse.new" <<'CLI'
#!/bin/sh
# Installed by Pulse's packaging/install.sh: the pulse command line.
if [ -z "${PULSE_ENV_FILE:-}" ] && [ -r /etc/pulse/pulse.env ]; then
  PULSE_ENV_FILE=/etc/pulse/pulse.env
  export PULSE_ENV_FILE
  # the service's plugins, so that jobs named in its env file are known here too
  if [ -z "${PULSE_PLUGINS_DIR:-}" ] && [ -d /var/lib/pulse/plugins ]; then
    PULSE_PLUGINS_DIR=/var/lib/pulse/plugins
    export PULSE_PLUGINS_DIR
  fi
fi
exec java -jar /opt/pulse/pulse.jar "$@"
CLI
chmod 0755 "$root/usr/local/bin/pulse.new"
mv -f "$root/usr/local/bin/pulse.new" "$root/usr/local/bin/pulse"

install -d -m 0750 "$etc"
if [[ ! -e "$etc/pulse.env" ]]; then
  echo "== creating $etc/pulse.env (mode 0600)"
  (umask 077 && cat > "$etc/pulse.env" <<'ENV'
# Pulse settings (see the README's settings table). KEY=value, one per line.
# This file holds secrets: keep it mode 0600, owned by pulse.
# PULSE_API_TOKEN=
# LOGFIRE_TOKEN=
ENV
  )
else
  echo "== keeping existing $etc/pulse.env"
fi
chmod 0600 "$etc/pulse.env"
if $real_install; then
  chown root:pulse "$etc"
  chown pulse:pulse "$etc/pulse.env"
fi

# Class-data sharing: a training run of the daemon as pulse, in an empty scratch state on a port
# the system picks, records the classes Pulse loads up to READY; the unit maps them at start
# (-Xshare:auto ignores a missing or stale archive). Training on `daemon`, not on a short command:
# only the daemon's own start-up classes make the archive worth having.
install -d -m 0700 "$state"
rm -f "$state/pulse.jsa"
if $real_install; then
  chown pulse:pulse "$state"
  if [[ -x /usr/bin/java ]]; then
    scratch="$(mktemp -d)"
    chown pulse:pulse "$scratch"
    (cd "$scratch" && exec runuser -u pulse -- env -i PATH=/usr/bin:/bin PULSE_STATE_DIR="$scratch/state" \
        PULSE_API_PORT=0 /usr/bin/java "${JAVA_FLAGS[@]}" -XX:ArchiveClassesAtExit="$state/pulse.jsa" \
        -jar "$opt/pulse.jar" daemon >"$scratch/training.log" 2>&1) &
    trainer=$!
    for _ in $(seq 1 300); do
      grep -q "HTTP API on" "$scratch/training.log" 2>/dev/null && break
      kill -0 "$trainer" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$trainer" 2>/dev/null || true # runuser passes SIGTERM on to the JVM, which dumps the archive
    wait "$trainer" 2>/dev/null || true
    if [[ -f "$state/pulse.jsa" ]]; then
      chown pulse:pulse "$state/pulse.jsa"
      echo "== class-data-sharing archive $state/pulse.jsa"
    else
      echo "== no class-data-sharing archive (training run failed); Pulse starts without it"
    fi
    rm -rf "$scratch"
  else
    echo "install.sh: warning: /usr/bin/java not found; install a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2
  fi
fi

if $real_install && [[ -d /run/systemd/system ]]; then
  echo "== systemctl daemon-reload, enable pulse"
  systemctl daemon-reload
  systemctl enable --quiet pulse
  if $now; then
    systemctl restart pulse
  else
    systemctl try-restart pulse # an upgrade: restart only if it was running
  fi
elif $real_install; then
  echo "== systemd is not running here: skipped daemon-reload and enable"
fi

cat <<DONE
Pulse installed. Next:
  edit $etc/pulse.env            (settings and secrets; stays 0600)
  systemctl start pulse          (returns once the scheduler runs)
  journalctl -u pulse -f         (its log)
  pulse jobs                     (the jobs, through the daemon's API)
DONE
