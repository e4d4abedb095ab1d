"""Logs carry ids and codes, never personal data."""

from __future__ import annotations

import logging

import pytest

from hub.auth import Actor, Role
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = pytest.mark.neo4j


async def test_no_id_number_reaches_the_logs(
    gql: GQL, graph: Store, caplog: pytest.LogCaptureFixture
) -> None:
    from hub.logs import configure_logging

    configure_logging("DEBUG")  # the hub at its most verbose
    caplog.set_level(logging.DEBUG, logger="credithub")
    person, firm = f.id_number("1972-02-02"), f.uscc()
    wrong = person[:17] + ("1" if person[17] != "1" else "2")
    report = await load(
        graph,
        [
            f.enterprise(firm),
            f.person(person, "日志测试", phone="13812345678"),
            f.role(person, firm, "LEGAL_REPRESENTATIVE"),
            f.person(wrong, "坏号码"),
            f.role(f.id_number(), firm, "DIRECTOR"),  # a reference to nobody
            f.listing("ECO-LOG", {"uscc": firm}),
        ],
    )
    assert report.rejected == 2
    approval = Actor(Role.APPROVAL, "key-log", "AMR")
    for number in (person, wrong):
        await gql(
            "query($i: String!) { checkBeforeApproval(subject: {idNumber: $i}, "
            "scenario: HONORS) { decision } }",
            {"i": number},
            actor=approval,
        )
        await gql(
            "query($i: String!) { person(idNumber: $i) { name } }",
            {"i": number},
            actor=Actor(Role.INVESTIGATOR, "key-inv"),
        )
    text = "\n".join(
        record.getMessage()
        for record in caplog.records
        if logging.getLogger(record.name).getEffectiveLevel() <= record.levelno
    )
    assert logging.getLogger("neo4j").getEffectiveLevel() >= logging.WARNING
    for secret in (person, wrong, "13812345678"):
        assert secret not in text
