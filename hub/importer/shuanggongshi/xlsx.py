"""The first sheet of an XLSX workbook, row by row, with the standard library's streaming XML
parser (expat, in C). The file is uploaded by anyone with a department key: expat 2.4.1 and
newer refuses entity-expansion bombs (billion laughs, quadratic blowup) and ElementTree never
fetches external entities or DTDs (the Python documentation's "XML vulnerabilities" table);
``EXPAT_SAFE`` refuses to read with an older expat, and tests/test_xlsx_reader.py sends a bomb.
defusedxml would add the same refusals but parses through the pure-Python ElementTree classes
(slower; timed by hand once, not a bench).

openpyxl's read-only mode also streams, but decodes every cell in Python (coordinates, styles,
types): about twice as slow as this reader on the bench's penalty table (docs/
shuanggongshi.md). Here ``xml.etree.ElementTree.iterparse`` reads the sheet's XML and each
finished ``<row>`` is turned into values and dropped, so memory holds one row and the
shared-strings table, as with openpyxl. (lxml was tried first: its elements belong to the
thread whose parser made them, and an upload then read its header row on the event loop's
thread and the other rows on the parser thread; a crash of the test run in garbage collection
followed. Both now run in the upload's reader process: reading.py. ElementTree's elements are
plain Python objects.) What a spreadsheet means is still
openpyxl's: which number formats are
dates (``is_date_format``, ``BUILTIN_FORMATS``) and how an Excel serial becomes a datetime
(``from_excel``). The values are the ones ``iter_rows(values_only=True)`` gives (tested side by
side: tests/test_xlsx_reader.py): text, int or float, bool, datetime for date-formatted
numbers, the cached value of a formula, ``None`` for a missing cell, an empty tuple for a
missing row.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import pyexpat
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _C, _V, _IS, _T, _R = (f"{_MAIN}{name}" for name in ("row", "c", "v", "is", "t", "r"))
_SHEET_DATA, _SI = f"{_MAIN}sheetData", f"{_MAIN}si"


# expat's own protection against entity-expansion bombs came with 2.4.1 (2021).
EXPAT_SAFE = pyexpat.version_info >= (2, 4, 1)


class XlsxError(Exception):
    """The file is not a workbook this reader can read (the caller says so to the user)."""


def rows(source: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, values only, streamed."""
    if not EXPAT_SAFE:
        raise XlsxError(f"this Python's XML parser ({pyexpat.EXPAT_VERSION}) is too old to read")
    try:
        archive = zipfile.ZipFile(source)
        sheet, epoch = _first_sheet(archive)
        strings = _shared_strings(archive)
        dates = _date_styles(archive)
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError) as error:
        raise XlsxError(type(error).__name__) from None
    with archive, archive.open(sheet) as stream:
        expected = 1
        parent: Any = None
        try:
            events = iterparse(stream, events=("start", "end"))  # noqa: S314 - EXPAT_SAFE
            for event, node in events:
                if event == "start":
                    if node.tag == _SHEET_DATA:
                        parent = node
                    continue
                if node.tag != _ROW:
                    continue
                number = int(node.get("r") or expected)
                while expected < number:  # rows a spreadsheet leaves out when empty
                    yield ()
                    expected += 1
                yield _values(node, strings, dates, epoch)
                expected = number + 1
                if parent is not None:
                    parent.clear()  # the rows read so far: only this one
        except ParseError as error:
            raise XlsxError(type(error).__name__) from None


def _values(
    row: Any, strings: list[str], dates: frozenset[int], epoch: dt.datetime
) -> tuple[Any, ...]:
    values: list[Any] = []
    for cell in row:
        ref = cell.get("r")
        if ref is not None:
            column = _column(ref)
            if column > len(values) + 1:
                values.extend([None] * (column - len(values) - 1))
        kind = cell.get("t")
        last = cell[-1] if len(cell) else None  # <v> follows <f> when both are there
        if kind == "s" and last is not None and last.tag == _V:  # most cells: fast path
            values.append(strings[int(last.text)])
        else:
            values.append(_value(cell, kind or "n", strings, dates, epoch))
    return tuple(values)


def _value(
    cell: Any, kind: str, strings: list[str], dates: frozenset[int], epoch: dt.datetime
) -> Any:
    if kind == "inlineStr":
        inline = cell.find(_IS)
        return None if inline is None else _text(inline)
    raw = cell.findtext(_V) or None
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw in ("1", "true")
    if kind == "d":
        return dt.datetime.fromisoformat(raw)
    number: int | float = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
    if int(cell.get("s", "0")) in dates:
        return from_excel(number, epoch)
    return number


def _text(node: Any) -> str:
    """A string item: its ``<t>`` and its rich-text runs' ``<t>``s (openpyxl's
    ``Text.content``), never the phonetic (``<rPh>``) reading that a Chinese or Japanese
    spreadsheet may add."""
    plain = node.findtext(_T) or ""
    return plain + "".join(run.findtext(_T) or "" for run in node if run.tag == _R)


@functools.cache
def _column_of(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _column(ref: str) -> int:
    """The 1-based column of a cell reference (``AB12`` → 28)."""
    return _column_of(ref.rstrip("0123456789"))


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, dt.datetime]:
    """(the first sheet's part name, the workbook's date epoch)."""
    book = fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - EXPAT_SAFE
    pr = book.find(f"{_MAIN}workbookPr")
    # a 1904-based workbook (workbookPr date1904) counts its serials from 1904-01-01
    epoch = MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") else WINDOWS_EPOCH
    first = book.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if first is None:
        raise ValueError("no sheet")
    rel_id = first.get(f"{_REL}id")
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314 - EXPAT_SAFE
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = str(rel.get("Target"))
            if target.startswith("/"):
                return target.lstrip("/"), epoch
            return posixpath.normpath(posixpath.join("xl", target)), epoch
    raise ValueError("the first sheet has no part")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-strings table (every XLSX reader holds it: cells refer to it by number)."""
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with stream:
        for _, item in iterparse(stream):  # noqa: S314 - EXPAT_SAFE
            if item.tag == _SI:
                strings.append(_text(item))
                item.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """The cell styles (``s`` of a cell) whose number format is a date or a time."""
    try:
        styles = fromstring(archive.read("xl/styles.xml"))  # noqa: S314 - EXPAT_SAFE
    except KeyError:
        return frozenset()
    custom = {
        int(fmt.get("numFmtId", "0")): str(fmt.get("formatCode", ""))
        for fmt in styles.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")
    }
    dates = set()
    for index, xf in enumerate(styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        fmt_id = int(xf.get("numFmtId", "0"))
        code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
        if code is not None and is_date_format(code):
            dates.add(index)
    return frozenset(dates)
