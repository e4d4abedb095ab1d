"""The hub's schema extension: limits, caches, the role matrix, the audit trail, error codes."""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import ASTValidationRule, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext

from graphql_engine.document_cache import validation_errors
from graphql_engine.document_limits import DocumentLimits, document_errors
from graphql_engine.limits import cost_errors, id_number_lookups, root_fields
from hub.auth import Role
from hub.errors import Forbidden, HubError, LimitExceeded, RateLimited
from hub.policy import allowed
from hub.ratelimit import retry_after
from resolvers.audit import record_reads

log = logging.getLogger("credithub.graphql")


class HubRequest(SchemaExtension):
    """Everything the hub adds around one GraphQL operation, as one extension.

    In order: the token limit and the extra validation rules (introspection in production);
    the parser cache; the document limits (depth, aliases, fragment expansion: one linear pass,
    before any other rule walks the document), validation cached per document and the cost
    limit; the role
    matrix before execution and the audit trail after it; error codes on the way out.

    One extension rather than one per concern: strawberry wraps every hook of every extension
    in a new context manager for every phase of every request. A py-spy profile of the hub
    under ``credit-hub bench check`` put 7-11 % of its samples in that machinery with eight
    extensions; run side by side (bench/compare_hubs.py) the merge alone was within noise.
    """

    def __init__(self, config: RequestConfig) -> None:
        super().__init__()
        self.config = config

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        actor = getattr(context.context, "actor", None)
        anonymous = actor is None or actor.role == Role.PUBLIC
        context.parse_options["max_tokens"] = (
            self.config.public_tokens if anonymous else self.config.max_tokens
        )
        context.validation_rules = context.validation_rules + self.config.rules
        yield
        _clean_errors(context)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        # A refused document (syntax, token limit) is left unparsed: strawberry then parses it
        # again with the same options inside its own error handling, which answers the error.
        # Raised from here, it escaped a subscription's stream (over WebSocket: no answer).
        with contextlib.suppress(GraphQLError):
            context.graphql_document = _parse(context.query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        """Before strawberry's own validation, which then sees the errors set and is skipped."""
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            # An empty list (not None) tells strawberry the document is valid.
            context.pre_execution_errors = (
                document_errors(context.graphql_document, self.config.limits)
                or validation_errors(context)
                or cost_errors(context, self.config.max_cost)
                or []
            )
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        selected = _selected(context)
        _check_roles(context, selected)
        _spend_id_lookups(context, selected)
        yield
        if getattr(context.context, "audited", None):
            fields = sorted(set(selected[1])) if selected else []
            await record_reads(context.context, context.operation_name, fields=fields)


class _Phase:
    """One phase of HubRequest as strawberry's runner uses it (``with`` or ``async with``)."""

    __slots__ = ("_cm",)

    def __init__(self, cm: Any) -> None:
        self._cm = cm

    def __enter__(self) -> None:
        self._cm.__enter__()

    def __exit__(self, *exc: Any) -> bool | None:
        return self._cm.__exit__(*exc)  # type: ignore[no-any-return]

    async def __aenter__(self) -> None:
        self._cm.__enter__()

    async def __aexit__(self, *exc: Any) -> bool | None:
        return self._cm.__exit__(*exc)  # type: ignore[no-any-return]


class _AsyncPhase(_Phase):
    __slots__ = ()

    def __enter__(self) -> None:
        raise RuntimeError("HubRequest.on_execute is async: use the async schema")

    async def __aenter__(self) -> None:
        await self._cm.__aenter__()

    async def __aexit__(self, *exc: Any) -> bool | None:
        return await self._cm.__aexit__(*exc)  # type: ignore[no-any-return]


# The hooks wrapped once, at import; per request only their generator objects are made.
_OPERATION = contextlib.contextmanager(HubRequest.on_operation)
_PARSE = contextlib.contextmanager(HubRequest.on_parse)
_VALIDATE = contextlib.contextmanager(HubRequest.on_validate)
_EXECUTE = contextlib.asynccontextmanager(HubRequest.on_execute)


class HubRunner(SchemaExtensionsRunner):
    """strawberry's runner, short-cut when HubRequest is the request's only extension.

    strawberry's own builds, for every phase of every request, a context manager per hook of
    every extension (inspecting each hook, wrapping it with functools.wraps) inside an exit
    stack. With exactly one extension of a known class, each phase is its hook's context
    manager, wrapped once at import. Any other list of extensions (a directive extension, a
    second extension) takes strawberry's path unchanged.
    """

    def __init__(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension] | None = None
    ) -> None:
        super().__init__(execution_context, extensions)
        only = self.extensions[0] if len(self.extensions) == 1 else None
        self.hub = only if type(only) is HubRequest else None

    def operation(self) -> Any:
        return _Phase(_OPERATION(self.hub)) if self.hub else super().operation()

    def parsing(self) -> Any:
        return _Phase(_PARSE(self.hub)) if self.hub else super().parsing()

    def validation(self) -> Any:
        return _Phase(_VALIDATE(self.hub)) if self.hub else super().validation()

    def executing(self) -> Any:
        return _AsyncPhase(_EXECUTE(self.hub)) if self.hub else super().executing()

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        if self.hub:  # HubRequest adds no results of its own
            return dict(ctx.extensions_results)
        return await super().get_extensions_results(ctx)


@dataclass(frozen=True)
class RequestConfig:
    """Made once per schema: the validation cache is keyed by the rule classes."""

    max_tokens: int
    max_cost: int
    limits: DocumentLimits
    rules: tuple[type[ASTValidationRule], ...]
    # Anonymous callers' token limit (CREDITHUB_MAX_PUBLIC_TOKENS): parsing is most of what a
    # document costs before it runs (bench/documents_bench.py).
    public_tokens: int = 600


# One parser cache for the process (the same text gives the same document object, which the
# validation, cost and root-field caches key on).
_parse = functools.lru_cache(maxsize=1024)(parse)


def _selected(context: ExecutionContext) -> tuple[str, tuple[str, ...]] | None:
    if context.graphql_document is None:
        return None
    return root_fields(context.schema._schema, context.graphql_document, context.operation_name)


def _check_roles(context: ExecutionContext, selected: tuple[str, tuple[str, ...]] | None) -> None:
    """Refuses an operation whose root fields the caller's role may not call (hub/policy.py).

    Checked once before execution, from the document: a per-field hook would run for every
    field of every answer (thousands for a neighbourhood) to look at the root ones only.
    """
    if selected is None:  # no document, or not one operation: execution refuses it
        return
    kind, names = selected
    role = context.context.actor.role
    for name in names:
        if not name.startswith("__") and not allowed(kind, name, role):
            raise Forbidden(f"{role.value} may not call {name}")


def _spend_id_lookups(
    context: ExecutionContext, selected: tuple[str, tuple[str, ...]] | None
) -> None:
    """PUBLIC's budget of lookups by full ID number (CREDITHUB_PUBLIC_ID_LOOKUPS_PER_MINUTE).

    A masked number (first 4 + last 4) leaves ~38,000 valid candidates; without a budget an
    anonymous caller could try them all through aliased ``person`` fields or exact-ID searches
    in seconds. The operation's lookups are counted from the document before anything runs and
    spent all together, or the request is refused: RATE_LIMITED (HTTP 429, Retry-After) when
    the budget is spent for now, LIMIT_EXCEEDED when one request asks for more than a minute's
    budget. Keyed callers are accountable (receipts, audit) and not counted.
    """
    hub = context.context
    budget = getattr(hub, "id_lookups", None)
    if budget is None or not budget.enabled or hub.actor.role != Role.PUBLIC:
        return
    if context.graphql_document is None or selected is None:
        return
    if "person" not in selected[1] and "search" not in selected[1]:
        return  # the document's root fields (cached per document): nothing to count
    wanted = id_number_lookups(
        context.schema._schema,
        context.graphql_document,
        context.operation_name,
        context.variables or {},
        hub.today(),
    )
    if wanted == 0:
        return
    if wanted > budget.burst:
        raise LimitExceeded(
            f"this request looks up {wanted} ID numbers; anonymous callers may look up "
            f"{budget.burst} a minute",
            limit=budget.burst,
        )
    wait = budget.acquire(hub.caller, cost=wanted)
    if wait > 0:
        seconds = retry_after(wait)
        response = getattr(hub, "response", None)
        if response is not None:
            response.status_code = 429
            response.headers["Retry-After"] = seconds
        raise RateLimited(
            "too many lookups by ID number from this address; slow down or use an API key",
            retryAfter=int(seconds),
        )


def _clean_errors(context: ExecutionContext) -> None:
    """Every error gets extensions.code; unexpected errors are masked and logged with the id."""
    result = context.result
    errors = getattr(result, "errors", None) if result is not None else None
    if result is None or not errors:
        return
    request_id = getattr(context.context, "request_id", "-")
    cleaned: list[GraphQLError] = []
    for error in errors:
        original = error.original_error
        if original is None:
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            cleaned.append(_copy(error, scrubbed(error.message, extensions), extensions))
        elif isinstance(original, HubError):
            cleaned.append(error)
        elif isinstance(original, GraphQLError) and original.original_error is None:
            extensions = dict(original.extensions or {})
            extensions.setdefault("code", "BAD_USER_INPUT")
            cleaned.append(_copy(error, scrubbed(error.message, extensions), extensions))
        else:
            mask_unexpected(error, request_id)
            cleaned.append(error)
    result.errors = cleaned


def mask_unexpected(error: GraphQLError, request_id: str) -> None:
    """An error from an unexpected exception, in place: logged with the request id and its
    traceback, answered as ``Internal error.`` with code INTERNAL and the request id. Expected
    errors (a HubError, a GraphQL error of the caller's document or values) are left alone."""
    original = error.original_error
    if original is None or isinstance(original, HubError):
        return
    if isinstance(original, GraphQLError) and original.original_error is None:
        return
    log.error(
        "unexpected error request_id=%s path=%s type=%s",
        request_id,
        error.path,
        type(original).__name__,
        exc_info=original,
    )
    error.message = "Internal error."
    error.extensions = {"code": "INTERNAL", "requestId": request_id}
    error.original_error = None


# graphql-core's coercion and validation messages quote the value they refused: a whole
# variable (a SubjectRef with an extra key quoted its ID number; one bad item of checkBatch
# quoted every request), a literal's source, a scalar's input. What is kept: the variable or
# argument, the path inside it, the expected type, the field named and the kind of problem.
_VALUE_QUOTES = (
    # "..., found: {'idNumber': '4510...'}." and "... Did you mean 'x'? Found: {...}."
    (re.compile(r"(?:,|\.)?\s*(?:but encountered error .*?; )?[Ff]ound:? .*\Z", re.S), "."),
    # "Expected value of type 'Date', but encountered error '...'" without a value after it
    (re.compile(r",? but encountered error .*\Z", re.S), "."),
    # "String cannot represent a non string value: 4510...", "Value cannot represent a Date: ..."
    (re.compile(r"(cannot represent[^:]*):.*\Z", re.S), r"\1."),
    # "Value 'X' does not exist in 'Scenario' enum."
    (
        re.compile(r"Value '.*' does not exist in '(\w+)' enum\.", re.S),
        r"Value does not exist in '\1' enum.",
    ),
    # an unknown input field's name is the caller's text too
    (
        re.compile(r"unknown field '(?![A-Za-z_]\w{0,63}')[^\n]*?'(?=[.,;?! ]|\Z)"),
        "an unknown field",
    ),
)
# Anything still shaped like a long number (ID numbers, dates as digits) is not repeated.
_LONG_NUMBER = re.compile(r"\d{6,}[\dXx]?")


# Codes of messages written by graphql-core (the hub's own, such as LIMIT_EXCEEDED, are kept).
QUOTING_CODES = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"})


def scrubbed(message: str, extensions: dict[str, Any]) -> str:
    return without_values(message) if extensions.get("code") in QUOTING_CODES else message


def without_values(message: str) -> str:
    """A coercion or validation message without the values the caller sent."""
    for pattern, replacement in _VALUE_QUOTES:
        message = pattern.sub(replacement, message)
    message = _LONG_NUMBER.sub("…", message)
    return message.replace("..", ".").replace("?.", "?")


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
