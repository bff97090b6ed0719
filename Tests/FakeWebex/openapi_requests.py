"""Checks requests against Cisco's OpenAPI document of the Webex Contact Center API.

Independent of the Swift client: it reads the document itself and validates with
`openapi-schema-validator`, so the fake refuses whatever Cisco's contract does not allow.

- `OpenAPIDocument.match(method, raw_path)` finds the path template (concrete segments win over
  templated ones, as OpenAPI 3.0 says) and the operation of the method (MethodNotAllowed, a 405,
  when the path is the document's but the method is not).
- `OpenAPIDocument.check(match, query_pairs, headers, body)` checks the path, query and header
  parameters (values coerced from text as OpenAPI 3.0 says: `page=abc` is not an integer;
  repeated values only for arrays; a parameter the operation does not declare is an error) and
  the request body against the operation's request body schema (a bulk PATCH's items without
  their `required` list: add_partial_items). It raises Invalid with the reason, and leaves the
  body's JSON value in `match.body`.

The document is Cisco's (CC BY 4.0, Tests/Fixtures/webex/README.md). It is changed in memory
only, never on disk, in one way: Java-only regular expressions are made portable (`\\d-_` inside a
class is a range to Python's `re`, to Java the literal hyphen it was meant as), as
scripts/webex-fixture-check.py does.
"""
import json
import math
import re
import urllib.parse

from openapi_schema_validator import OAS30Validator, oas30_format_checker
from jsonschema.exceptions import best_match

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
JAVA_RANGE = re.compile(r"\\d-")
PARAMETER = re.compile(r"\{([^}/]+)\}")
# OpenAPI 3.0: header parameters with these names are ignored (the HTTP layer owns them).
IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def portable(pattern):
    try:
        re.compile(pattern)
        return pattern
    except re.error:
        fixed = JAVA_RANGE.sub(r"\\d\\-", pattern)
        try:
            re.compile(fixed)
            return fixed
        except re.error:
            return pattern  # left as it is; validating against it then reports the pattern


def make_portable(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            node["pattern"] = portable(node["pattern"])
        for key, value in node.items():
            if key not in ("example", "examples"):
                make_portable(value)
    elif isinstance(node, list):
        for value in node:
            make_portable(value)


def close_objects(node):
    """additionalProperties: false wherever the document leaves an object open (opt-in)."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node and "$ref" not in node:
            node["additionalProperties"] = False
        for key, value in node.items():
            if key not in ("example", "examples"):
                close_objects(value)
    elif isinstance(node, list):
        for value in node:
            close_objects(value)


def short(text, limit=300):
    return text if len(text) <= limit else text[:limit] + "…"


def json_path(parts):
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


PARTIAL = "__partial"


def add_partial_items(document):
    """Bulk PATCH (user/bulk, contact-service-queue/bulk, auxiliary-code/bulk) changes some
    fields of each item, as Cisco's own user/bulk example does (`id`, `firstName`, `lastName`,
    `userLevelBurnoutInclusion` only), yet the item schema is the whole DTO with its `required`
    list. For those operations the body is checked against `BulkRequestDTO…__partial` (added to
    the components here): the same schema whose `item` is the DTO without `required` (every field
    present is still checked)."""
    schemas = document["components"]["schemas"]
    for item in document["paths"].values():
        operation = item.get("patch") if isinstance(item, dict) else None
        if not isinstance(operation, dict):
            continue
        content = ((operation.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
        ref = (content.get("schema") or {}).get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        if not name.startswith("BulkRequestDTO") or name not in schemas:
            continue
        bulk = json.loads(json.dumps(schemas[name]))
        item_ref = bulk["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[-1]
        entry = json.loads(json.dumps(schemas[item_ref]))
        dto = entry["properties"]["item"]["$ref"].rsplit("/", 1)[-1]
        partial_dto = json.loads(json.dumps(schemas[dto]))
        partial_dto.pop("required", None)
        schemas[dto + PARTIAL] = partial_dto
        entry["properties"]["item"] = {"$ref": f"#/components/schemas/{dto}{PARTIAL}"}
        schemas[item_ref + PARTIAL] = entry
        bulk["properties"]["items"]["items"] = {"$ref": f"#/components/schemas/{item_ref}{PARTIAL}"}
        schemas[name + PARTIAL] = bulk


class Invalid(Exception):
    """A request the document does not allow; str() is the reason logged and answered."""

    status = 400


class MethodNotAllowed(Invalid):
    """The path is the document's, the method is not one of its operations (answered 405, as
    Spring, which serves Cisco's API, answers it, with `Allow`)."""

    status = 405

    def __init__(self, reason, allowed):
        super().__init__(reason)
        self.allowed = allowed


class Template:
    def __init__(self, text, operations):
        self.text = text
        self.operations = operations  # lower-case method -> operation object
        self.segments = text.split("/")
        self.regexes = []
        self.score = []
        for segment in self.segments:
            names = PARAMETER.findall(segment)
            if not names:
                self.regexes.append(None)
                self.score.append(2)
                continue
            pieces = PARAMETER.split(segment)  # literal, name, literal, name, …, literal
            regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>[^/]+?)"
                            for index, piece in enumerate(pieces))
            self.regexes.append(re.compile(regex + r"\Z"))
            self.score.append(1 if segment != "{" + names[0] + "}" else 0)

    def match(self, raw_segments):
        """Path parameters (percent-decoded) if the raw path fits this template, else None."""
        if len(raw_segments) != len(self.segments):
            return None
        params = {}
        for literal, regex, raw in zip(self.segments, self.regexes, raw_segments):
            if regex is None:
                if urllib.parse.unquote(raw, errors="strict") != literal:
                    return None
                continue
            found = regex.match(raw)
            if not found:
                return None
            for name, value in found.groupdict().items():
                params[name] = urllib.parse.unquote(value, errors="strict")
        return params


class Match:
    def __init__(self, template, method, operation, path_params):
        self.template = template          # the document's path template, e.g. /organization/{orgid}/v2/user
        self.method = method              # upper case
        self.operation = operation        # None if the path has no operation for the method
        self.path_params = path_params
        self.body = None                  # the request body's JSON value once check() read it (or the DTO query parameter's)


class OpenAPIDocument:
    def __init__(self, path, closed_bodies=False):
        with open(path, encoding="utf-8") as handle:
            self.document = json.load(handle)
        if not isinstance(self.document.get("paths"), dict) or not isinstance(self.document.get("components"), dict):
            raise ValueError("not an OpenAPI document: no paths or components")
        make_portable(self.document)
        self.body_document = self.document
        if closed_bodies:
            self.body_document = json.loads(json.dumps(self.document))
            close_objects(self.body_document)
        add_partial_items(self.body_document)
        self.templates = []
        for text, item in self.document["paths"].items():
            operations = {m: op for m, op in item.items() if m in METHODS and isinstance(op, dict)}
            shared = item.get("parameters") or []
            if shared:  # path-level parameters apply to every operation unless it overrides them
                for op in operations.values():
                    own = {(p.get("name"), p.get("in")) for p in op.get("parameters") or []}
                    op["parameters"] = (op.get("parameters") or []) + [p for p in shared if (p.get("name"), p.get("in")) not in own]
            self.templates.append(Template(text, operations))
        self._validators = {}

    # --- schemas -------------------------------------------------------------------------

    def schema(self, name):
        return self.document["components"]["schemas"][name]

    def resolve(self, schema, document=None):
        document = document or self.document
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 50:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"external $ref {ref} is not supported")
            node = document
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
            seen += 1
        return schema

    def validator(self, key, schema, document=None):
        """A cached validator of `schema` whose "#/components/…" refs resolve in the document."""
        validator = self._validators.get(key)
        if validator is None:
            document = document or self.document
            # "$ref" ignores its siblings in OpenAPI 3.0, so the components ride along as the
            # root the refs resolve against (as scripts/webex-fixture-check.py does).
            validator = OAS30Validator(dict(schema) | {"components": document["components"]},
                                       format_checker=oas30_format_checker)
            self._validators[key] = validator
        return validator

    def errors(self, key, schema, value, document=None):
        error = best_match(self.validator(key, schema, document).iter_errors(value))
        if error is None:
            return None
        return f"{json_path(error.absolute_path)}: {short(error.message)}"

    # --- matching ------------------------------------------------------------------------

    def match(self, method, raw_path):
        """The Match of the best template for the path, or raise Invalid."""
        raw_segments = raw_path.split("/")
        candidates = []
        for template in self.templates:
            try:
                params = template.match(raw_segments)
            except UnicodeDecodeError:
                raise Invalid("the path has a percent-encoding that is not UTF-8")
            if params is not None:
                candidates.append((template.score, template, params))
        if not candidates:
            raise Invalid(f"no path of the document matches {short(raw_path, 200)}")
        candidates.sort(key=lambda c: c[0], reverse=True)
        # Concrete paths before templated ones; among equals, the one that has the method.
        best_score = candidates[0][0]
        best = [c for c in candidates if c[0] == best_score]
        for _, template, params in best:
            if method.lower() in template.operations:
                return Match(template.text, method, template.operations[method.lower()], params)
        for _, template, params in candidates:
            if method.lower() in template.operations:
                return Match(template.text, method, template.operations[method.lower()], params)
        template = best[0][1]
        allowed = [m.upper() for m in template.operations]
        raise MethodNotAllowed(f"{template.text} has no {method} operation (it has {', '.join(allowed) or 'none'})", allowed)

    # --- parameters and body -------------------------------------------------------------

    def check(self, match, query_pairs, headers, body, content_type):
        """Raise Invalid if the request breaks the operation's declared parameters or body."""
        operation = match.operation
        key = (match.template, match.method)
        declared = {}
        for parameter in operation.get("parameters") or []:
            parameter = self.resolve(parameter)
            declared[(parameter.get("in"), parameter.get("name"))] = parameter

        # A quirk of Cisco's document: some create/update operations (POST team, PUT team/{id},
        # skill, skill-profile) declare their DTO as a required *query* parameter of object type
        # and no requestBody (a SpringDoc artefact); the service reads it from the body. Such a
        # parameter is satisfied by a JSON body.
        body_parameter = None
        if "requestBody" not in operation:
            for (where, name), parameter in declared.items():
                schema = self.resolve(parameter.get("schema") or {})
                if where == "query" and (schema.get("type") == "object" or "properties" in schema):
                    body_parameter = parameter
                    break

        # path
        for name, value in match.path_params.items():
            parameter = declared.get(("path", name))
            if parameter is None:
                raise Invalid(f"path parameter {name} is not declared by {match.method} {match.template}")
            self._check_value(key, parameter, "path", [value])

        # query
        given = {}
        for name, value in query_pairs:
            given.setdefault(name, []).append(value)
        for name in given:
            if ("query", name) not in declared:
                raise Invalid(f"unknown query parameter {short(name, 80)!r} for {match.method} {match.template}")
        for (where, name), parameter in declared.items():
            if where != "query":
                continue
            if name in given:
                if parameter is body_parameter:
                    match.body = self._check_object_text(key, parameter, given[name], self.body_document)
                else:
                    self._check_value(key, parameter, "query", given[name])
            elif parameter.get("required") and parameter is not body_parameter:
                raise Invalid(f"required query parameter {name} is missing")

        # header
        lowered = {k.lower(): v for k, v in headers.items()}
        for (where, name), parameter in declared.items():
            if where != "header" or name.lower() in IGNORED_HEADERS:
                continue
            if name.lower() in lowered:
                self._check_value(key, parameter, "header", [lowered[name.lower()]])
            elif parameter.get("required"):
                raise Invalid(f"required header {name} is missing")

        # body
        self._check_body(match, operation, body, content_type, body_parameter)

    def _check_value(self, key, parameter, where, values):
        name = parameter.get("name")
        schema = self.resolve(parameter.get("schema") or {})
        kind = schema.get("type")
        if kind == "array":
            style = parameter.get("style", "form" if where == "query" else "simple")
            explode = parameter.get("explode", style == "form")
            items = []
            for value in values:
                items.extend(value.split(",") if not explode or where != "query" else [value])
            item_schema = self.resolve(schema.get("items") or {})
            value = [coerce(where, name, item, item_schema.get("type")) for item in items]
        else:
            if len(values) > 1:
                raise Invalid(f"{where} parameter {name} is given {len(values)} times")
            if kind == "object" or "properties" in schema:
                self._check_object_text(key, parameter, values)
                return
            value = coerce(where, name, values[0], kind)
        problem = self.errors(key + (where, name), parameter.get("schema") or {}, value)
        if problem:
            raise Invalid(f"{where} parameter {name}={short(values[0], 80)!r}: {problem.removeprefix('$: ')}")

    def _check_object_text(self, key, parameter, values, document=None):
        name = parameter.get("name")
        if len(values) > 1:
            raise Invalid(f"query parameter {name} is given {len(values)} times")
        try:
            value = json.loads(values[0])
        except ValueError:
            raise Invalid(f"query parameter {name} is not a JSON object")
        problem = self.errors(key + ("query", name, document is not None), parameter.get("schema") or {}, value, document)
        if problem:
            raise Invalid(f"query parameter {name}: {problem}")
        return value

    def _check_body(self, match, operation, body, content_type, body_parameter):
        request_body = self.resolve(operation.get("requestBody")) if "requestBody" in operation else None
        has_body = body is not None and len(body) > 0
        if request_body is None and body_parameter is None:
            if has_body:
                raise Invalid(f"{match.method} {match.template} takes no request body, but one was sent")
            return
        if not has_body:
            if request_body is None and match.body is not None:
                return  # the DTO came as the query parameter the document declares
            required = request_body.get("required") if request_body is not None else body_parameter.get("required")
            if required:
                raise Invalid(f"{match.method} {match.template} requires a request body")
            return
        media = (content_type or "").split(";")[0].strip().lower()
        if request_body is not None:
            content = request_body.get("content") or {}
            if media not in content:
                raise Invalid(f"request body of type {media or 'none'!r}; the operation takes {', '.join(content) or 'none'}")
            schema = content[media].get("schema")
            ref = (schema or {}).get("$ref", "")
            if match.method == "PATCH" and ref.rsplit("/", 1)[-1] + PARTIAL in self.body_document["components"]["schemas"]:
                schema = {"$ref": ref + PARTIAL}
        else:
            if media != "application/json":
                raise Invalid(f"request body of type {media or 'none'!r}; the operation takes application/json")
            schema = body_parameter.get("schema")
        if not (media == "application/json" or media.endswith("+json")):
            return  # multipart forms are not checked (none of the fake's operations take them)
        try:
            value = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise Invalid("request body is not UTF-8")
        except json.JSONDecodeError as error:
            raise Invalid(f"request body is not JSON: line {error.lineno} column {error.colno}: {error.msg}")
        except RecursionError:
            raise Invalid("request body is nested too deeply")
        if schema:
            problem = self.errors((match.template, match.method, "body", media), schema, value, self.body_document)
            if problem:
                raise Invalid(f"request body: {problem}")
        match.body = value


INTEGER = re.compile(r"-?[0-9]+\Z")


def coerce(where, name, text, kind):
    """A parameter's text as the JSON value its schema type says (OpenAPI 3.0 simple/form)."""
    if kind == "integer":
        if not INTEGER.match(text):
            raise Invalid(f"{where} parameter {name}={short(text, 80)!r} is not an integer")
        return int(text)
    if kind == "number":
        try:
            value = float(text)
        except ValueError:
            raise Invalid(f"{where} parameter {name}={short(text, 80)!r} is not a number")
        if not math.isfinite(value):
            raise Invalid(f"{where} parameter {name}={short(text, 80)!r} is not a finite number")
        return int(value) if INTEGER.match(text) else value
    if kind == "boolean":
        if text not in ("true", "false"):
            raise Invalid(f"{where} parameter {name}={short(text, 80)!r} is not a boolean (true or false)")
        return text == "true"
    return text
