"""Batch checks (APPROVAL, DEPARTMENT): a CSV or XLSX of identifier + scenario, up to 1,000
rows, checked in one checkBatch call as the signed-in key; the table of answers, bad rows marked
(the file's own problems, and the API's error for an item), and the same table as a CSV
download with the receipt numbers."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import strawberry
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from hub.identifiers import mask_id_number
from web.client import document
from web.workbench.access import APPROVERS, Desk, workbench_route
from web.workbench.approval import INPUT_CODES, refused
from web.workbench.batch_file import SCENARIOS, BatchFileError, BatchRow, read_batch

BATCH = document("workbench", "batch")
MAX_FILE = 2 * 1024 * 1024  # 1,000 rows are ~40 kB as CSV, ~30 kB as XLSX


def _shown(row: BatchRow, result: dict[str, Any] | None, masked: bool) -> str:
    """The identifier as the table shows it: the API's (masked for masked roles), else the
    file's, an ID number masked for a masked role."""
    subject = (result or {}).get("subject") or {}
    shown = subject.get("uscc") or subject.get("idNumber")
    if shown:
        return str(shown)
    if masked and "idNumber" in row.subject:
        return mask_id_number(row.identifier)
    return row.identifier


def table(
    rows: list[BatchRow], results: list[dict[str, Any]], masked: bool
) -> list[dict[str, Any]]:
    """One entry per row of the file: its problem, or the API's answer."""
    answers = iter(results)
    entries = []
    for row in rows:
        result = next(answers) if row.problem is None else None
        error = (result or {}).get("error")
        entries.append(
            {
                "line": row.line,
                "identifier": _shown(row, result, masked),
                "scenario": row.scenario,
                "problem": row.problem or (error["code"] if error else None),
                "field": (error or {}).get("field"),
                "result": result if not error else None,
            }
        )
    return entries


def results_csv(
    entries: list[dict[str, Any]],
    header: list[str],
    decisions: dict[str, str],
    problems: dict[str, str],
) -> bytes:
    """The table as CSV (UTF-8 with a BOM, so a spreadsheet reads the Chinese); the header and
    the words for codes come from the template (batch.html)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for entry in entries:
        result = entry["result"] or {}
        subject = result.get("subject") or {}
        hits = "; ".join(
            f"{h['measure']['name']} ({h['measure']['code']})" for h in result.get("hits", [])
        )
        decision = result.get("decision")
        problem = entry["problem"]
        writer.writerow(
            [
                entry["line"],
                entry["identifier"],
                SCENARIOS.get(entry["scenario"] or "", ""),
                subject.get("name") or "",
                f"{decisions.get(decision, decision)} ({decision})" if decision else "",
                hits,
                result.get("receiptId") or "",
                problems.get(problem, problem) if problem else "",
            ]
        )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


async def batch_form(request: Request, desk: Desk) -> Response:
    return desk.page("batch.html", error=None, entries=None, scenarios=SCENARIOS)


async def batch(request: Request, desk: Desk) -> Response:
    upload = desk.form.get("file") if desk.form is not None else None
    data = b""
    filename = ""
    if isinstance(upload, UploadFile):
        data = await upload.read(MAX_FILE + 1)
        filename = upload.filename or ""
    as_of = desk.field("asOf", 10) or None
    error: str | None = None
    detail = ""
    rows: list[BatchRow] = []
    if len(data) > MAX_FILE:
        error = "TOO_LARGE"
    else:
        try:
            rows = read_batch(data, filename)
        except BatchFileError as refusal:
            error, detail = refusal.code, refusal.detail
    if error:
        return desk.page(
            "batch.html", 400, error=error, detail=detail, entries=None, scenarios=SCENARIOS
        )
    requests = [
        {"subject": row.subject, "scenario": row.scenario} for row in rows if row.problem is None
    ]
    results: list[dict[str, Any]] = []
    if requests:
        answer = await desk.run(BATCH, {"requests": requests, "asOf": as_of})
        if answer.data is None or answer.errors:
            if answer.code() in INPUT_CODES:
                return desk.page(
                    "batch.html",
                    400,
                    error=answer.code(),
                    detail="",
                    entries=None,
                    scenarios=SCENARIOS,
                )
            return refused(desk, answer)
        results = answer.data["checkBatch"]
    entries = table(rows, results, masked=not desk.actor.sees_personal_data)
    return desk.page(
        "batch.html",
        error=None,
        entries=entries,
        scenarios=SCENARIOS,
        filename=filename,
        csv_base64=lambda header, decisions, problems: base64.b64encode(
            results_csv(entries, header, decisions, problems)
        ).decode(),
    )


def batch_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/batch", batch_form, APPROVERS, schema),
        # upload: a file too large is answered by this page (its own limit, MAX_FILE), not by
        # the hub's body limit for forms
        workbench_route(
            "/workbench/batch", batch, APPROVERS, schema, methods=["POST"], upload=True
        ),
    ]
