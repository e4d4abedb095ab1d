"""Runs a GraphQL document in-process, through the same schema and extensions as /graphql."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import strawberry
from starlette.requests import Request

from hub.auth import PUBLIC, Actor
from resolvers.context import make_context

DOCUMENTS = Path(__file__).parent


def document(front_end: str, name: str) -> str:
    """The text of ``web/<front_end>/documents/<name>.graphql`` (read once, at import)."""
    return (DOCUMENTS / front_end / "documents" / f"{name}.graphql").read_text(encoding="utf-8")


@dataclass
class Answer:
    data: dict[str, Any] | None
    # (code, message) of each error, codes as the API gives them (extensions.code)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def code(self) -> str | None:
        return self.errors[0][0] if self.errors else None


async def run(
    schema: strawberry.Schema,
    request: Request,
    query: str,
    variables: dict[str, Any] | None = None,
    actor: Actor = PUBLIC,
) -> Answer:
    """``query`` as ``actor`` (the site: PUBLIC), counted against the caller's address as an
    API request is; the answer as the API gives it, errors included."""
    hub = request.app.state.hub
    state = request.scope.get("state", {})
    context = make_context(
        hub.store,
        hub.settings,
        actor,
        state.get("request_id", "-"),
        request=request,
        caller=state.get("caller", "-"),
        id_lookups=hub.id_lookups,
        reports=hub.reports,
    )
    result = await schema.execute(query, variable_values=variables, context_value=context)
    errors = [
        (str((e.extensions or {}).get("code", "INTERNAL")), e.message) for e in result.errors or []
    ]
    return Answer(data=result.data, errors=errors)
