"""Query cost limit: an estimate of how many objects an operation may resolve.

Every field costs 1, multiplied by the sizes of the lists it is nested in. A list field's size
is its ``first``/``limit`` argument, the length of a list argument (``requests`` of checkBatch),
or ``DEFAULT_LIST_SIZE`` when it has none. Traversal arguments (``hops``, ``maxHops``,
``maxDepth``) multiply by ``TRAVERSAL_WEIGHT`` per step. Operations over
``CREDITHUB_MAX_QUERY_COST`` are refused before anything runs, with code ``LIMIT_EXCEEDED``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
)

from graphql_engine.document_cache import IdentityLru
from hub.identifiers import InvalidIdentifier, parse_id_number

DEFAULT_LIST_SIZE = 5
TRAVERSAL_WEIGHT = 4
SIZE_ARGUMENTS = ("first", "limit")
TRAVERSAL_ARGUMENTS = ("hops", "maxHops", "maxDepth")

# Investigation answers are capped by the server whatever their arguments (docs/investigation.md:
# maxDepth, maxHops and hops bound the walk, node/path/edge caps and `limit` bound the answer),
# so their traversal arguments do not multiply the estimate, a size argument multiplies only a
# list (findPaths), and their nested lists count with the sizes below: typical sizes of an
# answer, for an estimate of the work a selection asks for.
CAPPED_ROOTS = frozenset(
    {"beneficialOwners", "ownershipTree", "findPaths", "neighbourhood", "relatedParties"}
)
CAPPED_LIST_SIZES: dict[str, int] = {
    "OwnershipAnalysis.owners": 10,
    "OwnershipAnalysis.beneficialOwners": 5,
    "OwnershipAnalysis.actualControllers": 2,
    # paths(first = 100): counted at the default of first (a given first counts as itself)
    "EffectiveOwner.paths": 100,
    "BeneficialOwner.paths": 100,
    "ActualController.paths": 100,
    "OwnershipPath.steps": 10,
    "OwnershipTree.nodes": 200,
    "GraphPath.steps": 4,
    "Subgraph.nodes": 200,
    "Subgraph.edges": 200,
    "Subgraph.degrees": 9,
    "RelatedParties.parties": 50,
    "RelatedParty.links": 3,
    "RelatedParty.kinds": 3,
}


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _may_be_list(definition: Any, argument: str) -> bool:
    """Only list arguments are read for their length (all of them on an unknown field)."""
    if definition is None or argument not in definition.args:
        return True
    return _is_list(definition.args[argument].type)


class _Reads(dict[str, Any]):
    """The variables, remembering which ones the estimate read."""

    def __init__(self, variables: dict[str, Any]) -> None:
        super().__init__(variables)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self.read.add(name)
        return super().get(name, default)

    def __bool__(self) -> bool:  # graphql-core skips the lookup when variables are falsy
        return True

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self.read.add(name)
        return super().__contains__(name)


def _shape(value: Any) -> Hashable:
    """What of a variable's value the estimate can depend on: a scalar, or a list's length."""
    if isinstance(value, list):
        return ("list", len(value))
    if isinstance(value, dict):
        return "object"
    return value if isinstance(value, Hashable) else repr(value)


class _Costs:
    """Costs of one operation of one document, by the values of the variables they read."""

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        self.names: frozenset[str] = frozenset()
        self.by_values: dict[tuple[Hashable, ...], int] = {}

    def key(self, variables: dict[str, Any]) -> tuple[Hashable, ...]:
        return tuple(_shape(variables.get(name)) for name in sorted(self.names))


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self._known: dict[tuple[str, bool], int] = {}  # (fragment, inside a capped answer)
        self._open: set[tuple[str, bool]] = set()

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self.variables)
        return None

    def _fields(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType | None, seen: set[str]
    ) -> Iterator[tuple[FieldNode, GraphQLObjectType | None]]:
        """The fields of one level, through fragments. As graphql-core's ``collect_fields``,
        a fragment is expanded once per walk (``seen`` is shared): spreading it again adds the
        same fields, which execution merges, and re-expanding it is exponential."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    named = self.schema.get_type(selection.type_condition.name.value)
                    target = named if isinstance(named, GraphQLObjectType) else None
                yield from self._fields(selection.selection_set, target, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                seen.add(name)
                target = self._object_type(fragment.type_condition.name.value)
                yield from self._fields(fragment.selection_set, target, seen)

    def _factor(
        self, node: FieldNode, definition: Any, owner: Any, inside: bool, root: bool = False
    ) -> int:
        """How many times a field's subtree counts: its size argument, the length of a list
        argument, a known size inside a capped answer, or the default size of a list. A capped
        root's own size argument multiplies only a list (findPaths); inside its answer a size
        argument always counts (`actions(first: 100)` of every company on every path is a read
        per company)."""
        is_list = definition is not None and _is_list(definition.type)
        if not inside or is_list or not root:
            for name in SIZE_ARGUMENTS:
                value = self._argument(node, name)
                if isinstance(value, int) and value > 0:
                    return value
        if inside:
            known = CAPPED_LIST_SIZES.get(f"{owner.name}.{node.name.value}") if owner else None
            if known is not None:
                return known
        lists = [
            v
            for a in (node.arguments or ())
            if _may_be_list(definition, a.name.value)
            and isinstance(v := value_from_ast_untyped(a.value, self.variables), list)
        ]
        if lists:
            return max(len(v) for v in lists) or 1
        return DEFAULT_LIST_SIZE if is_list else 1

    def cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLObjectType | None,
        capped: bool = False,
    ) -> int:
        """The cost of a selection set. A fragment's cost is computed once per estimate and
        remembered (``_fragment_cost``), so the work is linear in the document's size however
        often its fragments are spread."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, capped)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self._object_type(selection.type_condition.name.value)
                total += self.cost(selection.selection_set, target, capped)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value, capped)
        return total

    def _object_type(self, name: str) -> GraphQLObjectType | None:
        named = self.schema.get_type(name)
        return named if isinstance(named, GraphQLObjectType) else None

    def _fragment_cost(self, name: str, capped: bool) -> int:
        key = (name, capped)
        found = self._known.get(key)
        if found is not None:
            return found
        fragment = self.fragments.get(name)
        if fragment is None or key in self._open:  # unknown, or a cycle (validation refuses)
            return 0
        self._open.add(key)
        target = self._object_type(fragment.type_condition.name.value)
        cost = self.cost(fragment.selection_set, target, capped)
        self._open.discard(key)
        self._known[key] = cost
        return cost

    def _field_cost(self, node: FieldNode, owner: GraphQLObjectType | None, capped: bool) -> int:
        definition = owner.fields.get(node.name.value) if owner is not None else None
        root_capped = owner is self.schema.query_type and node.name.value in CAPPED_ROOTS
        inside = capped or root_capped
        factor = self._factor(node, definition, owner, inside, root_capped)
        if not inside:
            for name in TRAVERSAL_ARGUMENTS:
                value = self._argument(node, name)
                if isinstance(value, int) and value > 1:
                    factor *= TRAVERSAL_WEIGHT ** min(value - 1, 10)
        child_type = None
        if definition is not None:
            named = get_named_type(definition.type)
            child_type = named if isinstance(named, GraphQLObjectType) else None
        return factor * (1 + self.cost(node.selection_set, child_type, inside))


def _is_id_number(text: Any, today: dt.date | None = None) -> bool:
    """A search text that is a full ID number (searched for as an identifier first)."""
    if not isinstance(text, str) or len(text.strip()) != 18:
        return False
    try:
        parse_id_number(text, today=today)
    except InvalidIdentifier:
        return False
    return True


def id_number_lookups(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: dict[str, Any],
    today: dt.date | None = None,
) -> int:
    """How many lookups by full ID number the operation asks for: one per ``person`` root
    field (alias, fragment) whatever its argument, one per ``search`` whose text is a full ID
    number. Skipped fields (@skip, @include) count too: the budget is spent before execution."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    variables = with_defaults(document, operation_name, variables)
    estimator = _Estimator(schema, _fragments(document), variables)
    root = schema.get_root_type(operation.operation)
    lookups = 0
    for node, _ in estimator._fields(operation.selection_set, root, set()):
        name = node.name.value
        if name == "person" or (
            name == "search" and _is_id_number(estimator._argument(node, "text"), today)
        ):
            lookups += 1
    return lookups


_DEFAULTS: IdentityLru[dict[str, Any]] = IdentityLru(1024)


def with_defaults(
    document: Any, operation_name: str | None, variables: dict[str, Any]
) -> dict[str, Any]:
    """The variables as the operation runs with them: a variable the request leaves out takes
    its default value. Estimates read these, not the raw request: ``query($f: Int = 100)``
    sent without ``f`` asks for 100 items (`query($t: String! = "<ID number>")` for an ID)."""
    defaults = _DEFAULTS.get_or_make(
        document, operation_name, lambda: _defaults(document, operation_name)
    )
    missing = [name for name in defaults if name not in variables]
    if not missing:
        return variables
    return {**variables, **{name: defaults[name] for name in missing}}


def _defaults(document: Any, operation_name: str | None) -> dict[str, Any]:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return {}
    return {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }


def _fragments(document: Any) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


_ROOTS: IdentityLru[tuple[str, tuple[str, ...]] | None] = IdentityLru(1024)


def root_fields(
    schema: GraphQLSchema, document: Any, operation_name: str | None
) -> tuple[str, tuple[str, ...]] | None:
    """(operation type, root field names — through fragments) of the operation that runs;
    None when the document does not name one operation (execution then refuses it). Read once
    per parsed document (the role matrix asks on every request)."""
    return _ROOTS.get_or_make(
        document,
        (id(schema), operation_name),
        lambda: _root_fields(schema, document, operation_name),
    )


def _root_fields(
    schema: GraphQLSchema, document: Any, operation_name: str | None
) -> tuple[str, tuple[str, ...]] | None:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    estimator = _Estimator(schema, _fragments(document), {})
    root = schema.get_root_type(operation.operation)
    fields = estimator._fields(operation.selection_set, root, set())
    return operation.operation.value, tuple(node.name.value for node, _ in fields)


_COSTS: IdentityLru[_Costs] = IdentityLru(1024)


def cached_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any]
) -> int:
    """estimate_cost, remembered per document and operation under the values of the variables
    it read (graphql_engine/document_cache.py): checks of different subjects share one entry."""
    costs = _COSTS.get_or_make(document, (id(schema), operation_name), _Costs)
    key = costs.key(variables)
    found = costs.by_values.get(key)
    if found is not None:
        return found
    reads = _Reads(variables)
    cost = estimate_cost(schema, document, operation_name, reads)
    if not reads.read <= costs.names:  # a variable not read before: key on it from now on
        costs.names |= reads.read
        costs.by_values.clear()
        key = costs.key(variables)
    if len(costs.by_values) >= _Costs.MAX_ENTRIES:
        costs.by_values.clear()
    costs.by_values[key] = cost
    return cost


def estimate_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any]
) -> int:
    fragments = _fragments(document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    estimator = _Estimator(schema, fragments, variables)
    worst = 0
    for operation in operations:
        root = schema.get_root_type(operation.operation)
        worst = max(worst, estimator.cost(operation.selection_set, root))
    return worst


def cost_errors(context: Any, max_cost: int) -> list[GraphQLError] | None:
    """The LIMIT_EXCEEDED error of an operation whose estimated cost is over ``max_cost``."""
    document = context.graphql_document
    cost = cached_cost(
        context.schema._schema,
        document,
        context.operation_name,
        with_defaults(document, context.operation_name, context.variables or {}),
    )
    if cost <= max_cost:
        return None
    return [
        GraphQLError(
            f"query cost {cost} exceeds the limit of {max_cost}",
            extensions={"code": "LIMIT_EXCEEDED", "cost": cost, "limit": max_cost},
        )
    ]
