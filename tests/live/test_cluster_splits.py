#!/usr/bin/env python3
"""Fine, relative and pinned splits against a live API server: a fraction on an HTTPRoute, a fraction
allowed or refused by the istiod image tag of a Deployment created through the API, --adjust, --equal,
--pin on set and rollout. Runs against the local test API server and, with KUBEBUILDER_ASSETS, a real
kube-apiserver (which serves apps/v1 Deployments natively).

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_splits.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402


def service(name):
    return {"kind": "Service", "metadata": {"name": name},
            "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": {"app": "reviews", "version": name}}}


def http_route(*backends):
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "reviews"},
            "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                     "rules": [{"backendRefs": [{"name": n, "port": 9080, "weight": w} for n, w in backends]}]}}


class Splits(cluster.ClusterCase):
    GATEWAY = True

    def reviews(self, ns, *subsets):
        self.backend.create(ns, "destinationrules", cluster.reviews_dr(subsets=("v1", "v2", "v3", "legacy")))
        self.backend.create(ns, "virtualservices", cluster.reviews_vs(subsets=subsets))

    def vs_weights(self, ns):
        return cluster.weights(self.backend.get(ns, "virtualservices", "reviews"))

    def istio(self, image):
        """A namespace running an istiod of `image`: the --istio-namespace of a test."""
        ns = self.namespace()
        self.backend.create(ns, "deployments", cluster.istiod(image))
        return ns

    def test_fraction_on_an_httproute(self):
        ns = self.namespace()
        for name in ("reviews-v1", "reviews-v3"):
            self.backend.serve(ns, service(name))
        self.backend.create(ns, "httproutes", http_route(("reviews-v1", 100)))
        r = self.shift("httproute/reviews", "reviews-v3=0.5", "-n", ns)
        self.assertExit(r, 0)
        route = self.backend.get(ns, "httproutes", "reviews")
        self.assertEqual([(b["name"], b["weight"]) for b in route["spec"]["rules"][0]["backendRefs"]],
                         [("reviews-v1", 199), ("reviews-v3", 1)])
        self.assertRegex(r.out, r"reviews-v1\s+100 (->|→) 99\.5")
        self.assertRegex(r.out, r"reviews-v3\s+- (->|→) 0\.5\s+\(new\)")
        got = self.shift("get", "httproute/reviews", "-n", ns)
        self.assertExit(got, 0)
        self.assertRegex(got.out, r"reviews-v1 .* 99\.5\n")
        self.assertRegex(got.out, r"reviews-v3 .* 0\.5\n")

    def test_fraction_allowed_by_istiod_1_20(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        istio = self.istio("docker.io/istio/pilot:1.20.3")
        r = self.shift("reviews", "v3=0.5", "-n", ns, "--istio-namespace", istio)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 199, "v3": 1})
        # A VirtualService whose weights do not sum to 100 shows its shares.
        got = self.shift("get", "reviews", "-n", ns)
        self.assertRegex(got.out, r"v1 .* 99\.5\n")

    def test_fraction_refused_by_istiod_1_14_and_where_it_cannot_be_told(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        before = self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        old = self.istio("gcr.io/istio-release/pilot:1.14.6-distroless")
        r = self.shift("reviews", "v3=0.5", "-n", ns, "--istio-namespace", old)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [
            "error: VirtualService %s/reviews http[0]: v3=0.5 is finer than whole percentages and this Istio "
            "requires weights that sum to 100 (1.14 and older), so only whole percentages can be written (istiod "
            "in %s runs 1.14); use whole percentages" % (ns, old)])
        empty = self.namespace()
        r = self.shift("reviews", "v3=0.5", "-n", ns, "--istio-namespace", empty)
        self.assertExit(r, 2)
        self.assertIn("shift cannot tell whether this Istio accepts weights that do not sum to 100 (1.15 and newer "
                      "do) (no istiod Deployment in %s); use whole percentages, or --weights any-total" % empty, r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], before)
        # Stated by hand, no Deployment is read.
        r = self.shift("reviews", "v3=0.5", "-n", ns, "--istio-namespace", empty, "--weights", "any-total")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 199, "v3": 1})

    def test_whole_percentages_read_no_deployment(self):
        if self.backend.kind != "testserver":
            self.skipTest("the request log is the test server's")
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v3", 10))
        self.backend.clear_requests()
        r = self.shift("reviews", "v3=20", "-n", ns)
        self.assertExit(r, 0)
        self.assertFalse([q for q in self.backend.requests() if "deployments" in q["path"]])

    def test_adjust_equal_and_pin(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 60), ("v2", 30), ("v3", 10))
        self.assertExit(self.shift("reviews", "--adjust", "v3=+10", "-n", ns), 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 53, "v2": 27, "v3": 20})
        self.assertExit(self.shift("reviews", "--equal", "-n", ns), 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 34, "v2": 33, "v3": 33})
        self.assertExit(self.shift("reviews", "v2=50", "v3=16", "--pin", "v1", "-n", ns), 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 34, "v2": 50, "v3": 16})
        r = self.shift("reviews", "v1=20", "v2=80", "--pin", "v1", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn("error: v1 is pinned at 34% (--pin v1) and the request would set it to 20%", r.err)

    def test_rollout_moves_only_the_unpinned(self):
        ns = self.namespace()
        self.reviews(ns, ("legacy", 20), ("v1", 80))
        r = self.shift("rollout", "reviews", "--to", "v3", "--pin", "legacy", "--steps", "10,50,80", "-n", ns,
                       "--interval", "1ms")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"legacy": 20, "v3": 80})
        r = self.shift("rollout", "reviews", "--to", "v1", "--pin", "legacy", "-n", ns, "--interval", "1ms")
        self.assertExit(r, 2)
        self.assertIn("step 100% needs 20% of pinned traffic (legacy at 20%); end --steps at 80 or drop --pin", r.err)


cluster.parameterize(globals(), Splits, eras=("current",))

if __name__ == "__main__":
    unittest.main()
