"""The README's first command ends in scripts/demo.py: the bookinfo rollout against the local test
API server and then on a file. It checks its own steps (exit codes, final state); this runs it with
the binary under test and checks what a newcomer is shown."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import BIN, TESTS  # noqa: E402

DEMO = os.path.join(TESTS, "..", "scripts", "demo.py")


class DemoTest(unittest.TestCase):
    def test_demo_runs_the_rollout(self):
        p = subprocess.run([sys.executable, DEMO, BIN], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout[-3000:] + p.stderr[-3000:])
        out = p.stdout
        for step in ("reviews v1=50 v3=50", "reviews v3=100", "reviews v3=100 --dry-run=server --exit-code",
                     "reviews v4=10"):
            self.assertIn("$ kubectl shift -n istio-demo " + step, out)
        self.assertEqual(out.count("virtualservice.networking.istio.io/reviews shifted"), 2)
        self.assertIn('error: subset "v4" of host reviews is not defined by its DestinationRule', p.stderr + out)
        self.assertIn('routes: [{"destination": {"host": "reviews", "subset": "v3"}}]', out)
        self.assertEqual(out.count("--- reviews.yaml\n+++ reviews.yaml\n"), 2)  # the file part, both steps
        # stdout is a pipe here: no escape sequences, from the demo or from shift.
        self.assertNotIn("\033[", out)


if __name__ == "__main__":
    unittest.main()
