#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes the screenshots in data/screenshots: main window (light and dark), a provider page,
the success page and an account page, with accounts linked against the emulator.

    ninja -C BUILD screenshots

or by hand (OUTPUT_DIR defaults to a temporary directory):

    build-aux/run-headless.sh --x11 --keyring=unlocked -- \\
        env CONNECT_HUB_BIN=build/src/connect-hub HUB_EMULATOR_BIN=build/tests/hub-emulator-server \\
        /usr/bin/python3 tests/ui/screenshots.py [OUTPUT_DIR]"""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ui_helpers as h  # noqa: E402

session = None
output = None


def out(name):
    return os.path.join(output, name)


def link(provider, shot_form=None, shot_success=None):
    row = h.wait_child(session.window, roleName="list item", name=h.NAMES[provider])
    h.activate(row, session.window)
    title = "Connect " + h.NAMES[provider]
    dialog = h.dialog_window(session.app, title)
    for label, value in h.GOOD[provider].items():
        h.fill(dialog, label, value)
    if shot_form:
        h.press("Tab")  # leave the field so the form looks settled
        time.sleep(0.5)
        h.screenshot(title, out(shot_form))
    h.click(h.wait_child(dialog, roleName="push button", name="Connect"))
    h.wait_child(dialog, "the success page", timeout=20, roleName="label",
                 name_contains="Connected to " + h.IDENTITY[provider][:4])
    if shot_success:
        time.sleep(0.5)
        h.screenshot(title, out(shot_success))
    h.click(h.wait_child(dialog, roleName="push button", name="Done"))
    h.wait_gone(lambda: h.child(session.app, name=title), "the dialog to close")


def test_screenshots():
    link("unleashed", "provider.png", "success.png")
    link("humaans")
    link("sesame")
    link("smartrecruiters")
    session.set_fault("humaans", "401")
    session.set_fault("sesame", "500")
    h.press("F5")
    accounts = h.wait_child(session.window, roleName="list", name="Linked Accounts")
    h.wait_child(accounts, "a rejected account", timeout=30, name="Status: Needs relink")
    h.wait_child(accounts, "a failed check", timeout=30, name="Status: Check failed")
    # Let the Check All toast time out: it would cover the list.
    h.wait_gone(lambda: h.child(session.window, roleName="label", name_contains="accounts need attention"),
                "the toast to go", timeout=15)
    time.sleep(1)
    h.screenshot("Connect Hub", out("main.png"))

    row = h.wait_child(accounts, roleName="list item", name_contains=h.IDENTITY["unleashed"])
    h.activate(row, session.window)
    h.wait_child(session.window, roleName="push button", name="Check Now")
    time.sleep(1)
    h.screenshot("Connect Hub", out("account.png"))
    h.press("alt+Left")

    session.restart_app({"ADW_DEBUG_COLOR_SCHEME": "prefer-dark"})
    h.wait_child(session.window, "the accounts after restarting", roleName="list item",
                 name_contains=h.IDENTITY["unleashed"])
    time.sleep(1)
    h.screenshot("Connect Hub", out("main-dark.png"))


def main():
    global session, output
    if len(sys.argv) > 1:
        output = sys.argv[1]
    else:
        output = tempfile.mkdtemp(prefix="connect-hub-shots-")
    os.makedirs(output, exist_ok=True)
    with h.Session() as session:
        h.run([test_screenshots])


if __name__ == "__main__":
    main()
