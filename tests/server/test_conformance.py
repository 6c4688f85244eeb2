#!/usr/bin/env python3
"""The local test API server against the real kube-apiserver (the truth), in both Istio eras.

The same sequence of raw HTTP requests goes to both; what a client can observe is compared step by
step: status codes, Content-Type and a few headers, Status objects, discovery documents, objects
(uids, timestamps and resourceVersion numbers aside) and how resourceVersion moves. Skipped
without KUBEBUILDER_ASSETS.

    KUBEBUILDER_ASSETS=... python3 tests/server/test_conformance.py
"""
import copy
import http.client
import json
import os
import ssl
import sys
import unittest
import urllib.parse

# The backends (this server and the real one, started alike) live with the live tests.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "live"))
import cluster  # noqa: E402

UA = {"User-Agent": "conformance/1.0"}
ISTIO = "networking.istio.io"
RESOURCES = ("virtualservices", "virtualservices/status", "destinationrules", "destinationrules/status",
             "serviceentries", "serviceentries/status")


def normalize(value, ns):
    """The namespace name becomes NS; uids, timestamps and resourceVersion numbers are masked."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("uid", "creationTimestamp", "time", "resourceVersion") and isinstance(v, str):
                out[k] = "<%s>" % k if v else ""
            else:
                out[k] = normalize(v, ns)
        return out
    if isinstance(value, list):
        return [normalize(v, ns) for v in value]
    if isinstance(value, str):
        return value.replace(ns, "NS")
    return value


def status_view(body):
    if not isinstance(body, dict):
        return {"text": body}
    d = body.get("details") or {}
    return {"kind": body.get("kind"), "apiVersion": body.get("apiVersion"), "status": body.get("status"),
            "reason": body.get("reason"), "code": body.get("code"), "message": body.get("message"),
            "details": {k: d.get(k) for k in ("kind", "group", "name", "causes", "retryAfterSeconds") if k in d}}


def discovery_view(doc):
    doc = copy.deepcopy(doc)
    if doc.get("kind") == "APIResourceList":
        doc["resources"] = sorted((dict(r, verbs=sorted(r.get("verbs", [])))
                                   for r in doc["resources"] if r["name"] in RESOURCES), key=lambda r: r["name"])
    if doc.get("kind") == "APIGroupList":
        doc["groups"] = [g for g in doc["groups"] if g["name"] == ISTIO]
    return doc


def vs(name, weight=None):
    route = [{"destination": {"host": "reviews", "subset": "v1"}}]
    if weight is not None:
        route = [{"destination": {"host": "reviews", "subset": "v1"}, "weight": weight},
                 {"destination": {"host": "reviews", "subset": "v3"}, "weight": 100 - weight
                  if isinstance(weight, int) else 0}]
    return {"kind": "VirtualService", "metadata": {"name": name}, "spec": {"hosts": ["reviews"], "http": [{"route": route}]}}


def send(b, method, path, token, pairs):
    """One GET-like request whose headers may repeat (Impersonate-Group): the backends' request()
    takes a dict. Returns (status, headers with lower-case names, parsed JSON or text)."""
    u = urllib.parse.urlsplit(b.url)
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ssl.create_default_context(cafile=b.ca), timeout=30)
    try:
        c.putrequest(method, path)
        for name, value in [("Authorization", "Bearer " + token), ("Accept", "application/json")] + list(UA.items()) + pairs:
            c.putheader(name, value)
        c.endheaders()
        r = c.getresponse()
        status, headers, raw = r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        c.close()
    try:
        return status, headers, json.loads(raw)
    except ValueError:
        return status, headers, raw


def observe_impersonation(b, ns, one, steps):
    """Impersonate-* headers. On the test server only system:masters may impersonate; nobody has no
    RBAC binding on the real one, so both refuse nobody and allow admin."""
    user = lambda name: ("Impersonate-User", name)  # noqa: E731
    group = lambda name: ("Impersonate-Group", name)  # noqa: E731

    def imp(step, token, pairs, path=one, view="status"):
        status, headers, out = send(b, "GET", path, token, pairs)
        o = {"status": status, "content-type": headers.get("content-type"),
             "x-content-type-options": headers.get("x-content-type-options"),
             # kube's priority-and-fairness runs after impersonation: refusals there carry no X-Kubernetes-Pf-*
             "flow control": "x-kubernetes-pf-flowschema-uid" in headers,
             "body": {"status": status_view, "object": lambda x: x, "discovery": discovery_view}[view](out)}
        steps.append(("impersonation: " + step, normalize(o, ns)))

    imp("admin as nobody, get", b.token, [user("nobody")])
    imp("admin as alice in system:masters, get", b.token, [user("alice"), group("system:masters")], view="object")
    imp("admin as alice in devs, get", b.token, [user("alice"), group("devs")])
    imp("admin as a service account, get", b.token, [user("system:serviceaccount:%s:deployer" % ns)])
    imp("admin as bob, discovery", b.token, [user("bob")], path="/apis/" + ISTIO, view="discovery")
    imp("admin as bob in system:unauthenticated, discovery", b.token,
        [user("bob"), group("system:unauthenticated")], path="/apis/" + ISTIO)
    imp("admin as system:anonymous, discovery", b.token, [user("system:anonymous")], path="/apis")
    imp("admin as system:anonymous in system:masters, get", b.token, [user("system:anonymous"), group("system:masters")],
        view="object")
    imp("nobody as alice", b.nobody_token, [user("alice")])
    imp("nobody as alice with group, extra and uid", b.nobody_token,
        [user("alice"), group("system:masters"), ("Impersonate-Extra-Scopes", "x"), ("Impersonate-Uid", "1")])
    imp("nobody as a service account", b.nobody_token, [user("system:serviceaccount:%s:deployer" % ns)])
    imp("nobody as a bad service account name", b.nobody_token, [user("system:serviceaccount:Bad_NS:x")])
    imp("nobody as a name to quote", b.nobody_token, [user('al"ice\\')])
    imp("group without user", b.token, [group("system:masters")])
    imp("groups, extra and uid without user", b.token,
        [group("a"), group("b<&>"), ("Impersonate-Extra-acme.com%2Fproject", "p"), ("Impersonate-Uid", "u1")],
        path=one + "?a=1&b=<2>")
    imp("nobody, group without user", b.nobody_token, [group("system:masters")])
    imp("bad token, user", "not-a-token", [user("alice")])


def service_view(o):
    """A Service as compared: the allocated ClusterIP and the managedFields (structured merge for
    built-in types, not modelled) masked."""
    o = copy.deepcopy(o)
    if not isinstance(o, dict):
        return o
    spec = o.get("spec", {})
    for k in ("clusterIP", "clusterIPs"):
        if k in spec:
            spec[k] = "<%s>" % k
    if isinstance(o.get("metadata"), dict):
        o["metadata"].pop("managedFields", None)
    return o


def observe_services(b, ns, req, steps):
    """What shift reads to check a new host: core v1 Services and Istio ServiceEntries."""
    col = "/api/v1/namespaces/%s/services" % ns
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "reviews-v3"},
           "spec": {"ports": [{"port": 9080, "name": "http"}], "selector": {"app": "reviews"}}}
    for step, method, path, body in (("service create", "POST", col + "?fieldManager=conformance", svc),
                                     ("service get", "GET", col + "/reviews-v3", None),
                                     ("service list", "GET", col, None)):
        status, headers, out = b.request(method, path, body, headers=UA)
        if isinstance(out, dict) and "items" in out:
            out = dict(out, items=[service_view(i) for i in out["items"]], metadata=sorted(out["metadata"]))
        steps.append((step, normalize({"status": status, "content-type": headers.get("content-type"),
                                       "body": service_view(out)}, ns)))
    req("service create again", "POST", col, svc)
    req("service get missing", "GET", col + "/nope")
    req("service list forbidden", "GET", col, token=b.nobody_token)
    req("service create invalid", "POST", col, dict(svc, metadata={"name": "Bad_Name"}, spec={}))
    se = {"apiVersion": "%s/%s" % (ISTIO, b.preferred), "kind": "ServiceEntry", "metadata": {"name": "ext"},
          "spec": {"hosts": ["api.example.com"], "ports": [{"number": 80, "name": "http", "protocol": "HTTP"}],
                   "resolution": "DNS", "location": "MESH_EXTERNAL"}}
    # The current ServiceEntry CRD's ports are a keyed list (x-kubernetes-list-type: map), whose
    # managedFields the test server does not model: compare the object without them.
    status, headers, out = b.request("POST", b.path(ns, "serviceentries") + "?fieldManager=conformance", se,
                                     headers=UA)
    out["metadata"].pop("managedFields", None)
    steps.append(("serviceentry create", normalize({"status": status, "content-type": headers.get("content-type"),
                                                    "body": out}, ns)))
    req("serviceentry list forbidden", "GET", b.path(ns, "serviceentries"), token=b.nobody_token)
    req("serviceentry create invalid", "POST", b.path(ns, "serviceentries"),
        dict(se, metadata={"name": "bad"}, spec={"hosts": "x"}))


def workload_view(o):
    """What make-before-break reads of a Pod or EndpointSlice list: the list's kind and apiVersion, and
    of each item its name, labels, Ready condition or endpoints (the rest, the pod's defaulted spec, is
    not modelled)."""
    if not isinstance(o, dict) or "items" not in o:
        return o
    items = [{"name": i["metadata"]["name"], "labels": i["metadata"].get("labels"),
              "ready": [c for c in i.get("status", {}).get("conditions", []) if c.get("type") == "Ready"],
              "phase": i.get("status", {}).get("phase"), "endpoints": i.get("endpoints")} for i in o["items"]]
    return {"kind": o.get("kind"), "apiVersion": o.get("apiVersion"), "items": items}


def observe_workloads(b, ns, steps):
    """Pods made Ready through pods/status, EndpointSlices, both listed with a labelSelector, as
    shift's make-before-break check lists them; and the 403 of a user who may not list pods."""
    if b.kind == "envtest":
        b.request("POST", "/api/v1/namespaces/%s/serviceaccounts" % ns,
                  {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}})
    pods = "/api/v1/namespaces/%s/pods" % ns
    for name, version in (("a", "v1"), ("b", "v2")):
        b.request("POST", pods, {"apiVersion": "v1", "kind": "Pod",
                                 "metadata": {"name": name, "labels": {"app": "reviews", "version": version}},
                                 "spec": {"automountServiceAccountToken": False,
                                          "containers": [{"name": "app", "image": "example.com/app:1"}]}})
    status, _, _ = b.request("PATCH", pods + "/a/status",
                             {"status": {"conditions": [{"type": "Ready", "status": "True"}]}},
                             content_type="application/merge-patch+json")
    steps.append(("pod status patch", status))
    slices = "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices" % ns
    b.request("POST", slices, {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                               "metadata": {"name": "reviews-x", "labels": {"kubernetes.io/service-name": "reviews"}},
                               "addressType": "IPv4",
                               "endpoints": [{"addresses": ["10.1.0.7"], "conditions": {"ready": True}}]})
    for step, path, token in (
            ("pods listed by label", pods + "?labelSelector=app%3Dreviews%2Cversion%3Dv1", None),
            ("pods listed by a shared label", pods + "?labelSelector=app%3Dreviews", None),
            ("endpointslices listed by service", slices + "?labelSelector=kubernetes.io%2Fservice-name%3Dreviews", None),
            ("pods list forbidden", pods + "?labelSelector=app%3Dreviews", b.nobody_token)):
        status, headers, out = b.request("GET", path, token=token, headers=UA)
        steps.append((step, normalize({"status": status, "content-type": headers.get("content-type"),
                                       "body": workload_view(out)}, ns)))


def observe_pages(b, steps):
    """A LIST in pages (limit, continue), as kubectl and shift read lists: the page sizes, the
    metadata keys, remainingItemCount, and later pages read at the first page's resourceVersion (an
    object created between pages is not in them); resourceVersion and continue together are a 400."""
    ns = b.namespace()
    for name in ("a", "b", "c", "d", "e"):
        b.create(ns, "virtualservices", vs(name))
    col = b.path(ns, "virtualservices")

    def page(step, query):
        status, _, out = b.request("GET", col + query, headers=UA)
        if status != 200:
            steps.append((step, normalize({"status": status, "body": status_view(out)}, ns)))
            return out
        m = out["metadata"]
        steps.append((step, normalize({"status": status, "names": [i["metadata"]["name"] for i in out["items"]],
                                       "metadata": sorted(m), "more": bool(m.get("continue")),
                                       "remaining": m.get("remainingItemCount")}, ns)))
        return out

    first = page("page 1 of limit 2", "?limit=2")
    b.create(ns, "virtualservices", vs("bb"))
    token = first["metadata"]["continue"]
    second = page("page 2, after a create", "?limit=2&continue=" + token)
    third = page("page 3", "?limit=2&continue=" + second["metadata"]["continue"])
    steps.append(("pages keep the first page's resourceVersion", {
        "page 2": second["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"],
        "page 3": third["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]}))
    page("limit larger than the list", "?limit=500")
    page("resourceVersion with continue", "?limit=2&resourceVersion=%s&continue=%s"
         % (first["metadata"]["resourceVersion"], token))
    page("label selector, limit 1", "?limit=1&labelSelector=nope%3Dx")


def observe_httproutes(b, ns, req):
    """The Gateway API's HTTPRoute (v1.2.0 CRD): the defaults the server fills in (weight 1, kind Service,
    group "", a PathPrefix / match), both versions, and the schema's weight bounds."""
    gw = "gateway.networking.k8s.io"
    col = "/apis/%s/v1/namespaces/%s/httproutes?fieldManager=conformance" % (gw, ns)
    one = "/apis/%s/v1/namespaces/%s/httproutes/reviews" % (gw, ns)
    route = {"apiVersion": gw + "/v1", "kind": "HTTPRoute", "metadata": {"name": "reviews"},
             "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
                      "rules": [{"backendRefs": [{"name": "reviews-v1", "port": 9080}]}]}}
    status, created = req("httproute create", "POST", col, route, view="object")
    req("httproute get as v1beta1", "GET", one.replace("/v1/", "/v1beta1/"), view="object")
    changed = copy.deepcopy(created)
    changed["spec"]["rules"][0]["backendRefs"] = [{"name": "reviews-v1", "port": 9080, "weight": 50},
                                                  {"name": "reviews-v3", "port": 9080, "weight": 50}]
    status, put = req("httproute put weights", "PUT", one + "?fieldManager=conformance", changed, view="object")
    bad = copy.deepcopy(put)
    bad["spec"]["rules"][0]["backendRefs"][0]["weight"] = -1
    req("httproute put weight -1", "PUT", one, bad)
    req("httproute get missing", "GET", one.replace("reviews", "nope"))
    req("httproute unserved version", "GET", one.replace("/v1/", "/v1alpha1/"))


def observe(b):
    """[(step, observation)] of one backend."""
    ns = b.namespace()
    v = b.preferred
    steps = []
    rv = {}

    def req(step, method, path, body=None, token=None, view="status", content_type="application/json"):
        status, headers, out = b.request(method, path, body, token=token, headers=UA, content_type=content_type)
        o = {"status": status, "content-type": headers.get("content-type"),
             "cache-control": headers.get("cache-control"),
             "x-content-type-options": headers.get("x-content-type-options"),
             "audit-id": bool(headers.get("audit-id"))}
        if view == "status":
            o["body"] = status_view(out)
        elif view == "discovery":
            o["body"] = discovery_view(out)
        elif view == "object":
            o["body"] = out
        elif view == "keys":
            o["body"] = sorted(out) if isinstance(out, dict) else out
        steps.append((step, normalize(o, ns)))
        return status, out

    req("version", "GET", "/version", view="keys")
    req("apis", "GET", "/apis", view="discovery")
    req("group", "GET", "/apis/" + ISTIO, view="discovery")
    for version in b.versions:
        req("groupversion " + version, "GET", "/apis/%s/%s" % (ISTIO, version), view="discovery")
    unserved = "v1" if "v1" not in b.versions else "v2"
    req("unserved version", "GET", "/apis/%s/%s/namespaces/%s/virtualservices/x" % (ISTIO, unserved, ns))
    req("unserved groupversion", "GET", "/apis/%s/%s" % (ISTIO, unserved))

    col = b.path(ns, "virtualservices") + "?fieldManager=conformance"
    one = b.path(ns, "virtualservices", "reviews")
    obj = dict(vs("reviews"), apiVersion="%s/%s" % (ISTIO, v))
    status, created = req("create", "POST", col, obj, view="object")
    rv["created"] = created["metadata"]["resourceVersion"]
    req("create again", "POST", col, obj)
    status, got = req("get", "GET", one, view="object")
    rv["get"] = got["metadata"]["resourceVersion"]
    for version in b.versions:
        req("get as " + version, "GET", b.path(ns, "virtualservices", "reviews", version), view="object")
    status, _, lst = b.request("GET", b.path(ns, "virtualservices"), headers=UA)
    steps.append(("list", normalize({"status": status, "kind": lst["kind"], "apiVersion": lst["apiVersion"],
                                     "metadata": sorted(lst["metadata"]), "items": lst["items"]}, ns)))
    req("list, another namespace", "GET", b.path(b.namespace(), "virtualservices"), view="object")
    req("get missing", "GET", b.path(ns, "virtualservices", "nope"))
    req("get forbidden", "GET", one, token=b.nobody_token)
    req("list forbidden", "GET", b.path(ns, "virtualservices"), token=b.nobody_token)
    req("put forbidden", "PUT", one, got, token=b.nobody_token)
    req("discovery as nobody", "GET", "/apis/%s/%s" % (ISTIO, v), token=b.nobody_token, view="discovery")
    req("bad token", "GET", one, token="not-a-token")
    observe_impersonation(b, ns, one, steps)

    changed = copy.deepcopy(got)
    changed["spec"] = vs("reviews", 50)["spec"]
    status, dry = req("put dryRun", "PUT", one + "?dryRun=All&fieldManager=conformance", changed, view="object")
    rv["dry"] = dry["metadata"]["resourceVersion"]
    req("put dryRun=bogus", "PUT", one + "?dryRun=bogus", changed)
    status, _, after_dry = b.request("GET", one, headers=UA)
    rv["after dry"] = after_dry["metadata"]["resourceVersion"]
    status, put = req("put", "PUT", one + "?fieldManager=conformance", changed, view="object")
    rv["put"] = put["metadata"]["resourceVersion"]
    req("put stale", "PUT", one, changed)
    same = copy.deepcopy(put)
    status, noop = req("put unchanged", "PUT", one + "?fieldManager=conformance", same, view="object")
    rv["noop"] = noop["metadata"]["resourceVersion"]
    no_rv = copy.deepcopy(put)
    del no_rv["metadata"]["resourceVersion"]
    req("put without resourceVersion", "PUT", one, no_rv)
    bad = copy.deepcopy(put)
    bad["spec"] = vs("reviews", "50")["spec"]
    req("put weight as string", "PUT", one, bad)
    bad = copy.deepcopy(put)
    bad["spec"]["http"][0]["timeout"] = 5
    req("put timeout as integer", "PUT", one, bad)
    req("put dryRun invalid", "PUT", one + "?dryRun=All", bad)
    req("create weight as string", "POST", col, dict(vs("bad", "x"), apiVersion="%s/%s" % (ISTIO, v)))
    req("put missing", "PUT", b.path(ns, "virtualservices", "nope"),
        dict(vs("nope"), apiVersion="%s/%s" % (ISTIO, v), metadata={"name": "nope", "resourceVersion": "1"}))
    other = copy.deepcopy(put)
    other["metadata"]["name"] = "other"
    req("put name mismatch", "PUT", one, other)
    for i, text in enumerate(["{not json", '{"a" 1}', "[1 2]", '{"a":1} x', '{"a":1', '{"a":"b\\q"}',
                              '{"a":"\n"}', "{'a':1}", '{"a":[1,2}', "nul", "", "[]", '"x"',
                              "[" + "1," * 20 + ")", '{"kind": "VirtualService", "spec": nope}', "tru",
                              '{"a":fals}']):
        req("bad json %d: %r" % (i, text), "PUT", one, text)
    req("merge patch", "PATCH", one + "?fieldManager=conformance", {"metadata": {"labels": {"a": "b"}}},
        view="object", content_type="application/merge-patch+json")
    req("unsupported patch type", "PATCH", one, {"metadata": {}}, content_type="application/strategic-merge-patch+json")
    req("delete", "DELETE", one)
    req("get deleted", "GET", one)

    observe_services(b, ns, req, steps)
    observe_workloads(b, ns, steps)
    observe_httproutes(b, ns, req)
    observe_pages(b, steps)

    steps.append(("resourceVersion moves", {
        "get == created": rv["get"] == rv["created"],
        "dry run answer == stored": rv["dry"] == rv["created"],
        "unchanged after dry run": rv["after dry"] == rv["created"],
        "put changes it": rv["put"] != rv["created"],
        "put increases it": int(rv["put"]) > int(rv["created"]),
        "no-op put keeps it": rv["noop"] == rv["put"],
    }))
    return steps


class Conformance(unittest.TestCase):
    ERA = None

    @classmethod
    def setUpClass(cls):
        if cls.ERA is None:
            raise unittest.SkipTest("base class")
        cls.real = cluster.EnvTestBackend(cls.ERA, gateway=True)
        cls.real.start()  # envtest.Skip without assets
        try:
            cls.local = cluster.TestServerBackend(cls.ERA).start()
        except BaseException:
            cls.real.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.local.stop()
        cls.real.stop()

    def test_same_observations(self):
        want = observe(self.real)
        got = observe(self.local)
        self.maxDiff = None
        self.assertEqual([s for s, _ in got], [s for s, _ in want])
        for (step, w), (_, g) in zip(want, got):
            with self.subTest(step=step):
                self.assertEqual(g, w, "test server differs from kube-apiserver at step %r" % step)


class ConformanceCurrent(Conformance):
    ERA = "current"


class Conformance18(Conformance):
    ERA = "1.8"


del Conformance

if __name__ == "__main__":
    unittest.main()
