"""A desk form's fields become the GraphQL document's variables (web/workbench/actions.py
variables_of): paths into input objects, lists, percentages, subjects, and what is wrong named
by field. Pure: no Neo4j."""

from __future__ import annotations

from tests import factories as f
from web.workbench.actions import Problem, catalogue, variables_of


def test_a_form_becomes_the_documents_variables() -> None:
    plan = catalogue()["createSamplingPlan"]
    variables, problems = variables_of(
        plan,
        {"seed": "7", "inspectors": "A, B\n\nC ", "ratioA": "5", "ratioD": "100", "on": ""},
    )
    assert problems == []
    assert variables == {
        "input": {"seed": 7, "inspectors": ["A", "B", "C"], "ratios": {"A": 0.05, "D": 1.0}}
    }
    listing = catalogue()["listSubject"]
    variables, problems = variables_of(
        listing,
        {
            "id": "L1",
            "subject": "91451031MA5K00000X",
            "list": "RED",
            "domain": "TAX",
            "basis": "b",
            "effectiveFrom": "2026-1-5",
        },
    )
    assert problems == [Problem("effectiveFrom", "DATE")]
    assert variables["input"]["subject"] == {"uscc": "91451031MA5K00000X"}
    person = f.id_number("1990-02-03")
    variables, _ = variables_of(listing, {"subject": person})
    assert variables["input"]["subject"] == {"idNumber": person}
    verify = catalogue()["verifyVoluntaryInformation"]
    variables, problems = variables_of(verify, {"id": "V1", "accepted": "yes", "reason": "r"})
    assert problems == [Problem("accepted", "YESNO")]
