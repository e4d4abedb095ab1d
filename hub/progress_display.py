"""Progress of long command-line work on a terminal (rich), nothing when not attached to one.

``terminal_progress()`` yields a ``ProgressSink`` (hub/importer/progress.py) that draws one
line on standard error — the phase, lines read of the total, accepted, rejected, records/s and
the time left — or None when standard output is not a terminal, so that a redirected or
piped command prints its final report only.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn

from hub.importer.progress import ProgressSink


class TerminalProgress:
    def __init__(self, progress: Progress, total: int | None) -> None:
        self.progress = progress
        self.total = total
        self.lines = self.accepted = self.rejected = 0
        self.began = time.perf_counter()
        self.task: TaskID = progress.add_task("validation", total=total, stats="")

    def read(self, lines: int, rejected: int) -> None:
        self.lines += lines
        self.rejected += rejected
        self._show()

    def written(self, accepted: int, rejected: int) -> None:
        self.accepted += accepted
        self.rejected += rejected
        self._show()

    def phase(self, name: str, total: int | None = None) -> None:
        self.progress.update(self.task, description=name)
        self._show()

    def _show(self) -> None:
        seconds = max(time.perf_counter() - self.began, 1e-6)
        rate = self.lines / seconds
        left = "—"
        if self.total and rate > 0 and self.lines < self.total:
            left = f"{(self.total - self.lines) / rate:,.0f} s"
        stats = (
            f"read {self.lines:,}{f' of {self.total:,}' if self.total else ''} · "
            f"accepted {self.accepted:,} · rejected {self.rejected:,} · "
            f"{rate:,.0f} records/s · left {left}"
        )
        self.progress.update(self.task, completed=self.lines, stats=stats)


@contextmanager
def terminal_progress(total: int | None = None) -> Iterator[ProgressSink | None]:
    """A progress line while the block runs, when standard output is a terminal."""
    if not sys.stdout.isatty():
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[stats]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield TerminalProgress(progress, total)
