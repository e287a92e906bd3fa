# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for the Connect Hub UI tests (dogtail over AT-SPI, under Xvfb).

Run them through the lead's wrapper, which provides Xvfb, the a11y bus and a keyring:
    build-aux/run-headless.sh --x11 --keyring=unlocked -- meson test -C BUILD --suite ui
Environment: CONNECT_HUB_BIN (the built connect-hub), HUB_EMULATOR_BIN (tests/hub-emulator-server).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import dogtail.config

# Must be set before dogtail.tree is imported: otherwise dogtail exits unless the
# GSettings key toolkit-accessibility is set, which a private session does not have.
dogtail.config.config.checkForA11y = False
dogtail.config.config.searchShowingOnly = False
dogtail.config.config.logDebugToStdOut = False
dogtail.config.config.logDebugToFile = False
dogtail.config.config.defaultDelay = 0.1
dogtail.config.config.searchBackoffDuration = 0.2
dogtail.config.config.searchCutoffCount = 10

from dogtail import tree  # noqa: E402  (after the config above)
from dogtail.predicate import GenericPredicate  # noqa: E402

PROVIDERS = ["humaans", "leapsome", "sesame", "smartrecruiters", "unleashed"]

# Test data: the emulator's good credentials and answers (tests/hub-emulator.h).
GOOD = {
    "leapsome": {"Content API Secret": "LStestSecret0123456789"},
    "unleashed": {"API Id": "0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
                  "API Key": "MADE-UP-TEST-KEY/NotReal+0123456789abcdefABCDEF=="},
    "sesame": {"API Token": "sesame-test-token-0123456789abcdef", "Region": "eu1"},
    "smartrecruiters": {"API Key": "DCRA1-0123456789abcdef0123456789ab"},
    "humaans": {"API Token": "HumaansTestToken0123456789abcdef"},
}
FIELD_IDS = {
    "leapsome": {"Content API Secret": "secret"},
    "unleashed": {"API Id": "api_id", "API Key": "api_key"},
    "sesame": {"API Token": "api_token", "Region": "region"},
    "smartrecruiters": {"API Key": "api_key"},
    "humaans": {"API Token": "api_token"},
}
SECRET_LABELS = ("Content API Secret", "API Key", "API Token")
NAMES = {
    "leapsome": "Leapsome",
    "unleashed": "Unleashed",
    "sesame": "Sesame HR",
    "smartrecruiters": "SmartRecruiters",
    "humaans": "Humaans",
}
# A part of the identity each provider's success page and account row must show.
IDENTITY = {
    "leapsome": "leapsome-example.test",
    "unleashed": "Acme Trading Ltd",
    "sesame": "Sesame Example SL",
    "smartrecruiters": "Smart Example Inc",
    "humaans": "Example GmbH",
}

DEFAULT_TIMEOUT = 10.0


class TestFailure(Exception):
    pass


def log(message):
    print("# " + message, flush=True)


def check(condition, message):
    if not condition:
        raise TestFailure(message)


class Session:
    """The emulator and the app, with a private data directory; use as a context manager."""

    def __init__(self, faults=None, start_app=True):
        self.faults = faults or []
        self.autostart = start_app
        self.emulator = None
        self.app_process = None
        self.url = None
        self.tmp = None
        self.app = None

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="connect-hub-ui-")
        self.start_emulator()
        if self.autostart:
            self.start_app()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop()
        return False

    # emulator

    def start_emulator(self):
        binary = os.environ.get("HUB_EMULATOR_BIN")
        check(binary and os.path.exists(binary), "HUB_EMULATOR_BIN is not set to the built server")
        args = [binary] + ["--fault=" + f for f in self.faults]
        self.emulator = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True)
        self.url = self.emulator.stdout.readline().strip()
        check(self.url.startswith("http://127.0.0.1:"), "emulator printed no URL: %r" % self.url)

    def control(self, path):
        """GET <url>/_control/<path>, e.g. control('fault?provider=humaans&mode=401')."""
        with urllib.request.urlopen(self.url + "/_control/" + path, timeout=5) as answer:
            return answer.read().decode()

    def set_fault(self, provider, mode):
        self.control("fault?provider=%s&mode=%s" % (provider, mode))

    # app

    def app_env(self):
        env = dict(os.environ)
        for provider in PROVIDERS:
            env["CONNECT_HUB_BASE_URL_" + provider.upper()] = self.url + "/" + provider
        # The app must reach the a11y bus: GTK 4 hides itself with GTK_A11Y=none.
        env.pop("GTK_A11Y", None)
        env.pop("NO_AT_BRIDGE", None)
        for name in ("data", "config", "cache"):
            path = os.path.join(self.tmp, name)
            os.makedirs(path, exist_ok=True)
            env["XDG_%s_HOME" % name.upper()] = path
        # Without a window manager, X focus follows the pointer and GTK never sees the
        # entry lose focus: a blinking cursor then warns "did not receive a focus-out
        # event", which is fatal under G_DEBUG=fatal-warnings. No blinking, no warning.
        gtk_config = os.path.join(self.tmp, "config", "gtk-4.0")
        os.makedirs(gtk_config, exist_ok=True)
        with open(os.path.join(gtk_config, "settings.ini"), "w") as settings:
            settings.write("[Settings]\ngtk-cursor-blink=false\n")
        env.setdefault("GSK_RENDERER", "cairo")
        env["G_DEBUG"] = "fatal-warnings"
        # Every debug message is logged, so that stop_app() can check none holds a secret.
        env["G_MESSAGES_DEBUG"] = "all"
        env["CONNECT_HUB_TIMEOUT"] = env.get("CONNECT_HUB_TIMEOUT", "5")
        return env

    def start_app(self, extra_env=None):
        binary = os.environ.get("CONNECT_HUB_BIN")
        check(binary and os.path.exists(binary), "CONNECT_HUB_BIN is not set to the built app")
        env = self.app_env()
        env.update(extra_env or {})
        self.app_log = open(os.path.join(self.tmp, "app.log"), "w+")
        self.app_process = subprocess.Popen([binary], env=env, stdout=self.app_log,
                                            stderr=subprocess.STDOUT)
        self.app = wait_for(lambda: find_application("connect-hub"), "the connect-hub application",
                            timeout=20)
        self.window = wait_for(lambda: child(self.app, roleName="frame", name="Connect Hub"),
                               "the main window")

    def link_with_cli(self, provider, label=None):
        """Links an account with `connect-hub link` before the window starts (fast set-up);
        the field values go through stdin. Returns the account id."""
        import json
        check(self.app_process is None, "link_with_cli must run before the app starts")
        values = {FIELD_IDS[provider][label_]: value
                  for label_, value in GOOD[provider].items()}
        args = [os.environ["CONNECT_HUB_BIN"], "link", provider]
        if label:
            args += ["--label", label]
        env = self.app_env()
        env["G_DEBUG"] = ""
        done = subprocess.run(args, input=json.dumps(values), capture_output=True, text=True,
                              env=env, timeout=30)
        check(done.returncode == 0, "connect-hub link %s failed (%d): %s"
              % (provider, done.returncode, done.stderr.strip()))
        return done.stdout.splitlines()[0]

    def restart_app(self, extra_env=None):
        """Quits the app and starts it again on the same data (and keyring)."""
        self.stop_app()
        self.start_app(extra_env)

    def stop(self):
        try:
            self.stop_app()
        finally:
            self.stop_emulator()

    def stop_app(self):
        if self.app_process is not None:
            if self.app_process.poll() is None:
                # Quit through app.quit on D-Bus: a clean exit flushes the log (GLib writes
                # debug messages to a buffered stdout) and must return 0.
                subprocess.run(["gdbus", "call", "--session",
                                "--dest", "io.github.connecthub.ConnectHub",
                                "--object-path", "/io/github/connecthub/ConnectHub",
                                "--method", "org.gtk.Actions.Activate", "quit", "[]", "{}"],
                               capture_output=True, timeout=10)
                try:
                    self.app_process.wait(10)
                except subprocess.TimeoutExpired:
                    self.app_process.kill()
                    self.app_process.wait()
            status = self.app_process.returncode
            self.app_process = None
            self.app_log.seek(0)
            text = self.app_log.read()
            self.app_log.close()
            leaked = [label for provider, values in GOOD.items()
                      for label, value in values.items()
                      if label in SECRET_LABELS and value in text]
            if leaked:
                raise TestFailure("the app's log holds a secret (%s)" % ", ".join(leaked))
            check("hub-" in text, "the app's debug log is empty: the secret check saw nothing")
            for line in text.splitlines():
                if "hub-" in line and ("WARNING" in line or "CRITICAL" in line):
                    log("app: " + line)
            # A fatal warning aborts; a hang is killed: both fail.
            if status != 0:
                raise TestFailure("connect-hub exited with status %s" % status)

    def stop_emulator(self):
        if self.emulator is not None:
            self.emulator.stdin.close()
            try:
                self.emulator.wait(5)
            except subprocess.TimeoutExpired:
                self.emulator.kill()
                self.emulator.wait()
            self.emulator = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def assert_alive(self):
        check(self.app_process.poll() is None,
              "connect-hub exited (status %s)" % self.app_process.returncode)


# AT-SPI helpers

def find_application(name):
    try:
        for app in tree.root.children:
            if app is not None and app.name == name:
                return app
    except Exception:  # the desktop may change under us
        return None
    return None


def wait_for(function, what, timeout=DEFAULT_TIMEOUT):
    """Polls function() until it returns something truthy; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = function()
            if result:
                return result
        except Exception as error:  # nodes go stale while the UI changes
            last_error = error
        time.sleep(0.1)
    raise TestFailure("timed out after %.0f s waiting for %s%s" %
                      (timeout, what, (" (%s)" % last_error) if last_error else ""))


def _matches(node, roleName=None, name=None, name_contains=None):
    if roleName is not None and node.roleName != roleName:
        return False
    if name is not None and node.name != name:
        return False
    if name_contains is not None and name_contains not in (node.name or ""):
        return False
    return True


def children(node, roleName=None, name=None, name_contains=None, max_depth=40):
    """All descendants matching, depth-first, without dogtail's retries."""
    found = []

    def walk(current, depth):
        if depth > max_depth:
            return
        try:
            kids = current.children
        except Exception:
            return
        for kid in kids:
            if kid is None:
                continue
            try:
                if _matches(kid, roleName, name, name_contains):
                    found.append(kid)
            except Exception:
                continue
            walk(kid, depth + 1)

    walk(node, 0)
    return found


def child(node, roleName=None, name=None, name_contains=None):
    matches = children(node, roleName, name, name_contains)
    return matches[0] if matches else None


def wait_child(node, what=None, timeout=DEFAULT_TIMEOUT, **kwargs):
    return wait_for(lambda: child(node, **kwargs), what or repr(kwargs), timeout)


def wait_gone(function, what, timeout=DEFAULT_TIMEOUT):
    wait_for(lambda: not function(), what, timeout)


def click(node):
    node.doActionNamed("click")


def window_origin(frame):
    """Screen position of the frame's content: GTK 4.8 reports only window-relative
    coordinates, and without a window manager the X window holds the client-side
    shadow around the content, as a margin on each side."""
    import pyatspi
    _, _, width, height = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    title = frame.name
    out = subprocess.run(["xdotool", "search", "--name", "^%s$" % re_escape(title)],
                         capture_output=True, text=True).stdout.split()
    check(out, "no X window titled %r" % title)
    best = None
    for window_id in out:
        shell = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window_id],
                               capture_output=True, text=True).stdout
        values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
        x, y = int(values["X"]), int(values["Y"])
        w, h = int(values["WIDTH"]), int(values["HEIGHT"])
        if w >= width and h >= height:
            best = (x + (w - width) // 2, y + (h - height) // 2)
    check(best is not None, "no X window of %r fits its content" % title)
    return best


def re_escape(text):
    import re
    return re.sub(r"([\\.^$*+?()\[\]{}|])", r"\\\1", text)


def extents(node):
    import pyatspi
    return node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)


def scroll_into_view(node, frame, header=60, limit=40):
    """Scrolls with the mouse wheel over frame until node lies inside it (GTK 4.8 has no
    AT-SPI ScrollTo)."""
    _, _, frame_width, frame_height = extents(frame)
    origin_x, origin_y = window_origin(frame)
    for _ in range(limit):
        _, y, _, height = extents(node)
        if y >= header and y + height <= frame_height - 4:
            return
        button = "5" if y + height > frame_height - 4 else "4"
        subprocess.run(["xdotool", "mousemove", str(origin_x + frame_width // 2),
                        str(origin_y + frame_height // 2), "click", button], check=True)
        time.sleep(0.05)
    raise TestFailure("could not scroll %r into view" % node.name)


def click_at(node, frame):
    """Clicks the middle of node with the X pointer, scrolling it into view first (for rows
    and entry rows: GTK 4.8 gives them no AT-SPI action, and focus inside an entry row is
    not exposed)."""
    scroll_into_view(node, frame)
    x, y, width, height = extents(node)
    check(width > 0 and height > 0, "%r has no size (not visible?)" % node.name)
    origin_x, origin_y = window_origin(frame)
    subprocess.run(["xdotool", "mousemove", str(origin_x + x + width // 2),
                    str(origin_y + y + height // 2), "click", "1"], check=True)
    time.sleep(0.05)


def activate(node, frame):
    """Activates a list row: a click where it is."""
    click_at(node, frame)


def press(keys):
    """Sends keys to the focused window, e.g. press('Escape'), press('ctrl+f')."""
    subprocess.run(["xdotool", "key", "--clearmodifiers"] + keys.split(), check=True)


def type_text(text):
    """Types text into the focused widget. The text goes through stdin, never argv:
    test credentials are secrets too."""
    subprocess.run(["xdotool", "type", "--delay", "5", "--file", "-"], input=text, text=True,
                   check=True)


def is_focused(node):
    import pyatspi
    try:
        return node.getState().contains(pyatspi.STATE_FOCUSED)
    except Exception:
        return False


def focus_with(node, key="Tab", limit=40):
    """Presses key until node has the keyboard focus (GTK scrolls it into view)."""
    for _ in range(limit):
        if is_focused(node):
            return node
        press(key)
        time.sleep(0.05)
    check(is_focused(node), "could not move the focus to %r with %s" % (node.name, key))
    return node


def fill(frame, label, text):
    """Focuses the entry row titled label by keyboard and replaces its text."""
    node = entry_for(frame, label)
    click_at(node, frame)
    press("ctrl+a")
    press("BackSpace")
    if text:
        type_text(text)
    return node


def set_text(node, text):
    """Sets an editable's text through AT-SPI EditableText (no keyboard needed)."""
    editable = node.queryEditableText()
    length = len(node.text or "")
    if length:
        editable.deleteText(0, length)
    if text:
        editable.insertText(0, text, len(text.encode()))


def entry_for(container, label):
    """The text field of an entry row titled label (AdwEntryRow / AdwPasswordEntryRow)."""
    def find():
        for role in ("text", "password text", "entry"):
            for node in children(container, roleName=role):
                if node.name == label:
                    return node
        # Fall back: a row named label holding a text node.
        for row in children(container, name=label):
            for role in ("text", "password text", "entry"):
                found = child(row, roleName=role)
                if found is not None:
                    return found
        return None

    return wait_for(find, "the %r field" % label)


def window_id(title):
    ids = subprocess.run(["xdotool", "search", "--name", "^%s$" % re_escape(title)],
                         capture_output=True, text=True).stdout.split()
    check(ids, "no X window titled %r" % title)
    return ids[-1]


def screenshot(title, path):
    """Saves the X window titled title (with what shows on top of it) as a PNG."""
    subprocess.run(["import", "-window", window_id(title), path], check=True)
    check(os.path.getsize(path) > 1000, "%s looks empty" % path)
    log("saved " + path)


def dialog_window(app, title_contains):
    return wait_for(lambda: next((w for w in app.children
                                  if w is not None and title_contains in (w.name or "")), None),
                    "a window titled %r" % title_contains)


def dump(node, depth=0, max_depth=25):
    """Debug aid: print the accessible tree."""
    if depth > max_depth:
        return
    try:
        print("#" + "  " * depth + "[%s] %r" % (node.roleName, node.name))
        for kid in node.children:
            if kid is not None:
                dump(kid, depth + 1, max_depth)
    except Exception as error:
        print("#" + "  " * depth + "(gone: %s)" % error)


def run(tests):
    """Runs test functions as TAP; exit status 0 only if all pass."""
    print("1..%d" % len(tests), flush=True)
    failed = 0
    for number, test in enumerate(tests, 1):
        name = test.__name__
        started = time.monotonic()
        try:
            test()
            print("ok %d - %s (%.1f s)" % (number, name, time.monotonic() - started), flush=True)
        except Exception as error:
            failed += 1
            print("not ok %d - %s: %s" % (number, name, error), flush=True)
            import traceback
            for line in traceback.format_exc().splitlines():
                print("# " + line, flush=True)
    sys.exit(1 if failed else 0)
