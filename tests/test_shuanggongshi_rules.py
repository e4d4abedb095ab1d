"""Pure rules of the 双公示 tables (no Neo4j): headers, code tables, dates, 万元, 处罚类别."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hub.importer.records import PenaltyKind
from hub.importer.shuanggongshi import values as v
from hub.importer.shuanggongshi.headers import Col, Generation, Layout, Template, read_header
from hub.importer.shuanggongshi.sources import Format, csv_encoding, detect
from hub.text import normal_text
from tests import shuanggongshi_files as t


def layout(headers: list[str]) -> Layout:
    found = read_header(headers)
    assert isinstance(found, Layout), found
    return found


def test_the_bracketed_label_decides_not_the_suffix() -> None:
    new = layout(list(t.NEW_PENALTY.values()))
    old = layout(list(t.OLD_PENALTY.values()))
    assert (new.template, new.generation) == (Template.PENALTY, Generation.NEW)
    assert (old.template, old.generation) == (Template.PENALTY, Generation.OLD)
    # _2 is 工商注册号 in 2.0 and 组织机构代码 in 1.0: each file's label is followed
    assert new.written[Col.REG_NO] == "行政相对人代码_2 （工商注册号）"
    assert old.written[Col.ORG_CODE] == "行政相对人代码_2（组织机构代码）"
    assert old.written[Col.RESIDENT_ID] == "行政相对人代码_5（居民身份证号）"
    swapped = [
        h.replace("_2 （工商注册号）", "_3(工商注册号)").replace(
            "-3（组织机构代码）", "_2(组织机构代码)"
        )
        for h in t.NEW_PENALTY.values()
    ]
    assert layout(swapped).written[Col.REG_NO] == "行政相对人代码_3(工商注册号)"


def test_a_suffix_without_label_is_read_in_the_files_generation() -> None:
    new = [h if "_2" not in h else "行政相对人代码_2" for h in t.NEW_PENALTY.values()]
    old = [h if "_2" not in h else "行政相对人代码_2" for h in t.OLD_PENALTY.values()]
    assert layout(new).written[Col.REG_NO] == "行政相对人代码_2"
    assert layout(old).written[Col.ORG_CODE] == "行政相对人代码_2"


@pytest.mark.parametrize(
    ("written", "col"),
    [
        ("行政相对人代码_1(统一社会信用代码)", Col.USCC),
        ("行政相对人代码＿1（统一社会信用代码）", Col.USCC),
        ("行政相对人代码-1 (统一社会信用代码)", Col.USCC),
        (" 罚款金额 (万元) ", Col.FINE),
        ("文号", Col.PENALTY_DOC_NO),
        ("行政处罚决定文书号", Col.PENALTY_DOC_NO),
        ("法定代表人姓名", Col.LEGAL_REP),
    ],
)
def test_header_spellings(written: str, col: Col) -> None:
    headers = [
        h
        for h in t.NEW_PENALTY.values()
        if h != t.NEW_PENALTY[col.value if col != Col.PENALTY_DOC_NO else "行政处罚决定书文号"]
    ]
    headers.append(written)
    assert layout(headers).index[col] == len(headers) - 1


def test_not_a_template_and_duplicates_are_header_problems() -> None:
    problems = read_header(["名称", "代码"])
    assert not isinstance(problems, Layout) and "not a 双公示 table" in problems[0].reason
    twice = [*t.NEW_PENALTY.values(), "文号"]
    found = read_header(twice)
    assert not isinstance(found, Layout)
    assert [(p.header, p.reason) for p in found] == [
        ("文号", "same column as '行政处罚决定文书号'")
    ]


def test_subject_classes_and_numeric_codes() -> None:
    assert v.subject_class("01") == v.subject_class("1") == v.SubjectClass.PERSON
    assert v.subject_class("02") == v.subject_class("法人") == v.SubjectClass.ORGANISATION
    assert v.subject_class("4") == v.SubjectClass.INDIVIDUAL_BUSINESS
    with pytest.raises(v.CellError):
        v.subject_class("5")


def test_dates_in_three_spellings_and_long_term() -> None:
    day = dt.date(2019, 10, 10)
    assert v.date("2019-10-10") == v.date("2019/10/10") == v.date("20191010") == day
    assert v.date(dt.datetime(2019, 10, 10, 0, 0)) == day
    assert v.end_date("2099/12/31") is None and v.end_date("2099-12-31") is None
    for bad in ("2019-02-29", "10/10/2019", "2019.13.01"):
        with pytest.raises(v.CellError):
            v.date(bad)


def test_wan_yuan_amounts() -> None:
    assert v.yuan(v.wan_yuan("0.2")) == 2000.0
    assert v.wan_yuan_text(2000.0) == "0.2"
    assert v.wan_yuan_text(v.yuan(v.wan_yuan("1234.567891"))) == "1234.567891"
    with pytest.raises(v.CellError, match="more than 6 decimals"):
        v.wan_yuan("0.0000001")
    assert v.yuan_mismatch(Decimal("2000"), "罚款2000元") is not None
    assert v.yuan_mismatch(Decimal("0.2"), "罚款2000元") is None
    assert v.yuan_mismatch(Decimal("20000"), "罚款2万元") is not None
    assert v.yuan_mismatch(Decimal("5"), "罚款2000元") is None  # disagrees, but not by 10,000×


def test_penalty_categories_are_editioned() -> None:
    written, kinds = v.penalty_categories("警告;罚款；其他-不予行政处罚", dt.date(2020, 1, 1))
    assert written == ("警告", "罚款", "其他-不予行政处罚")
    assert kinds == (PenaltyKind.WARNING, PenaltyKind.FINE, PenaltyKind.OTHER)
    assert v.penalty_categories("通报批评", dt.date(2021, 7, 15))[1] == (PenaltyKind.WARNING,)
    with pytest.raises(v.CellError, match="exists from 2021-07-15"):
        v.penalty_categories("通报批评", dt.date(2021, 7, 14))


def test_encodings_and_formats() -> None:
    text = "行政相对人名称,处罚决定日期\r\n隆林,2024-01-01\r\n"
    assert csv_encoding(text.encode("utf-8")) == "utf-8"
    assert csv_encoding(text.encode("utf-8-sig")) == "utf-8-sig"
    assert csv_encoding(text.encode("gb18030")) == "gb18030"
    assert detect(text.encode("gb18030")) == Format.CSV
    assert detect(b'{"kind": "person"}') == Format.JSONL
    assert detect(b"x\nnot json\n") == Format.JSONL  # bad JSON Lines stay JSON Lines
    assert detect(b"a,b\n1,2\n", "records.csv") == Format.CSV
    assert detect(t.xlsx_file([["a"]])) == Format.XLSX


def test_text_is_nfc_and_half_width() -> None:
    assert normal_text("隆林ＡＢＣ商贸１号店") == "隆林ABC商贸1号店"
    assert normal_text("Cafe\u0301") == "Café"
    assert normal_text("（有限公司）") == "（有限公司）"  # punctuation is left as written
