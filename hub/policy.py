"""The role matrix: which role may call which root operation. Enforced in one place.

Every query and mutation of the schema must appear here; an operation missing from the
matrix is refused for everyone, and tests/test_policy.py fails until it is decided.
"""

from __future__ import annotations

from hub.auth import Role

EVERYONE = frozenset(Role)
INVESTIGATORS = frozenset({Role.INVESTIGATOR, Role.ADMIN})
# Approval clerks may see who stands behind an applicant (persons masked, no audit needed):
# beneficial owners and controllers for licences and funds, related parties for bidding checks.
CLERKS_AND_INVESTIGATORS = frozenset({Role.APPROVAL, Role.INVESTIGATOR, Role.ADMIN})

# Departments act on their own department's decisions only (checked by the workflow itself).
WORKFLOW = frozenset({Role.DEPARTMENT, Role.ADMIN})

# Checks are for the systems and officers that approve; the public has the site's own views.
CHECKERS = frozenset({Role.APPROVAL, Role.DEPARTMENT, Role.INVESTIGATOR, Role.ADMIN})

QUERIES: dict[str, frozenset[Role]] = {
    "enterprise": EVERYONE,
    "person": EVERYONE,
    "search": EVERYONE,
    "measures": EVERYONE,  # the catalogue is public (动态更新并向社会公开)
    "listing": EVERYONE,  # listings are published; reasons are hidden from PUBLIC
    "checkBeforeApproval": CHECKERS,
    "checkBatch": CHECKERS,
    "receipt": CHECKERS,  # and then only the asking key's or department's, or ADMIN
    # Investigation (docs/investigation.md): graph exploration is for investigators only.
    "beneficialOwners": CLERKS_AND_INVESTIGATORS,
    "relatedParties": CLERKS_AND_INVESTIGATORS,
    "ownershipTree": INVESTIGATORS,
    "findPaths": INVESTIGATORS,
    "neighbourhood": INVESTIGATORS,
    "auditLog": frozenset({Role.ADMIN}),
    # What the public site lists (schema/public.py): published by definition.
    "publishedListings": EVERYONE,
    "recentActions": EVERYONE,
    "listingDomains": EVERYONE,
    "departments": EVERYONE,
    # Credit reports (schema/reports.py): anyone verifies; a report is read by its requester.
    "creditReport": frozenset({Role.APPROVAL, Role.DEPARTMENT, Role.INVESTIGATOR, Role.ADMIN}),
    "verifyReport": EVERYONE,
    "verifyReportDocument": EVERYONE,
}

MUTATIONS: dict[str, frozenset[Role]] = {
    "listSubject": WORKFLOW,
    "endListing": WORKFLOW,
    "fileObjection": WORKFLOW,
    "resolveObjection": WORKFLOW,
    "recordApprovalOutcome": CHECKERS,  # the asking key, its department, or ADMIN
    # PUBLIC: a 自查 (SELF_CHECK) report only, rate-limited per address (resolvers/reports.py)
    "issueCreditReport": EVERYONE,
}


def allowed(operation: str, field: str, role: Role) -> bool:
    table = MUTATIONS if operation == "mutation" else QUERIES
    return role in table.get(field, frozenset())
