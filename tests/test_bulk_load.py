"""The bulk first load (`import --initial`) against the transactional importer, same file.

One story file (tests/data/initial-load-story.jsonl) holds every kind — departments (one new,
one changing reference data), enterprises with addresses, phones and branches (one held line
whose head office does not exist, a repeated line, a conflicting one, a bad USCC, an empty
name), persons, roles, shareholdings, actions (one of an unknown department, one about the
rejected branch), listings with a liable person and their derived entries, court defaults
(one of a minor), a loan default, evaluations — and a blank and a malformed line. Loaded both
ways into the emptied test instance, the graphs must be equal in every label, relationship
and property except batch ids and provenance times, and the reports equal but for their
batch, timings and seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, LiteralString

import orjson
import pytest
from neo4j import AsyncGraphDatabase

from hub.auth import SYSTEM
from hub.bulk_load.command import file_lines
from hub.bulk_load.loader import NotEmpty, Upload, _file_load, bulk_load
from hub.bulk_load.tables import Tables
from hub.bulk_load.validate import Validator
from hub.importer.parse import LineError, parse_line, split_lines
from hub.importer.records import Record
from hub.importer.report import ImportReport
from hub.pinyin import pinyin_terms
from hub.progress_display import terminal_progress
from hub.settings import Settings
from hub.store import Store, events
from tests.conftest import load

STORY = Path(__file__).parent / "data" / "initial-load-story.jsonl"
# The event log is compared apart (_events, as a reader gets it): the same numbers, in order.
NODES: LiteralString = """
MATCH (n) WHERE NOT (n:TestSentinel OR n:SchemaVersion OR n:ImportBatch OR n:EventBatch
                     OR n:EventCounter)
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
"""
RELS: LiteralString = """
MATCH (a)-[r]->(b)
WHERE NOT (a:ImportBatch OR b:ImportBatch OR a:TestSentinel OR b:TestSentinel)
RETURN elementId(a) AS a, type(r) AS type, elementId(b) AS b, properties(r) AS props
"""
COUNTER: LiteralString = """
MATCH (c:EventCounter)
RETURN -1 AS seq, properties(c) AS props
"""
# Every event, as a reader gets it (the batches a path cut its transactions into may differ).
EVERY_EVENT: dict[str, Any] = {
    "public": False,
    "grades": None,
    "subjects": None,
    "domains": None,
    "types": None,
    "watchSubjects": None,
    "watchDomains": [],
    "warningsAll": True,
    "warningDepartment": None,
    "warnedFor": None,
}
EMPTY_ALL_BUT_VERSION: LiteralString = """
MATCH (n) WHERE NOT n:SchemaVersion
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""
BATCH_ID = re.compile(r"b-[0-9a-f]{16}")


def _recent_penalties() -> bytes:
    """Three penalties of one enterprise within the last year: the third reaches the
    early-warning threshold (PENALTIES_ACCUMULATED), dated from today so they stay recent."""
    lines = [
        orjson.dumps(
            {
                "kind": "action",
                "id": f"AMR-CF-RECENT-{n}",
                "subject": {"uscc": "91451031MA5TT0001X"},
                "type": "PENALTY",
                "severity": "GENERAL",
                "department": "AMR",
                "decisionDate": (dt.date.today() - dt.timedelta(days=10 * n)).isoformat(),
                "title": "行政处罚决定书",
            }
        )
        for n in (1, 2, 3)
    ]
    return b"\n".join(lines) + b"\n"


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return BATCH_ID.sub("<batch>", value)
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    return str(value) if not isinstance(value, int | float | bool) else value


def _props(props: dict[str, Any]) -> frozenset[tuple[str, Any]]:
    """Every property but batch ids and provenance times (``…At``, ``at``, ``…Batch``)."""
    return frozenset(
        (name, _value(value))
        for name, value in props.items()
        if name not in ("batch", "at") and not name.endswith(("At", "Batch", "supersededBy"))
    )


async def _events(store: Store) -> list[tuple[int, frozenset[tuple[str, Any]]]]:
    """The event log in number order, then the counter (seq -1)."""
    log = await store.read(events.page, 0, 1_000_000, EVERY_EVENT)
    async with store.driver.session(database=store.database) as session:
        counter = [(r["seq"], _props(r["props"])) async for r in await session.run(COUNTER)]
    return [(e["seq"], _props(e)) for e in log] + counter


async def _dump(store: Store) -> tuple[Counter[Any], Counter[Any]]:
    async with store.driver.session(database=store.database) as session:
        nodes = [r async for r in await session.run(NODES)]
        rels = [r async for r in await session.run(RELS)]
    sign = {r["id"]: (tuple(sorted(r["labels"])), _props(r["props"])) for r in nodes}
    return (
        Counter(sign.values()),
        Counter((sign.get(r["a"]), r["type"], sign.get(r["b"]), _props(r["props"])) for r in rels),
    )


def _report(report: ImportReport) -> dict[str, Any]:
    sent = report.as_dict()
    for name in ("batch", "seconds", "timings"):
        sent.pop(name)
    return sent


@pytest.mark.neo4j
async def test_initial_load_gives_the_transactional_graph_and_report(
    graph: Store, settings: Settings
) -> None:
    if settings.neo4j_uri is not None:
        pytest.skip("the import tool writes the embedded instance's store")
    data = STORY.read_bytes() + _recent_penalties()
    transactional = await load(graph, list(split_lines(data)), department="AMR")
    assert transactional.committed
    expected = await _dump(graph)
    expected_events = await _events(graph)

    async with graph.driver.session(database=graph.database) as session:
        await (await session.run(EMPTY_ALL_BUT_VERSION)).consume()
    messages: list[str] = []
    try:
        (bulk,) = await bulk_load(
            settings, "test", [Upload(STORY.name, split_lines(data), "AMR")], say=messages.append
        )
    finally:
        # A new store: the session's causal chain (bookmarks of the old one) starts again.
        graph.bookmarks = AsyncGraphDatabase.bookmark_manager()
        async with graph.driver.session(database=graph.database) as session:
            await (await session.run("MERGE (:TestSentinel {id: 'credithub-tests'})")).consume()
    got = await _dump(graph)
    got_events = await _events(graph)
    # Every enterprise's USCC again as its tieKey (compared with the transactional graph's
    # below), the head of its property chain: the search reads it for each pooled hit.
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("MATCH (e:Enterprise) RETURN keys(e)[0] AS first")
        firsts = Counter([record["first"] async for record in result])

    assert bulk.committed, bulk.failure
    assert _report(bulk) == _report(transactional)
    assert transactional.rejected >= 8 and transactional.accepted >= 30  # the story's shape
    kinds = {labels for labels, _ in expected[0]}
    for label in ("Enterprise", "Person", "Address", "Phone", "Action", "Listing", "Revision"):
        assert any(label in labels for labels in kinds), label
    assert {rel_type for _, rel_type, _, _ in expected[1]} >= {
        "BRANCH_OF", "HOLDS_SHARES", "CONTROLS", "OFFICER_OF", "DERIVED_FROM", "ISSUED_BY",
    }  # fmt: skip
    assert got[0] == expected[0], (got[0] - expected[0], expected[0] - got[0])
    assert set(firsts) == {"tieKey"}, firsts
    assert all(
        dict(props)["tieKey"] == dict(props)["uscc"]
        for labels, props in expected[0]
        if "Enterprise" in labels
    )
    assert got[1] == expected[1], (got[1] - expected[1], expected[1] - got[1])
    # The event log: the same events with the same numbers 1..N, and the counter at N.
    assert [seq for seq, _ in expected_events[:-1]] == list(range(1, len(expected_events)))
    assert len(expected_events) > 10  # the story's listings, derived entries, evaluations
    assert any(("type", "EARLY_WARNING") in props for _, props in expected_events)
    missing = [e for e in expected_events if e not in got_events]
    extra = [e for e in got_events if e not in expected_events]
    assert got_events == expected_events, (missing, extra)
    assert any("stopping the test instance" in m for m in messages)
    # Where the time went, step by step, said last.
    assert messages[-1].startswith("loaded in ") and "import tool" in messages[-1], messages[-1]
    assert "transactional part" in messages[-1] and "migrate" in messages[-1]
    assert bulk.timings.validation > 0 and bulk.timings.indexes > 0


@pytest.mark.neo4j
async def test_initial_load_refuses_a_store_that_is_not_empty(
    graph: Store, settings: Settings
) -> None:
    if settings.neo4j_uri is not None:
        pytest.skip("the import tool writes the embedded instance's store")
    await load(graph, [{"kind": "person", "idNumber": "11010519491231002X", "name": "张三"}])
    with pytest.raises(NotEmpty, match=r"not empty .*Person"):
        await bulk_load(settings, "test", [Upload("x.jsonl", [b"{}"], "AMR")], say=lambda _: None)


def test_validation_in_processes_keeps_line_order() -> None:
    """The workers' outcomes are parse_line's, line by line, across chunk boundaries."""
    lines = list(split_lines(STORY.read_bytes())) * 60  # more than one chunk per worker
    validator = Validator(dt.date(2026, 6, 30), 65_536, workers=2)
    try:
        got = list(validator.outcomes(lines))
    finally:
        validator.close()
    assert [n for n, _ in got] == list(range(1, len(lines) + 1))
    for number, outcome in got:
        direct = parse_line(number, lines[number - 1], 65_536)
        if isinstance(direct, Record):
            assert isinstance(outcome, Record) and outcome.model_dump() == direct.model_dump()
        elif isinstance(direct, LineError | list):
            assert outcome == direct
        else:
            assert outcome is None


def test_csv_columns_keep_one_type_and_absent_values_stay_empty(tmp_path: Path) -> None:
    tables = Tables(tmp_path)
    tables.node("Action", "id", "A-1", {"amount": 12.5, "on": dt.date(2024, 3, 1), "title": None})
    tables.node("Action", "id", "A-1", {"amount": 99.0, "on": None, "title": "x"})  # a repeat
    tables.node("Action", "id", "A-2", {"amount": None, "on": None, "title": 'a "b",\nc'})
    with pytest.raises(ValueError, match="amount is double and long"):
        tables.node("Action", "id", "A-3", {"amount": 3, "on": None, "title": None})
    assert tables.close() == [f"--nodes=Action={tmp_path}/Action.header.csv,{tmp_path}/Action.csv"]
    assert (tmp_path / "Action.header.csv").read_bytes().decode() == (
        "id:ID(Action),amount:double,on:date,title:string\r\n"
    )
    assert (tmp_path / "Action.csv").read_bytes().decode() == (
        'A-1,12.5,2024-03-01,\r\nA-2,,,"a ""b"",\nc"\r\n'
    )


def test_no_progress_is_drawn_when_standard_output_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with terminal_progress(10) as progress:  # pytest captures standard output: no terminal
        assert progress is None
    assert capsys.readouterr() == ("", "")


def test_validation_runs_ahead_across_files_and_keeps_each_files_lines() -> None:
    """``Validator.files``: each file's outcomes are its own, numbered from 1, in order, also
    for an empty file and across chunk boundaries, while the next files are validated."""
    story = list(split_lines(STORY.read_bytes()))
    files = [("big", story * 50), ("empty", []), ("one", story[:1]), ("small", story[:7])]
    validator = Validator(dt.date(2026, 6, 30), 65_536, workers=2)
    pulled: list[str] = []

    def lazily() -> Iterator[tuple[str, list[bytes]]]:
        for name, lines in files:
            pulled.append(name)
            yield name, lines

    try:
        seen = []
        for name, numbered in validator.files(lazily()):
            got = list(numbered)
            seen.append(name)
            lines = dict(files)[name]
            assert [n for n, _ in got] == list(range(1, len(lines) + 1)), name
            for number, outcome in got:
                direct = parse_line(number, lines[number - 1], 65_536)
                if isinstance(direct, Record):
                    assert isinstance(outcome, Record)
                    assert outcome.model_dump() == direct.model_dump()
                else:
                    assert outcome == direct
    finally:
        validator.close()
    assert seen == ["big", "empty", "one", "small"]
    assert pulled == seen


def test_a_file_is_read_line_by_line_as_split_lines_cuts_a_body(tmp_path: Path) -> None:
    for body in (
        b'\xef\xbb\xbf{"a":1}\r\n{"b":2}\n',
        b'{"a":1}\n\n{"b":2}',
        b"\n\r\n",
        b"",
        b'{"a":"\xef\xbb\xbf"}\n',
    ):
        path = tmp_path / "f.jsonl"
        path.write_bytes(body)
        assert list(file_lines(path)) == list(split_lines(body)), body


def _one_enterprise_csv(tmp_path: Path, settings: Settings) -> tuple[list[str], dict[str, str]]:
    """The import tool's CSV of one enterprise (隆林集团建设有限公司): its header's columns and
    the row by column."""
    load = _file_load(None, SYSTEM, "AMR", "x.jsonl", settings, dt.date(2026, 6, 30))  # type: ignore[arg-type]
    row = {"key": "91451031MA5TT0001X", "fp": "f", "props": {"name": "隆林集团建设有限公司"}}
    tables = Tables(tmp_path)
    load.add_rows(tables, "enterprise", [row])
    tables.close()
    header = (tmp_path / "Enterprise.header.csv").read_text().strip().split(",")
    values = dict(
        zip(header, (tmp_path / "Enterprise.csv").read_text().strip().split(","), strict=True)
    )
    return header, values


def test_the_csv_of_names_carries_their_pinyin(tmp_path: Path, settings: Settings) -> None:
    """The import tool writes the pinyin the node writer would have: `migrate` has none to
    fill in afterwards (it took minutes at 100,000 enterprises)."""
    _, values = _one_enterprise_csv(tmp_path, settings)
    assert values["pinyin:string"] == pinyin_terms("隆林集团建设有限公司")
    assert values["pinyin:string"] == "longlinjituanjiansheyouxiangongsi lljtjsyxgs"


def test_the_csv_of_enterprises_carries_their_tie_key_first(
    tmp_path: Path, settings: Settings
) -> None:
    """An enterprise's USCC again as its ``tieKey``, in the first property column: the import
    tool writes a node's properties in column order, and the search reads the tieKey of every
    pooled hit (hub/store/subjects.py SEARCH_NAMES)."""
    header, values = _one_enterprise_csv(tmp_path, settings)
    assert header[1] == "tieKey:string"  # after the key column (uscc:ID)
    assert values["tieKey:string"] == "91451031MA5TT0001X"
