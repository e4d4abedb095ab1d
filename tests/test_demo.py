"""The demo generator: deterministic, valid, realistic; seeding goes through the importer."""

from __future__ import annotations

import collections
import hashlib
from typing import Any

import orjson
import pytest

from hub.demo import credit_records, demo_uploads, generate, seed_demo
from hub.identifiers import SubjectKind, parse_id_number, parse_uscc
from hub.settings import Settings
from hub.store import Store


def digest(enterprises: int, seed: int) -> str:
    h = hashlib.sha256()
    for seg in generate(enterprises, seed):
        for kind in sorted(seg):
            for record in seg[kind]:
                h.update(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    return h.hexdigest()


def records(enterprises: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for seg in generate(enterprises, seed):
        for kind, items in seg.items():
            out[kind].extend(items)
    return out


def test_same_arguments_same_county() -> None:
    assert digest(300, 4) == digest(300, 4)
    assert digest(300, 4) != digest(300, 5)


# Digests of the demo county computed on 2578e01, before _enterprise and credit_records were
# split into steps: the random draws keep their order, so a seed keeps its county.
PINNED_UPLOADS = {
    (3000, 7): "9c615fd8901d23ad55f9148dc46e3e2279d67d331e972a0b3442f84ae98c3e38",
    (1200, 2): "4bec7a203be53d7f2909d1641a63e5204c655fe8e978d691481d29f93c03957d",
}
PINNED_SEGMENTS = "e817e4211bca5551122f0cf6b09184ef26234c8405b102300ba2f9a7d0e327e0"


def uploads_digest(enterprises: int, seed: int) -> str:
    h = hashlib.sha256()
    for department, lines in demo_uploads(enterprises, seed):
        h.update(department.encode())
        for line in lines:
            h.update(line)
            h.update(b"\n")
    return h.hexdigest()


def test_a_seed_keeps_its_county() -> None:
    found = {key: uploads_digest(*key) for key in PINNED_UPLOADS}
    assert found == PINNED_UPLOADS
    h = hashlib.sha256()  # three segments of 500: the state carried across segments
    for index, seg in enumerate(generate(1500, 3, segment=500)):
        for kind in sorted(seg):
            for record in seg[kind]:
                h.update(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
        for record in credit_records(seg, 3, index):
            h.update(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    assert h.hexdigest() == PINNED_SEGMENTS


def test_identifiers_are_valid_and_varied() -> None:
    data = records(2000, 1)
    kinds = collections.Counter(parse_uscc(e["uscc"]).kind for e in data["enterprise"])
    assert set(kinds) >= {
        SubjectKind.ENTERPRISE,
        SubjectKind.INDIVIDUAL_BUSINESS,
        SubjectKind.COOPERATIVE,
        SubjectKind.VILLAGE_COLLECTIVE,
        SubjectKind.INSTITUTION,
    }
    divisions = collections.Counter(parse_uscc(e["uscc"]).division for e in data["enterprise"])
    assert divisions["451031"] > len(data["enterprise"]) * 0.7
    assert {"451021", "451023", "451025"} & set(divisions)
    people = [parse_id_number(p["idNumber"]) for p in data["person"]]
    assert collections.Counter(p.division for p in people)["451031"] > len(people) / 2
    assert any(p.division == "451031" and p.birth_date.year < 2002 for p in people)
    assert any(p["publicServant"] for p in data["person"])


def test_all_roles_action_types_chains_and_cycles() -> None:
    data = records(3000, 2)
    assert {r["role"] for r in data["role"]} == {
        "LEGAL_REPRESENTATIVE",
        "PRINCIPAL",
        "DIRECTOR",
        "SUPERVISOR",
        "SENIOR_MANAGER",
        "PRACTITIONER",
        "ACTUAL_CONTROLLER",
    }
    assert len({a["type"] for a in data["action"]}) == 10
    owners: dict[str, set[str]] = collections.defaultdict(set)
    chains: dict[str, set[str]] = collections.defaultdict(set)  # without the cycle stakes
    for share in data["shareholding"]:
        if "uscc" in share["holder"]:
            owners[share["uscc"]].add(share["holder"]["uscc"])
            if share["from"] != "2025-06-30":  # cross-holding stakes start a year before ANCHOR
                chains[share["uscc"]].add(share["holder"]["uscc"])

    def depth(code: str, seen: frozenset[str]) -> int:
        parents = chains.get(code, set()) - seen
        return 1 + max((depth(p, seen | {p}) for p in parents), default=0)

    deepest = max(depth(code, frozenset({code})) for code in chains)
    assert 6 <= deepest <= 11

    def on_cycle(start: str) -> bool:
        stack, seen = list(owners.get(start, set())), set()
        while stack:
            code = stack.pop()
            if code == start:
                return True
            if code not in seen:
                seen.add(code)
                stack.extend(owners.get(code, set()))
        return False

    assert any(on_cycle(code) for code in owners), "expected cross-holding cycles"
    totals: dict[str, float] = collections.defaultdict(float)
    for share in data["shareholding"]:
        totals[share["uscc"]] += share["share"]
    assert max(totals.values()) <= 1.0 + 1e-9


@pytest.mark.neo4j
async def test_seed_goes_through_the_importer(graph: Store, settings: Settings) -> None:
    summary = await seed_demo(graph, settings, enterprises=400, seed=3)
    assert summary["rejected"] == 0
    assert summary["accepted"] == summary["lines"]
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (l:Listing) WITH l.list AS list, l.source AS source, l.derived AS derived, "
                "count(*) AS n RETURN collect([list, source, derived, n]) AS kinds"
            )
        ).single()
        evaluations = await (
            await session.run("MATCH (e:Evaluation) RETURN count(e) AS n")
        ).single()
    assert record is not None
    kinds = {(k[0], k[1], k[2]) for k in record["kinds"]}
    assert ("BLACK", "ADMINISTRATIVE", False) in kinds  # demo listings
    assert ("BLACK", "ADMINISTRATIVE", True) in kinds  # and the entries they propagated
    assert ("BLACK", "COURT", False) in kinds
    assert evaluations is not None
    assert evaluations["n"] > 40
    again = await seed_demo(graph, settings, enterprises=400, seed=3)
    assert again["created"] == 0
