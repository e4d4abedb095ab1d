"""The site's credit report pages: request a 自查 report, download its PDF, verify a report by
number and code or by its PDF file (genuine / altered / unknown, decided by the API)."""

from __future__ import annotations

import base64
import hashlib

import strawberry
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from report.numbering import number_in
from web.client import document, run
from web.public.pages import page, refused

ISSUE = document("public", "issue_report")
VERIFY = document("public", "verify")
VERIFY_DOCUMENT = document("public", "verify_document")
PDF = document("public", "report_pdf")
# A report PDF is tens of kilobytes; anything far larger is not one of ours.
MAX_UPLOAD = 5 * 1024 * 1024
PRIVATE = {"Cache-Control": "private, no-store"}


def report_pages(schema: strawberry.Schema) -> list[BaseRoute]:
    async def issue(request: Request) -> Response:
        uscc = request.path_params["uscc"]
        answer = await run(schema, request, ISSUE, {"uscc": uscc})
        if answer.data is None:
            return refused(request, answer, q=uscc)
        # the verification code is the requester's
        return page(request, "report_issued.html", private=True, **answer.data)

    async def pdf(request: Request) -> Response:
        number = request.path_params["number"]
        code = request.query_params.get("code", "")[:20]
        answer = await run(schema, request, PDF, {"number": number, "code": code})
        found = (answer.data or {}).get("verifyReport") or {}
        if found.get("result") != "GENUINE":
            if answer.data is None:
                return refused(request, answer)
            return page(request, "error.html", 404, code="REPORT_NOT_FOUND")
        body = base64.b64decode(found["report"]["pdfBase64"])
        headers = {**PRIVATE, "Content-Disposition": f'inline; filename="{number}.pdf"'}
        return Response(body, media_type="application/pdf", headers=headers)

    async def verify(request: Request) -> Response:
        number = (request.query_params.get("number") or "").strip()[:40]
        code = (request.query_params.get("code") or "").strip()[:20]
        if not number and not code:
            return page(request, "verify.html", number="", code="", check=None, by="code")
        answer = await run(schema, request, VERIFY, {"number": number, "code": code})
        if answer.data is None:
            return refused(request, answer)
        return page(
            request,
            "verify.html",
            private=True,
            number=number,
            code=code,
            check=answer.data["verifyReport"],
            by="code",
        )

    async def verify_upload(request: Request) -> Response:
        async with request.form(max_files=1, max_fields=5, max_part_size=MAX_UPLOAD) as form:
            upload = form.get("file")
            data = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
        if not data or len(data) > MAX_UPLOAD:
            return page(
                request,
                "verify.html",
                400,
                number="",
                code="",
                check=None,
                by="file",
                bad_file=True,
            )
        variables = {"sha256": hashlib.sha256(data).hexdigest(), "number": number_in(data)}
        answer = await run(schema, request, VERIFY_DOCUMENT, variables)
        if answer.data is None:
            return refused(request, answer)
        return page(
            request,
            "verify.html",
            private=True,
            number="",
            code="",
            check=answer.data["verifyReportDocument"],
            by="file",
        )

    async def about(request: Request) -> Response:
        return page(request, "reports.html")

    return [
        Route("/reports", about, methods=["GET", "HEAD"]),
        Route("/subjects/{uscc}/report", issue, methods=["POST"]),
        Route("/reports/{number}.pdf", pdf, methods=["GET"]),
        Route("/verify", verify, methods=["GET", "HEAD"]),
        Route("/verify", verify_upload, methods=["POST"]),
    ]
