"""How fast could an offline bulk load (neo4j-admin's import tool) take the import benchmark?

A probe for docs/benchmarks-history.md#import, not a feature: the importer's 20,000 records/s target
is out of reach of transactional Cypher on two cores, and the usual answer for an initial load
is Neo4j's offline import tool. This measures what that path would cost end to end on the
benchmark dataset, in its four stages:

1. validation: the importer's own ``parse_line`` over every line (one process);
2. CSV: the nodes and relationships the importer would write (entities, addresses, phones,
   departments, roles, shareholdings, actions and their links, with provenance and
   fingerprints), as the import tool's CSV;
3. the import tool (``neo4j-admin database import full``, run from the engine jars the
   project installs: ``org.neo4j.cli.AdminTool``) into the bench instance's store;
4. start and migrate: the bench instance started on that store, constraints and indexes
   created and populated (``credit-hub migrate``, then ``db.awaitIndexes``).

It is not a loader: it skips the reference checks, duplicate keys and revisions the importer
handles, so its graph is only shaped like the importer's. **It wipes the bench instance.**

    .venv/bin/python -m bench.bulk_load_probe            # the 100,000-enterprise dataset
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.import_bench import dataset
from bench.support import bench_instance
from hub.importer.parse import LineError, parse_line
from hub.importer.records import ActionRecord, EnterpriseRecord, PersonRecord, fingerprint
from hub.neo4j_local import EmbeddedNeo4j
from hub.settings import load_settings
from hub.store import Store, open_driver
from hub.store.imports import NODE_KEYS

LABELS = {EnterpriseRecord: "Enterprise", PersonRecord: "Person", ActionRecord: "Action"}


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):  # the probe's one number type (amounts mix both)
        return "double"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "string[]"
    return "string"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Table:
    """Rows of one CSV file; columns (and their types) from the first row that has them."""

    def __init__(self, head: list[str]) -> None:
        self.head = head
        self.columns: dict[str, str] = {}
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        for name, value in row.items():
            if name != "_" and name not in self.columns and value is not None:
                self.columns[name] = _type(value)
        self.rows.append(row)

    def write(self, path: Path) -> None:
        names = list(self.columns)
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
            writer.writerow(self.head + [f"{n}:{self.columns[n]}" for n in names])
            for row in self.rows:
                writer.writerow(
                    [row["_"][i] for i in range(len(self.head))]
                    + [_cell(row.get(n)) for n in names]
                )


def build_tables(path: Path) -> tuple[dict[str, Table], dict[str, Table], int, int, float]:
    now = dt.datetime.now(dt.UTC)
    batch, dept = "probe", "AMR"
    stamp = {"batch": batch, "recordedAt": now, "sourceDepartment": dept}
    first = {"firstBatch": batch, "firstRecordedAt": now}
    nodes: dict[str, Table] = defaultdict(lambda: Table([":ID", ":LABEL"]))
    rels: dict[str, Table] = defaultdict(lambda: Table([":START_ID", ":END_ID", ":TYPE"]))
    seen: set[str] = set()
    lines = rejected = 0
    parse_seconds = 0.0
    with path.open("rb") as source:
        for number, raw in enumerate(source, start=1):
            began = time.perf_counter()
            record = parse_line(number, raw.rstrip(b"\n"), 1 << 20)
            parse_seconds += time.perf_counter() - began
            lines += 1
            if record is None or isinstance(record, LineError | list):
                rejected += 1
                continue
            row = record.row()
            fp = fingerprint(row)
            label = LABELS.get(type(record))
            if label is not None:
                ident = f"{label}:{row['key']}"
                key_name = NODE_KEYS[label]
                props = {k: v for k, v in row["props"].items() if v is not None}
                nodes[label].add(
                    {"_": [ident, label], key_name: row["key"], **props, "fp": fp, **stamp, **first}
                )
                for link, target_label, target_key, extra in _links(row, label):
                    target = f"{target_label}:{target_key}"
                    if extra is not None and target not in seen:
                        seen.add(target)
                        nodes[target_label].add({"_": [target, target_label], **extra, **stamp})
                    rels[link].add({"_": [ident, target, link], **stamp})
            else:  # a role or a shareholding
                rels[row["type"]].add(
                    {
                        "_": [f"{row['holderLabel']}:{row['holder']}", f"Enterprise:{row['uscc']}",
                              row["type"]],
                        "key": row["key"],
                        **{k: v for k, v in row["props"].items() if v is not None},
                        "fp": fp,
                        **stamp,
                        **first,
                    }
                )  # fmt: skip
    return nodes, rels, lines, rejected, parse_seconds


def _links(row: dict[str, Any], label: str) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(type, target label, target key, the target node's properties, None for an entity that
    its own line creates)."""
    out: list[tuple[str, str, str, dict[str, Any] | None]] = []
    if label == "Action":
        out.append(("ISSUED_BY", "Department", row["department"], {"code": row["department"]}))
        out.append(("ABOUT", row["subjectLabel"], row["subject"], None))
        return out
    if row.get("address"):
        address = row["address"]
        out.append(
            (
                "LOCATED_AT",
                "Address",
                address["key"],
                {"key": address["key"], "text": address["text"]},
            )
        )
    if row.get("phone"):
        out.append(("REACHABLE_AT", "Phone", row["phone"], {"number": row["phone"]}))
    return out


def main(args: argparse.Namespace) -> None:
    settings = load_settings()
    bench_instance(settings)
    path, records = dataset(args.enterprises, args.seed)
    began = time.perf_counter()
    nodes, rels, lines, rejected, parse_seconds = build_tables(path)
    built = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="bulk-probe-"))
    arguments = []
    for label, table in nodes.items():
        table.write(work / f"{label}.csv")
        arguments.append(f"--nodes={work / f'{label}.csv'}")
    for rel_type, table in rels.items():
        table.write(work / f"{rel_type}.csv")
        arguments.append(f"--relationships={work / f'{rel_type}.csv'}")
    written = time.perf_counter()
    instance = EmbeddedNeo4j(settings, "bench")
    instance.stop()
    stopped = time.perf_counter()
    home = work / "home"
    (home / "conf").mkdir(parents=True)
    data = instance.instance_home / "data"
    (home / "conf" / "neo4j.conf").write_text(f"server.directories.data={data}\n")
    tool = [
        "java", f"-Xmx{args.heap}", "-cp", f"{instance.lib}/*", "org.neo4j.cli.AdminTool",
        "database", "import", "full", "neo4j", "--overwrite-destination", "--skip-duplicate-nodes",
        "--array-delimiter=;", f"--report-file={work / 'import.report'}", *arguments,
    ]  # fmt: skip
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run(tool, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    imported = time.perf_counter()
    if done.returncode != 0:
        raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
    summary = [line for line in done.stdout.splitlines() if "COMPLETED" in line or "DONE" in line]
    instance.start()
    started = time.perf_counter()

    async def migrate_and_wait() -> None:
        from hub.migrate import migrate

        driver = open_driver(settings, "bench")
        await migrate(Store(driver, settings))
        async with driver.session() as session:
            await (await session.run("CALL db.awaitIndexes(3600)")).consume()
        await driver.close()

    asyncio.run(migrate_and_wait())
    migrated = time.perf_counter()
    shutil.rmtree(work)
    (instance.instance_home / "build.json").unlink(missing_ok=True)  # not the check graph any more
    n_nodes = sum(len(t.rows) for t in nodes.values())
    n_rels = sum(len(t.rows) for t in rels.values())
    total = migrated - began
    print(f"dataset: {records} records ({lines} lines, {rejected} rejected), {path.name}")
    print(f"graph: {n_nodes} nodes, {n_rels} relationships")
    print(f"validation (parse_line, one process): {parse_seconds:.1f} s, "
          f"{lines / parse_seconds:,.0f} lines/s")  # fmt: skip
    print(f"rows and CSV besides validation: {built - began - parse_seconds:.1f} s + "
          f"{written - built:.1f} s")  # fmt: skip
    tool_seconds = imported - stopped
    print(f"bench instance stopped: {stopped - written:.1f} s; import tool: {tool_seconds:.1f} s")
    for line in summary:
        print(f"  {line.strip()}")
    print(f"start: {started - imported:.1f} s; migrate and index population: "
          f"{migrated - started:.1f} s")  # fmt: skip
    print(f"end to end: {total:.1f} s, {records / total:,.0f} records/s")
    neo4j = (imported - stopped) + (migrated - imported)
    print(f"Neo4j's part alone (import tool, start, indexes): {neo4j:.1f} s, "
          f"at most {records / neo4j:,.0f} records/s with validation and CSV free")  # fmt: skip
    halved = neo4j + (built - began + written - built) / 2
    print(f"with validation and CSV split over two processes (projected): {halved:.1f} s, "
          f"{records / halved:,.0f} records/s")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--heap", default="2g", help="heap of the import tool")
    main(parser.parse_args())
