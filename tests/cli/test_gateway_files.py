"""shift -f on Gateway API HTTPRoutes: Istio's bookinfo Gateway API walkthrough (route-reviews-v1 ->
route-reviews-50-v3 -> route-reviews-v3), relative weights, keys, get, and a directory holding both kinds."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import DATA, TempDirCase, read, run  # noqa: E402

SAMPLES = os.path.join(DATA, "bookinfo", "gateway-api")


def sample(name):
    return read(os.path.join(SAMPLES, name))


class Walkthrough(TempDirCase):
    def test_bookinfo_gateway_api_samples_byte_for_byte(self):
        f = self.copy(os.path.join(SAMPLES, "route-reviews-v1.yaml"), "reviews.yaml")
        code, out, err = run("-f", f, "httproute/reviews", "reviews-v1=50", "reviews-v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, sample("route-reviews-50-v3.yaml"))
        self.assertIn("reviews rules[0]", err)  # the summary, on stderr

        code, out, err = run("-f", f, "--in-place", "httproute/reviews", "reviews-v1=50", "reviews-v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), sample("route-reviews-50-v3.yaml"))

        code, out, err = run("-f", f, "--in-place", "--diff", "httproute/reviews", "reviews-v3=100")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(f), sample("route-reviews-v3.yaml"))
        self.assertIn("-    - name: reviews-v1\n", out)

    def test_a_bare_name_is_a_virtualservice(self):
        f = self.copy(os.path.join(SAMPLES, "route-reviews-v1.yaml"), "reviews.yaml")
        code, out, err = run("-f", f, "reviews", "reviews-v1=50", "reviews-v3=50")
        self.assertEqual(code, 2)
        self.assertIn("holds no VirtualService", err)
        for spelling in ("httproutes/reviews", "httproute.gateway.networking.k8s.io/reviews", "HTTPRoute/reviews"):
            code, out, err = run("-f", f, spelling, "reviews-v1=50", "reviews-v3=50")
            self.assertEqual(code, 0, spelling + ": " + err)


class Weights(TempDirCase):
    def test_relative_weights_are_shown_as_percentages_and_replaced_by_them(self):
        f = self.copy(os.path.join(SAMPLES, "route-reviews-90-10.yaml"), "reviews.yaml")
        text = read(f).replace("weight: 90", "weight: 3").replace("weight: 10", "weight: 1")
        self.write("reviews.yaml", text)
        code, out, err = run("get", "-f", f, "httproute/reviews", "-o", "json")
        self.assertEqual(code, 0, err)
        split = json.loads(out)
        self.assertEqual(split["kind"], "Split")
        self.assertEqual(split["apiVersion"], "gateway.networking.k8s.io/v1")
        dests = split["rules"][0]["destinations"]
        self.assertEqual([(d["key"], d["weight"]) for d in dests], [("reviews-v1", 75), ("reviews-v2", 25)])
        self.assertEqual(split["rules"][0]["rule"], "rules[0]")

        code, out, err = run("-f", f, "httproute/reviews", "reviews-v2=50")
        self.assertEqual(code, 0, err)
        self.assertIn("      weight: 50\n    - name: reviews-v2\n      port: 9080\n      weight: 50\n", out)

    def test_sum_over_100_is_refused_naming_the_httproute(self):
        f = self.copy(os.path.join(SAMPLES, "route-reviews-v1.yaml"), "reviews.yaml")
        code, out, err = run("-f", f, "httproute/reviews", "reviews-v1=60", "reviews-v3=60")
        self.assertEqual(code, 2)
        self.assertEqual(err, "error: HTTPRoute reviews rules[0]: weights reviews-v1=60 reviews-v3=60 sum to 120, "
                              "not 100; lower them by 20\n")
        self.assertEqual(read(f), sample("route-reviews-v1.yaml"))

    def test_cross_namespace_key_writes_the_namespace(self):
        f = self.copy(os.path.join(SAMPLES, "route-reviews-v1.yaml"), "reviews.yaml")
        code, out, err = run("-f", f, "httproute/reviews", "reviews-v1=90", "canary/reviews-v2=10")
        self.assertEqual(code, 0, err)
        self.assertIn("    - name: reviews-v2\n      port: 9080\n      namespace: canary\n      weight: 10\n", out)

    def test_json_manifest(self):
        doc = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
               "metadata": {"name": "reviews", "namespace": "istio-demo"},
               "spec": {"rules": [{"backendRefs": [{"name": "reviews-v1", "port": 9080}]}]}}
        f = self.write("reviews.json", json.dumps(doc, indent=2) + "\n")
        code, out, err = run("-f", f, "httproute/reviews", "reviews-v1=80", "reviews-v3=20")
        self.assertEqual(code, 0, err)
        refs = json.loads(out)["spec"]["rules"][0]["backendRefs"]
        self.assertEqual(refs, [{"name": "reviews-v1", "port": 9080, "weight": 80},
                                {"name": "reviews-v3", "port": 9080, "weight": 20}])


class BothKinds(TempDirCase):
    def test_a_directory_holding_a_virtualservice_and_an_httproute(self):
        self.copy(os.path.join(SAMPLES, "route-reviews-v1.yaml"), "route.yaml")
        self.copy("bookinfo/v1/reviews-v1.yaml", "vs.yaml")
        code, out, err = run("get", "-f", self.dir, "-o", "json")
        self.assertEqual(code, 0, err)
        kinds = sorted(i["apiVersion"] for i in json.loads(out)["items"])
        self.assertEqual(kinds, ["gateway.networking.k8s.io/v1", "networking.istio.io/v1"])

        code, out, err = run("-f", self.dir, "httproute/reviews", "reviews-v3=100", "--in-place")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(os.path.join(self.dir, "route.yaml")), sample("route-reviews-v3.yaml"))
        self.assertEqual(read(os.path.join(self.dir, "vs.yaml")), read(os.path.join(DATA, "bookinfo/v1/reviews-v1.yaml")))
        code, out, err = run("-f", self.dir, "vs/reviews", "v3=100", "--in-place")
        self.assertEqual(code, 0, err)
        self.assertEqual(read(os.path.join(self.dir, "vs.yaml")), read(os.path.join(DATA, "bookinfo/v1/reviews-v3.yaml")))

    def test_missing_service_in_the_inputs_is_an_error(self):
        self.copy(os.path.join(SAMPLES, "route-reviews-v1.yaml"), "route.yaml")
        self.write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews-v1\n")
        code, out, err = run("-f", self.dir, "httproute/reviews", "reviews-v1=50", "reviews-v9=50")
        self.assertEqual(code, 2, err)
        self.assertIn("backendRef \"reviews-v9\": Service default/reviews-v9 does not exist", err)
        code, out, err = run("-f", self.dir, "httproute/reviews", "reviews-v1=50", "reviews-v9=50", "--no-validate")
        self.assertEqual(code, 0, err)


if __name__ == "__main__":
    unittest.main()
