"""The approval console (APPROVAL, DEPARTMENT): a single check with its decision, every hit and
its path, the receipt (核查回执, printable) and the approval's outcome recorded on it. Every
answer is the API's (checkBeforeApproval, receipt, recordApprovalOutcome) as the signed-in key.
"""

from __future__ import annotations

from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from web.client import Answer, document
from web.workbench.access import APPROVERS, PRIVATE, Desk, workbench_route
from web.workbench.batch_file import SCENARIOS, subject_ref

CHECK = document("workbench", "check")
RECEIPT = document("workbench", "receipt")
RECEIPT_SUBJECT = document("workbench", "receipt_subject")
RECORD_OUTCOME = document("workbench", "record_outcome")

OUTCOMES = ("APPROVED", "APPROVED_WITH_CONDITIONS", "REJECTED", "WITHDRAWN")
# The API's codes for input it refuses: the form again, with the reason (400).
INPUT_CODES = {"BAD_USER_INPUT", "INVALID_USCC", "INVALID_ID_NUMBER", "GRAPHQL_VALIDATION_FAILED"}


def status_of(answer: Answer) -> int:
    code = answer.code()
    if code in INPUT_CODES:
        return 400
    return {"FORBIDDEN": 403, "NOT_FOUND": 404, "RATE_LIMITED": 429}.get(code or "", 503)


def refused(desk: Desk, answer: Answer) -> Response:
    return desk.page("refused.html", status_of(answer), code=answer.code())


def measures_by_code(measures: list[dict[str, Any]], editions: list[str]) -> dict[str, Any]:
    """The catalogue's entry for each code: of the receipt's editions when it names them."""
    found: dict[str, Any] = {}
    for measure in measures:
        if measure["code"] not in found or measure["edition"] in editions:
            found[measure["code"]] = measure
    return found


def receipt_hits(codes: list[str], measures: dict[str, Any]) -> list[dict[str, Any]]:
    """A receipt's ``measure|effect|listing|reach`` strings with their measures."""
    hits = []
    for text in codes:
        code, effect, listing, reach = [*text.split("|"), "", "", ""][:4]
        hits.append(
            {
                "code": code,
                "effect": effect,
                "listing": listing,
                "reach": reach,
                "measure": measures.get(code),
            }
        )
    return hits


async def check_form(request: Request, desk: Desk) -> Response:
    return desk.page("check.html", scenarios=SCENARIOS, form={}, error=None, result=None)


async def check(request: Request, desk: Desk) -> Response:
    form = {
        "identifier": desk.field("identifier", 40),
        "scenario": desk.field("scenario", 40),
        "asOf": desk.field("asOf", 10),
    }
    if not form["identifier"] or form["scenario"] not in SCENARIOS:
        problem = "NO_IDENTIFIER" if not form["identifier"] else "NO_SCENARIO"
        return desk.page(
            "check.html", 400, scenarios=SCENARIOS, form=form, error=problem, result=None
        )
    subject = subject_ref(form["identifier"])
    if "idNumber" in subject and not desk.actor.sees_personal_data:
        form["identifier"] = ""  # an ID number is not echoed to a masked role (the API masks it)
    variables = {
        "subject": subject,
        "scenario": form["scenario"],
        "asOf": form["asOf"] or None,
    }
    answer = await desk.run(CHECK, variables)
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES:
            return desk.page(
                "check.html",
                400,
                scenarios=SCENARIOS,
                form=form,
                error=answer.code(),
                result=None,
            )
        return refused(desk, answer)
    return desk.page(
        "check.html",
        scenarios=SCENARIOS,
        form=form,
        error=None,
        result=answer.data["checkBeforeApproval"],
    )


async def receipt(request: Request, desk: Desk) -> Response:
    receipt_id = request.path_params["receipt_id"][:80]
    answer = await desk.run(RECEIPT, {"id": receipt_id})
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    found = answer.data["receipt"]
    name = None
    if found["subjectKind"] == "Enterprise":  # Receipt.subjectKind: Enterprise or Person
        named = await desk.run(RECEIPT_SUBJECT, {"uscc": found["subjectKey"]})
        name = ((named.data or {}).get("enterprise") or {}).get("name")
    measures = measures_by_code(answer.data["measures"], found["editions"])
    return desk.page(
        "receipt.html",
        receipt=found,
        subject_name=name,
        hits=receipt_hits(found["hits"], measures),
        suspended=receipt_hits(found["suspendedHits"], measures),
        incentives=receipt_hits(found["incentives"], measures),
        scenarios=SCENARIOS,
        outcomes=OUTCOMES,
        outcome_error=request.query_params.get("error"),
        recorded=request.query_params.get("recorded") == "1",
    )


async def record_outcome(request: Request, desk: Desk) -> Response:
    receipt_id = request.path_params["receipt_id"][:80]
    target = f"/workbench/receipts/{receipt_id}"
    outcome = desk.field("outcome", 40)
    if outcome not in OUTCOMES:
        return RedirectResponse(target + "?error=NO_OUTCOME", status_code=303, headers=PRIVATE)
    note = desk.field("note", 500) or None
    answer = await desk.run(RECORD_OUTCOME, {"id": receipt_id, "outcome": outcome, "note": note})
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES or answer.code() == "CONFLICT":
            code = answer.code() or "BAD_USER_INPUT"
            return RedirectResponse(f"{target}?error={code}", status_code=303, headers=PRIVATE)
        return refused(desk, answer)
    return RedirectResponse(target + "?recorded=1", status_code=303, headers=PRIVATE)


def approval_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/check", check_form, APPROVERS, schema),
        workbench_route("/workbench/check", check, APPROVERS, schema, methods=["POST"]),
        workbench_route("/workbench/receipts/{receipt_id}", receipt, APPROVERS, schema),
        workbench_route(
            "/workbench/receipts/{receipt_id}/outcome",
            record_outcome,
            APPROVERS,
            schema,
            methods=["POST"],
        ),
    ]
