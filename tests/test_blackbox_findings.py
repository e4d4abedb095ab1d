"""The findings of the black-box test of the public hub (issue 22), one test or more each.

Each test failed on ce433eb. docs/security.md lists the findings, their fixes and these tests.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import orjson
import pytest
from graphql import parse

from graphql_engine.document_limits import DocumentLimits, document_errors
from hub.auth import Actor, Role
from hub.identifiers import mask_id_number
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, key_headers, load

PUBLIC_ACTOR = Actor(Role.PUBLIC)
LIMITS = DocumentLimits(max_depth=12, max_aliases=30, max_selections=10_000)


def fragment_bomb(levels: int, alias: str = "x7q") -> str:
    """``F0 on Enterprise { name }``, ``Fi { ...F(i-1) ...F(i-1) }``: 2**levels selections."""
    fragments = ["fragment F0 on Enterprise { name }"]
    fragments += [
        f"fragment F{i} on Enterprise {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    uscc = f.uscc()
    return f'{{ {alias}: enterprise(uscc: "{uscc}") {{ ...F{levels} }} }} ' + " ".join(fragments)


# 1. A fragment-spread bomb blocked the event loop ------------------------------------------


def test_a_fragment_bomb_is_refused_in_linear_time() -> None:
    """150 doubling fragments (about the most the token limit allows) stand for 2**150
    selections; the refusal is one pass over the text."""
    document = parse(fragment_bomb(150), max_tokens=5000)
    began = time.perf_counter()
    errors = document_errors(document, LIMITS)
    assert time.perf_counter() - began < 0.05
    assert [e.extensions["code"] for e in errors if e.extensions] == ["LIMIT_EXCEEDED"]
    assert "expands to" in errors[0].message


def test_depth_and_aliases_count_through_fragments_without_re_walking_them() -> None:
    """The same answers as strawberry's limiters on small documents, through spreads."""
    deep = "fragment D on Enterprise { branchOf { branchOf { uscc } } } " + (
        '{ enterprise(uscc: "x") { ' + "branchOf { " * 10 + "...D" + " }" * 10 + " } }"
    )
    errors = document_errors(parse(deep), LIMITS)
    assert [e.message for e in errors] == ["'anonymous' exceeds maximum operation depth of 12"]
    aliased = "fragment A on Enterprise { " + " ".join(f"a{i}: uscc" for i in range(4)) + " } "
    aliased += '{ enterprise(uscc: "x") { ...A } }'
    assert document_errors(parse(aliased), LIMITS) == []
    many = "fragment A on Enterprise { " + " ".join(f"a{i}: uscc" for i in range(4)) + " } "
    many += "fragment B on Enterprise { ...A ...A } fragment C on Enterprise { ...B ...B } "
    many += "fragment E on Enterprise { ...C ...C } "  # 8 uses of A: 32 aliases
    many += '{ enterprise(uscc: "x") { ...E } }'
    assert [e.message for e in document_errors(parse(many), LIMITS)] == [
        "32 aliases found. Allowed: 30"
    ]


@pytest.mark.neo4j
async def test_a_fragment_bomb_does_not_stall_the_hub(client: httpx.AsyncClient) -> None:
    """19 levels held the loop for 4 s on ce433eb; /healthz, asked meanwhile, waited as long."""

    async def healthz_latency() -> float:
        await asyncio.sleep(0.005)  # the bomb is on its way
        began = time.perf_counter()
        assert (await client.get("/healthz")).status_code == 200
        return time.perf_counter() - began

    bomb = client.post("/graphql", json={"query": fragment_bomb(19, alias="r4nd0m")})
    answer, latency = await asyncio.gather(bomb, healthz_latency())
    assert latency < 0.1
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert answer.elapsed.total_seconds() < 1.0


# 2. The cost limit ignored the variables' default values ---------------------------------

HEAVY = """query($f: Int! = 100) { search(text: "隆林", first: $f) { nodes { subject {
  ... on Enterprise { holdings { enterprise { name actions(first: $f) { nodes { id title } }
  shareholders { holder { ... on Enterprise { actions(first: $f) { nodes { id } } } } } } } }
} } } }"""


@pytest.mark.neo4j
async def test_the_cost_limit_reads_default_values(gql: GQL) -> None:
    given = await gql(HEAVY, {"f": 100}, actor=PUBLIC_ACTOR)
    defaulted = await gql(HEAVY, None, actor=PUBLIC_ACTOR)
    for result in (given, defaulted):
        assert result.errors is not None
        assert result.errors[0].extensions is not None
        assert result.errors[0].extensions["code"] == "LIMIT_EXCEEDED"
    assert given.errors is not None and defaulted.errors is not None
    assert given.errors[0].message == defaulted.errors[0].message  # the same cost


# 3. An internal error escaped unmasked -----------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize("query", ["{ measures {} }", "{}", "query { measures { } }"])
async def test_empty_selection_sets_are_refused_with_a_code(gql: GQL, query: str) -> None:
    result = await gql(query, actor=PUBLIC_ACTOR)
    assert result.errors
    assert {(e.extensions or {}).get("code") for e in result.errors} == {
        "GRAPHQL_VALIDATION_FAILED"
    }
    assert "max()" not in result.errors[0].message


@pytest.mark.neo4j
async def test_an_unexpected_error_before_execution_is_masked_and_logged(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from graphql_engine import extensions

    def broken(context: object) -> list[object]:
        raise RuntimeError("max() arg is an empty sequence")

    monkeypatch.setattr(extensions, "validation_errors", broken)
    with caplog.at_level(logging.ERROR, "credithub.graphql"):
        answer = await client.post("/graphql", json={"query": "{ measures { code } }"})
    error = answer.json()["errors"][0]
    assert error["message"] == "Internal error."
    assert error["extensions"]["code"] == "INTERNAL"
    request_id = answer.headers["x-request-id"]
    assert error["extensions"]["requestId"] == request_id
    assert any(request_id in record.getMessage() for record in caplog.records)
    assert "max()" not in answer.text


# 4. Non-JSON answers -----------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"null", "application/json", "BAD_REQUEST"),
        (b"123", "application/json", "BAD_REQUEST"),
        (b'"x"', "application/json", "BAD_REQUEST"),
        (b"{not json", "application/json", "BAD_REQUEST"),
        (b'[{"query": "{ measures { code } }"}]', "application/json", "BAD_REQUEST"),
        (b"query=x", "text/plain", "BAD_REQUEST"),
    ],
)
async def test_graphql_refusals_are_json_with_a_code(
    client: httpx.AsyncClient, body: bytes, content_type: str, code: str
) -> None:
    answer = await client.post("/graphql", content=body, headers={"content-type": content_type})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["x-request-id"]
    assert answer.json()["errors"][0]["extensions"]["code"] == code


@pytest.mark.neo4j
async def test_a_mutation_over_get_is_refused_as_json(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        "/graphql",
        params={"query": 'mutation { endListing(id: "x", reason: "y", kind: ENDED) { id } }'},
    )
    assert answer.status_code in (400, 405)
    assert answer.json()["errors"][0]["extensions"]["code"] in ("BAD_REQUEST", "METHOD_NOT_ALLOWED")


@pytest.mark.neo4j
async def test_an_unexpected_error_in_an_upload_is_json_with_the_request_id(
    client: httpx.AsyncClient, graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hub import app

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(app, "import_upload", broken)  # the upload service it calls
    headers = await key_headers(graph, Role.DEPARTMENT, "AMR")
    answer = await client.post("/api/import", content=b"{}", headers=headers)
    assert answer.status_code == 500
    error = answer.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": answer.headers["x-request-id"]}
    assert "boom" not in answer.text


# 5. An empty Authorization header was silently PUBLIC --------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize("value", ["", " ", "\t", "Bearer", "Bearer "])
async def test_a_present_but_empty_authorization_header_is_401(
    client: httpx.AsyncClient, value: str
) -> None:
    answer = await client.post(
        "/graphql", json={"query": "{ measures { code } }"}, headers={"Authorization": value}
    )
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.neo4j
async def test_two_authorization_headers_are_refused(
    client: httpx.AsyncClient, graph: Store
) -> None:
    good = (await key_headers(graph, Role.APPROVAL))["Authorization"]
    for pair in ([good, "Bearer nonsense"], ["Bearer nonsense", good], [good, good]):
        answer = await client.post(
            "/graphql",
            json={"query": "{ measures { code } }"},
            headers=[("Authorization", pair[0]), ("Authorization", pair[1])],
        )
        assert answer.status_code == 401
        assert "one Authorization header" in answer.json()["errors"][0]["message"]


# 7. Display spoofing in names (the import side; identifiers in test_identifiers) ----------


@pytest.mark.neo4j
async def test_bidi_controls_are_refused_and_zero_width_characters_stripped(
    graph: Store, gql: GQL
) -> None:
    spoof, clean = f.uscc(), f.uscc()
    report = await load(
        graph,
        [
            f.enterprise(spoof, "隆林\u202e司公限有\u202c"),
            f.enterprise(clean, "隆林\u200b零宽\u200d测试有限公司"),
            {"kind": "person", "idNumber": "\u202e" + f.id_number(), "name": "韦"},
        ],
    )
    assert report.accepted == 1
    reasons = {(e.line, e.field): e.reason for e in report.errors}
    assert "U+202E" in reasons[(1, "name")]
    assert "U+202E" in reasons[(3, "idNumber")]
    data = await gql.ok("query($u: String!) { enterprise(uscc: $u) { name } }", {"u": clean})
    assert data["enterprise"]["name"] == "隆林零宽测试有限公司"
    assert (await gql.ok("query($u: String!) { enterprise(uscc: $u) { name } }", {"u": spoof}))[
        "enterprise"
    ] is None


# 8. The import report echoed full ID numbers to a masked role ------------------------------


@pytest.mark.neo4j
async def test_the_import_report_masks_id_numbers_for_a_department(
    client: httpx.AsyncClient, graph: Store
) -> None:
    firm, nobody = f.uscc(), f.id_number("1975-03-03")
    body = b"\n".join(
        [
            orjson.dumps(f.enterprise(firm)),
            orjson.dumps(f.role(nobody, firm, "LEGAL_REPRESENTATIVE")),
        ]
    )
    officer = await key_headers(graph, Role.DEPARTMENT, "AMR")
    masked = await client.post("/api/import", content=body, headers=officer)
    assert masked.status_code == 200
    assert nobody not in masked.text
    assert mask_id_number(nobody) in masked.text
    admin = await key_headers(graph, Role.ADMIN)
    full = await client.post("/api/import?department=AMR", content=body, headers=admin)
    assert nobody in full.text


# 9. Search broke equal scores by the full ID number ----------------------------------------


@pytest.mark.neo4j
async def test_equal_search_scores_are_not_ordered_by_the_hidden_digits(
    graph: Store, gql: GQL
) -> None:
    """Six namesakes stored youngest first: ordered by ID number (birth date) they came back
    oldest first, which told PUBLIC the hidden digits' order."""
    born = ["1991-01-01", "1987-01-01", "1983-01-01", "1979-01-01", "1975-01-01", "1971-01-01"]
    numbers = [f.id_number(day) for day in born]
    for number in numbers:  # one upload each: stored in this order
        await load(graph, [f.person(number, "韦同名测试")])
    data = await gql.ok(
        '{ search(text: "韦同名测试", first: 10) { nodes { subject { ... on Person { idNumber } } } } }',
        actor=PUBLIC_ACTOR,
    )
    shown = [hit["subject"]["idNumber"] for hit in data["search"]["nodes"]]
    assert sorted(shown) == sorted(mask_id_number(n) for n in numbers)
    by_number = [mask_id_number(n) for n in sorted(numbers)]
    assert shown != by_number


# 10. Headers --------------------------------------------------------------------------------


@pytest.mark.neo4j
async def test_answers_carry_the_security_headers(client: httpx.AsyncClient, graph: Store) -> None:
    headers = await key_headers(graph, Role.INVESTIGATOR)
    api = await client.post("/graphql", json={"query": "{ measures { code } }"}, headers=headers)
    health = await client.get("/healthz")
    for answer in (api, health):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        # a JSON answer loads nothing and is framed by nothing
        assert answer.headers["content-security-policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )
    graphiql = await client.get("/graphql", headers={"accept": "text/html"})
    assert graphiql.headers["content-type"].startswith("text/html")
    page = await client.get("/")
    for answer in (graphiql, page):
        assert answer.headers["x-content-type-options"] == "nosniff"
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
    assert api.headers["cache-control"] == "no-store"
    refused = await client.post(
        "/graphql", content=b"null", headers={"content-type": "application/json"}
    )
    assert refused.headers["cache-control"] == "no-store"
    assert refused.headers["x-content-type-options"] == "nosniff"


@pytest.mark.neo4j
async def test_anonymous_documents_have_a_smaller_token_limit(gql: GQL) -> None:
    """Parsing is most of what a document costs before it runs (`credit-hub bench documents`):
    anonymous callers may send CREDITHUB_MAX_PUBLIC_TOKENS (600), keyed ones _MAX_TOKENS."""
    fields = " ".join(["code name"] * 15)  # 30 tokens a selection
    padded = "{ " + " ".join(f"m{i}: measures {{ {fields} }}" for i in range(1, 26)) + " }"
    assert 600 < sum(len(part.split()) for part in padded.split("{")) < 2000  # ~850 tokens
    public = await gql(padded, actor=PUBLIC_ACTOR)
    assert public.errors is not None
    assert public.errors[0].extensions == {"code": "GRAPHQL_PARSE_FAILED"}
    assert "tokens" in public.errors[0].message
    keyed = await gql(padded, actor=Actor(Role.APPROVAL, "key-a"))
    assert keyed.errors is None
