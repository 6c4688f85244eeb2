"""Shared fixtures for shift's live tests: one interface over the local test API server
(tests/server) and a real kube-apiserver (envtest.py), bookinfo objects, and running shift.

    class Rollout(cluster.ClusterCase):        # a mixin of tests using self.backend
        def test_x(self):
            ns = self.namespace()
            self.backend.create(ns, "virtualservices", cluster.reviews_vs())
            r = self.shift("reviews", "v1=50", "v3=50", "-n", ns)
    cluster.parameterize(globals(), Rollout)    # RolloutTestServerCurrent, RolloutEnvTest18, ...

Each generated class starts its server once (setUpClass) and stops it afterwards. Without
KUBEBUILDER_ASSETS the EnvTest classes are skipped with one line. Every test takes a fresh
namespace, so tests never see each other's objects.
"""
import base64
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.environ.get("SHIFT_TESTS", os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TESTS, "server"))
import envtest  # noqa: E402
from testserver import TestServer  # noqa: E402

BIN = os.environ.get("SHIFT_BIN", os.path.join(os.path.dirname(TESTS), "build", "cli", "shift"))
GROUP = "networking.istio.io"
# The Gateway API's resources, in their group; HTTPRoute is created in v1 unless its apiVersion says.
GATEWAY_GROUP = "gateway.networking.k8s.io"
GATEWAY_VERSIONS = {"httproutes": "v1", "referencegrants": "v1beta1"}
CORE_RESOURCES = ("services", "pods", "serviceaccounts")  # core v1, besides namespaces
ERAS = {"current": ["v1", "v1beta1", "v1alpha3"], "1.8": ["v1beta1", "v1alpha3"]}
RUN_TIMEOUT = 90


class ApiError(Exception):
    def __init__(self, method, path, status, body):
        super().__init__("%s %s: HTTP %d: %s" % (method, path, status, body))
        self.status, self.body = status, body


# ---- backends ------------------------------------------------------------------------------

class Backend:
    """A running API server with the Istio CRDs of one era.

    Attributes: kind ("testserver" or "envtest"), era, versions (served, preferred first),
    preferred, url, ca, token, nobody_token, client_cert, client_key, kubeconfig (contexts admin,
    admin-cert and nobody, namespace istio-demo, current admin), dir (a scratch folder)."""

    kind = None
    faults = False  # only the test server injects faults

    def __init__(self, era, gateway=False):
        self.era = era
        self.gateway = gateway  # the Gateway API's CRDs on the real server (the test server always serves it)
        self.versions = ERAS[era]
        self.preferred = self.versions[0]
        self._ns = itertools.count(1)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def _finish_start(self):
        self.dir = tempfile.mkdtemp(prefix="shift-live-")
        self.kubeconfig = self.write_kubeconfig()

    def _cleanup_dir(self):
        if getattr(self, "dir", None):
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # ---- kubeconfig ----
    def write_kubeconfig(self, path=None, namespace="istio-demo", users=None, current="admin"):
        """A kubeconfig for this server; users maps a context name to its user dict (the
        standard admin, admin-cert and nobody are always there unless overridden)."""
        all_users = {
            "admin": {"token": self.token},
            "admin-cert": {"client-certificate": self.client_cert, "client-key": self.client_key},
            "nobody": {"token": self.nobody_token},
        }
        if getattr(self, "nobody_cert", None):
            all_users["nobody-cert"] = {"client-certificate": self.nobody_cert, "client-key": self.nobody_key}
        all_users.update(users or {})
        cfg = {
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": self.kind, "cluster": {"server": self.url, "certificate-authority": self.ca}}],
            "users": [{"name": n, "user": u} for n, u in all_users.items()],
            "contexts": [{"name": n, "context": dict({"cluster": self.kind, "user": n},
                                                     **({"namespace": namespace} if namespace else {}))}
                         for n in all_users],
            "current-context": current,
        }
        if path is None:
            path = tempfile.mktemp(prefix="kubeconfig-", dir=self.dir)
        with open(path, "w") as f:
            json.dump(cfg, f, indent=1)  # JSON is YAML
        os.chmod(path, 0o600)
        return path

    # ---- objects ----
    def path(self, ns, resource, name=None, version=None):
        if resource in CORE_RESOURCES:  # core v1
            p = "/api/v1/namespaces/%s/%s" % (ns, resource)
        elif resource == "endpointslices":
            p = "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices" % ns
        elif resource == "deployments":  # apps/v1
            p = "/apis/apps/v1/namespaces/%s/deployments" % ns
        elif resource in GATEWAY_VERSIONS:
            p = "/apis/%s/%s/namespaces/%s/%s" % (GATEWAY_GROUP, version or GATEWAY_VERSIONS[resource], ns, resource)
        else:
            p = "/apis/%s/%s/namespaces/%s/%s" % (GROUP, version or self.preferred, ns, resource)
        return p + "/" + name if name else p

    def _ok(self, method, path, body=None, **kw):
        status, _, out = self.request(method, path, body, **kw)
        if not 200 <= status < 300:
            raise ApiError(method, path, status, out)
        return out

    def create(self, ns, resource, obj):
        obj = json.loads(json.dumps(obj))
        version = None
        if resource in GATEWAY_VERSIONS:
            version = obj.get("apiVersion", "/" + GATEWAY_VERSIONS[resource]).split("/", 1)[1]
            obj["apiVersion"] = "%s/%s" % (GATEWAY_GROUP, version)
        else:
            obj["apiVersion"] = ("v1" if resource in CORE_RESOURCES else "apps/v1" if resource == "deployments"
                                 else "discovery.k8s.io/v1" if resource == "endpointslices"
                                 else "%s/%s" % (GROUP, self.preferred))
        obj.setdefault("metadata", {})["namespace"] = ns
        return self._ok("POST", self.path(ns, resource, version=version), obj)

    def get(self, ns, resource, name, version=None):
        return self._ok("GET", self.path(ns, resource, name, version))

    def get_or_none(self, ns, resource, name):
        status, _, out = self.request("GET", self.path(ns, resource, name))
        return out if status == 200 else None

    def update(self, ns, resource, obj):
        v = obj["apiVersion"].split("/", 1)[1]
        return self._ok("PUT", self.path(ns, resource, obj["metadata"]["name"], v), obj)

    def patch(self, ns, resource, name, merge_patch):
        return self._ok("PATCH", self.path(ns, resource, name), merge_patch,
                        content_type="application/merge-patch+json")

    def fault(self, *a, **kw):
        raise unittest.SkipTest("faults need the test server")

    # ---- something Ready behind a Service (make-before-break) ----
    def pod(self, ns, name, labels, ready=True):
        """A pod created through the API, its Ready condition written through pods/status as the kubelet
        would (ready None: left Pending)."""
        if self.kind == "envtest":
            # The ServiceAccount admission plugin wants the namespace's default account; no controller makes it.
            status, _, _ = self.request("POST", self.path(ns, "serviceaccounts"), {
                "apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": ns}})
            if status not in (201, 409):
                raise ApiError("POST", self.path(ns, "serviceaccounts"), status, "")
        self.create(ns, "pods", {"kind": "Pod", "metadata": {"name": name, "labels": labels}, "spec": {
            "automountServiceAccountToken": False, "containers": [{"name": "app", "image": "example.com/app:1"}]}})
        if ready is not None:
            self.set_ready(ns, name, ready)

    def set_ready(self, ns, name, ready):
        status = {"status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}
        self._ok("PATCH", self.path(ns, "pods", name) + "/status", status, content_type="application/merge-patch+json")

    def serve(self, ns, service, pod_labels=None):
        """Creates the Service with a Ready pod its selector picks (plus pod_labels) and a ready EndpointSlice."""
        out = self.create(ns, "services", service)
        name = service["metadata"]["name"]
        selector = service.get("spec", {}).get("selector") or {}
        self.pod(ns, name + "-0", dict(selector, **(pod_labels or {})))
        self.create(ns, "endpointslices", {
            "kind": "EndpointSlice", "metadata": {"name": name + "-0", "labels": {"kubernetes.io/service-name": name}},
            "addressType": "IPv4", "endpoints": [{"addresses": ["10.1.0.7"], "conditions": {"ready": True}}]})
        return out


class TestServerBackend(Backend):
    __test__ = False
    kind = "testserver"
    faults = True

    def start(self):
        self.srv = TestServer(era=self.era).start()
        s = self.srv
        self.url, self.ca, self.token, self.nobody_token = s.url, s.ca, s.token, s.nobody_token
        self.client_cert = os.path.join(s.dir, "admin.crt")
        self.client_key = os.path.join(s.dir, "admin.key")
        self.nobody_cert = os.path.join(s.dir, "nobody.crt")
        self.nobody_key = os.path.join(s.dir, "nobody.key")
        self._finish_start()
        return self

    def stop(self):
        if getattr(self, "srv", None):
            self.srv.stop()
            self.srv = None
        self._cleanup_dir()

    def namespace(self):
        # The test server accepts any namespace.
        return "t%d-%s" % (next(self._ns), os.urandom(3).hex())

    def request(self, method, path, body=None, token=None, content_type="application/json", headers=None):
        if isinstance(body, str):
            body = body.encode()  # sent as is, not as a JSON string
        status, hdrs, out = self.srv.request(method, path, body, token=token, content_type=content_type,
                                             headers=headers)
        return status, {k.lower(): v for k, v in hdrs.items()}, out

    def fault(self, type, count=1, method=None, path=None, **params):
        return self.srv.fault(type, count=count, method=method, path=path, **params)

    def clear_faults(self):
        self.srv.clear_faults()

    def wait_up(self):
        """After an outage fault: waits until the server is back."""
        return self.srv.wait_up()

    def requests(self):
        return self.srv.requests()

    def clear_requests(self):
        self.srv.clear_requests()


class EnvTestBackend(Backend):
    kind = "envtest"

    def start(self):
        self.env = envtest.EnvTest(era=self.era, gateway=self.gateway).start()  # raises envtest.Skip without assets
        e = self.env
        self.url, self.ca, self.token, self.nobody_token = e.url, e.ca, e.token, e.nobody_token
        self.client_cert, self.client_key = e.client_cert, e.client_key
        self.nobody_cert, self.nobody_key = getattr(e, "nobody_cert", None), getattr(e, "nobody_key", None)
        self._finish_start()
        return self

    def stop(self):
        if getattr(self, "env", None):
            self.env.stop()
            self.env = None
        self._cleanup_dir()

    def namespace(self):
        return self.env.create_namespace()

    def request(self, method, path, body=None, token=None, content_type="application/json", headers=None):
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return self.env.request(method, path, body, token=token, content_type=content_type, headers=headers)


BACKENDS = {"testserver": TestServerBackend, "envtest": EnvTestBackend}


def make_backend(kind, era, gateway=False):
    return BACKENDS[kind](era, gateway)


# ---- bookinfo ------------------------------------------------------------------------------

def reviews_vs(name="reviews", subsets=(("v1", None),), host="reviews", labels=None):
    """The bookinfo reviews VirtualService: one http rule routing to subsets [(subset, weight)]."""
    route = []
    for subset, weight in subsets:
        d = {"destination": {"host": host, "subset": subset}}
        if weight is not None:
            d["weight"] = weight
        route.append(d)
    md = {"name": name}
    if labels:
        md["labels"] = labels
    return {"kind": "VirtualService", "metadata": md, "spec": {"hosts": [host], "http": [{"route": route}]}}


def istiod(image, name="istiod"):
    """An istiod Deployment as istioctl installs it (label app=istiod, container discovery) with `image`."""
    labels = {"app": "istiod", "istio": "pilot"}
    return {"kind": "Deployment", "metadata": {"name": name, "labels": labels},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "discovery", "image": image}]}}}}


def reviews_dr(name="reviews", host="reviews", subsets=("v1", "v2", "v3")):
    return {"kind": "DestinationRule", "metadata": {"name": name},
            "spec": {"host": host, "subsets": [{"name": s, "labels": {"version": s}} for s in subsets]}}


def many_rules_vs(name, n):
    """A VirtualService with n named http rules, each all to v1 (for concurrent --route shifts)."""
    rules = [{"name": "r%d" % i, "match": [{"headers": {"x-rule": {"exact": str(i)}}}],
              "route": [{"destination": {"host": "reviews", "subset": "v1"}}]} for i in range(n)]
    return {"kind": "VirtualService", "metadata": {"name": name}, "spec": {"hosts": ["reviews"], "http": rules}}


def weights(vs, rule=0):
    """{subset: weight} of one http rule (a lone destination without weight counts 100)."""
    route = vs["spec"]["http"][rule]["route"]
    return {d["destination"].get("subset", d["destination"]["host"]): d.get("weight", 100 if len(route) == 1 else 0)
            for d in route}


# ---- running shift -------------------------------------------------------------------------

class Run:
    def __init__(self, code, out, err, seconds):
        self.code, self.out, self.err, self.seconds = code, out, err, seconds

    def __repr__(self):
        return "exit %d after %.1fs\n--- stdout\n%s--- stderr\n%s" % (self.code, self.seconds, self.out, self.err)


def clean_env(home):
    """The environment for shift: no kubeconfig or in-cluster settings leak in from outside."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAMESPACE",
                        "NO_COLOR", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")}
    env["HOME"] = home
    # The summary's arrows and bars depend on the locale: tests expect UTF-8 unless they set one.
    env["LC_ALL"] = "C.UTF-8"
    return env


def run_shift(args, env, stdin=None, timeout=RUN_TIMEOUT):
    t0 = time.monotonic()
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout)
    return Run(p.returncode, p.stdout, p.stderr, time.monotonic() - t0)


def start_shift(args, env):
    """A shift run in the background: .wait() gives the Run."""
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    class Pending:
        def wait(self, timeout=RUN_TIMEOUT):
            out, err = p.communicate(timeout=timeout)
            return Run(p.returncode, out, err, time.monotonic() - t0)
    return Pending()


# ---- test cases ----------------------------------------------------------------------------

class ClusterCase(unittest.TestCase):
    """Base of the parameterised live tests: set BACKEND and ERA in a subclass (see parameterize)."""

    BACKEND = None
    ERA = None
    GATEWAY = False  # True: the real server gets the HTTPRoute CRD too
    backend = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.BACKEND is None:
            raise unittest.SkipTest("base class")
        cls.backend = make_backend(cls.BACKEND, cls.ERA, cls.GATEWAY)
        cls.backend.start()

    @classmethod
    def tearDownClass(cls):
        if cls.backend is not None:
            cls.backend.stop()
            cls.backend = None
        super().tearDownClass()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="shift-live-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        if self.backend.faults:
            self.backend.clear_faults()
            self.addCleanup(self.backend.clear_faults)

    # ---- helpers ----
    def namespace(self):
        return self.backend.namespace()

    def env(self, **extra):
        """shift's environment: KUBECONFIG is the backend's unless extra says otherwise (None drops it)."""
        env = clean_env(self.tmp)
        env["KUBECONFIG"] = self.backend.kubeconfig
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def shift(self, *args, env=None, stdin=None):
        r = run_shift(list(args), env or self.env(), stdin=stdin)
        self.assertNoSecrets(r)
        return r

    def secrets(self):
        out = [self.backend.token, self.backend.nobody_token]
        for path in (self.backend.client_key,):
            with open(path) as f:
                key = f.read()
            out += [line for line in key.splitlines() if line and not line.startswith("-----")]
        return out + list(getattr(self, "extra_secrets", []))

    def assertNoSecrets(self, r):
        for s in self.secrets():
            self.assertNotIn(s, r.out, "a secret was printed on stdout")
            self.assertNotIn(s, r.err, "a secret was printed on stderr")

    def assertExit(self, r, code):
        self.assertEqual(r.code, code, repr(r))

    def write(self, name, text, mode=0o600):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def bookinfo(self, ns, name="reviews", subsets=(("v1", None),), dr=True, labels=None):
        """Creates the reviews VirtualService (and its DestinationRule); returns the created VS."""
        if dr:
            self.backend.create(ns, "destinationrules", reviews_dr(name))
        return self.backend.create(ns, "virtualservices", reviews_vs(name, subsets, labels=labels))


def parameterize(namespace, *mixins, backends=("testserver", "envtest"), eras=("current", "1.8")):
    """Adds one TestCase per (mixin, backend, era) to a module's namespace, e.g. RolloutEnvTest18.
    SHIFT_TEST_ERAS=current (a comma list) keeps only those eras: CI's sanitizer pass, where the 1.8
    era would run the same shift code again with only the served version changed."""
    only = [e for e in os.environ.get("SHIFT_TEST_ERAS", "").split(",") if e]
    if only:
        eras = [e for e in eras if e in only]
    for mixin in mixins:
        for kind in backends:
            for era in eras:
                name = "%s%s%s" % (mixin.__name__, {"testserver": "TestServer", "envtest": "EnvTest"}[kind],
                                   {"current": "Current", "1.8": "18"}[era])
                namespace[name] = type(name, (mixin,), {"BACKEND": kind, "ERA": era, "__module__": namespace["__name__"]})
        # The mixin itself has no server to run against: keep it away from the test loader.
        if namespace.get(mixin.__name__) is mixin:
            del namespace[mixin.__name__]


def b64(text):
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def read(path):
    with open(path) as f:
        return f.read()
