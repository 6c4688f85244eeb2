"""Runs the built shift binary for the CLI tests (SHIFT_BIN, set by ctest)."""
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SHIFT_BIN", os.path.join(os.path.dirname(__file__), "../../build/cli/shift"))
TESTS = os.environ.get("SHIFT_TESTS", os.path.join(os.path.dirname(__file__), ".."))
DATA = os.path.join(TESTS, "data")


def virtual_service(name, host):
    """A VirtualService routing all of host to subset v1."""
    return {"kind": "VirtualService", "metadata": {"name": name},
            "spec": {"hosts": [host], "http": [{"route": [{"destination": {"host": host, "subset": "v1"}}]}]}}


def destination_rule(host, *subsets):
    return {"kind": "DestinationRule", "metadata": {"name": host},
            "spec": {"host": host, "subsets": [{"name": s, "labels": {"version": s}} for s in subsets]}}


def run(*args, stdin=None, env=None, cwd=None):
    """Returns (exit code, stdout, stderr) of one shift run."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    # The summary's arrows and bars depend on the locale: tests expect UTF-8 unless they set one.
    full_env["LC_ALL"] = "C.UTF-8"
    full_env.update(env or {})
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, env=full_env, cwd=cwd,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class TempDirCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="shift-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def copy(self, src, name=None):
        dst = os.path.join(self.dir, name or os.path.basename(src))
        shutil.copyfile(os.path.join(DATA, src) if not os.path.isabs(src) else src, dst)
        return dst

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path
