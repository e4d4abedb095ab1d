"""Root resolvers: enterprise, person, search."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from hub.errors import InvalidIdNumber, InvalidInput, InvalidUscc
from hub.identifiers import InvalidIdentifier, parse_id_number, parse_uscc
from hub.policy import sees_unpublished
from hub.rules.listings import is_published
from hub.store import subjects as q
from hub.store.listing_reads import state_row
from hub.store.subjects import ActionRow, RelationRow
from resolvers.context import HubContext
from resolvers.paging import MAX_PAGE_SIZE, decode_cursor, encode_cursor, page_size

MAX_SHARE_LEVELS = q.MAX_SHARE_LEVELS
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')
_CJK = re.compile(r"[\u3400-\u9fff]")
_PINYIN = re.compile(r"[a-z]{2,40}")
PHRASE_BOOST = 4
PINYIN_PREFIX_BOOST = 3
# Initials read in order with gaps only for short input (a longer regex costs more to match).
MAX_INITIALS = 8
# No pinyin syllable begins with i, u or ü (written yi, wu, yu; ü is "v" in hub/pinyin.py), so
# letters holding one are not initials: they are read as full pinyin only, and the costly
# initials-with-gaps regex (every term of the pinyin field that starts with the first letter
# is tried: `longlin` tried every 隆林 name) is not asked.
_NOT_INITIALS = re.compile(r"[iuv]")
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


def valid_id_number(value: str, field: str = "idNumber", today: dt.date | None = None) -> str:
    """``today``: the configured time zone's (``HubContext.today``); default Asia/Shanghai."""
    try:
        return parse_id_number(value, field, today).id_number
    except InvalidIdentifier as error:
        raise InvalidIdNumber(f"{field}: invalid ID number: {error.reason}", field=field) from None


def subject_key(
    uscc: str | None,
    id_number: str | None,
    field: str = "subject",
    today: dt.date | None = None,
) -> tuple[str, str]:
    """A SubjectRef as (label, key); exactly one identifier, and it must be valid."""
    if (uscc is None) == (id_number is None):
        raise InvalidInput(f"{field}: give exactly one of uscc or idNumber", field=field)
    if uscc is not None:
        return "Enterprise", valid_uscc(uscc, f"{field}.uscc")
    return "Person", valid_id_number(str(id_number), f"{field}.idNumber", today)


@dataclass(frozen=True)
class PageAsks:
    """What an enterprise query selects besides the enterprise itself (the GraphQL type reads
    it off the selection): its roles, its shareholders, the first page of its actions (0: not
    selected, or selected with a cursor)."""

    roles: bool = False
    share_levels: int = 0
    first_actions: int = 0


async def enterprise(
    ctx: HubContext, uscc: str, asks: PageAsks | None = None
) -> q.EnterpriseRow | None:
    """An enterprise by USCC. With ``asks``, what the page selects is read in the same
    statement and handed to the field resolvers through their loaders: one round trip where
    there were up to four."""
    key = valid_uscc(uscc)
    size = page_size(asks.first_actions) if asks and asks.first_actions > 0 else 0
    parts = q.ProfileParts(
        roles=bool(asks and asks.roles),
        share_levels=asks.share_levels if asks else 0,
        actions=size + 1 if size else 0,
        public_on=_public_on(ctx),
    )
    if not parts:
        return await ctx.loaders.enterprise.load(key)
    profile = await ctx.store.read_statements(q.enterprise_profile, key, parts)
    if profile is None:
        ctx.loaders.enterprise.prime(key, None)
        return None
    ctx.loaders.enterprise.prime(key, profile.enterprise)
    if parts.roles:
        ctx.loaders.relations["rolesAt"].prime(key, profile.roles)
    if parts.share_levels:
        held: dict[str, list[RelationRow]] = {k: [] for k in profile.share_keys}
        for row in profile.shareholders:
            held[row.key].append(row)
        ctx.loaders.relations["shareholdersOf"].prime_many(held)
    if parts.actions:
        ctx.first_actions[("Enterprise", key, parts.actions, parts.public_on)] = profile.actions
    return profile.enterprise


def _public_on(ctx: HubContext) -> dt.date | None:
    """The day a reader's actions must be public on; None: the reader sees unpublished ones."""
    return None if sees_unpublished(ctx.actor) else ctx.today()


async def person(ctx: HubContext, id_number: str) -> q.PersonRow | None:
    number = valid_id_number(id_number, today=ctx.today())
    return await ctx.loaders.person.load(number)


def lucene_query(text: str) -> str:
    """The user's words as a Lucene query: special characters escaped, words ANDed loosely.

    Chinese text also as one phrase, boosted: a name holding the words as typed ranks above
    names sharing fragments of them. Text of Latin letters only is also read as pinyin
    (hub/pinyin.py): a prefix of a name's full pinyin or initials, boosted, then — when they
    can be initials (up to 8, no i, u or v) — its letters as initials in order with others
    between (``lljt`` finds 隆林…集团).
    """
    escaped = _LUCENE_SPECIAL.sub(r"\\\1", text)
    words = [w for w in escaped.split() if w and w.upper() not in {"AND", "OR", "NOT"}]
    if not words:
        return ""
    clauses = [" ".join(words)]
    if _CJK.search(text) and len(text) > 2:
        clauses.insert(0, '"' + " ".join(words) + f'"^{PHRASE_BOOST}')
    letters = "".join(text.split()).lower()
    if _PINYIN.fullmatch(letters):
        clauses.append(f"pinyin:{letters}*^{PINYIN_PREFIX_BOOST}")
        if len(letters) <= MAX_INITIALS and not _NOT_INITIALS.search(letters):
            clauses.append("pinyin:/" + ".*".join(letters) + ".*/")
    return " OR ".join(f"({c})" if " " in c else c for c in clauses)


# (label, the subject as the store read it, score, matchedBy).
Hit = tuple[str, q.EnterpriseRow | q.PersonRow, float, str]


async def search(
    ctx: HubContext,
    text: str,
    offset: int,
    limit: int,
    only: q.SearchFilter | None = None,
    badges: bool = False,
) -> list[Hit]:
    """(label, properties, score, matchedBy) at ``offset`` of the ranking: the subject whose
    identifier the text is, first, then the names of the full-text index without it; both
    kept only when they pass the filter ``only``. ``badges``: the hits' own listings as their
    badges read them (``own_listing_states``) come with the names, in the same statement."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_SEARCH_TEXT:
        raise InvalidInput(f"text must be 1 to {MAX_SEARCH_TEXT} characters", field="text")
    if offset > MAX_SEARCH_OFFSET:
        raise InvalidInput(f"search pages stop at {MAX_SEARCH_OFFSET} results", field="after")
    exact = await _exact(ctx, cleaned) if len(cleaned) == 18 else None
    if exact is not None and only is not None and not await _passes(ctx, exact, only):
        exact = None
    if exact is None:
        skip, fetch, first, count = offset, limit, 0, limit
    else:
        # The exact match is position 0 and the names after it leave it out, wherever the
        # index ranks it: a page's names are counted from the top of the names' ranking.
        first, count = (0, limit - 1) if offset == 0 else (offset - 1, limit)
        skip, fetch = 0, first + count + 1
    query = lucene_query(cleaned)
    rows = (
        await ctx.store.read_statements(
            q.search_names, query, skip, fetch, SEARCH_POOL, only, badges
        )
        if query
        else []
    )
    if badges:
        for row in rows:
            ctx.listing_states[(row["label"], _key(row["node"]))] = [
                state_row(values) for values in row["states"] or ()
            ]
    names = [_name(row) for row in rows if exact is None or _key(row["node"]) != _key(exact[1])]
    return ([exact] if exact is not None and offset == 0 else []) + names[first : first + count]


async def _exact(ctx: HubContext, text: str) -> Hit | None:
    """The enterprise or person whose identifier ``text`` is, if it exists."""
    try:
        found = await ctx.loaders.enterprise.load(parse_uscc(text).uscc)
        return ("Enterprise", found, 1000.0, "IDENTIFIER") if found else None
    except InvalidIdentifier:
        pass
    try:
        person = await ctx.loaders.person.load(parse_id_number(text, today=ctx.today()).id_number)
        return ("Person", person, 1000.0, "IDENTIFIER") if person else None
    except InvalidIdentifier:
        return None


def _key(node: q.EnterpriseRow | q.PersonRow) -> str:
    return node.id_number if isinstance(node, q.PersonRow) else node.uscc


def _name(row: dict[str, Any]) -> Hit:
    return (row["label"], row["node"], float(row["score"]), "NAME")


async def action_rows(
    ctx: HubContext, label: str, key: str, first: int, after: str | None
) -> tuple[list[ActionRow], bool, str | None]:
    """A page of a subject's administrative actions, newest first (PUBLIC: the published ones
    only): the rows, whether more follow, and the cursor of the last."""
    size = page_size(first)
    cursor = decode_cursor(after)
    position = None
    if cursor is not None:
        try:
            position = (dt.date.fromisoformat(cursor[0]), str(cursor[1]))
        except (TypeError, ValueError, IndexError, KeyError):
            raise InvalidInput("after: not a cursor this API returned", field="after") from None
    public_on = _public_on(ctx)
    read = ctx.first_actions.pop((label, key, size + 1, public_on), None)
    rows = (
        read
        if read is not None and position is None
        else await ctx.store.read_statements(
            q.actions_page, label, key, size + 1, position, public_on
        )
    )
    more = len(rows) > size
    rows = rows[:size]
    end = encode_cursor([rows[-1].decision_date.isoformat(), rows[-1].id]) if rows else None
    return rows, more, end


async def _passes(ctx: HubContext, hit: Hit, only: q.SearchFilter) -> bool:
    """The search filter applied to the exact match (the names are filtered in the store)."""
    label, row = hit[0], hit[1]
    if isinstance(row, q.PersonRow):
        kind, uscc, key = "PERSON", "", row.id_number
    else:
        kind, uscc, key = row.kind or "PERSON", row.uscc, row.uscc
    if only.kind is not None and kind != only.kind:
        return False
    if only.division is not None and uscc[2:8] != only.division:
        return False
    if only.listed is None:
        return True
    listings = await ctx.loaders.own_listings[label].load(key)
    return any(r.list_kind == only.listed and is_published(r, only.today) for r in listings)
