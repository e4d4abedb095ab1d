"""Lists of flat objects completed in one loop instead of field by field.

graphql-core completes every field of every list item through its general machinery (a resolve
info, the middleware chain, awaitable checks, error paths): about 10 µs a field on this machine,
25 ms for the ~2,400 fields of a neighbourhood page of 200 nodes and 200 edges — as long as the
store takes to read them. Most of an investigator's answer is such lists: objects whose selected
fields are plain attributes of leaf type (strawberry "basic" fields: no resolver, no arguments,
no field extensions). For those this execution context reads the attributes and coerces them
with the same leaf types graphql-core would use, in one loop.

Anything else takes graphql-core's path unchanged: items of abstract types or with ``is_type_of``,
a selection with a resolver, an argument, an object or list field, ``@stream``/``@defer``,
schema extensions that wrap resolvers (middleware), and any value that is not plain — a null
in a non-null field, a leaf that does not coerce, an awaitable: the whole list is then completed
again by graphql-core, which raises the error at the right path. The attributes are only read,
so reading them twice changes nothing. `tests/test_execution.py` compares both paths.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


@dataclass(frozen=True, slots=True)
class _Column:
    response_name: str
    read: Callable[[Any, str], Any] | None  # None: __typename
    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    nullable_items: bool
    typename: str
    columns: tuple[_Column, ...]


# A plan is made once per list field per request; below this many items making it costs more
# than the loop saves (the hits of a check, 0-4 items, completed slower through it).
MIN_ITEMS = 8


class _NotFlat(Exception):
    """A value the loop does not complete: graphql-core completes the list instead."""


class FlatListExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution with the flat-list loop (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core keeps bound methods of the context in ``async_helpers``: a reference
        # cycle through the context, so every request's whole execution state (collected
        # fields, resolve infos, the request) waited for the cyclic garbage collector —
        # most of the ~180 objects a check left in cycles (scripts/check_gc.py). The same
        # helpers through weak references: freed by reference counting when execution ends.
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work)
        )
        # id(field list) -> (field list kept alive, plan or None), as collect_subfields does
        self._flat_plans: dict[int, tuple[Any, _Plan | None]] = {}

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> Any:
        if isinstance(items, list | tuple) and len(items) >= MIN_ITEMS:
            plan = self._plan(item_type, field_details_list)
            if plan is not None:
                # Any surprise (a null, a value that does not coerce): graphql-core's path.
                with contextlib.suppress(Exception):
                    return _complete(plan, items, self.is_awaitable)
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, position_context
        )

    def _plan(self, item_type: GraphQLOutputType, field_details_list: Any) -> _Plan | None:
        cached = self._flat_plans.get(id(field_details_list))
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        plan = self._make_plan(item_type, field_details_list)
        self._flat_plans[id(field_details_list)] = (field_details_list, plan)
        return plan

    def _make_plan(self, item_type: GraphQLOutputType, field_details_list: Any) -> _Plan | None:
        object_type = get_nullable_type(item_type)
        if not isinstance(object_type, GraphQLObjectType) or object_type.is_type_of is not None:
            return None
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return None
        if any(
            directive.name.value == "stream"
            for details in field_details_list
            for directive in details.node.directives or ()
        ):
            return None
        grouped, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        columns: list[_Column] = []
        for response_name, details in grouped.items():
            node = details[0].node
            name = node.name.value
            if name == "__typename":
                columns.append(_Column(response_name, None, "", str, True))
                continue
            field_def = self.schema.get_field(object_type, name)
            if field_def is None or field_def.args or node.arguments:
                return None
            definition = (field_def.extensions or {}).get("strawberry-definition")
            if definition is None or not definition.is_basic_field:
                return None
            leaf = get_nullable_type(field_def.type)
            if not is_leaf_type(leaf):
                return None
            columns.append(
                _Column(
                    response_name,
                    definition.default_resolver,
                    definition.python_name,
                    leaf.coerce_output_value,
                    is_non_null_type(field_def.type),
                )
            )
        return _Plan(not is_non_null_type(item_type), object_type.name, tuple(columns))


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` called through a weak reference to its object. Resolvers get the helpers
    from the resolve info of a running execution, so the context is alive when they call."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = ref()
        if bound is None:
            raise RuntimeError("async helper of a finished GraphQL execution")
        return bound(*args, **kwargs)

    return call


_PLAIN = frozenset({str, int, float, bool})


def _complete(
    plan: _Plan, items: list[Any] | tuple[Any, ...], is_awaitable: Callable[[Any], bool]
) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item is None:
            if not plan.nullable_items:
                raise _NotFlat
            out.append(None)
            continue
        row: dict[str, Any] = {}
        for column in plan.columns:
            if column.read is None:
                row[column.response_name] = plan.typename
                continue
            value = column.read(item, column.attribute)
            if value is None:
                if column.non_null:
                    raise _NotFlat
                row[column.response_name] = None
                continue
            if type(value) not in _PLAIN and is_awaitable(value):
                raise _NotFlat
            coerced = column.coerce(value)
            if coerced is None or coerced is Undefined:
                raise _NotFlat
            row[column.response_name] = coerced
        out.append(row)
    return out
