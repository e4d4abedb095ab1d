"""Paths between two subjects and related parties: their types and how rows become them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from enum import Enum
from typing import Any

import strawberry

from graph_seed.model import ROLE_REL_TYPE, RoleName
from hub.rules.validity import active_on
from schema.graph import EdgeType, GraphBuilder, Subgraph, role_type
from schema.subjects import Enterprise, HubInfo, Subject, enterprise_of, subject_of


@strawberry.enum(description="ALONG: the stored relationship points from start to end; AGAINST.")
class StepDirection(Enum):
    ALONG = "ALONG"
    AGAINST = "AGAINST"


@strawberry.type(
    description="One step of a path, in walking order from `from` to `to`: the relationship "
    "type, the role or share it records, its validity dates and its stored direction."
)
class GraphPathStep:
    start: Subject
    end: Subject
    type: EdgeType
    role: RoleName | None
    share: float | None
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")
    active: bool = strawberry.field(description="Valid on asOf (today when not given).")
    direction: StepDirection


@strawberry.type(description="A shortest connection between two subjects.")
class GraphPath:
    length: int
    steps: list[GraphPathStep]
    subgraph: Subgraph


def _subject(node: dict[str, Any]) -> Subject:
    raw = dict(node["props"])
    raw.setdefault("uscc" if node["label"] == "Enterprise" else "idNumber", node["key"])
    return subject_of(node["label"], raw)


def paths_of(info: HubInfo, rows: list[dict[str, Any]], day: dt.date) -> list[GraphPath]:
    out = []
    for row in rows:
        nodes, rels = row["nodes"], row["rels"]
        builder = GraphBuilder(info.context, day)
        for hop, n in enumerate(nodes):
            built = builder.node((n["label"], n["key"]), n["props"], hop=hop)
            if hop == 0:
                builder.centre = built
        steps = []
        for i, r in enumerate(rels):
            builder.rel_row(r)
            forward = (r["start"]["label"], r["start"]["key"]) == (
                nodes[i]["label"],
                nodes[i]["key"],
            )
            role = r.get("role")
            steps.append(
                GraphPathStep(
                    start=_subject(nodes[i]),
                    end=_subject(nodes[i + 1]),
                    type=EdgeType(r["type"]),
                    role=role_type(role),
                    share=r.get("share"),
                    valid_from=r.get("from"),
                    valid_to=r.get("to"),
                    active=active_on(r, day),
                    direction=StepDirection.ALONG if forward else StepDirection.AGAINST,
                )
            )
        out.append(GraphPath(length=len(rels), steps=steps, subgraph=builder.build(False)))
    return out


@strawberry.enum(description="A role at an enterprise, shareholding included.")
class PartyRole(Enum):
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    PRINCIPAL = "PRINCIPAL"
    DIRECTOR = "DIRECTOR"
    SUPERVISOR = "SUPERVISOR"
    SENIOR_MANAGER = "SENIOR_MANAGER"
    ACTUAL_CONTROLLER = "ACTUAL_CONTROLLER"
    SHAREHOLDER = "SHAREHOLDER"


@strawberry.enum(description="What two enterprises share, or how they are directly linked.")
class RelationKind(Enum):
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"  # the same legal representative at both
    PRINCIPAL = "PRINCIPAL"  # the same principal (负责人)
    OFFICER = "OFFICER"  # a director, supervisor or senior manager of both
    SHAREHOLDER = "SHAREHOLDER"  # a shareholder of both
    DECLARED_CONTROLLER = "DECLARED_CONTROLLER"  # the same declared actual controller
    SAME_PARTY = "SAME_PARTY"  # one party in different roles (e.g. legal rep here, owner there)
    ADDRESS = "ADDRESS"  # the same registered address
    PHONE = "PHONE"  # the same registered phone
    HOLDS_SHARES_IN = "HOLDS_SHARES_IN"  # the subject holds shares in the other
    HELD_BY = "HELD_BY"  # the other holds shares in the subject
    CONTROLS = "CONTROLS"  # the subject is the other's declared actual controller
    CONTROLLED_BY = "CONTROLLED_BY"  # the other is the subject's declared actual controller


_PARTY_ROLES = {r.value: r for r in PartyRole}
_CATEGORY = {
    "LEGAL_REPRESENTATIVE": RelationKind.LEGAL_REPRESENTATIVE,
    "PRINCIPAL": RelationKind.PRINCIPAL,
    "DIRECTOR": RelationKind.OFFICER,
    "SUPERVISOR": RelationKind.OFFICER,
    "SENIOR_MANAGER": RelationKind.OFFICER,
    "SHAREHOLDER": RelationKind.SHAREHOLDER,
    "ACTUAL_CONTROLLER": RelationKind.DECLARED_CONTROLLER,
}


@strawberry.type(description="One link between the subject and a related enterprise.")
class SharedLink:
    kind: RelationKind
    via: Subject | None = strawberry.field(description="The shared person or enterprise.")
    role_here: PartyRole | None = strawberry.field(description="Its role at the subject.")
    role_there: PartyRole | None = strawberry.field(description="Its role at the other.")
    share_here: float | None
    share_there: float | None
    address: str | None = strawberry.field(description="The shared address (kind ADDRESS).")
    phone: str | None = strawberry.field(description="The shared phone (kind PHONE).")


@strawberry.type(description="An enterprise related to the subject, with every link.")
class RelatedParty:
    enterprise: Enterprise
    kinds: list[RelationKind]
    links: list[SharedLink]


@strawberry.type(
    description="Related parties (关联方): enterprises sharing a legal representative, principal, "
    "officer, shareholder, declared controller, address or phone with the subject, or directly "
    "holding or controlling it (招标投标法实施条例 art. 34: the same unit head, or holding or "
    "management relations, may not bid in one lot)."
)
class RelatedParties:
    found: bool
    subject: Enterprise | None
    as_of: dt.date
    parties: list[RelatedParty]
    truncated: bool
    subgraph: Subgraph


def _role(value: str | None) -> PartyRole | None:
    return _PARTY_ROLES.get(value) if value else None


def _kind(link: dict[str, Any]) -> RelationKind:
    """What a link row (hub/store/related.py) means."""
    kind_name = link["kind"]
    if kind_name == "PARTY":
        here, there = (
            _CATEGORY.get(link.get("roleHere") or ""),
            _CATEGORY.get(link.get("roleThere") or ""),
        )
        return here if here is not None and here == there else RelationKind.SAME_PARTY
    if kind_name in ("ADDRESS", "PHONE"):
        return RelationKind(kind_name)
    out = kind_name == "OUT"
    if link.get("roleHere") == "SHAREHOLDER":
        return RelationKind.HOLDS_SHARES_IN if out else RelationKind.HELD_BY
    return RelationKind.CONTROLS if out else RelationKind.CONTROLLED_BY


def _link(row: dict[str, Any], vias: dict[tuple[str, str], dict[str, Any]]) -> SharedLink:
    link, via = row["link"], row.get("via")
    props = vias.get((via["label"], via["key"])) if via else None
    kind_name = link["kind"]
    kind = _kind(link)
    subject = None
    address = phone = None
    if kind_name == "PARTY":
        assert via is not None  # noqa: S101 - a PARTY link always has its party
        subject = _subject({"label": via["label"], "key": via["key"], "props": props or {}})
    elif kind_name == "ADDRESS":
        address = (props or {}).get("text")
    elif kind_name == "PHONE":
        phone = via["key"] if via else None
    return SharedLink(
        kind=kind,
        via=subject,
        role_here=_role(link.get("roleHere")) if kind_name == "PARTY" else None,
        role_there=_role(link.get("roleThere")) if kind_name == "PARTY" else None,
        share_here=link.get("shareHere") if kind_name == "PARTY" else link.get("share"),
        share_there=link.get("shareThere"),
        address=address,
        phone=phone,
    )


def related_of(
    info: HubInfo, day: dt.date, row: dict[str, Any] | None, limit: int
) -> RelatedParties:
    builder = GraphBuilder(info.context, day)
    if row is None:
        return RelatedParties(
            found=False, subject=None, as_of=day, parties=[], truncated=False,
            subgraph=builder.build(False),
        )  # fmt: skip
    subject = row["subject"]
    centre = ("Enterprise", subject["uscc"])
    builder.centre = builder.node(centre, subject, hop=0)
    vias = {(v["label"], v["key"]): v["props"] for v in row["vias"]}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    others: dict[str, dict[str, Any]] = {}
    for link in row["links"]:
        grouped[link["other"]["uscc"]].append(link)
        others[link["other"]["uscc"]] = link["other"]
    kinds = {u: {_kind(r["link"]) for r in rows} for u, rows in grouped.items()}
    ranked = sorted(grouped, key=lambda u: (-len(kinds[u]), -len(grouped[u]), u))
    truncated = bool(row["capped"]) or len(ranked) > limit
    parties = [
        RelatedParty(
            enterprise=enterprise_of(others[u]),
            kinds=sorted(kinds[u], key=lambda k: k.value),
            links=[_link(r, vias) for r in grouped[u]],
        )
        for u in ranked[:limit]
    ]
    kept = set(ranked[:limit])
    for link in row["links"]:
        other = ("Enterprise", link["other"]["uscc"])
        if other[1] not in kept:
            continue
        builder.node(other, link["other"], hop=1)
        via, kind = link.get("via"), link["link"]["kind"]
        if via is None:  # a direct holding or control between the two
            start, end = (centre, other) if kind == "OUT" else (other, centre)
            rel_type = (
                "HOLDS_SHARES" if link["link"].get("roleHere") == "SHAREHOLDER" else "CONTROLS"
            )
            builder.edge(
                f"{start[1]}>{end[1]}", rel_type, start, end, {"share": link["link"].get("share")}
            )
            continue
        key = (via["label"], via["key"])
        builder.node(key, vias.get(key), hop=1)
        facts = link["link"]
        for target, role, share in (
            (centre, facts.get("roleHere"), facts.get("shareHere")),
            (other, facts.get("roleThere"), facts.get("shareThere")),
        ):
            start, end = (key, target) if kind == "PARTY" else (target, key)
            props = {"role": role, "share": share}
            builder.edge(f"{key[1]}>{target[1]}:{role}", _rel_type(kind, role), start, end, props)
    return RelatedParties(
        found=True,
        subject=enterprise_of(subject),
        as_of=day,
        parties=parties,
        truncated=truncated,
        subgraph=builder.build(truncated),
    )


def _rel_type(kind: str, role: str | None) -> str:
    if kind == "ADDRESS":
        return "LOCATED_AT"
    if kind == "PHONE":
        return "REACHABLE_AT"
    if role == "SHAREHOLDER":
        return "HOLDS_SHARES"
    return ROLE_REL_TYPE.get(role or "", "OFFICER_OF")
