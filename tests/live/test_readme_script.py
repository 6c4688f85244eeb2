#!/usr/bin/env python3
"""The README's scripted staged rollout (the `sh` block after "The same as a plain script"), run as
written by bash against the local test server: `kubectl shift` is the built binary, `sleep` returns at
once and `curl` (the health check) passes or fails as a test says. It must end at v3=100 when healthy,
go back to where it started when a check fails, and stop with exit 8 when someone changes the split
by hand between two steps."""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from cluster import weights  # noqa: E402

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")

# Stand-ins for the commands the script calls besides shift. HOOK runs at each sleep (a hand change).
PRELUDE = r'''
kubectl() { if [ "$1" = shift ]; then shift; "$SHIFT_BIN" "$@"; else echo "unexpected kubectl $*" >&2; return 99; fi; }
sleep() { checks=$((checks + 1)); [ -z "$HOOK" ] || [ "$checks" != "$HOOK_AT" ] || eval "$HOOK"; }
curl() { [ "$checks" != "$FAIL_AT" ]; }
checks=0
'''


def readme_script():
    with open(README) as f:
        text = f.read()
    m = re.search(r"The same as a plain script over.*?```sh\n(.*?)```", text, re.S)
    if not m:
        raise AssertionError("README: the scripted rollout block is gone")
    return m.group(1)


class ReadmeScript(cluster.ClusterCase):
    def run_script(self, ns, **env):
        kubeconfig = self.backend.write_kubeconfig(namespace=ns)
        e = self.env(KUBECONFIG=kubeconfig, SHIFT_BIN=cluster.BIN, HOOK="", HOOK_AT="", FAIL_AT="0")
        e.update(env)
        return subprocess.run(["bash", "-c", PRELUDE + readme_script()], env=e, capture_output=True, text=True,
                              timeout=120)

    def setUp(self):
        super().setUp()
        if subprocess.run(["sh", "-c", "command -v jq"], capture_output=True).returncode:
            self.skipTest("jq is not installed (scripts/install-deps installs it)")
        self.ns = self.namespace()
        self.bookinfo(self.ns)

    def split(self):
        return weights(self.backend.get(self.ns, "virtualservices", "reviews"))

    def test_healthy_ends_at_100(self):
        p = self.run_script(self.ns)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.split(), {"v3": 100})

    def test_a_failed_check_goes_back_to_the_start(self):
        p = self.run_script(self.ns, FAIL_AT="2")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(self.split(), {"v1": 100})

    def test_a_change_by_hand_stops_it_with_8(self):
        hand = "%s reviews v1=100 -n %s -q" % (cluster.BIN, self.ns)
        p = self.run_script(self.ns, HOOK=hand, HOOK_AT="1")
        self.assertEqual(p.returncode, 8, p.stderr)
        self.assertEqual(self.split(), {"v1": 100})


cluster.parameterize(globals(), ReadmeScript, backends=("testserver",), eras=("current",))

if __name__ == "__main__":
    unittest.main()
