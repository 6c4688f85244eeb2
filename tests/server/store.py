"""The object store of the test API server: custom resources kept once (like a CRD with conversion
strategy None, served in every version by rewriting apiVersion), with kube-apiserver's bookkeeping:
a global resourceVersion, uid, creationTimestamp, generation, managedFields and the status
subresource. Every check answers with the Status kube-apiserver v1.24 sends (seen on a real one)."""
import base64
import collections
import copy
import json
import random
import re
import threading
import uuid

import kubeschema
import watch
from wire import _json_patch, _selects, go_syntax_error, merge_patch  # noqa: F401
from managed_fields import now, update_managed_fields

GROUP = "networking.istio.io"
KINDS = {"virtualservices": ("VirtualService", "virtualservice", "vs"),
         "destinationrules": ("DestinationRule", "destinationrule", "dr"),
         "serviceentries": ("ServiceEntry", "serviceentry", "se"),
         "httproutes": ("HTTPRoute", "httproute", ""),
         "referencegrants": ("ReferenceGrant", "referencegrant", "refgrant")}
# The Gateway API's resources (gateway.networking.k8s.io); the rest are Istio's.
GATEWAY_GROUP = "gateway.networking.k8s.io"
GATEWAY_RESOURCES = ("httproutes", "referencegrants")


def group_of(resource_or_kind):
    gateway = resource_or_kind in GATEWAY_RESOURCES or resource_or_kind in ("HTTPRoute", "ReferenceGrant")
    return GATEWAY_GROUP if gateway else GROUP
_DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # kube's utilrand alphabet


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self):
        s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": self.message}
        if self.reason:
            s["reason"] = self.reason
        if self.details is not None:
            s["details"] = self.details
        s["code"] = self.code
        return s


def details(name, resource, group=None, **extra):
    group = group_of(resource) if group is None else group
    d = {}
    if name:
        d["name"] = name
    if group:
        d["group"] = group
    d["kind"] = resource
    d.update(extra)
    return d


def not_found(resource, name):
    return ApiError(404, "NotFound", '%s.%s "%s" not found' % (resource, group_of(resource), name),
                    details(name, resource))


def conflict(resource, name, why="the object has been modified; please apply your changes to the latest version and try again"):
    return ApiError(409, "Conflict", 'Operation cannot be fulfilled on %s.%s "%s": %s' % (resource, group_of(resource), name, why),
                    details(name, resource))


def invalid(kind_or_resource, name, errs, cel_note=False):
    """errs: (field, reason, message) tuples -> 422 Invalid like field.ErrorList.ToAggregate()."""
    errs = list(errs)
    if cel_note:
        errs.append(("<nil>", "FieldValueInvalid", 'Invalid value: "null": some validation rules were not checked '
                     "because the object was invalid; correct the existing errors to complete validation"))
    texts = ["%s: %s" % (f, m) for f, _, m in errs]
    text = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    causes = [{"reason": r, "message": m, "field": f} for f, r, m in errs]
    return ApiError(422, "Invalid", '%s.%s "%s" is invalid: %s' % (kind_or_resource, group_of(kind_or_resource), name or "", text),
                    details(name, kind_or_resource, causes=causes))


CONTINUE_EXPIRED = ("The provided continue parameter is too old to display a consistent list result. You can "
                    "start a new list without the continue parameter, or use the continue token in this response "
                    "to retrieve the remainder of the results. Continuing with the provided token results in an "
                    "inconsistent list - objects that were created, modified, or deleted between the time the "
                    "first chunk was returned and now may show up in the list.")


def _encode_continue(rv, last_key):
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": last_key + "\u0000"}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_continue(token):
    try:
        d = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if d.get("v") != "meta.k8s.io/v1":
            raise ValueError("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        return int(d["rv"]), d["start"].rstrip("\x00")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        msg = str(e) if str(e).startswith("continue key") else "continue key is not valid: %s" % e
        raise ApiError(400, "BadRequest", msg)


class Store:
    def __init__(self, schemas, cel):
        self.lock = threading.RLock()
        self.rv = 1000
        self.objects = {r: {} for r in KINDS}  # resource -> {(ns, name): stored object}
        self.namespaces = {"default": now(), "kube-system": now(), "kube-public": now(),
                           "kube-node-lease": now(), "istio-demo": now()}
        self.schemas = schemas  # resource -> openAPIV3Schema
        self.cel = cel  # the era's CRDs carry CEL rules
        self.events = watch.EventLog()  # what watches read; recorded under self.lock, in resourceVersion order
        # A paged LIST's later pages are read at its first page's resourceVersion, as etcd's MVCC reads
        # them: the objects of a resource as they were then, kept for the few lists in progress.
        self.snapshots = collections.OrderedDict()  # (resource, rv) -> sorted [((ns, name), object)]

    # ---- helpers ----
    def _next_rv(self):
        self.rv += 1
        return str(self.rv)

    @staticmethod
    def render(obj, version):
        out = copy.deepcopy(obj)
        out["apiVersion"] = "%s/%s" % (group_of(out.get("kind", "")), version)
        return out

    def decode(self, raw, resource, version):
        kind = KINDS[resource][0]
        text = raw.decode("utf-8", "replace")
        # kube's summarizeData: the body as text when it starts with '{', else in hex; 30 bytes at most.
        summary = "<empty>" if not raw else (raw[:30].decode("utf-8", "replace") if raw[:1] == b"{" else raw[:30].hex()) \
            + (" ..." if len(raw) > 30 else "")
        try:
            obj = json.loads(text)
        except ValueError as e:
            raise ApiError(400, "BadRequest", "the object provided is unrecognized (must be of type %s): couldn't get "
                           "version/kind; json parse error: %s (%s)" % (kind, go_syntax_error(text, e), summary))
        if not isinstance(obj, dict):
            raise ApiError(400, "BadRequest", "the object provided is unrecognized (must be of type %s): couldn't get "
                           "version/kind; json parse error: json: cannot unmarshal %s into Go value of type "
                           "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
                           "\"json:\\\"kind,omitempty\\\"\" } (%s)" % (kind, kubeschema.json_type(obj), summary))
        for field, go in (("kind", "Kind"), ("apiVersion", "apiVersion")):
            if not obj.get(field):
                raise ApiError(400, "BadRequest", "%s in version \"%s\" cannot be handled as a %s: Object '%s' is "
                               "missing in '%s'" % (kind, version, kind, go, text))
        want = "%s/%s" % (group_of(resource), version)
        if obj["apiVersion"] != want:
            raise ApiError(400, "BadRequest", "the API version in the data (%s) does not match the expected API "
                           "version (%s)" % (obj["apiVersion"], want))
        if not isinstance(obj.get("metadata", {}), dict):
            raise ApiError(400, "BadRequest", "%s in version \"%s\" cannot be handled as a %s: metadata is not an "
                           "object" % (kind, version, kind))
        obj.setdefault("metadata", {})
        return kubeschema.normalize_numbers(obj)

    def _validate(self, resource, obj, name_errs=()):
        """Kind, then schema (after pruning), like the CRD strategy's Validate."""
        kind = KINDS[resource][0]
        name = obj["metadata"].get("name", "")
        if obj["kind"] != kind:
            raise invalid(obj["kind"], name, [("kind", "FieldValueInvalid",
                                               'Invalid value: "%s": must be %s' % (obj["kind"], kind))])
        for k in list(obj):
            if k not in ("apiVersion", "kind", "metadata", "spec", "status"):
                del obj[k]
        schema = self.schemas[resource]
        kubeschema.prune(obj, {"type": "object", "properties": dict(schema.get("properties", {}),
                               apiVersion={}, kind={}, metadata={"x-kubernetes-preserve-unknown-fields": True})})
        errs = list(name_errs)
        props = schema.get("properties", {})
        for k in ("spec", "status"):
            if k in obj and k in props:
                kubeschema.validate(obj[k], props[k], k, errs)
        if errs:
            # kube-apiserver 1.24 adds no such note for the Gateway API's CRD (test_conformance shows it).
            cel = self.cel and resource not in GATEWAY_RESOURCES
            note = cel and any(r != "FieldValueInvalid" or not f.startswith("metadata.") for f, r, _ in errs)
            raise invalid(kind, name, errs, cel_note=note)

    def _name_errs(self, meta):
        name = meta.get("name", "")
        if not name:
            return [("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]
        if len(name) > 253 or not _DNS1123.match(name):
            msg = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                   "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                   "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
            if len(name) > 253:
                msg = "must be no more than 253 characters"
            return [("metadata.name", "FieldValueInvalid", 'Invalid value: "%s": %s' % (name, msg))]
        return []

    # ---- reads ----
    def get(self, resource, ns, name):
        with self.lock:
            obj = self.objects[resource].get((ns, name))
            if obj is None:
                raise not_found(resource, name)
            return copy.deepcopy(obj)

    def list(self, resource, ns=None, label_selector=None, field_selector=None):
        with self.lock:
            items = [copy.deepcopy(o) for (n, _), o in sorted(self.objects[resource].items())
                     if ns is None or n == ns]
            return [o for o in items if _selects(o, label_selector, field_selector)], str(self.rv)

    def list_page(self, resource, ns, label_selector, field_selector, limit, token):
        """kube-apiserver's paged LIST (limit, continue): (items, metadata). The token is kube's
        (base64url JSON: v, rv, start = the key after which to go on), so later pages are read at the
        first page's resourceVersion; a token whose resourceVersion was compacted is 410 Expired."""
        with self.lock:
            if token:
                rv, start = _decode_continue(token)
                snap = self.snapshots.get((resource, rv))
                if rv < self.events.oldest or snap is None:
                    raise ApiError(410, "Expired", CONTINUE_EXPIRED)
            else:
                rv, start = self.rv, ""
                snap = [(k, copy.deepcopy(o)) for k, o in sorted(self.objects[resource].items())]
            key = (lambda k: k[1]) if ns else (lambda k: "%s/%s" % k)
            rest = [(k, o) for k, o in snap if (ns is None or k[0] == ns) and key(k) > start]
            matching = [(k, o) for k, o in rest if _selects(o, label_selector, field_selector)]
            page = matching[:limit] if limit > 0 else matching
            meta = {"continue": "", "resourceVersion": str(rv)}
            if limit > 0 and len(matching) > limit:
                meta["continue"] = _encode_continue(rv, key(page[-1][0]))
                if not label_selector and not field_selector:
                    meta["remainingItemCount"] = len(matching) - limit
                self.snapshots[(resource, rv)] = snap
                self.snapshots.move_to_end((resource, rv))
                while len(self.snapshots) > 8:
                    self.snapshots.popitem(last=False)
            return [copy.deepcopy(o) for _, o in page], meta

    # ---- writes ----
    @staticmethod
    def _check_size(obj):
        """etcd's limits as kube-apiserver reports them: a request over --max-request-bytes (1.5 MiB by
        default) is refused by etcd, one over gRPC's 2 MiB message limit before it gets there."""
        size = len(json.dumps(obj, separators=(",", ":")))
        if size > 2 * 1024 * 1024:
            raise ApiError(500, None, "rpc error: code = ResourceExhausted desc = trying to send message larger "
                           "than max (%d vs. 2097152)" % size)
        if size > 1536 * 1024:
            raise ApiError(500, None, "etcdserver: request is too large")

    def create(self, resource, ns, obj, version, manager, dry_run=False):
        meta = obj["metadata"]
        if meta.get("namespace") and meta["namespace"] != ns:
            raise ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                           "sent on the request")
        if meta.get("resourceVersion"):
            raise ApiError(500, None, "resourceVersion should not be set on objects to be created")
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + "".join(random.choice(_GENERATE_CHARS) for _ in range(5))
        self._validate(resource, obj, self._name_errs(meta))
        with self.lock:
            if (ns, meta["name"]) in self.objects[resource]:
                raise ApiError(409, "AlreadyExists", '%s.%s "%s" already exists' % (resource, group_of(resource), meta["name"]),
                               details(meta["name"], resource))
            obj.pop("status", None)  # status subresource: create ignores status
            for k in ("uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp"):
                meta.pop(k, None)
            meta.update(namespace=ns, uid=str(uuid.uuid4()), creationTimestamp=now(), generation=1)
            meta["managedFields"] = update_managed_fields(None, obj, manager, obj["apiVersion"])
            if not dry_run:
                self._check_size(obj)
                meta["resourceVersion"] = self._next_rv()
                self.objects[resource][(ns, meta["name"])] = copy.deepcopy(obj)
                self.events.record(resource, ns, "ADDED", obj)
                self.namespaces.setdefault(ns, now())
            return self.render(obj, version)

    def update(self, resource, ns, name, obj, version, manager, dry_run=False, subresource=None, patch=False):
        meta = obj["metadata"]
        if meta.get("name", "") != name:
            raise ApiError(400, "BadRequest", "the name of the object (%s) does not match the name on the URL (%s)"
                           % (meta.get("name", ""), name))
        if meta.get("namespace") and meta["namespace"] != ns:
            raise ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                           "sent on the request")
        with self.lock:
            old = self.objects[resource].get((ns, name))
            if old is None:
                raise not_found(resource, name)
            rv = meta.get("resourceVersion", "")
            if not rv and not patch:
                raise invalid(resource, name, [("metadata.resourceVersion", "FieldValueInvalid",
                                                "Invalid value: 0x0: must be specified for an update")])
            if meta.get("uid") and meta["uid"] != old["metadata"]["uid"]:
                raise conflict(resource, name, "StorageError: invalid object, Code: 4, Key: /registry/%s/%s/%s/%s, "
                               "ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: %s, "
                               "UID in object meta: %s" % (GROUP, resource, ns, name, meta["uid"], old["metadata"]["uid"]))
            if rv and rv != old["metadata"]["resourceVersion"]:
                raise conflict(resource, name)
            self._validate(resource, obj)
            new = copy.deepcopy(old)
            if subresource == "status":
                if "status" in obj:
                    new["status"] = obj["status"]
                else:
                    new.pop("status", None)
            else:
                for k in list(new):
                    if k not in ("metadata", "status"):
                        del new[k]
                for k, v in obj.items():
                    if k not in ("metadata", "status"):
                        new[k] = v
                for k in ("labels", "annotations", "finalizers", "ownerReferences"):
                    if k in meta:
                        new["metadata"][k] = meta[k]
                    else:
                        new["metadata"].pop(k, None)
            new["apiVersion"] = obj["apiVersion"]
            if _same(old, new):
                return self.render(old, version)
            if any(old.get(k) != new.get(k) for k in set(old) | set(new) if k not in ("apiVersion", "kind", "metadata", "status")):
                new["metadata"]["generation"] = old["metadata"].get("generation", 1) + 1
            new["metadata"]["managedFields"] = update_managed_fields(old, new, manager, obj["apiVersion"], subresource)
            if not dry_run:
                self._check_size(new)
                new["metadata"]["resourceVersion"] = self._next_rv()
                self.objects[resource][(ns, name)] = copy.deepcopy(new)
                self.events.record(resource, ns, "MODIFIED", new)
            return self.render(new, version)

    def patch(self, resource, ns, name, ptype, raw, version, manager, dry_run=False, subresource=None):
        try:
            p = json.loads(raw.decode("utf-8"))
        except ValueError as e:
            raise ApiError(400, "BadRequest", "error decoding patch: %s" % e)
        with self.lock:
            current = self.render(self.get(resource, ns, name), version)
            if ptype == "merge":
                if not isinstance(p, dict):
                    raise ApiError(400, "BadRequest", "error decoding patch: patch is not a JSON object")
                new = merge_patch(current, p)
            else:
                new = _json_patch(current, p)
            new = kubeschema.normalize_numbers(new)
            if not isinstance(new.get("metadata"), dict):
                new["metadata"] = {}
            return self.update(resource, ns, name, new, version, manager, dry_run, subresource, patch=True)

    def delete(self, resource, ns, name, dry_run=False):
        with self.lock:
            old = self.objects[resource].get((ns, name))
            if old is None:
                raise not_found(resource, name)
            if not dry_run:
                del self.objects[resource][(ns, name)]
                # The deletion has a resourceVersion of its own, carried by the DELETED event.
                gone = copy.deepcopy(old)
                gone["metadata"]["resourceVersion"] = self._next_rv()
                self.events.record(resource, ns, "DELETED", gone)
            return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                    "details": details(name, resource, uid=old["metadata"]["uid"])}

    def bump(self, resource, ns, name, patch=None, manager="concurrent-writer"):
        """The 'concurrent writer' fault: another client updates the object (merge patch optional)."""
        with self.lock:
            old = self.objects[resource].get((ns, name))
            if old is None:
                return None
            new = merge_patch(old, patch or {})
            # The writer may change labels and annotations; the server's own fields stay.
            new["metadata"] = dict(new["metadata"], **{k: v for k, v in old["metadata"].items()
                                                       if k in ("name", "namespace", "uid", "resourceVersion",
                                                                "generation", "creationTimestamp", "managedFields")})
            if any(old.get(k) != new.get(k) for k in set(old) | set(new) if k not in ("apiVersion", "kind", "metadata", "status")):
                new["metadata"]["generation"] = old["metadata"].get("generation", 1) + 1
            new["metadata"]["managedFields"] = update_managed_fields(old, new, manager, old["apiVersion"])
            new["metadata"]["resourceVersion"] = self._next_rv()
            self.objects[resource][(ns, name)] = new
            self.events.record(resource, ns, "MODIFIED", new)
            return new["metadata"]["resourceVersion"]


def _same(a, b):
    def strip(o):
        o = copy.deepcopy(o)
        o.pop("apiVersion", None)
        o["metadata"].pop("managedFields", None)
        return o
    return strip(a) == strip(b)
