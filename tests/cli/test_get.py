"""`shift get -f`: the splits of the VirtualServices in manifest files; the bars on a terminal."""
import json
import os
import pty
import select
import subprocess
import unittest

from shiftcli import BIN, TempDirCase, run

VS = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: demo}\n"
      "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n"
      "      weight: 75\n    - destination: {host: reviews, subset: v3}\n      weight: 25\n"
      "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ratings}\n"
      "spec:\n  hosts: [ratings]\n  http:\n  - name: all\n    route:\n    - destination: {host: ratings}\n"
      "---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews}\n")


def run_on_pty(*args):
    """Runs shift with stdout on a terminal; returns (exit code, what the terminal showed)."""
    main, secondary = pty.openpty()
    env = dict(os.environ, LC_ALL="C.UTF-8", TERM="xterm")
    p = subprocess.Popen([BIN, *args], stdout=secondary, stderr=subprocess.DEVNULL, env=env)
    os.close(secondary)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when shift exits
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return p.wait(timeout=30), out.decode().replace("\r\n", "\n")


class GetFiles(TempDirCase):
    def test_every_virtual_service_of_the_file(self):
        f = self.write("vs.yaml", VS)
        code, out, err = run("get", "-f", f)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "NAME      RULE      KEY       HOST      SUBSET   PORT   WEIGHT\n"
                              "reviews   http[0]   v1        reviews   v1       -      75\n"
                              "reviews   http[0]   v3        reviews   v3       -      25\n"
                              "ratings   all       ratings   ratings   -        -      100\n")

    def test_one_by_name_as_json(self):
        f = self.write("vs.yaml", VS)
        code, out, err = run("get", "-f", f, "ratings", "-o", "json")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), {
            "kind": "Split", "namespace": "", "name": "ratings", "apiVersion": "networking.istio.io/v1",
            "resourceVersion": "", "rollout": None,
            "rules": [{"rule": "http[0]", "name": "all", "destinations": [
                {"key": "ratings", "host": "ratings", "subset": None, "port": None, "weight": 100}]}]})

    def test_missing_name_is_one_line_and_exit_2(self):
        f = self.write("vs.yaml", VS)
        code, out, err = run("get", "-f", f, "reveiws")
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertEqual(err, 'error: no VirtualService named "reveiws" in %s; check the name or -f\n' % f)

    def test_bars_on_a_terminal_only(self):
        f = self.write("vs.yaml", VS)
        code, shown = run_on_pty("get", "-f", f, "reviews", "--color", "never")
        self.assertEqual(code, 0, shown)
        lines = shown.splitlines()
        self.assertEqual(lines[1], "reviews   http[0]   v1    reviews   v1       -      75       " + "█" * 15 + "░" * 5)
        self.assertEqual(lines[2], "reviews   http[0]   v3    reviews   v3       -      25       " + "█" * 5 + "░" * 15)
        code, out, _ = run("get", "-f", f, "reviews")
        self.assertNotIn("█", out)


if __name__ == "__main__":
    unittest.main()
