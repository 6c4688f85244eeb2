#!/usr/bin/env python3
"""Manifests from an untrusted source: an alias bomb ("billion laughs") or absurd nesting must end
in a one-line error with exit 2, within bounded memory, never in a crash or an allocation spree."""
import json
import os
import resource
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shiftcli import BIN, TempDirCase, virtual_service  # noqa: E402

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: a bomb expanded would need several


def limited_run(*args):
    """Runs shift with its address space capped, so an unbounded expansion fails fast instead of
    thrashing the machine; returns (exit code, stdout, stderr)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    # An AddressSanitizer build reserves terabytes of shadow address space at start, so it cannot run
    # under the cap; ASan's own allocator limits (and its report) stand in for it there.
    sanitized = "ASAN_OPTIONS" in os.environ
    p = subprocess.run([BIN, *args], capture_output=True, text=True, preexec_fn=None if sanitized else cap,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def alias_bomb(levels):
    """A VirtualService with a billion-laughs block under an unrelated annotation-like key."""
    lines = ["lol: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append("l%d: &l%d [%s]" % (i, i, ", ".join(["*l%d" % (i - 1)] * 10)))
    vs = json.dumps(virtual_service("reviews", "reviews"))
    return "\n".join(["---", vs, "---", "kind: ConfigMap", "metadata: {name: bomb}", "data:"] +
                     ["  " + line for line in lines]) + "\n"


class AliasBomb(TempDirCase):
    def test_ten_levels_are_refused_with_kubectls_words(self):
        path = self.write("bomb.yaml", alias_bomb(10))
        code, out, err = limited_run("-f", path, "reviews", "v1=100")
        self.assertEqual(code, 2, err)
        self.assertEqual(err, "error: %s: invalid YAML: document contains excessive aliasing; fix the file and "
                              "retry\n" % path)
        self.assertEqual(out, "")

    def test_seven_levels_too(self):
        path = self.write("bomb7.yaml", alias_bomb(7))
        code, _, err = limited_run("-f", path, "reviews", "v1=100")
        self.assertEqual(code, 2, err)
        self.assertIn("document contains excessive aliasing", err)

    def test_a_few_aliases_still_read(self):
        path = self.write("ok.yaml", alias_bomb(1))
        code, out, err = limited_run("-f", path, "reviews", "v1=100")
        self.assertEqual(code, 0, err)
        self.assertIn("reviews", out)


class DeepNesting(TempDirCase):
    def check_refused(self, name, text, kind):
        path = self.write(name, text)
        code, out, err = limited_run("-f", path, "reviews", "v1=100")
        self.assertEqual(code, 2, err)
        self.assertIn("invalid %s: nesting exceeds the maximum depth of 10000; fix the file and retry" % kind, err)
        self.assertEqual(len(err.splitlines()), 1, err)

    def test_yaml_flow(self):
        self.check_refused("deep.yaml", "kind: VirtualService\nspec: " + "[" * 100000 + "]" * 100000 + "\n", "YAML")

    def test_json(self):
        self.check_refused("deep.json", '{"kind": "VirtualService", "spec": ' + "[" * 100000 + "]" * 100000 + "}",
                           "JSON")

    def test_yaml_unclosed(self):
        self.check_refused("open.yaml", "spec: " + "[" * 100000 + "\n", "YAML")


if __name__ == "__main__":
    unittest.main()
