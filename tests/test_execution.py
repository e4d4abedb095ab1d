"""The plain-data loop (graphql_engine/execution.py) answers exactly what graphql-core answers.

Every query runs twice, through strawberry's own execution context and through ours, and the
results (data and errors, with their paths) must be equal; the loop must also really be taken
for plain data (objects, nested objects, lists) and skipped for the rest.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import gc
import warnings
import weakref
from collections.abc import Awaitable
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import Undefined, parse
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from graphql_engine import execution
from graphql_engine.execution import PLAIN_READ, FlatListExecutionContext


@strawberry.enum
class Colour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.type
class Leaf:
    id: strawberry.ID
    name: str
    colour: Colour
    share: float | None
    since: dt.date | None
    count: int

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Branch:
    name: str
    leaves: list[Leaf]


def _leaves() -> list[Leaf]:
    return [
        Leaf(
            id=strawberry.ID(f"L{i}"),
            name=f"leaf {i}",
            colour=Colour.RED if i % 2 else Colour.GREEN,
            share=None if i % 3 == 0 else i / 10,
            since=dt.date(2024, 1, 1 + i) if i % 2 else None,
            count=i,
        )
        for i in range(10)  # at least execution.MIN_ITEMS, also in every branch
    ]


@strawberry.type
class Query:
    @strawberry.field
    def leaves(self) -> list[Leaf]:
        return _leaves()

    @strawberry.field
    def maybe_leaves(self) -> list[Leaf | None]:
        leaves: list[Leaf | None] = list(_leaves())
        leaves[2] = None
        return leaves

    @strawberry.field
    def broken(self) -> list[Leaf]:
        leaves = _leaves()
        leaves[3].name = None  # type: ignore[assignment]  # a null in a non-null field
        return leaves

    @strawberry.field
    def branches(self) -> list[Branch]:
        return [Branch(name=f"b{i}", leaves=_leaves()[i:]) for i in range(3)]


@strawberry.type
class Box:
    label: str
    leaf: Leaf | None
    must: Leaf
    leaves: list[Leaf]
    grid: list[list[int]]
    maybe: list[Leaf | None] | None

    @strawberry.field
    def loud(self) -> str:
        return self.label.upper()


def _box(label: str, must: Leaf | None = None, grid: Any = None) -> Box:
    leaves = _leaves()
    return Box(
        label=label,
        leaf=None,
        must=leaves[1] if must is None else must,
        leaves=leaves[:3],
        grid=[[1, 2], [3]] if grid is None else grid,
        maybe=[leaves[4], None],
    )


@strawberry.type
class Tree(Query):
    @strawberry.field
    def box(self) -> Box:
        return _box("one")

    @strawberry.field
    def boxes(self) -> list[Box]:
        return [_box("one"), _box("two")]

    @strawberry.field
    def broken_box(self) -> Box | None:
        box = _box("broken")
        box.must = None  # type: ignore[assignment]  # a null in a non-null object field
        return box

    @strawberry.field
    def bad_grid(self) -> Box:
        return _box("bad", grid=[[1], [None]])  # a null in a list of non-null items

    @strawberry.field
    def shapes(self) -> list[Leaf | Box]:
        return [_leaves()[0], _box("shape"), _leaves()[5]]


PLAIN = strawberry.Schema(query=Tree)
FLAT = strawberry.Schema(query=Tree, execution_context_class=FlatListExecutionContext)
# The same document object for the same query text, as the hub's parser cache gives.
CACHED = strawberry.Schema(
    query=Tree, execution_context_class=FlatListExecutionContext, extensions=[ParserCache]
)

QUERIES = [
    "{ leaves { id name colour share since count } }",
    "{ leaves { __typename key: id n: name colour } }",
    "{ leaves { ...F } } fragment F on Leaf { id name since }",
    "{ leaves { ... on Leaf { id } name } }",
    "query($s: Boolean!) { leaves { id name @skip(if: $s) share @include(if: $s) } }",
    "{ maybeLeaves { id name } }",
    "{ broken { id name } }",
    "{ leaves { id shout } }",
    "{ branches { name leaves { id colour since } } }",
    "{ a: leaves { id } b: leaves { name } }",
    "{ box { label leaf { id } must { id name colour since } leaves { id share } grid maybe { id } } }",
    "{ boxes { __typename label must { __typename id } leaves { ...F } } } "
    "fragment F on Leaf { id name }",
    "{ box { label loud must { id } } }",
    "{ box { label must { id shout } } }",
    "{ brokenBox { label must { id } } }",
    "{ badGrid { label grid } }",
    "{ shapes { __typename ... on Leaf { id name } ... on Box { label must { id } } } }",
    "query($s: Boolean!) { box { label @skip(if: $s) must { id @include(if: $s) name } } }",
]


def _run(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = schema.execute_sync(query, variable_values={"s": True})
    return {
        "data": result.data,
        "errors": [(e.message, e.path) for e in result.errors or []],
    }


@pytest.mark.parametrize("query", QUERIES)
def test_same_answer_as_graphql_core(query: str) -> None:
    assert _run(FLAT, query) == _run(PLAIN, query)


def test_the_loop_is_taken_for_plain_data_only(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: collections.Counter[str] = collections.Counter()
    original = execution._object

    def counting(plan: Any, source: Any, run: Any) -> dict[str, Any]:
        taken[plan.typename] += 1
        return original(plan, source, run)

    def run(query: str) -> collections.Counter[str]:
        taken.clear()
        assert _run(FLAT, query) == _run(PLAIN, query)
        return collections.Counter(taken)

    monkeypatch.setattr(execution, "_object", counting)
    assert run("{ leaves { id name colour } }") == {"Leaf": 10}
    assert run("{ leaves { id shout } }") == {}  # a resolver: graphql-core's path
    assert run("{ box { label must { id } leaves { id } } }") == {"Box": 1, "Leaf": 4}
    assert run("{ box { label loud must { id } } }") == {"Leaf": 1}  # the box has a resolver
    assert run("{ branches { name leaves { id } } }") == {"Branch": 3, "Leaf": 27}
    monkeypatch.setattr(execution, "MIN_ITEMS", 11)  # shorter lists: item by item
    assert run("{ leaves { id name } }") == {"Leaf": 10}
    # Items of a union share a selection: each completes with its own type's plan.
    assert run("{ shapes { ... on Leaf { id } ... on Box { label } } }") == {"Leaf": 2, "Box": 1}


def test_a_null_in_a_non_null_field_is_graphql_cores_error() -> None:
    result = FLAT.execute_sync("{ broken { id name } }")
    assert result.data is None
    assert result.errors is not None
    assert result.errors[0].path == ["broken", 3, "name"]


def test_the_execution_context_is_freed_without_the_collector() -> None:
    """No reference cycle through the context: a request's execution state (collected fields,
    resolve infos, the request) is freed by reference counting when the answer is made."""
    made: list[weakref.ref[FlatListExecutionContext]] = []

    class Watched(FlatListExecutionContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(weakref.ref(self))
            assert self.async_helpers.track([1, "not awaitable"]) is None  # reaches the context

    schema = strawberry.Schema(query=Query, execution_context_class=Watched)
    gc.collect()
    gc.disable()
    try:
        result = asyncio.run(schema.execute("{ leaves { id } branches { name } }"))
        assert result.errors is None
        assert len(made) == 1
        assert made[0]() is None
    finally:
        gc.enable()


def test_plans_are_shared_by_the_requests_of_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    original = FlatListExecutionContext._make_plan

    def counting(self: FlatListExecutionContext, object_type: Any, details: Any) -> Any:
        made.append(object_type.name)
        return original(self, object_type, details)

    monkeypatch.setattr(FlatListExecutionContext, "_make_plan", counting)
    query = "{ box { label must { id } leaves { id name } } }"
    first = CACHED.execute_sync(query)
    assert sorted(made) == ["Box", "Leaf", "Leaf"]
    second = CACHED.execute_sync(query)
    assert len(made) == 3  # the second request planned nothing
    assert first.data == second.data == PLAIN.execute_sync(query).data


def test_a_document_with_directives_is_planned_for_each_request() -> None:
    """@skip/@include make the selections depend on the variables: no plan is shared."""
    query = (
        "query($s: Boolean!) { box { label @skip(if: $s) must { id @include(if: $s) name } } "
        "boxes { ...B } } fragment B on Box { label @include(if: $s) }"
    )
    for skip in (True, False, True):
        flat = CACHED.execute_sync(query, variable_values={"s": skip})
        plain = PLAIN.execute_sync(query, variable_values={"s": skip})
        assert flat.errors is None
        assert flat.data == plain.data


class _Boom(Exception):
    pass


class _Masked(StrawberryField):
    """A field class that computes its value: the loop must not read the attribute itself."""

    def get_result(self, source: Any, info: Any, args: Any, kwargs: Any) -> Any:
        return "***"


@strawberry.type
class Person:
    name: str
    secret: str = _Masked()  # type: ignore[assignment]  # strawberry.field() is typed so


@strawberry.type
class Odd:
    @strawberry.field
    def failing(self) -> Leaf:
        leaf = _leaves()[0]
        leaf.name = _Boom("boom")  # type: ignore[assignment]  # graphql-core raises it
        return leaf

    @strawberry.field
    def undefined(self) -> Leaf:
        leaf = _leaves()[1]
        leaf.name = Undefined  # type: ignore[assignment]  # graphql-core makes it null
        return leaf

    @strawberry.field
    def people(self) -> list[Person]:
        return [Person(name=f"p{i}", secret=f"s{i}") for i in range(10)]

    @strawberry.field
    def box(self) -> Box:
        return _box("deferred")

    @strawberry.field
    def leaves(self) -> list[Leaf]:
        return _leaves()


def _pair(**config: Any) -> tuple[strawberry.Schema, strawberry.Schema]:
    settings = StrawberryConfig(**config)
    return (
        strawberry.Schema(query=Odd, config=settings),
        strawberry.Schema(
            query=Odd, config=settings, execution_context_class=FlatListExecutionContext
        ),
    )


@pytest.mark.parametrize(
    "query",
    [
        "{ failing { id name } }",
        "{ undefined { id name } }",
        "{ people { name secret } }",
        "{ box { must { alias: name } } }",
    ],
)
def test_values_graphql_core_treats_apart_take_its_path(query: str) -> None:
    """An exception as a value (an error at its path), Undefined (null), a field class with
    its own get_result (masking, say): the same answers as graphql-core's."""
    plain, flat = _pair()
    assert _run(flat, query) == _run(plain, query)


def test_a_field_class_with_its_own_result_is_not_read_past() -> None:
    _, flat = _pair()
    people = _run(flat, "{ people { name secret } }")["data"]["people"]
    assert {p["secret"] for p in people} == {"***"}


async def _incremental(schema: strawberry.Schema, query: str) -> list[Any]:
    result: Any = await schema.execute(query)
    if not hasattr(result, "initial_result"):
        return [{"data": result.data}]
    out = [result.initial_result.formatted]
    async for later in result.subsequent_results:
        out.append(later.formatted)
    return out


@pytest.mark.parametrize(
    "query",
    [
        "{ box { must { id } ... @defer { must { name } } } }",
        "{ box { label ... @defer { must { id name } } } }",
        "{ leaves @stream(initialCount: 2) { id } }",
        "{ box { grid @stream(initialCount: 1) } }",
    ],
)
def test_defer_and_stream_are_delivered_as_graphql_core_delivers_them(query: str) -> None:
    plain, flat = _pair(enable_experimental_incremental_execution=True)
    expected = asyncio.run(_incremental(plain, query))
    assert len(expected) > 1  # really delivered in parts
    assert asyncio.run(_incremental(flat, query)) == expected


def test_shared_plans_go_with_their_operation() -> None:
    """The plans of an operation hold its nodes only as long as the operation lives (the parser
    cache decides how long): no document is kept by them."""
    document = parse("{ box { label } }")
    operation = document.definitions[0]
    key = id(operation)
    assert execution._shared_plans(operation, {}) == {}
    assert key in execution._SHARED
    conditional = parse("query($s: Boolean!) { box { label @skip(if: $s) } }")
    assert execution._shared_plans(conditional.definitions[0], {}) is None
    gc.disable()
    try:
        del document, operation
        assert key not in execution._SHARED
    finally:
        gc.enable()


# Plain reads (PLAIN_READ): resolvers the loop calls itself. (strawberry.field with arguments
# is an untyped decorator to mypy, as in schema/.)


@strawberry.type
class Card:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field(metadata=PLAIN_READ)  # type: ignore[untyped-decorator]
    def title(self) -> str:
        return str(self.raw["title"])

    @strawberry.field(metadata=PLAIN_READ)  # type: ignore[untyped-decorator]
    def seen(self, info: Info) -> str:  # reads the request's context and its own field node
        return f"{self.raw['title']} for {info.context['reader']} as {info.field_name}"

    @strawberry.field(metadata=PLAIN_READ)  # type: ignore[untyped-decorator]
    def stamp(self, upper: bool | None = None) -> str:
        return str(self.raw["title"]).upper() if upper else "stamp"

    @strawberry.field(metadata=PLAIN_READ, graphql_type=str)  # type: ignore[untyped-decorator]
    def later(self) -> str | Awaitable[str]:
        """A value when the object holds it, else a coroutine that reads it."""
        if "later" in self.raw:
            return str(self.raw["later"])

        async def read() -> str:
            await asyncio.sleep(0)
            return "read later"

        return read()

    @strawberry.field(metadata=PLAIN_READ)  # type: ignore[untyped-decorator]
    def checked(self) -> str:
        if self.raw.get("broken"):
            raise _Boom("broken card")
        return "ok"

    @strawberry.field
    def counted(self, info: Info) -> str:  # not marked: graphql-core calls it, once an object
        info.context["calls"] += 1
        return "counted"


def _cards(count: int = 10, **extra: Any) -> list[Card]:
    return [Card(raw={"title": f"card {i}", "later": f"later {i}", **extra}) for i in range(count)]


@strawberry.type
class Deck:
    @strawberry.field
    def cards(self) -> list[Card]:
        return _cards()

    @strawberry.field
    def unread(self) -> list[Card]:
        return [Card(raw={"title": f"card {i}"}) for i in range(10)]

    @strawberry.field
    def broken(self) -> list[Card]:
        return _cards() + _cards(1, broken=True)

    @strawberry.field
    def pile(self) -> list[Card | Leaf]:
        return [*_cards(5), *_leaves()[:5]]

    @strawberry.field
    def cast_pile(self) -> list[Card | Leaf]:
        # a cast names the type whatever the value's class (strawberry's union resolution)
        return [*_cards(8), strawberry.cast(Leaf, _leaves()[0])]


DECK_PLAIN = strawberry.Schema(query=Deck)
DECK_FLAT = strawberry.Schema(query=Deck, execution_context_class=FlatListExecutionContext)

DECK_QUERIES = [
    "{ cards { title seen stamp later checked } }",
    "{ cards { t: title s: seen } }",
    "{ cards { title stamp(upper: true) } }",  # an argument given: graphql-core's path
    "{ unread { title later } }",  # coroutines: graphql-core's path, the loop's closed unstarted
    "{ broken { title checked } }",  # an error at its path
    "{ cards { title counted } }",
    "{ pile { __typename ... on Card { title seen } ... on Leaf { id name } } }",
    "{ castPile { __typename ... on Card { title } ... on Leaf { id } } }",
]


async def _deck(schema: strawberry.Schema, query: str) -> tuple[dict[str, Any], int]:
    context: dict[str, Any] = {"reader": "ann", "calls": 0}
    result = await schema.execute(query, context_value=context)
    errors = [(e.message, e.path) for e in result.errors or []]
    return {"data": result.data, "errors": errors}, int(context["calls"])


@pytest.mark.parametrize("query", DECK_QUERIES)
async def test_plain_reads_answer_as_graphql_core(query: str) -> None:
    assert await _deck(DECK_FLAT, query) == await _deck(DECK_PLAIN, query)


async def test_plain_reads_and_unions_are_completed_in_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken: collections.Counter[str] = collections.Counter()
    original = execution._object

    def counting(plan: Any, source: Any, run: Any) -> dict[str, Any]:
        taken[plan.typename] += 1
        return original(plan, source, run)

    async def run(query: str) -> collections.Counter[str]:
        taken.clear()
        assert await _deck(DECK_FLAT, query) == await _deck(DECK_PLAIN, query)
        return collections.Counter(taken)

    monkeypatch.setattr(execution, "_object", counting)
    assert await run("{ cards { title seen stamp later } }") == {"Card": 10}
    assert await run("{ pile { ... on Card { title } ... on Leaf { id } } }") == {
        "Card": 5,
        "Leaf": 5,
    }
    assert await run("{ cards { title counted } }") == {}  # a resolver not marked
    assert await run("{ cards { stamp(upper: true) } }") == {}  # an argument given
    # the cast item falls back: the list, then that item, by graphql-core
    assert (await run("{ castPile { ... on Card { title } } }"))["Card"] == 16


async def test_a_resolver_not_marked_is_called_once_per_object() -> None:
    _, calls = await _deck(DECK_FLAT, "{ cards { title seen counted } }")
    assert calls == 10


def test_a_coroutine_a_plain_read_returned_is_closed_unstarted() -> None:
    """graphql-core's path calls the resolver again and awaits its own coroutine; the loop's
    is closed, so none is left never awaited (a RuntimeWarning, an error in this suite)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        answer, _ = asyncio.run(_deck(DECK_FLAT, "{ unread { title later } }"))
        gc.collect()
    assert {c["later"] for c in answer["data"]["unread"]} == {"read later"}
