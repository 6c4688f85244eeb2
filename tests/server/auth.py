"""Who a request is and what it may do, as kube-apiserver v1.24's filters decide it, in their order:
authentication (bearer tokens, client certificates, anonymous), impersonation (the Impersonate-*
headers) and authorization (no RBAC: system:masters may do anything, others read discovery only)."""
import re
import urllib.parse

from store import ApiError, details

PUBLIC_PATHS = ("/version", "/healthz", "/readyz", "/livez")  # system:public-info-viewer
AUTHENTICATED, UNAUTHENTICATED, ANONYMOUS = "system:authenticated", "system:unauthenticated", "system:anonymous"
AUTHN_V1 = "authentication.k8s.io/v1"
EXTRA_PREFIX = "impersonate-extra-"
SA_PREFIX = "system:serviceaccount:"
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
GO_ESCAPES = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
              "\t": "\\t", "\v": "\\v"}


def go_quote(text):
    """Go's %q (strconv.Quote): kube quotes user and object names with it in its messages, and an
    impersonated name can hold anything a header can."""
    out = []
    for ch in text:
        if ch in GO_ESCAPES:
            out.append(GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append("\\x%02x" % ord(ch))
        elif ord(ch) < 0x10000:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append("\\U%08x" % ord(ch))
    return '"%s"' % "".join(out)


class PlainError(Exception):
    """An answer kube writes with net/http's http.Error: text/plain, not a Status."""

    def __init__(self, code, text):
        super().__init__(text)
        self.code, self.text = code, text


# ---- authentication ----
def authenticate(headers, connection, tokens, anonymous):
    """(user, groups) or None for bad credentials; anonymous when none are given (and allowed)."""
    auth = headers.get("Authorization", "")
    if auth:
        if auth[:7].lower() == "bearer " and auth[7:].strip() in tokens:
            return tokens[auth[7:].strip()]
        return None
    cert = connection.getpeercert() if hasattr(connection, "getpeercert") else None
    if cert:
        subject = [x for rdn in cert.get("subject", ()) for x in rdn]
        cn = [v for k, v in subject if k == "commonName"]
        orgs = [v for k, v in subject if k == "organizationName"]
        if cn:
            return cn[0], orgs
    if anonymous:
        return ANONYMOUS, [UNAUTHENTICATED]
    return None


def with_authenticated(user, groups):
    """kube's AuthenticatedGroupAdder: every authenticated user but system:anonymous gets
    system:authenticated, unless it already has it or system:unauthenticated."""
    if user == ANONYMOUS or AUTHENTICATED in groups or UNAUTHENTICATED in groups:
        return list(groups)
    return list(groups) + [AUTHENTICATED]


# ---- authorization ----
def authorize(groups, info):
    """Whether groups may do what the RequestInfo info asks."""
    if "system:masters" in groups:
        return True
    if info.path in PUBLIC_PATHS:
        return True
    discovery = (not info.resource_request) and (info.path in ("/api", "/apis") or info.path.startswith(("/api/", "/apis/")))
    return discovery and AUTHENTICATED in groups  # system:discovery is bound to system:authenticated


def forbidden(user, info):
    """kube's responsewriters.Forbidden for the attributes in info (a RequestInfo or an
    ImpersonationRequest with verb "impersonate")."""
    if not info.resource_request:
        return ApiError(403, "Forbidden", "forbidden: User %s cannot %s path %s"
                        % (go_quote(user), info.verb, go_quote(info.path)), {})
    res = info.resource + ("/" + info.subresource if info.subresource else "")
    qual = info.resource + ("." + info.group if info.group else "")
    who = "%s %s" % (qual, go_quote(info.name)) if info.name else qual
    where = "in the namespace %s" % go_quote(info.namespace) if info.namespace else "at the cluster scope"
    return ApiError(403, "Forbidden", "%s is forbidden: User %s cannot %s resource %s in API group %s %s"
                    % (who, go_quote(user), info.verb, go_quote(res), go_quote(info.group), where),
                    details(info.name, info.resource, group=info.group))


# ---- impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go) ----
class ImpersonationRequest:
    """One thing the Impersonate-* headers ask to act as: kube's ObjectReference plus the
    authorization attributes its `impersonate` check uses."""
    verb, resource_request = "impersonate", True

    def __init__(self, kind, name, namespace="", api_version="", field_path=""):
        self.kind, self.name, self.namespace = kind, name, namespace
        self.api_version, self.field_path = api_version, field_path
        self.resource = {"ServiceAccount": "serviceaccounts", "User": "users", "Group": "groups",
                         "UserExtra": "userextras", "UID": "uids"}[kind]
        self.group = api_version.split("/")[0] if "/" in api_version else ""
        self.subresource = field_path  # the extra's key: resource userextras/<key>

    def __str__(self):
        # Go's %v of an ObjectReference: Kind Namespace Name UID APIVersion ResourceVersion FieldPath
        return "{%s %s %s  %s  %s}" % (self.kind, self.namespace, self.name, self.api_version, self.field_path)


def service_account(username):
    """(namespace, name) of a valid system:serviceaccount:NS:NAME user name, else None."""
    if not username.startswith(SA_PREFIX):
        return None
    parts = username[len(SA_PREFIX):].split(":")
    if len(parts) != 2:
        return None
    ns, name = parts
    if len(ns) > 63 or not DNS_LABEL.match(ns) or len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        return None
    return ns, name


def unescape_extra_key(key):
    # url.PathUnescape: a malformed escape anywhere keeps the whole key as sent
    if re.search(r"%(?![0-9a-fA-F]{2})", key):
        return key
    return urllib.parse.unquote(key, errors="replace")


def header_values(headers, name):
    # http.server reads header bytes as Latin-1; Go keeps the bytes (UTF-8 on the wire) and trims blanks
    return [v.encode("latin-1", "replace").decode("utf-8", "replace").strip(" \t")
            for v in headers.get_all(name) or []]


def impersonation_requests(headers, uri):
    """What the Impersonate-* headers ask for, in kube's order: the user (or service account),
    groups, extras, uid. Groups, extras or a uid without a user is kube's plain-text 500 (uri, the
    request URI, is in its text)."""
    reqs = []
    user = (header_values(headers, "Impersonate-User") or [""])[0]
    if user:
        sa = service_account(user)
        reqs.append(ImpersonationRequest("ServiceAccount", sa[1], sa[0]) if sa else ImpersonationRequest("User", user))
    reqs += [ImpersonationRequest("Group", g) for g in header_values(headers, "Impersonate-Group")]
    reqs += extra_requests(headers)
    uid = (header_values(headers, "Impersonate-Uid") or [""])[0]
    if uid:
        reqs.append(ImpersonationRequest("UID", uid, api_version=AUTHN_V1))
    if reqs and not user:
        text = 'Internal Server Error: %s: requested [%s] without impersonating a user' % (
            go_quote(uri), " ".join(str(r) for r in reqs))
        # kube's responsewriters.InternalError HTML-escapes the text it hands to http.Error
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        raise PlainError(500, text + "\n")
    return reqs


def extra_requests(headers):
    # one request per value, grouped by header name (kube walks a Go map: the order of keys is
    # random there, header order here); the key is lower-cased, then percent-decoded
    names = []
    for name in headers.keys():
        if name.lower().startswith(EXTRA_PREFIX) and name.lower() not in names:
            names.append(name.lower())
    return [ImpersonationRequest("UserExtra", value, api_version=AUTHN_V1,
                                 field_path=unescape_extra_key(name[len(EXTRA_PREFIX):]))
            for name in names for value in header_values(headers, name)]


def may_impersonate(groups, request):
    # no RBAC here: only system:masters holds the verb impersonate, on anything
    return "system:masters" in groups


def impersonate(headers, uri, user, groups):
    """The (user, groups) the request runs as instead, or None without Impersonate-* headers.
    Each impersonation request must be allowed the verb impersonate, checked in kube's order;
    raises the ApiError (403) or PlainError (500) kube answers instead."""
    reqs = impersonation_requests(headers, uri)
    if not reqs:
        return None
    for r in reqs:
        if not may_impersonate(groups, r):
            raise forbidden(user, r)
    name = reqs[0].name if reqs[0].kind == "User" else "%s%s:%s" % (SA_PREFIX, reqs[0].namespace, reqs[0].name)
    new_groups = [r.name for r in reqs if r.kind == "Group"]
    if reqs[0].kind == "ServiceAccount" and not new_groups:
        # a service account's groups are fixed, unless Impersonate-Group names them
        new_groups = ["system:serviceaccounts", "system:serviceaccounts:" + reqs[0].namespace]
    return name, impersonated_groups(name, new_groups)


def impersonated_groups(name, groups):
    # v1.24 adds system:authenticated (system:unauthenticated for system:anonymous) unless
    # one of the two is already named
    if name == ANONYMOUS:
        return groups if UNAUTHENTICATED in groups else groups + [UNAUTHENTICATED]
    return with_authenticated(name, groups)
