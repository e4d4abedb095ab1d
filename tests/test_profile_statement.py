"""An enterprise's page in one statement: ``enterprise(uscc)`` reads the roles, shareholders and
first page of actions its selection asks for in the enterprise's own statement
(hub/store/subjects.py ENTERPRISE_PROFILE), and the answer is the one the fields give when
each reads on its own (as they do under ``search``)."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth import PUBLIC, Actor, Role
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, TEST_ADMIN, load

pytestmark = pytest.mark.neo4j

FIRM = f.uscc(category="1")
OWNER = f.uscc(authority="5", category="1")
BOSS = f.id_number("1975-02-03")
CLERK = f.id_number("1988-09-12")

PAGE = """
  uscc name
  roles { role from to holder { ... on Person { idNumber name } ... on Enterprise { uscc } } }
  shareholders { share holder { ... on Person { idNumber } ... on Enterprise { uscc name } } }
  actions(first: $first, after: $after) { nodes { id type decisionDate }
                                         pageInfo { hasNextPage endCursor } }
"""
BY_ENTERPRISE = (
    "query($u: String!, $first: Int!, $after: String) { enterprise(uscc: $u) { ...page } }\n"
    "fragment page on Enterprise {" + PAGE + "}"
)
# The same fields reached through search's exact match: each reads on its own.
BY_SEARCH = (
    "query($u: String!, $first: Int!, $after: String) { search(text: $u, first: 1) {"
    " nodes { subject { ... on Enterprise {" + PAGE + "} } } } }"
)


class CountingStore(Store):
    """The test instance's store, noting the statements its readers run (by their function)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__(store.driver, settings)
        self.asked: list[str] = []

    async def read_statements(self, work: Any, *args: Any, **kwargs: Any) -> Any:
        self.asked.append(getattr(work, "__name__", str(work)))
        return await super().read_statements(work, *args, **kwargs)


def _records() -> list[dict[str, Any]]:
    subject = {"uscc": FIRM}
    records: list[dict[str, Any]] = [
        f.enterprise(FIRM, "隆林一次读完有限公司"),
        f.enterprise(OWNER, "百色控股集团"),
        f.person(BOSS, "黄老板"),
        f.person(CLERK, "韦文员"),
        f.role(BOSS, FIRM, "LEGAL_REPRESENTATIVE"),
        f.role(CLERK, FIRM, "DIRECTOR", "2015-01-01", "2019-12-31"),
        f.share({"idNumber": BOSS}, FIRM, 0.4),
        f.share({"uscc": OWNER}, FIRM, 0.6),
    ]
    for day in range(1, 13):
        records.append(f.action(f"LIC-{day:02}", subject, decided=f"2025-03-{day:02}"))
    # Never public (MINOR), public for 12 months (GENERAL, long past), and in force (SERIOUS).
    records.append(
        f.action("PEN-MINOR", subject, "PENALTY", decided="2025-04-01", severity="MINOR")
    )
    records.append(f.action("PEN-OLD", subject, "PENALTY", decided="2020-04-01"))
    records.append(
        f.action("PEN-SERIOUS", subject, "PENALTY", decided="2025-05-01", severity="SERIOUS")
    )
    return records


@pytest.mark.parametrize("actor", [PUBLIC, TEST_ADMIN, Actor(Role.APPROVAL, key_id="k")])
async def test_a_page_is_one_statement_and_the_answer_of_the_separate_reads(
    graph: Store, settings: Settings, actor: Actor
) -> None:
    report = await load(graph, _records())
    assert report.committed, report.errors
    counting = CountingStore(graph, settings)
    gql = GQL(counting, settings)
    variables: dict[str, Any] = {"u": FIRM, "first": 5, "after": None}

    page = (await gql.ok(BY_ENTERPRISE, variables, actor))["enterprise"]
    assert counting.asked == ["enterprise_profile"]
    alone = (await gql.ok(BY_SEARCH, variables, actor))["search"]["nodes"][0]["subject"]
    assert page == alone
    assert len(page["roles"]) == 2 and len(page["shareholders"]) == 2
    shown = {a["id"] for a in page["actions"]["nodes"]}
    if actor is PUBLIC:  # what is not public today is not read ahead either
        assert not shown & {"PEN-MINOR", "PEN-OLD"}
    assert page["actions"]["pageInfo"]["hasNextPage"] is True

    # The next page (a cursor: not read ahead) and the last one agree with the separate reads.
    variables["after"] = page["actions"]["pageInfo"]["endCursor"]
    variables["first"] = 20
    counting.asked.clear()
    rest = (await gql.ok(BY_ENTERPRISE, variables, actor))["enterprise"]
    assert "actions_page" in counting.asked
    assert rest == (await gql.ok(BY_SEARCH, variables, actor))["search"]["nodes"][0]["subject"]
    seen = shown | {a["id"] for a in rest["actions"]["nodes"]}
    expected = 15 if actor is not PUBLIC else 13
    assert len(seen) == expected and rest["actions"]["pageInfo"]["hasNextPage"] is False


async def test_only_what_is_selected_is_read_and_a_bad_first_stays_the_fields_error(
    graph: Store, settings: Settings
) -> None:
    await load(graph, _records())
    counting = CountingStore(graph, settings)
    gql = GQL(counting, settings)

    data = await gql.ok("query($u: String!) { enterprise(uscc: $u) { name } }", {"u": FIRM})
    assert data["enterprise"]["name"] == "隆林一次读完有限公司"
    assert counting.asked == ["enterprises"]

    counting.asked.clear()
    result = await gql(
        "query($u: String!) { enterprise(uscc: $u) { name roles { role } "
        "actions(first: 0) { nodes { id } } } }",
        {"u": FIRM},
    )
    assert result.errors is not None and len(result.errors) == 1
    assert result.errors[0].path == ["enterprise", "actions"]
    assert counting.asked == ["enterprise_profile"]

    counting.asked.clear()
    unknown = f.uscc(division="451021")
    data = await gql.ok(
        "query($u: String!) { enterprise(uscc: $u) { name roles { role } } }", {"u": unknown}
    )
    assert data["enterprise"] is None
    assert counting.asked == ["enterprise_profile"]


def _chain(levels: int) -> str:
    inner = "uscc name"
    for _ in range(levels):
        inner = (
            f"uscc name shareholders {{ share holder {{ ... on Person {{ idNumber name }} "
            f"... on Enterprise {{ {inner} }} }} }}"
        )
    return inner


async def test_a_shareholder_chain_is_one_statement_to_the_depth_asked(
    graph: Store, settings: Settings
) -> None:
    grand = f.uscc(authority="5", category="1", division="451002")
    top = f.uscc(authority="9", category="1", division="451002")
    records = [
        *_records(),
        f.enterprise(grand, "右江投资有限公司"),
        f.enterprise(top, "广西顶层有限公司"),
        f.share({"uscc": grand}, OWNER, 1.0),
        f.share({"uscc": top}, grand, 0.7),
        f.share({"idNumber": CLERK}, grand, 0.3),
        f.share({"uscc": FIRM}, top, 0.1),  # a cycle: the firm holds shares in the top
    ]
    report = await load(graph, records)
    assert report.committed, report.errors
    counting = CountingStore(graph, settings)
    gql = GQL(counting, settings)
    for levels in (1, 2, 4):  # search's own levels and four of shares make the depth limit
        counting.asked.clear()
        query = "query($u: String!) { enterprise(uscc: $u) { " + _chain(levels) + " } }"
        chain = (await gql.ok(query, {"u": FIRM}))["enterprise"]
        assert counting.asked == ["enterprise_profile"], (levels, counting.asked)
        alone = (
            await gql.ok(
                "query($u: String!) { search(text: $u, first: 1) { nodes { subject {"
                " ... on Enterprise { " + _chain(levels) + " } } } } }",
                {"u": FIRM},
            )
        )["search"]["nodes"][0]["subject"]
        assert chain == alone
    counting.asked.clear()
    five = "query($u: String!) { enterprise(uscc: $u) { " + _chain(5) + " } }"
    assert (await gql.ok(five, {"u": FIRM}))["enterprise"]["shareholders"]
    assert counting.asked == ["enterprise_profile"]
    # Four levels up from the firm: owner, grand, top, the firm again (the cycle), its owners.
    level = chain
    for expected in (OWNER, grand, top, FIRM):
        holders = sorted(
            (s["holder"] for s in level["shareholders"] if "uscc" in s["holder"]),
            key=lambda h: h["uscc"] != expected,
        )
        assert holders[0]["uscc"] == expected
        level = holders[0]
