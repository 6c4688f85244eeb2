"""shift -f: the bookinfo walkthrough, output modes, in-place edits and every input error."""
import json
import os
import stat
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import DATA, TempDirCase, read, run  # noqa: E402


class Walkthrough(TempDirCase):
    """all to v1 -> 50 v1 / 50 v3 -> all to v3, in both Istio eras."""

    def walk(self, era):
        f = self.copy(f"bookinfo/{era}/reviews-v1.yaml", "reviews.yaml")
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, read(os.path.join(DATA, f"bookinfo/{era}/reviews-50-v3.yaml")))
        self.assertIn("istio-demo/reviews http[0]", err)  # the summary goes to stderr
        self.assertEqual(read(f), read(os.path.join(DATA, f"bookinfo/{era}/reviews-v1.yaml")))

        code, out, err = run("-f", f, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), read(os.path.join(DATA, f"bookinfo/{era}/reviews-50-v3.yaml")))
        self.assertIn("istio-demo/reviews http[0]", out)

        code, out, err = run("-f", f, "--in-place", "--diff", "reviews", "v3=100")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), read(os.path.join(DATA, f"bookinfo/{era}/reviews-v3.yaml")))
        self.assertIn("-        subset: v1\n-      weight: 50\n", out)
        self.assertIn("--- " + f, out)

    def test_istio_1_8_v1alpha3(self):
        self.walk("v1alpha3")

    def test_current_v1(self):
        self.walk("v1")

    def test_partial_request_gives_the_rest_to_the_unlisted_one(self):
        f = self.copy("bookinfo/v1/reviews-v1.yaml")
        code, out, err = run("-f", f, "reviews", "v3=10")
        self.assertEqual(code, 0, err)
        self.assertIn("subset: v1\n      weight: 90\n    - destination:\n        host: reviews\n        subset: v3\n"
                      "      weight: 10\n", out)


class Modes(TempDirCase):
    def test_diff_prints_a_unified_diff_then_the_summary(self):
        f = self.copy("bookinfo/v1/reviews-v1.yaml")
        code, out, err = run("-f", f, "--diff", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith(f"--- {f}\n+++ {f}\n@@ -12,6 +12,11 @@"), out)
        self.assertIn("+      weight: 50\n+    - destination:\n+        host: reviews\n+        subset: v3\n", out)
        self.assertLess(out.index("@@"), out.index("istio-demo/reviews http[0]"))
        self.assertNotIn("\x1b[", out)  # no colour when not a terminal

    def test_color_always(self):
        f = self.copy("bookinfo/v1/reviews-v1.yaml")
        _, out, _ = run("-f", f, "--diff", "--color=always", "reviews", "v1=50", "v3=50")
        self.assertIn("\x1b[", out)
        _, out, _ = run("-f", f, "--diff", "--color=auto", "reviews", "v1=50", "v3=50", env={"NO_COLOR": "1"})
        self.assertNotIn("\x1b[", out)

    def test_dry_run_exit_code(self):
        f = self.copy("bookinfo/v1/reviews-v1.yaml")
        before = read(f)
        code, out, _ = run("-f", f, "--dry-run", "--exit-code", "reviews", "v3=10")
        self.assertEqual(code, 1)
        self.assertIn("+        subset: v3", out)
        self.assertEqual(read(f), before)
        code, out, err = run("-f", f, "--dry-run", "--exit-code", "reviews", "v1=100")
        self.assertEqual(code, 0, err)
        self.assertIn("no change", out)
        code, _, _ = run("-f", f, "--in-place", "--dry-run=client", "reviews", "v3=100")
        self.assertEqual(code, 0)
        self.assertEqual(read(f), before)

    def test_no_change_writes_nothing(self):
        f = self.copy("bookinfo/v1/reviews-50-v3.yaml")
        os.utime(f, (1000000000, 1000000000))
        code, out, err = run("-f", f, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("istio-demo/reviews: no change", out)
        self.assertEqual(os.stat(f).st_mtime, 1000000000)

    def test_stdin_to_json(self):
        text = read(os.path.join(DATA, "bookinfo/v1/reviews-v1.yaml"))
        code, out, err = run("-f", "-", "reviews", "v1=50", "v3=50", "-o", "json", stdin=text)
        self.assertEqual(code, 0, err)
        obj = json.loads(out)
        self.assertEqual(obj["kind"], "List")  # two documents in, a List out, as kubectl does
        vs = obj["items"][0]
        self.assertEqual(list(vs), ["apiVersion", "kind", "metadata", "spec"])
        route = vs["spec"]["http"][0]["route"]
        self.assertEqual([(d["destination"]["subset"], d["weight"]) for d in route], [("v1", 50), ("v3", 50)])

    def test_json_in_json_out(self):
        vs = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
              "metadata": {"name": "reviews", "annotations": {"a": "1e3", "b": "0x1F", "big": "x"}},
              "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}],
                       "x-big": 123456789012345678901234567890, "x-float": 1e3}}
        f = self.write("vs.json", json.dumps(vs, indent=2))
        code, out, err = run("-f", f, "reviews", "v1=90", "v3=10")
        self.assertEqual(code, 0, err)
        self.assertIn("123456789012345678901234567890", out)
        got = json.loads(out)
        self.assertTrue(out.startswith('{\n  "apiVersion"'), out)  # the file's 2-space indent is kept
        self.assertEqual(got["metadata"]["annotations"], {"a": "1e3", "b": "0x1F", "big": "x"})
        self.assertEqual(got["spec"]["http"][0]["route"][1], {"destination": {"host": "reviews", "subset": "v3"},
                                                              "weight": 10})

    def test_in_place_keeps_comments_quoting_and_mode(self):
        text = ("# top comment\n"
                "apiVersion: networking.istio.io/v1   # trailing\n"
                "kind: VirtualService\n"
                "metadata:\n"
                "  name: reviews\n"
                "  labels: {team: \"blue\", tier: 'NO'}\n"
                "\n"
                "spec:\n"
                "  hosts: [reviews]\n"
                "  http:\n"
                "    # the main route\n"
                "    - route:\n"
                "        - destination:\n"
                "            host: reviews\n"
                "            subset: v1\n"
                "          weight: 80 # most\n"
                "        - destination:\n"
                "            host: reviews\n"
                "            subset: v2\n"
                "          weight: 20\n"
                "      retries:\n"
                "        attempts: 3\n"
                "  tcp: []\n")
        f = self.write("vs.yaml", text)
        os.chmod(f, 0o640)
        code, _, err = run("-f", f, "-i", "reviews", "v1=60", "v2=40")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), text.replace("weight: 80 # most", "weight: 60 # most")
                         .replace("weight: 20\n", "weight: 40\n"))
        self.assertEqual(stat.S_IMODE(os.stat(f).st_mode), 0o640)
        self.assertEqual([n for n in os.listdir(self.dir) if n != "vs.yaml"], [])  # no temp file left

    def test_in_place_with_non_ascii_text(self):
        text = ("# café ☕ naïve\nkind: VirtualService\nmetadata:\n  name: reviews # ü\nspec:\n  http:\n"
                "  - route:\n    - destination:\n        host: reviews\n        subset: v1 # ß\n      weight: 50\n"
                "    - destination:\n        host: reviews\n        subset: v2\n      weight: 50\n")
        f = self.write("vs.yaml", text)
        code, _, err = run("-f", f, "-i", "reviews", "v1=30", "v2=70")
        self.assertEqual(code, 0, err)
        self.assertNotIn("warning", err)
        self.assertEqual(read(f), text.replace("weight: 50", "weight: 30", 1).replace("weight: 50", "weight: 70"))

    def test_anchors_and_merge_keys_are_expanded_not_copied(self):
        # The jason rule reads the default rule's destination through an alias; kubectl expands
        # both aliases and merge keys, and so does shift: only the targeted rule changes.
        text = ("kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n"
                "  - name: jason\n    route:\n    - destination: &v1\n        <<: &base {host: reviews}\n"
                "        subset: v1\n  - name: default\n    route:\n    - destination: *v1\n")
        f = self.write("vs.yaml", text)
        code, _, err = run("-f", f, "-i", "--route", "jason", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("warning: the route is written in flow style or with YAML anchors, aliases or merge keys", err)
        self.assertEqual(read(f), "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n"
                         "  - name: jason\n    route:\n    - destination:\n        host: reviews\n        subset: v1\n"
                         "      weight: 50\n    - destination:\n        host: reviews\n        subset: v3\n"
                         "      weight: 50\n  - name: default\n    route:\n    - destination:\n"
                         "        host: reviews\n        subset: v1\n")

    def test_invalid_live_weights_warn_with_or_without_destination_rule(self):
        vs = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\n"
              "spec:\n  http:\n  - route:\n"
              "    - destination: {host: reviews, subset: v1}\n      weight: -10\n"
              "    - destination: {host: reviews, subset: v3}\n      weight: 110\n")
        dr = ("---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\n"
              "spec:\n  host: reviews\n  subsets:\n  - name: v1\n  - name: v3\n")
        for name, text in (("alone.yaml", vs), ("with-rule.yaml", vs + dr)):
            f = self.write(name, text)
            code, _, err = run("-f", f, "reviews", "v1=50", "v3=50")
            self.assertEqual(code, 0, err)
            self.assertIn("warning: VirtualService reviews http[0] has invalid weights now "
                          "(v1=-10 v3=110: each must be 0 to 100); this shift replaces them", err, name)

    def test_list_in_place(self):
        text = ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1\n  kind: VirtualService\n"
                "  metadata:\n    name: reviews\n  spec:\n    http:\n    - route:\n      - destination:\n"
                "          host: reviews\n          subset: v1\n- kind: DestinationRule\n  metadata:\n    name: reviews\n"
                "  spec:\n    host: reviews\n    subsets:\n    - name: v1\n    - name: v2\n")
        f = self.write("list.yaml", text)
        code, _, err = run("-f", f, "-i", "reviews", "v2=25")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), text.replace(
            "          subset: v1\n", "          subset: v1\n        weight: 75\n      - destination:\n"
            "          host: reviews\n          subset: v2\n        weight: 25\n"))

    def test_directory_in_place(self):
        self.copy("bookinfo/v1/reviews-v1.yaml", "reviews.yaml")
        other = self.write("ratings.yaml", "kind: VirtualService\nmetadata: {name: ratings}\nspec:\n  http:\n"
                                           "  - route: [{destination: {host: ratings, subset: v1}}]\n")
        before = read(other)
        code, _, err = run("-f", self.dir, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(os.path.join(self.dir, "reviews.yaml")),
                         read(os.path.join(DATA, "bookinfo/v1/reviews-50-v3.yaml")))
        self.assertEqual(read(other), before)


class Errors(TempDirCase):
    """Each bad input: one line naming problem and fix, exit 2, the file unchanged."""

    def check(self, args, says, path=None, code=2):
        f = path or self.copy("bookinfo/v1/reviews-v1.yaml")
        before = read(f)
        got, out, err = run("-f", f, "--in-place", *args)
        self.assertEqual(got, code, err)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(err.startswith("error: "), err)
        self.assertIn(says, err)
        self.assertEqual(read(f), before)

    def test_request_errors(self):
        self.check(["reviews", "v1=50", "v1=50"], "\"v1\" is given twice; list each destination once")
        self.check(["reviews", "v1=x"], "is not a number")
        self.check(["reviews", "v1=-5"], "out of range")
        self.check(["reviews", "v1=101"], "out of range")
        self.check(["reviews", "v1=50", "v3=60"], "sum to 110, not 100; lower them by 10")
        self.check(["reviews", "v1=40", "v3=40"], "sum to 80, not 100; raise one of them by 20")

    def test_empty_request(self):
        self.check(["reviews"], "weights")

    def test_unknown_virtual_service(self):
        self.check(["ratings", "v1=100"], "no VirtualService named \"ratings\" in ")
        self.check(["ratings", "v1=100"], "it holds: istio-demo/reviews")

    def test_undefined_subset(self):
        self.check(["reviews", "v1=50", "v4=50"],
                   "subset \"v4\" of host reviews is not defined by its DestinationRule (defined: v1, v2, v3)")
        f = self.copy("bookinfo/v1/reviews-v1.yaml", "novalidate.yaml")
        code, _, err = run("-f", f, "--no-validate", "reviews", "v1=50", "v4=50")
        self.assertEqual(code, 0, err)

    def test_ambiguous_host(self):
        f = self.write("two.yaml", "kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n  - route:\n"
                                   "    - destination: {host: a, subset: v1}\n      weight: 50\n"
                                   "    - destination: {host: b, subset: v1}\n      weight: 50\n")
        self.check(["r", "v2=100"], "write HOST/v2 with one of: a, b", path=f)

    def test_route_selection(self):
        f = self.write("rules.yaml", "kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n"
                                     "  - route: [{destination: {host: a}}]\n  - route: [{destination: {host: b}}]\n")
        self.check(["r", "a=100"], "choose with --route", path=f)
        self.check(["r", "--route", "5", "a=100"], "--route 5 matches no rule of VirtualService r", path=f)

    def test_route_flag_takes_one_value_anywhere(self):
        f = self.write("rules.yaml", "kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n"
                                     "  - route: [{destination: {host: a}}]\n  - route: [{destination: {host: b}}]\n")
        for args in (["--route", "1", "r", "b=90", "c=10"], ["r", "--route=1", "b=90", "c=10"],
                     ["r", "b=90", "c=10", "--route", "http:1"]):
            code, out, err = run("-f", f, *args, "-o", "json")
            self.assertEqual(code, 0, err)
            http = json.loads(out)["spec"]["http"]
            self.assertEqual(http[0]["route"], [{"destination": {"host": "a"}}])
            self.assertEqual([d["weight"] for d in http[1]["route"]], [90, 10])

    def test_malformed_yaml_and_json(self):
        f = self.write("bad.yaml", "kind: VirtualService\nmetadata:\n  name: [reviews\n")
        self.check(["reviews", "v1=100"], "bad.yaml:", path=f)
        f = self.write("bad.json", '{"kind": "VirtualService",\n "metadata": {"name": }}\n')
        self.check(["reviews", "v1=100"], "bad.json:2:", path=f)

    def test_flag_errors(self):
        code, out, err = run("--in-place", "reviews", "v1=100")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--in-place rewrites a file", err)
        code, _, err = run("-f", "/nonexistent/x.yaml", "reviews", "v1=100")
        self.assertEqual(code, 2)
        self.assertIn("cannot read /nonexistent/x.yaml", err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
