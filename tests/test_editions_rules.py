"""Catalogue editions (hub/rules/editions.py): the version of a measure in force on a date."""

from __future__ import annotations

import datetime as dt

from hub.rules.editions import in_force_on, version_on

D = dt.date
OLD = {"code": "M", "effect": "RESTRICT", "edition": "2020.1", "supersededAt": "2026-01-05"}


def test_a_changed_measure_applies_its_old_version_before_the_editions_date() -> None:
    current = {"code": "M", "effect": "CAUTION", "edition": "2026.1", "editionDate": D(2026, 1, 1)}
    row = {**current, "versions": [OLD]}
    assert version_on(row, D(2025, 12, 31)) == OLD
    assert version_on(row, D(2026, 1, 1)) is row


def test_a_retired_measure_stops_from_its_retirement_and_a_new_one_starts_at_its_date() -> None:
    retired = {**OLD, "retiredOn": D(2026, 1, 1), "retiredIn": "2026.1", "versions": []}
    added = {"code": "N", "edition": "2026.1", "editionDate": D(2026, 1, 1), "versions": []}
    assert [m["code"] for m in in_force_on([retired, added], D(2025, 12, 31))] == ["M"]
    assert [m["code"] for m in in_force_on([retired, added], D(2026, 1, 1))] == ["N"]


def test_versions_of_one_date_the_newest_wins() -> None:
    corrected = {"code": "M", "effect": "CAUTION", "edition": "2020.1"}  # no date: since ever
    row = {**corrected, "versions": [OLD, {**OLD, "effect": "X", "supersededAt": "2025-01-01"}]}
    assert version_on(row, D(2019, 1, 1)) is row


def test_a_measure_retired_then_brought_back_does_not_apply_in_between() -> None:
    while_retired = {**OLD, "retiredOn": D(2026, 1, 1)}  # the node as a later edition found it
    back = {"code": "M", "edition": "2027.1", "editionDate": D(2027, 1, 1)}
    row = {**back, "versions": [while_retired]}
    assert version_on(row, D(2025, 6, 1)) == while_retired
    assert version_on(row, D(2026, 6, 1)) is None
    assert version_on(row, D(2027, 1, 1)) is row
