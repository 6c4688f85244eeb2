#!/usr/bin/env python3
"""Several clusters at once (issue 13): --context repeated and --contexts a,b. Two local test API
servers as two clusters, and two contexts of one server: the same change in each with the same
discipline (every cluster read and planned first; a cluster that cannot be reached fails before
anything is written anywhere; a refused write restores the other cluster), a per-cluster table,
and `get` showing the clusters side by side.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_contexts.py
"""
import json
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Contexts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.east = cluster.make_backend("testserver", "current").start()
        cls.west = cluster.make_backend("testserver", "current").start()

    @classmethod
    def tearDownClass(cls):
        cls.east.stop()
        cls.west.stop()

    def setUp(self):
        self.ns = self.east.namespace()
        for b in (self.east, self.west):
            b.clear_faults()
            self.addCleanup(b.clear_faults)
            b.create(self.ns, "destinationrules", cluster.reviews_dr())
            b.create(self.ns, "virtualservices", cluster.reviews_vs())
        self.kubeconfig = os.path.join(self.east.dir, "kubeconfig-%s" % self.ns)
        port = closed_port()
        clusters = [("east", self.east.url, self.east.ca), ("west", self.west.url, self.west.ca),
                    ("gone", "https://127.0.0.1:%d" % port, self.east.ca)]
        cfg = {
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": n, "cluster": {"server": u, "certificate-authority": ca}} for n, u, ca in clusters],
            "users": [{"name": "east", "user": {"token": self.east.token}},
                      {"name": "west", "user": {"token": self.west.token}},
                      {"name": "east-cert", "user": {"client-certificate": self.east.client_cert,
                                                     "client-key": self.east.client_key}}],
            "contexts": [{"name": "east", "context": {"cluster": "east", "user": "east", "namespace": self.ns}},
                         {"name": "west", "context": {"cluster": "west", "user": "west", "namespace": self.ns}},
                         {"name": "east-cert", "context": {"cluster": "east", "user": "east-cert",
                                                           "namespace": self.ns}},
                         {"name": "gone", "context": {"cluster": "gone", "user": "east", "namespace": self.ns}}],
            "current-context": "east",
        }
        with open(self.kubeconfig, "w") as f:
            json.dump(cfg, f)
        os.chmod(self.kubeconfig, 0o600)

    def shift(self, *args):
        env = cluster.clean_env(self.east.dir)
        env["KUBECONFIG"] = self.kubeconfig
        r = cluster.run_shift(list(args), env)
        for secret in (self.east.token, self.west.token):
            self.assertNotIn(secret, r.out + r.err)
        return r

    def split(self, backend):
        return weights(backend.get(self.ns, "virtualservices", "reviews"))

    def test_the_same_change_in_two_clusters(self):
        r = self.shift("set", "reviews", "v1=80", "v3=20", "--context", "east", "--context", "west")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.split(self.east), {"v1": 80, "v3": 20})
        self.assertEqual(self.split(self.west), {"v1": 80, "v3": 20})
        table = r.out.split("CLUSTER", 1)[1]
        self.assertRegex(table, r"\neast\s+%s\s+reviews\s+changed\n" % self.ns)
        self.assertRegex(table, r"\nwest\s+%s\s+reviews\s+changed\n" % self.ns)

    def test_contexts_comma_list_and_no_op_per_cluster(self):
        self.shift("set", "reviews", "v1=80", "v3=20", "--context", "west")
        r = self.shift("set", "reviews", "v1=80", "v3=20", "--contexts", "east,west")
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"\nwest\s+%s\s+reviews\s+unchanged \(no-op\)\n" % self.ns)
        self.assertRegex(r.out, r"\neast\s+%s\s+reviews\s+changed\n" % self.ns)

    def test_two_contexts_of_one_server(self):
        r = self.shift("set", "reviews", "v1=80", "v3=20", "--contexts", "east,east-cert")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.split(self.east), {"v1": 80, "v3": 20})
        # The two contexts are written side by side: whichever reads second finds the change made.
        results = sorted(line.split(None, 3)[3] for line in r.out.split("CLUSTER", 1)[1].splitlines()[1:])
        self.assertEqual(results, ["changed", "unchanged (no-op)"], r)

    def test_an_unreachable_cluster_fails_before_anything_is_written(self):
        rv = self.east.get(self.ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        r = self.shift("set", "reviews", "v1=80", "v3=20", "--contexts", "east,gone", "--request-timeout", "2s")
        self.assertEqual(r.code, 3, r)
        self.assertIn("nothing written", r.err)
        self.assertEqual(self.east.get(self.ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], rv)

    def test_a_cluster_refusing_mid_way_restores_the_other(self):
        # The clusters are written side by side: west's refusal waits until east has written.
        self.west.fault("delay", method="PUT", path="/namespaces/%s/virtualservices/reviews" % self.ns, ms=700)
        self.west.fault("error", method="PUT", path="/namespaces/%s/virtualservices/reviews" % self.ns,
                        status=403, message="admission webhook denied the request")
        r = self.shift("set", "reviews", "v1=80", "v3=20", "--context", "east", "--context", "west")
        self.assertNotEqual(r.code, 0, r)
        self.assertEqual(self.split(self.east), {"v1": 100})
        self.assertEqual(self.split(self.west), {"v1": 100})
        self.assertRegex(r.err, r"\neast\s+%s\s+reviews\s+restored" % self.ns)
        self.assertRegex(r.err, r"\nwest\s+%s\s+reviews\s+failed" % self.ns)

    def test_get_shows_the_clusters_side_by_side(self):
        self.shift("set", "reviews", "v1=80", "v3=20", "--context", "west")
        r = self.shift("get", "reviews", "--contexts", "east,west")
        self.assertEqual(r.code, 0, r)
        lines = r.out.splitlines()
        self.assertTrue(lines[0].startswith("CLUSTER"), r.out)
        rows = [line.split() for line in lines[1:]]
        self.assertIn(["east", "reviews", "http[0]", "v1", "reviews", "v1", "-", "100"], rows)
        self.assertIn(["west", "reviews", "http[0]", "v3", "reviews", "v3", "-", "20"], rows)

    def rollout(self, *args):
        return self.shift("rollout", "reviews", "--to", "v3", "--steps", "50,100", "--interval", "0", *args)

    def test_rollout_advances_both_clusters_together(self):
        # At each check both clusters hold the step: SHIFT_TARGETS has one line per cluster's object.
        check = ('test "$SHIFT_CONTEXT" = east,west && '
                 'test "$(printf "%s\\n" "$SHIFT_TARGETS" | grep -c "v3=$SHIFT_WEIGHT")" = 2')
        r = self.rollout("--contexts", "east,west", "--check", check)
        self.assertEqual(r.code, 0, r)
        self.assertIn("step 1/2 applied to 2 objects: v3 at 50%", r.out)
        self.assertIn("  east: %s/reviews http[0]: done: v3=100\n" % self.ns, r.out)
        self.assertIn("  west: %s/reviews http[0]: done: v3=100" % self.ns, r.out)
        self.assertEqual(self.split(self.east), {"v3": 100})
        self.assertEqual(self.split(self.west), {"v3": 100})

    def test_rollout_failed_check_in_one_cluster_restores_both(self):
        r = self.rollout("--context", "east", "--context", "west", "--check", "test $SHIFT_STEP -lt 2")
        self.assertEqual(r.code, 5, r)
        self.assertIn("  east: %s/reviews http[0]: rolled back to v1=100\n" % self.ns, r.err)
        self.assertEqual(self.split(self.east), {"v1": 100})
        self.assertEqual(self.split(self.west), {"v1": 100})

    def test_rollout_cluster_refusing_mid_way_restores_both(self):
        self.west.fault("error", method="PUT", path="/namespaces/%s/virtualservices/reviews" % self.ns,
                        skip=1, status=403, message="admission webhook denied the request")
        r = self.rollout("--contexts", "east,west")
        self.assertNotEqual(r.code, 0, r)
        self.assertRegex(r.err, r"^error: writing step 2 of 2: west: %s/reviews http\[0\]: .*admission webhook "
                                r"denied the request; rolled back: every object is as before" % self.ns)
        self.assertIn("  east: %s/reviews http[0]: rolled back to v1=100\n" % self.ns, r.err)
        self.assertIn("  west: %s/reviews http[0]: rolled back to v1=100" % self.ns, r.err)
        self.assertEqual(self.split(self.east), {"v1": 100})
        self.assertEqual(self.split(self.west), {"v1": 100})

    def test_rollout_unreachable_cluster_fails_before_anything_is_written(self):
        rv = self.east.get(self.ns, "virtualservices", "reviews")["metadata"]["resourceVersion"]
        r = self.rollout("--contexts", "east,gone", "--request-timeout", "2s")
        self.assertEqual(r.code, 3, r)
        self.assertIn("none of the 2 objects was changed", r.err)
        self.assertEqual(self.east.get(self.ns, "virtualservices", "reviews")["metadata"]["resourceVersion"], rv)

    def test_history_shows_each_cluster_under_a_header(self):
        self.shift("set", "reviews", "v1=80", "v3=20", "--context", "west")
        r = self.shift("history", "reviews", "--contexts", "east,west")
        self.assertEqual(r.code, 0, r)
        east, west = r.out.split("\ncontext west:\n")
        self.assertEqual(east, "context east:\nno history: shift has not changed reviews yet\n")
        self.assertRegex(west, r"^REVISION\s+TIME\s+USER\s+COMMAND\s+SPLIT\n1 .*v1=100\n2 .*set reviews v1=80 v3=20")
        r = self.shift("history", "reviews", "--contexts", "east,west", "-o", "json")
        self.assertEqual(r.code, 2, r)
        self.assertIn("-o prints one history", r.err)

    def test_undo_in_each_cluster_all_or_nothing(self):
        self.shift("set", "reviews", "v1=80", "v3=20", "--contexts", "east,west")
        self.shift("set", "reviews", "v1=50", "v3=50", "--contexts", "east,west")
        r = self.shift("undo", "reviews", "--contexts", "east,west")
        self.assertEqual(r.code, 0, r)
        self.assertIn("rolled back to revision 2", r.out)
        self.assertRegex(r.out, r"\neast\s+%s\s+reviews\s+changed\n" % self.ns)
        self.assertEqual(self.split(self.east), {"v1": 80, "v3": 20})
        self.assertEqual(self.split(self.west), {"v1": 80, "v3": 20})
        # west refuses the write (late, so that east's has landed): east's undo is put back, as the table says.
        self.west.fault("delay", method="PUT", path="/namespaces/%s/virtualservices/reviews" % self.ns, ms=500)
        self.west.fault("error", method="PUT", path="/namespaces/%s/virtualservices/reviews" % self.ns,
                        status=403, message="admission webhook denied the request")
        r = self.shift("undo", "reviews", "--context", "east", "--context", "west")
        self.assertEqual(r.code, 3, r)
        self.assertRegex(r.err, r"\neast\s+%s\s+reviews\s+restored" % self.ns)
        self.assertRegex(r.err, r"\nwest\s+%s\s+reviews\s+failed" % self.ns)
        self.assertEqual(self.split(self.east), {"v1": 80, "v3": 20})
        self.assertEqual(self.split(self.west), {"v1": 80, "v3": 20})

    def test_undo_without_history_in_one_cluster_writes_nothing(self):
        self.shift("set", "reviews", "v1=80", "v3=20", "--context", "west")
        self.shift("set", "reviews", "v1=50", "v3=50", "--context", "west")
        r = self.shift("undo", "reviews", "--contexts", "west,east")
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("nothing written: the 2 clusters were left as they were", r.err)
        self.assertEqual(self.split(self.west), {"v1": 50, "v3": 50})

if __name__ == "__main__":
    unittest.main()
