"""The event log against real Neo4j: an event per change in the change's transaction, gapless
numbers under concurrent writers, filters, masking, watchlists, and the subscription over a
real WebSocket that a consumer leaves and resumes (docs/feeds.md)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
import uvicorn
import websockets
from neo4j import AsyncManagedTransaction

from hub.app import create_app
from hub.auth import PUBLIC, Actor, Role
from hub.cli import server_options
from hub.errors import HubError
from hub.keys import create_key
from hub.settings import Settings
from hub.store import Store, listing_changes
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = [pytest.mark.neo4j]

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
APPROVAL = Actor(Role.APPROVAL, "key-approval")
INVESTIGATOR = Actor(Role.INVESTIGATOR, "key-inv")

EVENTS = """
query ($after: Int!, $first: Int!, $filter: EventFilter) {
  events(after: $after, first: $first, filter: $filter) {
    last hasMore
    events { seq type on subjectKey subjectKind listingId sourceId list domain department
             derived grade reason public }
  }
}
"""


async def all_events(gql: GQL, actor: Actor = INVESTIGATOR, **filters: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        variables = {"after": after, "first": 7, "filter": filters or None}
        page = (await gql.ok(EVENTS, variables, actor=actor))["events"]
        found += page["events"]
        after = page["last"]
        if not page["hasMore"]:
            return found


async def counter(store: Store) -> int:
    async with store.driver.session(database=store.database) as session:
        record = await (
            await session.run("OPTIONAL MATCH (c:EventCounter) RETURN coalesce(c.seq, 0) AS n")
        ).single()
        assert record is not None
        return int(record["n"])


async def story(gql: GQL) -> tuple[str, str]:
    """An enterprise with its legal representative, listed BLACK by ECOENV, graded B."""
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    report = await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
            f.listing("ECO-1", {"uscc": firm}),
            {
                "kind": "evaluation",
                "subject": {"uscc": firm},
                "grade": "B",
                "evaluatedOn": "2024-01-01",
                "source": "NDRC",
            },
        ],
    )
    assert report.rejected == 0, report
    return firm, rep


async def test_each_change_writes_its_event_numbered_without_gaps(gql: GQL) -> None:
    firm, rep = await story(gql)
    first = await all_events(gql)
    assert [(e["type"], e["subjectKey"]) for e in first] == [
        ("LISTED", firm),
        ("DERIVED_ADDED", rep),
        ("EVALUATION_CHANGED", firm),
    ]
    assert first[0]["domain"] == "ENVIRONMENT" and first[0]["department"] == "ECOENV"
    assert first[0]["on"] == "2024-03-01"  # no decision date: its effectiveFrom
    assert first[1]["sourceId"] == "ECO-1" and first[1]["derived"] is True
    assert first[2]["grade"] == "B"
    # The same upload again changes nothing: no event either.
    await story_again(gql, firm, rep)
    assert len(await all_events(gql)) == 3

    file = 'mutation { fileObjection(listingId: "ECO-1", reason: "数据有误", on: "2024-05-01") { id } }'
    objection = (await gql.ok(file, actor=ECO))["fileObjection"]["id"]
    resolve = """mutation ($id: String!) {
      resolveObjection(id: $id, upheld: true, reason: "核查属实", on: "2024-05-10") { status } }"""
    await gql.ok(resolve, {"id": objection}, actor=ECO)
    found = await all_events(gql)
    assert [e["type"] for e in found[3:]] == [
        "SUSPENDED",
        "OBJECTION_UPHELD",
        "REVOKED",
        "DERIVED_ENDED",
    ]
    assert found[-1]["subjectKey"] == rep and found[-1]["on"] == "2024-05-10"
    assert [e["seq"] for e in found] == list(range(1, len(found) + 1))
    assert await counter(gql.store) == len(found)


async def story_again(gql: GQL, firm: str, rep: str) -> None:
    report = await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
            f.listing("ECO-1", {"uscc": firm}),
        ],
    )
    assert report.rejected == 0


async def test_ending_a_listing_ends_its_derived_entries_in_the_feed(gql: GQL) -> None:
    _, rep = await story(gql)
    end = 'mutation { endListing(id: "ECO-1", reason: "整改到位", on: "2025-01-01") { status } }'
    await gql.ok(end, actor=ECO)
    found = await all_events(gql, types=["ENDED", "DERIVED_ENDED"])
    assert [(e["type"], e["on"]) for e in found] == [
        ("ENDED", "2025-01-01"),
        ("DERIVED_ENDED", "2025-01-01"),
    ]
    assert found[1]["subjectKey"] == rep and found[0]["reason"] == "整改到位"


async def test_a_failed_write_leaves_neither_the_change_nor_its_event(gql: GQL) -> None:
    await story(gql)
    before = await counter(gql.store)

    async def end_then_fail(tx: AsyncManagedTransaction) -> None:
        change = listing_changes.Change(
            on=dt.date(2025, 1, 1),
            note="整改到位",
            by="key-eco",
            department="ECOENV",
            now=dt.datetime.now(dt.UTC),
            batch="m-failed",
        )
        await listing_changes.end_listing(tx, "ECO-1", "ENDED", change, lambda listing: None)
        raise HubError("a later step of the workflow failed")

    with pytest.raises(HubError):
        await gql.store.write(end_then_fail)
    state = await gql.ok('{ listing(id: "ECO-1") { status events { type } } }')
    assert state["listing"]["status"] == "ACTIVE"
    assert [e["type"] for e in state["listing"]["events"]] == ["LISTED"]
    assert await counter(gql.store) == before
    assert [e["type"] for e in await all_events(gql)][-1] == "EVALUATION_CHANGED"
    # The next change takes the next number: the failed one left no gap.
    end = 'mutation { endListing(id: "ECO-1", reason: "整改到位", on: "2025-01-01") { status } }'
    await gql.ok(end, actor=ECO)
    assert [e["seq"] for e in await all_events(gql)] == list(range(1, before + 3))


async def test_concurrent_imports_and_workflows_number_every_event_once(gql: GQL) -> None:
    firms = [f.uscc() for _ in range(12)]
    await load(gql.store, [f.enterprise(code) for code in firms])
    base = await counter(gql.store)

    async def upload(n: int) -> None:
        lines = [f.listing(f"ECO-C{n}-{i}", {"uscc": firms[(n + i) % 12]}) for i in range(5)]
        report = await load(gql.store, lines, department="ECOENV")
        assert report.rejected == 0, report

    async def list_one(n: int) -> None:
        listing = {
            "id": f"ECO-M{n}",
            "subject": {"uscc": firms[n]},
            "list": "BLACK",
            "domain": "ENVIRONMENT",
            "basis": "《环境保护法》第六十三条",
            "effectiveFrom": "2024-03-01",
        }
        await gql.ok(
            "mutation ($input: ListingInput!) { listSubject(input: $input) { id } }",
            {"input": listing},
            actor=ECO,
        )

    await asyncio.gather(*(upload(n) for n in range(6)), *(list_one(n) for n in range(6)))
    found = await all_events(gql)
    numbers = [e["seq"] for e in found]
    assert numbers == list(range(1, base + 36 + 1))
    listed = sorted(e["listingId"] for e in found if e["type"] == "LISTED")
    expected = [f"ECO-C{n}-{i}" for n in range(6) for i in range(5)]
    assert listed == sorted(expected + [f"ECO-M{n}" for n in range(6)])


async def test_filters_roles_and_masking(gql: GQL) -> None:
    firm, rep = await story(gql)
    other = f.uscc()
    await load(
        gql.store,
        [f.enterprise(other), f.listing("ECO-W", {"uscc": other}, kind="WATCH", domain="TAX")],
    )
    public = await all_events(gql, actor=PUBLIC)
    assert [(e["type"], e["subjectKey"], e["reason"]) for e in public] == [("LISTED", firm, None)]
    masked = await all_events(gql, actor=APPROVAL)
    derived = [e for e in masked if e["type"] == "DERIVED_ADDED"]
    assert derived and derived[0]["subjectKey"] == rep[:4] + "*" * 10 + rep[-4:]
    assert rep not in orjson.dumps(masked).decode()
    assert [e["subjectKey"] for e in await all_events(gql) if e["derived"]] == [rep]

    assert [e["listingId"] for e in await all_events(gql, domains=["TAX"])] == ["ECO-W"]
    by_subject = await all_events(gql, subjects=[{"uscc": firm}])
    assert {e["type"] for e in by_subject} == {"LISTED", "EVALUATION_CHANGED"}
    only = await all_events(gql, types=["EVALUATION_CHANGED"])
    assert [e["grade"] for e in only] == ["B"]
    bad = await gql(EVENTS, {"after": 0, "first": 5, "filter": {"subjects": [{"uscc": "X"}]}})
    assert bad.errors and bad.errors[0].extensions["code"] == "INVALID_USCC"

    # A watchlist: the key's own; PUBLIC has none.
    watch = """mutation ($s: [SubjectRef!], $d: [String!]) {
      watch(subjects: $s, domains: $d) { subjects domains } }"""
    data = await gql.ok(watch, {"s": [{"idNumber": rep}], "d": ["TAX"]}, actor=APPROVAL)
    assert data["watch"] == {"subjects": [rep[:4] + "*" * 10 + rep[-4:]], "domains": ["TAX"]}
    watched = await all_events(gql, actor=APPROVAL, watchlist=True)
    assert [e["type"] for e in watched] == ["DERIVED_ADDED", "LISTED"]
    unwatch = 'mutation { unwatch(domains: ["TAX"]) { domains } }'
    assert (await gql.ok(unwatch, actor=APPROVAL))["unwatch"] == {"domains": []}
    assert [e["type"] for e in await all_events(gql, actor=APPROVAL, watchlist=True)] == [
        "DERIVED_ADDED"
    ]
    unknown = await gql(watch, {"s": [], "d": ["NO_SUCH_DOMAIN"]}, actor=APPROVAL)
    assert unknown.errors and unknown.errors[0].extensions["field"] == "domains"
    refused = await gql(watch, {"s": [], "d": ["TAX"]}, actor=PUBLIC)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"


# --- the subscription over a real WebSocket -----------------------------------------------------

SERVER_LEFT_OUT = {"workers", "port", "host"}
SUBSCRIBE = "subscription ($after: Int!) { events(after: $after) { seq type listingId } }"


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[int]:
    app = create_app(settings, "test")
    # the options `credit-hub serve` gives uvicorn (its HTTP protocol and transport included)
    options = {k: v for k, v in server_options(settings).items() if k not in SERVER_LEFT_OUT}
    options["log_level"] = "warning"
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **options))
    task = asyncio.create_task(server.serve())
    for _ in range(400):  # up to 20 s
        if server.started:
            break
        await asyncio.sleep(0.05)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        await task


async def subscribe(port: int, after: int, token: str | None) -> Any:
    socket = await websockets.connect(
        f"ws://127.0.0.1:{port}/graphql",
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
    )
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await socket.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
    ack = orjson.loads(await asyncio.wait_for(socket.recv(), 10))
    assert ack["type"] == "connection_ack", ack
    message = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": SUBSCRIBE, "variables": {"after": after}},
    }
    await socket.send(orjson.dumps(message).decode())
    return socket


async def receive(socket: Any, count: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    while len(got) < count:
        message = orjson.loads(await asyncio.wait_for(socket.recv(), 10))
        assert message["type"] == "next", message
        got.append(message["payload"]["data"]["events"])
    return got


async def upload(gql: GQL, firm: str, first: int, count: int) -> None:
    lines = [f.listing(f"ECO-S{i}", {"uscc": firm}) for i in range(first, first + count)]
    report = await load(gql.store, lines, department="ECOENV")
    assert report.rejected == 0


async def test_a_subscriber_that_drops_and_resumes_gets_every_event_once_in_order(
    gql: GQL, settings: Settings
) -> None:
    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm)])
    await upload(gql, firm, 0, 4)
    _, token = await create_key(gql.store, Role.APPROVAL, None, "feed")
    async with serving(settings) as port:
        socket = await subscribe(port, 0, token)
        seen = await receive(socket, 4)  # the replay
        await upload(gql, firm, 4, 3)  # live, while subscribed
        seen += await receive(socket, 2)
        await socket.close()  # drops mid-stream: one live event not yet read
        await upload(gql, firm, 7, 3)  # while away
        socket = await subscribe(port, seen[-1]["seq"], token)
        seen += await receive(socket, 4)
        await upload(gql, firm, 10, 2)
        seen += await receive(socket, 2)
        await socket.close()
    assert [e["seq"] for e in seen] == list(range(1, 13))
    assert [e["listingId"] for e in seen] == [f"ECO-S{i}" for i in range(12)]


async def test_a_subscription_with_a_bad_key_is_refused(gql: GQL, settings: Settings) -> None:
    async with serving(settings) as port:
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/graphql",
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        )
        init = {"type": "connection_init", "payload": {"authorization": "Bearer chk_nope"}}
        await socket.send(orjson.dumps(init).decode())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def _first(gql: GQL, document: str) -> Any:
    """The first result of a subscription run in process as PUBLIC."""
    from resolvers.context import make_context

    context = make_context(gql.store, gql.settings, PUBLIC, "test-ws")
    stream: Any = await gql.schema.subscribe(document, context_value=context)
    return await stream.__anext__()


async def test_the_document_limits_and_the_role_matrix_apply_to_subscriptions(gql: GQL) -> None:
    """A subscription goes through the same extension as a query (graphql_engine/extensions.py):
    the token limit before parsing, the role matrix and the resolver's rules when it runs."""
    fields = " ".join(["seq type"] * 400)  # over the anonymous token limit
    refused = await _first(gql, f"subscription {{ events {{ {fields} }} }}")
    assert refused.errors[0].extensions["code"] == "GRAPHQL_PARSE_FAILED"
    nobody = await _first(gql, "subscription { events(filter: {watchlist: true}) { seq } }")
    assert nobody.errors[0].extensions["code"] == "UNAUTHENTICATED"


async def test_a_subscription_audits_an_investigators_reads_of_persons_as_it_sends_them(
    gql: GQL,
) -> None:
    from resolvers.context import make_context

    _, rep = await story(gql)
    context = make_context(gql.store, gql.settings, INVESTIGATOR, "test-ws-audit")
    stream: Any = await gql.schema.subscribe(
        "subscription { events(filter: {types: [DERIVED_ADDED]}) { seq subjectKey } }",
        context_value=context,
    )
    first = await stream.__anext__()
    assert first.data["events"]["subjectKey"] == rep
    async with gql.store.driver.session(database=gql.store.database) as session:
        record = await (
            await session.run(
                "MATCH (a:AuditEntry {requestId: 'test-ws-audit'}) RETURN a.subjects AS s"
            )
        ).single()
    await stream.aclose()
    assert record is not None and record["s"] == [rep]


async def test_a_subscription_takes_the_key_from_the_handshake_header_too(
    gql: GQL, settings: Settings
) -> None:
    firm = f.uscc()
    await load(
        gql.store, [f.enterprise(firm), f.listing("ECO-WATCH", {"uscc": firm}, kind="WATCH")]
    )
    _, token = await create_key(gql.store, Role.APPROVAL, None, "feed")
    async with serving(settings) as port:
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/graphql",
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
            additional_headers={"Authorization": f"Bearer {token}"},
        )
        await socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
        assert orjson.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "connection_ack"
        message = {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": SUBSCRIBE, "variables": {"after": 0}},
        }
        await socket.send(orjson.dumps(message).decode())
        (event,) = await receive(socket, 1)  # a WATCH listing: not public, the key sees it
        assert event["listingId"] == "ECO-WATCH"
        await socket.close()


async def test_a_workflow_emits_with_one_call_and_an_unknown_type_fails_its_change(
    gql: GQL,
) -> None:
    from hub.store.events import emit

    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm)])
    before = await counter(gql.store)
    now = dt.datetime.now(dt.UTC)

    async def workflow(tx: AsyncManagedTransaction, kind: str) -> None:
        await emit(
            tx,
            [
                {
                    "type": kind,
                    "subjectKey": firm,
                    "subjectLabel": "Enterprise",
                    "public": True,
                    "on": dt.date(2026, 1, 5),
                }
            ],
            now,
        )

    await gql.store.write(workflow, "UPDATED")
    with pytest.raises(ValueError, match="EVENT_TYPES"):
        await gql.store.write(workflow, "NOT_A_TYPE")
    found = await all_events(gql, actor=PUBLIC)
    assert [(e["seq"], e["type"], e["on"]) for e in found] == [
        (before + 1, "UPDATED", "2026-01-05")
    ]


async def test_a_broken_commitment_and_a_decided_objection_to_an_action_are_events(
    gql: GQL,
) -> None:
    """DESIGN.md lists "commitment broken" and "objection decided" among the events: a
    commitment broken (its code; public when the commitment is; none for one disclosed to no
    one) and an objection to an administrative action decided (its action)."""
    from tests.test_commitments import FULFIL, RECORD, broken_on, commitment_input
    from tests.test_lifecycle_workflows import FILE, RESOLVE

    firm = f.uscc()
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林承诺有限公司"),
            f.action("P-EV", {"uscc": firm}, "PENALTY", department="ECOENV", decided="2026-06-01"),
        ],
        department="ECOENV",
    )
    before = await counter(gql.store)
    codes = []
    for disclosure in ("PUBLIC", "NONE"):
        made = await gql.ok(
            RECORD, {"input": commitment_input(firm, disclosure=disclosure)}, actor=ECO
        )
        codes.append(made["recordCommitment"]["code"])
        await gql.ok(FULFIL, {"code": codes[-1], "input": broken_on("2025-03-10")}, actor=ECO)
    filed = await gql.ok(FILE, {"action": "P-EV", "on": "2026-07-01"}, actor=ECO)
    await gql.ok(
        RESOLVE, {"id": filed["fileObjection"]["id"], "upheld": True, "on": "2026-07-10"}, ECO
    )
    query = """query ($after: Int!) { events(after: $after, first: 50) {
      events { seq type on subjectKey commitmentCode actionId public } } }"""
    found = (await gql.ok(query, {"after": before}, actor=INVESTIGATOR))["events"]["events"]
    assert [e["seq"] for e in found] == list(range(before + 1, before + 1 + len(found)))
    assert [(e["type"], e["commitmentCode"], e["actionId"], e["public"]) for e in found] == [
        ("COMMITMENT_BROKEN", codes[0], None, True),
        ("OBJECTION_FILED", None, "P-EV", False),
        ("OBJECTION_UPHELD", None, "P-EV", False),
    ]
    assert {e["subjectKey"] for e in found} == {firm}
    assert [e["on"] for e in found] == ["2025-03-10", "2026-07-01", "2026-07-10"]
    anonymous = (await gql.ok(query, {"after": before}, actor=PUBLIC))["events"]["events"]
    assert [e["type"] for e in anonymous] == ["COMMITMENT_BROKEN"]


STEPS = """query ($after: Int!) { events(after: $after, first: 100) {
  events { seq type on subjectKey subjectKind listingId actionId recordId result reason public } } }"""


async def steps_after(gql: GQL, after: int, actor: Actor = INVESTIGATOR) -> list[dict[str, Any]]:
    return list((await gql.ok(STEPS, {"after": after}, actor=actor))["events"]["events"])


async def test_every_workflow_step_writes_one_event_public_only_when_its_record_is(
    gql: GQL,
) -> None:
    """The steps that wrote no event before: an objection moving to VERIFYING (to a listing:
    public as the listing; to an action: never), an objection filed against an action, repair
    applications filed (refused at once or pending) and decided, rectification orders and their
    interview and rectification, voluntary information registered and verified. A refused step
    writes nothing; persons' ID numbers are masked for roles that do not see personal data."""
    from tests.test_commitments import REGISTER
    from tests.test_commitments import VERIFY as VERIFY_VOLUNTARY
    from tests.test_lifecycle_workflows import (
        APPLY,
        DECIDE,
        FILE,
        INTERVIEW,
        ORDER,
        RECTIFIED,
        RESOLVE,
        VERIFY,
        repair_input,
    )

    firm, rep, person = f.uscc(), f.id_number("1970-01-01"), f.id_number("1980-02-02")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.person(person, "黄个体"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE", "2010-01-01"),
            f.listing("ECO-1", {"uscc": firm}, domain="TAX", start="2024-03-01"),
            f.action("P-ST", {"uscc": firm}, "PENALTY", department="ECOENV", decided="2026-06-01"),
        ],
        department="ECOENV",
    )
    before = await counter(gql.store)

    async def step(document: str, variables: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = await gql.ok(document, variables, actor=ECO)
        return answer

    # objections: to the listing (FILED is the listing's SUSPENDED), to the action
    on_listing = (await step(FILE, {"listing": "ECO-1", "on": "2024-05-01"}))["fileObjection"]
    await step(VERIFY, {"id": on_listing["id"], "on": "2024-05-02"})
    await step(RESOLVE, {"id": on_listing["id"], "upheld": False, "on": "2024-05-06"})
    on_action = (await step(FILE, {"action": "P-ST", "on": "2026-07-01"}))["fileObjection"]
    await step(VERIFY, {"id": on_action["id"], "on": "2026-07-02"})
    # repair: refused at once (too early), then pending, then approved
    await step(APPLY, {"input": repair_input(on="2025-02-28")})
    pending = (await step(APPLY, {"input": repair_input(on="2025-03-01")}))["applyForRepair"]
    await step(DECIDE, {"id": pending["id"], "approved": True, "on": "2025-03-10"})
    # rectification of a person: ordered, the deadline missed (interview), rectified
    order = {
        "subject": {"idNumber": person},
        "content": "限期清理违规堆放的固体废物",
        "deadline": "2026-11-30",
        "reason": "现场检查发现",
        "on": "2026-11-02",
    }
    made = (await step(ORDER, {"input": order}))["orderRectification"]
    refused = await gql(INTERVIEW, {"id": made["id"], "on": "2026-11-30"}, actor=ECO)
    assert refused.errors  # before the deadline was missed: no interview, no event
    await step(INTERVIEW, {"id": made["id"], "on": "2026-12-01"})
    await step(RECTIFIED, {"id": made["id"], "on": "2026-12-03"})
    # voluntary information: registered (pending), verified
    registered = await step(
        REGISTER,
        {
            "input": {
                "subject": {"uscc": firm},
                "category": "PUBLIC_WELFARE",
                "content": "2024年捐建村道",
                "truthfulnessCommitment": "本单位承诺所填报信息真实、准确、完整",
                "registeredOn": "2025-05-01",
            }
        },
    )
    info = registered["registerVoluntaryInformation"]["id"]
    await step(VERIFY_VOLUNTARY, {"id": info, "accepted": True})

    found = await steps_after(gql, before)
    assert [e["seq"] for e in found] == list(range(before + 1, before + 1 + len(found)))
    repair_refused = found[5]["recordId"]
    assert [
        (e["type"], e["subjectKey"], e["listingId"], e["actionId"], e["recordId"], e["public"])
        for e in found
    ] == [
        ("SUSPENDED", firm, "ECO-1", None, None, True),
        ("OBJECTION_VERIFYING", firm, "ECO-1", None, on_listing["id"], True),
        ("OBJECTION_REJECTED", firm, "ECO-1", None, None, True),
        ("OBJECTION_FILED", firm, None, "P-ST", on_action["id"], False),
        ("OBJECTION_VERIFYING", firm, None, "P-ST", on_action["id"], False),
        ("REPAIR_REFUSED", firm, "ECO-1", None, repair_refused, True),
        ("REPAIR_APPLIED", firm, "ECO-1", None, pending["id"], True),
        ("REPAIR_APPROVED", firm, "ECO-1", None, pending["id"], True),
        ("REPAIRED", firm, "ECO-1", None, None, True),
        ("DERIVED_ENDED", rep, f"ECO-1:{rep}", None, None, False),
        ("RECTIFICATION_ORDERED", person, None, None, made["id"], False),
        ("INTERVIEW_RECORDED", person, None, None, made["id"], False),
        ("RECTIFIED", person, None, None, made["id"], False),
        ("VOLUNTARY_REGISTERED", firm, None, None, info, False),
        ("VOLUNTARY_VERIFIED", firm, None, None, info, True),
    ]
    assert [e["on"] for e in found[3:8]] == [
        "2026-07-01",
        "2026-07-02",
        "2025-02-28",
        "2025-03-01",
        "2025-03-10",
    ]
    assert found[-1]["result"] == "ACCEPTED" and found[-1]["reason"] == "核对原件"
    # PUBLIC: the public steps only, without reasons; a department: persons masked
    anonymous = await steps_after(gql, before, PUBLIC)
    assert [e["type"] for e in anonymous] == [e["type"] for e in found if e["public"]]
    assert all(e["reason"] is None for e in anonymous)
    seen = await steps_after(gql, before, ECO)
    orders = [e for e in seen if e["type"] == "RECTIFICATION_ORDERED"]
    assert orders[0]["subjectKey"] == person[:4] + "*" * 10 + person[-4:]
