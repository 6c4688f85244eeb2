"""What kube-apiserver does with request bodies and queries, apart from storing objects: merge and JSON
patches (RFC 7386, RFC 6902), Go's encoding/json syntax error texts, label and field selectors."""
import copy
import json
import re

def _api_error(*args):
    """store.ApiError, imported when first needed: store imports this module."""
    from store import ApiError
    return ApiError(*args)


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = merge_patch(result.get(k), v)
    return result


def go_syntax_error(text, e):
    """Go's encoding/json wording (as kube-apiserver answers) for Python's JSONDecodeError."""
    pos = getattr(e, "pos", None)
    if pos is None or pos >= len(text) or e.msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    if e.msg.startswith("Invalid \\escape"):
        pos += 1  # Go names the character after the backslash
    c = text[pos]
    q = "'\\''" if c == "'" else "'\"'" if c == '"' else "'%s'" % json.dumps(c)[1:-1]
    if e.msg.startswith("Expecting value") and c in "ntf":
        literal = {"n": "null", "t": "true", "f": "false"}[c]
        for i, want in enumerate(literal):
            got = text[pos + i] if pos + i < len(text) else " "  # Go steps a space at the end
            if got != want:
                q = "'%s'" % json.dumps(got)[1:-1]
                return "invalid character %s in literal %s (expecting '%s')" % (q, literal, want)
    if e.msg.startswith("Expecting property name"):
        return "invalid character %s looking for beginning of object key string" % q
    if e.msg.startswith("Expecting ':'"):
        return "invalid character %s after object key" % q
    if e.msg.startswith("Expecting ','"):
        depth = []  # which container the bad character is in, ignoring strings
        in_str = esc = False
        for ch in text[:pos]:
            if in_str:
                esc, in_str = (False, True) if esc else (ch == "\\", ch != '"')
            elif ch == '"':
                in_str = True
            elif ch in "[{":
                depth.append(ch)
            elif ch in "]}" and depth:
                depth.pop()
        return "invalid character %s after %s" % (q, "array element" if depth[-1:] == ["["] else "object key:value pair")
    if e.msg.startswith("Extra data"):
        return "invalid character %s after top-level value" % q
    if e.msg.startswith("Invalid control character"):
        return "invalid character %s in string literal" % q
    if e.msg.startswith("Invalid \\escape"):
        return "invalid character %s in string escape code" % q
    return "invalid character %s looking for beginning of value" % q


def _label_requirements(selector):
    """kubectl's label selector split at the commas outside parentheses: ["app=x", "env in (a,b)"]."""
    reqs, depth, cur = [], 0, ""
    for ch in selector or "":
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            reqs.append(cur.strip())
            cur = ""
        else:
            cur += ch
    reqs.append(cur.strip())
    return [r for r in reqs if r]


def _label_matches(labels, req):
    m = re.match(r"^(\S+)\s+(in|notin)\s*\((.*)\)$", req)
    if m:
        values = {v.strip() for v in m.group(3).split(",")}
        inside = labels.get(m.group(1)) in values if m.group(1) in labels else False
        return inside if m.group(2) == "in" else not inside
    if "!=" in req:
        k, v = req.split("!=", 1)
        return labels.get(k.strip()) != v.strip()
    if "=" in req:
        k, v = req.split("=", 1)
        return labels.get(k.strip().rstrip("=")) == v.strip().lstrip("=")
    if req.startswith("!"):
        return req[1:].strip() not in labels
    return req in labels


def _selects(obj, label_selector, field_selector):
    labels = obj["metadata"].get("labels") or {}
    if not all(_label_matches(labels, req) for req in _label_requirements(label_selector)):
        return False
    fields = {"metadata.name": obj["metadata"]["name"], "metadata.namespace": obj["metadata"]["namespace"]}
    for req in filter(None, (field_selector or "").split(",")):
        neg = "!=" in req
        k, v = req.split("!=" if neg else "=", 1)
        k, v = k.strip().rstrip("="), v.strip().lstrip("=")
        if (fields.get(k) == v) == neg:
            return False
    return True


def _json_patch(doc, ops):
    """RFC 6902 (add, remove, replace, move, copy, test)."""
    doc = copy.deepcopy(doc)

    def bad(msg):
        return _api_error(422, "Invalid", msg)

    def split(path):
        if path == "":
            return []
        return [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]

    def parent(path):
        parts = split(path)
        node = doc
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node[p]
        return node, parts[-1]

    def get(path):
        node, key = parent(path)
        return node[int(key)] if isinstance(node, list) else node[key]

    def add(path, value):
        node, key = parent(path)
        if isinstance(node, list):
            node.insert(len(node) if key == "-" else int(key), value)
        else:
            node[key] = value

    def remove(path):
        node, key = parent(path)
        if isinstance(node, list):
            return node.pop(int(key))
        return node.pop(key)

    if not isinstance(ops, list):
        raise _api_error(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    for op in ops:
        try:
            kind, path = op["op"], op["path"]
            if kind == "add":
                add(path, op["value"])
            elif kind == "remove":
                remove(path)
            elif kind == "replace":
                remove(path)
                add(path, op["value"])
            elif kind == "move":
                add(path, remove(op["from"]))
            elif kind == "copy":
                add(path, copy.deepcopy(get(op["from"])))
            elif kind == "test":
                if get(path) != op["value"]:
                    raise bad("the server rejected our request due to an error in our request")
            else:
                raise bad("Unexpected kind: %s" % kind)
        except (KeyError, IndexError, ValueError, TypeError):
            raise bad("the server rejected our request due to an error in our request")
    return doc


def go_json(obj, sort=False, indent=None):
    """encoding/json's output: compact, UTF-8, with <, > and & escaped."""
    text = json.dumps(obj, sort_keys=sort, indent=indent, ensure_ascii=False,
                      separators=(",", ": ") if indent else (",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def go_duration(text):
    """Seconds of a Go duration ("500ms", "30s", "1m30s", "1.5s"), or None when text is not one."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text or "")
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(n) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[u] for n, u in parts)
