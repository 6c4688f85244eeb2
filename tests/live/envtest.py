"""A real kube-apiserver + etcd for shift's live tests (controller-runtime "envtest" convention).

Standard library and the `openssl` command only: no kubectl, no pip packages.

    from envtest import EnvTest, ApiError, Skip

    with EnvTest(era="current") as env:          # or era="1.8"
        ns = env.create_namespace()              # fresh namespace (they can't be deleted here)
        env.create(ns, "virtualservices", {...})
        vs = env.get(ns, "virtualservices", "reviews")
        status, headers, body = env.request("GET", "/apis/networking.istio.io")

Assets come from the folder named by KUBEBUILDER_ASSETS (holding `kube-apiserver` and `etcd`);
without them start() (and so `with`) raises `Skip`, a unittest.SkipTest. See README.md.

Everything started here runs in its own process group, is killed if this process dies
(PR_SET_PDEATHSIG), and is torn down on normal exit, on exceptions, on SIGINT/SIGTERM and at exit.
"""

import atexit
import ctypes
import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

__all__ = ["EnvTest", "ApiError", "Skip", "HOW_TO_GET_ASSETS"]

HERE = os.path.dirname(os.path.abspath(__file__))
CRD_DIR = os.path.join(os.path.dirname(HERE), "data", "crds")
GATEWAY_CRDS = "gateway-api-1.2.0-httproutes.json"

HOW_TO_GET_ASSETS = ("set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd "
                     "(see README: .ci/run prepares one from ../shared/envtest and Debian's etcd-server)")

ISTIO_GROUP = "networking.istio.io"

# What each era serves for networking.istio.io (discovery order, preferred first).
ERAS = {
    "1.8": {"crds": "istio-1.8.1.json", "versions": ["v1beta1", "v1alpha3"], "preferred": "v1beta1"},
    "current": {"crds": "istio-current.json", "versions": ["v1", "v1beta1", "v1alpha3"], "preferred": "v1"},
}
ERA_ALIASES = {"1.8": "1.8", "1.8.1": "1.8", "current": "current"}

# Resources a bare plural may name: plural -> (group, version or None for the era's preferred).
KNOWN_RESOURCES = {
    "virtualservices": (ISTIO_GROUP, None),
    "destinationrules": (ISTIO_GROUP, None),
    "serviceentries": (ISTIO_GROUP, None),
    "gateways": (ISTIO_GROUP, None),
    "namespaces": ("", "v1"),
    "configmaps": ("", "v1"),
    "secrets": ("", "v1"),
    "services": ("", "v1"),
    "serviceaccounts": ("", "v1"),
    "customresourcedefinitions": ("apiextensions.k8s.io", "v1"),
    "roles": ("rbac.authorization.k8s.io", "v1"),
    "rolebindings": ("rbac.authorization.k8s.io", "v1"),
}
CLUSTER_SCOPED = {"namespaces", "customresourcedefinitions", "clusterroles", "clusterrolebindings"}

DEFAULT_NAMESPACE = "istio-demo"


class Skip(unittest.SkipTest):
    """The assets needed for live tests are absent."""


class ApiError(Exception):
    """A non-2xx answer from the API server: .status, .headers, .body (parsed JSON or text)."""

    def __init__(self, method, path, status, headers, body):
        self.method, self.path, self.status, self.headers, self.body = method, path, status, headers, body
        msg = body.get("message") if isinstance(body, dict) else body
        super().__init__(f"{method} {path}: HTTP {status}: {msg}")

    @property
    def reason(self):
        return self.body.get("reason") if isinstance(self.body, dict) else None


class StartError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------
# Process bookkeeping: every running EnvTest is stopped at exit and on SIGINT/SIGTERM.

_live = set()
_live_lock = threading.RLock()
_handlers_installed = False
_previous_handlers = {}


def _stop_all():
    with _live_lock:
        envs = list(_live)
    for env in envs:
        try:
            env.stop()
        except Exception:  # best effort at exit
            pass


def _on_signal(signum, frame):
    _stop_all()
    prev = _previous_handlers.get(signum, signal.SIG_DFL)
    if callable(prev):
        prev(signum, frame)  # e.g. Python's default SIGINT handler raises KeyboardInterrupt
    elif prev == signal.SIG_IGN:
        return
    else:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _install_handlers():
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(_stop_all)
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread; atexit + PDEATHSIG remain
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        try:
            prev = signal.getsignal(sig)
            if prev == signal.SIG_IGN or prev is None:
                continue  # the process ignores it (e.g. SIGINT in a background job): so do we
            _previous_handlers[sig] = prev
            signal.signal(sig, _on_signal)
        except (ValueError, OSError):
            pass


def _child_setup():
    # Runs in the child between fork and exec: own session/process group (start_new_session),
    # and die with SIGKILL if the parent thread dies without cleaning up (e.g. SIGKILL).
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass


DIR_PREFIX = "shift-envtest-"


def _sweep_stale_dirs(base):
    """Remove temp dirs left by an owner that was SIGKILLed (its servers died with it through
    PR_SET_PDEATHSIG, but nothing could remove the directory)."""
    base = base or tempfile.gettempdir()
    try:
        names = [n for n in os.listdir(base) if n.startswith(DIR_PREFIX)]
    except OSError:
        return
    for n in names:
        d = os.path.join(base, n)
        try:
            with open(os.path.join(d, "owner.pid")) as f:
                owner = int(f.read().strip())
        except (OSError, ValueError):
            continue  # not ours, or being created right now
        try:
            os.kill(owner, 0)
            continue  # owner alive
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(d, ignore_errors=True)


def _free_ports(n):
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def _tail(path, n=25):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])
    except OSError:
        return "(no log)"


def _yaml_str(s):
    return json.dumps(str(s))  # a JSON string is a valid double-quoted YAML scalar


# --------------------------------------------------------------------------------------------

class EnvTest:
    """etcd + kube-apiserver on free loopback ports, with one era's Istio CRDs installed.

    Attributes once started: url, ca (path of ca.crt), token (admin token), nobody_token,
    client_cert/client_key (CN=admin O=system:masters), nobody_cert/nobody_key (CN=nobody),
    kubeconfig (path), dir (temp dir with certs, kubeconfig, logs), era, istio_versions,
    preferred_version, startup_seconds.
    """

    ADMIN_TOKEN_USER = "admin"
    NOBODY_USER = "nobody"

    def __init__(self, era="current", assets=None, install_crds=True, namespace=DEFAULT_NAMESPACE,
                 timeout=60.0, apiserver_args=(), gateway=False):
        if era not in ERA_ALIASES:
            raise ValueError(f"era must be one of {sorted(ERAS)}, not {era!r}")
        self.era = ERA_ALIASES[era]
        self.istio_versions = list(ERAS[self.era]["versions"])
        self.preferred_version = ERAS[self.era]["preferred"]
        self._assets = assets
        self._install_crds = install_crds
        self._gateway = gateway
        self.namespace = namespace
        self._timeout = timeout
        self._apiserver_args = list(apiserver_args)
        self._procs = []  # (name, Popen) in start order
        self._lock = threading.RLock()
        self._ns_counter = itertools.count(1)
        self.dir = None
        self.url = self.ca = self.token = self.nobody_token = self.kubeconfig = None
        self.startup_seconds = None
        self.timings = {}  # seconds since start() at each phase's end
        _install_handlers()  # here, as __init__ normally runs in the main thread

    # ---- context manager -----------------------------------------------------------------
    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # ---- assets --------------------------------------------------------------------------
    def _find_assets(self):
        folder = self._assets or os.environ.get("KUBEBUILDER_ASSETS")
        if not folder:
            raise Skip(HOW_TO_GET_ASSETS)
        bins = {}
        for name in ("kube-apiserver", "etcd"):
            p = os.path.join(folder, name)
            if not (os.path.isfile(p) and os.access(p, os.X_OK)):
                raise Skip(f"{p} is missing or not executable: {HOW_TO_GET_ASSETS}")
            bins[name] = p
        if shutil.which("openssl") is None:
            raise Skip("the openssl command is needed to make the test certificates")
        return bins

    # ---- start ---------------------------------------------------------------------------
    def start(self):
        bins = self._find_assets()
        _install_handlers()
        t0 = self._t0 = time.monotonic()
        with _live_lock:
            _live.add(self)
        try:
            base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
            base = os.environ.get("ENVTEST_TMPDIR", base)
            _sweep_stale_dirs(base)
            self.dir = tempfile.mkdtemp(prefix=DIR_PREFIX, dir=base)
            with open(os.path.join(self.dir, "owner.pid"), "w") as f:
                f.write(f"{os.getpid()}\n")
            last = None
            for attempt in range(3):  # a free port may be taken between probing and binding
                try:
                    self._start_processes(bins)
                    break
                except StartError as e:
                    last = e
                    self._kill_processes()
                    if "address already in use" not in str(e).lower():
                        raise
            else:
                raise last
            self._write_kubeconfig(self.kubeconfig, self.namespace)
            if self.namespace:
                self.create_namespace(self.namespace)
            if self._install_crds:
                self.install_crds(os.path.join(CRD_DIR, ERAS[self.era]["crds"]))
                # The Gateway API's HTTPRoute (v1.2.0, standard channel, for Kubernetes 1.24), in every
                # era, for the tests that ask: its CEL-free schema still costs the server time on
                # every write of every test, and the limits tests run near their timeouts.
                if self._gateway:
                    self.install_crds(os.path.join(CRD_DIR, GATEWAY_CRDS))
            self.timings["crds"] = time.monotonic() - t0
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def _spawn(self, name, argv):
        log = open(os.path.join(self.dir, name + ".log"), "wb")
        try:
            # PR_SET_PDEATHSIG fires when the *thread* that forked exits: only use it from the
            # main thread, or a server started from a worker thread would die with that thread.
            main = threading.current_thread() is threading.main_thread()
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                 cwd=self.dir, start_new_session=True,
                                 preexec_fn=_child_setup if main else None, close_fds=True)
        finally:
            log.close()
        with self._lock:
            self._procs.append((name, p))
        return p

    def _start_processes(self, bins):
        d = self.dir
        etcd_port, peer_port, api_port = _free_ports(3)
        etcd_url = f"http://127.0.0.1:{etcd_port}"
        peer_url = f"http://127.0.0.1:{peer_port}"
        data = os.path.join(d, "etcd-data")
        shutil.rmtree(data, ignore_errors=True)
        etcd = self._spawn("etcd", [
            bins["etcd"], "--name", "envtest", "--data-dir", data,
            "--listen-client-urls", etcd_url, "--advertise-client-urls", etcd_url,
            "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls", peer_url,
            "--initial-cluster", f"envtest={peer_url}", "--initial-cluster-state", "new",
            "--log-level", "warn", "--logger", "zap",
        ])
        # Certificates are made while etcd starts.
        if not os.path.exists(os.path.join(d, "ca.crt")):
            self._make_credentials()
        self.timings["credentials"] = time.monotonic() - self._t0
        self._wait_port(etcd, "etcd", etcd_port)
        self.timings["etcd"] = time.monotonic() - self._t0

        self.url = f"https://127.0.0.1:{api_port}"
        api = self._spawn("kube-apiserver", [
            bins["kube-apiserver"],
            "--etcd-servers", etcd_url,
            "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
            "--secure-port", str(api_port),
            "--cert-dir", d,
            "--tls-cert-file", os.path.join(d, "server.crt"),
            "--tls-private-key-file", os.path.join(d, "server.key"),
            "--client-ca-file", os.path.join(d, "ca.crt"),
            "--token-auth-file", os.path.join(d, "tokens.csv"),
            "--authorization-mode", "RBAC",
            "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file", os.path.join(d, "sa.pub"),
            "--service-account-signing-key-file", os.path.join(d, "sa.key"),
            "--service-cluster-ip-range", "10.96.0.0/16",
            "--allow-privileged=true",
            "--feature-gates", "CustomResourceValidationExpressions=true",
            "--endpoint-reconciler-type", "none",
            "--profiling=false",
            "--v", "0",
            *self._apiserver_args,
        ])
        self._wait_ready(api)
        self.timings["apiserver"] = time.monotonic() - self._t0

    def _openssl(self, *args):
        r = subprocess.run(["openssl", *args], cwd=self.dir, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise StartError(f"openssl {' '.join(args)} failed:\n{r.stdout.decode(errors='replace')}")

    def _make_credentials(self):
        d = self.dir
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        # CA
        self._openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                      "-subj", "/CN=shift-envtest-ca",
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        # Serving certificate for 127.0.0.1 (OpenSSL 3 signs with -CA directly; no CSR file needed)
        self._openssl("req", "-x509", *ec, "-keyout", "server.key", "-out", "server.crt", "-days", "2",
                      "-CA", "ca.crt", "-CAkey", "ca.key", "-subj", "/CN=127.0.0.1",
                      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                      "-addext", "basicConstraints=critical,CA:FALSE",
                      "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
                      "-addext", "extendedKeyUsage=serverAuth")
        # Client certificate: CN=admin O=system:masters
        self._openssl("req", "-x509", *ec, "-keyout", "admin.key", "-out", "admin.crt", "-days", "2",
                      "-CA", "ca.crt", "-CAkey", "ca.key", "-subj", "/O=system:masters/CN=admin",
                      "-addext", "basicConstraints=critical,CA:FALSE",
                      "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
                      "-addext", "extendedKeyUsage=clientAuth")
        # Client certificate: CN=nobody, no groups, no RBAC bindings
        self._openssl("req", "-x509", *ec, "-keyout", "nobody.key", "-out", "nobody.crt", "-days", "2",
                      "-CA", "ca.crt", "-CAkey", "ca.key", "-subj", "/CN=nobody",
                      "-addext", "basicConstraints=critical,CA:FALSE",
                      "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
                      "-addext", "extendedKeyUsage=clientAuth")
        # Service-account signing key
        self._openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-out", "sa.key")
        self._openssl("pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub")
        self.token = "admin-" + os.urandom(16).hex()
        self.nobody_token = "nobody-" + os.urandom(16).hex()
        with open(os.path.join(d, "tokens.csv"), "w") as f:
            f.write(f'{self.token},admin,admin-uid,"system:masters"\n')
            f.write(f"{self.nobody_token},nobody,nobody-uid\n")
        for name in ("tokens.csv", "ca.key", "server.key", "admin.key", "nobody.key", "sa.key"):
            os.chmod(os.path.join(d, name), 0o600)
        self.ca = os.path.join(d, "ca.crt")
        self.client_cert = os.path.join(d, "admin.crt")
        self.client_key = os.path.join(d, "admin.key")
        self.nobody_cert = os.path.join(d, "nobody.crt")
        self.nobody_key = os.path.join(d, "nobody.key")
        self.kubeconfig = os.path.join(d, "kubeconfig")
        self._ssl = ssl.create_default_context(cafile=self.ca)
        self._ssl_certs = {}
        for who, (crt, key) in {"admin": (self.client_cert, self.client_key),
                                "nobody": (self.nobody_cert, self.nobody_key)}.items():
            self._ssl_certs[who] = ssl.create_default_context(cafile=self.ca)
            self._ssl_certs[who].load_cert_chain(crt, key)

    def _deadline(self):
        return time.monotonic() + self._timeout

    def _check_alive(self, proc, name):
        if proc.poll() is not None:
            log = _tail(os.path.join(self.dir, name + ".log"))
            raise StartError(f"{name} exited with status {proc.returncode} while starting:\n{log}")

    def _wait_port(self, proc, name, port):
        deadline = self._deadline()
        while True:
            self._check_alive(proc, name)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise StartError(f"{name} did not listen on port {port} within {self._timeout}s:\n"
                                 + _tail(os.path.join(self.dir, name + ".log")))
            time.sleep(0.02)

    def _wait_ready(self, proc):
        deadline = self._deadline()
        last = None
        while True:
            self._check_alive(proc, "kube-apiserver")
            try:
                status, _, body = self.request("GET", "/readyz", timeout=2)
                if status == 200 and body == "ok":
                    return
                last = f"HTTP {status}: {str(body)[:300]}"
            except OSError as e:  # connection refused, reset, TLS not up yet
                last = repr(e)
            if time.monotonic() > deadline:
                raise StartError(f"kube-apiserver not ready within {self._timeout}s ({last}):\n"
                                 + _tail(os.path.join(self.dir, "kube-apiserver.log")))
            time.sleep(0.05)

    # ---- CRDs ----------------------------------------------------------------------------
    def install_crds(self, path):
        """POST every CRD in a JSON file (a list, a List, or one object); wait until established
        and served in discovery."""
        with open(path) as f:
            data = json.load(f)
        crds = data["items"] if isinstance(data, dict) and "items" in data else (
            data if isinstance(data, list) else [data])
        for crd in crds:
            self._call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
        deadline = self._deadline()
        pending = {c["metadata"]["name"]: c for c in crds}
        while pending:
            for name in list(pending):
                _, _, c = self.request("GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
                conds = {x["type"]: x["status"] for x in (c.get("status") or {}).get("conditions") or []}
                if conds.get("Established") == "True":
                    del pending[name]
            if pending:
                if time.monotonic() > deadline:
                    raise StartError(f"CRDs not established: {sorted(pending)}")
                time.sleep(0.05)
        # Discovery: every served version of every CRD lists its plural.
        want = {}
        for c in crds:
            for v in c["spec"]["versions"]:
                if v.get("served"):
                    want.setdefault((c["spec"]["group"], v["name"]), set()).add(c["spec"]["names"]["plural"])
        while want:
            for (group, version), plurals in list(want.items()):
                st, _, body = self.request("GET", f"/apis/{group}/{version}")
                if st == 200 and plurals <= {r["name"] for r in body.get("resources", [])}:
                    del want[(group, version)]
            if want:
                if time.monotonic() > deadline:
                    raise StartError(f"CRD versions not in discovery: {sorted(want)}")
                time.sleep(0.05)
        return crds

    # ---- kubeconfig ----------------------------------------------------------------------
    def write_kubeconfig(self, path=None, namespace=None):
        """Write another kubeconfig (same server and users) whose contexts default to `namespace`."""
        if path is None:
            path = os.path.join(self.dir, f"kubeconfig-{namespace or 'default'}")
        self._write_kubeconfig(path, namespace)
        return path

    def _write_kubeconfig(self, path, namespace):
        ns = f"\n    namespace: {_yaml_str(namespace)}" if namespace else ""
        # Same cluster, user and context names and attributes as tests/server/certs.py.
        users = [("admin", {"token": self.token}),
                 ("admin-cert", {"client-certificate": self.client_cert, "client-key": self.client_key}),
                 ("nobody", {"token": self.nobody_token}),
                 ("nobody-cert", {"client-certificate": self.nobody_cert, "client-key": self.nobody_key})]
        lines = ["apiVersion: v1", "kind: Config", "preferences: {}", "clusters:",
                 "- name: shift-test", "  cluster:", "    server: " + _yaml_str(self.url),
                 "    certificate-authority: " + _yaml_str(self.ca), "users:"]
        for name, fields in users:
            lines += ["- name: " + name, "  user:"] + [f"    {k}: {_yaml_str(v)}" for k, v in fields.items()]
        lines.append("contexts:")
        for name, _ in users:
            lines += ["- name: " + name, "  context:", "    cluster: shift-test", "    user: " + name]
            if namespace:
                lines.append("    namespace: " + _yaml_str(namespace))
        lines.append("current-context: admin")
        text = "\n".join(lines) + "\n"
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    # ---- HTTP ----------------------------------------------------------------------------
    def request(self, method, path, body=None, token=None, headers=None, query=None,
                content_type=None, cert=False, timeout=30):
        """One HTTPS request. token=None: admin token; token="": anonymous; cert=True: admin client
        certificate instead of a token, cert="nobody": the nobody client certificate. body: dict/list (sent as JSON), str or bytes.
        Returns (status, headers as a dict with lower-case names, parsed JSON or text)."""
        if self.url is None:
            raise RuntimeError("EnvTest is not started")
        if query:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(query)
        u = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=timeout,
                                           context=self._ssl_certs["admin" if cert is True else cert] if cert
                                           else self._ssl)
        hdrs = {"Accept": "application/json"}
        if not cert:
            tok = self.token if token is None else token
            if tok:
                hdrs["Authorization"] = "Bearer " + tok
        data = None
        if body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
                hdrs["Content-Type"] = content_type or "application/json"
            else:
                data = body.encode() if isinstance(body, str) else body
                hdrs["Content-Type"] = content_type or "application/json"
        hdrs.update(headers or {})
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            rh = {k.lower(): v for k, v in resp.getheaders()}
            status = resp.status
        finally:
            conn.close()
        text = raw.decode("utf-8", "replace")
        parsed = text
        if "json" in rh.get("content-type", "") or text[:1] in ("{", "["):
            try:
                parsed = json.loads(text)
            except ValueError:
                pass
        return status, rh, parsed

    def _call(self, method, path, body=None, **kw):
        status, headers, parsed = self.request(method, path, body, **kw)
        if not 200 <= status < 300:
            raise ApiError(method, path, status, headers, parsed)
        return parsed

    def resource_path(self, ns, resource, name=None, subresource=None):
        """API path for `resource`: a plural known here ("virtualservices" uses the era's preferred
        version), "group/version/plural", or "v1/plural" for the core group."""
        parts = resource.split("/")
        if len(parts) == 1:
            plural = parts[0]
            if plural not in KNOWN_RESOURCES:
                raise ValueError(f"unknown resource {resource!r}: use group/version/plural")
            group, version = KNOWN_RESOURCES[plural]
            version = version or self.preferred_version
        elif len(parts) == 2:
            group, (version, plural) = "", parts
        elif len(parts) == 3:
            group, version, plural = parts
        else:
            raise ValueError(f"bad resource {resource!r}")
        p = f"/api/{version}" if not group else f"/apis/{group}/{version}"
        if ns and plural not in CLUSTER_SCOPED:
            p += f"/namespaces/{ns}"
        p += f"/{plural}"
        if name:
            p += f"/{name}"
        if subresource:
            p += f"/{subresource}"
        return p

    def create(self, ns, resource, obj, **kw):
        """POST obj; returns the created object, raises ApiError on a non-2xx answer.
        Extra keywords go to request() (token=, query={"dryRun": "All"}, ...)."""
        return self._call("POST", self.resource_path(ns, resource), obj, **kw)

    def get(self, ns, resource, name, **kw):
        return self._call("GET", self.resource_path(ns, resource, name), **kw)

    def list(self, ns, resource, **kw):
        return self._call("GET", self.resource_path(ns, resource), **kw)

    def put(self, ns, resource, obj, name=None, **kw):
        name = name or obj["metadata"]["name"]
        return self._call("PUT", self.resource_path(ns, resource, name), obj, **kw)

    def patch(self, ns, resource, name, patch, content_type="application/merge-patch+json", **kw):
        return self._call("PATCH", self.resource_path(ns, resource, name), patch,
                          content_type=content_type, **kw)

    def delete(self, ns, resource, name, **kw):
        return self._call("DELETE", self.resource_path(ns, resource, name), **kw)

    def create_namespace(self, name=None):
        """Create a namespace (a fresh generated name when None) and return its name.
        Namespaces can't be deleted here (no controller-manager): use a new one per test."""
        if name is None:
            name = f"t{next(self._ns_counter)}-{os.urandom(3).hex()}"
        self._call("POST", "/api/v1/namespaces",
                   {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        return name

    def pids(self):
        with self._lock:
            return [p.pid for _, p in self._procs]

    # ---- stop ----------------------------------------------------------------------------
    def _kill_processes(self):
        with self._lock:
            procs = list(reversed(self._procs))  # apiserver first, then etcd
            self._procs = []
        for name, p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            # kill whatever is left in the group (the leader may have exited first)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def stop(self):
        """Stop kube-apiserver, then etcd; wait for them; remove the temp dir. Idempotent."""
        with self._lock:
            self._kill_processes()
            if self.dir and os.environ.get("ENVTEST_KEEP") != "1":
                shutil.rmtree(self.dir, ignore_errors=True)
        with _live_lock:
            _live.discard(self)
