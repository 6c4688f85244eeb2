#!/usr/bin/env python3
"""Tests of the test API server with raw HTTPS requests. Expected bodies were read off a real
kube-apiserver v1.24 with the Istio CRDs (../../shared/envtest). Run: python3 tests/server/test_apiserver.py"""
import copy
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testserver import TestServer  # noqa: E402

NS = "istio-demo"
G = "networking.istio.io"
VS = {"apiVersion": G + "/v1", "kind": "VirtualService", "metadata": {"name": "reviews"},
      "spec": {"hosts": ["reviews"], "http": [{"route": [
          {"destination": {"host": "reviews", "subset": "v1"}, "weight": 50},
          {"destination": {"host": "reviews", "subset": "v3"}, "weight": 50}]}]}}
DR = {"apiVersion": G + "/v1", "kind": "DestinationRule", "metadata": {"name": "reviews"},
      "spec": {"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}},
                                              {"name": "v3", "labels": {"version": "v3"}}]}}
BASE = "/apis/%s/v1/namespaces/%s/virtualservices" % (G, NS)


def vs(name="reviews", version="v1", **spec):
    o = copy.deepcopy(VS)
    o["metadata"]["name"] = name
    o["apiVersion"] = "%s/%s" % (G, version)
    o["spec"].update(spec)
    return o


class Conn:
    """One keep-alive HTTPS connection, like the client's."""

    def __init__(self, srv, token=None, cert=None):
        ctx = ssl.create_default_context(cafile=srv.ca)
        if cert:
            ctx.load_cert_chain(os.path.join(srv.dir, cert + ".crt"), os.path.join(srv.dir, cert + ".key"))
        self.c = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ctx, timeout=30)
        self.token = token if token is not None else (None if cert else srv.token)

    def do(self, method, path, body=None, ctype="application/json", headers=None):
        """headers: a dict, or a list of (name, value) pairs to send one header several times."""
        if isinstance(headers, list):
            return self._do_pairs(method, path, body, ctype, headers)
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if body is not None:
            body = body if isinstance(body, (bytes, str)) else json.dumps(body)
            h["Content-Type"] = ctype
        self.c.request(method, path, body=body, headers=h)
        return self._response()

    def _do_pairs(self, method, path, body, ctype, pairs):
        # http.client's request() takes a dict: one value per name
        data = None if body is None else (body if isinstance(body, bytes) else
                                          (body if isinstance(body, str) else json.dumps(body)).encode())
        self.c.putrequest(method, path)
        for name, value in pairs + ([("Authorization", "Bearer " + self.token)] if self.token else []):
            self.c.putheader(name, value)
        if data is not None:
            self.c.putheader("Content-Type", ctype)
            self.c.putheader("Content-Length", str(len(data)))
        self.c.endheaders(data)
        return self._response()

    def _response(self):
        r = self.c.getresponse()
        raw = r.read()
        try:
            data = json.loads(raw)
        except ValueError:
            data = raw.decode()
        return r.status, r, data

    def close(self):
        self.c.close()


class ServerCase(unittest.TestCase):
    era = "current"

    @classmethod
    def setUpClass(cls):
        cls.srv = TestServer(era=cls.era).start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def setUp(self):
        self.srv.clear_faults()
        self.conn = Conn(self.srv)

    def tearDown(self):
        self.conn.close()
        for ns in (NS, "other"):
            for res in ("virtualservices", "destinationrules", "serviceentries"):
                self.conn = Conn(self.srv)
                self.conn.do("DELETE", "/apis/%s/v1beta1/namespaces/%s/%s" % (G, ns, res))
                self.conn.close()

    def status_of(self, body, code, reason):
        self.assertEqual(body["kind"], "Status")
        self.assertEqual(body["apiVersion"], "v1")
        self.assertEqual(body["status"], "Failure")
        self.assertEqual(body["code"], code)
        self.assertEqual(body.get("reason"), reason)


class Discovery(ServerCase):
    def test_version_and_health(self):
        s, r, body = self.conn.do("GET", "/version")
        self.assertEqual(s, 200)
        self.assertEqual((body["major"], body["minor"]), ("1", "24"))
        self.assertEqual(r.getheader("Content-Type"), "application/json")
        self.assertTrue(r.getheader("Audit-Id"))
        for p in ("/healthz", "/readyz"):
            s, r, body = self.conn.do("GET", p)
            self.assertEqual((s, body), (200, "ok"))

    def test_api_and_groups(self):
        s, _, body = self.conn.do("GET", "/api")
        self.assertEqual(body["kind"], "APIVersions")
        self.assertEqual(body["versions"], ["v1"])
        s, _, body = self.conn.do("GET", "/apis")
        self.assertEqual(body["kind"], "APIGroupList")
        grp = [g for g in body["groups"] if g["name"] == G][0]
        self.assertEqual([v["version"] for v in grp["versions"]], ["v1", "v1beta1", "v1alpha3"])
        self.assertEqual(grp["preferredVersion"], {"groupVersion": G + "/v1", "version": "v1"})
        s, _, body = self.conn.do("GET", "/apis/" + G)
        self.assertEqual((body["kind"], body["apiVersion"], body["name"]), ("APIGroup", "v1", G))

    def test_resource_list(self):
        s, _, body = self.conn.do("GET", "/apis/%s/v1" % G)
        self.assertEqual((s, body["kind"], body["groupVersion"]), (200, "APIResourceList", G + "/v1"))
        res = {r["name"]: r for r in body["resources"]}
        vsr = res["virtualservices"]
        self.assertEqual((vsr["kind"], vsr["shortNames"], vsr["namespaced"], vsr["singularName"]),
                         ("VirtualService", ["vs"], True, "virtualservice"))
        self.assertEqual(vsr["verbs"], ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"])
        self.assertEqual(vsr["categories"], ["istio-io", "networking-istio-io"])
        self.assertEqual(vsr["storageVersionHash"], "4myxAxwji4I=")  # as the real server with current CRDs
        self.assertEqual(res["destinationrules"]["shortNames"], ["dr"])
        self.assertEqual(res["virtualservices/status"]["verbs"], ["get", "patch", "update"])

    def test_unserved_version_is_plain_404(self):
        for p in ("/apis/%s/v2" % G, "/apis/%s/v2/namespaces/x/virtualservices" % G, "/nonexistent"):
            s, r, body = self.conn.do("GET", p)
            self.assertEqual((s, body), (404, "404 page not found\n"))
            self.assertEqual(r.getheader("Content-Type"), "text/plain; charset=utf-8")

    def test_discovery_allowed_for_nobody(self):
        c = Conn(self.srv, token=self.srv.nobody_token)
        self.assertEqual(c.do("GET", "/apis/%s/v1" % G)[0], 200)
        self.assertEqual(c.do("GET", "/apis")[0], 200)
        c.close()


class Era18(ServerCase):
    era = "1.8"

    def test_versions(self):
        s, _, body = self.conn.do("GET", "/apis/" + G)
        self.assertEqual([v["version"] for v in body["versions"]], ["v1beta1", "v1alpha3"])
        self.assertEqual(body["preferredVersion"]["version"], "v1beta1")
        s, _, body = self.conn.do("GET", BASE)
        self.assertEqual((s, body), (404, "404 page not found\n"))
        s, _, body = self.conn.do("POST", "/apis/%s/v1alpha3/namespaces/%s/virtualservices" % (G, NS), vs(version="v1alpha3"))
        self.assertEqual(s, 201)
        s, _, body = self.conn.do("GET", "/apis/%s/v1beta1/namespaces/%s/virtualservices/reviews" % (G, NS))
        self.assertEqual((s, body["apiVersion"]), (200, G + "/v1beta1"))

    def test_type_error_has_no_cel_note(self):
        bad = vs(version="v1beta1")
        bad["spec"]["http"][0]["route"][0]["weight"] = "x"
        s, _, body = self.conn.do("POST", "/apis/%s/v1beta1/namespaces/%s/virtualservices" % (G, NS), bad)
        self.assertEqual(s, 422)
        self.assertEqual(len(body["details"]["causes"]), 1)


class Resources(ServerCase):
    def test_create_get_list_bookkeeping(self):
        s, r, created = self.conn.do("POST", BASE + "?fieldManager=creator", vs())
        self.assertEqual(s, 201)
        m = created["metadata"]
        self.assertEqual((m["namespace"], m["generation"]), (NS, 1))
        for k in ("uid", "creationTimestamp", "resourceVersion"):
            self.assertTrue(m[k])
        self.assertIsInstance(m["resourceVersion"], str)
        self.assertEqual(m["managedFields"], [{"apiVersion": G + "/v1", "fieldsType": "FieldsV1", "fieldsV1": {
            "f:spec": {".": {}, "f:hosts": {}, "f:http": {}}}, "manager": "creator", "operation": "Update",
            "time": m["managedFields"][0]["time"]}])
        s, _, got = self.conn.do("GET", BASE + "/reviews")
        self.assertEqual(got, created)
        s, _, got = self.conn.do("GET", "/apis/%s/v1alpha3/namespaces/%s/virtualservices/reviews" % (G, NS))
        self.assertEqual(got["apiVersion"], G + "/v1alpha3")
        self.assertEqual(got["spec"], created["spec"])
        s, _, lst = self.conn.do("GET", BASE)
        self.assertEqual((lst["apiVersion"], lst["kind"]), (G + "/v1", "VirtualServiceList"))
        self.assertEqual(lst["metadata"]["continue"], "")
        self.assertEqual(lst["items"][0]["kind"], "VirtualService")
        self.assertEqual(lst["items"][0]["apiVersion"], G + "/v1")
        s, _, lst = self.conn.do("GET", "/apis/%s/v1/virtualservices" % G)
        self.assertEqual(len(lst["items"]), 1)
        s, _, lst = self.conn.do("GET", "/apis/%s/v1/namespaces/empty/virtualservices" % G)
        self.assertEqual((s, lst["items"]), (200, []))
        s, _, dr = self.conn.do("POST", "/apis/%s/v1/namespaces/%s/destinationrules" % (G, NS), DR)
        self.assertEqual((s, dr["kind"]), (201, "DestinationRule"))
        s, _, nss = self.conn.do("GET", "/api/v1/namespaces")
        self.assertIn(NS, [n["metadata"]["name"] for n in nss["items"]])

    def test_list_in_pages_reads_the_first_pages_version(self):
        for name in ("a", "b", "c"):
            self.assertEqual(self.conn.do("POST", BASE, vs(name))[0], 201)
        s, _, p1 = self.conn.do("GET", BASE + "?limit=2")
        self.assertEqual([i["metadata"]["name"] for i in p1["items"]], ["a", "b"])
        self.assertEqual(p1["metadata"]["remainingItemCount"], 1)
        token, rv = p1["metadata"]["continue"], p1["metadata"]["resourceVersion"]
        self.assertTrue(token)
        # A change after the first page: the later pages are as of its resourceVersion.
        self.assertEqual(self.conn.do("POST", BASE, vs("bb"))[0], 201)
        s, _, p2 = self.conn.do("GET", BASE + "?limit=2&continue=" + token)
        self.assertEqual([i["metadata"]["name"] for i in p2["items"]], ["c"])
        self.assertEqual((p2["metadata"]["continue"], p2["metadata"]["resourceVersion"]), ("", rv))
        self.assertNotIn("remainingItemCount", p2["metadata"])
        s, _, bad = self.conn.do("GET", BASE + "?limit=2&resourceVersion=%s&continue=%s" % (rv, token))
        self.assertEqual(s, 400)
        s, _, cluster = self.conn.do("GET", "/apis/%s/v1/virtualservices?limit=3" % G)
        self.assertEqual([i["metadata"]["name"] for i in cluster["items"]], ["a", "b", "bb"])
        # Compacted past the first page's resourceVersion: kube's 410 Expired.
        self.srv.request("POST", "/_shift/compact")
        s, _, gone = self.conn.do("GET", BASE + "?limit=2&continue=" + token)
        self.assertEqual(s, 410)
        self.status_of(gone, 410, "Expired")
        self.assertIn("continue parameter is too old", gone["message"])

    def test_default_field_manager_from_user_agent(self):
        s, _, o = self.conn.do("POST", BASE, vs(), headers={"User-Agent": "shift/0.1 (linux)"})
        self.assertEqual(o["metadata"]["managedFields"][0]["manager"], "shift")

    def test_put_get_on_one_connection(self):
        self.conn.do("POST", BASE, vs())
        s, _, cur = self.conn.do("GET", BASE + "/reviews")
        cur["spec"]["http"][0]["route"][0]["weight"] = 60
        cur["spec"]["http"][0]["route"][1]["weight"] = 40
        s, r, new = self.conn.do("PUT", BASE + "/reviews?fieldManager=kubectl-shift&timeout=10s", cur)
        self.assertEqual(s, 200)
        self.assertEqual(new["metadata"]["generation"], 2)
        self.assertGreater(int(new["metadata"]["resourceVersion"]), int(cur["metadata"]["resourceVersion"]))
        mf = {e["manager"]: e["fieldsV1"] for e in new["metadata"]["managedFields"]}
        self.assertEqual(mf, {"unknown": {"f:spec": {".": {}, "f:hosts": {}}}, "kubectl-shift": {"f:spec": {"f:http": {}}}})

    def test_stale_put_conflicts(self):
        self.conn.do("POST", BASE, vs())
        s, _, cur = self.conn.do("GET", BASE + "/reviews")
        self.assertEqual(self.conn.do("PUT", BASE + "/reviews", dict(cur, spec=dict(cur["spec"], hosts=["a"])))[0], 200)
        s, _, body = self.conn.do("PUT", BASE + "/reviews", cur)
        self.assertEqual(s, 409)
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": 'Operation cannot be fulfilled on virtualservices.networking.istio.io "reviews": '
                                "the object has been modified; please apply your changes to the latest version and try again",
                                "reason": "Conflict", "details": {"name": "reviews", "group": G, "kind": "virtualservices"},
                                "code": 409})

    def test_put_without_resource_version_is_invalid(self):
        self.conn.do("POST", BASE, vs())
        s, _, body = self.conn.do("PUT", BASE + "/reviews", vs())
        self.assertEqual(s, 422)
        self.assertEqual(body["message"], 'virtualservices.networking.istio.io "reviews" is invalid: metadata.resourceVersion: '
                         "Invalid value: 0x0: must be specified for an update")

    def test_put_errors(self):
        s, _, cur = self.conn.do("POST", BASE, vs())
        s, _, body = self.conn.do("PUT", BASE + "/reviews", dict(cur, metadata=dict(cur["metadata"], name="other")))
        self.assertEqual((s, body["message"]), (400, "the name of the object (other) does not match the name on the URL (reviews)"))
        s, _, body = self.conn.do("PUT", BASE + "/nope", vs("nope"))
        self.status_of(body, 404, "NotFound")
        s, _, body = self.conn.do("PUT", BASE + "/reviews", dict(cur, apiVersion=G + "/v1beta1"))
        self.assertEqual(body["message"], "the API version in the data (%s/v1beta1) does not match the expected API version (%s/v1)" % (G, G))
        s, _, body = self.conn.do("PUT", BASE + "/reviews", dict(cur, kind="DestinationRule"))
        self.status_of(body, 422, "Invalid")
        self.assertEqual(body["details"]["causes"], [{"reason": "FieldValueInvalid", "message": 'Invalid value: "DestinationRule": must be VirtualService', "field": "kind"}])
        s, _, body = self.conn.do("PUT", BASE, cur)
        self.assertEqual((s, body["message"]), (400, "name must be provided"))

    def test_post_errors(self):
        self.conn.do("POST", BASE, vs())
        s, _, body = self.conn.do("POST", BASE, vs())
        self.status_of(body, 409, "AlreadyExists")
        self.assertEqual(body["message"], 'virtualservices.networking.istio.io "reviews" already exists')
        noname = vs()
        del noname["metadata"]["name"]
        s, _, body = self.conn.do("POST", BASE, noname)
        self.status_of(body, 422, "Invalid")
        self.assertEqual(body["details"]["causes"][0], {"reason": "FieldValueRequired", "field": "metadata.name",
                                                        "message": "Required value: name or generateName is required"})
        s, _, body = self.conn.do("POST", BASE, "{not json")
        self.status_of(body, 400, "BadRequest")

    def test_get_missing(self):
        s, r, body = self.conn.do("GET", BASE + "/reviews")
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": 'virtualservices.networking.istio.io "reviews" not found', "reason": "NotFound",
                                "details": {"name": "reviews", "group": G, "kind": "virtualservices"}, "code": 404})
        self.assertEqual(r.getheader("Content-Type"), "application/json")

    def test_weight_type_error_and_negative_weight(self):
        s, _, cur = self.conn.do("POST", BASE, vs())
        bad = copy.deepcopy(cur)
        bad["spec"]["http"][0]["route"][0]["weight"] = "string"
        s, _, body = self.conn.do("PUT", BASE + "/reviews", bad)
        self.status_of(body, 422, "Invalid")
        self.assertEqual(body["details"]["kind"], "VirtualService")
        self.assertEqual(body["details"]["causes"][0], {
            "reason": "FieldValueTypeInvalid", "field": "spec.http[0].route[0].weight",
            "message": 'Invalid value: "string": spec.http[0].route[0].weight in body must be of type integer: "string"'})
        self.assertEqual(body["details"]["causes"][1]["field"], "<nil>")  # the CEL note of the current CRDs
        neg = copy.deepcopy(cur)
        neg["spec"]["http"][0]["route"][0]["weight"] = -5
        s, _, body = self.conn.do("PUT", BASE + "/reviews", neg)
        self.assertEqual((s, body["spec"]["http"][0]["route"][0]["weight"]), (200, -5))

    def test_unknown_fields_pruned_and_metadata_only_change(self):
        o = vs()
        o["spec"]["bogus"] = 1
        s, _, cur = self.conn.do("POST", BASE, o)
        self.assertNotIn("bogus", cur["spec"])
        cur["metadata"]["labels"] = {"a": "b"}
        s, _, new = self.conn.do("PUT", BASE + "/reviews", cur)
        self.assertEqual(new["metadata"]["generation"], 1)
        self.assertNotEqual(new["metadata"]["resourceVersion"], cur["metadata"]["resourceVersion"])
        s, _, same = self.conn.do("PUT", BASE + "/reviews", new)  # no-op: nothing written
        self.assertEqual(same["metadata"]["resourceVersion"], new["metadata"]["resourceVersion"])

    def test_status_subresource(self):
        s, _, cur = self.conn.do("POST", BASE, dict(vs(), status={"observedGeneration": 3}))
        self.assertNotIn("status", cur)
        s, _, st = self.conn.do("PUT", BASE + "/reviews/status", dict(cur, status={"observedGeneration": 1}))
        self.assertEqual((s, st["status"]), (200, {"observedGeneration": 1}))
        upd = dict(st, status={"observedGeneration": 9}, spec=dict(st["spec"], hosts=["x"]))
        s, _, new = self.conn.do("PUT", BASE + "/reviews", upd)
        self.assertEqual((new["status"], new["spec"]["hosts"]), ({"observedGeneration": 1}, ["x"]))
        s, _, body = self.conn.do("DELETE", BASE + "/reviews/status")
        self.status_of(body, 405, "MethodNotAllowed")

    def test_dry_run(self):
        s, _, created = self.conn.do("POST", BASE + "?dryRun=All", vs())
        self.assertEqual(s, 201)
        self.assertNotIn("resourceVersion", created["metadata"])
        self.assertEqual(self.conn.do("GET", BASE + "/reviews")[0], 404)
        s, _, cur = self.conn.do("POST", BASE, vs())
        upd = copy.deepcopy(cur)
        upd["spec"]["http"][0]["route"][0]["weight"] = 90
        s, _, dry = self.conn.do("PUT", BASE + "/reviews?dryRun=All", upd)
        self.assertEqual((s, dry["metadata"]["generation"], dry["metadata"]["resourceVersion"]),
                         (200, 2, cur["metadata"]["resourceVersion"]))
        self.assertEqual(self.conn.do("GET", BASE + "/reviews")[2], cur)
        s, _, body = self.conn.do("PUT", BASE + "/reviews?dryRun=Bogus", upd)
        self.assertEqual((s, body["details"]["kind"]), (422, "UpdateOptions"))
        s, _, body = self.conn.do("PATCH", BASE + "/reviews?dryRun=All", {"spec": {"hosts": ["y"]}}, "application/merge-patch+json")
        self.assertEqual(body["spec"]["hosts"], ["y"])
        s, _, body = self.conn.do("DELETE", BASE + "/reviews?dryRun=All")
        self.assertEqual((s, body["status"]), (200, "Success"))
        self.assertEqual(self.conn.do("GET", BASE + "/reviews")[2], cur)

    def test_patch_and_delete(self):
        s, _, cur = self.conn.do("POST", BASE, vs())
        s, _, new = self.conn.do("PATCH", BASE + "/reviews?fieldManager=pm", {"spec": {"hosts": ["a", "b"]}},
                                 "application/merge-patch+json")
        self.assertEqual((s, new["spec"]["hosts"], new["metadata"]["generation"]), (200, ["a", "b"], 2))
        s, _, new = self.conn.do("PATCH", BASE + "/reviews", [{"op": "replace", "path": "/spec/hosts/0", "value": "c"}],
                                 "application/json-patch+json")
        self.assertEqual(new["spec"]["hosts"], ["c", "b"])
        s, _, body = self.conn.do("PATCH", BASE + "/reviews", {"metadata": {"resourceVersion": "1"}}, "application/merge-patch+json")
        self.status_of(body, 409, "Conflict")
        s, _, body = self.conn.do("PATCH", BASE + "/reviews", {}, "application/json")
        self.status_of(body, 415, "UnsupportedMediaType")
        s, _, body = self.conn.do("DELETE", BASE + "/reviews")
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": {
            "name": "reviews", "group": G, "kind": "virtualservices", "uid": cur["metadata"]["uid"]}})
        self.status_of(self.conn.do("DELETE", BASE + "/reviews")[2], 404, "NotFound")

    def test_unsupported_verb(self):
        s, _, body = self.conn.do("OPTIONS", BASE + "/reviews")
        self.status_of(body, 405, "MethodNotAllowed")
        self.assertEqual(body["message"], ' is not supported on resources of kind "virtualservices.networking.istio.io"')


class CoreServices(ServerCase):
    """core v1 Services: what shift reads to check a new destination host."""
    SVC = "/api/v1/namespaces/%s/services" % NS

    def tearDown(self):
        for name in ("reviews-v3", "ratings"):
            self.conn.do("DELETE", self.SVC + "/" + name)
        super().tearDown()

    def test_create_get_list_delete_with_defaults(self):
        svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "reviews-v3"},
               "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": {"app": "reviews"}}}
        s, _, created = self.conn.do("POST", self.SVC, svc)
        self.assertEqual(s, 201, created)
        spec = created["spec"]
        self.assertEqual(spec["ports"], [{"name": "http", "port": 9080, "protocol": "TCP", "targetPort": 9080}])
        self.assertEqual((spec["type"], spec["sessionAffinity"], spec["ipFamilies"]), ("ClusterIP", "None", ["IPv4"]))
        self.assertEqual(spec["clusterIPs"], [spec["clusterIP"]])
        self.assertEqual(created["status"], {"loadBalancer": {}})
        s, _, got = self.conn.do("GET", self.SVC + "/reviews-v3")
        self.assertEqual((s, got["metadata"]["uid"]), (200, created["metadata"]["uid"]))
        s, _, lst = self.conn.do("GET", self.SVC)
        self.assertEqual((lst["kind"], [o["metadata"]["name"] for o in lst["items"]]), ("ServiceList", ["reviews-v3"]))
        s, _, other = self.conn.do("GET", "/api/v1/namespaces/other/services")
        self.assertEqual((s, other["items"]), (200, []))
        s, _, again = self.conn.do("POST", self.SVC, svc)
        self.status_of(again, 409, "AlreadyExists")
        self.assertEqual(again["message"], 'services "reviews-v3" already exists')
        s, _, _ = self.conn.do("DELETE", self.SVC + "/reviews-v3")
        s, _, gone = self.conn.do("GET", self.SVC + "/reviews-v3")
        self.status_of(gone, 404, "NotFound")
        self.assertEqual(gone["message"], 'services "reviews-v3" not found')
        self.assertEqual(gone["details"], {"name": "reviews-v3", "kind": "services"})

    def test_invalid_and_forbidden(self):
        s, _, body = self.conn.do("POST", self.SVC, {"apiVersion": "v1", "kind": "Service",
                                                     "metadata": {"name": "Bad_Name"}, "spec": {}})
        self.status_of(body, 422, "Invalid")
        self.assertTrue(body["message"].startswith('Service "Bad_Name" is invalid: [metadata.name: Invalid value: '
                                                   '"Bad_Name": a DNS-1035 label'), body["message"])
        self.assertTrue(body["message"].endswith(", spec.ports: Required value]"))
        c = Conn(self.srv, token=self.srv.nobody_token)
        s, _, body = c.do("GET", self.SVC)
        self.status_of(body, 403, "Forbidden")
        self.assertEqual(body["message"], 'services is forbidden: User "nobody" cannot list resource "services" in '
                         'API group "" in the namespace "istio-demo"')
        c.close()

    def test_discovery_lists_services(self):
        s, _, body = self.conn.do("GET", "/api/v1")
        self.assertIn("services", [r["name"] for r in body["resources"]])


class ServiceEntries(ServerCase):
    def test_served_like_the_other_istio_kinds(self):
        se = {"apiVersion": G + "/v1", "kind": "ServiceEntry", "metadata": {"name": "ext"},
              "spec": {"hosts": ["api.example.com"], "ports": [{"number": 443, "name": "https", "protocol": "TLS"}],
                       "resolution": "DNS", "location": "MESH_EXTERNAL"}}
        base = "/apis/%s/v1/namespaces/%s/serviceentries" % (G, NS)
        s, _, created = self.conn.do("POST", base, se)
        self.assertEqual(s, 201, created)
        s, _, lst = self.conn.do("GET", "/apis/%s/v1beta1/namespaces/%s/serviceentries" % (G, NS))
        self.assertEqual((lst["kind"], lst["items"][0]["apiVersion"]), ("ServiceEntryList", G + "/v1beta1"))
        s, _, bad = self.conn.do("POST", base, dict(se, metadata={"name": "bad"}, spec={"hosts": "x"}))
        self.status_of(bad, 422, "Invalid")
        s, _, res = self.conn.do("GET", "/apis/%s/v1" % G)
        entry = [r for r in res["resources"] if r["name"] == "serviceentries"][0]
        self.assertEqual((entry["kind"], entry["shortNames"]), ("ServiceEntry", ["se"]))


class Auth(ServerCase):
    def test_no_credentials_and_bad_token(self):
        for token in ("", "wrong"):
            c = Conn(self.srv, token=token)
            c.token = token or None
            s, _, body = c.do("GET", BASE + "/reviews")
            self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                    "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
            c.close()

    def test_nobody_is_forbidden(self):
        c = Conn(self.srv, token=self.srv.nobody_token)
        s, r, body = c.do("GET", BASE + "/reviews")
        self.status_of(body, 403, "Forbidden")
        self.assertEqual(body["message"], 'virtualservices.networking.istio.io "reviews" is forbidden: User "nobody" cannot get '
                         'resource "virtualservices" in API group "networking.istio.io" in the namespace "istio-demo"')
        self.assertEqual(body["details"], {"name": "reviews", "group": G, "kind": "virtualservices"})
        s, _, body = c.do("GET", BASE)
        self.assertEqual(body["message"], 'virtualservices.networking.istio.io is forbidden: User "nobody" cannot list '
                         'resource "virtualservices" in API group "networking.istio.io" in the namespace "istio-demo"')
        s, _, body = c.do("PUT", BASE + "/reviews", vs())
        self.assertIn('cannot update resource "virtualservices"', body["message"])
        s, _, body = c.do("GET", "/apis/%s/v1/virtualservices" % G)
        self.assertTrue(body["message"].endswith("at the cluster scope"))
        s, _, body = c.do("GET", "/_shift/requests")
        self.assertEqual(s, 403)
        c.close()

    def test_client_certificates(self):
        c = Conn(self.srv, cert="admin")
        self.assertEqual(c.do("GET", BASE)[0], 200)
        c.close()
        c = Conn(self.srv, cert="nobody")
        self.assertEqual(c.do("GET", BASE)[0], 403)
        c.close()
        self.assertEqual(self.srv.requests()[-1]["user"], "nobody")

    def test_tls12_minimum(self):
        ctx = ssl.create_default_context(cafile=self.srv.ca)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        with self.assertRaises((ssl.SSLError, OSError)):
            with socket.create_connection(("127.0.0.1", self.srv.port)) as s:
                with ctx.wrap_socket(s, server_hostname="127.0.0.1"):
                    pass


class Impersonation(ServerCase):
    """Impersonate-* headers, as kube-apiserver v1.24 answers them (tests/server/test_conformance.py
    compares these answers with the real server's)."""

    def as_(self, token=None, *pairs, method="GET", path=BASE + "/reviews", body=None):
        c = Conn(self.srv, token=token)
        try:
            return c.do(method, path, body, headers=list(pairs))
        finally:
            c.close()

    def last_log(self):
        return {k: v for k, v in self.srv.requests()[-1].items() if k in ("user", "impersonator", "status")}

    def test_admin_impersonating_nobody_gets_nobodys_403(self):
        self.conn.do("POST", BASE, vs())
        s, r, body = self.as_(None, ("Impersonate-User", "nobody"))
        self.status_of(body, 403, "Forbidden")
        self.assertEqual(body["message"], 'virtualservices.networking.istio.io "reviews" is forbidden: User "nobody" '
                         'cannot get resource "virtualservices" in API group "networking.istio.io" in the namespace '
                         '"istio-demo"')
        self.assertTrue(r.getheader("X-Kubernetes-Pf-Flowschema-Uid"))  # past impersonation: normal authorization
        self.assertEqual(self.last_log(), {"user": "nobody", "impersonator": "admin", "status": 403})

    def test_impersonated_group_system_masters_may_do_anything(self):
        self.conn.do("POST", BASE, vs())
        s, _, got = self.as_(None, ("Impersonate-User", "alice"), ("Impersonate-Group", "system:masters"))
        self.assertEqual((s, got["metadata"]["name"]), (200, "reviews"))
        self.assertEqual(self.last_log(), {"user": "alice", "impersonator": "admin", "status": 200})
        got["spec"]["hosts"] = ["reviews", "more"]
        s, _, put = self.as_(None, ("Impersonate-User", "alice"), ("Impersonate-Group", "system:masters"),
                             method="PUT", body=got)
        self.assertEqual((s, put["spec"]["hosts"]), (200, ["reviews", "more"]))
        s, _, _ = self.as_(None, ("Impersonate-User", "alice"), ("Impersonate-Group", "devs"))
        self.assertEqual(s, 403)
        self.conn.do("GET", BASE)
        self.assertEqual(self.last_log(), {"user": "admin", "status": 200})  # no impersonator without the headers

    def test_only_system_masters_may_impersonate(self):
        for pairs in ([("Impersonate-User", "alice")],
                      [("Impersonate-User", "alice"), ("Impersonate-Group", "system:masters"),
                       ("Impersonate-Extra-Scopes", "x"), ("Impersonate-Uid", "1")]):  # the user is checked first
            s, r, body = self.as_(self.srv.nobody_token, *pairs)
            self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                    "message": 'users "alice" is forbidden: User "nobody" cannot impersonate resource '
                                               '"users" in API group "" at the cluster scope',
                                    "reason": "Forbidden", "details": {"name": "alice", "kind": "users"}, "code": 403})
            self.assertEqual(r.getheader("X-Content-Type-Options"), "nosniff")
            self.assertIsNone(r.getheader("X-Kubernetes-Pf-Flowschema-Uid"))  # refused before flow control
            self.assertEqual(self.last_log(), {"user": "nobody", "status": 403})
        s, _, body = self.as_(self.srv.nobody_token, ("Impersonate-User", "system:serviceaccount:istio-demo:deployer"))
        self.assertEqual((body["message"], body["details"]),
                         ('serviceaccounts "deployer" is forbidden: User "nobody" cannot impersonate resource '
                          '"serviceaccounts" in API group "" in the namespace "istio-demo"',
                          {"name": "deployer", "kind": "serviceaccounts"}))
        for name in ("system:serviceaccount:Bad_NS:x", "system:serviceaccount:ns", 'al"ice\\'):  # not service accounts
            s, _, body = self.as_(self.srv.nobody_token, ("Impersonate-User", name))
            self.assertEqual(body["message"], 'users %s is forbidden: User "nobody" cannot impersonate resource "users" '
                             'in API group "" at the cluster scope' % json.dumps(name))  # Go's %q, here like JSON
            self.assertEqual(body["details"], {"name": name, "kind": "users"})

    def test_refused_impersonation_is_no_request_for_faults(self):
        self.srv.fault("error", method="GET")
        self.assertEqual(self.as_(self.srv.nobody_token, ("Impersonate-User", "alice"))[0], 403)
        self.assertEqual(self.as_(None, ("Impersonate-Group", "g"))[0], 500)
        s, _, body = self.conn.do("GET", BASE)
        self.assertEqual(body["message"], "Internal error occurred: injected fault")

    def test_groups_extras_or_uid_without_user_is_a_plain_500(self):
        path = BASE + "/reviews?a=1&b=<2>"
        s, r, body = self.as_(self.srv.nobody_token, ("Impersonate-Group", "system:masters"), ("Impersonate-Group", "g2"),
                              ("Impersonate-Extra-acme.com%2Fproject", "p"), ("Impersonate-Uid", "u1"), path=path)
        self.assertEqual(s, 500)
        self.assertEqual(body, 'Internal Server Error: "%s?a=1&amp;b=&lt;2&gt;": requested [{Group  system:masters    } '
                         '{Group  g2    } {UserExtra  p  authentication.k8s.io/v1  acme.com/project} '
                         '{UID  u1  authentication.k8s.io/v1  }] without impersonating a user\n' % (BASE + "/reviews"))
        self.assertEqual((r.getheader("Content-Type"), r.getheader("X-Content-Type-Options")),
                         ("text/plain; charset=utf-8", "nosniff"))
        self.assertIsNone(r.getheader("X-Kubernetes-Pf-Flowschema-Uid"))
        s, _, body = self.as_(None, ("Impersonate-User", ""), ("Impersonate-Extra-Bad%zz", "v"), path="/version")
        self.assertEqual(body, 'Internal Server Error: "/version": requested [{UserExtra  v  authentication.k8s.io/v1  '
                         'bad%zz}] without impersonating a user\n')  # a malformed escape keeps the key as sent
        s, _, body = self.as_("not-a-token", ("Impersonate-Group", "g"))
        self.assertEqual((s, body["reason"]), (401, "Unauthorized"))  # authentication comes first

    def test_impersonated_users_groups(self):
        # discovery needs system:authenticated, which kube adds unless either all-users group is named
        for pairs, want in (([("Impersonate-User", "bob")], 200),
                            ([("Impersonate-User", "bob"), ("Impersonate-Group", "devs")], 200),
                            ([("Impersonate-User", "bob"), ("Impersonate-Group", "system:unauthenticated")], 403),
                            ([("Impersonate-User", "system:anonymous")], 403),
                            ([("Impersonate-User", "system:serviceaccount:istio-demo:deployer")], 200)):
            with self.subTest(pairs=pairs):
                self.assertEqual(self.as_(None, *pairs, path="/apis")[0], want)
        s, _, body = self.as_(None, ("Impersonate-User", "system:anonymous"), path="/apis")
        self.assertEqual(body["message"], 'forbidden: User "system:anonymous" cannot get path "/apis"')
        s, _, body = self.as_(None, ("Impersonate-User", "system:serviceaccount:istio-demo:deployer"))
        self.assertIn('User "system:serviceaccount:istio-demo:deployer" cannot get', body["message"])
        s, _, _ = self.as_(None, ("Impersonate-User", "system:anonymous"), ("Impersonate-Group", "system:masters"))
        self.assertEqual(s, 404)  # allowed; the object isn't there

    def test_control_endpoint_runs_as_the_impersonated_user(self):
        self.assertEqual(self.as_(None, ("Impersonate-User", "nobody"), path="/_shift/state")[0], 403)
        self.assertEqual(self.as_(None, ("Impersonate-User", "x"), ("Impersonate-Group", "system:masters"),
                                  path="/_shift/state")[0], 200)

    def test_anonymous_may_not_impersonate(self):
        with TestServer(anonymous_auth=True) as srv:
            c = Conn(srv, token="")
            c.token = None
            s, _, body = c.do("GET", BASE, headers=[("Impersonate-User", "alice")])
            c.close()
        self.assertEqual(body["message"], 'users "alice" is forbidden: User "system:anonymous" cannot impersonate '
                         'resource "users" in API group "" at the cluster scope')


class Faults(ServerCase):
    def test_error_and_throttle_count(self):
        self.srv.fault("error", count=2, method="GET", path="virtualservices")
        for _ in range(2):
            s, _, body = self.conn.do("GET", BASE)
            self.status_of(body, 500, "InternalError")
        self.assertEqual(self.conn.do("GET", BASE)[0], 200)
        self.srv.fault("throttle", retryAfter=3)
        s, r, body = self.conn.do("GET", BASE)
        self.status_of(body, 429, "TooManyRequests")
        self.assertEqual((r.getheader("Retry-After"), body["details"]), ("3", {"retryAfterSeconds": 3}))
        self.assertEqual(self.conn.do("GET", BASE)[0], 200)

    def test_delay(self):
        self.srv.fault("delay", ms=300, method="GET")
        t = time.time()
        self.conn.do("GET", BASE)
        self.assertGreaterEqual(time.time() - t, 0.3)

    def test_reset_mid_body(self):
        self.conn.do("POST", BASE, vs())
        self.srv.fault("reset", method="GET", path="/reviews")
        with self.assertRaises((http.client.IncompleteRead, ConnectionError, ssl.SSLError, http.client.HTTPException)):
            self.conn.do("GET", BASE + "/reviews")
        c = Conn(self.srv)
        self.assertEqual(c.do("GET", BASE + "/reviews")[0], 200)
        c.close()

    def test_a_delay_past_the_request_timeout_is_abandoned_with_504(self):
        self.srv.fault("delay", ms=2000, method="POST")
        t = time.time()
        s, _, body = self.conn.do("POST", BASE + "?timeout=300ms", vs("too-slow"))
        self.assertLess(time.time() - t, 1.5)
        self.status_of(body, 504, "Timeout")
        self.assertEqual(self.conn.do("GET", BASE + "/too-slow")[0], 404, "an abandoned create must not happen")

    def test_skip_lets_matching_requests_pass_first(self):
        self.srv.fault("error", skip=2, method="GET", path="virtualservices")
        self.assertEqual(self.conn.do("GET", BASE)[0], 200)
        self.assertEqual(self.conn.do("POST", BASE, vs("skip-me"))[0], 201)  # not matching: not counted
        self.assertEqual(self.conn.do("GET", BASE)[0], 200)
        self.assertEqual(self.conn.do("GET", BASE)[0], 500)
        self.assertEqual(self.conn.do("GET", BASE)[0], 200)

    def test_garble_carries_out_the_request_and_spoils_the_answer(self):
        self.srv.fault("garble", method="POST")
        s, r, body = self.conn.do("POST", BASE, vs("garbled"))
        self.assertEqual(s, 201)
        self.assertIsInstance(body, str, "a truncated answer must not parse as JSON")
        self.assertTrue(body.startswith('{"apiVersion"'), body)
        self.assertEqual(self.conn.do("GET", BASE + "/garbled")[0], 200)  # the create happened
        self.srv.fault("garble", mode="invalid", method="GET")
        s, r, body = self.conn.do("GET", BASE + "/garbled")
        self.assertEqual((s, body), (200, "<html><body>502 Bad Gateway</body></html>"))

    def test_outage_refuses_then_comes_back_on_the_same_port_with_the_same_objects(self):
        self.conn.do("POST", BASE, vs("before"))
        other = Conn(self.srv)  # an idle keep-alive connection: a restart drops it too
        self.assertEqual(other.do("GET", BASE + "/before")[0], 200)
        self.srv.fault("outage", seconds=1.0, method="POST")
        t = time.time()
        with self.assertRaises((http.client.HTTPException, ConnectionError, ssl.SSLError, OSError)):
            self.conn.do("POST", BASE, vs("during"))
        with self.assertRaises(ConnectionRefusedError):  # nobody listens while it is away
            Conn(self.srv).do("GET", BASE + "/before")
        with self.assertRaises((http.client.HTTPException, ConnectionError, ssl.SSLError, OSError)):
            other.do("GET", BASE + "/before")
        self.srv.wait_up()
        self.assertGreaterEqual(time.time() - t, 0.9)
        c = Conn(self.srv)
        self.assertEqual(c.do("GET", BASE + "/before")[0], 200)
        self.assertEqual(c.do("GET", BASE + "/during")[0], 404, "the request it went away on was not carried out")
        self.srv.fault("outage", seconds=0.3, after=True, method="POST")
        with self.assertRaises((http.client.HTTPException, ConnectionError, ssl.SSLError, OSError)):
            c.do("POST", BASE, vs("after"))
        self.srv.wait_up()
        c = Conn(self.srv)
        self.assertEqual(c.do("GET", BASE + "/after")[0], 200, "after=true carries the request out first")
        c.close()

    def test_concurrent_writer(self):
        self.conn.do("POST", BASE, vs())
        self.srv.fault("conflict", path="virtualservices/reviews", patch={"spec": {"hosts": ["reviews", "other"]}})
        s, _, cur = self.conn.do("GET", BASE + "/reviews")
        s, _, body = self.conn.do("PUT", BASE + "/reviews", cur)
        self.status_of(body, 409, "Conflict")
        s, _, now = self.conn.do("GET", BASE + "/reviews")
        self.assertEqual((now["spec"]["hosts"], now["metadata"]["generation"]), (["reviews", "other"], 2))
        self.assertEqual(self.conn.do("PUT", BASE + "/reviews", now)[0], 200)

    def test_request_log(self):
        self.srv.clear_requests()
        self.conn.do("GET", BASE + "/reviews?timeout=5s")
        log = self.srv.requests()
        self.assertEqual([(e["method"], e["path"], e["query"], e["user"], e["status"]) for e in log],
                         [("GET", BASE + "/reviews", "timeout=5s", "admin", 404)])


class Lifecycle(unittest.TestCase):
    def test_sigterm_exits_cleanly_and_threads_serve_in_parallel(self):
        with TestServer() as srv:
            srv.fault("delay", count=1, ms=1500, path="/version")
            results = []
            slow = threading.Thread(target=lambda: results.append(srv.request("GET", "/version")[0]))
            slow.start()
            time.sleep(0.2)
            t = time.time()
            self.assertEqual(srv.request("GET", "/healthz")[0], 200)
            self.assertLess(time.time() - t, 1.0)
            slow.join()
            proc = srv.proc
            self.assertIsNotNone(proc)
        self.assertEqual(proc.returncode, 0)

    def test_kubeconfig_contexts(self):
        with TestServer() as srv:
            with open(srv.kubeconfig) as f:
                text = f.read()
            for ctx in ("admin", "admin-cert", "nobody"):
                self.assertIn("- name: %s\n  context:" % ctx, text)
            self.assertIn("current-context: admin", text)
            out = subprocess.run(["openssl", "x509", "-in", os.path.join(srv.dir, "server.crt"), "-noout", "-text"],
                                 capture_output=True, text=True).stdout
            self.assertIn("IP Address:127.0.0.1", out)
            self.assertIn("DNS:localhost", out)


if __name__ == "__main__":
    unittest.main(verbosity=1)
