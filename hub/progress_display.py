"""Progress of long command-line work on a terminal (rich), nothing when not attached to one.

``terminal_progress()`` yields a ``ProgressSink`` (hub/importer/progress.py) that draws one
line on standard error — the phase, a bar, lines read of the total, accepted, rejected,
records/s and the time left — or None when standard output is not a terminal, so that a
redirected or piped command prints its final report only.
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
    """The bar follows the lines done (accepted or rejected, of the total when known); the
    rate and the time left are of those too, once any is done, else of the lines read."""

    EVERY = 0.1  # seconds between two redraws (the parser calls once per line)

    def __init__(self, progress: Progress, total: int | None, title: str) -> None:
        self.progress = progress
        self.total = total
        self.lines = self.accepted = self.rejected = 0
        self.began = time.perf_counter()
        self.shown = 0.0
        self.task: TaskID = progress.add_task(title, total=total, stats="")

    def read(self, lines: int, rejected: int) -> None:
        self.lines += lines
        self.rejected += rejected
        self._show()

    def written(self, accepted: int, rejected: int) -> None:
        self.accepted += accepted
        self.rejected += rejected
        self._show(force=True)

    def phase(self, name: str, total: int | None = None) -> None:
        self.progress.update(self.task, description=name)
        self._show(force=True)

    def _show(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.shown < self.EVERY:
            return
        self.shown = now
        seconds = max(now - self.began, 1e-6)
        done = self.accepted + self.rejected
        rate = (done or self.lines) / seconds
        left = "—"
        if self.total and rate > 0 and done < self.total:
            left = f"{(self.total - (done or self.lines)) / rate:,.0f} s"
        of = f"/{self.total:,}" if self.total else ""
        stats = (
            f"read {self.lines:,}{of} · accepted {self.accepted:,} · "
            f"rejected {self.rejected:,} · {rate:,.0f}/s · left {left}"
        )
        self.progress.update(self.task, completed=done, stats=stats)


@contextmanager
def terminal_progress(
    total: int | None = None, title: str = "import"
) -> Iterator[ProgressSink | None]:
    """A progress line while the block runs, when standard output is a terminal."""
    if not sys.stdout.isatty():
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(bar_width=16),
        TextColumn("{task.fields[stats]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield TerminalProgress(progress, total, title)
