"""Credit-risk early warning (信用风险预警, the seed 二(七) and 二(十四)): when a change shows risk
arriving at a subject, the departments that supervise it are told, with the reasons and the
paths through the graph. A warning is information, never a measure: no check reads it.

Three causes (docs/feeds.md):

* ``RELATED_PARTY_LISTED`` — a party tied to the subject on the day the listing is recorded (a
  person or enterprise holding a role, shares or declared control at both; a direct
  shareholding or control either way; the listed person holding such a tie at the subject) is
  newly put on the BLACK or WATCH list;
* ``PENALTIES_ACCUMULATED`` — a new administrative penalty brings the subject's penalties
  decided within the last year to the threshold (``CREDITHUB_WARNING_PENALTIES``) or beyond;
* ``GRADE_FELL`` — an evaluation uploaded or changed leaves the subject's current grade (its
  latest evaluation) worse than before the change.

The store (hub/store/warnings.py) gathers the facts of one transaction's changes; this module
decides which are warnings and shapes one warning per subject, however many causes it has.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GRADES = ("A", "B", "C", "D")  # best first
WARNED_LISTS = ("BLACK", "WATCH")  # 失信联合惩戒对象名单, 重点关注名单
RELATED = "RELATED_PARTY_LISTED"
PENALTIES = "PENALTIES_ACCUMULATED"
GRADE_FELL = "GRADE_FELL"
CAUSES = (RELATED, PENALTIES, GRADE_FELL)
# Paths kept per warned subject and listing: the shortest first.
PATHS_PER_PARTY = 3
# Penalty ids named in a reason (the count is always exact).
NAMED_PENALTIES = 50


@dataclass(frozen=True)
class Policy:
    """The thresholds of the step: penalties within a year that flag a subject, and the most
    ties one listing's related-party lookup reads (its cap)."""

    penalties: int
    related_cap: int


def window_start(today: dt.date) -> dt.date:
    """The first day of the year that ends ``today`` (a year ago, plus one day)."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1)


def worse(before: str, after: str) -> bool:
    """Whether grade ``after`` is worse than ``before`` (A best, D worst)."""
    return GRADES.index(after) > GRADES.index(before)


def _latest(evaluations: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The evaluation in force: the latest by date (then by id, for a stable answer)."""
    ranked = sorted(
        (e for e in evaluations if e.get("grade") in GRADES and e.get("evaluatedOn")),
        key=lambda e: (e["evaluatedOn"], str(e.get("id") or "")),
    )
    return ranked[-1] if ranked else None


def grade_fell(
    stored: list[dict[str, Any]], changed: dict[str, dict[str, Any]], old: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """The fall of a subject's grade made by one transaction, or None.

    ``stored``: every evaluation of the subject as now stored ({id, grade, evaluatedOn});
    ``changed``: those written by the transaction, by id; ``old``: the content some of them had
    before it, by id (an evaluation that existed and was changed). The grade before is the
    latest of the untouched ones and the old contents, the grade after the latest of all as
    stored; a warning when both exist and the one after is worse."""
    untouched = [e for e in stored if e.get("id") not in changed]
    before = _latest([*untouched, *({**e, "id": i} for i, e in old.items())])
    after = _latest(stored)
    if before is None or after is None or after.get("id") not in changed:
        return None
    if not worse(before["grade"], after["grade"]):
        return None
    return {
        "kind": GRADE_FELL,
        "fromGrade": before["grade"],
        "toGrade": after["grade"],
        "evaluationId": after["id"],
        "on": after["evaluatedOn"],
    }


def penalties_reached(
    recent: list[dict[str, Any]], new: list[dict[str, Any]], threshold: int, today: dt.date
) -> dict[str, Any] | None:
    """The reason when a new penalty (in ``new``, decided within the year that ends today)
    brings the penalties decided within that year (``recent``, new ones included) to
    ``threshold`` or beyond; else None. Penalties decided later than today are not counted."""
    since = window_start(today)

    def inside(p: dict[str, Any]) -> bool:
        day = p.get("decisionDate")
        return day is not None and since <= day <= today

    counted = sorted((p for p in recent if inside(p)), key=lambda p: (p["decisionDate"], p["id"]))
    arriving = sorted((p for p in new if inside(p)), key=lambda p: (p["decisionDate"], p["id"]))
    if not arriving or len(counted) < threshold:
        return None
    return {
        "kind": PENALTIES,
        "count": len(counted),
        "threshold": threshold,
        "since": since,
        "actionIds": [p["id"] for p in counted[-NAMED_PENALTIES:]],
        "newActionIds": [p["id"] for p in arriving],
        "on": arriving[-1]["decisionDate"],
    }


def related_reasons(ties: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    """One reason per listing that reached the subject, from its ``ties`` (rows: listingId,
    list, domain, department, on, listed {label, key}, asOf, capped, and one path {nodes, rels}
    walking from the subject to the listed party), with the ``PATHS_PER_PARTY`` shortest paths.
    ``capped``: the listing's lookup read more than ``cap`` ties, so a subject may lack one."""
    by_listing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tie in ties:
        by_listing[str(tie["listingId"])].append(tie)
    reasons = []
    for listing_id in sorted(by_listing):
        found = by_listing[listing_id]
        first = found[0]
        paths = sorted(
            ({"nodes": t["nodes"], "rels": t["rels"]} for t in found),
            key=lambda p: (len(p["rels"]), [n["key"] for n in p["nodes"]], _rel_order(p)),
        )
        unique: list[dict[str, Any]] = []
        for path in paths:
            if path not in unique:
                unique.append(path)
        reasons.append(
            {
                "kind": RELATED,
                "listingId": listing_id,
                "list": first.get("list"),
                "domain": first.get("domain"),
                "department": first.get("department"),
                "on": first.get("on"),
                "listed": first["listed"],
                "asOf": first.get("asOf"),
                "paths": unique[:PATHS_PER_PARTY],
                "truncated": bool(first.get("capped")) or len(unique) > PATHS_PER_PARTY,
                "cap": cap,
            }
        )
    return reasons


def _rel_order(path: dict[str, Any]) -> list[str]:
    return [f"{r.get('type')}:{r.get('role') or ''}" for r in path["rels"]]


def summary(reasons: list[dict[str, Any]]) -> str:
    """The reasons in one line (an event's ``reason``; ID numbers are masked by its readers)."""
    parts = []
    for r in reasons:
        if r["kind"] == RELATED:
            parts.append(
                f"related party {r['listed']['key']} put on the {r['list']} list "
                f"(listing {r['listingId']}, {r.get('domain') or '-'}, "
                f"{r.get('department') or '-'}) through {len(r['paths'])} path(s)"
            )
        elif r["kind"] == PENALTIES:
            parts.append(
                f"{r['count']} penalties decided since {r['since'].isoformat()} "
                f"(threshold {r['threshold']})"
            )
        else:
            parts.append(
                f"grade fell from {r['fromGrade']} to {r['toGrade']} "
                f"(evaluation {r['evaluationId']})"
            )
    return "; ".join(parts)


def warnings(found: list[dict[str, Any]], policy: Policy, today: dt.date) -> list[dict[str, Any]]:
    """The warnings of one transaction: ``found`` holds, per subject the changes reached
    (hub/store/warnings.py: subject {label, key}, departments, causes), each cause's facts.
    One warning per subject with every reason, or none when no cause is a warning."""
    out = []
    for row in found:
        causes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for cause in row["causes"]:
            causes[cause["cause"]].append(cause)
        reasons = related_reasons(causes[RELATED], policy.related_cap)
        for cause in causes[PENALTIES]:
            reached = penalties_reached(cause["recent"], cause["new"], policy.penalties, today)
            if reached is not None:
                reasons.append(reached)
        if causes[GRADE_FELL]:
            fell = grade_fell(
                causes[GRADE_FELL][0]["evaluations"],
                {c["evaluationId"]: c for c in causes[GRADE_FELL]},
                {c["evaluationId"]: c["old"][0] for c in causes[GRADE_FELL] if c.get("old")},
            )
            if fell is not None:
                reasons.append(fell)
        if not reasons:
            continue
        provenance = _provenance(row["causes"])
        out.append(
            {
                "type": "EARLY_WARNING",
                "subjectKey": row["subject"]["key"],
                "subjectLabel": row["subject"]["label"],
                "on": max((r["on"] for r in reasons if r.get("on") is not None), default=None),
                "departments": sorted({d for d in row.get("departments") or [] if d}),
                "reasonKinds": [r["kind"] for r in reasons],
                "reason": summary(reasons),
                "reasons": reasons,
                "public": False,
                **provenance,
            }
        )
    return sorted(out, key=lambda w: (w["subjectLabel"], w["subjectKey"]))


def _provenance(causes: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch and source department of the first cause that has them (the change's)."""
    for cause in causes:
        for item in (cause, *(cause.get("new") or [])):
            if item.get("batch"):
                return {"batch": item["batch"], "sourceDepartment": item.get("sourceDepartment")}
    return {"batch": None, "sourceDepartment": None}
