"""Schema extensions: the role matrix, error masking with codes, the audit trail."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from hub.errors import Forbidden, HubError
from hub.policy import allowed
from schema.limits import root_fields

log = logging.getLogger("credithub.graphql")


class RoleMatrix(SchemaExtension):
    """Refuses an operation whose root fields the caller's role may not call (hub/policy.py).

    Checked once before execution, from the document: a per-field hook would run for every
    field of every answer (thousands for a neighbourhood) to look at the root ones only.
    """

    def on_execute(self) -> Any:
        context = self.execution_context
        if context.graphql_document is not None:
            selected = root_fields(
                context.schema._schema, context.graphql_document, context.operation_name
            )
            kind, names = selected or ("query", ())
            role = context.context.actor.role
            for name in names:
                if not name.startswith("__") and not allowed(kind, name, role):
                    raise Forbidden(f"{role.value} may not call {name}")
        yield


class ErrorCodes(SchemaExtension):
    """Every error gets extensions.code; unexpected errors are masked and logged with the id."""

    def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None) if result is not None else None
        if result is None or not errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "-")
        cleaned: list[GraphQLError] = []
        for error in errors:
            original = error.original_error
            if original is None:
                extensions = dict(error.extensions or {})
                extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
                cleaned.append(_copy(error, error.message, extensions))
            elif isinstance(original, HubError):
                cleaned.append(error)
            elif isinstance(original, GraphQLError) and original.original_error is None:
                extensions = dict(original.extensions or {})
                extensions.setdefault("code", "BAD_USER_INPUT")
                cleaned.append(_copy(error, error.message, extensions))
            else:
                log.error(
                    "unexpected error request_id=%s path=%s type=%s",
                    request_id,
                    error.path,
                    type(original).__name__,
                    exc_info=original,
                )
                cleaned.append(
                    _copy(error, "Internal error.", {"code": "INTERNAL", "requestId": request_id})
                )
        result.errors = cleaned


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class AuditTrail(SchemaExtension):
    """Writes one audit entry per request that read personal data unmasked."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        entries = getattr(context, "audited", None)
        if entries:
            from hub.audit import record_reads

            await record_reads(
                context, self.execution_context.operation_name, fields=self._root_fields()
            )

    def _root_fields(self) -> list[str]:
        """The root fields the operation selected (what was read)."""
        context = self.execution_context
        if context.graphql_document is None:
            return []
        selected = root_fields(
            context.schema._schema, context.graphql_document, context.operation_name
        )
        return sorted(set(selected[1])) if selected else []
