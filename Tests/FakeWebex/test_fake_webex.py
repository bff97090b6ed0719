"""Self-test of the fake Webex Contact Center API (fake_webex.py).

Run: python3 -m unittest discover -s Tests/FakeWebex -p 'test_*.py'   (from the repository root)

Starts the fake as a process on the committed export (Tests/Fixtures/webex/tenant) and checks
what the Swift tests rely on: paging, the page cap, auth, validation against Cisco's document,
each fault kind, the seeded schedule, a moving list, queues without groups, the log, keep-alive
and concurrency, a clean stop — and that what it serves is valid under Cisco's schemas.
"""
import email.utils
import http.client
import json
import pathlib
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
from webex_store import LISTS, read_export  # noqa: E402

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
        document = cls.get().closed if closed else cls.document.document
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
        response, data = fake.get(f"/organization/{ORG}/v2/site", method="PUT", body=b"{}",
                                  headers={"Content-Type": "application/json"})
        self.assert_cisco_error(response, data, 400)
        self.assertIn("has no PUT operation", fake.log()[-1]["invalid"])

    def test_bodies_are_checked_and_writes_are_501_for_now(self):
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
        response, data = fake.get(path, method="PUT", body=json.dumps(site).encode(), headers=json_header)
        self.assert_cisco_error(response, data, 501)
        entry = fake.log()[-1]
        self.assertEqual((entry["invalid"], entry["unimplemented"]), (None, "PUT /organization/{orgid}/site/{id}"))
        # Cisco's document declares the team DTO of PUT team/{id} as a query parameter; a body does.
        team = dict(export_lists()["team"][0])
        team.pop("siteName")
        team["rankQueuesForTeam"] = False
        response, data = fake.get(f"/organization/{ORG}/team/{team['id']}", method="PUT",
                                  body=json.dumps(team).encode(), headers=json_header)
        self.assert_cisco_error(response, data, 501)
        response, data = fake.get(f"/organization/{ORG}/team/{team['id']}", method="PUT")
        self.assert_cisco_error(response, data, 400)
        # a GET with a body
        response, data = fake.get(LIST_PATHS["site"], body=b"{}", headers=json_header)
        self.assert_cisco_error(response, data, 400)

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
                results[kind] = (response.status, dict(response.getheaders()), response.read(), time.monotonic() - started)
            except (http.client.RemoteDisconnected, ConnectionError) as error:
                results[kind] = ("closed", error)
            except socket.timeout:
                results[kind] = ("timeout",)
            connection.close()
        self.assertEqual(results["429"][:2][0], 429)
        self.assertEqual(results["429"][1]["Retry-After"], "1")
        self.assertEqual(results["429s3"][1]["Retry-After"], "3")
        retry_date = results["429date"][1]["Retry-After"]
        ahead = email.utils.parsedate_to_datetime(retry_date).timestamp() - time.time()
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
        for bad in ("500", "500:2", "nope:0.1", "500:0.7,503:0.7"):
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
                          ["--export", str(TENANT), "--moving", "nothing:1"]):
                result = self.run_fake(*flags)
                self.assertEqual(result.returncode, 2, flags)
                self.assertEqual(result.stdout, "")
                self.assertTrue(result.stderr.strip())


if __name__ == "__main__":
    unittest.main()
