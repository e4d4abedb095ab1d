"""findPaths, neighbourhood, relatedParties and the subgraph export, against real Neo4j."""

from __future__ import annotations

from typing import Any

import pytest

from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = pytest.mark.neo4j

PATHS = """
query Paths($a: SubjectRef!, $b: SubjectRef!, $hops: Int, $asOf: Date) {
  findPaths(from: $a, to: $b, maxHops: $hops, asOf: $asOf) {
    length
    steps {
      type role share from to direction active
      start { ...Key } end { ...Key }
    }
    subgraph { centre { id } nodes { id hop } edges { source target type } }
  }
}
fragment Key on Subject {
  ... on Enterprise { uscc }
  ... on Person { idNumber }
}
"""


def key(subject: dict[str, Any]) -> str:
    return str(subject.get("uscc") or subject.get("idNumber"))


async def a_chain_of_roles(graph: Store) -> dict[str, str]:
    """黄 is legal rep of A (until 2020) and holds 40 % of B; B holds 70 % of C."""
    a, b, c, huang = f.uscc(), f.uscc(), f.uscc(), f.id_number("1970-08-08")
    await load(
        graph,
        [
            f.enterprise(a, "隆林甲公司"),
            f.enterprise(b, "隆林乙公司"),
            f.enterprise(c, "隆林丙公司"),
            f.person(huang, "黄路径"),
            f.role(huang, a, "LEGAL_REPRESENTATIVE", "2012-01-01", "2020-06-30"),
            f.share({"idNumber": huang}, b, 0.4),
            f.share({"uscc": b}, c, 0.7),
        ],
    )
    return {"a": a, "b": b, "c": c, "huang": huang}


async def test_find_paths_in_both_directions(graph: Store, gql: GQL) -> None:
    s = await a_chain_of_roles(graph)
    forward = (await gql.ok(PATHS, {"a": {"uscc": s["a"]}, "b": {"uscc": s["c"]}}))["findPaths"]
    (path,) = forward
    assert path["length"] == 3
    walked = [(key(x["start"]), x["type"], x["direction"], key(x["end"])) for x in path["steps"]]
    assert walked == [
        (s["a"], "LEGAL_REPRESENTATIVE_OF", "AGAINST", s["huang"]),
        (s["huang"], "HOLDS_SHARES", "ALONG", s["b"]),
        (s["b"], "HOLDS_SHARES", "ALONG", s["c"]),
    ]
    first = path["steps"][0]
    assert first["role"] == "LEGAL_REPRESENTATIVE"
    assert (first["from"], first["to"], first["active"]) == ("2012-01-01", "2020-06-30", False)
    assert path["steps"][2]["share"] == pytest.approx(0.7)
    assert path["subgraph"]["centre"]["id"] == f"E:{s['a']}"
    assert sorted(n["hop"] for n in path["subgraph"]["nodes"]) == [0, 1, 2, 3]

    backward = (await gql.ok(PATHS, {"a": {"uscc": s["c"]}, "b": {"uscc": s["a"]}}))["findPaths"]
    back = [(x["type"], x["direction"]) for x in backward[0]["steps"]]
    assert back == [
        ("HOLDS_SHARES", "AGAINST"),
        ("HOLDS_SHARES", "AGAINST"),
        ("LEGAL_REPRESENTATIVE_OF", "ALONG"),
    ]
    person = {"idNumber": s["huang"]}
    to_person = (await gql.ok(PATHS, {"a": {"uscc": s["c"]}, "b": person}))["findPaths"]
    assert [p["length"] for p in to_person] == [2]


async def test_find_paths_is_bounded_and_dated(graph: Store, gql: GQL) -> None:
    s = await a_chain_of_roles(graph)
    ends = {"a": {"uscc": s["a"]}, "b": {"uscc": s["c"]}}
    assert (await gql.ok(PATHS, {**ends, "hops": 2}))["findPaths"] == []
    assert (await gql.ok(PATHS, {**ends, "asOf": "2019-01-01"}))["findPaths"] != []
    # the legal representative left in 2020: no connection on a later date
    assert (await gql.ok(PATHS, {**ends, "asOf": "2024-01-01"}))["findPaths"] == []
    unknown = {"a": {"uscc": s["a"]}, "b": {"uscc": f.uscc()}}
    assert (await gql.ok(PATHS, unknown))["findPaths"] == []


async def test_find_paths_rejects_bad_input(gql: GQL) -> None:
    code = f.uscc()
    same = await gql(PATHS, {"a": {"uscc": code}, "b": {"uscc": code}})
    assert same.errors and same.errors[0].extensions["code"] == "BAD_USER_INPUT"
    bad_id = await gql(PATHS, {"a": {"uscc": code}, "b": {"idNumber": "451031198002301234"}})
    assert bad_id.errors and bad_id.errors[0].extensions["code"] == "INVALID_ID_NUMBER"
    assert bad_id.errors[0].extensions["field"] == "to.idNumber"
    both = await gql(PATHS, {"a": {"uscc": code, "idNumber": f.id_number()}, "b": {"uscc": code}})
    assert both.errors and both.errors[0].extensions["field"] == "from"
    deep = await gql(PATHS, {"a": {"uscc": code}, "b": {"uscc": f.uscc()}, "hops": 7})
    assert deep.errors and deep.errors[0].extensions["field"] == "maxHops"


NEIGHBOURHOOD = """
query Around($s: SubjectRef!, $hops: Int, $limit: Int, $types: [EdgeType!], $after: String) {
  neighbourhood(subject: $s, hops: $hops, limit: $limit, types: $types, after: $after) {
    truncated endCursor
    centre { id kind degree }
    nodes { id kind label degree hop }
    edges { id source target type role }
    degrees { type total returned hasMore endCursor }
  }
}
"""


async def a_busy_person(graph: Store, firms: int = 30) -> tuple[str, list[str], list[str]]:
    """覃 sits on the board of 30 firms and is legal representative of 3 of them."""
    qin = f.id_number("1965-09-09")
    boards = [f.uscc() for _ in range(firms)]
    records: list[dict[str, Any]] = [f.person(qin, "覃忙", phone="13907760000")]
    records += [f.enterprise(c, f"隆林董事{i}公司") for i, c in enumerate(boards)]
    records += [f.role(qin, c, "DIRECTOR") for c in boards]
    records += [f.role(qin, c, "LEGAL_REPRESENTATIVE") for c in boards[:3]]
    await load(graph, records)
    return qin, boards, boards[:3]


async def test_super_node_neighbourhood_truncates_and_pages(graph: Store, gql: GQL) -> None:
    qin, boards, _led = await a_busy_person(graph)
    centre = {"idNumber": qin}
    first = (await gql.ok(NEIGHBOURHOOD, {"s": centre, "limit": 10}))["neighbourhood"]
    assert first["truncated"]
    assert first["centre"] == {"id": f"P:{qin}", "kind": "PERSON", "degree": 34}
    degrees = {d["type"]: d for d in first["degrees"] if d["total"]}
    assert degrees["LEGAL_REPRESENTATIVE_OF"] == {
        "type": "LEGAL_REPRESENTATIVE_OF", "total": 3, "returned": 3, "hasMore": False,
        "endCursor": None,
    }  # fmt: skip
    assert degrees["REACHABLE_AT"]["returned"] == 1
    assert degrees["OFFICER_OF"]["total"] == 30 and degrees["OFFICER_OF"]["returned"] == 6
    assert degrees["OFFICER_OF"]["hasMore"]
    assert len(first["edges"]) == 10
    # every neighbour shows its own degree; the phone node is there
    assert {n["kind"] for n in first["nodes"]} == {"PERSON", "ENTERPRISE", "PHONE"}
    assert all(n["degree"] is not None for n in first["nodes"])

    seen = {e["target"] for e in first["edges"] if e["type"] == "OFFICER_OF"}
    cursor = degrees["OFFICER_OF"]["endCursor"]
    while cursor:
        page = (
            await gql.ok(
                NEIGHBOURHOOD,
                {"s": centre, "limit": 10, "types": ["OFFICER_OF"], "after": cursor},
            )
        )["neighbourhood"]
        (officer,) = page["degrees"]
        targets = {e["target"] for e in page["edges"]}
        assert not targets & seen
        seen |= targets
        cursor = officer["endCursor"]
    assert seen == {f"E:{c}" for c in boards}

    everything = (await gql.ok(NEIGHBOURHOOD, {"s": centre, "limit": 200}))["neighbourhood"]
    assert not everything["truncated"] and len(everything["edges"]) == 34
    assert everything["endCursor"] is None


async def test_second_hop_and_unknown_subject(graph: Store, gql: GQL) -> None:
    s = await a_chain_of_roles(graph)
    two = (await gql.ok(NEIGHBOURHOOD, {"s": {"uscc": s["c"]}, "hops": 2}))["neighbourhood"]
    hops = {n["id"]: n["hop"] for n in two["nodes"]}
    assert hops == {f"E:{s['c']}": 0, f"E:{s['b']}": 1, f"P:{s['huang']}": 2}
    assert len(two["edges"]) == 2 and not two["truncated"]
    nobody = (await gql.ok(NEIGHBOURHOOD, {"s": {"uscc": f.uscc()}}))["neighbourhood"]
    assert nobody["centre"] is None and nobody["nodes"] == []
    huge = await gql(NEIGHBOURHOOD, {"s": {"uscc": s["c"]}, "limit": 1001})
    assert huge.errors and huge.errors[0].extensions["field"] == "limit"


RELATED = """
query Related($u: String!, $asOf: Date) {
  relatedParties(uscc: $u, asOf: $asOf) {
    found truncated
    parties {
      enterprise { uscc }
      kinds
      links { kind roleHere roleThere shareHere address phone via { ...on Person { idNumber } ...on Enterprise { uscc } } }
    }
    subgraph {
      nodes { id kind }
      edges { source target type }
      cytoscape: export
      g6: export(format: G6)
    }
  }
}
"""


async def test_related_parties_through_phone_rep_address_and_holding(
    graph: Store, gql: GQL
) -> None:
    me, same_rep, same_phone, same_address, parent, stranger = (f.uscc() for _ in range(6))
    wei, gone = f.id_number("1978-04-04"), f.id_number("1979-04-04")
    phone, address = "0776-8201234", "新州镇民族路8号"
    await load(
        graph,
        [
            f.enterprise(me, "隆林本公司", phone=phone, address=address),
            f.enterprise(same_rep, "隆林同法人公司"),
            f.enterprise(same_phone, "隆林同电话公司", phone=phone),
            f.enterprise(same_address, "隆林同地址公司", address="新州镇 民族路8号"),
            f.enterprise(parent, "隆林母公司"),
            f.enterprise(stranger, "隆林无关公司"),
            f.person(wei, "韦法人"),
            f.person(gone, "韦离任"),
            f.role(wei, me, "LEGAL_REPRESENTATIVE"),
            f.role(wei, same_rep, "LEGAL_REPRESENTATIVE"),
            f.role(gone, me, "DIRECTOR", "2010-01-01", "2015-01-01"),
            f.role(gone, stranger, "DIRECTOR"),
            f.share({"uscc": parent}, me, 0.8),
        ],
    )
    result = (await gql.ok(RELATED, {"u": me, "asOf": "2024-01-01"}))["relatedParties"]
    assert result["found"] and not result["truncated"]
    kinds = {p["enterprise"]["uscc"]: p["kinds"] for p in result["parties"]}
    assert kinds == {
        same_rep: ["LEGAL_REPRESENTATIVE"],
        same_phone: ["PHONE"],
        same_address: ["ADDRESS"],
        parent: ["HELD_BY"],
    }  # the director who left in 2015 links nothing on 2024-01-01
    rep_link = next(p for p in result["parties"] if p["enterprise"]["uscc"] == same_rep)
    (link,) = rep_link["links"]
    assert link["via"] == {"idNumber": wei}
    assert (link["roleHere"], link["roleThere"]) == ("LEGAL_REPRESENTATIVE", "LEGAL_REPRESENTATIVE")
    phone_link = next(p for p in result["parties"] if p["enterprise"]["uscc"] == same_phone)
    assert phone_link["links"][0]["phone"] == "07768201234"  # stored normalised
    held = next(p for p in result["parties"] if p["enterprise"]["uscc"] == parent)
    assert held["links"][0]["shareHere"] == pytest.approx(0.8)
    earlier = (await gql.ok(RELATED, {"u": me, "asOf": "2012-01-01"}))["relatedParties"]
    assert stranger in {p["enterprise"]["uscc"] for p in earlier["parties"]}

    # the export: every edge joins two exported nodes, in both formats
    graph_json = result["subgraph"]
    ids = {n["id"] for n in graph_json["nodes"]}
    assert f"P:{wei}" in ids and "T:07768201234" in ids
    cy = graph_json["cytoscape"]
    cy_nodes = {n["data"]["id"] for n in cy["elements"]["nodes"]}
    assert cy_nodes == ids
    for edge in cy["elements"]["edges"]:
        assert {edge["data"]["source"], edge["data"]["target"]} <= cy_nodes
    assert {e["data"]["type"] for e in cy["elements"]["edges"]} == {
        "LEGAL_REPRESENTATIVE_OF", "REACHABLE_AT", "LOCATED_AT", "HOLDS_SHARES",
    }  # fmt: skip
    g6 = graph_json["g6"]
    assert {n["id"] for n in g6["nodes"]} == ids
    assert all({"id", "source", "target", "label", "data"} <= e.keys() for e in g6["edges"])
    assert g6["truncated"] is False and cy["truncated"] is False
    person_node = next(n for n in g6["nodes"] if n["id"] == f"P:{wei}")
    assert person_node["label"] == "韦法人" and person_node["data"]["key"] == wei


async def test_related_parties_of_unknown_enterprise(gql: GQL) -> None:
    result = (await gql.ok(RELATED, {"u": f.uscc()}))["relatedParties"]
    assert result["found"] is False and result["parties"] == []
