"""A department's actions back as a 双公示 table (the 2.0 template), CSV or XLSX.

Each row is what the import read (the template columns are kept on the action); an action that
came as JSON Lines is written from its fields and its subject. Two columns follow the
template's: 信息使用范围 (the record's disclosure, so that a re-upload keeps it) and 应公示日期,
the last day the record may go public on time (7 working days after the decision, the official
calendar: hub/rules/workdays.py). Uploading an exported file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from hub.identifiers import SubjectKind
from hub.importer.shuanggongshi.headers import Col, Template
from hub.importer.shuanggongshi.values import (
    LONG_TERM,
    PLACEHOLDER_USCC,
    SubjectClass,
    wan_yuan_text,
)
from hub.rules.publicity import publicity
from hub.rules.workdays import Calendar, publication_deadline
from hub.store import Store
from hub.store.shuanggongshi import export_page

PAGE = 2000

_CODES = (
    ("行政相对人代码_1（统一社会信用代码）", Col.USCC),
    ("行政相对人代码_2（工商注册号）", Col.REG_NO),
    ("行政相对人代码_3（组织机构代码）", Col.ORG_CODE),
    ("行政相对人代码_4（税务登记号）", Col.TAX_NO),
    ("行政相对人代码_5（事业单位证书号）", Col.INSTITUTION_NO),
    ("行政相对人代码_6（社会组织登记证号）", Col.SOCIAL_ORG_NO),
)
_IDENTITY: tuple[tuple[str, Col], ...] = (
    ("行政相对人名称", Col.NAME),
    ("行政相对人类别", Col.CLASS),
    *_CODES,
    ("法定代表人", Col.LEGAL_REP),
    ("法定代表人证件类型", Col.LEGAL_REP_ID_TYPE),
    ("法定代表人证件号码", Col.LEGAL_REP_ID),
    ("证件类型", Col.ID_TYPE),
    ("证件号码", Col.ID_NO),
)
_TAIL = (
    ("数据来源单位", Col.SOURCE_UNIT),
    ("数据来源单位统一社会信用代码", Col.SOURCE_UNIT_USCC),
    ("备注", Col.REMARK),
    ("信息使用范围", Col.SCOPE),
    ("应公示日期", Col.DUE),
)
COLUMNS: dict[Template, tuple[tuple[str, Col], ...]] = {
    Template.PENALTY: (
        *_IDENTITY,
        ("行政处罚决定书文号", Col.PENALTY_DOC_NO),
        ("违法行为类型", Col.VIOLATION_TYPE),
        ("违法事实", Col.FACTS),
        ("处罚依据", Col.PENALTY_BASIS),
        ("处罚类别", Col.PENALTY_CATEGORY),
        ("处罚内容", Col.PENALTY_CONTENT),
        ("罚款金额（万元）", Col.FINE),
        ("没收违法所得、没收非法财物的金额（万元）", Col.CONFISCATED),
        ("暂扣或吊销证照名称及编号", Col.LICENCE_SUSPENDED),
        ("处罚决定日期", Col.PENALTY_DATE),
        ("处罚有效期", Col.PENALTY_VALID_TO),
        ("公示截止期", Col.PUBLICITY_END),
        ("处罚机关", Col.PENALTY_AUTHORITY),
        ("处罚机关统一社会信用代码", Col.PENALTY_AUTHORITY_USCC),
        ("当前状态", Col.STATUS),
        *_TAIL,
    ),
    Template.LICENSE: (
        *_IDENTITY,
        ("行政许可决定文书名称", Col.LICENSE_DOC_NAME),
        ("行政许可决定文书号", Col.LICENSE_DOC_NO),
        ("许可类别", Col.LICENSE_CATEGORY),
        ("许可证书名称", Col.CERTIFICATE_NAME),
        ("许可编号", Col.LICENCE_NO),
        ("许可内容", Col.LICENSE_CONTENT),
        ("许可决定日期", Col.LICENSE_DATE),
        ("有效期自", Col.VALID_FROM),
        ("有效期至", Col.VALID_TO),
        ("许可机关", Col.LICENSE_AUTHORITY),
        ("许可机关统一社会信用代码", Col.LICENSE_AUTHORITY_USCC),
        ("当前状态", Col.STATUS),
        *_TAIL,
    ),
}

_PENALTY_WORDS = {
    "WARNING": "警告",
    "FINE": "罚款",
    "CONFISCATION": "没收违法所得、没收非法财物",
    "SUSPENSION": "责令停产停业",
    "LICENCE_REVOCATION": "暂扣或者吊销许可证、暂扣或者吊销执照",
    "BUSINESS_BAN": "责令关闭",
    "DETENTION": "行政拘留",
    "OTHER": "其他",
}
_SCOPE_CODES = {"PUBLIC": "0", "GOVERNMENT": "1", "AUTHORIZED": "2"}


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ""


def _end(value: Any, long_term: Any) -> str:
    return LONG_TERM.isoformat() if long_term else _day(value)


def _subject_class(a: dict[str, Any], s: dict[str, Any]) -> str:
    if a.get("subjectClass"):
        return str(a["subjectClass"])
    if s["label"] == "Person":
        return SubjectClass.PERSON.value
    if s.get("kind") == SubjectKind.INDIVIDUAL_BUSINESS.value:
        return SubjectClass.INDIVIDUAL_BUSINESS.value
    return SubjectClass.ORGANISATION.value


def row_values(
    template: Template, a: dict[str, Any], s: dict[str, Any], department: str | None, cal: Calendar
) -> list[str]:
    """One action as the template's row (strings; empty for none)."""
    klass = _subject_class(a, s)
    person = s["label"] == "Person"
    on_operator = person and klass != SubjectClass.PERSON.value
    decided: dt.date = a["decisionDate"]
    due, _ = publication_deadline(decided, cal)
    valid_to = _end(a.get("validTo"), a.get("longTerm"))
    if template == Template.PENALTY and not valid_to:
        ends = publicity(a["type"], a.get("severity"), decided).ends
        valid_to = _day(ends) if ends else LONG_TERM.isoformat()
    categories = a.get("penaltyCategories") or [
        _PENALTY_WORDS[p] for p in a.get("penalties") or () if p in _PENALTY_WORDS
    ]
    authority = a.get("authority") or department or ""
    value: dict[Col, Any] = {
        Col.NAME: a.get("subjectName") or s.get("name"),
        Col.CLASS: klass,
        Col.USCC: PLACEHOLDER_USCC if on_operator else ("" if person else s.get("uscc")),
        Col.REG_NO: a.get("registrationNumber") or s.get("registrationNumber"),
        Col.ORG_CODE: a.get("organizationCode"),
        Col.TAX_NO: a.get("taxNumber"),
        Col.INSTITUTION_NO: a.get("institutionNumber"),
        Col.SOCIAL_ORG_NO: a.get("socialOrgNumber"),
        Col.LEGAL_REP: a.get("legalRepresentative"),
        Col.LEGAL_REP_ID_TYPE: a.get("legalRepresentativeIdType"),
        Col.LEGAL_REP_ID: a.get("legalRepresentativeId"),
        Col.ID_TYPE: "01" if person and not on_operator else "",
        Col.ID_NO: s.get("idNumber") if person and not on_operator else "",
        Col.PENALTY_DOC_NO: a.get("documentNumber"),
        Col.LICENSE_DOC_NO: a.get("documentNumber"),
        Col.VIOLATION_TYPE: a.get("violationType") or a.get("title"),
        Col.FACTS: a.get("facts"),
        Col.PENALTY_BASIS: a.get("basis"),
        Col.PENALTY_CATEGORY: "；".join(categories),
        Col.PENALTY_CONTENT: a.get("content"),
        Col.FINE: wan_yuan_text(a["amount"]) if a.get("amount") is not None else "",
        Col.CONFISCATED: (
            wan_yuan_text(a["confiscatedAmount"]) if a.get("confiscatedAmount") is not None else ""
        ),
        Col.LICENCE_SUSPENDED: a.get("licenceSuspended"),
        Col.PENALTY_DATE: _day(decided),
        Col.LICENSE_DATE: _day(decided),
        Col.PENALTY_VALID_TO: valid_to,
        Col.VALID_TO: valid_to,
        Col.VALID_FROM: _day(a.get("validFrom")),
        Col.PUBLICITY_END: _day(a.get("publicityEnd")),
        Col.PENALTY_AUTHORITY: authority,
        Col.LICENSE_AUTHORITY: authority,
        Col.PENALTY_AUTHORITY_USCC: a.get("authorityUscc"),
        Col.LICENSE_AUTHORITY_USCC: a.get("authorityUscc"),
        Col.LICENSE_DOC_NAME: a.get("documentName"),
        Col.LICENSE_CATEGORY: a.get("licenceCategory"),
        Col.CERTIFICATE_NAME: a.get("certificateName"),
        Col.LICENCE_NO: a.get("licenceNumber"),
        Col.LICENSE_CONTENT: a.get("content"),
        Col.STATUS: a.get("templateStatus") if a.get("generation") != "1.0" else "",
        Col.SOURCE_UNIT: a.get("sourceUnit") or authority,
        Col.SOURCE_UNIT_USCC: a.get("sourceUnitUscc") or a.get("authorityUscc"),
        Col.REMARK: a.get("remark"),
        Col.SCOPE: _SCOPE_CODES.get(str(a.get("disclosure") or "PUBLIC"), "0"),
        Col.DUE: _day(due),
    }
    return ["" if value.get(col) is None else str(value[col]) for _, col in COLUMNS[template]]


async def export_rows(
    store: Store,
    template: Template,
    department: str | None,
    start: dt.date,
    end: dt.date,
    calendar: Calendar,
) -> AsyncIterator[list[str]]:
    """The header, then one row per action (oldest first), read a page at a time."""
    yield [header for header, _ in COLUMNS[template]]
    after: tuple[dt.date, str] | None = None
    while True:
        page = await store.read(export_page, template.value, department, start, end, after, PAGE)
        for row in page:
            yield row_values(template, row["a"], row["s"], row["departmentName"], calendar)
        if len(page) < PAGE:
            return
        last = page[-1]["a"]
        after = (last["decisionDate"], last["id"])


def csv_bytes(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a BOM (so that a spreadsheet opens the Chinese headers right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[list[str]]) -> bytes:
    """One sheet, every cell text (codes and numbers keep their spelling), streamed out."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("双公示")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS: dict[str, tuple[Callable[[Iterable[list[str]]], bytes], str]] = {
    "csv": (csv_bytes, "text/csv; charset=utf-8"),
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


async def export_table(
    store: Store,
    template: Template,
    department: str | None,
    start: dt.date,
    end: dt.date,
    calendar: Calendar,
    fmt: str,
) -> tuple[bytes, str]:
    """(the file, its media type)."""
    import asyncio

    rows = [row async for row in export_rows(store, template, department, start, end, calendar)]
    write, media = WRITERS[fmt]
    return await asyncio.to_thread(write, rows), media
