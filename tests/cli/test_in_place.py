"""shift -f --in-place on real repositories: symlinks, ownership, concurrent runs, -R, and edits
that leave every byte shift does not change alone (flow style, anchors, comments, JSON)."""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import BIN, DATA, TempDirCase, read, run  # noqa: E402

REVIEWS = os.path.join(DATA, "bookinfo/v1/reviews-v1.yaml")
REVIEWS_50 = os.path.join(DATA, "bookinfo/v1/reviews-50-v3.yaml")


class Symlinks(TempDirCase):
    def test_writes_through_the_link_chain_and_keeps_the_links(self):
        os.makedirs(os.path.join(self.dir, "k8s"))
        os.makedirs(os.path.join(self.dir, "env"))
        real = self.copy(REVIEWS, "k8s/reviews.yaml")
        os.symlink("../k8s/reviews.yaml", os.path.join(self.dir, "env/prod.yaml"))  # relative to env/
        os.symlink("env/prod.yaml", os.path.join(self.dir, "vs.yaml"))
        code, _, err = run("-f", "vs.yaml", "--in-place", "reviews", "v1=50", "v3=50", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(read(real), read(REVIEWS_50))
        self.assertTrue(os.path.islink(os.path.join(self.dir, "vs.yaml")))
        self.assertTrue(os.path.islink(os.path.join(self.dir, "env/prod.yaml")))
        self.assertIn("wrote k8s/reviews.yaml (through the symlink vs.yaml)", err)

    def test_a_plain_file_says_nothing_about_links(self):
        f = self.copy(REVIEWS, "reviews.yaml")
        code, _, err = run("-f", f, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertNotIn("symlink", err)


@unittest.skipUnless(os.geteuid() == 0, "changing a file's owner needs root")
class Ownership(TempDirCase):
    def test_root_keeps_the_owner_group_and_mode(self):
        f = self.copy(REVIEWS, "reviews.yaml")
        os.chown(f, 4321, 8765)
        os.chmod(f, 0o604)
        code, _, err = run("-f", f, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        st = os.stat(f)
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o7777), (4321, 8765, 0o604))
        self.assertEqual(read(f), read(REVIEWS_50))

    @unittest.skipUnless(shutil.which("setpriv"), "needs setpriv to run as another user")
    def test_a_user_who_cannot_keep_the_owner_is_refused_and_nothing_changes(self):
        os.chmod(self.dir, 0o777)
        f = self.copy(REVIEWS, "reviews.yaml")
        os.chown(f, 4321, 8765)
        os.chmod(f, 0o666)
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN, "-f", f,
                            "--in-place", "reviews", "v1=50", "v3=50"], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(f"cannot keep the owner 4321:8765 of {f}", p.stderr)
        self.assertEqual(read(f), read(REVIEWS))
        self.assertEqual(os.listdir(self.dir), ["reviews.yaml"])  # no temp file left
        self.assertEqual(os.stat(f).st_uid, 4321)


def twenty_rules():
    rules = "".join(f"  - name: r{i}\n    route:\n    - destination:\n        host: reviews\n        subset: v1\n"
                    for i in range(20))
    return "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n" + rules


class Concurrency(TempDirCase):
    def test_concurrent_runs_apply_their_change_or_exit_4_with_nothing_lost(self):
        f = self.write("vs.yaml", twenty_rules())
        procs = [subprocess.Popen([BIN, "-f", f, "--in-place", "--route", f"r{i}", "reviews", "v1=50", "v3=50"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(20)]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        applied = {i for i, (code, _) in enumerate(results) if code == 0}
        for i, (code, err) in enumerate(results):
            self.assertIn(code, (0, 4), err)
            if code == 4:
                self.assertIn(f"{f} changed while shifting; nothing written; run again", err)
        self.assertTrue(applied)
        text = read(f)
        rules = text.split("  - name: r")[1:]
        for i, rule in enumerate(rules):
            self.assertEqual("subset: v3" in rule, i in applied, f"rule r{i}:\n{rule}")
        self.assertEqual(text.count("weight: 50"), 2 * len(applied))


class Recursive(TempDirCase):
    def test_a_directory_with_manifests_only_below_suggests_r(self):
        os.makedirs(os.path.join(self.dir, "overlays/prod"))
        f = self.copy(REVIEWS, "overlays/prod/reviews.yaml")
        code, out, err = run("-f", self.dir, "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("its subdirectories do; add -R", err)
        self.assertEqual(read(f), read(REVIEWS))
        code, _, err = run("-f", self.dir, "-R", "--in-place", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), read(REVIEWS_50))

    def test_recursive_does_not_follow_symlinked_directories(self):
        outside = self.write("outside.yaml", "")  # keeps the test directory non-empty
        os.makedirs(os.path.join(self.dir, "tree"))
        os.makedirs(os.path.join(self.dir, "elsewhere"))
        self.copy(REVIEWS, "elsewhere/reviews.yaml")
        os.symlink(os.path.join(self.dir, "elsewhere"), os.path.join(self.dir, "tree/linked"))
        self.write("tree/ratings.yaml", "kind: VirtualService\nmetadata: {name: ratings}\nspec: {}\n")
        code, _, err = run("-f", os.path.join(self.dir, "tree"), "-R", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 2, err)
        self.assertIn("no VirtualService named \"reviews\"", err)
        self.assertTrue(os.path.exists(outside))


OTHER_DOCS_BEFORE = ("# ratings: a comment in the first document\n"
                     "kind: Service\nmetadata: {name: ratings}   # flow, untouched\n"
                     "spec:\n  selector: {a: \"1\"}\n  ports: [80, 443]\n")
OTHER_DOCS_AFTER = ("---\n# the rules, commented too\n"
                    "kind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews  # same host\n"
                    "  subsets: [{name: v1}, {name: v2}, {name: v3}]\n")


class MinimalEdits(TempDirCase):
    """Only the bytes of the changed values change; every other document and comment stays."""

    def shift(self, text, *args, name="vs.yaml"):
        f = self.write(name, text)
        code, _, err = run("-f", f, "--in-place", "reviews", *args)
        self.assertEqual(code, 0, err)
        return read(f), err

    def test_flow_route_in_a_commented_multi_document_file(self):
        vs = ("---\n# reviews: shifted\nkind: VirtualService\nmetadata:\n  name: reviews  # ours\nspec:\n"
              "  hosts: [reviews]\n  http:\n"
              "  - route: [{destination: {host: reviews, subset: v1}, weight: 90}, "
              "{destination: {host: reviews, subset: v2}, weight: 10}]  # canary\n"
              "    headers: {request: {set: {a: \"1\"}}}\n")
        text = OTHER_DOCS_BEFORE + vs + OTHER_DOCS_AFTER
        after, err = self.shift(text, "v1=50", "v2=25", "v3=25")
        self.assertNotIn("warning", err)
        self.assertEqual(after, text.replace(
            "weight: 10}]", "weight: 25}, {destination: {host: reviews, subset: v3}, weight: 25}]").replace(
            "weight: 90}", "weight: 50}"))

    def test_anchors_re_render_only_their_document(self):
        vs = ("---\n# reviews: anchored\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n"
              "  - route:\n    - destination: &v1 {host: reviews, subset: v1}\n")
        text = OTHER_DOCS_BEFORE + vs + "# after the content\n" + OTHER_DOCS_AFTER
        after, err = self.shift(text, "v1=50", "v3=50")
        self.assertIn("its document is re-rendered", err)
        self.assertTrue(after.startswith(OTHER_DOCS_BEFORE + "---\n# reviews: anchored\n"), after)
        self.assertTrue(after.endswith("# after the content\n" + OTHER_DOCS_AFTER), after)
        self.assertIn("      weight: 50\n    - destination:\n        host: reviews\n        subset: v3\n", after)

    def test_a_new_destination_takes_no_headers_and_no_comment_from_its_sibling(self):
        vs = ("kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n  - route:\n"
              "    - destination:\n        host: reviews\n        subset: v1  # the old one\n"
              "        port:\n          number: 9080\n"
              "      headers:\n        response:\n          set: {x-version: v1}\n")
        after, _ = self.shift(vs, "v1=90", "v3=10")
        self.assertEqual(after, vs + "      weight: 90\n    - destination:\n        host: reviews\n"
                         "        subset: v3\n        port:\n          number: 9080\n      weight: 10\n")

    def test_compact_json_keeps_its_lines(self):
        vs = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "reviews"},
              "spec": {"hosts": ["reviews"], "http": [{"route": [
                  {"destination": {"host": "reviews", "subset": "v1"}, "weight": 90},
                  {"destination": {"host": "reviews", "subset": "v2"}, "weight": 10}]}]}}
        text = json.dumps(vs, separators=(",", ":")) + "\n"
        after, err = self.shift(text, "v1=60", "v3=40", "v2=0", name="vs.json")
        self.assertNotIn("warning", err)
        self.assertEqual(after.count("\n"), 1)
        self.assertEqual(after, text.replace('"weight":90}', '"weight":60}').replace(
            ',{"destination":{"host":"reviews","subset":"v2"},"weight":10}',
            ',{"destination":{"host":"reviews","subset":"v3"},"weight":40}'))

    def test_indented_json_changes_only_the_changed_lines(self):
        vs = {"kind": "VirtualService", "metadata": {"name": "reviews"},
              "spec": {"http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 50},
                                           {"destination": {"host": "reviews", "subset": "v2"}, "weight": 50}]}]}}
        text = json.dumps(vs, indent=4) + "\n"
        after, err = self.shift(text, "v1=100", "v2=0", name="vs.json")
        self.assertNotIn("warning", err)
        want = dict(vs)
        want["spec"] = {"http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
        self.assertEqual(after, json.dumps(want, indent=4) + "\n")


if __name__ == "__main__":
    unittest.main(verbosity=1)
