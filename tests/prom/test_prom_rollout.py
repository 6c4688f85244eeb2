#!/usr/bin/env python3
"""`shift rollout --analysis` judged by a real Prometheus (promharness.py) scraping Istio-shaped metrics
whose traffic follows the VirtualService on the local test API server: a healthy canary passes every
gate, a canary answering 20 % 5xx rolls back at the step where they appear, latency over the limit rolls
back, too little traffic is inconclusive ("no traffic"), a window shorter than two scrapes is refused,
and over two objects (two contexts, two namespaces) each object's canary is judged by its own queries.
Intervals and windows are 3 s: the scrape interval is 1 s."""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "live"))
import cluster  # noqa: E402
import promharness  # noqa: E402
from cluster import weights  # noqa: E402


def fail_from_a_quarter(traffic):
    """v3 fails one request in five once it takes a quarter of the traffic (step 2 of 10,25,100)."""
    base = traffic.weights

    def follow():
        w = base()
        traffic.errors["v3"] = 0.2 if w.get("v3", 0) >= 25 else 0.0
        return w
    traffic.weights = follow


class PromCase(cluster.ClusterCase):
    BACKEND, ERA = "testserver", "current"
    TLS = False
    prom = None

    @classmethod
    def setUpClass(cls):
        promharness.require_prometheus()
        super().setUpClass()
        cls.prom = promharness.Prometheus(tls=cls.TLS)

    @classmethod
    def tearDownClass(cls):
        if cls.prom:
            cls.prom.stop()
        super().tearDownClass()

    def start(self, subsets=(("v1", None),), rps=100.0):
        """A reviews VirtualService in a fresh namespace, and traffic that follows its weights."""
        ns = self.namespace()
        self.bookinfo(ns, subsets=subsets)
        backend = self.backend
        traffic = self.prom.exporter.service(ns, "reviews", lambda: weights(backend.get(ns, "virtualservices", "reviews")), rps)
        self.prom.wait_for_series('istio_requests_total{destination_workload_namespace="%s"}' % ns)
        return ns, traffic

    def rollout(self, ns, *args, url=None):
        return self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "3s", "--no-progress",
                          "--prometheus", url or self.prom.url, *args)


class Analysis(PromCase):
    def test_a_healthy_canary_passes_every_gate(self):
        ns, _ = self.start()
        r = self.rollout(ns, "--steps", "10,100", "--analysis", "success-rate>=99", "--analysis", "latency-p99<=500ms",
                         "--analysis", "sum(up)>=1")
        self.assertExit(r, 0)
        self.assertIn("check passed: `analysis success-rate>=99`", r.out)
        self.assertIn("check passed: `analysis latency-p99<=500ms`", r.out)
        self.assertIn("check passed: `analysis sum(up)>=1`", r.out)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})

    def test_a_canary_with_20_percent_5xx_rolls_back_at_the_step_where_they_appear(self):
        ns, traffic = self.start()
        fail_from_a_quarter(traffic)
        r = self.rollout(ns, "--steps", "10,25,100", "--analysis", "success-rate>=99")
        self.assertExit(r, 5)
        self.assertIn("step 1/3 applied", r.out)
        self.assertIn("check passed: `analysis success-rate>=99`", r.out)
        self.assertIn("step 2/3 applied", r.out)
        self.assertNotIn("step 3/3 applied", r.out)
        self.assertRegex(r.err, r"check failed: `analysis success-rate>=99`: success rate [0-9.]+% over the last 3s, "
                                r"needs >=99%")
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})

    def test_latency_over_the_limit_rolls_back(self):
        ns, traffic = self.start()
        traffic.latency_ms["v3"] = 2000
        r = self.rollout(ns, "--steps", "10,100", "--analysis", "latency-p99<=500ms")
        self.assertExit(r, 5)
        self.assertRegex(r.err, r"`analysis latency-p99<=500ms`: p99 latency [0-9]+ms over the last 3s, needs <=500ms")
        self.assertIn("rolled back", r.err)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})

    def test_too_little_traffic_is_inconclusive_and_says_no_traffic(self):
        ns, _ = self.start(rps=2)
        r = self.rollout(ns, "--steps", "10,100", "--analysis", "success-rate>=99")
        self.assertExit(r, 5)
        self.assertIn("no traffic (", r.err)
        self.assertIn("--min-requests 20", r.err)
        self.assertIn("inconclusive", r.err)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})
        r = self.rollout(ns, "--steps", "10,100", "--analysis", "success-rate>=99", "--inconclusive", "pass")
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})
        # A custom query is judged on its own result: it has one whatever the traffic.
        r = self.shift("rollout", "reviews", "--to", "v1", "-n", ns, "--interval", "3s", "--steps", "100",
                       "--no-progress", "--prometheus", self.prom.url, "--analysis", "sum(up)>=1", "-v")
        self.assertExit(r, 0)
        self.assertIn("analysis sum(up)>=1: value 1 over the last 3s, within >=1", r.err)

    def test_a_window_shorter_than_two_scrapes_is_refused_before_any_change(self):
        ns, _ = self.start()
        before = self.backend.get(ns, "virtualservices", "reviews")
        r = self.rollout(ns, "--analysis", "success-rate>=99", "--analysis-window", "1s")
        self.assertExit(r, 2)
        self.assertIn("--analysis-window 1s is shorter than two of Prometheus's scrapes (scrape_interval 1s)", r.err)
        self.assertIn("use --analysis-window 2s or more", r.err)
        after = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])

    def test_dry_run_prints_the_queries_and_contacts_nobody(self):
        ns, _ = self.start()
        r = self.rollout(ns, "--dry-run", "--analysis", "success-rate>=99", url="http://127.0.0.1:1")
        self.assertExit(r, 0)
        self.assertIn('analysis: success-rate>=99: sum(rate(istio_requests_total{reporter="destination",'
                      'destination_workload_namespace="%s",destination_service_name="reviews",destination_version="v3",'
                      'response_code!~"5.*"}[3s]))' % ns, r.out)
        self.assertIn("analysis: requests (--min-requests 20): sum(increase(", r.out)

    def test_verify_passes_traffic_that_moved_and_fails_traffic_that_did_not(self):
        ns, _ = self.start()
        r = self.rollout(ns, "--steps", "10,100", "--verify", "--analysis", "success-rate>=99")
        self.assertExit(r, 0)
        self.assertIn("check passed: `verify the observed split`", r.out)
        ns, traffic = self.start()
        traffic.source_weights = lambda: {"v1": 100}  # the clients never got the new route
        r = self.rollout(ns, "--steps", "10,100", "--verify", "--analysis", "success-rate>=99")
        self.assertExit(r, 5)
        self.assertIn("check failed: `verify the observed split`: the observed split differs from the intended: "
                      "v3 gets 0.0%, intended 10% (-10.0 points, --verify-tolerance 5)", r.err)
        self.assertNotIn("step 2/2 applied", r.out)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})

    def test_through_the_api_servers_service_proxy(self):
        ns, _ = self.start()
        port = int(self.prom.url.rsplit(":", 1)[1])
        self.backend.create(ns, "services", {"kind": "Service", "metadata": {"name": "prometheus"},
                                             "spec": {"ports": [{"name": "http", "port": 9090, "targetPort": port}]}})
        r = self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "3s", "--no-progress",
                       "--steps", "100", "--prometheus-service", "%s/prometheus:9090" % ns,
                       "--analysis", "success-rate>=99", "-v")
        self.assertExit(r, 0)
        self.assertIn("check passed: `analysis success-rate>=99`", r.out)
        self.assertIn("/api/v1/namespaces/%s/services/prometheus:9090/proxy/api/v1/query?query=sum" % ns, r.err)
        r = self.shift("rollout", "reviews", "--to", "v1", "-n", ns, "--interval", "3s", "--steps", "100",
                       "--prometheus-service", "%s/nothere:9090" % ns, "--analysis", "success-rate>=99")
        self.assertExit(r, 3)
        self.assertIn("error: the API server's service proxy: services \"nothere\" not found", r.err)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})

    def test_bad_flags_are_usage_errors(self):
        for args, text in ((["--analysis", "latency-p98<=1s"], "the latency quantiles are p50, p90, p95 and p99"),
                           (["--analysis", "success-rate>=99", "--inconclusive", "maybe"], 'invalid --inconclusive "maybe"'),
                           (["--analysis", "success-rate>=99", "--prometheus-service", "prometheus"],
                            "use NAMESPACE/NAME:PORT")):
            r = self.shift("rollout", "reviews", "--to", "v3", "-n", "x", *args)
            self.assertExit(r, 2)
            self.assertIn(text, r.err)
            self.assertEqual(len(r.err.strip().splitlines()), 1, r.err)
        r = self.shift("rollout", "reviews", "--to", "v3", "-n", "x", "--analysis", "success-rate>=99",
                       env=self.env(SHIFT_PROMETHEUS_URL=None))
        self.assertExit(r, 2)
        self.assertIn("say where Prometheus is: --prometheus URL (or SHIFT_PROMETHEUS_URL)", r.err)

    def test_unreachable_prometheus_and_unreadable_token_stop_before_any_change(self):
        ns, _ = self.start()
        before = self.backend.get(ns, "virtualservices", "reviews")
        r = self.rollout(ns, "--analysis", "success-rate>=99", url="http://127.0.0.1:1")
        self.assertExit(r, 3)
        self.assertIn("error: cannot reach http://127.0.0.1:1: connection refused; check the server address in "
                      "--prometheus", r.err)
        r = self.rollout(ns, "--analysis", "success-rate>=99", "--prometheus-token-file", os.path.join(self.tmp, "none"))
        self.assertExit(r, 2)
        self.assertIn("cannot read token file %s" % os.path.join(self.tmp, "none"), r.err)
        after = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])

    def test_the_token_is_sent_and_never_printed(self):
        ns, _ = self.start()
        token = "prom-secret-token-123"
        self.extra_secrets = [token]
        path = self.write("token", token + "\n")
        proxy = promharness.RecordingProxy(self.prom.url)
        self.addCleanup(proxy.stop)
        r = self.rollout(ns, "--steps", "100", "--analysis", "success-rate>=99", "--prometheus-token-file", path, "-v",
                         url=proxy.url)
        self.assertExit(r, 0)  # assertNoSecrets (self.shift) checks both outputs
        self.assertGreaterEqual(len(proxy.authorizations), 3)  # the configuration, the count, the gate
        self.assertEqual(set(proxy.authorizations), {"Bearer " + token})

    def test_prometheus_errors_name_the_query_and_its_text(self):
        ns, _ = self.start()
        r = self.rollout(ns, "--steps", "100", "--analysis", "sum(rate(nope[3s])>=1")
        self.assertExit(r, 5)
        self.assertIn("Prometheus refused the query `sum(rate(nope[3s])`: bad_data:", r.err)



class SeveralObjects(PromCase):
    """Two contexts of one server, each in its own namespace with its own reviews and traffic: each
    object's gates judge its own canary, and a step passes only when both do."""

    def start_two(self):
        (ns1, t1), (ns2, t2) = self.start(), self.start()
        cfg = json.load(open(self.backend.write_kubeconfig(namespace=None)))
        for ctx in cfg["contexts"]:
            ctx["context"]["namespace"] = {"admin": ns1, "admin-cert": ns2}.get(ctx["name"], ns1)
        path = self.write("kubeconfig-two", json.dumps(cfg))
        os.chmod(path, 0o600)
        return (ns1, t1), (ns2, t2), self.env(KUBECONFIG=path)

    def rollout_two(self, env, *args, url=None, to="v3"):
        return self.shift("rollout", "reviews", "--to", to, "--context", "admin", "--context", "admin-cert",
                          "--interval", "3s", "--no-progress", "--prometheus", url or self.prom.url, *args, env=env)

    def test_each_objects_canary_is_judged_and_one_failing_rolls_back_both(self):
        (ns1, _), (ns2, t2), env = self.start_two()
        r = self.rollout_two(env, "--steps", "10,100", "--analysis", "success-rate>=99", "-v")
        self.assertExit(r, 0)
        self.assertEqual(r.out.count("check passed: `analysis success-rate>=99`"), 2, r.out)
        for ns in (ns1, ns2):  # one query per object, in its own namespace
            self.assertIn('destination_workload_namespace="%s",destination_service_name="reviews",'
                          'destination_version="v3"' % ns, r.err)
            self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})
        # Back to v1, then a canary that fails only in the second namespace, from step 2 on.
        self.assertExit(self.rollout_two(env, "--steps", "100", to="v1"), 0)
        fail_from_a_quarter(t2)
        r = self.rollout_two(env, "--steps", "10,25,100", "--analysis", "success-rate>=99")
        self.assertExit(r, 5)
        self.assertIn("step 2/3 applied", r.out)
        self.assertNotIn("step 3/3 applied", r.out)
        self.assertRegex(r.err, r"check failed: `analysis success-rate>=99`: admin-cert: [^\n]*reviews[^\n]*: "
                                r"success rate [0-9.]+% over the last 3s, needs >=99%")
        for ns in (ns1, ns2):
            self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})

    def test_verify_and_dry_run_name_each_object(self):
        (ns1, _), (ns2, t2), env = self.start_two()
        r = self.rollout_two(env, "--dry-run", "--verify", "--analysis", "success-rate>=99", url="http://127.0.0.1:1")
        self.assertExit(r, 0)
        for ctx, ns in (("admin", ns1), ("admin-cert", ns2)):
            self.assertRegex(r.out, r"analysis: %s: [^\n]*reviews[^\n]*: success-rate>=99: [^\n]*"
                                    r'destination_workload_namespace="%s"' % (ctx, ns))
        # The second namespace's clients never get the new route: its --verify fails the first step.
        t2.source_weights = lambda: {"v1": 100}
        r = self.rollout_two(env, "--steps", "10,100", "--verify")
        self.assertExit(r, 5)
        self.assertRegex(r.err, r"check failed: `verify the observed split`: admin-cert: [^\n]*: the observed split "
                                r"differs from the intended: v3 gets 0.0%, intended 10%")
        for ns in (ns1, ns2):
            self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 100})


if __name__ == "__main__":
    unittest.main()
