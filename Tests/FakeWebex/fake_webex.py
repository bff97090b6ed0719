#!/usr/bin/env python3
"""A fake Webex Contact Center configuration API for the tests of `outboundctl webex …` (SPEC §10).

Usage:
  fake_webex.py --export DIR --org ORG --token-file FILE [--port 0] [--page-cap N] [--seed N]
                [--faults KIND:P,…] [--fault-at N=KIND,…] [--moving LIST:N] [--latency SECONDS]
                [--log FILE] [--queues-with-groups] [--document FILE] [--closed-bodies]
                [--state-out DIR] [--stop-after-writes N] [--clock-start MILLIS]

Binds 127.0.0.1 only and prints one line, `listening on http://127.0.0.1:PORT`, then serves until
SIGTERM or SIGINT, or until the N-th write of --stop-after-writes (exit 0 in each case; the
tenant is then written to --state-out). Exit 2 when it cannot start (unreadable export, document
or token file, bad flags, port in use, a --state-out that is not an empty directory).
Tests/FakeWebex/README.md says what it serves, the write rules, the fault kinds and the request
log's format.

Every request is checked against Cisco's OpenAPI document (openapi_requests.py); the tenant and
its write rules are webex_store.py; faults follow a seeded schedule (faults.py).
"""
import argparse
import email.utils
import hashlib
import hmac
import json
import math
import os
import pathlib
import random
import re
import select
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

try:  # openapi-schema-validator may be missing: main() says so and exits 2
    from openapi_requests import Invalid, OpenAPIDocument
    OPENAPI_IMPORT_ERROR = None
except ImportError as error:
    OPENAPI_IMPORT_ERROR = error
from faults import FaultSyntaxError, Schedule, parse_fault_at, parse_faults, retry_after_seconds  # noqa: E402
from webex_store import (LISTS, WRITES, ExportError, Frozen, Moving, Store, WriteError, read_export,  # noqa: E402
                         reference_name, write_state)

DEFAULT_DOCUMENT = HERE.parent / "Fixtures" / "webex" / "webex-contact-center.json"
ORG_PREFIX = "/organization/{orgid}/"
MAX_BODY = 64 * 1024 * 1024
DEEP_LEVELS = 600
STATE_PATH = "/__fake/state"
REASONS = {207: "Multi-Status", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 411: "Length Required", 412: "Precondition Failed", 413: "Payload Too Large", 414: "URI Too Long", 429: "Too Many Requests",
           431: "Request Header Fields Too Large", 500: "Internal Server Error", 501: "Not Implemented",
           503: "Service Unavailable", 505: "HTTP Version Not Supported"}


class Request:
    def __init__(self, number, arrival, method, target, headers, body, body_error):
        self.number = number
        self.time = arrival
        self.method = method
        if target.startswith("/"):
            self.path, _, self.query = target.partition("#")[0].partition("?")
        else:  # absolute-form (http://host/path?query)
            split = urllib.parse.urlsplit(target)
            self.path, self.query = split.path, split.query
        self.headers = headers          # email.message.Message (case-insensitive get)
        self.body = body
        self.body_error = body_error
        self.match = None
        self.fault = None
        self.params = {}                # query parameters, as given (last value wins)

    def logged_query(self):
        result = {}
        for name, value in urllib.parse.parse_qsl(self.query, keep_blank_values=True, errors="replace"):
            if name in result:
                result[name] = (result[name] if isinstance(result[name], list) else [result[name]]) + [value]
            else:
                result[name] = value
        return result


class Reply:
    def __init__(self, status, body=b"", headers=None, action="respond"):
        self.status = status
        self.body = body
        self.headers = headers or []
        self.action = action            # "respond", "drop" (close, no answer), "stall" (hold, no answer)
        self.delay = 0.0
        self.invalid = None
        self.unimplemented = None
        self.retry_after = None
        self.entity = None              # the id written (created, updated, deleted), for the log
        self.version = None             # the version it has after the write
        self.items = None               # bulk: [{"itemIdentifier", "status", "id"}] for the log
        self.committed = None           # a write: whether the tenant changed; None for reads
        self.stop = False               # the write --stop-after-writes waited for: stop once answered
        self.logged = True              # False: a request refused because the server is going down
        self.log_entry = None           # written to the log just before the answer goes out (or is dropped or held)


def json_bytes(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Route:
    def __init__(self, handler, kind, resource, supported=(), status=200):
        self.handler = handler
        self.kind = kind                # "list", "item", "references", "create", "update", "delete", "bulk", "patch"
        self.resource = resource
        self.supported = set(supported)  # query parameters the fake implements
        self.status = status            # the success status of the operation, as Cisco's document gives it


def success_status(operation):
    """The operation's lowest 2xx response code in Cisco's document (201, or 200 where it says so)."""
    codes = sorted(int(code) for code in (operation.get("responses") or {}) if str(code).isdigit() and 200 <= int(code) < 300)
    return codes[0] if codes else 200


def schema_properties(document, schema):
    schema = document.resolve(schema or {})
    return set((schema.get("properties") or {}).keys())


RETAINED = re.compile(r"During entity update\(single or bulk\), if this parameter is not provided or null, the previous value will be retained")
CREATE_DEFAULT = re.compile(r"During entity creation\(single or bulk\), if this parameter is not provided or null, default will be set to '([^']*)'")


def update_request_schema(document, resource):
    operation = document.document["paths"][ORG_PREFIX + WRITES[resource]["update"][0]]["put"]
    if "requestBody" in operation:
        return ((operation["requestBody"].get("content") or {}).get("application/json") or {}).get("schema")
    for parameter in operation.get("parameters") or []:
        parameter = document.resolve(parameter)
        if parameter.get("in") == "query":
            return parameter.get("schema")  # PUT team/{id}: the DTO as query parameter teamDTO
    return None


def retained_fields(document):
    """{list: {field: its default on create or None}} for the fields whose description in
    Cisco's document says an update without them keeps the previous value (and a create
    without them gets a default): UserDTO.userLevel…Inclusion, ContactServiceQueueDTO.queueLevel…Inclusion."""
    result = {}
    for resource, writes in WRITES.items():
        if not writes["update"]:
            continue
        schema = document.resolve(update_request_schema(document, resource) or {})
        for field, prop in (schema.get("properties") or {}).items():
            description = document.resolve(prop).get("description") or ""
            if RETAINED.search(description):
                default = CREATE_DEFAULT.search(description)
                result.setdefault(resource, {})[field] = default.group(1) if default else None
    return result


def response_only_fields(document):
    """{list: fields its update's answer has that its update's body schema does not} — fields
    only the server sets (TeamResponseDTO.siteName, UserResponseDTO.userProfileType, …)."""
    result = {}
    for resource, writes in WRITES.items():
        if not writes["update"]:
            continue
        operation = document.document["paths"][ORG_PREFIX + writes["update"][0]]["put"]
        request = update_request_schema(document, resource)
        answer = None
        for content in ((operation.get("responses") or {}).get("200", {}).get("content") or {}).values():
            answer = content.get("schema")
            break
        if request is not None and answer is not None:
            result[resource] = schema_properties(document, answer) - schema_properties(document, request)
    return result


class FakeWebex:
    """The request pipeline: number → auth → validation → fault → route, and the log line."""

    def __init__(self, document, store, org, token, schedule, moving, log, page_cap=100,
                 queues_with_groups=False, latency=0.3, seed=1):
        self.document = document
        self.store = store
        self.org = org
        self.token = token.encode("utf-8")
        self.schedule = schedule
        self.moving = moving
        self.log = log
        self.page_cap = page_cap
        self.queues_with_groups = queues_with_groups
        self.latency = latency
        self.seed = seed
        self.counter_lock = threading.Lock()
        self.counter = 0
        self.routes = {}
        for resource, (list_path, item_paths) in LISTS.items():
            self.route("GET", ORG_PREFIX + list_path, Route(self.list_page, "list", resource, ("page", "pageSize")))
            for item_path in item_paths:
                self.route("GET", ORG_PREFIX + item_path, Route(self.item, "item", resource))
        # The write side: every write of WRITES, with the success status Cisco's document gives.
        self.statuses = {}
        for resource, writes in WRITES.items():
            self.route("GET", ORG_PREFIX + writes["references"],
                       Route(self.references, "references", resource, ("type", "page", "pageSize")))
            for kind, method in (("create", "POST"), ("update", "PUT"), ("delete", "DELETE"), ("bulk", "POST"), ("patch", "PATCH")):
                for path in writes[kind]:
                    operation = self.document.document["paths"].get(ORG_PREFIX + path, {}).get(method.lower(), {})
                    status = success_status(operation)
                    self.statuses.setdefault(resource, {}).setdefault(kind, status)
                    handler = self.bulk if kind in ("bulk", "patch") else self.write
                    self.route(method, ORG_PREFIX + path, Route(handler, kind, resource, ("teamDTO",), status))

    def route(self, method, template, route):
        operations = self.document.document["paths"].get(template, {})
        if method.lower() not in operations:
            raise RuntimeError(f"the document has no {method} {template}; the fake's route table is wrong")
        self.routes[(method, template)] = route

    def next_number(self):
        with self.counter_lock:
            self.counter += 1
            return self.counter

    def tracking_id(self, number):
        rng = random.Random(f"fake-webex/{self.seed}/{number}/tracking")
        return f"fake_{uuid.UUID(int=rng.getrandbits(128), version=4)}"

    def auth(self, headers):
        header = headers.get("Authorization") if headers is not None else None
        if header is None:
            return "missing"
        scheme, _, credentials = header.strip().partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip().encode("utf-8", "replace"), self.token):
            return "ok"
        return "wrong"

    def error_body(self, status, tracking, description, references=None, entity=None):
        """Cisco's ApiErrorResponse; a 412's message also names the referring items as Cisco's
        examples do (`entity`, `references: [{"id", "name"}]`)."""
        message = {"description": description}
        if references:
            message["entity"] = entity
            message["references"] = [{"id": item.get("id"), "name": reference_name(kind, item)} for kind, item in references]
        return {"trackingId": tracking,
                "error": {"key": str(status), "reason": REASONS.get(status, "Error"), "message": [message]}}

    def error(self, status, tracking, description, references=None, entity=None):
        body = self.error_body(status, tracking, description, references, entity)
        headers = [("Content-Type", "application/json")]
        if status == 401:
            headers.append(("WWW-Authenticate", "Bearer"))
        return Reply(status, json_bytes(body), headers)

    # --- the pipeline --------------------------------------------------------------------

    def handle(self, request):
        tracking = self.tracking_id(request.number)
        auth = self.auth(request.headers)
        try:
            invalid = request.body_error or self.validate(request)
            if auth != "ok":
                reply = self.error(401, tracking, "The token is missing." if auth == "missing" else "The token was refused.")
            elif invalid:
                reply = self.error(request.invalid_status, tracking, invalid)
                if request.invalid_status == 405:
                    reply.headers.append(("Allow", ", ".join(request.allowed)))
            else:
                reply = self.dispatch(request, tracking)
            reply.invalid = invalid
        except Exception as error:  # a bug of the fake: say so loudly, never die
            traceback.print_exc(file=sys.stderr)
            reply = self.error(500, tracking, "fake_webex internal error")
            reply.invalid = f"fake_webex internal error: {type(error).__name__}: {error}"
        reply.headers.append(("TrackingID", tracking))
        reply.log_entry = {
            "n": request.number, "time": request.time, "method": request.method, "path": request.path,
            "query": request.logged_query(), "status": reply.status if reply.action == "respond" else None,
            "fault": request.fault, "invalid": reply.invalid, "auth": auth, "trackingId": tracking,
            "retryAfter": reply.retry_after, "unimplemented": reply.unimplemented,
            "entity": reply.entity, "version": reply.version, "committed": reply.committed, "items": reply.items,
            "body": f"sha256:{hashlib.sha256(request.body).hexdigest()}" if request.body else None,
        }
        return reply

    def validate(self, request):
        """None, or the reason the document (or the fake's paging) refuses the request."""
        try:
            try:
                pairs = urllib.parse.parse_qsl(request.query, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise Invalid("the query has a percent-encoding that is not UTF-8")
            except ValueError as error:
                raise Invalid(f"the query cannot be read: {error}")
            request.match = self.document.match(request.method, request.path)
            self.document.check(request.match, pairs, request.headers, request.body,
                                request.headers.get("Content-Type") if request.headers is not None else None)
            request.params = dict(pairs)
            route = self.routes.get((request.method, request.match.template))
            if route is not None and route.kind in ("list", "references"):
                # The document sets no bounds; Cisco's service refuses these, and a client that
                # sends them has a bug worth seeing.
                if int(request.params.get("page", 0)) < 0:
                    raise Invalid("page must not be negative")
                if int(request.params.get("pageSize", 100)) < 1:
                    raise Invalid("pageSize must be at least 1")
        except Invalid as reason:
            request.invalid_status = reason.status
            request.allowed = getattr(reason, "allowed", [])
            return str(reason)
        return None

    def dispatch(self, request, tracking):
        route = self.routes.get((request.method, request.match.template))
        fault = self.schedule.fault_for(request.number, request.method)
        if fault == "empty" and (route is None or route.kind != "list"):
            fault = None  # only a list page can come back empty
        request.fault = fault
        if fault is not None and fault not in ("latency", "empty", "commitdrop", "commit503"):
            return self.fault_reply(fault, tracking)  # before the route: a write is not applied
        if route is None:
            reply = self.error(501, tracking, f"{request.method} {request.match.template} is in Cisco's document but not implemented by the fake")
            reply.unimplemented = f"{request.method} {request.match.template}"
        else:
            reply = self.unsupported_parameter(request, route, tracking) or self.in_org(request, tracking) or route.handler(request, route, tracking)
        if fault == "latency":
            reply.delay = self.latency
        if fault in ("commitdrop", "commit503") and reply.logged:
            # handled (a write landed), then the answer is lost: no answer, or a gateway's 503
            handled = reply
            reply = Reply(None, action="drop") if fault == "commitdrop" else self.error(503, tracking, "Service Unavailable (fault injected by fake_webex after the request was handled).")
            for name in ("entity", "version", "items", "committed", "stop"):
                setattr(reply, name, getattr(handled, name))
        return reply

    def fault_reply(self, fault, tracking):
        if fault.startswith("429"):
            reply = self.error(429, tracking, "Too many requests, retry later.")
            if fault == "429date":
                reply.retry_after = email.utils.formatdate(math.ceil(time.time()) + 2, usegmt=True)
            elif fault != "429bare":
                reply.retry_after = str(retry_after_seconds(fault))
            if reply.retry_after is not None:
                reply.headers.append(("Retry-After", reply.retry_after))
            return reply
        if fault in ("500", "503"):
            return self.error(int(fault), tracking, "An unexpected error occurred (fault injected by fake_webex).")
        if fault == "drop":
            return Reply(None, action="drop")
        if fault == "stall":
            return Reply(None, action="stall")
        if fault == "garbage":
            return Reply(200, b"<html><head><title>Gateway</title></head><body>not JSON</body></html>\n",
                         [("Content-Type", "application/json")])
        if fault == "deep":
            return Reply(200, b"[" * DEEP_LEVELS + b"]" * DEEP_LEVELS, [("Content-Type", "application/json")])
        raise ValueError(f"fault {fault} has no reply")

    def unsupported_parameter(self, request, route, tracking):
        """501 for a declared query parameter the fake does not implement (filter, search,
        attributes, …) unless it is given with its default value: silently ignoring it would
        answer something Cisco would not."""
        operation = request.match.operation
        for parameter in operation.get("parameters") or []:
            name = parameter.get("name")
            if parameter.get("in") != "query" or name not in request.params or name in route.supported:
                continue
            schema = self.document.resolve(parameter.get("schema") or {})
            default = schema.get("default")
            given = request.params[name]
            if default is not None and given == (json.dumps(default) if isinstance(default, bool) else str(default)):
                continue
            reply = self.error(501, tracking, f"query parameter {name} is not implemented by the fake")
            reply.unimplemented = f"query parameter {name}"
            return reply
        return None

    def in_org(self, request, tracking):
        if request.match.path_params.get("orgid") != self.org:
            return self.error(404, tracking, "Organization not found.")
        return None

    # --- routes --------------------------------------------------------------------------

    def list_page(self, request, route, tracking):
        resource = route.resource
        page = int(request.params.get("page", 0))
        size = min(int(request.params.get("pageSize", 100)), self.page_cap)
        self.moving.before_page(resource, page)
        items, total = self.store.page(resource, page, size)
        self.moving.after_page(resource, page)
        if resource == "contact-service-queue" and not self.queues_with_groups:
            for item in items:  # as Cisco's own list examples: read the whole queue by id
                item.pop("callDistributionGroups", None)
        if request.fault == "empty":
            items = []
        pages = (total + size - 1) // size
        link = lambda p: f"/organization/{self.org}/{LISTS[resource][0]}?page={p}&pageSize={size}"  # noqa: E731
        links = {"self": link(page), "first": link(0), "last": link(max(pages - 1, 0))}
        if page > 0:
            links["prev"] = link(page - 1)
        if page < pages - 1:
            links["next"] = link(page + 1)
        meta = {"orgid": self.org, "page": page, "pageSize": size, "totalPages": pages,
                "totalRecords": total, "links": links}
        return Reply(200, json_bytes({"meta": meta, "data": items}), [("Content-Type", "application/json")])

    def item(self, request, route, tracking):
        item_id = request.match.path_params.get("id")
        item = self.store.get(route.resource, item_id)
        if item is None:
            return self.error(404, tracking, f"{route.resource} {item_id} not found.")
        return Reply(200, json_bytes(item), [("Content-Type", "application/json")])

    def references(self, request, route, tracking):
        """EntityReferenceInfoDTO: the items that name this one, paged like a list; `type`
        keeps those of one list (its name as in WRITES: team, user, agent-profile, …)."""
        resource = route.resource
        item_id = request.match.path_params.get("id")
        page = int(request.params.get("page", 0))
        size = min(int(request.params.get("pageSize", 100)), self.page_cap)
        with self.store.lock:
            if self.store.get(resource, item_id) is None:
                return self.error(404, tracking, f"{resource} {item_id} not found.")
            found = self.store.incoming(resource, item_id)
            kind = request.params.get("type")
            if kind is not None:
                found = [(other, item) for other, item in found if other == kind]
            data = []
            for other, item in found[page * size:(page + 1) * size]:
                info = {"id": item.get("id"), "name": reference_name(other, item)}
                if isinstance(item.get("version"), int):
                    info["version"] = item["version"]
                info["additionalAttributes"] = {"type": other}
                data.append(info)
        total = len(found)
        pages = (total + size - 1) // size
        path = f"/organization/{self.org}/" + WRITES[resource]["references"].replace("{id}", item_id)
        link = lambda p: f"{path}?page={p}&pageSize={size}"  # noqa: E731
        links = {"self": link(page), "first": link(0), "last": link(max(pages - 1, 0))}
        if page > 0:
            links["prev"] = link(page - 1)
        if page < pages - 1:
            links["next"] = link(page + 1)
        meta = {"orgid": self.org, "page": page, "pageSize": size, "totalPages": pages, "totalRecords": total,
                "links": links, "referencedEntities": sorted({other for other, _ in found}), "currentEntity": resource}
        body = {"description": f"entities that refer to {resource} {item_id}", "meta": meta, "data": data}
        return Reply(200, json_bytes(body), [("Content-Type", "application/json")])

    def write(self, request, route, tracking):
        """POST (create), PUT (update, the whole object), DELETE — the rules are the Store's."""
        resource, kind = route.resource, route.kind
        body = request.match.body
        item_id = request.match.path_params.get("id")

        def operation():
            if kind == "create":
                return self.store.create(resource, body)
            if kind == "update":
                return self.store.update(resource, item_id, body)
            self.store.delete(resource, item_id)
            return None
        try:
            entity, committed, stop = self.store.transaction(operation)
        except Frozen:
            return self.going_down()
        except WriteError as error:
            reply = self.error(error.status, tracking, error.description, error.references, resource)
            reply.entity, reply.committed = item_id, False
            return reply
        if entity is None:
            reply = Reply(route.status, b"", [])
        else:
            reply = Reply(route.status, json_bytes(entity), [("Content-Type", "application/json")])
        reply.entity = entity["id"] if entity is not None else item_id
        reply.version = entity.get("version") if entity is not None else None
        reply.committed, reply.stop = committed, stop
        return reply

    def going_down(self):
        """A write that arrived after the --stop-after-writes one: closed, unanswered, unlogged."""
        reply = Reply(None, action="drop")
        reply.logged = False
        return reply

    def bulk(self, request, route, tracking):
        """POST …/bulk (SAVE without id: create; SAVE with id: update, the whole object; DELETE)
        and PATCH …/bulk (SAVE with id: the item's fields replace the stored ones): 207 with
        one BulkResponseItemDTO per item, in order; each item as its single request would be.
        One write request, however many items landed."""
        resource, partial = route.resource, route.kind == "patch"
        entries = request.match.body.get("items") if isinstance(request.match.body, dict) else None
        if not isinstance(entries, list):
            reply = self.error(400, tracking, "items: must not be null.")
            reply.committed = False
            return reply
        statuses = self.statuses[resource]

        def one(entry):
            result = {}
            if isinstance(entry.get("itemIdentifier"), int):
                result["itemIdentifier"] = entry["itemIdentifier"]
            item, action, operation, item_id = entry.get("item"), entry.get("requestAction"), None, None
            try:
                if not isinstance(item, dict):
                    raise WriteError(400, "item: must not be null.")
                item_id = item.get("id")
                if action == "SAVE" and item_id is not None:
                    operation = "UPDATE"
                    if not partial and "organizationId" not in item:
                        raise WriteError(400, "organizationId: It is required for all bulk save operations.")
                    self.store.update(resource, item_id, item, partial=partial)
                    status = statuses.get("update", 200)
                elif action == "SAVE":
                    if partial:
                        raise WriteError(400, "id: It is mandatory when updating a resource (a PATCH only updates).")
                    operation = "CREATE"
                    if "organizationId" not in item:
                        raise WriteError(400, "organizationId: It is required for all bulk save operations.")
                    item_id = self.store.create(resource, item)["id"]
                    status = statuses.get("create", 201)
                elif action == "DELETE" and not partial:
                    operation = "DELETE"
                    if item_id is None:
                        raise WriteError(400, "id: It is mandatory when deleting a resource.")
                    self.store.delete(resource, item_id)
                    status = statuses.get("delete", 204)
                else:
                    allowed = "SAVE" if partial else "SAVE or DELETE"
                    raise WriteError(400, f"requestAction: {action!r} is not {allowed}.")
                result["status"] = status
                result["operationType"] = operation
                result["href"] = f"/api/organization/{self.org}/{resource}/{item_id}"
            except WriteError as error:
                result["status"] = error.status
                if operation is not None:
                    result["operationType"] = operation
                if item_id is not None:
                    result["href"] = f"/api/organization/{self.org}/{resource}/{item_id}"
                result["apiError"] = self.error_body(error.status, tracking, error.description, error.references, resource)
            return result, item_id

        try:
            results, committed, stop = self.store.transaction(lambda: [one(entry) for entry in entries])
        except Frozen:
            return self.going_down()
        reply = Reply(route.status, json_bytes({"items": [result for result, _ in results]}), [("Content-Type", "application/json")])
        reply.items = [{"itemIdentifier": result.get("itemIdentifier"), "status": result["status"], "id": item_id}
                       for result, item_id in results]
        reply.committed, reply.stop = committed, stop
        return reply


class RequestLog:
    """One JSON object per line per request, appended and flushed once the request is handled,
    just before its answer is sent (so a client that has its answer finds the line); a dropped
    request's line just before its connection is closed, a stalled one's when the stall begins."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8") if path else None

    def write(self, entry):
        if self.file is None or entry is None:
            return
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            if self.file is not None and not self.file.closed:
                self.file.write(line)
                self.file.flush()

    def close(self):
        with self.lock:
            if self.file is not None:
                self.file.close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-webex"
    wbufsize = 1 << 16  # status line, headers and body leave in one write (flushed in _deliver)

    def version_string(self):
        return self.server_version

    def handle_one_request(self):
        self._number = None
        try:
            super().handle_one_request()
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True

    def __getattr__(self, name):
        if name.startswith("do_"):  # every method, even unknown ones, goes through the pipeline
            return self._serve
        raise AttributeError(name)

    def log_message(self, format, *args):
        pass

    def _read_body(self):
        """(body bytes or None, reason it cannot be read or None)."""
        encoding = (self.headers.get("Transfer-Encoding") or "").strip().lower()
        length = self.headers.get("Content-Length")
        if encoding and encoding != "identity":
            if encoding != "chunked":
                self.close_connection = True
                return None, f"Transfer-Encoding {encoding} is not supported"
            chunks, size = [], 0
            try:
                while True:
                    line = self.rfile.readline(1024)
                    chunk = int(line.split(b";")[0].strip() or b"x", 16)
                    if chunk == 0:
                        while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        break
                    size += chunk
                    if size > MAX_BODY:
                        self.close_connection = True
                        return None, "request body too large"
                    chunks.append(self.rfile.read(chunk))
                    self.rfile.readline(8)
            except ValueError:
                self.close_connection = True
                return None, "malformed chunked request body"
            return b"".join(chunks), None
        if length is None:
            return None, None
        try:
            size = int(length)
            if size < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            return None, f"Content-Length {length!r} is not a length"
        if size > MAX_BODY:
            self.close_connection = True
            return None, "request body too large"
        body = self.rfile.read(size) if size else b""
        if len(body) < size:
            self.close_connection = True
            return None, "request body shorter than its Content-Length"
        return body, None

    def _serve(self):
        arrival = time.time()
        fake = self.server.fake
        if self.command == "GET" and self.path.partition("?")[0] == STATE_PATH:
            self._read_body()
            self._send_state()
            return
        if fake.store.frozen:  # going down (--stop-after-writes, or stopping): no answer, no log line
            self.close_connection = True
            return
        self._number = fake.next_number()
        body, body_error = self._read_body()
        request = Request(self._number, arrival, self.command, self.path, self.headers, body, body_error)
        reply = fake.handle(request)
        self._deliver(request, reply)

    def _send_state(self):
        """GET /__fake/state: the whole tenant now, {list: [items]} — not Cisco's, not counted,
        not logged, no token needed (the fake only listens on loopback)."""
        body = json.dumps(self.server.fake.store.snapshot(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _deliver(self, request, reply):
        try:
            self._deliver_reply(request, reply)
        finally:
            if reply.stop:  # the --stop-after-writes write: answered (or dropped); now the server stops
                self.server.stop_requested.set()

    def _deliver_reply(self, request, reply):
        fake = self.server.fake
        if not reply.logged:
            self.close_connection = True
            return
        if reply.delay:
            time.sleep(reply.delay)
        if reply.action == "drop":
            self.close_connection = True
            fake.log.write(reply.log_entry)
            return
        if reply.action == "stall":
            self.close_connection = True
            fake.log.write(reply.log_entry)
            self._hold()
            return
        # Logged before the answer goes out, so that a client holding the answer finds its line.
        fake.log.write(reply.log_entry)
        try:
            self.send_response(reply.status, REASONS.get(reply.status))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if request.method != "HEAD":
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _hold(self):
        """Keep the connection open without answering until the client closes it or the
        server stops; other connections are served meanwhile (one thread per connection)."""
        stopping = self.server.stopping
        while not stopping.is_set():
            try:
                readable, _, _ = select.select([self.connection], [], [], 0.2)
                if readable and not self.connection.recv(65536):
                    return
            except (OSError, ValueError):
                return

    def send_error(self, code, message=None, explain=None):
        """Errors found by http.server itself (a malformed request line or header): Cisco's
        error shape, counted and logged like every other request."""
        fake = self.server.fake
        if self._number is None:
            self._number = fake.next_number()
        tracking = fake.tracking_id(self._number)
        reply = fake.error(code, tracking, message or REASONS.get(code, "Bad request"))
        reply.invalid = f"{code} {message or ''}".strip()
        reply.headers.append(("TrackingID", tracking))
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # answer with a status line and headers all the same
        path = getattr(self, "path", None)
        reply.log_entry = {
            "n": self._number, "time": time.time(), "method": getattr(self, "command", None),
            "path": urllib.parse.urlsplit(path).path if isinstance(path, str) else None, "query": {},
            "status": code, "fault": None, "invalid": reply.invalid, "auth": fake.auth(getattr(self, "headers", None)),
            "trackingId": tracking, "retryAfter": None, "unimplemented": None,
        }
        request = Request(self._number, time.time(), getattr(self, "command", None) or "GET", "/", None, None, None)
        self._deliver(request, reply)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def server_bind(self):
        # HTTPServer.server_bind asks DNS for the host's name; loopback needs no lookup.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, socket.timeout)):
            traceback.print_exc(file=sys.stderr)


def moving_counts(values):
    counts = {}
    for value in values or []:
        for part in value.split(","):
            if not part.strip():
                continue
            name, sep, count = part.strip().rpartition(":")
            if not sep or name not in LISTS or not count.isdigit() or int(count) < 1:
                raise ValueError(f"--moving {part!r} is not LIST:N with LIST one of {', '.join(LISTS)} and N ≥ 1")
            counts[name] = counts.get(name, 0) + int(count)
    return counts


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="fake_webex.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", required=True, help="directory of a Webex export (SPEC §9)")
    parser.add_argument("--org", required=True, help="the organisation id every path must name")
    parser.add_argument("--token-file", required=True, help="file whose first line is the bearer token")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--page-cap", type=int, default=100, help="largest page size served (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the fault schedule and tracking ids")
    parser.add_argument("--faults", default="", help="KIND:PROBABILITY,… applied to each valid request")
    parser.add_argument("--fault-at", default="", help="N=KIND,… for the N-th request received (1-based)")
    parser.add_argument("--moving", action="append", default=[], help="LIST:N — the first N reads of LIST see it grow")
    parser.add_argument("--latency", type=float, default=0.3, help="delay of the latency fault in seconds (default 0.3)")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    parser.add_argument("--queues-with-groups", action="store_true", help="keep callDistributionGroups in the queue list")
    parser.add_argument("--document", default=str(DEFAULT_DOCUMENT), help="Cisco's OpenAPI document")
    parser.add_argument("--closed-bodies", action="store_true",
                        help="refuse request-body fields Cisco's schemas do not name (additionalProperties: false)")
    parser.add_argument("--state-out", help="on exit, write the tenant to this directory (absent or empty) as an export")
    parser.add_argument("--stop-after-writes", type=int, help="exit once N write requests have changed the tenant")
    parser.add_argument("--clock-start", type=int,
                        help="createdTime/lastUpdatedTime of the first write, in epoch ms, minus 1000 (default: the day after the export's latest time)")
    arguments = parser.parse_args(argv)
    if arguments.page_cap < 1:
        parser.error("--page-cap must be at least 1")
    if not 0 <= arguments.port <= 65535:
        parser.error("--port must be within 0 … 65535")
    if arguments.latency < 0:
        parser.error("--latency must not be negative")
    if arguments.stop_after_writes is not None and arguments.stop_after_writes < 1:
        parser.error("--stop-after-writes must be at least 1")
    if arguments.clock_start is not None and arguments.clock_start < 0:
        parser.error("--clock-start must not be negative")
    try:
        arguments.fault_list = parse_faults(arguments.faults)
        arguments.fault_map = parse_fault_at(arguments.fault_at)
        arguments.moving_counts = moving_counts(arguments.moving)
    except (FaultSyntaxError, ValueError) as error:
        parser.error(str(error))
    return arguments


def fail(message):
    print(f"fake_webex: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def main(argv=None):
    arguments = parse_arguments(argv)
    try:
        with open(arguments.token_file, encoding="utf-8") as handle:
            token = (handle.readline() or "").strip()
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read the token file {arguments.token_file}: {error.__class__.__name__}")
    if not token:
        fail(f"the token file {arguments.token_file} has an empty first line")
    if OPENAPI_IMPORT_ERROR is not None:
        fail(f"{OPENAPI_IMPORT_ERROR}; install openapi-schema-validator (python3 -m pip install openapi-schema-validator; scripts/test.sh does)")
    try:
        document = OpenAPIDocument(arguments.document, closed_bodies=arguments.closed_bodies)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        fail(f"cannot read Cisco's OpenAPI document {arguments.document}: {error}")
    try:
        lists = read_export(arguments.export)
    except ExportError as error:
        fail(f"cannot read the export: {error}")
    if arguments.state_out:
        state_out = pathlib.Path(arguments.state_out)
        if state_out.exists() and (not state_out.is_dir() or any(state_out.iterdir())):
            fail(f"--state-out {state_out} exists and is not an empty directory")
    store = Store(lists, seed=arguments.seed, org=arguments.org, clock_start=arguments.clock_start,
                  stop_after_writes=arguments.stop_after_writes, response_only=response_only_fields(document),
                  retained=retained_fields(document))
    try:
        log = RequestLog(arguments.log)
    except OSError as error:
        fail(f"cannot open the log {arguments.log}: {error}")
    fake = FakeWebex(document, store, arguments.org, token,
                     Schedule(arguments.seed, arguments.fault_list, arguments.fault_map),
                     Moving(store, arguments.moving_counts), log, page_cap=arguments.page_cap,
                     queues_with_groups=arguments.queues_with_groups, latency=arguments.latency,
                     seed=arguments.seed)
    try:
        server = Server(("127.0.0.1", arguments.port), Handler)
    except OSError as error:
        fail(f"cannot listen on 127.0.0.1:{arguments.port}: {error}")
    server.fake = fake
    server.stopping = threading.Event()

    stop = threading.Event()
    server.stop_requested = stop
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    while not stop.wait(0.1):
        pass
    with store.lock:  # no write lands after this: the state written is the tenant's last
        limit_reached = store.frozen
        store.frozen = True
        state = store.snapshot()
    server.stopping.set()
    server.shutdown()
    server.server_close()
    status = 0
    if arguments.state_out:
        try:
            write_state(state, arguments.state_out)
        except OSError as error:
            print(f"fake_webex: cannot write the state to {arguments.state_out}: {error}", file=sys.stderr)
            status = 2
    if limit_reached:
        print(f"fake_webex: stopped after {store.writes} writes (--stop-after-writes)", file=sys.stderr)
    log.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
