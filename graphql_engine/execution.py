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

Two kinds of values that are not plain attributes are read in the loop too. A field whose
resolver is marked a plain read (``metadata=PLAIN_READ``: a method that reads only its object
and the request's context, writes nothing, does not read ``info.path``, and may be called again
when its object falls back) is called with its object and one ``Info`` per field per request;
its value completes as an attribute's would (an awaitable falls back: a coroutine is closed
unstarted). A union whose members are strawberry types resolves each value's type as
strawberry does for a non-generic type (the value's class's definition; a cast value falls
back) and completes it with that member's plan.

Anything else takes graphql-core's path unchanged: interfaces or types with ``is_type_of``,
a selection with a resolver not marked as a plain read, an argument, a field class with its
own ``get_result``, anything streamed or deferred (and everything inside a deferred
fragment), schema extensions that wrap resolvers (middleware), and any value that is not
plain — a null in a non-null field, a leaf that does not coerce, an awaitable, an exception or
``Undefined`` as a value, a list that is not a list or tuple: the whole object or list is then
completed again by graphql-core, which raises the error at the right path. Attributes are only
read and plain reads write nothing, so reading them twice changes nothing.
`tests/test_execution.py` compares both paths.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLUnionType,
    OperationDefinitionNode,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.cast import get_strawberry_type_cast
from strawberry.types.field import StrawberryField

# ``@strawberry.field(metadata=PLAIN_READ)``: the resolver is a plain read (module docstring).
PLAIN_READ = {"plain_read": True}


@dataclass(frozen=True, slots=True)
class _Value:
    """How one value completes: a leaf (``coerce``), a plain object (``plan``), a list of
    values that each complete as ``item``, or a union's member (``kinds``: the plan of each
    member type by its strawberry definition; a member without one falls back)."""

    non_null: bool
    coerce: Callable[[Any], Any] | None = None
    plan: _Plan | None = None
    item: _Value | None = None
    kinds: dict[Any, _Plan] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class _Call:
    """A plain read: ``resolver`` called with the object, and with the request's ``Info`` for
    this field as ``info_name`` when it asks for one (built once per request from the rest)."""

    resolver: Callable[..., Any]
    info_name: str | None
    field_def: GraphQLField
    field_nodes: tuple[FieldNode, ...]
    parent_type: GraphQLObjectType
    definition: StrawberryField
    info_class: Any


@dataclass(frozen=True, slots=True)
class _Column:
    response_name: str
    read: Callable[[Any, str], Any] | None  # None: __typename or a plain read
    attribute: str
    value: _Value | None  # None: __typename
    call: _Call | None = None


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
        self._infos: dict[_Call, Any] = {}

    def plain_read_info(self, call: _Call) -> Any:
        """The ``Info`` a plain read of ``call``'s field gets in this request: its field, nodes
        and parent type, the request's context and variables; the path is the field's name
        alone (a plain read does not read it)."""
        info = self._infos.get(call)
        if info is None:
            name = call.field_nodes[0].name.value
            raw = self.build_resolve_info(
                call.field_def,
                list(call.field_nodes),
                call.parent_type,
                Path(None, name, call.parent_type.name),
            )
            info = self._infos[call] = call.info_class(_raw_info=raw, _field=call.definition)
        return info

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
                    return [_value(how, item, self) for item in items]
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
                return _object(plan, result, self)
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
            if field_def is None or node.arguments:
                return None
            definition = (field_def.extensions or {}).get("strawberry-definition")
            if definition is None:
                return None
            call = None
            if not definition.is_basic_field:
                call = self._plain_read(definition, field_def, details, object_type)
                if call is None:
                    return None
            elif field_def.args:
                return None
            # A field class of its own may compute the value (mask it, say) in get_result.
            if type(definition).get_result is not StrawberryField.get_result:
                return None
            if _streamed(details) or any(f.defer_usage is not None for f in details):
                return None
            how = self._value_plan(field_def.type, details)
            if how is None:
                return None
            read = None if call is not None else definition.default_resolver
            columns.append(_Column(response_name, read, definition.python_name, how, call))
        return _Plan(object_type.name, tuple(columns))

    def _plain_read(
        self,
        definition: StrawberryField,
        field_def: GraphQLField,
        details: Any,
        object_type: GraphQLObjectType,
    ) -> _Call | None:
        """The call of a field marked a plain read whose selection gives no argument: a method
        without field extensions, whose arguments all default to None (what strawberry passes
        when the document gives none and the schema's default is null)."""
        resolver = definition.base_resolver
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        if (
            resolver is None
            or strawberry_schema is None
            or not definition.metadata.get("plain_read")
            or definition.extensions
            or resolver.self_parameter is None
            or resolver.parent_parameter is not None
            or resolver.root_parameter is not None
            or any(a.default is not None for a in definition.arguments)
            or any(a.default_value is not None for a in field_def.args.values())
        ):
            return None
        function = resolver.wrapped_func
        if isinstance(function, staticmethod | classmethod):
            return None
        info = resolver.info_parameter
        return _Call(
            function,
            info.name if info is not None else None,
            field_def,
            tuple(d.node for d in details),
            object_type,
            definition,
            strawberry_schema.config.info_class,
        )

    def _value_plan(self, output_type: GraphQLOutputType, field_details_list: Any) -> _Value | None:
        non_null = is_non_null_type(output_type)
        inner = get_nullable_type(output_type)
        if is_leaf_type(inner):
            return _Value(non_null, coerce=inner.coerce_output_value)
        if isinstance(inner, GraphQLList):
            item = self._value_plan(inner.of_type, field_details_list)
            return None if item is None else _Value(non_null, item=item)
        if isinstance(inner, GraphQLUnionType):
            kinds: dict[Any, _Plan] = {}
            for member in inner.types:
                definition = (member.extensions or {}).get("strawberry-definition")
                if definition is None or definition.is_graphql_generic:
                    return None
                plan = self._plan(member, field_details_list)
                if plan is not None:
                    kinds[definition] = plan
            return _Value(non_null, kinds=kinds) if kinds else None
        if not isinstance(inner, GraphQLObjectType):
            return None  # an interface: graphql-core resolves the type of each value
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


def _object(plan: _Plan, source: Any, run: FlatListExecutionContext) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in plan.columns:
        if column.value is None:
            row[column.response_name] = plan.typename
            continue
        call = column.call
        if call is None:
            value = column.read(source, column.attribute)  # type: ignore[misc]
        elif call.info_name is None:
            value = call.resolver(source)
        else:
            value = call.resolver(source, **{call.info_name: run.plain_read_info(call)})
        row[column.response_name] = _value(column.value, value, run)
    return row


def _value(how: _Value, value: Any, run: FlatListExecutionContext) -> Any:
    # graphql-core raises a value that is an exception, and makes Undefined a null
    if value is Undefined or isinstance(value, Exception):
        raise _NotFlat
    if value is None:
        if how.non_null:
            raise _NotFlat
        return None
    if type(value) not in _PLAIN and run.is_awaitable(value):
        if isinstance(value, Coroutine):
            value.close()  # not started: graphql-core's path calls the resolver again
        raise _NotFlat
    if how.coerce is not None:
        coerced = how.coerce(value)
        if coerced is None or coerced is Undefined:
            raise _NotFlat
        return coerced
    if how.plan is not None:
        return _object(how.plan, value, run)
    if how.kinds is not None:
        # strawberry's union resolution for non-generic members: a cast names the type, else
        # the definition of the value's class (types/union.py ``_resolve_union_type``)
        if get_strawberry_type_cast(value) is not None:
            raise _NotFlat
        member = how.kinds.get(getattr(type(value), "__strawberry_definition__", None))
        if member is None:
            raise _NotFlat
        return _object(member, value, run)
    if how.item is None or not isinstance(value, list | tuple):
        raise _NotFlat
    item = how.item
    return [_value(item, v, run) for v in value]
