"""Ownership penetration types: beneficial owners, actual controllers, penetration trees."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from graph_seed.model import ROLE_REL_TYPE, RoleName
from hub.rules import ownership, penetration
from resolvers.paging import page_size
from schema.graph import GraphBuilder, Subgraph
from schema.subjects import (
    Enterprise,
    HubInfo,
    Person,
    Subject,
    enterprise_of,
    person_of,
    subject_of,
)

Nodes = dict[ownership.NodeKey, dict[str, Any]]


@strawberry.enum(
    description="UP: who holds the enterprise (股东穿透); DOWN: what it holds (对外投资)."
)
class OwnershipDirection(Enum):
    UP = "UP"
    DOWN = "DOWN"


@strawberry.enum(description="Why a result is incomplete.")
class Truncation(Enum):
    MAX_DEPTH = "MAX_DEPTH"
    PATH_CAP = "PATH_CAP"
    ROW_CAP = "ROW_CAP"


@strawberry.enum(description="Why a natural person is a beneficial owner (受益所有人).")
class OwnerBasis(Enum):
    OWNERSHIP = "OWNERSHIP"
    CONTROL = "CONTROL"
    MANAGEMENT = "MANAGEMENT"


@strawberry.enum(description="DECLARED in registration data, or INFERRED (疑似) from shares.")
class ControllerBasis(Enum):
    DECLARED = "DECLARED"
    INFERRED = "INFERRED"


@strawberry.type(description="One hop: the holder holds `share` of the company, from..to.")
class OwnershipStep:
    holder: Subject
    company: Enterprise
    share: float
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")


@strawberry.type(
    description="A chain of holdings; steps run from the subject outwards (the first step "
    "touches the subject). share = the product of the step shares."
)
class OwnershipPath:
    share: float
    length: int
    steps: list[OwnershipStep]


@strawberry.type(description="A holder (person or enterprise) with its effective share.")
class EffectiveOwner:
    holder: Subject
    effective_share: float = strawberry.field(
        description="Sum over every distinct simple path of the product of its shares."
    )
    ultimate: bool = strawberry.field(description="Has no holders of its own on asOf.")
    path_count: int
    paths_: strawberry.Private[tuple[list[ownership.Path], Nodes]]

    @strawberry.field(description="The contributing paths, biggest first (first: 1-100).")
    def paths(self, first: int = 100) -> list[OwnershipPath]:
        return _paths(*self.paths_, first)


@strawberry.type(
    description="A beneficial owner (受益所有人信息管理办法 2024, art. 6): OWNERSHIP at or above "
    "the threshold, CONTROL as declared actual controller, or MANAGEMENT: the legal "
    "representative or principal when nobody qualifies otherwise (fallback: true)."
)
class BeneficialOwner:
    person: Person
    basis: OwnerBasis
    fallback: bool
    role: RoleName | None
    effective_share: float
    path_count: int
    paths_: strawberry.Private[tuple[list[ownership.Path], Nodes]]

    @strawberry.field(description="The contributing paths, biggest first (first: 1-100).")
    def paths(self, first: int = 100) -> list[OwnershipPath]:
        return _paths(*self.paths_, first)


@strawberry.type(
    description="The actual controller (实际控制人): DECLARED when registered, else INFERRED "
    "(疑似实际控制人): the natural person or top entity with an effective share above 50 %."
)
class ActualController:
    holder: Subject
    basis: ControllerBasis
    inferred: bool
    effective_share: float | None
    path_count: int
    paths_: strawberry.Private[tuple[list[ownership.Path], Nodes]]

    @strawberry.field(description="The contributing paths, biggest first (first: 1-100).")
    def paths(self, first: int = 100) -> list[OwnershipPath]:
        return _paths(*self.paths_, first)


@strawberry.type(description="Beneficial owners and actual controllers of an enterprise on asOf.")
class OwnershipAnalysis:
    found: bool
    subject: Enterprise | None
    as_of: dt.date
    threshold: float
    max_depth: int
    owners: list[EffectiveOwner] = strawberry.field(
        description="Every holder, person or enterprise, at or above the threshold."
    )
    beneficial_owners: list[BeneficialOwner]
    fallback_applied: bool
    actual_controllers: list[ActualController]
    truncated: bool
    truncation: list[Truncation]
    warnings: list[str]
    path_count: int
    holders_reached: int
    subgraph: Subgraph


@strawberry.type(
    description="A node of a penetration tree (a holder reached twice is drawn twice)."
)
class OwnershipTreeNode:
    id: int
    parent_id: int | None
    depth: int
    subject: Subject
    share: float | None = strawberry.field(description="Share of the holding to the parent.")
    cumulative_share: float = strawberry.field(description="Product along this branch.")
    total_share: float = strawberry.field(description="Summed over every branch to this subject.")
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")


@strawberry.type(description="The penetration tree in one direction, flat with parent ids.")
class OwnershipTree:
    found: bool
    subject: Enterprise | None
    direction: OwnershipDirection
    as_of: dt.date
    max_depth: int
    min_share: float
    nodes: list[OwnershipTreeNode]
    truncated: bool
    truncation: list[Truncation]
    subgraph: Subgraph


def _subject(key: ownership.NodeKey, nodes: Nodes) -> Subject:
    raw = dict(nodes.get(key) or {})
    raw.setdefault("uscc" if key[0] == ownership.ENTERPRISE else "idNumber", key[1])
    return subject_of(key[0], raw)


def _path(path: ownership.Path, nodes: Nodes) -> OwnershipPath:
    return OwnershipPath(
        share=path.share,
        length=path.depth,
        steps=[
            OwnershipStep(
                holder=_subject(s.holder, nodes),
                company=enterprise_of(dict(nodes.get(s.company_node) or {"uscc": s.company})),
                share=s.share,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
            )
            for s in path.steps
        ],
    )


def _paths(paths: list[ownership.Path], nodes: Nodes, first: int) -> list[OwnershipPath]:
    """The ``first`` (1-100, like every page size) biggest paths; pathCount tells how many."""
    ranked = sorted(paths, key=lambda p: -p.share)[: page_size(first)]
    return [_path(p, nodes) for p in ranked]


def _graph(
    info: HubInfo,
    day: dt.date,
    root: ownership.NodeKey,
    holdings: list[ownership.Holding],
    nodes: Nodes,
    truncated: bool,
    ties: list[ownership.Tie] | None = None,
) -> Subgraph:
    builder = GraphBuilder(info.context, day)
    builder.centre = builder.node(root, nodes.get(root), hop=0)
    for h in holdings:
        builder.node(h.holder, nodes.get(h.holder))
        builder.node(h.company_node, nodes.get(h.company_node))
        builder.edge(
            h.key,
            "HOLDS_SHARES",
            h.holder,
            h.company_node,
            {"share": h.share, "from": h.valid_from, "to": h.valid_to},
        )
    for tie in ties or []:
        builder.node(tie.holder, nodes.get(tie.holder))
        builder.edge(
            f"{tie.role}:{tie.holder[1]}:{tie.valid_from}",
            ROLE_REL_TYPE[tie.role],
            tie.holder,
            root,
            {"role": tie.role, "from": tie.valid_from, "to": tie.valid_to},
        )
    return builder.build(truncated)


def _audit_persons(info: HubInfo, keys: list[ownership.NodeKey]) -> None:
    """Investigators' reads of persons are audited, whatever fields they select."""
    if info.context.actor.sees_personal_data:
        info.context.audited.extend(("Person", k) for label, k in keys if label == ownership.PERSON)


def analysis_of(
    info: HubInfo,
    result: ownership.Analysis,
    subject: dict[str, Any],
    nodes: Nodes,
) -> OwnershipAnalysis:
    def owner(entry: ownership.Effective) -> EffectiveOwner:
        return EffectiveOwner(
            holder=_subject(entry.node, nodes),
            effective_share=entry.share,
            ultimate=entry.ultimate,
            path_count=len(entry.paths),
            paths_=(entry.paths, nodes),
        )

    beneficial = [
        BeneficialOwner(
            person=person_of(dict(nodes.get(b.node) or {"idNumber": b.node[1], "name": ""})),
            basis=OwnerBasis(b.basis.value),
            fallback=b.basis is ownership.OwnerBasis.MANAGEMENT,
            role=RoleName(b.role) if b.role else None,
            effective_share=b.share,
            path_count=len(b.paths),
            paths_=(list(b.paths), nodes),
        )
        for b in result.beneficial_owners
    ]
    controllers = [
        ActualController(
            holder=_subject(c.node, nodes),
            basis=ControllerBasis(c.basis.value),
            inferred=c.inferred,
            effective_share=c.share,
            path_count=len(c.paths),
            paths_=(list(c.paths), nodes),
        )
        for c in result.controllers
    ]
    root = (ownership.ENTERPRISE, result.subject)
    shown = {c.node for c in result.controllers} | {b.node for b in result.beneficial_owners}
    ties = [t for t in result.ties if t.holder in shown]
    _audit_persons(info, [e.node for e in result.owners])
    _audit_persons(info, [b.node for b in result.beneficial_owners])
    _audit_persons(info, [c.node for c in result.controllers])
    return OwnershipAnalysis(
        found=True,
        subject=enterprise_of(subject),
        as_of=result.as_of,
        threshold=result.threshold,
        max_depth=result.max_depth,
        owners=[owner(e) for e in result.owners],
        beneficial_owners=beneficial,
        fallback_applied=result.fallback,
        actual_controllers=controllers,
        truncated=result.truncated,
        truncation=sorted((Truncation(c.value) for c in result.cuts), key=lambda t: t.value),
        warnings=result.warnings,
        path_count=result.path_count,
        holders_reached=result.holders,
        subgraph=_graph(info, result.as_of, root, result.used, nodes, result.truncated, ties),
    )


def tree_of(
    info: HubInfo,
    drawn: penetration.Tree,
    subject: dict[str, Any],
    nodes: Nodes,
    direction: OwnershipDirection,
    as_of: dt.date,
    max_depth: int,
    min_share: float,
) -> OwnershipTree:
    tree_nodes = [
        OwnershipTreeNode(
            id=n.id,
            parent_id=n.parent,
            depth=n.depth,
            subject=_subject(n.node, nodes),
            share=n.holding.share if n.holding else None,
            cumulative_share=n.cumulative,
            total_share=drawn.totals.get(n.node, 1.0),
            valid_from=n.holding.valid_from if n.holding else None,
            valid_to=n.holding.valid_to if n.holding else None,
        )
        for n in drawn.nodes
    ]
    used = list({n.holding.key: n.holding for n in drawn.nodes if n.holding}.values())
    root = drawn.nodes[0].node
    _audit_persons(info, [n.node for n in drawn.nodes])
    return OwnershipTree(
        found=True,
        subject=enterprise_of(subject),
        direction=direction,
        as_of=as_of,
        max_depth=max_depth,
        min_share=min_share,
        nodes=tree_nodes,
        truncated=bool(drawn.cuts),
        truncation=sorted((Truncation(c.value) for c in drawn.cuts), key=lambda t: t.value),
        subgraph=_graph(info, as_of, root, used, nodes, bool(drawn.cuts)),
    )
