#!/usr/bin/env python3
"""What shift says when the kubeconfig points at the wrong thing, against the local test server and
a real kube-apiserver: secrets in server and proxy URLs never printed, a dead proxy named, an http://
URL to an HTTPS port, a web page where the API should be, missing certificate files; and what each
-v level adds (headers at -vv, bodies at -vvv) without ever printing a credential.

    SHIFT_BIN=build/cli/shift python3 tests/live/test_cluster_errors.py
"""
import base64
import http.server
import json
import os
import socket
import ssl
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402

PASSWORD = "S3cretPW"
PROXY_PASSWORD = "Pr0xyPW"


def closed_port():
    """A local port nobody listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class HtmlServer:
    """An HTTPS web server (the test server's certificate) answering every request with a page."""

    def __init__(self, cert, key, status=200):
        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b"<!doctype html><html><body>Welcome to nginx!</body></html>\n"
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = "https://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class ConnectProxy:
    """An HTTP CONNECT proxy that wants basic credentials; records each CONNECT target."""

    def __init__(self, user, password):
        expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        targets = self.targets = []

        class Tunnel(http.server.BaseHTTPRequestHandler):
            def do_CONNECT(self):
                if self.headers.get("Proxy-Authorization") != expected:
                    self.send_response(407)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                host, port = self.path.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)))
                targets.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.flush()
                pipe = threading.Thread(target=self.copy, args=(upstream, self.connection), daemon=True)
                pipe.start()
                self.copy(self.connection, upstream)
                pipe.join(5)
                upstream.close()

            @staticmethod
            def copy(src, dst):
                try:
                    while True:
                        data = src.recv(65536)
                        if not data:
                            break
                        dst.sendall(data)
                except OSError:
                    pass
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

            def log_message(self, *a):
                pass
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tunnel)
        self.httpd.daemon_threads = True
        self.url = "http://%s:%s@127.0.0.1:%d" % (user, password, self.httpd.server_address[1])
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Errors(cluster.ClusterCase):
    def kubeconfig(self, server=None, user=None, cluster_extra=None, ns=None):
        c = {"server": server or self.backend.url, "certificate-authority": self.backend.ca}
        c.update(cluster_extra or {})
        cfg = {"apiVersion": "v1", "kind": "Config",
               "clusters": [{"name": "c", "cluster": c}],
               "users": [{"name": "u", "user": user or {"token": self.backend.token}}],
               "contexts": [{"name": "ctx", "context": dict({"cluster": "c", "user": "u"},
                                                            **({"namespace": ns} if ns else {}))}],
               "current-context": "ctx"}
        return self.write("kubeconfig", json.dumps(cfg, indent=1))

    def run_with(self, cfg, *args):
        return self.shift("reviews", "v3=100", *args, env=self.env(KUBECONFIG=cfg))

    def assertNever(self, r, *secrets):
        for s in secrets:
            self.assertNotIn(s, r.out + r.err, "a secret was printed")

    def one_error(self, r, code):
        self.assertExit(r, code)
        self.assertEqual(r.out, "")
        lines = [line for line in r.err.splitlines() if not line.startswith(("GET ", "PUT ", "  "))]
        self.assertEqual(len(lines), 1, repr(r))
        return lines[0]

    # ---- secrets in URLs ----
    def test_password_in_server_url_of_a_closed_port(self):
        port = closed_port()
        cfg = self.kubeconfig(server="https://alice:%s@127.0.0.1:%d" % (PASSWORD, port))
        r = self.run_with(cfg, "-v")
        line = self.one_error(r, 3)
        self.assertEqual(line, 'error: cannot reach https://alice:xxxxx@127.0.0.1:%d: connection refused; check the '
                               'server address in kubeconfig context "ctx"' % port)
        self.assertNever(r, PASSWORD)

    def test_password_in_server_url_with_every_verbosity(self):
        ns = self.namespace()
        self.bookinfo(ns)
        host = self.backend.url.split("://", 1)[1]
        cfg = self.kubeconfig(server="https://alice:%s@%s" % (PASSWORD, host), ns=ns)
        r = self.run_with(cfg, "-vvv")
        self.assertExit(r, 0)
        self.assertIn("GET https://alice:xxxxx@%s/apis/networking.istio.io/" % host, r.err)
        self.assertNever(r, PASSWORD)

    def test_dead_proxy_is_named_without_its_password(self):
        port = closed_port()
        cfg = self.kubeconfig(cluster_extra={"proxy-url": "http://bob:%s@127.0.0.1:%d" % (PROXY_PASSWORD, port)})
        r = self.run_with(cfg, "-vv")
        line = self.one_error(r, 3)
        self.assertEqual(line, "error: cannot reach the proxy http://bob:xxxxx@127.0.0.1:%d for %s: connection "
                               'refused; check proxy-url in kubeconfig context "ctx"' % (port, self.backend.url))
        self.assertNever(r, PROXY_PASSWORD)

    def test_proxy_with_a_password_works_and_never_shows_it(self):
        ns = self.namespace()
        self.bookinfo(ns)
        proxy = ConnectProxy("bob", PROXY_PASSWORD)
        self.addCleanup(proxy.stop)
        r = self.run_with(self.kubeconfig(cluster_extra={"proxy-url": proxy.url}, ns=ns), "-vvv")
        self.assertExit(r, 0)
        self.assertEqual(cluster.weights(self.backend.get(ns, "virtualservices", "reviews")), {"v3": 100})
        self.assertEqual(proxy.targets, [self.backend.url.split("://", 1)[1]])  # one connection, through it
        self.assertNever(r, PROXY_PASSWORD, base64.b64encode(("bob:" + PROXY_PASSWORD).encode()).decode())

    def test_proxy_refusing_the_tunnel_is_named_without_its_password(self):
        proxy = ConnectProxy("bob", PROXY_PASSWORD)
        self.addCleanup(proxy.stop)
        wrong = proxy.url.replace(PROXY_PASSWORD, "not-" + PROXY_PASSWORD)
        r = self.run_with(self.kubeconfig(cluster_extra={"proxy-url": wrong}), "-vv")
        line = self.one_error(r, 3)
        self.assertRegex(line, r"^error: the proxy http://bob:xxxxx@127\.0\.0\.1:\d+ refused the connection to "
                               r"https://127\.0\.0\.1:\d+: 407 Proxy Authentication Required; check the user and "
                               r'password in proxy-url in kubeconfig context "ctx"$')
        self.assertEqual(proxy.targets, [])
        self.assertNever(r, PROXY_PASSWORD)

    # ---- the server is not the one the kubeconfig trusts ----
    def test_a_certificate_from_another_ca_is_refused(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        # Any certificate but the CA's: verification must fail, and nothing be sent.
        cfg = self.kubeconfig(cluster_extra={"certificate-authority": self.backend.client_cert}, ns=ns)
        line = self.one_error(self.run_with(cfg), 3)
        self.assertRegex(line, r'^error: cannot verify the TLS certificate of https://127\.0\.0\.1:\d+: .*; check '
                               r'certificate-authority in kubeconfig context "ctx"$')
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_a_certificate_for_another_name_is_refused(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        cfg = self.kubeconfig(cluster_extra={"tls-server-name": "wrong.example"}, ns=ns)
        line = self.one_error(self.run_with(cfg), 3)
        self.assertRegex(line, r"^error: the TLS certificate of https://127\.0\.0\.1:\d+ is not valid for that name: "
                               r'.*wrong\.example.*; check the server address or tls-server-name in kubeconfig context '
                               r'"ctx"$')
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    # ---- the server URL points at the wrong thing ----
    def test_http_url_to_the_https_port(self):
        ns = self.namespace()
        before = self.bookinfo(ns)
        http_url = "http://" + self.backend.url.split("://", 1)[1]
        r = self.run_with(self.kubeconfig(server=http_url, ns=ns))
        line = self.one_error(r, 3)
        self.assertRegex(line, r"^error: %s answered plain HTTP with .*: the server speaks HTTPS; change the server "
                               r'URL to %s in kubeconfig context "ctx"$' % (http_url, self.backend.url))
        self.assertNotIn("rejected the change", r.err)
        self.assertEqual(self.backend.get(ns, "virtualservices", "reviews"), before)

    def test_a_web_page_is_not_a_kubernetes_api(self):
        if self.backend.kind != "testserver":
            raise unittest.SkipTest("the web server borrows the test server's certificate")
        for status in (200, 404):
            with self.subTest(status=status):
                web = HtmlServer(os.path.join(self.backend.srv.dir, "server.crt"),
                                 os.path.join(self.backend.srv.dir, "server.key"), status)
                self.addCleanup(web.stop)
                r = self.run_with(self.kubeconfig(server=web.url), "-n", "default")
                line = self.one_error(r, 3)
                self.assertRegex(line, r"^error: the answer to GET /apis/networking\.istio\.io/v1/namespaces/default/"
                                       r"virtualservices/reviews is not a Kubernetes API response \(got text/html "
                                       r"from %s\); check the server URL in kubeconfig context \"ctx\"$" % web.url)

    # ---- files the kubeconfig names ----
    def test_missing_certificate_files_name_the_field(self):
        missing = os.path.join(self.tmp, "nope.pem")
        cases = [
            ("certificate-authority", {"certificate-authority": missing}, None),
            ("client-certificate", None, {"client-certificate": missing, "client-key": self.backend.client_key}),
            ("client-key", None, {"client-certificate": self.backend.client_cert, "client-key": missing}),
        ]
        for field, cluster_extra, user in cases:
            with self.subTest(field=field):
                r = self.run_with(self.kubeconfig(cluster_extra=cluster_extra, user=user))
                line = self.one_error(r, 2)
                self.assertEqual(line, 'error: cannot read %s %s: No such file or directory; fix %s in kubeconfig '
                                       'context "ctx"' % (field, missing, field))

    # ---- -v levels ----
    def test_each_v_level_adds_detail_and_never_a_credential(self):
        ns = self.namespace()
        self.bookinfo(ns)
        cfg = self.kubeconfig(ns=ns)
        runs = {}
        for level in (1, 2, 3):
            r = self.shift("reviews", "v3=%d" % (10 * level), "v1=%d" % (100 - 10 * level), "-" + "v" * level,
                           "--as", "jane", "--as-group", "system:masters", env=self.env(KUBECONFIG=cfg))
            self.assertExit(r, 0)
            runs[level] = r.err
        self.assertRegex(runs[1], r"(?m)^GET https://\S+/apis/networking\.istio\.io/\S+ 200 OK in ")
        self.assertNotIn("  > ", runs[1])
        for level in (2, 3):
            self.assertIn("  > Authorization: Bearer xxxxx\n", runs[level])
            self.assertIn("  > Impersonate-User: xxxxx\n", runs[level])
            self.assertIn("  > Impersonate-Group: xxxxx\n", runs[level])
            self.assertIn("  > Accept: application/json\n", runs[level])
            self.assertRegex(runs[level], r"(?m)^  < content-type: application/json")
        self.assertNotRegex(runs[2], r"(?m)^  [<>] \{")
        self.assertRegex(runs[3], r'(?m)^  < \{.*"kind":"VirtualService"')
        self.assertRegex(runs[3], r'(?m)^  > \{.*"weight":30')
        for err in runs.values():
            self.assertNotIn(self.backend.token, err)

    def test_basic_auth_password_is_never_printed(self):
        r = self.run_with(self.kubeconfig(user={"username": "alice", "password": PASSWORD}), "-vvv")
        self.assertIn("  > Authorization: Basic xxxxx\n", r.err)
        self.assertNever(r, PASSWORD)


cluster.parameterize(globals(), Errors)

if __name__ == "__main__":
    unittest.main()
