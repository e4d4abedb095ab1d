"""Loads graph_seed/model.toml and turns it into Cypher schema statements."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
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
