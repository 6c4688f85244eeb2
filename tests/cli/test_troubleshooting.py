#!/usr/bin/env python3
"""README.md's Troubleshooting section is the bad-input catalogue (tests/data/bad_inputs.py) as
scripts/troubleshooting renders it: a row changed in one and not the other fails here."""
import importlib.machinery
import importlib.util
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shiftcli import TESTS  # noqa: E402

TOP = os.path.dirname(os.path.abspath(TESTS))
_loader = importlib.machinery.SourceFileLoader("troubleshooting", os.path.join(TOP, "scripts", "troubleshooting"))
_spec = importlib.util.spec_from_loader("troubleshooting", _loader)
troubleshooting = importlib.util.module_from_spec(_spec)
_loader.exec_module(troubleshooting)


class Troubleshooting(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(TOP, "README.md"), encoding="utf-8") as f:
            self.readme = f.read()
        self.table = troubleshooting.load_table(TOP)

    def test_the_readme_section_is_the_table(self):
        expected = troubleshooting.replace_section(self.readme, troubleshooting.render(self.table))
        self.assertTrue(expected == self.readme,
                        "README.md's Troubleshooting section differs from tests/data/bad_inputs.py; run "
                        "scripts/troubleshooting and commit the result")

    def test_it_comes_before_reliability_and_lists_every_case(self):
        start = self.readme.index("## Troubleshooting\n")
        self.assertLess(start, self.readme.index("## Reliability\n"))
        section = self.readme[start:self.readme.index("## Reliability\n")]
        for case in self.table.CASES:
            self.assertIn(troubleshooting.code("error: " + case["see"]), section, case["id"])

    def test_a_changed_row_is_noticed(self):
        case = self.table.CASES[0]
        old = case["fix"]
        try:
            case["fix"] = old + " (changed)"
            changed = troubleshooting.replace_section(self.readme, troubleshooting.render(self.table))
        finally:
            case["fix"] = old
        self.assertNotEqual(changed, self.readme)


if __name__ == "__main__":
    unittest.main()
