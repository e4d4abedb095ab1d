"""The exchange-format records (docs/exchange-format.md), one pydantic model per ``kind``.

A record knows its natural key, the entities it defines, the entities it refers to and the row
it becomes in Cypher. The kind of each line is declared in ``hub/importer/kinds.py`` and the
writer of each model in ``hub/importer/registry.py``; the listing, evaluation, measure,
employment and commitment kinds live in modules of their own beside this one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Hashable
from enum import StrEnum
from typing import Any, ClassVar, Literal

import orjson
from pydantic import Field, TypeAdapter, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from graph_seed.model import ROLE_REL_TYPE, RoleName
from hub.identifiers import parse_id_number, parse_uscc
from hub.importer.fields import (
    Code,
    Flag,
    IdNumber,
    IsoDate,
    LongText,
    Number,
    Phone,
    RecordId,
    StrictModel,
    SubjectRef,
    Text,
    Uscc,
    check_range,
)

Ref = tuple[str, str, str]  # (field, label, key)


def digest(*parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


class Record(StrictModel):
    kind: str
    # Phase of the write: entities (1) before the facts that refer to them (2, 3).
    phase: ClassVar[int] = 2
    # Whether lines of one key with different content may follow each other in one upload and
    # are applied in line order (the listing kinds: each line is a dated UPDATED event). For
    # every other kind the later line is rejected ("same key as line N with different content").
    repeatable: ClassVar[bool] = False
    # The label of the entity a line of this kind defines (kinds that other lines refer to).
    label: ClassVar[str | None] = None

    @classmethod
    def key_of(cls, data: dict[str, Any]) -> str | None:
        """The normalised key of a line of this kind that failed validation, if its key field
        is valid: a line that refers to that entity is then told the line was rejected."""
        return None

    def key(self) -> str:
        raise NotImplementedError

    def key_field(self) -> str:
        """The field (or ``+``-joined fields) holding the natural key, for errors about it."""
        return "id"

    def identity(self) -> tuple[str, Hashable]:
        """(namespace, key): two lines with equal identities are the same record. The namespace
        of an entity is its label (so the upload's map of identities is also what it defines)."""
        return self.defines() or (self.kind, self.key())

    def content_hash(self) -> int:
        """Hash of the validated content: equal for lines that say the same thing (normalised:
        key order, spacing, number spelling and identifier case do not matter)."""
        return hash(self)

    def defines(self) -> tuple[str, str] | None:
        """(label, key) of the entity this record creates, if any."""
        return None

    def refs(self) -> list[Ref]:
        """Entities that must exist (in the graph or earlier phases of the same upload)."""
        return []

    def department_field(self) -> str | None:
        """The department that decided this fact, when the record names one."""
        return None

    def follow_ups(self) -> list[Record]:
        """Items written after all entities of the upload (links between entities)."""
        return []

    def row(self) -> dict[str, Any]:
        """The Cypher row: ``key``, ``props`` and what the write needs (without ``fp``)."""
        raise NotImplementedError

    def fingerprint(self) -> str:
        """Hash of the record's normalised content (kinds whose rows carry their own ``fp``)."""
        content = orjson.dumps(
            self.model_dump(mode="json", by_alias=True), option=orjson.OPT_SORT_KEYS
        )
        return hashlib.blake2b(content, digest_size=12).hexdigest()


def fingerprint(row: dict[str, Any]) -> str:
    """Hash of a row's normalised content: equal rows mean a re-import changes nothing."""
    content = orjson.dumps(row, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(content, digest_size=12).hexdigest()


class _Dated(Record):
    valid_from: IsoDate | None = Field(default=None, alias="from")
    valid_to: IsoDate | None = Field(default=None, alias="to")

    @field_validator("valid_to")
    @classmethod
    def _ordered(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        check_range(info.data.get("valid_from"), value, ("from", "to"))
        return value


# The key field types, to read a rejected line's key as a valid line's would be (``key_of``).
_USCC: TypeAdapter[str] = TypeAdapter(Uscc)
_ID_NUMBER: TypeAdapter[str] = TypeAdapter(IdNumber)
_CODE: TypeAdapter[str] = TypeAdapter(Code)


def _valid_key(adapter: TypeAdapter[str], value: Any) -> str | None:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


class EnterpriseStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DEREGISTERED = "DEREGISTERED"  # 注销
    REVOKED = "REVOKED"  # 吊销


class EnterpriseRecord(Record):
    phase: ClassVar[int] = 1
    label: ClassVar[str | None] = "Enterprise"
    kind: Literal["enterprise"]
    uscc: Uscc
    name: Text
    registered_on: IsoDate | None = None
    status: EnterpriseStatus = EnterpriseStatus.ACTIVE
    industry: Text | None = None
    address: Text | None = None
    phone: Phone | None = None
    branch_of: Uscc | None = None

    @field_validator("branch_of")
    @classmethod
    def _not_own_branch(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("uscc"):
            raise PydanticCustomError("own_branch", "an enterprise cannot be its own branch")
        return value

    @classmethod
    def key_of(cls, data: dict[str, Any]) -> str | None:
        return _valid_key(_USCC, data.get("uscc"))

    def key(self) -> str:
        return self.uscc

    def key_field(self) -> str:
        return "uscc"

    def defines(self) -> tuple[str, str]:
        return ("Enterprise", self.uscc)

    def refs(self) -> list[Ref]:
        # Checked before the enterprise lands (hub/importer/references.py: held lines).
        return [] if self.branch_of is None else [("branchOf", "Enterprise", self.branch_of)]

    def follow_ups(self) -> list[Record]:
        if self.branch_of is None:
            return []
        link = {"kind": "enterprise", "uscc": self.uscc, "branchOf": self.branch_of}
        return [BranchLinkRecord.model_validate(link)]

    def row(self) -> dict[str, Any]:
        info = parse_uscc(self.uscc)
        return {
            "key": self.uscc,
            "props": {
                "name": self.name,
                "kind": info.kind.value,
                "division": info.division,
                "registeredOn": self.registered_on,
                "status": self.status.value,
                "industry": self.industry,
                "address": self.address,
                "phone": self.phone,
                "branchOf": self.branch_of,
            },
            "address": normalise_address(self.address),
            "phone": self.phone,
        }


class BranchLinkRecord(Record):
    """The BRANCH_OF link of an enterprise line, written once every enterprise has landed."""

    kind: Literal["enterprise"]
    uscc: Uscc
    branch_of: Uscc

    def key(self) -> str:
        return self.uscc

    def refs(self) -> list[Ref]:
        return [("branchOf", "Enterprise", self.branch_of)]

    def row(self) -> dict[str, Any]:
        return {"key": self.uscc, "branchOf": self.branch_of}


class PersonRecord(Record):
    phase: ClassVar[int] = 1
    label: ClassVar[str | None] = "Person"
    kind: Literal["person"]
    id_number: IdNumber
    name: Text
    public_servant: Flag = False
    employer: Text | None = None
    address: Text | None = None
    phone: Phone | None = None

    @classmethod
    def key_of(cls, data: dict[str, Any]) -> str | None:
        return _valid_key(_ID_NUMBER, data.get("idNumber"))

    def key(self) -> str:
        return self.id_number

    def key_field(self) -> str:
        return "idNumber"

    def defines(self) -> tuple[str, str]:
        return ("Person", self.id_number)

    def row(self) -> dict[str, Any]:
        info = parse_id_number(self.id_number)
        return {
            "key": self.id_number,
            "props": {
                "name": self.name,
                "publicServant": self.public_servant,
                "employer": self.employer,
                "birthDate": info.birth_date,
                "sex": info.sex,
                "address": self.address,
                "phone": self.phone,
            },
            "address": normalise_address(self.address),
            "phone": self.phone,
        }


class DepartmentKind(StrEnum):
    GOVERNMENT = "GOVERNMENT"
    COURT = "COURT"
    BANK = "BANK"
    REGULATOR = "REGULATOR"


class DepartmentRecord(Record):
    """County reference data (ADMIN only)."""

    phase: ClassVar[int] = 0
    label: ClassVar[str | None] = "Department"
    kind: Literal["department"]
    code: Code
    name: Text
    department_kind: DepartmentKind = DepartmentKind.GOVERNMENT

    @classmethod
    def key_of(cls, data: dict[str, Any]) -> str | None:
        return _valid_key(_CODE, data.get("code"))

    def key(self) -> str:
        return self.code

    def key_field(self) -> str:
        return "code"

    def defines(self) -> tuple[str, str]:
        return ("Department", self.code)

    def row(self) -> dict[str, Any]:
        return {
            "key": self.code,
            "props": {"name": self.name, "kind": self.department_kind.value},
        }


class RoleRecord(_Dated):
    """A person in a role at an enterprise; a declared actual controller may be an enterprise."""

    kind: Literal["role"]
    id_number: IdNumber | None = None
    holder: SubjectRef | None = None
    uscc: Uscc
    role: RoleName
    title: Text | None = None

    @field_validator("role")
    @classmethod
    def _holder_given(cls, value: RoleName, info: ValidationInfo) -> RoleName:
        id_number, holder = info.data.get("id_number"), info.data.get("holder")
        if "id_number" not in info.data or "holder" not in info.data:
            return value  # a holder field itself failed and is reported there, alone
        if (id_number is None) == (holder is None):
            raise PydanticCustomError("holder", "give exactly one of idNumber or holder")
        if holder is not None and holder.uscc is not None and value != RoleName.ACTUAL_CONTROLLER:
            raise PydanticCustomError(
                "holder", "only ACTUAL_CONTROLLER may be held by an enterprise (holder.uscc)"
            )
        return value

    @property
    def holder_ref(self) -> tuple[str, str]:
        if self.id_number is not None:
            return ("Person", self.id_number)
        assert self.holder is not None  # noqa: S101 - guaranteed by the validator
        return (self.holder.label, self.holder.key)

    def key(self) -> str:
        label, holder = self.holder_ref
        return digest("role", label, holder, self.uscc, self.role.value, self.valid_from)

    def key_field(self) -> str:
        return ("idNumber" if self.id_number is not None else "holder") + "+uscc+role+from"

    def identity(self) -> tuple[str, Hashable]:
        # The parts of key() without its digest (~2 µs a line at parse time).
        return (self.kind, (*self.holder_ref, self.uscc, self.role, self.valid_from))

    def content_hash(self) -> int:
        # idNumber P and holder {idNumber: P} name the same holder.
        return hash(
            (self.holder_ref, self.uscc, self.role, self.title, self.valid_from, self.valid_to)
        )

    def refs(self) -> list[Ref]:
        label, holder = self.holder_ref
        field = (
            "idNumber"
            if self.id_number is not None
            else f"holder.{'uscc' if label == 'Enterprise' else 'idNumber'}"
        )
        return [(field, label, holder), ("uscc", "Enterprise", self.uscc)]

    def row(self) -> dict[str, Any]:
        label, holder = self.holder_ref
        position = self.role.value if ROLE_REL_TYPE[self.role] == "OFFICER_OF" else None
        return {
            "key": self.key(),
            "holderLabel": label,
            "holder": holder,
            "uscc": self.uscc,
            "type": ROLE_REL_TYPE[self.role],
            "props": {
                "role": self.role.value,
                "position": position,
                "title": self.title,
                "from": self.valid_from,
                "to": self.valid_to,
                "declared": True if self.role == RoleName.ACTUAL_CONTROLLER else None,
            },
        }


class ShareholdingRecord(_Dated):
    kind: Literal["shareholding"]
    holder: SubjectRef
    uscc: Uscc
    share: Number = Field(gt=0, le=1)
    subscribed_capital: Number | None = Field(default=None, ge=0)

    @field_validator("uscc")
    @classmethod
    def _not_self(cls, value: str, info: ValidationInfo) -> str:
        holder = info.data.get("holder")
        if holder is not None and holder.uscc == value:
            raise PydanticCustomError("self_holding", "an enterprise cannot hold its own shares")
        return value

    def key(self) -> str:
        assert self.holder is not None  # noqa: S101
        return digest("share", self.holder.label, self.holder.key, self.uscc, self.valid_from)

    def key_field(self) -> str:
        return "holder+uscc+from"

    def identity(self) -> tuple[str, Hashable]:
        return (self.kind, (self.holder.label, self.holder.key, self.uscc, self.valid_from))

    def refs(self) -> list[Ref]:
        field = "holder.uscc" if self.holder.uscc else "holder.idNumber"
        return [(field, self.holder.label, self.holder.key), ("uscc", "Enterprise", self.uscc)]

    def row(self) -> dict[str, Any]:
        return {
            "key": self.key(),
            "holderLabel": self.holder.label,
            "holder": self.holder.key,
            "uscc": self.uscc,
            "type": "HOLDS_SHARES",
            "props": {
                "share": self.share,
                "subscribedCapital": self.subscribed_capital,
                "from": self.valid_from,
                "to": self.valid_to,
            },
        }


class ActionType(StrEnum):
    LICENSE = "LICENSE"
    PENALTY = "PENALTY"
    COERCION = "COERCION"
    CONFIRMATION = "CONFIRMATION"
    LEVY = "LEVY"
    PAYMENT = "PAYMENT"
    ADJUDICATION = "ADJUDICATION"
    COMPENSATION = "COMPENSATION"
    REWARD = "REWARD"
    INSPECTION = "INSPECTION"


class Severity(StrEnum):
    MINOR = "MINOR"  # 轻微
    GENERAL = "GENERAL"  # 一般
    SERIOUS = "SERIOUS"  # 严重


class PenaltyKind(StrEnum):
    WARNING = "WARNING"
    FINE = "FINE"
    CONFISCATION = "CONFISCATION"
    SUSPENSION = "SUSPENSION"
    LICENCE_REVOCATION = "LICENCE_REVOCATION"
    BUSINESS_BAN = "BUSINESS_BAN"
    DETENTION = "DETENTION"
    OTHER = "OTHER"


class Disclosure(StrEnum):
    """Who may read an action (双公示 信息使用范围): PUBLIC readers see PUBLIC records only."""

    PUBLIC = "PUBLIC"  # 公示
    GOVERNMENT = "GOVERNMENT"  # 仅政府部门内部共享
    AUTHORIZED = "AUTHORIZED"  # 仅可授权查询


class ActionRecord(Record):
    kind: Literal["action"]
    id: RecordId
    subject: SubjectRef
    type: ActionType
    department: Code
    decision_date: IsoDate
    # Validated when absent too: a PENALTY without the key is rejected like one with null.
    severity: Severity | None = Field(default=None, validate_default=True)
    title: Text
    document_number: Text | None = None
    basis: LongText | None = None
    content: LongText | None = None
    domain: Code | None = None
    penalties: tuple[PenaltyKind, ...] = ()
    amount: Number | None = Field(default=None, ge=0)
    published_on: IsoDate | None = None
    disclosure: Disclosure = Disclosure.PUBLIC

    @field_validator("severity")
    @classmethod
    def _severity_for_penalty(cls, value: Severity | None, info: ValidationInfo) -> Severity | None:
        if value is None and info.data.get("type") == ActionType.PENALTY:
            raise PydanticCustomError(
                "severity", "a PENALTY needs a severity (MINOR, GENERAL, SERIOUS)"
            )
        return value

    @field_validator("published_on")
    @classmethod
    def _after_decision(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        check_range(info.data.get("decision_date"), value, ("decisionDate", "publishedOn"))
        return value

    def key(self) -> str:
        return self.id

    def defines(self) -> tuple[str, str]:
        return ("Action", self.id)

    def refs(self) -> list[Ref]:
        field = self.subject.field
        return [
            (field, self.subject.label, self.subject.key),
            ("department", "Department", self.department),
        ]

    def department_field(self) -> str:
        return self.department

    def row(self) -> dict[str, Any]:
        return {
            "key": self.id,
            "subjectLabel": self.subject.label,
            "subject": self.subject.key,
            "department": self.department,
            "props": {
                "type": self.type.value,
                "decisionDate": self.decision_date,
                "severity": self.severity.value if self.severity else None,
                "title": self.title,
                "documentNumber": self.document_number,
                "basis": self.basis,
                "content": self.content,
                "domain": self.domain,
                "penalties": [p.value for p in self.penalties] or None,
                "amount": self.amount,
                "publishedOn": self.published_on,
                "disclosure": self.disclosure.value,
                "subjectKey": self.subject.key,
                "department": self.department,
            },
        }


def normalise_address(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    compact = "".join(text.split())
    return {"key": digest("address", compact), "text": compact}
