"""The bookinfo rollout of `reviews` against the project's local test API server: a real HTTPS
Kubernetes API (discovery, resourceVersion, RBAC) on 127.0.0.1, so the demo takes the same
network path as a real cluster; then the same rollout on a manifest file (GitOps).
Usage: python3 scripts/demo.py SHIFT_BINARY. Exits 1 if a step does not end as it should."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "server"))
from testserver import TestServer  # noqa: E402

SHIFT = os.path.abspath(sys.argv[1])
EXAMPLE = os.path.join(TOP, "examples", "bookinfo", "reviews.yaml")


def bold(text):
    """Bold only on a terminal, and not when NO_COLOR is set (as shift itself: https://no-color.org)."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb":
        return "\033[1m%s\033[0m" % text
    return text


def shift(*args, env, expect=0, show="kubectl shift", cwd=None):
    print("\n" + bold("$ %s %s" % (show, " ".join(args))), flush=True)
    code = subprocess.run([SHIFT, *args], env=env, cwd=cwd, check=False).returncode
    if code != expect:
        sys.exit("demo: `shift %s` exited %d, expected %d" % (" ".join(args), code, expect))


def on_file():
    with tempfile.TemporaryDirectory(prefix="shift-demo-") as work:
        shutil.copy(EXAMPLE, os.path.join(work, "reviews.yaml"))
        print("\n" + bold("The same rollout on a file (GitOps): reviews.yaml"))
        for args in (["v1=50", "v3=50"], ["v3=100"]):
            shift("-f", "reviews.yaml", "--in-place", "--diff", "reviews", *args, env=dict(os.environ),
                  show="shift", cwd=work)


def main():
    # shift itself turns the example manifests into JSON for the API: -o json of a no-op request.
    out = subprocess.run([SHIFT, "-f", EXAMPLE, "reviews", "v1=100", "-o", "json"], capture_output=True,
                         text=True, check=True).stdout
    objects = json.loads(out)["items"]
    with TestServer(era="current") as srv:
        for obj in objects:
            resource = {"VirtualService": "virtualservices", "DestinationRule": "destinationrules"}[obj["kind"]]
            srv.create(obj["metadata"]["namespace"], resource, obj)
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig)
        print("A local Kubernetes API server is up at %s with the bookinfo reviews VirtualService and "
              "DestinationRule in namespace istio-demo (all traffic to v1)." % srv.url, flush=True)
        shift("-n", "istio-demo", "reviews", "v1=50", "v3=50", env=env)
        shift("-n", "istio-demo", "reviews", "v3=100", env=env)
        shift("-n", "istio-demo", "reviews", "v3=100", "--dry-run=server", "--exit-code", env=env)
        shift("-n", "istio-demo", "reviews", "v4=10", env=env, expect=2)  # refused: no such subset
        vs = srv.get("istio-demo", "virtualservices", "reviews")
        print("\nThe VirtualService on the server now routes: %s (resourceVersion %s)" % (
            json.dumps(vs["spec"]["http"][0]["route"]), vs["metadata"]["resourceVersion"]))
        print("Requests the server saw: %s" % ", ".join(
            "%s %s" % (r["method"], r["status"]) for r in srv.requests()))
        if vs["spec"]["http"][0]["route"] != [{"destination": {"host": "reviews", "subset": "v3"}}]:
            sys.exit("demo: the rollout did not end with all traffic to v3")
    on_file()


if __name__ == "__main__":
    main()
