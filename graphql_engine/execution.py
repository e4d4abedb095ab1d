"""Plain data completed in one loop instead of field by field.

graphql-core completes every field of every object through its general machinery (a resolve
info, the middleware chain, awaitable checks, error paths): about 10 µs a field on this machine,
25 ms for the ~2,400 fields of a neighbourhood page of 200 nodes and 200 edges — as long as the
store takes to read them — and ~0.25 ms of the ~25 fields of a check's answer. Most of an answer
is plain data: objects whose selected fields are plain attributes (strawberry "basic" fields:
no resolver, no arguments, no field extensions) of leaf type, or of plain object type, or lists
of those. For such a tree this execution context reads the attributes and coerces the leaves
with the same leaf types graphql-core would use, in one recursive loop: for every object value
(``complete_object_value``) and for every list of at least ``MIN_ITEMS`` items. The plan of a
selection (which attribute, which coercion) is made once per request, and shared by all the
requests of one parsed operation when no directive can make it depend on the variables (the
shared plans go when the parser cache lets the operation go).

Anything else takes graphql-core's path unchanged: abstract types or types with ``is_type_of``,
a selection with a resolver, an argument, a field class with its own ``get_result``, anything
streamed or deferred (and everything inside a deferred fragment), schema extensions that wrap
resolvers (middleware), and any value that is not plain — a null in a non-null field, a leaf
that does not coerce, an awaitable, an exception or ``Undefined`` as a value, a list that is
not a list or tuple: the whole object or list is then completed again by graphql-core, which
raises the error at the right path. The
attributes are only read, so reading them twice changes nothing. `tests/test_execution.py`
compares both paths.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    OperationDefinitionNode,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField


@dataclass(frozen=True, slots=True)
class _Value:
    """How one value completes: a leaf (``coerce``), a plain object (``plan``) or a list of
    values that each complete as ``item``."""

    non_null: bool
    coerce: Callable[[Any], Any] | None = None
    plan: _Plan | None = None
    item: _Value | None = None


@dataclass(frozen=True, slots=True)
class _Column:
    response_name: str
    read: Callable[[Any, str], Any] | None  # None: __typename
    attribute: str
    value: _Value | None  # None: __typename


@dataclass(frozen=True, slots=True)
class _Plan:
    typename: str
    columns: tuple[_Column, ...]


# A plan is made once per selection per request, or once for every request that runs the same
# parsed document when no variable can change its selections (below). For a list of objects
# the loop pays from this many items on; an object value is always tried.
MIN_ITEMS = 8

# Plans shared by every request that runs the same parsed operation (the parser cache hands back
# the same nodes), when no directive can make its selections depend on the variables. A check's
# answer has nine selections to plan, which took longer than completing them.
# id(operation) -> (weak reference to it, its plans or None); an entry goes when its operation
# is freed (the parser cache let it go), so it holds no document longer than the cache does.
# Its plans: (type, ids of the field nodes) -> (the nodes, kept alive so that their ids stay
# theirs; the schema; the plan).
_Shared = tuple[tuple[Any, ...], Any, _Plan | None]
_Plans = dict[tuple[Any, ...], _Shared]
_SHARED: dict[int, tuple[weakref.ref[Any], _Plans | None]] = {}


class _NotFlat(Exception):
    """A value the loop does not complete: graphql-core completes the value instead."""


class FlatListExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution with the plain-data loop (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core keeps bound methods of the context in ``async_helpers``: a reference
        # cycle through the context, so every request's whole execution state (collected
        # fields, resolve infos, the request) waited for the cyclic garbage collector —
        # most of the ~180 objects a check left in cycles (bench/check_gc.py). The same
        # helpers through weak references: freed by reference counting when execution ends.
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work)
        )
        # (type, id(field list)) -> (field list kept alive, plan or None)
        self._flat_plans: dict[tuple[str, int], tuple[Any, _Plan | None]] = {}
        self._shared = _shared_plans(self.operation, self.fragment_definitions)

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> Any:
        if (
            isinstance(items, list | tuple)
            and len(items) >= MIN_ITEMS
            and position_context is None  # inside a deferred fragment: graphql-core's path
            and not _streamed(field_details_list)
        ):
            how = self._value_plan(item_type, field_details_list)
            if how is not None:
                # Any surprise (a null, a value that does not coerce): graphql-core's path.
                with contextlib.suppress(Exception):
                    return [_value(how, item, self.is_awaitable) for item in items]
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, position_context
        )

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        plan = None if position_context is not None else self._plan(return_type, field_details_list)
        if plan is not None:
            with contextlib.suppress(Exception):
                return _object(plan, result, self.is_awaitable)
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> _Plan | None:
        """The plan of an object type's selection, made once per request. Keyed by the type
        too: the items of an abstract type share one selection and differ in type."""
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return None  # schema extensions that wrap resolvers see every field
        key = (object_type.name, id(field_details_list))
        cached = self._flat_plans.get(key)
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        if self._shared is not None:
            plan = self._shared_plan(self._shared, object_type, field_details_list)
        else:
            plan = self._make_plan(object_type, field_details_list)
        self._flat_plans[key] = (field_details_list, plan)
        return plan

    def _shared_plan(
        self,
        shared: _Plans,
        object_type: GraphQLObjectType,
        field_details_list: Any,
    ) -> _Plan | None:
        """The plan of a selection that no variable can change, made once for every request
        that runs the same parsed operation. (Such an operation has no directive, so nothing in
        it is deferred, and no fragment variables.) The entry keeps its nodes alive: the same
        ids are the same nodes."""
        nodes = tuple(d.node for d in field_details_list)
        key = (object_type.name, *map(id, nodes))
        hit = shared.get(key)
        if hit is not None and hit[1] is self.schema:
            return hit[2]
        plan = self._make_plan(object_type, field_details_list)
        shared[key] = (nodes, self.schema, plan)
        return plan

    def _make_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> _Plan | None:
        if object_type.is_type_of is not None:
            return None
        grouped, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        columns: list[_Column] = []
        for response_name, details in grouped.items():
            node = details[0].node
            name = node.name.value
            if name == "__typename":
                columns.append(_Column(response_name, None, "", None))
                continue
            field_def = self.schema.get_field(object_type, name)
            if field_def is None or field_def.args or node.arguments:
                return None
            definition = (field_def.extensions or {}).get("strawberry-definition")
            if definition is None or not definition.is_basic_field:
                return None
            # A field class of its own may compute the value (mask it, say) in get_result.
            if type(definition).get_result is not StrawberryField.get_result:
                return None
            if _streamed(details) or any(f.defer_usage is not None for f in details):
                return None
            how = self._value_plan(field_def.type, details)
            if how is None:
                return None
            columns.append(
                _Column(response_name, definition.default_resolver, definition.python_name, how)
            )
        return _Plan(object_type.name, tuple(columns))

    def _value_plan(self, output_type: GraphQLOutputType, field_details_list: Any) -> _Value | None:
        non_null = is_non_null_type(output_type)
        inner = get_nullable_type(output_type)
        if is_leaf_type(inner):
            return _Value(non_null, coerce=inner.coerce_output_value)
        if isinstance(inner, GraphQLList):
            item = self._value_plan(inner.of_type, field_details_list)
            return None if item is None else _Value(non_null, item=item)
        if not isinstance(inner, GraphQLObjectType):
            return None  # an abstract type: graphql-core resolves the type of each value
        plan = self._plan(inner, field_details_list)
        return None if plan is None else _Value(non_null, plan=plan)


def _shared_plans(
    operation: Any, fragments: dict[str, Any]
) -> dict[tuple[Any, ...], _Shared] | None:
    """The plans shared by the requests of ``operation``; None when a directive appears in it
    or its fragments (or a fragment has variables): its selections may then differ by request."""
    key = id(operation)
    found = _SHARED.get(key)
    if found is not None and found[0]() is operation:
        return found[1]
    plain = not any(_has_directives(node) for node in (operation, *fragments.values()))

    def forget(ref: weakref.ref[Any]) -> None:
        entry = _SHARED.get(key)
        if entry is not None and entry[0] is ref:
            del _SHARED[key]

    plans: _Plans | None = {} if plain else None
    _SHARED[key] = (weakref.ref(operation, forget), plans)
    return plans


def _streamed(field_details_list: Any) -> bool:
    return any(
        d.name.value == "stream" for f in field_details_list for d in f.node.directives or ()
    )


def _has_directives(node: Any) -> bool:
    if getattr(node, "directives", None):
        return True
    # A fragment with variables (graphql-core's experimental fragment arguments) depends on
    # them; an operation's variable definitions are the request's variables, handled apart.
    if not isinstance(node, OperationDefinitionNode) and getattr(
        node, "variable_definitions", None
    ):
        return True
    selection_set = getattr(node, "selection_set", None)
    if selection_set is None:
        return False
    return any(_has_directives(selection) for selection in selection_set.selections)


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


def _object(plan: _Plan, source: Any, is_awaitable: Callable[[Any], bool]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in plan.columns:
        if column.read is None or column.value is None:
            row[column.response_name] = plan.typename
            continue
        row[column.response_name] = _value(
            column.value, column.read(source, column.attribute), is_awaitable
        )
    return row


def _value(how: _Value, value: Any, is_awaitable: Callable[[Any], bool]) -> Any:
    # graphql-core raises a value that is an exception, and makes Undefined a null
    if value is Undefined or isinstance(value, Exception):
        raise _NotFlat
    if value is None:
        if how.non_null:
            raise _NotFlat
        return None
    if type(value) not in _PLAIN and is_awaitable(value):
        raise _NotFlat
    if how.coerce is not None:
        coerced = how.coerce(value)
        if coerced is None or coerced is Undefined:
            raise _NotFlat
        return coerced
    if how.plan is not None:
        return _object(how.plan, value, is_awaitable)
    if how.item is None or not isinstance(value, list | tuple):
        raise _NotFlat
    item = how.item
    return [_value(item, v, is_awaitable) for v in value]
