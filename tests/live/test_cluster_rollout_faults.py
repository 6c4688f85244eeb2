#!/usr/bin/env python3
"""Faults at every request of a whole rollout (and of an undo), in turn (the local test server, both Istio eras): a 500,
a 503, a 429, a connection reset after the request was carried out, a truncated or non-JSON answer,
a delay past --request-timeout, a concurrent writer that touches only labels, and the server going away
(every connection reset, the port refusing) and coming back with the same objects, for a moment or for
longer than shift's retries. Every run must end
in one of three ways, and this test tells which:

- completed: the route is at v3=100 and the rollout mark is gone;
- restored or untouched: the spec is exactly the one the rollout started from, the mark gone;
- stopped: shift exits non-zero with a message that names the state the route was last seen in and
  the command that finishes the job; running that command restores the starting split, mark gone;
- completed but unsure of the mark (the last write, which removes it, was not seen to land): the
  message says so and gives the `kubectl annotate` command, which (run by the real kubectl) removes it.

Nothing else is allowed: no hang, no crash, no mark left behind without a word."""
import json
import os
import re
import shlex
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
import sweeps  # noqa: E402
from cluster import weights  # noqa: E402

MARK = "traffic-shift.dev/rollout"
START = (("v1", 80), ("v2", 20))

class RolloutEveryRequest(cluster.ClusterCase):
    def rollout(self, ns):
        return self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--steps", "10,50,100", "--interval", "1ms",
                          "--request-timeout", "1s")

    def clean_run_requests(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=START)
        self.backend.clear_requests()
        r = self.rollout(ns)
        self.assertExit(r, 0)
        return len(sweeps.requests_in(self.backend, ns))

    def annotations(self, vs):
        return vs["metadata"].get("annotations", {})

    def judge(self, ns, start, r, what):
        vs = self.backend.get(ns, "virtualservices", "reviews")
        if r.code == 0:
            self.assertEqual(weights(vs), {"v3": 100}, what)
            self.assertNotIn(MARK, self.annotations(vs), what)
            return "completed"
        self.assertEqual(len([l for l in r.err.splitlines() if l.startswith("error: ")]), 1, what)
        if vs["spec"] == start["spec"] and MARK not in self.annotations(vs):
            return "restored"
        if "every step of the rollout landed" in r.err:
            # Done, but the last write (the mark's removal) was not seen to land: the command given,
            # run as written by the real kubectl, removes the mark.
            self.assertEqual(weights(vs), {"v3": 100}, what)
            unmark = re.search(r"remove it with `kubectl (annotate [^`]+)`", r.err)
            self.assertIsNotNone(unmark, what)
            fix = subprocess.run(["kubectl", "--kubeconfig", self.backend.kubeconfig] + shlex.split(unmark.group(1)),
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(fix.returncode, 0, what + ": " + fix.stderr)
            vs = self.backend.get(ns, "virtualservices", "reviews")
            self.assertNotIn(MARK, self.annotations(vs), what + ": the command given left the rollout mark")
            return "completed, mark removed by the command given"
        # Stopped half way: the message must say where the route was last seen and how to finish.
        self.assertRegex(r.err, r"last seen at v[0-9=,v]+ \(step \d of 3\)", what)
        finish = re.search(r"restore the start with `kubectl shift ([^`]+)`", r.err)
        self.assertIsNotNone(finish, what)
        fix = self.shift(*shlex.split(finish.group(1)))
        self.assertExit(fix, 0)
        vs = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(weights(vs), dict(START), what + ": the command given did not restore the start")
        self.assertNotIn(MARK, self.annotations(vs), what + ": the command given left the rollout mark")
        return "stopped"

    def test_a_fault_at_each_request_ends_completed_restored_or_said(self):
        n = self.clean_run_requests()
        self.assertGreaterEqual(n, 5, "a 3-step rollout makes at least a read and four writes")

        def prepare():
            ns = self.namespace()
            return ns, self.bookinfo(ns, subsets=START)

        sweeps.sweep(self, n, prepare, self.rollout, self.judge, what="rollout")


class UndoEveryRequest(cluster.ClusterCase):
    """The same faults at each request of an undo: it lands whole, or nothing changes and one line says why."""

    def prepare(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=START)
        self.assertExit(self.shift("reviews", "v1=50", "v2=20", "v3=30", "-n", ns, "-q"), 0)
        return ns, self.backend.get(ns, "virtualservices", "reviews")

    def undo(self, ns):
        return self.shift("undo", "reviews", "-n", ns, "-q", "--request-timeout", "1s")

    def judge(self, ns, before, r, what):
        vs = self.backend.get(ns, "virtualservices", "reviews")
        history = json.loads(vs["metadata"]["annotations"]["traffic-shift.dev/history"])
        if weights(vs) == dict(START):
            self.assertEqual(history[-1]["command"], "undo reviews", what)
            if r.code:
                self.assertIn("may have", r.err, what)
            return "undone" if r.code == 0 else "undone, said it may have"
        self.assertNotEqual(r.code, 0, what)
        self.assertEqual(vs["spec"], before["spec"], what)
        self.assertEqual(len(history), 2, what)
        self.assertEqual(len([l for l in r.err.splitlines() if l.startswith("error: ")]), 1, what)
        return "unchanged"

    def test_a_fault_at_each_request_lands_whole_or_changes_nothing(self):
        ns, _ = self.prepare()
        self.backend.clear_requests()
        r = self.undo(ns)
        self.assertExit(r, 0)
        self.assertNotIn("warning", r.err)  # undo drops v3 on purpose: no "not in the request" warning
        n = len(sweeps.requests_in(self.backend, ns))
        sweeps.sweep(self, n, self.prepare, self.undo, self.judge, what="undo")


cluster.parameterize(globals(), RolloutEveryRequest, backends=("testserver",))
cluster.parameterize(globals(), UndoEveryRequest, backends=("testserver",))

if __name__ == "__main__":
    unittest.main()
