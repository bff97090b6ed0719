#!/usr/bin/env python3
"""Check a Webex Contact Center export (the input of `import webex`, SPEC §9) against Cisco's
OpenAPI document, so that the import's test fixtures cannot drift from the real API.

Usage: scripts/webex-fixture-check.py DIR   Prints one line per error ("FILE: JSON-PATH: message")
and exits 1 if there is any; prints what it checked and exits 0 otherwise.

The document is the repository's copy, Tests/Fixtures/webex/webex-contact-center.json (CC BY 4.0,
see the README beside it). Two changes are made to it in memory, never on disk:
- Java-only regular expressions are made portable: `\\d-_` inside a class is a range to Python's
  `re`, to Java the literal hyphen it was meant as; it is escaped.
- Objects are closed (`additionalProperties: false` wherever the document leaves it open), so a
  fixture field whose name is not in Cisco's schema (a typo, a field of another endpoint) is an
  error instead of being ignored. The import itself must tolerate such fields; fixtures must not
  invent them.
"""
import json
import pathlib
import re
import sys

try:
    from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
except ImportError:
    print("webex-fixture-check: the Python module openapi_schema_validator is missing; "
          "install it with `python3 -m pip install openapi-schema-validator` (scripts/test.sh does)",
          file=sys.stderr)
    sys.exit(2)

from webex_lists import ITEM_SCHEMAS, OLDER_ITEM_SCHEMAS, item_schema  # noqa: E402 (beside this script)
# Pages of one list: NAME.json, NAME.2.json, NAME.3.json, …
FILE_NAME = re.compile(r"^(?P<resource>[a-z-]+?)(?:\.(?P<page>[2-9]|[1-9][0-9]+))?\.json$")
JAVA_RANGE = re.compile(r"\\d-")


def portable(pattern):
    try:
        re.compile(pattern)
        return pattern
    except re.error:
        fixed = JAVA_RANGE.sub(r"\\d\\-", pattern)
        re.compile(fixed)  # a pattern this does not repair is a new case: fail loudly
        return fixed


def prepare(node):
    """Make patterns portable and close every object schema, in place."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            node["pattern"] = portable(node["pattern"])
        if "properties" in node and "additionalProperties" not in node and "$ref" not in node:
            node["additionalProperties"] = False
        for key, value in node.items():
            if key != "example":
                prepare(value)
    elif isinstance(node, list):
        for value in node:
            prepare(value)


def message(error):
    """jsonschema quotes the whole offending value; a 200-item list would drown the path."""
    return error.message if len(error.message) <= 300 else error.message[:300] + "…"


def json_path(parts):
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def envelope_schema(document, resource):
    """The paged `/v2/` response schema of the resource's list endpoint, as Cisco declares it;
    for user-profile (paged only under /v3/, whose response the document types as a string) the
    paging metadata its example follows."""
    path = document["paths"].get(f"/organization/{{orgid}}/v2/{resource}", {})
    for content in path.get("get", {}).get("responses", {}).get("200", {}).get("content", {}).values():
        return content["schema"]
    return {"type": "object", "properties": {
        "meta": {"$ref": "#/components/schemas/MetaDataWithPagingInfo"}, "data": {"type": "array"}}}


def validator(document, schema):
    # "$ref" ignores its siblings in OpenAPI 3.0, so the document's components ride along as the
    # root that "#/components/schemas/…" resolves against.
    return OAS30ReadValidator(schema | {"components": document["components"]}, format_checker=oas30_format_checker)


def main():
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[3], file=sys.stderr)
        sys.exit(2)
    directory = pathlib.Path(sys.argv[1])
    document_path = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/webex/webex-contact-center.json"
    document = json.loads(document_path.read_text(encoding="utf-8"))
    prepare(document)
    # By schema name: an item of a list with an older shape is checked against the schema of its shape.
    item_validators = {schema: validator(document, {"$ref": f"#/components/schemas/{schema}"})
                       for schema in set(ITEM_SCHEMAS.values()) | {schema for _, schema in OLDER_ITEM_SCHEMAS.values()}}

    errors = []
    checked = {}
    files = sorted(directory.glob("*.json"))
    if not files:
        errors.append(f"{directory}: no JSON files")
    for file in files:
        match = FILE_NAME.match(file.name)
        if not match or match["resource"] not in ITEM_SCHEMAS:
            errors.append(f"{file.name}: not a list endpoint of SPEC §9 ({', '.join(ITEM_SCHEMAS)})")
            continue
        resource = match["resource"]
        try:
            content = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            errors.append(f"{file.name}: line {error.lineno} column {error.colno}: invalid JSON: {error.msg}")
            continue
        if isinstance(content, dict) and "data" in content:
            for error in validator(document, envelope_schema(document, resource)).iter_errors(content):
                if list(error.absolute_path)[:1] != ["data"] or len(error.absolute_path) == 1:
                    errors.append(f"{file.name}: {json_path(error.absolute_path)}: {message(error)}")
            items, prefix = content.get("data"), ["data"]
        else:
            items, prefix = content, []
        if not isinstance(items, list):
            errors.append(f"{file.name}: {json_path(prefix)}: expected an array of {ITEM_SCHEMAS[resource]} items")
            continue
        for index, item in enumerate(items):
            for error in sorted(item_validators[item_schema(resource, item)].iter_errors(item), key=lambda e: list(map(str, e.absolute_path))):
                errors.append(f"{file.name}: {json_path(prefix + [index] + list(error.absolute_path))}: {message(error)}")
        checked[resource] = checked.get(resource, 0) + len(items)

    for line in errors:
        print(line)
    if errors:
        sys.exit(1)
    print("checked " + ", ".join(f"{resource} {count}" for resource, count in sorted(checked.items())))


if __name__ == "__main__":
    main()
