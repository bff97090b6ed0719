"""The lists of a Webex export (SPEC §9) and the item schema of each in Cisco's OpenAPI
document, for the scripts that read that document (webex-fixture-check.py, which checks
fixtures against it, and embed-webex-schemas.py, which embeds it for `import webex`)."""

# The item schema of each list endpoint's 200 response (user-profile's list response declares
# none; its items are UserProfileDTO).
ITEM_SCHEMAS = {
    "multimedia-profile": "MultimediaProfileDTO",
    "site": "SiteDTO",
    "team": "TeamResponseDTO",
    "user": "UserResponseDTO",
    "user-profile": "UserProfileDTO",
    "agent-profile": "AgentProfileResponseDTO",
    "entry-point": "EntryPointDTO",
    "contact-service-queue": "ContactServiceQueueDTO",
    "auxiliary-code": "AuxiliaryCodeDTO",
}
