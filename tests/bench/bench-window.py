#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Window memory: RSS of connect-hub with 0 and with 1000 accounts.

Runs under build-aux/run-headless.sh --x11 --keyring=unlocked:
    bench-window.py CONNECT_HUB_BIN BUILDDIR
Prints "name: value unit (ratio x baseline)" lines, like the C benchmarks.

The accounts exist only in accounts.ini (the keyring is empty), so the list
shows 1000 rows marked "secret missing"; nothing is checked, and every base URL
points at a closed loopback port so that nothing could leave the machine.
RSS is read from /proc once the window is visible and the RSS has stopped
changing (five samples 0.2 s apart within 0.5 %); "settled" is the time from
start until that stable run began (0.2 s resolution).
"""
import os
import subprocess
import sys
import tempfile
import time

PROVIDERS = ["humaans", "leapsome", "sesame", "smartrecruiters", "unleashed"]


def write_accounts(path, n):
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            provider = PROVIDERS[i % len(PROVIDERS)]
            f.write("[%08x-4d5e-4f60-8a7b-%012d]\n" % (i, i))
            f.write("provider=%s\nlabel=Account %d of Example Company\n" % (provider, i))
            f.write("identity=Example Company %d (people%d@example.test)\n" % (i, i))
            f.write("status=connected\nconnected_at=2026-11-01T09:00:00Z\n")
            f.write("checked_at=2026-11-27T08:00:00Z\n")
            if provider == "sesame":
                f.write("value.region=eu1\n")
            f.write("\n")
    os.chmod(path, 0o600)


def rss_kib(pid):
    with open("/proc/%d/status" % pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def window_visible():
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Connect Hub$"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         universal_newlines=True).stdout
    return bool(out.split())


def measure(binary, builddir, n):
    tmp = tempfile.mkdtemp(prefix="connect-hub-bench-window-")
    data = os.path.join(tmp, "data")
    write_accounts(os.path.join(data, "connect-hub", "accounts.ini"), n)
    env = dict(os.environ,
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(builddir, "data"),
               CONNECT_HUB_LOCALEDIR=os.path.join(builddir, "po"),
               XDG_DATA_HOME=data,
               XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               XDG_CACHE_HOME=os.path.join(tmp, "cache"),
               LANGUAGE="en", LANG="C.UTF-8")
    for p in PROVIDERS:
        env["CONNECT_HUB_BASE_URL_" + p.upper()] = "http://127.0.0.1:9/" + p
    start = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, universal_newlines=True)
    try:
        deadline = start + 60
        while not window_visible():
            if proc.poll() is not None:
                sys.exit("connect-hub exited with %s: %s" % (proc.returncode, proc.stderr.read()))
            if time.monotonic() > deadline:
                sys.exit("no window named Connect Hub after 60 s")
            time.sleep(0.05)
        samples = []
        while time.monotonic() < deadline:
            samples.append((time.monotonic() - start, rss_kib(proc.pid)))
            last = [rss for _, rss in samples[-5:]]
            if len(last) == 5 and max(last) - min(last) <= 0.005 * max(last):
                break
            time.sleep(0.2)
        # Settled: when the run of stable samples began (rows built, list loaded).
        return samples[-1][1], samples[-5][0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        subprocess.run(["rm", "-rf", tmp])


def main(binary, builddir):
    if not os.environ.get("DISPLAY"):
        sys.exit("run under build-aux/run-headless.sh --x11")
    rss0, settled0 = measure(binary, builddir, 0)
    rss1000, settled1000 = measure(binary, builddir, 1000)
    print("window-rss-0: %d KiB (baseline)" % rss0)
    print("window-rss-1000: %d KiB (%.2f x window-rss-0)" % (rss1000, rss1000 / rss0))
    print("window-settled-0: %.3f s (baseline)" % settled0)
    print("window-settled-1000: %.3f s (%.2f x window-settled-0)"
          % (settled1000, settled1000 / settled0))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bench-window.py CONNECT_HUB_BIN BUILDDIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
