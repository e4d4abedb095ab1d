"""Store results reach the GraphQL types as typed rows, mapped next to their Cypher
(docs/architecture.md, Layers): enterprises, listings, objections, listing events and
commitments, as persons already did (tests/test_layers.py).

Two guards. On the source: each of these types holds one ``row`` of its store type and reads
no key of a dict; no type is built from a raw dict. Against real Neo4j: every store read that
feeds them returns the typed row, nested rows included, so a read that handed over the store's
map would fail here (mypy strict checks the same on the annotations: ``make typecheck``)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hub.auth import Actor, Role
from hub.store import (
    commitments,
    desk_reads,
    listing_reads,
    objection_changes,
    public_reads,
    subjects,
)
from hub.store.commitments import CommitmentRow, FulfilmentRow
from hub.store.listing_reads import (
    DerivedEntryRow,
    ListingEventRow,
    ListingRow,
    ObjectionRow,
)
from hub.store.subjects import EnterpriseRow, PersonRow, ProfileParts
from tests import factories as f
from tests.conftest import GQL, load

ROOT = Path(__file__).resolve().parent.parent

# (module, GraphQL type, its row's store type)
TYPED = [
    ("schema/subjects.py", "Enterprise", "EnterpriseRow"),
    ("schema/subjects.py", "Person", "PersonRow"),
    ("schema/listings.py", "Listing", "ListingRow"),
    ("schema/listings.py", "Objection", "ObjectionRow"),
    ("schema/listings.py", "ListingEvent", "ListingEventRow"),
    ("schema/commitments.py", "Commitment", "CommitmentRow"),
]


def _class(path: Path, name: str) -> ast.ClassDef:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)


def _reads_a_dict_of_self(node: ast.AST) -> bool:
    """``self.<…>.get(…)``, ``self.<…>["key"]`` or anything named ``raw``."""
    if isinstance(node, ast.Attribute) and node.attr == "raw":
        return True
    if isinstance(node, ast.Attribute) and node.attr == "get":
        return ast.unparse(node.value).startswith("self.")
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return ast.unparse(node.value).startswith("self.")
    return False


@pytest.mark.parametrize(("module", "name", "row"), TYPED)
def test_a_graphql_type_holds_its_typed_row_and_reads_no_dict(
    module: str, name: str, row: str
) -> None:
    cls = _class(ROOT / module, name)
    fields = {
        node.target.id: ast.unparse(node.annotation)
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert fields.pop("row") == f"strawberry.Private[{row}]"
    assert set(fields) <= {"as_of"}, f"{name} holds more than its row: {fields}"
    reads = [ast.unparse(n) for n in ast.walk(cls) if _reads_a_dict_of_self(n)]
    assert reads == [], f"the {name} type reading a store dict: {reads}"


def test_no_type_is_built_from_a_raw_dict() -> None:
    names = {name for _, name, _ in TYPED}
    built = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in sorted((ROOT / "schema").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(f"{name}(raw=" in line for name in names)
    ]
    assert built == [], f"a typed GraphQL type built from a raw dict: {built}"


# --- the store's reads, against real Neo4j ----------------------------------------------------

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")

LIST = """
mutation ($input: ListingInput!) { listSubject(input: $input) { id } }
"""
OBJECT = """
mutation { fileObjection(listingId: "ECO-2024-1", reason: "监测数据有误", on: "2024-05-01") { id } }
"""
COMMIT = """
mutation ($input: CommitmentInput!) { recordCommitment(input: $input) { code } }
"""
FULFIL = """
mutation ($code: String!) {
  recordFulfilment(code: $code, input: {status: BROKEN, confirmedOn: "2025-03-10",
                                        confirmedBy: "黄核查", undone: "未补交"}) { code }
}
"""


async def _a_listed_firm(gql: GQL) -> tuple[str, str, str]:
    """A firm listed by ECOENV with its legal representative named liable, an objection to the
    listing, and a broken commitment of the firm: (USCC, ID number, commitment code)."""
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
        ],
    )
    listing = {
        "id": "ECO-2024-1",
        "subject": {"uscc": firm},
        "list": "BLACK",
        "domain": "ENVIRONMENT",
        "basis": "《环境保护法》第六十三条",
        "effectiveFrom": "2024-03-01",
        "liablePersons": [rep],
    }
    await gql.ok(LIST, {"input": listing}, actor=ECO)
    await gql.ok(OBJECT, actor=ECO)
    commitment = {
        "subject": {"uscc": firm},
        "type": "DEFICIENCY_TOLERANT",
        "content": "三个月内补交建设项目环境影响评价批复文件",
        "liability": "逾期未补交的，自愿接受撤销许可，并记入信用记录",
        "madeOn": "2025-01-10",
        "scenario": "ADMINISTRATIVE_LICENSE",
    }
    code = (await gql.ok(COMMIT, {"input": commitment}, actor=ECO))["recordCommitment"]["code"]
    await gql.ok(FULFIL, {"code": code}, actor=ECO)
    return firm, rep, code


def _is_listing(row: Any, firm: str) -> None:
    """What a listing's state needs: its facts, the objection's period in them."""
    assert isinstance(row, ListingRow)
    assert row.id == "ECO-2024-1" and row.effective_from == dt.date(2024, 3, 1)
    assert [o.filed_on for o in row.facts.objections] == [dt.date(2024, 5, 1)]


def _is_full_listing(row: Any, firm: str, rep: str) -> None:
    _is_listing(row, firm)
    assert all(isinstance(o, ObjectionRow) for o in row.objections) and row.objections
    assert row.objections[0].listing_id == "ECO-2024-1"
    assert isinstance(row.subject, EnterpriseRow) and row.subject.uscc == firm
    assert [type(p) for p in row.liable] == [PersonRow] and row.liable[0].id_number == rep
    assert row.events and all(isinstance(e, ListingEventRow) for e in row.events)


@pytest.mark.neo4j
async def test_the_store_hands_the_types_typed_rows(gql: GQL) -> None:
    firm, rep, code = await _a_listed_firm(gql)
    store = gql.store
    today = dt.date.today()

    [(key, own)] = await store.read_statements(listing_reads.own_listings, "Enterprise", [firm])
    assert key == firm
    _is_full_listing(own, firm, rep)
    [(_, states)] = await store.read_statements(
        listing_reads.own_listing_states, "Enterprise", [firm]
    )
    _is_listing(states, firm)
    [(_, by_id)] = await store.read_statements(listing_reads.listings_by_id, ["ECO-2024-1"])
    _is_full_listing(by_id, firm, rep)
    [(_, (entry, source))] = await store.read_statements(listing_reads.derived_of_persons, [rep])
    assert isinstance(entry, DerivedEntryRow) and entry.via == firm
    _is_full_listing(source, firm, rep)
    [(_, (entry, person))] = await store.read_statements(
        listing_reads.derived_of_sources, ["ECO-2024-1"]
    )
    assert isinstance(entry, DerivedEntryRow) and isinstance(person, PersonRow)
    objection_id = own.objections[0].id
    [(_, objection)] = await store.read_statements(listing_reads.objections_by_id, [objection_id])
    assert isinstance(objection, ObjectionRow) and objection.listing_id == "ECO-2024-1"
    [desk] = await store.read(desk_reads.department_listings, "ECOENV", 10)
    _is_full_listing(desk, firm, rep)
    [open_one] = await store.read(desk_reads.open_objections, "ECOENV", 10)
    assert isinstance(open_one, ObjectionRow)
    [open_too] = await store.read(objection_changes.open_objections, "ECOENV")
    assert isinstance(open_too, ObjectionRow)
    # under objection since 2024-05-01: SUSPENDED, still published
    published = await store.read(public_reads.published_listings, "BLACK", today, 10)
    assert [r.id for r in published if isinstance(r, ListingRow)] == ["ECO-2024-1"]

    [enterprise] = await store.read_statements(subjects.enterprises, [firm])
    assert isinstance(enterprise, EnterpriseRow) and enterprise.complete
    profile = await store.read_statements(subjects.enterprise_profile, firm, ProfileParts())
    assert profile is not None and isinstance(profile.enterprise, EnterpriseRow)
    hits = await store.read_statements(subjects.search_names, "绿源", 0, 10, 100, None, True)
    assert [type(h["node"]) for h in hits] == [EnterpriseRow]
    assert not hits[0]["node"].complete and hits[0]["node"].status_read

    [(_, made)] = await store.read_statements(commitments.commitments_of, "Enterprise", [firm])
    by_code = await store.read(commitments.commitment_by_code, code)
    for row in (made, by_code):
        assert isinstance(row, CommitmentRow) and row.code == code
        assert isinstance(row.subject, EnterpriseRow) and row.subject.uscc == firm
        assert isinstance(row.fulfilment, FulfilmentRow)
        assert row.broken_on == dt.date(2025, 3, 10)
