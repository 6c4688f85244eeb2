"""A real Prometheus for shift's tests: Debian's `prometheus` started on 127.0.0.1 with a random port,
a 1 s scrape interval and a temporary storage directory, scraping an exporter of this file that serves
istio_requests_total and istio_request_duration_milliseconds_bucket shaped as Istio's (label names,
counter and histogram types), with rates, error ratios and latencies the test controls over time.

    with Prometheus() as prom:                       # skipped (one line) without the package
        traffic = prom.exporter.service("istio-demo", "reviews", weights=lambda: {"v1": 90, "v3": 10})
        traffic.errors["v3"] = 0.2                   # 20 % of v3's answers are 503s
        ... shift --prometheus prom.url ...
"""
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
BUCKETS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)


def require_prometheus():
    if not os.access(PROMETHEUS, os.X_OK):
        raise unittest.SkipTest("prometheus is not installed (apt-get install prometheus): Prometheus tests skipped")


class Traffic:
    """One service's requests in one namespace. weights() gives the split the requests follow (e.g.
    the VirtualService's, read from the API server); source_weights() what the clients' side sees
    (defaults to the same); rps is the total rate; errors and latency_ms are per version."""

    def __init__(self, ns, service, weights, rps=100.0, versions=("v1", "v2", "v3"), by_host=False):
        self.ns, self.service, self.weights, self.rps = ns, service, weights, rps
        self.by_host = by_host  # the keys are Services (HTTPRoute backends), all pods without a version label
        self.versions = versions  # their series exist from the start, at 0, as Istio's once a pod served
        self.source_weights = None
        self.errors = {}      # version -> share of 503 answers
        self.latency_ms = {}  # version -> every request's duration
        self.count = {}       # (reporter, version, code) -> counter value
        self.buckets = {}     # version -> [count per bucket], and +Inf
        self.last = None

    def advance(self, now):
        dt = 0.0 if self.last is None else now - self.last
        self.last = now
        dest = self.weights()
        source = self.source_weights() if self.source_weights else dest
        for reporter, split in (("destination", dest), ("source", source)):
            for version in sorted(set(split) | set(self.versions)):
                n = self.rps * split.get(version, 0) / 100.0 * dt
                bad = self.errors.get(version, 0.0)
                for code, share in (("200", 1 - bad), ("503", bad)):
                    key = (reporter, version, code)
                    self.count[key] = self.count.get(key, 0.0) + n * share
                if reporter == "destination":
                    b = self.buckets.setdefault(version, [0.0] * (len(BUCKETS) + 1))
                    ms = self.latency_ms.get(version, 20)
                    for i, le in enumerate(BUCKETS):
                        if ms <= le:
                            b[i] += n
                    b[-1] += n
                    self.buckets.setdefault("sum:" + version, [0.0])[0] += n * ms

    def names(self, key):
        """The values of destination_workload (two parts), destination_workload_namespace,
        destination_service (two parts), destination_service_name, destination_service_namespace and
        destination_version for a destination key: what tells one destination from another."""
        if self.by_host:
            return (key, "workload", self.ns, key, self.ns, key, self.ns, "unknown")
        return (self.service, key, self.ns, self.service, self.ns, self.service, self.ns, key)

    def lines(self):
        out = []
        for (reporter, version, code), v in sorted(self.count.items()):
            labels = ('reporter="%s",source_workload="productpage-v1",source_workload_namespace="%s",'
                      'destination_workload="%s-%s",destination_workload_namespace="%s",'
                      'destination_service="%s.%s.svc.cluster.local",destination_service_name="%s",'
                      'destination_service_namespace="%s",destination_version="%s",request_protocol="http",'
                      'response_code="%s",response_flags="-",connection_security_policy="mutual_tls"'
                      % ((reporter, self.ns) + self.names(version) + (code,)))
            out.append("istio_requests_total{%s} %f" % (labels, v))
        for version, b in sorted(self.buckets.items()):
            if version.startswith("sum:"):
                continue
            labels = ('reporter="destination",destination_workload="%s-%s",destination_workload_namespace="%s",'
                      'destination_service="%s.%s.svc.cluster.local",destination_service_name="%s",'
                      'destination_service_namespace="%s",destination_version="%s",response_code="200"'
                      % self.names(version))
            for le, v in zip([str(x) for x in BUCKETS] + ["+Inf"], b):
                out.append('istio_request_duration_milliseconds_bucket{%s,le="%s"} %f' % (labels, le, v))
            out.append("istio_request_duration_milliseconds_sum{%s} %f" % (labels, self.buckets["sum:" + version][0]))
            out.append("istio_request_duration_milliseconds_count{%s} %f" % (labels, b[-1]))
        return out


class Exporter:
    """The /metrics endpoint Prometheus scrapes: every service's counters, advanced at each scrape."""

    def __init__(self):
        self.services = []
        self.lock = threading.Lock()
        exporter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = exporter.render().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def service(self, ns, name, weights, rps=100.0, **kw):
        t = Traffic(ns, name, weights, rps, **kw)
        with self.lock:
            self.services.append(t)
        return t

    def render(self):
        now = time.monotonic()
        lines = ["# TYPE istio_requests_total counter",
                 "# TYPE istio_request_duration_milliseconds histogram"]
        with self.lock:
            for t in self.services:
                try:
                    t.advance(now)
                except Exception:  # the API server went away at the end of a test
                    pass
                lines += t.lines()
        return "\n".join(lines) + "\n"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class RecordingProxy:
    """Forwards GETs to Prometheus and records each request's Authorization header: what a Prometheus
    behind an authenticating proxy would check (Prometheus itself takes no bearer tokens)."""

    def __init__(self, target):
        self.authorizations = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                proxy.authorizations.append(self.headers.get("Authorization"))
                try:
                    with urllib.request.urlopen(target + self.path, timeout=10) as r:
                        status, body, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
                except urllib.error.HTTPError as e:
                    status, body, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Prometheus:
    """tls: serve HTTPS with a certificate of a fresh CA (self.ca_file), as tests/server's certs.py makes."""

    def __init__(self, tls=False):
        require_prometheus()
        self.dir = tempfile.mkdtemp(prefix="shift-prom-test-")
        self.exporter = Exporter()
        self.port = free_port()
        self.url = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        self.context = None
        web = []
        if tls:
            sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server"))
            import certs
            certs.generate(self.dir)
            self.ca_file = os.path.join(self.dir, "ca.crt")
            self.context = ssl.create_default_context(cafile=self.ca_file)
            with open(os.path.join(self.dir, "web.yml"), "w") as f:
                f.write("tls_server_config:\n  cert_file: %s\n  key_file: %s\n"
                        % (os.path.join(self.dir, "server.crt"), os.path.join(self.dir, "server.key")))
            web = ["--web.config.file=" + os.path.join(self.dir, "web.yml")]
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                    "- job_name: istio-mesh\n  static_configs:\n  - targets: ['127.0.0.1:%d']\n" % self.exporter.port)
        self.log = open(os.path.join(self.dir, "prometheus.log"), "w")
        self.proc = subprocess.Popen(
            [PROMETHEUS, "--config.file=" + config, "--storage.tsdb.path=" + os.path.join(self.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port, "--log.level=warn", *web],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("prometheus exited: see " + self.log.name)
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=1, context=self.context) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("prometheus did not become ready")

    def query(self, q):
        url = self.url + "/api/v1/query?" + urllib.parse.urlencode({"query": q})
        import json
        with urllib.request.urlopen(url, timeout=5, context=self.context) as r:
            return json.load(r)["data"]["result"]

    def wait_for_series(self, q, timeout=15):
        """Waits until q returns a sample: the exporter's first scrapes are in."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.query(q):
                return
            time.sleep(0.2)
        raise AssertionError("no sample for " + q)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.exporter.stop()
        self.log.close()
        shutil.rmtree(self.dir, True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
