"""The watch API as kube-apiserver v1.24 serves it from its watch cache.

A watch is a GET with ?watch=true on a list URL (namespaced or cluster-wide). The answer is a 200 with
Transfer-Encoding: chunked and Content-Type application/json; each event is one JSON object and a newline:
{"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR", "object": ...}.

- resourceVersion absent or "0": first an ADDED event for every object that matches (the current state),
  then the changes after it. Otherwise the changes after that resourceVersion.
- A resourceVersion older than what the cache still holds (compacted) gets one ERROR event carrying a 410
  Status (reason Expired, "too old resource version: OLD (OLDEST)") and the stream ends, as the real server
  answers from its watch cache; the client lists again and starts over.
- allowWatchBookmarks=true: BOOKMARK events carrying only kind, apiVersion and metadata.resourceVersion,
  every `bookmark_seconds` while nothing happens (the real server sends them about once a minute).
- timeoutSeconds ends the stream after that long (the real server picks a random 5-10 minutes otherwise).
- POST /_shift/end-watches ends every open stream at once, cleanly, as timeoutSeconds would (for tests
  of clients that resume).
"""
import collections
import copy
import json
import threading
import time

# How many events the cache keeps; older ones are compacted. kube's default watch cache is sized per
# resource (100 and up); tests force compaction through /_shift/compact instead of relying on it.
CAPACITY = 1000
DEFAULT_TIMEOUT = 1800


class Gone(Exception):
    def __init__(self, requested, oldest):
        super().__init__("too old resource version: %s (%s)" % (requested, oldest))
        self.requested, self.oldest = requested, oldest


class EventLog:
    """Recent changes, in resourceVersion order, and a condition to wait for the next one."""

    def __init__(self, capacity=CAPACITY):
        self.events = collections.deque()
        self.capacity = capacity
        self.oldest = 0  # the smallest resourceVersion a watch may still start from
        self.cond = threading.Condition()
        self.bookmark_seconds = 1.0
        self.epoch = 0  # end_streams() moves it: open streams end when they see it changed

    def record(self, resource, ns, etype, obj):
        with self.cond:
            self.events.append((int(obj["metadata"]["resourceVersion"]), resource, ns, etype, copy.deepcopy(obj)))
            while len(self.events) > self.capacity:
                self.oldest = self.events.popleft()[0]
            self.cond.notify_all()

    def compact(self, rv):
        """Forget every event up to rv, as etcd compaction does."""
        with self.cond:
            while self.events and self.events[0][0] <= rv:
                self.events.popleft()
            self.oldest = max(self.oldest, rv)
            self.cond.notify_all()

    def end_streams(self):
        with self.cond:
            self.epoch += 1
            self.cond.notify_all()

    def after(self, rv, resource, ns):
        """Events after rv for the resource (and namespace, unless None); raises Gone when compacted."""
        if rv < self.oldest:
            raise Gone(rv, self.oldest + 1)
        return [e for e in self.events if e[0] > rv and e[1] == resource and (ns is None or e[2] == ns)]


def _chunk(wfile, data):
    wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
    wfile.flush()


def _event(etype, obj):
    return (json.dumps({"type": etype, "object": obj}, separators=(",", ":")) + "\n").encode("utf-8")


def _headers(handler):
    handler.status_code = 200
    handler.send_response(200)
    handler.send_header("Audit-Id", handler.audit_id)
    handler.send_header("Cache-Control", "no-cache, private")
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    handler.close_connection = True


def _next_batch(log, last, resource, ns):
    """(events after last, bookmark rv or None); waits up to bookmark_seconds for something to happen.
    Raises Gone when last was compacted away."""
    with log.cond:
        pending = log.after(last, resource, ns)
        if pending:
            return pending, None
        log.cond.wait(log.bookmark_seconds)
        pending = log.after(last, resource, ns)
        # Records happen in resourceVersion order under the store's lock, so every event up to the
        # log's newest has been recorded: a bookmark there skips nothing this watch needs.
        newest = log.events[-1][0] if log.events else last
        return pending, (None if pending else max(last, newest))


def serve(handler, store, info, query, kind, api_version, selects):
    """Streams events to one client until timeoutSeconds, a 410, or the client going away."""
    log = store.events
    deadline = time.monotonic() + float(query.get("timeoutSeconds") or DEFAULT_TIMEOUT)
    bookmarks = query.get("allowWatchBookmarks") in ("true", "1")
    label_sel, field_sel = query.get("labelSelector"), query.get("fieldSelector")
    ns = info.namespace or None
    start = query.get("resourceVersion", "")
    epoch = log.epoch
    _headers(handler)
    wfile = handler.wfile
    try:
        if start in ("", "0"):
            items, rv = store.list(info.resource, ns, label_sel, field_sel)
            for o in items:
                _chunk(wfile, _event("ADDED", store.render(o, info.version)))
            last = int(rv)
        else:
            last = int(start)
        while time.monotonic() < deadline and log.epoch == epoch:
            try:
                pending, bookmark = _next_batch(log, last, info.resource, ns)
            except Gone as g:
                _chunk(wfile, _event("ERROR", {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                               "status": "Failure", "message": str(g), "reason": "Expired",
                                               "code": 410}))
                break
            if bookmark is not None:
                last = bookmark
                if bookmarks:
                    _chunk(wfile, _event("BOOKMARK", {"kind": kind, "apiVersion": api_version,
                                                      "metadata": {"resourceVersion": str(last)}}))
                continue
            for rv, _, _, etype, obj in pending:
                last = rv
                if selects(obj, label_sel, field_sel):
                    _chunk(wfile, _event(etype, store.render(obj, info.version)))
        _chunk(wfile, b"")
    except (BrokenPipeError, ConnectionError, OSError):
        pass
