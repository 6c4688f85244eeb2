"""`shift set --expect SPLIT`: a precondition on the current split (exit 8, nothing written)."""
import unittest

from shiftcli import TempDirCase, read, run

VS = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: demo}\n"
      "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n"
      "      weight: 75\n    - destination: {host: reviews, subset: v3}\n      weight: 25\n")


class Expect(TempDirCase):
    def test_matching_split_proceeds(self):
        f = self.write("vs.yaml", VS)
        code, out, err = run("set", "-f", f, "--in-place", "--expect", "v3=25,v1=75", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("weight: 50", read(f))

    def test_different_split_writes_nothing_and_exits_8(self):
        f = self.write("vs.yaml", VS)
        code, out, err = run("set", "-f", f, "--in-place", "--expect", "v1=90,v3=10", "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 8)
        self.assertEqual(err, "error: VirtualService demo/reviews http[0] is at v1=75,v3=25, not the expected "
                              "v1=90 v3=10; nothing written (--expect)\n")
        self.assertEqual(read(f), VS)

    def test_zero_weights_may_be_listed_and_bad_values_are_input_errors(self):
        f = self.write("vs.yaml", VS)
        code, _, err = run("-f", f, "--expect", "v1=75,v3=25,v2=0", "reviews", "v1=100")
        self.assertEqual(code, 0, err)
        code, _, err = run("-f", f, "--expect", "v1=75,,v3", "reviews", "v1=100")
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("error: --expect "), err)


if __name__ == "__main__":
    unittest.main()
