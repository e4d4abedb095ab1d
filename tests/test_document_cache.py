"""Validation and cost caches keyed by the parsed document (graphql_engine/document_cache.py,
graphql_engine/limits.py): the cached answer is always the one a fresh computation gives. And the
request runner's fast path (graphql_engine/extensions.py): the answers of strawberry's own."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from graphql_engine import limits
from graphql_engine.build import build_schema
from graphql_engine.document_cache import IdentityLru
from graphql_engine.document_limits import DocumentLimits
from hub.settings import load_settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

SCHEMA = build_schema(load_settings())._schema

CHECK = """query($s: SubjectRef!, $sc: Scenario!) { checkBeforeApproval(subject: $s, scenario: $sc)
  { decision hits { measure { code } } } }"""
PAGED = """query($t: String!, $n: Int) { search(text: $t, first: $n) { nodes { score } } }"""
BATCH = """query($r: [CheckRequest!]!) { checkBatch(requests: $r) { decision } }"""


def both(document: Any, variables: dict[str, Any]) -> int:
    fresh = limits.estimate_cost(SCHEMA, document, None, variables)
    cached = limits.cached_cost(SCHEMA, document, None, variables)
    assert cached == fresh, (variables, cached, fresh)
    return cached


def test_checks_of_different_subjects_share_one_cost() -> None:
    document = parse(CHECK)
    costs = [both(document, {"s": {"uscc": f"code-{i}"}, "sc": "HONORS"}) for i in range(5)]
    assert len(set(costs)) == 1
    entry = limits._COSTS.get_or_make(document, (id(SCHEMA), None), limits._Costs)
    assert entry.names == frozenset() and len(entry.by_values) == 1  # subject not in the key


def test_reads_per_object_inside_an_investigation_answer_count_at_their_size() -> None:
    """beneficialOwners is estimated with typical answer sizes, but a paged read of every
    company on every path (actions(first: 100)) counts at its page size, and paths at the
    default of their first (100): such a query is over the default limit; the usual ones are
    far under it."""
    heavy = """{ beneficialOwners(uscc: "x", threshold: 0.0001, maxDepth: 20) { owners { paths {
        steps { company { actions(first: 100) { nodes { id } } } } } } } }"""
    usual = """{ beneficialOwners(uscc: "x") { owners { share paths { share steps {
        share company { name } } } } } }"""
    limit = load_settings().max_query_cost
    assert limits.estimate_cost(SCHEMA, parse(heavy), None, {}) > limit
    assert limits.estimate_cost(SCHEMA, parse(usual), None, {}) < limit // 10
    capped_root = '{ neighbourhood(subject: {uscc: "x"}, limit: 1000) { nodes { id } } }'
    assert limits.estimate_cost(SCHEMA, parse(capped_root), None, {}) < 1000  # not x 1,000


def test_a_size_variable_is_part_of_the_key() -> None:
    document = parse(PAGED)
    small = both(document, {"t": "隆林", "n": 5})
    large = both(document, {"t": "隆林", "n": 500})
    assert large > small
    assert both(document, {"t": "其他", "n": 5}) == small  # the text is not read


def test_no_variables_first_does_not_lend_its_cost_to_later_requests() -> None:
    document = parse(PAGED)
    without = both(document, {})
    assert both(document, {"t": "隆林", "n": 10_000}) > without


def test_list_lengths_are_part_of_the_key() -> None:
    document = parse(BATCH)
    one = {"subject": {"uscc": "x"}, "scenario": "HONORS"}
    assert both(document, {"r": [one] * 10}) < both(document, {"r": [one] * 900})
    assert both(document, {"r": [one] * 10}) == both(document, {"r": [{**one}] * 10})


def test_identity_lru_keys_by_the_object_and_evicts_the_oldest() -> None:
    cache: IdentityLru[int] = IdentityLru(2)
    a, b, c = parse("{ a }"), parse("{ a }"), parse("{ a }")
    made: list[str] = []

    def make(name: str, value: int) -> Any:
        def build() -> int:
            made.append(name)
            return value

        return build

    assert cache.get_or_make(a, "k", make("a", 1)) == 1
    assert cache.get_or_make(b, "k", make("b", 2)) == 2  # equal text, another object
    assert cache.get_or_make(a, "k", make("a2", 9)) == 1  # hit
    assert cache.get_or_make(c, "k", make("c", 3)) == 3  # evicts b, the least recent
    assert cache.get_or_make(b, "k", make("b2", 4)) == 4
    assert made == ["a", "b", "c", "b2"] and len(cache) == 2


def test_root_fields_are_read_once_per_document_and_operation() -> None:
    document = parse(
        """query A { ...F receipt(id: "x") { id } }
        query B { search(text: "t") { nodes { score } } }
        fragment F on Query {
          checkBeforeApproval(subject: {uscc: "u"}, scenario: HONORS) { decision } }"""
    )
    first = limits.root_fields(SCHEMA, document, "A")
    assert first == ("query", ("checkBeforeApproval", "receipt"))  # through the fragment
    assert limits.root_fields(SCHEMA, document, "A") is first  # cached, not walked again
    assert limits.root_fields(SCHEMA, document, "B") == ("query", ("search",))
    assert limits.root_fields(SCHEMA, document, None) is None  # two operations, none named


def test_the_hub_runner_short_cuts_only_its_own_single_extension() -> None:
    """graphql_engine/extensions.py HubRunner: the fast path for exactly one HubRequest; strawberry's
    own path for any other list of extensions."""
    from strawberry.extensions import SchemaExtension
    from strawberry.extensions.context import OperationContextManager

    from graphql_engine.extensions import HubRequest, HubRunner, RequestConfig, _Phase

    hub = HubRequest(RequestConfig(100, 100, DocumentLimits(12, 30, 10_000), ()))
    fast = HubRunner(None, [hub])  # type: ignore[arg-type]
    assert fast.hub is hub
    assert isinstance(fast.operation(), _Phase)
    other = HubRunner(None, [hub, SchemaExtension()])  # type: ignore[arg-type]
    assert other.hub is None
    assert isinstance(other.operation(), OperationContextManager)


FULL_CHECK = """query($s: SubjectRef!, $sc: Scenario!) {
  checkBeforeApproval(subject: $s, scenario: $sc) {
    found decision aggravated hits { reach reason measure { code } } incentives { measure { code } }
  } }"""


@pytest.mark.neo4j
async def test_the_hub_runner_answers_as_strawberrys_own_runner(
    gql: GQL, graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same requests through the fast path and through strawberry's own runner (the hub's
    extension no longer recognised): the same data and the same errors, codes and paths."""
    from graphql_engine import extensions

    firm = f.uscc()
    await load(
        graph, [f.enterprise(firm, "隆林跑道测试有限公司"), f.listing("ECO-RUN", {"uscc": firm})]
    )
    nested = "branchOf { " * 12 + "uscc" + " }" * 12
    deep = '{ search(text: "a") { nodes { subject { ... on Enterprise { ' + nested + " } } } } }"
    requests: list[tuple[str, dict[str, Any] | None]] = [
        (FULL_CHECK, {"s": {"uscc": firm}, "sc": "PUBLIC_RESOURCE_TRADING"}),
        (FULL_CHECK, {"s": {"uscc": firm[:17] + "I"}, "sc": "HONORS"}),
        ("{ nope }", None),
        ("{ search(text: ", None),
        (deep, None),
        ('{ search(text: "跑道") { nodes { score matchedBy } } }', None),
    ]

    async def answers() -> list[tuple[Any, list[Any]]]:
        out = []
        for query, variables in requests:
            result = await gql(query, variables)
            errors = [(e.message, e.path, e.extensions) for e in result.errors or []]
            out.append((result.data, errors))
        return out

    fast = await answers()
    hub_request = extensions.HubRequest
    monkeypatch.setattr(extensions, "HubRequest", type("NotTheHubs", (), {}))
    config = extensions.RequestConfig(100, 100, DocumentLimits(12, 30, 10_000), ())
    assert extensions.HubRunner(None, [hub_request(config)]).hub is None  # type: ignore[arg-type]
    slow = await answers()
    assert fast == slow
    codes = [[(extra or {}).get("code") for *_, extra in errors] for _, errors in fast]
    assert codes[:5] == [
        [],
        ["INVALID_USCC"],
        ["GRAPHQL_VALIDATION_FAILED"],
        ["GRAPHQL_PARSE_FAILED"],
        ["GRAPHQL_VALIDATION_FAILED"],
    ]
    assert fast[0][0]["checkBeforeApproval"]["hits"]  # a real answer, not two empty ones
    assert fast[5][0]["search"]["nodes"]
