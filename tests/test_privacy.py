"""Findings of the personal-data review, each shown through the public API on real Neo4j:
the budget on lookups by full ID number, what PUBLIC sees of ended listings, the audit of every
investigator read of a person, "today" of the ID number rules, labels that fail closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from hub.app import create_app
from hub.auth import PUBLIC, Actor, Role
from hub.identifiers import make_id_number, mask_id_number
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_api import bearer, token
from tests.test_investigation_access import audit_entries
from tests.test_security import story

INVESTIGATOR = Actor(Role.INVESTIGATOR, key_id="key-investigator", department="DISCIPLINE")


# --- 1. lookups by full ID number have a budget for PUBLIC -----------------------------------


@pytest.fixture
async def tight(graph: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a budget of 3 lookups by ID number a minute (the default is 20)."""
    app = create_app(settings.model_copy(update={"public_id_lookups_per_minute": 3}), "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            yield http


def code_of(answer: httpx.Response) -> str | None:
    errors = answer.json().get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.mark.neo4j
async def test_public_lookups_by_id_number_have_a_budget(
    tight: httpx.AsyncClient, graph: Store
) -> None:
    values = await story(graph)
    known, unknown = values["$PERSON"], f.id_number("1990-01-01")
    by_id = "query($i: String!) { person(idNumber: $i) { name } }"
    # Two aliases (a hit and a miss, one behind a fragment) spend two lookups.
    two = (
        f'query {{ a: person(idNumber: "{known}") {{ name }} ...F }} '
        f'fragment F on Query {{ b: person(idNumber: "{unknown}") {{ name }} }}'
    )
    first = await tight.post("/graphql", json={"query": two})
    assert first.status_code == 200 and first.json()["data"] == {"a": {"name": "覃秘密"}, "b": None}
    # Searching names is not a lookup by ID number, however often.
    names = {"query": '{ search(text: "秘密") { nodes { matchedBy } } }'}
    for _ in range(5):
        assert (await tight.post("/graphql", json=names)).status_code == 200
    # A search whose text is a full ID number spends the third.
    exact = "query($t: String!) { search(text: $t) { nodes { matchedBy } } }"
    found = await tight.post("/graphql", json={"query": exact, "variables": {"t": known}})
    assert found.status_code == 200
    assert found.json()["data"]["search"]["nodes"][0]["matchedBy"] == "IDENTIFIER"
    # Spent: the next lookup, by person or by search, is refused before it runs.
    for query, variables in ((by_id, {"i": unknown}), (exact, {"t": f" {known} "})):
        refused = await tight.post("/graphql", json={"query": query, "variables": variables})
        assert refused.status_code == 429
        assert code_of(refused) == "RATE_LIMITED"
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json().get("data") is None
    # Still allowed: reads that are not lookups by ID number.
    assert (await tight.post("/graphql", json=names)).status_code == 200
    # A key is accountable (checks write receipts): no budget.
    approval = await token(graph, Role.APPROVAL)
    for _ in range(5):
        keyed = await tight.post(
            "/graphql", json={"query": by_id, "variables": {"i": known}}, headers=bearer(approval)
        )
        assert keyed.status_code == 200 and code_of(keyed) is None


@pytest.mark.neo4j
async def test_a_request_asking_more_lookups_than_the_budget_is_refused(
    tight: httpx.AsyncClient,
) -> None:
    aliases = " ".join(
        f'p{n}: person(idNumber: "{f.id_number("1985-01-01")}") {{ name }}' for n in range(4)
    )
    answer = await tight.post("/graphql", json={"query": "{ " + aliases + " }"})
    assert code_of(answer) == "LIMIT_EXCEEDED"
    assert answer.json().get("data") is None
    # Nothing was spent by it: three single lookups still go through.
    for _ in range(3):
        one = {"query": '{ person(idNumber: "' + f.id_number("1985-01-01") + '") { name } }'}
        assert (await tight.post("/graphql", json=one)).status_code == 200


def test_lookup_budget_counts_ids_not_other_texts() -> None:
    from graphql import parse

    from graphql_engine.build import SDL_SCHEMA
    from graphql_engine.limits import id_number_lookups

    number = f.id_number()
    schema = SDL_SCHEMA._schema

    def count(query: str, variables: dict[str, Any] | None = None) -> int:
        return id_number_lookups(schema, parse(query), None, variables or {})

    assert count('{ a: person(idNumber: "x") { name } b: person(idNumber: "y") { name } }') == 2

    def search(text: str) -> str:
        return '{ search(text: "' + text + '") { nodes { score } } }'

    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    assert count(search(number)) == count(search(f" {number.lower()} ")) == 1
    assert count(search("隆林")) == count(search(wrong)) == count(search(f.uscc())) == 0
    assert count('{ enterprise(uscc: "x") { name } measures { code } }') == 0
    query = "query($t: String!) { search(text: $t) { nodes { score } } }"
    assert count(query, {"t": number}) == 1
    assert count(query, {"t": "覃"}) == 0
    # A variable left out of the request takes its default when the operation runs.
    defaulted = 'query($t: String! = "' + number + '") { search(text: $t) { nodes { score } } }'
    assert count(defaulted) == 1
    assert count(defaulted, {"t": "覃"}) == 0


def test_a_request_spends_its_lookups_at_once_or_not_at_all() -> None:
    from hub.ratelimit import RateLimiter

    budget = RateLimiter.per_minute(3)
    assert budget.acquire("ip:a", now=0.0, cost=2) == 0.0
    # One left: two more would need one more token, 20 s at 3 a minute; nothing is spent.
    assert budget.acquire("ip:a", now=0.0, cost=2) == pytest.approx(20.0)
    assert budget.acquire("ip:a", now=0.0, cost=1) == 0.0
    assert budget.acquire("ip:b", now=0.0, cost=3) == 0.0  # per client
    assert not RateLimiter.per_minute(0).enabled


# --- 2. PUBLIC sees only listings in force today --------------------------------------------

LISTINGS = """
query ($u: String!, $p: String!) {
  enterprise(uscc: $u) { listings { id status } }
  person(idNumber: $p) { listings { id status } }
}
"""


async def listings_story(gql: GQL, today: dt.date) -> tuple[str, str]:
    """An enterprise and a person with a listing ended each way, and some still in force."""
    firm, person = f.uscc(), f.id_number("1966-06-06")
    day = today.isoformat
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林名单公示测试有限公司"),
            f.person(person, "陆公示"),
            f.listing("IN-FORCE", {"uscc": firm}),
            f.listing("RED-IN-FORCE", {"uscc": firm}, domain="TAX", department="TAX", kind="RED"),
            f.listing("UNDER-OBJECTION", {"uscc": firm}, domain="FOOD_DRUG", department="AMR"),
            f.listing("EXPIRES-TOMORROW", {"uscc": firm}, expiresOn=tomorrow),
            f.listing("EXPIRED", {"uscc": firm}, expiresOn=day()),
            f.listing("ENDED", {"uscc": firm}, endedOn="2025-06-01"),
            f.listing(  # repaired after the three years its domain waits
                "REPAIRED", {"uscc": firm}, start="2020-01-01", endedOn=day(), endReason="REPAIRED"
            ),
            f.listing("REVOKED", {"uscc": firm}, endedOn="2025-06-01", endReason="REVOKED"),
            f.listing("NOT-YET", {"uscc": firm}, start=tomorrow),
            f.listing("WATCH", {"uscc": firm}, kind="WATCH"),
            f.listing("P-IN-FORCE", {"idNumber": person}, domain="TAX", department="TAX"),
            f.listing(
                "P-REPAIRED",
                {"idNumber": person},
                start="2020-01-01",
                endedOn=day(),
                endReason="REPAIRED",
            ),
        ],
        department="ECOENV",
    )
    await load(
        gql.store,
        [
            f.court_default("C-IN-FORCE", {"idNumber": person}, ground=1),
            f.court_default("C-REMOVED", {"idNumber": person}, ground=1, endedOn=day()),
        ],
        department="COURT",
    )
    await gql.ok(
        'mutation { fileObjection(listingId: "UNDER-OBJECTION", reason: "数据有误") { id } }'
    )
    return firm, person


def ids(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {r["id"]: r["status"] for r in rows}


@pytest.mark.neo4j
async def test_public_sees_only_listings_in_force_today(gql: GQL, settings: Settings) -> None:
    firm, person = await listings_story(gql, settings.today())
    public = await gql.ok(LISTINGS, {"u": firm, "p": person}, actor=PUBLIC)
    assert ids(public["enterprise"]["listings"]) == {
        "IN-FORCE": "ACTIVE",
        "RED-IN-FORCE": "ACTIVE",
        "UNDER-OBJECTION": "SUSPENDED",  # measures paused while verified; still published
        "EXPIRES-TOMORROW": "ACTIVE",
    }
    assert ids(public["person"]["listings"]) == {"P-IN-FORCE": "ACTIVE", "C-IN-FORCE": "ACTIVE"}
    # Asking about a past date does not bring back what has ended since.
    past = await gql.ok(
        'query ($u: String!) { enterprise(uscc: $u) { listings(asOf: "2025-01-01") { id } } }',
        {"u": firm},
        actor=PUBLIC,
    )
    assert "ENDED" not in {r["id"] for r in past["enterprise"]["listings"]}
    # One by id: null for PUBLIC once ended (each end reason, expiry) or not yet in force.
    one = "query ($id: String!) { listing(id: $id) { id status } }"
    for ident in ("EXPIRED", "ENDED", "REPAIRED", "REVOKED", "NOT-YET", "C-REMOVED", "P-REPAIRED"):
        assert (await gql.ok(one, {"id": ident}, actor=PUBLIC))["listing"] is None, ident
        assert (await gql.ok(one, {"id": ident}))["listing"]["id"] == ident  # ADMIN: kept
    suspended = await gql.ok(one, {"id": "UNDER-OBJECTION"}, actor=PUBLIC)
    assert suspended["listing"]["status"] == "SUSPENDED"
    # Keyed roles keep the whole history, with states.
    for actor in (Actor(Role.APPROVAL, "key-approval"), INVESTIGATOR):
        full = await gql.ok(LISTINGS, {"u": firm, "p": person}, actor=actor)
        states = ids(full["enterprise"]["listings"])
        assert states["REPAIRED"] == states["EXPIRED"] == states["REVOKED"] == "ENDED"
        assert states["NOT-YET"] == "NOT_YET" and states["WATCH"] == "ACTIVE"
        assert ids(full["person"]["listings"])["C-REMOVED"] == "ENDED"


@pytest.mark.neo4j
async def test_public_aggravation_counts_only_published_listings(
    gql: GQL, settings: Settings
) -> None:
    firm = f.uscc()
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林加重测试有限公司"),
            f.listing("AGG-1", {"uscc": firm}, start="2024-01-01"),
            f.listing(
                "AGG-2",
                {"uscc": firm},
                domain="TAX",
                department="TAX",
                start="2024-01-01",
                endedOn="2025-01-01",  # after its one year: TAX listings may be repaired early
                endReason="REPAIRED",
            ),
        ],
        department="ECOENV",
    )
    query = '{ enterprise(uscc: "' + firm + '") { aggravated(asOf: "2024-06-01") } }'
    assert (await gql.ok(query))["enterprise"]["aggravated"] is True
    assert (await gql.ok(query, actor=PUBLIC))["enterprise"]["aggravated"] is False


# --- 3. every investigator read of a person is audited --------------------------------------


@pytest.mark.neo4j
async def test_investigator_reads_without_personal_fields_are_audited(
    gql: GQL, graph: Store
) -> None:
    values = await story(graph)
    boss, firm = values["$PERSON"], values["$FIRM"]
    await load(graph, [f.listing("AUD-1", {"uscc": firm}, start="2024-01-01")])
    from graphql_engine.build import SDL_SCHEMA

    person_type = SDL_SCHEMA._schema.type_map["Person"]
    reads = {
        f"person.{name}": "query R($p: String!) { person(idNumber: $p) { "
        + (f"{name} {{ __typename }}" if hasattr(_inner(field.type), "fields") else name)
        + " } }"
        for name, field in person_type.fields.items()  # type: ignore[attr-defined]
        if name not in ("idNumber", "birthDate", "address", "phone")
    }
    reads["search"] = (
        'query R { search(text: "覃秘密") { nodes { subject { ... on Person { name } } } } }'
    )
    reads["search by id"] = "query R($p: String!) { search(text: $p) { nodes { score } } }"
    reads["derivedEntries"] = 'query R { listing(id: "AUD-1") { derivedEntries { roles } } }'
    reads["roles.holder"] = (
        'query R { enterprise(uscc: "'
        + firm
        + '") { roles { holder { ... on Person { name } } } } }'
    )
    for what, query in reads.items():
        before = len(await audit_entries(gql, keyId=INVESTIGATOR.key_id, subject=boss))
        variables = {"p": boss} if "$p" in query else None
        await gql.ok(query, variables, actor=INVESTIGATOR)
        after = await audit_entries(gql, keyId=INVESTIGATOR.key_id, subject=boss)
        assert len(after) == before + 1, what
        assert after[0]["role"] == "INVESTIGATOR" and after[0]["operation"] == "R", what
    # Masked roles still leave no audit entry.
    await gql.ok(reads["person.name"], {"p": boss}, actor=Actor(Role.APPROVAL, "key-approval"))
    assert await audit_entries(gql, keyId="key-approval") == []


def _inner(type_: Any) -> Any:
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_


# --- 5. labels and subjects fail closed ------------------------------------------------------


def _context(role: Role) -> Any:
    from hub.settings import load_settings
    from resolvers.context import HubContext

    return HubContext(
        store=None,  # type: ignore[arg-type]
        settings=load_settings(),
        actor=Actor(role, key_id=f"key-{role.value.lower()}"),
        request_id="unit",
        loaders=None,  # type: ignore[arg-type]
    )


def test_a_nameless_person_is_labelled_masked() -> None:
    from schema.graph import GraphBuilder

    number = f.id_number()
    for role in (Role.APPROVAL, Role.PUBLIC, Role.DEPARTMENT):
        builder = GraphBuilder(_context(role), dt.date(2026, 1, 1))
        node = builder.node(("Person", number), {})
        assert node.label == mask_id_number(number)
        assert number not in repr(node.label)
    full = GraphBuilder(_context(Role.INVESTIGATOR), dt.date(2026, 1, 1))
    assert full.node(("Person", number), {}).label == number


def test_a_listing_without_subject_label_never_renders_a_person_as_an_enterprise() -> None:
    from hub.store.listing_reads import listing_row
    from schema.listings import Listing
    from schema.subjects import Enterprise, Person

    number, code = f.id_number(), f.uscc()
    day = dt.date(2026, 1, 1)

    def listing(stored: Mapping[str, object]) -> Listing:
        return Listing(row=listing_row({"effectiveFrom": day, **stored}), as_of=day)

    as_person = listing({"subject": {"idNumber": number, "name": "韦"}}).subject()
    assert isinstance(as_person, Person)
    as_firm = listing({"subject": {"uscc": code}}).subject()
    assert isinstance(as_firm, Enterprise)
    assert listing({"subject": {"name": "无标识"}}).subject() is None
    mislabelled = {"subjectLabel": "Enterprise", "subject": {"idNumber": number}}
    assert listing(mislabelled).subject() is None


# --- 6. "today" of the ID number rules is the configured time zone's -------------------------


@pytest.mark.neo4j
async def test_future_birth_dates_are_judged_in_the_configured_zone(
    graph: Store, settings: Settings
) -> None:
    """Pick a zone whose date differs from the host's right now: one a day ahead (a birth
    on its today is real there) or one a day behind (the host's today is still its future)."""
    host = dt.date.today()
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        zone_today = dt.datetime.now(ZoneInfo(zone)).date()
        if zone_today != host:
            break
    assert zone_today != host
    gql = GQL(graph, settings.model_copy(update={"timezone": zone}))
    query = "query($i: String!) { person(idNumber: $i) { name } }"
    born_today = make_id_number("451031", zone_today, 7)
    assert (await gql.ok(query, {"i": born_today}, actor=PUBLIC))["person"] is None
    tomorrow = make_id_number("451031", zone_today + dt.timedelta(days=1), 7)
    refused = await gql(query, {"i": tomorrow}, actor=PUBLIC)
    assert refused.errors and refused.errors[0].extensions["code"] == "INVALID_ID_NUMBER"
    assert "is in the future" in refused.errors[0].message


def test_default_today_of_the_id_rules_is_asia_shanghai(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 20:00 UTC it is already the next day in Shanghai: a birth on Shanghai's date is
    real, the day after is in the future (the host's own date would refuse the first)."""
    from hub.identifiers import InvalidIdentifier, parse_id_number

    instant = dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC)

    class Evening(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(dt, "datetime", Evening)  # the module hub.identifiers reads too
    shanghai = dt.date(2026, 11, 27)
    parse_id_number(make_id_number("451031", shanghai, 3))
    with pytest.raises(InvalidIdentifier, match="in the future"):
        parse_id_number(make_id_number("451031", shanghai + dt.timedelta(days=1), 3))
