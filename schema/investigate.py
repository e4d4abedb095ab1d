"""Investigation root fields: ownership penetration, paths, neighbourhoods, related parties.

Who may call which is decided in hub/policy.py; persons always come as the Person type (masked
unless the caller sees personal data) and every person an investigator reads is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from hub.rules.ownership import Direction
from resolvers import investigate
from resolvers import neighbourhood as nb
from schema.common import SubjectRef
from schema.graph import EdgeType, GraphBuilder, Subgraph, TypeDegree
from schema.links import GraphPath, RelatedParties, paths_of, related_of
from schema.ownership import (
    OwnershipAnalysis,
    OwnershipDirection,
    OwnershipTree,
    analysis_of,
    tree_of,
)
from schema.subjects import HubInfo


def _missing_graph(info: HubInfo, day: dt.date) -> Subgraph:
    return GraphBuilder(info.context, day).build(False)


@strawberry.type
class InvestigationQueries:
    @strawberry.field(
        description="Beneficial owners (受益所有人) and actual controllers of an enterprise on "
        "asOf (default today): shareholding chains walked upwards up to maxDepth (1-20), every "
        "owner at or above threshold (inclusive) with its effective share and paths. See "
        "docs/investigation.md."
    )
    async def beneficial_owners(
        self,
        info: HubInfo,
        uscc: str,
        threshold: float | None = 0.25,
        max_depth: int | None = 10,
        as_of: dt.date | None = None,
    ) -> OwnershipAnalysis:
        threshold = 0.25 if threshold is None else threshold
        max_depth = 10 if max_depth is None else max_depth
        found = await investigate.beneficial_owners(info.context, uscc, threshold, max_depth, as_of)
        if found.subject is None or found.analysis is None:
            return OwnershipAnalysis(
                found=False, subject=None, as_of=found.as_of, threshold=threshold,
                max_depth=max_depth, owners=[], beneficial_owners=[], fallback_applied=False,
                actual_controllers=[], truncated=False, truncation=[], warnings=[],
                path_count=0, holders_reached=0, subgraph=_missing_graph(info, found.as_of),
            )  # fmt: skip
        return analysis_of(info, found.analysis, found.subject, found.nodes)

    @strawberry.field(
        description="The penetration tree (股权穿透图) upwards (who holds it) or downwards (what "
        "it holds), flat with parent ids, branches below minShare left out, at most 2000 nodes."
    )
    async def ownership_tree(
        self,
        info: HubInfo,
        uscc: str,
        direction: OwnershipDirection = OwnershipDirection.UP,
        max_depth: int = 10,
        min_share: float = 0.0,
        as_of: dt.date | None = None,
    ) -> OwnershipTree:
        found = await investigate.ownership_tree(
            info.context, uscc, Direction(direction.value), max_depth, min_share, as_of
        )
        if found.subject is None or found.tree is None:
            return OwnershipTree(
                found=False, subject=None, direction=direction, as_of=found.as_of,
                max_depth=max_depth, min_share=min_share, nodes=[], truncated=False,
                truncation=[], subgraph=_missing_graph(info, found.as_of),
            )  # fmt: skip
        return tree_of(
            info,
            found.tree,
            found.subject,
            found.nodes,
            direction,
            found.as_of,
            max_depth,
            min_share,
        )

    @strawberry.field(
        description="The shortest connections between two subjects over roles, shareholdings, "
        "control and branches, in both directions, at most maxHops (1-6) long; up to limit "
        "(1-100) paths. With asOf only relationships valid on that date. Unknown subjects: []."
    )
    async def find_paths(
        self,
        info: HubInfo,
        from_: Annotated[SubjectRef, strawberry.argument(name="from")],
        to: SubjectRef,
        max_hops: int | None = 4,
        limit: int | None = 10,
        as_of: dt.date | None = None,
    ) -> list[GraphPath]:
        rows = await investigate.find_paths(
            info.context,
            (from_.uscc, from_.id_number),
            (to.uscc, to.id_number),
            4 if max_hops is None else max_hops,
            10 if limit is None else limit,
            as_of,
        )
        return paths_of(info, rows, as_of or info.context.today())

    @strawberry.field(
        description="Nodes and edges around a subject: hops 1-3, at most limit (1-1000) edges "
        "shared fairly between the types, per-type degrees and cursors (page one type with "
        "types: [T], after: its endCursor), truncated when anything was left out."
    )
    async def neighbourhood(
        self,
        info: HubInfo,
        subject: SubjectRef,
        hops: int | None = 1,
        limit: int | None = 200,
        types: list[EdgeType] | None = None,
        after: str | None = None,
    ) -> Subgraph:
        day = info.context.today()
        found = await nb.neighbourhood(
            info.context,
            (subject.uscc, subject.id_number),
            1 if hops is None else hops,
            200 if limit is None else limit,
            [t.value for t in types] if types is not None else None,
            after,
        )
        builder = GraphBuilder(info.context, day)
        if found.centre is None:
            return builder.build(False)
        centre = found.centre
        builder.centre = builder.node(
            (centre["label"], centre["key"]), centre["props"], degree=found.degree, hop=0
        )
        for hop, edge in found.edges:
            other = edge["other"]
            builder.node(
                (other["label"], other["key"]), other["props"], degree=edge["degree"], hop=hop
            )
            builder.rel_row(edge["rel"])
        degrees = [
            TypeDegree(
                type=EdgeType(p.type),
                total=p.total,
                returned=p.returned,
                has_more=p.has_more,
                end_cursor=p.end_cursor,
            )
            for p in found.pages
        ]
        return builder.build(found.truncated, degrees, found.end_cursor)

    @strawberry.field(
        description="Enterprises related to this one on asOf (default today): shared legal "
        "representative, principal, officer, shareholder, declared controller, address or "
        "phone, or a direct holding or control; with what they share; most links first."
    )
    async def related_parties(
        self,
        info: HubInfo,
        uscc: str,
        as_of: dt.date | None = None,
        limit: int = 100,
    ) -> RelatedParties:
        day, row = await investigate.related_parties(info.context, uscc, as_of, limit)
        return related_of(info, day, row, limit)
