#!/usr/bin/env python3
"""A secrets scan at maximum verbosity: shift -vvv through every way of logging in (token,
tokenFile, client certificate and key as files and as data, an exec plugin, a password in the server
URL, a proxy URL with a password, basic auth, impersonation) and every way of failing (401, 403, a
TLS error, a failing plugin, a plugin printing garbage, a proxy refusing its password): no secret's
bytes (a token, the key's PEM body, a password or its base64, the plugin's stdout) may appear on
stdout or stderr, while the request log shows that -vvv did print headers and bodies; nor in what the
logins that succeed leave in the object (the history annotation, with its user and command), nor in
what history and undo print through them.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_secrets.py
"""
import base64
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import b64, read  # noqa: E402
from test_cluster_errors import ConnectProxy, closed_port  # noqa: E402

URL_PASSWORD = "Url-S3cret-9f1c"
PROXY_PASSWORD = "Proxy-S3cret-77aa"
BASIC_PASSWORD = "Basic-S3cret-41de"
PLUGIN_TOKEN = "plugin-token-5be0c0ffee"


def windows(secret, size=16):
    """Every slice of `size` characters of a long secret: a part printed is a leak too."""
    if len(secret) <= size:
        return [secret]
    return [secret[i:i + size] for i in range(0, len(secret) - size + 1)]


class Secrets(cluster.ClusterCase):
    def setUp(self):
        super().setUp()
        self.extra_secrets = []

    def secrets(self):
        key = read(self.backend.client_key)
        body = "".join(line for line in key.splitlines() if line and not line.startswith("-----"))
        out = [self.backend.token, self.backend.nobody_token, b64(key), URL_PASSWORD, PROXY_PASSWORD,
               BASIC_PASSWORD, PLUGIN_TOKEN]
        for user, password in (("alice", URL_PASSWORD), ("bob", PROXY_PASSWORD), ("carol", BASIC_PASSWORD)):
            out.append(base64.b64encode(("%s:%s" % (user, password)).encode()).decode())
        return out + windows(body) + list(self.extra_secrets)

    def assertNoSecrets(self, r):
        text = r.out + r.err
        for s in self.secrets():
            if s in text:
                self.fail("a secret was printed (%r):\n%r" % (s[:6] + "...", r))

    def kubeconfig(self, user, ns, cluster_extra=None, server=None):
        c = {"server": server or self.backend.url, "certificate-authority": self.backend.ca}
        c.update(cluster_extra or {})
        c = {k: v for k, v in c.items() if v is not None}
        cfg = {"apiVersion": "v1", "kind": "Config", "clusters": [{"name": "c", "cluster": c}],
               "users": [{"name": "u", "user": user}],
               "contexts": [{"name": "ctx", "context": {"cluster": "c", "user": "u", "namespace": ns}}],
               "current-context": "ctx"}
        return self.write("kubeconfig", json.dumps(cfg, indent=1))

    def plugin(self, stdout, code=0):
        script = self.write("plugin", "#!/bin/sh\nprintf '%%s\\n' '%s'\necho 'plugin stderr line' >&2\nexit %d\n"
                            % (stdout, code), mode=0o700)
        self.extra_secrets.append(stdout)
        return {"apiVersion": "client.authentication.k8s.io/v1", "command": script, "interactiveMode": "Never"}

    def credential(self, token):
        return json.dumps({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                           "status": {"token": token}})

    def run_vvv(self, cfg, *extra):
        """shift -vvv reviews v1=50 v3=50 with this kubeconfig; the scan runs in self.shift."""
        return self.shift("reviews", "v1=50", "v3=50", "-vvv", *extra, env=self.env(KUBECONFIG=cfg))

    def succeeds(self, user, cluster_extra=None, server=None, extra=()):
        ns = self.namespace()
        self.bookinfo(ns)
        r = self.run_vvv(self.kubeconfig(user, ns, cluster_extra, server), *extra)
        self.assertExit(r, 0)
        self.assertEqual(cluster.weights(self.backend.get(ns, "virtualservices", "reviews")), {"v1": 50, "v3": 50})
        # -vvv really printed headers and both bodies, so the scan had something to look at.
        self.assertRegex(r.err, r"(?m)^  > [A-Za-z-]+: ")
        self.assertRegex(r.err, r'(?m)^  < \{.*"kind":"VirtualService"')
        self.assertRegex(r.err, r'(?m)^  > \{.*"weight":50')
        # What shift leaves behind is scanned too: the history it records (user, command) in the object,
        # and what history and undo print at -vvv through the same login.
        env = self.env(KUBECONFIG=self.kubeconfig(user, ns, cluster_extra, server))
        for words in (("history", "reviews"), ("undo", "reviews")):
            self.assertExit(self.shift(*words, "-vvv", *extra, env=env), 0)
        stored = self.backend.get(ns, "virtualservices", "reviews")
        self.assertEqual(json.loads(stored["metadata"]["annotations"]["traffic-shift.dev/history"])[-1]["command"],
                         "undo reviews")
        self.assertNoSecrets(cluster.Run(0, json.dumps(stored), "", 0))
        return r

    def fails(self, user, code, cluster_extra=None, server=None, extra=()):
        ns = self.namespace()
        before = self.bookinfo(ns)
        r = self.run_vvv(self.kubeconfig(user, ns, cluster_extra, server), *extra)
        self.assertExit(r, code)
        self.assertRegex(r.err, r"(?m)^error: ")
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews")["metadata"]["resourceVersion"],
                         before["metadata"]["resourceVersion"])
        return r

    def test_the_scan_catches_a_part_of_the_key(self):
        key = read(self.backend.client_key).splitlines()[3]
        leak = cluster.Run(0, "", "  < something %s\n" % key[10:30], 0)
        with self.assertRaises(AssertionError):
            self.assertNoSecrets(leak)

    # ---- logging in ----
    def test_token(self):
        r = self.succeeds({"token": self.backend.token})
        self.assertIn("  > Authorization: Bearer xxxxx\n", r.err)

    def test_token_file(self):
        self.succeeds({"tokenFile": self.write("token", self.backend.token + "\n")})

    def test_client_certificate_and_key_files(self):
        self.succeeds({"client-certificate": self.backend.client_cert, "client-key": self.backend.client_key})

    def test_client_certificate_and_key_data(self):
        self.succeeds({"client-certificate-data": b64(read(self.backend.client_cert)),
                       "client-key-data": b64(read(self.backend.client_key))},
                      cluster_extra={"certificate-authority": None, "certificate-authority-data": b64(read(self.backend.ca))})

    def test_exec_plugin(self):
        self.extra_secrets.append(self.credential(self.backend.token))
        self.succeeds({"exec": self.plugin(self.credential(self.backend.token))})

    def test_password_in_the_server_url(self):
        host = self.backend.url.split("://", 1)[1]
        self.succeeds({"token": self.backend.token}, server="https://alice:%s@%s" % (URL_PASSWORD, host))

    def test_proxy_url_with_a_password(self):
        proxy = ConnectProxy("bob", PROXY_PASSWORD)
        self.addCleanup(proxy.stop)
        self.succeeds({"token": self.backend.token}, cluster_extra={"proxy-url": proxy.url})

    def test_impersonation(self):
        r = self.succeeds({"token": self.backend.token}, extra=("--as", "jane", "--as-group", "system:masters",
                                                                "--as-uid", "1234"))
        self.assertIn("  > Impersonate-User: xxxxx\n", r.err)

    # ---- failing ----
    def test_401_wrong_token(self):
        self.extra_secrets.append("wrong-token-7d2e91aa")
        self.fails({"token": "wrong-token-7d2e91aa"}, 3)

    def test_401_basic_auth(self):
        if self.backend.kind != "testserver":
            self.skipTest("kube-apiserver 1.24 has no basic auth")
        self.fails({"username": "carol", "password": BASIC_PASSWORD}, 3)

    def test_403(self):
        self.fails({"token": self.backend.nobody_token}, 3)

    def test_403_impersonation_not_allowed(self):
        self.fails({"token": self.backend.nobody_token}, 3, extra=("--as", "jane"))

    def test_tls_error_with_a_token_and_a_key(self):
        # The server's CA is not the kubeconfig's: the handshake fails after the key was loaded.
        self.fails({"token": self.backend.token, "client-certificate-data": b64(read(self.backend.client_cert)),
                    "client-key-data": b64(read(self.backend.client_key))}, 3,
                   cluster_extra={"certificate-authority": self.backend.client_cert})

    def test_tls_error_with_a_password_in_the_url(self):
        host = self.backend.url.split("://", 1)[1]
        self.fails({"token": self.backend.token}, 3, server="https://alice:%s@%s" % (URL_PASSWORD, host),
                   cluster_extra={"certificate-authority": self.backend.client_cert})

    def test_plugin_fails_after_printing_a_credential(self):
        self.fails({"exec": self.plugin(self.credential(PLUGIN_TOKEN), code=1)}, 3)

    def test_plugin_prints_garbage_with_a_secret_in_it(self):
        self.fails({"exec": self.plugin('{"status": {"token": "%s"' % PLUGIN_TOKEN)}, 3)

    def test_plugin_token_rejected(self):
        self.fails({"exec": self.plugin(self.credential(PLUGIN_TOKEN))}, 3)

    def test_proxy_refuses_its_password(self):
        proxy = ConnectProxy("bob", PROXY_PASSWORD + "-other")
        self.addCleanup(proxy.stop)
        url = proxy.url.replace(PROXY_PASSWORD + "-other", PROXY_PASSWORD)
        self.fails({"token": self.backend.token}, 3, cluster_extra={"proxy-url": url})

    def test_dead_server_with_a_password_in_the_url(self):
        self.fails({"token": self.backend.token}, 3, server="https://alice:%s@127.0.0.1:%d" % (URL_PASSWORD,
                                                                                              closed_port()))


cluster.parameterize(globals(), Secrets, eras=("current",))

if __name__ == "__main__":
    unittest.main()
