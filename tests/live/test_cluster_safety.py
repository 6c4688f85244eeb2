#!/usr/bin/env python3
"""Safety checks against a live API server. Make-before-break: traffic moves to a subset only when
its pods (the DestinationRule subset's labels plus the Service's selector) include a Ready one, and to
an HTTPRoute backend Service only when its EndpointSlices hold a ready endpoint; a subset left without
traffic gets a note that it can be retired; pods the user may not list are a warning, never a pass or
a failure. Pods are created through the API and made Ready through their status subresource. Runs
against the local test API server and, with KUBEBUILDER_ASSETS, a real kube-apiserver.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_safety.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402


def service(name, selector):
    return {"kind": "Service", "metadata": {"name": name},
            "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": selector}}


def slice_of(service_name, ready):
    return {"kind": "EndpointSlice",
            "metadata": {"name": service_name + "-abcde", "labels": {"kubernetes.io/service-name": service_name}},
            "addressType": "IPv4", "ports": [{"name": "http", "port": 9080, "protocol": "TCP"}],
            "endpoints": [{"addresses": ["10.1.0.7"], "conditions": {"ready": ready}}]}


def http_route(*backends):
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "reviews"},
            "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                     "rules": [{"backendRefs": [{"name": n, "port": 9080, "weight": w} for n, w in backends]}]}}


class Safety(cluster.ClusterCase):
    GATEWAY = True

    def reviews(self, ns, *subsets):
        """bookinfo's reviews: the Service (app=reviews), the DestinationRule (version=vN) and the VS."""
        self.backend.create(ns, "services", service("reviews", {"app": "reviews"}))
        self.backend.create(ns, "destinationrules", cluster.reviews_dr(subsets=("v1", "v2", "v3")))
        self.backend.create(ns, "virtualservices", cluster.reviews_vs(subsets=subsets))

    def pod(self, ns, name, labels, ready):
        self.backend.pod(ns, name, labels, ready)

    def set_ready(self, ns, name, ready):
        self.backend.set_ready(ns, name, ready)

    def vs_weights(self, ns):
        return cluster.weights(self.backend.get(ns, "virtualservices", "reviews"))

    def not_ready(self, ns, subset, matched, ready):
        host = "reviews.%s.svc.cluster.local" % ns
        return ("error: subset %s of %s has no Ready pod: selector app=reviews,version=%s matches %d pod%s in "
                "namespace %s, %d Ready; Istio would answer 503 for its share — wait for the pods to be Ready "
                "(kubectl get pods -n %s -l app=reviews,version=%s), or pass --no-validate"
                % (subset, host, subset, matched, "" if matched == 1 else "s", ns, ready, ns, subset))

    def test_a_new_subset_without_ready_pods_is_refused_until_one_is_ready(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        self.pod(ns, "reviews-v1-a", {"app": "reviews", "version": "v1"}, True)
        self.pod(ns, "reviews-v3-a", {"app": "reviews", "version": "v3"}, None)
        self.pod(ns, "reviews-v3-b", {"app": "reviews", "version": "v3"}, False)
        self.pod(ns, "ratings-v3-a", {"app": "ratings", "version": "v3"}, True)  # another Service's
        r = self.shift("reviews", "v1=90", "v3=10", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [self.not_ready(ns, "v3", 2, 0)])
        self.assertEqual(self.vs_weights(ns), {"v1": 100})
        self.set_ready(ns, "reviews-v3-b", True)
        r = self.shift("reviews", "v1=90", "v3=10", "-n", ns, "-v")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 90, "v3": 10})
        # One LIST of pods, with the labels the selectors share, named in -v as every request is.
        self.assertIn("GET %s/api/v1/namespaces/%s/pods?labelSelector=app%%3Dreviews%%2Cversion%%3Dv3 200"
                      % (self.backend.url, ns),
                      r.err)

    def test_no_pod_at_all(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        r = self.shift("reviews", "v1=50", "v2=50", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [self.not_ready(ns, "v2", 0, 0)])
        self.assertEqual(self.vs_weights(ns), {"v1": 100})

    def test_no_validate_skips_the_check_and_reads_no_pods(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        r = self.shift("reviews", "v1=50", "v2=50", "-n", ns, "--no-validate", "-v")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 50, "v2": 50})
        self.assertNotIn("/pods", r.err)

    def test_a_subset_at_weight_0_that_gets_traffic_is_checked(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 100), ("v2", 0))
        r = self.shift("reviews", "v1=90", "v2=10", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [self.not_ready(ns, "v2", 0, 0)])

    def test_moving_traffic_among_serving_subsets_reads_no_pods(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns, "-v")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 80, "v2": 20})
        self.assertNotIn("/pods", r.err)
        self.assertNotIn("/services", r.err)

    def test_the_last_traffic_leaving_a_subset_says_it_can_be_retired(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        r = self.shift("reviews", "v1=0", "v2=100", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("warning: subset v1 of reviews.%s.svc.cluster.local gets no traffic from VirtualService "
                      "%s/reviews now: it can be retired once its connections drain\n" % (ns, ns), r.err)

    def test_pods_the_user_may_not_list_are_a_warning(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        args = ["reviews", "v1=90", "v2=10", "-n", ns]
        if self.backend.kind == "envtest":
            rbac = "rbac.authorization.k8s.io/v1"
            self.backend.env.create(ns, "roles", {
                "apiVersion": rbac, "kind": "Role", "metadata": {"name": "vs-editor"},
                "rules": [{"apiGroups": ["networking.istio.io"], "resources": ["virtualservices", "destinationrules"],
                           "verbs": ["get", "list", "update"]},
                          {"apiGroups": [""], "resources": ["services"], "verbs": ["list"]}]})
            self.backend.env.create(ns, "rolebindings", {
                "apiVersion": rbac, "kind": "RoleBinding", "metadata": {"name": "jane-vs-editor"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "vs-editor"},
                "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]})
            args += ["--as", "jane"]
            why = ('forbidden: User "jane" cannot list pods in namespace "%s"; ask for RBAC list on pods' % ns)
        else:
            self.backend.fault("error", method="GET", path="/namespaces/%s/pods" % ns, status=403,
                               message="forbidden by the test")
            why = None
        r = self.shift(*args)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 90, "v2": 10})
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 1, r.err)
        prefix = ('warning: Ready pods of subset v2 of reviews.%s.svc.cluster.local not checked: Pods in namespace '
                  '"%s" could not be read (' % (ns, ns))
        self.assertTrue(lines[0].startswith(prefix), r.err)
        if why:
            self.assertEqual(lines[0], prefix + why + ")")

    def test_rollout_checks_the_final_step_before_its_first_write(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", None))
        self.pod(ns, "reviews-v3-a", {"app": "reviews", "version": "v3"}, False)
        before = self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        r = self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "1ms")
        self.assertExit(r, 2)
        self.assertIn(self.not_ready(ns, "v3", 1, 0) + "\n", r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], before)
        self.set_ready(ns, "reviews-v3-a", True)
        r = self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "1ms")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v3": 100})

    def test_an_httproute_backend_needs_a_ready_endpoint(self):
        ns = self.namespace()
        for name in ("reviews-v1", "reviews-v3"):
            self.backend.create(ns, "services", service(name, {"app": "reviews", "version": name[-2:]}))
        self.backend.create(ns, "httproutes", http_route(("reviews-v1", 100)))
        self.backend.create(ns, "endpointslices", slice_of("reviews-v3", False))
        r = self.shift("httproute/reviews", "reviews-v1=90", "reviews-v3=10", "-n", ns, "-v")
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines()[-1], (
            "error: Service reviews-v3 in namespace %s has no ready endpoints (1 EndpointSlice labelled "
            "kubernetes.io/service-name=reviews-v3, 0 ready endpoints); the gateway would answer 503 for its "
            "share — wait for its pods to be Ready (kubectl get endpointslices -n %s -l "
            "kubernetes.io/service-name=reviews-v3), or pass --no-validate" % (ns, ns)))
        self.assertIn("GET %s/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices?labelSelector="
                      "kubernetes.io%%2Fservice-name%%3Dreviews-v3 200" % (self.backend.url, ns), r.err)
        route = self.backend.get(ns, "httproutes", "reviews")
        self.assertEqual(len(route["spec"]["rules"][0]["backendRefs"]), 1)
        self.backend.create(ns, "endpointslices", dict(slice_of("reviews-v3", True),
                                                       metadata={"name": "reviews-v3-fghij", "labels": {
                                                           "kubernetes.io/service-name": "reviews-v3"}}))
        r = self.shift("httproute/reviews", "reviews-v1=90", "reviews-v3=10", "-n", ns)
        self.assertExit(r, 0)
        route = self.backend.get(ns, "httproutes", "reviews")
        self.assertEqual([(b["name"], b["weight"]) for b in route["spec"]["rules"][0]["backendRefs"]],
                         [("reviews-v1", 90), ("reviews-v3", 10)])

    def written_by(self, ns, manager, labels):
        """The VirtualService updated by another field manager (a PUT with ?fieldManager=), as its
        controller would: managedFields then name that manager."""
        vs = self.backend.get(ns, "virtualservices", "reviews")
        vs["metadata"].setdefault("labels", {}).update(labels)
        path = self.backend.path(ns, "virtualservices", "reviews", vs["apiVersion"].split("/", 1)[1])
        self.backend._ok("PUT", path + "?fieldManager=" + manager, vs)

    def test_a_route_argo_cd_syncs_is_changed_with_a_warning(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.written_by(ns, "argocd-controller", {"team": "shop"})
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 80, "v2": 20})
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: VirtualService %s/reviews is managed by Argo CD (field manager argocd-controller): its next "
            "sync reverts this change; make the change in Git instead" % ns])

    def test_flux_and_helm_labels_are_warnings(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.written_by(ns, "kustomize-controller", {"kustomize.toolkit.fluxcd.io/name": "apps",
                                                     "app.kubernetes.io/managed-by": "Helm"})
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: VirtualService %s/reviews is managed by Flux (label kustomize.toolkit.fluxcd.io/name=apps): "
            "its next reconciliation reverts this change; make the change in Git instead" % ns,
            "warning: VirtualService %s/reviews is managed by Helm (label app.kubernetes.io/managed-by=Helm): the "
            "next helm upgrade reverts this change; make the change in the chart or its values instead" % ns])

    def test_weights_flagger_drives_are_refused_unless_force(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.written_by(ns, "flagger", {"flagger": "true"})
        before = self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 2)
        refusal = ("VirtualService %s/reviews has its weights driven by Flagger (field manager flagger); it would "
                   "undo this change at its next step; nothing written: change the Canary instead, or pass --force "
                   "to write anyway" % ns)
        self.assertEqual(r.err.strip().splitlines(), ["error: " + refusal])
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], before)
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns, "--force")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 80, "v2": 20})
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: VirtualService %s/reviews has its weights driven by Flagger (field manager flagger); written "
            "anyway (--force): it will undo this change at its next step" % ns])

    def test_a_gateway_only_virtual_service_says_the_mesh_traffic_does_not_move(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        vs = self.backend.get(ns, "virtualservices", "reviews")
        vs["spec"]["gateways"] = ["istio-system/edge"]
        self.backend.update(ns, "virtualservices", vs)
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(r.err.strip().splitlines(), [
            'warning: VirtualService %s/reviews is bound only to gateway istio-system/edge: this change moves the '
            "traffic entering through it, not the mesh's own calls to its hosts (add \"mesh\" to its gateways, or "
            "shift the VirtualService that routes them)" % ns])

    # ---- rollout: the same owners, the gateway-only note before its first step, the retire note at its end ----
    def rollout(self, ns, *extra):
        return self.shift("rollout", "reviews", "--to", "v2", "--steps", "50,100", "--interval", "1ms", "-n", ns,
                          *extra)

    def test_rollout_is_refused_beside_flagger_unless_force(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.written_by(ns, "flagger", {"flagger": "true"})
        before = self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        r = self.rollout(ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [
            "error: VirtualService %s/reviews has its weights driven by Flagger (field manager flagger); it would "
            "undo this change at its next step; nothing written: change the Canary instead, or pass --force to "
            "write anyway" % ns])
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], before)
        r = self.rollout(ns, "--force")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v2": 100})
        self.assertEqual(r.err.strip().splitlines()[0],
                         "warning: VirtualService %s/reviews has its weights driven by Flagger (field manager "
                         "flagger); written anyway (--force): it will undo this change at its next step" % ns)

    def test_rollout_beside_argo_cd_warns_once_before_its_first_step(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        self.written_by(ns, "argocd-controller", {"team": "shop"})
        r = self.shift("rollout", "reviews", "--to", "v2", "--steps", "50", "--interval", "1ms", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v1": 50, "v2": 50})
        self.assertEqual(r.err.strip().splitlines(), [
            "warning: VirtualService %s/reviews is managed by Argo CD (field manager argocd-controller): its next "
            "sync reverts this change; make the change in Git instead" % ns])

    def test_rollout_of_a_gateway_only_vs_notes_it_first_and_the_retired_subset_last(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        vs = self.backend.get(ns, "virtualservices", "reviews")
        vs["spec"]["gateways"] = ["istio-system/edge"]
        self.backend.update(ns, "virtualservices", vs)
        r = self.rollout(ns, "--no-progress")
        self.assertExit(r, 0)
        self.assertEqual(self.vs_weights(ns), {"v2": 100})
        self.assertEqual(r.err.strip().splitlines(), [
            'warning: VirtualService %s/reviews is bound only to gateway istio-system/edge: this change moves the '
            "traffic entering through it, not the mesh's own calls to its hosts (add \"mesh\" to its gateways, or "
            "shift the VirtualService that routes them)" % ns,
            "warning: subset v1 of reviews.%s.svc.cluster.local gets no traffic from VirtualService %s/reviews "
            "now: it can be retired once its connections drain" % (ns, ns)])

    def test_a_rollout_rolled_back_or_stopped_short_says_nothing_of_retiring(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        r = self.rollout(ns, "--check", "false")
        self.assertExit(r, 5)
        self.assertEqual(self.vs_weights(ns), {"v1": 90, "v2": 10})
        self.assertNotIn("retired", r.err)
        r = self.rollout(ns, "--dry-run")
        self.assertExit(r, 0)
        self.assertEqual(r.err, "")

    def test_a_rollout_of_several_objects_is_refused_when_flagger_drives_one(self):
        ns = self.namespace()
        self.backend.create(ns, "services", service("reviews", {"app": "reviews"}))
        self.backend.create(ns, "destinationrules", cluster.reviews_dr(subsets=("v1", "v2", "v3")))
        for name in ("reviews", "reviews-b"):
            self.backend.create(ns, "virtualservices", cluster.reviews_vs(name=name, subsets=(("v1", 90), ("v2", 10)),
                                                                         labels={"app": "reviews"}))
        self.written_by(ns, "flagger", {"flagger": "true"})  # reviews, not reviews-b
        r = self.shift("rollout", "-l", "app=reviews", "--to", "v2", "--interval", "1ms", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [
            "error: %s/reviews http[0]: VirtualService %s/reviews has its weights driven by Flagger (field manager "
            "flagger); it would undo this change at its next step; nothing written: change the Canary instead, or "
            "pass --force to write anyway; none of the 2 objects was changed" % (ns, ns)])
        for name in ("reviews", "reviews-b"):
            self.assertEqual(cluster.weights(self.backend.get(ns, "virtualservices", name)), {"v1": 90, "v2": 10})

    def test_a_route_selector_that_matches_nothing_is_an_error(self):
        ns = self.namespace()
        self.reviews(ns, ("v1", 90), ("v2", 10))
        before = self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        r = self.shift("reviews", "v1=80", "v2=20", "-n", ns, "--route", "nope")
        self.assertExit(r, 2)
        self.assertEqual(r.err.strip().splitlines(), [
            "error: --route nope matches no rule of VirtualService %s/reviews; its rules: http[0] (no match: "
            "catch-all)" % ns])
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], before)


cluster.parameterize(globals(), Safety, eras=("current",))

if __name__ == "__main__":
    unittest.main()
