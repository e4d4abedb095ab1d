"""Who may investigate: refusals, masked persons for approval clerks, the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth import PUBLIC, Actor, Role
from hub.identifiers import mask_id_number
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

APPROVAL = Actor(Role.APPROVAL, key_id="key-approval", department="PRC")
DEPARTMENT = Actor(Role.DEPARTMENT, key_id="key-dept", department="AMR")
INVESTIGATOR = Actor(Role.INVESTIGATOR, key_id="key-investigator", department="DISCIPLINE")

CALLS = {
    "beneficialOwners": "query($u: String!) { beneficialOwners(uscc: $u) { found } }",
    "relatedParties": "query($u: String!) { relatedParties(uscc: $u) { found } }",
    "ownershipTree": "query($u: String!) { ownershipTree(uscc: $u) { found } }",
    "findPaths": (
        "query($u: String!, $v: String!) { findPaths(from: {uscc: $u}, to: {uscc: $v}) { length } }"
    ),
    "neighbourhood": "query($u: String!) { neighbourhood(subject: {uscc: $u}) { truncated } }",
    "auditLog": "query { auditLog { nodes { id } } }",
}
ALLOWED = {
    Role.PUBLIC: set(),
    Role.DEPARTMENT: set(),
    Role.APPROVAL: {"beneficialOwners", "relatedParties"},
    Role.INVESTIGATOR: set(CALLS) - {"auditLog"},
    Role.ADMIN: set(CALLS),
}


@pytest.mark.neo4j
@pytest.mark.parametrize("role", list(Role))
async def test_role_matrix_of_investigation(gql: GQL, role: Role) -> None:
    actor = Actor(role, key_id=f"key-{role.value.lower()}")
    variables = {"u": f.uscc(), "v": f.uscc()}
    for field, query in CALLS.items():
        used = {k: v for k, v in variables.items() if f"${k}" in query}
        result = await gql(query, used, actor=actor)
        if field in ALLOWED[role]:
            assert result.errors is None, (field, result.errors)
        else:
            assert result.errors and result.errors[0].extensions["code"] == "FORBIDDEN", field


@pytest.mark.neo4j
async def test_root_fields_behind_fragments_are_checked(gql: GQL) -> None:
    hidden = """
    query Hidden($u: String!) { ...F }
    fragment F on Query { ... on Query { enterprise(uscc: $u) { name } neighbourhood(subject: {uscc: $u}) { truncated } } }
    """
    result = await gql(hidden, {"u": f.uscc()}, actor=DEPARTMENT)
    assert result.errors and result.errors[0].extensions["code"] == "FORBIDDEN"
    assert "neighbourhood" in result.errors[0].message


OWNERS = """
query Owners($u: String!) {
  beneficialOwners(uscc: $u) {
    beneficialOwners { person { idNumber idNumberMasked name birthDate } }
    subgraph { nodes { id } edges { id source target } export }
  }
}
"""


async def an_owned_company(graph: Store) -> tuple[str, str]:
    firm, owner = f.uscc(), f.id_number("1969-12-12")
    await load(
        graph,
        [
            f.enterprise(firm, "隆林审计测试公司"),
            f.person(owner, "卢大股东"),
            f.share({"idNumber": owner}, firm, 0.9),
        ],
    )
    return firm, owner


async def audit_entries(gql: GQL, **filters: Any) -> list[dict[str, Any]]:
    query = """
    query Log($first: Int!, $after: String, $keyId: String, $subject: String) {
      auditLog(first: $first, after: $after, keyId: $keyId, subject: $subject) {
        nodes { keyId role operation fields subjects count }
        pageInfo { hasNextPage endCursor }
      }
    }
    """
    data = await gql.ok(query, {"first": 50, **filters})
    entries: list[dict[str, Any]] = data["auditLog"]["nodes"]
    return entries


@pytest.mark.neo4j
async def test_approval_clerk_sees_masked_owners_and_leaves_no_audit(
    graph: Store, gql: GQL
) -> None:
    firm, owner = await an_owned_company(graph)
    data = await gql.ok(OWNERS, {"u": firm}, actor=APPROVAL)
    (person,) = [b["person"] for b in data["beneficialOwners"]["beneficialOwners"]]
    assert person["idNumber"] == owner[:4] + "*" * 10 + owner[-4:]
    assert person["idNumberMasked"] and person["birthDate"] is None
    assert person["name"] == "卢大股东"
    dump = str(data)
    assert owner not in dump  # not in node ids, edge ids or the export either
    assert "P#" in dump
    assert await audit_entries(gql, keyId=APPROVAL.key_id) == []


@pytest.mark.neo4j
async def test_investigator_reads_are_audited(graph: Store, gql: GQL) -> None:
    firm, owner = await an_owned_company(graph)
    data = await gql.ok(OWNERS, {"u": firm}, actor=INVESTIGATOR)
    assert data["beneficialOwners"]["beneficialOwners"][0]["person"]["idNumber"] == owner
    (entry,) = await audit_entries(gql, keyId=INVESTIGATOR.key_id)
    assert entry["role"] == "INVESTIGATOR" and entry["operation"] == "Owners"
    assert entry["fields"] == ["beneficialOwners"]
    assert entry["subjects"] == [owner] and entry["count"] == 1
    # even without selecting a personal field, an investigator's read of a person is audited
    neighbours = "query N($p: SubjectRef!) { neighbourhood(subject: $p) { nodes { label } } }"
    await gql.ok(neighbours, {"p": {"idNumber": owner}}, actor=INVESTIGATOR)
    entries = await audit_entries(gql, keyId=INVESTIGATOR.key_id, subject=owner)
    assert [e["fields"] for e in entries] == [["neighbourhood"], ["beneficialOwners"]]
    # root fields read through a fragment are named too
    spread = "query S($p: SubjectRef!) { ...R } fragment R on Query { neighbourhood(subject: $p) { truncated } }"
    await gql.ok(spread, {"p": {"idNumber": owner}}, actor=INVESTIGATOR)
    entries = await audit_entries(gql, keyId=INVESTIGATOR.key_id, subject=owner)
    assert entries[0]["operation"] == "S" and entries[0]["fields"] == ["neighbourhood"]


@pytest.mark.neo4j
async def test_audit_log_pages_and_validates(graph: Store, gql: GQL) -> None:
    firm, _owner = await an_owned_company(graph)
    for _ in range(3):
        await gql.ok(OWNERS, {"u": firm}, actor=INVESTIGATOR)
    query = """
    query($after: String) {
      auditLog(first: 2, after: $after, keyId: "key-investigator") {
        nodes { id } pageInfo { hasNextPage endCursor }
      }
    }
    """
    first = (await gql.ok(query))["auditLog"]
    assert len(first["nodes"]) == 2 and first["pageInfo"]["hasNextPage"]
    second = (await gql.ok(query, {"after": first["pageInfo"]["endCursor"]}))["auditLog"]
    assert len(second["nodes"]) == 1 and not second["pageInfo"]["hasNextPage"]
    assert not {n["id"] for n in first["nodes"]} & {n["id"] for n in second["nodes"]}
    bad = await gql('query { auditLog(subject: "451031198002301234") { nodes { id } } }')
    assert bad.errors and bad.errors[0].extensions["code"] == "INVALID_ID_NUMBER"
    public = await gql(OWNERS, {"u": firm}, actor=PUBLIC)
    assert public.errors and public.errors[0].extensions["code"] == "FORBIDDEN"


@pytest.mark.neo4j
async def test_depth_and_alias_limits_still_apply(gql: GQL) -> None:
    nested = "uscc"
    for _ in range(7):  # 1 + 2 × 7 levels: deeper than the limit of 12
        nested = f"uscc roles {{ enterprise {{ {nested} }} }}"
    deep = await gql(f'{{ enterprise(uscc: "{f.uscc()}") {{ {nested} }} }}')
    assert deep.errors and "exceeds maximum operation depth" in deep.errors[0].message
    aliases = " ".join(f'a{i}: enterprise(uscc: "{f.uscc()}") {{ uscc }}' for i in range(31))
    many = await gql(f"{{ {aliases} }}")
    assert many.errors and many.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.neo4j
async def test_approval_related_parties_mask_the_shared_person(graph: Store, gql: GQL) -> None:
    one, two, rep = f.uscc(), f.uscc(), f.id_number("1977-07-07")
    await load(
        graph,
        [
            f.enterprise(one, "隆林投标甲公司"),
            f.enterprise(two, "隆林投标乙公司"),
            f.person(rep, "黄同法人", phone="13800000009"),
            f.role(rep, one, "LEGAL_REPRESENTATIVE"),
            f.role(rep, two, "LEGAL_REPRESENTATIVE"),
        ],
    )
    query = """
    query($u: String!) {
      relatedParties(uscc: $u) {
        parties { enterprise { uscc } kinds links { via { ... on Person { idNumber phone } } } }
        subgraph { nodes { id } edges { id source target } export(format: G6) }
      }
    }
    """
    data = await gql.ok(query, {"u": one}, actor=APPROVAL)
    (party,) = data["relatedParties"]["parties"]
    assert party["enterprise"]["uscc"] == two and party["kinds"] == ["LEGAL_REPRESENTATIVE"]
    assert party["links"][0]["via"] == {"idNumber": mask_id_number(rep), "phone": None}
    dump = str(data)
    assert rep not in dump and "13800000009" not in dump
    assert await audit_entries(gql, keyId=APPROVAL.key_id) == []
