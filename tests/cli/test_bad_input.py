#!/usr/bin/env python3
"""The bad-input catalogue (tests/data/bad_inputs.py), its "files" and "kubeconfig" cases: each run
ends in its exit code and its one-line error, and leaves every file as it was (bytes, mtime, no
file added or removed). The "server" cases run in tests/live/test_cluster_bad_answers.py.

    SHIFT_BIN=build/cli/shift python3 tests/cli/test_bad_input.py [-k ID]
"""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bad_input_cases  # noqa: E402
from shiftcli import BIN, DATA, TempDirCase  # noqa: E402

# Where a case that wrongly passed validation would go: a closed port, so it fails with exit 3.
CLOSED = {"apiVersion": "v1", "kind": "Config",
          "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
          "users": [{"name": "u", "user": {"token": "closed-port-token"}}],
          "contexts": [{"name": "ctx", "context": {"cluster": "c", "user": "u"}}], "current-context": "ctx"}


def snapshot(top):
    """Every file and folder under top: {relative path: (bytes, mtime_ns)} (folders: None)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), top)] = None
        for f in filenames:
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, top)] = (fh.read(), os.stat(path).st_mtime_ns)
    return out


class BadInput(TempDirCase):
    def run_case(self, case):
        self.copy(os.path.join(DATA, "bookinfo/v1/reviews-v1.yaml"), "vs.yaml")
        with open(os.path.join(self.dir, "kubeconfig"), "w") as f:
            json.dump(CLOSED, f)
        for name, text in (case.get("files") or {}).items():
            os.makedirs(os.path.dirname(os.path.join(self.dir, name)), exist_ok=True)
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(bad_input_cases.content(text))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBE", "NO_COLOR", "HTTPS_PROXY"))}
        env.update(HOME=self.dir, LC_ALL="C.UTF-8", KUBECONFIG="kubeconfig")
        if case["where"] == "kubeconfig" and case.get("kubeconfig") is not None:
            with open(os.path.join(self.dir, "kc"), "w") as f:
                f.write(case["kubeconfig"])
            env["KUBECONFIG"] = "kc"
        before = snapshot(self.dir)
        p = subprocess.run([os.path.abspath(BIN), *case["args"]], input=(case.get("stdin") or "").encode(), capture_output=True,
                           env=env, cwd=self.dir, timeout=120)
        out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        bad_input_cases.check_stderr(self, case, p.returncode, out, err)
        after = snapshot(self.dir)
        self.assertEqual(sorted(after), sorted(before), "files were added or removed")
        for path in before:
            self.assertTrue(after[path] == before[path], "%s changed" % path)


class Table(unittest.TestCase):
    def test_the_table_is_well_formed(self):
        bad_input_cases.check_table(self)

    def test_at_least_sixty_cases_in_every_category(self):
        self.assertGreaterEqual(len(bad_input_cases.CASES), 60)
        for name, _ in bad_input_cases.table.CATEGORIES:
            self.assertTrue(any(c["cat"] == name for c in bad_input_cases.CASES), name)


def _add(case):
    def test(self):
        self.run_case(case)
    test.__doc__ = case["id"]
    setattr(BadInput, "test_" + case["id"].replace("-", "_"), test)


for _case in bad_input_cases.cases("files", "kubeconfig"):
    _add(_case)

if __name__ == "__main__":
    unittest.main()
