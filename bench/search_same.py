"""The search statement of this checkout against another's, on the bench graph: the same hits
in the same order with the same badges' listing states, page by page.

    git worktree add --detach /tmp/search-main main
    .venv/bin/python -m bench.search_same --b /tmp/search-main

The bench's words and pinyin, each with no filter, a kind, a published list and a division, at
four offsets of the pool (the first page, the second, the middle and the deepest). A listing's
state is compared on the fields a state and a badge read (hub/store/listing_states.py
``state_values``). Prints the number of hits compared; stops at the first difference.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import sys
from pathlib import Path
from typing import Any

from bench.search_bench import WORDS
from bench.support import bench_instance
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store import subjects as ours
from hub.store.listing_reads import state_row
from hub.store.listing_states import STATE_DATES, STATE_VALUES
from hub.store.subjects import EnterpriseRow, PersonRow
from resolvers.subjects import SEARCH_POOL, lucene_query

PAGES = ((0, 21), (20, 21), (500, 101), (1000, 101))


def _theirs(checkout: Path) -> Any:
    spec = importlib.util.spec_from_file_location(
        "theirs_subjects", checkout / "hub" / "store" / "subjects.py"
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"no hub/store/subjects.py in {checkout}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _states(row: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A hit's badges' states, from this checkout's ``state_values`` lists or an older one's
    maps."""
    keys = (*STATE_VALUES, *STATE_DATES)
    out = []
    for listing in row["states"] or []:
        if isinstance(listing, list):
            typed = state_row(listing)
            facts = typed.facts
            out.append(
                (
                    typed.id, typed.list_kind, typed.domain, typed.source, typed.derived,
                    facts.effective_from, facts.expires_on, facts.ended_on,
                    sorted((o.filed_on, o.resolved_on or dt.date.max) for o in facts.objections),
                )
            )  # fmt: skip
            continue
        out.append(
            (
                *(listing.get(k) for k in keys),
                sorted(
                    (o.get("filedOn"), o.get("resolvedOn") or dt.date.max)
                    for o in listing["objections"]
                ),
            )
        )
    return sorted(out)


def _node(node: Any) -> Any:
    """A hit's subject as a map of what the hit reads, from a typed row or an older map. The
    other checkout's rows are of its own module's classes (``_theirs`` loads it apart), so
    they are told by their class's name: compared as objects, no two would ever be equal."""
    kind = type(node).__name__
    if isinstance(node, EnterpriseRow) or kind == "EnterpriseRow":
        return {
            "uscc": node.uscc, "name": node.name, "kind": node.kind, "status": node.status,
            "registeredOn": node.registered_on,
        }  # fmt: skip
    if isinstance(node, PersonRow) or kind == "PersonRow":
        return {"idNumber": node.id_number, "name": node.name, "publicServant": node.public_servant}
    return node


async def _main(checkout: Path) -> None:
    settings = Settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    theirs = _theirs(checkout)
    today = dt.date.today()
    filters = [
        None,
        ours.SearchFilter(kind="ENTERPRISE"),
        ours.SearchFilter(listed="BLACK", today=today),
        ours.SearchFilter(division="451031"),
    ]
    compared = 0
    try:
        for word in [*WORDS, "lljt", "longlin", "百色"]:
            query = lucene_query(word)
            for only in filters:
                for skip, limit in PAGES:
                    mine = await store.read_statements(
                        ours.search_names, query, skip, limit, SEARCH_POOL, only, True
                    )
                    other = await store.read_statements(
                        theirs.search_names, query, skip, limit, SEARCH_POOL, only, True
                    )
                    a = [(r["label"], _node(r["node"]), r["score"], _states(r)) for r in mine]
                    b = [(r["label"], _node(r["node"]), r["score"], _states(r)) for r in other]
                    if a != b:
                        raise SystemExit(f"differ: {word!r} {only} at {skip}")
                    compared += len(a)
    finally:
        await driver.close()
    print(f"the same {compared} hits (order, properties, badges' states) as {checkout}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--b", required=True, help="the other checkout")
    asyncio.run(_main(Path(parser.parse_args().b).resolve()))
