#!/usr/bin/env python3
"""Lists the functions of shift that a typical run executes, for the linker to lay out together.

    python3 bench/hot_symbols.py [--shift build/cli/shift] [-o cli/hot-symbols.txt]

Why: a run maps shift's code in 64 KiB windows around every page it touches (the kernel's
fault-around), so the few hundred functions a run needs, scattered over 1.5 MiB of text, made all
of it resident. Linked in one block (lld --symbol-ordering-file, see cli/CMakeLists.txt) they take
8-9 windows. Regenerate the list after larger changes; names that no longer exist are ignored.

How: runs shift under `valgrind --tool=callgrind` (which counts every function executed, unlike a
sampling profiler) for the everyday commands, against the test API server of both Istio eras and
on a file, and prints the mangled names of the functions in shift's own executable that ran.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "server"))

from testserver import TestServer  # noqa: E402
from cluster import DESTINATION_RULE, NAME, NS, VIRTUAL_SERVICE  # noqa: E402

CLUSTER_RUNS = [
    ["reviews", "v1=50", "v3=50"],  # adds a destination: subset check, GET, PUT
    ["reviews", "v1=100"],
    ["--no-validate", "reviews", "v1=90", "v3=10"],
    ["--dry-run=server", "reviews", "v3=100"],
    ["--dry-run", "--exit-code", "reviews", "v1=90", "v3=10"],
    ["ratings", "v1=50", "v2=50", "--no-validate"],  # no DestinationRule (an error unless --no-validate)
    ["rollout", "reviews", "--to", "v3", "--steps", "50,100", "--interval", "0", "--check", "true"],
]
FILE_RUNS = [
    ["reviews", "v1=50", "v3=50"],
    ["--diff", "reviews", "v3=100"],
]
DEFINITION = re.compile(r"^(c?)(ob|fn)=\((\d+)\)(?: (.*))?$")


def executed(profile, binary):
    """Names of the functions of `binary` that ran, from one callgrind output file. Names and
    objects are defined once, in fn=/ob= or cfn=/cob= lines, and referred to by number after."""
    names, objects, ran = {}, {}, set()
    current = None
    with open(profile, errors="replace") as f:
        for line in f:
            m = DEFINITION.match(line.rstrip("\n"))
            if not m:
                continue
            call, kind, num, name = m.groups()
            table = objects if kind == "ob" else names
            if name:
                table[num] = name
            if call:
                continue
            if kind == "ob":
                current = objects.get(num)
            elif current and os.path.realpath(current) == binary:
                ran.add(names[num].split("'")[0])  # callgrind marks recursion levels as name'2
    return {n for n in ran if not n.startswith(("(", "0x"))}


def profile(shift, args, env, scratch):
    out = os.path.join(scratch, "callgrind.%d" % len(os.listdir(scratch)))
    cmd = ["valgrind", "--tool=callgrind", "--demangle=no", "--callgrind-out-file=" + out, shift] + args
    run = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 1):  # 1: --exit-code saw a change
        sys.exit("failed (%d): %s\n%s" % (run.returncode, " ".join(args), run.stderr[-2000:]))
    return executed(out, os.path.realpath(shift))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shift", default=os.path.join(TOP, "build", "cli", "shift"))
    ap.add_argument("-o", "--output", default=os.path.join(TOP, "cli", "hot-symbols.txt"))
    opts = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind not found: apt-get install valgrind")
    shift = os.path.abspath(opts.shift)
    hot = set()
    with tempfile.TemporaryDirectory(prefix="shift-hot-") as scratch:
        for era in ("current", "1.8"):
            with TestServer(era=era) as srv:
                ratings = json.loads(json.dumps(VIRTUAL_SERVICE).replace(NAME, "ratings"))
                for kind, obj in (("virtualservices", VIRTUAL_SERVICE), ("destinationrules", DESTINATION_RULE),
                                  ("virtualservices", ratings)):
                    srv.create(NS, kind, {k: v for k, v in obj.items() if k != "apiVersion"})  # the era's own
                env = dict(os.environ, KUBECONFIG=srv.kubeconfig)
                for args in CLUSTER_RUNS:
                    hot |= profile(shift, ["-n", NS] + args, env, scratch)
        manifest = os.path.join(scratch, "reviews.yaml")
        shutil.copy(os.path.join(TOP, "examples", "bookinfo", "reviews.yaml"), manifest)
        for args in FILE_RUNS:
            hot |= profile(shift, ["-f", manifest] + args, dict(os.environ), scratch)
    with open(opts.output + ".tmp", "w") as f:
        f.write("".join(n + "\n" for n in sorted(hot)))
    os.replace(opts.output + ".tmp", opts.output)
    print("%d functions -> %s" % (len(hot), os.path.relpath(opts.output)), file=sys.stderr)


if __name__ == "__main__":
    main()
