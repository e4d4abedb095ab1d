"""The public contract: committed SDL, DESIGN.md's fixed names, the model file."""

from __future__ import annotations

from graphql import build_schema as parse_sdl

from graph_seed.model import load_model
from hub.importer.records import KINDS
from schema.export import SDL_FILE, current_sdl


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == current_sdl(), (
        "schema/schema.graphql drifted: run `make schema` and commit it"
    )


def test_design_names_are_present() -> None:
    sdl = parse_sdl(current_sdl())
    query = sdl.query_type
    assert query is not None
    for name in ("enterprise", "person"):
        assert name in query.fields
    person = sdl.get_type("Person")
    assert person is not None
    assert "idNumber" in person.fields  # type: ignore[attr-defined]


def test_model_declares_every_label_the_importer_writes() -> None:
    model = load_model()
    for label in (
        "Enterprise",
        "Person",
        "Department",
        "Action",
        "Address",
        "Phone",
        "ImportBatch",
        "Revision",
        "ApiKey",
        "AuditEntry",
    ):
        assert label in model.nodes
    assert model.role_types() == {
        "LEGAL_REPRESENTATIVE": "LEGAL_REPRESENTATIVE_OF",
        "PRINCIPAL": "PRINCIPAL_OF",
        "DIRECTOR": "OFFICER_OF",
        "SUPERVISOR": "OFFICER_OF",
        "SENIOR_MANAGER": "OFFICER_OF",
        "PRACTITIONER": "PRACTITIONER_AT",
        "ACTUAL_CONTROLLER": "CONTROLS",
    }
    from hub.importer.records import ROLE_REL_TYPE

    assert {r.value: t for r, t in ROLE_REL_TYPE.items()} == model.role_types()
    assert {"enterprise", "person", "role", "shareholding", "action"} <= set(KINDS)


def test_graphql_role_enum_matches_the_model() -> None:
    sdl = parse_sdl(current_sdl())
    role_type = sdl.get_type("RoleType")
    assert role_type is not None
    assert set(role_type.values) == set(load_model().role_types())  # type: ignore[attr-defined]
