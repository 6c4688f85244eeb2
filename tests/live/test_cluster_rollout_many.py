#!/usr/bin/env python3
"""`shift rollout` over several objects (issue 13): a label-selected rollout of three VirtualServices
moved step by step together, an HTTPRoute beside a VirtualService, a failed check restoring all, a
fault on one object mid-rollout restoring the others (or holding all at the last step every object
reached), objects at different shares refused. Against the local test API server (its faults) and the
real kube-apiserver. Intervals are milliseconds.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_rollout_many.py
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

MARK = "traffic-shift.dev/rollout"
HISTORY = "traffic-shift.dev/history"


def service(name):
    return {"kind": "Service", "metadata": {"name": name},
            "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": {"app": "reviews", "version": name}}}


def host_vs(name):
    """A VirtualService routing to the Services reviews-v1.. by host (KEY reviews-v3, as an HTTPRoute's)."""
    return {"kind": "VirtualService", "metadata": {"name": name},
            "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews-v1"}}]}]}}


def route(name, labels=None):
    md = {"name": name}
    if labels:
        md["labels"] = labels
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": md,
            "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                     "rules": [{"backendRefs": [{"name": "reviews-v1", "port": 9080}]}]}}


class RolloutMany(cluster.ClusterCase):
    GATEWAY = True  # HTTPRoutes beside VirtualServices

    def setUp(self):
        super().setUp()
        self.ns = self.namespace()
        self.backend.create(self.ns, "destinationrules", cluster.reviews_dr())
        for name in ("a", "b", "c"):
            self.backend.create(self.ns, "virtualservices",
                                cluster.reviews_vs(name, labels={"app": "reviews"}))
        self.backend.create(self.ns, "virtualservices", cluster.reviews_vs("other", labels={"app": "ratings"}))

    def vs(self, name):
        return self.backend.get(self.ns, "virtualservices", name)

    def split(self, name):
        return weights(self.vs(name))

    def rollout(self, *args):
        return self.shift("rollout", "-l", "app=reviews", "--to", "v3", "-n", self.ns, "--interval", "0",
                          "--steps", "10,50,100", *args)

    def test_a_selected_rollout_moves_every_object_together(self):
        # Each check sees every object at the same step: the three splits it is given all hold v3=SHIFT_WEIGHT.
        check = ('test "$SHIFT_NAME" = a,b,c && test "$SHIFT_NAMESPACE" = %s && '
                 'test "$(printf "%%s\\n" "$SHIFT_TARGETS" | grep -c "v3=$SHIFT_WEIGHT")" = 3' % self.ns)
        r = self.rollout("--check", check)
        self.assertExit(r, 0)
        self.assertIn("plan: 3 objects: v3 to 100 in 3 steps: 10% → 50% → 100%", r.out)
        self.assertIn("step 2/3 applied to 3 objects: v3 at 50%", r.out)
        self.assertEqual(r.out.count("check passed"), 3, r.out)
        self.assertIn("rollout of v3 complete in 3 objects:\n  %s/a http[0]: done: v3=100\n" % self.ns, r.out)
        for name in ("a", "b", "c"):
            vs = self.vs(name)
            self.assertEqual(weights(vs), {"v3": 100}, name)
            self.assertNotIn(MARK, vs["metadata"]["annotations"])
            history = json.loads(vs["metadata"]["annotations"][HISTORY])
            self.assertEqual([h["rules"][0]["split"] for h in history],
                             ["v1=100", "v1=90,v3=10", "v1=50,v3=50", "v3=100"])
        self.assertEqual(self.split("other"), {"v1": 100})

    def test_each_steps_writes_share_the_one_connection(self):
        """Over HTTP/2 (the real server) a step's three PUTs go out together as streams of the run's
        connection; over HTTP/1.1 (the test server) one after another on that same connection."""
        if self.backend.faults:
            self.backend.clear_requests()
        r = self.shift("rollout", "-l", "app=reviews", "--to", "v3", "-n", self.ns, "--interval", "0",
                       "--steps", "50,100", "-v")
        self.assertExit(r, 0)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v3": 100}, name)
        if self.backend.kind == "envtest":
            together = re.findall(r"^3 requests together over HTTP/2: (\d) on the wire before the first answer, "
                                  r"0 new connections$", r.err, re.M)
            self.assertGreaterEqual(len(together), 2, r.err)  # a batch per step
            self.assertGreater(max(int(n) for n in together), 1, r.err)
        else:
            self.assertNotIn("together over HTTP/2", r.err)
            log = [e for e in self.backend.requests() if self.ns in e["path"] and "timeout=" in e["query"]]  # shift's
            self.assertGreaterEqual(len([e for e in log if e["method"] == "PUT"]), 6)
            self.assertEqual({e["peer"] for e in log}, {log[0]["peer"]}, log)  # the LIST's connection

    def test_a_failed_check_rolls_every_object_back(self):
        r = self.rollout("--check", "test $SHIFT_STEP -lt 2")
        self.assertExit(r, 5)
        self.assertIn("at step 2 of 3; rolled back: every object is as before the rollout:", r.err)
        for name in ("a", "b", "c"):
            self.assertIn("  %s/%s http[0]: rolled back to v1=100\n" % (self.ns, name), r.err)
            self.assertEqual(self.split(name), {"v1": 100})
            self.assertNotIn(MARK, self.vs(name)["metadata"].get("annotations", {}))

    def test_a_fault_on_one_object_mid_rollout_restores_the_others(self):
        if not self.backend.faults:
            self.skipTest("fault injection is the local test server's")
        # c's second PUT (step 2) fails; the client's own retries of a 500 fail too.
        self.backend.fault("error", method="PUT", path="/namespaces/%s/virtualservices/c" % self.ns,
                           skip=1, count=-1, status=500, message="etcd is away")
        r = self.rollout()
        self.assertExit(r, 3)
        self.assertTrue(r.err.startswith("error: writing step 2 of 3: %s/c http[0]: " % self.ns), r.err)
        self.assertIn("etcd is away", r.err)
        for name in ("a", "b"):
            self.assertIn("  %s/%s http[0]: rolled back to v1=100\n" % (self.ns, name), r.err)
            self.assertEqual(self.split(name), {"v1": 100})
        # c took step 1 and cannot be written back while the fault lasts: the report says how to finish.
        self.assertEqual(self.split("c"), {"v1": 90, "v3": 10})
        self.assertIn("  %s/c http[0]: NOT rolled back" % self.ns, r.err)
        self.assertIn("kubectl shift set c -n %s --route http:0 v1=100 --force" % self.ns, r.err)
        self.backend.clear_faults()
        r = self.shift("set", "c", "-n", self.ns, "--route", "http:0", "v1=100", "--force")
        self.assertExit(r, 0)
        self.assertEqual(self.split("c"), {"v1": 100})

    def test_hold_after_a_failed_write_stops_every_object_at_one_step(self):
        if not self.backend.faults:
            self.skipTest("fault injection is the local test server's")
        self.backend.fault("error", method="PUT", path="/namespaces/%s/virtualservices/b" % self.ns,
                           skip=1, count=1, status=422, message="admission webhook denied the request")
        r = self.rollout("--on-failure", "hold")
        self.assertExit(r, 3)
        self.assertIn("held at step 1 of 3; run the same command again to continue", r.err)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v1": 90, "v3": 10}, name)
            self.assertNotIn(MARK, self.vs(name)["metadata"].get("annotations", {}))
        r = self.rollout()
        self.assertExit(r, 0)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v3": 100}, name)

    def test_sigint_during_a_wait_rolls_every_object_back(self):
        env = self.env()
        p = subprocess.Popen([cluster.BIN, "rollout", "-l", "app=reviews", "--to", "v3", "-n", self.ns,
                              "--interval", "30s", "--no-progress"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.time() + 20
        while time.time() < deadline and MARK not in (self.vs("c")["metadata"].get("annotations") or {}):
            time.sleep(0.05)
        self.assertEqual(self.split("c"), {"v1": 90, "v3": 10}, "the first step never reached c")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 6, err)
        self.assertIn("interrupted at step 1 of 4; rolled back: every object is as before the rollout:", err)
        for name in ("a", "b", "c"):
            self.assertIn("  %s/%s http[0]: rolled back to v1=100\n" % (self.ns, name), err)
            self.assertEqual(self.split(name), {"v1": 100})
            self.assertNotIn(MARK, self.vs(name)["metadata"].get("annotations") or {})

    def test_objects_at_different_shares_are_refused(self):
        self.shift("set", "b", "v1=90", "v3=10", "-n", self.ns)
        before = {n: self.vs(n)["metadata"]["resourceVersion"] for n in ("a", "b", "c")}
        r = self.rollout()
        self.assertExit(r, 2)
        self.assertIn("different shares", r.err)
        self.assertEqual({n: self.vs(n)["metadata"]["resourceVersion"] for n in ("a", "b", "c")}, before)

    def test_dry_run_and_a_missing_subset_write_nothing(self):
        r = self.rollout("--dry-run")
        self.assertExit(r, 0)
        self.assertIn("plan: %s/b http[0]: v1=100 → v3=10 v1=90 → v3=50 v1=50 → v3=100 v1=0" % self.ns, r.out)
        r = self.shift("rollout", "a", "b", "--to", "v9", "-n", self.ns, "--interval", "0")
        self.assertExit(r, 2)
        self.assertIn("none of the 2 objects was changed", r.err)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v1": 100})

    def test_an_httproute_beside_a_virtualservice(self):
        for name in ("reviews-v1", "reviews-v3"):
            self.backend.serve(self.ns, service(name))
        self.backend.create(self.ns, "virtualservices", host_vs("mesh"))
        self.backend.create(self.ns, "httproutes", route("edge"))
        r = self.shift("rollout", "vs/mesh", "httproute/edge", "--to", "reviews-v3", "-n", self.ns,
                       "--interval", "0", "--steps", "50,100", "--check", 'test "$SHIFT_NAME" = virtualservice/mesh,httproute/edge')
        self.assertExit(r, 0)
        self.assertEqual(weights(self.vs("mesh")), {"reviews-v3": 100})
        refs = self.backend.get(self.ns, "httproutes", "edge")["spec"]["rules"][0]["backendRefs"]
        self.assertEqual([x["name"] for x in refs], ["reviews-v3"])

    def test_label_selected_httproutes_with_kind(self):
        for name in ("reviews-v1", "reviews-v3"):
            self.backend.serve(self.ns, service(name))
        for name in ("edge-a", "edge-b"):
            self.backend.create(self.ns, "httproutes", route(name, labels={"app": "reviews"}))
        self.backend.create(self.ns, "httproutes", route("edge-other", labels={"app": "ratings"}))
        r = self.shift("rollout", "-l", "app=reviews", "--kind", "httproute", "--to", "reviews-v3", "-n", self.ns,
                       "--interval", "0", "--steps", "50,100", "--check", 'test "$SHIFT_NAME" = httproute/edge-a,httproute/edge-b')
        self.assertExit(r, 0)
        for name, final in (("edge-a", ["reviews-v3"]), ("edge-b", ["reviews-v3"]), ("edge-other", ["reviews-v1"])):
            refs = self.backend.get(self.ns, "httproutes", name)["spec"]["rules"][0]["backendRefs"]
            self.assertEqual([x["name"] for x in refs], final, name)
        for name in ("a", "b", "c"):
            self.assertEqual(self.split(name), {"v1": 100})  # the VirtualServices with the same label are not of the kind
        r = self.shift("set", "-l", "app=nothing", "--kind", "httproute", "reviews-v1=100", "-n", self.ns)
        self.assertExit(r, 2)
        self.assertIn('error: no HTTPRoute in namespace "%s" matches -l app=nothing' % self.ns, r.err)


cluster.parameterize(globals(), RolloutMany, eras=("current",))

if __name__ == "__main__":
    unittest.main()
