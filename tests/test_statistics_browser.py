"""The statistics charts in a real browser (tests/browser.py): Chart.js, served by the hub, draws
the three charts with the counts the API gives (punishmentStatistics, summed per series as the
page draws them); the same page without JavaScript is its tables; no request leaves for another
host. Screenshots in test-artifacts/workbench/statistics-*.png."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from playwright.async_api import Browser

from hub.auth import Role
from hub.keys import create_key
from hub.settings import Settings
from hub.store import Store
from tests.browser import ARTIFACTS, Visit, visit
from tests.conftest import GQL
from tests.statistics_story import BY, Period, county

pytestmark = pytest.mark.neo4j

SHOTS = ARTIFACTS.parent / "workbench"
CHARTS = {"month": "MONTH", "department": "DEPARTMENT", "domain": "DOMAIN"}
SERIES = ("LISTING", "DERIVED_ENTRY", "CHECK", "EXECUTION")


async def signed_in(
    browser: Browser,
    base: str,
    store: Store,
    role: Role,
    department: str | None,
    js: bool = True,
    width: int = 1280,
) -> Visit:
    _, token = await create_key(store, role, department, "统计员")
    v = await visit(browser, base, artifacts=SHOTS, js=js, width=width)
    await v.page.goto(base + "/workbench/login")
    await v.page.fill("#token", token)
    await v.page.press("#token", "Enter")
    await v.page.wait_for_url(base + "/workbench/")
    return v


async def api_series(
    gql: GQL, period: Period, dimension: str, department: str | None
) -> dict[str, dict[str | None, int]]:
    """Per series, per value of the dimension: the API's counts, checks of every decision summed."""
    variables = {"from": period.start, "to": period.end, "by": [dimension]}
    rows = (await gql.ok(BY, variables | {"department": department}))["punishmentStatistics"]
    out: dict[str, Counter[str | None]] = {s: Counter() for s in SERIES}
    for row in rows:
        out[row["kind"]][row[dimension.lower()]] += row["count"]
    return {s: dict(c) for s, c in out.items()}


async def drawn(v: Visit) -> dict[str, Any]:
    """Each chart as drawn: its row keys and, per series, the values and the bars' count."""
    found: dict[str, Any] = await v.page.evaluate(
        """() => {
          const data = JSON.parse(document.getElementById('statistics-data').textContent);
          const out = {};
          for (const table of data.tables) {
            const chart = window.statistics.charts[table.name];
            if (!chart) continue;
            out[table.name] = {
              keys: table.rows.map(r => r.key),
              visible: !document.getElementById('figure-' + table.name).hidden,
              width: chart.width, height: chart.height,
              series: Object.fromEntries(chart.data.datasets.map((d, i) => [d.key,
                {values: d.data, bars: chart.getDatasetMeta(i).data.length}])),
            };
          }
          return out;
        }"""
    )
    return found


async def charts_equal_the_api(v: Visit, gql: GQL, period: Period, department: str | None) -> None:
    charts = await drawn(v)
    assert set(charts) == set(CHARTS)
    for name, dimension in CHARTS.items():
        chart = charts[name]
        assert chart["visible"] and chart["width"] > 200 and chart["height"] > 100
        expected = await api_series(gql, period, dimension, department)
        for series in SERIES:
            shown = dict(zip(chart["keys"], chart["series"][series]["values"], strict=True))
            assert {k: n for k, n in shown.items() if n} == expected[series], (name, series)
            assert chart["series"][series]["bars"] == len(chart["keys"])


async def test_the_charts_draw_the_apis_counts(
    browser: Browser, base: str, graph: Store, settings: Settings
) -> None:
    period = await county(graph, settings)
    gql = GQL(graph, settings)
    v = await signed_in(browser, base, graph, Role.ADMIN, None)
    await v.open(f"/workbench/statistics?{period.query()}")
    assert await v.page.evaluate("window.statistics && window.statistics.drawn") is True
    await charts_equal_the_api(v, gql, period, None)
    departments = await drawn(v)
    assert departments["department"]["keys"] == ["ECOENV", "TAX"]
    await v.shot("statistics-admin")
    # A department's own figures.
    own = await signed_in(browser, base, graph, Role.DEPARTMENT, "ECOENV")
    await own.open(f"/workbench/statistics?{period.query()}")
    await charts_equal_the_api(own, gql, period, "ECOENV")
    assert (await drawn(own))["department"]["keys"] == ["ECOENV"]
    await own.shot("statistics-department")
    # At 768 px the charts shrink and the tables scroll in their box: nothing wider than the
    # window.
    narrow = await signed_in(browser, base, graph, Role.DEPARTMENT, "ECOENV", width=768)
    await narrow.open(f"/workbench/statistics?{period.query()}")
    await charts_equal_the_api(narrow, gql, period, "ECOENV")
    assert await narrow.page.evaluate("document.documentElement.scrollWidth") <= 768
    await narrow.shot("statistics-768")
    assert v.foreign == [] and own.foreign == [] and narrow.foreign == []


async def test_without_javascript_the_tables_hold_the_figures(
    browser: Browser, base: str, graph: Store, settings: Settings
) -> None:
    period = await county(graph, settings)
    v = await signed_in(browser, base, graph, Role.ADMIN, None, js=False)
    await v.open(f"/workbench/statistics?{period.query()}")
    assert await v.page.locator("figure.chart").first.is_hidden()
    cells = await v.page.locator("#table-department tbody tr").all_inner_texts()
    assert [c.split("\t")[1:3] for c in cells] == [["2", "2"], ["1", "1"]]
    await v.shot("statistics-no-javascript")
    assert v.foreign == []
