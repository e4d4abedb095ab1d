"""The kinds of line of the exchange format (docs/exchange-format.md): ``kind`` -> its model.

Declared here, once; a model's writer is declared in hub/importer/registry.py (a test checks
that every model has exactly one). This module imports only the record models, so that the
parser can read it without the writers.
"""

from __future__ import annotations

from hub.importer.commitment_records import CommitmentFulfilmentRecord, CommitmentRecord
from hub.importer.employment_records import EmploymentRecord
from hub.importer.evaluation_measure_records import EvaluationRecord, MeasureRecord
from hub.importer.listing_records import CourtDefaultRecord, ListingRecord, LoanDefaultRecord
from hub.importer.records import (
    ActionRecord,
    DepartmentRecord,
    EnterpriseRecord,
    PersonRecord,
    Record,
    RoleRecord,
    ShareholdingRecord,
)

KINDS: dict[str, type[Record]] = {
    "department": DepartmentRecord,
    "enterprise": EnterpriseRecord,
    "person": PersonRecord,
    "role": RoleRecord,
    "shareholding": ShareholdingRecord,
    "employment": EmploymentRecord,
    "action": ActionRecord,
    "listing": ListingRecord,
    "courtDefault": CourtDefaultRecord,
    "loanDefault": LoanDefaultRecord,
    "evaluation": EvaluationRecord,
    "measure": MeasureRecord,
    "commitment": CommitmentRecord,
    "commitmentFulfilment": CommitmentFulfilmentRecord,
}
