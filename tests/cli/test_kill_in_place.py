#!/usr/bin/env python3
"""SIGKILL during `shift -f FILE --in-place`, at random moments of many runs on a large file and
on a directory of files: every file is always either entirely the old content or entirely the new
one, never partial. A kill between the temporary file's creation and its rename leaves
`.NAME.shift-XXXXXX` beside the file (nothing can clean up after SIGKILL); `-f DIR` never reads it
(it is no *.yaml), and the next write of that file removes it (lib/files/write.cpp). Bounded to
about 20 s of wall time; SHIFT_KILL_SEED=N repeats one sequence of delays.

    SHIFT_BIN=build/cli/shift python3 tests/cli/test_kill_in_place.py
"""
import os
import random
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shiftcli import BIN, TempDirCase, read  # noqa: E402

REQUEST = ["reviews", "v1=50", "v3=50"]


def large_manifest(rules=6000):
    """reviews with a catch-all rule after `rules` header-matched ones (~2.5 MB): reading, planning and
    writing it take long enough for kills to land in each phase."""
    out = ["kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n"]
    for i in range(rules):
        out.append("  - name: r%d\n    match:\n    - headers:\n        x-rule:\n          exact: \"%d\"\n"
                   "    route:\n    - destination:\n        host: reviews\n        subset: v1\n"
                   "      headers:\n        request:\n          set:\n            x-padding: \"%s\"\n"
                   % (i, i, "p" * 300))
    out.append("  - route:\n    - destination:\n        host: reviews\n        subset: v1\n")
    return "".join(out)


def small_manifest(name):
    return ("kind: VirtualService\nmetadata:\n  name: %s\nspec:\n  hosts: [%s]\n  http:\n  - route:\n"
            "    - destination:\n        host: %s\n        subset: v1\n" % (name, name, name))


class KillInPlace(TempDirCase):
    def shift(self, target, *extra):
        p = subprocess.run([BIN, "-f", target, "--in-place", "--no-validate", *extra, *REQUEST],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)

    def new_content(self, files, target):
        """What one whole run makes of each file (run on a copy)."""
        for name, text in files.items():
            self.write(name, text)
        t0 = time.monotonic()
        self.shift(target)
        took = time.monotonic() - t0
        new = {name: read(os.path.join(self.dir, name)) for name in files}
        self.assertTrue(any(new[n] != files[n] for n in files))
        return new, took

    def kill_loop(self, files, target, seconds):
        """Runs shift, kills it after a random delay, checks every file, again and again."""
        old = dict(files)
        # The fastest of two whole runs: a first run slowed by a cold cache would put every kill after
        # the rename.
        new, took = self.new_content(files, target)
        took = min(took, self.new_content(files, target)[1])
        seed = int(os.environ.get("SHIFT_KILL_SEED") or random.randrange(1 << 30))
        rng = random.Random(seed)
        stats = {"old": 0, "new": 0, "temps": 0, "runs": 0, "seed": seed}
        seen = set()
        deadline = time.monotonic() + seconds
        # At least five kills however loaded the machine is, more while the time lasts, and (up to 40) until
        # kills have landed both before and after the rename, so every phase of the write is hit.
        while (time.monotonic() < deadline or stats["runs"] < 5 or not (stats["old"] and stats["new"])) \
                and stats["runs"] < 40:
            for name, text in old.items():
                self.write(name, text)
            p = subprocess.Popen([BIN, "-f", target, "--in-place", "--no-validate", *REQUEST],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Half the kills anywhere in the run, half near its end, where the write and rename are.
            # The first kills at fixed fractions of the run, so that a short time budget still covers the
            # read, the write and the rename whatever the seed; then half anywhere, half near the end.
            fixed = (0.3, 0.6, 0.95, 1.4)
            if stats["runs"] < len(fixed):
                time.sleep(took * fixed[stats["runs"]])
            else:
                time.sleep(rng.uniform(0, took * 1.5) if rng.random() < 0.5 else rng.uniform(took * 0.8, took * 1.5))
            p.send_signal(signal.SIGKILL)
            p.wait()
            stats["runs"] += 1
            for name in old:
                now = read(os.path.join(self.dir, name))
                self.assertIn(now, (old[name], new[name]), "%s is partial after a kill: %s" % (name, stats))
                stats["old" if now == old[name] else "new"] += 1
            temps = [n for n in self.listing() if ".shift-" in n]
            for t in temps:
                # A temporary file is named for its file, in that file's folder, and never a manifest.
                self.assertRegex(os.path.basename(t), r"^\..+\.shift-[A-Za-z0-9]{6}$")
                self.assertFalse(t.endswith((".yaml", ".yml", ".json")))
            seen.update(temps)
            stats["temps"] = len(seen)  # left by a kill; a later run removes them
        if os.environ.get("SHIFT_KILL_STATS"):
            print(stats, file=sys.stderr)
        return stats, new

    def listing(self):
        out = []
        for dirpath, _, names in os.walk(self.dir):
            out += [os.path.relpath(os.path.join(dirpath, n), self.dir) for n in names]
        return out

    def assert_next_run_is_clean(self, target, new):
        """After the kills: a run neither trips on a leftover temporary file nor leaves one."""
        self.shift(target)
        for name, text in new.items():
            self.assertEqual(read(os.path.join(self.dir, name)), text)
        self.assertEqual([n for n in self.listing() if ".shift-" in n], [])

    def test_a_large_file(self):
        text = large_manifest()
        self.assertGreater(len(text), 2 << 20)
        target = os.path.join(self.dir, "big.yaml")
        stats, new = self.kill_loop({"big.yaml": text}, target, seconds=9)
        self.assertGreaterEqual(stats["runs"], 5, stats)
        self.assertGreater(stats["old"], 0, stats)  # kills landed before the rename
        self.assert_next_run_is_clean(target, new)

    def test_a_directory_of_files(self):
        files = {"apps/%s.yaml" % n: small_manifest(n) for n in ("details", "productpage", "ratings")}
        files["apps/reviews.yaml"] = large_manifest(3000)
        os.makedirs(os.path.join(self.dir, "apps"))
        stats, new = self.kill_loop(files, os.path.join(self.dir, "apps"), seconds=7)
        self.assertGreaterEqual(stats["runs"], 5, stats)
        for name in files:
            if name != "apps/reviews.yaml":
                self.assertEqual(new[name], files[name])  # the other files are never written
        self.assert_next_run_is_clean(os.path.join(self.dir, "apps"), new)

    def test_a_leftover_temp_file_is_ignored_then_removed(self):
        # What a kill between mkstemp and rename leaves, made deterministic.
        os.makedirs(os.path.join(self.dir, "apps"))
        self.write("apps/reviews.yaml", small_manifest("reviews"))
        self.write("apps/.reviews.yaml.shift-Zx81Qa", small_manifest("reviews")[:40])
        self.shift(os.path.join(self.dir, "apps"))
        self.assertIn("v3", read(os.path.join(self.dir, "apps/reviews.yaml")))
        self.assertEqual(sorted(self.listing()), ["apps/reviews.yaml"])


if __name__ == "__main__":
    unittest.main()
