#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the whole suite headless (called by `build-aux/dev test`):
#   1. every test under Xvfb with an unlocked gnome-keyring on a private bus,
#   2. the keyring fault tests again with a locked keyring and with no keyring service.
# Prints each failing test's log, then "N passed, N failed" (TAP subtests counted one by one)
# and exits non-zero when anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$1; shift
headless="$top/build-aux/run-headless.sh"
meson_test=(meson test -C "$builddir" --no-rebuild --print-errorlogs "$@")

rm -f "$builddir"/meson-logs/phase-*.json
status=0

has_suite () {
  meson test -C "$builddir" --no-rebuild --list --suite "$1" 2>/dev/null | grep -q .
}

echo "== tests: unlocked keyring, Xvfb =="
"$headless" --x11 --keyring=unlocked -- \
  "${meson_test[@]}" --logbase phase-main --no-suite keyring-locked --no-suite keyring-none \
  || status=1

for mode in locked none; do
  if has_suite "keyring-$mode"; then
    echo "== tests: keyring $mode =="
    "$headless" --keyring="$mode" -- \
      "${meson_test[@]}" --logbase "phase-$mode" --suite "keyring-$mode" || status=1
  fi
done

/usr/bin/python3 "$top/build-aux/test-summary.py" "$builddir"/meson-logs/phase-*.json || status=1
exit $status
