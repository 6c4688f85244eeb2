#!/usr/bin/env python3
"""Faults at every request of a rollout of two label-selected VirtualServices, in turn (the local test
server): a 500, a connection reset after the request was carried out, a truncated answer, a delay past
--request-timeout, a concurrent writer that touches only labels, the server going away and coming
back. Every run must end with BOTH objects in one agreed state:

- completed: both at v3=100, no rollout mark on either;
- restored: both exactly as they started, no mark;
- stopped: one `error:` line, then one line per object; an object not back at its start names the
  command that finishes the job (`kubectl shift set ...` or `kubectl annotate ...`), and running the
  commands given puts both in one of the states above.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_rollout_many_faults.py
"""
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
NAMES = ("a", "b")


class RolloutManyEveryRequest(cluster.ClusterCase):
    def prepare(self):
        ns = self.namespace()
        self.backend.create(ns, "destinationrules", cluster.reviews_dr())
        for name in NAMES:
            self.backend.create(ns, "virtualservices",
                                cluster.reviews_vs(name, subsets=(("v1", 80), ("v2", 20)), labels={"app": "reviews"}))
        return ns, {n: self.backend.get(ns, "virtualservices", n)["spec"] for n in NAMES}

    def rollout(self, ns):
        return self.shift("rollout", "-l", "app=reviews", "--to", "v3", "-n", ns, "--steps", "10,50,100",
                          "--interval", "1ms", "--request-timeout", "1s")

    def state(self, ns, start):
        """{name: "start" | "final" | "other"}, and whether any mark remains."""
        out, marked = {}, False
        for n in NAMES:
            vs = self.backend.get(ns, "virtualservices", n)
            marked = marked or MARK in (vs["metadata"].get("annotations") or {})
            out[n] = ("start" if vs["spec"] == start[n] else
                      "final" if weights(vs) == {"v3": 100} else "other")
        return out, marked

    def finish(self, r, what):
        """Runs the commands the report gives, as written."""
        for cmd in re.findall(r"put it back with `kubectl shift ([^`]+)`", r.err):
            self.assertExit(self.shift(*shlex.split(cmd)), 0)
        for cmd in re.findall(r"remove it with `kubectl (annotate [^`]+)`", r.err):
            fix = subprocess.run(["kubectl", "--kubeconfig", self.backend.kubeconfig] + shlex.split(cmd),
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(fix.returncode, 0, what + ": " + fix.stderr)

    def judge(self, ns, start, r, what):
        if r.code == 0:
            self.assertEqual(self.state(ns, start), ({"a": "final", "b": "final"}, False), what)
            return "completed"
        self.assertEqual(len([line for line in r.err.splitlines() if line.startswith("error: ")]), 1, what)
        if "\n  " not in r.err:  # stopped before anything was written (the LIST, a read, the pre-flight)
            self.assertEqual(self.state(ns, start), ({"a": "start", "b": "start"}, False), what)
            return "untouched"
        for n in NAMES:
            self.assertIn("\n  %s/%s http[0]: " % (ns, n), r.err, what)
        before, _ = self.state(ns, start)
        self.finish(r, what)
        after, marked = self.state(ns, start)
        self.assertFalse(marked, what + ": a mark remains after the commands given")
        self.assertIn(after, ({"a": "start", "b": "start"}, {"a": "final", "b": "final"}), what)
        return "restored" if before == after else "stopped, finished by the commands given"

    def test_a_fault_at_each_request_ends_both_objects_in_one_state(self):
        if not self.backend.faults:
            self.skipTest("fault injection is the local test server's")
        ns, _ = self.prepare()
        self.backend.clear_requests()
        self.assertExit(self.rollout(ns), 0)
        n = len(sweeps.requests_in(self.backend, ns))
        sweeps.sweep(self, n, self.prepare, self.rollout, self.judge, faults=sweeps.SEVERAL_OBJECTS_FAULTS,
                     what="rollout")


cluster.parameterize(globals(), RolloutManyEveryRequest, backends=("testserver",), eras=("current",))

if __name__ == "__main__":
    unittest.main()
