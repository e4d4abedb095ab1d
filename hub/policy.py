"""The role matrix: which role may call which root operation. Enforced in one place.

Every query and mutation of the schema must appear here; an operation missing from the
matrix is refused for everyone, and tests/test_policy.py fails until it is decided.
"""

from __future__ import annotations

from hub.auth import Role

EVERYONE = frozenset(Role)

QUERIES: dict[str, frozenset[Role]] = {
    "enterprise": EVERYONE,
    "person": EVERYONE,
    "search": EVERYONE,
}

MUTATIONS: dict[str, frozenset[Role]] = {}


def allowed(operation: str, field: str, role: Role) -> bool:
    table = MUTATIONS if operation == "mutation" else QUERIES
    return role in table.get(field, frozenset())
