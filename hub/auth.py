"""Callers: roles, API keys (stored hashed) and the actor bound to each request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

TOKEN_PREFIX = "chk_"  # noqa: S105 - a visible prefix, not a secret


class Role(StrEnum):
    PUBLIC = "PUBLIC"  # anonymous: the public credit site
    APPROVAL = "APPROVAL"  # approval systems: checks
    DEPARTMENT = "DEPARTMENT"  # department data officers: uploads and workflows
    INVESTIGATOR = "INVESTIGATOR"  # full graph and personal data, every read audited
    ADMIN = "ADMIN"


# Roles that see personal data unmasked (their reads of it are audited).
FULL_PERSONAL_DATA = frozenset({Role.INVESTIGATOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is calling: the API key id (None for PUBLIC), role and department."""

    role: Role
    key_id: str | None = None
    department: str | None = None
    name: str | None = None

    @property
    def sees_personal_data(self) -> bool:
        return self.role in FULL_PERSONAL_DATA

    @property
    def label(self) -> str:
        return self.key_id or "anonymous"


PUBLIC = Actor(Role.PUBLIC)
SYSTEM = Actor(Role.ADMIN, key_id="system", name="command line")


def hash_token(token: str) -> str:
    """SHA-256 of the token: tokens are 256-bit random, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    key_id: str
    token: str
    token_hash: str


def new_key() -> NewKey:
    key_id = "key_" + secrets.token_hex(6)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return NewKey(key_id, token, hash_token(token))


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
