#!/usr/bin/env python3
"""`shift get [NAME]` against a live API server: one VirtualService, all in a namespace, all in the
cluster (-A), the Split/SplitList schema of -o json|yaml, --route, a rollout in progress, errors.
Runs against the local test API server and a real kube-apiserver (skipped without
KUBEBUILDER_ASSETS), in Istio's current and 1.8 eras.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_get.py
"""
import json
import os
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import reviews_vs  # noqa: E402

import yaml  # noqa: E402

MARK = {"holder": "ana@laptop pid 42", "command": "shift rollout reviews v3 --steps 10,50,100", "step": 2,
        "steps": 4, "started": "2026-12-01T03:00:00Z", "heartbeat": "2026-12-01T03:05:00Z"}


def two_rules_vs(name="ratings"):
    return {"kind": "VirtualService", "metadata": {"name": name},
            "spec": {"hosts": ["ratings"], "http": [
                {"name": "canary", "match": [{"headers": {"x-canary": {"exact": "1"}}}],
                 "route": [{"destination": {"host": "ratings", "subset": "v2", "port": {"number": 9080}}}]},
                {"route": [{"destination": {"host": "ratings", "subset": "v1"}, "weight": 90},
                           {"destination": {"host": "ratings", "subset": "v2"}, "weight": 10}]}]}}


class Get(cluster.ClusterCase):
    def rows(self, out):
        return [line.split() for line in out.splitlines()]

    def test_one_as_columns(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=(("v1", 75), ("v3", 25)))
        r = self.shift("get", "reviews", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(r.err, "")
        self.assertEqual(self.rows(r.out), [
            ["NAME", "RULE", "KEY", "HOST", "SUBSET", "PORT", "WEIGHT"],
            ["reviews", "http[0]", "v1", "reviews", "v1", "-", "75"],
            ["reviews", "http[0]", "v3", "reviews", "v3", "-", "25"]])
        # kubectl's alignment: columns three spaces apart, no trailing spaces.
        self.assertTrue(r.out.startswith("NAME      RULE      KEY   HOST      SUBSET   PORT   WEIGHT\n"), r.out)

    def test_one_as_json_is_the_split_schema(self):
        ns = self.namespace()
        created = self.backend.create(ns, "virtualservices", two_rules_vs())
        r = self.shift("get", "ratings", "-n", ns, "-o", "json")
        self.assertExit(r, 0)
        got = json.loads(r.out)
        self.assertEqual(got, {
            "kind": "Split", "namespace": ns, "name": "ratings",
            "apiVersion": "networking.istio.io/" + self.backend.preferred,
            "resourceVersion": created["metadata"]["resourceVersion"],
            "rules": [
                {"rule": "http[0]", "name": "canary", "destinations": [
                    {"key": "v2", "host": "ratings", "subset": "v2", "port": 9080, "weight": 100}]},
                {"rule": "http[1]", "name": None, "destinations": [
                    {"key": "v1", "host": "ratings", "subset": "v1", "port": None, "weight": 90},
                    {"key": "v2", "host": "ratings", "subset": "v2", "port": None, "weight": 10}]}],
            "rollout": None})
        self.assertEqual(list(got), ["kind", "namespace", "name", "apiVersion", "resourceVersion", "rules",
                                     "rollout"])
        y = self.shift("get", "ratings", "-n", ns, "-o", "yaml")
        self.assertExit(y, 0)
        self.assertEqual(yaml.safe_load(y.out), got)

    def test_route_narrows_the_rules(self):
        ns = self.namespace()
        self.backend.create(ns, "virtualservices", two_rules_vs())
        r = self.shift("get", "ratings", "-n", ns, "--route", "canary")
        self.assertExit(r, 0)
        self.assertEqual(self.rows(r.out)[1:], [["ratings", "canary", "v2", "ratings", "v2", "9080", "100"]])
        r = self.shift("get", "ratings", "-n", ns, "--route", "1", "-o", "json")
        self.assertEqual([x["rule"] for x in json.loads(r.out)["rules"]], ["http[1]"])

    def test_all_in_namespace_is_a_split_list(self):
        ns = self.namespace()
        self.bookinfo(ns)
        self.backend.create(ns, "virtualservices", two_rules_vs())
        r = self.shift("get", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual([row[:2] for row in self.rows(r.out)[1:]],
                         [["ratings", "canary"], ["ratings", "http[1]"], ["ratings", "http[1]"],
                          ["reviews", "http[0]"]])
        r = self.shift("get", "-n", ns, "-o", "json")
        got = json.loads(r.out)
        self.assertEqual(got["kind"], "SplitList")
        self.assertEqual(sorted(i["name"] for i in got["items"]), ["ratings", "reviews"])
        self.assertTrue(all(i["kind"] == "Split" and i["namespace"] == ns for i in got["items"]))

    def test_empty_namespace(self):
        ns = self.namespace()
        r = self.shift("get", "-n", ns)
        self.assertExit(r, 0)
        self.assertEqual(r.out, "")
        self.assertEqual(r.err, "No resources found in %s namespace.\n" % ns)
        r = self.shift("get", "-n", ns, "-o", "json")
        self.assertEqual(json.loads(r.out), {"kind": "SplitList", "items": []})

    def test_all_namespaces_in_one_list(self):
        a, b = self.namespace(), self.namespace()
        self.bookinfo(a, subsets=(("v1", 50), ("v2", 50)))
        self.bookinfo(b)
        if self.backend.faults:
            self.backend.clear_requests()
        r = self.shift("get", "-A")
        self.assertExit(r, 0)
        rows = self.rows(r.out)
        self.assertEqual(rows[0][:3], ["NAMESPACE", "NAME", "RULE"])
        mine = [row for row in rows if row[0] in (a, b)]
        self.assertEqual(mine, [[a, "reviews", "http[0]", "v1", "reviews", "v1", "-", "50"],
                                [a, "reviews", "http[0]", "v2", "reviews", "v2", "-", "50"],
                                [b, "reviews", "http[0]", "v1", "reviews", "v1", "-", "100"]])
        if self.backend.faults:
            # One LIST of the cluster (after the unserved versions' 404s), not one GET per object.
            paths = [p["path"] if isinstance(p, dict) else p for p in self.backend.requests()]
            self.assertEqual(paths[-1], "/apis/networking.istio.io/%s/virtualservices" % self.backend.preferred)
            self.assertTrue(all(p.endswith("/virtualservices") for p in paths), paths)
            # In kubectl's pages of 500: these few fit in one.
            self.assertEqual(urllib.parse.parse_qs(self.backend.requests()[-1]["query"])["limit"], ["500"])
        r = self.shift("get", "--all-namespaces", "-o", "yaml")
        items = [i for i in yaml.safe_load(r.out)["items"] if i["namespace"] in (a, b)]
        self.assertEqual([(i["namespace"], i["name"]) for i in items], [(a, "reviews"), (b, "reviews")])

    def list_queries(self, ns):
        """The queries of the LISTs of ns's VirtualServices in the served version (the client's own
        timeout= left out)."""
        path = "/apis/networking.istio.io/%s/namespaces/%s/virtualservices" % (self.backend.preferred, ns)
        return [{k: v for k, v in urllib.parse.parse_qs(r["query"]).items() if k != "timeout"}
                for r in self.backend.requests() if r["path"] == path]

    def test_pages_print_what_one_page_prints(self):
        a, b = self.namespace(), self.namespace()
        for ns in (a, b):
            self.bookinfo(ns, subsets=(("v1", 60), ("v3", 40)))
            for name in ("ratings", "details", "productpage"):
                self.backend.create(ns, "virtualservices", two_rules_vs(name))
        cases = [("-n", a), ("-n", a, "--route", "canary"), ("-A",)]
        for args in cases:
            for output in ([], ["-o", "json"], ["-o", "yaml"]):
                whole = self.shift("get", *args, *output)
                self.assertExit(whole, 0)
                for chunk in ("1", "3"):
                    with self.subTest(args=args, output=output, chunk=chunk):
                        if self.backend.faults:
                            self.backend.clear_requests()
                        paged = self.shift("get", *args, *output, env=self.env(SHIFT_TEST_LIST_CHUNK=chunk))
                        self.assertExit(paged, 0)
                        self.assertEqual(paged.out, whole.out)
                        self.assertEqual(paged.err, whole.err)
                        if self.backend.faults and args == ("-n", a):
                            # 4 objects: a page each, or a page of 3 and one of 1, each after the first
                            # with the continue token of the one before.
                            pages = self.list_queries(a)
                            self.assertEqual(len(pages), 4 if chunk == "1" else 2, pages)
                            self.assertEqual(pages[0], {"limit": [chunk]})
                            self.assertTrue(all(set(q) == {"limit", "continue"} for q in pages[1:]), pages)
        got = json.loads(self.shift("get", "-n", a, "-o", "json", env=self.env(SHIFT_TEST_LIST_CHUNK="1")).out)
        self.assertEqual([i["name"] for i in got["items"]], ["details", "productpage", "ratings", "reviews"])

    def test_expired_continue_token_fails_plainly(self):
        if not self.backend.faults:
            self.skipTest("compaction on demand needs the test server")
        ns = self.namespace()
        for name in ("ratings", "reviews"):
            self.backend.create(ns, "virtualservices", two_rules_vs(name))
        # The second page waits while the list changes and etcd compacts the first page's version.
        self.backend.fault("delay", method="GET", ms=2500, skip=1,
                           path="/%s/namespaces/%s/virtualservices" % (self.backend.preferred, ns))
        out = {}
        t = threading.Thread(target=lambda: out.update(r=self.shift(
            "get", "-n", ns, "-o", "json", env=self.env(SHIFT_TEST_LIST_CHUNK="1"))))
        t.start()
        deadline = time.monotonic() + 30
        while any(f["count"] != 0 for f in self.backend.request("GET", "/_shift/faults")[2]["faults"]):
            self.assertLess(time.monotonic(), deadline, "shift did not ask for the second page")
            time.sleep(0.02)
        self.backend.create(ns, "virtualservices", two_rules_vs("details"))
        self.backend.request("POST", "/_shift/compact")
        t.join()
        r = out["r"]
        self.assertExit(r, 3)
        self.assertIn("changed too much while they were listed in pages", r.err)
        self.assertIn("run the command again", r.err)
        self.assertEqual(r.err.count("\n"), 1, r.err)

    def test_rollout_in_progress_is_shown(self):
        ns = self.namespace()
        vs = reviews_vs(subsets=(("v1", 90), ("v3", 10)))
        vs["metadata"]["annotations"] = {"traffic-shift.dev/rollout": json.dumps(MARK)}
        self.backend.create(ns, "virtualservices", vs)
        self.backend.create(ns, "virtualservices", two_rules_vs())
        r = self.shift("get", "-n", ns)
        self.assertExit(r, 0)
        lines = r.out.splitlines()
        self.assertTrue(lines[0].endswith("WEIGHT   ROLLOUT"), lines[0])
        self.assertEqual(lines[-1].split()[-7:], ["10", "step", "2/4", "by", "ana@laptop", "pid", "42"], r.out)
        self.assertEqual(lines[1].split()[-2:], ["100", "-"], r.out)
        r = self.shift("get", "reviews", "-n", ns, "-o", "json")
        self.assertEqual(json.loads(r.out)["rollout"], MARK)

    def test_not_found_names_what_is_there(self):
        ns = self.namespace()
        self.bookinfo(ns)
        r = self.shift("get", "reveiws", "-n", ns)
        self.assertExit(r, 3)
        self.assertEqual(r.out, "")
        self.assertEqual(len(r.err.splitlines()), 1, r.err)
        self.assertIn("not found", r.err)
        self.assertIn("reviews", r.err)

    def test_name_with_all_namespaces_is_bad_input(self):
        r = self.shift("get", "reviews", "-A")
        self.assertExit(r, 2)
        self.assertTrue(r.err.startswith("error: -A lists every VirtualService"), r.err)


cluster.parameterize(globals(), Get)

if __name__ == "__main__":
    unittest.main()
