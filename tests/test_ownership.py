"""Ownership penetration against real Neo4j: hand-computed stories through the GraphQL schema."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth import Actor, Role
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = pytest.mark.neo4j
TEST_INVESTIGATOR = Actor(Role.INVESTIGATOR, key_id="test-investigator")

OWNERS = """
query Owners($u: String!, $t: Float, $d: Int, $asOf: Date) {
  beneficialOwners(uscc: $u, threshold: $t, maxDepth: $d, asOf: $asOf) {
    found truncated truncation warnings fallbackApplied pathCount
    owners {
      effectiveShare ultimate
      holder { ...Key }
      paths { share length steps { share from to holder { ...Key } company { uscc } } }
    }
    beneficialOwners { basis fallback role effectiveShare person { idNumber name } }
    actualControllers { basis inferred effectiveShare holder { ...Key } }
    subgraph { nodes { id kind } edges { id source target type share } }
  }
}
fragment Key on Subject {
  ... on Enterprise { uscc }
  ... on Person { idNumber }
}
"""


def key(subject: dict[str, Any]) -> str:
    return str(subject.get("uscc") or subject.get("idNumber"))


def shares(result: dict[str, Any]) -> dict[str, float]:
    return {key(o["holder"]): o["effectiveShare"] for o in result["owners"]}


async def owners(gql: GQL, uscc: str, **variables: Any) -> dict[str, Any]:
    data = await gql.ok(OWNERS, {"u": uscc, **variables})
    result: dict[str, Any] = data["beneficialOwners"]
    return result


def company(code: str, name: str = "隆林测试有限公司") -> dict[str, Any]:
    return f.enterprise(code, name)


async def test_two_path_owner(graph: Store, gql: GQL) -> None:
    # 韦 holds 60 % of the parent A, A holds 50 % of T, and 韦 holds 20 % of T directly.
    t, a, wei = f.uscc(), f.uscc(), f.id_number("1975-03-04")
    await load(
        graph,
        [
            company(t),
            company(a),
            f.person(wei, "韦一"),
            f.share({"idNumber": wei}, a, 0.6),
            f.share({"uscc": a}, t, 0.5),
            f.share({"idNumber": wei}, t, 0.2),
        ],
    )
    result = await owners(gql, t)
    assert result["found"] and not result["truncated"]
    assert shares(result)[wei] == pytest.approx(0.5)
    assert shares(result)[a] == pytest.approx(0.5)
    person = next(o for o in result["owners"] if key(o["holder"]) == wei)
    long_path = next(p for p in person["paths"] if p["length"] == 2)
    assert long_path["share"] == pytest.approx(0.3)
    # steps run from the subject outwards: A->T first, then 韦->A
    assert [(key(s["holder"]), s["company"]["uscc"]) for s in long_path["steps"]] == [
        (a, t),
        (wei, a),
    ]
    assert [b["person"]["idNumber"] for b in result["beneficialOwners"]] == [wei]
    assert result["beneficialOwners"][0]["basis"] == "OWNERSHIP"
    assert result["actualControllers"] == []  # 50 % is not more than half
    kinds = sorted(n["kind"] for n in result["subgraph"]["nodes"])
    assert kinds == ["ENTERPRISE", "ENTERPRISE", "PERSON"]
    assert len(result["subgraph"]["edges"]) == 3


async def test_paths_first_is_bounded_like_every_page_size(graph: Store, gql: GQL) -> None:
    t, wei = f.uscc(), f.id_number("1975-03-04")
    await load(graph, [company(t), f.person(wei, "韦一"), f.share({"idNumber": wei}, t, 0.6)])
    query = """
    query($u: String!, $n: Int!) {
      beneficialOwners(uscc: $u) {
        owners { paths(first: $n) { share } }
        beneficialOwners { paths(first: $n) { share } }
        actualControllers { paths(first: $n) { share } }
      }
    }"""
    fine = (await gql.ok(query, {"u": t, "n": 100}))["beneficialOwners"]
    assert [len(o["paths"]) for o in fine["owners"]] == [1]
    assert [len(c["paths"]) for c in fine["actualControllers"]] == [1]
    for bad in (-1, 0, 101, 5000):  # far bigger ones already fail the cost limit
        result = await gql(query, {"u": t, "n": bad})
        assert result.errors, bad
        codes = {(e.extensions or {}).get("code") for e in result.errors}
        assert codes == {"BAD_USER_INPUT"}, (bad, result.errors)
        assert {(e.extensions or {}).get("field") for e in result.errors} == {"first"}
        assert "first must be between 1 and 100" in result.errors[0].message


async def test_ten_level_chain(graph: Store, gql: GQL) -> None:
    chain = [f.uscc() for _ in range(10)]  # chain[0] is the subject
    top = f.id_number("1960-01-01")
    records: list[dict[str, Any]] = [company(c) for c in chain]
    records.append(f.person(top, "岑顶"))
    records += [f.share({"uscc": chain[i + 1]}, chain[i], 0.9) for i in range(9)]
    records.append(f.share({"idNumber": top}, chain[9], 0.9))
    await load(graph, records)
    deep = await owners(gql, chain[0], d=10)
    assert shares(deep)[top] == pytest.approx(0.9**10)
    assert not deep["truncated"]
    assert deep["beneficialOwners"][0]["person"]["idNumber"] == top
    (path,) = next(o for o in deep["owners"] if key(o["holder"]) == top)["paths"]
    assert path["length"] == 10
    shallow = await owners(gql, chain[0], d=9)
    assert top not in shares(shallow)
    assert shallow["truncated"] and shallow["truncation"] == ["MAX_DEPTH"]


async def test_cross_holding_cycle(graph: Store, gql: GQL) -> None:
    t, a, b = f.uscc(), f.uscc(), f.uscc()
    p, q = f.id_number("1970-01-01"), f.id_number("1971-01-01")
    await load(
        graph,
        [
            company(t),
            company(a),
            company(b),
            f.person(p, "潘甲"),
            f.person(q, "覃乙"),
            f.share({"uscc": a}, t, 0.6),
            f.share({"uscc": b}, t, 0.4),
            f.share({"uscc": b}, a, 0.2),
            f.share({"uscc": a}, b, 0.3),
            f.share({"idNumber": p}, a, 0.8),
            f.share({"idNumber": q}, b, 0.7),
        ],
    )
    result = await owners(gql, t)
    got = shares(result)
    assert got[p] == pytest.approx(0.6 * 0.8 + 0.4 * 0.3 * 0.8)  # 0.576
    assert got[q] == pytest.approx(0.4 * 0.7 + 0.6 * 0.2 * 0.7)  # 0.364
    assert not result["truncated"]
    (controller,) = result["actualControllers"]
    assert key(controller["holder"]) == p
    assert controller["basis"] == "INFERRED" and controller["inferred"]


async def test_threshold_exactly_25_percent_qualifies(graph: Store, gql: GQL) -> None:
    t, a = f.uscc(), f.uscc()
    exact, under = f.id_number("1980-01-01"), f.id_number("1981-01-01")
    await load(
        graph,
        [
            company(t),
            company(a),
            f.person(exact, "黄准"),
            f.person(under, "陆差"),
            f.share({"idNumber": exact}, a, 0.5),
            f.share({"uscc": a}, t, 0.5),
            f.share({"idNumber": under}, t, 0.2499),
        ],
    )
    result = await owners(gql, t, t=0.25)
    assert [b["person"]["idNumber"] for b in result["beneficialOwners"]] == [exact]
    assert shares(result)[exact] == pytest.approx(0.25)


async def test_share_ended_before_as_of(graph: Store, gql: GQL) -> None:
    t, old, new = f.uscc(), f.id_number("1960-05-05"), f.id_number("1990-05-05")
    await load(
        graph,
        [
            company(t),
            f.person(old, "罗旧"),
            f.person(new, "罗新"),
            f.share({"idNumber": old}, t, 0.6, "2010-01-01", "2020-12-31"),
            f.share({"idNumber": new}, t, 0.6, "2021-01-01"),
        ],
    )
    now = await owners(gql, t, asOf="2024-06-01")
    assert set(shares(now)) == {new}
    then = await owners(gql, t, asOf="2020-12-31")
    assert set(shares(then)) == {old}


async def test_no_natural_person_above_threshold_falls_back(graph: Store, gql: GQL) -> None:
    t, rep = f.uscc(), f.id_number("1972-02-02")
    small = [f.id_number(f"19{60 + i}-03-03") for i in range(5)]
    records: list[dict[str, Any]] = [company(t), f.person(rep, "班代表")]
    records += [f.person(p, f"股东{i}") for i, p in enumerate(small)]
    records += [f.share({"idNumber": p}, t, 0.2) for p in small]
    records.append(f.role(rep, t, "LEGAL_REPRESENTATIVE"))
    await load(graph, records)
    result = await owners(gql, t)
    assert result["fallbackApplied"]
    (owner,) = result["beneficialOwners"]
    assert owner["person"]["idNumber"] == rep
    assert owner["basis"] == "MANAGEMENT" and owner["fallback"]
    assert owner["role"] == "LEGAL_REPRESENTATIVE"
    assert owner["effectiveShare"] == 0
    types = sorted(e["type"] for e in result["subgraph"]["edges"])
    assert types == ["HOLDS_SHARES"] * 5 + ["LEGAL_REPRESENTATIVE_OF"]


async def test_declared_controller_beats_inferred(graph: Store, gql: GQL) -> None:
    declared, inferred = f.uscc(), f.uscc()
    major, ctl = f.id_number("1966-06-06"), f.id_number("1967-07-07")
    await load(
        graph,
        [
            company(declared),
            company(inferred),
            f.person(major, "莫大"),
            f.person(ctl, "蒙控"),
            f.share({"idNumber": major}, declared, 0.7),
            f.share({"idNumber": major}, inferred, 0.7),
            f.role(ctl, declared, "ACTUAL_CONTROLLER"),
        ],
    )
    one = await owners(gql, declared)
    (controller,) = one["actualControllers"]
    assert key(controller["holder"]) == ctl
    assert controller["basis"] == "DECLARED" and not controller["inferred"]
    bases = {b["person"]["idNumber"]: b["basis"] for b in one["beneficialOwners"]}
    assert bases == {major: "OWNERSHIP", ctl: "CONTROL"}
    two = await owners(gql, inferred)
    (controller,) = two["actualControllers"]
    assert key(controller["holder"]) == major
    assert controller["basis"] == "INFERRED" and controller["effectiveShare"] == pytest.approx(0.7)


async def test_unknown_and_invalid(gql: GQL) -> None:
    result = await owners(gql, f.uscc())
    assert result["found"] is False and result["owners"] == []
    bad = await gql(OWNERS, {"u": "91451031MA5XXXXXXX"})
    assert bad.errors and bad.errors[0].extensions["code"] == "INVALID_USCC"
    wide = await gql(OWNERS, {"u": f.uscc(), "d": 21})
    assert wide.errors and wide.errors[0].extensions["code"] == "BAD_USER_INPUT"
    zero = await gql(OWNERS, {"u": f.uscc(), "t": 0})
    assert zero.errors and zero.errors[0].extensions["field"] == "threshold"


TREE = """
query Tree($u: String!, $dir: OwnershipDirection!, $min: Float!) {
  ownershipTree(uscc: $u, direction: $dir, minShare: $min) {
    found truncated
    nodes { id parentId depth share cumulativeShare totalShare subject { ...on Enterprise { uscc } ...on Person { idNumber } } }
  }
}
"""


async def test_ownership_tree_both_directions(graph: Store, gql: GQL) -> None:
    # R holds 60 % of A and 40 % of B; A and B each hold 50 % of C; 农 holds 100 % of R.
    r, a, b, c = (f.uscc() for _ in range(4))
    nong = f.id_number("1955-05-05")
    await load(
        graph,
        [
            *(company(x) for x in (r, a, b, c)),
            f.person(nong, "农老板"),
            f.share({"idNumber": nong}, r, 1.0),
            f.share({"uscc": r}, a, 0.6),
            f.share({"uscc": r}, b, 0.4),
            f.share({"uscc": a}, c, 0.5),
            f.share({"uscc": b}, c, 0.5),
        ],
    )
    down = (await gql.ok(TREE, {"u": r, "dir": "DOWN", "min": 0}))["ownershipTree"]
    drawn = [(key(n["subject"]), n["parentId"], n["depth"]) for n in down["nodes"]]
    assert drawn == [(r, None, 0), (a, 0, 1), (c, 1, 2), (b, 0, 1), (c, 3, 2)]
    c_nodes = [n for n in down["nodes"] if key(n["subject"]) == c]
    assert [n["cumulativeShare"] for n in c_nodes] == [pytest.approx(0.3), pytest.approx(0.2)]
    assert c_nodes[0]["totalShare"] == pytest.approx(0.5)
    pruned = (await gql.ok(TREE, {"u": r, "dir": "DOWN", "min": 0.25}))["ownershipTree"]
    assert [key(n["subject"]) for n in pruned["nodes"]] == [r, a, c, b]
    up = (await gql.ok(TREE, {"u": c, "dir": "UP", "min": 0}))["ownershipTree"]
    by_id = {n["id"]: n for n in up["nodes"]}
    branches = sorted(
        (key(n["subject"]), key(by_id[n["parentId"]]["subject"]), round(n["cumulativeShare"], 6))
        for n in up["nodes"]
        if n["parentId"] is not None
    )
    assert branches == sorted(
        [(a, c, 0.5), (b, c, 0.5), (r, a, 0.3), (r, b, 0.2), (nong, r, 0.3), (nong, r, 0.2)]
    )
    totals = [n["totalShare"] for n in up["nodes"] if key(n["subject"]) == nong]
    assert totals == [pytest.approx(0.5)] * 2


ROUND_TRIPS = """
query Deep($u: String!) {
  beneficialOwners(uscc: $u, threshold: 0.1) {
    owners {
      holder { ... on Person { birthDate provenance { batch } } ... on Enterprise { registeredOn } }
      paths { steps { company { registeredOn status } holder { ... on Enterprise { industry } } } }
    }
    subgraph { nodes { subject { ... on Enterprise { registeredOn } ... on Person { phone } } } }
  }
}
"""


async def test_nested_fields_load_once_per_access_path(
    graph: Store, gql: GQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = [f.uscc() for _ in range(6)]
    people = [f.id_number(f"19{50 + i}-01-01") for i in range(3)]
    records: list[dict[str, Any]] = [company(c) for c in chain]
    records += [f.person(p, f"链{i}", phone="13800000000") for i, p in enumerate(people)]
    records += [f.share({"uscc": chain[i + 1]}, chain[i], 0.9) for i in range(5)]
    records += [f.share({"idNumber": p}, chain[5], 0.3) for p in people]
    await load(graph, records)
    reads: list[str] = []

    def counting(original: Any) -> Any:
        async def counted(self: Store, work: Any, *args: Any, **kwargs: Any) -> Any:
            reads.append(work.__name__)
            return await original(self, work, *args, **kwargs)

        return counted

    # Transactions and auto-commit reads (the DataLoaders' statements) alike.
    monkeypatch.setattr(Store, "read", counting(Store.read))
    monkeypatch.setattr(Store, "read_statements", counting(Store.read_statements))
    data = await gql.ok(ROUND_TRIPS, {"u": chain[0]}, actor=TEST_INVESTIGATOR)
    assert len(data["beneficialOwners"]["owners"]) == 8  # 5 enterprises + 3 persons
    # one walk, one batch of enterprises, one batch of persons: no N+1
    assert sorted(reads) == ["enterprises", "persons", "shareholding_subgraph"]
