"""Per-document caches of validation errors and query cost, keyed by the document object.

strawberry's ValidationCache keys an LRU cache by the document, and graphql-core's AST nodes
are dataclasses hashed field by field: every request hashed the whole tree again (it showed in
a sampling profile of the hub under checks). The parser cache hands
out the same document object for the same text, so these caches key by its identity and hold
the document itself, so that an id is never reused while its entry lives.

Users: validation (below), the cost estimate and the root fields of an operation
(graphql_engine/limits.py). A cost depends on the variables only through the size and list arguments
the estimate reads, so it is cached under the values of exactly the variables it read: checks
with different subjects share one entry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from strawberry.schema.schema import validate_document

V = TypeVar("V")


class IdentityLru(Generic[V]):
    """An LRU map from (document object, extra hashable key) to a value."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[int, Hashable], tuple[Any, V]] = OrderedDict()

    def get_or_make(self, document: Any, key: Hashable, make: Callable[[], V]) -> V:
        slot = (id(document), key)
        found = self._entries.get(slot)
        if found is not None and found[0] is document:
            self._entries.move_to_end(slot)
            return found[1]
        value = make()
        self._entries[slot] = (document, value)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


_VALIDATED: IdentityLru[list[Any]] = IdentityLru(1024)


def validation_errors(context: Any) -> list[Any]:
    """Validation errors of the context's document under its rules, cached per document object
    (replaces strawberry's ValidationCache, which hashes the document on every request)."""
    document = context.graphql_document
    rules = context.validation_rules
    schema = context.schema._schema
    return _VALIDATED.get_or_make(
        document, (id(schema), rules), lambda: validate_document(schema, document, rules)
    )
