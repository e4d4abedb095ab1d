"""The header row of a 双公示 table: normalised, matched on the bracketed label, judged once.

A header is normalised (NFKC: full-width brackets, letters and underscores as ASCII; spaces
removed; ``-`` and ``＿`` as ``_``), then matched, in this order: on the whole normalised
text (``罚款金额(万元)``); on the label in its brackets (in ``行政相对人代码_2(组织机构代码)``
the label decides: the ``_N`` suffix is never trusted, the generations numbered the codes
differently); on the text before the brackets. Only a header without a label falls back on
its suffix, read in the generation the other headers show. Synonyms (``文号``,
``许可决定书文号``, …) name one column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class Template(StrEnum):
    LICENSE = "LICENSE"  # 行政许可
    PENALTY = "PENALTY"  # 行政处罚


class Generation(StrEnum):
    OLD = "1.0"  # ≈2016-2018
    NEW = "2.0"  # ≈2019 on


class Col(StrEnum):
    """The columns the hub knows, by what they mean (both templates, both generations)."""

    SEQ = "序号"
    NAME = "行政相对人名称"
    CLASS = "行政相对人类别"
    USCC = "统一社会信用代码"
    REG_NO = "工商注册号"
    ORG_CODE = "组织机构代码"
    TAX_NO = "税务登记号"
    INSTITUTION_NO = "事业单位证书号"
    SOCIAL_ORG_NO = "社会组织登记证号"
    RESIDENT_ID = "居民身份证号"
    LEGAL_REP = "法定代表人"
    LEGAL_REP_ID_TYPE = "法定代表人证件类型"
    LEGAL_REP_ID = "法定代表人证件号码"
    ID_TYPE = "证件类型"
    ID_NO = "证件号码"
    # penalty
    PENALTY_DOC_NO = "行政处罚决定书文号"
    VIOLATION_TYPE = "违法行为类型"
    FACTS = "违法事实"
    PENALTY_BASIS = "处罚依据"
    PENALTY_CATEGORY = "处罚类别"
    PENALTY_CONTENT = "处罚内容"
    FINE = "罚款金额(万元)"
    CONFISCATED = "没收违法所得、没收非法财物的金额(万元)"
    LICENCE_SUSPENDED = "暂扣或吊销证照名称及编号"
    PENALTY_DATE = "处罚决定日期"
    PENALTY_VALID_TO = "处罚有效期"
    PUBLICITY_END = "公示截止期"
    PENALTY_AUTHORITY = "处罚机关"
    PENALTY_AUTHORITY_USCC = "处罚机关统一社会信用代码"
    # penalty, old generation
    PENALTY_NAME = "处罚名称"
    PENALTY_CODE = "行政处罚编码"
    PENALTY_REASON = "处罚事由"
    PENALTY_RESULT = "处罚结果"
    CREDIT_SEVERITY = "失信严重程度"
    # licensing
    LICENSE_DOC_NAME = "行政许可决定文书名称"
    LICENSE_DOC_NO = "行政许可决定文书号"
    LICENSE_CATEGORY = "许可类别"
    APPROVAL_CATEGORY = "审批类别"
    CERTIFICATE_NAME = "许可证书名称"
    LICENCE_NO = "许可编号"
    LICENSE_CONTENT = "许可内容"
    LICENSE_DATE = "许可决定日期"
    VALID_FROM = "有效期自"
    VALID_TO = "有效期至"
    LICENSE_AUTHORITY = "许可机关"
    LICENSE_AUTHORITY_USCC = "许可机关统一社会信用代码"
    # both
    STATUS = "当前状态"
    SCOPE = "信息使用范围"
    DIVISION = "地方编码"
    UPDATED_AT = "数据更新时间戳"
    SOURCE_UNIT = "数据来源单位"
    SOURCE_UNIT_USCC = "数据来源单位统一社会信用代码"
    REMARK = "备注"
    # written by the hub's export (hub/importer/shuanggongshi/export.py); read back and ignored
    DUE = "应公示日期"


# Other spellings of one column (after normalisation), by what they mean.
SYNONYMS: dict[str, Col] = {
    "行政处罚决定文书号": Col.PENALTY_DOC_NO,
    "处罚决定书文号": Col.PENALTY_DOC_NO,
    "文号": Col.PENALTY_DOC_NO,
    "许可决定书文号": Col.LICENSE_DOC_NO,
    "行政许可决定书文号": Col.LICENSE_DOC_NO,
    "工商登记码": Col.REG_NO,
    "法定代表人姓名": Col.LEGAL_REP,
    "罚款金额": Col.FINE,
    "没收违法所得、没收非法财物的金额": Col.CONFISCATED,
    "没收违法所得没收非法财物的金额(万元)": Col.CONFISCATED,
}

# The ``_N`` suffix of 行政相对人代码 in each generation, for a header without its label only.
CODE_SUFFIXES: dict[Generation, dict[int, Col]] = {
    Generation.OLD: {
        1: Col.USCC,
        2: Col.ORG_CODE,
        3: Col.REG_NO,
        4: Col.TAX_NO,
        5: Col.RESIDENT_ID,
    },
    Generation.NEW: {
        1: Col.USCC,
        2: Col.REG_NO,
        3: Col.ORG_CODE,
        4: Col.TAX_NO,
        5: Col.INSTITUTION_NO,
        6: Col.SOCIAL_ORG_NO,
    },
}

# Columns only one generation has: the generation is the one whose marks the headers carry.
OLD_MARKS = frozenset(
    {
        Col.DIVISION,
        Col.SCOPE,
        Col.UPDATED_AT,
        Col.PENALTY_NAME,
        Col.PENALTY_CODE,
        Col.PENALTY_REASON,
        Col.PENALTY_RESULT,
        Col.CREDIT_SEVERITY,
        Col.APPROVAL_CATEGORY,
        Col.RESIDENT_ID,
    }
)
NEW_MARKS = frozenset(
    {
        Col.SOURCE_UNIT,
        Col.SOURCE_UNIT_USCC,
        Col.VIOLATION_TYPE,
        Col.FACTS,
        Col.PENALTY_CONTENT,
        Col.PENALTY_VALID_TO,
        Col.LICENSE_CATEGORY,
        Col.LICENSE_DOC_NAME,
        Col.INSTITUTION_NO,
        Col.SOCIAL_ORG_NO,
        Col.PENALTY_AUTHORITY_USCC,
        Col.LICENSE_AUTHORITY_USCC,
    }
)

_IDENTITY = {
    Col.SEQ,
    Col.NAME,
    Col.CLASS,
    Col.USCC,
    Col.REG_NO,
    Col.ORG_CODE,
    Col.TAX_NO,
    Col.LEGAL_REP,
    Col.LEGAL_REP_ID_TYPE,
    Col.LEGAL_REP_ID,
    Col.ID_TYPE,
    Col.ID_NO,
    Col.RESIDENT_ID,
    Col.STATUS,
    Col.SCOPE,
    Col.REMARK,
    Col.DUE,
}
_PENALTY = {
    Col.PENALTY_DOC_NO,
    Col.PENALTY_BASIS,
    Col.PENALTY_CATEGORY,
    Col.FINE,
    Col.CONFISCATED,
    Col.LICENCE_SUSPENDED,
    Col.PENALTY_DATE,
    Col.PUBLICITY_END,
    Col.PENALTY_AUTHORITY,
}
_LICENSE = {
    Col.LICENSE_DOC_NO,
    Col.CERTIFICATE_NAME,
    Col.LICENCE_NO,
    Col.LICENSE_CONTENT,
    Col.LICENSE_DATE,
    Col.VALID_FROM,
    Col.VALID_TO,
    Col.LICENSE_AUTHORITY,
}
_OLD = {Col.DIVISION, Col.UPDATED_AT}
_NEW = {Col.SOURCE_UNIT, Col.SOURCE_UNIT_USCC, Col.INSTITUTION_NO, Col.SOCIAL_ORG_NO}

# Every column a template of a generation may carry.
KNOWN: dict[tuple[Template, Generation], frozenset[Col]] = {
    (Template.PENALTY, Generation.NEW): frozenset(
        _IDENTITY
        | _PENALTY
        | _NEW
        | {
            Col.VIOLATION_TYPE,
            Col.FACTS,
            Col.PENALTY_CONTENT,
            Col.PENALTY_VALID_TO,
            Col.PENALTY_AUTHORITY_USCC,
        }
    ),
    (Template.PENALTY, Generation.OLD): frozenset(
        _IDENTITY
        | _PENALTY
        | _OLD
        | {
            Col.PENALTY_NAME,
            Col.PENALTY_CODE,
            Col.PENALTY_REASON,
            Col.PENALTY_RESULT,
            Col.CREDIT_SEVERITY,
        }
    ),
    (Template.LICENSE, Generation.NEW): frozenset(
        _IDENTITY
        | _LICENSE
        | _NEW
        | {Col.LICENSE_DOC_NAME, Col.LICENSE_CATEGORY}
        | {Col.LICENSE_AUTHORITY_USCC}
    ),
    (Template.LICENSE, Generation.OLD): frozenset(
        _IDENTITY | _LICENSE | _OLD | {Col.APPROVAL_CATEGORY}
    ),
}

# The columns a file must have (the template's 必填 columns).
REQUIRED: dict[tuple[Template, Generation], tuple[Col, ...]] = {
    (Template.PENALTY, Generation.NEW): (
        Col.NAME,
        Col.CLASS,
        Col.PENALTY_DOC_NO,
        Col.VIOLATION_TYPE,
        Col.FACTS,
        Col.PENALTY_BASIS,
        Col.PENALTY_CATEGORY,
        Col.PENALTY_CONTENT,
        Col.PENALTY_DATE,
        Col.PENALTY_VALID_TO,
        Col.PENALTY_AUTHORITY,
        Col.PENALTY_AUTHORITY_USCC,
        Col.SOURCE_UNIT,
        Col.SOURCE_UNIT_USCC,
    ),
    (Template.PENALTY, Generation.OLD): (
        Col.NAME,
        Col.PENALTY_DOC_NO,
        Col.PENALTY_NAME,
        Col.PENALTY_REASON,
        Col.PENALTY_BASIS,
        Col.PENALTY_CATEGORY,
        Col.PENALTY_RESULT,
        Col.PENALTY_DATE,
        Col.PENALTY_AUTHORITY,
        Col.STATUS,
        Col.DIVISION,
    ),
    (Template.LICENSE, Generation.NEW): (
        Col.NAME,
        Col.CLASS,
        Col.LICENSE_DOC_NO,
        Col.LICENSE_CATEGORY,
        Col.LICENSE_CONTENT,
        Col.LICENSE_DATE,
        Col.VALID_FROM,
        Col.VALID_TO,
        Col.LICENSE_AUTHORITY,
        Col.LICENSE_AUTHORITY_USCC,
        Col.SOURCE_UNIT,
        Col.SOURCE_UNIT_USCC,
    ),
    (Template.LICENSE, Generation.OLD): (
        Col.NAME,
        Col.LICENSE_DOC_NO,
        Col.APPROVAL_CATEGORY,
        Col.LICENSE_CONTENT,
        Col.LICENSE_DATE,
        Col.VALID_FROM,
        Col.VALID_TO,
        Col.LICENSE_AUTHORITY,
        Col.STATUS,
        Col.DIVISION,
    ),
}

_BY_TEXT: dict[str, Col] = {unicodedata.normalize("NFKC", c.value): c for c in Col}
_BY_TEXT.update({unicodedata.normalize("NFKC", k): v for k, v in SYNONYMS.items()})
_HEADER = re.compile(r"^(?P<base>[^(]*?)(?:_(?P<n>\d+))?(?:\((?P<label>[^)]*)\))?$")
_CODE_BASE = "行政相对人代码"


def normalise(header: str) -> str:
    """NFKC (brackets, letters, ``＿`` half-width), no spaces, ``-`` as ``_``."""
    text = unicodedata.normalize("NFKC", header)
    text = "".join(text.split()).replace("-", "_")
    return text.replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class HeaderProblem:
    column: int  # 0-based
    header: str  # as written in the file
    reason: str


@dataclass
class Layout:
    """Where each known column is in the file, and the header as the file writes it."""

    template: Template
    generation: Generation
    index: dict[Col, int] = field(default_factory=dict)
    written: dict[Col, str] = field(default_factory=dict)

    def header(self, col: Col) -> str:
        return self.written.get(col, col.value)


def _match(text: str) -> Col | tuple[str, int] | None:
    """The column a normalised header names, or (行政相对人代码, N) when only its suffix says."""
    found = _BY_TEXT.get(text)
    if found is not None:
        return found
    parts = _HEADER.match(text)
    if parts is None:
        return None
    label, base, number = parts["label"], parts["base"], parts["n"]
    if label:
        found = _BY_TEXT.get(label)
        if found is not None and (base == _CODE_BASE or found in (Col.FINE, Col.CONFISCATED)):
            return found
        found = _BY_TEXT.get(f"{base}({label})")
        if found is not None:
            return found
    if base == _CODE_BASE and number is not None and not label:
        return (_CODE_BASE, int(number))
    if base and not number:
        return _BY_TEXT.get(base)
    return None


def read_header(cells: list[str]) -> Layout | list[HeaderProblem]:
    """The layout of a header row, or every problem with it (each column once, by name)."""
    matched: list[Col | tuple[str, int] | None] = [_match(normalise(c)) for c in cells]
    named = {m for m in matched if isinstance(m, Col)}
    template = (
        Template.PENALTY
        if named & {Col.PENALTY_DOC_NO, Col.PENALTY_DATE, Col.PENALTY_AUTHORITY}
        else Template.LICENSE
        if named & {Col.LICENSE_DOC_NO, Col.LICENSE_DATE, Col.LICENSE_AUTHORITY}
        else None
    )
    if template is None:
        return [
            HeaderProblem(
                0,
                cells[0] if cells else "",
                "not a 双公示 table: no 行政处罚决定书文号 / 处罚决定日期 (处罚) nor "
                "行政许可决定文书号 / 许可决定日期 (许可) column",
            )
        ]
    old, new = len(named & OLD_MARKS), len(named & NEW_MARKS)
    generation = Generation.OLD if old > new else Generation.NEW
    known = KNOWN[(template, generation)]
    layout = Layout(template, generation)
    problems: list[HeaderProblem] = []
    for position, (cell, match) in enumerate(zip(cells, matched, strict=True)):
        if not cell.strip():
            if position == len(cells) - 1 or not any(c.strip() for c in cells[position:]):
                break  # trailing empty header cells (a spreadsheet's used range)
            problems.append(HeaderProblem(position, cell, "empty header"))
            continue
        col = CODE_SUFFIXES[generation].get(match[1]) if isinstance(match, tuple) else match
        if col is None or col not in known:
            problems.append(
                HeaderProblem(
                    position,
                    cell,
                    f"unknown column for the {template.value} template ({generation.value})",
                )
            )
            continue
        if col in layout.index:
            problems.append(
                HeaderProblem(position, cell, f"same column as {layout.written[col]!r}")
            )
            continue
        layout.index[col] = position
        layout.written[col] = cell
    for col in REQUIRED[(template, generation)]:
        if col not in layout.index:
            problems.append(
                HeaderProblem(
                    len(cells),
                    col.value,
                    f"required column is missing ({template.value} template, "
                    f"generation {generation.value})",
                )
            )
    return problems or layout
