"""The report of an upload: counts, the first errors in line order, a failure if any."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hub.identifiers import mask_id_numbers_in
from hub.importer.parse import LineError
from hub.store.imports import Counts

# Errors a report lists: the first ones in line order (the counts stay exact). A 50 MB body of
# bad lines would otherwise keep and send millions of errors.
MAX_REPORTED_ERRORS = 1000


@dataclass
class KindReport:
    accepted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Timings:
    """Where an upload's time went, in seconds. The transactional importer validates in a
    thread while it writes, so its parts overlap and may add up to more than the wall time;
    the bulk load (hub/bulk_load/) runs them one after the other."""

    validation: float = 0.0  # parse_line over every line (summed over processes: CPU seconds)
    writes: float = 0.0  # transactions (and, in a bulk load, the CSV and the import tool)
    indexes: float = 0.0  # constraints and indexes created and populated (bulk load)
    restart: float = 0.0  # the instance stopped and started around the import tool (bulk load)

    def as_dict(self) -> dict[str, float]:
        return {name: round(value, 3) for name, value in vars(self).items() if value}


@dataclass
class ImportReport:
    batch: str
    committed: bool
    lines: int = 0
    accepted: int = 0
    rejected: int = 0
    blank: int = 0  # lines = accepted + rejected + blank
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_kind: dict[str, KindReport] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS
    errors_total: int = 0
    failure: str | None = None
    failure_code: str | None = None
    landed: int = 0  # accepted lines committed before a failure (0 when committed)
    seconds: float = 0.0
    timings: Timings = field(default_factory=Timings)

    def as_dict(self, mask_ids: bool = False) -> dict[str, Any]:
        """The report as sent; ``mask_ids`` for callers who may not see full ID numbers (a
        DEPARTMENT key: reports get forwarded), as every answer to that role is masked."""
        return {
            "batch": self.batch,
            "committed": self.committed,
            "lines": self.lines,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "blank": self.blank,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "byKind": {k: vars(v) for k, v in sorted(self.by_kind.items())},
            "errors": [e.as_dict(mask_ids) for e in self.errors],
            "errorsTotal": self.errors_total,
            "errorsTruncated": self.errors_total > len(self.errors),
            "failure": (
                mask_id_numbers_in(self.failure) if mask_ids and self.failure else self.failure
            ),
            "failureCode": self.failure_code,
            "landedBeforeFailure": self.landed,
            "seconds": round(self.seconds, 3),
            "timings": self.timings.as_dict(),
        }

    def absorb(self, kind: str, accepted: int, counts: Counts) -> None:
        report = self.by_kind.setdefault(kind, KindReport())
        report.accepted += accepted
        report.created += counts.created
        report.updated += counts.updated
        report.unchanged += counts.unchanged


class ErrorSink:
    """The first ``limit`` errors in line order, and exact counts, in bounded memory.

    ``add`` takes the errors of whole lines (all errors of a line at once: a line is rejected
    at one stage only), so the rejected lines are counted without keeping their numbers.
    """

    def __init__(self, limit: int = MAX_REPORTED_ERRORS) -> None:
        self.limit = limit
        self.kept: list[LineError] = []
        self.total = 0
        self.rejected_lines = 0

    def add(self, errors: list[LineError]) -> None:
        if not errors:
            return
        self.total += len(errors)
        self.rejected_lines += len({e.line for e in errors})
        self.kept.extend(errors)
        if len(self.kept) > 2 * self.limit:
            self.kept = self.first()

    def first(self) -> list[LineError]:
        return sorted(self.kept, key=lambda e: (e.line, e.field))[: self.limit]

    def absorb(self, other: ErrorSink) -> None:
        self.total += other.total
        self.rejected_lines += other.rejected_lines
        self.kept.extend(other.kept)
        self.kept = self.first()
