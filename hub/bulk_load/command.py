"""`credit-hub import --initial FILE…` and `credit-hub seed` on an empty store."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hub.bulk_load.loader import BulkRefused, NotEmpty, Upload, bulk_load
from hub.demo import demo_totals, demo_uploads
from hub.importer.report import ImportReport
from hub.neo4j_local import EmbeddedError, EmbeddedNeo4j
from hub.progress_display import terminal_progress
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store.bulk_load import strangers


def say(message: str) -> None:
    """Messages about the instance go to standard error: standard output is the report."""
    print(message, file=sys.stderr, flush=True)


def _load(
    settings: Settings,
    instance: str,
    uploads: Iterable[Upload],
    total: int | None,
    csv_dir: Path | None = None,
) -> Any:
    with terminal_progress(total) as progress:
        return asyncio.run(
            bulk_load(settings, instance, uploads, say=say, progress=progress, csv_dir=csv_dir)
        )


BLOCK = 1 << 20


def file_lines(path: Path) -> Iterator[bytes]:
    """A file's lines as ``split_lines`` cuts a body (\n ends a line, a \r before it and a
    leading byte-order mark dropped), read as they are needed: the file is never held whole."""
    with path.open("rb") as body:
        first = True
        for raw in body:
            if first:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
                first = False
            yield raw.removesuffix(b"\n").removesuffix(b"\r")


def _newlines(path: Path) -> int:
    count = 0
    with path.open("rb") as body:
        while block := body.read(BLOCK):
            count += block.count(b"\n")
    return count


def import_initial(args: argparse.Namespace, settings: Settings) -> tuple[int, list[ImportReport]]:
    """(exit code, reports): 2 when the load is refused (the reason on standard error)."""
    paths = [Path(name) for name in args.file]
    uploads = [Upload(path.name, file_lines(path), args.department) for path in paths]
    try:
        total = sum(_newlines(path) for path in paths)
        csv_dir = Path(args.csv_dir) if args.csv_dir else None
        reports: list[ImportReport] = _load(settings, args.instance, uploads, total, csv_dir)
    except (NotEmpty, BulkRefused, EmbeddedError) as error:
        say(f"error: {error}")
        return 2, []
    return (0 if all(r.committed for r in reports) else 1), reports


async def _store_is_empty(settings: Settings, instance: str) -> bool:
    driver = open_driver(settings, instance)
    try:
        await driver.verify_connectivity()
        return not await Store(driver, settings).read(strangers)
    finally:
        await driver.close()


def seed_initial(args: argparse.Namespace, settings: Settings) -> dict[str, Any] | None:
    """The demo county through the bulk load when the embedded store is empty; None when it
    is not (or NEO4J_URI is set): `seed` then imports transactionally."""
    if settings.neo4j_uri is not None:
        return None
    local = EmbeddedNeo4j(settings, args.instance)
    if not local.running:
        say(local.start())
    if not asyncio.run(_store_is_empty(settings, args.instance)):
        return None
    say("the store is empty: seeding through Neo4j's import tool (import --initial)")
    started = time.perf_counter()
    # Generated segment by segment as the validation takes them: never the whole county at once.
    uploads = (
        Upload(f"seed-{args.seed}", lines, department)
        for department, lines in demo_uploads(args.enterprises, args.seed)
    )
    reports: list[ImportReport] = _load(settings, args.instance, uploads, None)
    return {
        "enterprises": args.enterprises,
        "seed": args.seed,
        "initial": True,
        **demo_totals(reports, started),
    }
