"""Plain terminals and rule selection edge cases: ASCII fallback, --route '' and rules named like indexes."""
import json
import unittest

from shiftcli import TempDirCase, run

RULES = ("kind: VirtualService\nmetadata: {name: r, namespace: ns}\nspec:\n  http:\n"
         "  - name: web\n    match: [{uri: {prefix: /a}}]\n    route: [{destination: {host: a, subset: v1}}]\n"
         "  - name: \"0\"\n    route: [{destination: {host: b, subset: v1}}]\n")


class AsciiFallback(TempDirCase):
    def test_c_locale_and_dumb_terminal_print_an_ascii_arrow(self):
        f = self.copy("bookinfo/v1/reviews-v1.yaml")
        for env in ({"LC_ALL": "C"}, {"LC_ALL": "", "LANG": "en_US.ISO-8859-1"}, {"TERM": "dumb"}):
            code, out, err = run("-f", f, "--diff", "reviews", "v1=50", "v3=50", env=env)
            self.assertEqual(code, 0, err)
            self.assertIn("  v1  100 -> 50\n", out, env)
            self.assertNotIn("→", out, env)

    def test_utf8_locale_keeps_the_arrow(self):
        f = self.copy("bookinfo/v1/reviews-v1.yaml")
        code, out, err = run("-f", f, "--diff", "reviews", "v1=50", "v3=50", env={"LC_ALL": "en_US.UTF-8"})
        self.assertEqual(code, 0, err)
        self.assertIn("  v1  100 → 50\n", out)


class RuleSelection(TempDirCase):
    def test_empty_route_is_an_error(self):
        f = self.write("rules.yaml", RULES)
        code, out, err = run("-f", f, "--route", "", "r", "v2=100")
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("error: --route needs a value: a rule name, an index into http, or "
                                       "LIST:INDEX"), err)
        self.assertEqual(out, "")

    def test_a_rule_named_like_an_index_wins_and_the_shadowed_one_is_named(self):
        f = self.write("rules.yaml", RULES)
        code, out, err = run("-f", f, "--route", "0", "r", "v2=100", "-o", "json")
        self.assertEqual(code, 0, err)
        http = json.loads(out)["spec"]["http"]
        self.assertEqual(http[0]["route"], [{"destination": {"host": "a", "subset": "v1"}}])
        self.assertEqual(http[1]["route"], [{"destination": {"host": "b", "subset": "v2"}}])
        self.assertIn("warning: --route 0 selects the rule named \"0\" (http[1] (\"0\")), not http[0] (\"web\"); "
                      "write --route http:0 for that one\n", err)


if __name__ == "__main__":
    unittest.main()
