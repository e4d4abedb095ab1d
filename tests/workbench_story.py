"""The approval console's story graph: 隆林排污测试有限公司 is on the BLACK list (生态环境, since
2024-03-01); 韦法人 has been its legal representative since 2010, so a check of him for market
entry is RESTRICTED through that role; 隆林守信合作社 is on the RED list (an incentive)."""

from __future__ import annotations

from dataclasses import dataclass

from hub.store import Store
from tests import factories as f
from tests.conftest import load


@dataclass
class Story:
    polluter: str
    polluter_name: str
    rep: str
    rep_name: str
    coop: str
    coop_name: str
    listing: str = "ECO-WB-1"
    as_of: str = "2025-06-01"


async def build(store: Store) -> Story:
    story = Story(
        polluter=f.uscc(),
        polluter_name="隆林排污测试有限公司",
        rep=f.id_number("1975-03-08"),
        rep_name="韦法人",
        coop=f.uscc("9", "3"),
        coop_name="隆林守信合作社",
    )
    report = await load(
        store,
        [
            f.enterprise(story.polluter, story.polluter_name),
            f.enterprise(story.coop, story.coop_name),
            f.person(story.rep, story.rep_name),
            f.role(story.rep, story.polluter, "LEGAL_REPRESENTATIVE"),
            f.listing(story.listing, {"uscc": story.polluter}, start="2024-03-01"),
            f.listing(
                "TAX-WB-RED",
                {"uscc": story.coop},
                domain="TAX",
                department="TAX",
                start="2024-01-01",
                kind="RED",
            ),
        ],
    )
    assert report.rejected == 0, report.errors
    return story
