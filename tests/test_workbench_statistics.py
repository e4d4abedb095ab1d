"""The workbench's statistics page over HTTP (no JavaScript): the tables hold the API's
punishmentStatistics counts — a DEPARTMENT key its own department's, ADMIN the county's or one
department's —, the charts' script and Chart.js served by the hub, other roles refused."""

from __future__ import annotations

import re

import httpx
import pytest

from hub.auth import Role
from hub.keys import create_key
from hub.settings import Settings
from hub.store import Store
from tests.statistics_story import county
from tests.workbench_support import sign_in
from web.assets import PINNED

pytestmark = pytest.mark.neo4j


def table(page: str, name: str) -> dict[str, dict[str, int]]:
    """Row key -> column -> count of one of the page's tables."""
    found = re.search(rf'<table class="stats-table" id="table-{name}">(.*?)</table>', page, re.S)
    assert found is not None, name
    rows: dict[str, dict[str, int]] = {}
    for key, cells in re.findall(r'<tr data-key="([^"]*)">(.*?)</tr>', found.group(1), re.S):
        rows[key] = {c: int(n) for c, n in re.findall(r'data-column="(\w+)">(\d+)<', cells)}
    return rows


async def signed_in(
    client: httpx.AsyncClient, graph: Store, role: Role, department: str | None = None
) -> None:
    _, token = await create_key(graph, role, department, "统计员")
    assert (await sign_in(client, token)).status_code == 303


async def test_a_department_sees_its_own_figures_as_tables_and_charts(
    client: httpx.AsyncClient, graph: Store, settings: Settings
) -> None:
    period = await county(graph, settings)
    await signed_in(client, graph, Role.DEPARTMENT, "ECOENV")
    page = await client.get(f"/workbench/statistics?{period.query()}")
    assert page.status_code == 200 and page.headers["cache-control"] == "private, no-store"
    assert 'data-menu="statistics"' in page.text
    by_department = table(page.text, "department")
    assert by_department == {
        "ECOENV": {
            "LISTING": 2,
            "DERIVED_ENTRY": 2,
            "CHECK": 1,
            "RESTRICTED": 1,
            "CAUTION": 0,
            "CLEAR": 0,
            "EXECUTION": 1,
        }
    }
    months = table(page.text, "month")
    assert sum(r["LISTING"] for r in months.values()) == 2
    assert sum(r["EXECUTION"] for r in months.values()) == 1
    assert sum(r["CHECK"] for r in months.values()) == 1
    domains = table(page.text, "domain")
    assert domains["ENVIRONMENT"]["LISTING"] == 2 and "TAX" not in domains
    assert domains[""]["CHECK"] == 1  # a check has no domain: its own row
    # The charts: hidden until the script draws them; Chart.js from the hub, pinned.
    version = PINNED["chart.js"]
    assert f'src="/assets/chart.js@{version}/chart.umd.min.js"' in page.text
    assert '<figure class="chart" id="figure-month" hidden>' in page.text
    assert 'id="statistics-data"' in page.text
    asset = await client.get(f"/assets/chart.js@{version}/chart.umd.min.js")
    assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
    assert "immutable" in asset.headers["cache-control"]


async def test_admin_sees_every_department_or_one(
    client: httpx.AsyncClient, graph: Store, settings: Settings
) -> None:
    period = await county(graph, settings)
    await signed_in(client, graph, Role.ADMIN)
    page = await client.get(f"/workbench/statistics?{period.query()}")
    assert page.status_code == 200
    by_department = table(page.text, "department")
    assert {k: (r["LISTING"], r["DERIVED_ENTRY"]) for k, r in by_department.items()} == {
        "ECOENV": (2, 2),
        "TAX": (1, 1),
    }
    assert '<select id="department" name="department">' in page.text
    one = await client.get(f"/workbench/statistics?{period.query()}&department=TAX")
    assert set(table(one.text, "department")) == {"TAX"}
    assert table(one.text, "domain") == {
        "TAX": {
            "LISTING": 1,
            "DERIVED_ENTRY": 1,
            "CHECK": 0,
            "RESTRICTED": 0,
            "CAUTION": 0,
            "CLEAR": 0,
            "EXECUTION": 0,
        }
    }
    bad = await client.get("/workbench/statistics?from=2026-05-01&to=2026-01-01")
    assert bad.status_code == 400 and 'id="stats-error"' in bad.text
    assert "<table" not in bad.text


@pytest.mark.parametrize("role", [Role.APPROVAL, Role.INVESTIGATOR])
async def test_other_roles_are_refused(client: httpx.AsyncClient, graph: Store, role: Role) -> None:
    await signed_in(client, graph, role, "AMR" if role == Role.APPROVAL else None)
    page = await client.get("/workbench/statistics")
    assert page.status_code == 403
    assert 'data-menu="statistics"' not in (await client.get("/workbench/")).text


async def test_without_a_session_the_page_sends_to_the_login(client: httpx.AsyncClient) -> None:
    page = await client.get("/workbench/statistics")
    assert page.status_code == 303 and page.headers["location"].startswith("/workbench/login")
