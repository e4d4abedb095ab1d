"""Validation on every core: ``parse_line`` over chunks of lines in worker processes.

Chunks go out in line order and come back in line order, so the caller sees exactly what the
transactional importer's parser thread sees (hub/importer/runner.py: ``_Importer.outcomes``).
The chunks of the next files go out while the caller still works on the current one
(``Validator.files``): a load of many small files (the demo seed sends about 24 per 5,000
enterprises) keeps every worker busy, and at most ``2 × workers`` chunks are in flight, so the
memory stays bounded whatever the size of the load.
Workers are spawned (a fresh interpreter each: no fork of a process that runs threads) and
judge birth dates against the upload's "today", as the parser thread does.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from hub.identifiers import TODAY
from hub.importer.parse import Outcome, parse_line
from hub.importer.progress import ProgressSink
from hub.importer.records import Record

CHUNK_LINES = 2000
F = TypeVar("F")
Validated = tuple[list[Outcome], float]


def _start_worker(today: dt.date) -> None:
    TODAY.set(today)  # the worker's main thread runs every chunk: set once


def _validate(first: int, lines: list[bytes], max_line_bytes: int) -> tuple[list[Outcome], float]:
    began = time.process_time()
    outcomes = [parse_line(first + i, raw, max_line_bytes) for i, raw in enumerate(lines)]
    return outcomes, time.process_time() - began


def default_workers() -> int:
    return len(os.sched_getaffinity(0))


class Validator:
    """A pool of validating processes, shared by the files of one bulk load."""

    def __init__(self, today: dt.date, max_line_bytes: int, workers: int | None = None) -> None:
        self.max_line_bytes = max_line_bytes
        self.workers = workers or default_workers()
        self.pool = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(today,),
        )
        self.cpu_seconds = 0.0  # parse_line's CPU time, summed over the workers

    def outcomes(
        self, lines: Iterable[bytes], progress: ProgressSink | None = None
    ) -> Iterator[tuple[int, Outcome]]:
        """One file's numbered outcomes, in line order."""
        for _, numbered in self.files([((), lines)], progress):
            yield from numbered

    def files(
        self, files: Iterable[tuple[F, Iterable[bytes]]], progress: ProgressSink | None = None
    ) -> Iterator[tuple[F, Iterator[tuple[int, Outcome]]]]:
        """(file, its numbered outcomes) for each (file, lines), in order; the caller reads a
        file's outcomes to the end before it asks for the next file. The chunks of the files
        after it are validated meanwhile."""
        source = iter(files)
        pending: deque[tuple[int, int, Future[Validated]]] = deque()  # (file, first line, work)
        names: deque[F] = deque()  # the files whose chunks are (or will be) pending
        reading: list[Iterator[bytes] | None] = [None]  # the lines of the last file started
        started = -1  # index of the last file started

        def submit() -> bool:
            nonlocal started
            while True:
                lines = reading[0]
                if lines is not None:
                    chunk = list(islice(lines, CHUNK_LINES))
                    if chunk:
                        first = firsts[started]
                        firsts[started] = first + len(chunk)
                        work = self.pool.submit(_validate, first, chunk, self.max_line_bytes)
                        pending.append((started, first, work))
                        return True
                    reading[0] = None
                    done: Future[Validated] = Future()  # marks the end of the file
                    done.set_result(([], 0.0))
                    pending.append((started, -1, done))
                    return True
                step = next(source, None)
                if step is None:
                    return False
                name, lines_of = step
                started += 1
                firsts[started] = 1
                names.append(name)
                reading[0] = iter(lines_of)

        firsts: dict[int, int] = {}
        current = 0

        def numbered() -> Iterator[tuple[int, Outcome]]:
            while True:
                while len(pending) < 2 * self.workers and submit():
                    pass
                index, first, work = pending.popleft()
                assert index == current  # noqa: S101 - the caller read the file to its end
                if first < 0:
                    firsts.pop(index, None)
                    return
                outcomes, seconds = work.result()
                self.cpu_seconds += seconds
                if progress is not None:
                    bad = sum(1 for o in outcomes if o is not None and not isinstance(o, Record))
                    progress.read(len(outcomes), bad)
                yield from enumerate(outcomes, start=first)

        while names or submit():
            yield names.popleft(), numbered()
            current += 1

    def close(self) -> None:
        self.pool.shutdown()
