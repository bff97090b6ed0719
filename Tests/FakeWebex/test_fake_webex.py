"""Self-test of the fake Webex Contact Center API (fake_webex.py).

Run: python3 -m unittest discover -s Tests/FakeWebex -p 'test_*.py'   (from the repository root)

Starts the fake as a process on the committed export (Tests/Fixtures/webex/tenant) and checks
what the Swift tests rely on: paging, the page cap, auth, validation against Cisco's document,
each fault kind, the seeded schedule, a moving list, queues without groups, the log, keep-alive
and concurrency, a clean stop — and that what it serves is valid under Cisco's schemas. The
write side: create/update/delete, the rules (id on create, duplicate names, unknown references,
versions, what cannot change, referenced deletes and incoming-references), bulk and bulk PATCH,
commitdrop/commit503, --stop-after-writes, the state it leaves and a restart on it.
"""
import email.utils
import hashlib
import http.client
import json
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TENANT = ROOT / "Tests" / "Fixtures" / "webex" / "tenant"
DOCUMENT_PATH = ROOT / "Tests" / "Fixtures" / "webex" / "webex-contact-center.json"
ORG = "5d1f3a6e-2c44-4e0b-9a59-7c1b2f0e8a31"
TOKEN = "test-token-Zq9"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "scripts"))

from faults import Schedule, parse_fault_at, parse_faults  # noqa: E402
from openapi_requests import OpenAPIDocument, close_objects  # noqa: E402
import webex_lists  # noqa: E402
import webex_store  # noqa: E402
from webex_store import LISTS, WRITES, read_export  # noqa: E402

LIST_PATHS = {name: f"/organization/{ORG}/{path}" for name, (path, _) in LISTS.items()}


class Fake:
    """The fake as a process, with a log file and a token file in a temporary directory."""

    def __init__(self, *flags, export=TENANT):
        self.dir = tempfile.TemporaryDirectory()
        self.log_path = pathlib.Path(self.dir.name) / "requests.log"
        token_path = pathlib.Path(self.dir.name) / "token"
        token_path.write_text(TOKEN + "\n")
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "fake_webex.py"), "--export", str(export), "--org", ORG,
             "--token-file", str(token_path), "--log", str(self.log_path), *flags],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on http://127.0.0.1:"):
            self.process.kill()
            raise AssertionError(f"fake did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(line.rsplit(":", 1)[1])

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path, token=TOKEN, connection=None, headers=None, method="GET", body=None):
        own = connection is None
        connection = connection or self.connection()
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        if own:
            connection.close()
        return response, data

    def json(self, path, **kwargs):
        response, data = self.get(path, **kwargs)
        return response.status, json.loads(data)

    def log(self):
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        self.dir.cleanup()
        return self.process.returncode


def item_schema(resource, item):
    if hasattr(webex_lists, "item_schema"):  # a user profile may come in the older shape
        return webex_lists.item_schema(resource, item)
    return webex_lists.ITEM_SCHEMAS[resource]


def export_lists():
    return read_export(TENANT)


class Schemas:
    document = None

    @classmethod
    def get(cls):
        if cls.document is None:
            cls.document = OpenAPIDocument(str(DOCUMENT_PATH))
            # closed objects, as scripts/webex-fixture-check.py checks the fixtures
            cls.closed = json.loads(json.dumps(cls.document.document))
            close_objects(cls.closed)
        return cls

    @classmethod
    def errors(cls, schema_name, value, closed=True):
        schemas = cls.get()
        document = schemas.closed if closed else schemas.document.document
        key = ("test", schema_name, closed)
        return cls.document.errors(key, {"$ref": f"#/components/schemas/{schema_name}"}, value, document)


class FakeTestCase(unittest.TestCase):
    def start(self, *flags, **kwargs):
        fake = Fake(*flags, **kwargs)
        self.addCleanup(fake.stop)
        return fake

    def assert_cisco_error(self, response, data, status):
        self.assertEqual(response.status, status)
        body = json.loads(data)
        self.assertIsNone(Schemas.errors("ApiErrorResponse", body, closed=False))
        self.assertEqual(body["error"]["key"], str(status))
        self.assertTrue(body["error"]["message"][0]["description"])
        self.assertTrue(body["trackingId"].startswith("fake_"))
        self.assertEqual(response.getheader("TrackingID"), body["trackingId"])
        return body


class PagingTests(FakeTestCase):
    def test_pages_to_the_end_in_export_order_with_the_cap(self):
        fake = self.start("--page-cap", "30")
        users = export_lists()["user"]
        seen = []
        page = 0
        with_connection = fake.connection()  # one keep-alive connection for the whole read
        while True:
            status, body = fake.json(f"{LIST_PATHS['user']}?page={page}&pageSize=1000", connection=with_connection)
            self.assertEqual(status, 200)
            meta = body["meta"]
            self.assertEqual((meta["page"], meta["pageSize"], meta["totalRecords"]), (page, 30, len(users)))
            self.assertEqual(meta["totalPages"], (len(users) + 29) // 30)
            self.assertEqual(meta["orgid"], ORG)
            self.assertIn("self", meta["links"])
            seen.extend(body["data"])
            page += 1
            if page >= meta["totalPages"]:
                break
        with_connection.close()
        self.assertEqual([u["id"] for u in seen], [u["id"] for u in users])
        self.assertNotEqual([u["id"] for u in seen], sorted(u["id"] for u in seen))
        status, past = fake.json(f"{LIST_PATHS['user']}?page={page + 3}&pageSize=30")
        self.assertEqual((status, past["data"], past["meta"]["totalRecords"]), (200, [], len(users)))
        self.assertEqual([entry["status"] for entry in fake.log()], [200] * (page + 1))
        self.assertTrue(all(entry["invalid"] is None and entry["auth"] == "ok" for entry in fake.log()))

    def test_defaults_and_every_list(self):
        fake = self.start()
        lists = export_lists()
        for name, path in LIST_PATHS.items():
            status, body = fake.json(path)
            self.assertEqual(status, 200, name)
            self.assertEqual(body["meta"]["pageSize"], 100)
            self.assertEqual(body["meta"]["totalRecords"], len(lists[name]), name)
            self.assertEqual(len(body["data"]), min(100, len(lists[name])))
        status, body = fake.json(LIST_PATHS["work-type"])  # no work-type.json in the export
        self.assertEqual((body["data"], body["meta"]["totalPages"]), ([], 0))

    def test_work_type_and_paged_files_of_an_export(self):
        with tempfile.TemporaryDirectory() as directory:
            work_types = [{"organizationId": ORG, "id": f"{n}1a2b3c4-0000-4000-8000-00000000000{n}", "version": 1,
                           "name": name, "workTypeCode": code, "active": True}
                          for n, (name, code) in enumerate([("Wrap Up", "WRAP_UP_CODE"), ("Idle", "IDLE_CODE")], 1)]
            (pathlib.Path(directory) / "work-type.json").write_text(json.dumps({"meta": {}, "data": work_types[:1]}))
            (pathlib.Path(directory) / "work-type.2.json").write_text(json.dumps(work_types[1:]))
            fake = self.start(export=directory)
            status, body = fake.json(LIST_PATHS["work-type"])
            self.assertEqual((status, body["data"]), (200, work_types))
            for item in work_types:
                self.assertIsNone(Schemas.errors("WorkTypeDTO", item))
                self.assertEqual(fake.json(f"/organization/{ORG}/work-type/{item['id']}"), (200, item))
            status, body = fake.json(LIST_PATHS["site"])
            self.assertEqual((status, body["data"], body["meta"]["totalPages"]), (200, [], 0))

    def test_served_items_are_valid_under_ciscos_schemas(self):
        fake = self.start("--queues-with-groups")
        for name in webex_lists.ITEM_SCHEMAS:
            status, body = fake.json(LIST_PATHS[name] + "?pageSize=100")
            for item in body["data"]:
                self.assertIsNone(Schemas.errors(item_schema(name, item), item), f"{name} {item.get('id')}")
            # every meta is Cisco's paged metadata
            self.assertIsNone(Schemas.errors("MetaDataWithPagingInfo", body["meta"]), name)
        _, body = fake.json(LIST_PATHS["user"])
        self.assertIsNone(Schemas.errors("MetaDataPagedUser", body["meta"]))
        _, body = fake.json(LIST_PATHS["contact-service-queue"])
        self.assertIsNone(Schemas.errors("MetaDataPagedCSQ", body["meta"]))

    def test_queue_list_without_groups_and_whole_by_id(self):
        fake = self.start()
        _, body = fake.json(LIST_PATHS["contact-service-queue"])
        self.assertTrue(body["data"])
        self.assertFalse(any("callDistributionGroups" in queue for queue in body["data"]))
        for queue in body["data"]:
            for path in (f"/organization/{ORG}/contact-service-queue/{queue['id']}",
                         f"/organization/{ORG}/v2/contact-service-queue/{queue['id']}"):
                status, whole = fake.json(path)
                self.assertEqual(status, 200)
                self.assertIn("callDistributionGroups", whole)
                self.assertIsNone(Schemas.errors("ContactServiceQueueDTO", whole))
        response, data = fake.get(f"/organization/{ORG}/contact-service-queue/no-such-queue")
        self.assert_cisco_error(response, data, 404)

    def test_get_by_id_of_every_resource(self):
        fake = self.start()
        for name, (_, item_paths) in LISTS.items():
            for item in export_lists()[name][:2]:
                for item_path in item_paths:
                    status, body = fake.json(f"/organization/{ORG}/" + item_path.replace("{id}", item["id"]))
                    self.assertEqual((status, body), (200, item))


class RefusalTests(FakeTestCase):
    def test_auth(self):
        fake = self.start()
        response, data = fake.get(LIST_PATHS["site"], token=None)
        self.assert_cisco_error(response, data, 401)
        response, data = fake.get(LIST_PATHS["site"], token="wrong")
        self.assert_cisco_error(response, data, 401)
        response, data = fake.get(LIST_PATHS["site"], token=None, headers={"Authorization": "Basic " + TOKEN})
        self.assert_cisco_error(response, data, 401)
        self.assertEqual([e["auth"] for e in fake.log()], ["missing", "wrong", "wrong"])
        self.assertNotIn(TOKEN, fake.log_path.read_text())

    def test_other_org_is_404(self):
        fake = self.start()
        response, data = fake.get("/organization/2f9eecc5-0472-4549-9a83-2afdae0d4ba1/v2/site")
        self.assert_cisco_error(response, data, 404)

    def test_invalid_requests_are_400_and_logged(self):
        fake = self.start()
        cases = [
            (LIST_PATHS["user"] + "?foo=1", "unknown query parameter 'foo'"),
            (LIST_PATHS["user"] + "?page=abc", "page='abc' is not an integer"),
            (LIST_PATHS["user"] + "?page=1&page=2", "given 2 times"),
            (LIST_PATHS["user"] + "?pageSize=0", "pageSize must be at least 1"),
            (LIST_PATHS["user"] + "?page=-1", "page must not be negative"),
            (LIST_PATHS["user"] + "?pageSize=1.5", "pageSize='1.5' is not an integer"),
            (LIST_PATHS["user"] + "?page=", "page='' is not an integer"),
            (LIST_PATHS["team"] + "?supervisorView=yes", "not a boolean"),
            (f"/organization/{ORG}/v9/user", "no path of the document matches"),
        ]
        for path, reason in cases:
            response, data = fake.get(path)
            self.assert_cisco_error(response, data, 400)
        log = fake.log()
        self.assertEqual(len(log), len(cases))
        for entry, (_, reason) in zip(log, cases):
            self.assertEqual(entry["status"], 400)
            self.assertIn(reason, entry["invalid"])
        # a method the path does not have: 405 with Allow, as Spring answers it
        response, data = fake.get(f"/organization/{ORG}/v2/site", method="PUT", body=b"{}",
                                  headers={"Content-Type": "application/json"})
        self.assert_cisco_error(response, data, 405)
        self.assertEqual(response.getheader("Allow"), "GET")
        self.assertIn("has no PUT operation", fake.log()[-1]["invalid"])

    def test_bodies_are_checked_and_the_rest_is_501(self):
        fake = self.start()
        site = dict(export_lists()["site"][0])
        path = f"/organization/{ORG}/site/{site['id']}"
        json_header = {"Content-Type": "application/json"}
        response, data = fake.get(path, method="PUT", body=b"{not json", headers=json_header)
        self.assert_cisco_error(response, data, 400)
        self.assertIn("not JSON", fake.log()[-1]["invalid"])
        response, data = fake.get(path, method="PUT", body=json.dumps({"name": "x"}).encode(), headers=json_header)
        self.assert_cisco_error(response, data, 400)
        self.assertIn("required property", fake.log()[-1]["invalid"])
        response, data = fake.get(path, method="PUT", headers=json_header)
        self.assert_cisco_error(response, data, 400)
        response, data = fake.get(path, method="PUT", body=json.dumps(site).encode())  # no Content-Type
        self.assert_cisco_error(response, data, 400)
        response, data = fake.get(path, method="PUT", body=json.dumps(site).encode(), headers=json_header)
        self.assertEqual(response.status, 200, data)
        # Cisco's document declares the team DTO of PUT team/{id} as a query parameter; a body does.
        team = dict(export_lists()["team"][0])
        team["rankQueuesForTeam"] = False
        response, data = fake.get(f"/organization/{ORG}/team/{team['id']}", method="PUT",
                                  body=json.dumps(team).encode(), headers=json_header)
        self.assertEqual(response.status, 200, data)
        response, data = fake.get(f"/organization/{ORG}/team/{team['id']}", method="PUT")
        self.assert_cisco_error(response, data, 400)
        # a GET with a body
        response, data = fake.get(LIST_PATHS["site"], body=b"{}", headers=json_header)
        self.assert_cisco_error(response, data, 400)
        # what the document has and the fake does not
        response, data = fake.get(f"/organization/{ORG}/site/bulk-export")
        self.assert_cisco_error(response, data, 501)
        entry = fake.log()[-1]
        self.assertEqual((entry["invalid"], entry["unimplemented"]), (None, "GET /organization/{orgid}/site/bulk-export"))

    def test_unimplemented_parameter_is_501_unless_default(self):
        fake = self.start()
        response, data = fake.get(LIST_PATHS["user"] + "?filter=id%3D%3D%22x%22")
        self.assert_cisco_error(response, data, 501)
        status, _ = fake.json(LIST_PATHS["user"] + "?singleObjectResponse=false")
        self.assertEqual(status, 200)

    def test_malformed_http_is_answered_and_the_server_lives_on(self):
        fake = self.start()
        with socket.create_connection(("127.0.0.1", fake.port), timeout=5) as raw:
            raw.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            answer = b""
            while chunk := raw.recv(65536):  # the fake closes the connection after it
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer[:100])
        self.assertIn(b'"trackingId"', answer)
        status, _ = fake.json(LIST_PATHS["site"])
        self.assertEqual(status, 200)
        self.assertEqual([e["n"] for e in fake.log()], [1, 2])


class FaultTests(FakeTestCase):
    def test_each_kind_at_a_request_number(self):
        kinds = ["429", "429s3", "429date", "429bare", "500", "503", "drop", "latency", "stall",
                 "empty", "garbage", "deep"]
        fake = self.start("--fault-at", ",".join(f"{n}={k}" for n, k in enumerate(kinds, 1)),
                          "--latency", "0.4", "--page-cap", "50")
        path = LIST_PATHS["user"] + "?pageSize=50"
        results = {}
        for kind in kinds:
            connection = fake.connection(timeout=3)
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Authorization": f"Bearer {TOKEN}"})
                response = connection.getresponse()
                results[kind] = (response.status, dict(response.getheaders()), response.read(), time.monotonic() - started, time.time())
            except (http.client.RemoteDisconnected, ConnectionError) as error:
                results[kind] = ("closed", error)
            except socket.timeout:
                results[kind] = ("timeout",)
            connection.close()
        self.assertEqual(results["429"][:2][0], 429)
        self.assertEqual(results["429"][1]["Retry-After"], "1")
        self.assertEqual(results["429s3"][1]["Retry-After"], "3")
        retry_date = results["429date"][1]["Retry-After"]
        # measured when that answer came, not after the stall below (3 s) made the date past
        ahead = email.utils.parsedate_to_datetime(retry_date).timestamp() - results["429date"][4]
        self.assertTrue(-1 < ahead <= 3.5, (retry_date, ahead))
        self.assertNotIn("Retry-After", results["429bare"][1])
        self.assertEqual(results["500"][0], 500)
        self.assertEqual(json.loads(results["503"][2])["error"]["key"], "503")
        self.assertEqual(results["drop"][0], "closed")
        self.assertEqual(results["latency"][0], 200)
        self.assertGreaterEqual(results["latency"][3], 0.4)
        self.assertEqual(results["stall"][0], "timeout")
        empty = json.loads(results["empty"][2])
        self.assertEqual(empty["data"], [])
        self.assertGreater(empty["meta"]["totalPages"], 1)
        with self.assertRaises(ValueError):
            json.loads(results["garbage"][2])
        self.assertEqual(results["garbage"][0], 200)
        self.assertEqual((results["deep"][0], results["deep"][2]), (200, b"[" * 600 + b"]" * 600))
        time.sleep(0.5)  # the stalled connection is closed by the client: its log line is there
        log = {entry["n"]: entry for entry in fake.log()}
        for n, kind in enumerate(kinds, 1):
            self.assertEqual(log[n]["fault"], kind)
            expected = None if kind in ("drop", "stall") else results[kind][0]
            self.assertEqual(log[n]["status"], expected, kind)
        self.assertEqual(log[1]["retryAfter"], "1")
        self.assertEqual(log[3]["retryAfter"], retry_date)

    def test_fault_needs_a_valid_request_and_empty_a_list(self):
        fake = self.start("--fault-at", "1=503,2=empty")
        response, data = fake.get(LIST_PATHS["site"], token="wrong")  # request 1: refused, no fault
        self.assertEqual(response.status, 401)
        site = export_lists()["site"][0]
        status, body = fake.json(f"/organization/{ORG}/site/{site['id']}")  # request 2: not a list
        self.assertEqual((status, body["id"]), (200, site["id"]))
        self.assertEqual([e["fault"] for e in fake.log()], [None, None])

    def test_the_seeded_schedule_repeats(self):
        def run():
            fake = self.start("--faults", "503:0.3,429:0.2", "--seed", "7")
            statuses = [fake.get(LIST_PATHS["site"])[0].status for _ in range(30)]
            return statuses, [e["trackingId"] for e in fake.log()]
        first, second = run(), run()
        self.assertEqual(first, second)
        self.assertIn(503, first[0])
        self.assertIn(429, first[0])
        self.assertIn(200, first[0])

    def test_schedule_depends_on_the_request_number_only(self):
        schedule = Schedule(3, parse_faults("500:0.5"), parse_fault_at("4=drop"))
        draws = [schedule.fault_for(n) for n in range(1, 200)]
        self.assertEqual(draws, [Schedule(3, parse_faults("500:0.5"), {4: "drop"}).fault_for(n) for n in range(1, 200)])
        self.assertEqual(draws[3], "drop")
        self.assertTrue(40 < draws.count("500") < 160)
        # A method-scoped fault is drawn for that method only, from the same draw.
        scoped = Schedule(3, parse_faults("POST/500:0.5"), {})
        self.assertEqual([scoped.fault_for(n, "POST") for n in range(1, 200)], [d if d == "500" else None for d in
                                                                                 [Schedule(3, parse_faults("500:0.5"), {}).fault_for(n) for n in range(1, 200)]])
        self.assertEqual({scoped.fault_for(n, "GET") for n in range(1, 200)}, {None})
        for bad in ("500", "500:2", "nope:0.1", "500:0.7,503:0.7", "FETCH/500:0.1"):
            with self.assertRaises(ValueError):
                parse_faults(bad)
        for bad in ("0=500", "x=500", "1=teapot", "1=500,1=503"):
            with self.assertRaises(ValueError):
                parse_fault_at(bad)

    def test_stall_does_not_block_others_and_stop_is_clean(self):
        fake = self.start("--fault-at", "1=stall")
        held = fake.connection(timeout=30)
        held.request("GET", LIST_PATHS["site"], headers={"Authorization": f"Bearer {TOKEN}"})
        time.sleep(0.2)
        status, _ = fake.json(LIST_PATHS["site"])
        self.assertEqual(status, 200)
        started = time.monotonic()
        fake.process.send_signal(signal.SIGTERM)
        self.assertEqual(fake.process.wait(10), 0)
        self.assertLess(time.monotonic() - started, 5)
        held.close()
        self.assertEqual([(e["n"], e["fault"], e["status"]) for e in fake.log()], [(1, "stall", None), (2, None, 200)])


class MovingTests(FakeTestCase):
    def test_a_list_moves_for_the_first_read_only(self):
        fake = self.start("--moving", "user:1")
        users = export_lists()["user"]

        def read():
            pages, page = [], 0
            while True:
                _, body = fake.json(f"{LIST_PATHS['user']}?page={page}&pageSize=100")
                pages.append(body)
                page += 1
                if page >= body["meta"]["totalPages"]:
                    return pages
        first = read()
        self.assertEqual([p["meta"]["totalRecords"] for p in first], [len(users), len(users) + 1, len(users) + 1])
        added = first[-1]["data"][-1]
        self.assertNotIn(added["id"], {u["id"] for u in users})
        self.assertIsNone(Schemas.errors("UserResponseDTO", added))
        second = read()
        self.assertEqual({p["meta"]["totalRecords"] for p in second}, {len(users) + 1})
        self.assertEqual(second[-1]["data"][-1], added)


class ConcurrencyTests(FakeTestCase):
    def test_many_keep_alive_connections(self):
        fake = self.start("--page-cap", "10")
        failures = []

        def client():
            try:
                connection = fake.connection()
                for page in range(20):
                    status, body = fake.json(f"{LIST_PATHS['user']}?page={page}&pageSize=10", connection=connection)
                    if status != 200 or len(body["data"]) != 10:
                        failures.append((status, page))
                connection.close()
            except Exception as error:  # noqa: BLE001 — collected and asserted below
                failures.append(error)
        threads = [threading.Thread(target=client) for _ in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(failures, [])
        log = fake.log()
        self.assertEqual(sorted(e["n"] for e in log), list(range(1, 24 * 20 + 1)))


JSON = {"Content-Type": "application/json"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")


def org_path(path, item_id=None):
    path = f"/organization/{ORG}/{path}"
    return path.replace("{id}", item_id) if item_id is not None else path


def item_named(name, key, value):
    return next(item for item in export_lists()[name] if item.get(key) == value)


def site_body(name, profile="cc48d9ba-5453-5072-a055-1a0c6b0adb6a"):
    return {"name": name, "active": True, "multimediaProfileId": profile, "description": f"{name} site"}


def team_body(name, site="f946ff91-62f9-5ee7-9883-43dfb8543672"):
    return {"name": name, "active": True, "siteId": site, "teamType": "AGENT", "teamStatus": "IN_SERVICE",
            "rankQueuesForTeam": False}


LISBON = "f946ff91-62f9-5ee7-9883-43dfb8543672"
PORTO = "f009afa8-3a56-5e57-bf2c-d1f71ab533a6"
TEAM_N1 = "2b47b9f8-423e-5f5f-b63a-b530e44c9a63"       # Lisbon; its users and two queues refer to it
LEGACY_TEAM = "a4ad8e95"                               # inactive, nothing refers to it (prefix)
ANA = "5f852777-1ced-5243-8956-5c6933277296"            # a user in TEAM_N1 and Suporte Nível 2


class WriteTestCase(FakeTestCase):
    def send(self, fake, method, path, body=None, **kwargs):
        """(status, parsed body or None, response) of a JSON write."""
        data = None if body is None else json.dumps(body).encode()
        response, raw = fake.get(path, method=method, body=data, headers=JSON if body is not None else None, **kwargs)
        return response.status, (json.loads(raw) if raw else None), response

    def state(self, fake):
        status, body = fake.json("/__fake/state", token=None)
        self.assertEqual(status, 200)
        return body


class WriteTests(WriteTestCase):
    def test_create_update_delete(self):
        fake = self.start()
        sites_before = export_lists()["site"]
        # create: a new id from the seeded stream, version 0, the fake's clock, at the end of the list
        status, site, response = self.send(fake, "POST", org_path("site"), site_body("Faro"))
        self.assertEqual(status, 201, site)
        self.assertTrue(UUID.match(site["id"]), site["id"])
        self.assertEqual((site["version"], site["organizationId"], site["name"]), (0, ORG, "Faro"))
        self.assertEqual(site["createdTime"], site["lastUpdatedTime"])
        self.assertEqual(site["createdTime"] % 1000, 0)
        self.assertGreater(site["createdTime"], max(s["lastUpdatedTime"] for s in sites_before))
        self.assertIsNone(Schemas.errors("SiteDTO", site))
        self.assertEqual(fake.json(org_path("site/{id}", site["id"])), (200, site))
        _, listed = fake.json(LIST_PATHS["site"])
        self.assertEqual(listed["data"][-1], site)
        self.assertEqual(listed["meta"]["totalRecords"], len(sites_before) + 1)
        # a team on it, the DTO as a JSON body (the document says query parameter teamDTO)
        status, team, _ = self.send(fake, "POST", org_path("team"), team_body("Faro Desk", site["id"]))
        self.assertEqual(status, 201, team)
        self.assertEqual((team["siteName"], team["version"]), ("Faro", 0))  # derived, as TeamResponseDTO has it
        self.assertIsNone(Schemas.errors("TeamResponseDTO", team))
        # update: the whole object back, in another key order, with a field Cisco does not know
        sent = dict(reversed(list(team.items())))
        sent["description"] = "Faro front desk"
        sent["futureField"] = {"kept": [1, 2]}
        sent["createdTime"] = 1  # read-only: the server keeps its own
        sent["siteName"] = "ignored"  # response-only: derived by the server
        status, updated, _ = self.send(fake, "PUT", org_path("team/{id}", team["id"]), sent)
        self.assertEqual(status, 200, updated)
        self.assertEqual(updated["version"], 1)
        self.assertEqual((updated["createdTime"], updated["siteName"]), (team["createdTime"], "Faro"))
        self.assertEqual(updated["lastUpdatedTime"], team["lastUpdatedTime"] + 1000)
        self.assertEqual((updated["description"], updated["futureField"]), ("Faro front desk", {"kept": [1, 2]}))
        self.assertEqual(list(updated)[:len(team)], list(team))  # the stored order, whatever order was sent
        self.assertEqual(fake.json(org_path("team/{id}", team["id"])), (200, updated))
        # PUT replaces: a field the client leaves out is gone (server-owned ones stay)
        again = {key: value for key, value in updated.items() if key not in ("futureField", "description", "siteName")}
        status, replaced, _ = self.send(fake, "PUT", org_path("team/{id}", team["id"]), again)
        self.assertEqual(status, 200, replaced)
        self.assertNotIn("futureField", replaced)
        self.assertNotIn("description", replaced)
        self.assertEqual((replaced["version"], replaced["siteName"]), (2, "Faro"))
        # delete the team, then the site (nothing refers to it any more)
        response, data = fake.get(org_path("team/{id}", team["id"]), method="DELETE")
        self.assertEqual((response.status, data), (204, b""))
        self.assertEqual(fake.get(org_path("team/{id}", team["id"]))[0].status, 404)
        response, data = fake.get(org_path("site/{id}", site["id"]), method="DELETE")
        self.assertEqual(response.status, 204)
        self.assertEqual(self.state(fake)["site"], sites_before)
        self.assert_cisco_error(*fake.get(org_path("site/{id}", site["id"]), method="DELETE"), 404)
        # a queue created without the queueLevel…Inclusion fields gets Cisco's default for each
        queue = {key: value for key, value in item_named("contact-service-queue", "name", "VIP Agents").items()
                 if key not in ("id", "version", "createdTime", "lastUpdatedTime") and not key.startswith("queueLevel")}
        status, created, _ = self.send(fake, "POST", org_path("v2/contact-service-queue"), dict(queue, name="VIP Two"))
        self.assertEqual(status, 201, created)
        self.assertEqual(created["queueLevelSummariesInclusion"], "EXCLUDED")
        self.assertEqual(fake.get(org_path("contact-service-queue/{id}", created["id"]), method="DELETE")[0].status, 204)
        # multimedia profiles: 200 on create and delete, as Cisco's document says
        profile = {"name": "Night Chat", "active": True, "blendingMode": "BLENDED", "blendingModeEnabled": True,
                   "chat": 3, "email": 0, "social": 0, "telephony": 0}
        status, created, _ = self.send(fake, "POST", org_path("multimedia-profile"), profile)
        self.assertEqual(status, 200, created)
        self.assertEqual(fake.get(org_path("multimedia-profile/{id}", created["id"]), method="DELETE")[0].status, 200)
        # the log: writes like reads, with the entity, its version, whether it landed, the body's digest
        log = fake.log()
        writes = [entry for entry in log if entry["method"] != "GET"]
        self.assertEqual([(e["method"], e["status"], e["entity"], e["version"], e["committed"]) for e in writes], [
            ("POST", 201, site["id"], 0, True), ("POST", 201, team["id"], 0, True), ("PUT", 200, team["id"], 1, True),
            ("PUT", 200, team["id"], 2, True), ("DELETE", 204, team["id"], None, True),
            ("DELETE", 204, site["id"], None, True), ("DELETE", 404, site["id"], None, False),
            ("POST", 201, writes[7]["entity"], 0, True), ("DELETE", 204, writes[7]["entity"], None, True),
            ("POST", 200, created["id"], 0, True), ("DELETE", 200, created["id"], None, True)])
        self.assertEqual(writes[0]["body"], "sha256:" + hashlib.sha256(json.dumps(site_body("Faro")).encode()).hexdigest())
        self.assertTrue(all(e["entity"] is None and e["committed"] is None and e["body"] is None
                            for e in log if e["method"] == "GET"))

    def test_refusals_change_nothing(self):
        fake = self.start()
        before = self.state(fake)
        site = item_named("site", "id", LISBON)
        team = dict(item_named("team", "id", TEAM_N1), rankQueuesForTeam=False)
        user = item_named("user", "id", ANA)
        cases = [
            # (method, path, body, status, words of the description)
            ("POST", org_path("site"), dict(site_body("Faro"), id="8a7e1f3c-3333-4444-8555-666677778888"), 400, "should not be specified"),
            ("POST", org_path("site"), dict(site_body("Faro"), organizationId="2f9eecc5-0472-4549-9a83-2afdae0d4ba1"), 400, "organizationId"),
            ("POST", org_path("site"), site_body("LISBON"), 409, "already exists"),  # names ignore case
            ("POST", org_path("team"), team_body("suporte nível 1"), 409, "in this site"),
            ("POST", org_path("site"), site_body("Faro", profile="00000000-0000-4000-8000-000000000000"), 400, "multimediaProfileId"),
            ("POST", org_path("team"), team_body("Faro Desk", site="00000000-0000-4000-8000-000000000000"), 400, "siteId"),
            ("POST", org_path("team"), dict(team_body("Faro Desk"), userIds=[ANA, "no-such-user"]), 400, "userIds"),
            ("PUT", org_path("site/{id}", LISBON), dict(site, version=0), 412, "version"),
            ("PUT", org_path("site/{id}", LISBON), {k: v for k, v in site.items() if k != "version"}, 400, "version"),
            ("PUT", org_path("site/{id}", LISBON), {k: v for k, v in site.items() if k != "id"}, 400, "id"),
            ("PUT", org_path("site/{id}", PORTO), site, 400, "is not the id"),
            ("PUT", org_path("site/{id}", "8a7e1f3c-3333-4444-8555-666677778888"), site, 404, "not found"),
            ("PUT", org_path("site/{id}", LISBON), dict(site, name="Porto Harbor"), 409, "already exists"),
            ("PUT", org_path("team/{id}", TEAM_N1), dict(team, siteId=PORTO), 400, "siteId"),
            ("PUT", org_path("team/{id}", TEAM_N1), dict(team, multiMediaProfileId="nope"), 400, "multiMediaProfileId"),
            ("PUT", org_path("user/{id}", ANA), dict(user, email="someone@else.example"), 400, "Control Hub"),
            ("PUT", org_path("user/{id}", ANA), dict(user, teamIds=[TEAM_N1, "nope"]), 400, "teamIds"),
            ("PUT", org_path("user/{id}", ANA), dict(user, userProfileId="b7d5f9c3-cf8f-56ca-8f07-b42342a60ef5"), 400, "profile type"),
            ("PUT", org_path("site/{id}", LISBON), dict(site, active=False), 412, "referred in other entity"),
            ("PUT", org_path("site/{id}", LISBON), dict(site, name=7), 400, "request body"),
            ("POST", org_path("site"), {"name": "Faro"}, 400, "required property"),
            ("POST", org_path("user"), user, 405, "has no POST"),
            ("DELETE", org_path("user/{id}", ANA), None, 405, "has no DELETE"),
        ]
        for method, path, body, status, words in cases:
            got, answer, response = self.send(fake, method, path, body)
            self.assertEqual(got, status, (method, path, words, answer))
            self.assertIsNone(Schemas.errors("ApiErrorResponse", answer, closed=False))
            self.assertIn(words, answer["error"]["message"][0]["description"], (method, path))
            self.assertEqual(answer["error"]["key"], str(status))
        log = fake.log()
        self.assertTrue(all(entry["committed"] in (False, None) for entry in log))
        self.assertIn("required property", log[-3]["invalid"])  # the schema's refusals are logged invalid
        self.assertEqual(log[-1]["status"], 405)
        self.assertIsNone(log[0]["invalid"])  # a rule's refusal is not
        self.assertEqual(self.state(fake), before)

    def test_referenced_delete_is_412_with_incoming_references(self):
        fake = self.start("--page-cap", "20")
        response, data = fake.get(org_path("team/{id}", TEAM_N1), method="DELETE")
        error = self.assert_cisco_error(response, data, 412)
        message = error["error"]["message"][0]
        self.assertIn("incoming-references", message["description"])
        self.assertEqual(message["entity"], "team")
        users = [u for u in export_lists()["user"] if TEAM_N1 in u.get("teamIds", [])]
        queues = [q for q in export_lists()["contact-service-queue"]
                  if any(g.get("teamId") == TEAM_N1 for d in q["callDistributionGroups"] for g in d["agentGroups"])]
        expected = [(u["id"], u["email"]) for u in users] + [(q["id"], q["name"]) for q in queues]
        self.assertEqual([(r["id"], r["name"]) for r in message["references"]], expected)
        # the list of them, paged (the page cap applies), one type at a time
        seen, page = [], 0
        while True:
            status, body = fake.json(org_path("team/{id}/incoming-references", TEAM_N1) + f"?page={page}&pageSize=50")
            self.assertEqual(status, 200)
            self.assertIsNone(Schemas.errors("EntityReferenceInfoDTO", body))
            self.assertEqual((body["meta"]["pageSize"], body["meta"]["totalRecords"]), (20, len(expected)))
            self.assertEqual(body["meta"]["referencedEntities"], ["contact-service-queue", "user"])
            self.assertEqual(body["meta"]["currentEntity"], "team")
            seen.extend(body["data"])
            page += 1
            if page >= body["meta"]["totalPages"]:
                break
        self.assertEqual([(r["id"], r["name"]) for r in seen], expected)
        self.assertEqual(seen[-1]["additionalAttributes"], {"type": "contact-service-queue"})
        status, body = fake.json(org_path("team/{id}/incoming-references", TEAM_N1) + "?type=contact-service-queue")
        self.assertEqual([r["id"] for r in body["data"]], [q["id"] for q in queues])
        legacy = next(t for t in export_lists()["team"] if t["id"].startswith(LEGACY_TEAM))
        status, body = fake.json(org_path("team/{id}/incoming-references", legacy["id"]))
        self.assertEqual((status, body["data"], body["meta"]["totalPages"]), (200, [], 0))
        self.assert_cisco_error(*fake.get(org_path("team/{id}/incoming-references", "nope")), 404)
        # nothing refers to the inactive team: it goes
        self.assertEqual(fake.get(org_path("team/{id}", legacy["id"]), method="DELETE")[0].status, 204)
        # once its queues and users let go of a team, it can go too
        for queue in queues:
            _, whole = fake.json(org_path("contact-service-queue/{id}", queue["id"]))
            for group in whole["callDistributionGroups"]:
                group["agentGroups"] = [g for g in group["agentGroups"] if g["teamId"] != TEAM_N1]
            status, _, _ = self.send(fake, "PUT", org_path("v2/contact-service-queue/{id}", queue["id"]), whole)
            self.assertEqual(status, 200)
        for user in users:
            _, whole = fake.json(org_path("user/{id}", user["id"]))
            whole["teamIds"] = [t for t in whole["teamIds"] if t != TEAM_N1]
            self.assertEqual(self.send(fake, "PUT", org_path("user/{id}", user["id"]), whole)[0], 200)
        self.assertEqual(fake.get(org_path("team/{id}", TEAM_N1), method="DELETE")[0].status, 204)

    def test_team_membership_is_one_relation(self):
        fake = self.start()
        _, user = fake.json(org_path("user/{id}", ANA))
        _, team_before = fake.json(org_path("team/{id}", TEAM_N1))
        _, porto_desk = fake.json(org_path("team/{id}", "36bc3b8d-8256-5c12-b80b-fe78b09084a6"))
        user["teamIds"] = [t for t in user["teamIds"] if t != TEAM_N1] + [porto_desk["id"]]
        burnout = user.pop("userLevelBurnoutInclusion")  # "if not provided …, the previous value will be retained"
        status, updated, _ = self.send(fake, "PUT", org_path("user/{id}", ANA), user)
        self.assertEqual((status, updated["version"]), (200, user["version"] + 1))
        self.assertEqual(updated["userLevelBurnoutInclusion"], burnout)
        _, team_after = fake.json(org_path("team/{id}", TEAM_N1))
        self.assertNotIn(ANA, team_after["userIds"])
        self.assertEqual(team_after, dict(team_before, userIds=[u for u in team_before["userIds"] if u != ANA]))
        _, desk_after = fake.json(org_path("team/{id}", porto_desk["id"]))
        self.assertEqual(desk_after["userIds"], porto_desk["userIds"] + [ANA])
        self.assertEqual(desk_after["version"], porto_desk["version"])

    def test_every_item_goes_back_unchanged_but_for_its_version(self):
        fake = self.start("--queues-with-groups")
        before = self.state(fake)
        for name, writes in WRITES.items():
            for path in writes["update"]:
                for item in export_lists()[name][:3]:
                    _, read = fake.json(org_path(path, item["id"]))
                    body = dict(read)
                    if name == "team":
                        body.setdefault("rankQueuesForTeam", False)  # TeamDTO requires what the list may lack
                    if name == "user-profile" and "permissionAccessLevel" not in body:
                        continue  # the older shape: PUT v3/user-profile requires the granular fields
                    status, written, _ = self.send(fake, "PUT", org_path(path, item["id"]), body)
                    self.assertEqual(status, 200, (name, path, written))
                    self.assertEqual(written["version"], read["version"] + 1)
                    expected = dict(body, version=read["version"] + 1, lastUpdatedTime=written["lastUpdatedTime"])
                    self.assertEqual(written, expected, name)
                    self.assertEqual(list(written), list(expected))
        after = self.state(fake)
        self.assertEqual(after["entry-point"][3:], before["entry-point"][3:])
        self.assertEqual(len(after["user"]), len(before["user"]))


class BulkTests(WriteTestCase):
    def test_bulk_save_and_delete_per_item(self):
        fake = self.start()
        _, porto = fake.json(org_path("site/{id}", PORTO))
        legacy = next(t for t in export_lists()["team"] if t["id"].startswith(LEGACY_TEAM))
        _, n1 = fake.json(org_path("team/{id}", TEAM_N1))
        items = [
            {"itemIdentifier": 1, "requestAction": "SAVE", "item": dict(team_body("Bulk Desk"), organizationId=ORG)},
            {"itemIdentifier": 2, "requestAction": "SAVE", "item": dict(n1, rankQueuesForTeam=True, description="ranked")},
            {"itemIdentifier": 3, "requestAction": "SAVE", "item": dict(n1, rankQueuesForTeam=True)},  # now stale
            {"itemIdentifier": 4, "requestAction": "DELETE", "item": dict(legacy, rankQueuesForTeam=False)},
            {"itemIdentifier": 5, "requestAction": "DELETE", "item": dict(n1, rankQueuesForTeam=False)},
            {"itemIdentifier": 6, "requestAction": "SAVE", "item": team_body("No Org")},
            {"itemIdentifier": 7, "requestAction": "MERGE", "item": team_body("Odd")},
            {"itemIdentifier": 8, "requestAction": "SAVE", "item": dict(team_body("bulk desk"), organizationId=ORG)},
        ]
        status, body, _ = self.send(fake, "POST", org_path("team/bulk"), {"items": items})
        self.assertEqual(status, 207, body)
        self.assertIsNone(Schemas.errors("BulkResponseDTO", body, closed=False))
        results = body["items"]
        self.assertEqual([(r["itemIdentifier"], r["status"], r.get("operationType")) for r in results], [
            (1, 201, "CREATE"), (2, 200, "UPDATE"), (3, 412, "UPDATE"), (4, 204, "DELETE"), (5, 412, "DELETE"),
            (6, 400, "CREATE"), (7, 400, None), (8, 409, "CREATE")])
        created = results[0]["href"].rsplit("/", 1)[1]
        self.assertEqual(results[0]["href"], f"/api/organization/{ORG}/team/{created}")
        self.assertEqual(results[4]["apiError"]["error"]["key"], "412")
        self.assertTrue(results[4]["apiError"]["error"]["message"][0]["references"])
        status, team = fake.json(org_path("team/{id}", created))
        self.assertEqual((status, team["name"], team["version"], team["siteName"]), (200, "Bulk Desk", 0, "Lisbon"))
        _, n1_after = fake.json(org_path("team/{id}", TEAM_N1))
        self.assertEqual((n1_after["version"], n1_after["description"]), (n1["version"] + 1, "ranked"))
        self.assertEqual(fake.get(org_path("team/{id}", legacy["id"]))[0].status, 404)
        entry = next(e for e in fake.log() if e["method"] == "POST")
        self.assertEqual((entry["status"], entry["committed"], entry["entity"]), (207, True, None))
        self.assertEqual([(i["itemIdentifier"], i["status"]) for i in entry["items"]][:3], [(1, 201), (2, 200), (3, 412)])
        self.assertEqual(entry["items"][0]["id"], created)
        # the whole body is still checked against the schema: one bad item refuses the request
        status, body, _ = self.send(fake, "POST", org_path("site/bulk"),
                                    {"items": [{"itemIdentifier": 1, "requestAction": "SAVE", "item": dict(porto, active="yes")}]})
        self.assertEqual(status, 400)
        # a bulk with nothing that lands changes nothing
        status, body, _ = self.send(fake, "POST", org_path("site/bulk"),
                                    {"items": [{"itemIdentifier": 1, "requestAction": "SAVE", "item": dict(porto, version=0)}]})
        self.assertEqual((status, body["items"][0]["status"], fake.log()[-1]["committed"]), (207, 412, False))

    def test_bulk_patch_of_users_changes_only_the_fields_sent(self):
        fake = self.start()
        _, ana = fake.json(org_path("user/{id}", ANA))
        patch = {"items": [
            {"itemIdentifier": 0, "requestAction": "SAVE", "item": {"id": ANA, "userLevelBurnoutInclusion": "EXCLUDED",
                                                                   "multimediaProfileId": "09873800-be54-53b4-87d3-eda1f0e738c0"}},
            {"itemIdentifier": 1, "requestAction": "SAVE", "item": {"id": ANA, "version": 0, "externalIdentifier": "x"}},
            {"itemIdentifier": 2, "requestAction": "SAVE", "item": {"id": ANA, "firstName": "Anna"}},
            {"itemIdentifier": 3, "requestAction": "SAVE", "item": {"firstName": "Nobody"}},
            {"itemIdentifier": 4, "requestAction": "DELETE", "item": {"id": ANA}},
        ]}
        status, body, _ = self.send(fake, "PATCH", org_path("user/bulk"), patch)
        self.assertEqual(status, 207, body)
        self.assertEqual([(r["itemIdentifier"], r["status"]) for r in body["items"]], [(0, 200), (1, 412), (2, 400), (3, 400), (4, 400)])
        _, after = fake.json(org_path("user/{id}", ANA))
        self.assertEqual(after, dict(ana, userLevelBurnoutInclusion="EXCLUDED", multimediaProfileId="09873800-be54-53b4-87d3-eda1f0e738c0",
                                     version=ana["version"] + 1, lastUpdatedTime=after["lastUpdatedTime"]))
        status, body, _ = self.send(fake, "PATCH", org_path("user/bulk"),
                                    {"items": [{"itemIdentifier": 0, "requestAction": "SAVE", "item": {"id": ANA, "teamIds": "x"}}]})
        self.assertEqual(status, 400)
        self.assertIn("request body", fake.log()[-1]["invalid"])


class WriteFaultTests(WriteTestCase):
    def test_commitdrop_and_commit503_land_the_write(self):
        fake = self.start("--fault-at", "1=commitdrop,3=commit503,4=503,5=commitdrop")
        connection = fake.connection(timeout=5)
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.send(fake, "POST", org_path("site"), site_body("Faro"), connection=connection)
        connection.close()
        _, listed = fake.json(LIST_PATHS["site"])  # request 2
        created = listed["data"][-1]
        self.assertEqual(created["name"], "Faro")
        status, _, _ = self.send(fake, "PUT", org_path("site/{id}", created["id"]), dict(created, description="x"))  # 3
        self.assertEqual(status, 503)
        status, _, _ = self.send(fake, "PUT", org_path("site/{id}", created["id"]), dict(created, description="y"))  # 4
        self.assertEqual(status, 503)  # a fault before the route: not applied
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            fake.get(org_path("site/{id}", created["id"]))  # 5: a read dropped after it was served
        _, now = fake.json(org_path("site/{id}", created["id"]))
        self.assertEqual((now["version"], now["description"]), (1, "x"))
        log = {entry["n"]: entry for entry in fake.log()}
        self.assertEqual((log[1]["fault"], log[1]["status"], log[1]["committed"], log[1]["entity"]), ("commitdrop", None, True, created["id"]))
        self.assertEqual((log[3]["fault"], log[3]["status"], log[3]["committed"], log[3]["version"]), ("commit503", 503, True, 1))
        self.assertEqual((log[4]["fault"], log[4]["committed"]), ("503", None))
        self.assertEqual((log[5]["fault"], log[5]["status"]), ("commitdrop", None))

    def test_stop_after_writes_and_the_state_it_leaves(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        state_dir = pathlib.Path(directory.name) / "state"
        fake = self.start("--stop-after-writes", "2", "--state-out", str(state_dir), "--seed", "5")
        status, site, _ = self.send(fake, "POST", org_path("site"), site_body("Faro"))
        self.assertEqual(status, 201)
        self.assertEqual(self.send(fake, "POST", org_path("site"), site_body("Faro"))[0], 409)  # no write
        self.assertEqual(fake.json(org_path("site/{id}", LISBON))[0], 200)
        status, team, _ = self.send(fake, "POST", org_path("team"), team_body("Faro Desk", site["id"]))
        self.assertEqual(status, 201)  # the second write is answered, then the server stops
        self.assertEqual(fake.process.wait(10), 0)
        self.assertIn("stopped after 2 writes", fake.process.stderr.read())
        with self.assertRaises(ConnectionError):
            fake.get(LIST_PATHS["site"])
        self.assertEqual([e["status"] for e in fake.log()], [201, 409, 200, 201])
        # the state: every list, one item a line, keys sorted; untouched lists as the export had them
        lists = read_export(state_dir)
        self.assertEqual(sorted(path.name for path in state_dir.iterdir()), sorted(f"{name}.json" for name in LISTS))
        for name, items in export_lists().items():
            if name not in ("site", "team"):
                self.assertEqual((state_dir / f"{name}.json").read_text(), webex_store.state_text(items), name)
        self.assertEqual(lists["site"], export_lists()["site"] + [site])
        self.assertEqual(lists["team"], export_lists()["team"] + [team])
        # a restart on the state goes on from there: same seed, yet no id drawn twice
        again = self.start("--seed", "5", export=state_dir)
        status, other, _ = self.send(again, "POST", org_path("site"), site_body("Tavira"))
        self.assertEqual(status, 201)
        self.assertNotIn(other["id"], {site["id"], team["id"]})
        self.assertGreater(other["createdTime"], team["createdTime"])
        self.assertEqual(again.json(org_path("team/{id}", team["id"])), (200, team))

    def test_writes_are_deterministic_under_the_seed(self):
        def run(seed):
            fake = self.start("--seed", str(seed))
            self.send(fake, "POST", org_path("site"), site_body("Faro"))
            self.send(fake, "POST", org_path("team"), team_body("Faro Desk"))
            return self.state(fake)
        first, second, third = run(3), run(3), run(4)
        self.assertEqual(first, second)
        self.assertNotEqual(first["site"][-1]["id"], third["site"][-1]["id"])
        self.assertEqual(first["site"][-1]["createdTime"], third["site"][-1]["createdTime"])


class StartTests(unittest.TestCase):
    def run_fake(self, *flags):
        with tempfile.TemporaryDirectory() as directory:
            token = pathlib.Path(directory) / "token"
            token.write_text(TOKEN)
            return subprocess.run([sys.executable, str(HERE / "fake_webex.py"), "--org", ORG,
                                   "--token-file", str(token), *flags],
                                  capture_output=True, text=True, timeout=60)

    def test_unreadable_inputs_exit_2(self):
        with tempfile.TemporaryDirectory() as directory:
            broken = pathlib.Path(directory) / "site.json"
            broken.write_text("[{")
            for flags in (["--export", "/nonexistent/export"],
                          ["--export", directory],
                          ["--export", str(TENANT), "--document", "/nonexistent/doc.json"],
                          ["--export", str(TENANT), "--faults", "teapot:0.5"],
                          ["--export", str(TENANT), "--moving", "nothing:1"],
                          ["--export", str(TENANT), "--stop-after-writes", "0"],
                          ["--export", str(TENANT), "--state-out", directory]):  # not empty
                result = self.run_fake(*flags)
                self.assertEqual(result.returncode, 2, flags)
                self.assertEqual(result.stdout, "")
                self.assertTrue(result.stderr.strip())


if __name__ == "__main__":
    unittest.main()
