#!/usr/bin/env python3
"""Flags and output for scripts against a live API server: --request-timeout's durations (0 is no
timeout), --diff and -q on stdout and stderr, server-managed fields hidden from diffs and -o, a bad
namespace refused before any request, and Ctrl-C during the write saying whether it was sent.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_flags.py
"""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402


class Flags(cluster.ClusterCase):
    def setUp(self):
        super().setUp()
        self.ns = self.namespace()
        self.before = self.bookinfo(self.ns)
        self.vs_path = "/namespaces/%s/virtualservices/reviews" % self.ns

    def get(self):
        return self.backend.get(self.ns, "virtualservices", "reviews")

    def run_half(self, *args):
        return self.shift("reviews", "v1=50", "v3=50", "-n", self.ns, *args)

    # ---- --request-timeout ----
    def test_request_timeout_takes_a_duration(self):
        self.backend.fault("delay", count=-1, method="GET", path=self.vs_path, ms=1500)
        r = self.run_half("--request-timeout=500ms")
        self.assertExit(r, 3)
        self.assertIn("within 0.5s; check the network or raise --request-timeout", r.err)
        self.backend.clear_faults()
        self.assertEqual(self.get(), self.before)

    def test_request_timeout_zero_is_no_timeout(self):
        self.backend.fault("delay", method="GET", path=self.vs_path, ms=1200)
        r = self.run_half("--request-timeout", "0")
        self.assertExit(r, 0)
        self.assertGreaterEqual(r.seconds, 1.2)
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})

    # ---- stdout and stderr ----
    def test_diff_alone_on_stdout(self):
        r = self.run_half("--diff")
        self.assertExit(r, 0)
        self.assertTrue(r.out.startswith("--- live/"), r.out)
        self.assertIn("+      weight: 50\n", r.out)
        self.assertNotIn("shifted", r.out)
        self.assertNotIn("→", r.out)
        self.assertIn("v1  100 → 50", r.err)
        self.assertIn("virtualservice.networking.istio.io/reviews shifted\n", r.err)

    def test_quiet(self):
        r = self.run_half("-q")
        self.assertExit(r, 0)
        self.assertEqual((r.out, r.err), ("", ""))
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})
        r = self.shift("reviews", "v1=0", "v3=100", "-n", self.ns, "--quiet", "--diff")
        self.assertExit(r, 0)
        self.assertTrue(r.out.startswith("--- live/"), r.out)
        self.assertEqual(r.err, "")
        r = self.shift("reviews", "v3=100", "-n", self.ns, "-q")  # no change: silent too
        self.assertExit(r, 0)
        self.assertEqual((r.out, r.err), ("", ""))

    def test_quiet_still_prints_errors(self):
        r = self.shift("nosuch", "v1=100", "-n", self.ns, "-q")
        self.assertExit(r, 3)
        self.assertTrue(r.err.startswith("error: "), r.err)

    # ---- server-managed fields ----
    def test_server_dry_run_diff_shows_only_the_spec_change(self):
        r = self.run_half("--dry-run=server", "--diff")
        self.assertExit(r, 0)
        changed = [l for l in r.out.splitlines() if l[:1] in "+-" and not l.startswith(("+++ ", "--- "))]
        self.assertEqual(changed, ["+      weight: 50", "+    - destination:", "+        host: reviews",
                                   "+        subset: v3", "+      weight: 50"])
        self.assertEqual(self.get(), self.before)

    def test_output_hides_managed_fields(self):
        r = self.run_half("-o", "json")
        self.assertExit(r, 0)
        obj = json.loads(r.out)
        self.assertNotIn("managedFields", obj["metadata"])
        self.assertIn("managedFields", self.get()["metadata"])
        r = self.shift("reviews", "v3=100", "-n", self.ns, "-o", "yaml", "--dry-run=server")
        self.assertExit(r, 0)
        self.assertNotIn("managedFields", r.out)

    # ---- the namespace ----
    def test_bad_namespace_is_refused_before_any_request(self):
        if self.backend.faults:
            self.backend.clear_requests()
        r = self.shift("reviews", "v1=100", "-n", "Bad_NS")
        self.assertExit(r, 2)
        self.assertEqual(r.out, "")
        self.assertTrue(r.err.startswith('error: invalid namespace "Bad_NS": a namespace is a DNS-1123 label'), r.err)
        self.assertEqual(r.err.count("\n"), 1)
        if self.backend.faults:
            self.assertEqual(self.backend.requests(), [])

    # ---- Ctrl-C ----
    def interrupt(self, method, delay_ms, after, once_read=False):
        """SIGINT `after` seconds into the run, or with once_read `after` seconds after the server answered
        its GET (a loaded machine or a sanitizer build may take over a second to get that far)."""
        self.backend.fault("delay", method=method, path=self.vs_path, ms=delay_ms)
        self.backend.clear_requests()
        p = subprocess.Popen([cluster.BIN, "reviews", "v1=50", "v3=50", "-n", self.ns], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=self.env())
        deadline = time.monotonic() + 20
        while once_read and time.monotonic() < deadline and not any(
                q["method"] == "GET" and self.vs_path in q["path"] for q in self.backend.requests()):
            time.sleep(0.02)
        time.sleep(after)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        return p.returncode, out, err

    def test_interrupt_after_the_put_was_sent(self):
        code, out, err = self.interrupt("PUT", 5000, 1.5, once_read=True)
        self.assertEqual(code, 130, err)
        self.assertEqual(err, "interrupted after the change was sent: it may have been applied; check with "
                              "kubectl get virtualservice reviews -n %s -o yaml\n" % self.ns)
        time.sleep(3.8)  # the server finishes the delayed PUT

    def test_interrupt_before_the_put(self):
        # The GET is held 4 s; 2 s in, even a sanitizer build on a loaded machine has its handler set.
        code, out, err = self.interrupt("GET", 4000, 2.0)
        self.assertEqual(code, 130, err)
        self.assertEqual(err, "interrupted before the change was sent: nothing changed\n")
        time.sleep(2.3)
        self.assertEqual(self.get(), self.before)


cluster.parameterize(globals(), Flags)

if __name__ == "__main__":
    unittest.main()
