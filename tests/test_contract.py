"""The public contract: committed SDL, DESIGN.md's fixed names, the model file."""

from __future__ import annotations

import re

from graphql import build_schema

from graph_seed.model import ROLE_REL_TYPE, RoleName, load_model
from graphql_engine.export import SDL_FILE, current_sdl
from hub.importer.kinds import KINDS
from hub.settings import PROJECT_ROOT
from hub.store.imports import NODE_KEYS


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == current_sdl(), (
        "schema/schema.graphql drifted: run `make schema` and commit it"
    )


def test_design_names_are_present() -> None:
    sdl = build_schema(current_sdl())
    query = sdl.query_type
    assert query is not None
    for name in ("enterprise", "person"):
        assert name in query.fields
    person = sdl.get_type("Person")
    assert person is not None
    assert "idNumber" in person.fields  # type: ignore[attr-defined]


PRODUCT = ("hub", "schema", "resolvers")
# Cypher patterns in the code's text: a node `(x:Label|Other`, a relationship `-[r:TYPE|OTHER`.
NODE_PATTERN = re.compile(r"\(\w*:([A-Z]\w*(?:\|[A-Z]\w*)*)")
REL_PATTERN = re.compile(r"-\[\w*:([A-Z][A-Z_]*(?:\|[A-Z][A-Z_]*)*)")


def _named_in_cypher(pattern: re.Pattern[str]) -> set[str]:
    names: set[str] = set()
    for package in PRODUCT:
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            for found in pattern.finditer(path.read_text(encoding="utf-8")):
                names.update(found.group(1).split("|"))
    return names


def test_every_label_and_relationship_the_code_names_is_declared_in_the_model() -> None:
    model = load_model()
    labels, relationships = _named_in_cypher(NODE_PATTERN), _named_in_cypher(REL_PATTERN)
    assert {"Enterprise", "Person", "Listing", "HOLDS_SHARES"} <= labels | relationships
    assert labels - set(model.nodes) == set(), "declare these labels in graph_seed/model.toml"
    assert relationships - set(model.relationships) == set(), "declare these in model.toml"
    for spec in model.relationships.values():
        assert set(spec.from_labels) | set(spec.to_labels) <= set(model.nodes), spec.type
    assert set(NODE_KEYS) <= set(model.nodes)
    assert all(model.nodes[label].key == key for label, key in NODE_KEYS.items())


def test_roles_come_from_the_model() -> None:
    model = load_model()
    assert model.role_types() == {
        "LEGAL_REPRESENTATIVE": "LEGAL_REPRESENTATIVE_OF",
        "PRINCIPAL": "PRINCIPAL_OF",
        "DIRECTOR": "OFFICER_OF",
        "SUPERVISOR": "OFFICER_OF",
        "SENIOR_MANAGER": "OFFICER_OF",
        "PRACTITIONER": "PRACTITIONER_AT",
        "ACTUAL_CONTROLLER": "CONTROLS",
    }
    assert [r.value for r in RoleName] == list(model.role_types())
    assert dict(ROLE_REL_TYPE) == model.role_types()
    assert {"enterprise", "person", "role", "shareholding", "action"} <= set(KINDS)


def test_graphql_role_enum_matches_the_model() -> None:
    sdl = build_schema(current_sdl())
    role_type = sdl.get_type("RoleType")
    assert role_type is not None
    assert set(role_type.values) == set(load_model().role_types())  # type: ignore[attr-defined]
