"""Field types shared by the exchange-format records: identifiers, ISO dates, subject refs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from hub.identifiers import InvalidIdentifier, parse_id_number, parse_uscc
from hub.text import UnsafeText, clean_text, normal_text

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_DATE = dt.date(1949, 10, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("iso_date", "must be an ISO date yyyy-mm-dd")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "iso_date", "{value} is not a real date", {"value": value}
        ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise PydanticCustomError(
            "date_range", "{value} is outside 1949-10-01..2199-12-31", {"value": value}
        )
    return day


def _uscc(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("uscc", "must be a string")
    try:
        return parse_uscc(value).uscc
    except InvalidIdentifier as error:
        raise PydanticCustomError(
            "uscc", "invalid USCC: {reason}", {"reason": error.reason}
        ) from None


def _id_number(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("id_number", "must be a string")
    try:
        return parse_id_number(value).id_number
    except InvalidIdentifier as error:
        raise PydanticCustomError(
            "id_number", "invalid ID number: {reason}", {"reason": error.reason}
        ) from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Uscc = Annotated[str, BeforeValidator(_uscc)]
IdNumber = Annotated[str, BeforeValidator(_id_number)]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


def _visible(value: str) -> str:
    """Bidi controls rejected, zero-width characters stripped, NFC with full-width letters and
    digits half-width (hub/text.py)."""
    try:
        cleaned = normal_text(clean_text(value).strip())
    except UnsafeText as error:
        raise PydanticCustomError("bidi_control", str(error)) from None
    if not cleaned:
        raise PydanticCustomError("string_too_short", "holds nothing but invisible characters")
    return cleaned


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "contains a control character")
    return _visible(value)


def _no_control_but_lines(value: str) -> str:
    if _CONTROL_BUT_LINES.search(value):
        raise PydanticCustomError("control_character", "contains a control character")
    return _visible(value)


Text = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_no_control),
]
LongText = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000),
    AfterValidator(_no_control_but_lines),
]
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,63}$")
Code = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, pattern=CODE.pattern)]
RecordId = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9:_./-]{0,127}$"),
]
Number = Annotated[float, Strict()]
Flag = Annotated[bool, Strict()]


def _phone(value: Any) -> Any:
    if isinstance(value, str):
        digits = re.sub(r"[\s()-]", "", value)
        if not re.fullmatch(r"\+?\d{5,20}", digits):
            raise PydanticCustomError("phone", "must be a phone number (digits, 5 to 20)")
        return digits
    return value


Phone = Annotated[str, BeforeValidator(_phone)]


class StrictModel(BaseModel):
    """Base of every record: camelCase keys, unknown keys rejected, strict scalar types.

    Scalars are strict through their annotated types (Text, Number, Flag, ...); enums accept
    their string values.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=False,
        extra="forbid",
        frozen=True,
        str_max_length=10_000,
        allow_inf_nan=False,
    )


class SubjectRef(StrictModel):
    """``{"uscc": …}`` or ``{"idNumber": …}``, exactly one."""

    uscc: Uscc | None = None
    id_number: IdNumber | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SubjectRef:
        if (self.uscc is None) == (self.id_number is None):
            raise PydanticCustomError("subject", "give exactly one of uscc or idNumber")
        return self

    @property
    def label(self) -> str:
        return "Enterprise" if self.uscc is not None else "Person"

    @property
    def key(self) -> str:
        return self.uscc if self.uscc is not None else str(self.id_number)

    @property
    def field(self) -> str:
        """The field a problem with this subject is reported on."""
        return "subject.uscc" if self.uscc is not None else "subject.idNumber"


def check_range(start: dt.date | None, end: dt.date | None, names: tuple[str, str]) -> None:
    if start is not None and end is not None and end < start:
        raise PydanticCustomError(
            "date_order",
            "{end_name} {end} is before {start_name} {start}",
            {
                "end_name": names[1],
                "end": end.isoformat(),
                "start_name": names[0],
                "start": start.isoformat(),
            },
        )
