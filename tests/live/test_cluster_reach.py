#!/usr/bin/env python3
"""What a change reaches, against a live API server: other VirtualServices for the same host (in the
namespace, or exported to it from another) are listed with their splits, since a change moves only the
named one; a mesh-only VirtualService hears that gateway traffic follows a gateway-bound one; a parent's
delegating rule names the delegate to shift, and a delegate names its parents. One LIST of the
namespace's VirtualServices serves them (of every namespace for a delegate, whose parents may be
anywhere; when the user may not make that one (RBAC), the namespace's own and one warning). Runs against the local test API server and, with KUBEBUILDER_ASSETS, a real
kube-apiserver.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_reach.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402


def vs(name, hosts, route, gateways=None, export_to=None):
    spec = {"http": [{"route": route}]}
    if hosts is not None:
        spec["hosts"] = hosts
    if gateways is not None:
        spec["gateways"] = gateways
    if export_to is not None:
        spec["exportTo"] = export_to
    return {"kind": "VirtualService", "metadata": {"name": name}, "spec": spec}


def route(host, *subsets):
    return [{"destination": {"host": host, "subset": s}, "weight": w} for s, w in subsets]


class Reach(cluster.ClusterCase):
    def reviews(self, ns, *subsets):
        self.backend.create(ns, "destinationrules", cluster.reviews_dr(subsets=("v1", "v2", "v3")))
        self.backend.create(ns, "virtualservices", cluster.reviews_vs(subsets=subsets))

    def vs_weights(self, ns, name="reviews"):
        return cluster.weights(self.backend.get(ns, "virtualservices", name))

    def namespace_list(self, ns):
        return "GET %s/apis/networking.istio.io/v1/namespaces/%s/virtualservices?limit=500 200" % (self.backend.url, ns)

    def test_another_vs_for_the_host_in_the_namespace_is_listed_with_its_split(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.backend.create(ns, "virtualservices", vs("reviews-canary", ["reviews"],
                                                      route("reviews", ("v1", 50), ("v2", 50))))
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns, "-v")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 80, "v2": 20})
        self.assertIn("warning: VirtualService %s/reviews-canary also routes reviews.%s.svc.cluster.local for the "
                      "mesh (http[0] v1=50,v2=50); this change moves only %s/reviews\n" % (ns, ns, ns), r.err)
        # One LIST of the namespace, one page of at most 500, beside the GET and the PUT.
        self.assertIn(self.namespace_list(ns), r.err)
        self.assertEqual(r.err.count("virtualservices?limit="), 1, r.err)
        # -q prints no notes and reads nothing for them.
        r = self.shift("reviews", "v1=70", "v2=30", "-n", ns, "-q", "-v")
        self.assertExit(r, 0)
        self.assertNotIn("virtualservices?limit=", r.err)
        self.assertNotIn("warning:", r.err)

    def test_vs_of_other_namespaces_are_not_listed_for_a_vs_with_hosts(self):
        # Exported here or not, they are not read: a LIST of every namespace costs about 0.3 ms a
        # VirtualService on every set (README "What else routes the host").
        ns, other = self.namespace(), self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        host = "reviews.%s.svc.cluster.local" % ns
        self.backend.create(other, "virtualservices", vs("reviews-b", [host], route(host, ("v1", 100)),
                                                         export_to=[ns]))
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns, "-v")
        self.assertExit(r, 0)
        self.assertNotIn("warning:", r.err)
        self.assertNotIn("/apis/networking.istio.io/v1/virtualservices?", r.err)

    def test_a_mesh_only_vs_hears_that_gateway_traffic_follows_the_gateway_bound_one(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.backend.create(ns, "virtualservices", vs("reviews-edge", ["reviews"], route("reviews", ("v1", 100)),
                                                      gateways=["istio-system/edge"]))
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: traffic to reviews.%s.svc.cluster.local entering through gateway istio-system/edge follows "
            "VirtualService %s/reviews-edge (http[0] v1=100), not %s/reviews" % (ns, ns, ns)])

    def test_no_validate_reads_nothing_for_reach(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.backend.create(ns, "virtualservices", vs("reviews-canary", ["reviews"], route("reviews", ("v1", 100))))
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns, "--no-validate", "-v")
        self.assertExit(r, 0)
        self.assertNotIn("virtualservices?limit=", r.err)
        self.assertNotIn("warning:", r.err)

    def test_no_change_reads_nothing_for_reach(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        r = self.shift("reviews", "v1=90", "v2=10", "-n", ns, "-v")
        self.assertExit(r, 0)
        self.assertNotIn("virtualservices?limit=", r.err)

    def test_a_parents_delegating_rule_names_the_delegate_and_the_delegate_its_parents(self):
        ns, team = self.namespace(), self.namespace()
        host = "reviews.%s.svc.cluster.local" % ns
        self.backend.create(ns, "destinationrules", cluster.reviews_dr(subsets=("v1", "v2")))
        self.backend.create(ns, "virtualservices", {
            "kind": "VirtualService", "metadata": {"name": "reviews"},
            "spec": {"hosts": ["reviews"], "http": [{"delegate": {"name": "reviews-delegate", "namespace": team}}]}})
        self.backend.create(team, "virtualservices", vs("reviews-delegate", None, route(host, ("v1", 90), ("v2", 10))))
        before = self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        refusal = ("error: VirtualService %s/reviews http[0] delegates to VirtualService %s/reviews-delegate; shift "
                   "that one (Istio routes there, not here): kubectl shift reviews-delegate -n %s ..." % (ns, team, team))
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [refusal])
        r = self.shift("rollout", "reviews", "--to", "v2", "--interval", "1ms", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [refusal])
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], before)
        r = self.shift("reviews-delegate", "v1=80", "v2=20", "-n", team)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(team, "reviews-delegate"), {"v1": 80, "v2": 20})
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: VirtualService %s/reviews-delegate is a delegate: only the requests its parent hands to it "
            "reach it (%s/reviews http[0])" % (team, ns)])

    def test_a_delegate_no_one_delegates_to_says_it_moves_no_traffic(self):
        ns = self.namespace()
        host = "reviews.%s.svc.cluster.local" % ns
        self.backend.create(ns, "virtualservices", vs("orphan", None, route(host, ("v1", 90), ("v2", 10))))
        r = self.shift("orphan", "v1=80", "v2=20", "-n", ns, "--no-validate")
        self.assertExit(r, 0)
        self.assertEqual(r.err, "")
        r = self.shift("orphan", "v1=70", "v2=30", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("warning: VirtualService %s/orphan has no hosts and no VirtualService in reach delegates to it "
                      "(http[].delegate): this change moves no traffic until one does\n" % ns, r.err)

    def test_rollout_lists_the_others_before_its_first_step(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.backend.create(ns, "virtualservices", vs("reviews-canary", ["reviews"],
                                                      route("reviews", ("v1", 50), ("v2", 50))))
        r = self.shift("rollout", "reviews", "--to", "v2", "--steps", "50", "--interval", "1ms", "-n", ns,
                       "--no-progress")
        self.assertExit(r, 0)
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: VirtualService %s/reviews-canary also routes reviews.%s.svc.cluster.local for the mesh "
            "(http[0] v1=50,v2=50); this change moves only %s/reviews" % (ns, ns, ns)])

    def test_a_delegates_parents_are_looked_for_everywhere_and_the_namespace_when_that_is_refused(self):
        ns, team = self.namespace(), self.namespace()
        host = "reviews.%s.svc.cluster.local" % ns
        self.backend.create(team, "virtualservices", vs("reviews-delegate", None, route(host, ("v1", 90), ("v2", 10))))
        self.backend.create(team, "virtualservices", {
            "kind": "VirtualService", "metadata": {"name": "shop"},
            "spec": {"hosts": ["shop"], "http": [{"delegate": {"name": "reviews-delegate"}}]}})
        r = self.shift("reviews-delegate", "v1=80", "v2=20", "-n", team, "-v")
        self.assertExit(r, 0)
        self.assertIn("GET %s/apis/networking.istio.io/v1/virtualservices?limit=500 200" % self.backend.url, r.err)
        args = ["reviews-delegate", "v1=70", "v2=30", "-n", team]
        if self.backend.kind == "envtest":
            rbac = "rbac.authorization.k8s.io/v1"
            self.backend.env.create(team, "roles", {
                "apiVersion": rbac, "kind": "Role", "metadata": {"name": "vs-editor"},
                "rules": [{"apiGroups": ["networking.istio.io"], "resources": ["virtualservices", "destinationrules"],
                           "verbs": ["get", "list", "update"]}]})
            self.backend.env.create(team, "rolebindings", {
                "apiVersion": rbac, "kind": "RoleBinding", "metadata": {"name": "jane-vs-editor"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "vs-editor"},
                "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]})
            args += ["--as", "jane"]
        else:
            self.backend.fault("error", method="GET", path="/v1/virtualservices", status=403,
                               message="forbidden by the test")
        r = self.shift(*args)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(team, "reviews-delegate"), {"v1": 70, "v2": 30})
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 2, r.err)
        prefix = ('warning: the parents of delegate VirtualService %s/reviews-delegate checked in namespace "%s" only: '
                  "VirtualServices of every namespace could not be listed (" % (team, team))
        self.assertTrue(lines[0].startswith(prefix), r.err)
        if self.backend.kind == "envtest":
            self.assertEqual(lines[0], prefix + 'forbidden: User "jane" cannot list virtualservices.networking.istio.io '
                                                "at cluster scope; ask for RBAC list on virtualservices)")
        self.assertEqual(lines[1], "warning: VirtualService %s/reviews-delegate is a delegate: only the requests its "
                                   "parent hands to it reach it (%s/shop http[0])" % (team, team))

    def test_vs_the_user_may_not_list_are_a_warning(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        # skip: the GET of the object itself passes; the LIST after it is refused.
        self.backend.fault("error", method="GET", path="/namespaces/%s/virtualservices" % ns, status=403,
                           message="forbidden by the test", skip=1)
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 80, "v2": 20})
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 1, r.err)
        self.assertTrue(lines[0].startswith("warning: other VirtualServices for reviews not checked: VirtualServices "
                                            "could not be listed ("), r.err)


cluster.parameterize(globals(), Reach, eras=("current",))

if __name__ == "__main__":
    unittest.main()
