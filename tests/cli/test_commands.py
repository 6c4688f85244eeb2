"""The command table: `shift set` and the bare form are one command, global flags stand anywhere,
a VirtualService may be named like a command, and completion walks the same table."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import TempDirCase, read, run  # noqa: E402


def vs(name):
    return ("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
            "metadata: {name: %s, namespace: istio-demo}\nspec:\n  http:\n  - route:\n"
            "    - destination: {host: reviews, subset: v1}\n" % name)


class SetAndBareForm(TempDirCase):
    def test_set_is_the_bare_form(self):
        f = self.write("reviews.yaml", vs("reviews"))
        bare = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(bare[0], 0, bare[2])
        self.assertEqual(run("set", "-f", f, "reviews", "v1=50", "v3=50"), bare)
        self.assertEqual(run("-f", f, "set", "reviews", "v1=50", "v3=50"), bare)

    def test_global_flags_before_or_after_the_command_and_the_name(self):
        f = self.write("reviews.yaml", vs("reviews"))
        want = run("set", "-f", f, "reviews", "v1=50", "v3=50", "-o", "json", "-n", "istio-demo")
        self.assertEqual(want[0], 0, want[2])
        self.assertTrue(want[1].startswith("{"), want[1])
        for args in (["-o", "json", "-n", "istio-demo", "set", "-f", f, "reviews", "v1=50", "v3=50"],
                     ["-n", "istio-demo", "-f", f, "reviews", "-o", "json", "v1=50", "v3=50"],
                     ["--output=json", "--namespace", "istio-demo", "-f", f, "reviews", "v1=50", "v3=50"]):
            self.assertEqual(run(*args), want, args)

    def test_a_virtual_service_named_like_a_command(self):
        f = self.write("completion.yaml", vs("completion"))
        code, out, err = run("set", "-f", f, "completion", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("name: completion", out)
        # After `--` every word is an argument; a flag's value is never a command.
        self.assertEqual(run("-f", f, "--", "completion", "v1=50", "v3=50"), (code, out, err))
        f2 = self.write("set.yaml", vs("set"))
        code, out, err = run("-f", f2, "set", "set", "v1=100")
        self.assertEqual(code, 0, err)

    def test_in_place_through_set(self):
        f = self.write("reviews.yaml", vs("reviews"))
        code, out, err = run("set", "-f", f, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("weight: 50", read(f))

    def test_bad_color_is_one_line(self):
        f = self.write("reviews.yaml", vs("reviews"))
        code, out, err = run("-f", f, "--color=sometimes", "reviews", "v1=100")
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(err, "error: invalid --color value \"sometimes\": use auto, always or never\n")


class Completion(unittest.TestCase):
    def complete(self, *words):
        code, out, err = run("__complete", *words, env={"KUBECONFIG": "/nonexistent"})
        self.assertEqual((code, err), (0, ""))
        lines = out.splitlines()
        return [line.split("\t")[0] for line in lines[:-1]], int(lines[-1][1:])

    def test_set_completes_as_the_bare_form(self):
        self.assertEqual(self.complete("s")[0], ["set"])
        self.assertEqual(self.complete("set", "")[0], [])  # names only, none without a cluster
        self.assertEqual(self.complete("set", "--")[0], self.complete("--")[0])
        self.assertEqual(self.complete("-n", "x", "set", "-o", "")[0], ["yaml", "json"])

    def test_a_counting_flag_takes_no_value(self):
        self.assertEqual(self.complete("-v", "")[0], ["get", "rollout", "history", "undo", "verify", "completion"])
        self.assertEqual(self.complete("-v", "completion", "")[0], ["bash", "zsh", "fish"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
