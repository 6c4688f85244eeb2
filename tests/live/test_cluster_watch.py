#!/usr/bin/env python3
"""`shift get -w` against a live API server: the current state first, then each change through the
watch API (one Split per line with -o json, table rows without the header again), deletions, changes
that leave the split alone printing nothing, the resync after a 410 Gone (test server: compaction and
a forced end of the stream), and the exit status after SIGINT/SIGTERM. Both servers, both Istio eras.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_watch.py
"""
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import reviews_vs  # noqa: E402

WAIT = 15  # seconds a change may take to show up (a busy machine; usually well under one)


class Watching:
    """shift get -w in the background; its stdout read line by line as it comes."""

    def __init__(self, args, env):
        self.p = subprocess.Popen([cluster.BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env)
        self.lines = queue.Queue()
        self.err = []
        self.readers = [threading.Thread(target=self._read, args=(self.p.stdout, self.lines.put), daemon=True),
                        threading.Thread(target=self._read, args=(self.p.stderr, self.err.append), daemon=True)]
        for t in self.readers:
            t.start()

    @staticmethod
    def _read(stream, put):
        for line in stream:
            put(line)

    def line(self, timeout=WAIT):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no line from shift get -w within %ss; stderr: %s" % (timeout, "".join(self.err)))

    def wait_err(self, text, timeout=WAIT):
        """Waits until stderr holds text."""
        deadline = time.monotonic() + timeout
        while text not in "".join(self.err):
            if time.monotonic() > deadline:
                raise AssertionError("no %r on stderr within %ss: %s" % (text, timeout, "".join(self.err)))
            time.sleep(0.05)

    def nothing_for(self, seconds):
        """Asserts no line comes within seconds."""
        try:
            line = self.lines.get(timeout=seconds)
        except queue.Empty:
            return
        raise AssertionError("unexpected line: %r" % line)

    def stop(self, sig=signal.SIGINT):
        """Sends sig; returns (exit status, seconds it took, stderr)."""
        t0 = time.monotonic()
        self.p.send_signal(sig)
        code = self.p.wait(timeout=WAIT)
        took = time.monotonic() - t0
        self._drain()
        return code, took, "".join(self.err)

    def _drain(self):
        for t in self.readers:
            t.join(5)  # the process is gone: they see EOF
        self.p.stdout.close()
        self.p.stderr.close()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if not self.p.stdout.closed:
            self._drain()


def weights(split, rule=0):
    return {d["key"]: d["weight"] for d in split["rules"][rule]["destinations"]}


class Watch(cluster.ClusterCase):
    def watch(self, *args):
        w = Watching(["get", "-w", *args], self.env())
        self.addCleanup(w.kill)
        return w

    def wait_faults_taken(self):
        deadline = time.monotonic() + WAIT
        while any(f["count"] != 0 for f in self.backend.request("GET", "/_shift/faults")[2]["faults"]):
            self.assertLess(time.monotonic(), deadline, "shift did not watch again")
            time.sleep(0.02)

    def assertClean(self, w, sig=signal.SIGINT):
        code, took, err = w.stop(sig)
        self.assertEqual(code, 0, err)
        self.assertLess(took, 5, "a signal must end the watch within about a second")
        for s in self.secrets():
            self.assertNotIn(s, err)
        return err

    def test_one_object_as_json_lines_sees_a_shift(self):
        ns = self.namespace()
        created = self.bookinfo(ns)
        w = self.watch("reviews", "-n", ns, "-o", "json")
        first = json.loads(w.line())
        self.assertEqual((first["kind"], first["name"], first["namespace"]), ("Split", "reviews", ns))
        self.assertEqual(first["resourceVersion"], created["metadata"]["resourceVersion"])
        self.assertEqual(weights(first), {"v1": 100})
        r = self.shift("set", "reviews", "v1=50", "v3=50", "-n", ns)
        self.assertExit(r, 0)
        t0 = time.monotonic()
        line = w.line()
        self.assertLess(time.monotonic() - t0, 5)
        self.assertTrue(line.endswith("}\n") and line.count("\n") == 1, line)  # one compact object a line
        change = json.loads(line)
        self.assertEqual(weights(change), {"v1": 50, "v3": 50})
        self.assertNotEqual(change["resourceVersion"], first["resourceVersion"])
        self.assertNotIn("deleted", change)
        self.assertEqual(self.assertClean(w), "")

    def test_a_change_that_keeps_the_split_prints_nothing(self):
        ns = self.namespace()
        self.bookinfo(ns, subsets=(("v1", 90), ("v3", 10)))
        w = self.watch("reviews", "-n", ns, "-o", "json")
        self.assertEqual(weights(json.loads(w.line())), {"v1": 90, "v3": 10})
        labelled = self.backend.patch(ns, "virtualservices", "reviews", {"metadata": {"labels": {"team": "a"}}})
        w.nothing_for(1.5)
        self.assertExit(self.shift("set", "reviews", "v1=80", "v3=20", "-n", ns), 0)
        change = json.loads(w.line())
        self.assertEqual(weights(change), {"v1": 80, "v3": 20})
        self.assertGreater(int(change["resourceVersion"]), int(labelled["metadata"]["resourceVersion"]))
        self.assertClean(w, signal.SIGTERM)

    def test_namespace_table_sees_a_new_object_and_its_deletion(self):
        ns = self.namespace()
        self.bookinfo(ns)
        w = self.watch("-n", ns)
        header = w.line()
        self.assertEqual(header.split(), ["NAME", "RULE", "KEY", "HOST", "SUBSET", "PORT", "WEIGHT", "ROLLOUT"])
        self.assertEqual(w.line().split(), ["reviews", "http[0]", "v1", "reviews", "v1", "-", "100", "-"])
        self.backend.create(ns, "virtualservices", reviews_vs("ratings", (("v1", 70), ("v2", 30)), host="ratings"))
        self.assertEqual(w.line().split(), ["ratings", "http[0]", "v1", "ratings", "v1", "-", "70", "-"])
        self.assertEqual(w.line().split(), ["ratings", "http[0]", "v2", "ratings", "v2", "-", "30", "-"])
        status, _, _ = self.backend.request("DELETE", self.backend.path(ns, "virtualservices", "ratings"))
        self.assertEqual(status, 200)
        self.assertEqual(w.line().split(), ["ratings", "-", "-", "-", "-", "-", "-", "deleted"])
        self.assertClean(w)

    def test_json_deletion_and_an_empty_start(self):
        ns = self.namespace()
        w = self.watch("-n", ns, "-o", "json")
        w.wait_err("No resources found")
        self.backend.create(ns, "virtualservices", reviews_vs())
        added = json.loads(w.line())
        self.assertEqual((added["name"], weights(added)), ("reviews", {"v1": 100}))
        self.backend.request("DELETE", self.backend.path(ns, "virtualservices", "reviews"))
        gone = json.loads(w.line())
        self.assertEqual((gone["name"], gone["deleted"], weights(gone)), ("reviews", True, {"v1": 100}))
        err = self.assertClean(w)
        self.assertEqual(err, "No resources found in %s namespace.\n" % ns)

    def test_resync_after_410_gone(self):
        if not self.backend.faults:
            self.skipTest("compaction and ending streams on demand need the test server")
        ns = self.namespace()
        self.bookinfo(ns)
        w = self.watch("reviews", "-n", ns, "-o", "json")
        self.assertEqual(weights(json.loads(w.line())), {"v1": 100})
        time.sleep(1.5)  # a bookmark: shift is up to date
        # The stream ends; shift's next watch is held up while the object changes and etcd compacts,
        # so it asks from a resourceVersion that is gone.
        self.backend.fault("delay", method="GET", path="/namespaces/%s/virtualservices" % ns, ms=2500)
        self.backend.request("POST", "/_shift/end-watches")
        self.wait_faults_taken()  # by shift's next watch, not by set's GET below
        self.assertExit(self.shift("set", "reviews", "v1=40", "v3=60", "-n", ns), 0)
        self.backend.request("POST", "/_shift/compact")
        resynced = json.loads(w.line())
        self.assertEqual(weights(resynced), {"v1": 40, "v3": 60})
        # And it keeps going.
        self.assertExit(self.shift("set", "reviews", "v1=0", "v3=100", "-n", ns), 0)
        self.assertEqual(weights(json.loads(w.line())), {"v3": 100})
        err = self.assertClean(w)
        self.assertRegex(err, r"^watch resynced: resourceVersion \d+ had expired \(410 Gone\); listed again\n$")

    def test_broken_connections_are_retried(self):
        if not self.backend.faults:
            self.skipTest("faults need the test server")
        ns = self.namespace()
        self.bookinfo(ns)
        w = self.watch("reviews", "-n", ns, "-o", "json")
        w.line()
        self.backend.fault("error", status=503, method="GET", path="/namespaces/%s/virtualservices" % ns, count=2)
        self.backend.request("POST", "/_shift/end-watches")
        w.wait_err("retrying in 1.0s")  # both faults taken by the watch, none left for set
        self.assertExit(self.shift("set", "reviews", "v1=50", "v3=50", "-n", ns), 0)
        self.assertEqual(weights(json.loads(w.line())), {"v1": 50, "v3": 50})
        err = self.assertClean(w)
        self.assertEqual(len(err.splitlines()), 2, err)
        self.assertTrue(err.startswith("watch interrupted: "), err)
        self.assertIn("retrying in 0.5s\n", err)

    def test_missing_object_is_an_error(self):
        ns = self.namespace()
        self.bookinfo(ns)
        r = self.shift("get", "reveiws", "-w", "-n", ns)
        self.assertExit(r, 3)
        self.assertEqual(r.out, "")
        self.assertEqual(len(r.err.splitlines()), 1, r.err)
        self.assertIn("not found", r.err)

    def test_watch_with_files_is_bad_input(self):
        r = self.shift("get", "-w", "-f", "-", stdin="")
        self.assertExit(r, 2)
        self.assertEqual(r.err, "error: -w follows changes in the cluster through its watch API; drop -f, or drop "
                                "-w to read the files\n")


cluster.parameterize(globals(), Watch)

if __name__ == "__main__":
    unittest.main()
