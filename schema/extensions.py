"""Schema extensions: the role matrix, error masking with codes, the audit trail."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from hub.errors import Forbidden, HubError
from hub.policy import allowed

log = logging.getLogger("credithub.graphql")


class RoleMatrix(SchemaExtension):
    """Refuses root fields the caller's role may not call (hub/policy.py)."""

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if info.path.prev is None and not info.field_name.startswith("__"):
            operation = info.operation.operation.value
            role = info.context.actor.role
            if not allowed(operation, info.field_name, role):
                raise Forbidden(f"{role.value} may not call {info.field_name}")
        return _next(root, info, *args, **kwargs)


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
        document = self.execution_context.graphql_document
        name = self.execution_context.operation_name
        if document is None:
            return []
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and (
                name is None or (definition.name and definition.name.value == name)
            ):
                return sorted(
                    {
                        s.name.value
                        for s in definition.selection_set.selections
                        if isinstance(s, FieldNode)
                    }
                )
        return []
