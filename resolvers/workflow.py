"""What every workflow service shares: the deciding department of the caller, a refusal of a
pure rule as the API's error, the reason text, a parsed line's errors as the API's error
(listings, objections, repair, rectification, commitments)."""

from __future__ import annotations

from hub.errors import Conflict, Forbidden, InvalidInput
from hub.importer.parse import LineError
from hub.policy import acts_for_every_department
from hub.rules.listings import Decider, Refusal, RefusalKind
from resolvers.context import HubContext

MAX_REASON = 2000


def decider(ctx: HubContext) -> Decider:
    return Decider(department=ctx.actor.department, admin=acts_for_every_department(ctx.actor))


def raise_refusal(refusal: Refusal | None) -> None:
    """A rule's refusal as FORBIDDEN, CONFLICT or BAD_USER_INPUT (nothing is written then)."""
    if refusal is None:
        return
    if refusal.kind == RefusalKind.NOT_ALLOWED:
        raise Forbidden(refusal.message)
    if refusal.kind == RefusalKind.CONFLICT:
        raise Conflict(refusal.message)
    raise InvalidInput(refusal.message)


def reason_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_REASON:
        raise InvalidInput(f"reason must be 1 to {MAX_REASON} characters", field="reason")
    return cleaned


def invalid_lines(errors: list[LineError]) -> InvalidInput:
    """The errors of an input checked as an upload line, as one BAD_USER_INPUT naming each."""
    first = errors[0] if errors else LineError(1, "input", "invalid")
    return InvalidInput(
        "; ".join(f"{e.field}: {e.reason}" for e in errors) or "invalid input",
        field=first.field,
        problems=[{"field": e.field, "reason": e.reason} for e in errors],
    )
