#!/usr/bin/env python3
"""shift's kubeconfig and credential forms against a live API server (the local test server and
a real kube-apiserver, both Istio eras): tokens, token files, client certificates as files and
inline data, exec plugins (v1, v1beta1), in-cluster config, KUBECONFIG merging, --context,
--kubeconfig, -n and impersonation (--as, --as-group, the kubeconfig's as). No token, key or plugin output may ever be printed, even with -v.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_auth.py
"""
import json
import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import b64, read, weights  # noqa: E402

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


class Auth(cluster.ClusterCase):
    def kubeconfig(self, user, namespace=None, name="kubeconfig", extra_contexts=None):
        """A kubeconfig with one context "ctx" (current) for `user` (a kubeconfig user dict)."""
        cfg = {
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": "c", "cluster": {"server": self.backend.url,
                                                   "certificate-authority": self.backend.ca}}],
            "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "ctx", "context": dict({"cluster": "c", "user": "u"},
                                                         **({"namespace": namespace} if namespace else {}))}],
            "current-context": "ctx",
        }
        return self.write(name, json.dumps(cfg, indent=1))

    def shift_ok(self, ns, *args, kubeconfig=None, env=None):
        """Shifts reviews in ns to v1=80 v3=20 and checks it landed."""
        self.bookinfo(ns)
        env = env or (self.env(KUBECONFIG=kubeconfig) if kubeconfig else self.env())
        r = self.shift("reviews", "v1=80", "v3=20", *args, "-v", env=env)
        self.assertExit(r, 0)
        self.assertIn("virtualservice.networking.istio.io/reviews shifted\n", r.out)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 80, "v3": 20})
        self.assertRegex(r.err, r"PUT https://127\.0\.0\.1:\d+/apis/networking\.istio\.io/%s/namespaces/%s/"
                                r"virtualservices/reviews\?fieldManager=shift 200 OK" % (self.backend.preferred, ns))
        self.assertNotIn("Authorization", r.err)
        self.assertNotIn("Bearer", r.err)
        return r

    # ---- tokens and certificates ----
    def test_token(self):
        ns = self.namespace()
        self.shift_ok(ns, "-n", ns)

    def test_token_file(self):
        ns = self.namespace()
        path = self.write("token", self.backend.token + "\n")
        self.shift_ok(ns, kubeconfig=self.kubeconfig({"tokenFile": path}, ns))

    def test_token_file_wins_over_token(self):
        ns = self.namespace()
        path = self.write("token", self.backend.token + "\n")
        self.shift_ok(ns, kubeconfig=self.kubeconfig({"token": "not-a-valid-token", "tokenFile": path}, ns))

    def test_client_certificate_files(self):
        ns = self.namespace()
        self.shift_ok(ns, "-n", ns, "--context", "admin-cert")

    def test_client_certificate_data(self):
        ns = self.namespace()
        key = read(self.backend.client_key)
        self.extra_secrets = [b64(key)]
        user = {"client-certificate-data": b64(read(self.backend.client_cert)), "client-key-data": b64(key)}
        cfg = self.kubeconfig(user, ns)
        cfgj = json.loads(read(cfg))
        cfgj["clusters"][0]["cluster"] = {"server": self.backend.url,
                                          "certificate-authority-data": b64(read(self.backend.ca))}
        self.write("kubeconfig", json.dumps(cfgj))
        self.shift_ok(ns, kubeconfig=cfg)

    def test_bad_token_is_401(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v3=100", "-v",
                       env=self.env(KUBECONFIG=self.kubeconfig({"token": "not-a-valid-token"}, ns)))
        self.assertExit(r, 3)
        self.assertIn('error: the server rejected the credentials of context "ctx" (401 Unauthorized); '
                      "check the token or certificate\n", r.err)
        self.assertNotIn("not-a-valid-token", r.out + r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_missing_credentials(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v3=100", env=self.env(KUBECONFIG=self.kubeconfig({}, ns)))
        self.assertExit(r, 3)
        if self.BACKEND == "envtest":
            # kube-apiserver's default --anonymous-auth=true: anonymous requests are forbidden, not 401.
            self.assertIn('forbidden: User "system:anonymous" cannot get virtualservices.networking.istio.io', r.err)
        else:
            self.assertIn('the server rejected the credentials of context "ctx" (401 Unauthorized)', r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_nobody_certificate_is_forbidden(self):
        if not getattr(self.backend, "nobody_cert", None):
            self.skipTest("this EnvTest makes no nobody certificate")
        ns = self.namespace()
        self.bookinfo(ns)
        r = self.shift("reviews", "v3=100", "-n", ns, "--context", "nobody-cert")
        self.assertExit(r, 3)
        self.assertIn('forbidden: User "nobody" cannot get virtualservices.networking.istio.io in namespace "%s"' % ns,
                      r.err)

    # ---- impersonation ----
    def assert_denied(self, ns, before, message, *args, env=None):
        """`shift reviews v3=100 ARGS` exits 3 with message, and the VirtualService is as before."""
        r = self.shift("reviews", "v3=100", *args, env=env)
        self.assertExit(r, 3)
        self.assertIn(message, r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_impersonation_flags(self):
        ns = self.namespace()
        self.shift_ok(ns, "-n", ns, "--as", "jane", "--as-group", "ops", "--as-group", "system:masters")
        before = self.backend.get(ns, "virtualservices", "reviews")
        self.assert_denied(ns, before, 'forbidden: User "nobody" cannot get virtualservices.networking.istio.io '
                                       'in namespace "%s"' % ns, "-n", ns, "--as", "nobody")  # nobody has no RBAC

    def test_impersonation_from_kubeconfig_and_flags_over_it(self):
        ns = self.namespace()
        cfg = self.kubeconfig({"token": self.backend.token, "as": "nobody", "as-groups": ["ops"]}, ns)
        self.shift_ok(ns, "--as", "jane", "--as-group", "system:masters", kubeconfig=cfg)
        before = self.backend.get(ns, "virtualservices", "reviews")
        self.assert_denied(ns, before, 'forbidden: User "nobody" cannot get virtualservices.networking.istio.io',
                           env=self.env(KUBECONFIG=cfg))

    def test_impersonation_needs_the_right_to_impersonate(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        cfg = self.kubeconfig({"token": self.backend.nobody_token}, ns)
        self.assert_denied(ns, before, 'forbidden: User "nobody" cannot impersonate users at cluster scope',
                           "--as", "jane", "--as-group", "system:masters", env=self.env(KUBECONFIG=cfg))

    def test_impersonation_group_without_user_is_refused_before_any_request(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v3=100", "-n", ns, "--as-group", "system:masters", "-v")
        self.assertExit(r, 2)
        self.assertEqual(r.err, 'error: requesting uid, groups or user-extra for user "admin" without impersonating '
                                "a user; add --as USER\n")
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    # ---- exec plugins ----
    def plugin(self, api_version, token, fail=False, name="plugin"):
        count = os.path.join(self.tmp, name + ".runs")
        info = os.path.join(self.tmp, name + ".info")
        cred = json.dumps({"apiVersion": api_version, "kind": "ExecCredential", "status": {"token": token}})
        body = "echo 'plugin could not log in' >&2; exit 1" if fail else "printf '%%s\\n' '%s'" % cred
        # A run is logged as "run"; "run+gnutls" if shift leaked GNUTLS_NO_IMPLICIT_INIT, which it
        # sets only while libcurl loads (lib/kube/curl_loader.cpp) -- a re-run after a 401 would see it.
        script = self.write(name, "#!/bin/sh\necho run${GNUTLS_NO_IMPLICIT_INIT:++gnutls} >> \"$RUNS\"\nprintf '%%s' \"$KUBERNETES_EXEC_INFO\" > \"$INFO\"\n"
                                  "%s\n" % body, mode=0o700)
        exec_cfg = {"apiVersion": api_version, "command": script, "args": ["get-token"],
                    "env": [{"name": "RUNS", "value": count}, {"name": "INFO", "value": info}],
                    "installHint": "install the shift-login plugin\n  with: apt-get install shift-login"}
        if api_version.endswith("/v1"):
            exec_cfg["interactiveMode"] = "Never"
        return exec_cfg, count, info

    def check_plugin(self, api_version):
        ns = self.namespace()
        exec_cfg, count, info = self.plugin(api_version, self.backend.token)
        r = self.shift_ok(ns, kubeconfig=self.kubeconfig({"exec": exec_cfg}, ns))
        self.assertEqual(read(count), "run\n", "the plugin runs once per shift run")
        self.assertNotIn("ExecCredential", r.out + r.err)
        self.assertGreaterEqual(r.err.count(" 200 OK"), 3)  # several requests, one plugin run
        sent = json.loads(read(info))
        self.assertEqual(sent["apiVersion"], api_version)
        self.assertEqual(sent["kind"], "ExecCredential")
        self.assertIs(sent["spec"]["interactive"], False)

    def test_exec_plugin_v1(self):
        self.check_plugin("client.authentication.k8s.io/v1")

    def test_exec_plugin_v1beta1(self):
        self.check_plugin("client.authentication.k8s.io/v1beta1")

    def test_exec_plugin_failing(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        exec_cfg, count, _ = self.plugin("client.authentication.k8s.io/v1", "", fail=True)
        r = self.shift("reviews", "v3=100", "-v", env=self.env(KUBECONFIG=self.kubeconfig({"exec": exec_cfg}, ns)))
        self.assertIn(r.code, (2, 3), repr(r))
        self.assertEqual(r.code, 3, repr(r))
        # It ran, so it is installed: no installHint, as kubectl shows it only for a missing plugin.
        self.assertIn('error: exec plugin "%s" failed with exit code 1\n' % exec_cfg["command"], r.err)
        self.assertNotIn("apt-get install shift-login", r.err)
        self.assertIn("plugin could not log in\n", r.err)  # the plugin's stderr is passed through
        self.assertEqual(r.out, "")
        self.assertEqual(read(count), "run\n")
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_exec_plugin_hanging_is_stopped_after_the_request_timeout(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        exec_cfg, _, _ = self.plugin("client.authentication.k8s.io/v1", "")
        exec_cfg["command"] = self.write("hang", "#!/bin/sh\nsleep 60 &\nwait\n", mode=0o700)
        r = self.shift("reviews", "v3=100", "--request-timeout", "1s",
                       env=self.env(KUBECONFIG=self.kubeconfig({"exec": exec_cfg}, ns)))
        self.assertExit(r, 3)
        self.assertLess(r.seconds, 10)
        self.assertEqual(r.err, 'error: exec plugin "%s" did not finish within 1s and was stopped; run it by hand to '
                                "see why, or raise --request-timeout\n" % exec_cfg["command"])
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_exec_plugin_missing(self):
        ns = self.namespace()
        exec_cfg, _, _ = self.plugin("client.authentication.k8s.io/v1beta1", "")
        exec_cfg["command"] = "shift-login-not-installed"
        r = self.shift("reviews", "v3=100", env=self.env(KUBECONFIG=self.kubeconfig({"exec": exec_cfg}, ns)))
        self.assertEqual(r.code, 3, repr(r))
        self.assertIn('exec plugin "shift-login-not-installed" not found; install the shift-login plugin with: '
                      "apt-get install shift-login\n", r.err)

    def test_exec_plugin_rejected_token_reruns_once(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        exec_cfg, count, _ = self.plugin("client.authentication.k8s.io/v1", "revoked-plugin-token")
        self.extra_secrets = ["revoked-plugin-token"]
        r = self.shift("reviews", "v3=100", "-v", env=self.env(KUBECONFIG=self.kubeconfig({"exec": exec_cfg}, ns)))
        self.assertExit(r, 3)
        self.assertIn("401 Unauthorized; re-running the exec plugin", r.err)
        self.assertIn('the server rejected the credentials of context "ctx" (401 Unauthorized)', r.err)
        self.assertEqual(read(count), "run\nrun\n")
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_exec_plugin_v1_needs_interactive_mode(self):
        ns = self.namespace()
        exec_cfg, count, _ = self.plugin("client.authentication.k8s.io/v1", self.backend.token)
        del exec_cfg["interactiveMode"]
        r = self.shift("reviews", "v3=100", env=self.env(KUBECONFIG=self.kubeconfig({"exec": exec_cfg}, ns)))
        self.assertExit(r, 2)
        self.assertIn('interactiveMode must be specified for user "u" to use exec authentication plugin', r.err)
        self.assertFalse(os.path.exists(count))

    # ---- in-cluster ----
    def test_in_cluster(self):
        if os.geteuid() != 0:
            self.skipTest("in-cluster config reads %s only (not injectable): needs root" % SA_DIR)
        if os.path.exists("/var/run/secrets/kubernetes.io"):
            self.skipTest("%s exists already; not touching it" % SA_DIR)
        ns = self.namespace()
        created = "/var/run/secrets" if not os.path.exists("/var/run/secrets") else "/var/run/secrets/kubernetes.io"
        os.makedirs(SA_DIR)
        self.addCleanup(shutil.rmtree, created, True)
        for name, text in (("token", self.backend.token + "\n"), ("ca.crt", read(self.backend.ca)), ("namespace", ns)):
            with open(os.path.join(SA_DIR, name), "w") as f:
                f.write(text)
        port = self.backend.url.rsplit(":", 1)[1]
        env = self.env(KUBECONFIG=None, KUBERNETES_SERVICE_HOST="127.0.0.1", KUBERNETES_SERVICE_PORT=port)
        self.shift_ok(ns, env=env)  # namespace from the service account
        # -n and POD_NAMESPACE over the service account's namespace
        ns2 = self.namespace()
        self.bookinfo(ns2)
        r = self.shift("reviews", "v2=100", "-n", ns2, env=env)
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns2, "virtualservices", "reviews")), {"v2": 100})
        ns3 = self.namespace()
        self.bookinfo(ns3)
        r = self.shift("reviews", "v2=100", env=dict(env, POD_NAMESPACE=ns3))
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns3, "virtualservices", "reviews")), {"v2": 100})
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 80, "v3": 20})
        # A rejected service-account token points at the token, not a kubeconfig context.
        with open(os.path.join(SA_DIR, "token"), "w") as f:
            f.write("expired-sa-token\n")
        r = self.shift("reviews", "v3=100", env=env)
        self.assertExit(r, 3)
        self.assertIn("the server rejected the credentials (401 Unauthorized); check the service account token", r.err)

    # ---- choosing the kubeconfig, context and namespace ----
    def test_kubeconfig_merge_first_wins(self):
        nsa, nsb = self.namespace(), self.namespace()
        first = {"apiVersion": "v1", "kind": "Config", "current-context": "main",
                 "clusters": [{"name": "c", "cluster": {"server": self.backend.url,
                                                        "certificate-authority": self.backend.ca}}],
                 "users": [{"name": "u", "user": {"token": self.backend.token}}],
                 "contexts": [{"name": "main", "context": {"cluster": "c", "user": "u", "namespace": nsa}}]}
        second = {"apiVersion": "v1", "kind": "Config", "current-context": "other",
                  "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1",
                                                         "certificate-authority": self.backend.ca}}],
                  "users": [{"name": "u", "user": {"token": self.backend.nobody_token}}],
                  "contexts": [{"name": "main", "context": {"cluster": "c", "user": "u", "namespace": nsb}},
                               {"name": "other", "context": {"cluster": "c", "user": "u", "namespace": nsb}},
                               {"name": "only-second", "context": {"cluster": "c", "user": "u",
                                                                   "namespace": nsb}}]}
        f1, f2 = self.write("first", json.dumps(first)), self.write("second", json.dumps(second))
        missing = os.path.join(self.tmp, "missing")
        self.shift_ok(nsa, env=self.env(KUBECONFIG=":".join([missing, f1, f2])))
        # A context only the second file has still takes cluster and user from the first.
        self.bookinfo(nsb)
        r = self.shift("reviews", "v2=100", "--context", "only-second", env=self.env(KUBECONFIG=f1 + ":" + f2))
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(nsb, "virtualservices", "reviews")), {"v2": 100})
        # The other order: the second file's context, cluster and nobody user win.
        r = self.shift("reviews", "v2=100", env=self.env(KUBECONFIG=f2 + ":" + f1))
        self.assertExit(r, 3)
        self.assertIn("cannot reach https://127.0.0.1:1", r.err)

    def test_kubeconfig_flag_over_env(self):
        ns = self.namespace()
        bad = self.write("bad", "this: [is not a kubeconfig\n")
        good = self.kubeconfig({"token": self.backend.token}, ns, name="good")
        self.shift_ok(ns, "--kubeconfig", good, env=self.env(KUBECONFIG=bad))
        r = self.shift("reviews", "v3=100", "--kubeconfig", os.path.join(self.tmp, "nope"), env=self.env())
        self.assertExit(r, 2)
        self.assertIn("cannot read kubeconfig %s: No such file or directory" % os.path.join(self.tmp, "nope"), r.err)

    def test_context_flag(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.shift("reviews", "v3=100", "-n", ns, "--context", "nobody")
        self.assertExit(r, 3)
        self.assertIn('User "nobody" cannot get', r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)
        r = self.shift("reviews", "v3=100", "-n", ns, "--context", "nope")
        self.assertExit(r, 2)
        self.assertIn('context "nope" not found in kubeconfig; contexts: ', r.err)
        r = self.shift("reviews", "v3=100", "-n", ns, "--context", "admin")
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})

    def test_namespace_flag_over_context_namespace(self):
        ctx_ns, flag_ns = self.namespace(), self.namespace()
        in_ctx = self.bookinfo(ctx_ns)
        cfg = self.kubeconfig({"token": self.backend.token}, ctx_ns)
        self.shift_ok(flag_ns, "-n", flag_ns, kubeconfig=cfg)
        self.assertEqual(self.backend.get(ctx_ns, "virtualservices", "reviews"), in_ctx)
        r = self.shift("reviews", "v2=100", env=self.env(KUBECONFIG=cfg))  # the context's namespace
        self.assertExit(r, 0)
        self.assertEqual(weights(self.backend.get(ctx_ns, "virtualservices", "reviews")), {"v2": 100})


cluster.parameterize(globals(), Auth)

if __name__ == "__main__":
    unittest.main()
