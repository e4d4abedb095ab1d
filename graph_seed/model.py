"""The graph model: graph_seed/model.toml loaded once, its schema statements, and the names the
importer, the store, the rules and the GraphQL schema use (roles, their relationship types, the
key of each label). A role, label or relationship is declared in the file, nowhere else."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("model.toml")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class NodeSpec:
    label: str
    key: str
    required: tuple[str, ...]
    indexes: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class RelSpec:
    type: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    key: str | None
    properties: tuple[str, ...]
    role: str | None = None
    positions: tuple[str, ...] = ()


@dataclass(frozen=True)
class FulltextSpec:
    name: str
    labels: tuple[str, ...]
    properties: tuple[str, ...]
    analyzer: str


@dataclass(frozen=True)
class GraphModel:
    nodes: dict[str, NodeSpec] = field(default_factory=dict)
    relationships: dict[str, RelSpec] = field(default_factory=dict)
    fulltext: dict[str, FulltextSpec] = field(default_factory=dict)

    def schema_statements(self) -> list[str]:
        """Constraints and indexes, idempotent (IF NOT EXISTS). Names come from the file only."""
        out: list[str] = []
        for spec in self.nodes.values():
            out.append(
                f"CREATE CONSTRAINT {spec.label.lower()}_{spec.key}_unique IF NOT EXISTS "
                f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE"
            )
            for prop in spec.unique:
                out.append(
                    f"CREATE CONSTRAINT {spec.label.lower()}_{prop}_unique IF NOT EXISTS "
                    f"FOR (n:{spec.label}) REQUIRE n.{prop} IS UNIQUE"
                )
            for prop in spec.indexes:
                out.append(
                    f"CREATE INDEX {spec.label.lower()}_{prop} IF NOT EXISTS "
                    f"FOR (n:{spec.label}) ON (n.{prop})"
                )
        for rel in self.relationships.values():
            if rel.key:
                out.append(
                    f"CREATE CONSTRAINT {rel.type.lower()}_{rel.key}_unique IF NOT EXISTS "
                    f"FOR ()-[r:{rel.type}]-() REQUIRE r.{rel.key} IS UNIQUE"
                )
        for ft in self.fulltext.values():
            labels = "|".join(ft.labels)
            props = ", ".join(f"n.{p}" for p in ft.properties)
            out.append(
                f"CREATE FULLTEXT INDEX {ft.name} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}] "
                f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ft.analyzer}'}}}}"
            )
        return out

    def role_types(self) -> dict[str, str]:
        """Role name (as in the exchange format) -> relationship type."""
        out: dict[str, str] = {}
        for rel in self.relationships.values():
            if rel.role:
                out[rel.role] = rel.type
            for position in rel.positions:
                out[position] = rel.type
        return out


def _names(values: list[str], where: str) -> tuple[str, ...]:
    for value in values:
        if not _NAME.match(value):
            raise ValueError(f"{where}: {value!r} is not a plain identifier")
    return tuple(values)


@cache
def load_model(path: Path = MODEL_FILE) -> GraphModel:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    model = GraphModel()
    for label, spec in data.get("nodes", {}).items():
        _names([label, spec["key"]], f"nodes.{label}")
        model.nodes[label] = NodeSpec(
            label=label,
            key=spec["key"],
            required=_names(spec.get("required", []), label),
            indexes=_names(spec.get("indexes", []), label),
            unique=_names(spec.get("unique", []), label),
            doc=spec.get("doc", ""),
        )
    for rtype, spec in data.get("relationships", {}).items():
        _names([rtype], "relationships")
        model.relationships[rtype] = RelSpec(
            type=rtype,
            from_labels=_names(spec["from"], rtype),
            to_labels=_names(spec["to"], rtype),
            key=spec.get("key"),
            properties=_names(spec.get("properties", []), rtype),
            role=spec.get("role"),
            positions=tuple(spec.get("positions", [])),
        )
    for name, spec in data.get("fulltext", {}).items():
        _names([name, *spec["labels"], *spec["properties"]], f"fulltext.{name}")
        model.fulltext[name] = FulltextSpec(
            name, tuple(spec["labels"]), tuple(spec["properties"]), spec["analyzer"]
        )
    return model


MODEL = load_model()


class RoleName(StrEnum):
    """The roles of model.toml (`role` and `positions` of its relationships), as a typed enum:
    the exchange format's role names and, registered as RoleType, the schema's."""

    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    PRINCIPAL = "PRINCIPAL"
    DIRECTOR = "DIRECTOR"
    SUPERVISOR = "SUPERVISOR"
    SENIOR_MANAGER = "SENIOR_MANAGER"
    PRACTITIONER = "PRACTITIONER"
    ACTUAL_CONTROLLER = "ACTUAL_CONTROLLER"


if [r.value for r in RoleName] != list(MODEL.role_types()):
    raise RuntimeError("RoleName must list the roles of graph_seed/model.toml, in its order")

# Role -> relationship type, and the relationship types of roles (in the file's order).
ROLE_REL_TYPE: Mapping[str, str] = {RoleName(r): t for r, t in MODEL.role_types().items()}
ROLE_RELATIONSHIPS: tuple[str, ...] = tuple(dict.fromkeys(ROLE_REL_TYPE.values()))


def relationship_types(roles: tuple[RoleName, ...]) -> tuple[str, ...]:
    """The relationship types that hold ``roles``, each once, in the order of ``roles``."""
    return tuple(dict.fromkeys(ROLE_REL_TYPE[r] for r in roles))


def node_keys(*labels: str) -> dict[str, str]:
    """Label -> key property, for the labels named (each must be declared)."""
    return {label: MODEL.nodes[label].key for label in labels}
