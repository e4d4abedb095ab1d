"""What an evaluation upload does to a subject's current grade (公共信用综合评价, the seed 二(六)):
grade A subjects are pushed to financial institutions (融资便利), grade D subjects go on the
focus-supervision list (重点监管) of the departments that supervise them, each with an
interview order (约谈并督促整改). docs/feeds.md.

A subject's **current grade** is the grade of its latest evaluation: the latest
``evaluatedOn``, then the greatest id (the order the check and the sampling plans read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

# The interview order of a subject that became D: its deadline, counted from the day the upload
# recorded the grade (the seed names no period; the department may record the interview or the
# rectification as for any order, hub/rules/rectification.py).
FOCUS_DEADLINE_DAYS = 30
FOCUS_CONTENT = "公共信用综合评价结果为差级(D): 约谈并督促整改"
FOCUS_BASIS = (
    "隆政办发〔2020〕6号 二(六): 对评价结果为差级的企业,相关部门对其进行约谈并督促整改,"
    "将差级评价结果作为对其重点监管的重要依据"
)

# id -> (evaluatedOn, grade): a subject's evaluations.
Evaluations = dict[str, tuple[dt.date, str]]


def current_grade(evaluations: Mapping[str, tuple[dt.date, str]]) -> str | None:
    """The grade of the latest evaluation (by date, then id); None when there is none."""
    if not evaluations:
        return None
    latest = max(evaluations.items(), key=lambda item: (item[1][0], item[0]))
    return latest[1][1]


def grade_moves(
    stored: Mapping[str, Evaluations], rows: Iterable[Mapping[str, Any]]
) -> list[tuple[str | None, str | None]]:
    """For each evaluation row of an upload, in order: the subject's current grade before and
    after it (``stored``: the subject's evaluations before the upload; each row then counts
    for the rows after it, so two evaluations of one subject in one upload each see the
    other's effect in upload order). A row is ``{key, subject, props: {evaluatedOn, grade}}``."""
    state = {subject: dict(found) for subject, found in stored.items()}
    moves = []
    for row in rows:
        mine = state.setdefault(str(row["subject"]), {})
        before = current_grade(mine)
        mine[str(row["key"])] = (row["props"]["evaluatedOn"], str(row["props"]["grade"]))
        moves.append((before, current_grade(mine)))
    return moves


def entered(grade: str, before: str | None, after: str | None) -> bool:
    """The subject's current grade became ``grade`` (it was another, or none)."""
    return after == grade and before != grade


def focus_deadline(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=FOCUS_DEADLINE_DAYS)
