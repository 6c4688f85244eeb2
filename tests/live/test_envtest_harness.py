#!/usr/bin/env python3
"""Proves tests/live/envtest.py against the real kube-apiserver.

    KUBEBUILDER_ASSETS=/path/to/assets python3 tests/live/test_envtest_harness.py

Skips (exit 0) without KUBEBUILDER_ASSETS; exits non-zero on a failure.
"""

import copy
import shutil
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import envtest  # noqa: E402
from envtest import ApiError, EnvTest  # noqa: E402

ENVS = {}  # era -> EnvTest, shared by this module


def setUpModule():
    # Raises envtest.Skip (a unittest.SkipTest) without assets: the whole module is skipped.
    try:
        for era in ("current", "1.8"):
            ENVS[era] = EnvTest(era=era).start()
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    for env in ENVS.values():
        env.stop()
    ENVS.clear()


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); it is not running any more
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def processes_mentioning(text):
    r = subprocess.run(["pgrep", "-f", text], capture_output=True, text=True)
    return [int(p) for p in r.stdout.split()]


def port_open(url):
    host, port = url.rsplit("//", 1)[1].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=0.5).close()
        return True
    except OSError:
        return False


def wait_gone(pids, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(pid_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def virtual_service(version, name="reviews", weights=(50, 50)):
    return {
        "apiVersion": f"networking.istio.io/{version}",
        "kind": "VirtualService",
        "metadata": {"name": name},
        "spec": {"hosts": ["reviews"], "http": [{"route": [
            {"destination": {"host": "reviews", "subset": "v1"}, "weight": weights[0]},
            {"destination": {"host": "reviews", "subset": "v3"}, "weight": weights[1]},
        ]}]},
    }


def weights(obj):
    return [r.get("weight") for r in obj["spec"]["http"][0]["route"]]


class EraChecks:
    """Run for each era; subclasses set ERA and the expected discovery."""
    ERA = None
    VERSIONS = None
    PREFERRED = None
    UNSERVED = None

    @property
    def env(self):
        return ENVS[self.ERA]

    def test_discovery(self):
        st, _, group = self.env.request("GET", "/apis/networking.istio.io")
        self.assertEqual(st, 200)
        self.assertEqual([v["version"] for v in group["versions"]], self.VERSIONS)
        self.assertEqual(group["preferredVersion"],
                         {"groupVersion": f"networking.istio.io/{self.PREFERRED}", "version": self.PREFERRED})
        for v in self.VERSIONS:
            st, _, rl = self.env.request("GET", f"/apis/networking.istio.io/{v}")
            self.assertEqual(st, 200)
            names = {r["name"] for r in rl["resources"]}
            self.assertTrue({"virtualservices", "destinationrules", "virtualservices/status"} <= names, names)
        self.assertEqual(self.env.preferred_version, self.PREFERRED)
        self.assertEqual(self.env.istio_versions, self.VERSIONS)

    def test_unserved_version_is_plain_404(self):
        ns = self.env.create_namespace()
        for path in (f"/apis/networking.istio.io/{self.UNSERVED}",
                     f"/apis/networking.istio.io/{self.UNSERVED}/namespaces/{ns}/virtualservices/reviews"):
            st, h, body = self.env.request("GET", path)
            self.assertEqual((st, h["content-type"], body), (404, "text/plain; charset=utf-8", "404 page not found\n"))

    def test_create_get_put_and_stale_put(self):
        env, ns = self.env, self.env.create_namespace()
        created = env.create(ns, "virtualservices", virtual_service(self.PREFERRED))
        self.assertEqual(created["metadata"]["generation"], 1)
        got = env.get(ns, "virtualservices", "reviews")
        self.assertEqual(weights(got), [50, 50])
        rv = got["metadata"]["resourceVersion"]

        changed = copy.deepcopy(got)
        changed["spec"]["http"][0]["route"][0]["weight"] = 10
        changed["spec"]["http"][0]["route"][1]["weight"] = 90
        put = env.put(ns, "virtualservices", changed)
        self.assertNotEqual(put["metadata"]["resourceVersion"], rv)
        self.assertEqual(put["metadata"]["generation"], 2)
        self.assertEqual(weights(env.get(ns, "virtualservices", "reviews")), [10, 90])

        # The same object again still carries the old resourceVersion: 409 Conflict.
        with self.assertRaises(ApiError) as cm:
            env.put(ns, "virtualservices", changed)
        e = cm.exception
        self.assertEqual(e.status, 409)
        self.assertEqual(e.reason, "Conflict")
        self.assertEqual(e.body["details"], {"name": "reviews", "group": "networking.istio.io",
                                             "kind": "virtualservices"})
        self.assertIn("the object has been modified", e.body["message"])

        # Every served version shows the same object.
        for v in self.VERSIONS:
            o = env.get(ns, f"networking.istio.io/{v}/virtualservices", "reviews")
            self.assertEqual(o["apiVersion"], f"networking.istio.io/{v}")
            self.assertEqual(weights(o), [10, 90])

    def test_dry_run_put_keeps_resource_version(self):
        env, ns = self.env, self.env.create_namespace()
        cur = env.create(ns, "virtualservices", virtual_service(self.PREFERRED))
        rv = cur["metadata"]["resourceVersion"]
        x = copy.deepcopy(cur)
        x["spec"]["http"][0]["route"][0]["weight"] = 0
        x["spec"]["http"][0]["route"][1]["weight"] = 100
        dry = env.put(ns, "virtualservices", x, query={"dryRun": "All"})
        self.assertEqual(dry["metadata"]["resourceVersion"], rv)
        self.assertEqual(dry["metadata"]["generation"], 2)
        self.assertEqual(weights(dry), [0, 100])
        stored = env.get(ns, "virtualservices", "reviews")
        self.assertEqual((stored["metadata"]["resourceVersion"], stored["metadata"]["generation"], weights(stored)),
                         (rv, 1, [50, 50]))

    def test_negative_and_oversized_weights_are_accepted(self):
        env, ns = self.env, self.env.create_namespace()
        o = env.create(ns, "virtualservices", virtual_service(self.PREFERRED, weights=(-10, 1000)))
        self.assertEqual(weights(o), [-10, 1000])

    def test_non_integer_weight_is_422(self):
        env, ns = self.env, self.env.create_namespace()
        with self.assertRaises(ApiError) as cm:
            env.create(ns, "virtualservices", virtual_service(self.PREFERRED, weights=("50", 50)))
        e = cm.exception
        self.assertEqual((e.status, e.reason, e.body["details"]["kind"]), (422, "Invalid", "VirtualService"))
        self.assertEqual(e.body["details"]["causes"][0],
                         {"reason": "FieldValueTypeInvalid",
                          "message": 'Invalid value: "string": spec.http[0].route[0].weight in body must be of type integer: "string"',
                          "field": "spec.http[0].route[0].weight"})

    def test_missing_is_404_status(self):
        env, ns = self.env, self.env.create_namespace()
        with self.assertRaises(ApiError) as cm:
            env.get(ns, "virtualservices", "nope")
        self.assertEqual(cm.exception.body, {
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": 'virtualservices.networking.istio.io "nope" not found', "reason": "NotFound",
            "details": {"name": "nope", "group": "networking.istio.io", "kind": "virtualservices"}, "code": 404})

    def test_nobody_is_forbidden(self):
        env, ns = self.env, self.env.create_namespace()
        cur = env.create(ns, "virtualservices", virtual_service(self.PREFERRED))
        for method, body, verb in (("GET", None, "get"), ("PUT", cur, "update")):
            st, _, b = env.request(method, env.resource_path(ns, "virtualservices", "reviews"), body,
                                   token=env.nobody_token)
            self.assertEqual((st, b["reason"], b["code"]), (403, "Forbidden", 403))
            self.assertEqual(b["message"],
                             f'virtualservices.networking.istio.io "reviews" is forbidden: User "nobody" cannot '
                             f'{verb} resource "virtualservices" in API group "networking.istio.io" in the '
                             f'namespace "{ns}"')
        st, _, b = env.request("GET", "/api/v1/namespaces", token="not-a-token")
        self.assertEqual((st, b["reason"]), (401, "Unauthorized"))

    def test_client_certificates(self):
        st, _, b = self.env.request("GET", "/api/v1/namespaces/istio-demo", cert=True)
        self.assertEqual((st, b["metadata"]["name"]), (200, "istio-demo"))
        st, _, b = self.env.request("GET", "/api/v1/namespaces/istio-demo", cert="nobody")
        self.assertEqual((st, b["reason"]), (403, "Forbidden"))
        self.assertIn('User "nobody" cannot get resource "namespaces"', b["message"])

    def test_kubeconfig(self):
        env = self.env
        with open(env.kubeconfig) as f:
            text = f.read()
        self.assertEqual(env.ca, os.path.join(env.dir, "ca.crt"))
        self.assertIn(f"certificate-authority: {json.dumps(env.ca)}", text)
        self.assertIn(f"server: {json.dumps(env.url)}", text)
        self.assertIn("current-context: admin\n", text)
        for ctx in ("admin", "admin-cert", "nobody", "nobody-cert"):
            self.assertIn(f"- name: {ctx}\n  context:\n    cluster: shift-test\n    user: {ctx}\n"
                          f"    namespace: \"istio-demo\"\n", text)
        self.assertIn(f"token: {json.dumps(env.token)}", text)
        self.assertIn(f"client-certificate: {json.dumps(env.client_cert)}", text)
        self.assertIn(f"token: {json.dumps(env.nobody_token)}", text)
        other = env.write_kubeconfig(namespace="elsewhere")
        with open(other) as f:
            self.assertEqual(f.read().count('namespace: "elsewhere"'), 4)


class Current(EraChecks, unittest.TestCase):
    ERA, VERSIONS, PREFERRED, UNSERVED = "current", ["v1", "v1beta1", "v1alpha3"], "v1", "v2"

    def test_cel_rule_is_enforced(self):
        env, ns = self.env, self.env.create_namespace()
        vs = virtual_service("v1")
        vs["spec"]["http"][0]["timeout"] = "0s"
        with self.assertRaises(ApiError) as cm:
            env.create(ns, "virtualservices", vs)
        self.assertEqual(cm.exception.status, 422)
        self.assertEqual(cm.exception.body["details"]["causes"],
                         [{"reason": "FieldValueInvalid",
                           "message": 'Invalid value: "string": must be a valid duration greater than 1ms',
                           "field": "spec.http[0].timeout"}])


class Istio18(EraChecks, unittest.TestCase):
    ERA, VERSIONS, PREFERRED, UNSERVED = "1.8", ["v1beta1", "v1alpha3"], "v1beta1", "v1"


CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import envtest
env = envtest.EnvTest(era="current", install_crds=False, namespace=None).start()
print(json.dumps({"pids": env.pids(), "dir": env.dir, "url": env.url}), flush=True)
time.sleep(120)
"""


class Lifecycle(unittest.TestCase):
    """No process or directory outlives an EnvTest, however its owner ends."""

    def assertCleanedUp(self, pids, directory, url, dir_removed=True):
        self.assertTrue(wait_gone(pids), f"still running: {[p for p in pids if pid_alive(p)]}")
        self.assertEqual(processes_mentioning(directory), [])
        self.assertFalse(port_open(url))
        if dir_removed:
            self.assertFalse(os.path.exists(directory))

    def test_context_exit_and_exception(self):
        with EnvTest(era="1.8") as env:
            pids, d, url = env.pids(), env.dir, env.url
            self.assertEqual(len(pids), 2)
            self.assertTrue(all(pid_alive(p) for p in pids))
            self.assertLess(env.startup_seconds, 30)
        self.assertCleanedUp(pids, d, url)
        env.stop()  # idempotent

        with self.assertRaises(ZeroDivisionError):
            with EnvTest(era="current", install_crds=False) as env:
                pids, d, url = env.pids(), env.dir, env.url
                1 / 0
        self.assertCleanedUp(pids, d, url)

    def test_owner_interrupted_or_killed(self):
        here = os.path.dirname(os.path.abspath(__file__))
        children = {}
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            children[sig] = subprocess.Popen([sys.executable, "-c", CHILD, here], stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            info = {}
            for sig, p in children.items():
                line = p.stdout.readline()
                if not line:  # (read stderr only then: it blocks until the child exits)
                    self.fail(f"child for {sig!r} did not start: {p.stderr.read()[-2000:]}")
                info[sig] = json.loads(line)
                self.assertTrue(all(pid_alive(x) for x in info[sig]["pids"]), info[sig])
            for sig, p in children.items():
                p.send_signal(sig)
            for sig, p in children.items():
                p.wait(timeout=30)
                i = info[sig]
                # SIGKILL: PR_SET_PDEATHSIG kills the servers; nothing can remove the directory then,
                # the next EnvTest.start() sweeps it (dead owner.pid).
                self.assertCleanedUp(i["pids"], i["dir"], i["url"], dir_removed=sig != signal.SIGKILL)
                if sig == signal.SIGKILL:
                    self.assertTrue(os.path.exists(os.path.join(i["dir"], "owner.pid")))
                    envtest._sweep_stale_dirs(os.path.dirname(i["dir"]))
                    self.assertFalse(os.path.exists(i["dir"]))
                else:
                    self.assertIn(p.returncode, (-sig, 1, 128 + sig), sig)
        finally:
            for p in children.values():
                if p.poll() is None:
                    p.kill()
                    p.wait()
                p.stdout.close()
                p.stderr.close()


class Skips(unittest.TestCase):
    def test_skip_without_assets(self):
        saved = os.environ.pop("KUBEBUILDER_ASSETS", None)
        try:
            with self.assertRaises(unittest.SkipTest) as cm:
                EnvTest().start()
            self.assertIsInstance(cm.exception, envtest.Skip)
            self.assertEqual(str(cm.exception), envtest.HOW_TO_GET_ASSETS)
            with tempfile.TemporaryDirectory() as empty:
                os.environ["KUBEBUILDER_ASSETS"] = empty
                with self.assertRaises(envtest.Skip):
                    EnvTest().start()
        finally:
            os.environ.pop("KUBEBUILDER_ASSETS", None)
            if saved is not None:
                os.environ["KUBEBUILDER_ASSETS"] = saved


if __name__ == "__main__":
    unittest.main(verbosity=2)
