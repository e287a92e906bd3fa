#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Foundation UI test: the catalog is listed, search filters it, a provider opens."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ui_helpers as h  # noqa: E402

session = None


def provider_names(window):
    providers = h.wait_child(window, roleName="list", name="Providers")
    return [row.name for row in h.children(providers, roleName="list item")]


def test_five_providers_listed():
    names = h.wait_for(lambda: provider_names(session.window) if
                       len(provider_names(session.window)) == 5 else None,
                       "five provider rows")
    h.check(sorted(names) == sorted(h.NAMES.values()), "providers listed: %r" % names)
    empty = h.child(session.window, roleName="label", name_contains="No accounts yet")
    h.check(empty is not None, "the empty account list shows no invitation")


def test_search_filters_providers():
    search = h.wait_child(session.window, roleName="entry",
                          name="Search accounts and providers")
    h.click_at(search, session.window)
    h.type_text("unl")
    h.wait_for(lambda: provider_names(session.window) == ["Unleashed"],
               "only Unleashed left after searching 'unl' (have %r)"
               % provider_names(session.window))
    # Escape in the search entry clears it: every provider comes back.
    h.press("Escape")
    h.wait_for(lambda: len(provider_names(session.window)) == 5, "the providers back after Escape")
    h.type_text("unl")
    h.wait_for(lambda: provider_names(session.window) == ["Unleashed"], "searching again")


CONTROL_ROLES = ("push button", "toggle button", "combo box", "link", "check box", "entry",
                 "text", "password text", "menu item", "radio button")


def unnamed_controls(root):
    """Controls without a real accessible name (empty, or GTK's fallback: the type name)."""
    bad = []
    for node in h.children(root):
        try:
            if node.roleName in CONTROL_ROLES:
                name = node.name or ""
                if not name.strip() or name.startswith(("Gtk", "Adw")):
                    bad.append("%s %r" % (node.roleName, name))
        except Exception:
            continue
    return bad


def test_controls_named():
    bad = unnamed_controls(session.window)
    h.check(not bad, "controls without an accessible name in the window: %r" % bad)


def test_open_provider_shows_fields():
    row = h.wait_child(session.window, roleName="list item", name="Unleashed")
    h.activate(row, session.window)
    dialog = h.dialog_window(session.app, "Connect Unleashed")
    h.entry_for(dialog, "API Id")
    h.entry_for(dialog, "API Key")
    connect = h.wait_child(dialog, roleName="push button", name="Connect")
    h.check(not connect.sensitive, "Connect is sensitive with empty required fields")
    h.check(h.child(dialog, roleName="push button", name="Guide") is not None, "no Guide button")
    warnings = h.child(dialog, roleName="list", name="Before You Start")
    h.check(warnings is not None and h.children(warnings, roleName="list item"),
            "no warning rows")
    bad = unnamed_controls(dialog)
    h.check(not bad, "controls without an accessible name in the dialog: %r" % bad)

    # A malformed API Id is marked only once the focus leaves the field.
    h.fill(dialog, "API Id", "not-a-guid")
    h.check(h.child(dialog, roleName="label", name_contains="GUID") is None,
            "the error hint appeared while typing")
    h.fill(dialog, "API Key", "MADE-UP")
    h.wait_child(dialog, "the API Id hint after leaving the field", roleName="label",
                 name_contains="GUID")
    h.check(not connect.sensitive, "Connect is sensitive with a malformed API Id")
    h.fill(dialog, "API Id", "0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b")
    h.wait_gone(lambda: h.child(dialog, roleName="label", name_contains="GUID"),
                "the hint to go once the API Id is valid")
    h.wait_for(lambda: connect.sensitive, "Connect sensitive with valid fields")
    h.press("Escape")
    h.wait_gone(lambda: h.child(session.app, name="Connect Unleashed"), "the dialog to close")
    session.assert_alive()


def test_ctrl_n_focuses_providers():
    # The search still holds "unl": Ctrl+N focuses the first (only) provider, Enter opens it.
    h.press("ctrl+n")
    h.press("Return")
    h.dialog_window(session.app, "Connect Unleashed")
    h.press("Escape")
    h.wait_gone(lambda: h.child(session.app, name="Connect Unleashed"), "the dialog to close")


def test_typing_on_a_row_starts_search():
    h.press("ctrl+f")
    h.press("ctrl+a")
    h.press("BackSpace")
    h.wait_for(lambda: len(provider_names(session.window)) == 5, "every provider back")
    h.press("ctrl+n")  # the focus on a row, out of the search entry
    h.type_text("leap")
    h.wait_for(lambda: provider_names(session.window) == ["Leapsome"],
               "typing on a row to search (have %r)" % provider_names(session.window))


def same_row(a, b):
    """Whether the vertical middles of two nodes lie within a few pixels."""
    _, ay, _, ah = h.extents(a)
    _, by, _, bh = h.extents(b)
    return abs((ay + ah // 2) - (by + bh // 2)) <= 6


def below(a, b):
    """Whether node a starts under the bottom of node b."""
    return h.extents(a)[1] >= h.extents(b)[1] + h.extents(b)[3]


def test_narrow_window_header():
    window = h.window_id("Connect Hub")
    button = h.wait_child(session.window, roleName="push button", name="Check All")
    title = h.wait_child(session.window, roleName="label", name="Linked Accounts")
    status = h.wait_child(session.window, roleName="combo box", name="Status filter")
    h.wait_for(lambda: same_row(status, title), "the filters beside the title when wide")
    wide = h.extents(button)[2]

    subprocess.run(["xdotool", "windowsize", window, "360", "640"], check=True)
    # Check All keeps its name and tooltip with the label gone; the title gets the room.
    h.wait_for(lambda: 0 < h.extents(button)[2] < wide,
               "Check All to drop its label (%d px wide)" % h.extents(button)[2])
    h.check(button.name == "Check All", "the narrow Check All is named %r" % button.name)
    h.check(button.description == "Check every account again (F5)",
            "the narrow Check All describes itself as %r" % button.description)
    h.wait_for(lambda: below(status, title), "the filters below the title when narrow")

    subprocess.run(["xdotool", "windowsize", window, "860", "680"], check=True)
    h.wait_for(lambda: h.extents(button)[2] == wide, "the Check All label back")
    h.wait_for(lambda: same_row(status, title), "the filters beside the title again")
    session.assert_alive()


def main():
    global session
    with h.Session() as session:
        h.run([test_five_providers_listed, test_controls_named, test_search_filters_providers,
               test_open_provider_shows_fields, test_ctrl_n_focuses_providers,
               test_typing_on_a_row_starts_search, test_narrow_window_header])


if __name__ == "__main__":
    main()
