"""Built-in core v1 resources of the test API server: Namespaces (read-only) and Services
(namespaced: list, get, create, delete), answered as kube-apiserver v1.24 answers them for the
requests shift and its tests make. A Service gets the defaults the real server fills in (a
ClusterIP from 10.0.0.0/24, TCP ports with targetPort, SingleStack IPv4...)."""
import re
import uuid

from store import ApiError, details
from workload_resources import Objects

_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")


def _invalid(name, errs):
    texts = ["%s: %s" % (f, m) for f, _, m in errs]
    text = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    return ApiError(422, "Invalid", 'Service "%s" is invalid: %s' % (name, text),
                    details(name, "Service", group="", causes=[{"reason": r, "message": m, "field": f}
                                                               for f, r, m in errs]))


class Services(Objects):
    """Services by (namespace, name): workload_resources.Objects' list, get, create and delete, with
    kube's validation of the name and ports and its defaults (a ClusterIP, TCP ports...)."""

    def __init__(self, store):
        super().__init__(store, "services", "Service", "v1", "")
        self.next_ip = 10

    def validate(self, name, obj):
        errs = []
        if not name:
            errs.append(("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"))
        elif not _DNS1035.match(name) or len(name) > 63:
            errs.append(("metadata.name", "FieldValueInvalid", 'Invalid value: "%s": %s' % (name, _DNS1035_MSG)))
        spec = obj.setdefault("spec", {})
        if not spec.get("ports") and spec.get("type", "ClusterIP") != "ExternalName" and spec.get("clusterIP") != "None":
            errs.append(("spec.ports", "FieldValueRequired", "Required value"))
        if errs:
            raise _invalid(name, errs)

    def defaults(self, obj):
        spec = obj["spec"]
        obj["status"] = {"loadBalancer": {}}
        spec.setdefault("type", "ClusterIP")
        if spec["type"] != "ExternalName":
            if "clusterIP" not in spec:
                spec["clusterIP"] = "10.0.0.%d" % self.next_ip
                self.next_ip += 1
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
            if spec["clusterIP"] != "None":
                spec.setdefault("ipFamilies", ["IPv4"])
                spec.setdefault("ipFamilyPolicy", "SingleStack")
            spec.setdefault("internalTrafficPolicy", "Cluster")
        spec.setdefault("sessionAffinity", "None")
        for p in spec.get("ports", []):
            p.setdefault("protocol", "TCP")
            p.setdefault("targetPort", p.get("port"))


def namespace_object(name, created):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "creationTimestamp": created, "labels": {"kubernetes.io/metadata.name": name}, "name": name,
        "resourceVersion": "1", "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, name))},
        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def handle_namespaces(h, info):
    """GET /api/v1/namespaces[/NAME] for the Handler h."""
    store = h.server.store
    if h.command not in ("GET", "HEAD") or info.subresource:
        return h._plain404()
    with store.lock:
        nss = dict(store.namespaces)
    name = info.namespace or info.name
    if name:
        if name not in nss:
            raise ApiError(404, "NotFound", 'namespaces "%s" not found' % name, details(name, "namespaces", group=""))
        return h._object(200, namespace_object(name, nss[name]))
    items = [namespace_object(n, c) for n, c in sorted(nss.items())]
    return h._object(200, {"apiVersion": "v1", "items": items, "kind": "NamespaceList",
                           "metadata": {"resourceVersion": str(store.rv)}})


def handle_services(h, info, manager, dry_run):
    """/api/v1/namespaces/NS/services[/NAME] (and the cluster-wide list) for the Handler h."""
    services = h.server.services
    if info.subresource == "proxy" and info.verb == "get":
        return proxy(h, info, services)
    if info.subresource:
        return h._plain404()
    if info.verb == "list":
        with h.server.store.lock:
            items, rv = services.list(info.namespace or None), str(h.server.store.rv)
        return h._object(200, {"apiVersion": "v1", "items": items, "kind": "ServiceList",
                               "metadata": {"resourceVersion": rv}})
    if info.verb == "get":
        return h._object(200, services.get(info.namespace, info.name))
    if info.verb == "create":
        import json
        try:
            obj = json.loads(h.body.decode("utf-8"))
        except ValueError as e:
            raise ApiError(400, "BadRequest", "the object provided is unrecognized: %s" % e)
        return h._object(201, services.create(info.namespace, obj, manager, dry_run=dry_run))
    if info.verb == "delete":
        return h._object(200, services.delete(info.namespace, info.name, dry_run))
    raise ApiError(405, "MethodNotAllowed", '%s is not supported by the shift test API server on services'
                   % info.verb, details("", "services", group=""))


def proxy(h, info, services):
    """GET .../services/NAME:PORT/proxy/PATH: the API server's service proxy. The test server has no pods:
    the request goes to 127.0.0.1 at the targetPort of the Service's port PORT (number or name), over
    plain HTTP, and its answer comes back as it was (status, Content-Type, body)."""
    import urllib.error
    import urllib.parse
    import urllib.request
    name, _, port = info.name.partition(":")
    svc = services.get(info.namespace, name)
    target = None
    for p in svc.get("spec", {}).get("ports", []):
        if port in (str(p.get("port")), p.get("name", ""), ""):
            target = p.get("targetPort", p.get("port"))
            break
    if target is None:
        raise ApiError(503, "ServiceUnavailable", 'no endpoints available for service "%s"' % info.name, {})
    query = urllib.parse.urlsplit(h.path).query
    url = "http://127.0.0.1:%s/%s%s" % (target, "/".join(info.extra), "?" + query if query else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return h._reply(r.status, r.read().decode("utf-8", "replace"), r.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as e:
        return h._reply(e.code, e.read().decode("utf-8", "replace"), e.headers.get("Content-Type", ""))
    except OSError as e:
        raise ApiError(503, "ServiceUnavailable", "error trying to reach service: %s" % e, {})
