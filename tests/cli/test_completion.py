"""Shell completion: `shift completion SHELL`, the hidden `shift __complete`, and real bash, zsh, fish
and kubectl completing against the local test API server."""
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import BIN, TESTS, destination_rule, run, virtual_service  # noqa: E402

sys.path.insert(0, os.path.join(TESTS, "server"))
from testserver import TestServer  # noqa: E402

TOP = os.path.dirname(os.path.abspath(TESTS))
SCRIPTS = {"bash": "shift.bash", "zsh": "_shift", "fish": "shift.fish"}


def candidates(out):
    """The candidates of a __complete answer (descriptions dropped) and its directive."""
    lines = out.splitlines()
    assert lines and re.fullmatch(r":\d+", lines[-1]), "no directive line in %r" % out
    return [line.split("\t")[0] for line in lines[:-1]], int(lines[-1][1:])


class Scripts(unittest.TestCase):
    def test_printed_scripts_are_the_installed_files(self):
        for shell, name in SCRIPTS.items():
            code, out, err = run("completion", shell)
            self.assertEqual(code, 0, err)
            with open(os.path.join(TOP, "completions", name), encoding="utf-8") as f:
                self.assertEqual(out, f.read(), shell)

    def test_unknown_shell_is_bad_input(self):
        code, out, err = run("completion", "tcsh")
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(err, 'error: no completion for "tcsh"; use kubectl shift completion bash, zsh or fish\n')

    def test_no_shell_prints_the_usage(self):
        code, out, err = run("completion")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("usage: kubectl shift completion bash|zsh|fish", err)

    def test_no_shell_function_or_alias_named_shift(self):
        # `shift` is a builtin of bash, zsh and dash: the scripts must never redefine it.
        for name in SCRIPTS.values():
            with open(os.path.join(TOP, "completions", name), encoding="utf-8") as f:
                text = f.read()
            self.assertNotRegex(text, r"(?m)^\s*(function\s+shift\b|shift\s*\(\)|alias\s+shift=)", name)


def commands():
    """The command names a bare TAB offers (set is the default, offered once typed)."""
    code, out, _ = run("__complete", "", env={"KUBECONFIG": "/nonexistent"})
    return candidates(out)[0]


class Protocol(unittest.TestCase):
    """__complete without a cluster: flags and fixed values come from the parser itself."""

    def complete(self, *words, env=None):
        code, out, err = run("__complete", *words, env=dict({"KUBECONFIG": "/nonexistent"}, **(env or {})))
        self.assertEqual((code, err), (0, ""))
        return candidates(out)

    def test_flags_are_the_long_options_of_help(self):
        _, out, _ = run("--help")
        helped = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", out.split("Options:", 1)[1].split("Commands:")[0]))
        flags, directive = self.complete("--")
        self.assertEqual(set(flags), helped)
        self.assertEqual(directive & 4, 4)
        self.assertIn("-n", self.complete("-")[0])

    def test_fixed_values(self):
        self.assertEqual(self.complete("-o", "")[0], ["yaml", "json"])
        self.assertEqual(self.complete("--color=a")[0], ["--color=auto", "--color=always"])
        self.assertEqual(self.complete("--dry-run=s")[0], ["--dry-run=server"])
        self.assertEqual(self.complete("completion", "")[0], ["bash", "zsh", "fish"])
        self.assertEqual(self.complete("comp")[0], ["completion"])

    def test_file_flags_leave_it_to_the_shell(self):
        self.assertEqual(self.complete("-f", ""), ([], 0))
        self.assertEqual(self.complete("--kubeconfig", ""), ([], 0))
        self.assertEqual(self.complete("rollout", "--prometheus-ca-file", ""), ([], 0))
        self.assertEqual(self.complete("verify", "--prometheus-token-file", ""), ([], 0))

    def test_analysis_values(self):
        self.assertEqual(self.complete("rollout", "--inconclusive", "")[0], ["fail", "pass"])
        gates, directive = self.complete("rollout", "--analysis", "lat")
        self.assertEqual(gates, ["latency-p50<=", "latency-p90<=", "latency-p95<=", "latency-p99<="])
        self.assertEqual(directive & 2, 2)  # no space: the threshold follows
        self.assertIn("--tolerance", self.complete("verify", "--")[0])

    def test_split_flags(self):
        self.assertEqual(self.complete("--weights", "")[0], ["any-total", "sum-100"])
        flags = self.complete("--")[0]
        for flag in ("--adjust", "--equal", "--pin", "--weights", "--istio-namespace"):
            self.assertIn(flag, flags)
        self.assertIn("--pin", self.complete("rollout", "--")[0])

    def test_names_and_subsets_from_files(self):
        d = tempfile.mkdtemp(prefix="shift-complete-")
        self.addCleanup(shutil.rmtree, d, True)
        with open(os.path.join(d, "mesh.yaml"), "w") as f:
            f.write("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\n"
                    "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n"
                    "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\n"
                    "spec:\n  host: reviews\n  subsets: [{name: v1}, {name: v2}, {name: v3}]\n")
        # Where a name can go, so can a command: `r` is rollout or the VirtualService reviews.
        self.assertEqual(self.complete("-f", d, "r")[0], ["rollout", "reviews"])
        self.assertEqual(self.complete("-f", d, "re")[0], ["reviews"])
        self.assertEqual(self.complete("-f", d, "reviews", "v1=50", "")[0], ["v2=", "v3="])
        # --pin names a subset; --adjust one followed by +N or -N (no space).
        self.assertEqual(self.complete("-f", d, "reviews", "--pin", "")[0], ["v1", "v2", "v3"])
        adjust, directive = self.complete("-f", d, "reviews", "--adjust", "v")
        self.assertEqual((adjust, directive & 2), (["v1=", "v2=", "v3="], 2))

    def test_subsets_of_a_wildcard_destination_rule(self):
        # The lookup Istio does (and shift's check): a wildcard host covers reviews.
        d = tempfile.mkdtemp(prefix="shift-complete-")
        self.addCleanup(shutil.rmtree, d, True)
        with open(os.path.join(d, "mesh.yaml"), "w") as f:
            f.write("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\n"
                    "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n"
                    "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: all}\n"
                    "spec:\n  host: \"*.default.svc.cluster.local\"\n  subsets: [{name: v1}, {name: v4}]\n")
        self.assertEqual(self.complete("-f", d, "reviews", "v1=50", "")[0], ["v4="])

    def test_kubeconfig_contexts(self):
        d = tempfile.mkdtemp(prefix="shift-complete-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "config")
        with open(path, "w") as f:
            f.write("apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters: []\nusers: []\n"
                    "contexts:\n- name: prod\n  context: {cluster: c, user: u}\n"
                    "- name: staging\n  context: {cluster: c, user: u}\n")
        self.assertEqual(self.complete("--kubeconfig", path, "--context", "")[0], ["prod", "staging"])
        self.assertEqual(self.complete("--context", "s", env={"KUBECONFIG": path})[0], ["staging"])

    def test_route_values_and_host_keys_from_files(self):
        d = tempfile.mkdtemp(prefix="shift-complete-")
        self.addCleanup(shutil.rmtree, d, True)
        with open(os.path.join(d, "vs.yaml"), "w") as f:
            f.write("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: byhost}\n"
                    "spec:\n  hosts: [reviews]\n  http:\n  - name: canary\n    match: [{uri: {prefix: /c}}]\n"
                    "    route:\n    - destination: {host: reviews-v2}\n  - route:\n"
                    "    - destination: {host: reviews-v1}\n  tcp:\n  - route:\n    - destination: {host: db}\n")
        self.assertEqual(self.complete("-f", d, "byhost", "--route", "")[0], ["canary", "http:0", "http:1", "tcp:0"])
        self.assertEqual(self.complete("-f", d, "byhost", "--route", "c")[0], ["canary"])
        # A route without subsets is keyed by host: the hosts it routes to are offered.
        self.assertEqual(sorted(self.complete("-f", d, "byhost", "")[0]), ["db=", "reviews-v1=", "reviews-v2="])

    def test_unreachable_cluster_prints_nothing_else(self):
        self.assertEqual(self.complete("")[0], ["get", "rollout", "history", "undo", "verify", "completion"])  # the commands, no names


def shell_bin_dir(test):
    """A PATH folder with shift, kubectl-shift and kubectl_complete-shift, as installed."""
    d = tempfile.mkdtemp(prefix="shift-bin-")
    test.addCleanup(shutil.rmtree, d, True)
    os.symlink(os.path.abspath(BIN), os.path.join(d, "shift"))
    os.symlink("shift", os.path.join(d, "kubectl-shift"))
    shutil.copy(os.path.join(TOP, "plugins", "kubectl_complete-shift"), d)
    return d


class Shells(unittest.TestCase):
    """Each shell's own completion machinery, against the test API server."""

    @classmethod
    def setUpClass(cls):
        cls.srv = TestServer().start()
        for name in ("reviews", "ratings", "details"):
            cls.srv.create("istio-demo", "virtualservices", virtual_service(name, name))
        cls.srv.create("other", "virtualservices", virtual_service("productpage", "productpage"))
        cls.srv.create("istio-demo", "destinationrules", destination_rule("reviews", "v1", "v2", "v3"))

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def setUp(self):
        self.bin = shell_bin_dir(self)
        self.scripts = tempfile.mkdtemp(prefix="shift-scripts-")
        self.addCleanup(shutil.rmtree, self.scripts, True)
        for shell, name in SCRIPTS.items():
            with open(os.path.join(self.scripts, name), "w") as f:
                f.write(run("completion", shell)[1])
        self.env = dict(self.srv.env(), PATH=self.bin + os.pathsep + os.environ["PATH"], HOME=self.scripts)
        self.env.pop("NO_COLOR", None)

    # ---- bash: source the script, fill COMP_* as readline does, call the registered function ----
    def bash(self, line):
        words = line.split(" ")
        script = """
source "$1"
COMP_LINE=$2 COMP_POINT=${#2}
read -r -a COMP_WORDS <<<"$2"; [[ $2 == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
spec=$(complete -p "${COMP_WORDS[0]}") || exit 3
fn=${spec#*-F }; fn=${fn%% *}
"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "${COMPREPLY[@]}"
"""
        p = subprocess.run(["bash", "--norc", "-c", script, "bash", os.path.join(self.scripts, "shift.bash"), line],
                           capture_output=True, text=True, env=self.env, timeout=20)
        self.assertEqual((p.returncode, p.stderr), (0, ""), words)
        return [x for x in p.stdout.splitlines() if x]

    def test_bash(self):
        self.assertEqual(sorted(self.bash("shift ")), sorted(commands() + ["details", "ratings", "reviews"]))
        self.assertEqual(self.bash("shift re"), ["reviews"])
        self.assertEqual(self.bash("shift reviews "), ["v1=", "v2=", "v3="])
        self.assertEqual(self.bash("shift reviews v1=50 v"), ["v2=", "v3="])
        self.assertEqual(sorted(self.bash("shift -n other ")), sorted(commands() + ["productpage"]))
        self.assertEqual(self.bash("kubectl-shift --namespace=other p"), ["productpage"])
        self.assertEqual(self.bash("shift --context "), ["admin", "admin-cert", "nobody", "nobody-cert"])
        self.assertEqual(self.bash("shift -n istio"), ["istio-demo"])
        # Readline replaces only what follows the `=`.
        self.assertEqual(self.bash("shift --color=al"), ["always"])
        self.assertEqual(self.bash("shift completion "), ["bash", "zsh", "fish"])

    # ---- zsh: an interactive zsh on a pty, compinit, and compadd recording what it is given ----
    def zsh(self, line):
        if shutil.which("zsh") is None:
            self.skipTest("zsh is not installed")
        capture = os.path.join(self.scripts, "capture")
        open(capture, "w").close()
        setup = [
            "PS1='%% '; RPROMPT=; LISTMAX=10000; unset zle_bracketed_paste",
            "fpath=(%s $fpath); autoload -Uz compinit; compinit -u -D" % self.scripts,
            "compadd() { if (( ${@[(I)-[OAD]]} )); then builtin compadd \"$@\"; return; fi;"
            " local -a __h; builtin compadd -O __h \"$@\"; print -rl -- $__h >> %s; builtin compadd \"$@\" }" % capture,
        ]
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe("zsh", ["zsh", "-f", "-i"], self.env)
        try:
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 100, 250, 0, 0))
            for cmd in setup:
                os.write(fd, (cmd + "\n").encode())
            os.write(fd, (line + "\t").encode())
            # Typeahead would cut the completion short: wait for the candidates first.
            out, deadline = b"", time.time() + 10
            while os.path.getsize(capture) == 0 and time.time() < deadline:
                if select.select([fd], [], [], 0.1)[0]:
                    out += os.read(fd, 65536)
            os.write(fd, b"\x15print -r -- __DO''NE__\n")
            while b"__DONE__" not in out.replace(b"__DO''NE__", b""):
                self.assertLess(time.time(), deadline, "zsh did not finish: %r" % out[-2000:])
                if select.select([fd], [], [], 0.5)[0]:
                    try:
                        out += os.read(fd, 65536)
                    except OSError:
                        break
            os.write(fd, b"exit\n")
        finally:
            os.close(fd)
            os.waitpid(pid, 0)
        with open(capture) as f:
            return [x for x in f.read().splitlines() if x]

    def test_zsh(self):
        self.assertEqual(sorted(self.zsh("shift ")), sorted(commands() + ["details", "ratings", "reviews"]))
        self.assertEqual(self.zsh("command shift rev"), ["reviews"])
        self.assertEqual(self.zsh("shift reviews v1=50 "), ["v2=", "v3="])
        self.assertEqual(self.zsh("shift --context=admin-"), ["--context=admin-cert"])
        self.assertEqual(sorted(self.zsh("kubectl-shift -n other ")), sorted(commands() + ["productpage"]))

    # ---- fish: complete -C asks fish's completion machinery for the candidates of a line ----
    def fish(self, line):
        if shutil.which("fish") is None:
            self.skipTest("fish is not installed")
        p = subprocess.run(["fish", "--no-config", "-c", "source $argv[1]; complete -C $argv[2]",
                            os.path.join(self.scripts, "shift.fish"), line],
                           capture_output=True, text=True, env=self.env, timeout=20)
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        return [x.split("\t")[0] for x in p.stdout.splitlines()]

    def test_fish(self):
        self.assertEqual(sorted(self.fish("shift ")), sorted(commands() + ["details", "ratings", "reviews"]))
        self.assertEqual(self.fish("shift rat"), ["ratings"])
        self.assertEqual(self.fish("shift reviews "), ["v1=", "v2=", "v3="])
        self.assertEqual(sorted(self.fish("shift -n other ")), sorted(commands() + ["productpage"]))
        self.assertIn("--namespace", self.fish("shift --na"))

    # ---- kubectl: `kubectl __complete` is what kubectl's own shell scripts run on TAB ----
    def test_kubectl_plugin_completion(self):
        if shutil.which("kubectl") is None:
            self.skipTest("kubectl is not installed")
        def kubectl(*words):
            p = subprocess.run(["kubectl", "__complete", "shift", *words], capture_output=True, text=True,
                               env=self.env, timeout=20)
            self.assertEqual(p.returncode, 0, p.stderr)
            return candidates(p.stdout)
        names, directive = kubectl("")
        self.assertEqual((sorted(names), directive), (sorted(commands() + ["details", "ratings", "reviews"]), 4))
        self.assertEqual(kubectl("reviews", "v1=50", ""), (["v2=", "v3="], 6))
        names, directive = kubectl("-n", "other", "")
        self.assertEqual((sorted(names), directive), (sorted(commands() + ["productpage"]), 4))

    def test_slow_cluster_gives_up_quietly(self):
        self.srv.fault("delay", count=-1, ms=5000, path="virtualservices")
        self.addCleanup(self.srv.clear_faults)
        start = time.time()
        code, out, err = run("__complete", "", env=self.env)
        self.assertLess(time.time() - start, 4)
        self.assertEqual((code, err), (0, ""))
        self.assertNotIn("reviews", out)


if __name__ == "__main__":
    unittest.main()
