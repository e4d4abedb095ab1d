"""Subgraphs: nodes and edges any investigation returns, and their export for graph viewers.

Node ids: ``E:<uscc>`` for enterprises, ``A:<key>`` for addresses, ``T:<number>`` for phones;
persons are ``P:<idNumber>`` for callers who see personal data (each such person is written to
the audit trail) and ``P#<n>`` (numbered within one answer) for everyone else, whose edge ids are
numbered too, so no ID number leaks through an id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from graph_seed.model import RoleName
from hub.identifiers import mask_id_number
from hub.rules.validity import active_on
from resolvers.context import HubContext
from schema.subjects import Subject, subject_of


@strawberry.enum(description="What a node of a subgraph is.")
class NodeKind(Enum):
    ENTERPRISE = "ENTERPRISE"
    PERSON = "PERSON"
    ADDRESS = "ADDRESS"
    PHONE = "PHONE"


@strawberry.enum(description="Relationship types an investigation walks (graph_seed/model.toml).")
class EdgeType(Enum):
    HOLDS_SHARES = "HOLDS_SHARES"
    LEGAL_REPRESENTATIVE_OF = "LEGAL_REPRESENTATIVE_OF"
    PRINCIPAL_OF = "PRINCIPAL_OF"
    OFFICER_OF = "OFFICER_OF"
    PRACTITIONER_AT = "PRACTITIONER_AT"
    CONTROLS = "CONTROLS"
    BRANCH_OF = "BRANCH_OF"
    LOCATED_AT = "LOCATED_AT"
    REACHABLE_AT = "REACHABLE_AT"


@strawberry.enum(description="Export format of a subgraph.")
class GraphFormat(Enum):
    CYTOSCAPE = "CYTOSCAPE"  # {"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}
    G6 = "G6"  # {"nodes": [{"id", "label", "data"}], "edges": [{"id", "source", "target", …}]}


_ROLES = {r.value: r for r in RoleName}
_KINDS = {"Enterprise": NodeKind.ENTERPRISE, "Person": NodeKind.PERSON}
_KINDS.update({"Address": NodeKind.ADDRESS, "Phone": NodeKind.PHONE})
_PREFIX = {"Enterprise": "E:", "Address": "A:", "Phone": "T:"}


def role_type(value: str | None) -> RoleName | None:
    """The role a relationship records, if it is a role of the model (shareholdings have none)."""
    return _ROLES.get(value) if value else None


@strawberry.type(description="A node: an enterprise, a person, an address or a phone.")
class GraphNode:
    id: strawberry.ID
    kind: NodeKind
    label: str = strawberry.field(description="Name, address text or phone number.")
    subject: Subject | None = strawberry.field(description="The enterprise or person, if one.")
    degree: int | None = strawberry.field(
        description="Relationships of the investigated types at this node (all, not only the "
        "ones returned): a large degree marks a super-node to expand selectively."
    )
    hop: int | None = strawberry.field(description="Distance from the centre, when there is one.")
    key: strawberry.Private[tuple[str, str]]
    export_key: strawberry.Private[str]


@strawberry.type(description="An edge as stored: source -[type]-> target, with validity dates.")
class GraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    type: EdgeType
    role: RoleName | None
    share: float | None
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")
    active: bool = strawberry.field(description="Valid on asOf (today when not given).")


@strawberry.type(description="Degree of the centre for one relationship type, and its page.")
class TypeDegree:
    type: EdgeType
    total: int = strawberry.field(description="All relationships of this type at the centre.")
    returned: int
    has_more: bool
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` with `types: [this type]` to get the next page."
    )


@strawberry.type(description="Nodes and edges, with `truncated` when a cap or limit cut them.")
class Subgraph:
    centre: GraphNode | None
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool
    degrees: list[TypeDegree] = strawberry.field(
        description="Per relationship type at the centre (neighbourhood only)."
    )
    end_cursor: str | None = strawberry.field(
        description="Next page of every type that has more (neighbourhood only)."
    )

    @strawberry.field(
        description="The subgraph as JSON a graph viewer loads directly (Cytoscape.js "
        "`elements`, or G6 `{nodes, edges}`); see docs/investigation.md."
    )
    def export(self, format: GraphFormat = GraphFormat.CYTOSCAPE) -> JSON:
        return JSON(export_json(self, format))


def export_json(graph: Subgraph, format: GraphFormat) -> dict[str, Any]:
    nodes = [
        {
            "id": n.id,
            "label": n.label,
            "kind": n.kind.value,
            "key": n.export_key,
            "degree": n.degree,
            "hop": n.hop,
        }
        for n in graph.nodes
    ]
    edges = [
        {
            "id": e.id,
            "source": e.source,
            "target": e.target,
            "label": e.role.value if e.role else e.type.value,
            "type": e.type.value,
            "role": e.role.value if e.role else None,
            "share": e.share,
            "from": e.valid_from.isoformat() if e.valid_from else None,
            "to": e.valid_to.isoformat() if e.valid_to else None,
            "active": e.active,
        }
        for e in graph.edges
    ]
    if format is GraphFormat.G6:
        return {
            "nodes": [{"id": n["id"], "label": n["label"], "data": n} for n in nodes],
            "edges": [
                {
                    "id": e["id"],
                    "source": e["source"],
                    "target": e["target"],
                    "label": e["label"],
                    "data": e,
                }
                for e in edges
            ],
            "truncated": graph.truncated,
        }
    return {
        "elements": {
            "nodes": [{"data": n} for n in nodes],
            "edges": [{"data": e} for e in edges],
        },
        "truncated": graph.truncated,
    }


@dataclass
class GraphBuilder:
    """Collects nodes and edges of one answer, giving ids by the caller's rights."""

    ctx: HubContext
    day: dt.date

    def __post_init__(self) -> None:
        self.full = self.ctx.actor.sees_personal_data
        self.nodes: dict[tuple[str, str], GraphNode] = {}
        self.edges: dict[str, GraphEdge] = {}
        self.centre: GraphNode | None = None

    def node(
        self,
        key: tuple[str, str],
        props: dict[str, Any] | None = None,
        *,
        degree: int | None = None,
        hop: int | None = None,
    ) -> GraphNode:
        found = self.nodes.get(key)
        if found is not None:
            if degree is not None and found.degree is None:
                found.degree = degree
            if hop is not None and (found.hop is None or hop < found.hop):
                found.hop = hop
            return found
        label, value = key
        props = props or {}
        if label == "Person":
            if self.full:
                node_id, export_key = f"P:{value}", value
                self.ctx.audited.append(("Person", value))
            else:
                node_id, export_key = f"P#{len(self.nodes) + 1}", mask_id_number(value)
        else:
            node_id, export_key = _PREFIX[label] + value, value
        subject = None
        if label in ("Enterprise", "Person"):
            raw = dict(props)
            raw.setdefault("uscc" if label == "Enterprise" else "idNumber", value)
            subject = subject_of(label, raw)
        # A node without a name falls back to its key as the caller may see it: a nameless
        # person's label is the masked ID number unless the caller sees personal data.
        text = props.get("name") or props.get("text") or props.get("number") or export_key
        created = GraphNode(
            id=strawberry.ID(node_id),
            kind=_KINDS[label],
            label=str(text),
            subject=subject,
            degree=degree,
            hop=hop,
            key=key,
            export_key=export_key,
        )
        self.nodes[key] = created
        return created

    def edge(
        self,
        ident: str,
        rel_type: str,
        start: tuple[str, str],
        end: tuple[str, str],
        props: dict[str, Any],
    ) -> GraphEdge:
        source, target = self.node(start), self.node(end)
        store_id = f"{rel_type}:{ident}"
        found = self.edges.get(store_id)
        if found is not None:
            return found
        public = self.full or (start[0] != "Person" and end[0] != "Person")
        edge_id = store_id if public else f"e{len(self.edges) + 1}"
        role = props.get("role")
        created = GraphEdge(
            id=strawberry.ID(edge_id),
            source=source.id,
            target=target.id,
            type=EdgeType(rel_type),
            role=role_type(role),
            share=props.get("share"),
            valid_from=props.get("from"),
            valid_to=props.get("to"),
            active=active_on(props, self.day),
        )
        self.edges[store_id] = created
        return created

    def rel_row(self, row: dict[str, Any]) -> GraphEdge:
        """An edge from the store's relationship shape (hub/store/graph.py)."""
        start = (row["start"]["label"], row["start"]["key"])
        end = (row["end"]["label"], row["end"]["key"])
        return self.edge(str(row["id"]), row["type"], start, end, row)

    def build(
        self,
        truncated: bool,
        degrees: list[TypeDegree] | None = None,
        end_cursor: str | None = None,
    ) -> Subgraph:
        return Subgraph(
            centre=self.centre,
            nodes=list(self.nodes.values()),
            edges=list(self.edges.values()),
            truncated=truncated,
            degrees=degrees or [],
            end_cursor=end_cursor,
        )
