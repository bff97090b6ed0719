#!/usr/bin/env python3
"""Writes schemas/openapi.json, the OpenAPI 3.1 document of `outboundctl serve` (SPEC §6),
and its embedded copy Sources/OutboundGateServer/OpenAPIDocument.swift. Run after editing
this file; a test checks that the two agree."""
import json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
REASONS = ["agent-inactive", "tenant-digital-disabled", "licence-not-premium", "licence-expired", "licence-not-yet-valid",
           "slot-none", "slot-manual", "no-entry-point", "entry-point-not-allowed", "state-not-allowed"]
STATES = ["available", "rona", "idle", "engaged", "wrap-up", "offline"]
CHANNELS = ["sms", "email"]
ID = "[a-z0-9][a-z0-9._-]{0,63}"
# ChangeFeed.Cursor's text (Sources/OutboundStore/ServedRevision.swift), exactly what Cursor(text:) reads.
CURSOR = f"^(c|r~(0|[1-9][0-9]{{0,9}}))~{ID}~{ID}~({'|'.join(CHANNELS)})$"

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def error_response(description, code, message):
    return {"description": description, "content": {"application/json": {"schema": ref("Error"),
            "example": {"error": {"code": code, "message": message}}}}}
def header(description, schema=None): return {"description": description, "schema": schema or {"type": "string"}}

revision_header = {"X-Outbound-Revision": header("The revision the answer came from.", {"type": "integer", "minimum": 0})}
common_errors = {
    "400": error_response("A parameter or the body is not valid; the message names it.", "bad-request", "channel: 'fax' is not sms or email"),
    "401": {**error_response("No bearer token, or not a valid one.", "unauthorized", "a bearer token is required (Authorization: Bearer TOKEN)"),
            "headers": {"WWW-Authenticate": header("Bearer")}},
    "403": error_response("The token's scope does not cover this route.", "forbidden", "this token's scope is check; this route needs a token without scope"),
    "405": {**error_response("The path answers another method.", "method-not-allowed", "/v1/status answers GET only"),
            "headers": {"Allow": header("The method the path answers.")}},
    "409": {**error_response("The revision asked for is not visible yet.", "revision-not-visible", "revision 9 is not visible yet; this server answers from revision 8"),
            "headers": {"Retry-After": header("Seconds to wait.", {"type": "integer"})}},
    "503": {**error_response("The store has been unreadable for longer than --max-stale.", "store-unavailable", "the store has not been readable for over 300 s"),
            "headers": {"Retry-After": header("Seconds to wait.", {"type": "integer"})}},
}
def errors(*codes): return {c: common_errors[c] for c in codes}

agent_param = {"name": "agent", "in": "path", "required": True, "description": "The agent id.",
               "schema": {"type": "string", "pattern": f"^{ID}$"}, "example": "ana.silva"}
channel_param = {"name": "channel", "in": "query", "required": False, "description": "sms or email (default: both).",
                 "schema": ref("Channel")}
team_param = {"name": "team", "in": "query", "required": False, "description": "The team the agent is signed into.",
              "schema": {"type": "string", "minLength": 1}}
state_param = {"name": "state", "in": "query", "required": False, "description": "The agent's runtime state; adds check 9.",
               "schema": ref("AgentState")}
min_revision_param = {"name": "minRevision", "in": "query", "required": False,
                      "description": "Answer from this revision or a later one (waits up to 1 s, then 409).",
                      "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}}
not_found = error_response("Unknown agent (with \"did you mean\"), or the agent is not in the team.", "agent-not-found", "unknown agent 'ana.silv'; did you mean 'ana.silva'?")
security = [{"bearer": []}, {}]

doc = {
    "openapi": "3.1.0",
    "info": {"title": "outboundctl serve", "version": "1",
             "description": "The outbound gate as an HTTP service for agent desktop back ends: may this agent start an outbound SMS or email now, and why not.",
             "license": {"name": "MIT", "identifier": "MIT"}},
    "servers": [{"url": "http://127.0.0.1:8470"}],
    "security": security,
    "paths": {
        "/v1/agents/{agent}/outbound": {"get": {
            "operationId": "agentOutbound", "summary": "The agent's answers, one per team and channel.",
            "parameters": [agent_param, channel_param, team_param, state_param, min_revision_param,
                           {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                            "description": "An ETag of an earlier answer: 304 while it still stands."}],
            "responses": {
                "200": {"description": "The answers.", "headers": {**revision_header, "ETag": header("Changes whenever this answer may change.")},
                        "content": {"application/json": {"schema": ref("AgentOutbound"), "example": {
                            "agent": "ana.silva", "revision": 3, "answers": [
                                {"team": "sales", "channel": "email", "available": False, "reasons": ["slot-manual"], "until": None},
                                {"team": "sales", "channel": "sms", "available": True, "reasons": [], "until": "2027-01-01T00:00:00Z"}]}}}},
                "304": {"description": "The answer of the ETag given still stands.", "headers": {**revision_header, "ETag": header("The same ETag.")}},
                "404": not_found, **errors("400", "401", "403", "405", "409", "503")}}},
        "/v1/outbound/check": {"post": {
            "operationId": "checkBatch", "summary": "1 to 1000 checks, all answered from one revision.",
            "parameters": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("CheckBatch"), "example": {
                "checks": [{"id": "1", "agent": "ana.silva", "channel": "sms", "team": "sales"}, {"id": "2", "agent": "bruno.costa", "channel": "email"}]}}}},
            "responses": {
                "200": {"description": "One result per check, in request order.", "headers": revision_header,
                        "content": {"application/json": {"schema": ref("CheckResults"), "example": {"revision": 3, "results": [
                            {"id": "1", "agent": "ana.silva", "channel": "sms", "team": "sales", "available": True, "reasons": [], "until": None},
                            {"id": "2", "agent": "bruno.costa", "channel": "email", "team": None, "available": False, "reasons": [], "until": None,
                             "error": {"code": "team-required", "message": "bruno.costa's teams answer differently (sales, support); pass the team it is signed into"}}]}}}},
                "413": error_response("The body is over 1 MiB.", "too-large", "the body is over 1 MiB"),
                "415": error_response("The body is not declared as JSON.", "unsupported-media-type", "the body must be JSON (Content-Type: application/json)"),
                **errors("400", "401", "403", "405", "409", "503")}}},
        "/v1/agents/{agent}/explain": {"get": {
            "operationId": "agentExplain", "summary": "Every check of the gate with its detail, fix and deciding node (file:line:column and revision).",
            "parameters": [agent_param, channel_param, team_param, state_param,
                           {"name": "date", "in": "query", "required": False, "description": "The evaluation day in the tenant's time zone.",
                            "schema": {"type": "string", "format": "date"}, "example": "2027-01-02"}],
            "responses": {"200": {"description": "The `explain --format json` object, plus the revision.", "headers": revision_header,
                                  "content": {"application/json": {"schema": ref("Explain")}}},
                          "404": not_found, **errors("400", "401", "403", "405", "503")}}},
        "/v1/changes": {"get": {
            "operationId": "changes", "summary": "Cells changed or removed by revisions after `since`.",
            "parameters": [
                {"name": "since", "in": "query", "required": True, "description": "List what revisions after this one changed.",
                 "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}, "example": 0},
                {"name": "wait", "in": "query", "required": False, "description": "Seconds to hold the request while nothing is newer than `since`.",
                 "schema": {"type": "integer", "minimum": 0, "maximum": 60}},
                {"name": "cursor", "in": "query", "required": False, "description": "The `next` of the previous page (400 for a string outside the pattern).",
                 "schema": ref("Cursor"), "example": "c~ana.silva~digital-tier1~sms"}],
            "responses": {"200": {"description": "At most 10,000 entries; `next` continues.", "headers": revision_header,
                                  "content": {"application/json": {"schema": ref("Changes"), "example": {"revision": 4, "changes": [
                                      {"agent": "ana.silva", "team": "sales", "channel": "email", "available": True, "reasons": [], "until": None, "revision": 4}],
                                      "removed": [{"agent": "old.agent", "team": "sales", "channel": "sms", "revision": 4}], "next": None}}}},
                          **errors("400", "401", "403", "405", "409", "503")}}},
        "/v1/status": {"get": {
            "operationId": "status", "summary": "The revision served and the store's identity.", "parameters": [],
            "responses": {"200": {"description": "Status.", "headers": revision_header, "content": {"application/json": {"schema": ref("Status"), "example": {
                "revision": 3, "storeId": "6f1c2a9e-2f4b-4d0e-9b7a-0a1b2c3d4e5f", "revisionTime": "2026-12-01T10:00:00Z", "agents": 12, "cells": 40, "stale": False}}}},
                          **errors("401", "403", "405", "503")}}},
        "/healthz": {"get": {"operationId": "healthz", "summary": "200 while the process runs.", "security": [{}], "parameters": [],
                             "responses": {"200": {"description": "Running.", "content": {"application/json": {"schema": {
                                 "type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}, "example": {"status": "ok"}}}},
                                           "405": common_errors["405"]}}},
        "/readyz": {"get": {"operationId": "readyz", "summary": "200 once a revision is loaded and the last store read succeeded.", "security": [{}], "parameters": [],
                            "responses": {"200": {"description": "Ready.", "content": {"application/json": {"schema": ref("Readiness"), "example": {"status": "ready", "revision": 3}}}},
                                          "503": {"description": "The last store read failed.", "content": {"application/json": {"schema": ref("Readiness")}}},
                                          "405": common_errors["405"]}}},
        "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus text format.", "parameters": [],
                             "responses": {"200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                                           **errors("401", "403", "405")}}},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.", "parameters": [],
                                  "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {"schema": {"type": "object"}}}},
                                                **errors("401", "403", "405")}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "A token of --token-file; `scope=check` tokens reach the checks, changes and status only."}},
        "schemas": {
            "Channel": {"type": "string", "enum": CHANNELS},
            "AgentState": {"type": "string", "enum": STATES},
            "Reason": {"type": "string", "enum": REASONS},
            "Until": {"type": ["string", "null"], "format": "date-time", "description": "When this answer next changes by itself (a licence boundary), UTC."},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}}}}},
            "Answer": {"type": "object", "required": ["team", "channel", "available", "reasons", "until"], "additionalProperties": False, "properties": {
                "team": {"type": "string"}, "channel": ref("Channel"), "available": {"type": "boolean"},
                "reasons": {"type": "array", "items": ref("Reason")}, "until": ref("Until")}},
            "AgentOutbound": {"type": "object", "required": ["agent", "revision", "answers"], "additionalProperties": False, "properties": {
                "agent": {"type": "string"}, "revision": {"type": "integer", "minimum": 0}, "answers": {"type": "array", "items": ref("Answer")}}},
            "Check": {"type": "object", "required": ["id", "agent", "channel"], "properties": {
                "id": {"type": "string", "minLength": 1}, "agent": {"type": "string", "minLength": 1}, "channel": ref("Channel"),
                "team": {"type": ["string", "null"], "minLength": 1, "description": "null is the same as absent."},
                "state": {"anyOf": [ref("AgentState"), {"type": "null"}], "description": "null is the same as absent."}}},
            "CheckBatch": {"type": "object", "required": ["checks"], "properties": {
                "checks": {"type": "array", "minItems": 1, "maxItems": 1000, "items": ref("Check")},
                "minRevision": {"type": ["integer", "null"], "minimum": 0, "maximum": 2147483647, "description": "null is the same as absent."}}},
            "CheckResult": {"type": "object", "required": ["id", "agent", "channel", "team", "available", "reasons", "until"], "additionalProperties": False, "properties": {
                "id": {"type": "string"}, "agent": {"type": "string"}, "channel": ref("Channel"), "team": {"type": ["string", "null"]},
                "available": {"type": "boolean"}, "reasons": {"type": "array", "items": ref("Reason")}, "until": ref("Until"),
                "error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "enum": ["agent-not-found", "team-required", "not-in-team", "agent-has-no-team"]}, "message": {"type": "string"}}}}},
            "CheckResults": {"type": "object", "required": ["revision", "results"], "additionalProperties": False, "properties": {
                "revision": {"type": "integer", "minimum": 0}, "results": {"type": "array", "items": ref("CheckResult")}}},
            "Explain": {"type": "object", "required": ["agent", "available", "revision"], "properties": {
                "agent": {"type": "string"}, "available": {"type": "boolean"}, "revision": {"type": "integer", "minimum": 0},
                "channel": ref("Channel"), "team": {"type": "string"}, "reasons": {"type": "array", "items": ref("Reason")},
                "checks": {"type": "array", "items": {"type": "object"}}, "answers": {"type": "array", "items": {"type": "object"}}}},
            "Change": {"type": "object", "required": ["agent", "team", "channel", "available", "reasons", "until", "revision"], "additionalProperties": False, "properties": {
                "agent": {"type": "string"}, "team": {"type": "string"}, "channel": ref("Channel"), "available": {"type": "boolean"},
                "reasons": {"type": "array", "items": ref("Reason")}, "until": ref("Until"), "revision": {"type": "integer", "minimum": 1}}},
            "Removal": {"type": "object", "required": ["agent", "team", "channel", "revision"], "additionalProperties": False, "properties": {
                "agent": {"type": "string"}, "team": {"type": "string"}, "channel": ref("Channel"), "revision": {"type": "integer", "minimum": 1}}},
            "Changes": {"type": "object", "required": ["revision", "changes", "removed", "next"], "additionalProperties": False, "properties": {
                "revision": {"type": "integer", "minimum": 0}, "changes": {"type": "array", "items": ref("Change")},
                "removed": {"type": "array", "items": ref("Removal")}, "next": {"anyOf": [ref("Cursor"), {"type": "null"}]}}},
            "Cursor": {"type": "string", "pattern": CURSOR, "description": "A position in the feed: `c~AGENT~TEAM~CHANNEL` after a change, "
                       "`r~REVISION~AGENT~TEAM~CHANNEL` after a removal. Any cursor of this form is accepted and the feed goes on after that position; "
                       "pass back the `next` of an answer."},
            "Status": {"type": "object", "required": ["revision", "storeId", "revisionTime", "agents", "cells", "stale"], "additionalProperties": False, "properties": {
                "revision": {"type": "integer", "minimum": 0}, "storeId": {"type": "string"}, "revisionTime": {"type": ["string", "null"]},
                "agents": {"type": "integer", "minimum": 0}, "cells": {"type": "integer", "minimum": 0}, "stale": {"type": "boolean"}}},
            "Readiness": {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "enum": ["ready", "unavailable"]}, "revision": {"type": "integer"}, "message": {"type": "string"}}},
        },
    },
}

text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
(root / "schemas" / "openapi.json").write_text(text)
swift = ('// swift-format-ignore-file\n'
         '// Generated by scripts/openapi.py from the same data as schemas/openapi.json; do not edit.\n'
         '// Embedded so an installed binary serves /openapi.json without resource files.\n\n'
         'enum OpenAPIDocument {\n    static let text = #"""\n' + text + '\n"""#\n}\n')
(root / "Sources" / "OutboundGateServer" / "OpenAPIDocument.swift").write_text(swift)
