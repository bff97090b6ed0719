"""The fake tenant: the lists of a Webex export (SPEC §9) held in memory, in the export's order.

`read_export(DIR)` reads `NAME.json`, `NAME.2.json`, … of every list (a plain array or the paged
envelope `{"meta": …, "data": […]}`); a missing list is empty. `Store` serves pages and items by
id, and makes every change (create, update with its `version` check, delete, bulk) under one
lock, so a page and an item read by id always agree. The write rules (ids, versions, names,
references, what cannot be changed) are here; Tests/FakeWebex/README.md says each one and why.
`write_state(store, DIR)` writes the tenant as an export directory `--export` reads back.
"""
import copy
import json
import os
import pathlib
import random
import re
import shutil
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

# The write operations Cisco's document has for each list (under /organization/{orgid}/), all
# served: create (POST), update (PUT, whole object), delete (DELETE), bulk (POST …/bulk, 207,
# SAVE and DELETE items), patch (PATCH …/bulk, 207, SAVE items whose fields replace the stored
# ones) and the incoming-references list. Users have no create or delete (Control Hub's).
WRITES = {
    "multimedia-profile": {"create": ["multimedia-profile"], "update": ["multimedia-profile/{id}"],
                           "delete": ["multimedia-profile/{id}"], "bulk": ["multimedia-profile/bulk"], "patch": [],
                           "references": "multimedia-profile/{id}/incoming-references"},
    "site": {"create": ["site"], "update": ["site/{id}"], "delete": ["site/{id}"], "bulk": ["site/bulk"], "patch": [],
             "references": "site/{id}/incoming-references"},
    "team": {"create": ["team"], "update": ["team/{id}"], "delete": ["team/{id}"], "bulk": ["team/bulk"], "patch": [],
             "references": "team/{id}/incoming-references"},
    "user": {"create": [], "update": ["user/{id}"], "delete": [], "bulk": [], "patch": ["user/bulk"],
             "references": "user/{id}/incoming-references"},
    "user-profile": {"create": ["v3/user-profile"], "update": ["v3/user-profile/{id}"], "delete": ["v3/user-profile/{id}"],
                     "bulk": ["v3/user-profile/bulk"], "patch": [], "references": "user-profile/{id}/incoming-references"},
    "agent-profile": {"create": ["agent-profile"], "update": ["agent-profile/{id}"], "delete": ["agent-profile/{id}"],
                      "bulk": ["agent-profile/bulk"], "patch": [], "references": "agent-profile/{id}/incoming-references"},
    "entry-point": {"create": ["entry-point"], "update": ["entry-point/{id}"], "delete": ["entry-point/{id}"],
                    "bulk": ["entry-point/bulk"], "patch": [], "references": "entry-point/{id}/incoming-references"},
    "contact-service-queue": {"create": ["contact-service-queue", "v2/contact-service-queue"],
                              "update": ["contact-service-queue/{id}", "v2/contact-service-queue/{id}"],
                              "delete": ["contact-service-queue/{id}"],
                              "bulk": ["contact-service-queue/bulk", "contact-service-queue/v2/bulk"],
                              "patch": ["contact-service-queue/bulk"],
                              "references": "contact-service-queue/{id}/incoming-references"},
    "auxiliary-code": {"create": ["auxiliary-code"], "update": ["auxiliary-code/{id}"], "delete": ["auxiliary-code/{id}"],
                       "bulk": ["auxiliary-code/bulk"], "patch": ["auxiliary-code/bulk"],
                       "references": "auxiliary-code/{id}/incoming-references"},
    "work-type": {"create": ["work-type"], "update": ["work-type/{id}"], "delete": ["work-type/{id}"],
                  "bulk": ["work-type/bulk"], "patch": [], "references": "work-type/{id}/incoming-references"},
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


DAY_MS = 86_400_000
DEFAULT_CLOCK_START = 1_767_225_600_000  # 2026-01-01T00:00:00Z, for an export without any time

# The fields of an item that name items of another list: (path, target list). `[]` in a path
# walks an array. A write whose body names an id the target list lacks is refused (400); a
# delete of an item any of these name is refused (412); incoming-references lists them.
REFERENCES = {
    "site": [("multimediaProfileId", "multimedia-profile")],
    "team": [("siteId", "site"), ("multiMediaProfileId", "multimedia-profile"), ("userIds[]", "user")],
    "user": [("siteId", "site"), ("teamIds[]", "team"), ("agentProfileId", "agent-profile"),
             ("multimediaProfileId", "multimedia-profile"), ("userProfileId", "user-profile")],
    "agent-profile": [("entryPoints[]", "entry-point"), ("wrapUpCodes[]", "auxiliary-code"),
                      ("idleCodes[]", "auxiliary-code"), ("queues[]", "contact-service-queue"),
                      ("buddyTeams[]", "team"), ("outdialEntryPointId", "entry-point"), ("siteId", "site")],
    "entry-point": [("outdialQueueId", "contact-service-queue")],
    "contact-service-queue": [("callDistributionGroups[].agentGroups[].teamId", "team"), ("agents[].id", "user")],
    "auxiliary-code": [("workTypeId", "work-type")],
}

# Names are unique (compared case-insensitively) among the items of a list that share these
# fields: teams per site (TeamDTO.name: "Two teams in the same site in an organization cannot
# share the same name"), idle and wrap-up codes each among their kind, the rest per
# organisation (EntryPointDTO.name: "A unique name for the entry point within the
# organization"). Users have no name of their own (None).
NAME_SCOPES = {"team": ("siteId",), "auxiliary-code": ("workTypeCode",), "user": None}

# Fields Cisco's document says cannot be changed (its field descriptions); a body that changes
# one is refused (400); a body that leaves one out keeps the stored value.
IMMUTABLE = {
    "team": {"siteId": "Once specified, siteId should not be modified."},
    "user": {
        "ciUserId": "It cannot be modified.",
        "broadCloudUserId": "This field cannot be modified.",
        "xspVersion": "This field cannot be modified.",
        "subscriptionId": "This field cannot be modified.",
        "imiUserCreated": "This field cannot be modified.",
        "email": "Can be changed using Users Management in Cisco Webex Control Hub.",
        "firstName": "Can be changed using Users Management in Cisco Webex Control Hub.",
        "lastName": "Can be changed using Users Management in Cisco Webex Control Hub.",
        "active": "Can be changed using Users Management in Cisco Webex Control Hub.",
    },
}

# Lists whose items the API can neither create nor delete (users come from Control Hub).
NO_CREATE_DELETE = {"user"}

# Response fields the server derives from another list's item when the reference changes:
# (field, reference field, target list, target field).
DERIVED = {
    "team": [("siteName", "siteId", "site", "name")],
    "user": [("siteName", "siteId", "site", "name"), ("userProfileType", "userProfileId", "user-profile", "profileType")],
}

# Team membership is one relation seen from both sides: a write that adds or removes ids here
# adds or removes the written item's id on the other side (without a new version there).
MEMBERSHIP = {"user": ("teamIds", "team", "userIds"), "team": ("userIds", "user", "teamIds")}

# Fields only the server sets: never taken from a body.
SERVER_FIELDS = {"id", "organizationId", "version", "createdTime", "lastUpdatedTime"}


def values_at(item, path):
    """The non-empty string values at `path` (e.g. "callDistributionGroups[].agentGroups[].teamId")."""
    values = [item]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        found = []
        for value in values:
            if not isinstance(value, dict) or key not in value:
                continue
            if many:
                if isinstance(value[key], list):
                    found.extend(value[key])
            else:
                found.append(value[key])
        values = found
    return [value for value in values if isinstance(value, str) and value]


def reference_name(resource, item):
    """The name an incoming reference is shown with (a user's is its email)."""
    if resource == "user":
        return item.get("email") or " ".join(str(item.get(k, "")) for k in ("firstName", "lastName")).strip()
    return item.get("name") if isinstance(item.get("name"), str) else ""


def default_clock_start(lists):
    """The next whole day (UTC) after the latest createdTime/lastUpdatedTime of the export."""
    latest = 0
    for items in lists.values():
        for item in items:
            for key in ("createdTime", "lastUpdatedTime"):
                value = item.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    latest = max(latest, value)
    return (latest // DAY_MS + 1) * DAY_MS if latest else DEFAULT_CLOCK_START


class WriteError(Exception):
    """A write refused: the status, Cisco's description and, for 412, the referring items."""

    def __init__(self, status, description, references=None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.references = references or []


class Frozen(Exception):
    """--stop-after-writes was reached: the server is going down and takes no more writes."""


class Store:
    """The tenant's lists. Items keep the export's order (not sorted by id: clients sort); a
    created item goes at the end of its list; a deleted one leaves it."""

    def __init__(self, lists, seed=1, org=None, clock_start=None, stop_after_writes=None, response_only=None, retained=None):
        self.lock = threading.RLock()
        self.lists = {name: list(lists.get(name, [])) for name in LISTS}
        self.by_id = {}
        for name, items in self.lists.items():
            index = {}
            for item in items:
                if isinstance(item.get("id"), str):
                    index.setdefault(item["id"], item)
            self.by_id[name] = index
        self.seed = seed
        self.org = org
        self.added = 0                  # items added by --moving
        self.created = 0                # ids drawn for created items
        self.ticks = 0                  # writes of single items (the clock)
        self.clock_start = default_clock_start(self.lists) if clock_start is None else clock_start
        self.response_only = response_only or {}   # list -> fields of its answers that no request body sets
        self.retained = retained or {}             # list -> {field kept by an update without it: its default on create}
        self.writes = 0                 # write requests that changed the tenant
        self.stop_after_writes = stop_after_writes
        self.frozen = False
        self.changed = False

    # --- reads ---------------------------------------------------------------------------

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
            item = self.by_id[name].get(item_id)
            return copy.deepcopy(item) if item is not None else None

    def snapshot(self):
        """Every list, deep-copied at one instant."""
        with self.lock:
            return {name: copy.deepcopy(items) for name, items in self.lists.items()}

    def incoming(self, name, item_id):
        """[(list, item)] of every item that names `item_id` of list `name`, in list order."""
        with self.lock:
            found = []
            for other in LISTS:
                paths = [path for path, target in REFERENCES.get(other, []) if target == name]
                if not paths:
                    continue
                for item in self.lists[other]:
                    if any(item_id in values_at(item, path) for path in paths):
                        found.append((other, item))
            return found

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
            self.by_id[name].setdefault(item["id"], item)
            return copy.deepcopy(item)

    # --- writes --------------------------------------------------------------------------

    def transaction(self, operation):
        """Runs `operation()` (create/update/delete calls) as one write request under the lock.
        Returns (its result, whether the tenant changed, whether this was the write
        --stop-after-writes waited for). Raises Frozen once that write has landed; a WriteError
        of `operation` passes through (nothing was changed before it)."""
        with self.lock:
            if self.frozen:
                raise Frozen()
            self.changed = False
            result = operation()
            changed, stop = self.changed, False
            if changed:
                self.writes += 1
                if self.stop_after_writes is not None and self.writes >= self.stop_after_writes:
                    self.frozen = stop = True
            return result, changed, stop

    def create(self, name, body):
        """The created item (a copy). Refuses an id (400), another organisation (400), unknown
        references (400), a duplicate name (409)."""
        with self.lock:
            if name in NO_CREATE_DELETE:
                raise WriteError(400, f"A {name} cannot be created through this API (users are created in Cisco Webex Control Hub).")
            if "id" in body:
                raise WriteError(400, "id: It should not be specified when creating a new resource.")
            self._check_organization(body)
            skip = SERVER_FIELDS | self.response_only.get(name, set())
            fields = {key: copy.deepcopy(value) for key, value in body.items() if key not in skip}
            self._check_references(name, fields, None)
            self._check_name(name, fields, None)
            now = self._tick()
            version = body.get("version", 0)  # "For a newly created resource, it will be 0 unless specified otherwise."
            item = {"organizationId": self.org, "id": self._new_id(), "version": version}
            item.update(fields)
            for field, default in self.retained.get(name, {}).items():
                if field not in item and default is not None:
                    item[field] = default
            self._derive(name, item, None)
            item["createdTime"] = now
            item["lastUpdatedTime"] = now
            self.lists[name].append(item)
            self.by_id[name][item["id"]] = item
            self._sync_membership(name, {}, item)
            self.changed = True
            return copy.deepcopy(item)

    def update(self, name, item_id, body, partial=False):
        """The updated item (a copy). `partial` (bulk PATCH): the body's fields replace the
        stored ones and the rest stay; otherwise (PUT, bulk SAVE) the body replaces the item
        whole, but for the fields only the server sets."""
        with self.lock:
            stored = self.by_id[name].get(item_id)
            if stored is None:
                raise WriteError(404, f"{name} {item_id} not found.")
            if "id" not in body and not partial:
                raise WriteError(400, "id: It is mandatory when updating a resource.")
            if "id" in body and body["id"] != item_id:
                raise WriteError(400, f"id: {body['id']} is not the id {item_id} of the resource updated.")
            self._check_organization(body)
            current = stored.get("version", 0)
            if "version" in body:
                if body["version"] != current:
                    raise WriteError(412, f"version: {body['version']} is not the current version {current} of {name} {item_id}; it was changed since it was read.")
            elif not partial:
                raise WriteError(400, "version: It is mandatory when updating a resource.")
            for key, why in IMMUTABLE.get(name, {}).items():
                if key in body and (key not in stored or body[key] != stored[key]):
                    raise WriteError(400, f"{key}: cannot be changed through this API. {why}")
            merged = self._merged(name, stored, body, partial)
            self._check_references(name, merged, stored)
            self._check_name(name, merged, stored)
            self._check_profile_type(name, stored, merged)
            if stored.get("active") is True and merged.get("active") is False:
                references = self.incoming(name, item_id)
                if references:
                    raise WriteError(412, f"{name} {item_id} cannot be deactivated: Resource referred in other entity(s). "
                                          "Please get all the reference entities info by invoking Get incoming-references api.", references)
            merged["version"] = current + 1
            merged["lastUpdatedTime"] = self._tick()
            self._derive(name, merged, stored)
            before = copy.deepcopy(stored)
            stored.clear()
            stored.update(merged)   # the same object: its place in the list and the index stay
            self._sync_membership(name, before, stored)
            self.changed = True
            return copy.deepcopy(stored)

    def delete(self, name, item_id):
        with self.lock:
            if name in NO_CREATE_DELETE:
                raise WriteError(400, f"A {name} cannot be deleted through this API (users are deleted in Cisco Webex Control Hub).")
            stored = self.by_id[name].get(item_id)
            if stored is None:
                raise WriteError(404, f"{name} {item_id} not found.")
            references = self.incoming(name, item_id)
            if references:
                raise WriteError(412, f"{name} {item_id}: Resource referred in other entity(s). "
                                      "Please get all the reference entities info by invoking Get incoming-references api.", references)
            items = self.lists[name]
            for index, item in enumerate(items):
                if item is stored:
                    del items[index]
                    break
            del self.by_id[name][item_id]
            self._sync_membership(name, stored, {})
            self.changed = True

    # --- the rules -----------------------------------------------------------------------

    def _tick(self):
        self.ticks += 1
        return self.clock_start + self.ticks * 1000

    def _new_id(self):
        """A uuid from the seeded stream that no item of any list has (a restart on a saved
        state draws the same stream again and skips what the first run created)."""
        while True:
            self.created += 1
            rng = random.Random(f"fake-webex/{self.seed}/created/{self.created}")
            candidate = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if not any(candidate in index for index in self.by_id.values()):
                return candidate

    def _check_organization(self, body):
        if "organizationId" in body and body["organizationId"] != self.org:
            raise WriteError(400, f"organizationId: {body['organizationId']} is not the organization {self.org} of the path.")

    def _merged(self, name, stored, body, partial):
        keep = (SERVER_FIELDS | self.response_only.get(name, set())
                | {key for key in IMMUTABLE.get(name, {}) if key not in body}
                | {key for key in self.retained.get(name, {}) if key not in body})
        if partial:
            merged = copy.deepcopy(stored)
            for key, value in body.items():
                if key not in keep:
                    merged[key] = copy.deepcopy(value)
            return merged
        merged = {}
        for key, value in stored.items():   # the stored order, whatever order the client sent
            if key in keep:
                merged[key] = copy.deepcopy(value)
            elif key in body:
                merged[key] = copy.deepcopy(body[key])
        for key, value in body.items():
            if key not in merged and key not in keep:
                merged[key] = copy.deepcopy(value)
        return merged

    def _check_references(self, name, item, stored):
        """Every id the item names must exist; on an update only the ids it did not name before
        are checked (the tenant's own dangling references are not the client's doing)."""
        for path, target in REFERENCES.get(name, []):
            before = set(values_at(stored, path)) if stored is not None else set()
            for value in values_at(item, path):
                if value not in before and value not in self.by_id[target]:
                    field = path.replace("[]", "")
                    raise WriteError(400, f"{field}: {value} not found for given orgId (no {target} has this id).")

    def _name_key(self, name, item):
        scope = NAME_SCOPES.get(name, ())
        if scope is None or not isinstance(item.get("name"), str):
            return None
        return (item["name"].casefold(),) + tuple(json.dumps(item.get(field)) for field in scope)

    def _check_name(self, name, item, stored):
        key = self._name_key(name, item)
        if key is None or (stored is not None and self._name_key(name, stored) == key):
            return
        for other in self.lists[name]:
            if other is not stored and self._name_key(name, other) == key:
                where = " in this site" if name == "team" else ""
                raise WriteError(409, f"name: a {name} named {other.get('name')!r} already exists{where} ({other.get('id')}); names are compared ignoring case.")

    def _check_profile_type(self, name, stored, merged):
        if name != "user" or merged.get("userProfileId") == stored.get("userProfileId"):
            return
        def profile_type(profile_id, fallback=None):
            profile = self.by_id["user-profile"].get(profile_id)
            return profile.get("profileType") if profile is not None else fallback
        old = profile_type(stored.get("userProfileId"), stored.get("userProfileType"))
        new = profile_type(merged.get("userProfileId"))
        if old is not None and new is not None and old != new:
            raise WriteError(400, "userProfileId: Changing the profile type requires a token with `FLS:Read_Scope` scope. "
                                  "As of today, changing the profile type for a user is supported only from Cisco Webex Control Hub.")

    def _derive(self, name, item, stored):
        for field, reference, target, source in DERIVED.get(name, []):
            if stored is not None and item.get(reference) == stored.get(reference):
                continue
            other = self.by_id[target].get(item.get(reference)) if isinstance(item.get(reference), str) else None
            if other is not None and source in other:
                item[field] = copy.deepcopy(other[source])
            else:
                item.pop(field, None)

    def _sync_membership(self, name, before, after):
        if name not in MEMBERSHIP:
            return
        field, other, back = MEMBERSHIP[name]
        item_id = after.get("id") or before.get("id")
        old = values_at(before, field + "[]")
        new = values_at(after, field + "[]")
        for added in new:
            if added not in old and added in self.by_id[other]:
                target = self.by_id[other][added]
                members = target.setdefault(back, [])
                if isinstance(members, list) and item_id not in members:
                    members.append(item_id)
        for removed in old:
            if removed not in new and removed in self.by_id[other]:
                members = self.by_id[other][removed].get(back)
                if isinstance(members, list) and item_id in members:
                    members.remove(item_id)


def state_text(items):
    """A list as the state dump writes it: a JSON array, one item a line, keys sorted."""
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                              for item in items) + "\n]\n"


def write_state(lists, directory):
    """Writes every list as DIRECTORY/NAME.json (state_text), an export `--export` reads back.
    Written into a sibling directory first and renamed: DIRECTORY appears whole or not at all.
    DIRECTORY must not exist or be empty."""
    directory = pathlib.Path(directory)
    partial = directory.with_name(f"{directory.name}.partial-{os.getpid()}")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    for name in LISTS:
        (partial / f"{name}.json").write_text(state_text(lists.get(name, [])), encoding="utf-8")
    if directory.exists():
        directory.rmdir()  # an empty directory (checked at the start); a non-empty one is an OSError
    os.rename(partial, directory)


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
