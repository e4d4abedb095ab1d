"""The role matrix covers every root operation of the exported schema."""

from __future__ import annotations

from graphql import build_schema as parse_sdl

from hub.auth import Role
from hub.policy import MUTATIONS, QUERIES, allowed
from schema.export import current_sdl


def test_every_operation_has_a_decision_for_every_role() -> None:
    sdl = parse_sdl(current_sdl())
    assert sdl.query_type is not None
    assert set(sdl.query_type.fields) == set(QUERIES)
    mutations = set(sdl.mutation_type.fields) if sdl.mutation_type else set()
    assert mutations == set(MUTATIONS)
    for field in QUERIES:
        for role in Role:
            assert isinstance(allowed("query", field, role), bool)


def test_unknown_operations_are_refused() -> None:
    for role in Role:
        assert not allowed("query", "somethingNew", role)
        assert not allowed("mutation", "somethingNew", role)
