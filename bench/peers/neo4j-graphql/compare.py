"""`make bench-peer`: the hub against @neo4j/graphql on the same Neo4j, the same three reads.

The peer is what a team that does not adopt CreditHub would run: @neo4j/graphql 7 on Apollo
Server 5 with neo4j-driver 6 (server.mjs, typeDefs.graphql beside this file), over the hub's
own bench graph. Three reads, each through both servers with the same answers checked first:

* **profile** — an enterprise with its roles, shareholders and latest 20 actions;
* **search** — a name search, first page of 10 (the peer runs the hub's own full-text
  statement as a ``@cypher`` field, with the Lucene query the hub builds from the words);
* **tree** — the shareholder chain of an enterprise five levels up.

The hub is asked as an INVESTIGATOR (full personal data, as the peer shows it; each request is
audited, which the peer does not do). For each read, at concurrency 1 and 8, rounds alternate
between the two servers (the machine drifts); the table gives requests/s, p50, p99 and the
server's CPU per request. The last line is the ratio the issue's goal reads: the hub's
requests/s over the peer's, the lowest of the six (goal ≥ 2).

    PYTHONPATH=. .venv/bin/python bench/peers/neo4j-graphql/compare.py --enterprises 100000 --reuse
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.check_bench import _prepare
from bench.rawhttp import RawClient
from bench.support import bench_instance, cpu_seconds, hub_server
from hub.auth import Role
from hub.keys import create_key
from hub.neo4j_local import connection
from hub.settings import load_settings
from hub.store import Store, open_driver
from resolvers.subjects import SEARCH_POOL, lucene_query

HERE = Path(__file__).resolve().parent
HUB_PORT, PEER_PORT = 8771, 8772
WORDS = ["隆林", "合作社", "养殖", "建材", "运输", "百货店", "新州镇", "金鑫", "茶业", "宏达"]

HOLDER_HUB = "... on Person { idNumber name } ... on Enterprise { uscc name }"
HOLDER_PEER = "... on Person { idNumber name } ... on Enterprise { uscc name }"

HUB_PROFILE = f"""query($u: String!) {{ enterprise(uscc: $u) {{ uscc name kind registeredOn
  roles {{ role title from to holder {{ {HOLDER_HUB} }} }}
  shareholders {{ share from to holder {{ {HOLDER_HUB} }} }}
  actions(first: 20) {{ nodes {{ id type decisionDate title }} }} }} }}"""

_ROLE_EDGES = "edges {{ properties {{ role title from to }} node {{ {} }} }}"
PEER_PROFILE = f"""query($u: String!) {{ enterprises(where: {{uscc: {{eq: $u}}}}) {{
  uscc name kind registeredOn
  legalRepresentativesConnection {{ {_ROLE_EDGES.format("idNumber name")} }}
  principalsConnection {{ {_ROLE_EDGES.format("idNumber name")} }}
  officersConnection {{ {_ROLE_EDGES.format("idNumber name")} }}
  practitionersConnection {{ {_ROLE_EDGES.format("idNumber name")} }}
  controllersConnection {{ {_ROLE_EDGES.format(HOLDER_PEER)} }}
  shareholdersConnection {{ edges {{ properties {{ share from to }} node {{ {HOLDER_PEER} }} }} }}
  actions(sort: [{{decisionDate: DESC}}, {{id: DESC}}], limit: 20) {{ id type decisionDate title }}
}} }}"""

HUB_SEARCH = f"""query($t: String!) {{ search(text: $t, first: 10) {{ nodes {{
  subject {{ {HOLDER_HUB} }} }} }} }}"""
PEER_SEARCH = f"""query($q: String!, $pool: Int!) {{
  searchSubjects(query: $q, pool: $pool, skip: 0, limit: 10) {{ {HOLDER_PEER} }} }}"""


def _nested(levels: int, field: str, edge: str) -> str:
    inner = "uscc name"
    for _ in range(levels):
        inner = (
            f"uscc name {field} {{ {edge} holder {{ ... on Person {{ idNumber name }} "
            f"... on Enterprise {{ {inner} }} }} }}"
        )
    return inner


HUB_TREE = (
    "query($u: String!) { enterprise(uscc: $u) { " + _nested(5, "shareholders", "share") + " } }"
)


def _peer_nested(levels: int) -> str:
    inner = "uscc name"
    for _ in range(levels):
        inner = (
            "uscc name shareholdersConnection { edges { properties { share } node { "
            f"... on Person {{ idNumber name }} ... on Enterprise {{ {inner} }} }} }} }}"
        )
    return inner


PEER_TREE = (
    "query($u: String!) { enterprises(where: {uscc: {eq: $u}}) { " + _peer_nested(5) + " } }"
)

OFFICER_ROLES = {"DIRECTOR", "SUPERVISOR", "SENIOR_MANAGER"}


def _key(holder: dict[str, Any]) -> tuple[str, str]:
    return (holder.get("uscc") or holder["idNumber"], holder["name"])


def hub_profile(data: Any) -> Any:
    e = data["enterprise"]
    roles = sorted(
        (r["role"], r["title"], r["from"], r["to"], _key(r["holder"])) for r in e["roles"]
    )
    shares = sorted((s["share"], s["from"], s["to"], _key(s["holder"])) for s in e["shareholders"])
    actions = [(a["id"], a["type"], a["decisionDate"], a["title"]) for a in e["actions"]["nodes"]]
    return (e["uscc"], e["name"], e["kind"], e["registeredOn"], roles, shares, actions)


def peer_profile(data: Any) -> Any:
    e = data["enterprises"][0]
    roles = []
    for name in ("legalRepresentatives", "principals", "officers", "practitioners", "controllers"):
        for edge in e[f"{name}Connection"]["edges"]:
            p = edge["properties"]
            roles.append((p["role"], p["title"], p["from"], p["to"], _key(edge["node"])))
    shares = [
        (
            edge["properties"]["share"],
            edge["properties"]["from"],
            edge["properties"]["to"],
            _key(edge["node"]),
        )
        for edge in e["shareholdersConnection"]["edges"]
    ]
    actions = [(a["id"], a["type"], a["decisionDate"], a["title"]) for a in e["actions"]]
    return (
        e["uscc"],
        e["name"],
        e["kind"],
        e["registeredOn"],
        sorted(roles),
        sorted(shares),
        actions,
    )


def hub_search(data: Any) -> Any:
    return [_key(hit["subject"]) for hit in data["search"]["nodes"]]


def peer_search(data: Any) -> Any:
    return [_key(subject) for subject in data["searchSubjects"]]


def _hub_tree(node: dict[str, Any]) -> Any:
    if "uscc" not in node:
        return _key(node)
    return (
        node["uscc"],
        node["name"],
        sorted((s["share"], _hub_tree(s["holder"])) for s in node.get("shareholders") or []),
    )


def _peer_tree(node: dict[str, Any]) -> Any:
    if "uscc" not in node:
        return _key(node)
    edges = (node.get("shareholdersConnection") or {}).get("edges") or []
    return (
        node["uscc"],
        node["name"],
        sorted((e["properties"]["share"], _peer_tree(e["node"])) for e in edges),
    )


def hub_tree(data: Any) -> Any:
    return _hub_tree(data["enterprise"])


def peer_tree(data: Any) -> Any:
    return _peer_tree(data["enterprises"][0])


Read = tuple[str, str, Callable[[Any], Any], Callable[[Any], Any]]
READS: dict[str, Read] = {
    "profile": (HUB_PROFILE, PEER_PROFILE, hub_profile, peer_profile),
    "search": (HUB_SEARCH, PEER_SEARCH, hub_search, peer_search),
    "tree": (HUB_TREE, PEER_TREE, hub_tree, peer_tree),
}


def _variables(read: str, subject: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if read == "search":
        return {"t": subject}, {"q": lucene_query(subject), "pool": SEARCH_POOL}
    return {"u": subject}, {"u": subject}


async def _samples(store: Store, count: int, seed: int) -> dict[str, list[str]]:
    from hub.store.adapter import Runner, rows

    async def pick(tx: Runner) -> dict[str, list[str]]:
        profiles = await rows(
            tx,
            "MATCH (e:Enterprise) WHERE EXISTS { (e)<-[:LEGAL_REPRESENTATIVE_OF]-() } "
            "AND EXISTS { (e)<-[:HOLDS_SHARES]-() } AND EXISTS { (e)<-[:ABOUT]-() } "
            "RETURN e.uscc AS u LIMIT 5000",
            {},
        )
        chains = await rows(
            tx,
            "MATCH (e:Enterprise)<-[:HOLDS_SHARES]-(:Enterprise)<-[:HOLDS_SHARES]-(:Enterprise) "
            "RETURN DISTINCT e.uscc AS u LIMIT 5000",
            {},
        )
        return {"profile": [r["u"] for r in profiles], "tree": [r["u"] for r in chains]}

    found = await store.read(pick)
    rng = random.Random(seed)
    return {
        "profile": rng.sample(found["profile"], min(count, len(found["profile"]))),
        "tree": rng.sample(found["tree"], min(count, len(found["tree"]))),
        "search": WORDS,
    }


async def _answer(client: RawClient, path: str, query: str, variables: dict[str, Any]) -> Any:
    status, body = await client.post(path, {"query": query, "variables": variables})
    if status != 200 or not isinstance(body, dict) or body.get("errors"):
        raise SystemExit(f"{path} answered {status}: {str(body)[:500]}")
    return body["data"]


async def _same_answers(hub: RawClient, peer: RawClient, samples: dict[str, list[str]]) -> int:
    checked = 0
    for read, (hub_query, peer_query, hub_view, peer_view) in READS.items():
        for subject in samples[read]:
            hub_vars, peer_vars = _variables(read, subject)
            mine = hub_view(await _answer(hub, "/graphql", hub_query, hub_vars))
            theirs = peer_view(await _answer(peer, "/", peer_query, peer_vars))
            if mine != theirs:
                raise SystemExit(
                    f"{read} of {subject}: the answers differ\nhub:  {mine}\npeer: {theirs}"
                )
            checked += 1
    return checked


async def _round(
    client: RawClient, path: str, query: str, variables: list[dict[str, Any]], concurrency: int
) -> tuple[list[float], float]:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for item in variables:
        queue.put_nowait(item)
    latencies: list[float] = []

    async def worker() -> None:
        while not queue.empty():
            item = queue.get_nowait()
            began = time.perf_counter()
            await _answer(client, path, query, item)
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - began


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    await _prepare(store, settings, args)
    samples = await _samples(store, args.samples, args.seed)
    _, token = await create_key(store, Role.INVESTIGATOR, None, "bench-peer")
    await driver.close()
    conn = connection(settings, "bench")
    peer_env = dict(
        os.environ, NEO4J_URI=conn.uri, NEO4J_PASSWORD=conn.password, PORT=str(PEER_PORT)
    )
    node = shutil.which("node")
    if node is None:
        raise SystemExit("the peer needs Node.js (node) on the PATH")
    peer = await asyncio.create_subprocess_exec(
        node, str(HERE / "server.mjs"), env=peer_env, stdout=asyncio.subprocess.PIPE
    )
    try:
        line = (await peer.stdout.readline()).decode() if peer.stdout else ""
        if "ready" not in line:
            raise SystemExit(f"the peer did not start: {line}")
        async with hub_server(settings, HUB_PORT) as hub_pid:
            headers = {"Authorization": f"Bearer {token}"}
            async with (
                RawClient("127.0.0.1", HUB_PORT, headers, 8) as hub,
                RawClient("127.0.0.1", PEER_PORT, {}, 8) as other,
            ):
                checked = await _same_answers(hub, other, samples)
                print(f"same answers from both on {checked} requests")
                return await _measure(args, samples, hub, other, hub_pid, peer.pid)
    finally:
        peer.terminate()
        await asyncio.wait_for(peer.wait(), timeout=30)


async def _measure(
    args: argparse.Namespace,
    samples: dict[str, list[str]],
    hub: RawClient,
    peer: RawClient,
    hub_pid: int,
    peer_pid: int,
) -> int:
    rng = random.Random(args.seed)
    ratios = []
    head = ("read", "c", "server", "req/s", "p50 ms", "p99 ms", "CPU ms/req")
    print("{:<8} {:>2} {:<5} {:>8} {:>8} {:>8} {:>10}".format(*head))
    for read, (hub_query, peer_query, _, _) in READS.items():
        for concurrency in (1, 8):
            totals: dict[str, dict[str, Any]] = {
                name: {"lat": [], "wall": 0.0, "cpu": 0.0, "n": 0} for name in ("hub", "peer")
            }
            for _ in range(args.rounds):
                subjects = [rng.choice(samples[read]) for _ in range(args.requests)]
                for name, client, path, query, pid in (
                    ("hub", hub, "/graphql", hub_query, hub_pid),
                    ("peer", peer, "/", peer_query, peer_pid),
                ):
                    index = 0 if name == "hub" else 1
                    variables = [_variables(read, s)[index] for s in subjects]
                    cpu = cpu_seconds(pid)
                    latencies, wall = await _round(client, path, query, variables, concurrency)
                    total = totals[name]
                    total["cpu"] += cpu_seconds(pid) - cpu
                    total["lat"] += latencies
                    total["wall"] += wall
                    total["n"] += len(latencies)
            rates = {}
            for name, total in totals.items():
                rates[name] = total["n"] / total["wall"]
                print(
                    f"{read:<8} {concurrency:>2} {name:<5} {rates[name]:>8.1f} "
                    f"{statistics.median(total['lat']) * 1000:>8.2f} "
                    f"{_percentile(total['lat'], 0.99) * 1000:>8.2f} "
                    f"{total['cpu'] / total['n'] * 1000:>10.2f}"
                )
            ratios.append((rates["hub"] / rates["peer"], read, concurrency))
    for ratio, read, concurrency in ratios:
        print(f"hub/peer requests/s, {read} at c={concurrency}: {ratio:.2f}")
    worst = min(ratios)
    where = f"lowest of six, {worst[1]} c={worst[2]}; goal >= 2"
    print(f"ratio hub/peer requests/s ({where}): {worst[0]:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="reuse the bench graph loaded")
    parser.add_argument("--requests", type=int, default=200, help="requests per round")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per server")
    parser.add_argument("--samples", type=int, default=60, help="subjects checked and asked")
    parser.add_argument("--wide", type=int, default=5)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
