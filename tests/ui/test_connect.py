#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connect flow against the provider emulator and a real keyring: Escape cancelling a
check that hangs, a failure that keeps the fields, all five providers linked through the dialog, and the same identity again
updating the existing account instead of adding one."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ui_helpers as h  # noqa: E402

session = None


def accounts_list():
    return h.wait_child(session.window, roleName="list", name="Linked Accounts")


def account_row(text):
    return h.child(accounts_list(), roleName="list item", name_contains=text)


def open_provider(provider):
    row = h.wait_child(session.window, roleName="list item", name=h.NAMES[provider])
    h.activate(row, session.window)
    return h.dialog_window(session.app, "Connect " + h.NAMES[provider])


def fill_good(dialog, provider):
    for label, value in h.GOOD[provider].items():
        h.fill(dialog, label, value)


def wait_success(dialog, provider):
    title = h.wait_child(dialog, "the success page of %s" % provider, timeout=20,
                         roleName="label", name_contains="Connected to ")
    h.check(h.IDENTITY[provider] in title.name,
            "success page says %r, expected it to name %r" % (title.name, h.IDENTITY[provider]))
    return title


def click_done(dialog, provider):
    h.click(h.wait_child(dialog, roleName="push button", name="Done"))
    h.wait_gone(lambda: h.child(session.app, name="Connect " + h.NAMES[provider]),
                "the dialog of %s to close" % provider)


def test_failure_keeps_fields():
    provider = "humaans"
    session.set_fault(provider, "401")
    dialog = open_provider(provider)
    fill_good(dialog, provider)
    h.click(h.wait_child(dialog, roleName="push button", name="Connect"))
    retry = h.wait_child(dialog, "the Try Again button", timeout=20,
                         roleName="push button", name="Try Again")
    message_row = h.wait_for(lambda: next((row for row in h.children(dialog, roleName="list item")
                                           if h.child(row, roleName="push button",
                                                      name="Try Again")), None),
                             "the error row")
    h.check("Humaans" in message_row.name,
            "the error message does not name the provider: %r" % message_row.name)
    h.check(h.child(dialog, roleName="label", name_contains="Connected to ") is None or
            not h.child(dialog, roleName="label", name_contains="Connected to ").name.strip(
                "Connected to "), "success shown after a 401")
    # The fields were kept: Connect is sensitive again without retyping anything.
    connect = h.wait_child(dialog, roleName="push button", name="Connect")
    h.wait_for(lambda: connect.sensitive, "Connect to be sensitive again (fields kept)")
    session.set_fault(provider, "none")
    h.click(retry)
    wait_success(dialog, provider)
    click_done(dialog, provider)
    h.wait_for(lambda: account_row(h.IDENTITY[provider]), "the Humaans account row")


def test_escape_cancels_then_closes():
    provider = "leapsome"
    session.set_fault(provider, "stall")
    dialog = open_provider(provider)
    fill_good(dialog, provider)
    h.click(h.wait_child(dialog, roleName="push button", name="Connect"))
    h.wait_child(dialog, "the checking label", roleName="label", name="Checking with Leapsome…")
    h.wait_child(dialog, "Connect turned into Cancel", roleName="push button", name="Cancel")
    h.press("Escape")
    connect = h.wait_child(dialog, "Connect back after Escape", roleName="push button",
                           name="Connect")
    h.wait_for(lambda: connect.sensitive, "Connect sensitive again (fields kept)")
    h.check(h.child(session.app, name="Connect Leapsome") is not None,
            "the first Escape closed the dialog instead of cancelling")
    h.press("Escape")
    h.wait_gone(lambda: h.child(session.app, name="Connect Leapsome"),
                "the second Escape to close the dialog")
    session.set_fault(provider, "none")
    h.check(not h.children(accounts_list(), roleName="list item"),
            "a cancelled check added an account")
    session.assert_alive()


def test_connect_each_provider():
    for provider in ("leapsome", "sesame", "smartrecruiters", "unleashed"):
        h.log("linking " + provider)
        dialog = open_provider(provider)
        fill_good(dialog, provider)
        h.click(h.wait_child(dialog, roleName="push button", name="Connect"))
        wait_success(dialog, provider)
        click_done(dialog, provider)
        row = h.wait_for(lambda: account_row(h.IDENTITY[provider]),
                         "the %s account row" % provider)
        h.check(h.child(row, name="Status: Connected") is not None,
                "the %s row does not show Connected" % provider)
    rows = h.children(accounts_list(), roleName="list item")
    h.check(len(rows) == 5, "expected 5 account rows, have %r" % [r.name for r in rows])


def test_duplicate_updates_existing():
    provider = "humaans"
    dialog = open_provider(provider)
    fill_good(dialog, provider)
    h.click(h.wait_child(dialog, roleName="push button", name="Connect"))
    update = h.wait_child(dialog, "the Update Existing Account button", timeout=20,
                          roleName="push button", name="Update Existing Account")
    notice = h.wait_child(dialog, roleName="list item", name_contains="Already linked as")
    h.check(h.IDENTITY[provider] in notice.name, "the notice names %r" % notice.name)
    h.click(update)
    wait_success(dialog, provider)
    click_done(dialog, provider)
    rows = h.children(accounts_list(), roleName="list item")
    h.check(len(rows) == 5, "a duplicate added a row: %r" % [r.name for r in rows])


def main():
    global session
    with h.Session() as session:
        h.run([test_escape_cancels_then_closes, test_failure_keeps_fields,
               test_connect_each_provider,
               test_duplicate_updates_existing])


if __name__ == "__main__":
    main()
