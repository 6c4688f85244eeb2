"""Cluster-mode benchmark: shift vs kubectl patch vs the curl floor, side by side on one server.

Every run changes the object: the VirtualService alternates between two states, and each command
moves it to whichever state it is not in, so all three do the same work (one GET, one write).

  SPLIT  http[0].route = v1 50 / v3 50     shift reviews v1=50 v3=50
  WHOLE  http[0].route = v1 (no weight)    shift reviews v1=100  (a lone destination carries no weight)

shift runs with --no-validate: the subset check would add a DestinationRule LIST on every
SPLIT run (it only runs when a destination is added); the floor is a GET and a PUT. A DestinationRule
is created anyway, so the `shift (validated)` row shows what the check costs.
"""
import json
import os
import re
import time

from measure import Series, combine

NS, NAME = "istio-demo", "reviews"
DEST = {"host": "reviews"}
STATES = {
    "SPLIT": [{"route": [{"destination": dict(DEST, subset="v1"), "weight": 50},
                         {"destination": dict(DEST, subset="v3"), "weight": 50}]}],
    "WHOLE": [{"route": [{"destination": dict(DEST, subset="v1")}]}],
}
SHIFT_ARGS = {"SPLIT": ["v1=50", "v3=50"], "WHOLE": ["v1=100"]}
VIRTUAL_SERVICE = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                   "metadata": {"name": NAME, "namespace": NS},
                   "spec": {"hosts": ["reviews"], "http": STATES["WHOLE"]}}
DESTINATION_RULE = {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
                    "metadata": {"name": NAME, "namespace": NS},
                    "spec": {"host": "reviews", "subsets": [{"name": v, "labels": {"version": v}}
                                                            for v in ("v1", "v2", "v3")]}}
RV = re.compile(rb'"resourceVersion":\s*"([^"]*)"')


class Target:
    """One API server: .label, .url, .ca, .token, .kubeconfig, and .api with create()/get()
    (tests/server/testserver.TestServer or tests/live/envtest.EnvTest)."""

    def __init__(self, label, api):
        self.label, self.api = label, api
        self.url, self.ca, self.token, self.kubeconfig = api.url, api.ca, api.token, api.kubeconfig

    def path(self):
        return f"/apis/networking.istio.io/v1/namespaces/{NS}/virtualservices/{NAME}"

    def state(self):
        obj = self.api.get(NS, "virtualservices", NAME)
        http = obj["spec"]["http"]
        name = next((k for k, v in STATES.items() if v == http), None)
        return name, obj["metadata"]["resourceVersion"]


class ClusterBench:
    def __init__(self, runner, shift, target, scratch):
        self.r, self.t, self.shift = runner, target, shift
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("KUBECONFIG", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")}
        self.env["NO_COLOR"] = "1"
        self.scratch = scratch
        self.get_out = os.path.join(scratch, "get.json")
        self.body = os.path.join(scratch, "put.json")
        self.made = {}  # command -> {state: runs}: each command must make both changes alike
        self.glue = []  # seconds of Python work between the curl GET and the curl PUT (not in the floor)
        kube = ["--kubeconfig", target.kubeconfig, "--context", "admin"]
        self.shift_cmd = {s: [shift] + kube + ["-n", NS, "--no-validate", NAME] + a for s, a in SHIFT_ARGS.items()}
        self.shift_validated_cmd = {s: [shift] + kube + ["-n", NS, NAME] + a for s, a in SHIFT_ARGS.items()}
        # A warm discovery cache of its own, as a kubectl user has after the first command.
        cache = os.path.join(scratch, "kubectl-cache")
        self.kubectl_cmd = {s: ["kubectl"] + kube + ["--cache-dir", cache, "-n", NS, "patch", "virtualservice", NAME,
                                                     "--type=merge", "-p", json.dumps({"spec": {"http": h}})]
                            for s, h in STATES.items()}
        url = target.url + target.path()
        # Not curl's own User-Agent: kube-apiserver pretty-prints JSON for "curl*" agents.
        curl = ["curl", "-sS", "--fail", "--noproxy", "*", "-A", "floor/1", "--cacert", target.ca,
                "-H", "Authorization: Bearer " + target.token, "-H", "Accept: application/json"]
        self.curl_get = curl + ["-o", self.get_out, url]
        self.curl_put = curl + ["-H", "Content-Type: application/json", "-X", "PUT", "--data-binary", "@" + self.body,
                                "-o", os.devnull, url + "?fieldManager=curl"]
        # The pre-made PUT bodies: the object with the new route and a resourceVersion slot.
        self.templates = {s: json.dumps({"apiVersion": VIRTUAL_SERVICE["apiVersion"], "kind": "VirtualService",
                                         "metadata": {"name": NAME, "namespace": NS, "resourceVersion": "@RV@"},
                                         "spec": {"hosts": ["reviews"], "http": h}}, separators=(",", ":")).encode()
                          for s, h in STATES.items()}

    def setup(self):
        for kind, obj in (("virtualservices", VIRTUAL_SERVICE), ("destinationrules", DESTINATION_RULE)):
            try:
                self.t.api.create(NS, kind, obj)
            except Exception as e:  # already there from an earlier round: fine
                if "409" not in str(e) and "AlreadyExists" not in str(e) and getattr(e, "status", 0) != 409:
                    raise
        self.current = self.t.state()[0]
        # Warm-up: discovery cache for kubectl, page cache for every binary.
        for run in (self.run_shift, self.run_kubectl, self.run_curl, self.run_shift_validated):
            run(rss=False)

    def _next(self):
        return "SPLIT" if self.current == "WHOLE" else "WHOLE"

    def _done(self, want, before_rv):
        """Checks (outside the timing) that the command really made the change."""
        state, rv = self.t.state()
        if state != want or rv == before_rv:
            raise RuntimeError(f"{self.t.label}: expected state {want} with a new resourceVersion, got {state} {rv}")
        self.current, self.rv = state, rv

    def _run(self, cmds, rss, label):
        want = self._next()
        self.made.setdefault(label, {}).setdefault(want, 0)
        self.made[label][want] += 1
        before = getattr(self, "rv", None)
        if rss:
            val = self.r.peak_rss(cmds[want], self.env)
        else:
            val = self.r.timed(cmds[want], self.env)
        self._done(want, before)
        return val

    def run_shift(self, rss):
        return self._run(self.shift_cmd, rss, "shift")

    def run_shift_validated(self, rss):
        return self._run(self.shift_validated_cmd, rss, "shift (validated)")

    def run_kubectl(self, rss):
        return self._run(self.kubectl_cmd, rss, "kubectl patch")

    def run_curl(self, rss):
        """(GET value, PUT value): two processes, two TLS handshakes. Only the curl processes are
        timed; reading the resourceVersion and writing the body is measured apart in self.glue."""
        want = self._next()
        self.made.setdefault("curl", {}).setdefault(want, 0)
        self.made["curl"][want] += 1
        before = getattr(self, "rv", None)
        measure = self.r.peak_rss if rss else self.r.timed
        get = measure(self.curl_get, self.env)
        t0 = time.perf_counter()
        with open(self.get_out, "rb") as f:
            rv = RV.search(f.read()).group(1)
        with open(self.body, "wb") as f:
            f.write(self.templates[want].replace(b"@RV@", rv))
        self.glue.append(time.perf_counter() - t0)
        put = measure(self.curl_put, self.env)
        self._done(want, before)
        return get, put

    def flip(self):
        """Moves the object to the other state outside the timing: with an even number of commands per
        round, each command would otherwise always make the same change."""
        want = self._next()
        self.t.api.patch(NS, "virtualservices", NAME, {"spec": {"http": STATES[want]}})
        self._done(want, getattr(self, "rv", None))

    def measure(self, runs, rss_runs):
        names = ["shift", "kubectl patch", "curl GET", "curl PUT", "shift (validated)"]
        s = {n: Series(n) for n in names}
        self.setup()
        self.made = {}
        for i in range(runs + rss_runs):
            rss = i >= runs
            # Interleaved, so that load from other processes falls on all of them alike.
            for name, run in (("shift", self.run_shift), ("kubectl patch", self.run_kubectl)):
                v = run(rss)
                (s[name].rss if rss else s[name].walls).append(v)
            g, p = self.run_curl(rss)
            (s["curl GET"].rss if rss else s["curl GET"].walls).append(g)
            (s["curl PUT"].rss if rss else s["curl PUT"].walls).append(p)
            v = self.run_shift_validated(rss)
            (s["shift (validated)"].rss if rss else s["shift (validated)"].walls).append(v)
            self.flip()  # 4 changes per round: flip once more so each command alternates
        for cmd, made in self.made.items():
            if abs(made.get("SPLIT", 0) - made.get("WHOLE", 0)) > 1:
                raise RuntimeError(f"{cmd} did not alternate between the two changes: {made}")
        s["curl floor"] = combine("curl floor (GET+PUT)", [s["curl GET"], s["curl PUT"]])
        return s
