"""The streaming XLSX reader gives what openpyxl's ``iter_rows(values_only=True)`` gives."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from hub.errors import InvalidInput
from hub.importer.shuanggongshi.sources import xlsx_rows


def _openpyxl_rows(data: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    found = [tuple(row) for row in sheet.iter_rows(values_only=True)]  # a gap row is []
    book.close()
    return found


def _ours(data: bytes) -> list[tuple[Any, ...]]:
    return list(xlsx_rows(data))


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("mac", [False, True])
def test_values_types_gaps_and_dates_read_as_openpyxl_reads_them(mac: bool) -> None:
    book = Workbook()
    if mac:
        book.epoch = CALENDAR_MAC_1904
    first = book.active
    assert first is not None
    first.title = "处罚"
    first.append(["行政相对人名称", "罚款金额（万元）", "处罚决定日期", "暂扣", "数量"])
    first.append(["隆林金鑫建材有限公司", 0.2, dt.datetime(2024, 3, 5), True, 3])
    first.append(["  前后空格  ", 1e-6, dt.date(2099, 12, 31), False, -12])
    first["B5"] = "跳过一行，空单元格在前"
    first["E6"] = 12345678901234
    first["A7"] = "=B2*10000"  # a formula without a cached value
    first["C8"] = dt.datetime(2026, 10, 1, 8, 30)
    first["C8"].number_format = "yyyy/m/d h:mm"
    first["D9"] = 45000
    first["D9"].number_format = "0.00"  # a number, not a date
    book.create_sheet("第二张").append(["never read"])
    data = _saved(book)
    ours = _ours(data)
    assert ours == _openpyxl_rows(data)
    assert ours[1][2] == dt.datetime(2024, 3, 5) and ours[2][4] == -12
    assert ours[3] == () and ours[4] == (None, "跳过一行，空单元格在前")


def _hand_written(sheet_xml: str, strings_xml: str | None = None) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if strings_xml
                else ""
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
            '<sheets><sheet name="表" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        extra = (
            '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if strings_xml
            else ""
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>'
            f"{extra}</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/data.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>'
            f"{sheet_xml}</sheetData></worksheet>",
        )
        if strings_xml:
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}">{strings_xml}</sst>',
            )
    return out.getvalue()


def test_inline_rich_and_phonetic_text_and_cell_kinds_read_as_openpyxl_reads_them() -> None:
    """What other tools write: inline strings, rich-text runs, a phonetic reading (never part
    of the text), formula strings and errors, rows and cells without their ``r``."""
    strings = (
        "<si><t>隆林各族自治县市场监督管理局</t></si>"
        "<si><r><t>隆林</t></r><r><rPr><b/></rPr><t>金鑫</t></r></si>"
        "<si><t>黄国明</t><rPh sb='0' eb='3'><t>huang</t></rPh></si>"
    )
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>行内文字</t></is></c>'
        '<c r="C2" t="inlineStr"><is><r><t>甲</t></r><r><t>乙</t></r></is></c></row>'
        '<row r="4"><c r="B4" t="str"><f>A1</f><v>公式结果</v></c><c r="C4" t="e"><v>#N/A</v></c>'
        '<c r="D4" t="b"><v>1</v></c><c r="E4"><v>2.5E-3</v></c><c r="F4"><v/></c></row>'
        "<row><c><v>7</v></c><c><v>8</v></c></row>"
    )
    data = _hand_written(sheet, strings)
    ours = _ours(data)
    assert ours == _openpyxl_rows(data)
    assert ours[0] == ("隆林各族自治县市场监督管理局", "隆林金鑫", "黄国明")
    assert ours[1] == ("行内文字", None, "甲乙") and ours[2] == ()
    assert ours[4] == (7, 8)


def test_a_file_that_is_not_a_workbook_is_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        _ours(b"PK\x03\x04 not really a zip")
    broken = _hand_written('<row r="1"><c r="A1"><v>1</v></c>')  # unclosed sheet XML
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        _ours(broken)


def test_an_entity_expansion_bomb_is_refused_quickly() -> None:
    """A sheet whose DTD expands one entity into gigabytes (billion laughs): expat refuses it
    (amplification limit) before it grows; the upload is told the file is not readable."""
    entities = '<!ENTITY a0 "haha">' + "".join(
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    data = _hand_written("")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/data.xml":
                content = sheet.encode()
            target.writestr(item, content)
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        _ours(out.getvalue())
    assert time.perf_counter() - started < 2
