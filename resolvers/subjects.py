"""Root resolvers: enterprise, person, search."""

from __future__ import annotations

import re
from typing import Any

from hub.errors import InvalidIdNumber, InvalidInput, InvalidUscc
from hub.identifiers import InvalidIdentifier, parse_id_number, parse_uscc
from hub.store import subjects as q
from resolvers.context import HubContext
from schema.common import MAX_PAGE_SIZE

_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')
MAX_SEARCH_TEXT = 100
MAX_SEARCH_OFFSET = 1000
# The hits ranked for every page of a search (hub/store/subjects.py): the deepest page (offset
# 1,000, 100 results and the one that says whether there is more) ends inside it.
SEARCH_POOL = MAX_SEARCH_OFFSET + MAX_PAGE_SIZE + 1


def valid_uscc(value: str, field: str = "uscc") -> str:
    try:
        return parse_uscc(value, field).uscc
    except InvalidIdentifier as error:
        raise InvalidUscc(f"{field}: invalid USCC: {error.reason}", field=field) from None


def valid_id_number(value: str, field: str = "idNumber") -> str:
    try:
        return parse_id_number(value, field).id_number
    except InvalidIdentifier as error:
        raise InvalidIdNumber(f"{field}: invalid ID number: {error.reason}", field=field) from None


def subject_key(uscc: str | None, id_number: str | None, field: str = "subject") -> tuple[str, str]:
    """A SubjectRef as (label, key); exactly one identifier, and it must be valid."""
    if (uscc is None) == (id_number is None):
        raise InvalidInput(f"{field}: give exactly one of uscc or idNumber", field=field)
    if uscc is not None:
        return "Enterprise", valid_uscc(uscc, f"{field}.uscc")
    return "Person", valid_id_number(str(id_number), f"{field}.idNumber")


async def enterprise(ctx: HubContext, uscc: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await ctx.loaders.enterprise.load(valid_uscc(uscc))
    return found


async def person(ctx: HubContext, id_number: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await ctx.loaders.person.load(valid_id_number(id_number))
    return found


def lucene_query(text: str) -> str:
    """The user's words as a Lucene query: special characters escaped, words ANDed loosely."""
    escaped = _LUCENE_SPECIAL.sub(r"\\\1", text)
    words = [w for w in escaped.split() if w and w.upper() not in {"AND", "OR", "NOT"}]
    return " ".join(words)


async def search(
    ctx: HubContext, text: str, offset: int, limit: int
) -> list[tuple[str, dict[str, Any], float, str]]:
    """(label, properties, score, matchedBy): exact identifier match first, then names."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_SEARCH_TEXT:
        raise InvalidInput(f"text must be 1 to {MAX_SEARCH_TEXT} characters", field="text")
    if offset > MAX_SEARCH_OFFSET:
        raise InvalidInput(f"search pages stop at {MAX_SEARCH_OFFSET} results", field="after")
    hits: list[tuple[str, dict[str, Any], float, str]] = []
    exact_key: str | None = None
    if offset == 0 and len(cleaned) == 18:
        try:
            exact_key = parse_uscc(cleaned).uscc
            found = await ctx.loaders.enterprise.load(exact_key)
            if found:
                hits.append(("Enterprise", found, 1000.0, "IDENTIFIER"))
        except InvalidIdentifier:
            try:
                exact_key = parse_id_number(cleaned).id_number
                found = await ctx.loaders.person.load(exact_key)
                if found:
                    hits.append(("Person", found, 1000.0, "IDENTIFIER"))
            except InvalidIdentifier:
                exact_key = None
    query = lucene_query(cleaned)
    if not query:
        return hits
    rows = await ctx.store.read(q.search_names, query, offset, limit, SEARCH_POOL)
    for row in rows:
        node = row["node"]
        key = node.get("uscc") or node.get("idNumber")
        if key == exact_key:
            continue
        hits.append((row["label"], node, float(row["score"]), "NAME"))
    return hits
