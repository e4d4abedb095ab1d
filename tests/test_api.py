"""The HTTP layer through the real app and its lifespan: health, readiness, auth, import, GraphQL."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx
import orjson
import pytest

from hub.app import create_app
from hub.auth import Role, hash_token
from hub.keys import create_key
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import load

pytestmark = [pytest.mark.neo4j, pytest.mark.routed]  # also via neo4j:// (conftest.py)


async def token(store: Store, role: Role, department: str | None = None) -> str:
    _, value = await create_key(store, role, department, "test")
    return value


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "neo4j": True, "migrated": True}


async def test_readiness_false_when_model_not_applied(
    client: httpx.AsyncClient, graph: Store
) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (v:SchemaVersion) SET v.fingerprint = 'old'")).consume()
    try:
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["migrated"] is False
    finally:
        from hub.migrate import model_fingerprint
        from hub.store.schema_ops import set_version

        await graph.write(set_version, model_fingerprint())


async def test_keys_are_stored_hashed(graph: Store) -> None:
    key_id, value = await create_key(graph, Role.APPROVAL, None, "审批系统")
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p", {"id": key_id}
            )
        ).single()
    assert record is not None
    stored = record["p"]
    assert value not in orjson.dumps(stored, default=str).decode()
    assert stored["hash"] == hash_token(value)


async def test_a_revoked_key_is_refused_and_kept(graph: Store) -> None:
    from hub.errors import InvalidInput
    from hub.keys import KeyCache, revoke_key

    key_id, value = await create_key(graph, Role.APPROVAL, None, "旧审批系统")
    cache = KeyCache(ttl=0.0)
    actor = await cache.actor(graph, value)
    assert actor is not None
    assert actor.key_id == key_id
    first = await revoke_key(graph, key_id)
    assert await cache.actor(graph, value) is None
    assert await revoke_key(graph, key_id) == first  # revoking again keeps the first time
    with pytest.raises(InvalidInput, match="does not exist"):
        await revoke_key(graph, "no-such-key")


async def test_import_endpoint_needs_a_department_key(
    client: httpx.AsyncClient, graph: Store
) -> None:
    line = orjson.dumps(f.enterprise(f.uscc()))
    assert (await client.post("/api/import", content=line)).status_code == 401
    approval = await token(graph, Role.APPROVAL)
    refused = await client.post("/api/import", content=line, headers=bearer(approval))
    assert refused.status_code == 403
    bad = await client.post("/api/import", content=line, headers=bearer("chk_nonsense"))
    assert bad.status_code == 401
    assert bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_import_endpoint_reports_lines(client: httpx.AsyncClient, graph: Store) -> None:
    officer = await token(graph, Role.DEPARTMENT, "AMR")
    firm = f.uscc()
    body = b"\n".join(
        [
            orjson.dumps(f.enterprise(firm, "隆林上传测试有限公司")),
            b'{"kind": "enterprise", "uscc": "91451031MA5KY12B30", "name": "x"}',
            orjson.dumps(f.action("AMR-API-1", {"uscc": firm}, "LICENSE")),
            orjson.dumps(f.action("ECO-API-1", {"uscc": firm}, "PENALTY", department="ECOENV")),
        ]
    )
    response = await client.post("/api/import", content=body, headers=bearer(officer))
    assert response.status_code == 200
    report = response.json()
    assert report["committed"] is True
    assert report["accepted"] == 2
    assert report["rejected"] == 2
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(2, "uscc"), (4, "department")]
    again = (await client.post("/api/import", content=body, headers=bearer(officer))).json()
    assert again["unchanged"] == 2
    assert again["created"] == 0


async def test_import_body_limit(graph: Store, settings: Settings) -> None:
    small = settings.model_copy(update={"max_import_bytes": 2048})
    app = create_app(small, "test")
    officer = await token(graph, Role.DEPARTMENT, "AMR")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            response = await http.post("/api/import", content=b"x" * 5000, headers=bearer(officer))
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_body_without_length_is_refused_once_it_grows_past_the_limit(
    graph: Store, settings: Settings
) -> None:
    """No Content-Length to refuse up front: the body limit counts what is read (413)."""
    app = create_app(settings.model_copy(update={"max_request_bytes": 1024}), "test")

    async def chunks() -> Any:
        for _ in range(8):
            yield b" " * 512

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            response = await http.post(
                "/graphql", content=chunks(), headers={"content-type": "application/json"}
            )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> Any:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200
    return response.json()


PERSON = """query($id: String!) { person(idNumber: $id) { idNumber idNumberMasked name phone
  address birthDate roles { role enterprise { uscc name } } } }"""


async def test_public_sees_masked_persons_and_no_contact_data(
    client: httpx.AsyncClient, graph: Store
) -> None:
    boss, firm = f.id_number("1968-04-02"), f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林公开测试有限公司"),
            f.person(boss, "蒙国强", phone="13907760000", address="新州镇2组"),
            f.role(boss, firm, "LEGAL_REPRESENTATIVE"),
        ],
    )
    public = (await gql(client, PERSON, id=boss))["data"]["person"]
    assert public["idNumber"] == boss[:4] + "*" * 10 + boss[-4:]
    assert public["idNumberMasked"] is True
    assert public["phone"] is None
    assert public["address"] is None
    assert public["birthDate"] is None
    assert public["roles"][0]["enterprise"]["uscc"] == firm
    investigator = await token(graph, Role.INVESTIGATOR)
    full = (await gql(client, PERSON, bearer(investigator), id=boss))["data"]["person"]
    assert full["idNumber"] == boss
    assert full["phone"] == "13907760000"
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (a:AuditEntry) WHERE $id IN a.subjects RETURN count(a) AS n", {"id": boss}
            )
        ).single()
    assert record is not None
    assert record["n"] == 1


ENTERPRISE = """query($u: String!) { enterprise(uscc: $u) { uscc name kind registeredOn
  roles(asOf: "2016-06-01") { role from to active holder { ... on Person { name } } }
  history: roles { role from to active }
  shareholders { share from holder { __typename ... on Enterprise { uscc kind } ... on Person { name } } }
  actions(first: 2) { nodes { id type decisionDate severity department { code name } }
                      pageInfo { hasNextPage endCursor } }
  provenance { sourceDepartment batch recordedAt } } }"""


async def test_enterprise_profile_with_dates_and_paged_actions(
    client: httpx.AsyncClient, graph: Store
) -> None:
    firm, coop = f.uscc(), f.uscc("9", "3")
    old, new = f.id_number("1960-01-01"), f.id_number("1975-01-01")
    await load(
        graph,
        [
            f.enterprise(firm, "隆林翻页测试有限公司"),
            f.enterprise(coop, "隆林测试专业合作社"),
            f.person(old, "岑老"),
            f.person(new, "岑新"),
            f.role(old, firm, "LEGAL_REPRESENTATIVE", "2010-01-01", "2015-12-31"),
            f.role(new, firm, "LEGAL_REPRESENTATIVE", "2016-01-01"),
            f.share({"uscc": coop}, firm, 0.4),
            f.share({"idNumber": new}, firm, 0.6),
            *[
                f.action(
                    f"AMR-P-{i}",
                    {"uscc": firm},
                    "INSPECTION" if i % 2 else "LICENSE",
                    decided=f"2024-0{i}-01",
                )
                for i in range(1, 6)
            ],
        ],
    )
    data = (await gql(client, ENTERPRISE, u=firm))["data"]["enterprise"]
    assert data["kind"] == "ENTERPRISE"
    assert [(r["role"], r["holder"]["name"]) for r in data["roles"]] == [
        ("LEGAL_REPRESENTATIVE", "岑新")
    ]
    assert len(data["history"]) == 2
    assert {s["holder"]["__typename"] for s in data["shareholders"]} == {"Enterprise", "Person"}
    assert data["shareholders"][0]["share"] == 0.6
    assert [a["id"] for a in data["actions"]["nodes"]] == ["AMR-P-5", "AMR-P-4"]
    assert data["provenance"]["sourceDepartment"] == "AMR"
    # Record times travel as text from Neo4j (hub/store/values.py): the same instant comes back.
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "MATCH (e:Enterprise {uscc: $u}) RETURN e.recordedAt AS t", u=firm
        )
        stored = (await result.single())["t"].to_native()  # type: ignore[index]
    assert dt.datetime.fromisoformat(data["provenance"]["recordedAt"]) == stored
    cursor = data["actions"]["pageInfo"]["endCursor"]
    page2 = await gql(
        client,
        """query($u: String!, $c: String) { enterprise(uscc: $u) {
        actions(first: 10, after: $c) { nodes { id } pageInfo { hasNextPage } } } }""",
        u=firm,
        c=cursor,
    )
    nodes = page2["data"]["enterprise"]["actions"]
    assert [a["id"] for a in nodes["nodes"]] == ["AMR-P-3", "AMR-P-2", "AMR-P-1"]
    assert nodes["pageInfo"]["hasNextPage"] is False


async def test_invalid_and_unknown_identifiers(client: httpx.AsyncClient) -> None:
    unknown = f.uscc()
    ok = await gql(client, "query($u: String!) { enterprise(uscc: $u) { name } }", u=unknown)
    assert ok == {"data": {"enterprise": None}}
    bad = await gql(
        client, "query($u: String!) { enterprise(uscc: $u) { name } }", u=unknown[:17] + "I"
    )
    error = bad["errors"][0]
    assert error["extensions"]["code"] == "INVALID_USCC"
    assert "not allowed" in error["message"]
    bad_id = await gql(
        client, "query($i: String!) { person(idNumber: $i) { name } }", i="451031198002301234"
    )
    assert bad_id["errors"][0]["extensions"]["code"] == "INVALID_ID_NUMBER"


SEARCH = """query($t: String!, $first: Int!, $after: String) { search(text: $t, first: $first, after: $after) {
  nodes { matchedBy subject { __typename ... on Enterprise { uscc name } ... on Person { idNumber name } } }
  pageInfo { hasNextPage endCursor } } }"""


SEARCH_SCORED = SEARCH.replace("matchedBy", "score matchedBy")


async def test_search_exact_identifier_first_then_names(
    client: httpx.AsyncClient, graph: Store
) -> None:
    firms = [f.uscc() for _ in range(4)]
    boss = f.id_number()
    await load(
        graph,
        [
            f.enterprise(firms[0], "隆林金鑫建材有限公司"),
            f.enterprise(firms[1], "隆林金鑫运输有限公司"),
            f.enterprise(firms[2], "隆林宏达茶业有限公司"),
            f.enterprise(firms[3], "隆林金鑫食品有限公司"),
            f.person(boss, "金鑫"),
        ],
    )
    by_name = (await gql(client, SEARCH, t="金鑫", first=10))["data"]["search"]
    names = [n["subject"]["name"] for n in by_name["nodes"]]
    assert "隆林宏达茶业有限公司" not in names
    assert set(names) == {
        "隆林金鑫建材有限公司",
        "隆林金鑫运输有限公司",
        "隆林金鑫食品有限公司",
        "金鑫",
    }
    exact = (await gql(client, SEARCH, t=firms[2], first=2))["data"]["search"]
    assert exact["nodes"][0]["matchedBy"] == "IDENTIFIER"
    assert exact["nodes"][0]["subject"]["uscc"] == firms[2]
    page1 = (await gql(client, SEARCH, t="金鑫 有限公司", first=2))["data"]["search"]
    assert page1["pageInfo"]["hasNextPage"] is True
    page2 = await gql(
        client, SEARCH, t="金鑫 有限公司", first=2, after=page1["pageInfo"]["endCursor"]
    )
    seen = {n["subject"]["name"] for n in page1["nodes"]}
    assert seen.isdisjoint({n["subject"]["name"] for n in page2["data"]["search"]["nodes"]})
    weird = await gql(client, SEARCH, t='金鑫") OR name:* AND ~', first=5)
    assert "errors" not in weird


async def test_search_pages_walk_equal_scores_without_gaps_or_repeats(
    client: httpx.AsyncClient, graph: Store
) -> None:
    """Names of the same length with the word once score the same: equal scores come by
    identifier, and the pages cover every hit exactly once (the ranking is made over the
    index's best hits, the same pool for every page: hub/store/subjects.py)."""
    tied = [f"翠柏{c}贸易有限公司" for c in "甲乙丙丁戊己庚辛壬"]
    firms = [f.enterprise(f.uscc(), name) for name in tied]
    # Indexed in the reverse of identifier order: the index's own order among equal scores
    # is then not the ranking's, and a page ranked over a pool of another size would show it.
    others = [f.enterprise(f.uscc(), "翠柏商行"), f.person(f.id_number(), "翠柏")]
    await load(graph, [*others, *reversed(firms)])
    names: list[str] = []
    keys: list[str] = []
    scores: list[float] = []
    after = None
    for _ in range(10):
        page = (await gql(client, SEARCH_SCORED, t="翠柏", first=2, after=after))["data"]["search"]
        names += [n["subject"]["name"] for n in page["nodes"]]
        keys += [n["subject"].get("uscc") or n["subject"]["idNumber"] for n in page["nodes"]]
        scores += [n["score"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(names) == sorted([*tied, "翠柏商行", "翠柏"])  # every hit once
    assert names[:2] == ["翠柏", "翠柏商行"]  # shorter names score higher: best first
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores[2:])) == 1  # the nine really tie
    assert keys[2:] == sorted(keys[2:])


async def test_search_pages_after_an_exact_identifier_skip_no_name(
    client: httpx.AsyncClient, graph: Store
) -> None:
    """The text is an identifier that names also contain: the exact subject first, then every
    name once across the pages (the exact one is left out of the names wherever it ranks)."""
    code = f.uscc()
    branches = [f.enterprise(f.uscc(), f"{code}分公司{c}") for c in "丙丁戊己"]
    # The exact subject's name has the code too: it is a name hit as well, shown once.
    await load(graph, [f.enterprise(code, f"{code}总公司"), *branches])
    seen: list[tuple[str, str]] = []
    after = None
    for _ in range(5):
        page = (await gql(client, SEARCH, t=code, first=2, after=after))["data"]["search"]
        seen += [(n["matchedBy"], n["subject"]["uscc"]) for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen[0] == ("IDENTIFIER", code)
    assert sorted(key for how, key in seen[1:]) == sorted(b["uscc"] for b in branches)
    assert {how for how, _ in seen[1:]} == {"NAME"}


async def test_search_pages_stay_consistent_when_more_hits_tie_than_are_ranked(
    client: httpx.AsyncClient, graph: Store
) -> None:
    """More equal hits than the ranked pool (1,101): the pages, down to the last one allowed,
    still show each hit at most once."""
    from resolvers.subjects import MAX_SEARCH_OFFSET, SEARCH_POOL

    digits = "零一二三四五六七八九"
    tied = [
        f"翠柏{''.join(digits[int(d)] for d in f'{i:04}')}有限公司" for i in range(SEARCH_POOL + 50)
    ]
    firms = [f.enterprise(f.uscc(), name) for name in tied]
    await load(graph, list(reversed(firms)))  # the index's order is not the ranking's
    seen: list[str] = []
    after = None
    for _ in range(20):
        page = (await gql(client, SEARCH, t="翠柏", first=100, after=after))["data"]["search"]
        seen += [n["subject"]["uscc"] for n in page["nodes"]]
        after = page["pageInfo"]["endCursor"]
        if len(seen) > MAX_SEARCH_OFFSET or after is None:
            break
    assert len(seen) == MAX_SEARCH_OFFSET + 100
    assert len(set(seen)) == len(seen)
    assert seen == sorted(seen)  # all tie: by identifier
    assert page["pageInfo"]["hasNextPage"] is True
    beyond = await gql(client, SEARCH, t="翠柏", first=100, after=after)
    assert beyond["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_errors_carry_codes_and_internal_errors_are_masked(client: httpx.AsyncClient) -> None:
    unknown_field = await gql(client, '{ enterprise(uscc: "x") { nope } }')
    assert unknown_field["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    deep = '{ search(text: "a") { nodes { subject { ... on Enterprise { branchOf { branchOf { branchOf { branchOf { branchOf { branchOf { branchOf { branchOf { branchOf { branchOf { uscc } } } } } } } } } } } } } } }'
    too_deep = await gql(client, deep)
    assert "depth" in too_deep["errors"][0]["message"]


async def test_graphiql_is_served_outside_production(
    client: httpx.AsyncClient, settings: Settings, graph: Store
) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    prod = create_app(settings.model_copy(update={"environment": "production"}), "test")
    async with prod.router.lifespan_context(prod):
        transport = httpx.ASGITransport(app=prod)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            page = await http.get("/graphql", headers={"Accept": "text/html"})
            assert "graphiql" not in page.text.lower()
            intro = (
                await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
            ).json()
            assert "errors" in intro


async def test_query_cost_limit(client: httpx.AsyncClient) -> None:
    wide = """{ search(text: "隆林", first: 100) { nodes { subject { ... on Enterprise {
        roles { holder { ... on Person { roles { enterprise { shareholders { share } } } } } }
        actions(first: 100) { nodes { id } } } } } } }"""
    refused = await gql(client, wide)
    assert refused["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "data" not in refused or refused["data"] is None
    fine = await gql(client, '{ search(text: "隆林", first: 5) { nodes { score } } }')
    assert "errors" not in fine


async def test_rate_limit_answers_429_with_retry_after(graph: Store, settings: Settings) -> None:
    tight = settings.model_copy(update={"rate_limit_per_second": 1.0, "rate_limit_burst": 3})
    app = create_app(tight, "test")
    approval = await token(graph, Role.APPROVAL)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            query = {"query": '{ search(text: "隆林", first: 1) { nodes { score } } }'}
            codes = [
                (await http.post("/graphql", json=query, headers=bearer(approval))).status_code
                for _ in range(5)
            ]
            assert codes[:3] == [200, 200, 200]
            assert codes[3] == 429
            limited = await http.post("/graphql", json=query, headers=bearer(approval))
            assert limited.headers["Retry-After"] == "1"
            assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            # Another caller (PUBLIC, by address) has its own bucket.
            assert (await http.post("/graphql", json=query)).status_code == 200
            assert (await http.get("/healthz")).status_code == 200


def test_token_bucket_refills() -> None:
    from hub.ratelimit import RateLimiter

    limiter = RateLimiter(per_second=2.0, burst=2)
    assert limiter.acquire("k", now=0.0) == 0.0
    assert limiter.acquire("k", now=0.0) == 0.0
    assert limiter.acquire("k", now=0.0) == pytest.approx(0.5)
    assert limiter.acquire("k", now=0.5) == 0.0


async def test_public_sees_penalties_only_within_their_publicity_period(
    client: httpx.AsyncClient, graph: Store, settings: Settings
) -> None:
    import datetime as dt

    from hub.rules.publicity import add_months

    today = settings.today()
    firm = f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林公示测试有限公司"),
            f.action(
                "P-MINOR",
                {"uscc": firm},
                "PENALTY",
                severity="MINOR",
                decided=str(today - dt.timedelta(days=10)),
            ),
            f.action(
                "P-GEN-OLD",
                {"uscc": firm},
                "PENALTY",
                severity="GENERAL",
                decided=str(add_months(today, -13)),
            ),
            f.action(
                "P-GEN-NEW",
                {"uscc": firm},
                "PENALTY",
                severity="GENERAL",
                decided=str(add_months(today, -11)),
            ),
            f.action(
                "P-SER",
                {"uscc": firm},
                "PENALTY",
                severity="SERIOUS",
                decided=str(add_months(today, -30)),
            ),
            f.action(
                "L-OLD", {"uscc": firm}, "LICENSE", decided="2019-05-06", publishedOn="2019-05-20"
            ),
        ],
    )
    query = """query($u: String!) { enterprise(uscc: $u) { actions(first: 20) { nodes {
        id publicationDeadline publishedLate publicity { publishedByDefault ends } } } } }"""
    public = await gql(client, query, u=firm)
    ids = [a["id"] for a in public["data"]["enterprise"]["actions"]["nodes"]]
    assert ids == ["P-GEN-NEW", "P-SER", "L-OLD"]
    officer = await token(graph, Role.DEPARTMENT, "AMR")
    full = await gql(client, query, bearer(officer), u=firm)
    nodes = {a["id"]: a for a in full["data"]["enterprise"]["actions"]["nodes"]}
    assert set(nodes) == {"P-MINOR", "P-GEN-OLD", "P-GEN-NEW", "P-SER", "L-OLD"}
    assert nodes["P-MINOR"]["publicity"]["publishedByDefault"] is False
    assert nodes["L-OLD"]["publicationDeadline"] == "2019-05-15"
    assert nodes["L-OLD"]["publishedLate"] is True


async def test_refused_documents_carry_codes(client: httpx.AsyncClient) -> None:
    broken = await gql(client, "{ search(text: ")
    assert broken["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    huge = "{ " + " ".join(f"a{i}: __typename" for i in range(1500)) + " }"
    refused = await gql(client, huge)
    assert refused["errors"][0]["extensions"]["code"] in {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
    }


async def test_malformed_json_body_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


async def test_access_log_has_request_id_and_key_but_no_query_string(
    client: httpx.AsyncClient, graph: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="credithub.access")
    key_id, approval = await create_key(graph, Role.APPROVAL, "AMR", "test")
    person = f.id_number()
    query = "query($i: String!) { person(idNumber: $i) { name } }"
    got = await client.get(
        "/graphql",
        params={"query": query, "variables": orjson.dumps({"i": person}).decode()},
        headers={**bearer(approval), "x-request-id": "req-access-1"},
    )
    refused = await client.get("/graphql", headers=bearer("not-a-key"))
    # A decoded newline in the path cannot start a forged line; a request id that could fake
    # a field (spaces) is replaced by one of the hub's.
    forged = await client.get(
        "/no%0AGET /graphql 200 1.0ms request_id=x key=admin",
        headers={"x-request-id": "id key=admin"},
    )
    assert forged.headers["x-request-id"] != "id key=admin"
    lines = [r.getMessage() for r in caplog.records if r.name == "credithub.access"]
    assert not any("\n" in line or "key=admin" in line for line in lines)
    assert any(
        line.startswith(f"GET /graphql {got.status_code} ")
        and "request_id=req-access-1" in line
        and f"key={key_id}" in line
        for line in lines
    ), lines
    assert any(line.startswith(f"GET /graphql {refused.status_code} ") for line in lines)
    assert refused.status_code == 401
    assert not any(person in line or "query" in line for line in lines)


async def test_readiness_waits_for_the_warm_up_which_stores_nothing(
    graph: Store, settings: Settings
) -> None:
    import asyncio

    await load(graph, [f.enterprise(f.uscc()), f.person(f.id_number(), "预热")])
    app = create_app(settings.model_copy(update={"warmup_seconds": 0.5}), "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            first = await http.get("/readyz")
            assert first.status_code == 503
            assert first.json()["warming"] is True
            assert (await http.get("/healthz")).status_code == 200  # up, not yet ready
            for _ in range(300):  # a cold Neo4j compiles the statements first
                await asyncio.sleep(0.1)
                if (await http.get("/readyz")).status_code == 200:
                    break
            else:
                raise AssertionError("never ready after the warm-up")
    async with graph.driver.session(database=graph.database) as session:
        record = await (await session.run("MATCH (r:Receipt) RETURN count(r) AS n")).single()
    assert record is not None and record["n"] == 0


async def test_warm_up_runs_the_check_statements_and_is_skipped_on_an_empty_graph(
    graph: Store,
) -> None:
    from hub.store.warmup import warm_checks

    assert await warm_checks(graph, 0.3) == 0  # nothing to check yet
    await load(graph, [f.enterprise(f.uscc())])
    assert await warm_checks(graph, 0.3) >= 2 * 3  # each group size at least once
    assert await warm_checks(graph, 0) == 0


async def test_import_endpoint_bounds_the_errors_it_sends(
    client: httpx.AsyncClient, graph: Store
) -> None:
    officer = await token(graph, Role.DEPARTMENT, "AMR")
    response = await client.post("/api/import", content=b"x\n" * 20_000, headers=bearer(officer))
    assert response.status_code == 200
    report = response.json()
    assert (report["lines"], report["rejected"], report["errorsTotal"]) == (20_000,) * 3
    assert len(report["errors"]) == 1000 and report["errorsTruncated"] is True
    assert len(response.content) < 200_000


async def test_readyz_waits_for_every_worker(
    graph: Store, settings: Settings, tmp_path: Any
) -> None:
    """With CREDITHUB_READY_DIR (set by `credit-hub serve --workers N`), a worker answers ready
    only when N live workers have marked themselves warm; a dead worker's mark does not count."""
    import asyncio
    import os
    import sys

    two = settings.model_copy(update={"ready_dir": str(tmp_path), "workers": 2})
    app = create_app(two, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            assert (tmp_path / str(os.getpid())).exists()  # this worker is warm
            assert (await http.get("/readyz")).status_code == 503
            dead = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
            await dead.wait()  # a worker that died: its mark does not count
            (tmp_path / str(dead.pid)).touch()
            assert (await http.get("/readyz")).status_code == 503
            (tmp_path / str(os.getppid())).touch()  # a second live worker
            ready = await http.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["ready"] is True


def test_serve_runs_one_worker_per_core_by_default() -> None:
    import os

    from hub.cli import server_options
    from hub.settings import load_settings

    assert server_options(load_settings(workers=0))["workers"] == (os.cpu_count() or 1)
    assert server_options(load_settings(workers=3))["workers"] == 3


async def test_a_deadline_beyond_the_official_calendar_says_it_is_approximate(
    client: httpx.AsyncClient, graph: Store
) -> None:
    """Issue 18: an action decided 2026-12-30 goes public by 2027-01-11 (元旦 2027-01-01 from
    graph_seed/holidays.toml), and the answer says the deadline used the fallback; one decided
    in a year the calendar knows does not."""
    firm = f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林期限测试有限公司"),
            f.action("D-2026-12", {"uscc": firm}, "LICENSE", decided="2026-12-30"),
            f.action("D-2026-09", {"uscc": firm}, "LICENSE", decided="2026-09-30"),
        ],
    )
    query = """query($u: String!) { enterprise(uscc: $u) { actions(first: 5) { nodes {
        id publicationDeadline deadlineApproximate } } } }"""
    officer = await token(graph, Role.DEPARTMENT, "AMR")
    answer = await gql(client, query, bearer(officer), u=firm)
    nodes = {a["id"]: a for a in answer["data"]["enterprise"]["actions"]["nodes"]}
    assert nodes["D-2026-12"] == {
        "id": "D-2026-12",
        "publicationDeadline": "2027-01-11",
        "deadlineApproximate": True,
    }
    assert nodes["D-2026-09"] == {
        "id": "D-2026-09",
        "publicationDeadline": "2026-10-15",
        "deadlineApproximate": False,
    }
