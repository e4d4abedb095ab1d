"""The public site's story graph: what a visitor should and should not see, today.

宏达集团 (the 'hero'): legal representative 韦建国; a BLACK listing in force (生态环境); a
licence; for each published severity a penalty on the last day of its publicity window and one
a day past it; a MINOR penalty (never published). 红星合作社 is on the RED list. 永安公司 has a
WATCH listing (never shown), a BLACK listing ended by repair and one revoked on objection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hub.identifiers import make_id_number, make_uscc
from hub.rules.publicity import publicity
from hub.store import Store
from tests.conftest import GQL, load


@dataclass
class Story:
    today: dt.date
    hero: str
    hero_name: str
    coop: str
    coop_name: str
    quiet: str
    quiet_name: str
    legal_rep: str
    # action id -> whether the profile must show it today
    penalties: dict[str, bool] = field(default_factory=dict)
    # action id -> text of it that only its row shows
    content: dict[str, str] = field(default_factory=dict)
    licence: str = "LIC-2025-001"


def last_public_decision(severity: str, today: dt.date) -> dt.date:
    """The decision date whose publicity window ends tomorrow: today is its last public day."""
    day = today
    while publicity("PENALTY", severity, day).public_on(today, day):
        day -= dt.timedelta(days=1)
    return day + dt.timedelta(days=1)


async def build(store: Store, gql: GQL, today: dt.date) -> Story:
    hero = make_uscc("9", "1", "451031", "MA5HD0001")
    coop = make_uscc("9", "3", "451031", "MA5HX0002")
    quiet = make_uscc("9", "1", "451031", "MA5YA0003")
    legal_rep = make_id_number("451031", dt.date(1975, 3, 8), 11)
    story = Story(
        today=today,
        hero=hero,
        hero_name="隆林集团建设有限公司",
        coop=coop,
        coop_name="隆林县红星种养农民专业合作社",
        quiet=quiet,
        quiet_name="隆林永安商贸有限公司",
        legal_rep=legal_rep,
    )
    records: list[dict[str, object]] = [
        {
            "kind": "enterprise",
            "uscc": hero,
            "name": story.hero_name,
            "registeredOn": "2012-06-30",
            "address": "隆林各族自治县新州镇民族路1号",
            "industry": "建筑业",
        },
        {"kind": "enterprise", "uscc": coop, "name": story.coop_name, "registeredOn": "2016-04-01"},
        {
            "kind": "enterprise",
            "uscc": quiet,
            "name": story.quiet_name,
            "registeredOn": "2014-09-09",
        },
        {"kind": "person", "idNumber": legal_rep, "name": "韦建国"},
        {
            "kind": "role",
            "idNumber": legal_rep,
            "uscc": hero,
            "role": "LEGAL_REPRESENTATIVE",
            "from": "2012-06-30",
        },
        {
            "kind": "action",
            "id": story.licence,
            "subject": {"uscc": hero},
            "type": "LICENSE",
            "department": "AMR",
            "decisionDate": (today - dt.timedelta(days=30)).isoformat(),
            "title": "建筑业企业资质许可",
            "documentNumber": "隆建许〔2025〕1号",
            "basis": "《建筑法》第十三条",
        },
    ]
    n = 0
    for severity in ("GENERAL", "SERIOUS"):
        inside = last_public_decision(severity, today)
        for decided, shown in ((inside, True), (inside - dt.timedelta(days=1), False)):
            n += 1
            ident = f"PEN-{severity}-{'IN' if shown else 'OUT'}"
            story.penalties[ident] = shown
            story.content[ident] = f"罚款{n}万元"
            records.append(
                {
                    "kind": "action",
                    "id": ident,
                    "subject": {"uscc": hero},
                    "type": "PENALTY",
                    "department": "ECOENV",
                    "decisionDate": decided.isoformat(),
                    "severity": severity,
                    "title": "环境违法行政处罚",
                    "documentNumber": f"隆环罚〔{decided.year}〕{n}号",
                    "basis": "《环境保护法》第五十九条",
                    "content": f"罚款{n}万元",
                }
            )
    story.penalties["PEN-MINOR"] = False
    story.content["PEN-MINOR"] = "隆市监罚〔2026〕99号"
    records.append(
        {
            "kind": "action",
            "id": "PEN-MINOR",
            "subject": {"uscc": hero},
            "type": "PENALTY",
            "department": "AMR",
            "decisionDate": (today - dt.timedelta(days=5)).isoformat(),
            "severity": "MINOR",
            "title": "轻微违法行政处罚",
            "documentNumber": "隆市监罚〔2026〕99号",
        }
    )
    report = await load(store, records)
    assert report.rejected == 0, report.errors
    listings = [
        ("LST-HERO-BLACK", hero, "BLACK", "ENVIRONMENT", "ECOENV", "2025-01-01"),
        ("LST-COOP-RED", coop, "RED", "TAX", "TAX", "2025-03-01"),
        ("LST-QUIET-WATCH", quiet, "WATCH", "CONSTRUCTION", "HOUSING", "2024-01-01"),
        ("LST-QUIET-REPAIRED", quiet, "BLACK", "CONSTRUCTION", "HOUSING", "2023-01-01"),
        ("LST-QUIET-REVOKED", quiet, "BLACK", "TAX", "TAX", "2025-02-01"),
    ]
    for ident, code, kind, domain, department, start in listings:
        await gql.ok(
            "mutation ($input: ListingInput!) { listSubject(input: $input) { id } }",
            {
                "input": {
                    "id": ident,
                    "subject": {"uscc": code},
                    "list": kind,
                    "domain": domain,
                    "department": department,
                    "basis": "隆林县联合奖惩决定",
                    "effectiveFrom": start,
                    "documentNumber": f"{ident}号",
                }
            },
        )
    await gql.ok(
        """mutation { applyForRepair(input: {listingId: "LST-QUIET-REPAIRED",
            conductCorrected: true, publicCommitment: "信用修复承诺书", repairTraining: "培训证明",
            creditReport: "信用报告", reason: "已整改并作出信用承诺"}) { status } }"""
    )
    await gql.ok(
        'mutation { endListing(id: "LST-QUIET-REPAIRED", reason: "已整改并作出信用承诺", kind: REPAIRED) { id } }'
    )
    filed = await gql.ok(
        'mutation { fileObjection(listingId: "LST-QUIET-REVOKED", reason: "认定有误") { id } }'
    )
    await gql.ok(
        "mutation ($id: String!) { resolveObjection(id: $id, upheld: true, reason: '核实有误') { id } }".replace(
            "'", '"'
        ),
        {"id": filed["fileObjection"]["id"]},
    )
    return story
