"""managedFields of the test API server's objects (FieldsV1, operation Update), as kube-apiserver
v1.24 writes them for custom resources whose lists are atomic."""
import datetime


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _field_paths(obj):
    """Set of paths owned in an object: maps contribute their own "." entry and their keys."""
    out = set()

    def walk(v, path):
        if isinstance(v, dict) and path:
            out.add(path + (".",))
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, path + ("f:" + k,))
        elif path:
            out.add(path)
    top = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata", "status")}
    meta = obj.get("metadata", {})
    mtop = {k: meta[k] for k in ("labels", "annotations", "finalizers", "ownerReferences", "generateName") if k in meta}
    walk(top, ())
    if mtop:
        walk({"metadata": mtop}, ())
        out.discard(("f:metadata", "."))
    return out


def _status_paths(obj):
    out = set()
    if "status" in obj:
        def walk(v, path):
            if isinstance(v, dict):
                out.add(path + (".",))
                for k, x in v.items():
                    walk(x, path + ("f:" + k,))
            else:
                out.add(path)
        walk(obj["status"], ("f:status",))
    return out


def _value_at(obj, path):
    v = obj
    for p in path:
        if p == ".":
            return True
        if not isinstance(v, dict) or p[2:] not in v:
            return None
        v = v[p[2:]]
    return v


def _to_fieldsv1(paths):
    tree = {}
    for p in sorted(paths):
        node = tree
        for part in p:
            node = node.setdefault(part, {})

    def squash(node):
        # a map owned with none of its keys is written as {} rather than {".": {}}
        for k, v in node.items():
            if v == {".": {}}:
                node[k] = {}
            else:
                squash(v)
        return node
    return squash(tree)


def _from_fieldsv1(tree, obj, prefix=()):
    out = set()
    for k, v in tree.items():
        if v:
            out |= _from_fieldsv1(v, obj, prefix + (k,))
        elif k != "." and isinstance(_value_at(obj, prefix + (k,)), dict):
            out.add(prefix + (k, "."))
        else:
            out.add(prefix + (k,))
    return out


def update_managed_fields(old, new, manager, api_version, subresource=None):
    """Returns the managedFields of new after manager wrote it (old None on create)."""
    paths = _status_paths if subresource == "status" else _field_paths
    new_paths = paths(new)
    old_paths = paths(old) if old is not None else set()
    changed = {p for p in new_paths if p not in old_paths or _value_at(old, p) != _value_at(new, p)}
    entries = []
    mine = set()
    for e in (old or {}).get("metadata", {}).get("managedFields", []) or []:
        owned = _from_fieldsv1(e.get("fieldsV1", {}), old)
        if e.get("manager") == manager and e.get("subresource") == subresource and e.get("operation") == "Update":
            mine = owned & new_paths
            continue
        # fields of the other half (spec vs status) stay as they are
        other = _status_paths(new) if subresource != "status" else _field_paths(new)
        kept = {p for p in owned if (p in other) or (p in new_paths and p not in changed)}
        if kept:
            e = dict(e)
            e["fieldsV1"] = _to_fieldsv1(kept)
            entries.append(e)
    mine |= changed
    if mine:
        e = {"apiVersion": api_version, "fieldsType": "FieldsV1", "fieldsV1": _to_fieldsv1(mine),
             "manager": manager, "operation": "Update", "time": now()}
        if subresource:
            e["subresource"] = subresource
        entries.append(e)
    return entries
