"""The role matrix covers every root operation of the exported schema, and the record-level
decisions of hub/policy.py for every role."""

from __future__ import annotations

from graphql import build_schema

from graphql_engine.export import current_sdl
from hub.auth import Actor, Role
from hub.policy import (
    MUTATIONS,
    QUERIES,
    acts_for_every_department,
    allowed,
    department_scope,
    may_upload,
    sees_receipt,
    sees_unpublished,
    upload_department,
    upload_line_refusal,
    warning_scope,
)


def test_every_operation_has_a_decision_for_every_role() -> None:
    sdl = build_schema(current_sdl())
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


# --- record-level decisions, for every role --------------------------------------------------

KEYS = {role: Actor(role, key_id=f"k-{role.value}", department="AMR") for role in Role}
KEYS[Role.PUBLIC] = Actor(Role.PUBLIC)
KEYS[Role.ADMIN] = Actor(Role.ADMIN, key_id="k-admin")


def test_only_public_is_limited_to_published_records() -> None:
    assert {role for role, actor in KEYS.items() if not sees_unpublished(actor)} == {Role.PUBLIC}


def test_a_receipt_is_the_asking_keys_its_departments_and_admins() -> None:
    for role, actor in KEYS.items():
        own = sees_receipt(actor, actor.key_id, None)
        same_department = sees_receipt(actor, "someone-else", "AMR")
        other = sees_receipt(actor, "someone-else", "TAX")
        assert own == (role != Role.PUBLIC), role
        assert same_department == (role != Role.PUBLIC), role
        assert other == (role == Role.ADMIN), role
    assert not sees_receipt(KEYS[Role.PUBLIC], None, None)


def test_uploads_by_role_and_department() -> None:
    assert {role for role, actor in KEYS.items() if may_upload(actor)} == {
        Role.DEPARTMENT,
        Role.ADMIN,
    }
    department, admin = KEYS[Role.DEPARTMENT], KEYS[Role.ADMIN]
    assert upload_department(department, None) == "AMR"
    assert upload_department(department, "AMR") == "AMR"
    assert upload_department(department, "TAX") is None
    assert upload_department(admin, "TAX") == "TAX"
    assert upload_department(admin, None) == "SYSTEM"
    assert upload_line_refusal(department, "AMR", reference_data=False) is None
    assert upload_line_refusal(department, None, reference_data=False) is None
    assert "AMR key" in str(upload_line_refusal(department, "TAX", reference_data=False))
    assert "ADMIN only" in str(upload_line_refusal(department, None, reference_data=True))
    assert upload_line_refusal(admin, "TAX", reference_data=True) is None


def test_only_admin_acts_for_every_department() -> None:
    assert {role for role, actor in KEYS.items() if acts_for_every_department(actor)} == {
        Role.ADMIN
    }


def test_a_desk_read_is_about_the_keys_own_department_unless_admin() -> None:
    for role, actor in KEYS.items():
        own = department_scope(actor, None)
        other = department_scope(actor, "TAX")
        if role == Role.ADMIN:
            assert (own, other) == (None, "TAX")  # this ADMIN key has no department
        elif role == Role.PUBLIC:
            assert (own, other) == (None, None)
        else:
            assert (own, other) == ("AMR", None), role


def test_early_warnings_are_read_by_supervising_departments_investigators_and_admin() -> None:
    scopes = {role: warning_scope(actor) for role, actor in KEYS.items()}
    assert scopes == {
        Role.PUBLIC: (False, None),
        Role.APPROVAL: (False, None),  # a warning is never part of a check
        Role.DEPARTMENT: (False, "AMR"),  # its own department's supervised subjects
        Role.INVESTIGATOR: (True, None),
        Role.ADMIN: (True, None),
    }
