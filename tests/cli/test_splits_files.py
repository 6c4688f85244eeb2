"""Fine, relative and pinned splits on manifest files, and -f repeated as in kubectl."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import TempDirCase, destination_rule, read, run  # noqa: E402


def vs(*subsets):
    route = [{"destination": {"host": "reviews", "subset": s}, "weight": w} for s, w in subsets]
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "reviews"},
            "spec": {"hosts": ["reviews"], "http": [{"route": route}]}}


class SplitsOnFiles(TempDirCase):
    def setUp(self):
        super().setUp()
        self.vs = self.write("vs.json", json.dumps(vs(("v1", 60), ("v2", 30), ("v3", 10))))
        self.dr = self.write("dr.json", json.dumps(dict(destination_rule("reviews", "v1", "v2", "v3", "v4"),
                                                        apiVersion="networking.istio.io/v1")))

    def weights(self):
        route = json.loads(read(self.vs))["spec"]["http"][0]["route"]
        return {d["destination"]["subset"]: d.get("weight") for d in route}

    def test_f_repeats_and_subsets_are_checked_against_the_second_file(self):
        code, out, err = run("-f", self.vs, "-f", self.dr, "--in-place", "reviews", "v1=50", "v4=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.weights(), {"v1": 50, "v4": 50})
        code, _, err = run("-f", self.vs, "-f", self.dr, "--in-place", "reviews", "v1=90", "v5=10")
        self.assertEqual(code, 2)
        self.assertIn('subset "v5"', err)

    def test_fraction_in_place_with_weights_any_total(self):
        code, out, err = run("-f", self.vs, "--in-place", "--weights", "any-total", "reviews", "v3=0.5", "v1=69.5")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.weights(), {"v1": 139, "v2": 60, "v3": 1})
        self.assertIn("v3  10 → 0.5", out)
        code, out, err = run("get", "-f", self.vs)
        self.assertRegex(out, r"v1 .* 69\.5\n")

    def test_adjust_equal_pin_in_place(self):
        self.assertEqual(run("-f", self.vs, "-i", "reviews", "--adjust", "v3=+10")[0], 0)
        self.assertEqual(self.weights(), {"v1": 53, "v2": 27, "v3": 20})
        self.assertEqual(run("-f", self.vs, "-i", "reviews", "--equal", "--pin", "v3")[0], 0)
        self.assertEqual(self.weights(), {"v1": 40, "v2": 40, "v3": 20})
        code, _, err = run("-f", self.vs, "-i", "reviews", "v1=60", "v2=20", "--pin", "v3")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.weights(), {"v1": 60, "v2": 20, "v3": 20})


if __name__ == "__main__":
    unittest.main()
