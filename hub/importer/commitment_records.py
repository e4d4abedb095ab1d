"""Exchange-format kinds ``commitment`` (信用承诺) and ``commitmentFulfilment`` (its
fulfilment), validated like every other kind; the rules are hub/rules/commitments.py.

A commitment line's ``id`` is the department's own id of it (its natural key); the hub gives
it its 20-character code when it is first stored (the division's sequence of its date,
hub/store/commitments.py). A fulfilment line names its commitment by ``code`` or
``commitmentId`` and needs it stored already (an earlier upload, or recordCommitment).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar, Literal

from neo4j import AsyncManagedTransaction
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hub.importer.fields import Code, IsoDate, LongText, RecordId, SubjectRef, Text
from hub.importer.parse import LineError
from hub.importer.records import Record, Ref, register_kind
from hub.importer.writers import Writer, register_writer
from hub.rules.commitments import (
    CODE_PATTERN,
    COUNTY_DIVISION,
    CommitmentDisclosure,
    CommitmentType,
    Fulfilment,
    Reader,
    commitment_code,
    fulfilment_refusal,
    made_on_refusal,
    may_read,
    parse_commitment_code,
    scenario_refusal,
    sequence_key,
    undone_refusal,
)
from hub.rules.listings import Decider, RefusalKind
from hub.rules.measures import Scenario
from hub.store import commitments as store
from hub.store.imports import Counts, Provenance

Items = list[tuple[int, Record]]


class CommitmentRecord(Record):
    """``{"kind": "commitment", "id", "subject", "department", "type", "content",
    "liability", "scenario", "caseNumber", "madeOn", "disclosure"}``."""

    kind: Literal["commitment"]
    id: RecordId
    subject: SubjectRef
    department: Code
    type: CommitmentType
    content: LongText
    liability: LongText
    scenario: Scenario | None = None
    case_number: Text | None = None
    made_on: IsoDate
    disclosure: CommitmentDisclosure = CommitmentDisclosure.PUBLIC

    @field_validator("scenario")
    @classmethod
    def _scenario_for_approvals(cls, value: Scenario | None, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        problem = scenario_refusal(kind, value) if kind is not None else None
        if problem is not None:
            raise PydanticCustomError("scenario", problem)
        return value

    def key(self) -> str:
        return self.id

    def department_field(self) -> str:
        return self.department

    def refs(self) -> list[Ref]:
        return [
            (self.subject.field, self.subject.label, self.subject.key),
            ("department", "Department", self.department),
        ]

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fp": self.fingerprint(),
            "subjectLabel": self.subject.label,
            "subject": self.subject.key,
            "department": self.department,
            "props": {
                "type": self.type.value,
                "content": self.content,
                "liability": self.liability,
                "scenario": self.scenario.value if self.scenario else None,
                "caseNumber": self.case_number,
                "madeOn": self.made_on,
                "disclosure": self.disclosure.value,
                "department": self.department,
                "subjectKey": self.subject.key,
            },
        }


class CommitmentFulfilmentRecord(Record):
    """``{"kind": "commitmentFulfilment", "code" | "commitmentId", "status", "undone",
    "confirmedBy", "confirmedOn"}``."""

    phase: ClassVar[int] = 3
    kind: Literal["commitmentFulfilment"]
    code: str | None = Field(default=None, pattern=CODE_PATTERN.pattern)
    # Validated when absent too: exactly one of code and commitmentId; undone by status.
    commitment_id: RecordId | None = Field(default=None, validate_default=True)
    status: Fulfilment
    undone: LongText | None = Field(default=None, validate_default=True)
    confirmed_by: Text
    confirmed_on: IsoDate

    @field_validator("code")
    @classmethod
    def _real_code(cls, value: str | None) -> str | None:
        if value is not None and parse_commitment_code(value) is None:
            raise PydanticCustomError("code", "{code} holds no real date", {"code": value})
        return value

    @field_validator("commitment_id")
    @classmethod
    def _one_commitment(cls, value: str | None, info: ValidationInfo) -> str | None:
        if "code" not in info.data:
            return value  # the code itself failed and is reported there, alone
        if (info.data["code"] is None) == (value is None):
            raise PydanticCustomError("commitment", "give exactly one of code or commitmentId")
        return value

    @field_validator("undone")
    @classmethod
    def _undone_by_status(cls, value: str | None, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        problem = undone_refusal(status, value) if status is not None else None
        if problem is not None:
            raise PydanticCustomError("undone", problem)
        return value

    def key(self) -> str:
        return self.code or str(self.commitment_id)

    def key_field(self) -> str:
        return "code" if self.code else "commitmentId"

    def identity(self) -> tuple[str, Hashable]:
        return (self.kind, (self.key_field(), self.key()))

    def params(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "undone": self.undone,
            "confirmedBy": self.confirmed_by,
            "confirmedOn": self.confirmed_on,
        }

    def row(self) -> dict[str, Any]:
        return {"key": self.key(), **self.params()}


def _same_fulfilment(stored: dict[str, Any], record: CommitmentFulfilmentRecord) -> bool:
    mine = record.params()
    return all(stored.get(k) == mine[k] for k in ("undone", "confirmedBy", "confirmedOn")) and (
        stored.get("fulfilment") == mine["status"]
    )


async def _check_commitments(
    tx: AsyncManagedTransaction, items: Items, prov: Provenance
) -> list[LineError]:
    """A commitment id belongs to its department for ever; its date, subject and department
    never change (its code was issued for them); its date is not after the upload's."""
    found = await store.commitments_by_ids(tx, [r.key() for _, r in items])
    errors = []
    for line, record in items:
        assert isinstance(record, CommitmentRecord)  # noqa: S101 - registered for commitments
        problem = made_on_refusal(record.made_on, prov.today)
        if problem is not None:
            errors.append(LineError(line, "madeOn", problem, record.kind, record.id))
            continue
        stored = found.get(record.id)
        if stored is None:
            continue
        if stored.get("department") != record.department:
            errors.append(
                LineError(
                    line,
                    "id",
                    f"commitment {record.id} already exists from {stored.get('department')}; "
                    "commitment ids are unique across departments",
                    record.kind,
                    record.id,
                )
            )
            continue
        for name, old, new in (
            ("madeOn", stored.get("madeOn"), record.made_on),
            ("subject", stored.get("subjectKey"), record.subject.key),
        ):
            if old != new:
                errors.append(
                    LineError(
                        line,
                        name,
                        f"commitment {record.id} (code {stored.get('code')}) was recorded with "
                        f"{name} {old}; its code was issued for it, so it cannot change",
                        record.kind,
                        record.id,
                    )
                )
                break
    return errors


async def _write_commitments(tx: AsyncManagedTransaction, items: Items, prov: Provenance) -> Counts:
    counts = Counts()
    params = prov.params()
    found = await store.commitments_by_ids(tx, [r.key() for _, r in items])
    for line, record in items:
        assert isinstance(record, CommitmentRecord)  # noqa: S101
        row = {**record.row(), "line": line}
        if record.id in found:
            changed = await store.update_commitment(tx, row, params)
            if changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
            continue
        key = sequence_key(COUNTY_DIVISION, record.made_on)
        sequence = await store.next_sequence(tx, key, COUNTY_DIVISION, record.made_on, params)
        code = commitment_code(COUNTY_DIVISION, record.made_on, sequence)
        found[record.id] = await store.create_commitment(tx, row, code, sequence, params)
        counts.created += 1
    return counts


_FIELD_OF = {
    RefusalKind.NOT_ALLOWED: "department",
    RefusalKind.CONFLICT: "status",
    RefusalKind.INVALID: "confirmedOn",
}


async def _stored_for(
    tx: AsyncManagedTransaction, items: Items
) -> dict[tuple[str, str], dict[str, Any]]:
    records = [r for _, r in items if isinstance(r, CommitmentFulfilmentRecord)]
    by_code = await store.commitments_by_codes(tx, [r.code for r in records if r.code])
    by_id = await store.commitments_by_ids(
        tx, [r.commitment_id for r in records if r.commitment_id]
    )
    out = {("code", k): v for k, v in by_code.items()}
    out.update({("commitmentId", k): v for k, v in by_id.items()})
    return out


async def _check_fulfilments(
    tx: AsyncManagedTransaction, items: Items, prov: Provenance
) -> list[LineError]:
    """The commitment exists and the fulfilment is allowed (hub/rules/commitments.py); a
    line repeating the stored fulfilment is accepted unchanged (a re-import)."""
    stored = await _stored_for(tx, items)
    who = Decider(department=None if prov.admin else prov.department, admin=prov.admin)
    reader = Reader(keyed=True, department=prov.department, admin=prov.admin)
    errors = []
    for line, record in items:
        assert isinstance(record, CommitmentFulfilmentRecord)  # noqa: S101
        field, key = record.key_field(), record.key()
        commitment = stored.get((field, key))
        if commitment is not None and not may_read(
            str(commitment.get("disclosure")), commitment.get("department"), reader
        ):
            commitment = None  # a NONE commitment of another department is not disclosed
        if commitment is None:
            errors.append(
                LineError(
                    line,
                    field,
                    f"commitment {key} does not exist (a fulfilment needs its commitment "
                    "stored by an earlier upload or recordCommitment)",
                    record.kind,
                    key,
                )
            )
            continue
        if commitment.get("fulfilment") and _same_fulfilment(commitment, record):
            continue
        refusal = fulfilment_refusal(commitment, record.confirmed_on, who, prov.today)
        if refusal is not None:
            errors.append(
                LineError(line, _FIELD_OF[refusal.kind], refusal.message, record.kind, key)
            )
    return errors


async def _write_fulfilments(tx: AsyncManagedTransaction, items: Items, prov: Provenance) -> Counts:
    counts = Counts()
    stored = await _stored_for(tx, items)
    params = {"dept": prov.department, "by": None, "now": prov.now, "batch": prov.batch}
    for _, record in items:
        assert isinstance(record, CommitmentFulfilmentRecord)  # noqa: S101
        commitment = stored[(record.key_field(), record.key())]
        if commitment.get("fulfilment"):
            counts.unchanged += 1
            continue
        await store.record_fulfilment(
            tx, str(commitment["code"]), {**params, **record.params()}, lambda _: None
        )
        counts.created += 1
    return counts


register_kind("commitment", CommitmentRecord)
register_kind("commitmentFulfilment", CommitmentFulfilmentRecord)
register_writer(
    CommitmentRecord, Writer("commitment", 45, _write_commitments, check=_check_commitments)
)
register_writer(
    CommitmentFulfilmentRecord,
    Writer("commitmentFulfilment", 46, _write_fulfilments, check=_check_fulfilments),
)
