"""The fault sweeps' shared machinery (test_cluster_*faults.py): the faults the local test server
injects, and the loop that injects each of them at each request of an operation in turn, on a fresh
namespace, and asks the test's judge which of the allowed ends the run reached."""
import json
import sys
import time

# A 500, a 503, a 429, a connection reset after the request was carried out, a truncated or non-JSON
# answer, a delay past --request-timeout, a concurrent writer that touches only labels, and the server
# going away and coming back: for a moment (shift's retries of an unsent request ride it out) and for
# longer (they do not), before the request is carried out and after it (the answer lost).
FAULTS = [
    ("error", {"status": 500}),
    ("error", {"status": 503}),
    ("throttle", {"retryAfter": 0}),
    ("reset", {}),
    ("garble", {"mode": "truncate"}),
    ("garble", {"mode": "invalid"}),
    ("delay", {"ms": 1500}),
    ("conflict", {"patch": {"metadata": {"labels": {"touched": "by-someone"}}}}),
    ("outage", {"seconds": 0.3}),
    ("outage", {"seconds": 0.3, "after": True}),
    ("outage", {"seconds": 2.5}),
    ("outage", {"seconds": 2.5, "after": True}),
]

# The shorter list for operations over several objects, whose runs are longer: one of each kind of
# fault, and the outages where the answer is lost.
SEVERAL_OBJECTS_FAULTS = [
    ("error", {"status": 500}),
    ("reset", {}),
    ("garble", {"mode": "truncate"}),
    ("delay", {"ms": 1500}),
    ("conflict", {"patch": {"metadata": {"labels": {"touched": "by-someone"}}}}),
    ("outage", {"seconds": 0.3, "after": True}),
    ("outage", {"seconds": 2.5, "after": True}),
]

CRASHES = (-6, -11, 134, 139)  # SIGABRT, SIGSEGV, and the shell's codes for them


def settle(backend, kind, params):
    """After a fault: let a request shift gave up on land, let a server that went away come back."""
    if kind == "delay":
        time.sleep(params["ms"] / 1000.0)
    if kind == "outage":
        backend.wait_up()
    backend.clear_faults()


def requests_in(backend, ns):
    """The requests the test server saw for namespace ns."""
    return [q for q in backend.requests() if "/namespaces/%s/" % ns in q["path"]]


def sweep(case, n, prepare, run, judge, faults=FAULTS, what="run"):
    """Each fault at each of the n requests of run(ns), in turn: prepare() gives a fresh (ns, start),
    judge(ns, start, result, description) names the end the run reached (or fails the test). Prints
    how often each end was reached and returns those counts."""
    outcomes = {}
    for kind, params in faults:
        for k in range(n):
            ns, start = prepare()
            case.backend.clear_faults()
            case.backend.fault(kind, skip=k, path="/namespaces/%s/" % ns, **params)
            r = run(ns)
            settle(case.backend, kind, params)
            said = "%s %s at request %d: %r" % (kind, json.dumps(params), k + 1, r)
            case.assertNotIn(r.code, CRASHES, said)
            outcome = judge(ns, start, r, said)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print("\n  %d requests per %s; outcomes of %d faulted runs: %s" % (n, what, n * len(faults), outcomes),
          file=sys.stderr)
    return outcomes
