"""Scale benchmarks on one API server: `shift get -A` over many VirtualServices against kubectl and
one curl, and a 4-step `shift rollout` against four separate `shift set` runs.

  get -A    NAMESPACES x PER_NS VirtualServices (bench-0 ... bench-9, vs-000 ...), created in bulk
            over kept-alive connections. shift get -A -o json vs kubectl get virtualservices -A -o json
            (warm discovery cache) vs one curl GET of the cluster-wide list (the least any tool could do:
            one process, one TLS handshake, no parsing). Output goes to /dev/null.
  rollout   `shift rollout rollout --to v3 --steps 25,50,75,100 --interval 0` (one process, one
            connection: a GET, four PUTs and the PUT that removes the rollout mark) vs four
            `shift set rollout v3=25` ... `v3=100` processes (a GET and a PUT each). Both check the
            subsets against the DestinationRule as they would for a user. The object is put back to
            v1 alone, untimed, before every run.
"""
import http.client
import json
import os
import queue
import ssl
import threading
import urllib.parse

from measure import Series

GROUP_PATH = "/apis/networking.istio.io/v1"
NAMESPACES, PER_NS = 10, 100
ROLLOUT_NS, ROLLOUT_NAME = "rollout-bench", "rollout"
STEPS = [25, 50, 75, 100]


def virtual_service(ns, name):
    """A VirtualService as applications have them: two hosts, a header match and a weighted route."""
    host = f"{name}.{ns}.svc.cluster.local"
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
            "spec": {"hosts": [host, name], "http": [
                {"name": "canary", "match": [{"headers": {"x-canary": {"exact": "1"}}}],
                 "route": [{"destination": {"host": host, "subset": "v2"}}]},
                {"name": "main", "route": [{"destination": {"host": host, "subset": "v1"}, "weight": 90},
                                           {"destination": {"host": host, "subset": "v2"}, "weight": 10}],
                 # No duration field: kube-apiserver v1.24 fails the CRD's CEL rule for `timeout`.
                 "retries": {"attempts": 3, "retryOn": "5xx"},
                 "headers": {"request": {"set": {"x-route": "main"}}}}]}}


def rollout_objects():
    vs = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
          "metadata": {"name": ROLLOUT_NAME, "namespace": ROLLOUT_NS},
          "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}}
    dr = {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
          "metadata": {"name": ROLLOUT_NAME, "namespace": ROLLOUT_NS},
          "spec": {"host": "reviews", "subsets": [{"name": v, "labels": {"version": v}} for v in ("v1", "v2", "v3")]}}
    return vs, dr


class Poster:
    """POSTs over kept-alive HTTPS connections from a few threads: 1,000 objects in seconds, where a
    connection per object (as the servers' helpers do) would spend most of the time in handshakes."""

    def __init__(self, target, threads=4):
        self.t, self.threads = target, threads
        u = urllib.parse.urlsplit(target.url)
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=target.ca)

    def _conn(self):
        return http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=60)

    def _send(self, conn, method, path, body):
        conn.request(method, path, body=json.dumps(body).encode(),
                     headers={"Authorization": "Bearer " + self.t.token, "Content-Type": "application/json",
                              "Accept": "application/json"})
        r = conn.getresponse()
        out = r.read()
        if r.status not in (200, 201, 409):  # 409: there from an earlier round
            raise RuntimeError(f"{method} {path}: HTTP {r.status}: {out[:300]!r}")

    def post_all(self, items):
        """items: (path, body) pairs, sent in order per thread."""
        work, errors = queue.Queue(), []
        for it in items:
            work.put(it)

        def worker():
            conn = self._conn()
            try:
                while True:
                    try:
                        path, body = work.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        self._send(conn, "POST", path, body)
                    except (http.client.HTTPException, OSError):
                        conn.close()  # the server closed a kept-alive connection: once more on a new one
                        conn = self._conn()
                        self._send(conn, "POST", path, body)
            except Exception as e:  # noqa: BLE001 - reported by the caller
                errors.append(e)
            finally:
                conn.close()

        threads = [threading.Thread(target=worker) for _ in range(self.threads)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise errors[0]


class ScaleBench:
    def __init__(self, runner, shift, target, scratch, namespaces=NAMESPACES, per_ns=PER_NS):
        self.r, self.t, self.shift = runner, target, shift
        self.namespaces, self.per_ns = namespaces, per_ns
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("KUBECONFIG", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")}
        self.env["NO_COLOR"] = "1"
        kube = ["--kubeconfig", target.kubeconfig, "--context", "admin"]
        cache = os.path.join(scratch, "kubectl-cache-scale")
        self.get_cmds = {
            "shift get -A": [shift] + kube + ["get", "-A", "-o", "json"],
            "kubectl get -A": ["kubectl"] + kube + ["--cache-dir", cache, "get", "virtualservices", "-A", "-o", "json"],
            "curl GET list": ["curl", "-sS", "--fail", "--noproxy", "*", "-A", "floor/1", "--cacert", target.ca,
                              "-H", "Authorization: Bearer " + target.token, "-H", "Accept: application/json",
                              "-o", os.devnull, target.url + GROUP_PATH + "/virtualservices"],
        }
        self.rollout_cmd = [shift] + kube + ["-n", ROLLOUT_NS, "rollout", ROLLOUT_NAME, "--to", "v3", "--steps",
                                            ",".join(map(str, STEPS)), "--interval", "0"]
        self.set_cmds = [[shift] + kube + ["-n", ROLLOUT_NS, "set", ROLLOUT_NAME, f"v3={w}"] for w in STEPS]
        self.out = os.path.join(scratch, "scale-out.json")

    # ---- setup ----
    def setup(self):
        poster = Poster(self.t)
        names = [f"bench-{i}" for i in range(self.namespaces)] + [ROLLOUT_NS]
        if hasattr(self.t.api, "create_namespace"):  # a real API server; the test server takes any namespace
            poster.post_all([("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                     "metadata": {"name": n}}) for n in names])
        items = [(f"{GROUP_PATH}/namespaces/{ns}/virtualservices", virtual_service(ns, f"vs-{j:03d}"))
                 for ns in names[:-1] for j in range(self.per_ns)]
        vs, dr = rollout_objects()
        items += [(f"{GROUP_PATH}/namespaces/{ROLLOUT_NS}/virtualservices", vs),
                  (f"{GROUP_PATH}/namespaces/{ROLLOUT_NS}/destinationrules", dr)]
        poster.post_all(items)
        # Each command once, untimed: the page cache, kubectl's discovery cache, and a check that shift
        # saw every object.
        for argv in self.get_cmds.values():
            self.r.timed(argv, self.env)
        self.r.timed(self.get_cmds["shift get -A"], self.env, stdout=self.out)
        with open(self.out) as f:
            text = f.read()
        seen = sum(text.count(f'"bench-{i}"') for i in range(self.namespaces))
        if seen < self.namespaces * self.per_ns:
            raise RuntimeError(f"shift get -A named bench namespaces {seen} times, expected "
                               f">= {self.namespaces * self.per_ns}")
        self.reset()

    def reset(self):
        """The rollout object back to v1 alone, without a mark (untimed)."""
        self.t.api.patch(ROLLOUT_NS, "virtualservices", ROLLOUT_NAME,
                         {"metadata": {"annotations": None},
                          "spec": {"http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}})

    def weights(self):
        route = self.t.api.get(ROLLOUT_NS, "virtualservices", ROLLOUT_NAME)["spec"]["http"][0]["route"]
        w = {d["destination"]["subset"]: d.get("weight", 100 if len(route) == 1 else 0) for d in route}
        return {k: v for k, v in w.items() if v}

    # ---- measuring ----
    def measure(self, runs, rss_runs):
        s = {n: Series(n) for n in list(self.get_cmds) + ["shift rollout (4 steps)", "4 x shift set"]}
        self.setup()
        for i in range(runs + rss_runs):
            rss = i >= runs
            # Interleaved, so that load from other processes falls on all of them alike.
            for name, argv in self.get_cmds.items():
                if rss:
                    s[name].rss.append(self.r.peak_rss(argv, self.env))
                else:
                    s[name].walls.append(self.r.timed(argv, self.env))
            if rss:
                continue
            s["shift rollout (4 steps)"].walls.append(self.r.timed(self.rollout_cmd, self.env))
            self._expect_done()
            s["4 x shift set"].walls.append(sum(self.r.timed(argv, self.env) for argv in self.set_cmds))
            self._expect_done()
        return s

    def _expect_done(self):
        w = self.weights()
        if w != {"v3": 100}:
            raise RuntimeError(f"{self.t.label}: expected v3=100 after the run, got {w}")
        self.reset()
