#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command in a private, disposable desktop session:
#   - a temporary HOME and XDG directories (nothing of the real user is touched),
#   - a private D-Bus session bus that can activate only the accessibility bus and dconf
#     (the stock bus would auto-start gnome-keyring and its prompter: then "no keyring" is
#     impossible and "locked" hangs),
#   - a real gnome-keyring-daemon: unlocked (empty password), locked, running without any
#     keyring (empty), or none at all,
#   - with --x11, an Xvfb display for GTK (cairo renderer, X11 backend).
#
# Usage: build-aux/run-headless.sh [--keyring=unlocked|locked|empty|none] [--x11] [--] CMD [ARGS...]
# The exit status is CMD's. See shared/docs/headless-testing.md for the measured reasons.
set -euo pipefail

if [ "${1:-}" = "--inner" ]; then
  shift
  keyring="$1"; shift
  [ "${1:-}" = "--" ] && shift

  wait_for_name () {
    local i
    for i in $(seq 1 100); do
      if gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
           -m org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true; then
        return 0
      fi
      sleep 0.05
    done
    echo "run-headless: $1 did not appear on the bus" >&2
    return 1
  }

  # The daemon is the real service under test: it must not inherit the tests' G_DEBUG
  # (it aborts under fatal-warnings when an item is replaced in place).
  start_keyring () {
    eval "$(env -u G_DEBUG -u G_MESSAGES_DEBUG gnome-keyring-daemon --start \
              --components=secrets 2>/dev/null)" >/dev/null
    wait_for_name org.freedesktop.secrets
  }

  case "$keyring" in
    unlocked)
      # An empty-password keyring is a plain-text file; it loads locked and Unlock opens it
      # without a prompt.
      mkdir -p "$XDG_DATA_HOME/keyrings"
      printf '[keyring]\ndisplay-name=Login\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n' \
        > "$XDG_DATA_HOME/keyrings/login.keyring"
      chmod 600 "$XDG_DATA_HOME/keyrings/login.keyring"
      printf 'login' > "$XDG_DATA_HOME/keyrings/default"
      start_keyring
      gdbus call --session -d org.freedesktop.secrets -o /org/freedesktop/secrets \
        -m org.freedesktop.Secret.Service.Unlock "['/org/freedesktop/secrets/collection/login']" \
        >/dev/null
      ;;
    locked)
      # A keyring with a real password, then locked: with no prompter on this bus an unlock
      # can never succeed, which is the state the app must detect without prompting.
      printf %s "connect-hub-test-pw" | env -u G_DEBUG -u G_MESSAGES_DEBUG gnome-keyring-daemon --unlock --components=secrets \
        >/dev/null 2>&1
      start_keyring
      gdbus call --session -d org.freedesktop.secrets -o /org/freedesktop/secrets \
        -m org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" \
        >/dev/null
      ;;
    empty)
      # A running keyring service with no keyring at all (no login collection, no default
      # alias): what a fresh account outside GNOME often has.
      start_keyring
      ;;
    none)
      ;;
    *)
      echo "run-headless: unknown keyring mode '$keyring'" >&2
      exit 2
      ;;
  esac

  export HUB_TEST_KEYRING="$keyring"
  set +e
  "$@"
  status=$?
  if [ -n "${GNOME_KEYRING_PID:-}" ]; then
    kill "$GNOME_KEYRING_PID" 2>/dev/null || true
  fi
  exit $status
fi

keyring=unlocked
x11=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keyring=*) keyring="${1#--keyring=}"; shift ;;
    --x11) x11=1; shift ;;
    --) shift; break ;;
    -*) echo "run-headless: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "usage: $0 [--keyring=unlocked|locked|empty|none] [--x11] [--] CMD [ARGS...]" >&2
  exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/connect-hub-session.XXXXXX")
xvfb_pid=""
child=""
cleanup () {
  if [ -n "$child" ]; then kill -TERM -- "-$child" 2>/dev/null || true; fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME="$T/home"
export XDG_RUNTIME_DIR="$T/runtime"
export XDG_DATA_HOME="$T/home/.local/share"
export XDG_CONFIG_HOME="$T/home/.config"
export XDG_CACHE_HOME="$T/home/.cache"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$T/run" "$T/services"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK \
      GNOME_KEYRING_PID

for svc in org.a11y.Bus.service ca.desrt.dconf.service; do
  if [ -f "/usr/share/dbus-1/services/$svc" ]; then
    cp "/usr/share/dbus-1/services/$svc" "$T/services/"
  fi
done

cat > "$T/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$T/run</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$T/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

if [ "$x11" = 1 ]; then
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$T/display" >"$T/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$T/display" ] && break
    sleep 0.05
  done
  if [ ! -s "$T/display" ]; then
    echo "run-headless: Xvfb did not start:" >&2
    cat "$T/xvfb.log" >&2
    exit 1
  fi
  export DISPLAY=":$(cat "$T/display")"
  export GSK_RENDERER=cairo
  export GDK_BACKEND=x11
fi

# Services the bus starts (the a11y registry) print to their stdout; keep CMD's stdout clean
# for TAP by sending the daemon's to stderr.
printf '#!/bin/sh\nexec dbus-daemon "$@" >&2\n' > "$T/dbus-daemon"
chmod +x "$T/dbus-daemon"

set -m
set +e
dbus-run-session --dbus-daemon="$T/dbus-daemon" --config-file="$T/bus.conf" -- \
  "$0" --inner "$keyring" -- "$@" &
child=$!
wait "$child"
status=$?
child=""
exit $status
