#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account page on an account linked beforehand (with `connect-hub link`): rename,
Check Now reporting a rejection, relink with the secret left unchanged, and remove with
confirmation (Delete asks too; Escape cancels)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ui_helpers as h  # noqa: E402

session = None


def accounts_list():
    return h.wait_child(session.window, roleName="list", name="Linked Accounts")


def account_row(text):
    return h.child(accounts_list(), roleName="list item", name_contains=text)


def wait_success(dialog, provider):
    title = h.wait_child(dialog, "the success page of %s" % provider, timeout=20,
                         roleName="label", name_contains="Connected to ")
    h.check(h.IDENTITY[provider] in title.name,
            "success page says %r, expected it to name %r" % (title.name, h.IDENTITY[provider]))
    return title


def test_search_and_check_all_keys():
    # Ctrl+F, then the search filters accounts by identity and providers by name/description.
    h.press("ctrl+f")
    h.type_text("gmbh")
    h.wait_for(lambda: [r.name for r in h.children(accounts_list(), roleName="list item")]
               == [h.child(accounts_list(), roleName="list item",
                           name_contains=h.IDENTITY["humaans"]).name],
               "only the Humaans account left")
    providers = h.wait_child(session.window, roleName="list", name="Providers")
    h.wait_for(lambda: not h.children(providers, roleName="list item"), "no provider left")
    h.check(h.child(providers, roleName="label", name="No providers match.") is not None,
            "no placeholder for an empty provider list")
    h.press("Escape")
    h.wait_for(lambda: len(h.children(accounts_list(), roleName="list item")) == 2,
               "both accounts back")
    # F5 checks every account and says so.
    h.press("F5")
    h.wait_child(session.window, "the Check All toast", timeout=20, roleName="label",
                 name="2 accounts checked: all connected")


def open_account(text):
    row = h.wait_for(lambda: account_row(text), "the account row %r" % text)
    h.activate(row, session.window)
    return h.wait_child(session.window, roleName="push button", name="Check Now")


def test_rename():
    open_account(h.IDENTITY["unleashed"])
    h.fill(session.window, "Label", "Acme NZ")
    h.press("Return")
    h.wait_child(session.window, "the page titled with the new label",
                 roleName="label", name="Acme NZ")
    h.press("alt+Left")
    h.wait_for(lambda: account_row("Acme NZ"), "the renamed row in the list")


def activity_names():
    names = [r.name for r in h.children(session.window, roleName="list item")]
    return [n for n in names if n in ("Linked", "Relinked", "Connected", "Not checked yet")
            or n.startswith("Rejected: ") or n.startswith("Check failed: ")]


def test_check_now_reports_rejection():
    check_now = open_account("Acme NZ")
    # The Activity group: the link, then the F5 check, newest first.
    h.wait_child(session.window, "the Activity group", roleName="label", name="Activity")
    h.wait_for(lambda: activity_names() == ["Connected", "Linked"],
               "the activity of the link and the F5 check (have %r)" % activity_names())
    session.set_fault("unleashed", "401")
    h.click(check_now)
    h.wait_child(session.window, "the Needs relink status", timeout=20,
                 name="Status: Needs relink")
    session.set_fault("unleashed", "none")
    # The check shows up at once, first, with what the provider said, when and how long.
    h.wait_for(lambda: len(activity_names()) == 3, "a third activity entry (have %r)"
               % activity_names())
    names = activity_names()
    h.check(names[0].startswith("Rejected: Unleashed refused") and names[1:] == ["Connected",
                                                                                 "Linked"],
            "the activity is %r" % names)
    duration = h.wait_child(session.window, "the time and duration of the check",
                            roleName="label", name_contains="just now · ")
    # A check faster than the millisecond clock says so instead of "0 ms"; a slow one counts
    # seconds.
    h.check(re.fullmatch(r"just now · (under 1 ms|[1-9][0-9]{0,2} ms|[0-9]+\.[0-9] s)",
                         duration.name) is not None,
            "the duration reads %r" % duration.name)


def choose_status_filter(keys):
    dropdown = h.wait_child(session.window, roleName="combo box", name="Status filter")
    h.click(h.wait_child(dropdown, roleName="push button"))
    for key in keys:
        h.press(key)
    h.press("Return")


def row_names():
    return sorted(r.name for r in h.children(accounts_list(), roleName="list item"))


def test_status_filter():
    h.press("alt+Left")
    humaans = h.wait_for(lambda: account_row(h.IDENTITY["humaans"]), "the Humaans row").name
    choose_status_filter(["Down", "Down"])  # All → Needs attention
    h.wait_for(lambda: row_names() == ["Acme NZ"], "only the rejected account (have %r)"
               % row_names())
    choose_status_filter(["Up"])  # → Connected
    h.wait_for(lambda: row_names() == [humaans], "only the connected account")
    choose_status_filter(["Up"])  # → All
    h.wait_for(lambda: len(row_names()) == 2, "both accounts again")
    open_account("Acme NZ")


def test_relink_keeps_secret():
    h.click(h.wait_child(session.window, roleName="push button", name="Relink…"))
    dialog = h.dialog_window(session.app, "Relink")
    # Every field keeps its value: the API Id is prefilled, the API Key left empty.
    h.wait_child(dialog, "the unchanged-secret hint", roleName="label",
                 name_contains="Unchanged")
    connect = h.wait_child(dialog, roleName="push button", name="Connect")
    h.wait_for(lambda: connect.sensitive, "Connect to be sensitive with the secret unchanged")
    h.click(connect)
    wait_success(dialog, "unleashed")
    h.click(h.wait_child(dialog, roleName="push button", name="Done"))
    h.wait_gone(lambda: [w for w in session.app.children if w.name.startswith("Relink ")],
                "the relink dialog to close")
    h.wait_child(session.window, "the Connected status after relinking", timeout=10,
                 name="Status: Connected")
    h.check(h.child(session.window, name="Status: Needs relink") is None,
            "a Needs relink status is still shown")
    # The relink heads the activity, above the rejection it answered.
    h.wait_for(lambda: activity_names()[:1] == ["Relinked"]
               and activity_names()[1].startswith("Rejected: "),
               "Relinked, then the rejection, in the activity (have %r)" % activity_names())


def test_remove_with_confirmation():
    # Delete asks first (once the focus is out of the label entry); Escape cancels.
    h.click_at(h.wait_child(session.window, roleName="list item", name="Last Checked"),
               session.window)
    h.press("Delete")
    h.wait_child(session.app, "the confirmation after Delete", roleName="label",
                 name="Remove “Acme NZ”?")
    h.press("Escape")
    h.wait_gone(lambda: h.child(session.app, roleName="label", name="Remove “Acme NZ”?"),
                "the confirmation to close")
    h.check(account_row("Acme NZ") is not None, "cancelling removed the account")

    h.click(h.wait_child(session.window, roleName="push button", name="Remove Account…"))
    heading = h.wait_child(session.app, "the confirmation", roleName="label",
                           name="Remove “Acme NZ”?")
    h.check(heading is not None, "no confirmation heading")
    body = h.wait_child(session.app, roleName="label", name_contains="is deleted from the keyring")
    h.check("Unleashed" in body.name, "the confirmation does not name the provider: %r" % body.name)
    # libadwaita 1.2 names the response buttons "_Remove Remove", and a message dialog
    # holds two button layouts (wide and narrow): click them until one takes.
    candidates = h.wait_for(lambda: [b for b in h.children(session.app, roleName="push button")
                                     if b.name.replace("_", "").split()[:1] == ["Remove"]],
                            "the Remove button")
    for button in reversed(candidates):
        try:
            h.click(button)
        except Exception:
            continue
        if h.child(session.app, roleName="label", name="Remove “Acme NZ”?") is None:
            break
    h.wait_for(lambda: account_row("Acme NZ") is None, "the removed row to disappear")
    rows = h.children(accounts_list(), roleName="list item")
    h.check(len(rows) == 1, "expected 1 account row, have %r" % [r.name for r in rows])
    session.assert_alive()


def test_delete_on_a_row_asks():
    h.wait_for(lambda: account_row(h.IDENTITY["humaans"]), "the list with the Humaans row")
    h.press("ctrl+n")  # the first provider row…
    h.press("shift+Tab")  # …and back into the account list
    h.press("Delete")
    heading = h.wait_child(session.app, "the confirmation after Delete on a row",
                           roleName="label", name_contains="Remove “")
    h.check(h.IDENTITY["humaans"] in heading.name, "the confirmation names %r" % heading.name)
    h.press("Escape")
    h.wait_gone(lambda: h.child(session.app, roleName="label", name_contains="Remove “"),
                "the confirmation to close")
    h.check(account_row(h.IDENTITY["humaans"]) is not None, "cancelling removed the account")


def main():
    global session
    with h.Session(start_app=False) as session:
        session.link_with_cli("unleashed")
        session.link_with_cli("humaans")
        session.start_app()
        h.wait_for(lambda: account_row(h.IDENTITY["unleashed"]), "the linked account in the list")
        h.run([test_search_and_check_all_keys, test_rename, test_check_now_reports_rejection,
               test_status_filter, test_relink_keeps_secret, test_remove_with_confirmation,
               test_delete_on_a_row_asks])


if __name__ == "__main__":
    main()
