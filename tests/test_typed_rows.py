"""Store results reach the GraphQL types as typed rows, mapped next to their Cypher
(docs/architecture.md, Layers): enterprises, listings, objections, listing events and
commitments, as persons already did (tests/test_layers.py); voluntary information, repair
applications, rectification orders, measures, inspection results, history steps, events and
early warnings and the grade lists' evaluations; the checked subject of a check's answer; the
roles and shareholdings of a subject (``RelationRow``: its holder and enterprise as rows); an
issued credit report and a check's receipt; administrative actions (``ActionRow``) and the
public site's recent actions with their subjects; API keys (``KeyRow``) and the audit trail
(``AuditRow``).

Two guards. On the source: each of these types holds one ``row`` of its store type and reads
no key of a dict; no type is built from a raw dict. Against real Neo4j: every store read that
feeds them returns the typed row, nested rows included, so a read that handed over the store's
map would fail here (mypy strict checks the same on the annotations: ``make typecheck``)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hub.auth import Actor, Role
from hub.keys import create_key
from hub.store import (
    api_keys,
    audit_log,
    checks,
    commitments,
    desk_reads,
    event_reads,
    grades,
    history,
    listing_reads,
    measures,
    objection_changes,
    public_reads,
    rectifications,
    repair_changes,
    reports,
    sampling,
    subjects,
)
from hub.store.api_keys import KeyRow
from hub.store.audit_log import AuditRow
from hub.store.checks import GatheredSubject, ReceiptRow
from hub.store.commitments import CommitmentRow, FulfilmentRow, VoluntaryRow
from hub.store.event_reads import EventRow, WarningReasonRow, WarningRow
from hub.store.grades import EvaluationRow, GradedRow
from hub.store.history import HistoryRow
from hub.store.listing_reads import (
    DerivedEntryRow,
    ListingEventRow,
    ListingRow,
    ObjectionRow,
)
from hub.store.measures import MeasureRow
from hub.store.public_reads import RecentActionRow
from hub.store.rectifications import RectificationRow
from hub.store.repair_changes import RepairRow
from hub.store.reports import ReportRow
from hub.store.sampling import InspectionRow
from hub.store.subjects import (
    ActionRow,
    EnterpriseRow,
    PersonRow,
    ProfileParts,
    RelationRow,
)
from tests import factories as f
from tests.conftest import GQL, load

ROOT = Path(__file__).resolve().parent.parent

# (module, GraphQL type, its row's store type)
TYPED = [
    ("schema/subjects.py", "Enterprise", "EnterpriseRow"),
    ("schema/subjects.py", "Person", "PersonRow"),
    ("schema/listings.py", "Listing", "ListingRow"),
    ("schema/listings.py", "Objection", "ObjectionRow"),
    ("schema/listings.py", "ListingEvent", "ListingEventRow"),
    ("schema/commitments.py", "Commitment", "CommitmentRow"),
    ("schema/commitments.py", "VoluntaryInformation", "VoluntaryRow"),
    ("schema/lifecycle.py", "RepairApplication", "RepairRow"),
    ("schema/rectification.py", "Rectification", "RectificationRow"),
    ("schema/measures.py", "Measure", "MeasureRow"),
    ("schema/sampling.py", "InspectionResult", "InspectionRow"),
    ("schema/history.py", "HistoryEvent", "HistoryRow"),
    ("schema/events.py", "Event", "EventRow"),
    ("schema/warnings.py", "EarlyWarning", "EventRow"),
    ("schema/warnings.py", "WarningReason", "WarningReasonRow"),
    ("schema/grades.py", "CurrentEvaluation", "EvaluationRow"),
    ("schema/reports.py", "CreditReport", "ReportRow"),
]


def _class(path: Path, name: str) -> ast.ClassDef:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)


def _reads_a_dict_of_self(node: ast.AST) -> bool:
    """``self.<…>.get(…)``, ``self.<…>["key"]`` or anything named ``raw``."""
    if isinstance(node, ast.Attribute) and node.attr == "raw":
        return True
    if isinstance(node, ast.Attribute) and node.attr == "get":
        return ast.unparse(node.value).startswith("self.")
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return ast.unparse(node.value).startswith("self.")
    return False


@pytest.mark.parametrize(("module", "name", "row"), TYPED)
def test_a_graphql_type_holds_its_typed_row_and_reads_no_dict(
    module: str, name: str, row: str
) -> None:
    cls = _class(ROOT / module, name)
    fields = {
        node.target.id: ast.unparse(node.annotation)
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert fields.pop("row") == f"strawberry.Private[{row}]"
    assert set(fields) <= {"as_of"}, f"{name} holds more than its row: {fields}"
    reads = [ast.unparse(n) for n in ast.walk(cls) if _reads_a_dict_of_self(n)]
    assert reads == [], f"the {name} type reading a store dict: {reads}"


def test_no_type_is_built_from_a_raw_dict() -> None:
    names = {name for _, name, _ in TYPED}
    built = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in sorted((ROOT / "schema").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(f"{name}(raw=" in line for name in names)
    ]
    assert built == [], f"a typed GraphQL type built from a raw dict: {built}"


def _function(path: Path, name: str) -> ast.FunctionDef:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)


def test_a_checks_answer_reads_the_checked_subject_as_a_typed_row() -> None:
    """``schema/checks.result`` reads the subject the check gathered as the store's
    ``GatheredSubject``, never the statement's map (``.get`` only on the error's details)."""
    result = _function(ROOT / "schema/checks.py", "result")
    gets = [
        ast.unparse(n) for n in ast.walk(result) if isinstance(n, ast.Attribute) and n.attr == "get"
    ]
    assert gets == ["checked.error.details.get"], gets
    checked = _class(ROOT / "resolvers/checks.py", "Checked")
    subject = next(
        n
        for n in checked.body
        if isinstance(n, ast.AnnAssign) and ast.unparse(n.target) == "subject"
    )
    assert ast.unparse(subject.annotation) == "GatheredSubject | None"
    receipt = _function(ROOT / "schema/checks.py", "_receipt")
    assert [ast.unparse(a) for a in receipt.args.args] == ["row: ReceiptRow", "info: HubInfo"]
    reads = [ast.unparse(n) for n in ast.walk(receipt) if isinstance(n, ast.Subscript)]
    assert reads == [], f"a receipt read off the statement's map: {reads}"


# (module, GraphQL type made by ``of``, its row's store type)
MADE_OF = [
    ("schema/subjects.py", "Action", "ActionRow"),
    ("schema/keys.py", "ApiKey", "KeyRow"),
    ("schema/audit.py", "AuditEntry", "AuditRow"),
]


@pytest.mark.parametrize(("module", "name", "row"), MADE_OF)
def test_a_type_made_by_of_reads_its_typed_row(module: str, name: str, row: str) -> None:
    """``Action.of`` (a subject's actions, the public site's recent ones), ``ApiKey.of`` and
    ``AuditEntry.of`` read a typed row, never the statement's map; an action's way back is the rule's typed
    twin."""
    made = next(
        n
        for n in _class(ROOT / module, name).body
        if isinstance(n, ast.FunctionDef) and n.name == "of"
    )
    assert ast.unparse(made.args.args[1]) == f"row: {row}"
    reads = [ast.unparse(n) for n in ast.walk(made) if _reads_a_dict(n)]
    assert reads == [], f"{name} read off the statement's map: {reads}"
    way_back = _function(ROOT / "schema/way_back.py", "action_way_back")
    assert [ast.unparse(a) for a in way_back.args.args] == ["row: ActionRow"]


def _reads_a_dict(node: ast.AST) -> bool:
    """``x.get(…)`` or ``x["key"]``."""
    if isinstance(node, ast.Attribute) and node.attr == "get":
        return True
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)


# --- the store's reads, against real Neo4j ----------------------------------------------------

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")

LIST = """
mutation ($input: ListingInput!) { listSubject(input: $input) { id } }
"""
OBJECT = """
mutation { fileObjection(listingId: "ECO-2024-1", reason: "监测数据有误", on: "2024-05-01") { id } }
"""
COMMIT = """
mutation ($input: CommitmentInput!) { recordCommitment(input: $input) { code } }
"""
FULFIL = """
mutation ($code: String!) {
  recordFulfilment(code: $code, input: {status: BROKEN, confirmedOn: "2025-03-10",
                                        confirmedBy: "黄核查", undone: "未补交"}) { code }
}
"""


async def _a_listed_firm(gql: GQL) -> tuple[str, str, str]:
    """A firm listed by ECOENV with its legal representative named liable, an objection to the
    listing, and a broken commitment of the firm: (USCC, ID number, commitment code)."""
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
        ],
    )
    listing = {
        "id": "ECO-2024-1",
        "subject": {"uscc": firm},
        "list": "BLACK",
        "domain": "ENVIRONMENT",
        "basis": "《环境保护法》第六十三条",
        "effectiveFrom": "2024-03-01",
        "liablePersons": [rep],
    }
    await gql.ok(LIST, {"input": listing}, actor=ECO)
    await gql.ok(OBJECT, actor=ECO)
    commitment = {
        "subject": {"uscc": firm},
        "type": "DEFICIENCY_TOLERANT",
        "content": "三个月内补交建设项目环境影响评价批复文件",
        "liability": "逾期未补交的，自愿接受撤销许可，并记入信用记录",
        "madeOn": "2025-01-10",
        "scenario": "ADMINISTRATIVE_LICENSE",
    }
    code = (await gql.ok(COMMIT, {"input": commitment}, actor=ECO))["recordCommitment"]["code"]
    await gql.ok(FULFIL, {"code": code}, actor=ECO)
    return firm, rep, code


def _is_listing(row: Any, firm: str) -> None:
    """What a listing's state needs: its facts, the objection's period in them."""
    assert isinstance(row, ListingRow)
    assert row.id == "ECO-2024-1" and row.effective_from == dt.date(2024, 3, 1)
    assert [o.filed_on for o in row.facts.objections] == [dt.date(2024, 5, 1)]


def _is_full_listing(row: Any, firm: str, rep: str) -> None:
    _is_listing(row, firm)
    assert all(isinstance(o, ObjectionRow) for o in row.objections) and row.objections
    assert row.objections[0].listing_id == "ECO-2024-1"
    assert isinstance(row.subject, EnterpriseRow) and row.subject.uscc == firm
    assert [type(p) for p in row.liable] == [PersonRow] and row.liable[0].id_number == rep
    assert row.events and all(isinstance(e, ListingEventRow) for e in row.events)


@pytest.mark.neo4j
async def test_the_store_hands_the_types_typed_rows(gql: GQL) -> None:
    firm, rep, code = await _a_listed_firm(gql)
    store = gql.store
    today = dt.date.today()

    [(key, own)] = await store.read_statements(listing_reads.own_listings, "Enterprise", [firm])
    assert key == firm
    _is_full_listing(own, firm, rep)
    [(_, states)] = await store.read_statements(
        listing_reads.own_listing_states, "Enterprise", [firm]
    )
    _is_listing(states, firm)
    [(_, by_id)] = await store.read_statements(listing_reads.listings_by_id, ["ECO-2024-1"])
    _is_full_listing(by_id, firm, rep)
    [(_, (entry, source))] = await store.read_statements(listing_reads.derived_of_persons, [rep])
    assert isinstance(entry, DerivedEntryRow) and entry.via == firm
    _is_full_listing(source, firm, rep)
    [(_, (entry, person))] = await store.read_statements(
        listing_reads.derived_of_sources, ["ECO-2024-1"]
    )
    assert isinstance(entry, DerivedEntryRow) and isinstance(person, PersonRow)
    objection_id = own.objections[0].id
    [(_, objection)] = await store.read_statements(listing_reads.objections_by_id, [objection_id])
    assert isinstance(objection, ObjectionRow) and objection.listing_id == "ECO-2024-1"
    [desk] = await store.read(desk_reads.department_listings, "ECOENV", 10)
    _is_full_listing(desk, firm, rep)
    [open_one] = await store.read(desk_reads.open_objections, "ECOENV", 10)
    assert isinstance(open_one, ObjectionRow)
    [open_too] = await store.read(objection_changes.open_objections, "ECOENV")
    assert isinstance(open_too, ObjectionRow)
    # under objection since 2024-05-01: SUSPENDED, still published
    published = await store.read(public_reads.published_listings, "BLACK", today, 10)
    assert [r.id for r in published if isinstance(r, ListingRow)] == ["ECO-2024-1"]

    [enterprise] = await store.read_statements(subjects.enterprises, [firm])
    assert isinstance(enterprise, EnterpriseRow) and enterprise.complete
    profile = await store.read_statements(subjects.enterprise_profile, firm, ProfileParts())
    assert profile is not None and isinstance(profile.enterprise, EnterpriseRow)
    parts = ProfileParts(roles=True, share_levels=1)
    profile = await store.read_statements(subjects.enterprise_profile, firm, parts)
    assert profile is not None and [type(r) for r in profile.roles] == [RelationRow]
    [(_, role)] = await store.read_statements(subjects.relations, "rolesAt", [firm])
    [(_, held)] = await store.read_statements(subjects.relations, "rolesOfPersons", [rep])
    for relation in (profile.roles[0], role, held):
        assert isinstance(relation, RelationRow) and relation.role == "LEGAL_REPRESENTATIVE"
        assert isinstance(relation.holder, PersonRow) and relation.holder.id_number == rep
        assert isinstance(relation.enterprise, EnterpriseRow) and relation.enterprise.uscc == firm
    hits = await store.read_statements(subjects.search_names, "绿源", 0, 10, 100, None, True)
    assert [type(h["node"]) for h in hits] == [EnterpriseRow]
    assert not hits[0]["node"].complete and hits[0]["node"].status_read

    [(_, made)] = await store.read_statements(commitments.commitments_of, "Enterprise", [firm])
    by_code = await store.read(commitments.commitment_by_code, code)
    for row in (made, by_code):
        assert isinstance(row, CommitmentRow) and row.code == code
        assert isinstance(row.subject, EnterpriseRow) and row.subject.uscc == firm
        assert isinstance(row.fulfilment, FulfilmentRow)
        assert row.broken_on == dt.date(2025, 3, 10)


REGISTER = """
mutation ($input: VoluntaryInformationInput!) { registerVoluntaryInformation(input: $input) { id } }
"""
APPLY = """
mutation ($input: RepairInput!) { applyForRepair(input: $input) { id } }
"""
ORDER = """
mutation ($input: RectificationInput!) { orderRectification(input: $input) { id } }
"""
CHECK = """
query ($uscc: String!) {
  checkBeforeApproval(subject: {uscc: $uscc}, scenario: ADMINISTRATIVE_LICENSE) { receiptId }
}
"""
ISSUE = """
mutation ($uscc: String!) {
  issueCreditReport(subject: {uscc: $uscc}, purpose: SELF_CHECK) { report { number } }
}
"""
PLAN = """
mutation ($input: SamplingPlanInput!) { createSamplingPlan(input: $input) { id targets { uscc } } }
"""
RESULT = """
mutation ($id: String!, $uscc: String!) {
  recordInspectionResult(planId: $id, uscc: $uscc, result: "未发现问题",
                         inspectedOn: "2025-02-01") { id }
}
"""
EVERY_EVENT: dict[str, Any] = {
    "public": False,
    "subjects": None,
    "domains": None,
    "types": None,
    "grades": None,
    "watchSubjects": None,
    "watchDomains": [],
    "warnedFor": None,
    "warningsAll": True,
    "warningDepartment": None,
}


def _evaluation(firm: str, grade: str, on: str) -> dict[str, Any]:
    return {
        "kind": "evaluation",
        "subject": {"uscc": firm},
        "grade": grade,
        "evaluatedOn": on,
        "source": "NDRC",
    }


async def _its_lifecycle(gql: GQL, firm: str) -> dict[str, str]:
    """The listed firm's grade falls from B to D (an early warning, the focus list and its
    interview order), then voluntary information, a repair application, a rectification order
    and a sampling plan's inspection result: their ids."""
    today = dt.date.today()
    decided = (today - dt.timedelta(days=30)).isoformat()
    penalty = f.action("ECO-P-1", {"uscc": firm}, "PENALTY", department="ECOENV", decided=decided)
    await load(gql.store, [penalty], department="ECOENV")
    await load(gql.store, [_evaluation(firm, "B", "2024-06-01")], department="NDRC")
    await load(gql.store, [_evaluation(firm, "D", "2025-01-01")], department="NDRC")
    voluntary = {
        "subject": {"uscc": firm},
        "category": "PUBLIC_WELFARE",
        "content": "捐建村级道路一条",
        "truthfulnessCommitment": "本单位承诺所填报信息真实、准确、完整",
        "registeredOn": "2025-05-01",
    }
    registered = await gql.ok(REGISTER, {"input": voluntary}, actor=ECO)
    repair = {"listingId": "ECO-2024-1", "conductCorrected": True, "reason": "已整改"}
    applied = await gql.ok(APPLY, {"input": repair}, actor=ECO)
    order = {
        "subject": {"uscc": firm},
        "content": "限期清理违规堆放的固体废物",
        "deadline": (today - dt.timedelta(days=1)).isoformat(),
        "reason": "现场检查发现",
        "on": (today - dt.timedelta(days=10)).isoformat(),
    }
    ordered = await gql.ok(ORDER, {"input": order}, actor=ECO)
    inspector = f.id_number("1985-03-03")
    await load(gql.store, [f.person(inspector, "蓝检查")])
    plan = {"seed": 2026, "inspectors": [inspector], "inspectorsPerTarget": 1}
    made = (await gql.ok(PLAN, {"input": plan}, actor=ECO))["createSamplingPlan"]
    assert firm in [t["uscc"] for t in made["targets"]]  # grade D: every one is drawn
    await gql.ok(RESULT, {"id": made["id"], "uscc": firm}, actor=ECO)
    return {
        "voluntary": registered["registerVoluntaryInformation"]["id"],
        "repair": applied["applyForRepair"]["id"],
        "order": ordered["orderRectification"]["id"],
    }


@pytest.mark.neo4j
async def test_the_store_hands_the_lifecycle_types_typed_rows(gql: GQL) -> None:
    firm, _, _ = await _a_listed_firm(gql)
    ids = await _its_lifecycle(gql, firm)
    store = gql.store
    today = dt.date.today()

    info = await store.read(commitments.voluntary_by_id, ids["voluntary"])
    [(key, declared)] = await store.read_statements(commitments.voluntary_of, "Enterprise", [firm])
    assert key == firm
    for row in (info, declared):
        assert isinstance(row, VoluntaryRow) and row.id == ids["voluntary"]
        assert row.registered_on == dt.date(2025, 5, 1) and row.status == "PENDING"

    [(_, repair)] = await store.read(repair_changes.repairs_by_id, [ids["repair"]])
    assert isinstance(repair, RepairRow) and repair.target_id == "ECO-2024-1"
    assert repair.requested_on == today and repair.decider == "ECOENV"

    [(_, order)] = await store.read(rectifications.by_id, [ids["order"]])
    about = await store.read(rectifications.of_subject, "Enterprise", firm)
    overdue = await store.read(rectifications.overdue_of, "ECOENV", today)
    assert isinstance(order, RectificationRow) and order.deadline < today
    assert ids["order"] in [r.id for r in about] and [r.id for r in overdue] == [ids["order"]]
    assert all(isinstance(r, RectificationRow) for r in (*about, *overdue))

    found = await store.read(measures.measures, None, None)
    assert found and all(isinstance(m, MeasureRow) for m in found)

    [inspected] = await store.read_statements(sampling.results_of, firm)
    assert isinstance(inspected, InspectionRow) and inspected.inspected_on == dt.date(2025, 2, 1)
    assert len(inspected.inspectors) == 1

    steps = await store.read_statements(history.history, "Enterprise", firm, 50, None, None)
    assert steps and all(isinstance(s, HistoryRow) for s in steps)
    assert {"LISTING", "RECTIFICATION"} <= {s.record_kind for s in steps}

    logged = await store.read(event_reads.page, 0, 1000, EVERY_EVENT)
    assert logged and all(isinstance(e, EventRow) for e in logged)
    [fell] = [e for e in logged if e.type == "EARLY_WARNING" and e.subject_key == firm]
    assert isinstance(fell.warning, WarningRow)
    [reason] = fell.warning.reasons
    assert isinstance(reason, WarningReasonRow)
    assert (reason.kind, reason.from_grade, reason.to_grade) == ("GRADE_FELL", "B", "D")
    assert reason.on == dt.date(2025, 1, 1)

    filters = {"asOf": today, "division": None, "department": None}
    [graded] = [
        r for r in await store.read_statements(grades.focus_page, filters, 100, 0) if r.key == firm
    ]
    assert isinstance(graded, GradedRow) and isinstance(graded.subject, EnterpriseRow)
    assert isinstance(graded.evaluation, EvaluationRow) and graded.evaluation.grade == "D"
    assert graded.departments and all(isinstance(d, str) for d in graded.departments)
    assert graded.orders and all(isinstance(o, RectificationRow) for o in graded.orders)

    issued = await gql.ok(ISSUE, {"uscc": firm}, actor=ECO)
    number = issued["issueCreditReport"]["report"]["number"]
    report = await store.read(reports.report_by_number, number)
    assert isinstance(report, ReportRow) and report.subject == firm
    assert report.pdf.startswith(b"%PDF") and report.as_of == today

    since = today - dt.timedelta(days=366)
    [action] = await store.read_statements(
        subjects.actions_page, "Enterprise", firm, 10, None, None
    )
    recent = await store.read(public_reads.recent_actions, ["PENALTY"], today, since, 50)
    [shown] = [r for r in recent if r.action.id == "ECO-P-1"]
    for stored in (action, shown.action):
        assert (
            isinstance(stored, ActionRow)
            and stored.id == "ECO-P-1"
            and stored.severity == "GENERAL"
        )
        assert (
            stored.decision_date == today - dt.timedelta(days=30) and stored.department == "ECOENV"
        )
    assert isinstance(shown, RecentActionRow) and isinstance(shown.subject, EnterpriseRow)
    assert shown.subject.uscc == firm

    key_id, _ = await create_key(store, Role.DEPARTMENT, "ECOENV", "生态环境局审批系统")
    [listed_key] = [k for k in await store.read(api_keys.list_keys, True, 100) if k.id == key_id]
    for stored_key in (listed_key, await store.read(api_keys.key_by_id, key_id)):
        assert isinstance(stored_key, KeyRow) and stored_key.department == "ECOENV"
        assert stored_key.role == "DEPARTMENT" and stored_key.revoked_at is None
    [created] = [
        a
        for a in await store.read(audit_log.page, 100, None, None, None)
        if a.target_key_id == key_id
    ]
    assert isinstance(created, AuditRow) and created.fields == ("createApiKey",)

    checked = await gql.ok(CHECK, {"uscc": firm}, actor=ECO)
    kept = await store.read(checks.receipt, checked["checkBeforeApproval"]["receiptId"])
    assert isinstance(kept, ReceiptRow) and kept.subject_key == firm and kept.as_of == today
    assert kept.hits and kept.decision in ("CAUTION", "RESTRICTED")

    [gathered] = await store.read(checks.gather, [{"i": 0, "uscc": firm, "idNumber": None}], today)
    subject = checks.gathered_subject(gathered)
    assert isinstance(subject, GatheredSubject) and subject.name == "隆林绿源农业开发有限公司"
