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
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

MARK = "traffic-shift.dev/rollout"
START = (("v1", 80), ("v2", 20))
FAULTS = [
    ("error", {"status": 500}),
    ("error", {"status": 503}),
    ("throttle", {"retryAfter": 0}),
    ("reset", {}),
    ("garble", {"mode": "truncate"}),
    ("garble", {"mode": "invalid"}),
    ("delay", {"ms": 1500}),
    ("conflict", {"patch": {"metadata": {"labels": {"touched": "by-someone"}}}}),
    # The server restarts: short (shift's retries of an unsent request ride it out) and long (they
    # do not), before the request is carried out and after it (the answer lost).
    ("outage", {"seconds": 0.3}),
    ("outage", {"seconds": 0.3, "after": True}),
    ("outage", {"seconds": 2.5}),
    ("outage", {"seconds": 2.5, "after": True}),
]


def settle(backend, kind, params):
    """After a fault: let a request shift gave up on land, let a server that went away come back."""
    if kind == "delay":
        time.sleep(params["ms"] / 1000.0)
    if kind == "outage":
        backend.wait_up()


class RolloutEveryRequest(cluster.ClusterCase):
    def rollout(self, ns):
        return self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--steps", "10,50,100", "--interval", "1ms",
                          "--request-timeout", "1s")

    def ours(self, ns):
        return [q for q in self.backend.requests() if "/namespaces/%s/" % ns in q["path"]]

    def clean_run_requests(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=START)
        self.backend.clear_requests()
        r = self.rollout(ns)
        self.assertExit(r, 0)
        return len(self.ours(ns))

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
        outcomes = {}
        for kind, params in FAULTS:
            for k in range(n):
                ns = self.namespace()
                start = self.bookinfo(ns, subsets=START)
                self.backend.clear_faults()
                self.backend.fault(kind, skip=k, path="/namespaces/%s/" % ns, **params)
                r = self.rollout(ns)
                settle(self.backend, kind, params)
                what = "%s %s at request %d: %r" % (kind, json.dumps(params), k + 1, r)
                self.assertNotIn(r.code, (-6, -11, 134, 139), what)
                outcome = self.judge(ns, start, r, what)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        print("\n  %d requests per rollout; outcomes of %d faulted runs: %s" %
              (n, n * len(FAULTS), outcomes), file=sys.stderr)


class UndoEveryRequest(cluster.ClusterCase):
    """The same faults at each request of an undo: it lands whole, or nothing changes and one line says why."""

    def prepare(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=START)
        self.assertExit(self.shift("reviews", "v1=50", "v2=20", "v3=30", "-n", ns, "-q"), 0)
        return ns, self.backend.get(ns, "virtualservices", "reviews")

    def undo(self, ns):
        return self.shift("undo", "reviews", "-n", ns, "-q", "--request-timeout", "1s")

    def test_a_fault_at_each_request_lands_whole_or_changes_nothing(self):
        ns, _ = self.prepare()
        self.backend.clear_requests()
        r = self.undo(ns)
        self.assertExit(r, 0)
        self.assertNotIn("warning", r.err)  # undo drops v3 on purpose: no "not in the request" warning
        n = len([q for q in self.backend.requests() if "/namespaces/%s/" % ns in q["path"]])
        outcomes = {}
        for kind, params in FAULTS:
            for k in range(n):
                ns, before = self.prepare()
                self.backend.clear_faults()
                self.backend.fault(kind, skip=k, path="/namespaces/%s/" % ns, **params)
                r = self.undo(ns)
                settle(self.backend, kind, params)
                what = "%s %s at request %d: %r" % (kind, json.dumps(params), k + 1, r)
                vs = self.backend.get(ns, "virtualservices", "reviews")
                history = json.loads(vs["metadata"]["annotations"]["traffic-shift.dev/history"])
                if weights(vs) == dict(START):
                    self.assertEqual(history[-1]["command"], "undo reviews", what)
                    outcome = "undone" if r.code == 0 else "undone, said it may have"
                    if r.code:
                        self.assertIn("may have", r.err, what)
                else:
                    self.assertNotEqual(r.code, 0, what)
                    self.assertEqual(vs["spec"], before["spec"], what)
                    self.assertEqual(len(history), 2, what)
                    self.assertEqual(len([l for l in r.err.splitlines() if l.startswith("error: ")]), 1, what)
                    outcome = "unchanged"
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        print("\n  %d requests per undo; outcomes of %d faulted runs: %s" % (n, n * len(FAULTS), outcomes),
              file=sys.stderr)


cluster.parameterize(globals(), RolloutEveryRequest, backends=("testserver",))
cluster.parameterize(globals(), UndoEveryRequest, backends=("testserver",))

if __name__ == "__main__":
    unittest.main()
