#!/usr/bin/env python3
"""The test API server's watch API against the real kube-apiserver's, in both Istio eras: the same
writes during a watch on each, and what a client can observe compared: the stream's status and
headers, the event types in order, the objects of ADDED/MODIFIED/DELETED events (uids, timestamps and
resourceVersion numbers masked), the shape of BOOKMARK objects (the real server sends one 2 s before
a watch's timeoutSeconds, so a 5 s watch gets one), timeoutSeconds ending the stream, the current
objects as ADDED events without a resourceVersion, cluster-wide watches, and the ERROR event with a
410 Expired Status for a resourceVersion older than the watch cache holds (resourceVersion "1" on the
real server; on the test server after POST /_shift/compact). Skipped without KUBEBUILDER_ASSETS.

    KUBEBUILDER_ASSETS=... python3 tests/server/test_watch_conformance.py
"""
import http.client
import json
import os
import re
import ssl
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_conformance import ISTIO, normalize, status_view, vs  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "live"))
import cluster  # noqa: E402


def stream(b, path):
    """One watch: (status, headers, [(seconds since the request, event)], seconds until the stream ended)."""
    u = urllib.parse.urlsplit(b.url)
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ssl.create_default_context(cafile=b.ca), timeout=30)
    t0 = time.monotonic()
    try:
        c.request("GET", path, headers={"Authorization": "Bearer " + b.token, "Accept": "application/json",
                                        "User-Agent": "conformance/1.0"})
        r = c.getresponse()
        headers = {k.lower(): v for k, v in r.getheaders()}
        events = []
        while True:
            line = r.readline()
            if not line:
                break
            if line.strip():
                events.append((time.monotonic() - t0, json.loads(line)))
        return r.status, headers, events, time.monotonic() - t0
    finally:
        c.close()


def watching(b, path):
    """stream() in a thread: .result() waits for it."""
    out = {}
    t = threading.Thread(target=lambda: out.update(r=stream(b, path)))
    t.start()

    class Pending:
        def result(self):
            t.join(60)
            return out["r"]
    return Pending()


def types(events):
    """The event types in order, bookmarks apart (when they come differs by design: see above)."""
    return [e["type"] for _, e in events if e["type"] != "BOOKMARK"]


def stream_view(status, headers, ns):
    return normalize({"status": status, "content-type": headers.get("content-type"),
                      "transfer-encoding": headers.get("transfer-encoding"),
                      "cache-control": headers.get("cache-control"), "audit-id": bool(headers.get("audit-id"))}, ns)


def observe(b):
    ns = b.namespace()
    v = b.preferred
    col = b.path(ns, "virtualservices")
    steps = []
    obj = dict(vs("reviews"), apiVersion="%s/%s" % (ISTIO, v))
    created = b._ok("POST", col + "?fieldManager=conformance", obj)
    rv0 = created["metadata"]["resourceVersion"]

    # Changes after a resourceVersion, bookmarks, and timeoutSeconds ending the stream.
    pending = watching(b, col + "?watch=true&resourceVersion=%s&allowWatchBookmarks=true&timeoutSeconds=5" % rv0)
    time.sleep(0.5)
    changed = b.get(ns, "virtualservices", "reviews")
    changed["spec"] = vs("reviews", 50)["spec"]
    put = b._ok("PUT", b.path(ns, "virtualservices", "reviews") + "?fieldManager=conformance", changed)
    b._ok("DELETE", b.path(ns, "virtualservices", "reviews"))
    status, headers, events, took = pending.result()
    steps.append(("watch stream", stream_view(status, headers, ns)))
    steps.append(("watch event types", types(events)))
    for _, e in events:
        if e["type"] != "BOOKMARK":
            steps.append(("watch event %s" % e["type"], normalize(e, ns)))
    bookmarks = [e for _, e in events if e["type"] == "BOOKMARK"]
    steps.append(("watch bookmark", normalize(bookmarks[0], ns) if bookmarks else None))
    changes = [int(e["object"]["metadata"]["resourceVersion"]) for _, e in events if e["type"] != "BOOKMARK"]
    steps.append(("watch resourceVersions", {
        "increase": changes == sorted(changes) and len(set(changes)) == len(changes),
        "modified is the put's": int(put["metadata"]["resourceVersion"]) in changes,
        "last bookmark at or after the last change":
            bool(bookmarks) and bool(changes) and int(bookmarks[-1]["object"]["metadata"]["resourceVersion"]) >= changes[-1],
    }))
    steps.append(("timeoutSeconds=5 ends the stream after 5s", 4.5 < took < 8))

    # The current objects as ADDED events when no resourceVersion is given.
    b._ok("POST", col + "?fieldManager=conformance", dict(obj, metadata={"name": "a"}))
    b._ok("POST", col + "?fieldManager=conformance", dict(obj, metadata={"name": "b"}))
    status, headers, events, _ = stream(b, col + "?watch=true&timeoutSeconds=1")
    # In no particular order: kube-apiserver's watch cache hands them out as its store lists them.
    steps.append(("initial state", sorted((e["type"], e["object"]["metadata"]["name"]) for _, e in events)))

    # Cluster-wide, from a resourceVersion: only this namespace's events are looked at.
    rv = b._ok("GET", col)["metadata"]["resourceVersion"]
    pending = watching(b, "/apis/%s/%s/virtualservices?watch=true&resourceVersion=%s&timeoutSeconds=2" % (ISTIO, v, rv))
    time.sleep(0.5)
    b._ok("DELETE", b.path(ns, "virtualservices", "a"))
    status, headers, events, _ = pending.result()
    steps.append(("cluster-wide watch", [(e["type"], e["object"]["metadata"]["namespace"] == ns,
                                          e["object"]["metadata"]["name"]) for _, e in events
                                         if e["type"] != "BOOKMARK" and e["object"]["metadata"].get("namespace") == ns]))

    # Too old a resourceVersion: the watch cache no longer holds it.
    if b.kind == "testserver":
        b.request("POST", "/_shift/compact")
    status, headers, events, took = stream(b, col + "?watch=true&resourceVersion=1&timeoutSeconds=5")
    steps.append(("too old: stream", stream_view(status, headers, ns)))
    views = []
    for _, e in events:
        view = status_view(e["object"]) if e["type"] == "ERROR" else normalize(e["object"], ns)
        if isinstance(view.get("message"), str):
            view["message"] = re.sub(r"\d+", "N", view["message"])
        views.append((e["type"], view))
    steps.append(("too old: events", views))
    steps.append(("too old: the stream ends at once", took < 2))
    return steps


class WatchConformance(unittest.TestCase):
    ERA = None

    @classmethod
    def setUpClass(cls):
        if cls.ERA is None:
            raise unittest.SkipTest("base class")
        cls.real = cluster.EnvTestBackend(cls.ERA)
        cls.real.start()  # envtest.Skip without assets
        try:
            cls.local = cluster.TestServerBackend(cls.ERA).start()
        except BaseException:
            cls.real.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.local.stop()
        cls.real.stop()

    def test_same_observations(self):
        want = observe(self.real)
        got = observe(self.local)
        self.maxDiff = None
        self.assertEqual([s for s, _ in got], [s for s, _ in want])
        for (step, w), (_, g) in zip(want, got):
            with self.subTest(step=step):
                self.assertEqual(g, w, "test server differs from kube-apiserver at step %r" % step)


class WatchConformanceCurrent(WatchConformance):
    ERA = "current"


class WatchConformance18(WatchConformance):
    ERA = "1.8"


del WatchConformance

if __name__ == "__main__":
    unittest.main()
