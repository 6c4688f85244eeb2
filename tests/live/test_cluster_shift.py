#!/usr/bin/env python3
"""shift against a live API server: the bookinfo rollout, errors, subset checks, dry runs, output
formats and concurrent shifts. Runs against the local test API server and a real kube-apiserver
(skipped without KUBEBUILDER_ASSETS), in Istio's current and 1.8 eras.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_shift.py
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import reviews_vs, weights  # noqa: E402

import yaml  # noqa: E402


class Shift(cluster.ClusterCase):
    def label(self, ns, name="reviews"):
        return "networking.istio.io.%s.VirtualService.%s.%s" % (self.backend.preferred, ns, name)

    # ---- 2. the bookinfo rollout ----
    def test_rollout_all_v1_to_half_to_v3(self):
        ns = self.namespace()
        created = self.bookinfo(ns)
        api = "networking.istio.io/" + self.backend.preferred

        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("--- live/" + self.label(ns), r.out)
        self.assertIn("+++ merged/" + self.label(ns), r.out)
        self.assertIn("+      weight: 50\n", r.out)
        self.assertIn("+        subset: v3\n", r.out)
        self.assertNotIn("managedFields", r.out)
        changed = [l for l in r.out.splitlines() if l[:1] in "+-" and not l.startswith(("+++ ", "--- "))]
        self.assertEqual(changed, ["+      weight: 50", "+    - destination:", "+        host: reviews",
                                   "+        subset: v3", "+      weight: 50"])
        self.assertNotIn("\nstatus:", r.out)
        self.assertIn("v1  100 → 50", r.out)
        self.assertIn("virtualservice.networking.istio.io/reviews shifted\n", r.out)
        self.assertEqual(r.err, "")
        half = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(half["apiVersion"], api)
        self.assertEqual(weights(half), {"v1": 50, "v3": 50})
        self.assertGreater(int(half["metadata"]["resourceVersion"]), int(created["metadata"]["resourceVersion"]))
        self.assertEqual(half["metadata"]["generation"], 2)
        shift_entries = [m for m in half["metadata"]["managedFields"] if m["manager"] == "shift"]
        self.assertEqual(len(shift_entries), 1, half["metadata"]["managedFields"])
        self.assertEqual(shift_entries[0]["operation"], "Update")
        self.assertEqual(shift_entries[0]["apiVersion"], api)

        r = self.shift("reviews", "v3=100", "-n", ns)
        self.assertExit(r, 0)
        self.assertIn("-      weight: 50\n", r.out)
        self.assertIn("-        subset: v1\n", r.out)
        self.assertIn("v3  50 → 100", r.out)
        self.assertNotIn("managedFields", r.out)
        full = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(full["apiVersion"], api)
        self.assertEqual(weights(full), {"v3": 100})
        self.assertNotIn("weight", full["spec"]["http"][0]["route"][0])  # a lone destination carries none
        self.assertGreater(int(full["metadata"]["resourceVersion"]), int(half["metadata"]["resourceVersion"]))

        # Again: nothing to do, nothing written.
        r = self.shift("reviews", "v3=100", "-n", ns, "--exit-code")
        self.assertExit(r, 0)
        self.assertIn("no change", r.out)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"],
                         full["metadata"]["resourceVersion"])

    def test_older_versions_are_kept_in_their_served_version(self):
        # An object written through v1alpha3 (served by both eras) is shifted in the preferred version.
        ns = self.namespace()
        self.bookinfo(ns)
        r = self.shift("reviews", "v2=10", "v1=90", "-n", ns)
        self.assertExit(r, 0)
        for v in self.backend.versions:
            obj = self.backend.get(ns, "virtualservices", "reviews", version=v)
            self.assertEqual(obj["apiVersion"], "networking.istio.io/" + v)
            self.assertEqual(weights(obj), {"v1": 90, "v2": 10})

    # ---- 3. errors ----
    def test_not_found_names_what_is_there(self):
        ns = self.namespace()
        self.bookinfo(ns)
        self.bookinfo(ns, "ratings", dr=False)
        r = self.shift("x", "v1=100", "-n", ns)
        self.assertExit(r, 3)
        self.assertEqual(r.out, "")
        self.assertEqual(r.err, 'error: virtualservice "x" not found in namespace "%s"; '
                                "virtualservices there: ratings, reviews\n" % ns)

    def test_not_found_in_empty_namespace(self):
        ns = self.namespace()
        r = self.shift("x", "v1=100", "-n", ns)
        self.assertExit(r, 3)
        self.assertEqual(r.err, 'error: virtualservice "x" not found in namespace "%s"; there are none\n' % ns)

    def test_rbac_denied(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "--context", "nobody")
        self.assertExit(r, 3)
        self.assertEqual(r.out, "")
        self.assertIn('forbidden: User "nobody" cannot get virtualservices.networking.istio.io in namespace "%s"' % ns,
                      r.err)
        self.assertIn("ask for RBAC get on virtualservices", r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    # ---- 4. subsets against the DestinationRule ----
    def test_undefined_subset_is_refused(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v1=50", "v4=50", "-n", ns)
        self.assertExit(r, 2)
        self.assertEqual(r.out, "")
        self.assertIn('subset "v4" of host reviews is not defined by its DestinationRule (defined: v1, v2, v3)', r.err)
        self.assertIn("--no-validate", r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

        r = self.shift("reviews", "v1=50", "v4=50", "-n", ns, "--no-validate")
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 50, "v4": 50})

    def test_no_destination_rule_is_refused_and_no_validate_proceeds(self):
        # Istio answers 503 for a subset no DestinationRule defines (test_cluster_destinations.py has more).
        ns = self.namespace()
        self.bookinfo(ns, dr=False)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 2)
        self.assertIn("no DestinationRule for reviews.%s.svc.cluster.local" % ns, r.err)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "--no-validate")
        self.assertExit(r, 0)
        self.assertEqual(r.err, "")
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 50, "v3": 50})

    # ---- 5. dry runs and output formats ----
    def test_dry_run_server(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "--dry-run=server")
        self.assertExit(r, 0)
        self.assertIn("+      weight: 50\n", r.out)
        self.assertIn("virtualservice.networking.istio.io/reviews shifted (server dry run)\n", r.out)
        self.assertNotIn("managedFields", r.out)
        after = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(after, before)

        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "--dry-run=server", "--exit-code")
        self.assertExit(r, 1)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"],
                         before["metadata"]["resourceVersion"])

    def test_dry_run_client(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        if self.backend.faults:
            self.backend.clear_requests()
        for flag in ("--dry-run", "--dry-run=client"):
            r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, flag)
            self.assertExit(r, 0)
            self.assertIn("+      weight: 50\n", r.out)
            self.assertIn("virtualservice.networking.istio.io/reviews shifted (dry run)\n", r.out)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "--dry-run=client", "--exit-code")
        self.assertExit(r, 1)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)
        if self.backend.faults:
            methods = {q["method"] for q in self.backend.requests() if ns in q["path"]}
            self.assertEqual(methods, {"GET"})

    def test_output_json(self):
        ns = self.namespace()
        self.bookinfo(ns)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "-o", "json")
        self.assertExit(r, 0)
        obj = json.loads(r.out)
        stored = self.backend.get(ns, "virtualservices", "reviews")
        del stored["metadata"]["managedFields"]  # hidden, as kubectl get does by default
        self.assertEqual(obj, stored)  # the server's answer to the PUT
        self.assertEqual(weights(obj), {"v1": 50, "v3": 50})
        self.assertIn("v1  100 → 50", r.err)
        self.assertIn("shifted\n", r.err)
        self.assertIn("+      weight: 50\n", r.err)

    def test_output_yaml_dry_run(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v1=50", "v3=50", "-n", ns, "-o", "yaml", "--dry-run=server")
        self.assertExit(r, 0)
        obj = yaml.safe_load(r.out)
        self.assertEqual(obj["apiVersion"], "networking.istio.io/" + self.backend.preferred)
        self.assertEqual(weights(obj), {"v1": 50, "v3": 50})
        self.assertEqual(obj["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])
        self.assertIn("shifted (server dry run)\n", r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_output_yaml_no_change(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v1=100", "-n", ns, "-o", "yaml")
        self.assertExit(r, 0)
        before["metadata"].pop("managedFields", None)  # hidden, as kubectl get does by default
        self.assertEqual(yaml.safe_load(r.out), before)
        self.assertIn("no change", r.err)

    # ---- 8. concurrent shifts compose ----
    def test_concurrent_shifts_of_distinct_rules_all_land(self):
        n = 10
        ns = self.namespace()
        self.backend.create(ns, "destinationrules", cluster.reviews_dr())
        self.backend.create(ns, "virtualservices", cluster.many_rules_vs("reviews", n))
        env = self.env()
        runs = [cluster.start_shift(["reviews", "v1=%d" % (95 - 5 * i), "v3=%d" % (5 + 5 * i), "--route", "r%d" % i,
                                     "-n", ns], env) for i in range(n)]
        results = [p.wait() for p in runs]
        for i, r in enumerate(results):
            self.assertExit(r, 0)
            self.assertNoSecrets(r)
        vs = self.backend.get(ns, "virtualservices", "reviews")
        for i in range(n):
            want = {"v1": 95 - 5 * i, "v3": 5 + 5 * i}
            self.assertEqual(weights(vs, i), want, "rule r%d lost its update" % i)
        self.assertEqual([h["name"] for h in vs["spec"]["http"]], ["r%d" % i for i in range(n)])
        retried = sum("409 Conflict" in r.err for r in results)
        print("\n  %d of %d concurrent shifts were re-planned after a conflict" % (retried, n), file=sys.stderr)


cluster.parameterize(globals(), Shift)

if __name__ == "__main__":
    unittest.main()
