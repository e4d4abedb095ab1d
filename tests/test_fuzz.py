"""Fuzzing from the schema (hypothesis-graphql) and of the importer: no crash, no leak, no loss."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import orjson
import pytest
from graphql import StringValueNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from graphql_engine.export import current_sdl
from hub.auth import Actor, Role
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = pytest.mark.neo4j

SCALARS: dict[str, Any] = {
    "Date": st.dates().map(lambda d: StringValueNode(value=d.isoformat())),
    "DateTime": st.datetimes().map(lambda d: StringValueNode(value=d.isoformat())),
}


async def test_fuzzed_queries_never_fail_internally(gql: GQL, graph: Store) -> None:
    boss, firm = f.id_number("1966-06-06"), f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林模糊测试有限公司"),
            f.person(boss, "模糊", phone="13800000009"),
            f.role(boss, firm, "LEGAL_REPRESENTATIVE"),
        ],
    )
    documents: list[str] = []

    @settings(
        max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(from_schema(current_sdl(), custom_scalars=SCALARS))
    def collect(document: str) -> None:
        documents.append(document)

    collect()
    assert documents
    for actor in (Actor(Role.PUBLIC), Actor(Role.APPROVAL, "key-a")):
        for document in documents:
            result = await gql(document, actor=actor)
            for error in result.errors or []:
                code = (error.extensions or {}).get("code")
                assert code != "INTERNAL", (document, error.message)
                assert code is not None, (document, error.message)
            text = json.dumps(result.data, ensure_ascii=False, default=str)
            assert boss not in text
            assert "13800000009" not in text


MALFORMED = [
    b"{",
    b"[]",
    b"null",
    b'"just a string"',
    b'{"kind": null}',
    b'{"kind": "enterprise", "uscc": {"$ne": 1}, "name": "x"}',
    b'{"kind": "enterprise", "uscc": "91451031MA5000001X", "uscc": "x", "name": "n"}',
    b'{"kind": "person", "idNumber": "451031198001011234", "name": "\\u0000"}',
    b'{"kind": "shareholding", "holder": {}, "uscc": "x", "share": 1e999}',
    b'{"kind": "role", "idNumber": 451031198001011234, "uscc": [], "role": "DIRECTOR"}',
    b'{"kind": "action", "id": "../../etc/passwd", "subject": {"uscc": "x"}}',
    b"\xff\xfe{\x00k\x00",
    b"{" + b'"a":' * 5000 + b"1}",
    b"[" * 100_000,
    b'{"kind": "enterprise", "uscc": "91451031MA5000001X", "name": "' + b"A" * 70_000 + b'"}',
    b'{"kind": "enterprise", "registeredOn": "99999-01-01"}',
    b'{"kind": "enterprise", "registeredOn": "0001-01-01"}',
]

INJECTIONS = [
    "x' OR 1=1 --",
    "'}) MATCH (n) DETACH DELETE n //",
    '"}) RETURN 1 UNION MATCH (n) DETACH DELETE n //',
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "\u202e\u0000\ufeff",
    "隆林\\\\\"'`",
]


async def count_nodes(store: Store) -> int:
    async with store.driver.session(database=store.database) as session:
        record = await (
            await session.run(
                "MATCH (n) WHERE NOT n:ImportBatch AND NOT n:TestSentinel RETURN count(n) AS n"
            )
        ).single()
    assert record is not None
    return int(record["n"])


async def test_malformed_lines_are_rejected_and_nothing_is_lost(graph: Store) -> None:
    firm, boss = f.uscc(), f.id_number()
    await load(graph, [f.enterprise(firm, "隆林原有数据有限公司"), f.person(boss, "原有")])
    before = await count_nodes(graph)
    report = await load(graph, MALFORMED)
    assert report.committed
    assert report.accepted == 0
    assert report.rejected == len(MALFORMED)
    assert all(e.reason for e in report.errors)
    assert await count_nodes(graph) == before


async def test_injection_strings_are_stored_as_text_only(graph: Store) -> None:
    before = await count_nodes(graph)
    lines: list[Any] = []
    for i, text in enumerate(INJECTIONS):  # every free-text field of every kind
        code, person = f.uscc(), f.id_number()
        lines.append(f.enterprise(code, text, industry=text, address=text))
        lines.append(f.person(person, text, employer=text, address=text))
        lines.append(f.role(person, code, "SENIOR_MANAGER", title=text))
        lines.append(
            f.action(
                f"AMR-INJ-{i}",
                {"uscc": code},
                "PENALTY",
                title=text,
                basis=text,
                content=text,
                documentNumber=text,
            )
        )
        lines.append(f.listing(f"ECO-INJ-{i}", {"uscc": code}, basis=text, documentNumber=text))
        lines.append(f.court_default(f"COURT-INJ-{i}", {"idNumber": person}, caseNumber=text))
    report = await load(graph, lines)
    stored = report.accepted
    assert report.rejected + stored == len(lines)
    rejected_reasons = {e.reason for e in report.errors}
    assert rejected_reasons <= {"contains a control character"}, rejected_reasons
    assert stored >= len(lines) - 6  # only the line with control characters is refused
    assert await count_nodes(graph) >= before + stored // 2
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                'MATCH (e:Enterprise) WHERE e.name STARTS WITH "\'}) MATCH" RETURN e.name AS n'
            )
        ).single()
    assert record is not None
    assert record["n"] == INJECTIONS[1]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=200),
            st.dictionaries(
                st.sampled_from(
                    [
                        "kind",
                        "uscc",
                        "idNumber",
                        "name",
                        "share",
                        "from",
                        "to",
                        "subject",
                        "holder",
                        "role",
                        "id",
                        "type",
                    ]
                ),
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(-(2**63), 2**63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=30),
                    st.sampled_from(["enterprise", "person", "role", "shareholding"]),
                ),
                max_size=6,
            ).map(orjson.dumps),
        ),
        max_size=12,
    )
)
def test_importer_parser_never_crashes(lines: list[bytes]) -> None:
    from hub.importer.parse import parse_lines

    parsed = parse_lines(lines, 65_536)
    assert len(parsed.records) + len({e.line for e in parsed.errors}) + parsed.blank == len(lines)
    for error in parsed.errors:
        assert error.line >= 1
        assert error.reason
        assert error.field


# Issue 22: documents that stand for far more than their text (nested fragment spreads) and
# operations whose sizes come from variables' default values.
FIELDS = ["uscc", "name", "kind", "registeredOn"]
LISTS = ["branches", "roles { role }", "shareholders { share }"]


@st.composite
def spread_documents(draw: st.DrawFn) -> str:
    """Fragments each spreading earlier ones 1-3 times, some under a nested field, with
    aliases: anything from a harmless document to a bomb of 3**40 selections."""
    count = draw(st.integers(1, 40))
    fragments = [f"fragment F0 on Enterprise {{ {draw(st.sampled_from(FIELDS))} }}"]
    for i in range(1, count):
        parts = []
        for _ in range(draw(st.integers(1, 3))):
            spread = f"...F{draw(st.integers(max(0, i - 3), i - 1))}"
            if draw(st.booleans()):
                spread = f"{draw(st.sampled_from(['a', 'b', 'c']))}{i}: branchOf {{ {spread} }}"
            parts.append(spread)
        fragments.append(f"fragment F{i} on Enterprise {{ {' '.join(parts)} }}")
    root = f'{{ enterprise(uscc: "{f.uscc()}") {{ ...F{count - 1} }} }}'
    return root + " " + " ".join(fragments)


async def test_fuzzed_fragment_spreads_are_answered_quickly_and_with_codes(gql: GQL) -> None:
    """Each document is answered (or refused) with a code, and none holds the event loop for
    long: on ce433eb a 19-level bomb took 4 s and 26 levels about eight minutes."""
    documents: list[str] = []

    @settings(
        max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(spread_documents())
    def collect(document: str) -> None:
        documents.append(document)

    collect()
    loop = asyncio.get_running_loop()
    for document in documents:
        began = loop.time()
        result = await gql(document, actor=Actor(Role.PUBLIC))
        assert loop.time() - began < 1.0, document
        for error in result.errors or []:
            code = (error.extensions or {}).get("code")
            assert code not in (None, "INTERNAL"), (document, error.message)


SIZED = [
    'search(text: "隆林", first: $n) { nodes { subject { ... on Enterprise { name '
    "actions(first: $m) { nodes { id } } } } } }",
    'enterprise(uscc: "$FIRM") { actions(first: $m) { nodes { id title } } '
    "shareholders { holder { ... on Enterprise { actions(first: $n) { nodes { id } } } } } }",
]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.sampled_from(SIZED), st.integers(1, 2000), st.integers(1, 2000))
def test_a_default_value_costs_what_the_same_value_given_costs(
    selection: str, n: int, m: int
) -> None:
    """The cost limit reads the values the operation runs with: a size left to its default
    is estimated as if the caller had sent it."""
    from graphql import parse as parse_document

    from graphql_engine import limits
    from graphql_engine.build import SDL_SCHEMA

    schema = SDL_SCHEMA._schema
    body = selection.replace("$FIRM", "91451031MA5KY12B30")
    defaulted = parse_document(f"query($n: Int! = {n}, $m: Int! = {m}) {{ {body} }}")
    given_ = parse_document(f"query($n: Int!, $m: Int!) {{ {body} }}")
    with_defaults = limits.with_defaults(defaulted, None, {})
    assert limits.estimate_cost(schema, defaulted, None, with_defaults) == limits.estimate_cost(
        schema, given_, None, {"n": n, "m": m}
    )
