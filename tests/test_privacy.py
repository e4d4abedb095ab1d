"""Findings of the personal-data review, each shown through the public API on real Neo4j:
the budget on lookups by full ID number, what PUBLIC sees of ended listings, the audit of every
investigator read of a person, "today" of the ID number rules, labels that fail closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from hub.app import create_app
from hub.auth import PUBLIC, Actor, Role
from hub.identifiers import make_id_number, mask_id_number
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_api import bearer, token
from tests.test_investigation_access import audit_entries
from tests.test_security import story

INVESTIGATOR = Actor(Role.INVESTIGATOR, key_id="key-investigator", department="DISCIPLINE")
COURT = Actor(Role.DEPARTMENT, key_id="key-court", department="COURT")


# --- 6. "today" of the ID number rules is the configured time zone's -------------------------


@pytest.mark.neo4j
async def test_future_birth_dates_are_judged_in_the_configured_zone(
    graph: Store, settings: Settings
) -> None:
    """Pick a zone whose date differs from the host's right now: one a day ahead (a birth
    on its today is real there) or one a day behind (the host's today is still its future)."""
    host = dt.date.today()
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        zone_today = dt.datetime.now(ZoneInfo(zone)).date()
        if zone_today != host:
            break
    assert zone_today != host
    gql = GQL(graph, settings.model_copy(update={"timezone": zone}))
    query = "query($i: String!) { person(idNumber: $i) { name } }"
    born_today = make_id_number("451031", zone_today, 7)
    assert (await gql.ok(query, {"i": born_today}, actor=PUBLIC))["person"] is None
    tomorrow = make_id_number("451031", zone_today + dt.timedelta(days=1), 7)
    refused = await gql(query, {"i": tomorrow}, actor=PUBLIC)
    assert refused.errors and refused.errors[0].extensions["code"] == "INVALID_ID_NUMBER"
    assert "is in the future" in refused.errors[0].message


def test_default_today_of_the_id_rules_is_asia_shanghai() -> None:
    from hub.identifiers import InvalidIdentifier, parse_id_number

    shanghai = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    parse_id_number(make_id_number("451031", shanghai, 3))
    with pytest.raises(InvalidIdentifier, match="in the future"):
        parse_id_number(make_id_number("451031", shanghai + dt.timedelta(days=1), 3))
