"""A batch check file (CSV or XLSX): one row per check, the identifier (USCC or citizen ID
number) in the first column and the scenario (its code or Chinese name) in the second; an
optional header row first. Read with the 双公示 importer's table readers (UTF-8, BOM or GB18030
CSV; the first sheet of an XLSX).

A row that cannot be sent (no identifier, no or an unknown scenario) is kept with its problem
and shown as a bad row; whether an identifier is valid is the API's to say (its per-item error).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from hub.errors import InvalidInput
from hub.identifiers import InvalidIdentifier, normalize_uscc, parse_id_number
from hub.importer.shuanggongshi.rows import cell_text
from hub.importer.shuanggongshi.sources import Format, detect, table_rows

MAX_ROWS = 1000  # what checkBatch takes in one call
SCENARIOS: dict[str, str] = tomllib.loads(
    (Path(__file__).parent / "scenarios.toml").read_text(encoding="utf-8")
)
_BY_NAME = {name: code for code, name in SCENARIOS.items()}
_ID_SHAPE = re.compile(r"\d{17}[\dXx]")
_DIGITS = re.compile(r"\d{6}")


class BatchFileError(ValueError):
    """The whole file cannot be read: ``code`` names why (the page words it)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class BatchRow:
    line: int  # the row's number in the file (1 = the first row, a header included)
    identifier: str
    scenario: str | None  # the code, when known
    problem: str | None = None  # NO_IDENTIFIER, NO_SCENARIO, UNKNOWN_SCENARIO

    @property
    def subject(self) -> dict[str, str]:
        return subject_ref(self.identifier)


def subject_ref(identifier: str) -> dict[str, str]:
    """The SubjectRef of a typed identifier: an ID number when it has that shape (17 digits and
    a digit or X) and is not a valid USCC only, else a USCC (the API says if it is valid)."""
    text = "".join(identifier.split()).upper()
    if _ID_SHAPE.fullmatch(text) and not _valid_uscc(text):
        return {"idNumber": text}
    return {"uscc": text}


def _valid_uscc(text: str) -> bool:
    try:
        normalize_uscc(text)
    except InvalidIdentifier:
        return False
    try:
        parse_id_number(text)
    except InvalidIdentifier:
        return True
    return False  # valid as both: a citizen ID number


def scenario_code(text: str) -> str | None:
    """The scenario a cell names: its code (any case) or its Chinese name; None if unknown."""
    cleaned = "".join(text.split())
    if cleaned.upper() in SCENARIOS:
        return cleaned.upper()
    return _BY_NAME.get(cleaned)


def _is_header(cells: list[str]) -> bool:
    """A first row naming neither an identifier-like code nor a scenario is a header."""
    return not _DIGITS.search(cells[0]) and scenario_code(cells[1]) is None


def read_batch(data: bytes, filename: str) -> list[BatchRow]:
    """The rows of a batch file, blank rows skipped; BatchFileError when the file is not a CSV or
    XLSX table, is empty, or has more than MAX_ROWS rows."""
    if not data:
        raise BatchFileError("EMPTY")
    try:
        fmt = detect(data[:4096], filename)
        if fmt == Format.JSONL:  # neither a workbook nor named .csv: read it as CSV all the same
            fmt = Format.CSV
        rows, _ = table_rows(data, fmt)
        found: list[BatchRow] = []
        for number, raw in enumerate(rows, start=1):
            cells = [cell_text(c) for c in raw[:2]]
            cells += [""] * (2 - len(cells))
            if not any(cells):
                continue
            if not found and number == 1 and _is_header(cells):
                continue
            if len(found) == MAX_ROWS:
                raise BatchFileError("TOO_MANY_ROWS")
            found.append(_row(number, cells[0], cells[1]))
    except InvalidInput as error:
        raise BatchFileError("UNREADABLE", error.message) from None
    except UnicodeDecodeError:
        raise BatchFileError("UNREADABLE") from None
    if not found:
        raise BatchFileError("EMPTY")
    return found


def _row(line: int, identifier: str, scenario: str) -> BatchRow:
    identifier = "".join(identifier.split())[:40]
    if not identifier:
        return BatchRow(line, "", None, "NO_IDENTIFIER")
    if not scenario:
        return BatchRow(line, identifier, None, "NO_SCENARIO")
    code = scenario_code(scenario)
    if code is None:
        return BatchRow(line, identifier, None, "UNKNOWN_SCENARIO")
    return BatchRow(line, identifier, code)
