#!/usr/bin/env python3
"""shift against injected faults of the local test API server (both Istio eras): 409 Conflict
from a concurrent writer, delays and --request-timeout, 500/503, 429 with Retry-After, connections
reset mid-body, and a 422 rejection. Retry rules asserted here are lib/kube/retry.cpp's: GET
retries transport failures, 429 and 500/502/503/504; PUT retries only 429 and what never reached
the server, so a PUT whose answer was lost is not repeated.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_faults.py
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402


class Faults(cluster.ClusterCase):
    def setUp(self):
        super().setUp()
        self.ns = self.namespace()
        self.before = self.bookinfo(self.ns)
        self.vs_path = "/namespaces/%s/virtualservices/reviews" % self.ns
        self.backend.clear_requests()

    def get(self):
        return self.backend.get(self.ns, "virtualservices", "reviews")

    def log(self, method=None):
        return [q for q in self.backend.requests()
                if self.ns in q["path"] and (method is None or q["method"] == method)]

    def run_half(self, *args):
        return self.shift("reviews", "v1=50", "v3=50", "-n", self.ns, *args)

    # ---- 6. conflicts ----
    def test_conflict_is_replanned_and_keeps_the_other_writer_change(self):
        self.backend.fault("conflict", method="GET", path=self.vs_path,
                           patch={"metadata": {"labels": {"writer": "other"}}, "spec": {"gateways": ["mesh"]}})
        r = self.run_half()
        self.assertExit(r, 0)
        self.assertEqual(r.err, 'warning: virtualservice "reviews" changed on the server while shifting '
                                "(409 Conflict); re-reading it and planning again (attempt 2 of 8)\n")
        self.assertIn("virtualservice.networking.istio.io/reviews shifted\n", r.out)
        vs = self.get()
        self.assertEqual(weights(vs), {"v1": 50, "v3": 50})
        self.assertEqual(vs["spec"]["gateways"], ["mesh"], "the concurrent writer's change was lost")
        self.assertEqual(vs["metadata"].get("labels"), {"writer": "other"}, "the concurrent writer's label was lost")
        self.assertEqual({m["manager"] for m in vs["metadata"]["managedFields"]} >= {"shift", "concurrent-writer"},
                         True, vs["metadata"]["managedFields"])
        puts = self.log("PUT")
        self.assertEqual([p["status"] for p in puts], [409, 200])

    def test_conflict_every_time_gives_up_with_4(self):
        self.backend.fault("conflict", count=-1, method="GET", path=self.vs_path,
                           patch={"metadata": {"labels": {"writer": "other"}}})
        r = self.run_half()
        self.assertExit(r, 4)
        self.assertEqual(r.out, "")
        self.assertEqual(r.err.count("(409 Conflict); re-reading it"), 7)
        self.assertIn('error: virtualservice "reviews" in namespace "%s" kept changing on the server: gave up after '
                      "8 attempts, nothing applied; retry when other writers are done\n" % self.ns, r.err)
        self.backend.clear_faults()
        vs = self.get()
        self.assertEqual(vs["spec"], self.before["spec"])
        self.assertEqual(vs["metadata"].get("labels"), {"writer": "other"})
        self.assertNotIn("shift", {m["manager"] for m in vs["metadata"]["managedFields"]})
        self.assertEqual([p["status"] for p in self.log("PUT")], [409] * 8)

    # ---- 7. delays and timeouts ----
    def test_delay_within_request_timeout(self):
        self.backend.fault("delay", method="GET", path=self.vs_path, ms=400)
        r = self.run_half("--request-timeout", "5")
        self.assertExit(r, 0)
        self.assertGreaterEqual(r.seconds, 0.4)
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})

    def test_delay_beyond_request_timeout(self):
        self.backend.fault("delay", count=-1, method="GET", path=self.vs_path, ms=2500)
        r = self.run_half("--request-timeout", "1")
        self.assertExit(r, 3)
        self.assertLess(r.seconds, 2.4)
        self.assertRegex(r.err, r"^error: https://127\.0\.0\.1:\d+ did not answer GET /apis/networking\.istio\.io/v1\w*"
                                r"%s within 1s; check the network or raise --request-timeout\n$" % self.vs_path)
        self.backend.clear_faults()
        self.assertEqual(self.get(), self.before)

    def test_put_beyond_request_timeout_is_not_repeated_and_abandoned_by_the_server(self):
        # shift sends ?timeout= as kubectl does, so the server gives up on the PUT when shift does (kube-apiserver's
        # timeout filter answers 504); whichever side notices first, the PUT is neither repeated nor applied.
        self.backend.fault("delay", method="PUT", path=self.vs_path, ms=1500)
        r = self.run_half("--request-timeout", "1")
        self.assertExit(r, 3)
        self.assertRegex(r.err, r"(did not answer PUT /apis/networking\.istio\.io/v1\w*%s\?fieldManager=shift within "
                                r"1s; check the network or raise --request-timeout; the server may have applied it "
                                r"before the connection broke: run again to see the current state|504 Gateway Timeout)"
                         % self.vs_path)
        time.sleep(0.8)  # past the delay: a PUT the server had not abandoned would have landed by now
        self.assertEqual(len(self.log("PUT")), 1)
        self.assertIn("timeout=1s", self.log("PUT")[0]["query"])
        self.assertEqual(self.get(), self.before)

    # ---- 7. server errors and throttling ----
    def test_500_on_get_is_retried(self):
        self.backend.fault("error", method="GET", path=self.vs_path, status=500)
        r = self.run_half("-v")
        self.assertExit(r, 0)
        self.assertRegex(r.err, r"GET \S+%s 500 Internal Server Error in [\d.]+ms; retrying in 100ms\n" % self.vs_path)
        gets = [q["status"] for q in self.log("GET") if q["path"].endswith("/reviews") and q["status"] != 404]
        self.assertEqual(gets, [500, 200])
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})

    def test_503_on_get_is_retried(self):
        self.backend.fault("error", count=2, method="GET", path=self.vs_path, status=503)
        r = self.run_half()
        self.assertExit(r, 0)
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})

    def test_500_on_put_is_not_retried(self):
        self.backend.fault("error", method="PUT", path=self.vs_path, status=500, message="etcd is away")
        r = self.run_half()
        self.assertExit(r, 3)
        self.assertIn('error: update virtualservice "reviews" failed: 500 Internal Server Error: '
                      "Internal error occurred: etcd is away\n", r.err)
        self.assertEqual(len(self.log("PUT")), 1)
        self.assertEqual(self.get(), self.before)

    def test_500_every_time_on_get_gives_up(self):
        self.backend.fault("error", count=-1, method="GET", path=self.vs_path, status=500, message="etcd is away")
        r = self.run_half()
        self.assertExit(r, 3)
        self.assertIn('error: get virtualservice "reviews" failed: 500 Internal Server Error: '
                      "Internal error occurred: etcd is away\n", r.err)
        gets = [q for q in self.log("GET") if q["status"] == 500]
        self.assertEqual(len(gets), 4)  # the first try and 3 retries
        self.backend.clear_faults()
        self.assertEqual(self.get(), self.before)

    def test_429_waits_retry_after(self):
        for method in ("GET", "PUT"):
            self.backend.fault("throttle", method=method, path=self.vs_path, retryAfter=1)
        r = self.run_half("-v")
        self.assertExit(r, 0)
        self.assertGreaterEqual(r.seconds, 2.0)
        self.assertLess(r.seconds, 4.0)
        self.assertEqual(r.err.count("429 Too Many Requests in"), 2)
        self.assertEqual(r.err.count("; retrying in 1000ms"), 2)
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})
        self.assertEqual([q["status"] for q in self.log("PUT")], [429, 200])

    def test_429_every_time(self):
        self.backend.fault("throttle", count=-1, method="GET", path=self.vs_path, retryAfter=1)
        r = self.run_half("--request-timeout", "2")
        self.assertExit(r, 3)
        self.assertIn("error: the server is too busy (429 Too Many Requests) to get virtualservices; "
                      "try again shortly\n", r.err)
        self.backend.clear_faults()
        self.assertEqual(self.get(), self.before)

    # ---- 7. connections reset mid-body ----
    def test_reset_on_get_is_retried(self):
        self.backend.fault("reset", method="GET", path=self.vs_path)
        r = self.run_half("-v")
        self.assertExit(r, 0)
        self.assertRegex(r.err, r"GET \S+%s failed \([^)]*\) in [\d.]+ms; retrying in 100ms\n" % self.vs_path)
        self.assertEqual(weights(self.get()), {"v1": 50, "v3": 50})
        self.assertEqual(len(self.log("PUT")), 1)

    def test_reset_on_put_is_not_repeated_and_is_verified(self):
        # The server carried the PUT out and the answer was lost: shift must not send it again
        # (retry.cpp: an interrupted write may have been applied); one GET shows it landed whole.
        self.backend.fault("reset", method="PUT", path=self.vs_path)
        r = self.run_half("-v")
        self.assertExit(r, 0)
        self.assertRegex(r.err, r"PUT \S+%s\?fieldManager=shift failed \([^)]*\) in [\d.]+ms\n" % self.vs_path)
        self.assertIn("warning: the connection broke before the server answered the PUT; reading the object again "
                      "shows the change in place\n", r.err)
        self.assertNotIn("error:", r.err)
        self.assertEqual(len(self.log("PUT")), 1)
        vs = self.get()
        self.assertEqual(weights(vs), {"v1": 50, "v3": 50})
        self.assertEqual(vs["spec"]["hosts"], ["reviews"])
        # Running it again finds the change in place.
        r = self.run_half("--exit-code")
        self.assertExit(r, 0)
        self.assertIn("no change", r.out)

    # ---- 7. the server rejects the object ----
    def test_422_shows_causes(self):
        # Another writer stores a value the schema refuses (the fault bypasses validation, as an
        # object stored before a stricter CRD would); shift re-reads after the conflict, keeps the
        # field it does not manage, and the server refuses its PUT with the causes.
        rule = {"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "timeout": 5}
        self.backend.fault("conflict", method="GET", path=self.vs_path, patch={"spec": {"http": [rule]}})
        r = self.run_half()
        self.assertExit(r, 3)
        self.assertEqual(r.out, "")
        self.assertTrue(r.err.endswith(
            'error: the server rejected the change: spec.http[0].timeout: Invalid value: "integer": '
            'spec.http[0].timeout in body must be of type string: "integer"\n'), r.err)
        self.assertEqual(weights(self.get()), {"v1": 100})


cluster.parameterize(globals(), Faults, backends=("testserver",))

if __name__ == "__main__":
    unittest.main()
