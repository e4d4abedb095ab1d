"""Turn uploaded JSON Lines into validated records, and every bad line into a clear error."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from hub.identifiers import mask_id_numbers_in
from hub.importer.kinds import KINDS
from hub.importer.records import Record

MAX_FIELD_CHARS = 200
MAX_REASON_CHARS = 500


def safe_text(text: str, limit: int) -> str:
    """Text that any JSON encoder accepts: at most ``limit`` characters, and characters UTF-8
    cannot encode (a lone surrogate from a ``\\udc00`` escape in a key) written as escapes."""
    if len(text) > limit:
        text = text[:limit] + "…"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


@dataclass(frozen=True, slots=True)
class LineError:
    """A problem of one line. Its texts may quote the upload (a key name, a kind): they are
    made safe to serialise (and bounded) here, so that a report can always be sent."""

    line: int
    field: str
    reason: str
    kind: str | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", safe_text(self.field, MAX_FIELD_CHARS))
        object.__setattr__(self, "reason", safe_text(self.reason, MAX_REASON_CHARS))
        if self.kind is not None:
            object.__setattr__(self, "kind", safe_text(self.kind, MAX_FIELD_CHARS))
        if self.key is not None:
            object.__setattr__(self, "key", safe_text(self.key, MAX_FIELD_CHARS))

    def as_dict(self, mask_ids: bool = False) -> dict[str, Any]:
        """``mask_ids``: ID numbers in the key, field and reason masked (first 4 and last 4),
        for a caller who sees personal data masked everywhere else too."""
        mask = mask_id_numbers_in if mask_ids else str
        return {
            "line": self.line,
            "field": mask(self.field),
            "reason": mask(self.reason),
            "kind": self.kind,
            "key": None if self.key is None else mask(self.key),
        }


@dataclass
class Parsed:
    records: list[tuple[int, Record]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    lines: int = 0
    blank: int = 0


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_KEY_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"\s*:')


def _count_keys(value: Any) -> int:
    if type(value) is dict:
        return len(value) + sum(
            _count_keys(v) for v in value.values() if type(v) is dict or type(v) is list
        )
    if type(value) is list:
        return sum(_count_keys(v) for v in value if type(v) is dict or type(v) is list)
    return 0


def _decode(raw: bytes, text: str) -> Any:
    """orjson (fast), checked for duplicate keys; the strict decoder when in doubt.

    orjson keeps the last of duplicate keys silently. When the line holds more key tokens
    (a string followed by a colon) than the decoded objects hold keys, the standard library
    decoder with a pairs hook decodes it again and names the duplicate.
    """
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    if len(_KEY_TOKEN.findall(text)) != _count_keys(data):
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    return data


_REASONS = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
}


def _field_name(loc: tuple[int | str, ...]) -> str:
    # Pydantic names a defaulted field (validate_default) by its Python name: use the alias.
    parts = (to_camel(p) if isinstance(p, str) and "_" in p else str(p) for p in loc)
    return ".".join(parts) or "(record)"


def _reason(error: Any) -> str:
    kind = error.get("type", "")
    if kind in _REASONS:
        return _REASONS[kind]
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def split_lines(body: bytes) -> Iterator[bytes]:
    """Split on \\n only (a JSON string cannot hold a raw newline); tolerate \\r\\n.

    A newline ends a line: the empty piece after a final newline is not a line (a body of one
    record and a newline has one line, as ``wc -l`` counts it).
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    pieces = body.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    for raw in pieces:
        yield raw.removesuffix(b"\r")


MAX_ERRORS_PER_LINE = 10
# What validating one line gives: a record, its error(s), or None for a blank line.
Outcome = Record | LineError | list[LineError] | None


def parse_line(number: int, raw: bytes, max_line_bytes: int) -> Outcome:
    if len(raw) > max_line_bytes:
        return LineError(number, "(line)", f"line is {len(raw)} bytes, more than {max_line_bytes}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return LineError(number, "(line)", f"not valid UTF-8 (byte {error.start})")
    if not text.strip():
        return None
    try:
        data = _decode(raw, text)
    except _DuplicateKey as error:
        return LineError(number, str(error), "key appears more than once in the record")
    except (ValueError, RecursionError) as error:
        return LineError(number, "(line)", f"malformed JSON: {str(error)[:120]}")
    if not isinstance(data, dict):
        return LineError(number, "(line)", "a record must be a JSON object")
    kind = data.get("kind")
    if "kind" not in data:
        return LineError(number, "kind", _REASONS["missing"])
    if not isinstance(kind, str):
        return LineError(number, "kind", "Input should be a valid string")
    model = KINDS.get(kind)
    if model is None:
        known = ", ".join(sorted(KINDS))
        return LineError(number, "kind", f"unknown kind {kind[:40]!r} (known: {known})", kind=None)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = error.errors(include_url=False)[:MAX_ERRORS_PER_LINE]
        key = model.key_of(data)  # of an entity kind: lines that refer to it learn its fate
        return [
            LineError(number, _field_name(p["loc"]), _reason(p), kind=kind, key=key)
            for p in problems
        ]


def parse_lines(lines: Iterable[bytes], max_line_bytes: int) -> Parsed:
    """Validate every line; every problem of a bad line is reported; line numbers from 1."""
    parsed = Parsed()
    for number, raw in enumerate(lines, start=1):
        parsed.lines = number
        outcome = parse_line(number, raw, max_line_bytes)
        if outcome is None:
            parsed.blank += 1
        elif isinstance(outcome, LineError):
            parsed.errors.append(outcome)
        elif isinstance(outcome, list):
            parsed.errors.extend(outcome)
        else:
            parsed.records.append((number, outcome))
    return parsed
