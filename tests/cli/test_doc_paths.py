"""The documentation names no path of one machine (a home directory, a build host's work tree): a reader
elsewhere cannot follow it."""
import os
import re
import unittest

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DOCS = ["README.md", "bench/README.md", "tests/live/README.md", "tests/server/README.md"]
MACHINE = re.compile(r"(?<![\w.])(/work/|/home/|/Users/|/root/)")


def documents():
    for name in DOCS:
        yield name
    for name in sorted(os.listdir(os.path.join(TOP, "man"))):
        yield os.path.join("man", name)


class DocPathsTest(unittest.TestCase):
    def test_no_machine_specific_paths(self):
        for name in documents():
            path = os.path.join(TOP, name)
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    with self.subTest(file=name, line=number):
                        self.assertIsNone(MACHINE.search(line), "%s:%d: %s" % (name, number, line.strip()))


if __name__ == "__main__":
    unittest.main()
