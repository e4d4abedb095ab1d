"""What an evaluation upload does beyond the evaluations (hub/rules/grades.py, docs/feeds.md):
each row learns the subject's current grade before and after it (its EVALUATION_CHANGED event
carries both: the grade A feed), and a subject that became grade D gets an interview order
(约谈并督促整改) from each department that supervises it, through the rectification workflow's
own write (hub/store/rectifications.py ``order``), in the upload's transaction.

Once: the order's id is derived from the evaluation and the department, and an order that
exists is not made again; a re-upload that changes nothing moves no grade anyway.
"""

from __future__ import annotations

import hashlib
from typing import Any

from neo4j import AsyncManagedTransaction

from hub.errors import InvalidInput
from hub.rules import grades, rectification
from hub.store import grades as store_grades
from hub.store import rectifications
from hub.store.imports import Provenance
from hub.store.listing_changes import Change


async def with_moves(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
    """Set each evaluation row's ``previousGrade`` and ``currentGrade`` (the subject's current
    grade before and after it, in upload order)."""
    stored = await store_grades.evaluations_of(tx, sorted({str(r["subject"]) for r in rows}))
    for row, (before, after) in zip(rows, grades.grade_moves(stored, rows), strict=True):
        row["previousGrade"], row["currentGrade"] = before, after


def order_id(evaluation: str, department: str) -> str:
    digest = hashlib.blake2b(f"{evaluation}|{department}".encode(), digest_size=8).hexdigest()
    return "rect-d-" + digest


async def focus_orders(
    tx: AsyncManagedTransaction, rows: list[dict[str, Any]], prov: Provenance
) -> list[str]:
    """The interview orders of the subjects these rows made grade D (rows seen by
    ``with_moves``), one per supervising department; the ids of those made now."""
    became = [r for r in rows if grades.entered("D", r["previousGrade"], r["currentGrade"])]
    if not became:
        return []
    found = await store_grades.supervisors(tx, sorted({str(r["subject"]) for r in became}))
    today = prov.today
    deadline = grades.focus_deadline(today)
    refusal = rectification.order_problem(today, deadline, today)
    if refusal is not None:  # a deadline after the order's day: never, unless the rule changes
        raise InvalidInput(refusal.message, field="evaluation")
    wanted = [
        (row, department, order_id(str(row["key"]), department))
        for row in became
        for department in found.get(str(row["subject"])) or [str(row["department"])]
    ]
    existing = await store_grades.existing_orders(tx, [w[2] for w in wanted])
    made = []
    for row, department, ident in wanted:
        if ident in existing:
            continue
        change = Change(
            on=today,
            note=f"公共信用综合评价 {row['key']} 为差级(D)",
            by=None,
            department=prov.department,
            now=prov.now,
            batch=prov.batch,
        )
        params = {
            "id": ident,
            "deadline": deadline,
            "content": grades.FOCUS_CONTENT,
            "basis": grades.FOCUS_BASIS,
            "department": department,
            "evaluationId": str(row["key"]),
        }
        made.append(
            await rectifications.order(
                tx, str(row["subjectLabel"]), str(row["subject"]), params, change
            )
        )
        existing.add(ident)
    return made
