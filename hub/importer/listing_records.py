"""The listing kinds of the exchange format: ``listing``, ``courtDefault``, ``loanDefault``.

docs/exchange-format-listings.md documents every field. Each becomes a ``Listing`` node (a
loan default only once the financial regulator's confirmation is recorded; before that it is a
``LoanReport`` without any effect). Field order matters: a validator sees the fields declared
before its own, so each rule sits on the last field it needs.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, Strict, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from graph_seed.reference_data import load_domains
from hub.identifiers import parse_id_number
from hub.importer.fields import (
    Code,
    IdNumber,
    IsoDate,
    LongText,
    SubjectRef,
    Text,
    check_range,
)
from hub.importer.records import Record, Ref
from hub.rules import listings as rules
from hub.rules.listings import EndReason, ListingSource, ListKind

# Listing ids never contain ':' — derived entries are "<source id>:<idNumber>".
ListingId = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$"),
]
COURT_DOMAIN = "COURT_ENFORCEMENT"
LOAN_DOMAIN = "FINANCE_LOAN"
COURT_BASIS = (
    "《最高人民法院关于公布失信被执行人名单信息的若干规定》(法释〔2017〕7号) 第一条第({ground})项"
)
LOAN_BASIS = "隆政办发〔2020〕6号 附件 二: 本金全部逾期达6个月以上, 经金融管理部门核实确认"


def _domain_problem(code: str, source: ListingSource) -> str | None:
    known = load_domains()
    spec = known.get(code)
    if spec is None:
        return f"unknown domain {code} (known: {', '.join(sorted(known))})"
    if spec.sources and source.value not in spec.sources:
        kinds = {"COURT": "courtDefault", "LOAN": "loanDefault", "ADMINISTRATIVE": "listing"}
        allowed = " or ".join(kinds[s] for s in spec.sources)
        return f"domain {code} is reserved for {allowed} records"
    return None


def _subject_ref(subject: SubjectRef) -> Ref:
    field = subject.field
    return (field, subject.label, subject.key)


class _ListingRecord(Record):
    """What every listing kind shares: id, subject, dates, liable persons, an optional end."""

    phase: ClassVar[int] = 3
    # The same id on two lines lands as two updates in line order, each an UPDATED event and a
    # Revision (docs/punishment.md), so a second line is not a conflict.
    repeatable: ClassVar[bool] = True
    source: ClassVar[ListingSource]
    id: ListingId

    def key(self) -> str:
        return self.id

    def ending(self) -> dict[str, Any] | None:
        ended_on: dt.date | None = getattr(self, "ended_on", None)
        if ended_on is None:
            return None
        reason = getattr(self, "end_reason", None) or self.default_end_reason()
        return {"on": ended_on, "reason": reason.value, "note": getattr(self, "end_note", None)}

    def default_end_reason(self) -> EndReason:
        return EndReason.ENDED

    # Shared rules; a kind without the field simply has no such rule (check_fields=False).
    @field_validator("effective_from", check_fields=False)
    @classmethod
    def _after_decision(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        check_range(info.data.get("decision_date"), value, ("decisionDate", "effectiveFrom"))
        return value

    @field_validator("ended_on", check_fields=False)
    @classmethod
    def _ended_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if value is None:
            return value
        if "confirmed_on" in cls.model_fields:  # a loan default ends only once it is a listing
            if "confirmed_on" in info.data and info.data["confirmed_on"] is None:
                raise PydanticCustomError(
                    "ended_on", "an unconfirmed report is not a listing and cannot end"
                )
            check_range(info.data.get("confirmed_on"), value, ("confirmedOn", "endedOn"))
        else:
            first = info.data.get("decision_date") or info.data.get("effective_from")
            check_range(first, value, ("decisionDate", "endedOn"))
        return value

    @field_validator("end_reason", check_fields=False)
    @classmethod
    def _end_reason(cls, value: EndReason | None, info: ValidationInfo) -> EndReason | None:
        _check_end(value, info, cls.source)
        return value


def _check_end(value: EndReason | None, info: ValidationInfo, source: ListingSource) -> None:
    if value is None:
        return
    court = source == ListingSource.COURT
    if court and value not in (EndReason.REMOVED, EndReason.REVOKED):
        raise PydanticCustomError(
            "end_reason", "a court listing ends only by the court: REMOVED or REVOKED"
        )
    if not court and value == EndReason.REMOVED:
        raise PydanticCustomError("end_reason", "REMOVED is for court listings only")
    if info.data.get("ended_on") is None and "ended_on" in info.data:
        raise PydanticCustomError("end_reason", "endReason needs endedOn")


def _minor(id_number: str, info: ValidationInfo) -> str | None:
    """Why the person is a minor on the court's decision (decisionDate when given, else
    effectiveFrom), or None."""
    decided = info.data.get("decision_date")
    start = decided or info.data.get("effective_from")
    if start is None:
        return None
    name = "decisionDate" if decided is not None else "effectiveFrom"
    return rules.minor_problem(parse_id_number(id_number).birth_date, start, name)


def _check_liable(
    value: tuple[str, ...], info: ValidationInfo, allowed_lists: tuple[ListKind, ...]
) -> tuple[str, ...]:
    if not value:
        return value
    subject = info.data.get("subject")
    if subject is not None and subject.uscc is None:
        raise PydanticCustomError(
            "liable_persons", "liable persons are named only when a unit (uscc) is listed"
        )
    kind = info.data.get("list_kind", ListKind.BLACK)
    if kind not in allowed_lists:
        raise PydanticCustomError(
            "liable_persons", "liable persons are named only on BLACK or WATCH listings"
        )
    if len(set(value)) != len(value):
        raise PydanticCustomError("liable_persons", "a person is named twice")
    return value


class ListingRecord(_ListingRecord):
    """A department's decision to list a subject (BLACK, WATCH or RED)."""

    source: ClassVar[ListingSource] = ListingSource.ADMINISTRATIVE
    kind: Literal["listing"]
    list_kind: ListKind = Field(alias="list")
    domain: Code
    department: Code
    basis: LongText
    document_number: Text | None = None
    decision_date: IsoDate | None = None
    effective_from: IsoDate
    expires_on: IsoDate | None = None
    subject: SubjectRef
    liable_persons: tuple[IdNumber, ...] = ()
    ended_on: IsoDate | None = None
    end_reason: EndReason | None = None
    end_note: Text | None = None

    @field_validator("domain")
    @classmethod
    def _known_domain(cls, value: str) -> str:
        problem = _domain_problem(value, cls.source)
        if problem:
            raise PydanticCustomError("domain", problem)
        return value

    @field_validator("expires_on")
    @classmethod
    def _after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("effective_from")
        if value is not None and start is not None and value <= start:
            raise PydanticCustomError(
                "date_order",
                "expiresOn (the first day it no longer applies) must be after effectiveFrom",
            )
        return value

    @field_validator("liable_persons")
    @classmethod
    def _liable(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return _check_liable(value, info, (ListKind.BLACK, ListKind.WATCH))

    def refs(self) -> list[Ref]:
        return [
            _subject_ref(self.subject),
            ("department", "Department", self.department),
            *((f"liablePersons.{i}", "Person", p) for i, p in enumerate(self.liable_persons)),
        ]

    def department_field(self) -> str:
        return self.department

    def row(self) -> dict[str, Any]:
        return listing_row(
            self,
            department=self.department,
            props={
                "list": self.list_kind.value,
                "domain": self.domain,
                "basis": self.basis,
                "documentNumber": self.document_number,
                "decisionDate": self.decision_date or self.effective_from,
                "effectiveFrom": self.effective_from,
                "expiresOn": self.expires_on,
            },
        )


class CourtDefaultRecord(_ListingRecord):
    """失信被执行人: a court's listing on one of six grounds (法释〔2017〕7号 第一条)."""

    source: ClassVar[ListingSource] = ListingSource.COURT
    kind: Literal["courtDefault"]
    court: Code
    case_number: Text
    ground: Annotated[int, Strict()]
    basis: LongText | None = None
    decision_date: IsoDate | None = None
    effective_from: IsoDate
    expires_on: IsoDate | None = None
    subject: SubjectRef
    liable_persons: tuple[IdNumber, ...] = ()
    ended_on: IsoDate | None = None
    end_reason: EndReason | None = None
    end_note: Text | None = None

    @field_validator("ground")
    @classmethod
    def _ground(cls, value: int) -> int:
        if value not in rules.COURT_GROUNDS:
            raise PydanticCustomError(
                "ground",
                "ground must be 1 to 6 (法释〔2017〕7号 第一条), got {value}",
                {"value": value},
            )
        return value

    @field_validator("expires_on")
    @classmethod
    def _term(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        ground = info.data.get("ground")
        if value is not None and ground is not None:
            problem = rules.court_expiry_problem(ground, info.data.get("effective_from"), value)
            if problem:
                raise PydanticCustomError("court_term", problem)
        return value

    @field_validator("subject")
    @classmethod
    def _not_a_minor(cls, value: SubjectRef, info: ValidationInfo) -> SubjectRef:
        problem = None if value.id_number is None else _minor(value.id_number, info)
        if problem:
            raise PydanticCustomError("minor", problem)
        return value

    @field_validator("liable_persons")
    @classmethod
    def _liable(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        checked = _check_liable(value, info, (ListKind.BLACK,))
        # A liable person gets a derived entry that court-only measures (限制高消费) reach: a
        # minor is never restricted that way either, as a listed minor is not.
        for position, number in enumerate(checked):
            problem = _minor(number, info)
            if problem:
                raise PydanticCustomError(
                    "minor",
                    "liable person {position}: {problem}",
                    {"position": position, "problem": problem},
                )
        return checked

    def default_end_reason(self) -> EndReason:
        return EndReason.REMOVED

    def refs(self) -> list[Ref]:
        return [
            _subject_ref(self.subject),
            ("court", "Department", self.court),
            *((f"liablePersons.{i}", "Person", p) for i, p in enumerate(self.liable_persons)),
        ]

    def department_field(self) -> str:
        return self.court

    def row(self) -> dict[str, Any]:
        return listing_row(
            self,
            department=self.court,
            props={
                "list": ListKind.BLACK.value,
                "domain": COURT_DOMAIN,
                "basis": self.basis or COURT_BASIS.format(ground=self.ground),
                "decisionDate": self.decision_date or self.effective_from,
                "effectiveFrom": self.effective_from,
                "expiresOn": rules.court_expiry(self.ground, self.effective_from, self.expires_on),
                "ground": self.ground,
                "caseNumber": self.case_number,
            },
        )


class LoanDefaultRecord(_ListingRecord):
    """A bank loan whose principal is wholly overdue, reported by the bank.

    It becomes a BLACK listing in FINANCE_LOAN only with the financial regulator's
    confirmation (confirmedBy, confirmedOn) given at least 6 calendar months after
    principalOverdueSince; before that it has no effect anywhere.
    """

    source: ClassVar[ListingSource] = ListingSource.LOAN
    kind: Literal["loanDefault"]
    subject: SubjectRef
    bank: Code
    principal_overdue_since: IsoDate
    reported_on: IsoDate
    confirmed_by: Code | None = None
    confirmed_on: IsoDate | None = Field(default=None, validate_default=True)
    basis: LongText | None = None
    ended_on: IsoDate | None = None
    end_reason: EndReason | None = None
    end_note: Text | None = None

    @field_validator("reported_on")
    @classmethod
    def _reported_after_overdue(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        check_range(
            info.data.get("principal_overdue_since"), value, ("principalOverdueSince", "reportedOn")
        )
        return value

    @field_validator("confirmed_on")
    @classmethod
    def _confirmation(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if "confirmed_by" not in info.data:
            return value  # confirmedBy itself failed and is reported there
        by = info.data.get("confirmed_by")
        if by is not None and value is None:
            raise PydanticCustomError("confirmation", "confirmedBy needs confirmedOn")
        if by is None and value is not None:
            raise PydanticCustomError(
                "confirmation", "confirmedOn needs confirmedBy (the financial regulator)"
            )
        if value is None:
            return value
        check_range(info.data.get("reported_on"), value, ("reportedOn", "confirmedOn"))
        since = info.data.get("principal_overdue_since")
        if since is not None:
            problem = rules.loan_problem(since, value)
            if problem:
                raise PydanticCustomError("loan_overdue", problem)
        return value

    @property
    def confirmed(self) -> bool:
        return self.confirmed_on is not None

    def refs(self) -> list[Ref]:
        out = [_subject_ref(self.subject), ("bank", "Department", self.bank)]
        if self.confirmed_by is not None:
            out.append(("confirmedBy", "Department", self.confirmed_by))
        return out

    def department_field(self) -> str:
        """The regulator decides the listing; the bank only reports (and may re-report)."""
        return self.confirmed_by or self.bank

    def row(self) -> dict[str, Any]:
        props: dict[str, Any] = {
            "list": ListKind.BLACK.value,
            "domain": LOAN_DOMAIN,
            "basis": self.basis or LOAN_BASIS,
            "bank": self.bank,
            "principalOverdueSince": self.principal_overdue_since,
            "reportedOn": self.reported_on,
        }
        if self.confirmed:
            # Omitted (not nulled) when unconfirmed: a re-report never undoes a confirmation.
            props |= {
                "confirmedBy": self.confirmed_by,
                "confirmedOn": self.confirmed_on,
                "decisionDate": self.confirmed_on,
                "effectiveFrom": self.confirmed_on,
                "department": self.confirmed_by,
            }
        row = listing_row(self, department=self.confirmed_by, props=props)
        row["confirmed"] = self.confirmed
        row["bank"] = self.bank
        return row


def listing_row(
    record: _ListingRecord, *, department: str | None, props: dict[str, Any]
) -> dict[str, Any]:
    subject: SubjectRef = record.subject  # type: ignore[attr-defined]
    liable: tuple[str, ...] = getattr(record, "liable_persons", ())
    full = {
        **props,
        "source": record.source.value,
        "subjectKey": subject.key,
        "subjectLabel": subject.label,
        "liablePersons": list(liable),
    }
    if department is not None:
        full["department"] = department
    return {
        "key": record.id,
        "fp": record.fingerprint(),
        "props": full,
        "subjectLabel": subject.label,
        "subject": subject.key,
        "department": department,
        "liable": list(liable),
        "end": record.ending(),
    }
