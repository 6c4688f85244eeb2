"""Injected faults of the test API server, set through POST /_shift/faults (see README.md)."""
import threading

from store import ApiError

TYPES = ("delay", "error", "throttle", "reset", "conflict", "garble", "outage")


def error_status(fault):
    """The Status kube-apiserver sends for the injected status code."""
    code = int(fault.get("status", 500))
    msg = fault.get("message", "injected fault")
    if code == 503:
        return ApiError(503, "ServiceUnavailable", msg, {})
    if code == 504:
        return ApiError(504, "Timeout", "Timeout: request did not complete within requested timeout - context "
                        "deadline exceeded", {})
    return ApiError(code, "InternalError", "Internal error occurred: %s" % msg, {"causes": [{"message": msg}]})


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []
        self._next_id = 1

    def add(self, spec):
        if isinstance(spec, dict) and "faults" in spec:
            spec = spec["faults"]
        specs = spec if isinstance(spec, list) else [spec]
        added = []
        with self._lock:
            for s in specs:
                if not isinstance(s, dict) or s.get("type") not in TYPES:
                    raise ValueError("each fault needs a type among %s" % ", ".join(TYPES))
                f = dict(s)
                f.setdefault("count", 1)
                f["id"] = self._next_id
                self._next_id += 1
                self._faults.append(f)
                added.append(dict(f))
        return added

    def list(self):
        with self._lock:
            return [dict(f) for f in self._faults]

    def clear(self):
        with self._lock:
            self._faults.clear()

    def take(self, handler, kind):
        """The first armed fault of this kind matching the request (its count goes down), or None."""
        path = getattr(handler, "req_path", "")
        if path.startswith("/_shift/"):
            return None
        with self._lock:
            for f in self._faults:
                if f["type"] != kind or f["count"] == 0:
                    continue
                if f.get("method") and f["method"].upper() != handler.command:
                    continue
                if f.get("path") and f["path"] not in path:
                    continue
                if f.get("skip", 0) > 0:  # let this many matching requests pass first
                    f["skip"] -= 1
                    continue
                if f["count"] > 0:
                    f["count"] -= 1
                return dict(f)
        return None


def garbled(data, mode):
    """An answer body spoilt as a broken proxy or server might: cut in half (with a Content-Length that
    matches, so the client sees a complete but truncated JSON text), or not JSON at all."""
    if mode == "invalid":
        return b"<html><body>502 Bad Gateway</body></html>"
    return data[: len(data) // 2]
