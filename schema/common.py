"""Shared GraphQL types: enums, inputs, pagination, provenance (cursors: resolvers/paging.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Protocol

import strawberry

from graph_seed.model import RoleName
from hub.importer.records import ActionType as ActionType
from hub.importer.records import Disclosure as Disclosure
from hub.importer.records import Severity as Severity
from hub.rules.listings import EndReason, ListingSource, ListingState, ListKind, ObjectionStatus
from hub.rules.measures import Grade, MeasureCategory, MeasureEffect, PartyToken, Scenario
from hub.rules.repair import Condition


@strawberry.enum(description="What kind of market subject a USCC designates.")
class SubjectKind(Enum):
    ENTERPRISE = "ENTERPRISE"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"
    COOPERATIVE = "COOPERATIVE"
    VILLAGE_COLLECTIVE = "VILLAGE_COLLECTIVE"
    INSTITUTION = "INSTITUTION"
    SOCIAL_ORGANIZATION = "SOCIAL_ORGANIZATION"
    OTHER = "OTHER"
    PERSON = "PERSON"


# The model's roles (graph_seed/model.toml) are the schema's enum RoleType.
strawberry.enum(
    RoleName,
    name="RoleType",
    description="A role a person (or controlling enterprise) holds at an enterprise.",
)


# The measure catalogue's words (hub/rules/measures.py), registered before any type uses them.
strawberry.enum(
    Scenario,
    description="The approval scenarios a check-before-approval names (a fixed contract).",
)
strawberry.enum(
    MeasureCategory,
    description="行政性 ADMINISTRATIVE, 市场性 MARKET, 行业性 INDUSTRY, 社会性 SOCIAL.",
)
strawberry.enum(MeasureEffect, description="RESTRICT, CAUTION, or INCENTIVE (never hides a hit).")
strawberry.enum(Grade, description="公共信用综合评价: A 优, B 良, C 中, D 差.")

# The listings' words (hub/rules/listings.py), registered before any type uses them.
strawberry.enum(ListKind, description="BLACK 失信联合惩戒对象, WATCH 重点关注, RED 守信激励.")
strawberry.enum(
    ListingSource,
    description="ADMINISTRATIVE (a department's decision), COURT (失信被执行人), "
    "LOAN (a bank loan default confirmed by the financial regulator).",
)
strawberry.enum(
    ListingState,
    description="State on a date: NOT_YET (before effectiveFrom), ACTIVE, SUSPENDED (an "
    "objection is being verified: measures are not applied), ENDED (expired, removed, revoked, "
    "repaired or ended).",
)
strawberry.enum(EndReason, description="Why a listing ended (expiry is computed, not stored).")
strawberry.enum(
    ObjectionStatus,
    description="FILED and VERIFYING (a listing's measures suspended), UPHELD, REJECTED.",
)
strawberry.enum(PartyToken, description="Whom a measure reaches (graph_seed/measures.toml).")
strawberry.enum(
    Condition,
    description="What a repair needs: CONDUCT_CORRECTED, PUBLIC_COMMITMENT, and for a BLACK "
    "listing or a serious penalty REPAIR_TRAINING and CREDIT_REPORT.",
)

# The importer's enums are the schema's: one definition each.
strawberry.enum(ActionType, description="行政行为: the ten kinds of administrative action.")
strawberry.enum(
    Severity, description="Severity of a penalty: 轻微 MINOR, 一般 GENERAL, 严重 SERIOUS."
)
strawberry.enum(
    Disclosure,
    name="ActionDisclosure",
    description="Who may read an action (双公示 信息使用范围): PUBLIC 公示 (everyone), "
    "GOVERNMENT 政府内部共享 and AUTHORIZED 授权查询 (keyed roles only; never the public).",
)


@strawberry.input(description="A subject: exactly one of uscc or idNumber.")
class SubjectRef:
    uscc: str | None = None
    id_number: str | None = None


# The optional client request id of the lifecycle mutations (docs/lifecycle.md#idempotency).
REQUEST_ID = Annotated[
    str | None,
    strawberry.argument(
        description="A client id of this request (1-100 of A-Z a-z 0-9 . _ : -): a retry "
        "with the same id returns the first answer and changes nothing."
    ),
]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


class Recorded(Protocol):
    """A typed store row with its provenance (hub/store: ``PersonRow``, ``ListingRow`` …)."""

    @property
    def source_department(self) -> str | None: ...

    @property
    def batch(self) -> str | None: ...

    @property
    def recorded_at(self) -> dt.datetime | None: ...

    @property
    def first_recorded_at(self) -> dt.datetime | None: ...


@strawberry.type(description="Where a fact came from (可查可核可溯).")
class Provenance:
    source_department: str | None
    batch: str | None
    recorded_at: dt.datetime | None
    first_recorded_at: dt.datetime | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Provenance:
        return cls(
            source_department=raw.get("sourceDepartment"),
            batch=raw.get("batch"),
            recorded_at=raw.get("recordedAt"),
            first_recorded_at=raw.get("firstRecordedAt"),
        )

    @classmethod
    def of_row(cls, row: Recorded) -> Provenance:
        return cls(
            source_department=row.source_department,
            batch=row.batch,
            recorded_at=row.recorded_at,
            first_recorded_at=row.first_recorded_at,
        )


@strawberry.type(description="A county department, court, bank or regulator.")
class Department:
    code: str
    name: str | None
