#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window keeps its size across runs, and the About and shortcuts windows open.

Runs the built connect-hub on the current X display (run it under
build-aux/run-headless.sh --x11) with the GSettings keyfile backend in a temporary
XDG_CONFIG_HOME and the schema compiled in the build tree:

  1. a saved size of 700x520 is restored when the window opens;
  2. the window is resized to 900x640 and closed with Ctrl+W: the keyfile then holds 900x640;
  3. Ctrl+? opens the shortcuts window, app.about (through org.gtk.Actions) the About window;
     both close with Escape;
  4. the app exits 0 (G_DEBUG=fatal-warnings turns any warning into a crash);
  5. a second run restores the size the first one saved, applies request-timeout (unless
     CONNECT_HUB_TIMEOUT is set), and Ctrl+Q saves the size as well.

  test-window-state.py BINARY BUILDDIR
"""

import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import time

APP_ID = "io.github.connecthub.ConnectHub"
GROUP = "io/github/connecthub/ConnectHub"


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, name))
        if not cond:
            self.failed += 1
            for line in str(detail or "").rstrip().splitlines():
                print("# " + line)
        sys.stdout.flush()
        return cond


def xdotool(*args):
    r = subprocess.run(["xdotool"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True, timeout=10)
    return r.stdout.strip()


def display_size():
    out = xdotool("getdisplaygeometry").split()
    return (int(out[0]), int(out[1])) if len(out) == 2 else None


def visible_windows(pid):
    """The app's real toplevels: not GDK's 1x1 helper windows, not the root window."""
    out = xdotool("search", "--onlyvisible", "--pid", str(pid), "--name", "")
    screen = display_size()
    wins = []
    for w in out.split():
        g = geometry(w)
        if g is None or g[0] <= 1 or g[1] <= 1 or (g == screen and not xdotool("getwindowname", w)):
            continue
        wins.append(w)
    return wins


def wait_until(pred, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    return pred()


def geometry(wid):
    out = xdotool("getwindowgeometry", wid)
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Geometry:"):
            w, h = line.split()[1].split("x")
            return int(w), int(h)
    return None


def read_keyfile(path):
    cp = configparser.RawConfigParser()
    cp.optionxform = str
    try:
        cp.read(path, encoding="utf-8")
    except configparser.Error:
        return {}
    return dict(cp[GROUP]) if cp.has_section(GROUP) else {}


def main(binary, builddir):
    tap = Tap()
    if not tap.ok(bool(os.environ.get("DISPLAY")), "an X display is set",
                  "run under build-aux/run-headless.sh --x11"):
        print("1..%d" % tap.n)
        return 1
    tmp = tempfile.mkdtemp()
    proc = None
    try:
        config = os.path.join(tmp, "config")
        keyfile = os.path.join(config, "glib-2.0", "settings", "keyfile")
        os.makedirs(os.path.dirname(keyfile))
        with open(keyfile, "w", encoding="utf-8") as f:
            f.write("[%s]\nwindow-width=700\nwindow-height=520\n" % GROUP)
        env = dict(os.environ,
                   GSETTINGS_BACKEND="keyfile",
                   GSETTINGS_SCHEMA_DIR=os.path.join(builddir, "data"),
                   CONNECT_HUB_LOCALEDIR=os.path.join(builddir, "po"),
                   XDG_CONFIG_HOME=config,
                   XDG_DATA_HOME=os.path.join(tmp, "data"),
                   XDG_CACHE_HOME=os.path.join(tmp, "cache"),
                   LANGUAGE="en", LANG="C.UTF-8")
        proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True)

        wins = wait_until(lambda: xdotool("search", "--onlyvisible", "--name", "^Connect Hub$").split())
        if not wins and proc.poll() is not None:
            tap.ok(False, "the main window appears",
                   "connect-hub exited with %s:\n%s" % (proc.returncode, proc.stdout.read()))
            print("1..%d" % tap.n)
            return 1
        if not tap.ok(bool(wins), "the main window appears", "no window named Connect Hub"):
            print("1..%d" % tap.n)
            return 1
        main_win = wins[0]
        size = wait_until(lambda: geometry(main_win) if geometry(main_win) == (700, 520) else None,
                          timeout=3)
        tap.ok(size == (700, 520), "saved size 700x520 restored", "geometry %r" % (geometry(main_win),))

        # Ctrl+? : the shortcuts window from gtk/help-overlay.ui.
        xdotool("windowfocus", "--sync", main_win)
        xdotool("key", "--clearmodifiers", "ctrl+question")
        more = wait_until(lambda: [w for w in visible_windows(proc.pid) if w != main_win], 5)
        # GtkShortcutsWindow draws its own "Shortcuts" header; X sees the program name.
        tap.ok(len(more) == 1, "Ctrl+? opens the shortcuts window",
               [(xdotool("getwindowname", w), geometry(w)) for w in more])
        for w in more:
            xdotool("windowfocus", "--sync", w); xdotool("key", "Escape")
        tap.ok(wait_until(lambda: visible_windows(proc.pid) == [main_win], 5),
               "Escape closes the shortcuts window")

        # app.about through the application's exported actions.
        r = subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID,
                            "--object-path", "/" + APP_ID.replace(".", "/"),
                            "--method", "org.gtk.Actions.Activate", "about", "[]", "{}"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=10)
        tap.ok(r.returncode == 0, "app.about can be activated", r.stdout)
        about = wait_until(lambda: [w for w in visible_windows(proc.pid) if w != main_win], 5)
        tap.ok(bool(about), "the About window appears")
        for w in about:
            xdotool("windowfocus", "--sync", w); xdotool("key", "Escape")
        tap.ok(wait_until(lambda: visible_windows(proc.pid) == [main_win], 5),
               "Escape closes the About window")

        xdotool("windowsize", "--sync", main_win, "900", "640")
        size = wait_until(lambda: geometry(main_win) if geometry(main_win) == (900, 640) else None, 5)
        tap.ok(size == (900, 640), "window resized to 900x640", geometry(main_win))
        time.sleep(0.3)  # let GTK see the new size before it closes

        xdotool("windowfocus", "--sync", main_win)
        xdotool("key", "--clearmodifiers", "ctrl+w")
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            tap.ok(False, "Ctrl+W closes the window and the app exits", out)
        else:
            tap.ok(proc.returncode == 0, "Ctrl+W closes the window and the app exits 0",
                   "status %s\n%s" % (proc.returncode, out))
        proc = None

        saved = read_keyfile(keyfile)
        tap.ok(saved.get("window-width") == "900" and saved.get("window-height") == "640",
               "the new size is saved on close", saved)
        tap.ok(saved.get("window-maximized", "false") == "false", "not saved as maximized", saved)

        # Second run: the size saved by the app comes back, request-timeout reaches the
        # verifier, and Ctrl+Q (no close-request) still saves the size.
        with open(keyfile, "a", encoding="utf-8") as f:
            f.write("request-timeout=uint32 7\n")
        env2 = dict(env, G_MESSAGES_DEBUG="hub-application")
        env2.pop("CONNECT_HUB_TIMEOUT", None)
        proc = subprocess.Popen([binary], env=env2, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True)
        wins = wait_until(lambda: xdotool("search", "--onlyvisible", "--pid", str(proc.pid),
                                          "--name", "^Connect Hub$").split())
        if not tap.ok(bool(wins), "second run: the main window appears"):
            return 1
        main_win = wins[0]
        size = wait_until(lambda: geometry(main_win) if geometry(main_win) == (900, 640) else None,
                          timeout=3)
        tap.ok(size == (900, 640), "second run: saved size 900x640 restored", geometry(main_win))
        xdotool("windowsize", "--sync", main_win, "760", "560")
        wait_until(lambda: geometry(main_win) == (760, 560), 5)
        time.sleep(0.3)
        xdotool("windowfocus", "--sync", main_win)
        xdotool("key", "--clearmodifiers", "ctrl+q")
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        tap.ok(proc.returncode == 0, "Ctrl+Q quits with status 0", "status %s\n%s" % (proc.returncode, out))
        proc = None
        tap.ok("Request timeout from settings: 7 s" in out, "request-timeout 7 is applied", out)
        saved = read_keyfile(keyfile)
        tap.ok(saved.get("window-width") == "760" and saved.get("window-height") == "560",
               "Ctrl+Q saves the size too", saved)

        # CONNECT_HUB_TIMEOUT wins over the setting (DESIGN.md).
        env3 = dict(env2, CONNECT_HUB_TIMEOUT="3")
        proc = subprocess.Popen([binary], env=env3, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True)
        wins = wait_until(lambda: xdotool("search", "--onlyvisible", "--pid", str(proc.pid),
                                          "--name", "^Connect Hub$").split())
        if wins:
            xdotool("windowfocus", "--sync", wins[0])
            xdotool("key", "--clearmodifiers", "ctrl+q")
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        proc = None
        tap.ok(bool(wins) and "Request timeout from settings" not in out,
               "CONNECT_HUB_TIMEOUT overrides request-timeout", out)
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
