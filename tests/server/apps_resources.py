"""Built-in apps/v1 Deployments of the test API server, as far as shift reads them: create, get and
list (with an equality labelSelector such as app=istiod), so a test can run an istiod of a given image
and shift can read its version. No controller: nothing becomes Ready, nothing is scaled."""
import copy
import json
import uuid

from managed_fields import now
from store import ApiError, details


def _matches(labels, selector):
    """An equality-based selector (k=v, k==v, k!=v, comma-separated), as shift sends it."""
    for term in filter(None, (selector or "").split(",")):
        if "!=" in term:
            k, v = term.split("!=", 1)
            if labels.get(k.strip()) == v.strip():
                return False
            continue
        k, _, v = term.replace("==", "=").partition("=")
        if labels.get(k.strip()) != v.strip():
            return False
    return True


class Deployments:
    def __init__(self, store):
        self.store = store
        self.objects = {}

    def list(self, ns, selector):
        with self.store.lock:
            items = [copy.deepcopy(o) for (n, _), o in sorted(self.objects.items())
                     if (ns is None or n == ns) and _matches(o["metadata"].get("labels", {}), selector)]
        for o in items:
            o.pop("kind", None)
            o.pop("apiVersion", None)
        return items

    def get(self, ns, name):
        with self.store.lock:
            if (ns, name) not in self.objects:
                raise ApiError(404, "NotFound", 'deployments.apps "%s" not found' % name,
                               details(name, "deployments", group="apps"))
            return copy.deepcopy(self.objects[(ns, name)])

    def create(self, ns, obj, manager):
        meta = obj.setdefault("metadata", {})
        name = meta.get("name", "")
        if not name:
            raise ApiError(422, "Invalid", "Deployment.apps \"\" is invalid: metadata.name: Required value")
        with self.store.lock:
            if (ns, name) in self.objects:
                raise ApiError(409, "AlreadyExists", 'deployments.apps "%s" already exists' % name,
                               details(name, "deployments", group="apps"))
            obj.update(apiVersion="apps/v1", kind="Deployment")
            meta.update(namespace=ns, uid=str(uuid.uuid4()), creationTimestamp=now(), generation=1)
            meta["managedFields"] = [{"apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {}},
                                      "manager": manager, "operation": "Update", "time": now()}]
            meta["resourceVersion"] = self.store._next_rv()
            self.objects[(ns, name)] = copy.deepcopy(obj)
            return copy.deepcopy(obj)


def handle_deployments(h, info, manager):
    """/apis/apps/v1/namespaces/NS/deployments[/NAME] for the Handler h."""
    deployments = h.server.deployments
    if info.subresource:
        return h._plain404()
    if info.verb == "list":
        selector = h.query.get("labelSelector", [""])[-1]
        with h.server.store.lock:
            rv = str(h.server.store.rv)
        return h._object(200, {"apiVersion": "apps/v1", "items": deployments.list(info.namespace or None, selector),
                               "kind": "DeploymentList", "metadata": {"resourceVersion": rv}})
    if info.verb == "get":
        return h._object(200, deployments.get(info.namespace, info.name))
    if info.verb == "create":
        try:
            obj = json.loads(h.body.decode("utf-8"))
        except ValueError as e:
            raise ApiError(400, "BadRequest", "the object provided is unrecognized: %s" % e)
        return h._object(201, deployments.create(info.namespace, obj, manager))
    raise ApiError(405, "MethodNotAllowed", "%s is not supported by the shift test API server on deployments"
                   % info.verb, details("", "deployments", group="apps"))
