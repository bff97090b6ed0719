#!/usr/bin/env python3
"""Validate YAML files against schemas/outboundctl.schema.json with the jsonschema package.

Usage: scripts/check-schema.py FILE...  Prints one line per invalid file; exit 1 if any is.
Dates stay strings (as outboundctl reads them), not Python dates.
"""
import json
import pathlib
import sys

import jsonschema
import yaml


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

schema_path = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "outboundctl.schema.json"
schema = json.loads(schema_path.read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failed = 0
for name in sys.argv[1:]:
    document = yaml.load(pathlib.Path(name).read_text(), Loader=Loader)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    if errors:
        failed += 1
        first = errors[0]
        print(f"{name}: {'.'.join(str(p) for p in first.path) or '(top)'}: {first.message}")
sys.exit(1 if failed else 0)
