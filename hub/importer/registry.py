"""Every writer of the importer, in the order a commit unit runs them: declared here, once.

A writer (hub/importer/writers.py) is the store write of some record models, with its check
and its follow-up step. ``WRITE_ORDER`` is the order of a commit unit: each writer names the
writers whose lines must have landed before its own (``needs``), and the order respects them
(``order_problems``, tests/test_writer_registry.py). Every record model has exactly one writer
(``records``); the kinds of line that name those models are in hub/importer/kinds.py.

Nothing registers itself on import: a new kind is a model, a writer declared here, its place in
``WRITE_ORDER``, and its ``kind`` in hub/importer/kinds.py when it is a kind of upload line.
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.importer.commitment_records import CommitmentFulfilmentRecord, CommitmentRecord
from hub.importer.commitment_writers import (
    check_commitments,
    check_fulfilments,
    write_commitments,
    write_fulfilments,
)
from hub.importer.employment_records import EmploymentRecord
from hub.importer.evaluation_measure_records import EvaluationRecord, MeasureRecord
from hub.importer.listing_records import CourtDefaultRecord, ListingRecord, LoanDefaultRecord
from hub.importer.listing_writers import (
    check_listing,
    propagate_written,
    refresh_listed,
    write_evaluations,
    write_listings,
    write_loans,
    write_measures,
)
from hub.importer.records import (
    ActionRecord,
    BranchLinkRecord,
    DepartmentRecord,
    EnterpriseRecord,
    PersonRecord,
    Record,
    RoleRecord,
    ShareholdingRecord,
)
from hub.importer.shuanggongshi.records import (
    RowEnterpriseRecord,
    RowPersonRecord,
    TemplateActionRecord,
    check_row_actions,
    missing_subject_writer,
)
from hub.importer.writers import (
    Writer,
    check_action_owners,
    link_branches,
    node_writer,
    write_employment,
    write_rels,
)

SUBJECTS = ("enterprise", "person")

# Entities: what other lines refer to.
DEPARTMENTS = Writer("department", node_writer("Department"), (DepartmentRecord,))
MEASURES = Writer("measure", write_measures, (MeasureRecord,))
ENTERPRISES = Writer("enterprise", node_writer("Enterprise"), (EnterpriseRecord,))
PERSONS = Writer("person", node_writer("Person"), (PersonRecord,))
# A 双公示 row's subject, created only when the graph does not hold it (so after the entity
# lines that may define it); not a line of its own: the row is counted once, by its action.
ROW_ENTERPRISES = Writer(
    "rowEnterprise",
    missing_subject_writer("Enterprise"),
    (RowEnterpriseRecord,),
    needs=("enterprise",),
    counted=False,
    check=check_row_actions,
)
ROW_PERSONS = Writer(
    "rowPerson",
    missing_subject_writer("Person"),
    (RowPersonRecord,),
    needs=("person",),
    counted=False,
    check=check_row_actions,
)
# An enterprise line's branchOf, once every enterprise of the upload has landed.
BRANCH_LINKS = Writer(
    "branchLink", link_branches, (BranchLinkRecord,), needs=("enterprise",), counted=False
)

# Ties between entities. Roles and shareholdings re-derive the entries of the listings at the
# enterprises they touch (one ``after`` step for both: hub/importer/runner.py).
ROLES = Writer("role", write_rels, (RoleRecord,), needs=SUBJECTS, after=refresh_listed)
SHAREHOLDINGS = Writer(
    "shareholding", write_rels, (ShareholdingRecord,), needs=SUBJECTS, after=refresh_listed
)
EMPLOYMENTS = Writer(
    "employment", write_employment, (EmploymentRecord,), needs=("department", *SUBJECTS)
)
# A 双公示 row's action is an action (same writer, same owner check).
ACTIONS = Writer(
    "action",
    node_writer("Action"),
    (ActionRecord, TemplateActionRecord),
    needs=("department", *SUBJECTS, "rowEnterprise", "rowPerson"),
    check=check_action_owners,
)

# Listings and what is decided on subjects: each unit alone, after every unit before it
# (propagation reads the ties those units wrote).
LISTED = ("department", *SUBJECTS, "role", "shareholding")
LISTINGS = Writer(
    "listing",
    write_listings,
    (ListingRecord,),
    needs=LISTED,
    after=propagate_written,
    check=check_listing,
    alone=True,
)
COURT_DEFAULTS = Writer(
    "courtDefault",
    write_listings,
    (CourtDefaultRecord,),
    needs=LISTED,
    after=propagate_written,
    check=check_listing,
    alone=True,
)
LOAN_DEFAULTS = Writer(
    "loanDefault",
    write_loans,
    (LoanDefaultRecord,),
    needs=LISTED,
    after=propagate_written,
    check=check_listing,
    alone=True,
)
EVALUATIONS = Writer(
    "evaluation",
    write_evaluations,
    (EvaluationRecord,),
    needs=("department", *SUBJECTS),
    alone=True,
)
COMMITMENTS = Writer(
    "commitment",
    write_commitments,
    (CommitmentRecord,),
    needs=("department", *SUBJECTS),
    check=check_commitments,
    alone=True,
)
FULFILMENTS = Writer(
    "commitmentFulfilment",
    write_fulfilments,
    (CommitmentFulfilmentRecord,),
    needs=("commitment",),
    check=check_fulfilments,
    alone=True,
)

WRITE_ORDER: tuple[Writer, ...] = (
    DEPARTMENTS,
    MEASURES,
    ENTERPRISES,
    PERSONS,
    ROW_ENTERPRISES,
    ROW_PERSONS,
    BRANCH_LINKS,
    ROLES,
    SHAREHOLDINGS,
    EMPLOYMENTS,
    ACTIONS,
    LISTINGS,
    COURT_DEFAULTS,
    LOAN_DEFAULTS,
    EVALUATIONS,
    COMMITMENTS,
    FULFILMENTS,
)

# record model -> its writer (a test may swap one for a failing twin of the same name).
WRITER_OF: dict[type[Record], Writer] = {
    model: writer for writer in WRITE_ORDER for model in writer.records
}
_RANK = {writer.kind: place for place, writer in enumerate(WRITE_ORDER)}


def writer_of(record: Record) -> Writer:
    return WRITER_OF[type(record)]


def rank(writer: Writer) -> int:
    """The writer's place in ``WRITE_ORDER`` (by name)."""
    return _RANK[writer.kind]


def record_rank(item: tuple[int, Record]) -> int:
    """The place of a (line, record)'s writer: the sort key of a unit's items."""
    return _RANK[WRITER_OF[type(item[1])].kind]


def order_problems(order: Sequence[Writer]) -> list[str]:
    """What is wrong with an order of writers: a name twice, a need that is no writer's name,
    a writer placed before one it needs, a model with more than one writer."""
    problems: list[str] = []
    seen: set[str] = set()
    names = {writer.kind for writer in order}
    owners: dict[type[Record], list[str]] = {}
    for writer in order:
        if writer.kind in seen:
            problems.append(f"{writer.kind} is declared twice")
        for need in writer.needs:
            if need not in names:
                problems.append(f"{writer.kind} needs {need}, which is no writer")
            elif need not in seen:
                problems.append(f"{writer.kind} runs before {need}, which it needs")
        seen.add(writer.kind)
        for model in writer.records:
            owners.setdefault(model, []).append(writer.kind)
    problems += [
        f"{model.__name__} has {len(kinds)} writers ({', '.join(kinds)})"
        for model, kinds in owners.items()
        if len(kinds) > 1
    ]
    return problems
