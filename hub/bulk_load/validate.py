"""Validation on every core: ``parse_line`` over chunks of lines in worker processes.

Chunks go out in line order and come back in line order, so the caller sees exactly what the
transactional importer's parser thread sees (hub/importer/runner.py: ``_Importer.outcomes``).
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

from hub.identifiers import TODAY
from hub.importer.parse import Outcome, parse_line
from hub.importer.progress import ProgressSink
from hub.importer.records import Record

CHUNK_LINES = 2000


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
        source = iter(lines)
        pending: deque[tuple[int, Future[tuple[list[Outcome], float]]]] = deque()
        first = 1

        def submit() -> bool:
            nonlocal first
            chunk = list(islice(source, CHUNK_LINES))
            if not chunk:
                return False
            pending.append((first, self.pool.submit(_validate, first, chunk, self.max_line_bytes)))
            first += len(chunk)
            return True

        while len(pending) < 2 * self.workers and submit():
            pass
        while pending:
            start, future = pending.popleft()
            outcomes, seconds = future.result()
            self.cpu_seconds += seconds
            submit()
            if progress is not None:
                bad = sum(1 for o in outcomes if o is not None and not isinstance(o, Record))
                progress.read(len(outcomes), bad)
            yield from enumerate(outcomes, start=start)

    def close(self) -> None:
        self.pool.shutdown()
