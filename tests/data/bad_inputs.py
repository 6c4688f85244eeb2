"""The bad-input catalogue: malformed inputs, the one-line error shift gives for each, its exit
code, why it happens and the fix. One table, three uses:

- tests/cli/test_bad_input.py runs the "files" and "kubeconfig" cases, tests/live/
  test_cluster_bad_answers.py the "server" cases; each asserts the exit code, that stderr is
  exactly one `error: ...` line (plus the warnings a case allows), that the line is `see` (or
  matches `match`), and that nothing changed (file bytes and mtimes; the object's
  resourceVersion on the server);
- scripts/troubleshooting writes README.md's Troubleshooting section from it, and
  tests/cli/test_troubleshooting.py checks that the README says what the table says.

A case:
  id        unique, kebab-case
  cat       its README category (CATEGORIES)
  where     "files": run in a scratch folder holding vs.yaml (bookinfo reviews, all v1, with its
            DestinationRule) and a kubeconfig whose server is a closed port (so a case that wrongly
            passed validation would end in "cannot reach", exit 3, not in a false pass);
            "kubeconfig": the same, with KUBECONFIG=kc holding `kubeconfig`;
            "server": against the test API server holding reviews in a fresh namespace NS, with
            the faults in `faults` armed (tests/server/faults.py), `user` replacing the kubeconfig
            user, `cluster` merged into its cluster entry, and `object` replacing the
            VirtualService created
  args      shift's arguments (in "server" cases NS is the namespace, DIR the server's folder)
  files     {name: text} written into the scratch folder before the run (a text may be GENERATED
            by name: see generate() in the runners)
  stdin     text on standard input
  exit      the exit code
  see       the error line without its "error: " prefix, as the README shows it
  match     a regex the line must match instead of equalling `see` when it holds ports or paths
            (`see` must match it too)
  warn      a regex for other stderr lines the case allows (none unless given)
  why, fix  for the README
"""

CATEGORIES = [
    ("arguments", "Arguments and flags"),
    ("durations", "Durations and rollout steps"),
    ("selectors", "Which destination, which rule"),
    ("manifests", "Manifests (`-f`)"),
    ("kubeconfigs", "Kubeconfigs"),
    ("server", "Answers of the API server"),
]

# A VirtualService head whose one http rule's route follows (indented by four).
VS_HEAD = "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n"


def route(*lines):
    return VS_HEAD + "".join("    " + line + "\n" for line in lines)


def dest(subset, weight=None):
    out = ["- destination:", "    host: reviews", "    subset: %s" % subset]
    if weight is not None:
        out.append("  weight: %s" % weight)
    return out


def kubeconfig(cluster="    server: https://127.0.0.1:1\n", user="    token: kc-token\n", contexts=None,
               current="current-context: ctx\n", extra=""):
    """A kubeconfig in YAML with one cluster c, user u and context ctx, each part replaceable."""
    ctx = contexts if contexts is not None else "contexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n"
    return ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n" + cluster + "users:\n- name: u\n"
            "  user:\n" + user + ctx + current + extra)


SET = ["-f", "vs.yaml", "--in-place", "reviews"]  # a file-mode shift of vs.yaml that would write it
M = "m.yaml"
SET_M = ["-f", M, "--in-place", "--no-validate", "reviews", "v1=50", "v3=50"]
KC = "kubeconfig"  # cluster-mode arguments in "kubeconfig" cases: the kubeconfig is read first
KC_SET = ["reviews", "v1=50", "v3=50"]

CASES = [
    # ---- arguments ----
    dict(id="weight-not-a-number", cat="arguments", where="files", args=SET + ["v1=abc"], exit=2,
         see='weight in "v1=abc" is not a number; write KEY=WEIGHT with WEIGHT from 0 to 100 (up to three decimals), '
             'e.g. v1=50',
         why="a weight is a percentage", fix="write `KEY=WEIGHT` with a number from 0 to 100 (`%` allowed)"),
    dict(id="weight-four-decimals", cat="arguments", where="files", args=SET + ["v3=0.1234"], exit=2,
         see='weight in "v3=0.1234" has more than three decimals; round it, e.g. 0.123',
         why="weights are written as integers with a ratio in thousandths of a percent",
         fix="round to three decimals"),
    dict(id="weight-fraction-unknown", cat="arguments", where="files", args=SET + ["v3=0.5"], exit=2,
         see="VirtualService istio-demo/reviews http[0]: v3=0.5 is finer than whole percentages and shift cannot "
             "tell whether this Istio accepts weights that do not sum to 100 (1.15 and newer do); use whole "
             "percentages, or --weights any-total on Istio 1.15+",
         why="Istio 1.14 and older reject weights that do not sum to 100; files do not say which Istio reads them",
         fix="`--weights any-total` for Istio 1.15+, else whole percentages"),
    dict(id="weight-fraction-sum-100", cat="arguments", where="files",
         args=SET + ["v3=0.5", "--weights", "sum-100"], exit=2,
         see="VirtualService istio-demo/reviews http[0]: v3=0.5 is finer than whole percentages and this Istio "
             "requires weights that sum to 100 (1.14 and older), so only whole percentages can be written "
             "(--weights sum-100); use whole percentages",
         why="on the cluster: istiod runs 1.14 or older (its image tag says so)", fix="whole percentages"),
    dict(id="weights-flag", cat="arguments", where="files", args=SET + ["v1=100", "--weights", "100"], exit=2,
         see='--weights "100": write any-total (Istio 1.15+ and HTTPRoutes: weights are a ratio) or sum-100 '
             '(Istio 1.14 and older)',
         why="`--weights` states the semantics, not a number", fix="`--weights any-total` or `--weights sum-100`"),
    dict(id="adjust-no-sign", cat="arguments", where="files", args=SET + ["--adjust", "v1=10"], exit=2,
         see='--adjust "v1=10" is not KEY=+POINTS or KEY=-POINTS; write e.g. --adjust v3=+10 or --adjust v3=-5',
         why="without a sign it could be read as an absolute weight", fix="`--adjust v1=+10`, or `v1=10` as a word"),
    dict(id="adjust-out-of-range", cat="arguments", where="files", args=SET + ["--adjust", "v1=+10"], exit=2,
         see="--adjust v1=+10 would put v1 at 110% (it has 100%); a share stays from 0 to 100",
         why="a share is 0 to 100 %", fix="adjust by less"),
    dict(id="adjust-unknown-key", cat="arguments", where="files", args=SET + ["--adjust", "v3=+10"], exit=2,
         see='--adjust v3: VirtualService istio-demo/reviews http[0] has no destination "v3"; name one of: v1',
         why="`--adjust` changes a destination the route has", fix="add it with `v3=10`"),
    dict(id="adjust-nothing-to-take", cat="arguments", where="files", args=SET + ["--adjust", "v1=-10"], exit=2,
         see="--adjust: VirtualService istio-demo/reviews http[0] has no other unpinned destination to give the "
             "10 points; add one, or set the split with KEY=WEIGHT",
         why="the points go to or come from the other destinations", fix="`reviews v1=90 v3=10`"),
    dict(id="adjust-with-weights", cat="arguments", where="files",
         args=SET + ["v1=100", "--adjust", "v1=-10"], exit=2,
         see="--adjust changes the split relative to now and v1=100 sets it; give KEY=WEIGHT words or --adjust, "
             "not both",
         why="the two would contradict each other", fix="one of them"),
    dict(id="adjust-and-equal", cat="arguments", where="files", args=SET + ["--adjust", "v1=-10", "--equal"],
         exit=2, see="--adjust and --equal are two ways to change the split; choose one",
         why="the two would contradict each other", fix="one of them"),
    dict(id="equal-with-weights", cat="arguments", where="files", args=SET + ["--equal", "v1=50"], exit=2,
         see='--equal takes destination names, not "v1=50"; write e.g. --equal v1 v2 (or --equal alone for every '
             'current destination)',
         why="`--equal` sets the weights itself", fix="`--equal v1 v2`"),
    dict(id="pin-unknown-key", cat="arguments", where="files", args=SET + ["v1=100", "--pin", "v9"], exit=2,
         see='--pin v9: VirtualService istio-demo/reviews http[0] has no destination "v9"; name one of: v1',
         why="a pin keeps a destination the route has", fix="check the name (`shift get`)"),
    dict(id="pin-changed", cat="arguments", where="files", args=SET + ["v1=90", "v3=10", "--pin", "v1"], exit=2,
         see="v1 is pinned at 100% (--pin v1) and the request would set it to 90%; drop --pin v1 or leave v1 at "
             "100%",
         why="the request contradicts the pin", fix="drop the pin, or leave the pinned destination out"),
    dict(id="filename-stdin-twice", cat="manifests", where="files", args=["-f", "-", "-f", "-", "reviews", "v1=100"],
         exit=2, see="-f - reads standard input once; give it one time",
         why="standard input can be read only once", fix="give `-f -` once"),
    dict(id="weight-over-100", cat="arguments", where="files", args=SET + ["v1=101"], exit=2,
         see='weight in "v1=101" is out of range; a weight is a percentage from 0 to 100',
         why="weights are percentages", fix="use 0 to 100"),
    dict(id="weight-negative", cat="arguments", where="files", args=SET + ["v1=-5"], exit=2,
         see='weight in "v1=-5" is out of range; a weight is a percentage from 0 to 100',
         why="weights are percentages", fix="use 0 to 100"),
    dict(id="weight-huge", cat="arguments", where="files", args=SET + ["v1=99999999999999999999"], exit=2,
         see='weight in "v1=99999999999999999999" is out of range; a weight is a percentage from 0 to 100',
         why="a number beyond any integer type is still just out of range", fix="use 0 to 100"),
    dict(id="weights-sum-under", cat="arguments", where="files", args=SET + ["v1=50"], exit=2,
         see="VirtualService istio-demo/reviews http[0]: weights v1=50 sum to 50, not 100; raise one of them by 50",
         why="a partial request needs exactly one unnamed destination to take the rest; here none is left",
         fix="name the whole split (`v1=50 v3=50`), or leave one current destination out"),
    dict(id="weights-sum-over", cat="arguments", where="files", args=SET + ["v1=60", "v3=60"], exit=2,
         see="VirtualService istio-demo/reviews http[0]: weights v1=60 v3=60 sum to 120, not 100; lower them by 20",
         why="a split must add up to 100", fix="lower the weights by the amount named"),
    dict(id="no-weights", cat="arguments", where="files", args=["-f", "vs.yaml", "--in-place", "reviews"], exit=2,
         see="no weights given; name the new split as KEY=WEIGHT, e.g. `kubectl shift reviews v1=50 v3=50`",
         why="only NAME was given", fix="add `KEY=WEIGHT` pairs after NAME"),
    dict(id="not-key-weight", cat="arguments", where="files", args=SET + ["v1"], exit=2,
         see='"v1" is not KEY=WEIGHT; write e.g. v1=50', why="a word after NAME without `=`",
         fix="write `KEY=WEIGHT`"),
    dict(id="empty-key", cat="arguments", where="files", args=SET + ["=50"], exit=2,
         see="\"=50\" has no destination name before '='; write e.g. v1=50", why="the key is missing",
         fix="put the subset (or host) before `=`"),
    dict(id="key-twice", cat="arguments", where="files", args=SET + ["v1=50", "v1=50"], exit=2,
         see='"v1" is given twice; list each destination once', why="one destination, two weights",
         fix="keep one"),
    dict(id="name-after-split", cat="arguments", where="files", args=["-f", "vs.yaml", "v1=100", "reviews"], exit=2,
         see="NAME comes first, then the split: kubectl shift reviews v1=100", why="the words are in the wrong order",
         fix="`kubectl shift NAME KEY=WEIGHT...`"),
    dict(id="unknown-flag", cat="arguments", where="files", args=SET + ["v1=100", "--bogus"], exit=2,
         see="unknown flag --bogus; see kubectl shift --help", why="no such flag", fix="see `kubectl shift --help`"),
    dict(id="flag-of-another-command", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "-f", "vs.yaml"], exit=2,
         see="unknown flag -f for rollout; see kubectl shift rollout --help",
         why="`rollout` works on the cluster only; `-f` belongs to `set` and `get`",
         fix="drop the flag, or use the command it belongs to"),
    dict(id="output-format", cat="arguments", where="files", args=["-f", "vs.yaml", "-o", "xml", "reviews", "v1=100"],
         exit=2, see='invalid -o "xml": use -o yaml or -o json', why="only YAML and JSON are printed",
         fix="`-o yaml` or `-o json`"),
    dict(id="color-value", cat="arguments", where="files", args=SET + ["v1=100", "--color", "maybe"], exit=2,
         see='invalid --color value "maybe": use auto, always or never', why="an unknown colour mode",
         fix="`--color auto|always|never`"),
    dict(id="dry-run-value", cat="arguments", where="files", args=SET + ["v1=100", "--dry-run=maybe"], exit=2,
         see='invalid --dry-run "maybe": use client, server or none', why="an unknown dry-run mode",
         fix="`--dry-run=client|server|none`"),
    dict(id="dry-run-without-equals", cat="arguments", where="files",
         args=["-f", "vs.yaml", "--dry-run", "server", "reviews", "v1=100"], exit=2,
         see="--dry-run server: write --dry-run=server (with =); a bare --dry-run means client",
         why="as in kubectl, the optional value needs `=`", fix="write `--dry-run=server`"),
    dict(id="dry-run-server-on-files", cat="arguments", where="files",
         args=["-f", "vs.yaml", "--dry-run=server", "reviews", "v1=100"], exit=2,
         see="--dry-run=server needs the cluster; drop -f, or use --dry-run=client with files",
         why="only an API server can validate server-side", fix="drop `-f`, or use `--dry-run=client`"),
    dict(id="in-place-without-file", cat="arguments", where="files", args=["--in-place", "reviews", "v1=100"], exit=2,
         see="--in-place rewrites a file; give it with -f FILE (the cluster is changed without it)",
         why="`--in-place` edits manifests", fix="add `-f FILE`, or drop `--in-place` to change the cluster"),
    dict(id="in-place-stdin", cat="arguments", where="files", args=["-f", "-", "--in-place", "reviews", "v1=100"],
         stdin="", exit=2, see="--in-place needs a file, not standard input; give -f FILE",
         why="standard input cannot be rewritten", fix="give `-f FILE`"),
    dict(id="output-and-in-place", cat="arguments", where="files", args=SET + ["v1=100", "-o", "yaml"], exit=2,
         see="-o prints the object and --in-place rewrites the file; choose one", why="two outputs for one result",
         fix="drop one of them"),
    dict(id="missing-file", cat="arguments", where="files", args=["-f", "nope.yaml", "--in-place", "reviews", "v1=100"],
         exit=2, see="cannot read nope.yaml: No such file or directory; check the path given to -f",
         why="the path does not exist", fix="check the path"),
    dict(id="empty-directory", cat="arguments", where="files", files={"empty/.keep": ""},
         args=["-f", "empty", "--in-place", "reviews", "v1=100"], exit=2,
         see="empty holds no .yaml, .yml or .json files; point -f at the manifests",
         why="a directory is read for `*.yaml`, `*.yml` and `*.json` (`-R` for subdirectories)",
         fix="point `-f` at the manifests, or add `-R`"),
    dict(id="get-all-with-name", cat="arguments", where="files", args=["get", "-A", "reviews"], exit=2,
         see="-A lists every VirtualService; drop NAME, or drop -A and give -n NAMESPACE to show reviews",
         why="`-A` and NAME contradict each other", fix="drop one"),
    dict(id="namespace-invalid", cat="arguments", where="files", args=["-n", "Bad_NS", "reviews", "v1=100"], exit=2,
         see='invalid namespace "Bad_NS": a namespace is a DNS-1123 label (lowercase letters, digits and \'-\', '
             'starting and ending with a letter or digit, at most 63 characters)',
         why="no namespace can have that name", fix="check the spelling"),
    dict(id="name-invalid", cat="arguments", where="files", args=["Bad Name", "v1=100"], exit=2,
         see='invalid VirtualService name "Bad Name": a name is a DNS-1123 subdomain (lowercase letters, digits, '
             "'-' and '.', starting and ending with a letter or digit); check the spelling",
         why="no object can have that name", fix="check the spelling"),
    dict(id="expect-malformed", cat="arguments", where="files", args=SET + ["v1=100", "--expect", "v1=abc"], exit=2,
         see='--expect weight in "v1=abc" is not a number; write KEY=WEIGHT with WEIGHT from 0 to 100 (up to three '
             'decimals), e.g. v1=50',
         why="`--expect` takes a split like the request", fix="`--expect v1=75,v3=25`"),
    dict(id="completion-shell", cat="arguments", where="files", args=["completion", "tcsh"], exit=2,
         see='no completion for "tcsh"; use kubectl shift completion bash, zsh or fish',
         why="completion scripts exist for bash, zsh and fish", fix="choose one of them"),
    dict(id="rollout-without-to", cat="arguments", where="files", args=["rollout", "reviews"], exit=2,
         see="say which destination gets the traffic: --to KEY (e.g. --to v3)", why="`--to` is required",
         fix="add `--to KEY`"),
    dict(id="rollout-on-failure", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "--on-failure", "explode"], exit=2,
         see='invalid --on-failure "explode": use rollback or hold', why="an unknown policy",
         fix="`--on-failure rollback|hold`"),
    dict(id="rollout-max-failures", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "--max-failures", "-1"], exit=2,
         see="--max-failures must be 0 or more", why="a count of retries", fix="0 or more"),
    dict(id="rollout-analysis-gate", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "--analysis", "latency-p98<=1s"], exit=2,
         see='invalid --analysis "latency-p98<=1s": the latency quantiles are p50, p90, p95 and p99; use '
             "success-rate>=PERCENT, latency-p50|p90|p95|p99<=DURATION (e.g. 500ms) or 'QUERY>=NUMBER'",
         why="a gate is a built-in name or a PromQL query, a comparison and a number",
         fix="`--analysis success-rate>=99`, `--analysis latency-p99<=500ms`"),
    dict(id="rollout-analysis-without-prometheus", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "--analysis", "success-rate>=99"], exit=2,
         see="say where Prometheus is: --prometheus URL (or SHIFT_PROMETHEUS_URL), or --prometheus-service "
             "NAMESPACE/NAME:PORT (e.g. istio-system/prometheus:9090)",
         why="gates are judged from Prometheus", fix="`--prometheus-service istio-system/prometheus:9090`"),
    dict(id="rollout-inconclusive", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "--analysis", "success-rate>=99", "--prometheus",
               "http://127.0.0.1:9090", "--inconclusive", "maybe"], exit=2,
         see='invalid --inconclusive "maybe": use fail or pass', why="a gate without enough traffic is one or the other",
         fix="`--inconclusive fail|pass`"),
    dict(id="verify-tolerance", cat="arguments", where="files",
         args=["verify", "reviews", "--prometheus", "http://127.0.0.1:9090", "--tolerance", "200"], exit=2,
         see="--tolerance is percentage points, from 0 to 100", why="a destination's share is 0 to 100 %",
         fix="e.g. `--tolerance 5`"),
    dict(id="verify-prometheus-service", cat="arguments", where="files",
         args=["verify", "reviews", "--prometheus-service", "prometheus"], exit=2,
         see='invalid --prometheus-service "prometheus": use NAMESPACE/NAME:PORT, e.g. istio-system/prometheus:9090',
         why="the service proxy needs the namespace, the Service and its port",
         fix="`--prometheus-service istio-system/prometheus:9090`"),
    dict(id="rollout-history-limit", cat="arguments", where="files",
         args=["rollout", "reviews", "--to", "v3", "--history-limit", "0"], exit=2,
         see="--history-limit must be 1 or more", why="the history keeps at least the last revision",
         fix="1 or more"),

    # ---- durations and steps ----
    dict(id="timeout-not-a-duration", cat="durations", where="files", args=SET + ["v1=100", "--request-timeout", "abc"],
         exit=2, see='invalid --request-timeout "abc": not a duration; use a duration such as 500ms, 30s, 2m, 1h30m or 0',
         why="kubectl's duration syntax", fix="`500ms`, `30s`, `2m`, `1h30m`, or `0` for none"),
    dict(id="timeout-negative", cat="durations", where="files", args=SET + ["v1=100", "--request-timeout=-1s"], exit=2,
         see='invalid --request-timeout "-1s": negative; use a duration such as 500ms, 30s, 2m, 1h30m or 0',
         why="a timeout cannot be negative", fix="use `0` for no timeout"),
    dict(id="timeout-huge", cat="durations", where="files", args=SET + ["v1=100", "--request-timeout", "99999999999h"],
         exit=2, see='invalid --request-timeout "99999999999h": too long; use a duration such as 500ms, 30s, 2m, '
                     "1h30m or 0", why="beyond what a clock can count", fix="use `0` for no timeout"),
    dict(id="timeout-two-dots", cat="durations", where="files", args=SET + ["v1=100", "--request-timeout", "1.5.s"],
         exit=2, see='invalid --request-timeout "1.5.s": not a duration; use a duration such as 500ms, 30s, 2m, '
                     "1h30m or 0", why="a malformed number", fix="`1.5s`"),
    dict(id="interval-unit", cat="durations", where="files", args=["rollout", "reviews", "--to", "v3", "--interval", "2x"],
         exit=2, see='invalid --interval "2x": not a duration; use a duration such as 500ms, 30s, 2m, 1h30m or 0',
         why="unknown unit", fix="units are `ms`, `s`, `m`, `h`"),
    dict(id="interval-empty", cat="durations", where="files", args=["rollout", "reviews", "--to", "v3", "--interval", ""],
         exit=2, see='invalid --interval "": empty; use a duration such as 500ms, 30s, 2m, 1h30m or 0',
         why="an empty value", fix="give a duration"),
    dict(id="interval-overflow", cat="durations", where="files",
         args=["rollout", "reviews", "--to", "v3", "--interval", "10000000000000000000s"], exit=2,
         see='invalid --interval "10000000000000000000s": too long; use a duration such as 500ms, 30s, 2m, '
             "1h30m or 0", why="beyond what a clock can count", fix="a shorter interval"),
    dict(id="check-timeout-negative", cat="durations", where="files",
         args=["rollout", "reviews", "--to", "v3", "--check-timeout=-5s"], exit=2,
         see='invalid --check-timeout "-5s": negative; use a duration such as 500ms, 30s, 2m, 1h30m or 0',
         why="a timeout cannot be negative", fix="a positive duration"),
    dict(id="steps-falling", cat="durations", where="files", args=["rollout", "reviews", "--to", "v3", "--steps", "10,5"],
         exit=2, see="--steps 10,5: steps must rise (5 after 10); write e.g. --steps 10,25,50,100",
         why="each step gives KEY more traffic", fix="list rising percentages"),
    dict(id="steps-empty-item", cat="durations", where="files",
         args=["rollout", "reviews", "--to", "v3", "--steps", "10,,50"], exit=2,
         see='--steps 10,,50: "" is not a percentage from 0 to 100; write e.g. --steps 10,25,50,100',
         why="two commas", fix="one comma between steps"),
    dict(id="steps-over-100", cat="durations", where="files", args=["rollout", "reviews", "--to", "v3", "--steps", "150"],
         exit=2, see='--steps 150: "150" is not a percentage from 0 to 100; write e.g. --steps 10,25,50,100',
         why="steps are percentages", fix="0 to 100"),

    # ---- selectors ----
    dict(id="route-no-match", cat="selectors", where="files", args=SET + ["v1=100", "--route", "nope"], exit=2,
         see="--route nope matches no rule of VirtualService istio-demo/reviews; its rules: http[0] (no match: catch-all)",
         why="no rule has that name, index or LIST:INDEX", fix="pick one of the rules listed"),
    dict(id="route-empty", cat="selectors", where="files", args=SET + ["v1=100", "--route", ""], exit=2,
         see="--route needs a value: a rule name, an index into http, or LIST:INDEX; the rules of VirtualService "
             "istio-demo/reviews: http[0] (no match: catch-all)",
         why="an empty selector", fix="pick one of the rules listed"),
    dict(id="route-index-out-of-range", cat="selectors", where="files", args=SET + ["v1=100", "--route", "7"], exit=2,
         see="--route 7 matches no rule of VirtualService istio-demo/reviews; its rules: http[0] (no match: catch-all)",
         why="there is no http[7]", fix="pick one of the rules listed"),
    dict(id="route-list-absent", cat="selectors", where="files", args=SET + ["v1=100", "--route", "tcp:0"], exit=2,
         see="--route tcp:0 matches no rule of VirtualService istio-demo/reviews; its rules: http[0] (no match: "
             "catch-all)", why="the VirtualService has no tcp rules", fix="pick one of the rules listed"),
    dict(id="route-ambiguous", cat="selectors", where="files",
         files={M: route(*dest("v1")) + "  - route:\n" + "".join("    " + x + "\n" for x in dest("v1"))},
         args=SET_M, exit=2,
         see="VirtualService reviews has 2 rules and no single catch-all http rule; choose with --route "
             "NAME|INDEX|LIST:INDEX: http[0] (no match: catch-all); http[1] (no match: catch-all)",
         why="shift targets the only rule, or the one http rule without `match`", fix="choose with `--route`"),
    dict(id="key-ambiguous", cat="selectors", where="files", files={M: route(*dest("v1"), *dest("v1"))},
         args=SET_M, exit=2,
         see='VirtualService reviews http[0]: "v1" matches 2 destinations (reviews/v1, reviews/v1); name one as '
             "HOST/SUBSET", why="two destinations answer to the key", fix="name it as `HOST/SUBSET`"),
    dict(id="subset-undefined", cat="selectors", where="files", args=SET + ["v9=100"], exit=2,
         see='subset "v9" of host reviews is not defined by its DestinationRule (defined: v1, v2, v3); Istio would '
             "answer 503 — define it first, or pass --no-validate",
         why="traffic to an undefined subset fails (503, no healthy upstream)",
         fix="define the subset in the DestinationRule first"),
    dict(id="subset-of-unknown-host", cat="selectors", where="files", args=SET + ["other/v1=50", "v1=50"], exit=2,
         see='subset "v1" of host other: no DestinationRule for other.istio-demo.svc.cluster.local in namespace '
             "istio-demo, the service's or istio-system defines subsets; Istio would answer 503 — create one with "
             "subset v1, or pass --no-validate",
         why="no DestinationRule covers that host", fix="create one, or check the host's name"),
    dict(id="virtualservice-not-in-file", cat="selectors", where="files", args=["-f", "vs.yaml", "--in-place",
                                                                               "ratings", "v1=100"], exit=2,
         see='no VirtualService named "ratings" in vs.yaml; it holds: istio-demo/reviews',
         why="the file defines other VirtualServices", fix="check NAME, or point `-f` at the right file"),

    # ---- manifests ----
    dict(id="yaml-unclosed-flow", cat="manifests", where="files",
         files={M: "kind: VirtualService\nmetadata: {name: reviews\n"}, args=SET_M, exit=2,
         see="m.yaml:3:1: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping; fix the file "
             "and retry", why="a `{` without its `}`", fix="fix the line named"),
    dict(id="yaml-tab-indent", cat="manifests", where="files", files={M: "kind: VirtualService\n\tmetadata:\n"},
         args=SET_M, exit=2,
         see="m.yaml:2:1: invalid YAML: found a tab character that violates indentation while scanning a plain "
             "scalar; fix the file and retry", why="YAML indents with spaces", fix="replace the tab by spaces"),
    dict(id="yaml-duplicate-key", cat="manifests", where="files",
         files={M: "kind: VirtualService\nkind: VirtualService\nmetadata:\n  name: reviews\n"}, args=SET_M, exit=2,
         see='m.yaml:2:1: invalid YAML: duplicate key "kind"; fix the file and retry',
         why="as kubectl, a key may appear once", fix="remove one"),
    dict(id="yaml-duplicate-nested-key", cat="manifests", where="files",
         files={M: route("- destination:", "    host: reviews", "    subset: v1", "    subset: v2")}, args=SET_M,
         exit=2, see='m.yaml:11:9: invalid YAML: duplicate key "subset"; fix the file and retry',
         why="as kubectl, a key may appear once", fix="remove one"),
    dict(id="yaml-bad-escape", cat="manifests", where="files",
         files={M: 'kind: VirtualService\nmetadata:\n  name: "\\xzz"\n'}, args=SET_M, exit=2,
         see="m.yaml:3:12: invalid YAML: did not find expected hexdecimal number while parsing a quoted scalar; fix "
             "the file and retry", why="`\\x` takes two hex digits in a double-quoted string",
         fix="single-quote the value, or escape the backslash"),
    dict(id="yaml-unknown-anchor", cat="manifests", where="files",
         files={M: "kind: VirtualService\nmetadata:\n  name: *nope\n"}, args=SET_M, exit=2,
         see='m.yaml:3:9: invalid YAML: unknown anchor "nope" referenced; fix the file and retry',
         why="an alias without its anchor", fix="define `&nope` first, or quote the value"),
    dict(id="yaml-invalid-utf8", cat="manifests", where="files",
         files={M: b"kind: VirtualService\nmetadata:\n  name: rev\xffiews\n"}, args=SET_M, exit=2,
         see="m.yaml:3:12: invalid YAML: invalid leading UTF-8 octet; fix the file and retry",
         why="the file is not UTF-8", fix="re-save it as UTF-8"),
    dict(id="yaml-control-character", cat="manifests", where="files", files={M: b"kind: Virtual\x00Service\n"},
         args=SET_M, exit=2, see="m.yaml:1:14: invalid YAML: control characters are not allowed; fix the file and retry",
         why="a NUL or other control byte (a binary file?)", fix="point `-f` at the manifest"),
    dict(id="yaml-alias-bomb", cat="manifests", where="files", files={M: "GENERATED alias-bomb"}, args=SET_M, exit=2,
         see="m.yaml: invalid YAML: document contains excessive aliasing; fix the file and retry",
         why="aliases that would expand to billions of nodes (\"billion laughs\")", fix="do not trust the file"),
    dict(id="yaml-deep-nesting", cat="manifests", where="files", files={M: "GENERATED deep-yaml"}, args=SET_M, exit=2,
         see="m.yaml:2:10006: invalid YAML: nesting exceeds the maximum depth of 10000; fix the file and retry",
         why="kubectl's limit: deeper input would overflow the stack", fix="do not trust the file"),
    dict(id="yaml-50mb-broken-at-the-end", cat="manifests", where="files", files={M: "GENERATED 50mb-broken"},
         args=SET_M, exit=2,
         see="m.yaml:11:1: invalid YAML: found unexpected end of stream while scanning a quoted scalar; fix the file "
             "and retry", match=r"m\.yaml:\d+:1: invalid YAML: found unexpected end of stream while scanning a "
                                r"quoted scalar; fix the file and retry",
         why="a 50 MB file whose last quote never closes: read to the end, refused whole", fix="fix the line named"),
    dict(id="json-trailing-comma", cat="manifests", where="files",
         files={"m.json": '{"kind": "VirtualService", "metadata": {"name": "reviews"},}'},
         args=["-f", "m.json", "--in-place", "reviews", "v1=100"], exit=2,
         see="m.json:1:60: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string "
             "literal; fix the file and retry", why="JSON allows no trailing comma", fix="remove it"),
    dict(id="json-duplicate-key", cat="manifests", where="files",
         files={"m.json": '{"kind": "VirtualService", "kind": "VirtualService", "metadata": {"name": "reviews"}}'},
         args=["-f", "m.json", "--in-place", "reviews", "v1=100"], exit=2,
         see='m.json: invalid JSON: duplicate key "kind"; fix the file and retry',
         why="as kubectl, a key may appear once", fix="remove one"),
    dict(id="json-number-overflow", cat="manifests", where="files",
         files={"m.json": '{"kind": "VirtualService", "metadata": {"name": "reviews"}, "spec": {"http": [{"route": '
                          '[{"destination": {"host": "reviews", "subset": "v1"}, "weight": 1e400}]}]}}'},
         args=["-f", "m.json", "--in-place", "reviews", "v1=100"], exit=2,
         see="m.json: invalid JSON: number overflow parsing '1e400'; fix the file and retry",
         why="a number beyond a double", fix="fix the number"),
    dict(id="json-deep-nesting", cat="manifests", where="files", files={"m.json": "GENERATED deep-json"},
         args=["-f", "m.json", "--in-place", "reviews", "v1=100"], exit=2,
         see="m.json:1:10036: invalid JSON: nesting exceeds the maximum depth of 10000; fix the file and retry",
         match=r"m\.json(:\d+:\d+)?: invalid JSON: nesting exceeds the maximum depth of 10000; fix the file and retry",
         why="Go's encoding/json limit, which kubectl inherits", fix="do not trust the file"),
    dict(id="no-virtualservice", cat="manifests", where="files", files={M: "kind: Deployment\nmetadata:\n  name: reviews\n"},
         args=SET_M, exit=2, see='m.yaml holds no VirtualService; point -f at the manifest that defines "reviews"',
         why="the file holds other kinds only", fix="point `-f` at the right file"),
    dict(id="empty-manifest", cat="manifests", where="files", files={M: ""}, args=SET_M, exit=2,
         see='m.yaml holds no VirtualService; point -f at the manifest that defines "reviews"',
         why="an empty file", fix="point `-f` at the right file"),
    dict(id="not-a-mapping", cat="manifests", where="files", files={M: "- a\n- b\n"}, args=SET_M, exit=2,
         see='m.yaml holds no VirtualService; point -f at the manifest that defines "reviews"',
         why="a YAML list, not an object", fix="point `-f` at the right file"),
    dict(id="list-items-not-a-list", cat="manifests", where="files", files={M: "kind: List\nitems: 5\n"}, args=SET_M,
         exit=2, see='m.yaml holds no VirtualService; point -f at the manifest that defines "reviews"',
         why="`kind: List` with no list of items", fix="fix `items`"),
    dict(id="metadata-name-missing", cat="manifests", where="files", files={M: "kind: VirtualService\nspec: {}\n"},
         args=SET_M, exit=2,
         see='no VirtualService named "reviews" in m.yaml; it holds: a VirtualService without metadata.name',
         why="every object needs `metadata.name`", fix="add it"),
    dict(id="metadata-name-not-a-string", cat="manifests", where="files",
         files={M: "kind: VirtualService\nmetadata:\n  name: [reviews]\n"}, args=SET_M, exit=2,
         see='no VirtualService named "reviews" in m.yaml; it holds: a VirtualService without metadata.name',
         why="`metadata.name` is a list here", fix="make it a string"),
    dict(id="spec-missing", cat="manifests", where="files", files={M: "kind: VirtualService\nmetadata:\n  name: reviews\n"},
         args=SET_M, exit=2, see="VirtualService reviews has no spec; fix the manifest", why="no `spec`",
         fix="add `spec.hosts` and `spec.http`"),
    dict(id="http-not-a-list", cat="manifests", where="files",
         files={M: "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http: {}\n"}, args=SET_M, exit=2,
         see="VirtualService reviews: spec.http is not a list; fix the manifest", why="`http` must be a list of rules",
         fix="write `http:` as a list (`- route: ...`)"),
    dict(id="route-empty-list", cat="manifests", where="files",
         files={M: VS_HEAD.replace("  - route:\n", "  - route: []\n")}, args=SET_M, exit=2,
         see='VirtualService reviews http[0] has no destinations to copy "v1" from; add one to the manifest first',
         why="a new destination copies a sibling's host and port; there is none", fix="add a destination first"),
    dict(id="destination-without-host", cat="manifests", where="files", files={M: route("- weight: 100")},
         args=SET_M, exit=2, see="VirtualService reviews: spec.http[0].route[0] has no destination.host; fix the "
                                 "manifest", why="Istio requires `destination.host`", fix="add it"),
    dict(id="weight-string", cat="manifests", where="files", files={M: route(*dest("v1", '"50"'), *dest("v3", 50))},
         args=SET_M, exit=2,
         see='VirtualService reviews: spec.http[0].route[0].weight "50" is not an integer; fix the manifest',
         why="a quoted weight is a string; Istio's schema wants an integer", fix="unquote it"),
    dict(id="weight-float", cat="manifests", where="files",
         files={M: route(*dest("v1", "50.5"), *dest("v3", "49.5"))}, args=SET_M, exit=2,
         see='VirtualService reviews: spec.http[0].route[0].weight "50.5" is not an integer; fix the manifest',
         why="weights are whole percentages", fix="round it"),
    dict(id="weight-list", cat="manifests", where="files", files={M: route(*dest("v1", "[1]"))}, args=SET_M, exit=2,
         see="VirtualService reviews: spec.http[0].route[0].weight is a list, not an integer; fix the manifest",
         why="a weight is one integer", fix="write one number"),
    dict(id="weight-bool", cat="manifests", where="files", files={M: route(*dest("v1", "true"))}, args=SET_M, exit=2,
         see='VirtualService reviews: spec.http[0].route[0].weight "true" is not an integer; fix the manifest',
         why="a weight is one integer", fix="write one number"),
    dict(id="weight-huge-number", cat="manifests", where="files",
         files={M: route(*dest("v1", "99999999999999999999999"))}, args=SET_M, exit=2,
         see='VirtualService reviews: spec.http[0].route[0].weight "99999999999999999999999" is not an integer; '
             "fix the manifest", why="beyond any integer", fix="use 0 to 100"),

    # ---- kubeconfigs ----
    dict(id="kubeconfig-not-yaml", cat="kubeconfigs", where="kubeconfig", kubeconfig="clusters: [\n", args=KC_SET,
         exit=2, see="kubeconfig kc: not valid YAML (line 2: did not find expected node content while parsing a "
                     "flow node)", why="a syntax error", fix="fix the file (`kubectl config view` reads it too)"),
    dict(id="kubeconfig-empty", cat="kubeconfigs", where="kubeconfig", kubeconfig="", args=KC_SET, exit=2,
         see="kubeconfig kc defines no context; point KUBECONFIG or --kubeconfig at a complete one",
         why="the file is empty", fix="`kubectl config` commands fill it"),
    dict(id="kubeconfig-missing", cat="kubeconfigs", where="kubeconfig", kubeconfig=None,
         args=["--kubeconfig", "nope", "reviews", "v1=100"], exit=2,
         see="cannot read kubeconfig nope: No such file or directory", why="`--kubeconfig` names a missing file",
         fix="check the path"),
    dict(id="kubeconfig-no-contexts", cat="kubeconfigs", where="kubeconfig", kubeconfig=kubeconfig(contexts="contexts: []\n"),
         args=KC_SET, exit=2, see='context "ctx" not found in kubeconfig; there are none',
         why="current-context names a context the file lacks", fix="`kubectl config set-context`"),
    dict(id="kubeconfig-context-flag", cat="kubeconfigs", where="kubeconfig", kubeconfig=kubeconfig(),
         args=["--context", "nope"] + KC_SET, exit=2, see='context "nope" not found in kubeconfig; contexts: ctx',
         why="no such context", fix="pick one listed (`kubectl config get-contexts`)"),
    dict(id="kubeconfig-no-current-context", cat="kubeconfigs", where="kubeconfig", kubeconfig=kubeconfig(current=""),
         args=KC_SET, exit=2, see="no current-context in kubeconfig; pass --context; contexts: ctx",
         why="nothing chooses a context", fix="`--context`, or `kubectl config use-context`"),
    dict(id="kubeconfig-context-cluster-missing", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(contexts="contexts:\n- name: ctx\n  context:\n    cluster: nope\n    user: u\n"),
         args=KC_SET, exit=2, see='context "ctx" refers to cluster "nope", which is not in kubeconfig',
         why="a dangling reference", fix="fix the context's `cluster`"),
    dict(id="kubeconfig-context-user-missing", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(contexts="contexts:\n- name: ctx\n  context:\n    cluster: c\n    user: nope\n"),
         args=KC_SET, exit=2, see='context "ctx" refers to user "nope", which is not in kubeconfig',
         why="a dangling reference", fix="fix the context's `user`"),
    dict(id="kubeconfig-no-server", cat="kubeconfigs", where="kubeconfig", kubeconfig=kubeconfig(cluster="    {}\n"),
         args=KC_SET, exit=2, see='cluster "c" of context "ctx" has no server', why="`server` is missing",
         fix="add `server: https://HOST:PORT`"),
    dict(id="kubeconfig-server-scheme", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(cluster="    server: ftp://127.0.0.1\n"), args=KC_SET, exit=2,
         see='the server of cluster "c" is not an https:// or http:// URL; fix server in kubeconfig context "ctx"',
         why="the API is HTTP(S)", fix="`server: https://HOST:PORT`"),
    dict(id="kubeconfig-server-space", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(cluster="    server: 'https://exa mple.com'\n"), args=KC_SET, exit=2,
         see='the server of cluster "c" is not a valid URL (it holds a space); fix server in kubeconfig context "ctx"',
         why="a URL cannot hold a space", fix="fix `server`"),
    dict(id="kubeconfig-ca-data-not-base64", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(cluster="    server: https://127.0.0.1:1\n    certificate-authority-data: '!!!'\n"),
         args=KC_SET, exit=2, see='kubeconfig kc: certificate-authority-data of cluster "c" is not valid base64',
         why="`-data` fields hold base64", fix="`base64 -w0 ca.crt`"),
    dict(id="kubeconfig-insecure-not-bool", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(cluster="    server: https://127.0.0.1:1\n    insecure-skip-tls-verify: maybe\n"),
         args=KC_SET, exit=2,
         see='kubeconfig kc: insecure-skip-tls-verify of cluster "c" is "maybe"; write true or false',
         why="a boolean field (kubectl refuses it too)", fix="`true` or `false`"),
    dict(id="kubeconfig-users-not-a-list", cat="kubeconfigs", where="kubeconfig",
         kubeconfig="apiVersion: v1\nkind: Config\nusers: 5\n", args=KC_SET, exit=2,
         see="kubeconfig kc: users must be a list", why="a malformed section", fix="fix the file"),
    dict(id="kubeconfig-token-file-missing", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(user="    tokenFile: /nonexistent/token\n"), args=KC_SET, exit=2,
         see='cannot read token file /nonexistent/token: No such file or directory; fix tokenFile in kubeconfig '
             'context "ctx"', why="the file is gone (a rotated secret?)", fix="fix `tokenFile`"),
    dict(id="kubeconfig-cert-without-key", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(user="    client-certificate: /nonexistent.crt\n"), args=KC_SET, exit=2,
         see='user "u" sets a client certificate without a client key', why="half a key pair",
         fix="add `client-key` (or `client-key-data`)"),
    dict(id="kubeconfig-token-and-password", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(user="    token: t0ken\n    username: alice\n    password: pw\n"), args=KC_SET, exit=2,
         see='user "u" sets both a token and username/password; keep one', why="two ways to log in",
         fix="keep one"),
    dict(id="kubeconfig-auth-provider", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(user="    auth-provider:\n      name: gcp\n"), args=KC_SET, exit=2,
         see='user "u" uses auth-provider "gcp", which shift does not support; switch to an exec credential plugin '
             "(e.g. gke-gcloud-auth-plugin, kubelogin)", why="auth-providers were removed from kubectl 1.26",
         fix="an exec plugin"),
    dict(id="kubeconfig-exec-api-version", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(user="    exec:\n      apiVersion: client.authentication.k8s.io/v9\n      command: x\n"),
         args=KC_SET, exit=2,
         see='exec plugin of user "u": apiVersion "client.authentication.k8s.io/v9" is not supported; use '
             "client.authentication.k8s.io/v1 or v1beta1", why="an unknown ExecCredential version",
         fix="`v1` or `v1beta1`"),
    dict(id="kubeconfig-exec-interactive-mode", cat="kubeconfigs", where="kubeconfig",
         kubeconfig=kubeconfig(user="    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: x\n"),
         args=KC_SET, exit=2,
         see='interactiveMode must be specified for user "u" to use exec authentication plugin',
         why="client-go requires it for v1", fix="add `interactiveMode: Never` (or `IfAvailable`)"),
    dict(id="kubeconfig-as-group-without-as", cat="kubeconfigs", where="kubeconfig", kubeconfig=kubeconfig(),
         args=KC_SET + ["--as-group", "g"], exit=2,
         see='requesting uid, groups or user-extra for user "u" without impersonating a user; add --as USER',
         why="as kubectl: a group is impersonated with a user", fix="add `--as USER`"),

    # ---- server answers ----
    dict(id="server-not-found", cat="server", where="server", args=["-n", "NS", "ratings", "v1=100"], exit=3,
         see='virtualservice "ratings" not found in namespace "demo"; virtualservices there: reviews',
         match=r'virtualservice "ratings" not found in namespace "[a-z0-9-]+"; virtualservices there: reviews',
         why="a typo, or another namespace", fix="check NAME and `-n`"),
    dict(id="server-unauthorized", cat="server", where="server", user={"token": "not-a-valid-token"},
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=3,
         see='the server rejected the credentials of context "ctx" (401 Unauthorized); check the token or certificate',
         why="an expired or wrong token or certificate", fix="log in again (`kubectl` would fail too)"),
    dict(id="server-forbidden", cat="server", where="server", user="nobody", args=["-n", "NS", "reviews", "v1=50", "v3=50"],
         exit=3, see='forbidden: User "nobody" cannot get virtualservices.networking.istio.io in namespace "demo"; '
                     "ask for RBAC get on virtualservices",
         match=r'forbidden: User "nobody" cannot get virtualservices\.networking\.istio\.io in namespace '
               r'"[a-z0-9-]+"; ask for RBAC get on virtualservices',
         why="RBAC: the user may not read (or update) VirtualServices there",
         fix="ask for the `get` and `update` verbs on `virtualservices`"),
    dict(id="server-tls-unknown-ca", cat="server", where="server", cluster={"certificate-authority": "DIR/admin.crt"},
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=3,
         see="cannot verify the TLS certificate of https://127.0.0.1:6443: SSL certificate problem: self-signed "
             'certificate in certificate chain; check certificate-authority in kubeconfig context "ctx"',
         match=r"cannot verify the TLS certificate of https://127\.0\.0\.1:\d+: SSL certificate problem: .*; check "
               r'certificate-authority in kubeconfig context "ctx"',
         why="the kubeconfig's CA did not sign the server's certificate", fix="fix `certificate-authority(-data)`"),
    dict(id="server-plain-http", cat="server", where="server", cluster={"server": "HTTPURL"},
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=3,
         see="http://127.0.0.1:6443 answered plain HTTP with empty reply from server: the server speaks HTTPS; "
             'change the server URL to https://127.0.0.1:6443 in kubeconfig context "ctx"',
         match=r"http://127\.0\.0\.1:\d+ answered plain HTTP with .*: the server speaks HTTPS; change the server URL "
               r'to https://127\.0\.0\.1:\d+ in kubeconfig context "ctx"', why="`http://` to an HTTPS port",
         fix="`https://`"),
    dict(id="server-500", cat="server", where="server", faults=[{"type": "error", "status": 500, "count": -1}],
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=3,
         see='get virtualservice "reviews" failed: 500 Internal Server Error: Internal error occurred: injected fault',
         why="the API server failed (after shift's retries)", fix="retry later; check the API server's health"),
    dict(id="server-throttled", cat="server", where="server",
         faults=[{"type": "throttle", "retryAfter": 0, "count": -1}], args=["-n", "NS", "reviews", "v1=50", "v3=50"],
         exit=3, see="the server is too busy (429 Too Many Requests) to get virtualservices; try again shortly",
         why="API priority and fairness kept refusing (after shift's retries)", fix="retry later"),
    dict(id="server-reset", cat="server", where="server", faults=[{"type": "reset", "count": -1}],
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=3,
         see="the connection to https://127.0.0.1:6443 broke during GET /apis/networking.istio.io/v1/namespaces/demo/"
             "virtualservices/reviews (recv failure: Connection reset by peer); check the network and any proxy or "
             "load balancer in between",
         match=r"the connection to https://127\.0\.0\.1:\d+ broke during GET /apis/networking\.istio\.io/v1/"
               r"namespaces/[a-z0-9-]+/virtualservices/reviews \(recv failure: Connection reset by peer\); check the "
               r"network and any proxy or load balancer in between",
         why="the connection broke on every attempt", fix="check the network, a proxy, and the API server"),
    dict(id="server-timeout", cat="server", where="server", faults=[{"type": "delay", "ms": 3000, "count": -1}],
         args=["-n", "NS", "reviews", "v1=50", "v3=50", "--request-timeout", "300ms"], exit=3,
         see="https://127.0.0.1:6443 did not answer GET /apis/networking.istio.io/v1/namespaces/demo/virtualservices/"
             "reviews within 0.3s; check the network or raise --request-timeout",
         match=r"https://127\.0\.0\.1:\d+ did not answer GET /apis/networking\.istio\.io/v1/namespaces/[a-z0-9-]+/"
               r"virtualservices/reviews within 0\.3s; check the network or raise --request-timeout",
         why="the server answered too slowly", fix="raise `--request-timeout`, or check the API server"),
    dict(id="server-rejects-put", cat="server", where="server",
         faults=[{"type": "error", "status": 422, "method": "PUT", "message": "spec.http[0]: injected invalid",
                  "count": -1}],
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=3,
         see="the server rejected the change: spec.http[0]: injected invalid",
         why="admission or schema validation refused the new object",
         fix="read the reason; `--dry-run=server` shows it without writing"),
    dict(id="server-conflict-forever", cat="server", where="server", faults=[{"type": "conflict", "count": -1}],
         args=["-n", "NS", "reviews", "v1=50", "v3=50"], exit=4,
         see='virtualservice "reviews" in namespace "demo" kept changing on the server: gave up after 8 attempts, '
             "nothing applied; retry when other writers are done",
         match=r'virtualservice "reviews" in namespace "[a-z0-9-]+" kept changing on the server: gave up after 8 '
               r"attempts, nothing applied; retry when other writers are done",
         warn=r'warning: virtualservice "reviews" changed on the server while shifting \(409 Conflict\); re-reading '
              r"it and planning again \(attempt \d of 8\)",
         why="another writer changed it on every attempt", fix="find the other writer (Argo CD?), then retry"),
]
