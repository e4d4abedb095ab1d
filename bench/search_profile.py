"""Where a name search's statement spends its time, word by word, on the bench graph.

    .venv/bin/python -m bench.search_profile [WORD ...]

For each word (by default common and rare words of the county's names, pinyin in full and as
initials): its hits in the full-text index, the hub's statement (hub/store/subjects.py
SEARCH_NAMES, first page of 20 as the site asks) with the Lucene query the hub builds
(resolvers/subjects.py lucene_query), the index call alone with the same pool, and for Latin
letters the statement with the initials-with-gaps clause as it was asked for every input up to
8 letters before (``regex``): medians of 7 runs, interleaved. Then the statement's PROFILE
(operators with their rows and db hits). Needs the bench instance with a graph loaded
(``credit-hub bench site`` or ``bench check``). docs/benchmarks.md#public-site quotes it.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from typing import Any, LiteralString

from bench.support import bench_instance
from hub.settings import Settings
from hub.store import open_driver
from hub.store.subjects import SEARCH_NAMES
from resolvers.subjects import SEARCH_POOL, lucene_query

WORDS = ["隆林", "合作社", "养殖", "金鑫", "隆林县宏达建材", "lljt", "longlin", "lgzzx", "yangzhi"]
HITS: LiteralString = """
CALL db.index.fulltext.queryNodes('subjectNames', $query) YIELD node RETURN count(node) AS n
"""
INDEX_ALONE: LiteralString = """
CALL db.index.fulltext.queryNodes('subjectNames', $query, {limit: $pool}) YIELD node, score
RETURN count(*) AS n
"""
RUNS = 7


def _params(query: str) -> dict[str, Any]:
    return {
        "query": query,
        "skip": 0,
        "limit": 21,
        "pool": SEARCH_POOL,
        "kind": None,
        "division": None,
        "list": None,
        "today": None,
        "states": True,  # the badges, as the site's search asks them
    }


def _with_regex(word: str) -> str | None:
    """The query as it was before letters with i, u or v were kept from the initials regex."""
    letters = "".join(word.split()).lower()
    query = lucene_query(word)
    if not letters.isascii() or not letters.isalpha() or len(letters) > 8 or "/" in query:
        return None
    return query + " OR pinyin:/" + ".*".join(letters) + ".*/"


def _operators(plan: Any, depth: int = 0) -> list[str]:
    line = f"    {'  ' * depth}{plan.get('operatorType')}: rows {plan.get('rows')}"
    line += f", db hits {plan.get('dbHits')}"
    return [line] + [x for child in plan.get("children", []) for x in _operators(child, depth + 1)]


async def _main(words: list[str]) -> None:
    settings = Settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    try:
        async with driver.session(database=settings.neo4j_database) as session:

            async def timed(cypher: LiteralString, query: str) -> float:
                began = time.perf_counter()
                await (await session.run(cypher, _params(query))).consume()
                return (time.perf_counter() - began) * 1000

            for word in words:
                query = lucene_query(word)
                record = await (await session.run(HITS, {"query": query})).single()
                variants: dict[str, tuple[LiteralString, str]] = {
                    "statement": (SEARCH_NAMES, query),
                    "index call alone": (INDEX_ALONE, query),
                }
                regex = _with_regex(word)
                if regex is not None:
                    variants["statement with regex"] = (SEARCH_NAMES, regex)
                took: dict[str, list[float]] = {name: [] for name in variants}
                for cypher, text in variants.values():  # warm
                    await timed(cypher, text)
                for _ in range(RUNS):
                    for name, (cypher, text) in variants.items():
                        took[name].append(await timed(cypher, text))
                print(f"{word} ({query}): {record['n'] if record else 0} hits")
                print(
                    "  " + ", ".join(f"{n} {statistics.median(t):.1f} ms" for n, t in took.items())
                )
                summary = await (
                    await session.run("PROFILE " + SEARCH_NAMES, _params(query))
                ).consume()
                print("\n".join(_operators(summary.profile or {})))
    finally:
        await driver.close()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1:] or WORDS))
