#!/usr/bin/env python3
"""Several objects at once (issue 13): several NAMEs and -l/--selector, all or nothing. Every object is
read, planned and validated before any is written; a failed write restores those already written;
the report says which object ended in which state. Against the local test API server (with its
fault injection) and the real kube-apiserver.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_many.py
"""
import json
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

HISTORY = "traffic-shift.dev/history"


class Many(cluster.ClusterCase):
    def setUp(self):
        super().setUp()
        self.ns = self.namespace()
        self.backend.create(self.ns, "destinationrules", cluster.reviews_dr())
        # a, b, c carry app=reviews (listed in that order); other carries app=ratings.
        for name in ("a", "b", "c"):
            self.backend.create(self.ns, "virtualservices",
                                cluster.reviews_vs(name, labels={"app": "reviews", "tier": name}))
        self.backend.create(self.ns, "virtualservices", cluster.reviews_vs("other", labels={"app": "ratings"}))

    def vs(self, name):
        return self.backend.get(self.ns, "virtualservices", name)

    def split(self, name):
        return weights(self.vs(name))

    def test_selector_shifts_every_match_and_only_them(self):
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v1": 80, "v3": 20}, name)
            self.assertIn("virtualservice.networking.istio.io/%s shifted\n" % name, r.out)
        self.assertEqual(self.split("other"), {"v1": 100})

    def test_set_based_selector(self):
        r = self.shift("set", "-l", "app=reviews,tier in (a, c)", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertEqual(self.split("a"), {"v1": 80, "v3": 20})
        self.assertEqual(self.split("b"), {"v1": 100})
        self.assertEqual(self.split("c"), {"v1": 80, "v3": 20})

    def test_several_names_typed_or_not(self):
        r = self.shift("set", "a", "vs/c", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertEqual(self.split("a"), {"v1": 80, "v3": 20})
        self.assertEqual(self.split("b"), {"v1": 100})
        self.assertEqual(self.split("c"), {"v1": 80, "v3": 20})

    def test_a_selector_matching_nothing_is_an_error(self):
        r = self.shift("set", "-l", "app=nothing", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err, 'error: no VirtualService or HTTPRoute in namespace "%s" matches -l app=nothing; '
                                'check the labels with kubectl get virtualservices,httproutes -n %s --show-labels\n'
                                % (self.ns, self.ns))

    def test_a_plan_failing_on_one_object_writes_nothing(self):
        # b has no http rule to shift: its plan fails, after a's succeeded, before any write.
        self.backend.update(self.ns, "virtualservices", dict(self.vs("b"), spec={"hosts": ["reviews"],
                                                                                "tcp": []}))
        before = {n: self.vs(n)["metadata"]["resourceVersion"] for n in ("a", "b", "c")}
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns)
        self.assertNotEqual(r.code, 0)
        self.assertIn("nothing written: the 3 objects were left as they were\n", r.err)
        self.assertEqual({n: self.vs(n)["metadata"]["resourceVersion"] for n in ("a", "b", "c")}, before)

    def test_expect_is_checked_on_every_object_first(self):
        self.shift("set", "b", "v1=90", "v3=10", "-n", self.ns)
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "--expect", "v1=100", "-n", self.ns)
        self.assertExit(r, 8)
        self.assertEqual(self.split("a"), {"v1": 100})
        self.assertEqual(self.split("c"), {"v1": 100})

    def test_a_no_op_is_said_per_object(self):
        self.shift("set", "b", "v1=80", "v3=20", "-n", self.ns)
        r = self.shift("set", "a", "b", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertIn("%s/b: no change\n" % self.ns, r.out)
        self.assertIn("virtualservice.networking.istio.io/a shifted\n", r.out)

    def test_dry_run_and_exit_code_write_nothing(self):
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "--dry-run", "--exit-code", "-n", self.ns)
        self.assertExit(r, 1)
        self.assertEqual(r.out.count("shifted (dry run)"), 3)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v1": 100})

    def test_diff_per_object(self):
        r = self.shift("set", "a", "b", "v1=80", "v3=20", "--diff", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertEqual(r.out.count("+++ merged/"), 2, r.out)

    def test_a_failed_third_write_restores_the_first_two(self):
        if not self.backend.faults:
            self.skipTest("fault injection is the local test server's")
        self.backend.fault("error", method="PUT", path="/namespaces/%s/virtualservices/" % self.ns,
                           skip=2, status=500, message="etcd is away")
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 3)
        self.assertIn("etcd is away", r.err)
        for name in ("a", "b", "c"):
            vs = self.vs(name)
            self.assertEqual(weights(vs), {"v1": 100}, name)
            self.assertNotIn(HISTORY, vs["metadata"].get("annotations") or {}, name)
        lines = {line.split()[1]: line for line in r.err.splitlines()[1:] if line.startswith(self.ns)}
        self.assertIn("restored", lines["a"])
        self.assertIn("restored", lines["b"])
        self.assertIn("failed", lines["c"])

    def test_a_restore_never_overwrites_a_later_writer(self):
        if not self.backend.faults:
            self.skipTest("fault injection is the local test server's")
        # c's PUT waits, then fails; meanwhile someone else writes b, after shift wrote it.
        c = "/namespaces/%s/virtualservices/c" % self.ns
        self.backend.fault("delay", method="PUT", path=c, ms=1500)
        self.backend.fault("error", method="PUT", path=c, status=500, message="etcd is away")
        pending = cluster.start_shift(["set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns], self.env())
        deadline = time.monotonic() + 10
        while HISTORY not in (self.vs("b")["metadata"].get("annotations") or {}) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.backend.patch(self.ns, "virtualservices", "b", {"metadata": {"labels": {"writer": "other"}}})
        r = pending.wait()
        self.assertExit(r, 3)
        self.assertIn("NOT restored", r.err)
        self.assertIn("shift undo b -n %s" % self.ns, r.err)
        self.assertEqual(self.split("a"), {"v1": 100})
        self.assertEqual(self.split("b"), {"v1": 80, "v3": 20})
        self.assertEqual(self.vs("b")["metadata"]["labels"]["writer"], "other")

    def test_writes_share_the_one_connection(self):
        """Over HTTP/2 (the real server) the PUTs go out together as streams of the run's connection;
        over HTTP/1.1 (the test server) one after another on that same connection."""
        if self.backend.faults:
            self.backend.clear_requests()
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns, "-v")
        self.assertExit(r, 0)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v1": 80, "v3": 20}, name)
            self.assertIn("PUT %s/apis/networking.istio.io/" % self.backend.url, r.err)
        if self.backend.kind == "envtest":
            together = re.search(r"^3 requests together over HTTP/2: (\d) on the wire before the first answer, "
                                 r"0 new connections$", r.err, re.M)
            self.assertIsNotNone(together, r.err)
            self.assertGreater(int(together.group(1)), 1, r.err)
        else:
            self.assertNotIn("together over HTTP/2", r.err)
            log = [e for e in self.backend.requests() if self.ns in e["path"] and "timeout=" in e["query"]]  # shift's
            puts = [e for e in log if e["method"] == "PUT"]
            self.assertEqual(sorted(e["path"].rsplit("/", 1)[1] for e in puts), ["a", "b", "c"])
            self.assertEqual({e["peer"] for e in log}, {log[0]["peer"]}, log)  # the LIST's connection

    def test_a_refused_write_in_a_batch_restores_the_others(self):
        """c's PUT is refused (RBAC on the real server, a fault on the test server) while a's and b's
        land: both are put back, over HTTP/2 as one batch of their own."""
        args = ["set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns, "-v"]
        if self.backend.kind == "envtest":
            rbac = "rbac.authorization.k8s.io/v1"
            self.backend.env.create(self.ns, "roles", {
                "apiVersion": rbac, "kind": "Role", "metadata": {"name": "ab-editor"},
                "rules": [{"apiGroups": ["networking.istio.io"], "resources": ["virtualservices", "destinationrules"],
                           "verbs": ["get", "list"]},
                          {"apiGroups": ["gateway.networking.k8s.io"], "resources": ["httproutes"], "verbs": ["list"]},
                          {"apiGroups": ["networking.istio.io"], "resources": ["virtualservices"],
                           "resourceNames": ["a", "b"], "verbs": ["update"]}]})
            self.backend.env.create(self.ns, "rolebindings", {
                "apiVersion": rbac, "kind": "RoleBinding", "metadata": {"name": "jane-ab-editor"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "ab-editor"},
                "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]})
            args += ["--as", "jane"]
        else:
            self.backend.fault("error", method="PUT", path="/namespaces/%s/virtualservices/c" % self.ns,
                               status=403, message="forbidden by the test")
        r = self.shift(*args)
        self.assertNotEqual(r.code, 0, r)
        for name in ("a", "b", "c"):
            vs = self.vs(name)
            self.assertEqual(weights(vs), {"v1": 100}, name)
            self.assertNotIn(HISTORY, vs["metadata"].get("annotations") or {}, name)
        lines = {line.split()[1]: line for line in r.err.splitlines() if line.startswith(self.ns + " ")}
        self.assertEqual(sorted(lines), ["a", "b", "c"], r.err)
        self.assertIn("restored", lines["a"])
        self.assertIn("restored", lines["b"])
        self.assertIn("failed", lines["c"])
        if self.backend.kind == "envtest":
            self.assertIn("3 requests together over HTTP/2", r.err)
            self.assertIn("2 requests together over HTTP/2", r.err)  # the restores

    def test_get_with_names_and_selector(self):
        self.shift("set", "b", "v1=80", "v3=20", "-n", self.ns)
        r = self.shift("get", "-l", "app=reviews", "-n", self.ns)
        self.assertExit(r, 0)
        names = [line.split()[0] for line in r.out.splitlines()[1:]]
        self.assertEqual(sorted(set(names)), ["a", "b", "c"])
        r = self.shift("get", "a", "b", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertEqual(sorted({line.split()[0] for line in r.out.splitlines()[1:]}), ["a", "b"])

    def test_bad_selector_is_one_line_before_any_request(self):
        r = self.shift("set", "-l", "env in (a", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err.count("\n"), 1)
        self.assertIn("expected ',' or ')'", r.err)

    def test_names_and_selector_together_are_refused(self):
        r = self.shift("set", "a", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 2)
        self.assertEqual(r.err, "error: name objects or select them with -l, not both: drop a or -l app=reviews\n")
        self.assertEqual(self.split("a"), {"v1": 100})

    def test_output_and_files_take_one_object(self):
        r = self.shift("set", "a", "b", "v1=80", "v3=20", "-o", "yaml", "-n", self.ns)
        self.assertExit(r, 2)
        self.assertIn("-o prints one object", r.err)
        r = self.shift("set", "a", "b", "v1=80", "v3=20", "-f", "x.yaml")
        self.assertExit(r, 2)
        self.assertIn("-f shifts one VirtualService per run", r.err)


def route(name, labels):
    """An HTTPRoute whose one rule sends everything to the Service v1 (keys v1, v3 as the subsets')."""
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": name, "labels": labels},
            "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                     "rules": [{"backendRefs": [{"name": "v1", "port": 9080}]}]}}


class ManyKinds(cluster.ClusterCase):
    """A VirtualService and an HTTPRoute for one service, selected together by label or by name."""
    GATEWAY = True

    def setUp(self):
        super().setUp()
        self.ns = self.namespace()
        self.backend.create(self.ns, "destinationrules", cluster.reviews_dr())
        for name in ("v1", "v3"):
            self.backend.serve(self.ns, {"kind": "Service", "metadata": {"name": name},
                                         "spec": {"ports": [{"port": 9080, "name": "http"}]}})
        self.backend.create(self.ns, "virtualservices", cluster.reviews_vs("reviews", labels={"app": "reviews"}))
        self.backend.create(self.ns, "httproutes", route("reviews", {"app": "reviews"}))
        self.backend.create(self.ns, "httproutes", route("other", {"app": "ratings"}))

    def route_refs(self, name):
        rule = self.backend.get(self.ns, "httproutes", name)["spec"]["rules"][0]
        return {r["name"]: r.get("weight") for r in rule["backendRefs"]}

    def test_selector_takes_both_kinds(self):
        r = self.shift("set", "-l", "app=reviews", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertIn("virtualservice.networking.istio.io/reviews shifted\n", r.out)
        self.assertIn("httproute.gateway.networking.k8s.io/reviews shifted\n", r.out)
        self.assertEqual(weights(self.backend.get(self.ns, "virtualservices", "reviews")), {"v1": 80, "v3": 20})
        self.assertEqual(self.route_refs("reviews"), {"v1": 80, "v3": 20})
        self.assertEqual(self.route_refs("other"), {"v1": 1})  # the CRD's default, untouched

    def test_kind_narrows_the_selection(self):
        r = self.shift("set", "-l", "app=reviews", "--kind", "httproute", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(self.ns, "virtualservices", "reviews")), {"v1": 100})
        self.assertEqual(self.route_refs("reviews"), {"v1": 80, "v3": 20})

    def test_names_of_both_kinds_and_get(self):
        r = self.shift("set", "vs/reviews", "httproute/reviews", "v1=80", "v3=20", "-n", self.ns)
        self.assertExit(r, 0)
        self.assertEqual(self.route_refs("reviews"), {"v1": 80, "v3": 20})
        r = self.shift("get", "-l", "app=reviews", "-n", self.ns)
        self.assertExit(r, 0)
        names = [line.split()[0] for line in r.out.splitlines()[1:]]
        self.assertEqual(sorted(set(names)), ["httproute/reviews", "reviews"])
        r = self.shift("get", "-l", "app=reviews", "-n", self.ns, "-o", "json")
        self.assertExit(r, 0)
        items = json.loads(r.out)["items"]
        self.assertEqual([i["apiVersion"].split("/")[0] for i in items],
                         ["networking.istio.io", "gateway.networking.k8s.io"])
        self.assertEqual([d["weight"] for d in items[1]["rules"][0]["destinations"]], [80, 20])


cluster.parameterize(globals(), Many)
cluster.parameterize(globals(), ManyKinds, eras=("current",))

if __name__ == "__main__":
    unittest.main()
