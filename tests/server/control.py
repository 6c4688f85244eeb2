"""The test API server's /_shift/ control endpoint (admin only): faults, the request log, compaction,
ending open watches, state. `handle` is called with the request handler (apiserver.Handler)."""
import json

from store import ApiError
from wire import go_json


def handle(handler):
    p = handler.req_path.rstrip("/")
    if p == "/_shift/faults":
        if handler.command == "GET":
            return handler._reply(200, go_json({"faults": handler.server.faults.list()}))
        if handler.command == "DELETE":
            handler.server.faults.clear()
            return handler._reply(200, go_json({"faults": []}))
        if handler.command == "POST":
            try:
                spec = json.loads(handler.body or b"{}")
                added = handler.server.faults.add(spec)
            except (ValueError, TypeError, KeyError) as e:
                raise ApiError(400, "BadRequest", "bad fault: %s" % e)
            return handler._reply(200, go_json({"faults": added}))
    if p == "/_shift/requests":
        if handler.command == "GET":
            return handler._reply(200, go_json({"requests": handler.server.requests()}))
        if handler.command == "DELETE":
            handler.server.clear_requests()
            return handler._reply(200, go_json({"requests": []}))
    if p == "/_shift/compact" and handler.command == "POST":
        # etcd compaction: watches from any resourceVersion up to now get 410 Gone.
        st = handler.server.store
        with st.lock:
            st.events.compact(st.rv)
            return handler._reply(200, go_json({"compacted": str(st.rv)}))
    if p == "/_shift/end-watches" and handler.command == "POST":
        # Open watch streams end now, as after their timeoutSeconds: clients resume from where they were.
        handler.server.store.events.end_streams()
        return handler._reply(200, go_json({"ended": True}))
    if p == "/_shift/state" and handler.command == "GET":
        st = handler.server.store
        with st.lock:
            return handler._reply(200, go_json({"resourceVersion": str(st.rv), "era": handler.server.era,
                                             "namespaces": sorted(st.namespaces)}))
    raise ApiError(404, "NotFound", "unknown control endpoint %s %s" % (handler.command, p))
