"""The check's pure rules without Neo4j: gathered rows -> entries -> decision -> reason text.

The story-graph tests (tests/test_check.py) run the same rules behind the gather query; these
pin the rules themselves, case by case, so that a change in one shows here first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph_seed.reference_data import load_measure_entries
from hub.rules.decision import Decision, Evaluation, Outcome, ReachKind, Subject, decide
from hub.rules.explain import reason
from hub.rules.measures import Scenario, governing
from hub.store.checks import entries_of

AS_OF = dt.date(2025, 6, 1)
MEASURES = load_measure_entries()
FIRM = Subject("Enterprise", "91451031MA5L000001", "隆林受查公司", "ENTERPRISE")
PERSON = Subject("Person", "451031196001010011", "受查人", "PERSON")


def listing(
    ident: str,
    *,
    kind: str = "BLACK",
    source: str = "ADMINISTRATIVE",
    start: dt.date = dt.date(2024, 1, 1),
    expires: dt.date | None = None,
    ended: dt.date | None = None,
) -> dict[str, Any]:
    return {
        "id": ident,
        "list": kind,
        "domain": "ENVIRONMENT",
        "source": source,
        "department": "ECOENV",
        "departmentName": "生态环境局",
        "effectiveFrom": start,
        "expiresOn": expires,
        "endedOn": ended,
    }


def listed_item(
    ident: str, subject: dict[str, Any], objections: list[dict[str, Any]] | None = None, **kw: Any
) -> dict[str, Any]:
    return {
        "entry": {"id": ident, "derived": False},
        "links": [],
        "listing": listing(ident, **kw),
        "objections": objections or [],
        "subject": subject,
    }


FIRM_NODE = {"uscc": FIRM.key, "name": FIRM.name, "kind": "ENTERPRISE"}


def run(
    subject: Subject, scenario: Scenario, row: dict[str, Any], ev: Evaluation | None = None
) -> Outcome:
    return decide(subject, scenario, entries_of(row, subject, AS_OF), ev, MEASURES)


def test_restrict_beats_caution_and_incentives_never_hide_a_hit() -> None:
    row = {
        "listed": [
            listed_item("B-1", FIRM_NODE),
            listed_item("W-1", FIRM_NODE, kind="WATCH"),
            listed_item("R-1", FIRM_NODE, kind="RED"),
        ]
    }
    outcome = run(FIRM, Scenario.FISCAL_FUNDS, row, Evaluation("EV", "A", dt.date(2025, 1, 1)))
    assert outcome.decision == Decision.RESTRICTED
    assert [h.effect for h in outcome.hits] == ["RESTRICT", "CAUTION"]
    assert {h.measure["code"] for h in outcome.incentives} == {
        "RED-JOINT-INCENTIVE",
        "GRADE-A-FINANCING",
    }
    watch_only = run(FIRM, Scenario.FISCAL_FUNDS, {"listed": [row["listed"][1]]})
    assert watch_only.decision == Decision.CAUTION


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"start": dt.date(2025, 6, 2)}, Decision.CLEAR),  # not yet
        ({"start": dt.date(2025, 6, 1)}, Decision.RESTRICTED),  # from its first day
        ({"expires": dt.date(2025, 6, 1)}, Decision.CLEAR),  # expiresOn: first day without
        ({"expires": dt.date(2025, 6, 2)}, Decision.RESTRICTED),
        ({"ended": dt.date(2025, 6, 1)}, Decision.CLEAR),
        ({"ended": dt.date(2025, 6, 2)}, Decision.RESTRICTED),
    ],
)
def test_listing_days_on_the_boundaries(kw: dict[str, Any], expected: Decision) -> None:
    row = {"listed": [listed_item("B-2", FIRM_NODE, **kw)]}
    assert run(FIRM, Scenario.FISCAL_FUNDS, row).decision == expected


def test_objection_suspends_from_filing_until_resolution() -> None:
    def on(filed: dt.date, resolved: dt.date | None) -> Any:
        objection = {"filedOn": filed, "resolvedOn": resolved}
        return run(
            FIRM, Scenario.FISCAL_FUNDS, {"listed": [listed_item("B-3", FIRM_NODE, [objection])]}
        )

    open_one = on(dt.date(2025, 6, 1), None)
    assert open_one.decision == Decision.CLEAR
    assert [h.measure["code"] for h in open_one.suspended] == ["ADM-FISCAL-FUNDS"]
    assert "核实期间暂不执行" in reason(open_one.suspended[0])
    assert on(dt.date(2025, 6, 2), None).decision == Decision.RESTRICTED  # filed later
    assert on(dt.date(2025, 5, 1), dt.date(2025, 6, 1)).decision == Decision.RESTRICTED


def test_grade_d_cautions_and_unknown_subject_is_clear() -> None:
    graded = run(FIRM, Scenario.FISCAL_FUNDS, {}, Evaluation("EV", "D", dt.date(2025, 1, 1)))
    assert graded.decision == Decision.CAUTION
    assert "差级（D）" in reason(graded.hits[0])
    assert run(FIRM, Scenario.FISCAL_FUNDS, {}).decision == Decision.CLEAR


def test_aggravated_needs_black_listings_in_two_domains() -> None:
    one = listed_item("B-4", FIRM_NODE)
    other = listed_item("B-5", FIRM_NODE)
    other["listing"]["domain"] = "TAX"
    assert run(FIRM, Scenario.FISCAL_FUNDS, {"listed": [one]}).aggravated is False
    assert run(FIRM, Scenario.FISCAL_FUNDS, {"listed": [one, other]}).aggravated is True


def _related(role: str, relationship: str, holder: dict[str, Any]) -> dict[str, Any]:
    item = listed_item("COURT-1", holder, source="COURT")
    item.update(role=role, relationship=relationship, person=holder, to=None)
    item["from"] = dt.date(2020, 1, 1)
    return item


def test_one_court_listed_officer_in_two_roles_is_one_hit_with_both_roles() -> None:
    debtor = {"idNumber": "451031197001010016", "name": "老赖", "kind": "PERSON"}
    row = {
        "related": [
            _related("DIRECTOR", "OFFICER_OF", debtor),
            _related("LEGAL_REPRESENTATIVE", "LEGAL_REPRESENTATIVE_OF", debtor),
        ]
    }
    outcome = run(FIRM, Scenario.FISCAL_FUNDS, row)
    assert outcome.decision == Decision.CAUTION
    [hit] = outcome.hits
    assert [s.role for s in hit.via] == ["LEGAL_REPRESENTATIVE", "DIRECTOR"]
    assert "该企业的法定代表人、董事老赖" in reason(hit)


def test_a_court_listed_controlling_enterprise_is_a_related_hit() -> None:
    parent = {"uscc": "91451031MA5L000002", "name": "失信母公司", "kind": "ENTERPRISE"}
    row = {"related": [_related("ACTUAL_CONTROLLER", "CONTROLS", parent)]}
    [hit] = run(FIRM, Scenario.HONORS, row).hits
    assert hit.entry is not None
    assert hit.entry.kind == ReachKind.RELATED
    assert (hit.via[0].holder_label, hit.via[0].holder_key) == ("Enterprise", parent["uscc"])
    assert "实际控制人失信母公司" in reason(hit)


def _suspected(steps: int, share: float, cut: bool) -> dict[str, Any]:
    target = {"uscc": "91451031MA5L000003", "name": "失信子公司", "kind": "ENTERPRISE"}
    item = listed_item("B-6", target)
    item["share"] = share
    item["pathCount"] = 1
    step = {
        "holder": {"idNumber": PERSON.key, "name": PERSON.name},
        "target": target,
        "share": share ** (1 / steps),
        "from": None,
        "to": None,
    }
    item["paths"] = [{"product": share, "steps": [step] * steps}]
    return {"suspected": [item], "truncated": cut}


def test_suspected_controller_reason_shows_every_path_its_product_and_the_sum() -> None:
    """30 % held directly and 50 % × 50 % through another company: 55 %, and the reason says
    so path by path (it used to say 直接持有…55.00% and show the 30 % step only)."""
    target = {"uscc": "91451031MA5L000003", "name": "失信子公司", "kind": "ENTERPRISE"}
    middle = {"uscc": "91451031MA5L000004", "name": "中间公司"}
    me = {"idNumber": PERSON.key, "name": PERSON.name}
    item = listed_item("B-8", target)
    item.update(
        share=0.55,
        pathCount=2,
        paths=[
            {"product": 0.3, "steps": [{"holder": me, "target": target, "share": 0.3}]},
            {
                "product": 0.25,
                "steps": [
                    {"holder": me, "target": middle, "share": 0.5},
                    {
                        "holder": {"uscc": middle["uscc"], "name": "中间公司"},
                        "target": target,
                        "share": 0.5,
                    },
                ],
            },
        ],
    )
    [hit] = run(PERSON, Scenario.CONCESSION, {"suspected": [item], "truncated": False}).hits
    text = reason(hit)
    assert "直接持有失信子公司" not in text
    assert "经2条持股路径合计持有失信子公司（91451031MA5L000003）55.00%的股权" in text
    assert "直接持有30.00%" in text
    assert "经中间公司（91451031MA5L000004）间接持有50.00%×50.00%=25.00%" in text
    assert "合计55.00%" in text
    assert [(s.share, s.path) for s in hit.via] == [(0.3, 1), (0.5, 2), (0.5, 2)]
    assert hit.entry is not None
    assert [p.product for p in hit.entry.paths] == [0.3, 0.25]


def test_suspected_controller_reasons_direct_indirect_and_cut() -> None:
    [direct] = run(PERSON, Scenario.CONCESSION, _suspected(1, 0.6, False)).hits
    assert "该主体直接持有失信子公司" in reason(direct)
    [indirect] = run(PERSON, Scenario.CONCESSION, _suspected(3, 0.6, False)).hits
    assert "经股权穿透间接持有" in reason(indirect)
    [cut_low] = run(PERSON, Scenario.CONCESSION, _suspected(3, 0.3, True)).hits
    assert cut_low.entry is not None and cut_low.entry.truncated
    assert "至少30.00%" in reason(cut_low)
    assert "不能排除其为实际控制人" in reason(cut_low)
    [cut_high] = run(PERSON, Scenario.CONCESSION, _suspected(3, 0.7, True)).hits
    assert "至少70.00%" in reason(cut_high)
    assert "疑似其实际控制人" in reason(cut_high)


def test_derived_reason_names_the_role_that_reaches() -> None:
    """A senior manager who is also a liable person, reached by the market-entry ban only as
    the liable person: the reason names that role, not both."""
    firm = {"uscc": FIRM.key, "name": FIRM.name, "kind": "ENTERPRISE"}
    item = listed_item("B-7", firm)
    item["entry"] = {"id": "D-7", "derived": True, "parties": ["SENIOR_MANAGER", "LIABLE_PERSON"]}
    item["links"] = [{"role": "SENIOR_MANAGER"}, {"role": "LIABLE_PERSON"}]
    outcome = run(PERSON, Scenario.MARKET_ENTRY, {"listed": [item]})
    [ban] = [h for h in outcome.hits if h.measure["code"] == "IND-MARKET-ENTRY-BAN"]
    text = reason(ban)
    assert "负有直接责任的人员" in text
    assert "高级管理人员" not in text
    honours = run(PERSON, Scenario.HONORS, {"listed": [item]})
    assert "高级管理人员" in reason(honours.hits[0])


def test_a_check_decided_on_the_measures_governing_its_scenario_decides_the_same() -> None:
    """The check service hands ``decide`` only the measures that govern the scenario
    (resolvers/checks.py ``Catalogue.governing``): for a subject listed in every way and graded,
    every scenario's answer is the one the whole catalogue gives, and no scenario keeps them
    all (the filter takes something away)."""
    row = {
        "listed": [
            listed_item("B-1", FIRM_NODE),
            listed_item("W-1", FIRM_NODE, kind="WATCH"),
            listed_item("R-1", FIRM_NODE, kind="RED"),
            listed_item("C-1", FIRM_NODE, source="COURT"),
        ]
    }
    graded = Evaluation("EV", "D", dt.date(2025, 1, 1))
    entries = entries_of(row, FIRM, AS_OF)
    for scenario in Scenario:
        kept = governing(MEASURES, scenario)
        assert len(kept) < len(MEASURES)
        for evaluation in (None, graded):
            assert decide(FIRM, scenario, entries, evaluation, kept) == decide(
                FIRM, scenario, entries, evaluation, MEASURES
            ), scenario
