"""Public-servant status on a date (hub/rules/employment.py): pure, no Neo4j."""

from __future__ import annotations

import datetime as dt

from hub.rules.employment import public_servant_on

D = dt.date


def test_no_employment_recorded_falls_back_to_the_flag() -> None:
    assert public_servant_on([], True, D(2025, 6, 1))
    assert not public_servant_on([], False, D(2025, 6, 1))


def test_a_public_servant_whose_employment_ended_before_as_of_is_not_one() -> None:
    ended = {"publicServant": True, "from": D(2015, 1, 1), "to": D(2024, 12, 31)}
    assert public_servant_on([ended], True, D(2024, 12, 31))  # the last day still counts
    assert not public_servant_on([ended], True, D(2025, 1, 1))  # the flag no longer decides
    assert not public_servant_on([ended], False, D(2014, 12, 31))  # not yet begun


def test_only_a_public_servant_employment_counts() -> None:
    firm = {"publicServant": False, "from": D(2020, 1, 1), "to": None}
    office = {"publicServant": True, "from": D(2023, 3, 1), "to": None}
    assert not public_servant_on([firm], True, D(2024, 1, 1))
    assert public_servant_on([firm, office], False, D(2024, 1, 1))
    assert not public_servant_on([firm, office], False, D(2023, 2, 28))
