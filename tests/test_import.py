"""The importer against real Neo4j: every rejection reason, idempotency, provenance, atomicity."""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
import pytest

from hub.auth import Actor, Role
from hub.store import Store
from tests import factories as f
from tests.conftest import load

pytestmark = pytest.mark.neo4j


async def count(store: Store, cypher: Any, **params: Any) -> int:
    async with store.driver.session(database=store.database) as session:
        record = await (await session.run(cypher, params)).single()
        assert record is not None
        return int(record[0])


async def graph_size(store: Store) -> tuple[int, int]:
    nodes = await count(
        store, "MATCH (n) WHERE NOT n:ImportBatch AND NOT n:TestSentinel RETURN count(n)"
    )
    rels = await count(store, "MATCH ()-[r]->() RETURN count(r)")
    return nodes, rels


def a_small_county() -> list[dict[str, Any]]:
    boss, clerk = f.id_number("1970-02-03"), f.id_number("1985-07-08", "452631")
    firm, shop = f.uscc(), f.uscc("9", "2")
    coop, village = f.uscc("9", "3"), f.uscc("N", "2")
    return [
        f.enterprise(firm, "隆林金鑫建材有限公司", address="新州镇民族路1号", phone="0776-8201234"),
        f.enterprise(shop, "隆林县新州镇韦记百货店"),
        f.enterprise(coop, "隆林各族自治县者浪乡茶叶专业合作社"),
        f.enterprise(village, "隆林各族自治县德峨镇那么村股份经济合作联合社"),
        f.person(boss, "黄国明", phone="13907761234", address="新州镇1组"),
        f.person(clerk, "韦秀英", publicServant=True),
        f.role(boss, firm, "LEGAL_REPRESENTATIVE"),
        f.role(clerk, firm, "SENIOR_MANAGER", "2015-01-01", "2020-12-31", title="财务总监"),
        f.role(boss, firm, "ACTUAL_CONTROLLER"),
        f.role(clerk, shop, "PRINCIPAL"),
        f.share({"idNumber": boss}, firm, 0.7),
        f.share({"uscc": coop}, firm, 0.3),
        f.action("AMR-2024-1", {"uscc": firm}, "PENALTY", severity="SERIOUS"),
        f.action("AMR-2024-2", {"idNumber": clerk}, "INSPECTION"),
    ]


async def test_good_upload_lands_with_counts(graph: Store) -> None:
    report = await load(graph, a_small_county())
    assert report.committed
    assert report.errors == []
    assert report.accepted == 14 and report.created == 14 and report.rejected == 0
    assert report.by_kind["role"].accepted == 4


async def test_reimport_changes_nothing(graph: Store) -> None:
    records = a_small_county()
    await load(graph, records)
    before = await graph_size(graph)
    again = await load(graph, records)
    assert again.committed and again.accepted == 14
    assert again.unchanged == 14 and again.created == 0 and again.updated == 0
    assert await graph_size(graph) == before


async def test_changed_record_updates_and_keeps_a_revision(graph: Store) -> None:
    code = f.uscc()
    await load(graph, [f.enterprise(code, "旧名称有限公司")])
    report = await load(graph, [f.enterprise(code, "新名称有限公司")])
    assert report.updated == 1
    name = await count(graph, "MATCH (e:Enterprise {uscc: $u}) RETURN size(e.name)", u=code)
    assert name == len("新名称有限公司")
    revisions = await count(
        graph,
        "MATCH (:Enterprise {uscc: $u})-[:HAS_REVISION]->(r:Revision {name: '旧名称有限公司'}) "
        "RETURN count(r)",
        u=code,
    )
    assert revisions == 1


async def test_every_fact_carries_provenance(graph: Store) -> None:
    report = await load(graph, a_small_county(), department="AMR")
    missing_nodes = await count(
        graph,
        "MATCH (n) WHERE (n:Enterprise OR n:Person OR n:Action OR n:Address OR n:Phone) AND "
        "(n.batch IS NULL OR n.recordedAt IS NULL OR n.sourceDepartment IS NULL) RETURN count(n)",
    )
    missing_rels = await count(
        graph,
        "MATCH ()-[r]->() WHERE r.batch IS NULL OR r.recordedAt IS NULL OR "
        "r.sourceDepartment IS NULL RETURN count(r)",
    )
    assert missing_nodes == 0 and missing_rels == 0
    stamped = await count(
        graph,
        "MATCH (e:Enterprise {batch: $b, sourceDepartment: 'AMR'}) RETURN count(e)",
        b=report.batch,
    )
    assert stamped == 4


def rejections() -> list[tuple[str, Any, str, str]]:
    """(story, line, field, reason fragment) — one of each rejection reason."""
    firm, boss = f.uscc(), f.id_number()
    good_firm = f.enterprise(firm)
    return [
        ("malformed JSON", '{"kind": "enterprise", "uscc": ', "(line)", "malformed JSON"),
        ("not an object", "[1, 2]", "(line)", "must be a JSON object"),
        ("unknown kind", {"kind": "company", "uscc": firm}, "kind", "unknown kind"),
        ("missing kind", {"uscc": firm}, "kind", "required field is missing"),
        ("kind not a string", {"kind": 5, "uscc": firm}, "kind", "Input should be a valid string"),
        ("missing key", {"kind": "enterprise", "name": "无代码公司"}, "uscc", "required"),
        (
            "unknown field",
            {**good_firm, "registerdOn": "2010-01-01"},
            "registerdOn",
            "unknown field",
        ),
        ("wrong type", {**good_firm, "name": 42}, "name", "valid string"),
        (
            "bad date",
            {**good_firm, "registeredOn": "2010-02-30"},
            "registeredOn",
            "not a real date",
        ),
        ("date format", {**good_firm, "registeredOn": "01/02/2010"}, "registeredOn", "yyyy-mm-dd"),
        (
            "invalid uscc",
            f.enterprise(firm[:17] + ("0" if firm[17] != "0" else "1")),
            "uscc",
            "invalid USCC: check character",
        ),
        (
            "invalid id",
            f.person(boss[:17] + ("1" if boss[17] != "1" else "2")),
            "idNumber",
            "invalid ID number",
        ),
        ("share zero", f.share({"idNumber": boss}, firm, 0.0), "share", "greater than 0"),
        (
            "share above one",
            f.share({"idNumber": boss}, firm, 1.2),
            "share",
            "less than or equal to 1",
        ),
        ("share as text", f.share({"idNumber": boss}, firm, "0.5"), "share", "valid number"),  # type: ignore[arg-type]
        (
            "reversed dates",
            f.role(boss, firm, "DIRECTOR", "2020-01-01", "2019-01-01"),
            "to",
            "before from",
        ),
        ("unknown role", f.role(boss, firm, "CHAIRMAN"), "role", "Input should be"),
        (
            "both holders",
            {**f.share({"idNumber": boss}, firm, 0.2), "holder": {"idNumber": boss, "uscc": firm}},
            "holder",
            "exactly one",
        ),
        (
            "duplicate key",
            f'{{"kind": "person", "idNumber": "{boss}", "name": "a", "name": "b"}}',
            "name",
            "more than once",
        ),
        (
            "own branch",
            {**f.enterprise(own := f.uscc()), "branchOf": own},
            "branchOf",
            "cannot be its own branch",
        ),
        (
            "NaN",
            f'{{"kind": "shareholding", "holder": {{"uscc": "{firm}"}}, "uscc": "{firm}", '
            '"share": NaN}',
            "(line)",
            "malformed JSON",
        ),
        (
            "penalty without severity",
            {**f.action("X-1", {"uscc": firm}, "PENALTY"), "severity": None},
            "severity",
            "needs a severity",
        ),
        (
            "penalty without the severity key",
            {
                k: v
                for k, v in f.action("X-2", {"uscc": firm}, "PENALTY").items()
                if k != "severity"
            },
            "severity",
            "needs a severity",
        ),
    ]


async def test_each_rejection_reason_names_line_field_and_reason(graph: Store) -> None:
    boss = f.id_number()
    firm = f.uscc()
    good = [f.enterprise(firm, "好公司"), f.person(boss, "好人")]
    cases = rejections()
    lines: list[Any] = [*good, *[case[1] for case in cases]]
    report = await load(graph, lines)
    assert report.committed
    assert report.accepted == 2  # the good lines still land
    by_line: dict[int, list[Any]] = {}
    for error in report.errors:
        by_line.setdefault(error.line, []).append(error)
    for number, (story, _, field, reason) in enumerate(cases, start=len(good) + 1):
        assert number in by_line, f"{story}: line {number} not rejected"
        assert any(e.field == field and reason in e.reason for e in by_line[number]), (
            story,
            [(e.field, e.reason) for e in by_line[number]],
        )
    assert report.rejected == len(cases)


async def test_references_to_missing_subjects_are_rejected(graph: Store) -> None:
    firm, ghost_firm, boss, ghost = f.uscc(), f.uscc(), f.id_number(), f.id_number()
    report = await load(
        graph,
        [
            f.enterprise(firm),
            f.person(boss),
            f.role(ghost, firm, "DIRECTOR"),
            f.role(boss, ghost_firm, "DIRECTOR"),
            f.share({"uscc": ghost_firm}, firm, 0.5),
            f.action("AMR-9", {"idNumber": ghost}, "LICENSE"),
            f.action("XX-9", {"uscc": firm}, "LICENSE", department="NOSUCHDEPT"),
            f.role(boss, firm, "DIRECTOR"),
        ],
    )
    assert report.committed and report.accepted == 3
    reasons = {(e.line, e.field): e.reason for e in report.errors}
    assert reasons[(3, "idNumber")] == f"person {ghost} does not exist"
    assert reasons[(4, "uscc")] == f"enterprise {ghost_firm} does not exist"
    assert reasons[(5, "holder.uscc")] == f"enterprise {ghost_firm} does not exist"
    assert reasons[(6, "subject.idNumber")] == f"person {ghost} does not exist"
    assert reasons[(7, "department")] == "department NOSUCHDEPT does not exist"


async def test_references_may_point_to_earlier_uploads_and_later_lines(graph: Store) -> None:
    firm, boss = f.uscc(), f.id_number()
    await load(graph, [f.enterprise(firm)])
    report = await load(graph, [f.role(boss, firm, "DIRECTOR"), f.person(boss)])
    assert report.accepted == 2 and report.errors == []


async def test_department_may_only_upload_its_own_decisions(graph: Store) -> None:
    firm = f.uscc()
    officer = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
    report = await load(
        graph,
        [
            f.enterprise(firm),
            f.action("ECO-1", {"uscc": firm}, "PENALTY", department="ECOENV"),
            f.action("AMR-1", {"uscc": firm}, "PENALTY", department="AMR"),
            {"kind": "department", "code": "NEWDEPT", "name": "新部门"},
        ],
        department="ECOENV",
        actor=officer,
    )
    assert report.accepted == 2
    reasons = {e.line: e.reason for e in report.errors}
    assert "only upload records decided by ECOENV" in reasons[3]
    assert "ADMIN only" in reasons[4]


async def test_an_action_id_belongs_to_its_department_for_ever(graph: Store) -> None:
    firm = f.uscc()
    await load(graph, [f.enterprise(firm), f.action("DEC-9", {"uscc": firm}, "PENALTY")])
    officer = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
    report = await load(
        graph,
        [
            f.action("DEC-9", {"uscc": firm}, "LICENSE", department="ECOENV"),
            f.action("ECO-9", {"uscc": firm}, "LICENSE", department="ECOENV"),
        ],
        department="ECOENV",
        actor=officer,
    )
    assert report.accepted == 1
    [error] = report.errors
    assert (error.line, error.field) == (1, "id")
    assert "action DEC-9 already exists from AMR" in error.reason
    kept = await count(
        graph, "MATCH (a:Action {id: 'DEC-9', department: 'AMR', type: 'PENALTY'}) RETURN count(a)"
    )
    assert kept == 1
    # The deciding department still corrects its own action.
    report = await load(graph, [f.action("DEC-9", {"uscc": firm}, "PENALTY", title="更正")])
    assert report.accepted == 1 and report.updated == 1


async def test_failure_mid_batch_leaves_nothing_half_written(
    graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neo4j rejects the last statement of the upload: the whole batch rolls back."""
    from hub.importer import registry
    from hub.importer.records import ActionRecord
    from hub.store import imports as q

    async def failing(tx: Any, items: Any, prov: Any) -> q.Counts:
        await tx.run("UNWIND $rows AS row RETURN 1 / 0 AS boom", {"rows": [1]})
        raise AssertionError("unreachable: Neo4j must have failed")

    broken = dataclasses.replace(registry.ACTIONS, write=failing)  # after entities and roles
    monkeypatch.setitem(registry.WRITER_OF, ActionRecord, broken)  # type: ignore[misc]
    before = await graph_size(graph)
    report = await load(graph, a_small_county())
    assert not report.committed
    assert report.failure_code == "INTERNAL"
    assert await graph_size(graph) == before
    batches = await count(graph, "MATCH (b:ImportBatch {id: $b}) RETURN count(b)", b=report.batch)
    assert batches == 0
    monkeypatch.undo()
    retry = await load(graph, a_small_county())
    assert retry.committed and retry.created == 14


async def test_blank_lines_bom_and_crlf(graph: Store) -> None:
    firm = f.uscc()
    body = b"\xef\xbb\xbf" + orjson.dumps(f.enterprise(firm)) + b"\r\n\r\n"
    from hub.auth import SYSTEM
    from hub.importer.parse import split_lines
    from hub.importer.runner import run_import

    report = await run_import(graph, split_lines(body), actor=SYSTEM, department="AMR")
    assert report.accepted == 1 and report.errors == []


async def test_wrong_encoding_and_long_lines(graph: Store) -> None:
    from hub.auth import SYSTEM
    from hub.importer.runner import run_import

    gbk = f'{{"kind": "enterprise", "uscc": "{f.uscc()}", "name": "隆林公司"}}'
    report = await run_import(
        graph, [gbk.encode("gbk"), b"{" + b" " * 70_000 + b"}"], actor=SYSTEM, department="AMR"
    )
    reasons = [e.reason for e in report.errors]
    assert "not valid UTF-8" in reasons[0]
    assert "more than 65536" in reasons[1]


async def test_two_departments_import_overlapping_records_at_once(graph: Store) -> None:
    import asyncio

    firms = [f.uscc() for _ in range(200)]
    people = [f.id_number() for _ in range(200)]
    shared = [f.enterprise(c, f"隆林并发{i}有限公司") for i, c in enumerate(firms)]
    shared += [f.person(p, f"并发{i}") for i, p in enumerate(people)]
    amr = [
        *shared,
        *[f.role(p, c, "DIRECTOR") for p, c in zip(people, firms, strict=True)],
        *[f.action(f"AMR-C-{i}", {"uscc": c}, "LICENSE") for i, c in enumerate(firms)],
    ]
    eco = [
        *reversed(shared),
        *[
            f.action(f"ECO-C-{i}", {"uscc": c}, "INSPECTION", department="ECOENV")
            for i, c in enumerate(firms)
        ],
    ]
    eco_officer = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
    one, two = await asyncio.gather(
        load(graph, amr, department="AMR"),
        load(graph, eco, department="ECOENV", actor=eco_officer),
    )
    assert one.committed and two.committed, (one.failure, two.failure)
    assert one.rejected == 0 and two.rejected == 0
    assert await count(graph, "MATCH (e:Enterprise) RETURN count(e)") == 200
    assert await count(graph, "MATCH (p:Person) RETURN count(p)") == 200
    assert await count(graph, "MATCH (a:Action) RETURN count(a)") == 400
    assert await count(graph, "MATCH ()-[r:OFFICER_OF]->() RETURN count(r)") == 200
    duplicates = await count(
        graph, "MATCH (e:Enterprise) WITH e.uscc AS u, count(*) AS n WHERE n > 1 RETURN count(u)"
    )
    assert duplicates == 0


async def test_concurrent_updates_of_one_record_are_all_kept(graph: Store) -> None:
    import asyncio

    code = f.uscc()
    await load(graph, [f.enterprise(code, "原名称")])
    names = [f"并发名称{i}" for i in range(6)]
    reports = await asyncio.gather(*[load(graph, [f.enterprise(code, n)]) for n in names])
    assert all(r.committed for r in reports)
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (e:Enterprise {uscc: $u}) OPTIONAL MATCH (e)-[:HAS_REVISION]->(r) "
                "RETURN e.name AS name, collect(r.name) AS old",
                {"u": code},
            )
        ).single()
    assert record is not None
    history = [*record["old"], record["name"]]
    assert sorted(history) == sorted(["原名称", *names])  # every version kept, none lost


async def test_a_large_upload_in_parallel_units_loses_nothing(graph: Store) -> None:
    """Units of 100 records, two at a time: every role still finds its people and firms."""
    from hub.auth import SYSTEM
    from hub.demo import generate
    from hub.importer.runner import run_import

    segment = next(generate(300, 21, segment=300))
    records = [
        r
        for kind in ("role", "shareholding", "enterprise", "person", "action")
        for r in segment[kind]
    ]  # facts first in the file: entities come later
    lines = [orjson.dumps(r) for r in records]
    report = await run_import(
        graph, lines, actor=SYSTEM, department="AMR", commit_records=100, parallel=2
    )
    assert report.committed, report.failure
    assert report.rejected == 0, report.errors[:3]
    assert report.created == len(records)
    roles = await count(
        graph,
        "MATCH ()-[r:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|"
        "PRACTITIONER_AT|CONTROLS]->() RETURN count(r)",
    )
    assert roles == len(segment["role"])
    assert await count(graph, "MATCH ()-[r:HOLDS_SHARES]->() RETURN count(r)") == len(
        segment["shareholding"]
    )


async def test_a_unit_that_fails_beside_another_runs_again_alone(
    graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two units creating ties at the same nodes can deadlock; Neo4j aborts one. Such a unit
    (here: the first fact unit to start, failed on purpose once while the other runs) is run
    again alone after its group, and the upload completes with nothing lost or doubled."""
    from hub.auth import SYSTEM
    from hub.demo import generate
    from hub.errors import StoreUnavailable
    from hub.importer import runner
    from hub.importer.runner import run_import

    segment = next(generate(300, 23, segment=300))
    records = [r for kind in ("enterprise", "person", "role") for r in segment[kind]]
    lines = [orjson.dumps(r) for r in records]
    original = runner._Importer.commit
    attempts: list[tuple[int, int]] = []  # (first line, units in flight)
    in_flight = 0

    async def commit(self: Any, items: list[Any]) -> bool:
        nonlocal in_flight
        first = items[0][0]
        fact = type(items[0][1]).__name__ == "RoleRecord"
        attempts.append((first, in_flight))
        in_flight += 1
        try:
            if fact and in_flight > 1 and not any(f == first for f, _ in attempts[:-1]):
                raise StoreUnavailable("the graph database is busy; try again")
            return await original(self, items)
        finally:
            in_flight -= 1

    monkeypatch.setattr(runner._Importer, "commit", commit)
    report = await run_import(
        graph, lines, actor=SYSTEM, department="AMR", commit_records=100, parallel=2
    )
    assert report.committed, report.failure
    assert report.rejected == 0
    assert report.created == len(records)
    beside: dict[int, list[int]] = {}  # first line of a unit -> units beside it, per attempt
    for first, others in attempts:
        beside.setdefault(first, []).append(others)
    retried = [others for others in beside.values() if len(others) == 2]
    assert retried, attempts  # some fact unit did fail beside another and ran again...
    assert all(first_try >= 1 and again == 0 for first_try, again in retried)  # ...alone
    roles = await count(
        graph,
        "MATCH ()-[r:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|"
        "PRACTITIONER_AT|CONTROLS]->() RETURN count(r)",
    )
    assert roles == len(segment["role"])


async def test_an_invalid_holder_id_is_one_error(graph: Store) -> None:
    """The idNumber's own error only, not also "give exactly one of idNumber or holder"."""
    firm, boss = f.uscc(), f.id_number()
    wrong = boss[:17] + ("1" if boss[17] != "1" else "2")
    report = await load(
        graph,
        [
            f.enterprise(firm),
            f.role(wrong, firm, "DIRECTOR"),
            {**f.role(boss, firm, "DIRECTOR"), "idNumber": None, "holder": {"idNumber": wrong}},
        ],
    )
    assert [(e.line, e.field) for e in report.errors] == [(2, "idNumber"), (3, "holder.idNumber")]
    assert all("invalid ID number" in e.reason for e in report.errors)


async def test_a_final_newline_ends_the_last_line(graph: Store) -> None:
    from hub.auth import SYSTEM
    from hub.importer.parse import split_lines
    from hub.importer.runner import run_import

    one = orjson.dumps(f.enterprise(f.uscc()))
    for body, lines, blank in [(one + b"\n", 1, 0), (one, 1, 0), (one + b"\n\n", 2, 1)]:
        report = await run_import(graph, split_lines(body), actor=SYSTEM, department="AMR")
        assert (report.lines, report.accepted, report.rejected, report.blank) == (
            lines,
            1,
            0,
            blank,
        ), body


async def test_a_report_quoting_a_lone_surrogate_still_serialises(graph: Store) -> None:
    """A key "\\udc00" (a lone surrogate once decoded) named in an error is escaped: the
    report is sent, and the good line before it has landed."""
    from hub.auth import SYSTEM
    from hub.importer.parse import split_lines
    from hub.importer.runner import run_import

    good, odd = f.uscc(), f.uscc()
    body = orjson.dumps(f.enterprise(good)) + (
        b'\n{"kind": "enterprise", "uscc": "%s", "name": "a", "\\udc00": 1, "\\udc00": 2}'
        b'\n{"kind": "enterprise", "uscc": "%s", "name": "a", "\\ud800x": 1}'
        % (odd.encode(), odd.encode())
    )
    report = await run_import(graph, split_lines(body), actor=SYSTEM, department="AMR")
    assert report.committed and report.accepted == 1
    sent = orjson.loads(orjson.dumps(report.as_dict()))
    assert [e["line"] for e in sent["errors"]] == [2, 3]
    assert sent["errors"][0]["field"] == "\\udc00"
    assert await count(graph, "MATCH (e:Enterprise {uscc: $u}) RETURN count(e)", u=good) == 1


async def test_a_report_lists_the_first_thousand_errors_and_counts_them_all(graph: Store) -> None:
    """2,501 rejected lines: the first 1,000 errors in line order are listed (a reference error
    found while writing, on line 2, among them), the counts are exact, the cut is flagged."""
    from hub.importer.report import MAX_REPORTED_ERRORS

    firm, ghost, boss = f.uscc(), f.uscc(), f.id_number()
    lines: list[Any] = [f.enterprise(firm), f.role(boss, ghost, "DIRECTOR"), f.person(boss)]
    lines += ["x"] * 2500
    report = await load(graph, lines)
    assert report.committed
    assert (report.lines, report.accepted, report.rejected) == (2503, 2, 2501)
    assert report.errors_total == 2501
    assert len(report.errors) == MAX_REPORTED_ERRORS == 1000
    assert [e.line for e in report.errors] == [2, *range(4, 1003)]
    assert report.errors[0].reason == f"enterprise {ghost} does not exist"
    sent = report.as_dict()
    assert sent["errorsTruncated"] is True and sent["errorsTotal"] == 2501
    small = (await load(graph, [f.enterprise(f.uscc()), "x"])).as_dict()
    assert small["errorsTruncated"] is False and small["errorsTotal"] == 1


@pytest.mark.parametrize("commit_records", [50_000, 1])
async def test_a_later_line_of_the_same_key_with_other_content_is_rejected(
    graph: Store, commit_records: int
) -> None:
    """Whatever the commit units: the first line lands, an identical repeat is fine (however
    it is spelled), a repeat with other content is rejected on the key field."""
    from hub.auth import SYSTEM
    from hub.importer.runner import run_import

    firm, boss = f.uscc(), f.id_number()
    role = f.role(boss, firm, "DIRECTOR", "2020-01-01")
    lines = [
        orjson.dumps(f.enterprise(firm, "第一名称")),
        orjson.dumps(f.person(boss, "张三")),
        orjson.dumps(role),
        orjson.dumps(f.action("X-1", {"uscc": firm}, "LICENSE")),
        orjson.dumps(f.enterprise(firm, "第二名称")),  # 5: conflicts with 1
        f'{{ "name": "张三", "idNumber": "{boss.lower()}", "kind": "person" }}'.encode(),  # same
        orjson.dumps({**role, "to": "2021-01-01"}),  # 7: conflicts with 3
        orjson.dumps(role),  # identical
        orjson.dumps(f.action("X-1", {"uscc": firm}, "LICENSE", department="TAX")),  # 9
        orjson.dumps(f.action("X-1", {"uscc": firm}, "LICENSE")),  # identical
    ]
    report = await run_import(
        graph, lines, actor=SYSTEM, department="AMR", commit_records=commit_records
    )
    assert report.committed, report.failure
    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (5, "uscc", "same key as line 1 with different content"),
        (7, "idNumber+uscc+role+from", "same key as line 3 with different content"),
        (9, "id", "same key as line 4 with different content"),
    ]
    assert (report.accepted, report.rejected, report.created) == (7, 3, 4)
    stored = await count(
        graph,
        "MATCH (e:Enterprise {uscc: $u, name: '第一名称'})<-[r:OFFICER_OF]-(:Person) "
        "WHERE r.to IS NULL MATCH (a:Action {id: 'X-1', department: 'AMR'}) RETURN count(*)",
        u=firm,
    )
    assert stored == 1
    assert await count(graph, "MATCH (r:Revision) RETURN count(r)") == 0


@pytest.mark.parametrize("commit_records", [50_000, 2, 1])
async def test_a_rejected_line_writes_nothing_and_takes_the_lines_that_need_it(
    graph: Store, commit_records: int
) -> None:
    """A branch of a missing enterprise is rejected as a whole (not written with a dangling
    branchOf), and so is every line that refers to an enterprise only a rejected line defined,
    whatever the commit units; lines = accepted + rejected."""
    from hub.auth import SYSTEM
    from hub.importer.runner import run_import

    ghost, a, b, c, d, e, bad, g, h = (f.uscc() for _ in range(9))
    boss = f.id_number()
    await load(graph, [f.enterprise(h, "已有总公司")])
    records: list[dict[str, Any]] = [
        f.enterprise(a, "幽灵分公司", branchOf=ghost),  # 1
        f.enterprise(b, "分公司的分公司", branchOf=a),  # 2
        f.person(boss),  # 3
        f.role(boss, a, "LEGAL_REPRESENTATIVE"),  # 4
        f.share({"idNumber": boss}, b, 0.5),  # 5
        f.enterprise(c),  # 6
        f.enterprise(d, "后定义总公司的分公司", branchOf=e),  # 7
        f.role(boss, d, "PRINCIPAL"),  # 8
        f.enterprise(e, "后定义的总公司"),  # 9
        {**f.enterprise(bad), "name": ""},  # 10: invalid, its uscc valid
        f.role(boss, bad, "DIRECTOR"),  # 11
        f.action("AMR-B-1", {"uscc": a}, "LICENSE"),  # 12
        f.enterprise(g, "已有总公司的分公司", branchOf=h),  # 13
        # 14: line 1's key with other content: line 1 decides though it is itself rejected
        # (docs/exchange-format.md), so a does not land from this upload either way
        f.enterprise(a, "幽灵分公司（更正）"),
    ]
    report = await run_import(
        graph,
        [orjson.dumps(r) for r in records],
        actor=SYSTEM,
        department="AMR",
        commit_records=commit_records,
    )
    assert report.committed, report.failure
    refers = "refers to the enterprise of line {}, which was rejected".format
    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (1, "branchOf", f"enterprise {ghost} does not exist"),
        (2, "branchOf", refers(1)),
        (4, "uscc", refers(1)),
        (5, "uscc", refers(2)),
        (10, "name", "String should have at least 1 character"),
        (11, "uscc", refers(10)),
        (12, "subject.uscc", refers(1)),
        (14, "uscc", "same key as line 1 with different content"),
    ]
    assert (report.accepted, report.rejected) == (6, 8)
    assert report.accepted + report.rejected == report.lines == len(records)
    assert report.created == 6
    missing = await count(
        graph, "MATCH (n:Enterprise) WHERE n.uscc IN $keys RETURN count(n)", keys=[a, b, bad]
    )
    assert missing == 0
    links = await count(
        graph,
        "MATCH (x:Enterprise)-[r:BRANCH_OF]->(y:Enterprise) "
        "WHERE [x.uscc, y.uscc] IN [[$d, $e], [$g, $h]] AND r.batch IS NOT NULL RETURN count(r)",
        d=d,
        e=e,
        g=g,
        h=h,
    )
    assert links == 2
    assert await count(graph, "MATCH ()-[r:BRANCH_OF]->() RETURN count(r)") == 2
    ties = await count(graph, "MATCH (:Person)-[r]->(:Enterprise) RETURN count(r)")
    assert ties == 1  # only the principal of d
    assert await count(graph, "MATCH (x:Action) RETURN count(x)") == 0


async def test_an_upload_within_the_commit_size_is_one_transaction_despite_branch_links(
    graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """61 enterprise lines (60 branches) with commit_records=100: the branch links are not
    lines, so the upload is one transaction; when its last statement fails nothing lands."""
    from hub.auth import SYSTEM
    from hub.importer import registry, runner
    from hub.importer.records import BranchLinkRecord
    from hub.importer.runner import run_import
    from hub.store import imports as q

    parent = f.uscc()
    records = [f.enterprise(f.uscc(), f"分公司{i}", branchOf=parent) for i in range(60)]
    records.append(f.enterprise(parent, "总公司"))
    lines = [orjson.dumps(r) for r in records]
    units: list[int] = []
    original = runner._Importer.commit

    async def commit(self: Any, items: list[Any]) -> bool:
        units.append(len(items))
        return await original(self, items)

    async def failing(tx: Any, items: Any, prov: Any) -> q.Counts:
        await tx.run("UNWIND $rows AS row RETURN 1 / 0 AS boom", {"rows": [1]})
        raise AssertionError("unreachable: Neo4j must have failed")

    monkeypatch.setattr(runner._Importer, "commit", commit)
    monkeypatch.setitem(
        registry.WRITER_OF,
        BranchLinkRecord,  # type: ignore[misc]
        dataclasses.replace(registry.BRANCH_LINKS, write=failing),
    )
    before = await graph_size(graph)
    report = await run_import(graph, lines, actor=SYSTEM, department="AMR", commit_records=100)
    assert not report.committed
    assert units == [121]  # 61 lines and their 60 links, one unit
    assert await graph_size(graph) == before
    monkeypatch.undo()
    report = await run_import(graph, lines, actor=SYSTEM, department="AMR", commit_records=100)
    assert report.committed and report.created == 61
    assert await count(graph, "MATCH ()-[r:BRANCH_OF]->() RETURN count(r)") == 60


async def test_every_revision_tie_carries_provenance(graph: Store) -> None:
    """Each way a record is revised (an entity, a measure, a listing, a loan report, an
    evaluation, a derived entry) links its Revision with batch, recordedAt, sourceDepartment,
    like every other relationship the importer writes."""
    from hub.auth import SYSTEM

    firm, boss, liable = f.uscc(), f.id_number(), f.id_number("1979-09-09")
    measure = {
        "kind": "measure",
        "code": "TEST-CAUTION",
        "name": "测试措施",
        "category": "ADMINISTRATIVE",
        "effect": "CAUTION",
        "lists": ["WATCH"],
        "scenarios": ["HONORS"],
        "legalBasis": "测试",
        "edition": "2024",
    }
    grade = {
        "kind": "evaluation",
        "id": "EV-1",
        "subject": {"uscc": firm},
        "grade": "B",
        "evaluatedOn": "2024-01-01",
        "source": "NDRC",
    }
    loan = f.loan_default("LOAN-1", {"uscc": firm}, confirmed=None)
    first: list[Any] = [
        f.enterprise(firm, "原名称"),
        f.person(boss),
        f.person(liable),
        f.role(boss, firm, "LEGAL_REPRESENTATIVE"),
        f.listing("ECO-1", {"uscc": firm}, liablePersons=[liable]),
        measure,
        grade,
        loan,
    ]
    await load(graph, first, actor=SYSTEM)
    second: list[Any] = [
        f.enterprise(firm, "新名称"),
        f.role(liable, firm, "DIRECTOR"),  # re-derives liable's entry: a revision of it
        f.listing("ECO-1", {"uscc": firm}, liablePersons=[liable], basis="更正"),
        {**measure, "name": "测试措施(修订)"},
        {**grade, "grade": "C"},
        {**loan, "reportedOn": "2024-02-02"},
    ]
    report = await load(graph, second, actor=SYSTEM, department="NDRC")
    assert report.committed and report.rejected == 0, report.errors
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "MATCH (n)-[r:HAS_REVISION]->(:Revision) "
            "RETURN labels(n) AS labels, coalesce(n.derived, false) AS derived, "
            "r.batch AS batch, r.recordedAt IS NOT NULL AS at, r.sourceDepartment AS dept"
        )
        ties = [record.data() async for record in result]
    kinds = sorted(
        ("derived " if t["derived"] else "") + "/".join(sorted(t["labels"])) for t in ties
    )
    assert kinds == [
        "Enterprise",
        "Evaluation",
        "Listing",
        "LoanReport",
        "Measure",
        "derived Listing",
    ], kinds
    assert all((t["batch"], t["at"], t["dept"]) == (report.batch, True, "NDRC") for t in ties)
    bare = await count(
        graph,
        "MATCH ()-[r]->() WHERE r.batch IS NULL OR r.recordedAt IS NULL OR "
        "r.sourceDepartment IS NULL RETURN count(r)",
    )
    assert bare == 0


async def test_future_birth_dates_are_judged_against_the_hubs_today(graph: Store) -> None:
    """run_import takes today from the settings (the hub's zone), in its parser thread too
    (the record validators read it there)."""
    import datetime as dt

    from hub.auth import SYSTEM
    from hub.importer.runner import run_import

    born = f.id_number("2020-03-01")
    line = orjson.dumps(f.person(born, "未来人"))
    report = await run_import(
        graph, [line], actor=SYSTEM, department="AMR", today=dt.date(2020, 2, 29)
    )
    assert report.rejected == 1
    assert "future" in report.errors[0].reason
    accepted = await run_import(graph, [line], actor=SYSTEM, department="AMR")
    assert accepted.rejected == 0


async def test_employment_is_written_dated_and_validated_like_every_kind(graph: Store) -> None:
    """Issue 18: the ``employment`` kind (WORKS_FOR {from, to, publicServant}); a bad line is
    rejected naming its field and reason, the good ones land, a re-import changes nothing."""
    clerk, ghost, firm = f.id_number("1982-02-02"), f.id_number("1983-03-03"), f.uscc()
    serving = {
        "kind": "employment",
        "idNumber": clerk,
        "department": "ECOENV",
        "publicServant": True,
        "from": "2015-01-01",
        "to": "2024-12-31",
    }
    lines: list[Any] = [
        f.person(clerk, "韦公务"),
        f.enterprise(firm, "隆林雇主公司"),
        serving,
        {"kind": "employment", "idNumber": clerk, "uscc": firm, "from": "2025-01-01"},
        {"kind": "employment", "idNumber": clerk, "from": "2025-01-01"},
        {"kind": "employment", "idNumber": clerk, "department": "ECOENV", "uscc": firm},
        {"kind": "employment", "idNumber": clerk, "department": "NOSUCHDEPT"},
        {"kind": "employment", "idNumber": ghost, "uscc": firm},
        {**serving, "from": "2025-01-01", "to": "2024-01-01"},
        {**serving, "publicServant": "yes"},
    ]
    report = await load(graph, lines)
    assert report.committed and report.accepted == 4
    reasons = {(e.line, e.field): e.reason for e in report.errors}
    assert "exactly one of department or uscc" in reasons[(5, "uscc")]
    assert "exactly one of department or uscc" in reasons[(6, "uscc")]
    assert reasons[(7, "department")] == "department NOSUCHDEPT does not exist"
    assert reasons[(8, "idNumber")] == f"person {ghost} does not exist"
    assert (9, "to") in reasons
    assert (10, "publicServant") in reasons
    stored = await count(
        graph,
        "MATCH (:Person {idNumber: $p})-[w:WORKS_FOR]->(e) "
        "WHERE (e:Department AND w.publicServant AND w.to = date('2024-12-31') "
        "AND w.sourceDepartment IS NOT NULL) OR (e:Enterprise AND NOT w.publicServant "
        "AND w.to IS NULL) RETURN count(w)",
        p=clerk,
    )
    assert stored == 2
    again = await load(graph, lines[:4])
    assert again.accepted == 4 and again.unchanged == 4 and again.created == 0
