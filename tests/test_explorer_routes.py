"""The explorer's routes over HTTP (httpx against the real app and Neo4j): bad input refused by
name, an export audited only when it carries ID numbers, the API's timing beside the answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from hub.auth import Role
from hub.keys import create_key
from hub.store import Store
from tests import factories as f
from tests.conftest import load
from tests.workbench_support import page_csrf, sign_in

pytestmark = pytest.mark.neo4j

EXPORTS = "MATCH (a:AuditEntry {keyId: $key, operation: 'explorerExport'}) RETURN a {.*} AS a"


async def investigator(http: httpx.AsyncClient, store: Store) -> tuple[str, str]:
    """Signs ``http`` in with a new INVESTIGATOR key; the key id and the session's CSRF token."""
    key_id, token = await create_key(store, Role.INVESTIGATOR, None, "调查员")
    assert (await sign_in(http, token)).status_code == 303
    return key_id, await page_csrf(http, "/workbench/explorer")


async def exports_audited(store: Store, key_id: str) -> list[dict[str, Any]]:
    async with store.driver.session(database=store.database) as session:
        result = await session.run(EXPORTS, key=key_id)
        return [dict(r["a"]) async for r in result]


async def test_bad_input_is_refused_naming_the_field(
    client: httpx.AsyncClient, graph: Store
) -> None:
    uscc = f.uscc()
    await load(graph, [f.enterprise(uscc, "隆林金鑫建材有限公司")])
    key_id, csrf = await investigator(client, graph)
    cases = {
        "/workbench/explorer/neighbourhood?subject=X:1": "subject: a node id",
        "/workbench/explorer/neighbourhood?subject=E:" + uscc + "&limit=many": "limit and hops",
        f"/workbench/explorer/paths?from=E:{uscc}&to=E:{uscc}&asOf=2024-13-01": "asOf: not a date",
        f"/workbench/explorer/owners?subject=P:{f.id_number()}": "an enterprise node id",
    }
    for path, reason in cases.items():
        answer = await client.get(path)
        assert answer.status_code == 400, path
        assert reason in answer.json()["errors"][0]["message"], path
    limit = await client.get(f"/workbench/explorer/neighbourhood?subject=E:{uscc}&limit=5000")
    assert limit.status_code == 400 and limit.json()["errors"][0]["code"] == "BAD_USER_INPUT"
    bad = {
        "nodes": [],
        "edges": [{"id": "x", "source": "E:nowhere", "target": "E:b", "type": "HOLDS_SHARES"}],
    }
    refused = await client.post(
        "/workbench/explorer/export",
        data={"csrf": csrf, "format": "bods", "graph": json.dumps(bad)},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "edges[0]: source 'E:nowhere' is not a node"
    unknown = await client.post(
        "/workbench/explorer/export", data={"csrf": csrf, "format": "xml", "graph": "{}"}
    )
    assert unknown.status_code == 400
    assert await exports_audited(graph, key_id) == []


async def test_an_export_is_audited_only_when_it_carries_id_numbers(
    client: httpx.AsyncClient, graph: Store
) -> None:
    a, b, person = f.uscc(), f.uscc(), f.id_number("1970-05-01")
    key_id, csrf = await investigator(client, graph)
    firms = {
        "nodes": [
            {"id": f"E:{a}", "kind": "ENTERPRISE", "label": "甲", "key": a},
            {"id": f"E:{b}", "kind": "ENTERPRISE", "label": "乙", "key": b},
        ],
        "edges": [
            {
                "id": "HOLDS_SHARES:1",
                "source": f"E:{a}",
                "target": f"E:{b}",
                "type": "HOLDS_SHARES",
                "share": 0.5,
            }
        ],
    }
    csv = await client.post(
        "/workbench/explorer/export",
        data={"csrf": csrf, "format": "csv", "graph": json.dumps(firms)},
    )
    assert csv.status_code == 200 and csv.headers["cache-control"] == "private, no-store"
    assert "attachment" in csv.headers["content-disposition"]
    assert await exports_audited(graph, key_id) == []  # no person, nothing to audit
    people = json.loads(json.dumps(firms))
    people["nodes"].append({"id": f"P:{person}", "kind": "PERSON", "label": "黄", "key": person})
    people["edges"].append(
        {"id": "LEGAL_REPRESENTATIVE_OF:2", "source": f"P:{person}", "target": f"E:{a}",
         "type": "LEGAL_REPRESENTATIVE_OF", "role": "LEGAL_REPRESENTATIVE"}
    )  # fmt: skip
    ftm = await client.post(
        "/workbench/explorer/export",
        data={"csrf": csrf, "format": "ftm", "graph": json.dumps(people)},
    )
    assert ftm.status_code == 200 and person in ftm.text
    [entry] = await exports_audited(graph, key_id)
    assert (
        entry["subjects"] == [person] and entry["fields"] == ["ftm"] and entry["what"] == "Export"
    )


async def test_the_neighbourhood_answer_carries_the_api_time(
    client: httpx.AsyncClient, graph: Store
) -> None:
    a, person = f.uscc(), f.id_number("1970-05-01")
    await load(
        graph,
        [f.enterprise(a, "甲"), f.person(person, "黄"), f.role(person, a, "LEGAL_REPRESENTATIVE")],
    )
    await investigator(client, graph)
    answer = await client.get(f"/workbench/explorer/neighbourhood?subject=E:{a}")
    assert answer.status_code == 200 and answer.headers["server-timing"].startswith("api;dur=")
    body = answer.json()
    assert body["apiMs"] > 0 and body["data"]["neighbourhood"]["truncated"] is False
    edges = body["data"]["neighbourhood"]["export"]["elements"]["edges"]
    assert [e["data"]["source"] for e in edges] == [f"P:{person}"]
