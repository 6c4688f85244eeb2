#!/usr/bin/env python3
"""Limits (the local test server and, with KUBEBUILDER_ASSETS, a real kube-apiserver with etcd): a
VirtualService of about 1.5 MB (4,000 rules) is shifted with one GET and one PUT and a history that stays
small; a change that would make it larger than etcd stores is refused whole, in one line that says what
to do; a VirtualService with more than 10,000 rules is read and shifted. Growth figures live in bench/."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

HISTORY = "traffic-shift.dev/history"


def big_vs(name, rules, pad):
    """A VirtualService of `rules` named rules, each matching a header value padded to `pad` characters."""
    http = [{"name": "r%d" % i, "match": [{"headers": {"x-rule": {"exact": ("%d-" % i).ljust(pad, "x")}}}],
             "route": [{"destination": {"host": "reviews", "subset": "v1"}}]} for i in range(rules)]
    return {"kind": "VirtualService", "metadata": {"name": name}, "spec": {"hosts": ["reviews"], "http": http}}


class Limits(cluster.ClusterCase):
    def setUp(self):
        super().setUp()
        self.ns = self.namespace()
        self.backend.create(self.ns, "destinationrules", cluster.reviews_dr())

    def test_a_one_and_a_half_megabyte_object_is_one_get_and_one_put(self):
        obj = big_vs("big", 4000, 250)
        self.assertGreater(len(json.dumps(obj, separators=(",", ":"))), 1_400_000)
        before = self.backend.create(self.ns, "virtualservices", obj)
        if self.backend.faults:
            self.backend.clear_requests()
        r = self.shift("big", "v1=90", "v3=10", "--route", "r3999", "-n", self.ns, "-q")
        self.assertExit(r, 0)
        log = self.backend.requests() if self.backend.faults else []  # before this test's own reads
        after = self.backend.get(self.ns, "virtualservices", "big")
        self.assertEqual(weights(after, 3999), {"v1": 90, "v3": 10})
        self.assertEqual(after["spec"]["http"][:3999], before["spec"]["http"][:3999], "other rules changed")
        history = after["metadata"]["annotations"][HISTORY]
        self.assertLess(len(history), 1024, "the history records the rule changed, not all 4,000")
        self.assertEqual([h["rules"] for h in json.loads(history)],
                         [[{"rule": "http[3999]", "split": "v1=100"}], [{"rule": "http[3999]", "split": "v1=90,v3=10"}]])
        if self.backend.faults:  # the test server logs requests
            self.assertEqual([q["method"] for q in log if "/virtualservices" in q["path"]], ["GET", "PUT"])

    def test_a_change_etcd_would_not_store_is_refused_whole(self):
        before = self.backend.create(self.ns, "virtualservices", big_vs("big", 3500, 280))
        routes = []
        for i in range(3500):
            routes += ["--route", "r%d" % i]
        # A second destination on each of 3,500 rules adds about 250 KB: past etcd's 1.5 MiB.
        r = self.shift("big", "v1=90", "v3=10", "-n", self.ns, "-q", *routes)
        self.assertExit(r, 3)
        self.assertRegex(r.err, r'^error: the server cannot store virtualservice "big" that large \(500 Internal Server '
                                r"Error: [^\n]+\); etcd keeps objects under 1\.5 MiB by default: split the "
                                r"virtualservice into several\n$")
        after = self.backend.get(self.ns, "virtualservices", "big")
        self.assertEqual(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])

    def test_ten_thousand_rules(self):
        self.backend.create(self.ns, "virtualservices", big_vs("huge", 10_001, 8))
        r = self.shift("huge", "v1=50", "v3=50", "--route", "r10000", "-n", self.ns, "-q")
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(self.ns, "virtualservices", "huge"), 10_000), {"v1": 50, "v3": 50})
        r = self.shift("get", "huge", "-n", self.ns, "--route", "r10000", "-o", "json")
        self.assertExit(r, 0)
        self.assertEqual([d["weight"] for d in json.loads(r.out)["rules"][0]["destinations"]], [50, 50])


cluster.parameterize(globals(), Limits, eras=("current",))

if __name__ == "__main__":
    unittest.main()
