"""`credit-hub bench documents`: the worst time one request of at most 8 KB can take before
anything runs — parse, the document limits, validation and the cost estimate (issue 22).

Needs no Neo4j. Each family below is an adversarial document shape grown to the size limits
(8 KB of text, the token limit); every document is parsed afresh (new text each time, as an
attacker's random alias defeats the parser and validation caches) and goes through what the
hub's extension does before execution (graphql_engine/extensions.py ``on_validate``). The floor is
parsing the same text alone: the least work that can refuse a document. Printed per family:
median and worst of the repeats; last line: the worst family's median against its parse, as a
ratio, and against the goal of 5 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable

from graphql import GraphQLError, parse
from strawberry.schema.schema import validate_document

from bench.registry import register
from graphql_engine.build import build_schema
from graphql_engine.document_limits import DocumentLimits, document_errors
from graphql_engine.limits import estimate_cost, with_defaults
from hub.settings import Settings

MAX_BYTES = 8192
GOAL_MS = 5.0


def _fit(make: Callable[[int], str], tokens: int) -> int:
    """The largest ``n`` whose ``make(n)`` fits 8 KB and parses within the token limit."""
    low, high = 1, 1
    while _fits(make(high), tokens):
        if high >= 4096:  # a family whose size does not grow with n
            return high
        low, high = high, high * 2
    while high - low > 1:  # make(low) fits, make(high) does not
        middle = (low + high) // 2
        low, high = (middle, high) if _fits(make(middle), tokens) else (low, middle)
    return low


def _fits(text: str, tokens: int) -> bool:
    if len(text.encode()) > MAX_BYTES:
        return False
    try:
        parse(text, max_tokens=tokens)
    except GraphQLError:  # over the token limit
        return False
    return True


def _alias() -> str:
    return "a" + uuid.uuid4().hex[:8]


FAMILIES: dict[str, Callable[[int], str]] = {
    "fragment bomb (each fragment spreads the last twice)": lambda n: (
        f'{{ {_alias()}: enterprise(uscc: "91451031MA5KY12B30") {{ ...F{n} }} }} '
        + "fragment F0 on Enterprise { name } "
        + " ".join(
            f"fragment F{i} on Enterprise {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, n + 1)
        )
    ),
    "nested spread bomb (two fields deeper per level)": lambda n: (
        f'{{ {_alias()}: enterprise(uscc: "91451031MA5KY12B30") {{ ...F{n} }} }} '
        + "fragment F0 on Enterprise { name } "
        + " ".join(
            f"fragment F{i} on Enterprise {{ a: branchOf {{ ...F{i - 1} }} "
            f"b: branches {{ ...F{i - 1} }} }}"
            for i in range(1, n + 1)
        )
    ),
    "same field, different arguments (overlap checks)": lambda n: (
        "{ "
        + " ".join(f'enterprise(uscc: "{i:018d}") {{ name }}' for i in range(n))
        + f" {_alias()}: measures {{ code }} }}"
    ),
    "deep nesting": lambda n: (
        f'{{ {_alias()}: enterprise(uscc: "x") {{ ' + "branchOf { " * n + "name" + " }" * n + " } }"
    ),
    "many aliases": lambda n: (
        "{ " + " ".join(f"{_alias()}{i}: measures {{ code }}" for i in range(n)) + " }"
    ),
    "variables with defaults": lambda n: (
        "query("
        + ", ".join(f"$v{i}: Int! = {i + 1}" for i in range(n))
        + f') {{ {_alias()}: search(text: "隆林", first: $v0) {{ nodes {{ score }} }} }}'
    ),
    "a check (the common case)": lambda n: (
        f"query($s: SubjectRef!) {{ {_alias()}: checkBeforeApproval(subject: $s, "
        "scenario: HONORS) { found decision aggravated receiptId hits { reason "
        "measure { code name effect legalBasis } listing { id list domain status } "
        "via { role targetName } } suspendedHits { reason } incentives { reason } } }"
    ),
}


def _one(schema: object, text: str, tokens: int, limits: DocumentLimits) -> float:
    graphql_schema = schema._schema  # type: ignore[attr-defined]
    began = time.perf_counter()
    document = parse(text, max_tokens=tokens)
    errors = document_errors(document, limits) or validate_document(graphql_schema, document, ())
    if not errors:
        estimate_cost(graphql_schema, document, None, with_defaults(document, None, {}))
    return time.perf_counter() - began


def _parse_only(text: str, tokens: int) -> float:
    began = time.perf_counter()
    parse(text, max_tokens=tokens)
    return time.perf_counter() - began


Worst = tuple[float, float, str]


def _caller(schema: object, limits: DocumentLimits, tokens: int, repeats: int, who: str) -> Worst:
    """Every family grown to 8 KB or ``tokens``, timed; the worst family's (p50, parse, name)."""
    worst: Worst = (0.0, 1.0, "")
    print(f"{who} callers (token limit {tokens})")
    print(f"{'family':<55} {'bytes':>6} {'p50 ms':>8} {'max ms':>8} {'parse ms':>9}")
    for name, make in FAMILIES.items():
        n = _fit(make, tokens)
        size = len(make(n).encode())
        times, floors = [], []
        for _ in range(repeats):  # interleaved: the machine drifts
            times.append(_one(schema, make(n), tokens, limits))  # fresh aliases: no cache
            floors.append(_parse_only(make(n), tokens))
        p50, floor = statistics.median(times), statistics.median(floors)
        worst_ms = max(times) * 1000
        print(f"{name:<55} {size:>6} {p50 * 1000:>8.2f} {worst_ms:>8.2f} {floor * 1000:>9.2f}")
        if p50 > worst[0]:
            worst = (p50, floor, name)
    p50, floor, name = worst
    print(f"worst family for {who} callers: {name}: {p50 * 1000:.2f} ms (goal < {GOAL_MS:g} ms)")
    return worst


@register("documents")
def bench_documents(args: argparse.Namespace, settings: Settings) -> int:
    """Anonymous callers (CREDITHUB_MAX_PUBLIC_TOKENS) are the goal's: anyone can send those;
    keyed callers (CREDITHUB_MAX_TOKENS) are shown beside them, for context."""
    schema = build_schema(settings)
    limits = DocumentLimits(settings.max_query_depth, settings.max_aliases, settings.max_selections)
    repeats = max(5, min(int(args.requests), 500))
    public = min(settings.max_public_tokens, settings.max_tokens)
    _caller(schema, limits, settings.max_tokens, repeats, "keyed")
    p50, floor, _ = _caller(schema, limits, public, repeats, "anonymous")
    print(f"ratio worst anonymous pre-execution time / its parse alone: {p50 / floor:.2f}")
    return 0
