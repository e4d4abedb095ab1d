"""Exchange-format kinds ``evaluation`` (公共信用综合评价) and ``measure`` (the catalogue)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from hub.importer.fields import Code, Flag, IsoDate, LongText, RecordId, SubjectRef, Text
from hub.importer.records import Record, Ref, digest
from hub.rules.listings import ListingSource, ListKind
from hub.rules.measures import (
    ALL_SCENARIOS,
    MEASURE_SUBJECT_KINDS,
    Grade,
    MeasureCategory,
    MeasureEffect,
    PartyToken,
    Scenario,
)


class EvaluationRecord(Record):
    """A public credit evaluation grade of a subject, from a department or platform."""

    kind: Literal["evaluation"]
    id: RecordId | None = None
    subject: SubjectRef
    grade: Grade
    evaluated_on: IsoDate
    source: Code

    def key(self) -> str:
        if self.id is not None:
            return self.id
        return digest(
            "evaluation", self.subject.label, self.subject.key, self.evaluated_on, self.source
        )

    def key_field(self) -> str:
        return "id" if self.id is not None else "subject+evaluatedOn+source"

    def refs(self) -> list[Ref]:
        field = self.subject.field
        return [
            (field, self.subject.label, self.subject.key),
            ("source", "Department", self.source),
        ]

    def department_field(self) -> str:
        return self.source

    def row(self) -> dict[str, Any]:
        return {
            "key": self.key(),
            "fp": self.fingerprint(),
            "subjectLabel": self.subject.label,
            "subject": self.subject.key,
            "department": self.source,
            "props": {
                "grade": self.grade.value,
                "evaluatedOn": self.evaluated_on,
                "source": self.source,
                "subjectKey": self.subject.key,
            },
        }


_SCENARIO_NAMES = ", ".join(s.value for s in Scenario)


class MeasureRecord(Record):
    """One entry of the measure catalogue (reference data: ADMIN only, or `credit-hub migrate`)."""

    phase: ClassVar[int] = 0
    kind: Literal["measure"]
    code: Code
    name: Text
    category: MeasureCategory
    effect: MeasureEffect
    lists: tuple[ListKind, ...] = ()
    grades: tuple[Grade, ...] = ()
    sources: tuple[ListingSource, ...] = ()
    reaches: tuple[PartyToken, ...] = Field(default=(PartyToken.SUBJECT,), min_length=1)
    subject_kinds: tuple[str, ...] = ()
    requires_public_servant: Flag = False
    scenarios: tuple[str, ...]
    legal_basis: LongText
    edition: Text
    # The day this version of the measure applies from (its edition's date); none: since ever.
    # Checks before it use the version it replaced, or none (hub/rules/editions.py).
    edition_date: IsoDate | None = None

    @field_validator("subject_kinds")
    @classmethod
    def _kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [k for k in value if k not in MEASURE_SUBJECT_KINDS]
        if bad:
            raise PydanticCustomError(
                "subject_kind",
                "unknown subject kind(s) {bad} (known: {known})",
                {"bad": ", ".join(bad), "known": ", ".join(MEASURE_SUBJECT_KINDS)},
            )
        return value

    @field_validator("scenarios", mode="before")
    @classmethod
    def _all(cls, value: Any) -> Any:
        return [ALL_SCENARIOS] if value == ALL_SCENARIOS else value

    @field_validator("scenarios")
    @classmethod
    def _scenarios(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise PydanticCustomError("scenarios", 'scenarios is empty (use "*" for every one)')
        if ALL_SCENARIOS in value:
            if len(value) > 1:
                raise PydanticCustomError("scenarios", '"*" stands alone')
            return value
        bad = [s for s in value if s not in Scenario.__members__]
        if bad:
            raise PydanticCustomError(
                "scenario",
                'unknown scenario(s) {bad} (known: {known}, or "*")',
                {"bad": ", ".join(bad), "known": _SCENARIO_NAMES},
            )
        return value

    @model_validator(mode="after")
    def _triggered(self) -> MeasureRecord:
        if not self.lists and not self.grades:
            raise PydanticCustomError(
                "trigger", "give lists (BLACK, WATCH, RED) or grades (A-D) that trigger it"
            )
        return self

    def key(self) -> str:
        return self.code

    def key_field(self) -> str:
        return "code"

    def defines(self) -> tuple[str, str]:
        return ("Measure", self.code)

    def row(self) -> dict[str, Any]:
        return {
            "key": self.code,
            "fp": self.fingerprint(),
            "props": {
                "name": self.name,
                "category": self.category.value,
                "effect": self.effect.value,
                "lists": [x.value for x in self.lists],
                "grades": [x.value for x in self.grades],
                "sources": [x.value for x in self.sources],
                "reaches": [x.value for x in self.reaches],
                "subjectKinds": list(self.subject_kinds),
                "requiresPublicServant": self.requires_public_servant,
                "scenarios": list(self.scenarios),
                "legalBasis": self.legal_basis,
                "edition": self.edition,
                "editionDate": self.edition_date,
                # loaded again: no longer retired (a retirement is set by the catalogue loader)
                "retiredOn": None,
                "retiredIn": None,
            },
        }
