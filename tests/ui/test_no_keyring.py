#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No secret service at all (run-headless.sh --keyring=none): the window still opens, a
verified credential cannot be stored, the dialog says so and stays on the form, and no
account is added."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ui_helpers as h  # noqa: E402

session = None


def test_link_without_keyring():
    row = h.wait_child(session.window, roleName="list item", name="Unleashed")
    h.activate(row, session.window)
    dialog = h.dialog_window(session.app, "Connect Unleashed")
    for label, value in h.GOOD["unleashed"].items():
        h.fill(dialog, label, value)
    h.click(h.wait_child(dialog, roleName="push button", name="Connect"))
    h.wait_child(dialog, "the error row", timeout=30, roleName="push button", name="Try Again")
    message = h.wait_for(lambda: next((row.name for row in h.children(dialog, roleName="list item")
                                       if h.child(row, roleName="push button",
                                                  name="Try Again")), None),
                         "the error message")
    h.log("message: " + message)
    h.check("keyring" in message.lower(), "the message does not mention the keyring: %r" % message)
    h.check(h.child(dialog, roleName="label", name_contains="Connected to ") is None or
            h.child(dialog, roleName="label", name_contains="Connected to ").name == "",
            "a success page after a failed store")
    h.press("Escape")
    h.wait_gone(lambda: h.child(session.app, name="Connect Unleashed"), "the dialog to close")
    accounts = h.wait_child(session.window, roleName="list", name="Linked Accounts")
    h.check(not h.children(accounts, roleName="list item"), "an account was added")


def main():
    global session
    with h.Session() as session:
        h.run([test_link_without_keyring])


if __name__ == "__main__":
    main()
