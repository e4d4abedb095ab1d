"""Identifier rules: USCC (GB 32100-2015) and the citizen ID number (GB 11643-1999).

python-stdnum holds the table of administrative division codes (``cn/loc``) and is the
reference for the check characters (tests compare our arithmetic with its ``calc_check_digit``
on many codes; ours skips its Unicode clean-up, which dominated bulk-import time). We do not
use its ``validate`` functions as they stand:

* ``stdnum.cn.uscc.validate`` requires the first eight characters to be digits, which rejects
  codes from letter registration authorities (``N`` 农业农村 for village collectives, ``A``, ``Y``).
* ``stdnum.cn.ric.validate`` requires the address county to exist in the birth year, which
  rejects 451031 (隆林, code since 2002) for everyone born before 2002 although the code is the
  county where the number was *issued*. We only require that the code existed at some time.

Every function here is pure and raises :class:`InvalidIdentifier` with a reason in plain words.
A reason about an ID number never quotes its digits (the address code, the birth date, the
check character): error messages travel to clients, screens and logs, and the masked form of a
number (first 4 and last 4) plus its birth date is most of the number.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from stdnum import numdb

from hub.clock import COUNTY_CLOCK
from hub.text import invisible_character

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))

# GB 32100-2015 table 1 (with later additions): registration authority -> allowed categories.
# Y (其他) is open-ended because authorities assign its categories locally.
REGISTRATION_AUTHORITIES: dict[str, tuple[str, frozenset[str] | None]] = {
    "1": ("机构编制", frozenset("1239")),
    "2": ("外交", frozenset("19")),
    "3": ("司法行政", frozenset("123459")),
    "4": ("文化", frozenset("19")),
    "5": ("民政", frozenset("1239")),
    "6": ("旅游", frozenset("129")),
    "7": ("宗教", frozenset("129")),
    "8": ("工会", frozenset("19")),
    "9": ("市场监督管理", frozenset("123")),
    "A": ("中央军委改革和编制办公室", frozenset("19")),
    "N": ("农业农村", frozenset("1239")),
    "Y": ("其他", None),
}

NATIONAL_DIVISION = "100000"


class SubjectKind(StrEnum):
    """What kind of market subject a USCC designates, from its first two characters."""

    ENTERPRISE = "ENTERPRISE"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"
    COOPERATIVE = "COOPERATIVE"
    VILLAGE_COLLECTIVE = "VILLAGE_COLLECTIVE"
    INSTITUTION = "INSTITUTION"
    SOCIAL_ORGANIZATION = "SOCIAL_ORGANIZATION"
    OTHER = "OTHER"


class InvalidIdentifier(ValueError):
    """An identifier broke a rule; ``reason`` says which, in words a clerk understands."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@lru_cache(maxsize=8192)
def division_exists(code: str) -> bool:
    """True when ``code`` is, or once was, a county-level or higher division code."""
    if code == NATIONAL_DIVISION:
        return True
    if len(code) != 6 or not code.isdigit():
        return False
    parts = numdb.get("cn/loc").info(code)
    # numdb returns the code itself with an empty dict when nothing matched.
    return len(parts) == 2 and "county" in parts[1][1]


@dataclass(frozen=True, slots=True)
class UsccInfo:
    uscc: str
    authority: str
    category: str
    division: str
    kind: SubjectKind


def _kind_of(authority: str, category: str) -> SubjectKind:
    if authority == "9":
        return {
            "1": SubjectKind.ENTERPRISE,
            "2": SubjectKind.INDIVIDUAL_BUSINESS,
            "3": SubjectKind.COOPERATIVE,
        }[category]
    if authority == "N":
        return SubjectKind.VILLAGE_COLLECTIVE
    if authority == "1":
        return SubjectKind.INSTITUTION
    if authority == "5":
        return SubjectKind.SOCIAL_ORGANIZATION
    return SubjectKind.OTHER


def uscc_check_char(body: str) -> str:
    """GB 32100 check character of 17 characters from the USCC alphabet.

    Same arithmetic as ``stdnum.cn.uscc.calc_check_digit`` (tests compare the two), without its
    Unicode clean-up, which made it the slowest step of a bulk import.
    """
    total = sum(_USCC_VALUE[c] * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total) % 31]


def id_check_char(body: str) -> str:
    """GB 11643 MOD 11-2 check digit of 17 digits (same as ``stdnum.cn.ric``)."""
    total = sum(int(c) * w for c, w in zip(body, _RIC_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def parse_uscc(value: str, field: str = "uscc") -> UsccInfo:
    """Validate a USCC and split it into its parts."""
    if not isinstance(value, str):
        raise InvalidIdentifier(field, "must be a string")
    return _parse_uscc(value.strip().upper(), field)


def _refuse_invisible(value: str, field: str) -> None:
    """A bidi control or zero-width character, named by code point (hub/text.py)."""
    if not value.isascii():
        found = invisible_character(value)
        if found is not None:
            raise InvalidIdentifier(field, f"contains the invisible character {found}")


@lru_cache(maxsize=65_536)
def _parse_uscc(code: str, field: str) -> UsccInfo:
    _refuse_invisible(code, field)
    if len(code) != 18:
        raise InvalidIdentifier(field, f"must be 18 characters, got {len(code)}")
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise InvalidIdentifier(
            field, f"character(s) {''.join(bad)!r} not allowed (0-9 and A-Y without I O Z S V)"
        )
    authority, category, division = code[0], code[1], code[2:8]
    if authority not in REGISTRATION_AUTHORITIES:
        raise InvalidIdentifier(field, f"unknown registration authority {authority!r}")
    _, categories = REGISTRATION_AUTHORITIES[authority]
    if categories is not None and category not in categories:
        raise InvalidIdentifier(
            field, f"category {category!r} does not exist for registration authority {authority!r}"
        )
    if not division_exists(division):
        raise InvalidIdentifier(field, f"division code {division!r} is not a known division code")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidIdentifier(field, f"check character is {code[17]!r}, expected {expected!r}")
    return UsccInfo(code, authority, category, division, _kind_of(authority, category))


def normalize_uscc(value: str, field: str = "uscc") -> str:
    return parse_uscc(value, field).uscc


@dataclass(frozen=True, slots=True)
class IdNumberInfo:
    id_number: str
    division: str
    birth_date: dt.date
    sex: str  # "M" or "F", from the order code parity

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


EARLIEST_BIRTH = dt.date(1890, 1, 1)
# "Today": callers that hold the settings pass ``Settings.today()`` (hub/clock.py).
# The caller's "today" for code that cannot pass it down (the importer's record validators):
# the import runner sets it from the settings in its parser thread.
TODAY: ContextVar[dt.date | None] = ContextVar("credithub_today", default=None)


def parse_id_number(
    value: str, field: str = "idNumber", today: dt.date | None = None
) -> IdNumberInfo:
    """Validate an 18-character citizen ID number.

    The address code must be a division code that existed at some time; whether it existed in
    the birth year does not matter (the code is where the number was issued). The birth date
    may not be after ``today`` (default: ``TODAY`` if set, else the county clock's today, not the
    host's date).
    """
    if not isinstance(value, str):
        raise InvalidIdentifier(field, "must be a string")
    info = _parse_id_number(value.strip().upper(), field)
    if info.birth_date > (today or TODAY.get() or COUNTY_CLOCK.today()):
        raise InvalidIdentifier(field, "birth date (characters 7-14) is in the future")
    return info


@lru_cache(maxsize=65_536)
def _parse_id_number(number: str, field: str) -> IdNumberInfo:
    _refuse_invisible(number, field)
    if len(number) != 18:
        raise InvalidIdentifier(field, f"must be 18 characters, got {len(number)}")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdentifier(field, "must be 17 digits followed by a digit or X")
    if not number.isascii():
        raise InvalidIdentifier(field, "must be 17 digits followed by a digit or X")
    division = number[:6]
    if not division_exists(division) or division == NATIONAL_DIVISION:
        raise InvalidIdentifier(field, "address code (characters 1-6) is not a known division code")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier(field, "birth date (characters 7-14) is not a real date") from None
    if birth < EARLIEST_BIRTH:
        raise InvalidIdentifier(
            field, f"birth date (characters 7-14) is before {EARLIEST_BIRTH.year}"
        )
    if number[17] != id_check_char(number[:17]):
        raise InvalidIdentifier(
            field, "check character (the last) does not match the other 17 (MOD 11-2)"
        )
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number, division, birth, sex)


def normalize_id_number(value: str, field: str = "idNumber") -> str:
    return parse_id_number(value, field).id_number


def mask_id_number(value: str) -> str:
    """Masked form shown to the public: first 4 and last 4 characters kept."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# An 18-character run of 17 digits and a digit or X, not inside a longer code: what an ID number
# looks like in free text (a report's key, field or reason).
_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_id_numbers_in(text: str) -> str:
    """``text`` with every ID-number-shaped run masked as ``mask_id_number`` does; a run that is
    a valid USCC (an all-digit one) is kept. Invalid numbers are masked too: a typo of a real
    number is still most of it."""

    def masked(found: re.Match[str]) -> str:
        run = found.group()
        try:
            parse_uscc(run)
        except InvalidIdentifier:
            return mask_id_number(run)
        return run

    return _ID_NUMBER_IN_TEXT.sub(masked, text)


def make_uscc(authority: str, category: str, division: str, org: str) -> str:
    """Build a valid USCC from its parts (used by the demo generator and tests)."""
    body = f"{authority}{category}{division}{org}"
    if len(body) != 17:
        raise ValueError("authority + category + division + 9-char organisation code needed")
    return body + uscc_check_char(body)


def make_id_number(division: str, birth: dt.date, order: int) -> str:
    """Build a valid ID number from its parts (demo generator and tests)."""
    body = f"{division}{birth:%Y%m%d}{order:03d}"
    return body + id_check_char(body)
