#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Desktop integration checks, one TAP test per subcommand (registered in tests/meson.build).

  test-desktop.py desktop FILE                   desktop-file-validate, no errors or warnings
  test-desktop.py metainfo FILE                  appstreamcli validate --no-net
  test-desktop.py schema SRCDIR BUILDDIR         glib-compile-schemas --strict; compiled copy usable
  test-desktop.py po SRCROOT                     msgfmt -c --check-format for every language
  test-desktop.py po-complete SRCROOT            every msgid of a fresh .pot translated, not fuzzy
  test-desktop.py potfiles SRCROOT               POTFILES.in lists every file with strings
  test-desktop.py provider-strings SRCROOT       po/provider-strings.c matches the catalog
  test-desktop.py flatpak MANIFEST               app id, command, runtime, finish-args
  test-desktop.py help-overlay FILE              shortcuts window: well-formed, translatable
  test-desktop.py translated BINARY SRCROOT BUILDDIR
                                                 `connect-hub providers --json` in de and es
  test-desktop.py install BUILDDIR               meson install --destdir: every desktop file there
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.connecthub.ConnectHub"
GETTEXT_PACKAGE = "connect-hub"


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            if detail:
                for line in str(detail).rstrip().splitlines():
                    print("# " + line)
        sys.stdout.flush()
        return cond

    def finish(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def linguas(srcroot):
    with open(os.path.join(srcroot, "po", "LINGUAS"), encoding="utf-8") as f:
        return [w for line in f for w in line.split("#")[0].split()]


# --- minimal .po reader (msgctxt, msgid, msgid_plural, msgstr[n], flags) -------------------

def _unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def read_po(path):
    entries = []
    cur = None
    key = None

    def flush():
        if cur is not None and "msgid" in cur:
            entries.append(cur)

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip():
                flush()
                cur, key = None, None
                continue
            if cur is None:
                cur = {"flags": set(), "msgstr": {}, "obsolete": False}
            if line.startswith("#~"):
                cur["obsolete"] = True
                continue
            if line.startswith("#,"):
                cur["flags"].update(x.strip() for x in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if m:
                kw, idx, val = m.group(1), m.group(2), _unquote(m.group(3))
                if kw.startswith("msgstr"):
                    key = ("msgstr", int(idx) if idx is not None else 0)
                    cur["msgstr"][key[1]] = val
                else:
                    key = (kw, None)
                    cur[kw] = val
                continue
            if line.startswith('"') and key is not None:
                if key[0] == "msgstr":
                    cur["msgstr"][key[1]] += _unquote(line)
                else:
                    cur[key[0]] += _unquote(line)
    flush()
    return [e for e in entries if not e["obsolete"]]


def po_translations(path):
    """(msgctxt, msgid) -> msgstr[0] for translated, non-fuzzy entries."""
    out = {}
    for e in read_po(path):
        if e["msgid"] == "" or "fuzzy" in e["flags"]:
            continue
        s = e["msgstr"].get(0, "")
        if s:
            out[(e.get("msgctxt"), e["msgid"])] = s
    return out


# --- subcommands ---------------------------------------------------------------------------

def t_desktop(tap, path):
    tap.ok(os.path.isfile(path), "built desktop file exists", path)
    r = run(["desktop-file-validate", path])
    bad = [l for l in r.stdout.splitlines() if re.search(r":\s*(error|warning):", l)]
    tap.ok(r.returncode == 0 and not bad, "desktop-file-validate: no errors or warnings", r.stdout)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    tap.ok(re.search(r"^Exec=connect-hub$", text, re.M) is not None, "Exec=connect-hub", text)
    tap.ok(re.search(r"^Icon=%s$" % re.escape(APP_ID), text, re.M) is not None,
           "Icon is the application id", text)
    tap.ok(re.search(r"^Name\[de\]=", text, re.M) is not None
           or re.search(r"^Comment\[de\]=", text, re.M) is not None,
           "translations were merged (Comment[de])", text)


def t_metainfo(tap, path):
    tap.ok(os.path.isfile(path), "built metainfo exists", path)
    r = run(["appstreamcli", "validate", "--no-net", "--explain", path])
    tap.ok(r.returncode == 0, "appstreamcli validate --no-net", r.stdout)
    root = ET.parse(path).getroot()
    tap.ok(root.findtext("id") == APP_ID, "component id is the application id", root.findtext("id"))
    launch = root.find("launchable")
    tap.ok(launch is not None and launch.text == APP_ID + ".desktop",
           "launchable names the desktop file")
    tap.ok(root.findtext("project_license") == "GPL-3.0-or-later", "project license GPL-3.0-or-later")
    langs = {e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in root.iter("summary")}
    tap.ok("de" in langs and "es" in langs, "summary translated into de and es", sorted(map(str, langs)))


def t_schema(tap, srcdir, builddir):
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(srcdir, "data", APP_ID + ".gschema.xml")
        shutil.copy(src, tmp)
        r = run(["glib-compile-schemas", "--strict", "--dry-run", tmp])
        tap.ok(r.returncode == 0 and not r.stdout.strip(),
               "glib-compile-schemas --strict --dry-run", r.stdout)
    finally:
        shutil.rmtree(tmp)
    compiled = os.path.join(builddir, "data")
    tap.ok(os.path.isfile(os.path.join(compiled, "gschemas.compiled")),
           "schema compiled into the build tree (GSETTINGS_SCHEMA_DIR=<builddir>/data)")
    r = run(["gsettings", "--schemadir", compiled, "list-keys", APP_ID])
    keys = set(r.stdout.split())
    want = {"window-width", "window-height", "window-maximized", "request-timeout"}
    tap.ok(r.returncode == 0 and want <= keys, "compiled schema has the window and timeout keys",
           r.stdout)
    r = run(["gsettings", "--schemadir", compiled, "range", APP_ID, "request-timeout"])
    tap.ok(r.returncode == 0 and "range" in r.stdout and "1" in r.stdout,
           "request-timeout has a range", r.stdout)
    r = run(["gsettings", "--schemadir", compiled, "get", APP_ID, "request-timeout"],
            env=dict(os.environ, GSETTINGS_BACKEND="memory"))
    tap.ok(r.stdout.strip() == "uint32 15", "request-timeout defaults to 15 s (DESIGN.md)", r.stdout)


def t_po(tap, srcroot):
    langs = linguas(srcroot)
    tap.ok({"de", "es"} <= set(langs), "LINGUAS lists de and es", langs)
    for lang in langs:
        po = os.path.join(srcroot, "po", lang + ".po")
        r = run(["msgfmt", "-c", "--check-format", "--statistics", "-o", os.devnull, po],
                env=dict(os.environ, LC_ALL="C"))
        tap.ok(r.returncode == 0, "msgfmt -c --check-format %s.po" % lang, r.stdout)
        with open(po, encoding="utf-8") as f:
            head = f.read(4000)
        plural = {"de": "nplurals=2; plural=(n != 1);", "es": "nplurals=2; plural=(n != 1);"}
        if lang in plural:
            tap.ok(plural[lang] in head, "%s.po Plural-Forms header" % lang)
        tap.ok('"Language: %s\\n"' % lang in head, "%s.po Language header" % lang)


def xgettext_pot(srcroot, out):
    """What `meson compile connect-hub-pot` runs (the glib preset), into OUT."""
    args = ["xgettext", "--package-name=" + GETTEXT_PACKAGE, "-D", srcroot,
            "--files-from=" + os.path.join(srcroot, "po", "POTFILES.in"), "-o", out,
            "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
            "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
            "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
            "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
            "--flag=NC_:2:pass-c-format", "--flag=g_dngettext:2:pass-c-format",
            "--flag=g_strdup_printf:1:c-format", "--flag=g_string_printf:2:c-format",
            "--flag=g_string_append_printf:2:c-format", "--flag=g_error_new:3:c-format",
            "--flag=g_set_error:4:c-format", "--flag=g_markup_printf_escaped:1:c-format",
            "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format"]
    return run(args)


def t_po_complete(tap, srcroot):
    tmp = tempfile.mkdtemp()
    try:
        pot = os.path.join(tmp, GETTEXT_PACKAGE + ".pot")
        r = xgettext_pot(srcroot, pot)
        if not tap.ok(r.returncode == 0 and os.path.isfile(pot), "xgettext over POTFILES.in",
                      r.stdout):
            return
        ids = [(e.get("msgctxt"), e["msgid"]) for e in read_po(pot) if e["msgid"]]
        tap.ok(len(ids) > 0, "the template has messages (%d)" % len(ids))
        for lang in linguas(srcroot):
            done = po_translations(os.path.join(srcroot, "po", lang + ".po"))
            missing = [i for i in ids if i not in done]
            tap.ok(not missing, "%s.po translates all %d messages" % (lang, len(ids)),
                   "\n".join("missing: %r" % (m,) for m in missing[:40]))
    finally:
        shutil.rmtree(tmp)


TRANSLATABLE_C = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')


def needs_translation(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if path.endswith((".c", ".h")):
        return TRANSLATABLE_C.search(text) is not None
    if path.endswith(".ui"):
        return 'translatable="yes"' in text
    if path.endswith((".desktop.in", ".metainfo.xml.in", ".gschema.xml")):
        return True
    return False


def t_potfiles(tap, srcroot):
    with open(os.path.join(srcroot, "po", "POTFILES.in"), encoding="utf-8") as f:
        listed = [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]
    missing_files = [p for p in listed if not os.path.isfile(os.path.join(srcroot, p))]
    tap.ok(not missing_files, "every file in POTFILES.in exists", "\n".join(missing_files))
    tap.ok(len(listed) == len(set(listed)), "no file listed twice")
    candidates = []
    for sub in ("src", "data", "po"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcroot, sub)):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                rel = os.path.relpath(os.path.join(dirpath, name), srcroot)
                if needs_translation(os.path.join(srcroot, rel)):
                    candidates.append(rel)
    tap.ok(len(candidates) > 0, "found files with translatable strings (%d)" % len(candidates))
    unlisted = sorted(set(candidates) - set(listed))
    tap.ok(not unlisted, "every file with _( or translatable=\"yes\" is in po/POTFILES.in",
           "\n".join("not listed: " + u for u in unlisted))


def t_provider_strings(tap, srcroot):
    script = os.path.join(srcroot, "build-aux", "extract-provider-strings.py")
    out = os.path.join(srcroot, "po", "provider-strings.c")
    r = run([sys.executable, script, "--check", os.path.join(srcroot, "data", "providers"), out])
    tap.ok(r.returncode == 0, "po/provider-strings.c is regenerated identically from the catalog",
           r.stdout)
    # Every string the catalog translates must be in the file (guards the extractor itself).
    with open(out, encoding="utf-8") as f:
        generated = f.read()
    pdir = os.path.join(srcroot, "data", "providers")
    count = 0
    absent = []
    for name in sorted(os.listdir(pdir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(pdir, name), encoding="utf-8") as f:
            p = json.load(f)
        texts = [p.get("description"), p.get("rejected_hint")]
        texts += [w.get("text") for w in p.get("warnings", [])]
        texts += [s.get(k) for s in p.get("steps", []) for k in ("text", "link_label")]
        texts += [fl.get(k) for fl in p.get("fields", []) for k in ("label", "hint", "placeholder")]
        texts += [c.get("label") for v in p.get("verify", []) for c in v.get("captures", [])]
        for t in texts:
            if isinstance(t, str) and t.strip():
                count += 1
                lit = json.dumps(t, ensure_ascii=False)
                if lit not in generated:
                    absent.append("%s: %s" % (name, t))
    tap.ok(count > 0, "the catalog has translatable strings (%d)" % count)
    tap.ok(not absent, "each translated catalog string appears as an N_() literal",
           "\n".join(absent[:30]))


FINISH_ARGS = {"--share=network", "--socket=wayland", "--socket=fallback-x11", "--share=ipc",
               "--device=dri", "--talk-name=org.freedesktop.secrets"}


def t_flatpak(tap, manifest):
    with open(manifest, encoding="utf-8") as f:
        try:
            m = json.load(f)
        except ValueError as e:
            tap.ok(False, "manifest is JSON", e)
            return
    tap.ok(True, "manifest is JSON")
    tap.ok(m.get("app-id") == APP_ID or m.get("id") == APP_ID, "app-id", m.get("app-id"))
    tap.ok(m.get("command") == "connect-hub", "command connect-hub", m.get("command"))
    tap.ok(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk",
           "GNOME runtime and SDK")
    rv = str(m.get("runtime-version", ""))
    tap.ok(rv.isdigit() and int(rv) >= 43, "runtime-version has libsoup 3 and libadwaita >= 1.2", rv)
    fa = m.get("finish-args", [])
    tap.ok(len(fa) == len(set(fa)) and set(fa) == FINISH_ARGS,
           "finish-args are exactly the six needed",
           "extra: %s\nmissing: %s" % (sorted(set(fa) - FINISH_ARGS), sorted(FINISH_ARGS - set(fa))))
    mods = m.get("modules", [])
    last = mods[-1] if mods else {}
    tap.ok(isinstance(last, dict) and last.get("buildsystem") == "meson", "app module builds with meson")
    srcs = last.get("sources", []) if isinstance(last, dict) else []
    tap.ok(any(s.get("type") == "dir" and s.get("path") == ".." for s in srcs),
           "app module source is the checkout (dir ..)")


def t_help_overlay(tap, path):
    root = ET.parse(path).getroot()
    win = [o for o in root.iter("object") if o.get("class") == "GtkShortcutsWindow"]
    tap.ok(len(win) == 1 and win[0].get("id") == "help_overlay",
           "one GtkShortcutsWindow with id help_overlay")
    titles = [p for p in root.iter("property") if p.get("name") == "title"]
    tap.ok(titles and all(p.get("translatable") == "yes" for p in titles), "titles translatable")
    accels = [p.text for p in root.iter("property") if p.get("name") == "accelerator"]
    for want in ("<Control>question", "<Control>w", "<Control>q", "<Control>f", "<Control>n",
                 "<Alt>Left"):
        tap.ok(any(want in (a or "").split() for a in accels), "shortcut %s listed" % want)


def t_translated(tap, binary, srcroot, builddir):
    catalog = {}
    pdir = os.path.join(srcroot, "data", "providers")
    for name in sorted(os.listdir(pdir)):
        if name.endswith(".json"):
            with open(os.path.join(pdir, name), encoding="utf-8") as f:
                p = json.load(f)
            catalog[p["id"]] = p
    tap.ok(len(catalog) > 0, "catalog read (%d providers)" % len(catalog))
    localedir = os.path.join(builddir, "po")
    for lang in ("de", "es"):
        tap.ok(os.path.isfile(os.path.join(localedir, lang, "LC_MESSAGES", GETTEXT_PACKAGE + ".mo")),
               "%s .mo built into <builddir>/po" % lang)
        trans = po_translations(os.path.join(srcroot, "po", lang + ".po"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        env.update(LANG="C.UTF-8", LANGUAGE=lang, CONNECT_HUB_LOCALEDIR=localedir)
        r = subprocess.run([binary, "providers", "--json"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=20)
        if not tap.ok(r.returncode == 0, "%s: connect-hub providers --json exits 0" % lang,
                      r.stderr):
            continue
        try:
            out = json.loads(r.stdout)
        except ValueError as e:
            tap.ok(False, "%s: output is JSON" % lang, e)
            continue
        got = {p.get("id"): p for p in out if isinstance(p, dict)}
        checked = 0
        for pid, p in catalog.items():
            want = trans.get((None, p["description"]))
            if want is None:
                tap.ok(False, "%s: %s description has a translation" % (lang, pid))
                continue
            checked += 1
            tap.ok(pid in got and got[pid].get("description") == want,
                   "%s: %s description shown translated" % (lang, pid),
                   "want %r\ngot  %r" % (want, got.get(pid, {}).get("description")))
            tap.ok(pid in got and got[pid].get("name") == p["name"],
                   "%s: %s name left as is" % (lang, pid))
        tap.ok(checked > 0, "%s: some descriptions compared" % lang)
        # A provider's technical labels stay as the provider writes them.
        un = got.get("unleashed", {})
        labels = {f.get("id"): f.get("label") for f in un.get("fields", [])}
        if "api_id" in labels:
            tap.ok(labels["api_id"] == "API Id", "%s: Unleashed's API Id label untranslated" % lang,
                   labels)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG="C.UTF-8", LANGUAGE="en", CONNECT_HUB_LOCALEDIR=localedir)
    r = subprocess.run([binary, "providers", "--json"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=20)
    try:
        en = {p["id"]: p for p in json.loads(r.stdout)}
    except (ValueError, KeyError, TypeError):
        en = {}
    tap.ok(all(en.get(pid, {}).get("description") == p["description"]
               for pid, p in catalog.items()) and en,
           "English (no catalog) shows the source strings")


def t_install(tap, builddir):
    tmp = tempfile.mkdtemp()
    try:
        r = run(["meson", "install", "-C", builddir, "--no-rebuild", "--quiet",
                 "--destdir", tmp])
        if not tap.ok(r.returncode == 0, "meson install --destdir", r.stdout):
            return
        with open(os.path.join(builddir, "meson-info", "intro-buildoptions.json")) as f:
            opts = {o["name"]: o["value"] for o in json.load(f)}
        prefix = opts["prefix"].lstrip("/")
        datadir = os.path.join(tmp, prefix, opts["datadir"])
        expect = {
            "binary": os.path.join(tmp, prefix, opts["bindir"], "connect-hub"),
            "desktop file": os.path.join(datadir, "applications", APP_ID + ".desktop"),
            "metainfo": os.path.join(datadir, "metainfo", APP_ID + ".metainfo.xml"),
            "scalable icon": os.path.join(datadir, "icons/hicolor/scalable/apps", APP_ID + ".svg"),
            "symbolic icon": os.path.join(datadir, "icons/hicolor/symbolic/apps",
                                          APP_ID + "-symbolic.svg"),
            "GSettings schema": os.path.join(datadir, "glib-2.0/schemas", APP_ID + ".gschema.xml"),
        }
        for lang in ("de", "es"):
            expect["%s translation" % lang] = os.path.join(
                tmp, prefix, opts["localedir"], lang, "LC_MESSAGES", GETTEXT_PACKAGE + ".mo")
        for what, path in expect.items():
            tap.ok(os.path.isfile(path), "installed: %s" % what, os.path.relpath(path, tmp))
        b = expect["binary"]
        tap.ok(os.path.isfile(b) and os.access(b, os.X_OK), "binary is executable")
    finally:
        shutil.rmtree(tmp)


def main(argv):
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    tap = Tap()
    cmd, args = argv[0], argv[1:]
    table = {
        "desktop": t_desktop, "metainfo": t_metainfo, "schema": t_schema, "po": t_po,
        "po-complete": t_po_complete, "potfiles": t_potfiles,
        "provider-strings": t_provider_strings, "flatpak": t_flatpak,
        "help-overlay": t_help_overlay, "translated": t_translated, "install": t_install,
    }
    if cmd not in table:
        sys.stderr.write(__doc__)
        return 2
    try:
        table[cmd](tap, *args)
    except Exception as e:  # a crash is a failure, reported in TAP
        import traceback
        tap.ok(False, "%s ran without an exception" % cmd, traceback.format_exc())
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
