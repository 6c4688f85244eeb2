"""The test API server's watch API: initial state, changes, bookmarks, 410 Gone after compaction,
namespaced and cluster-wide. (tests/server/test_conformance.py compares it with the real server.)"""
import json
import os
import sys
import threading
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testserver import TestServer  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli"))
from shiftcli import virtual_service  # noqa: E402


def vs(name):
    o = virtual_service(name, "reviews")
    o["apiVersion"] = "networking.istio.io/v1"
    return o


class Watch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = TestServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def stream(self, path, query):
        """The events of one watch, read until the server ends it (timeoutSeconds)."""
        req = urllib.request.Request(self.srv.url + path + "?" + query,
                                     headers={"Authorization": "Bearer " + self.srv.token})
        with urllib.request.urlopen(req, context=self.srv._ctx, timeout=30) as r:
            self.assertEqual(r.status, 200)
            self.assertEqual(r.headers["Content-Type"], "application/json")
            self.assertEqual(r.headers["Transfer-Encoding"], "chunked")
            return [json.loads(line) for line in r.read().decode().splitlines() if line]

    def ns(self, name):
        self.srv.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                          "metadata": {"name": name}})
        return name

    def test_initial_state_then_changes(self):
        ns = self.ns("watch-initial")
        self.srv.create(ns, "virtualservices", vs("a"))
        path = TestServer.path(ns, "virtualservices")

        def later():
            obj = self.srv.get(ns, "virtualservices", "a")
            obj["spec"]["http"][0]["route"][0]["destination"]["subset"] = "v2"
            self.srv.update(ns, "virtualservices", obj)
            self.srv.delete(ns, "virtualservices", "a")
        t = threading.Timer(0.3, later)
        t.start()
        events = self.stream(path, "watch=true&timeoutSeconds=2")
        t.join()
        self.assertEqual([e["type"] for e in events], ["ADDED", "MODIFIED", "DELETED"])
        self.assertEqual(events[1]["object"]["spec"]["http"][0]["route"][0]["destination"]["subset"], "v2")
        rvs = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
        self.assertEqual(rvs, sorted(rvs))
        self.assertEqual(len(set(rvs)), 3)  # the deletion has a resourceVersion of its own

    def test_resume_from_a_resource_version_and_bookmarks(self):
        ns = self.ns("watch-resume")
        created = self.srv.create(ns, "virtualservices", vs("b"))
        rv = created["metadata"]["resourceVersion"]
        obj = self.srv.get(ns, "virtualservices", "b")
        obj["metadata"]["labels"] = {"x": "1"}
        self.srv.update(ns, "virtualservices", obj)
        events = self.stream(TestServer.path(ns, "virtualservices"),
                             "watch=1&resourceVersion=%s&allowWatchBookmarks=true&timeoutSeconds=2" % rv)
        self.assertEqual(events[0]["type"], "MODIFIED")
        self.assertEqual(events[0]["object"]["metadata"]["labels"], {"x": "1"})
        bookmarks = [e for e in events if e["type"] == "BOOKMARK"]
        self.assertTrue(bookmarks)
        self.assertEqual(set(bookmarks[0]["object"]), {"kind", "apiVersion", "metadata"})
        self.assertEqual(bookmarks[0]["object"]["kind"], "VirtualService")

    def test_gone_after_compaction(self):
        ns = self.ns("watch-gone")
        created = self.srv.create(ns, "virtualservices", vs("c"))
        self.srv.create(ns, "virtualservices", vs("c2"))  # a later revision, then compaction up to it
        self.srv.request("POST", "/_shift/compact")
        events = self.stream(TestServer.path(ns, "virtualservices"),
                             "watch=true&resourceVersion=%s&timeoutSeconds=5" % created["metadata"]["resourceVersion"])
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["type"], "ERROR")
        status = events[0]["object"]
        self.assertEqual((status["kind"], status["code"], status["reason"]), ("Status", 410, "Expired"))
        self.assertRegex(status["message"], r"^too old resource version: \d+ \(\d+\)$")

    def test_cluster_wide_watch_and_list(self):
        a, b = self.ns("watch-all-a"), self.ns("watch-all-b")
        self.srv.create(a, "virtualservices", vs("d"))
        self.srv.create(b, "virtualservices", vs("e"))
        path = "/apis/networking.istio.io/v1/virtualservices"
        status, _, listed = self.srv.request("GET", path)
        self.assertEqual(status, 200)
        names = {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in listed["items"]}
        self.assertTrue({(a, "d"), (b, "e")} <= names)
        events = self.stream(path, "watch=true&timeoutSeconds=1")
        seen = {(e["object"]["metadata"]["namespace"], e["object"]["metadata"]["name"]) for e in events}
        self.assertTrue({(a, "d"), (b, "e")} <= seen)


if __name__ == "__main__":
    unittest.main()
