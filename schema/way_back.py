"""What the subject of a record can do (the way back): when the record ends on its own, and
where repair is possible the earliest day an application can succeed and what it needs. On
check hits, listings and actions (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.rules.repair import Condition, RepairPath, penalty_path, repair_path
from hub.store.subjects import ActionRow


@strawberry.type(
    description="When a record ends on its own and how it can be repaired (信用修复), so a "
    "clerk who refuses can tell the applicant the way back."
)
class WayBack:
    ends_on: dt.date | None = strawberry.field(
        description="First day it no longer applies on its own (null: until it is ended)."
    )
    repairable: bool = strawberry.field(description="Whether an application can end it.")
    repair_from: dt.date | None = strawberry.field(
        description="The earliest day a repair application can succeed (null: not repairable)."
    )
    repair_needs: list[Condition] = strawberry.field(
        description="The conditions an application must give evidence of."
    )
    why: str = strawberry.field(description="The rule that sets the day (or forbids repair).")

    @classmethod
    def of(cls, path: RepairPath) -> WayBack:
        return cls(
            ends_on=path.ends_on_its_own,
            repairable=path.earliest is not None,
            repair_from=path.earliest,
            repair_needs=list(path.needs),
            why=path.why,
        )


def listing_way_back(
    source: str, list_kind: str, domain: str, effective_from: dt.date, expires_on: dt.date | None
) -> WayBack:
    return WayBack.of(repair_path(source, list_kind, domain, effective_from, expires_on))


def action_way_back(row: ActionRow) -> WayBack:
    return WayBack.of(
        penalty_path(row.type, row.severity, row.decision_date, row.penalties, row.domain)
    )
