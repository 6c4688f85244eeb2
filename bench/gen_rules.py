#!/usr/bin/env python3
"""Write a large VirtualService (and its DestinationRule) for shift's file-mode benchmark.

    python3 bench/gen_rules.py [--rules 10000] [-o FILE]

Every http rule has a name (rule-00000 ...), a header+uri match and a route of two weighted
destinations (v1 90 / v2 10), laid out as kubectl prints YAML. bench/run.py shifts the middle
rule with --route rule-NNNNN.
"""
import argparse
import sys


def vs_yaml(rules):
    out = ["apiVersion: networking.istio.io/v1", "kind: VirtualService", "metadata:", "  name: reviews",
           "  namespace: istio-demo", "spec:", "  hosts:", "  - reviews", "  http:"]
    for i in range(rules):
        out += [
            f"  - name: rule-{i:05d}",
            "    match:",
            "    - headers:",
            "        end-user:",
            f"          exact: user-{i:05d}",
            "      uri:",
            f"        prefix: /reviews/{i}",
            "    route:",
            "    - destination:",
            "        host: reviews",
            "        subset: v1",
            "      weight: 90",
            "    - destination:",
            "        host: reviews",
            "        subset: v2",
            "      weight: 10",
        ]
    return "\n".join(out) + "\n"


DESTINATION_RULE = """apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: istio-demo
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
"""


def manifest(rules):
    return vs_yaml(rules) + "---\n" + DESTINATION_RULE


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", type=int, default=10000)
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    text = manifest(a.rules)
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
