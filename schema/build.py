"""Builds the strawberry schema with its limits and extensions."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from hub.settings import Settings
from schema.audit import AuditQueries
from schema.catalogue import ListingQueries
from schema.checks import CheckMutations, CheckQueries
from schema.document_cache import ValidationByDocument
from schema.execution import FlatListExecutionContext
from schema.extensions import AuditTrail, ErrorCodes, RoleMatrix
from schema.investigate import InvestigationQueries
from schema.limits import CostLimit
from schema.mutations import ListingMutations
from schema.query import SubjectQueries


@strawberry.type
class Query(SubjectQueries, ListingQueries, CheckQueries, InvestigationQueries, AuditQueries):
    """Root of all reads."""


@strawberry.type
class Mutation(ListingMutations, CheckMutations):
    """Root of all writes (uploads go through POST /api/import)."""


class HubSchema(strawberry.Schema):
    """Expected errors (HubError, invalid documents) are answers, not incidents: not logged here.

    Unexpected ones are logged by the ErrorCodes extension with the request id.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Documents refused before execution (syntax, token limit) never reach the ErrorCodes
        # extension's exit: give them their code here, in place.
        for error in errors:
            if error.original_error is None and not (error.extensions or {}).get("code"):
                code = (
                    "GRAPHQL_PARSE_FAILED"
                    if error.message.startswith("Syntax Error")
                    else "GRAPHQL_VALIDATION_FAILED"
                )
                error.extensions = {**(error.extensions or {}), "code": code}


def build_schema(settings: Settings) -> strawberry.Schema:
    # Factories: a fresh extension per request; the parser and validation caches are module-level
    # LRU caches shared by every request (validation keyed by the parsed document's identity,
    # schema/document_cache.py). The limit rules are made once: the validation cache is keyed
    # by the rule classes, and a limiter built per request makes new ones every time.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[object] = [
        lambda: ParserCache(maxsize=1024),
        ValidationByDocument,
        lambda: AddValidationRules(limits),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: CostLimit(settings.max_query_cost),
        RoleMatrix,
        AuditTrail,
        ErrorCodes,
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    return HubSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,  # type: ignore[arg-type]
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=FlatListExecutionContext,
    )


# The schema as exported to schema/schema.graphql (extensions do not change the SDL).
SDL_SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)
