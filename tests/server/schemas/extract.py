#!/usr/bin/env python3
"""Regenerates the OpenAPI schemas that apiserver.py validates against.

Maintainer tool, not run by the tests (needs PyYAML): reads the Istio CRD files and writes
<era>-<plural>.json holding the openAPIV3Schema of each served version (identical across versions
in both eras, so one file per era and resource).
usage: extract.py CURRENT_CRDS.yaml CRDS_1.8_AS_V1.yaml
"""
import json, os, sys
import yaml

WANTED = ("virtualservices.networking.istio.io", "destinationrules.networking.istio.io",
          "serviceentries.networking.istio.io")
here = os.path.dirname(os.path.abspath(__file__))
for path, era in zip(sys.argv[1:3], ("current", "1.8")):
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") != "CustomResourceDefinition" or doc["metadata"]["name"] not in WANTED:
            continue
        schemas = {json.dumps(v["schema"]["openAPIV3Schema"], sort_keys=True) for v in doc["spec"]["versions"]}
        assert len(schemas) == 1, "versions differ in schema"
        plural = doc["spec"]["names"]["plural"]
        with open(os.path.join(here, "%s-%s.json" % (era, plural)), "w") as f:
            json.dump(json.loads(schemas.pop()), f, sort_keys=True, separators=(",", ":"))
            f.write("\n")
