#!/usr/bin/env python3
"""20 shift processes started together on one VirtualService (the local test server and, with
KUBEBUILDER_ASSETS, a real kube-apiserver): on 20 different rules, and on the same rule. No update is
lost, the history annotation lists every applied change exactly once (and nothing that was not
applied), and every process exits 0 or with the conflict code (4)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

HISTORY = "traffic-shift.dev/history"
WRITERS = 20
LIMIT = "50"  # enough revisions for every writer, so that none is dropped from the record


def parse_split(text):
    return {k: int(v) for k, v in (part.split("=") for part in text.split(","))}


class Race(cluster.ClusterCase):
    def history(self, vs):
        return json.loads(vs["metadata"]["annotations"][HISTORY])

    def run_all(self, argvs):
        env = self.env()
        runs = [cluster.start_shift(argv, env) for argv in argvs]
        results = [p.wait() for p in runs]
        for r in results:
            self.assertIn(r.code, (0, 4), repr(r))
            self.assertNoSecrets(r)
            if r.code == 4:
                self.assertIn("nothing applied", r.err)
        return results

    def test_twenty_writers_on_twenty_rules_lose_nothing(self):
        ns = self.namespace()
        self.backend.create(ns, "destinationrules", cluster.reviews_dr())
        self.backend.create(ns, "virtualservices", cluster.many_rules_vs("reviews", WRITERS))
        want = [{"v1": 100 - (i + 1), "v3": i + 1} for i in range(WRITERS)]
        results = self.run_all([["reviews", "v1=%d" % w["v1"], "v3=%d" % w["v3"], "--route", "r%d" % i, "-n", ns,
                                 "-q", "--history-limit", LIMIT] for i, w in enumerate(want)])
        vs = self.backend.get(ns, "virtualservices", "reviews")
        applied = {i for i, r in enumerate(results) if r.code == 0}
        for i in range(WRITERS):
            expected = want[i] if i in applied else {"v1": 100}
            self.assertEqual(weights(vs, i), expected, "rule r%d does not hold what its writer left" % i)
        # Each revision after the first changes exactly one rule, that of one applied writer, once.
        history = self.history(vs)
        self.assertEqual([h["revision"] for h in history], list(range(1, len(applied) + 2)))
        changed = []
        for prev, cur in zip(history, history[1:]):
            before = {r["rule"]: r["split"] for r in prev["rules"]}
            after = {r["rule"]: r["split"] for r in cur["rules"]}
            diff = [rule for rule in after if after[rule] != before.get(rule)]
            self.assertEqual(len(diff), 1, "revision %d changes %s" % (cur["revision"], diff))
            changed.append(diff[0])
        self.assertEqual(len(changed), len(set(changed)), "a change is recorded twice: %s" % changed)
        self.assertEqual(len(changed), len(applied))
        print("\n  %d of %d writers applied, %d re-planned after a conflict" %
              (len(applied), WRITERS, sum("409 Conflict" in r.err for r in results)), file=sys.stderr)

    def test_twenty_writers_on_one_rule_leave_one_consistent_result(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=(("v1", 60), ("v2", 40)))
        want = [{"v1": 59 - i, "v2": 39 - i, "v3": 2 * (i + 1)} for i in range(WRITERS)]  # each one distinct from the start
        results = self.run_all([["reviews"] + ["%s=%d" % kv for kv in w.items()] + ["-n", ns, "-q", "--history-limit",
                                                                                   LIMIT] for w in want])
        applied = [want[i] for i, r in enumerate(results) if r.code == 0]
        self.assertTrue(applied, "no writer got through")
        vs = self.backend.get(ns, "virtualservices", "reviews")
        history = self.history(vs)
        self.assertEqual(parse_split(history[0]["rules"][0]["split"]), {"v1": 60, "v2": 40})
        # Every applied request is recorded exactly once, nothing else is, and the object holds the last one:
        # no update landed behind the record's back, none was lost from it.
        recorded = [parse_split(h["rules"][0]["split"]) for h in history[1:]]
        key = lambda w: sorted(w.items())  # noqa: E731
        self.assertEqual(sorted(recorded, key=key), sorted(({k: v for k, v in w.items() if v} for w in applied),
                                                           key=key))
        self.assertEqual(weights(vs), recorded[-1])
        commands = [h["command"] for h in history[1:]]
        self.assertEqual(len(commands), len(set(commands)), "a change is recorded twice")


cluster.parameterize(globals(), Race)

if __name__ == "__main__":
    unittest.main()
