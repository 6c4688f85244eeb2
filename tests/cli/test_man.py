"""man/shift.1: lints clean, and agrees with --help, the exit codes and the environment the code reads."""
import glob
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import TESTS, run  # noqa: E402

TOP = os.path.dirname(os.path.abspath(TESTS))
MAN = os.path.join(TOP, "man", "shift.1")


def man_text():
    with open(MAN, encoding="utf-8") as f:
        return f.read()


def section(text, name):
    m = re.search(r"(?ms)^\.Sh %s\n(.*?)(?=^\.Sh |\Z)" % re.escape(name), text)
    assert m, "no section " + name
    return m.group(1)


def help_options():
    """The options of every command's --help (set's is the bare --help)."""
    longs, shorts = set(), set()
    for args in (["--help"], ["get", "--help"]):
        code, out, err = run(*args)
        assert code == 0, err
        longs |= set(re.findall(r"(?<![\w-])--([a-z][a-z-]*)", out.split("Options:", 1)[1]))
        shorts |= set(re.findall(r"(?m)^\s+-([a-zA-Z]),", out))
    return longs, shorts


class Man(unittest.TestCase):
    def test_mandoc_lint_clean(self):
        if shutil.which("mandoc") is None:
            self.skipTest("mandoc is not installed (apt-get install mandoc)")
        p = subprocess.run(["mandoc", "-Tlint", MAN], capture_output=True, text=True)
        # What other manuals this machine has installed is not the page's business.
        issues = [line for line in (p.stdout + p.stderr).splitlines()
                  if line and "referenced manual not found" not in line and "mandoc.db" not in line]
        self.assertEqual(issues, [])

    def test_long_options_agree_with_help(self):
        longs, _ = help_options()
        documented = set(re.findall(r"\bFl -([a-z][a-z-]*)", man_text()))
        self.assertEqual(documented - longs, set(), "in the man page, not in --help")
        self.assertEqual(longs - documented, set(), "in --help, not in the man page")
        described = set(re.findall(r"(?m)^\.It Fl .*?Fl -([a-z][a-z-]*)|^\.It Fl -([a-z][a-z-]*)",
                                   section(man_text(), "OPTIONS")))
        self.assertEqual({a or b for a, b in described}, longs, "every option has its own .It in OPTIONS")

    def test_short_options_agree_with_help(self):
        _, shorts = help_options()
        documented = set(re.findall(r"(?m)^\.It Fl ([a-zA-Z]) ,", section(man_text(), "OPTIONS")))
        self.assertEqual(documented, shorts)

    def test_exit_codes_are_the_codes(self):
        with open(os.path.join(TOP, "lib", "base", "result.hpp"), encoding="utf-8") as f:
            codes = set(re.findall(r"kExit\w+ = (\d+)", f.read()))
        documented = set(re.findall(r"(?m)^\.It (\d+)$", section(man_text(), "EXIT STATUS")))
        self.assertEqual(documented, codes)

    def test_every_environment_variable_read_is_documented(self):
        read = set()
        for path in glob.glob(os.path.join(TOP, "lib", "*", "*.cpp")) + glob.glob(os.path.join(TOP, "cli", "*.cpp")):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            read |= set(re.findall(r'getenv\("([A-Z_]+)"\)', text))
            read |= set(re.findall(r'envOrEmpty\("([A-Z_]+)"\)', text))
            for names in re.findall(r"for \(const char\* name :\s*\{([^}]*)\}", text):
                read |= set(re.findall(r'"([A-Z_]+)"', names))
        self.assertTrue({"KUBECONFIG", "NO_COLOR"} <= read, read)
        documented = set(re.findall(r"\bEv ([A-Z_]+)", section(man_text(), "ENVIRONMENT")))
        self.assertEqual(read - documented, set())
        # libcurl reads the proxy variables itself.
        self.assertTrue({"HTTPS_PROXY", "NO_PROXY", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"} <= documented)

    def test_files_builtin_note_and_examples(self):
        text = man_text()
        files = section(text, "FILES")
        for path in ("~/.kube/config", "/var/run/secrets/kubernetes.io/serviceaccount/", "kubectl-shift",
                     "kubectl_complete-shift", "bash-completion/completions/shift", "site-functions/_shift",
                     "vendor_completions.d/shift.fish"):
            self.assertIn(path, files)
        self.assertIn("builtin", section(text, "DESCRIPTION"))
        examples = section(text, "EXAMPLES")
        self.assertIn("kubectl shift -n istio-demo reviews v1=50 v3=50", examples)
        self.assertIn("reviews v3=100", examples)
        self.assertRegex(section(text, "SYNOPSIS"), r"Cm completion")


if __name__ == "__main__":
    unittest.main()
