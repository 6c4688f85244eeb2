#!/usr/bin/env python3
"""`shift rollout` against a live API server (the local test server and, with KUBEBUILDER_ASSETS, a real
kube-apiserver, in both Istio eras): success, a failed check restoring the exact starting spec, hold
and continue, dry run, the rollout mark refusing a second rollout (and --force), someone else's change,
and SIGINT restoring. Intervals are milliseconds."""
import json
import os
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


class Rollout(cluster.ClusterCase):
    def start(self, subsets=(("v1", 80), ("v2", 20))):
        ns = self.namespace()
        self.bookinfo(ns, subsets=subsets)
        return ns, self.backend.get(ns, "virtualservices", "reviews")

    def rollout(self, ns, *args):
        return self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "1ms", *args)

    def annotations(self, ns):
        return self.backend.get(ns, "virtualservices", "reviews")["metadata"].get("annotations", {})

    def test_success_moves_step_by_step_and_leaves_history_not_a_mark(self):
        ns, _ = self.start(subsets=(("v1", None),))
        r = self.rollout(ns, "--steps", "10,50,100", "--check", "test \"$SHIFT_NAME\" = reviews")
        self.assertExit(r, 0)
        self.assertIn("step 1/3 applied: v1=90,v3=10", r.out)
        self.assertIn("check passed", r.out)
        self.assertIn("rollout of v3 complete: %s/reviews http[0] is at v3=100" % ns, r.out)
        vs = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(weights(vs), {"v3": 100})
        notes = vs["metadata"]["annotations"]
        self.assertNotIn(MARK, notes)
        history = json.loads(notes[HISTORY])
        self.assertEqual([h["rules"][0]["split"] for h in history],
                         ["v1=100", "v1=90,v3=10", "v1=50,v3=50", "v3=100"])
        self.assertEqual({h["user"] for h in history[1:]}, {"admin"})  # the kubeconfig context's user

    def test_failed_check_restores_the_exact_starting_spec(self):
        ns, before = self.start()
        r = self.rollout(ns, "--steps", "10,50,100", "--check", "test $SHIFT_STEP -lt 2")
        self.assertExit(r, 5)
        self.assertIn("rolled back: %s/reviews http[0] is at v1=80,v2=20 as before the rollout" % ns, r.err)
        after = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(after["spec"], before["spec"])
        self.assertNotIn(MARK, after["metadata"].get("annotations", {}))

    def test_hold_keeps_the_step_and_a_rerun_continues(self):
        ns, _ = self.start()
        r = self.rollout(ns, "--steps", "10,50,100", "--check", "test $SHIFT_STEP -lt 2", "--on-failure", "hold")
        self.assertExit(r, 5)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 40, "v2": 10, "v3": 50})
        r = self.rollout(ns, "--steps", "10,50,100")
        self.assertExit(r, 0)
        self.assertIn("steps 10%, 50% skipped", r.out)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})

    def test_dry_run_prints_the_plan_and_changes_nothing(self):
        ns, before = self.start()
        r = self.rollout(ns, "--dry-run")
        self.assertExit(r, 0)
        self.assertIn("plan: step 1/4: v3=10 v1=72 v2=18", r.out)
        after = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])

    def test_a_fresh_mark_refuses_a_second_rollout_and_force_takes_over(self):
        ns, vs = self.start()
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        mark = {"holder": "bob@laptop pid 7", "command": "rollout reviews --to v2", "step": 1, "steps": 4,
                "started": now, "heartbeat": now}
        self.backend.patch(ns, "virtualservices", "reviews", {"metadata": {"annotations": {MARK: json.dumps(mark)}}})
        r = self.rollout(ns)
        self.assertExit(r, 9)
        self.assertIn("is being rolled out by bob@laptop pid 7", r.err)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 80, "v2": 20})
        r = self.rollout(ns, "--force")
        self.assertExit(r, 0)
        self.assertNotIn(MARK, self.annotations(ns))

    def test_sigint_during_a_wait_restores_the_start(self):
        ns, before = self.start()
        env = self.env()
        p = subprocess.Popen([cluster.BIN, "rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "20s"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.time() + 20
        while time.time() < deadline and MARK not in self.annotations(ns):
            time.sleep(0.05)
        self.assertIn(MARK, self.annotations(ns), "the first step never landed")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 6, err)
        self.assertIn("interrupted at step 1 of 4; rolled back", err)
        after = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(after["spec"], before["spec"])
        self.assertNotIn(MARK, after["metadata"].get("annotations", {}))


class RolloutFaults(cluster.ClusterCase):
    def test_someone_elses_change_stops_the_rollout_without_writing(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=(("v1", None),))
        # A concurrent writer sets v1=100 again right after shift's first read: the first PUT
        # conflicts, and the re-read shows a route the rollout did not make.
        self.backend.fault("conflict", method="GET", path="/virtualservices/reviews",
                           patch={"spec": {"http": [{"route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]}})
        r = self.shift("rollout", "reviews", "--to", "v3", "-n", ns, "--interval", "1ms")
        self.assertExit(r, 7)
        self.assertIn("was changed by \"concurrent-writer\" during the rollout", r.err)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v2": 100})


cluster.parameterize(globals(), Rollout)
cluster.parameterize(globals(), RolloutFaults, backends=("testserver",), eras=("current",))

if __name__ == "__main__":
    unittest.main()
