#!/usr/bin/env python3
"""Several objects and several clusters (issue 13), on local test API servers (tests/server):

  100 objects  `shift set -l app=fanout v1=W v3=100-W` over 100 labelled VirtualServices (one process:
               one LIST, a GET and a PUT each) vs 100 sequential `kubectl patch` (JSON patch of the two
               weights, warm discovery cache) vs 100 sequential `shift set vs-NNN` runs.
  per object   (100-object run - 1-object run) / 99, against one `shift set` run.
  clusters     `shift set reviews ... --contexts c0,c1,c2` (three test servers) vs `--context c0`.

Every run changes something (the weights alternate 90/10 and 80/20). Prints the medians and the
targets: >= 20x faster than the kubectl loop; each object past the first <= 0.3x a single shift set;
three clusters <= 1.5x one.

With --growth instead: `shift set -l` over 10, 100 and 1,000 labelled VirtualServices (issue 12's
limits): wall time and peak RSS at each size, per object and the growth from one size to the next (10x
the objects should cost about 10x the time, not 100x; the memory of one object at a time, not of all).

    python3 bench/fanout.py [--shift build/cli/shift] [--runs 5] [--loop-runs 2]
    python3 bench/fanout.py --growth [--runs 3] [--real]

--real runs --growth against the real kube-apiserver (KUBEBUILDER_ASSETS), which offers HTTP/2: the
writes of the run then go out together on its one connection (the test server speaks HTTP/1.1).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
from measure import Runner  # noqa: E402
from scale import GROUP_PATH, Poster  # noqa: E402
from testserver import TestServer  # noqa: E402

NS, COUNT = "fanout", 100


def vs(name, labels):
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": name, "namespace": NS, "labels": labels},
            "spec": {"hosts": ["reviews"], "http": [{"route": [
                {"destination": {"host": "reviews", "subset": "v1"}, "weight": 90},
                {"destination": {"host": "reviews", "subset": "v3"}, "weight": 10}]}]}}


def dr():
    return {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": "reviews", "namespace": NS},
            "spec": {"host": "reviews", "subsets": [{"name": v, "labels": {"version": v}} for v in ("v1", "v3")]}}


def kubeconfig(servers, path):
    cfg = {"apiVersion": "v1", "kind": "Config", "current-context": "c0",
           "clusters": [{"name": f"c{i}", "cluster": {"server": s.url, "certificate-authority": s.ca}}
                        for i, s in enumerate(servers)],
           "users": [{"name": f"c{i}", "user": {"token": s.token}} for i, s in enumerate(servers)],
           "contexts": [{"name": f"c{i}", "context": {"cluster": f"c{i}", "user": f"c{i}", "namespace": NS}}
                        for i in range(len(servers))]}
    with open(path, "w") as f:
        json.dump(cfg, f)
    os.chmod(path, 0o600)


def median_ms(walls):
    return statistics.median(walls) * 1000


def growth_server(real):
    """The local test API server (HTTP/1.1), or with --real the kube-apiserver of KUBEBUILDER_ASSETS
    (HTTP/2: a cluster's writes go out together)."""
    if not real:
        return TestServer(era="current").start()
    sys.path.insert(0, os.path.join(ROOT, "tests", "live"))
    from envtest import EnvTest  # noqa: E402
    return EnvTest(era="current").start()


def growth(a):
    sizes = (10, 100, 1000)
    scratch = tempfile.mkdtemp(prefix="shift-growth-")
    server = growth_server(a.real)
    try:
        items = []
        for n in sizes:
            ns = f"g{n}"
            if a.real:
                server.create_namespace(ns)
            items.append((f"{GROUP_PATH}/namespaces/{ns}/destinationrules", dict(dr(), metadata={"name": "reviews"})))
            items += [(f"{GROUP_PATH}/namespaces/{ns}/virtualservices",
                       dict(vs(f"vs-{j:04d}", {"app": "fanout"}), metadata={"name": f"vs-{j:04d}",
                                                                            "labels": {"app": "fanout"}}))
                      for j in range(n)]
        Poster(server).post_all(items)
        cfg = os.path.join(scratch, "kubeconfig")
        kubeconfig([server], cfg)
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(KUBECONFIG=cfg, NO_COLOR="1")
        r = Runner(scratch)
        walls, rss = {n: [] for n in sizes}, {n: [] for n in sizes}
        for i in range(a.runs):
            for n in sizes:
                w = 80 if i % 2 == 0 else 90
                argv = [a.shift, "set", "-q", "-l", "app=fanout", "-n", f"g{n}", f"v1={w}", f"v3={100 - w}"]
                walls[n].append(r.timed(argv, env))
                argv[-2:] = [f"v1={170 - w}", f"v3={w - 70}"]  # back the other way, measured for memory
                rss[n].append(r.peak_rss(argv, env))
    finally:
        server.stop()
    print(f"{'objects':>8s} {'median ms':>10s} {'ms/object':>10s} {'growth':>8s} {'peak RSS MiB':>13s}")
    last = None
    for n in sizes:
        m = median_ms(walls[n])
        kib = statistics.median(rss[n]) if all(x is not None for x in rss[n]) else None
        grown = f"{m / last:7.1f}x" if last else "       -"
        print(f"{n:8d} {m:10.1f} {m / n:10.2f} {grown:>8s} {kib / 1024 if kib else float('nan'):13.1f}")
        last = m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shift", default=os.path.join(ROOT, "build", "cli", "shift"))
    ap.add_argument("--runs", type=int, default=5, help="timed runs of the one-process commands")
    ap.add_argument("--loop-runs", type=int, default=2, help="timed runs of the 100-process loops")
    ap.add_argument("--growth", action="store_true", help="set -l over 10, 100 and 1,000 objects instead")
    ap.add_argument("--real", action="store_true",
                    help="with --growth: against the real kube-apiserver (KUBEBUILDER_ASSETS) instead of the test server")
    a = ap.parse_args()
    if a.growth:
        return growth(a)
    scratch = tempfile.mkdtemp(prefix="shift-fanout-")
    servers = [TestServer(era="current").start() for _ in range(3)]
    try:
        for s in servers:
            Poster(s).post_all([(f"{GROUP_PATH}/namespaces/{NS}/destinationrules", dr())] +
                               [(f"{GROUP_PATH}/namespaces/{NS}/virtualservices", vs(f"vs-{j:03d}", {"app": "fanout"}))
                                for j in range(COUNT)] +
                               [(f"{GROUP_PATH}/namespaces/{NS}/virtualservices", vs("reviews", {"app": "one"}))])
        cfg = os.path.join(scratch, "kubeconfig")
        kubeconfig(servers, cfg)
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(KUBECONFIG=cfg, NO_COLOR="1")
        r = Runner(scratch)
        sh = [a.shift, "-n", NS]
        cache = ["--cache-dir", os.path.join(scratch, "kubectl-cache")]
        r.timed(["kubectl"] + cache + ["get", "virtualservices", "-n", NS], env)  # warm discovery

        def split(i):
            w = 90 if i % 2 else 80
            return w, [f"v1={w}", f"v3={100 - w}"]

        many, one, loop_shift, loop_kubectl, c1, c3 = [], [], [], [], [], []
        for i in range(a.runs):
            w, weights = split(i)
            many.append(r.timed(sh + ["set", "-q", "-l", "app=fanout", "--context", "c0"] + weights, env))
            one.append(r.timed(sh + ["set", "-q", "reviews", "--context", "c0"] + weights, env))
            c1.append(r.timed(sh + ["set", "-q", "reviews", "--context", "c1"] + weights, env))
            c3.append(r.timed(sh + ["set", "-q", "reviews", "--contexts", "c0,c1,c2"] + split(i + 1)[1], env))
        for i in range(a.loop_runs):
            w, weights = split(i + 1)
            loop_shift.append(sum(r.timed(sh + ["set", "-q", f"vs-{j:03d}", "--context", "c1"] + weights, env)
                                  for j in range(COUNT)))
            patch = json.dumps([{"op": "replace", "path": "/spec/http/0/route/0/weight", "value": w},
                                {"op": "replace", "path": "/spec/http/0/route/1/weight", "value": 100 - w}])
            loop_kubectl.append(sum(r.timed(["kubectl"] + cache + ["--context", "c2", "-n", NS, "patch",
                                                                   "virtualservice", f"vs-{j:03d}", "--type=json",
                                                                   "-p", patch], env)
                                    for j in range(COUNT)))
    finally:
        for s in servers:
            s.stop()

    m, o = median_ms(many), median_ms(one)
    per = (m - o) / (COUNT - 1)
    rows = [("shift set -l (100 objects, one process)", m), ("100 x shift set", median_ms(loop_shift)),
            ("100 x kubectl patch", median_ms(loop_kubectl)), ("shift set (1 object)", o),
            ("shift set, one cluster", median_ms(c1)), ("shift set, three clusters", median_ms(c3))]
    for name, ms in rows:
        print(f"{name:42s} {ms:9.1f} ms")
    print()
    checks = [("vs 100 x kubectl patch", median_ms(loop_kubectl) / m, ">= 20x", median_ms(loop_kubectl) / m >= 20),
              ("vs 100 x shift set", median_ms(loop_shift) / m, "(for reference)", True),
              ("each object past the first / one shift set", per / o, "<= 0.3x", per / o <= 0.3),
              ("three clusters / one", median_ms(c3) / median_ms(c1), "<= 1.5x", median_ms(c3) / median_ms(c1) <= 1.5)]
    for name, ratio, target, ok in checks:
        print(f"{name:44s} {ratio:7.2f}x  target {target:16s} {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
