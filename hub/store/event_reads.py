"""The event log's reads as typed rows (docs/feeds.md): an event of ``PAGE`` as an
``EventRow``, an early warning's reasons (``detail``, JSON written by hub/store/warnings.py)
decoded as a ``WarningRow``. Apart from hub/store/events.py, which the adapter imports to seal
every transaction's events, so that the rows may name the subjects' rows
(hub/store/subjects.py imports the adapter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from hub.store import events
from hub.store.subjects import EnterpriseRow, PersonRow, enterprise_row, person_row
from hub.store.values import iso_day


@dataclass(frozen=True, slots=True)
class WarningReasonRow:
    """One reason of an EARLY_WARNING event, as ``detail`` stores it (written by
    hub/store/warnings.py); fields of other kinds are None. ``paths`` keep the investigation's
    rows (``findPaths``' nodes and relationships, their days as dates): the schema draws them
    with the investigation's own code."""

    kind: str
    on: dt.date | None = None
    listing_id: str | None = None
    list: str | None = None
    domain: str | None = None
    department: str | None = None
    listed: EnterpriseRow | PersonRow | None = None
    paths: tuple[dict[str, Any], ...] = ()
    as_of: dt.date | None = None
    truncated: bool = False
    count: int | None = None
    threshold: int | None = None
    since: dt.date | None = None
    action_ids: tuple[str, ...] | None = None
    new_action_ids: tuple[str, ...] | None = None
    from_grade: str | None = None
    to_grade: str | None = None
    evaluation_id: str | None = None


@dataclass(frozen=True, slots=True)
class WarningRow:
    """An EARLY_WARNING event's warning: who reads it, why, and the day it was read on."""

    departments: tuple[str, ...]
    reasons: tuple[WarningReasonRow, ...]
    as_of: dt.date | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event of the log as the store reads it (``PAGE``, EVENT_FIELDS), an early warning's
    reasons decoded (``warning``; None for any other event)."""

    seq: int
    type: str
    recorded_at: dt.datetime
    subject_key: str
    subject_label: str | None = None
    on: dt.date | None = None
    public: bool = False
    derived: bool = False
    listing_id: str | None = None
    source_id: str | None = None
    action_id: str | None = None
    list: str | None = None
    domain: str | None = None
    department: str | None = None
    reason: str | None = None
    grade: str | None = None
    previous_grade: str | None = None
    current_grade: str | None = None
    measure: str | None = None
    result: str | None = None
    record_id: str | None = None
    commitment_code: str | None = None
    warning: WarningRow | None = None


def _ids(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _listed(listed: Mapping[str, Any]) -> EnterpriseRow | PersonRow:
    """The listed party of a reason (``{label, key}``) as the row of its subject."""
    if listed["label"] == "Enterprise":
        return enterprise_row({"uscc": listed["key"]})
    return person_row({"idNumber": listed["key"]})


def warning_reason_row(stored: Mapping[str, Any]) -> WarningReasonRow:
    """A reason of ``detail`` (JSON decoded) as a ``WarningReasonRow``: its days as dates."""
    get = stored.get
    listed = get("listed")
    return WarningReasonRow(
        kind=str(stored["kind"]),
        on=iso_day(get("on")),
        listing_id=get("listingId"),
        list=get("list"),
        domain=get("domain"),
        department=get("department"),
        listed=_listed(listed) if listed else None,
        paths=tuple(
            {
                "nodes": p["nodes"],
                "rels": [
                    r | {"from": iso_day(r.get("from")), "to": iso_day(r.get("to"))}
                    for r in p["rels"]
                ],
            }
            for p in get("paths") or ()
        ),
        as_of=iso_day(get("asOf")),
        truncated=bool(get("truncated")),
        count=get("count"),
        threshold=get("threshold"),
        since=iso_day(get("since")),
        action_ids=_ids(get("actionIds")),
        new_action_ids=_ids(get("newActionIds")),
        from_grade=get("fromGrade"),
        to_grade=get("toGrade"),
        evaluation_id=get("evaluationId"),
    )


def event_row(event: Mapping[str, Any]) -> EventRow:
    """An event of ``events.page`` (a map of EVENT_FIELDS) as an ``EventRow``."""
    get = event.get
    detail = get("detail")
    warning = (
        WarningRow(
            departments=tuple(get("departments") or ()),
            reasons=tuple(warning_reason_row(r) for r in orjson.loads(str(detail))["reasons"]),
            as_of=get("on"),
        )
        if get("type") == "EARLY_WARNING" and detail
        else None
    )
    return EventRow(
        seq=int(event["seq"]),
        type=str(event["type"]),
        recorded_at=event["recordedAt"],
        subject_key=str(event["subjectKey"]),
        subject_label=get("subjectLabel"),
        on=get("on"),
        public=bool(get("public")),
        derived=bool(get("derived")),
        listing_id=get("listingId"),
        source_id=get("sourceId"),
        action_id=get("actionId"),
        list=get("list"),
        domain=get("domain"),
        department=get("department"),
        reason=get("reason"),
        grade=get("grade"),
        previous_grade=get("previousGrade"),
        current_grade=get("currentGrade"),
        measure=get("measure"),
        result=get("result"),
        record_id=get("recordId"),
        commitment_code=get("commitmentCode"),
        warning=warning,
    )


async def page(
    tx: AsyncManagedTransaction, after: int, limit: int, filters: dict[str, Any]
) -> list[EventRow]:
    """``events.page`` (the events numbered after ``after``, at most ``limit``, oldest first,
    as ``filters`` select them) as typed rows."""
    return [event_row(e) for e in await events.page(tx, after, limit, filters)]
