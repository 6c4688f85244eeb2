"""Starts tests/server/apiserver.py for a test and talks to it.

    with TestServer(era="current") as srv:
        srv.create("istio-demo", "virtualservices", vs_dict)
        srv.fault(type="conflict", path="virtualservices/reviews")
        run shift with KUBECONFIG=srv.kubeconfig ...
        srv.get("istio-demo", "virtualservices", "reviews")
        srv.requests()
"""
import json
import os
import select
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
GROUP = "networking.istio.io"


class ApiResponseError(Exception):
    """A non-2xx answer: .status and .body (parsed JSON when it is JSON)."""

    def __init__(self, status, body):
        super().__init__("HTTP %d: %s" % (status, body))
        self.status, self.body = status, body


class TestServer:
    __test__ = False  # not a test class for pytest-style collectors

    def __init__(self, era="current", anonymous_auth=False, startup_timeout=30.0, extra_args=()):
        self.era = era
        self.extra_args = list(extra_args)  # more apiserver.py flags, e.g. --gateway-versions v1beta1
        self.anonymous_auth = anonymous_auth
        self.startup_timeout = startup_timeout
        self.proc = None
        self.dir = None

    # ---- lifecycle ----
    def start(self):
        self.dir = tempfile.mkdtemp(prefix="shift-apiserver-")
        cmd = [sys.executable, os.path.join(HERE, "apiserver.py"), "--dir", self.dir, "--era", self.era, "--port", "0"]
        if self.anonymous_auth:
            cmd.append("--anonymous-auth")
        cmd += self.extra_args
        self._stderr = open(os.path.join(self.dir, "stderr.log"), "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL)
        try:
            line = self._read_ready_line()
            if not line.startswith("READY "):
                raise RuntimeError("test API server did not start: %r; stderr: %s" % (line, self._stderr_text()))
            self.url = line.split(" ", 1)[1].strip()
            with open(os.path.join(self.dir, "server.json")) as f:
                self.info = json.load(f)
        except BaseException:
            self.stop()
            raise
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.ca = os.path.join(self.dir, "ca.crt")
        self.token = self.info["adminToken"]
        self.nobody_token = self.info["nobodyToken"]
        self.port = self.info["port"]
        self._ctx = ssl.create_default_context(cafile=self.ca)
        return self

    def _read_ready_line(self):
        deadline = time.time() + self.startup_timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while b"\n" not in buf:
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError("test API server not ready after %.0fs; stderr: %s"
                                   % (self.startup_timeout, self._stderr_text()))
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise RuntimeError("test API server exited (%s); stderr: %s"
                                       % (self.proc.wait(), self._stderr_text()))
                buf += chunk
        return buf.decode().splitlines()[0]

    def _stderr_text(self):
        try:
            with open(os.path.join(self.dir, "stderr.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            if self.proc.stdout:
                self.proc.stdout.close()
            self.proc = None
        if getattr(self, "_stderr", None):
            self._stderr.close()
            self._stderr = None
        if self.dir and os.environ.get("SHIFT_KEEP_APISERVER_DIR") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # ---- raw HTTPS ----
    def request(self, method, path, body=None, token=None, content_type="application/json", headers=None):
        """(status, headers, parsed JSON or text) without raising on error statuses."""
        h = {"Authorization": "Bearer " + (token or self.token)}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h["Content-Type"] = content_type
        h.update(headers or {})
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, context=self._ctx, timeout=30) as r:
                status, hdrs, raw = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, raw = e.code, dict(e.headers), e.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, hdrs, json.loads(text)
        except ValueError:
            return status, hdrs, text

    def _ok(self, method, path, body=None, content_type="application/json"):
        status, _, out = self.request(method, path, body, content_type=content_type)
        if status >= 300:
            raise ApiResponseError(status, out)
        return out

    @staticmethod
    def path(ns, resource, name=None, version="v1"):
        if resource == "services":  # core v1
            p = "/api/v1/namespaces/%s/services" % ns
        else:
            p = "/apis/%s/%s/namespaces/%s/%s" % (GROUP, version, ns, resource)
        return p + "/" + name if name else p

    def _version(self, obj=None):
        if obj and "/" in obj.get("apiVersion", ""):
            return obj["apiVersion"].split("/", 1)[1]
        return "v1" if self.era == "current" else "v1beta1"

    # ---- objects (through the API, as admin) ----
    def create(self, ns, resource, obj):
        obj = json.loads(json.dumps(obj))
        v = self._version(obj)
        obj.setdefault("apiVersion", "v1" if resource == "services" else "%s/%s" % (GROUP, v))
        return self._ok("POST", self.path(ns, resource, version=v), obj)

    def get(self, ns, resource, name, version=None):
        return self._ok("GET", self.path(ns, resource, name, version or self._version()))

    def list(self, ns, resource, version=None):
        return self._ok("GET", self.path(ns, resource, version=version or self._version()))["items"]

    def update(self, ns, resource, obj):
        v = self._version(obj)
        return self._ok("PUT", self.path(ns, resource, obj["metadata"]["name"], v), obj)

    def patch(self, ns, resource, name, merge_patch):
        return self._ok("PATCH", self.path(ns, resource, name, self._version()), merge_patch,
                        content_type="application/merge-patch+json")

    def delete(self, ns, resource, name):
        return self._ok("DELETE", self.path(ns, resource, name, self._version()))

    # ---- control endpoint ----
    def fault(self, type, count=1, method=None, path=None, **params):
        """Arms one fault; params by type: delay ms=, error status=/message=, throttle retryAfter=,
        reset (no params; the request is still carried out), conflict patch= (merge patch applied by
        the other writer), outage seconds= after= (the server goes away for that long, before or after
        carrying the request out, and comes back on the same port with the same objects)."""
        f = dict(params, type=type, count=count)
        if method:
            f["method"] = method
        if path:
            f["path"] = path
        return self._ok("POST", "/_shift/faults", f)["faults"][0]

    def faults(self):
        return self._ok("GET", "/_shift/faults")["faults"]

    def wait_up(self, timeout=15.0):
        """Waits until the server answers again (after an outage fault), with the same objects."""
        deadline = time.time() + timeout
        while True:
            try:
                return self._ok("GET", "/_shift/state")
            except OSError:  # refused or reset while it is away
                if time.time() > deadline:
                    raise
                time.sleep(0.05)

    def clear_faults(self):
        self._ok("DELETE", "/_shift/faults")

    def requests(self):
        """The request log: dicts with method, path, query, user, status, time, durationMs, body?, fault?"""
        return self._ok("GET", "/_shift/requests")["requests"]

    def clear_requests(self):
        self._ok("DELETE", "/_shift/requests")

    def env(self):
        """Environment for running a client against this server."""
        e = dict(os.environ)
        e["KUBECONFIG"] = self.kubeconfig
        return e
