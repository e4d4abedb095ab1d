"""Schema extensions: the role matrix, error masking with codes, the audit trail."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
)
from strawberry.extensions import SchemaExtension

from hub.errors import Forbidden, HubError
from hub.policy import allowed

log = logging.getLogger("credithub.graphql")


def _root_fields(selection_set: Any, fragments: dict[str, Any], seen: set[str]) -> list[str]:
    names: list[str] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.append(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names += _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                names += _root_fields(fragments[name].selection_set, fragments, seen | {name})
    return names


class RoleMatrix(SchemaExtension):
    """Refuses an operation whose root fields the caller's role may not call (hub/policy.py).

    Checked once before execution, from the document: a per-field hook would run for every
    field of every answer (thousands for a neighbourhood) to look at the root ones only.
    """

    def on_execute(self) -> Any:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if context.operation_name is not None:
                operations = [
                    o for o in operations if o.name and o.name.value == context.operation_name
                ]
            role = context.context.actor.role
            for operation in operations[:1] if context.operation_name is None else operations:
                kind = operation.operation.value
                for name in _root_fields(operation.selection_set, fragments, set()):
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
