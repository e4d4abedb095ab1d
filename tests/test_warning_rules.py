"""The early-warning rules (hub/rules/warnings.py), pure: which changes are warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hub.rules.warnings import (
    GRADE_FELL,
    PENALTIES,
    RELATED,
    Policy,
    grade_fell,
    penalties_reached,
    related_reasons,
    warnings,
    window_start,
    worse,
)

TODAY = dt.date(2026, 6, 30)
D = dt.date.fromisoformat


def ev(ident: str, grade: str, on: str) -> dict[str, Any]:
    return {"id": ident, "grade": grade, "evaluatedOn": D(on)}


def penalty(ident: str, on: str) -> dict[str, Any]:
    return {"id": ident, "decisionDate": D(on)}


def test_the_year_counted_ends_today_and_survives_a_leap_day() -> None:
    assert window_start(TODAY) == D("2025-07-01")
    assert window_start(D("2028-02-29")) == D("2027-03-01")


def test_grades_order_from_a_best_to_d_worst() -> None:
    assert worse("B", "D") and worse("A", "B") and not worse("C", "C") and not worse("D", "A")


def test_a_new_worse_evaluation_is_a_fall_and_a_first_one_is_not() -> None:
    old, new = ev("e1", "B", "2024-01-01"), ev("e2", "D", "2025-01-01")
    fell = grade_fell([old, new], {"e2": new}, {})
    assert fell == {
        "kind": GRADE_FELL,
        "fromGrade": "B",
        "toGrade": "D",
        "evaluationId": "e2",
        "on": D("2025-01-01"),
    }
    assert grade_fell([new], {"e2": new}, {}) is None


def test_an_older_evaluation_arriving_late_or_a_better_one_is_no_fall() -> None:
    current, late = ev("e1", "A", "2025-01-01"), ev("e0", "D", "2023-01-01")
    assert grade_fell([current, late], {"e0": late}, {}) is None
    better = ev("e2", "A", "2025-06-01")
    assert grade_fell([ev("e1", "C", "2025-01-01"), better], {"e2": better}, {}) is None


def test_the_evaluation_in_force_corrected_to_a_worse_grade_is_a_fall() -> None:
    corrected = ev("e1", "C", "2025-01-01")
    fell = grade_fell([corrected], {"e1": corrected}, {"e1": ev("e1", "A", "2025-01-01")})
    assert fell is not None and (fell["fromGrade"], fell["toGrade"]) == ("A", "C")


def test_two_evaluations_in_one_upload_compare_with_the_grade_before_it() -> None:
    stored = ev("e0", "A", "2023-01-01")
    b, d = ev("e1", "B", "2024-01-01"), ev("e2", "D", "2025-01-01")
    fell = grade_fell([stored, b, d], {"e1": b, "e2": d}, {})
    assert fell is not None and (fell["fromGrade"], fell["toGrade"]) == ("A", "D")


def test_penalties_reach_the_threshold_within_the_year_only() -> None:
    recent = [penalty("p1", "2025-08-01"), penalty("p2", "2026-01-10")]
    third = penalty("p3", "2026-06-29")
    assert penalties_reached(recent, [recent[-1]], 3, TODAY) is None
    reached = penalties_reached([*recent, third], [third], 3, TODAY)
    assert reached == {
        "kind": PENALTIES,
        "count": 3,
        "threshold": 3,
        "since": D("2025-07-01"),
        "actionIds": ["p1", "p2", "p3"],
        "newActionIds": ["p3"],
        "on": D("2026-06-29"),
    }
    # One a year and a day old does not count; nor does a new penalty decided long ago (a
    # department uploading its archive), nor one dated after today.
    old = penalty("p0", "2025-06-30")
    assert penalties_reached([old, *recent], [old], 3, TODAY) is None
    future = penalty("p9", "2026-07-01")
    assert penalties_reached([*recent, future], [future], 3, TODAY) is None


def _tie(listing: str, nodes: list[str], capped: bool = False) -> dict[str, Any]:
    return {
        "listingId": listing,
        "list": "BLACK",
        "domain": "TAX",
        "department": "TAX",
        "on": D("2026-06-01"),
        "asOf": TODAY,
        "capped": capped,
        "listed": {"label": "Enterprise", "key": nodes[-1]},
        "nodes": [{"label": "Enterprise", "key": k, "props": {}} for k in nodes],
        "rels": [{"type": "HOLDS_SHARES", "role": None} for _ in nodes[1:]],
    }


def test_related_paths_shortest_first_at_most_three_per_listing() -> None:
    ties = [_tie("L1", ["s", f"m{i}", "x"]) for i in range(4)] + [_tie("L1", ["s", "x"])]
    [reason] = related_reasons(ties, cap=200)
    assert reason["kind"] == RELATED and reason["listingId"] == "L1"
    assert [len(p["rels"]) for p in reason["paths"]] == [1, 2, 2]
    assert reason["truncated"] is True
    [capped] = related_reasons([_tie("L2", ["s", "x"], capped=True)], cap=1)
    assert capped["truncated"] is True and len(capped["paths"]) == 1


def test_one_warning_per_subject_with_every_reason() -> None:
    found: list[dict[str, Any]] = [
        {
            "subject": {"label": "Enterprise", "key": "S1"},
            "departments": ["TAX", None, "AMR"],
            "causes": [
                {"cause": RELATED, **_tie("L1", ["S1", "x"]), "batch": "b1"},
                {
                    "cause": PENALTIES,
                    "new": [penalty("p3", "2026-06-29")],
                    "recent": [penalty(f"p{i}", "2026-06-29") for i in range(1, 4)],
                },
            ],
        },
        {  # a first grade: nothing to say
            "subject": {"label": "Enterprise", "key": "S2"},
            "departments": [],
            "causes": [
                {
                    "cause": GRADE_FELL,
                    "evaluationId": "e1",
                    "old": [],
                    "evaluations": [ev("e1", "D", "2026-01-01")],
                }
            ],
        },
    ]
    [warning] = warnings(found, Policy(penalties=3, related_cap=200), TODAY)
    assert warning["type"] == "EARLY_WARNING" and warning["subjectKey"] == "S1"
    assert warning["departments"] == ["AMR", "TAX"] and warning["public"] is False
    assert warning["reasonKinds"] == [RELATED, PENALTIES]
    assert warning["on"] == D("2026-06-29") and warning["batch"] == "b1"
    assert warning["reason"].startswith("related party x put on the BLACK list")
