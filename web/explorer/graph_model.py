"""The graph an explorer page shows, as plain data: what its export formats convert.

The page sends what is on screen in the shape of the API's Cytoscape export (``Subgraph.export``,
docs/investigation.md): ``{"nodes": [{id, kind, label, key}], "edges": [{id, source, target,
type, role, share, from, to}], "asOf": "yyyy-mm-dd" | null}``. ``parse`` checks it and names the
element, the field and the reason of the first fault, so an export is whole or refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hub.errors import InvalidInput

KINDS = frozenset({"ENTERPRISE", "PERSON", "ADDRESS", "PHONE"})
EDGE_TYPES = frozenset(
    {
        "HOLDS_SHARES",
        "LEGAL_REPRESENTATIVE_OF",
        "PRINCIPAL_OF",
        "OFFICER_OF",
        "PRACTITIONER_AT",
        "CONTROLS",
        "BRANCH_OF",
        "LOCATED_AT",
        "REACHABLE_AT",
    }
)
ROLES = frozenset(
    {
        "LEGAL_REPRESENTATIVE",
        "PRINCIPAL",
        "DIRECTOR",
        "SUPERVISOR",
        "SENIOR_MANAGER",
        "PRACTITIONER",
        "ACTUAL_CONTROLLER",
    }
)
MAX_ELEMENTS = 20_000  # nodes plus edges in one export (the page shows at most a few thousand)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str
    label: str
    key: str  # USCC, ID number (masked if the caller saw it masked), address key, phone


@dataclass(frozen=True, slots=True)
class Edge:
    id: str
    source: str
    target: str
    type: str
    role: str | None
    share: float | None
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    as_of: dt.date | None

    def by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    @property
    def persons(self) -> list[str]:
        """ID numbers of the persons shown unmasked (``P:<idNumber>``): personal data."""
        return sorted(n.key for n in self.nodes if n.kind == "PERSON" and n.id.startswith("P:"))


def _text(item: dict[str, Any], name: str, where: str, *, optional: bool = False) -> str | None:
    value = item.get(name)
    if value is None or value == "":
        if optional:
            return None
        raise InvalidInput(f"{where}: {name} is missing", field=name)
    if not isinstance(value, str) or len(value) > 500:
        raise InvalidInput(f"{where}: {name} must be text of at most 500 characters", field=name)
    return value


def _day(item: dict[str, Any], name: str, where: str) -> dt.date | None:
    value = _text(item, name, where, optional=True)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{where}: {name} is not a date yyyy-mm-dd", field=name) from None


def _share(item: dict[str, Any], where: str) -> float | None:
    value = item.get("share")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInput(f"{where}: share must be a number from 0 to 1", field="share")
    return float(value)


def _items(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = data.get(name)
    if not isinstance(items, list):
        raise InvalidInput(f"{name}: a list is required", field=name)
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidInput(f"{name}[{n}]: an object is required", field=name)
    return items


def parse(data: Any) -> Graph:
    """The graph ``data`` describes, or InvalidInput naming the element, field and reason."""
    if not isinstance(data, dict):
        raise InvalidInput("the graph must be an object with nodes and edges", field="graph")
    raw_nodes, raw_edges = _items(data, "nodes"), _items(data, "edges")
    if len(raw_nodes) + len(raw_edges) > MAX_ELEMENTS:
        raise InvalidInput(f"more than {MAX_ELEMENTS} nodes and edges", field="graph")
    nodes: dict[str, Node] = {}
    for n, item in enumerate(raw_nodes):
        where = f"nodes[{n}]"
        node_id = str(_text(item, "id", where))
        kind = str(_text(item, "kind", where))
        if kind not in KINDS:
            raise InvalidInput(
                f"{where}: kind {kind!r} is not one of {sorted(KINDS)}", field="kind"
            )
        key = _text(item, "key", where, optional=True) or node_id
        label = _text(item, "label", where, optional=True) or key
        nodes.setdefault(node_id, Node(node_id, kind, label, key))
    edges: dict[str, Edge] = {}
    for n, item in enumerate(raw_edges):
        where = f"edges[{n}]"
        edge_id = str(_text(item, "id", where))
        source, target = str(_text(item, "source", where)), str(_text(item, "target", where))
        for end, name in ((source, "source"), (target, "target")):
            if end not in nodes:
                raise InvalidInput(f"{where}: {name} {end!r} is not a node", field=name)
        rel_type = str(_text(item, "type", where))
        if rel_type not in EDGE_TYPES:
            raise InvalidInput(f"{where}: type {rel_type!r} is not known", field="type")
        role = _text(item, "role", where, optional=True)
        if role is not None and role not in ROLES:
            raise InvalidInput(f"{where}: role {role!r} is not known", field="role")
        edges.setdefault(
            edge_id,
            Edge(
                edge_id,
                source,
                target,
                rel_type,
                role,
                _share(item, where),
                _day(item, "from", where),
                _day(item, "to", where),
            ),
        )
    return Graph(tuple(nodes.values()), tuple(edges.values()), _day(data, "asOf", "graph"))
