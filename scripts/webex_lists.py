"""The lists of a Webex export (SPEC §9) and the item schema of each in Cisco's OpenAPI
document, for the scripts that read that document (webex-fixture-check.py, which checks
fixtures against it, and embed-webex-schemas.py, which embeds it for `import webex`)."""

# The item schema of each paged list endpoint's 200 response: `GET /organization/{orgid}/v2/NAME`,
# but `v3/user-profile`, whose response the document types as a string; its example holds
# UserProfileGranularAccessDTO items.
ITEM_SCHEMAS = {
    "multimedia-profile": "MultimediaProfileDTO",
    "site": "SiteDTO",
    "team": "TeamResponseDTO",
    "user": "UserResponseDTO",
    "user-profile": "UserProfileGranularAccessDTO",
    "agent-profile": "AgentProfileResponseDTO",
    "entry-point": "EntryPointDTO",
    "contact-service-queue": "ContactServiceQueueDTO",
    "auxiliary-code": "AuxiliaryCodeDTO",
}

# Lists whose items may come in an older shape: an item without the named member is of that
# shape and is checked against its schema (SPEC §9: a user profile without
# permissionAccessLevel is a UserProfileDTO, as the older user-profile list returned them).
OLDER_ITEM_SCHEMAS = {
    "user-profile": ("permissionAccessLevel", "UserProfileDTO"),
}


def item_schema(resource, item):
    """The name of the schema one item of the list is checked against."""
    older = OLDER_ITEM_SCHEMAS.get(resource)
    if older and isinstance(item, dict) and older[0] not in item:
        return older[1]
    return ITEM_SCHEMAS[resource]
