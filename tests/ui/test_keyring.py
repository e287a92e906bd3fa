#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keyring states. A locked keyring: the account shows "Keyring locked" (never a prompt on
start), its page offers "Unlock Keyring…", and unlocking (the session's empty-password keyring
opens without a prompter) checks the account again. A keyring item deleted behind the app's
back: "Secret missing", and relinking asks for the secret again and stores it."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ui_helpers as h  # noqa: E402

session = None


def lock_keyring():
    subprocess.run(["gdbus", "call", "--session", "-d", "org.freedesktop.secrets",
                    "-o", "/org/freedesktop/secrets",
                    "-m", "org.freedesktop.Secret.Service.Lock",
                    "['/org/freedesktop/secrets/collection/login']"],
                   check=True, capture_output=True)


def test_locked_account_shown():
    accounts = h.wait_child(session.window, roleName="list", name="Linked Accounts")
    row = h.wait_for(lambda: h.child(accounts, roleName="list item",
                                     name_contains=h.IDENTITY["humaans"]), "the account row")
    h.wait_child(row, "the Keyring locked status", name="Status: Keyring locked")
    # "Needs attention" keeps it; "Connected" hides it.
    h.check(h.child(row, name="Status: Connected") is None, "a locked account shows Connected")


def test_unlock_from_account_page():
    accounts = h.wait_child(session.window, roleName="list", name="Linked Accounts")
    row = h.wait_child(accounts, roleName="list item", name_contains=h.IDENTITY["humaans"])
    h.activate(row, session.window)
    unlock = h.wait_child(session.window, "the Unlock Keyring button", roleName="push button",
                          name="Unlock Keyring…")
    h.click(unlock)
    h.wait_child(accounts, "the account connected after unlocking", timeout=20,
                 name="Status: Connected")
    h.wait_gone(lambda: h.child(session.window, roleName="push button", name="Unlock Keyring…"),
                "the Unlock Keyring button to go")


def test_secret_missing_relink():
    h.press("alt+Left")
    accounts = h.wait_child(session.window, roleName="list", name="Linked Accounts")
    row = h.wait_child(accounts, "the Unleashed row", roleName="list item",
                       name_contains=h.IDENTITY["unleashed"])
    h.wait_child(row, "the Secret missing status", name="Status: Secret missing")
    h.activate(row, session.window)
    h.wait_child(session.window, "the guidance row", roleName="list item",
                 name="The credential is missing from the keyring")
    relinks = h.wait_for(lambda: h.children(session.window, roleName="push button",
                                            name="Relink…"), "the Relink buttons")
    h.click(relinks[0])
    dialog = h.dialog_window(session.app, "Relink")
    # The stored secret cannot be read: the field asks for it and Connect waits for it.
    h.wait_child(dialog, "the enter-again hint", roleName="label", name_contains="enter it again")
    connect = h.wait_child(dialog, roleName="push button", name="Connect")
    h.wait_for(lambda: not connect.sensitive, "Connect insensitive without the secret")
    h.fill(dialog, "API Key", h.GOOD["unleashed"]["API Key"])
    h.wait_for(lambda: connect.sensitive, "Connect sensitive with the secret typed")
    h.click(connect)
    h.wait_child(dialog, "the success page", timeout=20, roleName="label",
                 name_contains="Connected to " + h.IDENTITY["unleashed"])
    h.click(h.wait_child(dialog, roleName="push button", name="Done"))
    h.wait_child(row, "Connected after relinking", timeout=10, name="Status: Connected")


def main():
    global session
    with h.Session(start_app=False) as session:
        session.link_with_cli("humaans")
        unleashed = session.link_with_cli("unleashed")
        subprocess.run(["secret-tool", "clear", "account-id", unleashed], check=True)
        lock_keyring()
        session.start_app()
        h.run([test_locked_account_shown, test_unlock_from_account_page,
               test_secret_missing_relink])


if __name__ == "__main__":
    main()
