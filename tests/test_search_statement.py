"""A search page in one statement: ``search`` reads the hits with the properties a result
shows and, when the selection asks their badges (``listings`` with state fields only), each
hit's own listings with their objections in the same statement (hub/store/subjects.py
SEARCH_NAMES); the answer is the one the subjects give when each is read on its own."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth import PUBLIC, Actor, Role
from hub.migrate import migrate
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, TEST_ADMIN, load
from tests.test_profile_statement import CountingStore

pytestmark = pytest.mark.neo4j

LISTED = f.uscc(category="1")
WATCHED = f.uscc(category="1")
ENDED = f.uscc(category="1")
PLAIN = f.uscc(category="2")
HOLDER = f.id_number("1979-04-05")

FIELDS = "uscc name kind divisionCode status registeredOn listings { list status }"
SEARCH = (
    "query($t: String!) { search(text: $t, first: 10) { nodes { matchedBy subject {"
    " __typename ... on Enterprise { " + FIELDS + " }"
    " ... on Person { idNumber name listings { list } } } } } }"
)
ONE = "query($u: String!) { enterprise(uscc: $u) { " + FIELDS + " } }"
# More of a listing than its state, and a property a hit does not carry: read on their own.
MORE = (
    "query($t: String!) { search(text: $t, first: 10) { nodes { subject {"
    " ... on Enterprise { uscc industry address listings { list department { code } } } } } } }"
)


def _records() -> list[dict[str, Any]]:
    return [
        f.enterprise(LISTED, "翠峰一读建材有限公司", registeredOn="2011-02-03", industry="建材"),
        f.enterprise(WATCHED, "翠峰一读运输有限公司", status="DEREGISTERED"),
        f.enterprise(ENDED, "翠峰一读茶业有限公司", address="隆林县新州镇"),
        f.enterprise(PLAIN, "翠峰一读百货店"),
        f.person(HOLDER, "翠峰一读"),
        f.listing("L-BLACK", {"uscc": LISTED}),
        f.listing("L-RED", {"uscc": LISTED}, kind="RED", start="2024-05-01"),
        f.listing("L-WATCH", {"uscc": WATCHED}, kind="WATCH"),
        f.listing("L-OVER", {"uscc": ENDED}, start="2020-01-01", expiresOn="2021-01-01"),
        f.listing("L-PERSON", {"idNumber": HOLDER}),
    ]


@pytest.mark.parametrize("actor", [PUBLIC, TEST_ADMIN, Actor(Role.APPROVAL, key_id="k")])
async def test_a_search_with_badges_is_one_statement_and_the_answer_of_the_separate_reads(
    graph: Store, settings: Settings, actor: Actor
) -> None:
    report = await load(graph, _records())
    assert report.committed, report.errors
    counting = CountingStore(graph, settings)
    gql = GQL(counting, settings)

    nodes = (await gql.ok(SEARCH, {"t": "翠峰一读"}, actor))["search"]["nodes"]
    assert counting.asked == ["search_names"]
    firms = {n["subject"]["uscc"]: n["subject"] for n in nodes if "uscc" in n["subject"]}
    assert set(firms) == {LISTED, WATCHED, ENDED, PLAIN}
    for uscc, hit in firms.items():
        alone = (await gql.ok(ONE, {"u": uscc}, actor))["enterprise"]
        assert {"__typename": "Enterprise", **alone} == hit
    assert firms[LISTED]["registeredOn"] == "2011-02-03"
    assert firms[WATCHED]["status"] == "DEREGISTERED"
    assert sorted(x["list"] for x in firms[LISTED]["listings"]) == ["BLACK", "RED"]
    ended = [x["list"] for x in firms[ENDED]["listings"]]
    assert ended == ([] if actor is PUBLIC else ["BLACK"])  # expired: no longer published
    watch = [x["list"] for x in firms[WATCHED]["listings"]]
    assert watch == ([] if actor is PUBLIC else ["WATCH"])  # WATCH is never published
    person = next(n["subject"] for n in nodes if n["subject"]["__typename"] == "Person")
    assert [x["list"] for x in person["listings"]] == ["BLACK"]


async def test_a_search_asking_more_than_a_hit_holds_reads_the_rest_on_its_own(
    graph: Store, settings: Settings
) -> None:
    report = await load(graph, _records())
    assert report.committed, report.errors
    counting = CountingStore(graph, settings)
    gql = GQL(counting, settings)

    nodes = (await gql.ok(MORE, {"t": "翠峰一读"}, PUBLIC))["search"]["nodes"]
    # The badges' lighter read is not what this selection needs: the listings' own read.
    assert sorted(counting.asked) == ["enterprises", "own_listings", "search_names"]
    firms = {n["subject"]["uscc"]: n["subject"] for n in nodes if n["subject"]}
    assert firms[LISTED]["industry"] == "建材"
    assert firms[ENDED]["address"] == "隆林县新州镇"
    assert [x["department"]["code"] for x in firms[LISTED]["listings"]] == ["ECOENV", "ECOENV"]


TIED = [f.uscc(category="1") for _ in range(6)]
TIE_KEYS = "MATCH (e:Enterprise) WHERE e.uscc IN $keys RETURN e.uscc AS uscc, e.tieKey AS tie"
SCORED = (
    "query($t: String!, $n: Int!) { search(text: $t, first: $n) { nodes { score"
    " subject { ... on Enterprise { uscc } } } } }"
)


async def _tie_keys(graph: Store, keys: list[str]) -> dict[str, Any]:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(TIE_KEYS, {"keys": keys})
        return {record["uscc"]: record["tie"] async for record in result}


async def test_an_imported_enterprise_carries_its_uscc_as_its_tie_key(
    graph: Store, gql: GQL
) -> None:
    """The importer writes an enterprise's USCC again as ``tieKey``, which the search reads to
    order equal scores (hub/store/subjects.py SEARCH_NAMES); a person has none."""
    report = await load(graph, _records())
    assert report.committed, report.errors
    assert await _tie_keys(graph, [LISTED, PLAIN]) == {LISTED: LISTED, PLAIN: PLAIN}
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (p:Person {idNumber: $k}) RETURN p.tieKey AS tie", {"k": HOLDER}
            )
        ).single()
    assert record is not None and record["tie"] is None


async def test_migrate_gives_enterprises_stored_before_their_tie_key_first(
    graph: Store, gql: GQL
) -> None:
    """Enterprises stored before the tieKey get it from `credit-hub migrate`, at the head of
    their property chain (Neo4j puts a property added to a stored node there: the cheap one to
    read for each of a search's pooled hits), and their search order is the USCC's before and
    after."""
    names = [f"翠峰二读{c}贸易有限公司" for c in "甲乙丙丁戊己"]
    report = await load(graph, [f.enterprise(k, n) for k, n in zip(TIED, names, strict=True)])
    assert report.committed, report.errors

    async def ranked() -> list[str]:
        nodes = (await gql.ok(SCORED, {"t": "翠峰二读", "n": 6}))["search"]["nodes"]
        assert len({n["score"] for n in nodes}) == 1  # they tie
        return [n["subject"]["uscc"] for n in nodes]

    assert await ranked() == sorted(TIED)
    async with graph.driver.session(database=graph.database) as session:
        # as a store of the previous version: no tieKey on half of them
        await (
            await session.run(
                "MATCH (e:Enterprise) WHERE e.uscc IN $keys REMOVE e.tieKey", {"keys": TIED[::2]}
            )
        ).consume()
    assert await _tie_keys(graph, TIED) == {k: None if k in TIED[::2] else k for k in TIED}
    assert await ranked() == sorted(TIED)  # ordered by their uscc meanwhile
    await migrate(graph)
    assert await _tie_keys(graph, TIED) == {k: k for k in TIED}
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "MATCH (e:Enterprise) WHERE e.uscc IN $keys RETURN keys(e)[0] AS first",
            {"keys": TIED[::2]},
        )
        assert [record["first"] async for record in result] == ["tieKey"] * 3
    assert await ranked() == sorted(TIED)
