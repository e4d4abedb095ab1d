"""Driver values to Python values: record times read back from ISO text."""

from __future__ import annotations

import datetime as dt

from hub.store.values import record_times, timed

UTC = dt.UTC
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_timed_projects_the_record_times_as_text() -> None:
    assert timed("e") == (
        "e {.*, recordedAt: toString(e.recordedAt), firstRecordedAt: toString(e.firstRecordedAt)}"
    )


def test_record_times_come_back_as_the_same_instants() -> None:
    row = {
        "e": {
            "name": "隆林",
            "recordedAt": "2026-11-26T11:20:04.291233123Z",  # nanoseconds: cut to microseconds
            "firstRecordedAt": "2026-11-26T10:00+08:00[Asia/Shanghai]",  # a zone id
        },
        "r": {"recordedAt": None},
        "enterprise": {"uscc": "x"},
        "label": "Enterprise",
    }
    out = record_times(row)
    assert out["e"]["recordedAt"] == dt.datetime(2026, 11, 26, 11, 20, 4, 291233, tzinfo=UTC)
    assert out["e"]["firstRecordedAt"] == dt.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
    assert out["e"]["name"] == "隆林"
    assert out["r"] == {"recordedAt": None}
    assert out["enterprise"] == {"uscc": "x"}
