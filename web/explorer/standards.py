"""The explorer's graph in the field's open standards (pure functions).

* **Beneficial Ownership Data Standard 0.4**: one entity statement per enterprise, one person
  statement per person, one relationship statement per holding (``shareholding``, the share as
  a percentage), role (legal representative, principal, senior manager: ``seniorManagingOfficial``;
  director: ``boardMember``; supervisor, declared controller: ``otherInfluenceOrControl``, the
  Chinese role in ``details``) and control relationship. Addresses go on the entity's
  ``addresses``; phones, branches and practitioners have no BODS form and are left out
  (``skipped`` says how many). Statement ids are UUIDs derived from the record and the day,
  so the same screen exported twice on one day gives the same statements.
* **FollowTheMoney**: ``Company`` and ``Person`` entities, ``Ownership`` (percentage),
  ``Directorship`` (legal representative, principal, officers, with the role), ``Employment``
  (practitioners), ``Control`` (declared controllers), ``UnknownLink`` (branch of), ``Address``
  entities linked by ``addressEntity``, phones as the ``phone`` property; built through the
  followthemoney model, so every property is checked against its schema.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from followthemoney import EntityProxy, model

from web.explorer.graph_model import Edge, Graph, Node

BODS_VERSION = "0.4"
PUBLISHER = "CreditHub 隆林县社会信用信息共享平台"
# UUID namespace of this hub's statement ids (uuid5 of record id, statement date).
STATEMENT_NAMESPACE = uuid.UUID("6d1b8a52-8f0e-5c1e-9a57-2a0f3c6a4e11")
ENTITY_SCHEME_NAME = "统一社会信用代码 (GB 32100-2015)"
PERSON_SCHEME = "CHN-IDCARD"  # BODS 0.4: ISO 3166-1 alpha-3, a hyphen, the kind of document
PERSON_SCHEME_NAME = "居民身份证号码 (GB 11643)"

ROLE_TEXT = {
    "LEGAL_REPRESENTATIVE": "法定代表人",
    "PRINCIPAL": "负责人",
    "DIRECTOR": "董事",
    "SUPERVISOR": "监事",
    "SENIOR_MANAGER": "高级管理人员",
    "PRACTITIONER": "从业人员",
    "ACTUAL_CONTROLLER": "实际控制人",
}
# BODS interest type of each role (roles not listed have no BODS interest)
ROLE_INTEREST = {
    "LEGAL_REPRESENTATIVE": "seniorManagingOfficial",
    "PRINCIPAL": "seniorManagingOfficial",
    "SENIOR_MANAGER": "seniorManagingOfficial",
    "DIRECTOR": "boardMember",
    "SUPERVISOR": "otherInfluenceOrControl",
    "ACTUAL_CONTROLLER": "otherInfluenceOrControl",
}
EDGE_ROLE = {"LEGAL_REPRESENTATIVE_OF": "LEGAL_REPRESENTATIVE", "PRINCIPAL_OF": "PRINCIPAL"}
EDGE_ROLE.update({"CONTROLS": "ACTUAL_CONTROLLER", "PRACTITIONER_AT": "PRACTITIONER"})


def _role(edge: Edge) -> str | None:
    return edge.role or EDGE_ROLE.get(edge.type)


def _percent(share: float) -> float:
    return round(share * 100, 4)


@dataclass
class BodsExport:
    statements: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0  # edges with no BODS form (phones, branches, practitioners)


def _statement(
    record_type: str, record_id: str, details: dict[str, Any], day: dt.date, subject: str
) -> dict[str, Any]:
    return {
        "statementId": str(uuid.uuid5(STATEMENT_NAMESPACE, f"{record_id}|{day.isoformat()}")),
        "declarationSubject": subject,
        "statementDate": day.isoformat(),
        "publicationDetails": {
            "publicationDate": day.isoformat(),
            "bodsVersion": BODS_VERSION,
            "publisher": {"name": PUBLISHER},
        },
        "source": {"type": ["officialRegister"], "description": "CreditHub"},
        "recordId": record_id,
        "recordType": record_type,
        "recordStatus": "new",
        "recordDetails": details,
    }


def _entity(node: Node, addresses: list[str]) -> dict[str, Any]:
    details: dict[str, Any] = {
        "isComponent": False,
        "entityType": {"type": "registeredEntity"},
        "name": node.label,
        "jurisdiction": {"name": "China", "code": "CN"},
        "identifiers": [{"id": node.key, "schemeName": ENTITY_SCHEME_NAME}],
    }
    if addresses:
        details["addresses"] = [
            {"type": "registered", "address": text, "country": {"name": "China", "code": "CN"}}
            for text in addresses
        ]
    return details


def _person(node: Node) -> dict[str, Any]:
    details: dict[str, Any] = {
        "isComponent": False,
        "personType": "knownPerson",
        "names": [{"type": "legal", "fullName": node.label}],
        "nationalities": [{"name": "China", "code": "CN"}],
    }
    if node.id.startswith("P:"):  # the caller saw the ID number; masked ones are not identifiers
        details["identifiers"] = [
            {"id": node.key, "scheme": PERSON_SCHEME, "schemeName": PERSON_SCHEME_NAME}
        ]
    return details


def _interest(edge: Edge) -> dict[str, Any] | None:
    interest: dict[str, Any]
    if edge.type == "HOLDS_SHARES":
        interest = {"type": "shareholding", "directOrIndirect": "direct"}
        if edge.share is not None:
            interest["share"] = {"exact": _percent(edge.share)}
    else:
        role = _role(edge)
        kind = ROLE_INTEREST.get(role or "")
        if role is None or kind is None:
            return None
        interest = {"type": kind, "directOrIndirect": "direct", "details": ROLE_TEXT[role]}
    if edge.valid_from is not None:
        interest["startDate"] = edge.valid_from.isoformat()
    if edge.valid_to is not None:
        interest["endDate"] = edge.valid_to.isoformat()
    return interest


def to_bods(graph: Graph, day: dt.date) -> BodsExport:
    """BODS 0.4 statements of the graph, stated on ``day``: parties before the relationships
    that name them, as the standard asks."""
    nodes = graph.by_id()
    out = BodsExport()
    addresses: dict[str, list[str]] = {}
    for edge in graph.edges:
        if edge.type == "LOCATED_AT" and nodes[edge.source].kind == "ENTERPRISE":
            addresses.setdefault(edge.source, []).append(nodes[edge.target].label)
    relationships: list[tuple[Edge, dict[str, Any]]] = []
    for edge in graph.edges:
        if edge.type == "LOCATED_AT" and nodes[edge.source].kind == "ENTERPRISE":
            continue
        source, target = nodes[edge.source], nodes[edge.target]
        interest = _interest(edge)
        if interest is None or target.kind != "ENTERPRISE":
            out.skipped += 1
            continue
        if source.kind not in ("ENTERPRISE", "PERSON"):
            out.skipped += 1
            continue
        relationships.append((edge, interest))
    named = {e.source for e, _ in relationships} | {e.target for e, _ in relationships}
    for node in graph.nodes:
        if node.kind == "ENTERPRISE":
            details = _entity(node, addresses.get(node.id, []))
            out.statements.append(_statement("entity", node.id, details, day, node.id))
        elif node.kind == "PERSON" and node.id in named:
            out.statements.append(_statement("person", node.id, _person(node), day, node.id))
    for edge, interest in relationships:
        details = {
            "isComponent": False,
            "subject": edge.target,
            "interestedParty": edge.source,
            "interests": [interest],
        }
        record_id = f"R:{edge.id}"
        out.statements.append(_statement("relationship", record_id, details, day, edge.target))
    return out


def _ftm_id(node_or_edge_id: str) -> str:
    return "credithub-" + uuid.uuid5(STATEMENT_NAMESPACE, node_or_edge_id).hex


def _dates(proxy: EntityProxy, edge: Edge) -> None:
    if edge.valid_from is not None:
        proxy.add("startDate", edge.valid_from.isoformat())
    if edge.valid_to is not None:
        proxy.add("endDate", edge.valid_to.isoformat())


def _party(node: Node) -> EntityProxy:
    if node.kind == "ENTERPRISE":
        proxy = model.make_entity("Company")
        proxy.id = _ftm_id(node.id)
        proxy.add("name", node.label)
        proxy.add("registrationNumber", node.key)
        proxy.add("jurisdiction", "cn")
        return proxy
    proxy = model.make_entity("Person")
    proxy.id = _ftm_id(node.id)
    proxy.add("name", node.label)
    proxy.add("nationality", "cn")
    if node.id.startswith("P:"):
        proxy.add("idNumber", node.key)
    return proxy


def _link(edge: Edge, parties: dict[str, EntityProxy]) -> EntityProxy | None:
    source, target = parties.get(edge.source), parties.get(edge.target)
    if source is None or target is None:
        return None
    role = _role(edge)
    if edge.type == "HOLDS_SHARES":
        proxy = model.make_entity("Ownership")
        proxy.add("owner", source.id)
        proxy.add("asset", target.id)
        if edge.share is not None:
            proxy.add("percentage", f"{_percent(edge.share):g}")
    elif edge.type == "CONTROLS":
        proxy = model.make_entity("Control")
        proxy.add("controller", source.id)
        proxy.add("controlled", target.id)
    elif edge.type == "PRACTITIONER_AT":
        proxy = model.make_entity("Employment")
        proxy.add("employee", source.id)
        proxy.add("employer", target.id)
    elif edge.type == "BRANCH_OF":
        proxy = model.make_entity("UnknownLink")
        proxy.add("subject", source.id)
        proxy.add("object", target.id)
        proxy.add("role", "分支机构")
    else:  # legal representative, principal, officers
        proxy = model.make_entity("Directorship")
        proxy.add("director", source.id)
        proxy.add("organization", target.id)
    if role is not None and edge.type != "BRANCH_OF":
        proxy.add("role", ROLE_TEXT[role])
    proxy.id = _ftm_id(edge.id)
    _dates(proxy, edge)
    return proxy


def to_ftm(graph: Graph) -> list[dict[str, Any]]:
    """FollowTheMoney entities of the graph (``EntityProxy.to_dict()``, one per line when
    written as JSON Lines)."""
    nodes = graph.by_id()
    parties = {n.id: _party(n) for n in graph.nodes if n.kind in ("ENTERPRISE", "PERSON")}
    links: list[EntityProxy] = []
    addresses: dict[str, EntityProxy] = {}
    for edge in graph.edges:
        if edge.type in ("LOCATED_AT", "REACHABLE_AT"):
            party = parties.get(edge.source)
            if party is None:
                continue
            other = nodes[edge.target]
            if edge.type == "REACHABLE_AT":
                party.add("phone", other.label)
                continue
            address = addresses.get(other.id)
            if address is None:
                address = model.make_entity("Address")
                address.id = _ftm_id(other.id)
                address.add("full", other.label)
                address.add("country", "cn")
                addresses[other.id] = address
            party.add("addressEntity", address.id)
            continue
        link = _link(edge, parties)
        if link is not None:
            links.append(link)
    entities = [*addresses.values(), *parties.values(), *links]
    return [e.to_dict() for e in entities]
