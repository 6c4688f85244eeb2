"""Built-in workload objects of the test API server, as far as shift's make-before-break check reads
them: core v1 Pods (create, get, list with a labelSelector, delete, and their status subresource,
which a test uses to make a pod Ready as the kubelet would), discovery.k8s.io/v1 EndpointSlices and
apps/v1 Deployments (create, get, list with a labelSelector, delete). No kubelet and no controllers: a pod stays Pending
until a test writes its status, and no EndpointSlice is made for a Service."""
import copy
import json
import uuid

from managed_fields import now
from store import ApiError, details
from wire import _selects, merge_patch


class Objects:
    """Namespaced objects of one built-in kind, sharing the store's lock and resourceVersion counter."""

    def __init__(self, store, resource, kind, api_version, group, generation=False):
        self.store, self.resource, self.kind, self.api_version, self.group = store, resource, kind, api_version, group
        self.generation = generation  # metadata.generation starts at 1 (kube sets it for Deployments)
        self.objects = {}

    def _not_found(self, name):
        qualified = self.resource + ("." + self.group if self.group else "")
        return ApiError(404, "NotFound", '%s "%s" not found' % (qualified, name),
                        details(name, self.resource, group=self.group))

    def list(self, ns, selector=None):
        """Built-in list items carry no kind or apiVersion."""
        with self.store.lock:
            items = [copy.deepcopy(o) for (n, _), o in sorted(self.objects.items())
                     if (ns is None or n == ns) and _selects(o, selector, None)]
        for o in items:
            o.pop("kind", None)
            o.pop("apiVersion", None)
        return items

    def get(self, ns, name):
        with self.store.lock:
            if (ns, name) not in self.objects:
                raise self._not_found(name)
            return copy.deepcopy(self.objects[(ns, name)])

    def validate(self, name, obj):
        """The 422 for what kube's validation refuses; here only a missing name (a subclass adds more)."""
        if not name:
            raise ApiError(422, "Invalid", '%s "" is invalid: metadata.name: Required value: name or generateName '
                           'is required' % (self.kind + ("." + self.group if self.group else "")))

    def defaults(self, obj):
        """The fields kube's defaulting fills in on create (under the store's lock); none here."""

    def create(self, ns, obj, manager, initial_status=None, dry_run=False):
        meta = obj.setdefault("metadata", {})
        name = meta.get("name", "")
        if meta.get("namespace") and meta["namespace"] != ns:
            raise ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                           "sent on the request")
        self.validate(name, obj)
        with self.store.lock:
            if (ns, name) in self.objects:
                raise ApiError(409, "AlreadyExists", '%s "%s" already exists' % (self.resource, name),
                               details(name, self.resource, group=self.group))
            obj.update(apiVersion=self.api_version, kind=self.kind)
            # The status of a create is dropped, as kube's strategies do.
            if initial_status is not None:
                obj["status"] = copy.deepcopy(initial_status)
            self.defaults(obj)
            meta.update(namespace=ns, uid=str(uuid.uuid4()), creationTimestamp=now())
            if self.generation:
                meta["generation"] = 1
            meta["managedFields"] = [{"apiVersion": self.api_version, "fieldsType": "FieldsV1",
                                      "fieldsV1": {"f:spec": {}}, "manager": manager, "operation": "Update",
                                      "time": now()}]
            if dry_run:  # answered as created, never stored
                return copy.deepcopy(obj)
            meta["resourceVersion"] = self.store._next_rv()
            self.objects[(ns, name)] = copy.deepcopy(obj)
            self.store.namespaces.setdefault(ns, now())
            return copy.deepcopy(obj)

    def write_status(self, ns, name, status_of):
        """The status subresource: only status changes (status_of(old object) gives the new one)."""
        with self.store.lock:
            if (ns, name) not in self.objects:
                raise self._not_found(name)
            obj = self.objects[(ns, name)]
            obj["status"] = status_of(copy.deepcopy(obj))
            # kube writes a pod condition's unset times as null
            for c in obj["status"].get("conditions") or []:
                c.setdefault("lastProbeTime", None)
                c.setdefault("lastTransitionTime", None)
            obj["metadata"]["resourceVersion"] = self.store._next_rv()
            return copy.deepcopy(obj)

    def delete(self, ns, name, dry_run=False):
        with self.store.lock:
            old = self.objects.get((ns, name))
            if old is None:
                raise self._not_found(name)
            if not dry_run:
                del self.objects[(ns, name)]
                self.store._next_rv()
            return old


def pods(store):
    return Objects(store, "pods", "Pod", "v1", "")


def endpoint_slices(store):
    return Objects(store, "endpointslices", "EndpointSlice", "discovery.k8s.io/v1", "discovery.k8s.io")


def deployments(store):
    """apps/v1 Deployments, so a test can run an istiod of a given image and shift can read its version.
    No controller: nothing becomes Ready, nothing is scaled."""
    return Objects(store, "deployments", "Deployment", "apps/v1", "apps", generation=True)


def _body(h):
    try:
        return json.loads(h.body.decode("utf-8"))
    except ValueError as e:
        raise ApiError(400, "BadRequest", "the object provided is unrecognized: %s" % e)


def handle(h, info, objects, manager):
    """/api/v1/.../pods[/NAME[/status]], /apis/discovery.k8s.io/v1/.../endpointslices[/NAME] or
    /apis/apps/v1/.../deployments[/NAME] for the Handler h."""
    if info.subresource and not (info.subresource == "status" and objects.kind == "Pod"):
        return h._plain404()
    if info.verb == "list":
        selector = h.query.get("labelSelector", [""])[-1]
        with h.server.store.lock:
            rv = str(h.server.store.rv)
        return h._object(200, {"apiVersion": objects.api_version, "items": objects.list(info.namespace or None, selector),
                               "kind": objects.kind + "List", "metadata": {"resourceVersion": rv}})
    if info.verb == "get":
        return h._object(200, objects.get(info.namespace, info.name))
    if info.verb == "create" and not info.subresource:
        initial = {"phase": "Pending", "qosClass": "BestEffort"} if objects.kind == "Pod" else None
        return h._object(201, objects.create(info.namespace, _body(h), manager, initial))
    if info.verb == "update" and info.subresource == "status":
        new = _body(h).get("status", {})
        return h._object(200, objects.write_status(info.namespace, info.name, lambda old: new))
    if info.verb == "patch" and info.subresource == "status":
        patch = _body(h)
        return h._object(200, objects.write_status(
            info.namespace, info.name, lambda old: merge_patch(old, patch).get("status", {})))
    if info.verb == "delete" and not info.subresource:
        return h._object(200, objects.delete(info.namespace, info.name))
    raise ApiError(405, "MethodNotAllowed", "%s is not supported by the shift test API server on %s"
                   % (info.verb, objects.resource), details("", objects.resource, group=objects.group))
