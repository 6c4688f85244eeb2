#!/usr/bin/env python3
"""`shift history` and `shift undo` against a live API server (the local test server and, with
KUBEBUILDER_ASSETS, a real kube-apiserver, in both Istio eras): every set records a revision in the
same PUT, the limit bounds them, undo returns to an earlier split through set's path and records
itself, a rule gone meanwhile changes nothing, a fresh rollout mark refuses set unless --force,
--field-manager names the writer in managedFields, and -f is refused."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

MARK = "traffic-shift.dev/rollout"
HISTORY = "traffic-shift.dev/history"


class History(cluster.ClusterCase):
    def start(self, subsets=(("v1", None),)):
        ns = self.namespace()
        self.bookinfo(ns, subsets=subsets)
        return ns

    def get(self, ns):
        return self.backend.get(ns, "virtualservices", "reviews")

    def history(self, ns):
        r = self.shift("history", "reviews", "-n", ns, "-o", "json")
        self.assertExit(r, 0)
        return json.loads(r.out)

    def test_set_twice_records_revisions_1_to_3_and_history_shows_them(self):
        ns = self.start()
        r = self.shift("history", "reviews", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no history: shift has not changed reviews yet\n")
        self.assertEqual(self.history(ns)["revisions"], [])
        self.assertExit(self.shift("reviews", "v1=90", "v3=10", "-n", ns), 0)
        self.assertExit(self.shift("set", "reviews", "v1=50", "v3=50", "-n", ns), 0)
        h = self.history(ns)
        self.assertEqual((h["kind"], h["namespace"], h["name"]), ("History", ns, "reviews"))
        self.assertEqual([v["revision"] for v in h["revisions"]], [1, 2, 3])
        self.assertEqual([v["command"] for v in h["revisions"]],
                         ["(before shift's first change)", "set reviews v1=90 v3=10", "set reviews v1=50 v3=50"])
        self.assertEqual([v["rules"] for v in h["revisions"]],
                         [[{"rule": "http[0]", "split": "v1=100"}], [{"rule": "http[0]", "split": "v1=90,v3=10"}],
                          [{"rule": "http[0]", "split": "v1=50,v3=50"}]])
        self.assertEqual({v["user"] for v in h["revisions"][1:]}, {"admin"})  # the kubeconfig's user
        r = self.shift("history", "reviews", "-n", ns)
        self.assertExit(r, 0)
        lines = r.out.splitlines()
        self.assertEqual(lines[0].split(), ["REVISION", "TIME", "USER", "COMMAND", "SPLIT"])
        self.assertRegex(lines[1], r"^1 +\S+ +- +\(before shift's first change\) +http\[0\]: v1=100$")
        self.assertRegex(lines[3], r"^3 +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +admin +set reviews v1=50 v3=50 +"
                                   r"http\[0\]: v1=50,v3=50$")
        # The impersonated user, when there is one.
        self.assertExit(self.shift("reviews", "v1=40", "v3=60", "-n", ns, "--as", "jane", "--as-group",
                                   "system:masters"), 0)
        self.assertEqual(self.history(ns)["revisions"][-1]["user"], "jane")
        # A dry run records nothing.
        self.assertExit(self.shift("reviews", "v1=10", "v3=90", "-n", ns, "--dry-run=server"), 0)
        self.assertEqual(len(self.history(ns)["revisions"]), 4)

    def test_the_limit_bounds_the_history(self):
        ns = self.start()
        for w in (10, 20, 30, 40):
            self.assertExit(self.shift("reviews", "v1=%d" % (100 - w), "v3=%d" % w, "-n", ns,
                                       "--history-limit", "3"), 0)
        revisions = self.history(ns)["revisions"]
        self.assertEqual([v["revision"] for v in revisions], [3, 4, 5])
        self.assertEqual(revisions[-1]["rules"][0]["split"], "v1=60,v3=40")

    def test_undo_returns_to_the_previous_split_and_records_itself(self):
        ns = self.start()
        self.assertExit(self.shift("reviews", "v1=90", "v3=10", "-n", ns), 0)
        self.assertExit(self.shift("reviews", "v1=50", "v3=50", "-n", ns), 0)  # the bad step
        before = self.get(ns)
        r = self.shift("undo", "reviews", "-n", ns, "--dry-run")
        self.assertExit(r, 0)
        self.assertIn("virtualservice.networking.istio.io/reviews rolled back to revision 2 (dry run)", r.out)
        self.assertEqual(self.get(ns)["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])
        r = self.shift("undo", "reviews", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("-      weight: 50\n+      weight: 90\n", r.out)
        self.assertIn("virtualservice.networking.istio.io/reviews rolled back to revision 2\n", r.out)
        self.assertEqual(weights(self.get(ns)), {"v1": 90, "v3": 10})
        last = self.history(ns)["revisions"][-1]
        self.assertEqual((last["revision"], last["command"], last["rules"][0]["split"]),
                         (4, "undo reviews", "v1=90,v3=10"))
        # Back to the state before shift's first change: the lone v1, weight and all as it was.
        r = self.shift("undo", "reviews", "-n", ns, "--to-revision", "1")
        self.assertExit(r, 0)
        self.assertIn("rolled back to revision 1", r.out)
        self.assertEqual(self.get(ns)["spec"]["http"][0]["route"], [{"destination": {"host": "reviews", "subset": "v1"}}])
        last = self.history(ns)["revisions"][-1]
        self.assertEqual((last["revision"], last["command"]), (5, "undo reviews --to-revision 1"))

    def test_undo_errors_change_nothing(self):
        ns = self.start()
        r = self.shift("undo", "reviews", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn("has no history: shift has not changed it yet", r.err)
        self.assertExit(self.shift("reviews", "v1=90", "v3=10", "-n", ns), 0)
        r = self.shift("undo", "reviews", "-n", ns, "--to-revision", "7")
        self.assertExit(r, 2)
        self.assertIn("revision 7 is not in the history of VirtualService %s/reviews (kept: 1 to 2)" % ns, r.err)
        # The rule the revisions record is removed meanwhile: undo refuses and writes nothing.
        vs = self.get(ns)
        vs["spec"]["tcp"] = [{"route": [{"destination": {"host": "reviews"}}]}]
        del vs["spec"]["http"]
        vs = self.backend.update(ns, "virtualservices", vs)
        r = self.shift("undo", "reviews", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn("revision 1 sets rule http[0] of VirtualService %s/reviews, which no longer exists" % ns, r.err)
        self.assertEqual(self.get(ns)["metadata"]["resourceVersion"], vs["metadata"]["resourceVersion"])

    def test_a_fresh_rollout_mark_refuses_set_and_force_goes(self):
        ns = self.start(subsets=(("v1", 80), ("v2", 20)))
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        mark = {"holder": "bob@laptop pid 7", "command": "rollout reviews --to v2", "step": 1, "steps": 4,
                "started": now, "heartbeat": now}
        self.backend.patch(ns, "virtualservices", "reviews", {"metadata": {"annotations": {MARK: json.dumps(mark)}}})
        before = self.get(ns)
        r = self.shift("reviews", "v1=100", "-n", ns)
        self.assertExit(r, 9)
        self.assertIn("is being rolled out by bob@laptop pid 7 (rollout reviews --to v2, step 1 of 4, heartbeat at %s)"
                      % now, r.err)
        self.assertIn("--force", r.err)
        self.assertEqual(self.get(ns)["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])
        self.assertExit(self.shift("undo", "reviews", "-n", ns), 9)
        r = self.shift("reviews", "v1=100", "-n", ns, "--force")
        self.assertExit(r, 0)
        self.assertEqual(weights(self.get(ns)), {"v1": 100})

    def test_field_manager_names_the_writer_in_managed_fields(self):
        ns = self.start()
        self.assertExit(self.shift("reviews", "v1=90", "v3=10", "-n", ns, "--field-manager", "release-bot"), 0)
        self.assertExit(self.shift("reviews", "v1=80", "v3=20", "-n", ns), 0)
        self.assertExit(self.shift("undo", "reviews", "-n", ns, "--field-manager", "undo-bot"), 0)
        managers = {m["manager"] for m in self.get(ns)["metadata"]["managedFields"]}
        self.assertLessEqual({"release-bot", "undo-bot"}, managers)
        r = self.shift("reviews", "v1=80", "v3=20", "-n", ns, "--field-manager", "")
        self.assertExit(r, 2)

    def test_history_and_undo_refuse_files(self):
        path = self.write("reviews.json", json.dumps(cluster.reviews_vs()))
        for command in ("history", "undo"):
            r = self.shift(command, "reviews", "-f", path)
            self.assertExit(r, 2)
            self.assertEqual(len(r.err.splitlines()), 1, r.err)
            self.assertIn("annotation of the VirtualService in the cluster", r.err)
        # set keeps working on files.
        self.assertExit(self.shift("reviews", "v1=90", "v3=10", "-f", path, "--no-validate"), 0)

    def test_a_malformed_history_is_an_error_naming_the_annotation(self):
        ns = self.start()
        self.backend.patch(ns, "virtualservices", "reviews", {"metadata": {"annotations": {HISTORY: "{oops"}}})
        r = self.shift("history", "reviews", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(len(r.err.splitlines()), 1, r.err)
        self.assertIn(HISTORY, r.err)


cluster.parameterize(globals(), History)

if __name__ == "__main__":
    unittest.main()
