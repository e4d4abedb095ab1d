"""Authorization, in one place: which role may call which root operation (the role matrix),
and the record-level decisions (who sees a receipt, what PUBLIC sees, who uploads what).

Every query and mutation of the schema must appear in the matrix; an operation missing from it
is refused for everyone, and tests/test_policy.py fails until it is decided. The same test
covers the record-level predicates below for every role.
"""

from __future__ import annotations

from hub.auth import Actor, Role
from hub.errors import Forbidden
from hub.rules.commitments import Reader

EVERYONE = frozenset(Role)
INVESTIGATORS = frozenset({Role.INVESTIGATOR, Role.ADMIN})
# Approval clerks may see who stands behind an applicant (persons masked, no audit needed):
# beneficial owners and controllers for licences and funds, related parties for bidding checks.
CLERKS_AND_INVESTIGATORS = frozenset({Role.APPROVAL, Role.INVESTIGATOR, Role.ADMIN})

# Departments act on their own department's decisions only (checked by the workflow itself).
WORKFLOW = frozenset({Role.DEPARTMENT, Role.ADMIN})

# Checks are for the systems and officers that approve; the public has the site's own views.
CHECKERS = frozenset({Role.APPROVAL, Role.DEPARTMENT, Role.INVESTIGATOR, Role.ADMIN})

# Any caller with a key (a watchlist is the key's own).
KEYED = frozenset(Role) - {Role.PUBLIC}

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
    # Lifecycle (docs/lifecycle.md): a department's own work list; ADMIN names the department.
    "overdueObjections": WORKFLOW,
    "repairApplication": WORKFLOW,
    "pendingRepairs": WORKFLOW,
    "overdueRectifications": WORKFLOW,
    "history": EVERYONE,  # PUBLIC: the events of what the site publishes, without who and why
    # a subject's orders and interviews: part of its credit record, for keyed callers
    "rectifications": frozenset({Role.APPROVAL, Role.DEPARTMENT, Role.INVESTIGATOR, Role.ADMIN}),
    # The department desk (schema/desk.py): a department's own listings and open objections
    # (a DEPARTMENT key its own department's only: department_scope below).
    "departmentListings": WORKFLOW,
    "openObjections": WORKFLOW,
    # API keys (schema/keys.py): ADMIN only, as `credit-hub keys` on the server.
    "apiKeys": frozenset({Role.ADMIN}),
    # The event log (docs/feeds.md): PUBLIC sees public events only (resolvers/events.py); the
    # same names serve the query and the subscription. A watchlist is a key's own.
    "events": EVERYONE,
    "watchlist": KEYED,
    # Credit-risk early warnings: the supervising departments' keys, investigators, ADMIN
    # (warning_scope below; the same rule hides them in `events`).
    "earlyWarnings": frozenset({Role.DEPARTMENT, Role.INVESTIGATOR, Role.ADMIN}),
    # Supervision (docs/feeds.md): a department's own records, or ADMIN.
    "publicationCompliance": WORKFLOW,
    "punishmentStatistics": frozenset({Role.DEPARTMENT, Role.INVESTIGATOR, Role.ADMIN}),
    "samplingPlan": WORKFLOW,  # the plan's department's own, or ADMIN
    # Grade lists (docs/feeds.md, the seed 二(六)): grade A results go to departments and
    # financial institutions (a bank's key: APPROVAL or DEPARTMENT of a BANK department), not
    # to the public (evaluations are not published); the focus list is a department's own.
    "gradeAList": KEYED,
    "focusSupervision": WORKFLOW,
    # A commitment by its code, at its disclosure level (hub/rules/commitments.py).
    "commitment": EVERYONE,
}

MUTATIONS: dict[str, frozenset[Role]] = {
    "listSubject": WORKFLOW,
    "endListing": WORKFLOW,
    "fileObjection": WORKFLOW,
    "resolveObjection": WORKFLOW,
    "startVerification": WORKFLOW,
    "applyForRepair": WORKFLOW,
    "decideRepair": WORKFLOW,
    "orderRectification": WORKFLOW,
    "recordRectified": WORKFLOW,
    "recordInterview": WORKFLOW,
    # Commitments and voluntary registration (docs/lifecycle.md): the department's own.
    "recordCommitment": WORKFLOW,
    "recordFulfilment": WORKFLOW,
    "registerVoluntaryInformation": WORKFLOW,
    "verifyVoluntaryInformation": WORKFLOW,
    "recordApprovalOutcome": CHECKERS,  # the asking key, its department, or ADMIN
    # PUBLIC: a 自查 (SELF_CHECK) report only, rate-limited per address (resolvers/reports.py)
    "issueCreditReport": EVERYONE,
    "createApiKey": frozenset({Role.ADMIN}),
    "revokeApiKey": frozenset({Role.ADMIN}),
    "watch": KEYED,
    "unwatch": KEYED,
    "recordExecution": WORKFLOW,
    "createSamplingPlan": WORKFLOW,
    "recordInspectionResult": WORKFLOW,
}


def allowed(operation: str, field: str, role: Role) -> bool:
    table = MUTATIONS if operation == "mutation" else QUERIES
    return role in table.get(field, frozenset())


# --- record-level decisions ------------------------------------------------------------------

UPLOADERS = frozenset({Role.DEPARTMENT, Role.ADMIN})


def sees_unpublished(actor: Actor) -> bool:
    """Anyone with a key sees what the public site does not publish: WATCH lists, ended and
    derived listings, reasons, a subject's full record. PUBLIC sees published records only."""
    return actor.role != Role.PUBLIC


def refuse_unpublished(actor: Actor, what: str) -> None:
    """Raise FORBIDDEN for PUBLIC: ``what`` is not published."""
    if not sees_unpublished(actor):
        raise Forbidden(f"{what} is not published; it needs an API key")


def warning_scope(actor: Actor) -> tuple[bool, str | None]:
    """Which early warnings a caller reads: (every one, else those of this department).
    INVESTIGATOR and ADMIN every one; a DEPARTMENT key those of the subjects its department
    supervises; APPROVAL and PUBLIC none — a warning is supervision information, never part of
    a check (DESIGN.md: approval systems ask checks)."""
    if actor.role in INVESTIGATORS:
        return True, None
    if actor.role == Role.DEPARTMENT and actor.department:
        return False, actor.department
    return False, None


def sees_receipt(actor: Actor, key_id: str | None, department: str | None) -> bool:
    """A receipt is the asking key's, its department's, and ADMIN's."""
    if actor.role == Role.ADMIN or (key_id is not None and key_id == actor.key_id):
        return True
    return actor.department is not None and department == actor.department


def commitment_reader(actor: Actor) -> Reader:
    """How a caller reads commitments and voluntary information (hub/rules/commitments.py):
    PUBLIC unkeyed; every key keyed; ADMIN reads every department's."""
    return Reader(
        keyed=actor.role != Role.PUBLIC,
        department=actor.department,
        admin=actor.role == Role.ADMIN,
    )


def acts_for_every_department(actor: Actor) -> bool:
    """ADMIN may end or change any department's listings; a DEPARTMENT key its own only."""
    return actor.role == Role.ADMIN


def may_upload(actor: Actor) -> bool:
    return actor.role in UPLOADERS


def upload_department(actor: Actor, asked: str | None) -> str | None:
    """The department an upload is for: an ADMIN names any (default its own, else SYSTEM); a
    DEPARTMENT key uploads for its own only (None: it asked for another)."""
    if acts_for_every_department(actor):
        return asked or actor.department or "SYSTEM"
    return actor.department if asked in (None, actor.department) else None


def department_scope(actor: Actor, asked: str | None) -> str | None:
    """The department whose listings and objections a desk read is about: a DEPARTMENT key its
    own (None: it asked for another); an ADMIN the one asked, else its own (None: neither)."""
    if acts_for_every_department(actor):
        return asked or actor.department
    return actor.department if asked in (None, actor.department) else None


def upload_line_refusal(actor: Actor, decided_by: str | None, reference_data: bool) -> str | None:
    """Why this actor may not upload a line (decided by ``decided_by``), or None when it may."""
    if acts_for_every_department(actor):
        return None
    if reference_data:
        return "reference data (kind department) is uploaded by ADMIN only"
    if decided_by is not None and decided_by != actor.department:
        return f"a {actor.department} key may only upload records decided by {actor.department}"
    return None
