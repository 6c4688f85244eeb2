#!/usr/bin/env python3
"""The bad-input catalogue (tests/data/bad_inputs.py), its "server" cases: answers of the API
server (not found, 401, 403, TLS, plain HTTP, 5xx, 429, resets, timeouts, a refused PUT, endless
conflicts), each ending in its exit code and its one-line error, with the VirtualService left as it
was (same resourceVersion). Fault cases need the test server; the others run on a real
kube-apiserver too.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_bad_answers.py
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "cli"))
import cluster  # noqa: E402
import bad_input_cases  # noqa: E402


class BadAnswers(cluster.ClusterCase):
    def kubeconfig(self, case, ns):
        user = case.get("user") or {"token": self.backend.token}
        if user == "nobody":
            user = {"token": self.backend.nobody_token}
        c = {"server": self.backend.url, "certificate-authority": self.backend.ca}
        for k, v in (case.get("cluster") or {}).items():
            v = v.replace("DIR/admin.crt", self.backend.client_cert)
            c[k] = v.replace("HTTPURL", "http://" + self.backend.url.split("://", 1)[1])
        cfg = {"apiVersion": "v1", "kind": "Config", "clusters": [{"name": "c", "cluster": c}],
               "users": [{"name": "u", "user": user}],
               "contexts": [{"name": "ctx", "context": {"cluster": "c", "user": "u", "namespace": ns}}],
               "current-context": "ctx"}
        return self.write("kubeconfig", json.dumps(cfg, indent=1))

    def run_case(self, case):
        if case.get("faults") and not self.backend.faults:
            raise unittest.SkipTest("faults need the test server")
        ns = self.namespace()
        self.bookinfo(ns)
        before = self.backend.get(ns, "virtualservices", "reviews")
        if isinstance(case.get("user"), dict):
            self.extra_secrets = [v for v in case["user"].values() if isinstance(v, str)]
        env = self.env(KUBECONFIG=self.kubeconfig(case, ns))
        for f in case.get("faults") or []:
            self.backend.fault(**f)
        r = self.shift(*[ns if a == "NS" else a for a in case["args"]], env=env)
        if self.backend.faults:
            self.backend.clear_faults()
        bad_input_cases.check_stderr(self, case, r.code, r.out, r.err)
        after = self.backend.get(ns, "virtualservices", "reviews")
        if case["id"] == "server-conflict-forever":
            # The injected other writer bumped it on every attempt; shift itself wrote nothing.
            self.assertEqual(after["spec"], before["spec"])
            self.assertNotIn("shift", [m.get("manager") for m in after["metadata"].get("managedFields", [])])
        else:
            self.assertEqual(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"])
            self.assertEqual(after["spec"], before["spec"])


def _add(case):
    def test(self):
        self.run_case(case)
    test.__doc__ = case["id"]
    setattr(BadAnswers, "test_" + case["id"].replace("-", "_"), test)


for _case in bad_input_cases.cases("server"):
    _add(_case)

cluster.parameterize(globals(), BadAnswers, eras=("current",))

if __name__ == "__main__":
    unittest.main()
