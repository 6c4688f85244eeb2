"""Structural-schema pruning and validation of custom resources, as kube-apiserver does for CRDs.

Covers the OpenAPI keywords the Istio CRDs use: type, properties, additionalProperties, items,
required, enum, minimum, maximum, nullable, oneOf/anyOf/not (as used for mutually exclusive
fields), x-kubernetes-int-or-string and x-kubernetes-preserve-unknown-fields. CEL rules
(x-kubernetes-validations) are not evaluated; their only visible trace is the extra "<nil>" cause
kube adds when schema errors stop it from running them.
"""
import copy
import math

def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def normalize_numbers(v):
    """kube decodes JSON numbers with an integral value (1.0) as integers."""
    if isinstance(v, float) and math.isfinite(v) and v == int(v):
        return int(v)
    if isinstance(v, list):
        return [normalize_numbers(x) for x in v]
    if isinstance(v, dict):
        return {k: normalize_numbers(x) for k, x in v.items()}
    return v


def go_value(v):
    """How kube prints a value in 'Invalid value: ...'."""
    if isinstance(v, str):
        return '"%s"' % v
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def has_cel(schema):
    if isinstance(schema, dict):
        if "x-kubernetes-validations" in schema:
            return True
        return any(has_cel(v) for v in schema.values())
    if isinstance(schema, list):
        return any(has_cel(v) for v in schema)
    return False


def prune(value, schema):
    """Drops unknown fields and null values of non-nullable fields, in place; returns the value."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        props = schema.get("properties")
        addl = schema.get("additionalProperties")
        keep_unknown = schema.get("x-kubernetes-preserve-unknown-fields", False)
        for k in list(value):
            sub = None
            if props is not None and k in props:
                sub = props[k]
            elif isinstance(addl, dict):
                sub = addl
            elif not keep_unknown and (props is not None or addl is not True):
                del value[k]
                continue
            if value[k] is None and sub is not None and not sub.get("nullable", False):
                del value[k]
                continue
            if sub is not None:
                prune(value[k], sub)
        # Structural defaulting, as kube-apiserver does after pruning: a missing property with a
        # `default` gets it (the Gateway API's HTTPRoute defaults weight, kind, group and matches).
        for k, sub in (props or {}).items():
            if k not in value and isinstance(sub, dict) and "default" in sub:
                value[k] = prune(copy.deepcopy(sub["default"]), sub)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            prune(item, schema["items"])
    return value


def _matches(value, schema):
    """True if value satisfies the (small) schema found under oneOf/anyOf/not."""
    errs = []
    validate(value, schema, "x", errs)
    return not errs


def validate(value, schema, path, errs):
    """Appends (field, reason, message) tuples to errs."""
    if not isinstance(schema, dict):
        return
    t = schema.get("type")
    actual = json_type(value)
    if value is None and schema.get("nullable", False):
        return
    if schema.get("x-kubernetes-int-or-string"):
        if actual not in ("integer", "string"):
            errs.append((path, "FieldValueTypeInvalid",
                         'Invalid value: "%s": %s in body must be of type integer-or-string: "%s"'
                         % (actual, path, actual)))
            return
    elif t and not (t == actual or (t == "number" and actual == "integer")):
        errs.append((path, "FieldValueTypeInvalid",
                     'Invalid value: "%s": %s in body must be of type %s: "%s"' % (actual, path, t, actual)))
        return
    if "enum" in schema and value not in schema["enum"]:
        errs.append((path, "FieldValueNotSupported", "Unsupported value: %s: supported values: %s"
                     % (go_value(value), ", ".join(go_value(e) for e in schema["enum"]))))
    if actual in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            errs.append((path, "FieldValueInvalid", "Invalid value: %s: %s in body should be greater than or equal to %s"
                         % (go_value(value), path, go_value(schema["minimum"]))))
        if "maximum" in schema and value > schema["maximum"]:
            errs.append((path, "FieldValueInvalid", "Invalid value: %s: %s in body should be less than or equal to %s"
                         % (go_value(value), path, go_value(schema["maximum"]))))
    if isinstance(value, dict):
        for r in schema.get("required", []):
            if r not in value:
                errs.append(("%s.%s" % (path, r), "FieldValueRequired", "Required value"))
        props = schema.get("properties") or {}
        addl = schema.get("additionalProperties")
        for k, v in value.items():
            if k in props:
                validate(v, props[k], "%s.%s" % (path, k), errs)
            elif isinstance(addl, dict):
                validate(v, addl, "%s[%s]" % (path, k), errs)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            validate(item, schema["items"], "%s[%d]" % (path, i), errs)
    if "oneOf" in schema:
        n = sum(1 for s in schema["oneOf"] if _matches(value, s))
        if n != 1:
            errs.append((path, "FieldValueInvalid", 'Invalid value: "%s": %s in body must validate one and only one schema (oneOf)'
                         % (actual, path)))
    if "anyOf" in schema and not any(_matches(value, s) for s in schema["anyOf"]):
        errs.append((path, "FieldValueInvalid", 'Invalid value: "%s": %s in body must validate at least one schema (anyOf)'
                     % (actual, path)))
    if "not" in schema and _matches(value, schema["not"]):
        errs.append((path, "FieldValueInvalid", 'Invalid value: "%s": %s in body should not be valid against schema'
                     % (actual, path)))
