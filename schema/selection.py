"""What an ``enterprise(uscc)`` field's selection asks for, read off the document before its
fields run, so that the service reads it with the enterprise in one statement
(resolvers/subjects.py ``enterprise``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from graphql.utilities import value_from_ast_untyped

from resolvers.paging import MAX_PAGE_SIZE
from resolvers.subjects import MAX_SHARE_LEVELS, PageAsks
from schema.subjects import LISTING_STATE_FIELDS, HubInfo


def page_asks(info: HubInfo) -> PageAsks:
    """The enterprise's roles; how many levels of shareholders (``shareholders { holder { ...
    on Enterprise { shareholders … } } }``, up to ``MAX_SHARE_LEVELS``); the size of the first
    page of its actions. Fragments are followed; a field under ``@skip``/``@include`` counts as
    asked (reading it ahead costs the statement little); a first page is read ahead only for
    a valid ``first`` without ``after`` (anything else is left to the field, which reports
    it)."""
    raw = info._raw_info
    # A plain dict at run time, whatever graphql-core's annotation says (VariableValues).
    values: Any = raw.variable_values
    variables: dict[str, Any] = getattr(values, "coerced", values)
    fragments = raw.fragments
    tops = [f for node in raw.field_nodes for f in _fields(node.selection_set, fragments)]
    first = 0
    for field in tops:
        if field.name.value == "actions":
            given = {
                a.name.value: value_from_ast_untyped(a.value, variables)
                for a in field.arguments or ()
            }
            size = given.get("first", 20)
            if given.get("after") is None and type(size) is int and 0 < size <= MAX_PAGE_SIZE:
                first = max(first, size)
    return PageAsks(
        roles=any(field.name.value == "roles" for field in tops),
        share_levels=min(_share_levels(tops, fragments), MAX_SHARE_LEVELS),
        first_actions=first,
    )


def search_asks_badges(info: HubInfo) -> bool:
    """A ``search`` selection asks its hits' badges: ``nodes { subject { listings { … } } }``
    with only LISTING_STATE_FIELDS below ``listings`` (what ``asks_states_only`` serves from
    the lighter read): the search reads them in its own statement and primes that read's
    loader (resolvers/subjects.py ``search``)."""
    fragments = info._raw_info.fragments
    for field in info._raw_info.field_nodes:
        for nodes in _named(field.selection_set, fragments, "nodes"):
            for subject in _named(nodes.selection_set, fragments, "subject"):
                for listings in _named(subject.selection_set, fragments, "listings"):
                    below = listings.selection_set.selections if listings.selection_set else ()
                    if all(
                        isinstance(n, FieldNode) and n.name.value in LISTING_STATE_FIELDS
                        for n in below
                    ):
                        return True
    return False


def _named(
    selection_set: SelectionSetNode | None, fragments: Any, name: str
) -> Iterator[FieldNode]:
    return (f for f in _fields(selection_set, fragments) if f.name.value == name)


def _fields(selection_set: SelectionSetNode | None, fragments: Any) -> Iterator[FieldNode]:
    """The fields of a selection, through inline fragments and fragment spreads."""
    for node in selection_set.selections if selection_set else ():
        if isinstance(node, FieldNode):
            yield node
        elif isinstance(node, InlineFragmentNode):
            yield from _fields(node.selection_set, fragments)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments:
            yield from _fields(fragments[node.name.value].selection_set, fragments)


def _share_levels(fields: list[FieldNode], fragments: Any, depth: int = 0) -> int:
    """Levels of shareholders asked for below these fields (0: none)."""
    if depth >= MAX_SHARE_LEVELS:
        return 0
    most = 0
    for field in fields:
        if field.name.value != "shareholders":
            continue
        below = 0
        for holder in _fields(field.selection_set, fragments):
            if holder.name.value == "holder":
                inner = list(_fields(holder.selection_set, fragments))
                below = max(below, _share_levels(inner, fragments, depth + 1))
        most = max(most, 1 + below)
    return most
