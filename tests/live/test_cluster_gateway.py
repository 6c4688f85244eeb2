#!/usr/bin/env python3
"""shift against a live API server on Gateway API HTTPRoutes: Istio's bookinfo Gateway API walkthrough
(route-reviews-v1 -> 50/50 with reviews-v3 -> reviews-v3 by a rollout -> undo), relative weights,
missing Services, ReferenceGrants, dry runs and conflicts. Runs against the local test API server and a
real kube-apiserver with the Gateway API v1.2.0 HTTPRoute CRD (skipped without KUBEBUILDER_ASSETS).

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_gateway.py
"""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from testserver import TestServer  # noqa: E402


def service(name):
    return {"kind": "Service", "metadata": {"name": name},
            "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": {"app": "reviews", "version": name}}}


def route_reviews_v1(version="v1"):
    """tests/data/bookinfo/gateway-api/route-reviews-v1.yaml, as JSON."""
    return {"apiVersion": "gateway.networking.k8s.io/" + version, "kind": "HTTPRoute",
            "metadata": {"name": "reviews"},
            "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                     "rules": [{"backendRefs": [{"name": "reviews-v1", "port": 9080}]}]}}


def refs(route, rule=0):
    """[(name, weight)] of a rule's backendRefs (None: no weight)."""
    return [(r["name"], r.get("weight")) for r in route["spec"]["rules"][rule]["backendRefs"]]


class GatewayBase(cluster.ClusterCase):
    GATEWAY = True
    def bookinfo_gateway(self, ns, version="v1"):
        for name in ("reviews-v1", "reviews-v2", "reviews-v3"):
            self.backend.serve(ns, service(name))
        return self.backend.create(ns, "httproutes", route_reviews_v1(version))

    def get_route(self, ns):
        return self.backend.get(ns, "httproutes", "reviews")


class Gateway(GatewayBase):
    def test_bookinfo_walkthrough_set_get_rollout_history_undo(self):
        ns = self.namespace()
        self.bookinfo_gateway(ns)
        r = self.shift("httproute/reviews", "reviews-v1=50", "reviews-v3=50", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("httproute.gateway.networking.k8s.io/reviews shifted", r.out)
        self.assertIn("rules[0]", r.out)
        route = self.get_route(ns)
        self.assertEqual(refs(route), [("reviews-v1", 50), ("reviews-v3", 50)])
        self.assertEqual(route["spec"]["rules"][0]["backendRefs"][1]["port"], 9080)

        r = self.shift("get", "httproute/reviews", "-n", ns, "-o", "json")
        self.assertExit(r, 0)
        split = json.loads(r.out)
        self.assertEqual(split["apiVersion"], "gateway.networking.k8s.io/v1")
        self.assertEqual([(d["key"], d["weight"]) for d in split["rules"][0]["destinations"]],
                         [("reviews-v1", 50), ("reviews-v3", 50)])

        r = self.shift("rollout", "httproute/reviews", "--to", "reviews-v3", "--steps", "75,100", "--interval", "0",
                       "--no-progress", "-n", ns)
        self.assertExit(r, 0)
        # The lone ref is written without weight, which the API server defaults to 1 (the CRD's default).
        self.assertEqual(refs(self.get_route(ns)), [("reviews-v3", 1)])

        r = self.shift("history", "httproute/reviews", "-n", ns, "-o", "json")
        self.assertExit(r, 0)
        self.assertGreaterEqual(len(json.loads(r.out)["revisions"]), 3)

        r = self.shift("undo", "httproute/reviews", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("rolled back to revision", r.out)
        route = self.get_route(ns)
        # The rollout's last step wrote only reviews-v3; the revision before it sent 25% to reviews-v1.
        self.assertEqual(sorted(refs(route)), [("reviews-v1", 25), ("reviews-v3", 75)])

    def test_relative_weights_read_as_percentages(self):
        ns = self.namespace()
        obj = route_reviews_v1()
        obj["spec"]["rules"][0]["backendRefs"] = [{"name": "reviews-v1", "port": 9080, "weight": 3},
                                                  {"name": "reviews-v2", "port": 9080}]
        for name in ("reviews-v1", "reviews-v2"):
            self.backend.serve(ns, service(name))
        self.backend.create(ns, "httproutes", obj)
        r = self.shift("get", "httproute/reviews", "-n", ns, "-o", "json")
        self.assertExit(r, 0)
        dests = json.loads(r.out)["rules"][0]["destinations"]
        self.assertEqual([(d["key"], d["weight"]) for d in dests], [("reviews-v1", 75), ("reviews-v2", 25)])
        r = self.shift("httproute/reviews", "reviews-v2=50", "--expect", "reviews-v1=75,reviews-v2=25", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(refs(self.get_route(ns)), [("reviews-v1", 50), ("reviews-v2", 50)])

    def test_missing_service_is_refused_unless_no_validate(self):
        ns = self.namespace()
        before = self.bookinfo_gateway(ns)
        r = self.shift("httproute/reviews", "reviews-v1=50", "reviews-v9=50", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn('backendRef "reviews-v9": Service %s/reviews-v9 does not exist' % ns, r.err)
        self.assertEqual(self.get_route(ns)["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])
        r = self.shift("httproute/reviews", "reviews-v1=50", "reviews-v9=50", "--no-validate", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(refs(self.get_route(ns)), [("reviews-v1", 50), ("reviews-v9", 50)])

    def test_cross_namespace_ref_without_a_reference_grant_is_a_warning(self):
        ns, other = self.namespace(), self.namespace()
        self.bookinfo_gateway(ns)
        self.backend.serve(other, service("reviews-v2"))
        r = self.shift("httproute/reviews", "reviews-v1=90", "%s/reviews-v2=10" % other, "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("no ReferenceGrant there allows HTTPRoutes of %s to use Service reviews-v2" % ns, r.err)
        route = self.get_route(ns)
        self.assertEqual(route["spec"]["rules"][0]["backendRefs"][1]["namespace"], other)

    def test_unreadable_lists_are_one_warning_each_and_the_shift_proceeds(self):
        ns, other = self.namespace(), self.namespace()
        self.bookinfo_gateway(ns)
        args = ["httproute/reviews", "reviews-v1=90", "%s/reviews-v2=10" % other, "-n", ns]
        if self.backend.kind == "envtest":  # RBAC that allows only the HTTPRoute
            rbac = "rbac.authorization.k8s.io/v1"
            self.backend.env.create(ns, "roles", {
                "apiVersion": rbac, "kind": "Role", "metadata": {"name": "route-editor"},
                "rules": [{"apiGroups": ["gateway.networking.k8s.io"], "resources": ["httproutes"],
                           "verbs": ["get", "list", "update"]}]})
            self.backend.env.create(ns, "rolebindings", {
                "apiVersion": rbac, "kind": "RoleBinding", "metadata": {"name": "jane-route-editor"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "route-editor"},
                "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]})
            args += ["--as", "jane"]
        else:
            self.backend.fault("error", status=403, method="GET", path="/services", count=-1)
            self.backend.fault("error", status=403, method="GET", path="/referencegrants", count=-1)
        r = self.shift(*args)
        self.assertExit(r, 0)
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 3, r.err)
        self.assertEqual(lines[2], "warning: ready endpoints of Service reviews-v2 not checked: the Services could "
                         "not be read")
        self.assertTrue(lines[0].startswith('warning: new backendRef %s/reviews-v2 not checked: Services in namespace '
                                            '"%s" could not be read (' % (other, other)), r.err)
        self.assertTrue(lines[1].startswith('warning: the ReferenceGrants for new backendRef %s/reviews-v2 not '
                                            'checked: ReferenceGrants in namespace "%s" could not be read ('
                                            % (other, other)), r.err)
        self.assertEqual(refs(self.get_route(ns)), [("reviews-v1", 90), ("reviews-v2", 10)])

    def test_dry_runs_change_nothing(self):
        ns = self.namespace()
        before = self.bookinfo_gateway(ns)
        for flag in ("--dry-run=client", "--dry-run=server"):
            r = self.shift("httproute/reviews", "reviews-v1=50", "reviews-v3=50", flag, "-n", ns)
            self.assertExit(r, 0)
            self.assertIn("weight: 50", r.out)
            self.assertIn("name: reviews-v3", r.out)
            self.assertEqual(self.get_route(ns)["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])

    def test_a_bare_name_is_a_virtualservice(self):
        ns = self.namespace()
        self.bookinfo_gateway(ns)
        r = self.shift("reviews", "reviews-v1=50", "reviews-v3=50", "-n", ns)
        self.assertExit(r, 3)
        self.assertIn("virtualservice \"reviews\" not found", r.err)


class GatewayFaults(GatewayBase):
    """What only the test server can do: conflicts, ReferenceGrants (the real server's tests install no
    ReferenceGrant CRD), an HTTPRoute created in v1beta1."""

    def test_conflict_is_replanned(self):
        ns = self.namespace()
        self.bookinfo_gateway(ns)
        self.backend.fault("conflict", count=1, method="GET", path="/apis/gateway.networking.k8s.io/v1/namespaces/%s/httproutes/reviews" % ns,
                           patch={"metadata": {"labels": {"touched": "yes"}}})
        r = self.shift("httproute/reviews", "reviews-v1=50", "reviews-v3=50", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("409 Conflict", r.err)
        route = self.get_route(ns)
        self.assertEqual(route["metadata"]["labels"], {"touched": "yes"})
        self.assertEqual(refs(route), [("reviews-v1", 50), ("reviews-v3", 50)])

    def test_a_reference_grant_silences_the_warning(self):
        ns, other = self.namespace(), self.namespace()
        self.bookinfo_gateway(ns)
        self.backend.serve(other, service("reviews-v2"))
        self.backend.create(other, "referencegrants", {
            "kind": "ReferenceGrant", "metadata": {"name": "from-" + ns},
            "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": ns}],
                     "to": [{"group": "", "kind": "Service", "name": "reviews-v2"}]}})
        r = self.shift("httproute/reviews", "reviews-v1=90", "%s/reviews-v2=10" % other, "-n", ns)
        self.assertExit(r, 0)
        self.assertNotIn("ReferenceGrant", r.err)

    def test_an_httproute_created_in_v1beta1(self):
        ns = self.namespace()
        self.bookinfo_gateway(ns, version="v1beta1")
        r = self.shift("httproute/reviews", "reviews-v1=50", "reviews-v3=50", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(refs(self.backend.get(ns, "httproutes", "reviews", "v1beta1")),
                         [("reviews-v1", 50), ("reviews-v3", 50)])


class GatewayVersions(unittest.TestCase):
    """A cluster with the Gateway API in v1beta1 only (0.x releases), and one without it."""

    def start(self, versions):
        srv = TestServer(extra_args=["--gateway-versions", versions]).start()
        self.addCleanup(srv.stop)
        self.tmp = tempfile.mkdtemp(prefix="shift-live-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        return srv

    def shift(self, srv, *args):
        env = cluster.clean_env(self.tmp)
        env["KUBECONFIG"] = srv.kubeconfig
        return cluster.run_shift(list(args), env)

    def test_v1beta1_where_v1_is_not_served(self):
        srv = self.start("v1beta1")
        for name in ("reviews-v1", "reviews-v3"):
            srv.request("POST", "/api/v1/namespaces/istio-demo/services", dict(service(name), apiVersion="v1"))
        srv.request("POST", "/apis/discovery.k8s.io/v1/namespaces/istio-demo/endpointslices", {
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "reviews-v3-0", "labels": {"kubernetes.io/service-name": "reviews-v3"}},
            "addressType": "IPv4", "endpoints": [{"addresses": ["10.1.0.7"]}]})
        status, _, _ = srv.request("POST", "/apis/gateway.networking.k8s.io/v1beta1/namespaces/istio-demo/httproutes",
                                   route_reviews_v1("v1beta1"))
        self.assertEqual(status, 201)
        srv.clear_requests()
        r = self.shift(srv, "httproute/reviews", "reviews-v1=50", "reviews-v3=50", "-n", "istio-demo")
        self.assertEqual(r.code, 0, repr(r))
        calls = [(e["method"], e["path"].split("/")[3], e["status"]) for e in srv.requests()
                 if "/httproutes" in e["path"]]
        self.assertEqual(calls, [("GET", "v1", 404), ("GET", "v1beta1", 200), ("PUT", "v1beta1", 200)])
        _, _, route = srv.request("GET", "/apis/gateway.networking.k8s.io/v1beta1/namespaces/istio-demo/httproutes/reviews")
        self.assertEqual(refs(route), [("reviews-v1", 50), ("reviews-v3", 50)])

    def test_no_gateway_api_says_so(self):
        srv = self.start("")
        r = self.shift(srv, "httproute/reviews", "reviews-v1=50", "reviews-v3=50", "-n", "istio-demo")
        self.assertEqual(r.code, 3, repr(r))
        self.assertEqual(r.err, "error: the cluster serves no gateway.networking.k8s.io HTTPRoute API in v1 or v1beta1; "
                                "are the Gateway API CRDs installed (kubectl get crd "
                                "httproutes.gateway.networking.k8s.io)?\n")


cluster.parameterize(globals(), Gateway, eras=("current",))
cluster.parameterize(globals(), GatewayFaults, backends=("testserver",), eras=("current",))
del GatewayBase

if __name__ == "__main__":
    unittest.main()
