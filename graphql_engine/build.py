"""Builds the strawberry schema with its limits and extensions."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types import ExecutionContext

from graphql_engine.document_limits import DocumentLimits
from graphql_engine.execution import FlatListExecutionContext
from graphql_engine.extensions import (
    HubRequest,
    HubRunner,
    RequestConfig,
    mask_unexpected,
    scrubbed,
)
from hub.settings import Settings
from schema.audit import AuditQueries
from schema.checks import CheckMutations, CheckQueries
from schema.commitments import CommitmentMutations, CommitmentQueries
from schema.desk import DeskQueries
from schema.events import EventMutations, EventQueries, Subscription
from schema.grades import GradeQueries
from schema.history import HistoryQueries
from schema.investigate import InvestigationQueries
from schema.keys import KeyMutations, KeyQueries
from schema.lifecycle import LifecycleMutations, LifecycleQueries
from schema.measures import ListingQueries
from schema.mutations import ListingMutations
from schema.public import PublicQueries
from schema.query import SubjectQueries
from schema.rectification import RectificationMutations, RectificationQueries
from schema.reports import ReportMutations, ReportQueries
from schema.sampling import SamplingMutations, SamplingQueries
from schema.supervision import SupervisionMutations, SupervisionQueries


@strawberry.type
class Query(
    SubjectQueries,
    ListingQueries,
    CheckQueries,
    InvestigationQueries,
    AuditQueries,
    PublicQueries,
    ReportQueries,
    KeyQueries,
    DeskQueries,
    EventQueries,
    SupervisionQueries,
    SamplingQueries,
    GradeQueries,
    CommitmentQueries,
    LifecycleQueries,
    RectificationQueries,
    HistoryQueries,
):
    """Root of all reads."""


@strawberry.type
class Mutation(
    ListingMutations,
    CheckMutations,
    ReportMutations,
    KeyMutations,
    EventMutations,
    SupervisionMutations,
    SamplingMutations,
    CommitmentMutations,
    LifecycleMutations,
    RectificationMutations,
):
    """Root of all writes (uploads go through POST /api/import)."""


class CachedNames(NameConverter):
    """Each Python name converted to camelCase once.

    strawberry converts the names of arguments and input fields again on every request while it
    converts the arguments (a checkBeforeApproval's subject, scenario, asOf); the names are the
    schema's, few and fixed.
    """

    def __init__(self) -> None:
        super().__init__(auto_camel_case=True)
        self._names: dict[tuple[str, bool], str] = {}

    def apply_naming_config(self, name: str) -> str:
        key = (name, self.auto_camel_case)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = super().apply_naming_config(name)
        return found


class HubSchema(strawberry.Schema):
    """Expected errors (HubError, invalid documents) are answers, not incidents: not logged here.

    Unexpected ones are logged by the HubRequest extension with the request id.
    """

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return HubRunner(execution_context, extensions)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Runs on every list of errors, before the extension's exit (which does not run when
        an exception ends the operation). Documents refused before execution (syntax, token
        limit) get their code here, in place; an unexpected exception from any phase (parse,
        validation, limits, execution) becomes ``Internal error.`` with the request id, and is
        logged with it (graphql_engine/extensions.py ``mask_unexpected``)."""
        context = execution_context.context if execution_context is not None else None
        for error in errors:
            if error.original_error is None and not (error.extensions or {}).get("code"):
                code = (
                    "GRAPHQL_PARSE_FAILED"
                    if error.message.startswith("Syntax Error")
                    else "GRAPHQL_VALIDATION_FAILED"
                )
                error.extensions = {**(error.extensions or {}), "code": code}
                error.message = scrubbed(error.message, error.extensions)
            else:
                mask_unexpected(error, getattr(context, "request_id", "-"))


def build_schema(settings: Settings) -> strawberry.Schema:
    # One extension made per request (graphql_engine/extensions.py). The parser and validation
    # caches are module-level, shared by every request (validation keyed by the parsed
    # document's identity, graphql_engine/document_cache.py). The limit rules are made once:
    # the validation cache is keyed by the rule classes, and a limiter built per request makes
    # new ones every time. Depth, aliases and fragment expansion in one linear pass before
    # validation (graphql_engine/document_limits.py): strawberry's own limiters walk a fragment
    # again at every spread, exponential in nested spreads.
    limits = DocumentLimits(settings.max_query_depth, settings.max_aliases, settings.max_selections)
    rules = [NoSchemaIntrospectionCustomRule] if settings.production else []
    config = RequestConfig(
        settings.max_tokens,
        settings.max_query_cost,
        limits,
        tuple(rules),
        public_tokens=min(settings.max_public_tokens, settings.max_tokens),
    )
    extensions = [lambda: HubRequest(config)]
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True, name_converter=CachedNames()),
        execution_context_class=FlatListExecutionContext,
    )


# The schema as exported to schema/schema.graphql (extensions do not change the SDL).
SDL_SCHEMA = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)
