"""A county's punishment figures for the statistics page's tests: ECOENV lists two enterprises
(each legal representative gets a derived entry) and records one execution, an approval key
of ECOENV checks one of them (RESTRICTED), TAX lists one; all within the last few weeks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hub.auth import Actor, Role
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

EXECUTE = """
mutation ($input: ExecutionInput!) { recordExecution(input: $input) { id } }
"""
CHECK = """
query ($uscc: String!) {
  checkBeforeApproval(subject: {uscc: $uscc}, scenario: PROJECT_APPROVAL) { decision }
}
"""
BY = """
query ($from: Date!, $to: Date!, $by: [StatisticsDimension!], $department: String) {
  punishmentStatistics(from: $from, to: $to, groupBy: $by, department: $department) {
    kind decision department domain month count
  }
}
"""


@dataclass(frozen=True)
class Period:
    start: str
    end: str

    def query(self) -> str:
        return f"from={self.start}&to={self.end}"


async def county(store: Store, settings: Settings) -> Period:
    today = settings.today()
    days = [(today - dt.timedelta(days=n)).isoformat() for n in (45, 20, 5)]
    firms = [f.uscc() for _ in range(3)]
    reps = [f.id_number(f"197{n}-01-01") for n in range(3)]
    lines: list[dict[str, object]] = []
    for firm, rep in zip(firms, reps, strict=True):
        lines += [f.enterprise(firm), f.person(rep), f.role(rep, firm, "LEGAL_REPRESENTATIVE")]
    lines += [
        f.listing("ECO-ST1", {"uscc": firms[0]}, start=days[0]),
        f.listing("ECO-ST2", {"uscc": firms[1]}, start=days[1]),
        f.listing("TAX-ST1", {"uscc": firms[2]}, domain="TAX", department="TAX", start=days[2]),
    ]
    report = await load(store, lines)
    assert report.rejected == 0, report
    execution = {
        "measure": "ADM-PROJECT-APPROVAL",
        "subject": {"uscc": firms[0]},
        "reference": "案-ST-1",
        "executedOn": days[2],
        "result": "不予核准",
        "listingId": "ECO-ST1",
    }
    gql = GQL(store, settings)
    await gql.ok(
        EXECUTE, {"input": execution}, actor=Actor(Role.DEPARTMENT, "key-eco-st", "ECOENV")
    )
    checked = await gql.ok(
        CHECK, {"uscc": firms[0]}, actor=Actor(Role.APPROVAL, "key-eco-approval", "ECOENV")
    )
    assert checked["checkBeforeApproval"]["decision"] == "RESTRICTED"
    return Period((today - dt.timedelta(days=90)).isoformat(), today.isoformat())
