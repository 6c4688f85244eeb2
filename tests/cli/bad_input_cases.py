"""What the bad-input runners share: loading the table (tests/data/bad_inputs.py), the generated
inputs it names, and the check of one run's stderr against one case."""
import importlib.util
import os
import re

from shiftcli import DATA

_spec = importlib.util.spec_from_file_location("bad_inputs", os.path.join(DATA, "bad_inputs.py"))
table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(table)
CASES = table.CASES


def cases(*wheres):
    return [c for c in CASES if c["where"] in wheres]


def alias_bomb(levels=10):
    """A VirtualService, then a billion-laughs block in a ConfigMap."""
    lines = ["lol: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append("l%d: &l%d [%s]" % (i, i, ", ".join(["*l%d" % (i - 1)] * 10)))
    return "\n".join([table.route("- destination:", "    host: reviews", "    subset: v1"), "---",
                      "kind: ConfigMap", "metadata: {name: bomb}", "data:"] + ["  " + line for line in lines]) + "\n"


def fifty_mb_broken():
    """50 MB: the reviews VirtualService, then a ConfigMap whose quoted value never closes."""
    return (table.route("- destination:", "    host: reviews", "    subset: v1") +
            "---\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: \"" + "x" * (50 << 20) + "\n")


GENERATED = {
    "alias-bomb": alias_bomb,
    "deep-yaml": lambda: "kind: VirtualService\nspec: " + "[" * 100000 + "]" * 100000 + "\n",
    "deep-json": lambda: '{"kind": "VirtualService", "spec": ' + "[" * 100000 + "]" * 100000 + "}",
    "50mb-broken": fifty_mb_broken,
}


def content(text):
    """The bytes of a case's file: its text, or what GENERATED makes of "GENERATED NAME"."""
    if isinstance(text, str) and text.startswith("GENERATED "):
        text = GENERATED[text.split(" ", 1)[1]]()
    return text if isinstance(text, bytes) else text.encode()


def check_stderr(test, case, code, out, err):
    """The exit code, one `error:` line saying what the table says, only the warnings it allows."""
    context = "case %s: exit %d\n--- stdout\n%s--- stderr\n%s" % (case["id"], code, out, err)
    test.assertEqual(code, case["exit"], context)
    test.assertEqual(out, "", context)
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    test.assertEqual(len(errors), 1, context)
    test.assertEqual(lines[-1], errors[0], "the error is the last line\n" + context)
    for line in lines[:-1]:
        test.assertIsNotNone(case.get("warn"), "no other line is allowed\n" + context)
        test.assertRegex(line, case["warn"], context)
    message = errors[0][len("error: "):]
    if "match" in case:
        test.assertRegex(message, "^(?:%s)$" % case["match"], context)
    else:
        test.assertEqual(message, case["see"], context)


def check_table(test):
    """The table itself: unique ids, known categories, each `see` matching its `match`."""
    ids = [c["id"] for c in CASES]
    test.assertEqual(len(ids), len(set(ids)), "duplicate ids")
    cats = {name for name, _ in table.CATEGORIES}
    for c in CASES:
        with test.subTest(case=c["id"]):
            test.assertRegex(c["id"], r"^[a-z0-9]+(-[a-z0-9]+)*$")
            test.assertIn(c["cat"], cats)
            test.assertIn(c["where"], ("files", "kubeconfig", "server"))
            test.assertIn(c["exit"], (2, 3, 4))
            for field in ("see", "why", "fix", "args"):
                test.assertTrue(c.get(field) is not None, field)
            test.assertNotIn("\n", c["see"] + c["why"] + c["fix"])
            if "match" in c:
                test.assertIsNotNone(re.fullmatch(c["match"], c["see"]), "see does not match match")
