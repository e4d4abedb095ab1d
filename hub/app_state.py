"""The application's state, owned by its lifespan (hub/app.py) and read by the middleware and
the routes."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from hub.keys import KeyCache
from hub.ratelimit import RateLimiter
from hub.settings import Settings
from hub.store import Store


@dataclass
class HubState:
    settings: Settings
    store: Store
    keys: KeyCache
    limiter: RateLimiter
    # PUBLIC lookups by full ID number, per client address (CREDITHUB_PUBLIC_ID_LOOKUPS_PER_MINUTE)
    id_lookups: RateLimiter
    warming: bool = False


def hub_of(scope: Scope) -> HubState:
    state: HubState = scope["app"].state.hub
    return state
