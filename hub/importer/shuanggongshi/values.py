"""The cell values of a 双公示 table: code tables, dates, 万元 amounts, the 处罚类别 vocabulary.

Pure functions: each returns the value or raises ``CellError`` with the reason a department
reads in its report (docs/shuanggongshi.md lists every one with the fix).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from hub.importer.records import Disclosure, PenaltyKind, Severity


class CellError(ValueError):
    """A cell's value is not acceptable; ``str(error)`` is the reason."""


class SubjectClass(StrEnum):
    """行政相对人类别."""

    ORGANISATION = "法人及非法人组织"
    PERSON = "自然人"
    INDIVIDUAL_BUSINESS = "个体工商户"


# The template's texts and the numeric codes in use (01 自然人, 02 法人, 03 非法人组织,
# 04 个体工商户; some systems drop the leading zero).
_CLASSES: dict[str, SubjectClass] = {
    "法人及非法人组织": SubjectClass.ORGANISATION,
    "法人": SubjectClass.ORGANISATION,
    "非法人组织": SubjectClass.ORGANISATION,
    "法人和非法人组织": SubjectClass.ORGANISATION,
    "自然人": SubjectClass.PERSON,
    "个体工商户": SubjectClass.INDIVIDUAL_BUSINESS,
    "01": SubjectClass.PERSON,
    "02": SubjectClass.ORGANISATION,
    "03": SubjectClass.ORGANISATION,
    "04": SubjectClass.INDIVIDUAL_BUSINESS,
    "1": SubjectClass.PERSON,
    "2": SubjectClass.ORGANISATION,
    "3": SubjectClass.ORGANISATION,
    "4": SubjectClass.INDIVIDUAL_BUSINESS,
}


def subject_class(text: str) -> SubjectClass:
    found = _CLASSES.get(text)
    if found is None:
        raise CellError(
            f"unknown 行政相对人类别 {text!r} (法人及非法人组织, 自然人, 个体工商户, or 01-04)"
        )
    return found


ID_CARD = "01"
# 证件类型: 01 身份证, 02 护照, 03 港澳居民来往内地通行证, 04 台湾居民来往大陆通行证,
# 05 外国人永久居留身份证.
_ID_TYPES: dict[str, str] = {
    "01": "01",
    "1": "01",
    "身份证": "01",
    "居民身份证": "01",
    "02": "02",
    "2": "02",
    "护照": "02",
    "03": "03",
    "3": "03",
    "港澳居民来往内地通行证": "03",
    "04": "04",
    "4": "04",
    "台湾居民来往大陆通行证": "04",
    "05": "05",
    "5": "05",
    "外国人永久居留身份证": "05",
}


def id_type(text: str) -> str:
    found = _ID_TYPES.get(text)
    if found is None:
        raise CellError(f"unknown 证件类型 {text!r} (01 身份证, 02 护照, 03, 04, 05)")
    return found


LONG_TERM = dt.date(2099, 12, 31)
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EARLIEST = dt.date(1949, 10, 1)


def date(value: str | dt.date) -> dt.date:
    """``2019-10-10``, ``2019/10/10``, ``20191010`` (and a spreadsheet's date cell)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = value.split(" ")[0].split("T")[0] if len(value) > 10 else value
        parts = _DATE.match(text) or _COMPACT.match(text)
        if parts is None:
            raise CellError(f"{value!r} is not a date (2019-10-10, 2019/10/10 or 20191010)")
        try:
            day = dt.date(int(parts[1]), int(parts[2]), int(parts[3]))
        except ValueError:
            raise CellError(f"{value!r} is not a real date") from None
    if not _EARLIEST <= day <= LONG_TERM:
        raise CellError(f"{day.isoformat()} is outside 1949-10-01..2099-12-31")
    return day


def end_date(value: str | dt.date) -> dt.date | None:
    """A validity or publicity end: ``2099/12/31`` means long-term (None)."""
    day = date(value)
    return None if day == LONG_TERM else day


MAX_DECIMALS = 6
_YUAN = Decimal(10_000)


def wan_yuan(text: str) -> Decimal:
    """An amount in 万元, at most 6 decimals, ≥ 0."""
    cleaned = text.replace(",", "").replace("万元", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"{text!r} is not an amount in 万元 (e.g. 0.2 for 2000 元)") from None
    if not amount.is_finite() or amount < 0:
        raise CellError(f"{text!r} is not an amount ≥ 0")
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise CellError(f"{text!r} has more than {MAX_DECIMALS} decimals (万元)")
    return amount


def yuan(amount: Decimal) -> float:
    return float(amount * _YUAN)


def wan_yuan_text(yuan_amount: float) -> str:
    """The 万元 text of an amount in yuan, as the template writes it (no trailing zeros)."""
    amount = (Decimal(repr(yuan_amount)) / _YUAN).quantize(Decimal("0.000001")).normalize()
    return format(amount, "f")


_YUAN_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?元")


def yuan_mismatch(amount: Decimal, *texts: str) -> str | None:
    """A warning when the text says an amount in 元 that the 万元 column holds 10,000× too big
    (罚款2000元 with 2000 in the column instead of 0.2), or None."""
    if amount == 0:
        return None
    for text in texts:
        for number, wan in _YUAN_IN_TEXT.findall(text):
            said = Decimal(number) if wan else Decimal(number) / _YUAN
            if said > 0 and amount == said * _YUAN:
                return (
                    f"the text says {number}{'万' if wan else ''}元 but the column holds "
                    f"{amount} 万元 ({amount * _YUAN} 元): the column is in 万元, "
                    f"{said.normalize()} was probably meant"
                )
    return None


class Vocabulary(StrEnum):
    """Editions of the 处罚类别 vocabulary: the 1996/2017 law and the 2021 law (art. 9)."""

    LAW_2017 = "2017"
    LAW_2021 = "2021"


LAW_2021_FROM = dt.date(2021, 7, 15)  # 行政处罚法 (2021 revision) in force

# 处罚类别 -> (the hub's penalty kind, the edition that brought the term).
PENALTY_CATEGORIES: dict[str, tuple[PenaltyKind, Vocabulary]] = {
    "警告": (PenaltyKind.WARNING, Vocabulary.LAW_2017),
    "罚款": (PenaltyKind.FINE, Vocabulary.LAW_2017),
    "没收违法所得、没收非法财物": (PenaltyKind.CONFISCATION, Vocabulary.LAW_2017),
    "没收违法所得": (PenaltyKind.CONFISCATION, Vocabulary.LAW_2017),
    "没收非法财物": (PenaltyKind.CONFISCATION, Vocabulary.LAW_2017),
    "责令停产停业": (PenaltyKind.SUSPENSION, Vocabulary.LAW_2017),
    "暂扣或者吊销许可证、暂扣或者吊销执照": (PenaltyKind.LICENCE_REVOCATION, Vocabulary.LAW_2017),
    "暂扣或者吊销许可证": (PenaltyKind.LICENCE_REVOCATION, Vocabulary.LAW_2017),
    "暂扣或者吊销执照": (PenaltyKind.LICENCE_REVOCATION, Vocabulary.LAW_2017),
    "行政拘留": (PenaltyKind.DETENTION, Vocabulary.LAW_2017),
    "其他": (PenaltyKind.OTHER, Vocabulary.LAW_2017),
    "通报批评": (PenaltyKind.WARNING, Vocabulary.LAW_2021),
    "暂扣许可证件": (PenaltyKind.LICENCE_REVOCATION, Vocabulary.LAW_2021),
    "降低资质等级": (PenaltyKind.LICENCE_REVOCATION, Vocabulary.LAW_2021),
    "吊销许可证件": (PenaltyKind.LICENCE_REVOCATION, Vocabulary.LAW_2021),
    "限制开展生产经营活动": (PenaltyKind.SUSPENSION, Vocabulary.LAW_2021),
    "责令停产停业、责令关闭": (PenaltyKind.BUSINESS_BAN, Vocabulary.LAW_2021),
    "责令关闭": (PenaltyKind.BUSINESS_BAN, Vocabulary.LAW_2021),
    "限制从业": (PenaltyKind.BUSINESS_BAN, Vocabulary.LAW_2021),
}
_SPLIT = re.compile(r"[;；]")


def penalty_categories(
    text: str, decided: dt.date
) -> tuple[tuple[str, ...], tuple[PenaltyKind, ...]]:
    """(the categories as written, normalised; the hub's penalty kinds), multi-valued with
    ``;`` or ``；``; a sub-label (``其他-不予行政处罚``) belongs to its category."""
    written: list[str] = []
    kinds: list[PenaltyKind] = []
    for part in _SPLIT.split(text):
        term = part.strip()
        if not term:
            continue
        head = re.split(r"[-－—_(（]", term, maxsplit=1)[0].strip()
        found = PENALTY_CATEGORIES.get(head)
        if found is None:
            raise CellError(f"unknown 处罚类别 {term!r} (known: {', '.join(PENALTY_CATEGORIES)})")
        kind, edition = found
        if edition == Vocabulary.LAW_2021 and decided < LAW_2021_FROM:
            raise CellError(
                f"处罚类别 {head!r} exists from {LAW_2021_FROM.isoformat()} (行政处罚法 2021, "
                f"art. 9); the decision is of {decided.isoformat()}"
            )
        written.append(term)
        if kind not in kinds:
            kinds.append(kind)
    if not written:
        raise CellError("处罚类别 is empty")
    return tuple(written), tuple(kinds)


_STATUS = {"": "0", "0": "0", "正常": "0", "1": "1", "撤销": "1", "2": "2", "异议": "2"}
_STATUS.update({"3": "3", "其他": "3"})


def old_status(text: str) -> str:
    """当前状态 (1.0): 0 正常 (or blank), 1 撤销, 2 异议, 3 其他."""
    found = _STATUS.get(text)
    if found is None:
        raise CellError(f"unknown 当前状态 {text!r} (0 正常, 1 撤销, 2 异议, 3 其他)")
    return found


_SCOPES = {
    "": Disclosure.PUBLIC,
    "0": Disclosure.PUBLIC,
    "公示": Disclosure.PUBLIC,
    "1": Disclosure.GOVERNMENT,
    "仅政府部门内部共享": Disclosure.GOVERNMENT,
    "政府内部共享": Disclosure.GOVERNMENT,
    "2": Disclosure.AUTHORIZED,
    "仅可授权查询": Disclosure.AUTHORIZED,
    "授权查询": Disclosure.AUTHORIZED,
}


def scope(text: str) -> Disclosure:
    """信息使用范围: 0 公示 (default), 1 仅政府部门内部共享, 2 仅可授权查询."""
    found = _SCOPES.get(text)
    if found is None:
        raise CellError(
            f"unknown 信息使用范围 {text!r} (0 公示, 1 仅政府部门内部共享, 2 仅可授权查询)"
        )
    return found


_SEVERITIES = {
    "": ("0", Severity.GENERAL),
    "0": ("0", Severity.GENERAL),
    "未定": ("0", Severity.GENERAL),
    "1": ("1", Severity.GENERAL),
    "一般": ("1", Severity.GENERAL),
    "2": ("2", Severity.GENERAL),
    "较重": ("2", Severity.GENERAL),
    "3": ("3", Severity.SERIOUS),
    "严重": ("3", Severity.SERIOUS),
}


def credit_severity(text: str) -> tuple[str, Severity]:
    """失信严重程度 (1.0): 0 未定, 1 一般, 2 较重, 3 严重 -> (the code, the hub's severity)."""
    found = _SEVERITIES.get(text)
    if found is None:
        raise CellError(f"unknown 失信严重程度 {text!r} (0 未定, 1 一般, 2 较重, 3 严重)")
    return found


_DIVISION = re.compile(r"^\d{6}$")


def division(text: str) -> str:
    if not _DIVISION.match(text):
        raise CellError(f"地方编码 {text!r} is not a 6-digit division code")
    return text


PLACEHOLDER_USCC = "00000000000000000X"
