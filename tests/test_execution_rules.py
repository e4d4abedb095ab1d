"""Execution feedback, pure: what a record of an applied measure must name."""

from __future__ import annotations

import datetime as dt

from hub.rules.execution import execution_refusal, text_refusal

TODAY = dt.date(2026, 6, 30)
FOUND = {"subjectFound": True, "measureFound": True, "listingFound": True, "listedSubject": "S"}


def test_a_complete_record_of_a_known_subject_and_measure_is_stored() -> None:
    assert execution_refusal(FOUND, "S", "L-1", TODAY, TODAY) is None
    assert execution_refusal(FOUND | {"listingFound": False}, "S", None, TODAY, TODAY) is None


def test_unknown_things_and_future_dates_are_refused_by_field() -> None:
    assert execution_refusal(FOUND, "S", None, TODAY + dt.timedelta(days=1), TODAY) == (
        "executedOn",
        "is after today (2026-06-30)",
    )
    assert execution_refusal(FOUND | {"subjectFound": False}, "S", None, TODAY, TODAY)[0] == (  # type: ignore[index]
        "subject"
    )
    assert execution_refusal(FOUND | {"measureFound": False}, "S", None, TODAY, TODAY)[0] == (  # type: ignore[index]
        "measure"
    )


def test_a_listing_named_must_be_on_the_same_subject() -> None:
    refused = execution_refusal(FOUND | {"listedSubject": "OTHER"}, "S", "L-1", TODAY, TODAY)
    assert refused == ("listingId", "listing L-1 is not on this subject")


def test_the_case_number_is_required_and_bounded() -> None:
    assert text_refusal("  ", "reference", required=True) == ("reference", "is required")
    assert text_refusal(None, "note", required=False) is None
    assert text_refusal("x" * 501, "note", required=False) == ("note", "at most 500 characters")
