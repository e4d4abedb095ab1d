"""Search by pinyin: full syllables and initials, stored in the full-text index at import time
(hub/pinyin.py), and written by `credit-hub migrate` for names stored before."""

from __future__ import annotations

import pytest

from hub.identifiers import make_uscc
from hub.migrate import migrate
from hub.pinyin import pinyin_terms
from hub.store import Store
from resolvers.subjects import lucene_query
from tests.conftest import GQL, load

SEARCH = """
query ($text: String!) {
  search(text: $text) { nodes { matchedBy subject { ... on Enterprise { uscc name } ... on Person { name } } } }
}
"""


def test_a_name_has_its_full_pinyin_and_its_initials() -> None:
    assert pinyin_terms("隆林集团建设有限公司") == "longlinjituanjiansheyouxiangongsi lljtjsyxgs"
    assert pinyin_terms("韦建国") == "weijianguo wjg"
    assert pinyin_terms("隆林ABC公司") == "longlinabcgongsi llags"
    assert pinyin_terms("（）") == ""


def test_latin_letters_are_also_read_as_pinyin_and_chinese_as_a_phrase() -> None:
    assert lucene_query("lljt") == "lljt OR pinyin:lljt*^3 OR pinyin:/l.*l.*j.*t.*/"
    # i, u and ü (v) begin no syllable: such letters are full pinyin, not initials
    assert lucene_query("LongLin") == "LongLin OR pinyin:longlin*^3"
    assert lucene_query("hezuoshe") == "hezuoshe OR pinyin:hezuoshe*^3"
    assert (
        lucene_query("longgang")
        == "longgang OR pinyin:longgang*^3 OR pinyin:/" + ".*".join("longgang") + ".*/"
    )
    assert lucene_query("隆林集团") == '"隆林集团"^4 OR 隆林集团'
    assert lucene_query("x") == "x"  # one letter is not read as pinyin
    assert "pinyin" not in lucene_query("a1")


async def names(gql: GQL, text: str) -> list[str]:
    data = await gql.ok(SEARCH, {"text": text})
    return [hit["subject"]["name"] for hit in data["search"]["nodes"]]


@pytest.mark.neo4j
async def test_initials_and_full_pinyin_find_the_subject(gql: GQL, graph: Store) -> None:
    group = make_uscc("9", "1", "451031", "MA5PY0001")
    county_group = make_uscc("9", "1", "451031", "MA5PY0002")
    other = make_uscc("9", "1", "451031", "MA5PY0003")
    report = await load(
        graph,
        [
            {"kind": "enterprise", "uscc": group, "name": "隆林集团建设有限公司"},
            {"kind": "enterprise", "uscc": county_group, "name": "隆林各族自治县宏达集团有限公司"},
            {"kind": "enterprise", "uscc": other, "name": "百色市右江商贸有限公司"},
        ],
    )
    assert report.rejected == 0
    found = await names(gql, "lljt")
    # the prefix of the initials first, then initials in order with others between
    assert found == ["隆林集团建设有限公司", "隆林各族自治县宏达集团有限公司"]
    assert (await names(gql, "longlinjituan")) == ["隆林集团建设有限公司"]
    # full pinyin (an i: not initials) finds by prefix, in the same order as before
    assert (await names(gql, "longlin")) == [
        "隆林集团建设有限公司",
        "隆林各族自治县宏达集团有限公司",
    ]
    assert (await names(gql, "LLJT")) == found
    assert (await names(gql, "bsyj")) == ["百色市右江商贸有限公司"]
    # a changed name changes its pinyin
    await load(graph, [{"kind": "enterprise", "uscc": other, "name": "隆林右江集团有限公司"}])
    assert "隆林右江集团有限公司" in await names(gql, "llyjjt")
    assert await names(gql, "bsyj") == []


@pytest.mark.neo4j
async def test_migrate_indexes_the_pinyin_of_names_stored_before(gql: GQL, graph: Store) -> None:
    code = make_uscc("9", "1", "451031", "MA5PY0009")
    async with graph.driver.session(database=graph.database) as session:
        # as a store of the previous version: the index over names only, no pinyin stored
        await (await session.run("DROP INDEX subjectNames IF EXISTS")).consume()
        await (
            await session.run(
                "CREATE FULLTEXT INDEX subjectNames FOR (n:Enterprise|Person) ON EACH [n.name] "
                "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
            )
        ).consume()
        await (await session.run("CALL db.awaitIndexes(60)")).consume()
        await (
            await session.run(
                "CREATE (:Enterprise {uscc: $code, name: '隆林老数据集团有限公司', kind: 'ENTERPRISE'})",
                {"code": code},
            )
        ).consume()
    assert await names(gql, "lllsjjt") == []
    await migrate(graph)
    assert await names(gql, "lllsjjt") == ["隆林老数据集团有限公司"]
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (e:Enterprise {uscc: $code}) RETURN e.pinyin AS p", {"code": code}
            )
        ).single()
    assert record is not None and record["p"] == "longlinlaoshujujituanyouxiangongsi lllsjjtyxgs"
