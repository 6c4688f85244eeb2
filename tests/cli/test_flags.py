"""The global and set flags' values: kubectl's durations for --request-timeout, one-line errors in
shift's words (never CLI11's), hints for the usual slips (`--dry-run server`, NAME last), and the
namespace checked before any request."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import TempDirCase, run  # noqa: E402

VS = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
      "metadata: {name: reviews, namespace: istio-demo}\nspec:\n  http:\n  - route:\n"
      "    - destination: {host: reviews, subset: v1}\n")
NO_CLUSTER = {"KUBECONFIG": "/nonexistent/kubeconfig"}


class FlagCase(TempDirCase):
    def setUp(self):
        super().setUp()
        self.file = self.write("reviews.yaml", VS)

    def assertInputError(self, args, message, env=None):
        code, out, err = run(*args, env=env)
        self.assertEqual((code, out), (2, ""), err)
        self.assertEqual(err, "error: %s\n" % message)


class RequestTimeout(FlagCase):
    def test_takes_kubectl_durations_and_plain_seconds(self):
        for value in ("5s", "1m", "500ms", "1m30s", "0", "5", "2.5"):
            code, out, err = run("-f", self.file, "--request-timeout", value, "reviews", "v1=100")
            self.assertEqual(code, 0, (value, err))
            code, out2, err = run("-f", self.file, "--request-timeout=" + value, "reviews", "v1=100")
            self.assertEqual((code, out2), (0, out), (value, err))

    def test_a_bad_duration_names_the_flag(self):
        code, out, err = run("-f", self.file, "--request-timeout=5x", "reviews", "v1=100")
        self.assertEqual((code, out), (2, ""))
        self.assertTrue(err.startswith('error: invalid --request-timeout "5x"'), err)
        self.assertEqual(err.count("\n"), 1, err)
        code, out, err = run("-f", self.file, "--request-timeout=-1s", "reviews", "v1=100")
        self.assertEqual((code, out), (2, ""))
        self.assertTrue(err.startswith('error: invalid --request-timeout "-1s"'), err)

    def test_help_says_duration(self):
        code, out, err = run("--help")
        self.assertEqual(code, 0, err)
        self.assertIn("--request-timeout DURATION", out)
        self.assertIn("0 for no", out)


class NoParserInternals(FlagCase):
    INTERNALS = ("not in range", "Check ", "->", "1797", "IsMember", "Value ")

    def assertOwnWords(self, args, message):
        code, out, err = run(*args)
        self.assertEqual((code, out, err), (2, "", "error: %s\n" % message))
        for word in self.INTERNALS:
            self.assertNotIn(word, err)

    def test_dry_run_value(self):
        self.assertOwnWords(["-f", self.file, "--dry-run=sometimes", "reviews", "v1=100"],
                            'invalid --dry-run "sometimes": use client, server or none')

    def test_output_value(self):
        self.assertOwnWords(["-f", self.file, "-o", "xml", "reviews", "v1=100"],
                            'invalid -o "xml": use -o yaml or -o json')

    def test_parse_errors(self):
        self.assertOwnWords(["-f", self.file, "reviews", "v1=100", "--frobnicate"],
                            "unknown flag --frobnicate; see kubectl shift --help")
        self.assertOwnWords(["-f", self.file, "reviews", "v1=100", "-n"],
                            "--namespace needs a value; see kubectl shift --help")
        self.assertOwnWords(["-f", self.file, "reviews", "v1=100", "--diff=maybe"],
                            'invalid --diff value "maybe"; see kubectl shift --help')

    def test_dry_run_none_is_accepted(self):
        code, out, err = run("-f", self.file, "--dry-run=none", "reviews", "v1=100")
        self.assertEqual(code, 0, err)
        self.assertIn("name: reviews", out)


class Hints(FlagCase):
    def test_dry_run_with_a_space(self):
        for where in (0, 1, 3):
            args = ["-f", self.file, "reviews", "v1=100"]
            args[where:where] = ["--dry-run", "server"]
            self.assertInputError(args, "--dry-run server: write --dry-run=server (with =); a bare --dry-run "
                                        "means client")

    def test_name_last(self):
        self.assertInputError(["-f", self.file, "v1=90", "v3=10", "reviews"],
                              "NAME comes first, then the split: kubectl shift reviews v1=90 v3=10")
        self.assertInputError(["-f", self.file, "v1=90", "v3=10"],
                              "NAME comes first, then the split: kubectl shift NAME v1=90 v3=10")

    def test_help_shows_the_dry_run_values(self):
        code, out, err = run("--help")
        self.assertEqual(code, 0, err)
        self.assertIn("--dry-run[=client|server|none]", out)


class Namespace(FlagCase):
    RULE = ("a namespace is a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a "
            "letter or digit, at most 63 characters)")

    def test_bad_namespace_before_any_request(self):
        # No kubeconfig at all: the namespace is refused before shift looks for a cluster.
        for ns in ("Bad_NS", "-x", "a" * 64, "prod."):
            self.assertInputError(["-n", ns, "reviews", "v1=100"], 'invalid namespace "%s": %s' % (ns, self.RULE),
                                  env=NO_CLUSTER)
        self.assertInputError(["-f", self.file, "--namespace=Bad_NS", "reviews", "v1=100"],
                              'invalid namespace "Bad_NS": %s' % self.RULE)

    def test_good_namespaces_pass(self):
        for ns in ("istio-demo", "a", "0a-9", "a" * 63):
            code, out, err = run("-f", self.file, "-n", ns, "reviews", "v1=100")
            self.assertNotIn("invalid namespace", err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
