#!/usr/bin/env python3
"""A local stand-in for kube-apiserver (v1.24) serving Istio's VirtualService and DestinationRule
custom resources over HTTPS, for shift's tests. See README.md beside this file.

usage: apiserver.py --dir DIR [--era current|1.8] [--port 0] [--anonymous-auth]
"""
import argparse
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import auth  # noqa: E402
import certs  # noqa: E402
import control  # noqa: E402
from wire import go_duration, go_json  # noqa: E402
import core_resources  # noqa: E402
import workload_resources  # noqa: E402
import faults as faultlib  # noqa: E402
import store as store_module  # noqa: E402
import watch  # noqa: E402
from store import GATEWAY_GROUP, GATEWAY_RESOURCES, GROUP, KINDS, ApiError, Store, details, group_of  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ERAS = {"current": ["v1", "v1beta1", "v1alpha3"], "1.8": ["v1beta1", "v1alpha3"]}  # priority order
STORAGE = {"current": "v1", "1.8": "v1alpha3"}
# The Gateway API 1.2 standard channel: HTTPRoute in v1 (storage) and v1beta1, ReferenceGrant in v1beta1.
# --gateway-versions narrows HTTPRoute's (v1beta1 alone: a cluster with Gateway API 0.x).
GATEWAY_VERSIONS = ["v1", "v1beta1"]
SERVED_IN = {"referencegrants": ["v1beta1"]}
VERSION_INFO = {"major": "1", "minor": "24", "gitVersion": "v1.24.0+shift-test", "gitCommit": "0" * 40,
                "gitTreeState": "clean", "buildDate": "2022-05-03T13:36:49Z", "goVersion": "go1.18.1",
                "compiler": "gc", "platform": "linux/amd64"}
VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
FLOWSCHEMA_UID, PRIORITY_UID = str(uuid.uuid4()), str(uuid.uuid4())


def storage_version_hash(group, version, kind):
    import base64
    import hashlib
    return base64.b64encode(hashlib.sha256(("%s/%s/%s" % (group, version, kind)).encode()).digest()[:8]).decode()


class RequestInfo:
    """kube's RequestInfoFactory, for the paths this server knows."""

    def __init__(self, method, path):
        self.path = path
        self.resource_request = False
        self.group = self.version = self.namespace = self.resource = self.name = self.subresource = ""
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["api"] and len(parts) >= 2:
            self.version, rest = parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            self.group, self.version, rest = parts[1], parts[2], parts[3:]
        else:
            rest = None
        if rest:
            self.resource_request = True
            if rest[0] == "namespaces" and len(rest) >= 3:
                self.namespace, rest = rest[1], rest[2:]
            elif rest[0] == "namespaces" and len(rest) == 2:
                self.namespace = rest[1]
            self.resource = rest[0]
            self.name = rest[1] if len(rest) > 1 else ""
            self.subresource = rest[2] if len(rest) > 2 else ""
            self.extra = rest[3:]
        self.verb = {"GET": "get", "HEAD": "get", "POST": "create", "PUT": "update", "PATCH": "patch",
                     "DELETE": "delete"}.get(method, "")
        if self.resource_request and not self.name:
            self.verb = {"get": "list", "delete": "deletecollection"}.get(self.verb, self.verb)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every response, as no real API server does.
    disable_nagle_algorithm = True
    server_version = "shift-test-apiserver"
    timeout = 120  # idle keep-alive connections

    def log_message(self, fmt, *args):  # quiet; the request log is at /_shift/requests
        pass

    def setup(self):
        super().setup()
        try:
            self.connection.do_handshake()
        except (ssl.SSLError, OSError):
            self.close_connection = True
            raise

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, socket.timeout):
            pass

    # ---- plumbing ----
    def send_response(self, code, message=None):  # no Server header, like kube-apiserver
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _reply(self, code, body, ctype="application/json", extra=None):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.status_code = code
        if self.outage_after is not None:
            self.close_connection = True
            return self.server.go_away(self.outage_after)
        fault = self.server.faults.take(self, "reset") if self.admitted and code not in (401, 403) else None
        garble = self.server.faults.take(self, "garble") if self.admitted and code not in (401, 403) else None
        if garble is not None:
            self.fault_applied = "garble"
            data = faultlib.garbled(data, garble.get("mode", "truncate"))
        self.send_response(code)
        self.send_header("Audit-Id", self.audit_id)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if self.admitted:  # kube's priority-and-fairness filter runs after authn and impersonation
            self.send_header("X-Kubernetes-Pf-Flowschema-Uid", FLOWSCHEMA_UID)
            self.send_header("X-Kubernetes-Pf-Prioritylevel-Uid", PRIORITY_UID)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if fault is not None:
            self.fault_applied = "reset"
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            # RST instead of FIN: the client sees the connection reset mid-body
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if self.command != "HEAD":
            self.wfile.write(data)

    def _status(self, err, extra=None):
        hdrs = {"X-Content-Type-Options": "nosniff"} if err.code == 403 else {}
        hdrs.update(extra or {})
        self._reply(err.code, go_json(err.status()) + "\n", extra=hdrs)

    def _plain404(self):
        self._reply(404, "404 page not found\n", "text/plain; charset=utf-8", {"X-Content-Type-Options": "nosniff"})

    def _object(self, code, obj):
        self._reply(code, go_json(obj, sort=True) + "\n")

    # ---- dispatch ----
    def _handle(self):
        self.audit_id = str(uuid.uuid4())
        self.status_code = 0
        self.fault_applied = None
        self.outage_after = None  # an outage fault to begin once the request is carried out
        self.admitted = False  # authenticated and impersonation settled
        self.user = self.impersonator = ""
        url = urllib.parse.urlsplit(self.path)
        self.req_path, self.query = url.path, urllib.parse.parse_qs(url.query)
        self.body = self._read_body()
        started = time.time()
        try:
            self._dispatch()
        except ApiError as e:
            self._status(e)
        except auth.PlainError as e:
            self._reply(e.code, e.text, "text/plain; charset=utf-8", {"X-Content-Type-Options": "nosniff"})
        except (ConnectionError, ssl.SSLError, socket.timeout):
            raise  # the client left before the answer (e.g. its timeout); logged below all the same
        except Exception as e:  # keep serving; a bug here must show as a 500, not a hang
            self._status(ApiError(500, "InternalError", "Internal error occurred: %r" % e,
                                  {"causes": [{"message": repr(e)}]}))
        finally:
            self._log(started)

    def _log(self, started):
        if not self.req_path.startswith("/_shift/"):
            entry = {"method": self.command, "path": self.req_path, "query": urllib.parse.urlsplit(self.path).query,
                     "user": self.user, "status": self.status_code, "time": started,
                     "durationMs": int((time.time() - started) * 1000),
                     "peer": self.client_address[1]}  # the client's port: which connection it came on
            if self.impersonator:
                entry["impersonator"] = self.impersonator
            if self.body:
                entry["body"] = self.body.decode("utf-8", "replace")
            if self.fault_applied:
                entry["fault"] = self.fault_applied
            self.server.log_request_entry(entry)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def _delay(self, seconds):
        """A slow request, as kube-apiserver's timeout filter sees it: past the request's ?timeout= it is
        abandoned before it is carried out, with 504 Timeout."""
        limit = go_duration(self.query.get("timeout", [""])[-1])
        if limit is not None and 0 < limit < seconds:
            time.sleep(limit + 0.05)  # the client's clock started first: it gives up first, as over a network
            raise faultlib.error_status({"status": 504})
        time.sleep(seconds)

    def _dispatch(self):
        who = auth.authenticate(self.headers, self.connection, self.server.tokens, self.server.anonymous)
        if who is None:
            raise ApiError(401, "Unauthorized", "Unauthorized")
        self.user, groups = who[0], auth.with_authenticated(*who)
        acting = auth.impersonate(self.headers, self.path, self.user, groups)
        if acting is not None:  # the log names both: who sent the request, and as whom it ran
            self.impersonator, (self.user, groups) = self.user, acting
        self.admitted = True
        if self.req_path.startswith("/_shift/"):
            if "system:masters" not in groups:
                raise ApiError(403, "Forbidden", 'forbidden: User "%s" cannot use the test control endpoint' % self.user, {})
            return self._control()
        info = RequestInfo(self.command, self.req_path)
        if not auth.authorize(groups, info):
            raise auth.forbidden(self.user, info)
        fault = self.server.faults.take(self, "outage")
        if fault is not None:
            self.fault_applied = "outage"
            if not fault.get("after"):  # the server goes away before it carries the request out
                self.close_connection = True
                return self.server.go_away(float(fault.get("seconds", 1)))
            self.outage_after = float(fault.get("seconds", 1))  # ... or after: the answer is lost
        fault = self.server.faults.take(self, "delay")
        if fault is not None:
            self.fault_applied = "delay"
            self._delay(fault.get("ms", 0) / 1000.0)
        fault = self.server.faults.take(self, "error")
        if fault is not None:
            self.fault_applied = "error"
            raise faultlib.error_status(fault)
        fault = self.server.faults.take(self, "throttle")
        if fault is not None:
            self.fault_applied = "throttle"
            secs = int(fault.get("retryAfter", 1))
            self._status(ApiError(429, "TooManyRequests", "Too many requests, please try again later.",
                                  {"retryAfterSeconds": secs}), {"Retry-After": str(secs)})
            return
        self._route(info)

    def _route(self, info):
        p = self.req_path.rstrip("/") or "/"
        era = self.server.era
        versions = ERAS[era]
        if self.command not in ("GET", "HEAD") and not info.resource_request:
            return self._plain404() if p not in ("/api", "/apis", "/version") else self._method_not_allowed_plain()
        if p in ("/healthz", "/readyz", "/livez"):
            return self._reply(200, "ok", "text/plain; charset=utf-8", {"X-Content-Type-Options": "nosniff"})
        if p == "/version":
            return self._reply(200, go_json(VERSION_INFO, indent=2))
        if p == "/api":
            return self._reply(200, go_json({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:%d" % self.server.server_port}]}) + "\n")
        if p == "/api/v1":
            return self._reply(200, go_json({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
                {"name": "namespaces", "singularName": "", "namespaced": False, "kind": "Namespace",
                 "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"], "shortNames": ["ns"],
                 "storageVersionHash": "Q3oi5N2YM8M="},
                {"name": "services", "singularName": "", "namespaced": True, "kind": "Service",
                 "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"], "shortNames": ["svc"],
                 "categories": ["all"], "storageVersionHash": "0/CO1lhkEBI="}]}) + "\n")
        group = self._group_doc()
        gateway = self._gateway_group_doc()
        if p == "/apis":
            groups = [group] + ([gateway] if gateway else [])
            return self._reply(200, go_json({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}) + "\n")
        if p == "/apis/" + GROUP:
            return self._reply(200, go_json(dict({"kind": "APIGroup", "apiVersion": "v1"}, **group)) + "\n")
        if p == "/apis/" + GATEWAY_GROUP and gateway:
            return self._reply(200, go_json(dict({"kind": "APIGroup", "apiVersion": "v1"}, **gateway)) + "\n")
        if info.group == "" and info.version == "v1" and info.resource == "namespaces":
            return core_resources.handle_namespaces(self, info)
        if info.group == "" and info.version == "v1" and info.resource == "services":
            return core_resources.handle_services(self, info, self._manager(), self._dry_run())
        if info.group == "apps" and info.version == "v1" and info.resource == "deployments":
            return workload_resources.handle(self, info, self.server.deployments, self._manager())
        if info.group == "" and info.version == "v1" and info.resource == "pods":
            return workload_resources.handle(self, info, self.server.pods, self._manager())
        if info.group == "discovery.k8s.io" and info.version == "v1" and info.resource == "endpointslices":
            return workload_resources.handle(self, info, self.server.endpoint_slices, self._manager())
        if info.group == GATEWAY_GROUP:
            return self._gateway_route(info)
        if info.group != GROUP or info.version not in versions:
            return self._plain404()
        if not info.resource_request:
            return self._reply(200, go_json(self._resource_list(info.version)) + "\n")
        if info.resource not in KINDS or info.resource in GATEWAY_RESOURCES or getattr(info, "extra", []):
            return self._plain404()
        if info.subresource and info.subresource != "status":
            return self._plain404()
        return self._resource(info)

    def _gateway_served(self, resource):
        return SERVED_IN.get(resource, self.server.gateway_versions)

    def _gateway_versions(self):
        return [v for v in ["v1", "v1beta1"] if any(v in self._gateway_served(r) for r in GATEWAY_RESOURCES)]

    def _gateway_route(self, info):
        if info.version not in self._gateway_versions():
            return self._plain404()
        if not info.resource_request:
            res = []
            for plural in GATEWAY_RESOURCES:
                if info.version not in self._gateway_served(plural):
                    continue
                kind, singular, short = KINDS[plural]
                res.append({"name": plural, "singularName": singular, "namespaced": True, "kind": kind,
                            "verbs": VERBS, "categories": ["gateway-api"],
                            "storageVersionHash": storage_version_hash(GATEWAY_GROUP, "v1", kind)})
                if plural == "httproutes":
                    res.append({"name": plural + "/status", "singularName": "", "namespaced": True, "kind": kind,
                                "verbs": ["get", "patch", "update"]})
            return self._reply(200, go_json({"kind": "APIResourceList", "apiVersion": "v1",
                                             "groupVersion": "%s/%s" % (GATEWAY_GROUP, info.version),
                                             "resources": res}) + "\n")
        if info.resource not in GATEWAY_RESOURCES or info.version not in self._gateway_served(info.resource) \
                or getattr(info, "extra", []):
            return self._plain404()
        if info.subresource and info.subresource != "status":
            return self._plain404()
        return self._resource(info)

    def _gateway_group_doc(self):
        vs = self._gateway_versions()
        if not vs:
            return None
        gv = [{"groupVersion": "%s/%s" % (GATEWAY_GROUP, v), "version": v} for v in vs]
        return {"name": GATEWAY_GROUP, "versions": gv, "preferredVersion": gv[0]}

    def _method_not_allowed_plain(self):
        self._reply(405, "405: Method Not Allowed", "text/plain; charset=utf-8", {"X-Content-Type-Options": "nosniff"})

    def _group_doc(self):
        vs = ERAS[self.server.era]
        gv = [{"groupVersion": "%s/%s" % (GROUP, v), "version": v} for v in vs]
        return {"name": GROUP, "versions": gv, "preferredVersion": gv[0]}

    def _resource_list(self, version):
        res = []
        for plural in sorted(KINDS):
            if plural in GATEWAY_RESOURCES:
                continue
            kind, singular, short = KINDS[plural]
            res.append({"name": plural, "singularName": singular, "namespaced": True, "kind": kind, "verbs": VERBS,
                        "shortNames": [short], "categories": ["istio-io", "networking-istio-io"],
                        "storageVersionHash": storage_version_hash(GROUP, STORAGE[self.server.era], kind)})
            res.append({"name": plural + "/status", "singularName": "", "namespaced": True, "kind": kind,
                        "verbs": ["get", "patch", "update"]})
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "%s/%s" % (GROUP, version),
                "resources": res}

    def _manager(self):
        return self.query.get("fieldManager", [""])[-1] or self._default_manager()

    def _dry_run(self):
        """Whether ?dryRun=All was sent; any other value is kube's 422."""
        dry = self.query.get("dryRun", [])
        if dry and any(d != "All" for d in dry):
            opts = {"POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions",
                    "DELETE": "DeleteOptions"}.get(self.command, "UpdateOptions")
            val = "[]string{%s}" % ", ".join('"%s"' % d for d in dry)
            msg = 'Unsupported value: %s: supported values: "All"' % val
            raise ApiError(422, "Invalid", '%s.meta.k8s.io "" is invalid: dryRun: %s' % (opts, msg),
                           {"group": "meta.k8s.io", "kind": opts,
                            "causes": [{"reason": "FieldValueNotSupported", "message": msg, "field": "dryRun"}]})
        return bool(dry)

    def _resource(self, info):
        store = self.server.store
        q = {k: v[-1] for k, v in self.query.items()}
        kind = KINDS[info.resource][0]
        if q.get("watch") in ("true", "1") and self.command == "GET" and not info.name:
            return watch.serve(self, store, info, q, kind, "%s/%s" % (group_of(info.resource), info.version),
                               store_module._selects)
        dry_run = self._dry_run()
        manager = self._manager()
        verb = info.verb
        if info.subresource == "status" and verb not in ("get", "update", "patch"):
            raise ApiError(405, "MethodNotAllowed", '%s is not supported on resources of kind "%s.%s"'
                           % (verb, info.resource, GROUP), details("", info.resource))
        if verb == "":
            raise ApiError(405, "MethodNotAllowed", ' is not supported on resources of kind "%s.%s"'
                           % (info.resource, GROUP), details("", info.resource))
        if verb in ("update", "patch") and not info.name:
            raise ApiError(400, "BadRequest", "name must be provided")
        if verb == "list":
            if q.get("continue") and q.get("resourceVersion"):
                raise ApiError(400, "BadRequest", "specifying resource version is not allowed when using continue")
            limit = int(q["limit"]) if q.get("limit", "").isdigit() else 0
            items, meta = store.list_page(info.resource, info.namespace or None, q.get("labelSelector"),
                                          q.get("fieldSelector"), limit, q.get("continue", ""))
            return self._object(200, {"apiVersion": "%s/%s" % (group_of(info.resource), info.version),
                                      "items": [store.render(o, info.version) for o in items],
                                      "kind": kind + "List", "metadata": meta})
        if verb == "get":
            obj = store.get(info.resource, info.namespace, info.name)
            fault = self.server.faults.take(self, "conflict")
            if fault is not None:
                self.fault_applied = "conflict"
                store.bump(info.resource, info.namespace, info.name, fault.get("patch"))
            return self._object(200, store.render(obj, info.version))
        if verb == "create":
            obj = store.decode(self.body, info.resource, info.version)
            return self._object(201, store.create(info.resource, info.namespace, obj, info.version, manager, dry_run))
        if verb == "update":
            obj = store.decode(self.body, info.resource, info.version)
            return self._object(200, store.update(info.resource, info.namespace, info.name, obj, info.version,
                                                  manager, dry_run, info.subresource or None))
        if verb == "patch":
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
            ptype = {"application/merge-patch+json": "merge", "application/json-patch+json": "json"}.get(ctype)
            if ptype is None:
                raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                               "accepted media types include: application/json-patch+json, "
                               "application/merge-patch+json, application/apply-patch+yaml")
            return self._object(200, store.patch(info.resource, info.namespace, info.name, ptype, self.body,
                                                 info.version, manager, dry_run, info.subresource or None))
        if verb == "delete":
            return self._reply(200, go_json(store.delete(info.resource, info.namespace, info.name, dry_run)) + "\n")
        if verb == "deletecollection":
            items, rv = store.list(info.resource, info.namespace or None, q.get("labelSelector"), q.get("fieldSelector"))
            for o in items:
                store.delete(info.resource, o["metadata"]["namespace"], o["metadata"]["name"], dry_run)
            return self._object(200, {"apiVersion": "%s/%s" % (GROUP, info.version),
                                      "items": [store.render(o, info.version) for o in items],
                                      "kind": kind + "List", "metadata": {"continue": "", "resourceVersion": rv}})
        raise ApiError(405, "MethodNotAllowed", '%s is not supported on resources of kind "%s.%s"'
                       % (verb, info.resource, GROUP), details("", info.resource))

    def _default_manager(self):
        # kube names the manager after the User-Agent up to its first '/', else "unknown"
        ua = self.headers.get("User-Agent", "")
        return ua.split("/")[0][:128] if ua else "unknown"

    def _control(self):
        return control.handle(self)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, ctx, store, era, tokens, anonymous, gateway_versions=None):
        super().__init__(addr, Handler)
        self.gateway_versions = list(GATEWAY_VERSIONS if gateway_versions is None else gateway_versions)
        self.ctx, self.store, self.era, self.tokens, self.anonymous = ctx, store, era, tokens, anonymous
        self.faults = faultlib.Faults()
        self.services = core_resources.Services(store)
        self.deployments = workload_resources.deployments(store)
        self.pods = workload_resources.pods(store)
        self.endpoint_slices = workload_resources.endpoint_slices(store)
        self._log, self._log_lock = [], threading.Lock()
        self._conns, self._conns_lock = set(), threading.Lock()
        self.outage, self.stopping = None, False

    def process_request(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def go_away(self, seconds):
        """The server goes away for `seconds` and comes back on the same port with the same objects, as
        kube-apiserver does when it restarts: every open connection is reset (this one too), and new ones
        are refused until it is back. serve_forever returns; main() closes the socket, waits, reopens."""
        try:  # stop listening now (Linux refuses new connections at once), not when the loop notices
            self.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        with self._conns_lock:
            conns, self._conns = list(self._conns), set()
        for c in conns:
            try:
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                # shutdown, not close: it also wakes the handler thread blocked reading this connection
                socket.socket.shutdown(c, socket.SHUT_RDWR)
            except OSError:
                pass
        self.outage = seconds
        threading.Thread(target=self.shutdown, daemon=True).start()

    def come_back(self):
        """After an outage: listen again on the port the clients know."""
        self.socket = socket.socket(self.address_family, self.socket_type)
        self.server_bind()
        self.server_activate()

    def get_request(self):
        sock, addr = self.socket.accept()
        # the TLS handshake runs in the handler's thread, not in the accept loop
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def log_request_entry(self, entry):
        with self._log_lock:
            self._log.append(entry)

    def requests(self):
        with self._log_lock:
            return list(self._log)

    def clear_requests(self):
        with self._log_lock:
            self._log.clear()


def load_schemas(era):
    out = {}
    for plural in KINDS:
        prefix = "gateway" if plural in GATEWAY_RESOURCES else era
        with open(os.path.join(HERE, "schemas", "%s-%s.json" % (prefix, plural))) as f:
            out[plural] = json.load(f)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="folder for certificates, kubeconfig and server.json")
    ap.add_argument("--era", choices=sorted(ERAS), default="current", help="which Istio CRD versions are served")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--anonymous-auth", action="store_true",
                    help="treat requests without credentials as system:anonymous (kube's default) instead of 401")
    ap.add_argument("--gateway-versions", default=",".join(GATEWAY_VERSIONS),
                    help="the versions HTTPRoute is served in (comma-separated; empty: no Gateway API)")
    args = ap.parse_args(argv)
    d = os.path.abspath(args.dir)
    os.makedirs(d, exist_ok=True)
    tokens = certs.generate(d)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(d, "server.crt"), os.path.join(d, "server.key"))
    ctx.load_verify_locations(os.path.join(d, "ca.crt"))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])

    schemas = load_schemas(args.era)
    import kubeschema
    store = Store(schemas, cel=any(kubeschema.has_cel(s) for r, s in schemas.items() if r not in GATEWAY_RESOURCES))
    srv = Server(("127.0.0.1", args.port), ctx, store, args.era, certs.read_tokens(d), args.anonymous_auth,
                 [v for v in args.gateway_versions.split(",") if v])
    port = srv.server_address[1]
    url = "https://127.0.0.1:%d" % port
    certs.write_kubeconfig(d, url, tokens)
    info = {"port": port, "pid": os.getpid(), "url": url, "adminToken": tokens["admin"],
            "nobodyToken": tokens["nobody"], "era": args.era, "kubeconfig": os.path.join(d, "kubeconfig"),
            "ca": os.path.join(d, "ca.crt")}
    tmp = os.path.join(d, "server.json.tmp")
    with open(tmp, "w") as f:
        json.dump(info, f, indent=2)
    os.replace(tmp, os.path.join(d, "server.json"))

    def stop(*_):
        srv.stopping = True
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("READY %s" % url, flush=True)
    while True:
        srv.serve_forever(poll_interval=0.1)
        if srv.stopping or srv.outage is None:
            break
        srv.socket.close()  # connecting now is refused, as to a server that is down
        time.sleep(srv.outage)
        srv.outage = None
        if srv.stopping:
            break
        srv.come_back()
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
