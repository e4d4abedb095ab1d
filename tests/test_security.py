"""The role matrix and personal data, walked over the whole exported schema."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hub.auth import Actor, Role
from hub.identifiers import id_check_char, mask_id_number
from hub.policy import allowed
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load
from tests.security_support import EXAMPLES, operation, root_operations

pytestmark = pytest.mark.neo4j

ACTORS = {
    Role.PUBLIC: Actor(Role.PUBLIC),
    Role.APPROVAL: Actor(Role.APPROVAL, "key-approval", None),
    Role.DEPARTMENT: Actor(Role.DEPARTMENT, "key-amr", "AMR"),
    Role.INVESTIGATOR: Actor(Role.INVESTIGATOR, "key-investigator", None),
    Role.ADMIN: Actor(Role.ADMIN, "key-admin", None),
}
MASKED_ROLES = (Role.PUBLIC, Role.APPROVAL, Role.DEPARTMENT)


def test_every_operation_has_an_example_call() -> None:
    assert set(root_operations()) == set(EXAMPLES)


async def story(graph: Store) -> dict[str, str]:
    """A person with contact data behind two enterprises, listed and acted upon."""
    boss, other = f.id_number("1971-03-04"), f.id_number("1988-08-08")
    firm, holding = f.uscc(), f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林保密测试有限公司", phone="0776-8200000", address="新州镇3号"),
            f.enterprise(holding, "隆林保密控股有限公司"),
            f.person(boss, "覃秘密", phone="13800000001", address="德峨镇那么村5组"),
            f.person(other, "黄秘密", phone="13800000002", address="者浪乡1组"),
            f.role(boss, firm, "LEGAL_REPRESENTATIVE"),
            f.role(other, firm, "SENIOR_MANAGER"),
            f.role(boss, holding, "ACTUAL_CONTROLLER"),
            f.share({"idNumber": boss}, holding, 0.9),
            f.share({"uscc": holding}, firm, 0.8),
            f.action(
                "AMR-SEC-1", {"idNumber": boss}, "PENALTY", severity="SERIOUS", decided="2026-05-01"
            ),
        ],
    )
    return {"$PERSON": boss, "$OTHER": other, "$FIRM": firm, "$HOLDING": holding, "$NAME": "秘密"}


async def test_role_matrix_over_every_operation(gql: GQL, graph: Store) -> None:
    values = await story(graph)
    for name in sorted(root_operations()):
        kind = root_operations()[name]
        document = operation(name, values, depth=1)
        for role, actor in ACTORS.items():
            result = await gql(document, actor=actor)
            # Root-level answers only: nested fields may refuse on their own (creditRecord).
            codes = {
                (e.extensions or {}).get("code")
                for e in result.errors or []
                if len(e.path or []) <= 1
            }
            if allowed(kind, name, role):
                assert "FORBIDDEN" not in codes, (name, role, result.errors)
                assert "INTERNAL" not in codes, (name, role, result.errors)
            else:
                assert codes == {"FORBIDDEN"}, (name, role, result.errors)


def secrets_of(values: dict[str, str]) -> list[str]:
    return [
        values["$PERSON"],
        values["$OTHER"],
        "13800000001",
        "13800000002",
        "德峨镇那么村5组",
        "者浪乡1组",
        values["$PERSON"][6:14],
        "1971-03-04",
    ]


async def test_no_personal_data_reaches_masked_roles(graph: Store, settings: Settings) -> None:
    # The walk sends maximal documents: lift the size limits so every one of them runs.
    roomy = settings.model_copy(
        update={
            "max_tokens": 1_000_000,
            "max_public_tokens": 1_000_000,
            "max_query_cost": 10**15,
            "max_query_depth": 30,
        }
    )
    gql = GQL(graph, roomy)
    values = await story(graph)
    checked = 0
    for name in sorted(root_operations()):
        kind = root_operations()[name]
        if kind == "mutation":
            continue  # mutations answer with the same types; their calls are covered elsewhere
        document = operation(name, values, depth=4)
        for role in MASKED_ROLES:
            if not allowed(kind, name, role):
                continue
            result = await gql(document, actor=ACTORS[role])
            text = json.dumps(
                {"data": result.data, "errors": [e.formatted for e in result.errors or []]},
                ensure_ascii=False,
                default=str,
            )
            for secret in secrets_of(values):
                assert secret not in text, (name, role, secret)
            checked += 1
    assert checked >= 3


async def test_full_access_roles_see_personal_data_and_are_audited(gql: GQL, graph: Store) -> None:
    values = await story(graph)
    document = operation("person", values, depth=2)
    result = await gql.ok(document, actor=ACTORS[Role.INVESTIGATOR])
    assert result["person"]["idNumber"] == values["$PERSON"]
    assert result["person"]["phone"] == "13800000001"
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (a:AuditEntry {keyId: 'key-investigator'}) RETURN a.subjects AS s, a.role AS r"
            )
        ).single()
    assert record is not None
    assert values["$PERSON"] in record["s"]
    assert record["r"] == "INVESTIGATOR"


def test_mask_never_returns_the_whole_number() -> None:
    number = f.id_number()
    masked = mask_id_number(number)
    assert masked != number
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}


def _parts(number: str) -> list[str]:
    """The whole number and the parts a reason could quote: address code, birth date."""
    return [number, number[:6], number[6:14], number[6:10] + "-" + number[10:12]]


async def test_errors_do_not_echo_identifiers(gql: GQL, graph: Store) -> None:
    values = await story(graph)
    boss, other = values["$PERSON"], values["$OTHER"]
    wrong = boss[:17] + ("1" if boss[17] != "1" else "2")
    no_date = other[:10] + "0230" + other[14:17]
    no_date += id_check_char(no_date)
    public, approval = ACTORS[Role.PUBLIC], ACTORS[Role.APPROVAL]
    by_id = "query($i: String!) { person(idNumber: $i) { name } }"
    check = (
        "query($s: SubjectRef!) { checkBeforeApproval(subject: $s, scenario: HONORS) { found } }"
    )
    batch = "query($r: [CheckRequest!]!) { checkBatch(requests: $r) { found } }"
    calls: list[tuple[str, dict[str, Any] | None, Actor, list[str], str]] = [
        # (query, variables, caller, must not appear, must appear: the kind of problem)
        (by_id, {"i": wrong}, public, _parts(boss), "check character"),
        (by_id, {"i": no_date}, public, _parts(other), "not a real date"),
        (by_id, {"i": int(boss[:17])}, public, _parts(boss), "String cannot represent"),
        (by_id, {"i": [boss]}, public, _parts(boss), "String cannot represent"),
        (check, {"s": {"idNumber": boss, "extra": 1}}, approval, _parts(boss), "'extra'"),
        (check, {"s": {"idNumber": boss, boss: 1}}, approval, _parts(boss), "unknown field"),
        (check, {"s": {"idNumber": int(boss[:17])}}, approval, _parts(boss), ".idNumber"),
        (
            batch,
            {
                "r": [
                    {"subject": {"idNumber": boss}, "scenario": "HONORS"},
                    {"subject": {"idNumber": other}, "scenario": other},
                    {"subject": {"idNumber": boss, "x": 1}, "scenario": "HONORS"},
                    other,
                ]
            },
            approval,
            _parts(boss) + _parts(other),
            "[1].scenario",
        ),
        (
            'query { checkBeforeApproval(subject: {idNumber: "' + boss + '", extra: 1}, '
            "scenario: HONORS) { found } }",
            None,
            approval,
            _parts(boss),
            "'extra'",
        ),
        (
            "query { person(idNumber: " + boss[:17] + ") { name } }",
            None,
            public,
            _parts(boss),
            "String cannot represent",
        ),
        (
            'query($d: Date) { checkBeforeApproval(subject: {uscc: "x"}, scenario: HONORS,'
            " asOf: $d) { found } }",
            {"d": boss},
            approval,
            _parts(boss),
            "Date",
        ),
    ]
    for query, variables, actor, secrets, reason in calls:
        result: Any = await gql(query, variables, actor=actor)
        assert result.errors, query
        text = json.dumps([e.formatted for e in result.errors], ensure_ascii=False)
        for secret in secrets:
            assert secret not in text, (secret, text)
        assert reason in text, (reason, text)
