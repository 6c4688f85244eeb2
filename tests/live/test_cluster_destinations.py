#!/usr/bin/env python3
"""shift against a live API server: traffic never goes to a destination that does not exist. New
hosts must be Services or ServiceEntries in reach; subsets must be defined by the DestinationRule
Istio applies (client namespace, service namespace, root namespace istio-system, wildcards,
exportTo); lists are read only when a destination is added. Runs against the local test API server
and a real kube-apiserver (skipped without KUBEBUILDER_ASSETS), in Istio's current and 1.8 eras.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_destinations.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import reviews_dr, reviews_vs, weights  # noqa: E402

ROOT_NS = "istio-system"


def service(name):
    return {"kind": "Service", "metadata": {"name": name},
            "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": {"app": name}}}


def byhost_vs(ns):
    return {"kind": "VirtualService", "metadata": {"name": "byhost"}, "spec": {"hosts": ["reviews"], "http": [{"route": [
        {"destination": {"host": "reviews-v1"}, "weight": 50},
        {"destination": {"host": "reviews-v2.%s.svc.cluster.local" % ns}, "weight": 50}]}]}}


def service_entry(name, hosts, export=None):
    spec = {"hosts": hosts, "ports": [{"number": 80, "name": "http", "protocol": "HTTP"}], "resolution": "DNS",
            "location": "MESH_EXTERNAL"}
    if export:
        spec["exportTo"] = export
    return {"kind": "ServiceEntry", "metadata": {"name": name}, "spec": spec}


class Destinations(cluster.ClusterCase):
    def root_namespace(self):
        """istio-system, created on the real server the first time (the test server takes any)."""
        if self.backend.kind == "envtest":
            status, _, _ = self.backend.request("GET", "/api/v1/namespaces/" + ROOT_NS)
            if status == 404:
                self.backend.env.create_namespace(ROOT_NS)
        return ROOT_NS

    def byhost(self, ns):
        for name in ("reviews-v1", "reviews-v2", "reviews-v3", "productpage"):
            self.backend.serve(ns, service(name))
        return self.backend.create(ns, "virtualservices", byhost_vs(ns))

    def refused(self, r, before, ns, name, *says):
        self.assertExit(r, 2)
        self.assertEqual(r.out, "")
        self.assertEqual(len(r.err.strip().splitlines()), 1, r.err)
        for s in says:
            self.assertIn(s, r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", name), before)

    # ---- new hosts ----
    def test_a_host_that_is_no_service_is_refused_even_with_dry_run_server(self):
        ns = self.namespace()
        before = self.byhost(ns)
        for extra in ([], ["--dry-run=server"]):
            r = self.shift("byhost", "v3=100", "-n", ns, *extra)
            self.refused(r, before, ns, "byhost", 'error: VirtualService %s/byhost http[0]: host "v3" does not exist' % ns,
                         "defines v3.%s.svc.cluster.local; Istio would answer 503 (no healthy upstream)" % ns,
                         "closest existing: reviews-v3")
        r = self.shift("byhost", "reviews-v1=90", "reviwes-v2=10", "-n", ns)
        self.refused(r, before, ns, "byhost", 'host "reviwes-v2" does not exist', "closest existing: reviews-v2")

    def test_an_existing_service_passes_with_one_list_of_services_only(self):
        ns = self.namespace()
        self.byhost(ns)
        if self.backend.faults:
            self.backend.clear_requests()
        r = self.shift("byhost", "reviews-v1=90", "reviews-v3=10", "-n", ns)
        self.assertExit(r, 0)
        self.assertNotIn("not checked", r.err)
        if self.backend.faults:  # the request log is the test server's (1.8: a 404 for v1 first)
            paths = [(q["method"], q["path"].rsplit("/", 1)[-1]) for q in self.backend.requests() if q["status"] != 404]
            # and one of pods: make-before-break for reviews-v3, which starts getting traffic; and the
            # VirtualServices of every namespace, for the notes of what else routes the hosts
            self.assertEqual(paths, [("GET", "byhost"), ("GET", "services"), ("GET", "pods"),
                                     ("GET", "virtualservices"), ("PUT", "byhost")])
        got = self.backend.get(ns, "virtualservices", "byhost")
        self.assertEqual([d["destination"]["host"] for d in got["spec"]["http"][0]["route"]],
                         ["reviews-v1", "reviews-v3"])

    def test_a_service_entry_host_passes(self):
        ns = self.namespace()
        self.byhost(ns)
        self.backend.create(ns, "serviceentries", service_entry("ext", ["api.example.com"]))
        r = self.shift("byhost", "reviews-v1=90", "api.example.com=10", "-n", ns)
        self.assertExit(r, 0)
        r = self.shift("byhost", "reviews-v1=90", "api.example.org=10", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn('host "api.example.org" does not exist', r.err)
        self.assertIn("closest existing: api.example.com", r.err)

    def test_a_subset_of_the_routes_host_says_so(self):
        ns = self.namespace()
        self.byhost(ns)
        before = self.backend.create(ns, "virtualservices", {
            "kind": "VirtualService", "metadata": {"name": "root"},
            "spec": {"hosts": ["productpage"], "http": [{"route": [{"destination": {"host": "productpage"}}]}]}})
        self.backend.create(ns, "destinationrules", reviews_dr("productpage", "productpage", ("v1", "v3")))
        for subset in ("v1", "v3"):
            self.backend.pod(ns, "productpage-" + subset, {"app": "productpage", "version": subset})
        r = self.shift("root", "v1=50", "v3=50", "-n", ns, "--dry-run=server")
        self.refused(r, before, ns, "root", 'host "v1" does not exist',
                     '"v1" is a subset of productpage (DestinationRule %s/productpage): name it productpage/v1' % ns)
        r = self.shift("root", "productpage/v1=50", "productpage/v3=50", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "root")), {"v1": 50, "v3": 50})

    # ---- subsets: where Istio finds the DestinationRule ----
    def test_no_destination_rule_anywhere_is_an_error(self):
        ns = self.namespace()
        before = self.bookinfo(ns, dr=False)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.refused(r, before, ns, "reviews", 'subset "v1" of host reviews: no DestinationRule for '
                     "reviews.%s.svc.cluster.local in namespace %s, the service's or istio-system defines subsets; "
                     "Istio would answer 503" % (ns, ns))

    def test_the_root_namespace_rule_counts_unless_private(self):
        ns = self.namespace()
        root = self.root_namespace()
        before = self.bookinfo(ns, dr=False)
        host = "reviews.%s.svc.cluster.local" % ns
        private = reviews_dr("private-" + ns, host, ("v1", "v3"))
        private["spec"]["exportTo"] = ["."]
        self.backend.create(root, "destinationrules", private)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.refused(r, before, ns, "reviews", "no DestinationRule for " + host)
        self.backend.create(root, "destinationrules", reviews_dr("public-" + ns, host, ("v1", "v3")))
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 50, "v3": 50})

    def test_a_wildcard_rule_defines_the_subsets(self):
        ns = self.namespace()
        self.bookinfo(ns, dr=False)
        self.backend.create(ns, "destinationrules", reviews_dr("all", "*.%s.svc.cluster.local" % ns, ("v1", "v2")))
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn('subset "v3" of host reviews is not defined by its DestinationRule (defined: v1, v2)', r.err)
        r = self.shift("reviews", "v1=50", "v2=50", "-n", ns)
        self.assertExit(r, 0)

    def test_the_service_namespace_rule_counts_when_exported(self):
        ns, backend_ns = self.namespace(), self.namespace()
        host = "reviews.%s.svc.cluster.local" % backend_ns
        self.backend.create(ns, "virtualservices", reviews_vs("reviews", host=host))
        hidden = reviews_dr("reviews", host, ("v1", "v3"))
        hidden["spec"]["exportTo"] = ["."]
        self.backend.create(backend_ns, "destinationrules", hidden)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn("no DestinationRule for " + host, r.err)
        hidden = self.backend.get(backend_ns, "destinationrules", "reviews")
        hidden["spec"]["exportTo"] = [ns]
        self.backend.update(backend_ns, "destinationrules", hidden)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 0)

    # ---- what is read, and when it cannot be ----
    def test_a_weight_only_change_reads_nothing_more(self):
        if not self.backend.faults:
            self.skipTest("the request log is the test server's")
        ns = self.namespace()
        self.bookinfo(ns, subsets=(("v1", 50), ("v3", 50)))
        self.backend.clear_requests()
        r = self.shift("reviews", "v1=90", "v3=10", "-n", ns)
        self.assertExit(r, 0)
        # The GET, the LIST of the VirtualServices in reach (its notes: test_cluster_reach.py), the PUT.
        self.assertEqual([(q["method"], q["path"].rsplit("/", 1)[-1]) for q in self.backend.requests()
                          if q["status"] != 404], [("GET", "reviews"), ("GET", "virtualservices"), ("PUT", "reviews")])
        self.backend.clear_requests()
        r = self.shift("reviews", "v1=80", "v3=20", "-n", ns, "-q")
        self.assertExit(r, 0)
        self.assertEqual([q["method"] for q in self.backend.requests() if q["status"] != 404], ["GET", "PUT"])

    def test_unreadable_lists_give_one_warning_each(self):
        ns = self.namespace()
        self.bookinfo(ns)
        self.backend.fault("error", status=403, method="GET", path="/services", count=-1)
        self.backend.fault("error", status=403, method="GET", path="/destinationrules", count=-1)
        r = self.shift("reviews", "v1=90", "nope/v1=10", "-n", ns)  # a new host, with a subset
        self.assertExit(r, 0)
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 3, r.err)
        self.assertTrue(lines[0].startswith("warning: new host nope.%s.svc.cluster.local not checked: Services in "
                                            'namespace "%s" could not be read (' % (ns, ns)), r.err)
        # make-before-break says what it could not check, without asking again
        self.assertEqual(lines[2], "warning: Ready pods of subset v1 of nope.%s.svc.cluster.local not checked: "
                         "the Services could not be read" % ns)
        self.assertTrue(lines[1].startswith('warning: subsets not checked: DestinationRules in namespace "%s" could '
                                            "not be read (" % ns), r.err)

    def test_rbac_that_allows_only_the_virtual_service_gives_warnings_and_proceeds(self):
        if self.backend.kind != "envtest":
            self.skipTest("the test server has no RBAC (test_unreadable_lists_give_one_warning_each injects 403s)")
        ns = self.namespace()
        self.bookinfo(ns)
        rbac = "rbac.authorization.k8s.io/v1"
        self.backend.env.create(ns, "roles", {
            "apiVersion": rbac, "kind": "Role", "metadata": {"name": "vs-editor"},
            "rules": [{"apiGroups": ["networking.istio.io"], "resources": ["virtualservices"],
                       "verbs": ["get", "list", "update"]}]})
        self.backend.env.create(ns, "rolebindings", {
            "apiVersion": rbac, "kind": "RoleBinding", "metadata": {"name": "jane-vs-editor"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "vs-editor"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]})
        r = self.shift("reviews", "v1=90", "nope/v1=10", "-n", ns, "--as", "jane")
        self.assertExit(r, 0)
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 3, r.err)
        self.assertTrue(lines[0].startswith("warning: new host nope.%s.svc.cluster.local not checked: Services in "
                                            'namespace "%s" could not be read (' % (ns, ns)), r.err)
        # make-before-break says what it could not check, without asking again
        self.assertEqual(lines[2], "warning: Ready pods of subset v1 of nope.%s.svc.cluster.local not checked: "
                         "the Services could not be read" % ns)
        self.assertIn('User "jane" cannot list', lines[0])
        self.assertTrue(lines[1].startswith('warning: subsets not checked: DestinationRules in namespace "%s"' % ns),
                        r.err)

    def test_no_service_entry_kind_means_none(self):
        ns = self.namespace()
        self.byhost(ns)
        self.backend.fault("error", status=404, method="GET", path="/serviceentries", count=-1)
        r = self.shift("byhost", "reviews-v1=90", "nope=10", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn('host "nope" does not exist', r.err)


cluster.parameterize(globals(), Destinations)

if __name__ == "__main__":
    unittest.main()
