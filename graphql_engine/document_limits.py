"""Depth, alias, fragment-expansion and empty-selection limits, in time linear in a document.

strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` walk a fragment again at every
spread of it. Fragments that each spread the previous one twice (``F1 { ...F0 ...F0 }``,
``F2 { ...F1 ...F1 }``, …) make that walk exponential: an 858-byte document with 19 such
fragments held the event loop for 4 s, and the token limit allows about 150 of them (issue 22,
finding 1). Here each fragment's depth and alias count are computed once and remembered, so
the walk visits every selection of the document once, whatever the spreads.

The rules are the same as strawberry's: the depth of an operation counts nested fields (a field
with a selection set adds one; ``__schema``-style introspection fields do not descend), an
operation deeper than ``max_depth`` + 1 levels is refused with strawberry's message; aliases
count once per use of the fragment that holds them, summed over the document's operations.
A fragment spread inside its own definition (a cycle) counts nothing here; graphql-core's
``NoFragmentCyclesRule`` refuses the document.

A document may also expand, through its fragments, to at most CREDITHUB_MAX_SELECTIONS
selections (each spread counted at each use): the fragment bomb above is small text that
stands for millions of selections, and is refused here with ``LIMIT_EXCEEDED`` before any other
validation rule or the cost estimate sees it.

It also refuses empty selection sets (``{ measures {} }`` and ``{}``), which the GraphQL
grammar forbids but the installed parser accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from graphql_engine.document_cache import IdentityLru


@dataclass(frozen=True, slots=True)
class Shape:
    """Of a selection set: nesting levels (fields on the longest chain), aliases, and how many
    selections it expands to when every fragment spread is replaced by the fragment."""

    levels: int
    aliases: int
    expanded: int


_EMPTY = Shape(0, 0, 0)


class DocumentShapes:
    """The shapes of one document's selection sets, each fragment computed once."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.known: dict[str, Shape] = {}
        self.open: set[str] = set()  # fragments being computed (a spread of one is a cycle)
        self.empty: list[SelectionSetNode] = []

    def of(self, selection_set: SelectionSetNode) -> Shape:
        if not selection_set.selections:
            self.empty.append(selection_set)
        levels = aliases = expanded = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = _EMPTY
                if selection.selection_set is not None:
                    inner = self.of(selection.selection_set)
                    if selection.name.value.startswith("__"):  # introspection: not counted
                        inner = Shape(0, inner.aliases, inner.expanded)
                levels = max(levels, 1 + inner.levels)
                aliases += inner.aliases + (selection.alias is not None)
                expanded += 1 + inner.expanded
            elif isinstance(selection, InlineFragmentNode):
                inner = self.of(selection.selection_set)
                levels = max(levels, inner.levels)
                aliases += inner.aliases
                expanded += 1 + inner.expanded
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
                levels = max(levels, inner.levels)
                aliases += inner.aliases
                expanded += 1 + inner.expanded
        return Shape(levels, aliases, expanded)

    def fragment(self, name: str) -> Shape:
        found = self.known.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return _EMPTY  # unknown (KnownFragmentNames refuses it) or a cycle
        self.open.add(name)
        shape = self.of(definition.selection_set)
        self.open.discard(name)
        self.known[name] = shape
        return shape


@dataclass(frozen=True)
class DocumentLimits:
    """The limits of CREDITHUB_MAX_QUERY_DEPTH, _MAX_ALIASES and _MAX_SELECTIONS."""

    max_depth: int
    max_aliases: int
    max_selections: int


_CHECKED: IdentityLru[list[GraphQLError]] = IdentityLru(1024)


def document_errors(document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    """The limit errors of a parsed document, computed once per document object.

    Run before graphql-core's validation: a document refused here is never walked again, so a
    refusal costs one linear pass.
    """
    return _CHECKED.get_or_make(document, limits, lambda: _errors(document, limits))


def _errors(document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    shapes = DocumentShapes(fragments)
    errors: list[GraphQLError] = []
    aliases = expanded = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        shape = shapes.of(definition.selection_set)
        aliases += shape.aliases
        expanded += shape.expanded
        if shape.levels - 1 > limits.max_depth:
            name = definition.name.value if definition.name else "anonymous"
            errors.append(
                GraphQLError(
                    f"'{name}' exceeds maximum operation depth of {limits.max_depth}",
                    [definition],
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
            )
    for name in fragments:  # a fragment no operation uses is still looked at
        shapes.fragment(name)
    if expanded > limits.max_selections:
        errors.append(
            GraphQLError(
                f"the document expands to {expanded} selections through its fragments; "
                f"the limit is {limits.max_selections}",
                extensions={
                    "code": "LIMIT_EXCEEDED",
                    "selections": min(expanded, 10**15),
                    "limit": limits.max_selections,
                },
            )
        )
    if aliases > limits.max_aliases:
        errors.append(
            GraphQLError(
                f"{aliases} aliases found. Allowed: {limits.max_aliases}",
                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
            )
        )
    errors.extend(
        GraphQLError(
            "A selection set must select at least one field.",
            [selection_set],
            extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
        )
        for selection_set in shapes.empty[:10]
    )
    return errors
