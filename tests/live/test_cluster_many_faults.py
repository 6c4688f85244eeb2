#!/usr/bin/env python3
"""Faults at every request of a label-selected change of three VirtualServices, in turn (the local test
server): the faults of test_cluster_rollout_faults.py. Every run ends with exit 0 and all three
changed, or with nothing selected or nothing written, or with a table that says of each object what it
holds (changed, back as it was, NOT restored or MAY HOLD THE CHANGE with the commands that tell and
finish the job, which are run here as given).

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_many_faults.py
"""
import os
import re
import shlex
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402
import sweeps  # noqa: E402

START = (("v1", 80), ("v2", 20))


class ManyEveryRequest(cluster.ClusterCase):
    """The same faults at each request of a label-selected change of three VirtualServices: every
    object ends as the report says (changed, back as it was, or holding the change with the command
    that undoes it, which does), and with exit 0 all three hold the change."""
    NAMES = ("a", "b", "c")

    def prepare(self):
        ns = self.namespace()
        self.backend.create(ns, "destinationrules", cluster.reviews_dr())
        start = {}
        for name in self.NAMES:
            vs = self.backend.create(ns, "virtualservices", cluster.reviews_vs(name, START, labels={"app": "reviews"}))
            start[name] = vs["spec"]
        return ns, start

    def change(self, ns):
        return self.shift("set", "-l", "app=reviews", "v1=50", "v3=50", "-n", ns, "-q", "--request-timeout", "1s")

    def rows(self, ns, err):
        """NAME -> RESULT of the table a failed change prints."""
        out = {}
        for line in err.splitlines():
            cells = line.split(None, 2)
            if len(cells) == 3 and cells[0] == ns and cells[1] in self.NAMES:
                out[cells[1]] = cells[2]
        return out

    def judge(self, ns, start, r, what):
        specs = {n: self.backend.get(ns, "virtualservices", n)["spec"] for n in self.NAMES}
        if r.code == 0:
            for n in self.NAMES:
                self.assertEqual(weights({"spec": specs[n]}), {"v1": 50, "v3": 50}, what)
            return "completed"
        self.assertEqual(len([l for l in r.err.splitlines() if l.startswith("error: ")]), 1, what)
        if "nothing written" in r.err:
            self.assertEqual(specs, start, what)
            return "nothing written"
        rows = self.rows(ns, r.err)
        if not rows:  # the LIST failed: no object was known, none was touched
            self.assertEqual(specs, start, what)
            return "nothing selected"
        self.assertEqual(sorted(rows), list(self.NAMES), what)
        for n, result in rows.items():
            if result == "changed":
                self.assertEqual(weights({"spec": specs[n]}), {"v1": 50, "v3": 50}, what + ": " + n)
            elif result.startswith("MAY HOLD THE CHANGE"):
                if specs[n] != start[n]:
                    self.assertEqual(weights({"spec": specs[n]}), {"v1": 50, "v3": 50}, what + ": " + n)
                    check = re.search(r"if `(shift history [^`]+)` lists it last", result)
                    self.assertIsNotNone(check, what)
                    history = self.shift(*shlex.split(check.group(1))[1:])
                    self.assertIn("set %s v1=50 v3=50" % n, history.out.splitlines()[-1], what)
                    undo = re.search(r"undo it with: (shift undo .*)$", result)
                    self.assertExit(self.shift(*shlex.split(undo.group(1))[1:]), 0)
                    self.assertEqual(self.backend.get(ns, "virtualservices", n)["spec"], start[n], what + ": " + n)
            elif result.startswith("NOT restored"):
                undo = re.search(r"undo it with: (shift undo .*)$", result)
                self.assertIsNotNone(undo, what)
                fix = self.shift(*shlex.split(undo.group(1))[1:])
                self.assertExit(fix, 0)
                self.assertEqual(self.backend.get(ns, "virtualservices", n)["spec"], start[n], what + ": " + n)
            else:
                self.assertEqual(specs[n], start[n], "%s: %s is '%s' but holds %s" % (what, n, result, specs[n]))
        return "stopped, every object as said"

    def test_a_fault_at_each_request_ends_as_reported(self):
        ns, _ = self.prepare()
        self.backend.clear_requests()
        self.assertExit(self.change(ns), 0)
        n = len(sweeps.requests_in(self.backend, ns))
        self.assertGreaterEqual(n, 4, "one LIST, then a read and a write of each object")
        sweeps.sweep(self, n, self.prepare, self.change, self.judge, what="change")


cluster.parameterize(globals(), ManyEveryRequest, backends=("testserver",), eras=("current",))

if __name__ == "__main__":
    unittest.main()
