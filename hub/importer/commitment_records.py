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

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hub.importer.fields import Code, IsoDate, LongText, RecordId, SubjectRef, Text
from hub.importer.records import Record, Ref
from hub.rules.commitments import (
    CODE_PATTERN,
    CommitmentDisclosure,
    CommitmentType,
    Fulfilment,
    parse_commitment_code,
    scenario_refusal,
    undone_refusal,
)
from hub.rules.measures import Scenario


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
