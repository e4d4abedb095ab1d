"""Administration: API keys in the API and on the workbench (list, create with the token shown
once, revoke), the audit trail with filters, and `credit-hub keys` answering one clear line for
an unknown department or a Neo4j that is not running."""

from __future__ import annotations

import asyncio
import os
import re
import sys

import httpx
import pytest

from hub.auth import Actor, Role
from hub.keys import create_key
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load
from tests.workbench_support import page_csrf, sign_in

pytestmark = pytest.mark.neo4j

ADMIN = Actor(Role.ADMIN, "key-admin")


async def test_keys_through_the_api_token_once_and_never_the_hash(
    gql: GQL, client: httpx.AsyncClient
) -> None:
    created = await gql.ok(
        'mutation { createApiKey(role: DEPARTMENT, department: "TAX", name: "税务局") '
        "{ token key { id role department name revokedAt } } }",
        actor=ADMIN,
    )
    new = created["createApiKey"]
    assert new["token"].startswith("chk_") and new["key"]["role"] == "DEPARTMENT"
    answer = await client.post(
        "/graphql",
        json={"query": "{ departments { code } }"},
        headers={"Authorization": f"Bearer {new['token']}"},
    )
    assert answer.status_code == 200
    listed = (await gql.ok("{ apiKeys { id name role department } }", actor=ADMIN))["apiKeys"]
    assert {
        "id": new["key"]["id"],
        "name": "税务局",
        "role": "DEPARTMENT",
        "department": "TAX",
    } in (listed)
    assert new["token"] not in str(listed)
    unknown = await gql(
        'mutation { createApiKey(role: ADMIN, department: "NOPE") { token } }', actor=ADMIN
    )
    assert unknown.errors is not None
    assert unknown.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "known departments: ABC, AGRI, AMR" in unknown.errors[0].message
    revoked = await gql.ok(
        "mutation($id: String!) { revokeApiKey(id: $id) { id revokedAt } }",
        {"id": new["key"]["id"]},
        actor=ADMIN,
    )
    assert revoked["revokeApiKey"]["revokedAt"] is not None
    active = await gql.ok("{ apiKeys(includeRevoked: false) { id } }", actor=ADMIN)
    assert new["key"]["id"] not in str(active)


async def signed_in_admin(client: httpx.AsyncClient, graph: Store) -> str:
    _, token = await create_key(graph, Role.ADMIN, None, "管理员")
    assert (await sign_in(client, token)).status_code == 303
    return await page_csrf(client, "/workbench/keys")


async def test_an_admin_creates_a_key_sees_its_token_once_and_revokes_it(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await signed_in_admin(client, graph)
    made = await client.post(
        "/workbench/keys",
        data={"csrf": csrf, "role": "APPROVAL", "department": "", "name": "行政审批系统"},
    )
    assert made.status_code == 200
    assert made.headers["cache-control"] == "private, no-store"
    token = re.search(r'<p class="token-once" id="new-token">(chk_[^<]+)</p>', made.text)
    assert token is not None and "只显示这一次" in made.text
    key_id = re.search(r"<h2>已创建密钥 (key_\w+)</h2>", made.text)
    assert key_id is not None
    again = await client.get("/workbench/keys")
    assert token.group(1) not in again.text and key_id.group(1) in again.text
    # The new key signs in elsewhere; revoking it ends that session at its next request.
    async with httpx.AsyncClient(transport=client._transport, base_url="http://hub") as other:
        assert (await sign_in(other, token.group(1))).status_code == 303
        assert (await other.get("/workbench/check")).status_code == 200
        out = await client.post(f"/workbench/keys/{key_id.group(1)}/revoke", data={"csrf": csrf})
        assert out.status_code == 303
        assert out.headers["location"] == f"/workbench/keys?revoked={key_id.group(1)}"
        assert (await other.get("/workbench/check")).status_code == 303
    listed = await client.get(out.headers["location"])
    assert "已停用" in listed.text and "30 秒内拒绝" in listed.text
    no_csrf = await client.post(f"/workbench/keys/{key_id.group(1)}/revoke", data={})
    assert no_csrf.status_code == 403


async def test_an_unknown_department_is_one_line_naming_the_known_ones(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await signed_in_admin(client, graph)
    answer = await client.post(
        "/workbench/keys", data={"csrf": csrf, "role": "ADMIN", "department": "NOPE"}
    )
    assert answer.status_code == 400
    line = re.search(r'<p class="error" role="alert" id="key-error">\s*(.*?)\s*</p>', answer.text)
    assert line is not None and "\n" not in line.group(1)
    assert "部门代码“NOPE”不存在。已知部门：" in line.group(1) and "AMR" in line.group(1)
    missing = await client.post(
        "/workbench/keys", data={"csrf": csrf, "role": "DEPARTMENT", "department": ""}
    )
    assert missing.status_code == 400 and "必须选择所属部门" in missing.text


async def test_admin_pages_are_refused_to_other_roles(
    client: httpx.AsyncClient, graph: Store
) -> None:
    for role in (Role.APPROVAL, Role.DEPARTMENT, Role.INVESTIGATOR):
        client.cookies.clear()
        _, token = await create_key(graph, role, "AMR" if role == Role.DEPARTMENT else None)
        await sign_in(client, token)
        assert 'data-menu="keys"' not in (await client.get("/workbench/")).text
        for path in ("/workbench/keys", "/workbench/audit"):
            assert (await client.get(path)).status_code == 403, (role, path)
        csrf = await page_csrf(client)
        posted = await client.post("/workbench/keys", data={"csrf": csrf, "role": "ADMIN"})
        assert posted.status_code == 403


async def test_the_audit_trail_with_filters(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    person, other = f.id_number("1969-02-02"), f.id_number("1970-07-07")
    await load(graph, [f.person(person, "黄被查"), f.person(other, "陆另查")])
    investigator = Actor(Role.INVESTIGATOR, "key-inv-audit")
    query = "query Look($id: String!) { person(idNumber: $id) { name } }"
    await gql.ok(query, {"id": person}, actor=investigator)
    await gql.ok(query, {"id": other}, actor=Actor(Role.INVESTIGATOR, "key-inv-other"))
    await signed_in_admin(client, graph)
    page = await client.get("/workbench/audit")
    assert page.status_code == 200
    assert "key-inv-audit" in page.text and "key-inv-other" in page.text and "Look" in page.text
    by_key = await client.get("/workbench/audit", params={"keyId": "key-inv-audit"})
    assert person in by_key.text and other not in by_key.text
    by_person = await client.get("/workbench/audit", params={"subject": other})
    assert "key-inv-other" in by_person.text and "key-inv-audit" not in by_person.text
    bad = await client.get("/workbench/audit", params={"subject": "12345"})
    assert bad.status_code == 400


async def run_cli(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        *argv,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_keys_create_with_an_unknown_department_is_one_clear_line(graph: Store) -> None:
    code, out, err = await run_cli(
        "--instance",
        "test",
        "keys",
        "create",
        "--role",
        "ADMIN",
        "--department",
        "NOPE",
        env=dict(os.environ),
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: unknown department 'NOPE'; known departments: ABC, AGRI, AMR")


async def test_keys_without_a_running_neo4j_is_one_clear_line() -> None:
    env = {**os.environ, "CREDITHUB_NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}
    commands = (
        ("keys", "create", "--role", "APPROVAL"),
        ("keys", "revoke", "key_x"),
        ("migrate",),  # every command that needs the database, not only keys
        ("import", "--department", "AMR", "/dev/null"),
    )
    for argv in commands:
        code, out, err = await run_cli(*argv, env=env)
        assert code == 2 and out == "", argv
        assert err == "error: Neo4j is not reachable at bolt://127.0.0.1:9\n", argv


KEY_AUDIT = """
query($keyId: String) {
  auditLog(keyId: $keyId) {
    nodes { keyId role department requestId operation fields what count
            changedKey { id role department } }
  }
}
"""


async def stored_audit(graph: Store) -> str:
    """Every property of every stored audit entry, as text (to look for a token in it)."""
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("MATCH (a:AuditEntry) RETURN a {.*} AS a")
        return str([record["a"] async for record in result])


async def test_creating_and_revoking_a_key_through_the_api_is_audited(
    gql: GQL, graph: Store
) -> None:
    admin = Actor(Role.ADMIN, "key-admin-audit", None, "管理员")
    made = await gql.ok(
        'mutation Issue { createApiKey(role: DEPARTMENT, department: "TAX", name: "税务局") '
        "{ token key { id } } }",
        actor=admin,
    )
    key_id, token = made["createApiKey"]["key"]["id"], made["createApiKey"]["token"]
    await gql.ok(
        "mutation Stop($id: String!) { revokeApiKey(id: $id) { id } }", {"id": key_id}, actor=admin
    )
    # Filtered by the changed key: its creation and its revocation, newest first.
    entries = (await gql.ok(KEY_AUDIT, {"keyId": key_id}, actor=ADMIN))["auditLog"]["nodes"]
    changed = {"id": key_id, "role": "DEPARTMENT", "department": "TAX"}
    assert [(e["operation"], e["fields"], e["changedKey"]) for e in entries] == [
        ("Stop", ["revokeApiKey"], changed),
        ("Issue", ["createApiKey"], changed),
    ]
    assert {(e["keyId"], e["role"], e["what"], e["count"]) for e in entries} == {
        ("key-admin-audit", "ADMIN", "ApiKey", 0)
    }
    # Filtered by the acting key: the same two entries.
    by_admin = await gql.ok(KEY_AUDIT, {"keyId": "key-admin-audit"}, actor=ADMIN)
    assert by_admin["auditLog"]["nodes"] == entries
    stored = await stored_audit(graph)
    assert token not in stored and token[4:] not in stored  # never the token
    # A refused creation (an unknown department) writes nothing.
    refused = await gql('mutation { createApiKey(role: ADMIN, department: "NOPE") { token } }')
    assert refused.errors is not None
    assert len((await gql.ok(KEY_AUDIT, {"keyId": None}, actor=ADMIN))["auditLog"]["nodes"]) == 2


async def test_key_changes_on_the_admin_page_are_in_the_audit_trail(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await signed_in_admin(client, graph)
    made = await client.post(
        "/workbench/keys",
        data={"csrf": csrf, "role": "DEPARTMENT", "department": "AMR", "name": "市监局报送"},
    )
    found = re.search(r"<h2>已创建密钥 (key_\w+)</h2>", made.text)
    token = re.search(r'id="new-token">(chk_[^<]+)</p>', made.text)
    assert found is not None and token is not None
    key_id = found.group(1)
    await client.post(f"/workbench/keys/{key_id}/revoke", data={"csrf": csrf})
    trail = await client.get("/workbench/audit", params={"keyId": key_id})
    assert trail.status_code == 200
    assert trail.text.count('class="key-change"') == 2
    assert f'新建密钥：<a href="/workbench/audit?keyId={key_id}">{key_id}</a>（部门，AMR）' in (
        trail.text
    )
    assert f'停用密钥：<a href="/workbench/audit?keyId={key_id}">{key_id}</a>' in trail.text
    assert token.group(1) not in trail.text and token.group(1) not in await stored_audit(graph)
    # The person filter finds no key change (nobody's personal data was read).
    other = f.id_number("1970-07-07")
    assert (
        'class="key-change"'
        not in (await client.get("/workbench/audit", params={"subject": other})).text
    )


async def test_credit_hub_keys_create_and_revoke_are_audited(graph: Store, gql: GQL) -> None:
    env = dict(os.environ)
    code, out, _ = await run_cli(
        "--instance",
        "test",
        "keys",
        "create",
        "--role",
        "INVESTIGATOR",
        "--name",
        "调查组",
        env=env,
    )
    assert code == 0
    key_id = re.search(r"key id: (key_\w+)", out)
    token = re.search(r"token \(shown once, store it now\): (chk_\S+)", out)
    assert key_id is not None and token is not None
    code, _, _ = await run_cli("--instance", "test", "keys", "revoke", key_id.group(1), env=env)
    assert code == 0
    entries = (await gql.ok(KEY_AUDIT, {"keyId": key_id.group(1)}, actor=ADMIN))["auditLog"]
    changed = {"id": key_id.group(1), "role": "INVESTIGATOR", "department": None}
    assert [(e["operation"], e["fields"], e["changedKey"]) for e in entries["nodes"]] == [
        ("credit-hub keys revoke", ["revokeApiKey"], changed),
        ("credit-hub keys create", ["createApiKey"], changed),
    ]
    assert {e["keyId"] for e in entries["nodes"]} == {"system"}  # the command line
    assert token.group(1) not in await stored_audit(graph)
