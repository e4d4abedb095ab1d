"""Rows of an uploaded table, read as a stream: CSV (UTF-8, BOM, GB18030) or XLSX.

Neither reader holds the whole sheet: CSV is decoded and split as it is read; XLSX is read by
``xlsx.py`` (the standard library's expat, openpyxl's date rules), which parses the sheet's XML
row by row. An upload runs them in its reader process (reading.py).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from enum import StrEnum
from typing import IO, Any

from hub.errors import InvalidInput
from hub.importer.shuanggongshi import xlsx

Cell = str | int | float | dt.datetime | dt.date | None


class Format(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    XLSX = "xlsx"


_ZIP = b"PK\x03\x04"


def detect(head: bytes, name: str | None = None, declared: str | None = None) -> Format:
    """The format of an upload: as declared (``?format=``, a Content-Type), else an XLSX by
    content (a zip archive), a CSV by its name (``.csv``) or by a 双公示 header row (it names
    行政相对人…, in UTF-8 or GB18030); anything else is JSON Lines, as before tables were
    accepted (its bad lines are reported line by line)."""
    if declared:
        try:
            return Format(declared.lower())
        except ValueError:
            raise InvalidInput(
                f"unknown format {declared[:20]!r} (jsonl, csv, xlsx)", field="format"
            ) from None
    if head.startswith(_ZIP):
        return Format.XLSX
    if name and name.lower().endswith((".csv", ".tsv")):
        return Format.CSV
    first = head.split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "gb18030"):
        text = "".join(first.decode(encoding, errors="ignore").split())
        if _HEADER_MARK in text:
            return Format.CSV
    return Format.JSONL


_HEADER_MARK = "行政相对人"  # in 行政相对人名称, a column of all four templates
SNIFF_BYTES = 4096  # what detect() needs of the start of an upload


_TYPES = {
    "text/csv": Format.CSV,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Format.XLSX,
    "application/x-ndjson": Format.JSONL,
    "application/jsonl": Format.JSONL,
}


def format_of_type(content_type: str | None) -> str | None:
    """The format a Content-Type names, if it names one."""
    if not content_type:
        return None
    found = _TYPES.get(content_type.split(";")[0].strip().lower())
    return found.value if found else None


_CHUNK = 1 << 20


def _decodes(data: bytes, encoding: str) -> int | None:
    """None when ``data`` is valid in ``encoding``, else the offset of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, len(data), _CHUNK):
        try:
            decoder.decode(data[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as error:
            return start + error.start
    return None


def csv_encoding(data: bytes) -> str:
    """UTF-8 with a BOM, UTF-16 with a BOM, UTF-8, else GB18030 (a superset of GBK / GB2312,
    which is what a spreadsheet saves "CSV" as on a Chinese Windows). Checked on the whole
    file, so a row never fails to decode half-way through an import."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif _decodes(data, "utf-8") is None:
        return "utf-8"
    else:
        encoding = "gb18030"
    bad = _decodes(data, encoding)
    if bad is not None:
        raise InvalidInput(f"the CSV is neither UTF-8 nor GB18030 (byte {bad} in {encoding})")
    return encoding


def csv_rows(data: bytes, encoding: str) -> Iterator[list[str]]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="", errors="strict")
    first = stream.readline()
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    stream.seek(0)
    yield from csv.reader(stream, delimiter=delimiter)


def xlsx_rows(source: bytes | IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, values only (dates as datetimes), streamed (xlsx.py)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        yield from xlsx.rows(stream)
    except xlsx.XlsxError as error:  # zipfile's and the XML parser's errors: not a workbook
        raise InvalidInput(f"not a readable XLSX workbook ({error})") from None


def table_rows(data: bytes, fmt: Format) -> tuple[Iterator[list[Cell]], str]:
    """(the rows, the encoding or "xlsx")."""
    if fmt == Format.XLSX:
        return (list(row) for row in xlsx_rows(data)), "xlsx"
    encoding = csv_encoding(data)
    return (list(row) for row in csv_rows(data, encoding)), encoding
