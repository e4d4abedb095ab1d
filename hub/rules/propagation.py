"""Propagation of a BLACK listing of an enterprise to the people behind it, as a pure rule.

隆政办发〔2020〕6号 二(十二) and 附件 三(三): a listed unit's legal representative, principal,
actual controller and the persons directly responsible get the listing in their personal
credit record. Who is reached is decided on the listing's ``effectiveFrom`` (roles held that
day, validity inclusive). Nothing flows downwards: listing a person or an enterprise never
reaches the companies they own or control.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.rules.listings import ListKind
from hub.rules.measures import PartyToken
from hub.rules.validity import active_on

SHAREHOLDER = "SHAREHOLDER"

# Roles that reach their holder on their own (no need to be named liable).
ROLE_TOKENS: dict[str, PartyToken] = {
    "LEGAL_REPRESENTATIVE": PartyToken.LEGAL_REPRESENTATIVE,
    "PRINCIPAL": PartyToken.PRINCIPAL,
    "ACTUAL_CONTROLLER": PartyToken.ACTUAL_CONTROLLER,
    "SENIOR_MANAGER": PartyToken.SENIOR_MANAGER,
}
# Roles that qualify a named liable person further.
LIABLE_TOKENS: dict[str, PartyToken] = {
    "DIRECTOR": PartyToken.LIABLE_DIRECTOR,
    SHAREHOLDER: PartyToken.LIABLE_SHAREHOLDER,
    "PRACTITIONER": PartyToken.LIABLE_PRACTITIONER,
}


@dataclass(frozen=True, slots=True)
class Tie:
    """A person's role at (or shareholding in) the listed enterprise, with its validity."""

    id_number: str
    role: str  # a RoleName value, or SHAREHOLDER
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    declared: bool = True  # an ACTUAL_CONTROLLER counts only when declared

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Tie:
        """From a row ``{idNumber, role, from, to, declared}`` (role None means a shareholding)."""
        return cls(
            id_number=row["idNumber"],
            role=row.get("role") or SHAREHOLDER,
            valid_from=row.get("from"),
            valid_to=row.get("to"),
            declared=row.get("declared") is not False,
        )

    def held_on(self, day: dt.date) -> bool:
        return active_on({"from": self.valid_from, "to": self.valid_to}, day)


@dataclass(frozen=True, slots=True)
class SourceListing:
    id: str
    list: str
    subject_label: str  # "Enterprise" or "Person"
    effective_from: dt.date
    derived: bool = False


@dataclass(frozen=True)
class DerivedEntry:
    """One person's entry derived from one source listing."""

    source_id: str
    id_number: str
    parties: tuple[PartyToken, ...]
    roles: tuple[str, ...]  # the roles held on effectiveFrom that reached the person
    liable: bool
    role_periods: dict[str, tuple[dt.date | None, dt.date | None]] = field(
        default_factory=dict, compare=False
    )

    @property
    def id(self) -> str:
        return derived_id(self.source_id, self.id_number)


def derived_id(source_id: str, id_number: str) -> str:
    """Deterministic: the same source and person always give the same entry (idempotent)."""
    return f"{source_id}:{id_number}"


def propagates(listing: SourceListing) -> bool:
    """Only a BLACK listing of an enterprise propagates, and never a derived entry."""
    return (
        listing.list == ListKind.BLACK
        and listing.subject_label == "Enterprise"
        and not (listing.derived)
    )


def propagate(
    listing: SourceListing, ties: Iterable[Tie], liable: Iterable[str]
) -> list[DerivedEntry]:
    """The derived entries of ``listing``: one per person reached, sorted by ID number.

    Reached: whoever held LEGAL_REPRESENTATIVE, PRINCIPAL, declared ACTUAL_CONTROLLER or
    SENIOR_MANAGER on effectiveFrom; and every named liable person (LIABLE_PERSON), who is also
    LIABLE_DIRECTOR / LIABLE_SHAREHOLDER / LIABLE_PRACTITIONER when holding that role that day.
    Ordinary directors, supervisors, shareholders and practitioners are not reached.
    """
    if not propagates(listing):
        return []
    day = listing.effective_from
    named = set(liable)
    held: dict[str, dict[str, Tie]] = {}
    for tie in ties:
        if not tie.held_on(day):
            continue
        if tie.role == "ACTUAL_CONTROLLER" and not tie.declared:
            continue  # an inferred controller is only "suspected": a check's CAUTION, not this
        held.setdefault(tie.id_number, {}).setdefault(tie.role, tie)
    entries = []
    for person in sorted(set(held) | named):
        roles = held.get(person, {})
        tokens: set[PartyToken] = set()
        reasons: set[str] = set()
        for role, token in ROLE_TOKENS.items():
            if role in roles:
                tokens.add(token)
                reasons.add(role)
        if person in named:
            tokens.add(PartyToken.LIABLE_PERSON)
            for role, token in LIABLE_TOKENS.items():
                if role in roles:
                    tokens.add(token)
                    reasons.add(role)
        if not tokens:
            continue
        order = list(PartyToken)
        entries.append(
            DerivedEntry(
                source_id=listing.id,
                id_number=person,
                parties=tuple(sorted(tokens, key=order.index)),
                roles=tuple(sorted(reasons)),
                liable=person in named,
                role_periods={r: (roles[r].valid_from, roles[r].valid_to) for r in sorted(reasons)},
            )
        )
    return entries
