"""The per-request context every resolver receives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hub.auth import Actor
from hub.ratelimit import RateLimiter
from hub.rules.workdays import Calendar
from hub.settings import Settings
from hub.store import Store
from hub.store.listing_reads import ListingRow
from hub.store.subjects import ActionRow
from resolvers.loaders import Loaders


@dataclass
class HubContext:
    store: Store
    settings: Settings
    actor: Actor
    request_id: str
    loaders: Loaders
    request: Any = None
    response: Any = None
    # Personal-data reads to audit at the end of the request: (what, key).
    audited: list[tuple[str, str]] = field(default_factory=list)
    # Who the rate limits count against (API key id, or "ip:<address>" for PUBLIC).
    caller: str = "-"
    # PUBLIC lookups by full ID number (graphql_engine/extensions.py); None: not counted
    # (in-process).
    id_lookups: RateLimiter | None = None
    # Anonymous credit report requests (CREDITHUB_PUBLIC_REPORTS_PER_MINUTE); None: not counted.
    reports: RateLimiter | None = None
    # A WebSocket's connection_init payload (strawberry sets it; hub/app.py reads the key in it).
    connection_params: Any = None
    # First pages of actions read ahead with their subject (resolvers/subjects.py enterprise),
    # by (label, key, rows asked, public-on day); taken by the field that shows them.
    first_actions: dict[tuple[str, str, int, Any], list[ActionRow]] = field(default_factory=dict)
    # Own listings with their objections (what their states need) of the subjects a search
    # found, read with the hits (resolvers/subjects.py search), by (label, key): the badges.
    listing_states: dict[tuple[str, str], list[ListingRow]] = field(default_factory=dict)
    _today: dt.date | None = field(default=None, repr=False)

    def today(self) -> dt.date:
        """The configured time zone's date, read once per request: one answer sees one day
        (a search page asked it once per hit's badges)."""
        if self._today is None:
            self._today = self.settings.today()
        return self._today

    @property
    def calendar(self) -> Calendar:
        return Calendar.of(self.settings.extra_holidays, self.settings.extra_workdays)


def make_context(
    store: Store,
    settings: Settings,
    actor: Actor,
    request_id: str,
    request: Any = None,
    response: Any = None,
    caller: str = "-",
    id_lookups: RateLimiter | None = None,
    reports: RateLimiter | None = None,
) -> HubContext:
    return HubContext(
        store=store,
        settings=settings,
        actor=actor,
        request_id=request_id,
        loaders=Loaders(store),
        request=request,
        response=response,
        caller=caller,
        id_lookups=id_lookups,
        reports=reports,
    )
