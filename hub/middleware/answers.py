"""The JSON shape of an HTTP-level refusal: the GraphQL errors list with extensions.code."""

from __future__ import annotations

from starlette.responses import JSONResponse


def json_error(
    status: int,
    code: str,
    message: str,
    extra: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **(extra or {})}}]},
        status_code=status,
        headers=headers,
    )
