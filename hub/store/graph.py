"""Shared Cypher fragments and row shapes of the investigation reads (graph elements).

Every investigation query returns nodes as ``{label, key, props}`` and relationships as
``{id, type, start: {label, key}, end: {label, key}, role, share, from, to}`` so the schema can
turn any of them into one subgraph (schema/graph.py). Relationship types and labels used in the
text come only from the tuples below.
"""

from __future__ import annotations

from typing import Any

from graph_seed.model import ROLE_RELATIONSHIPS

# The relationships an investigator walks: roles, shareholdings, control, branches, contacts.
ROLE_TYPES = ROLE_RELATIONSHIPS
PATH_TYPES = ("HOLDS_SHARES", *ROLE_TYPES, "BRANCH_OF")
CONTACT_TYPES = ("LOCATED_AT", "REACHABLE_AT")
NEIGHBOUR_TYPES = (*PATH_TYPES, *CONTACT_TYPES)

# label -> key property (the nodes an investigation can return)
KEYS = {"Enterprise": "uscc", "Person": "idNumber", "Address": "key", "Phone": "number"}

# Cypher expressions over a node variable (format with v=...).
LABEL = (
    "CASE WHEN {v}:Enterprise THEN 'Enterprise' WHEN {v}:Person THEN 'Person' "
    "WHEN {v}:Address THEN 'Address' ELSE 'Phone' END"
)
KEY = "coalesce({v}.uscc, {v}.idNumber, {v}.key, {v}.number)"
# A few properties only: the schema loads the rest per access path when asked (DataLoaders);
# whole property maps (with their datetimes) cost more to ship than the walk itself.
PROPS = (
    "CASE WHEN {v}:Enterprise THEN {v} {{.uscc, .name, .kind}} "
    "WHEN {v}:Person THEN {v} {{.idNumber, .name, .publicServant}} "
    "ELSE {v} {{.key, .text, .number}} END"
)
NODE = "{{label: " + LABEL + ", key: " + KEY + ", props: " + PROPS + "}}"
# A relationship (variable r) with its end points.
REL = (
    "{{id: coalesce({r}.key, elementId({r})), type: type({r}), role: {r}.role, share: {r}.share, "
    "from: {r}.from, to: {r}.to, "
    "start: {{label: "
    + LABEL.replace("{v}", "startNode({r})")
    + ", key: "
    + KEY.replace("{v}", "startNode({r})")
    + "}}, "
    "end: {{label: "
    + LABEL.replace("{v}", "endNode({r})")
    + ", key: "
    + KEY.replace("{v}", "endNode({r})")
    + "}}}}"
)
VALID = "({r}.from IS NULL OR {r}.from <= $asOf) AND ({r}.to IS NULL OR {r}.to >= $asOf)"


def node(v: str) -> str:
    return NODE.format(v=v)


def rel(r: str) -> str:
    return REL.format(r=r)


def valid(r: str, day: str = "$asOf") -> str:
    """Relationship ``r`` valid on ``day`` (a parameter or a variable; open ends open)."""
    return VALID.format(r=r).replace("$asOf", day)


def types(names: tuple[str, ...] | list[str]) -> str:
    """``A|B|C`` from names that must all be in the allowlist."""
    for name in names:
        if name not in NEIGHBOUR_TYPES:
            raise ValueError(f"relationship type outside the allowlist: {name!r}")
    return "|".join(names)


def node_key(row: dict[str, Any]) -> tuple[str, str]:
    return (str(row["label"]), str(row["key"]))
