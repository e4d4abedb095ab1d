"""The current grade an evaluation upload moves a subject from and to (hub/rules/grades.py)."""

from __future__ import annotations

import datetime as dt

from hub.rules.grades import current_grade, entered, focus_deadline, grade_moves

D = dt.date.fromisoformat


def row(key: str, subject: str, on: str, grade: str) -> dict[str, object]:
    return {"key": key, "subject": subject, "props": {"evaluatedOn": D(on), "grade": grade}}


def test_the_current_grade_is_the_latest_evaluations_then_the_greatest_id() -> None:
    assert current_grade({}) is None
    assert current_grade({"e1": (D("2024-01-01"), "B"), "e2": (D("2025-01-01"), "A")}) == "A"
    assert current_grade({"e2": (D("2025-01-01"), "C"), "e1": (D("2025-01-01"), "A")}) == "C"


def test_a_late_arriving_older_evaluation_moves_nothing() -> None:
    stored = {"F": {"e2": (D("2025-01-01"), "A")}}
    assert grade_moves(stored, [row("e1", "F", "2024-01-01", "D")]) == [("A", "A")]


def test_two_evaluations_of_one_subject_in_one_upload_count_in_upload_order() -> None:
    moves = grade_moves(
        {},
        [
            row("e1", "F", "2024-01-01", "B"),
            row("e2", "F", "2025-01-01", "A"),
            row("g1", "G", "2025-01-01", "D"),
        ],
    )
    assert moves == [(None, "B"), ("B", "A"), (None, "D")]


def test_a_corrected_evaluation_replaces_its_own_grade() -> None:
    stored = {"F": {"e1": (D("2024-01-01"), "A")}}
    assert grade_moves(stored, [row("e1", "F", "2024-01-01", "C")]) == [("A", "C")]


def test_entering_a_grade_and_the_interview_deadline() -> None:
    assert entered("D", "C", "D") and entered("D", None, "D")
    assert not entered("D", "D", "D") and not entered("D", "D", "C")
    assert focus_deadline(D("2026-12-07")) == D("2027-01-06")
