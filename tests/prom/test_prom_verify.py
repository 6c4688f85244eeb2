#!/usr/bin/env python3
"""`shift verify` against a real Prometheus (promharness.py): the clients' side (reporter="source") sees
traffic that matches the VirtualService, that lags behind a change and then matches (--wait), that never
moved, or none at all; -o json for scripts. Windows are 2-3 s: the scrape interval is 1 s."""
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_prom_rollout  # noqa: E402
from cluster import weights  # noqa: E402


class Verify(test_prom_rollout.PromCase):
    def verify(self, ns, *args):
        return self.shift("verify", "reviews", "-n", ns, "--prometheus", self.prom.url, *args)

    def test_traffic_that_follows_the_split_matches(self):
        ns, _ = self.start(subsets=(("v1", 90), ("v3", 10)))
        time.sleep(3)
        r = self.verify(ns, "--window", "3s")
        self.assertExit(r, 0)
        self.assertRegex(r.out, r"DESTINATION +INTENDED +OBSERVED +DIFF")
        self.assertRegex(r.out, r"v1 +90% +(89|90|91)\.\d% +[+-]\d\.\d")
        self.assertIn("observed traffic matches the split within 5 points over the last 3s", r.out)
        r = self.verify(ns, "--window", "3s", "-o", "json")
        self.assertExit(r, 0)
        doc = json.loads(r.out)
        self.assertTrue(doc["matches"])
        self.assertEqual([d["key"] for d in doc["destinations"]], ["v1", "v3"])
        self.assertAlmostEqual(doc["destinations"][1]["observed"], 10, delta=1.5)

    def test_traffic_that_lags_matches_with_wait(self):
        ns, traffic = self.start(subsets=(("v1", 50), ("v3", 50)))
        moved_at = time.monotonic() + 8
        backend = self.backend
        traffic.source_weights = lambda: ({"v1": 100} if time.monotonic() < moved_at
                                          else weights(backend.get(ns, "virtualservices", "reviews")))
        time.sleep(3.5)  # the window then holds only traffic sent after the change above
        r = self.verify(ns, "--window", "3s")
        self.assertExit(r, 5)
        self.assertIn("v3 gets 0.0%, intended 50% (-50.0 points, --tolerance 5)", r.err)
        r = self.verify(ns, "--window", "3s", "--wait", "30s")
        self.assertExit(r, 0)
        self.assertIn("observed traffic matches", r.out)

    def test_traffic_that_never_moved_fails_after_the_wait(self):
        ns, traffic = self.start(subsets=(("v1", 50), ("v3", 50)))
        traffic.source_weights = lambda: {"v1": 100}
        time.sleep(3.5)
        r = self.verify(ns, "--window", "3s", "--wait", "2s")
        self.assertExit(r, 5)
        self.assertGreaterEqual(r.seconds, 2)
        self.assertRegex(r.out, r"v3 +50% +0\.0% +-50\.0")
        self.assertIn("error: the observed split differs from the intended: v3 gets 0.0%, intended 50%", r.err)

    def test_through_the_api_servers_service_proxy(self):
        ns, _ = self.start(subsets=(("v1", 90), ("v3", 10)))
        port = int(self.prom.url.rsplit(":", 1)[1])
        self.backend.create(ns, "services", {"kind": "Service", "metadata": {"name": "prometheus"},
                                             "spec": {"ports": [{"port": 9090, "targetPort": port}]}})
        time.sleep(3)
        r = self.shift("verify", "reviews", "-n", ns, "--window", "3s", "--prometheus-service", ns + "/prometheus:9090")
        self.assertExit(r, 0)
        self.assertIn("observed traffic matches", r.out)

    def test_no_traffic_says_so(self):
        ns, _ = self.start(rps=0)
        r = self.verify(ns, "--window", "2s")
        self.assertExit(r, 5)
        self.assertIn("no traffic: Prometheus saw no requests", r.err)

    def test_a_window_shorter_than_two_scrapes_is_refused(self):
        ns, _ = self.start()
        r = self.verify(ns, "--window", "1s")
        self.assertExit(r, 2)
        self.assertIn("--window 1s is shorter than two of Prometheus's scrapes", r.err)


class VerifyHttpRoute(test_prom_rollout.PromCase):
    """An HTTPRoute's backends are Services: their traffic is told apart by destination_service_name."""

    def test_verify_and_rollout_on_an_httproute(self):
        ns = self.namespace()
        for name in ("reviews-v1", "reviews-v3"):
            self.backend.create(ns, "services", {"kind": "Service", "metadata": {"name": name},
                                                 "spec": {"ports": [{"port": 9080}]}})
        self.backend.create(ns, "httproutes", {
            "kind": "HTTPRoute", "metadata": {"name": "reviews"},
            "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                     "rules": [{"backendRefs": [{"name": "reviews-v1", "port": 9080, "weight": 90},
                                                {"name": "reviews-v3", "port": 9080, "weight": 10}]}]}})
        backend = self.backend

        def split():
            refs = backend.get(ns, "httproutes", "reviews")["spec"]["rules"][0]["backendRefs"]
            total = sum(r.get("weight", 1) for r in refs) or 1  # a backendRef's weight defaults to 1
            return {r["name"]: 100.0 * r.get("weight", 1) / total for r in refs}
        self.prom.exporter.service(ns, "reviews", split, versions=("reviews-v1", "reviews-v3"), by_host=True)
        self.prom.wait_for_series('istio_requests_total{destination_service_name="reviews-v3",reporter="source"}')
        time.sleep(3)
        r = self.shift("verify", "httproute/reviews", "-n", ns, "--window", "3s", "--prometheus", self.prom.url)
        self.assertExit(r, 0)
        self.assertRegex(r.out, r"reviews-v3 +10% +(9|10|11)\.\d%")
        r = self.shift("rollout", "httproute/reviews", "--to", "reviews-v3", "-n", ns, "--steps", "50,100",
                       "--interval", "3s", "--no-progress", "--prometheus", self.prom.url, "--verify",
                       "--analysis", "success-rate>=99", "--analysis", "latency-p99<=500ms")
        self.assertExit(r, 0)
        self.assertEqual(r.out.count("check passed: `verify the observed split`"), 2, r.out)
        self.assertEqual(r.out.count("check passed: `analysis success-rate>=99`"), 2, r.out)


class VerifyTls(test_prom_rollout.PromCase):
    TLS = True

    def test_tls_is_verified_against_the_ca_file(self):
        ns, _ = self.start(subsets=(("v1", 90), ("v3", 10)))
        time.sleep(3)
        args = ["verify", "reviews", "-n", ns, "--window", "3s", "--prometheus", self.prom.url]
        r = self.shift(*args)
        self.assertExit(r, 3)
        self.assertIn("cannot verify the TLS certificate of %s" % self.prom.url, r.err)
        self.assertIn("give the CA that signed it with --prometheus-ca-file", r.err)
        self.assertEqual(len(r.err.strip().splitlines()), 1, r.err)
        r = self.shift(*args, "--prometheus-ca-file", self.prom.ca_file)
        self.assertExit(r, 0)
        self.assertIn("observed traffic matches", r.out)


if __name__ == "__main__":
    unittest.main()
