"""A table is read and validated in a process of its own, which streams validated rows back.

Reading an XLSX sheet's XML (or decoding and splitting a CSV), matching the header and
validating every row (``RowReader``) is pure CPU work. On a thread of the hub's process it
shares the GIL with the event loop that writes the rows (docs/benchmarks.md: an XLSX upload was
a third slower than the same records as JSON Lines). Here a child process does it all and sends
back, in order, the header's verdict and then batches of ``(row number, outcome)`` — exactly
what ``RowReader`` gives on a thread: the records of a row, its errors by Chinese header, or
None for a blank row — then the warnings. The hub's process only unpickles the batches.

Memory stays bounded on both sides: the child reads the file as a stream (xlsx.py, csv) and
blocks on the pipe when the hub has not taken the last batch yet, so it is at most a batch or
two ahead of the importer (whose own queue holds back its parser thread: runner.py).

The child is forked from multiprocessing's fork server, a clean process started once (on the
first table upload) with this module imported: never a fork of the hub's process, which runs
threads (the driver's, the event loop's executor), and no fresh interpreter per upload.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import multiprocessing
import resource
import time
import traceback
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import Any

from hub.errors import InvalidInput
from hub.identifiers import TODAY
from hub.importer.parse import LineError
from hub.importer.runner import RowOutcome
from hub.importer.shuanggongshi.headers import HeaderProblem, Layout, read_header
from hub.importer.shuanggongshi.rows import RowReader
from hub.importer.shuanggongshi.sources import Format, table_rows

HEADER_LINE = 1
BATCH_ROWS = 500  # rows a message carries (a penalty row pickles to ~0.6 KB)

Header = tuple[str, Layout | list[HeaderProblem]]  # (the encoding or "xlsx", the verdict)


@functools.cache
def _context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _serve(conn: Connection, fmt: str, department: str, source: str, today: dt.date) -> None:
    """The child: reads the file the hub sends, then answers with the header's verdict
    ``("header", encoding, layout or problems)``, batches ``("rows", [(number, outcome)])`` and
    ``("end", warnings, warnings total, CPU seconds, peak RSS in KiB)``; a file that cannot be read
    ``("invalid", message)``; a bug ``("crash", traceback)``."""
    TODAY.set(today)  # birth dates are judged against the upload's today, as on a thread
    began = time.process_time()
    try:
        data = conn.recv_bytes()
        rows, encoding = table_rows(data, Format(fmt))
        first = next(rows, None)
        cells = ["" if c is None else str(c) for c in first or []]
        layout = read_header(cells) if cells else [HeaderProblem(0, "", "the file is empty")]
        conn.send(("header", encoding, layout))
        if not isinstance(layout, Layout):
            return
        reader = RowReader(layout, department, source, today)
        batch: list[tuple[int, RowOutcome]] = []
        for number, row in enumerate(rows, start=HEADER_LINE + 1):
            batch.append((number, reader(number, row)))
            if len(batch) == BATCH_ROWS:
                conn.send(("rows", batch))
                batch = []
        conn.send(("rows", batch))
        took = time.process_time() - began
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
        conn.send(("end", reader.warnings, reader.warnings_total, took, peak))
    except InvalidInput as error:
        conn.send(("invalid", error.message))
    except (BrokenPipeError, EOFError):
        pass  # the hub went away (its import failed or was cancelled): nothing to tell
    except Exception:  # a bug: the hub reports it, the child just ends
        conn.send(("crash", traceback.format_exc(limit=8)))


class TableReading:
    """One table's reader process, seen from the hub: the header first, then the rows."""

    def __init__(self, fmt: Format, department: str, source: str, today: dt.date) -> None:
        self.conn, child = _context().Pipe(duplex=True)
        self.process = _context().Process(
            target=_serve,
            args=(child, fmt.value, department, source, today),
            name="credithub-table-reader",
            daemon=True,
        )
        self._child = child
        self.warnings: list[LineError] = []
        self.warnings_total = 0
        self.cpu_seconds = 0.0  # the child's, reading and validating
        self.peak_kib = 0  # the child's peak resident memory

    def start(self, data: bytes) -> Header:
        """Blocking (run it in a thread): starts the child, sends it the file, waits for the
        header's verdict. InvalidInput when the file cannot be read."""
        self.process.start()
        self._child.close()
        self.conn.send_bytes(data)
        message = self._receive()
        return message[1], message[2]

    def outcomes(self) -> Iterator[tuple[int, RowOutcome]]:
        """Blocking (the importer's parser thread iterates it): every data row's number and
        outcome, in row order. InvalidInput when the file turns out unreadable half-way."""
        while True:
            message = self._receive()
            if message[0] == "end":
                self.warnings, self.warnings_total, self.cpu_seconds, self.peak_kib = message[1:]
                return
            yield from message[1]

    def _receive(self) -> tuple[Any, ...]:
        try:
            message: tuple[Any, ...] = self.conn.recv()
        except EOFError:
            raise RuntimeError(
                f"the table reader process ended without an answer (exit code "
                f"{self.process.exitcode})"
            ) from None
        if message[0] == "invalid":
            raise InvalidInput(message[1])
        if message[0] == "crash":
            raise RuntimeError(f"the table reader process failed:\n{message[1]}")
        return message

    def close(self) -> None:
        """Ends the child if it still runs (the import stopped early) and reaps it."""
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.pid is None:
            return
        self.process.join(timeout=5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.process.close()
