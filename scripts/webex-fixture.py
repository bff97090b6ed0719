#!/usr/bin/env python3
"""Write the Webex Contact Center tenant export the import tests read (SPEC §9).

Usage: scripts/webex-fixture.py [OUT_DIR] [--users N]   (default: Tests/Fixtures/webex/tenant, 200 users)

`--users 50000` writes the large export the import benchmark reads (`outboundctl-bench
import-webex`); its users are pages of 1,000, the API's largest page.

The tenant, "Harbor Logistics", is made to hit every mapping rule of §9 rather than to be
pretty: 3 sites, 6 teams and ~200 users, multimedia profiles of each shape (pushed slots,
manually assignable slots, both for one medium, realtime blending, exclusive), names with
spaces, accents and collisions once folded to ids, inactive entities of every kind, idle codes
beside wrap-up codes, users who are not contact-center agents, the `user` list split over
two pages of the `/v2/` envelope, and user profiles as the `/v3/` list gives them, one in the
older shape. Every item follows the item schema Cisco's OpenAPI document gives its list
endpoint; scripts/webex-fixture-check.py proves it in the test suite.

The output is deterministic (a seeded generator, ids from uuid5, fixed timestamps) so that the
committed files only change when this script does.
"""
import json
import pathlib
import random
import sys
import unicodedata
import uuid

ORG = "5d1f3a6e-2c44-4e0b-9a59-7c1b2f0e8a31"
NAMESPACE = uuid.UUID(ORG)
CREATED = 1767225600000  # 2026-01-01T00:00:00Z, in the API's epoch milliseconds
UPDATED = 1775001600000  # 2026-04-01T00:00:00Z
USERS_PER_PAGE = 100


def wid(kind, name):
    """A stable Webex-style id: the same entity gets the same id on every run."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def common(kind, name):
    return {"organizationId": ORG, "id": wid(kind, name), "version": 1}


def stamps():
    return {"createdTime": CREATED, "lastUpdatedTime": UPDATED}


def multimedia_profile(name, telephony, chat, email, social, mode, manual=None, active=True, description=""):
    item = common("mmp", name) | {
        "name": name,
        "description": description,
        "telephony": telephony,
        "chat": chat,
        "email": email,
        "social": social,
        "active": active,
        "blendingModeEnabled": mode != "EXCLUSIVE",
        "blendingMode": mode,
        "systemDefault": False,
    }
    if manual is not None:
        item["manuallyAssignable"] = common("mmp-manual", name) | {
            "telephony": 0, "chat": 0, "email": 0, "social": 0} | manual | stamps()
    return item | stamps()


MULTIMEDIA_PROFILES = [
    multimedia_profile("Voice Only", 1, 0, 0, 0, "BLENDED", description="Telephony agents"),
    multimedia_profile("Digital Blended", 1, 3, 2, 2, "BLENDED", description="Voice plus pushed digital work"),
    multimedia_profile("Email Manual", 1, 0, 0, 0, "BLENDED", manual={"email": 5}, description="Agents pick email from the queue"),
    multimedia_profile("Email Pushed and Manual", 1, 0, 2, 0, "BLENDED", manual={"email": 3}),
    multimedia_profile("Realtime Chat", 1, 2, 0, 0, "BLENDED_REALTIME"),
    multimedia_profile("Digital Exclusive", 0, 5, 5, 5, "EXCLUSIVE", manual={"social": 2}),
    multimedia_profile("Legacy Fax Profile", 1, 0, 1, 0, "BLENDED", active=False, description="Retired in 2025"),
]
MMP = {p["name"]: p["id"] for p in MULTIMEDIA_PROFILES}


def site(name, profile, active=True):
    return common("site", name) | {
        "name": name, "active": active, "multimediaProfileId": MMP[profile],
        "description": f"{name} contact centre", "systemDefault": False} | stamps()


# SiteDTO.name admits ASCII letters, digits, '-', '_' and spaces only: accents live elsewhere.
SITES = [site("Lisbon", "Voice Only"), site("Porto Harbor", "Digital Blended"), site("Sao Paulo", "Realtime Chat")]
SITE = {s["name"]: s for s in SITES}

# (name, site, multimedia profile or None, active). The two "Atención/Atencion Clientes" fold
# to the same id; "Legacy Night Shift" is inactive and so reported, not imported.
TEAM_SPECS = [
    ("Suporte Nível 1", "Lisbon", "Digital Blended", True),
    ("Suporte Nível 2", "Lisbon", None, True),
    ("Email Desk", "Porto Harbor", "Email Manual", True),
    ("Chat & Social", "Porto Harbor", "Digital Exclusive", True),
    ("Atención Clientes", "Sao Paulo", None, True),
    ("Atencion Clientes", "Sao Paulo", "Email Pushed and Manual", True),
    ("Legacy Night Shift", "Lisbon", None, False),
]

# (name, profileType, active, shape). The list is `GET …/v3/user-profile`, whose items are
# UserProfileGranularAccessDTO without their array fields (Cisco's list leaves those out); "Old
# Agent Profile" keeps the older UserProfileDTO shape (accessAll*, no permissionAccessLevel) that
# the import also reads, as an export saved from the older list holds it.
USER_PROFILES = [
    ("Premium Agent Profile", "PREMIUM_AGENT", True, "v3"),
    ("Standard Agent Profile", "STANDARD_AGENT", True, "v3"),
    ("Supervisor Profile", "SUPERVISOR", True, "v3"),
    ("Administrator Profile", "ADMINISTRATOR", True, "v3"),
    ("Old Agent Profile", "STANDARD_AGENT", False, "older"),
]


def user_profile(name, profile_type, active, shape):
    item = common("user-profile", name) | {
        "name": name,
        "description": f"{profile_type.replace('_', ' ').title()} users",
        "profileType": profile_type,
        "active": active,
    }
    if shape == "older":
        item |= {"accessAllModules": "ALL", "accessAllEntryPoints": "ALL", "accessAllSites": "ALL", "accessAllQueues": "ALL",
                 "accessAllTeams": "ALL"}
    else:
        item |= {"permissionAccessLevel": "ALL", "resourceAccessLevel": "ALL"}
        if profile_type == "SUPERVISOR":
            item |= {"resourceAccessLevel": "SPECIFIC",
                     "defaultResourceCollectionId": wid("resource-collection", "Lisbon and Porto")}
    return item | {"systemDefault": False} | stamps()


# (name, channelType, socialChannelType, entryPointType, active). The schema requires
# socialChannelType on every entry point, so non-social ones carry one too: the import must read
# it only when channelType is SOCIAL_CHANNEL (SPEC §9), which "Support Email" checks.
ENTRY_POINT_SPECS = [
    ("Support Email", "EMAIL", "MESSAGEBIRD", "INBOUND", True),
    ("Billing Email", "EMAIL", "MESSENGER", "INBOUND", True),
    ("Support SMS", "SOCIAL_CHANNEL", "MESSAGEBIRD", "INBOUND", True),
    ("WhatsApp Sales", "SOCIAL_CHANNEL", "WHATSAPP", "INBOUND", True),
    ("Messenger Care", "SOCIAL_CHANNEL", "MESSENGER", "INBOUND", True),
    ("Apple Chat", "SOCIAL_CHANNEL", "APPLE_BUSINESS_CHAT", "INBOUND", True),
    ("Google Messages", "SOCIAL_CHANNEL", "GOOGLE_BUSINESS_MESSAGES", "INBOUND", True),
    ("Web Chat", "CHAT", "MESSAGEBIRD", "INBOUND", True),
    ("Main Line", "TELEPHONY", "MESSAGEBIRD", "INBOUND", True),
    ("Outdial Line", "TELEPHONY", "MESSAGEBIRD", "OUTBOUND", True),
    ("Video Desk", "VIDEO", "MESSAGEBIRD", "INBOUND", True),
    ("Partner Portal", "OTHERS", "MESSAGEBIRD", "INBOUND", True),
    ("Old Fax", "FAX", "MESSAGEBIRD", "INBOUND", False),
    ("Old Email", "EMAIL", "MESSAGEBIRD", "INBOUND", False),
]


def entry_point(name, channel, social, kind, active):
    digital = channel not in ("TELEPHONY", "FAX")
    return common("entry-point", name) | {
        "name": name,
        "description": f"{name} entry point",
        "entryPointType": kind,
        "channelType": channel,
        "socialChannelType": social,
        "active": active,
        "serviceLevelThreshold": 30 if channel != "EMAIL" else 3600,
        "maximumActiveContacts": 100,
        "controlFlowScriptUrl": f"https://flows.example/harbor/{wid('flow', name)}",
        "overflowNumber": "" if digital else "3512100000",
        "timezone": "Europe/Lisbon",
        "imiOrgType": "IMI" if digital else "MIXED_MODE",
        "assetId": wid("asset", name),
        "systemDefault": False,
    } | stamps()


ENTRY_POINTS = [entry_point(*spec) for spec in ENTRY_POINT_SPECS]
EP = {e["name"]: e["id"] for e in ENTRY_POINTS}

# (name, workTypeCode, default, active). "Spam" is an inactive wrap-up code (imported with
# active: false); idle codes are reported, not imported.
AUX_SPECS = [
    ("Resolved", "WRAP_UP_CODE", True, True),
    ("Escalated", "WRAP_UP_CODE", False, True),
    ("Callback Requested", "WRAP_UP_CODE", False, True),
    ("Wrong Number (voice)", "WRAP_UP_CODE", False, True),
    ("Spam", "WRAP_UP_CODE", False, False),
    ("Lunch", "IDLE_CODE", True, True),
    ("Break", "IDLE_CODE", False, True),
    ("Training", "IDLE_CODE", False, True),
    ("Old Meeting", "IDLE_CODE", False, False),
]
WORK_TYPE = {"WRAP_UP_CODE": wid("work-type", "wrap-up"), "IDLE_CODE": wid("work-type", "idle")}


def auxiliary_code(name, code, default, active):
    return common("aux", name) | {
        "name": name, "description": name, "defaultCode": default, "active": active,
        "isSystemCode": False, "workTypeId": WORK_TYPE[code], "workTypeCode": code,
        "burnoutInclusion": "NOT_APPLICABLE", "systemDefault": False} | stamps()


AUXILIARY_CODES = [auxiliary_code(*spec) for spec in AUX_SPECS]
AUX = {a["name"]: a["id"] for a in AUXILIARY_CODES}


def agent_profile(name, entry_access, entry_points, wrap_access, wrap_ups, auto_wrap=None, active=True):
    item = common("agent-profile", name) | {
        "name": name,
        "description": f"{name} desktop",
        "parentType": "ORGANIZATION",
        "screenPopup": True,
        "lastAgentRouting": False,
        "autoWrapUp": auto_wrap is not None,
        "autoAnswer": False,
        "agentAvailableAfterOutdial": False,
        "allowAutoWrapUpExtension": False,
        "accessWrapUpCode": wrap_access,
        "accessIdleCode": "ALL",
        "accessQueue": "ALL",
        "accessEntryPoint": entry_access,
        "accessBuddyTeam": "ALL",
        "consultToQueue": True,
        "outdialEnabled": True,
        "outdialEntryPointId": EP["Outdial Line"],
        "agentDNValidation": "PROVISIONED_VALUE",
        "loginVoiceOptions": ["AGENT_DN", "BROWSER"],
        "viewableStatistics": common("stats", name) | {
            "agentStats": True, "accessQueueStats": "ALL", "loggedInTeamStats": True, "accessTeamStats": "ALL"},
        "active": active,
        "systemDefault": False,
    }
    if auto_wrap is not None:
        item["autoWrapAfterSeconds"] = auto_wrap
    if entry_points:
        item["entryPoints"] = [EP[e] for e in entry_points]
    if wrap_ups:
        item["wrapUpCodes"] = [AUX[w] for w in wrap_ups]
    return item | stamps()


AGENT_PROFILES = [
    agent_profile("Frontline", "ALL", None, "ALL", None, auto_wrap=60),
    agent_profile("Email Specialists (Porto)", "SPECIFIC", ["Support Email", "Billing Email"],
                  "SPECIFIC", ["Resolved", "Escalated"]),
    agent_profile("Back Office", "NONE", None, "PROVISIONED_VALUE", None),
    agent_profile("Retired Desktop", "ALL", None, "ALL", None, active=False),
]
AGENT_PROFILE = {p["name"]: p["id"] for p in AGENT_PROFILES}

FIRST = ["Ana", "João", "Inês", "José", "María", "Zoë", "François", "Bjørn", "Lucía", "Gonçalo", "Léa",
         "Mário", "Sofia", "Tiago", "Beatriz", "Rui", "Marta", "Pedro", "Camila", "Diego", "Helena",
         "André", "Çağla", "Nuno", "Raquel", "Sebastián", "Valentina", "Luís", "Mateus", "Patrícia"]
LAST = ["Silva", "Santos", "Costa", "Pereira", "Gómez", "Fernández", "Müller", "O'Brien", "Łukasiewicz",
        "Rodrigues", "Martins", "Sousa", "Almeida", "Conceição", "Ribeiro", "Núñez", "Carvalho", "Lopes",
        "Oliveira", "Dias"]
DOMAINS = ["harbor.example", "porto.harbor.example", "br.harbor.example"]
SITE_OF_TEAM = {name: site_name for name, site_name, _, _ in TEAM_SPECS}


def ascii_fold(text):
    """How mail administrators usually spell a name in an address: accents dropped, and the
    letters Unicode does not decompose (ø, ł) replaced by hand."""
    decomposed = unicodedata.normalize("NFKD", text.translate(str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L"})))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def local_part(first, last, rng):
    """Most addresses are first.last in ASCII; some keep accents (internationalized mail) or
    carry a '+tag', as exports from real directories do."""
    roll = rng.random()
    if roll < 0.08:
        return f"{first}.{last}".lower()
    plain = ascii_fold(f"{first}.{last}").lower().replace("'", "")
    if roll < 0.12:
        return plain + "+cc"
    if roll < 0.16:
        return plain.title()
    return plain


def make_users(rng, teams, count=200):
    """`count` users (200 for the fixture). Collisions are forced: the same person-name twice (different domains),
    which gives the same email local part, and accented/unaccented twins."""
    active_teams = [t for t in teams if t["active"]]
    users = []
    seen = set()
    names = [("Ana", "Silva", 0), ("Ana", "Silva", 1), ("José", "Núñez", 0), ("Jose", "Nunez", 2),
             ("Maria", "Gomez", 0)]
    pairs = {(f, l) for f, l, _ in names}
    while len(names) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # In a large export (the benchmark's) people share names; emails stay unique.
        if (first, last) not in pairs or count > 200:
            pairs.add((first, last))
            names.append((first, last, rng.randrange(len(DOMAINS))))
    for index, (first, last, domain) in enumerate(names):
        local = local_part(first, last, rng)
        email = f"{local}@{DOMAINS[domain]}"
        while email in seen:  # the same address twice would be two logins for one mailbox
            email = f"{local}{index}@{DOMAINS[domain]}"
        seen.add(email)
        if index % 50 == 7:
            profile = "Supervisor Profile"
        elif index == 11:
            profile = "Administrator Profile"
        elif index % 3 == 0:
            profile = "Standard Agent Profile"
        else:
            profile = "Premium Agent Profile"
        own = [active_teams[index % len(active_teams)]]
        if index % 7 == 0:
            second = active_teams[(index + 1) % len(active_teams)]
            if SITE_OF_TEAM[second["name"]] == SITE_OF_TEAM[own[0]["name"]]:
                own.append(second)
        site_id = SITE[SITE_OF_TEAM[own[0]["name"]]]["id"]
        if index % 9 == 4:
            desktop = "Email Specialists (Porto)"
        elif index % 13 == 5:
            desktop = "Back Office"
        else:
            desktop = "Frontline"
        user = common("user", email) | {
            "firstName": first,
            "lastName": last,
            "email": email,
            "ciUserId": wid("ci-user", email),
            "timezone": "Europe/Lisbon" if domain != 2 else "America/Sao_Paulo",
            "userProfileId": wid("user-profile", profile),
            "userProfileType": dict((n, t) for n, t, _, _ in USER_PROFILES)[profile],
            "contactCenterEnabled": index % 40 != 13,   # a few Webex users who are not agents
            "siteId": site_id,
            "siteName": next(s["name"] for s in SITES if s["id"] == site_id),
            "teamIds": [t["id"] for t in own],
            "agentProfileId": AGENT_PROFILE[desktop],
            "active": index % 25 != 9,                  # a few inactive users
            "imiUserCreated": False,
            "systemDefault": False,
            "userLevelBurnoutInclusion": "INCLUDED",
            "userLevelSummariesInclusion": "INCLUDED",
        }
        if index % 11 == 3:
            user["multimediaProfileId"] = MMP["Email Manual"]   # an agent-level override
        if index % 17 == 2:
            user["workPhone"] = f"+3512100{index:05d}"
        users.append(user | stamps())
    # The user of an inactive user profile still imports (its licence follows the profile's
    # type); the one left on the retired desktop had its contact-centre access removed, as
    # Control Hub keeps a profile in use from being deactivated.
    users[-1]["userProfileId"] = wid("user-profile", "Old Agent Profile")
    users[-2]["agentProfileId"] = AGENT_PROFILE["Retired Desktop"]
    users[-2]["contactCenterEnabled"] = False
    return users


def make_teams():
    teams = []
    for name, site_name, profile, active in TEAM_SPECS:
        team = common("team", name) | {
            "name": name,
            "teamType": "AGENT",
            "teamStatus": "IN_SERVICE" if active else "NOT_AVAILABLE",
            "active": active,
            "siteId": SITE[site_name]["id"],
            "siteName": site_name,
            "description": f"{name} ({site_name})",
            "systemDefault": False,
        }
        if profile:
            team["multiMediaProfileId"] = MMP[profile]
        teams.append(team)
    return teams


def queue(name, channel, social, routing, teams, queue_routing="TEAM_BASED", active=True, agents=None):
    item = common("queue", name) | {
        "name": name,
        "description": f"{name} queue",
        "queueType": "INBOUND",
        "checkAgentAvailability": False,
        "channelType": channel,
        "serviceLevelThreshold": 30,
        "maxActiveContacts": 500,
        "maxTimeInQueue": 3600,
        "timezone": "Europe/Lisbon",
        "active": active,
        "routingType": routing,
        "queueRoutingType": queue_routing,
        "callDistributionGroups": [
            {"agentGroups": [{"teamId": wid("team", t)} for t in teams], "order": 1, "duration": 0}] if teams else [],
        "systemDefault": False,
        "manuallyAssignable": channel == "EMAIL",
    }
    if channel == "SOCIAL_CHANNEL":
        item["socialChannelType"] = social
    if agents:
        item["agents"] = [{"id": a["id"], "ciUserId": a["ciUserId"]} for a in agents]
    return item | stamps()


def make_queues(users):
    return [
        queue("Email Tier 1", "EMAIL", None, "LONGEST_AVAILABLE_AGENT", ["Email Desk", "Suporte Nível 1"]),
        queue("Cobranças Email", "EMAIL", None, "SKILLS_BASED", ["Atencion Clientes"], queue_routing="SKILL_BASED"),
        queue("SMS Queue", "SOCIAL_CHANNEL", "MESSAGEBIRD", "LONGEST_AVAILABLE_AGENT", ["Chat & Social"]),
        queue("WhatsApp Queue", "SOCIAL_CHANNEL", "WHATSAPP", "LONGEST_AVAILABLE_AGENT", ["Chat & Social", "Atención Clientes"]),
        queue("Chat Queue", "CHAT", None, "CIRCULAR", ["Suporte Nível 2"]),
        queue("Voice Queue", "TELEPHONY", None, "LINEAR", ["Suporte Nível 1", "Suporte Nível 2"]),
        queue("VIP Agents", "CHAT", None, "LONGEST_AVAILABLE_AGENT", [], queue_routing="AGENT_BASED", agents=users[:3]),
        queue("Work Items", "WORK_ITEM", None, "LONGEST_AVAILABLE_AGENT", ["Email Desk"]),
        queue("Old Queue", "EMAIL", None, "LONGEST_AVAILABLE_AGENT", ["Email Desk"], active=False),
    ]


def envelope(items, page, page_size, total, path, meta_extra=None, version="v2"):
    """The paged form: {"meta": {...}, "data": [...]}; pages counted from 0."""
    pages = (total + page_size - 1) // page_size
    link = lambda p: f"/organization/{ORG}/{version}/{path}?page={p}&pageSize={page_size}"
    links = {"self": link(page), "first": link(0), "last": link(pages - 1)}
    if page > 0:
        links["prev"] = link(page - 1)
    if page < pages - 1:
        links["next"] = link(page + 1)
    meta = {"orgid": ORG, "page": page, "pageSize": page_size, "totalPages": pages,
            "totalRecords": total, "links": links} | (meta_extra or {})
    return {"meta": meta, "data": items}


def write(out, name, document):
    (out / f"{name}.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main():
    arguments = sys.argv[1:]
    count = 200
    if "--users" in arguments:
        at = arguments.index("--users")
        count = int(arguments[at + 1])
        del arguments[at:at + 2]
    per_page = USERS_PER_PAGE if count <= 200 else 1000
    out = pathlib.Path(arguments[0] if arguments else pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/webex/tenant")
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        stale.unlink()
    rng = random.Random(16)
    teams = make_teams()
    users = make_users(rng, teams, count)
    for team in teams:
        team["userIds"] = [u["id"] for u in users if team["id"] in u["teamIds"]]
        team |= stamps()
    # One disagreement between a team's userIds and a user's teamIds: §9 takes teamIds and reports it.
    outsider = next(u for u in users if teams[1]["id"] not in u["teamIds"])
    teams[1]["userIds"].append(outsider["id"])

    write(out, "multimedia-profile", MULTIMEDIA_PROFILES)
    write(out, "site", SITES)
    write(out, "team", envelope(teams, 0, 100, len(teams), "team"))
    profiles = [user_profile(*spec) for spec in USER_PROFILES]
    write(out, "user-profile", envelope(profiles, 0, 100, len(profiles), "user-profile", version="v3"))
    write(out, "agent-profile", AGENT_PROFILES)
    write(out, "entry-point", ENTRY_POINTS)
    queues = make_queues(users)
    write(out, "contact-service-queue", envelope(queues, 0, 100, len(queues), "contact-service-queue"))
    write(out, "auxiliary-code", AUXILIARY_CODES)
    for page in range(0, (len(users) + per_page - 1) // per_page):
        chunk = users[page * per_page:(page + 1) * per_page]
        write(out, "user" if page == 0 else f"user.{page + 1}", envelope(chunk, page, per_page, len(users), "user"))


if __name__ == "__main__":
    main()
