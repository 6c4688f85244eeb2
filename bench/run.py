#!/usr/bin/env python3
"""shift's benchmark: file mode and cluster mode, with targets. See bench/README.md.

    python3 bench/run.py [--runs 30] [--rss-runs 5] [--real | --no-real] [--shift PATH]
                         [--only files|cluster|scale] [--rules 10000] [--scale-runs 10] [--json FILE]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from cluster import ClusterBench, Target  # noqa: E402
from gen_rules import manifest  # noqa: E402
from measure import Runner, Series  # noqa: E402
from scale import ScaleBench  # noqa: E402

BOOKINFO = os.path.join(ROOT, "examples", "bookinfo", "reviews.yaml")


def hot_layout(shift):
    """How many functions of cli/hot-symbols.txt the binary still has (a stale list lets the RSS creep
    up: regenerate it with hot_symbols.py), and which linker made the binary."""
    listed = set(open(os.path.join(ROOT, "cli", "hot-symbols.txt")).read().split())
    nm = subprocess.run(["nm", shift], capture_output=True, text=True)
    present = {line.split()[-1] for line in nm.stdout.splitlines() if line.strip()}
    readelf = subprocess.run(["readelf", "-p", ".comment", shift], capture_output=True, text=True).stdout
    linker = "lld" if "LLD" in readelf else "not lld: hot code not grouped"
    return f"hot functions listed and present {len(listed & present)}/{len(listed)} (linker {linker})"


def verdict(ok):
    return "MET" if ok else "MISSED"


def build_floor(scratch):
    """bench/parse_floor.c, built with the system compiler against Debian's libyaml."""
    out = os.path.join(scratch, "parse_floor")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        sys.exit("a C compiler is needed to build bench/parse_floor.c")
    subprocess.run([cc, "-O2", "-o", out, os.path.join(HERE, "parse_floor.c"), "-lyaml"], check=True)
    return out


def small_manifests(folder, n):
    """n small VirtualService manifests in one folder, the one the shift targets among them."""
    os.makedirs(folder)
    for i in range(n):
        name = "reviews" if i == n // 2 else f"app-{i:04d}"
        with open(os.path.join(folder, f"{name}.yaml"), "w") as f:
            f.write(f"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {name}\n"
                    f"spec:\n  hosts:\n  - {name}\n  http:\n  - route:\n    - destination:\n"
                    f"        host: {name}\n        subset: v1\n      weight: 90\n    - destination:\n"
                    f"        host: {name}\n        subset: v2\n      weight: 10\n")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder))


def file_mode(r, shift, runs, rss_runs, rules, scratch):
    """shift on each input beside the parse-only floor on the same bytes, interleaved run by run."""
    floor = build_floor(scratch)
    inputs = {}
    for n in sorted({rules // 10, rules}):
        path = os.path.join(scratch, f"rules-{n}.yaml")
        with open(path, "w") as f:
            f.write(manifest(n))
        inputs[n] = path
    small = small_manifests(os.path.join(scratch, "dir"), 1000)
    env = dict(os.environ, NO_COLOR="1")
    cases = [("bookinfo reviews", [shift, "-f", BOOKINFO, "reviews", "v1=50", "v3=50"], [floor, BOOKINFO])]
    for n, path in inputs.items():
        mb = os.path.getsize(path) / 1e6
        # --route after the positionals: before them it swallows them (it takes several values)
        cases.append((f"{n} rules ({mb:.1f} MB)",
                      [shift, "-f", path, "reviews", "v1=50", "v3=50", "--route", f"rule-{n // 2:05d}"],
                      [floor, path]))
    cases.append(("dir of 1000 manifests", [shift, "-f", os.path.dirname(small[0]), "reviews", "v1=50", "v3=50"],
                  [floor] + small))
    pairs = [(Series(name), Series(name + ": floor")) for name, _, _ in cases]
    for _, argv, floor_argv in cases:  # warm the page cache
        r.timed(argv, env)
        r.timed(floor_argv, env)
    for i in range(runs + rss_runs):
        for (s, f), (_, argv, floor_argv) in zip(pairs, cases):
            for series, cmd in ((s, argv), (f, floor_argv)):
                if i < runs:
                    series.walls.append(r.timed(cmd, env))
                else:
                    series.rss.append(r.peak_rss(cmd, env))
    book = pairs[0][0]
    targets = [
        (book, "wall", book.ms, "< 5 ms", book.ms < 5),
        (book, "rss", book.mib, "< 10 MiB", book.mib < 10),
    ]
    sizes = {n: os.path.getsize(p) / 2**20 for n, p in inputs.items()}
    for (s, f), (name, _, _) in zip(pairs[1:], cases[1:]):
        ratio = s.ms / f.ms
        targets.append((s, f"{name}: time / parse floor", ratio, "<= 2.5", ratio <= 2.5))
    large, large_floor = pairs[len(inputs)]
    rss_ratio = large.mib / sizes[rules]
    targets.append((large, f"{rules} rules: peak RSS / file size", rss_ratio, "<= 8", rss_ratio <= 8))
    if len(inputs) == 2:
        small_s, small_f = pairs[1]
        growth = (large.ms - large_floor.ms) / max(small_s.ms - small_f.ms, 1e-9)
        targets.append((large, "10x the rules: growth of time over floor", growth, "<= 10", growth <= 10))
    return [x for pair in pairs for x in pair], targets


def start_targets(want_real, stack):
    sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
    from testserver import TestServer
    srv = stack.enter(TestServer(era="current"))
    yield Target("test server (tests/server, Python)", srv)
    if want_real:
        sys.path.insert(0, os.path.join(ROOT, "tests", "live"))
        from envtest import EnvTest
        env = stack.enter(EnvTest(era="current"))
        yield Target("kube-apiserver v1.24 + etcd (envtest)", env)


class Stack:
    """Stops every started server on exit, also on errors."""

    def __init__(self):
        self.items = []

    def enter(self, cm):
        obj = cm.__enter__()
        self.items.append(cm)
        return obj

    def close(self):
        while self.items:
            self.items.pop().__exit__(None, None, None)


def cluster_targets(s):
    shift, kubectl, floor = s["shift"], s["kubectl patch"], s["curl floor"]
    return [
        (shift, "shift / curl floor", shift.ms / floor.ms, "<= 0.7", shift.ms / floor.ms <= 0.7),
        (kubectl, "kubectl / shift", kubectl.ms / shift.ms, ">= 3", kubectl.ms / shift.ms >= 3),
        (shift, "shift RSS / curl RSS", shift.mib / floor.mib, "<= 1", shift.mib <= floor.mib),
    ]


def scale_targets(s):
    shift, kubectl, curl = s["shift get -A"], s["kubectl get -A"], s["curl GET list"]
    roll, sets = s["shift rollout (4 steps)"], s["4 x shift set"]
    return [
        (shift, "get -A: shift / kubectl", shift.ms / kubectl.ms, "<= 0.25", shift.ms / kubectl.ms <= 0.25),
        (shift, "get -A: shift RSS / curl RSS", shift.mib / curl.mib, "<= 1.2", shift.mib <= 1.2 * curl.mib),
        (roll, "rollout / 4 x set", roll.ms / sets.ms, "<= 0.5", roll.ms / sets.ms <= 0.5),
    ]


def scale_part(r, shift, targets, runs, rss_runs, scratch, report):
    for t in targets:
        s = ScaleBench(r, shift, t, scratch).measure(runs, rss_runs)
        table(f"Scale against {t.label}", list(s.values()),
              "\n  (get -A: 1,000 VirtualServices in 10 namespaces, -o json to /dev/null; rollout: "
              "--steps 25,50,75,100 --interval 0, no check)")
        print_targets(scale_targets(s))
        report["parts"]["scale: " + t.label] = [x.as_dict() for x in s.values()]


def table(title, series, extra=""):
    print(f"\n{title}{extra}")
    print(f"  {'command':<28} {'median ms':>10} {'p25-p75 ms (IQR/median)':>28} {'peak RSS MiB':>13}")
    for s in series:
        print(f"  {s.name:<28} {s.ms:>10.1f} {s.noise():>28} {s.mib:>13.1f}")


def print_targets(targets):
    for s, what, value, target, ok in targets:
        unit = {"wall": " ms", "rss": " MiB"}.get(what, "")
        label = f"{s.name} {what}" if what in ("wall", "rss") else what
        print(f"  target {label:<50} {value:>8.2f}{unit:<4} {target:<9} {verdict(ok)}")


def main():
    ap = argparse.ArgumentParser(description="shift benchmark (see bench/README.md)")
    ap.add_argument("--runs", type=int, default=30, help="timed runs per command (default 30)")
    ap.add_argument("--rss-runs", type=int, default=5, help="extra runs under GNU time for peak RSS (default 5)")
    ap.add_argument("--shift", default=os.path.join(ROOT, "build-bench", "cli", "shift"), help="shift binary")
    real = ap.add_mutually_exclusive_group()
    real.add_argument("--real", action="store_true", help="require the real kube-apiserver (KUBEBUILDER_ASSETS)")
    real.add_argument("--no-real", action="store_true", help="skip the real kube-apiserver")
    ap.add_argument("--only", choices=["files", "cluster", "scale"], help="run one part only")
    ap.add_argument("--rules", type=int, default=10000, help="http rules in the generated VirtualService")
    ap.add_argument("--scale-runs", type=int, default=10,
                    help="timed runs per command of the scale part (get -A, rollout; default 10)")
    ap.add_argument("--json", help="also write every sample to this file")
    a = ap.parse_args()

    shift = os.path.abspath(a.shift)
    if not os.access(shift, os.X_OK):
        sys.exit(f"no shift binary at {shift}: build it (see bench/README.md) or pass --shift PATH")
    if a.real and not os.environ.get("KUBEBUILDER_ASSETS"):
        sys.exit("--real needs KUBEBUILDER_ASSETS (a folder with kube-apiserver and etcd; see bench/README.md)")
    want_real = not a.no_real and bool(os.environ.get("KUBEBUILDER_ASSETS"))
    for tool in ("kubectl", "curl") if a.only != "files" else ():
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed for the cluster benchmark (or run with --only files)")

    scratch = tempfile.mkdtemp(prefix="shift-bench-")
    r = Runner(scratch)
    if not r.have_gnu_time:
        print("warning: /usr/bin/time missing (apt-get install time): no peak RSS figures", file=sys.stderr)
    load = os.getloadavg()
    floor = r.harness_floor()
    print(f"shift benchmark {datetime.datetime.now().isoformat(timespec='seconds')} on {platform.node()}, "
          f"{os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    runs = a.scale_runs if a.only == "scale" else a.runs
    print(f"binary {shift}; {runs} timed runs + {a.rss_runs} RSS runs per command; "
          f"harness spawn+reap of /bin/true {floor * 1000:.2f} ms (included in every wall figure)")
    print(hot_layout(shift), flush=True)
    report = {"when": datetime.datetime.now().isoformat(), "harness_ms": floor * 1000, "parts": {}}
    try:
        if a.only in (None, "files"):
            series, targets = file_mode(r, shift, a.runs, a.rss_runs, a.rules, scratch)
            table("File mode: shift -f FILE ... v1=50 v3=50 (output to /dev/null); floor: bench/parse_floor.c",
                  series)
            print_targets(targets)
            report["parts"]["files"] = [s.as_dict() for s in series]
        if a.only == "scale":
            stack = Stack()
            try:
                scale_part(r, shift, start_targets(want_real, stack), a.scale_runs, a.rss_runs, scratch, report)
            finally:
                stack.close()
        elif a.only != "files":
            stack = Stack()
            try:
                for t in start_targets(want_real, stack):
                    bench = ClusterBench(r, shift, t, os.path.join(scratch))
                    s = bench.measure(a.runs, a.rss_runs)
                    order = ["shift", "shift (validated)", "kubectl patch", "curl GET", "curl PUT", "curl floor"]
                    glue = statistics.median(bench.glue) * 1000
                    table(f"Cluster mode against {t.label}", [s[n] for n in order],
                          f"\n  (curl floor = GET + PUT processes; the Python step between them, "
                          f"{glue:.2f} ms median, is not included)")
                    print_targets(cluster_targets(s))
                    report["parts"][t.label] = [s[n].as_dict() for n in order] + [{"glue_ms_median": glue}]
                    if a.only is None:
                        scale_part(r, shift, [t], a.scale_runs, a.rss_runs, scratch, report)
            finally:
                stack.close()
            if not want_real:
                print("\n(real kube-apiserver skipped: set KUBEBUILDER_ASSETS, see bench/README.md)")
    finally:
        if a.json:
            with open(a.json, "w") as f:
                json.dump(report, f, indent=1)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
