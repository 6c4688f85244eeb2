"""shift -f: new destinations must exist. New hosts are checked against the Services and
ServiceEntries the input holds (a warning when it holds none), subsets against its
DestinationRules as Istio looks them up; a full request that drops a destination says so."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shiftcli import TempDirCase, read, run  # noqa: E402

BYHOST = """apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: byhost, namespace: istio-demo}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews-v1}
      weight: 50
    - destination: {host: reviews-v2.istio-demo.svc.cluster.local}
      weight: 50
"""
ROOT = """apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: istio-demo}
spec:
  hosts: [productpage]
  http:
  - route:
    - destination: {host: productpage, port: {number: 9080}}
"""
PRODUCTPAGE_DR = """---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: productpage, namespace: istio-demo}
spec:
  host: productpage
  subsets: [{name: v1, labels: {version: v1}}, {name: v3, labels: {version: v3}}]
"""


def service(name, ns="istio-demo"):
    return "---\napiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\nspec: {ports: [{port: 9080}]}\n" % (
        name, ns)


SERVICES = "".join(service(n) for n in ("reviews-v1", "reviews-v2", "reviews-v3", "productpage"))


class NewHosts(TempDirCase):
    def refused(self, text, args, *says):
        f = self.write("in.yaml", text)
        code, out, err = run("-f", f, "--in-place", *args)
        self.assertEqual(code, 2, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        for s in says:
            self.assertIn(s, err)
        self.assertEqual(read(f), text)
        return err

    def test_a_subset_name_where_hosts_are_expected_is_refused(self):
        self.refused(BYHOST + SERVICES, ["byhost", "v3=100"],
                     'error: VirtualService istio-demo/byhost http[0]: host "v3" does not exist',
                     "Istio would answer 503 (no healthy upstream)", "closest existing: reviews-v3")

    def test_a_typo_is_refused_with_the_name_meant(self):
        self.refused(BYHOST + SERVICES, ["byhost", "reviews-v1=90", "reviwes-v2=10"],
                     'host "reviwes-v2" does not exist', "closest existing: reviews-v2")

    def test_a_subset_of_the_routes_host_says_how_to_name_it(self):
        self.refused(ROOT + PRODUCTPAGE_DR + SERVICES, ["root", "v1=50", "v3=50"],
                     'host "v1" does not exist',
                     '"v1" is a subset of productpage (DestinationRule istio-demo/productpage): name it productpage/v1')
        f = self.write("ok.yaml", ROOT + PRODUCTPAGE_DR + SERVICES)
        code, out, err = run("-f", f, "root", "productpage/v1=50", "productpage/v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("subset: v3", out)

    def test_an_existing_service_or_service_entry_passes(self):
        se = ("---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: istio-demo}\n"
              "spec: {hosts: [api.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}\n")
        f = self.write("in.yaml", BYHOST + SERVICES + se)
        code, out, err = run("-f", f, "byhost", "reviews-v1=80", "reviews-v3=10", "api.example.com=10")
        self.assertEqual(code, 0, err)
        self.assertEqual(err.count("warning"), 1, err)  # reviews-v2 (50%) dropped, nothing else
        self.assertIn("host: reviews-v3", out)

    def test_without_services_in_the_input_a_warning_says_the_host_was_not_checked(self):
        f = self.write("in.yaml", BYHOST)
        code, out, err = run("-f", f, "byhost", "reviews-v1=50", "reviews-v2=40", "reviews-v3=10")
        self.assertEqual(code, 0, err)
        self.assertEqual(err.splitlines()[0], 'warning: new host "reviews-v3" (reviews-v3.istio-demo.svc.cluster.local) '
                         "not checked: the input holds no Service or ServiceEntry; Istio answers 503 (no healthy "
                         "upstream) for a host that does not exist")

    def test_no_validate_skips_the_check(self):
        f = self.write("in.yaml", BYHOST + SERVICES)
        code, out, err = run("-f", f, "--no-validate", "byhost", "reviews-v1=50", "reviews-v2=40", "v9=10")
        self.assertEqual(code, 0, err)
        self.assertIn("host: v9", out)


class Subsets(TempDirCase):
    VS = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: istio-demo}\n"
          "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n")

    def rule(self, ns, host, subsets, export=""):
        return ("---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r, namespace: %s}\n"
                "spec:\n  host: \"%s\"\n%s  subsets: [%s]\n" % (ns, host, "  exportTo: %s\n" % export if export else "",
                                                             ", ".join("{name: %s}" % s for s in subsets)))

    def test_wildcard_host_rule(self):
        f = self.write("in.yaml", self.VS + self.rule("istio-demo", "*.istio-demo.svc.cluster.local", ["v1", "v3"]))
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertEqual(err.count("warning"), 0, err)
        f = self.write("v2.yaml", self.VS + self.rule("istio-demo", "*.istio-demo.svc.cluster.local", ["v1", "v2"]))
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 2, err)
        self.assertIn('subset "v3" of host reviews is not defined by its DestinationRule (defined: v1, v2)', err)

    def test_root_namespace_rule_and_its_export(self):
        f = self.write("in.yaml", self.VS + self.rule("istio-system", "reviews.istio-demo.svc.cluster.local", ["v1", "v3"]))
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        f = self.write("private.yaml", self.VS + self.rule("istio-system", "reviews.istio-demo.svc.cluster.local",
                                                           ["v1", "v3"], '["."]'))
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 2, err)
        self.assertIn("no DestinationRule for reviews.istio-demo.svc.cluster.local in namespace istio-demo", err)

    def test_no_rule_for_the_host_is_an_error(self):
        f = self.write("in.yaml", self.VS + self.rule("istio-demo", "ratings", ["v3"]))
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 2, err)
        self.assertIn("Istio would answer 503", err)
        self.assertEqual(out, "")


class Dropped(TempDirCase):
    THREE = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: istio-demo}\n"
             "spec:\n  hosts: [reviews]\n  http:\n  - route:\n"
             "    - destination: {host: reviews, subset: v1}\n      weight: 60\n"
             "    - destination: {host: reviews, subset: v2}\n      weight: 30\n"
             "    - destination: {host: reviews, subset: v3}\n      weight: 10\n")

    def test_a_full_request_dropping_a_destination_says_so(self):
        f = self.write("in.yaml", self.THREE)
        code, out, err = run("-f", f, "reviews", "v1=50", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertIn("warning: v2 (30%) is not in the request and is removed; name it as v2=0 to make that explicit\n",
                      err)
        code, out, err = run("-f", f, "reviews", "v1=50", "v2=0", "v3=50")
        self.assertEqual(code, 0, err)
        self.assertNotIn("warning", err)


if __name__ == "__main__":
    unittest.main()
