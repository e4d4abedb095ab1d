"""Shared GraphQL types: enums, inputs, pagination, provenance (cursors: resolvers/paging.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from graph_seed.model import RoleName
from hub.importer.records import ActionType as ActionType
from hub.importer.records import Severity as Severity


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


# The importer's enums are the schema's: one definition each.
strawberry.enum(ActionType, description="行政行为: the ten kinds of administrative action.")
strawberry.enum(
    Severity, description="Severity of a penalty: 轻微 MINOR, 一般 GENERAL, 严重 SERIOUS."
)


@strawberry.input(description="A subject: exactly one of uscc or idNumber.")
class SubjectRef:
    uscc: str | None = None
    id_number: str | None = None


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


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


@strawberry.type(description="A county department, court, bank or regulator.")
class Department:
    code: str
    name: str | None
