#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sum meson test logs into one closing line: "N passed, N failed, N skipped".

A TAP test counts each of its subtests ("ok" / "not ok" lines); a test with no TAP output counts
once by its result. A test that crashed or timed out after some subtests adds one failure, so a
crash never hides behind the subtests that passed before it. Exits 1 when anything failed or when
no test ran at all.
"""
import json
import re
import sys

passed = failed = skipped = 0
failures = []

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            result = t.get("result", "")
            out = t.get("stdout") or ""
            ok = nok = skip = 0
            for l in out.splitlines():
                if re.match(r"^ok \d+", l):
                    if re.search(r"#\s*SKIP", l, re.I):
                        skip += 1
                    else:
                        ok += 1
                elif re.match(r"^not ok \d+", l):
                    if re.search(r"#\s*TODO", l, re.I):
                        skip += 1
                    else:
                        nok += 1
            if ok + nok + skip == 0:
                if result in ("OK", "EXPECTEDFAIL"):
                    ok = 1
                elif result == "SKIP":
                    skip = 1
                else:
                    nok = 1
            elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and nok == 0:
                nok = 1  # crashed, timed out or exited non-zero after its subtests
            if nok:
                failures.append(f"{t.get('name')} ({result})")
            passed += ok
            failed += nok
            skipped += skip

for name in failures:
    print(f"FAILED: {name}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
