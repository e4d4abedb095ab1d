"""Helpers of the security tests: example calls of every operation, maximal selection sets."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)

from graphql_engine.export import current_sdl

# Argument values of every root operation, by operation name; "$PERSON", "$FIRM", "$OTHER"
# are replaced by the story graph's identifiers. Every query and mutation of the schema must
# appear here (tests/test_security.py fails otherwise).
EXAMPLES: dict[str, str] = {
    "enterprise": 'uscc: "$FIRM"',
    "person": 'idNumber: "$PERSON"',
    "search": 'text: "$NAME", first: 5',
    "measures": "scenario: HONORS",
    "listing": 'id: "AMR-SEC-L0"',
    "listSubject": 'input: {id: "AMR-SEC-L1", subject: {idNumber: "$PERSON"}, list: BLACK, '
    'domain: "FOOD_DRUG", basis: "测试", effectiveFrom: "2026-01-01", department: "AMR"}',
    "endListing": 'id: "AMR-SEC-L0", reason: "测试", kind: ENDED',
    "fileObjection": 'listingId: "AMR-SEC-L0", reason: "测试"',
    "resolveObjection": 'id: "no-such-objection", upheld: false, reason: "测试"',
    "checkBeforeApproval": 'subject: {idNumber: "$PERSON"}, scenario: HIGH_CONSUMPTION',
    "checkBatch": 'requests: [{subject: {idNumber: "$PERSON"}, scenario: MARKET_ENTRY}, '
    '{subject: {uscc: "$FIRM"}, scenario: HONORS}, {subject: {idNumber: "$OTHER"}, '
    "scenario: HONORS}]",
    "receipt": 'id: "rcpt-none"',
    "recordApprovalOutcome": 'receiptId: "rcpt-none", outcome: APPROVED',
    "beneficialOwners": 'uscc: "$FIRM"',
    "ownershipTree": 'uscc: "$HOLDING", direction: DOWN',
    "findPaths": 'from: {uscc: "$FIRM"}, to: {idNumber: "$OTHER"}',
    "neighbourhood": 'subject: {idNumber: "$PERSON"}, hops: 2',
    "relatedParties": 'uscc: "$FIRM"',
    "auditLog": "first: 5",
    "publishedListings": "list: BLACK, first: 5",
    "recentActions": "first: 5",
    "listingDomains": "",
    "departments": "",
    "creditReport": 'number: "20260101000000AAAAAAAA"',
    "verifyReport": 'number: "20260101000000AAAAAAAA", code: "ABCDEFGH"',
    "verifyReportDocument": 'sha256: "' + "0" * 64 + '", number: "20260101000000AAAAAAAA"',
    "issueCreditReport": 'subject: {uscc: "$FIRM"}, purpose: SELF_CHECK',
    # lifecycle (docs/lifecycle.md)
    "startVerification": 'id: "no-such-objection", reason: "测试"',
    "applyForRepair": 'input: {listingId: "AMR-SEC-L0", conductCorrected: true, reason: "测试"}',
    "decideRepair": 'id: "no-such-repair", approved: false, reason: "测试"',
    "overdueObjections": 'department: "AMR"',
    "repairApplication": 'id: "no-such-repair"',
    "pendingRepairs": 'department: "AMR"',
    "orderRectification": 'input: {subject: {idNumber: "$PERSON"}, content: "测试", '
    'deadline: "2099-01-01", reason: "测试", department: "AMR"}',
    "recordRectified": 'id: "no-such-order", reason: "测试"',
    "recordInterview": 'id: "no-such-order", reason: "测试"',
    "overdueRectifications": 'department: "AMR"',
    "rectifications": 'subject: {idNumber: "$PERSON"}',
    "history": 'subject: {idNumber: "$PERSON"}, first: 5',
    "apiKeys": "",
    "departmentListings": 'department: "AMR", first: 5',
    "openObjections": 'department: "AMR"',
    "createApiKey": 'role: APPROVAL, name: "测试"',
    "revokeApiKey": 'id: "key_none"',
    # The event log and supervision (docs/feeds.md).
    "events": "first: 5",
    "watchlist": "",
    "watch": 'subjects: [{idNumber: "$PERSON"}], domains: ["TAX"]',
    "unwatch": 'domains: ["TAX"]',
    "publicationCompliance": 'department: "AMR", from: "2026-01-01", to: "2026-06-30"',
    "punishmentStatistics": 'from: "2026-01-01", to: "2026-12-31", '
    "groupBy: [DEPARTMENT, MEASURE, DOMAIN, MONTH]",
    "recordExecution": 'input: {measure: "ADM-PROJECT-APPROVAL", subject: {idNumber: "$PERSON"}, '
    'reference: "案-1", executedOn: "2026-05-02", result: "不予核准", department: "AMR"}',
    "earlyWarnings": 'department: "AMR", first: 5',
    "gradeAList": "first: 5",
    "focusSupervision": 'department: "AMR", first: 5',
    "samplingPlan": 'id: "no-such-plan"',
    "createSamplingPlan": 'input: {seed: 1, inspectors: ["$OTHER"], department: "AMR"}',
    "recordInspectionResult": 'planId: "no-such-plan", uscc: "$FIRM", result: "无", '
    'inspectedOn: "2026-05-01"',
    "commitment": 'code: "45103120260101000001"',
    "recordCommitment": 'input: {subject: {idNumber: "$PERSON"}, type: VOLUNTARY, content: "测试", '
    'liability: "测试", madeOn: "2026-01-01", department: "AMR"}',
    "recordFulfilment": 'code: "45103120260101000099", input: {status: FULFILLED, '
    'confirmedOn: "2026-01-02", confirmedBy: "测试"}',
    "registerVoluntaryInformation": 'input: {subject: {uscc: "$FIRM"}, category: OTHER, '
    'content: "测试", truthfulnessCommitment: "测试", department: "AMR"}',
    "verifyVoluntaryInformation": 'id: "no-such-information", accepted: true, reason: "测试"',
}


def schema() -> GraphQLSchema:
    return build_schema(current_sdl())


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def selection(type_: Any, depth: int, seen: tuple[str, ...] = ()) -> str:
    """Every field of a type down to ``depth`` object levels; unions through fragments.

    Fields with required arguments are skipped (they have their own examples); an object type
    already on the current path is not re-entered, so recursion through enterprises and
    persons is bounded.
    """
    named = _unwrap(type_)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return ""
    if isinstance(named, GraphQLUnionType):
        parts = [
            f"... on {member.name} {{ __typename {selection(member, depth, seen)} }}"
            for member in named.types
        ]
        return " ".join(parts)
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return ""
    fields = []
    for name, field in named.fields.items():
        if any(
            isinstance(arg.type, GraphQLNonNull) and arg.default_value is None
            for arg in field.args.values()
        ):
            continue
        inner = _unwrap(field.type)
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            fields.append(name)
        elif depth > 0 and inner.name not in seen:
            sub = selection(inner, depth - 1, (*seen, inner.name))
            if sub:
                fields.append(f"{name} {{ {sub} }}")
    return " ".join(fields)


def operation(name: str, values: dict[str, str], depth: int = 3) -> str:
    sdl = schema()
    kind = "query"
    root = sdl.query_type
    assert root is not None
    field = root.fields.get(name)
    if field is None and sdl.mutation_type is not None:
        field = sdl.mutation_type.fields.get(name)
        kind = "mutation"
    assert field is not None, name
    arguments = EXAMPLES[name]
    for placeholder, value in values.items():
        arguments = arguments.replace(placeholder, value)
    sub = selection(field.type, depth)
    body = f"{name}({arguments})" if arguments else name
    return f"{kind} {{ {body} {{ {sub} }} }}" if sub else f"{kind} {{ {body} }}"


def root_operations() -> dict[str, str]:
    """operation name -> 'query' or 'mutation'."""
    sdl = schema()
    out = {}
    if sdl.query_type is not None:
        out.update(dict.fromkeys(sdl.query_type.fields, "query"))
    if sdl.mutation_type is not None:
        out.update(dict.fromkeys(sdl.mutation_type.fields, "mutation"))
    return out
