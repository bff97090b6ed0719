"""The fake tenant: the lists of a Webex export (SPEC §9) held in memory, in the export's order.

`read_export(DIR)` reads `NAME.json`, `NAME.2.json`, … of every list (a plain array or the paged
envelope `{"meta": …, "data": […]}`); a missing list is empty. `Store` serves pages and items by
id under one lock, and is where the write side (create, replace with a `version` check, delete)
will go: every change goes through `Store` so that a page and an item read by id always agree.
"""
import copy
import json
import pathlib
import random
import re
import threading
import uuid

# Each list the fake serves: its paged list path and the by-id paths Cisco's document has for
# it (under /organization/{orgid}/). Order = the order of SPEC §10's pull, then work-type.
LISTS = {
    "multimedia-profile": ("v2/multimedia-profile", ["multimedia-profile/{id}"]),
    "site": ("v2/site", ["site/{id}"]),
    "team": ("v2/team", ["team/{id}"]),
    "user": ("v2/user", ["user/{id}"]),
    "user-profile": ("v3/user-profile", ["v3/user-profile/{id}"]),
    "agent-profile": ("v2/agent-profile", ["agent-profile/{id}"]),
    "entry-point": ("v2/entry-point", ["entry-point/{id}"]),
    "contact-service-queue": ("v2/contact-service-queue", ["contact-service-queue/{id}", "v2/contact-service-queue/{id}"]),
    "auxiliary-code": ("v2/auxiliary-code", ["auxiliary-code/{id}"]),
    "work-type": ("v2/work-type", ["work-type/{id}"]),
}

FILE_NAME = re.compile(r"^(?P<resource>[a-z-]+?)(?:\.(?P<page>[2-9]|[1-9][0-9]+))?\.json$")


class ExportError(Exception):
    pass


def read_export(directory):
    """{list name: [item, …]} in the export's order (NAME.json, then NAME.2.json, …)."""
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ExportError(f"{directory}: not a directory")
    pages = {name: [] for name in LISTS}
    for file in directory.iterdir():
        found = FILE_NAME.match(file.name)
        if not found or found["resource"] not in LISTS or not file.is_file():
            continue
        pages[found["resource"]].append((int(found["page"] or 1), file))
    lists = {}
    for name, files in pages.items():
        items = []
        for _, file in sorted(files):
            try:
                content = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                raise ExportError(f"{file}: cannot be read: {error}")
            except json.JSONDecodeError as error:
                raise ExportError(f"{file}: line {error.lineno} column {error.colno}: invalid JSON: {error.msg}")
            data = content.get("data") if isinstance(content, dict) else content
            if not isinstance(data, list):
                raise ExportError(f"{file}: neither an array nor an object with a \"data\" array")
            for index, item in enumerate(data):
                if not isinstance(item, dict):
                    raise ExportError(f"{file}: item {index} is not an object")
            items.extend(data)
        lists[name] = items
    return lists


class Store:
    """The tenant's lists. Items keep the export's order (not sorted by id: clients sort)."""

    def __init__(self, lists, seed=1):
        self.lock = threading.RLock()
        self.lists = {name: list(lists.get(name, [])) for name in LISTS}
        self.seed = seed
        self.added = 0

    def page(self, name, page, size):
        """(the items of the page, the list's total), both read at one instant."""
        with self.lock:
            items = self.lists[name]
            start = page * size
            return [copy.deepcopy(item) for item in items[start:start + size]], len(items)

    def total(self, name):
        with self.lock:
            return len(self.lists[name])

    def get(self, name, item_id):
        with self.lock:
            for item in self.lists[name]:
                if item.get("id") == item_id:
                    return copy.deepcopy(item)
        return None

    def add_like_last(self, name):
        """Another item like the list's last one, with a new id and name (a change made in the
        tenant while a client reads it). None if the list is empty."""
        with self.lock:
            items = self.lists[name]
            if not items:
                return None
            self.added += 1
            rng = random.Random(f"fake-webex/{self.seed}/added/{self.added}")
            item = copy.deepcopy(items[-1])
            item["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            suffix = f" Moved {self.added}"
            if isinstance(item.get("name"), str):
                item["name"] = item["name"][:80 - len(suffix)] + suffix
            if isinstance(item.get("email"), str):
                item["email"] = f"moved{self.added}.{item['email']}"
            if isinstance(item.get("ciUserId"), str):
                item["ciUserId"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if isinstance(item.get("version"), int):
                item["version"] = 1
            items.append(item)
            return copy.deepcopy(item)

    # --- the write side (next issue) -----------------------------------------------------
    # create(name, item) -> item with a new id and version 0; replace(name, id, item) checks
    # item["version"] against the stored one (412 in Cisco's shape when it differs) and bumps
    # it; delete(name, id) refuses with 412 while incoming references exist (for the
    # incoming-references endpoint); bulk operations answer 207 with one result per item.
    # They take self.lock like the reads above.


class Moving:
    """`--moving LIST:N`: the first N reads of LIST that go past page 0 see the list grow by one
    item between page 0 and the next page (meta.totalRecords one more, the new item at the
    end). A read begins when page 0 is served; the change lands when the first later page is
    asked for. After N such changes the list is stable (with its N extra items)."""

    def __init__(self, store, counts):
        self.store = store
        self.lock = threading.Lock()
        self.left = dict(counts)      # list name -> moves still to make
        self.armed = set()            # lists whose page 0 was served by a read that will move

    def before_page(self, name, page):
        with self.lock:
            if page > 0 and name in self.armed:
                self.armed.discard(name)
                if self.store.add_like_last(name) is not None:
                    self.left[name] -= 1

    def after_page(self, name, page):
        with self.lock:
            if page == 0 and self.left.get(name, 0) > 0:
                self.armed.add(name)
