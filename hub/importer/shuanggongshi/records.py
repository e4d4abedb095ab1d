"""The records a 双公示 row becomes: the exchange format's own kinds, with the template's columns.

``TemplateActionRecord`` is an ``action`` (same validation, same writer, same natural key rules)
that also keeps the template columns the exchange format has no field for, so that the export
gives the row back as it came. ``RowEnterpriseRecord`` / ``RowPersonRecord`` are the
``enterprise`` / ``person`` a row names, written only when the hub does not know the subject
(hub/store/shuanggongshi.py), marked with the file they came from.
"""

from __future__ import annotations

from typing import Any, ClassVar

from hub.importer.fields import IsoDate, LongText, Text
from hub.importer.parse import LineError
from hub.importer.records import ActionRecord, EnterpriseRecord, PersonRecord, Record
from hub.importer.writers import owner_refusal, rows_of
from hub.pinyin import pinyin_terms
from hub.store.import_writes import action_departments
from hub.store.imports import Counts, Provenance
from hub.store.shuanggongshi import create_missing

# template column (camelCase property) -> stored on the Action node as is
TEMPLATE_PROPS = (
    "generation",
    "subjectName",
    "subjectClass",
    "registrationNumber",
    "organizationCode",
    "taxNumber",
    "institutionNumber",
    "socialOrgNumber",
    "legalRepresentative",
    "legalRepresentativeIdType",
    "legalRepresentativeId",
    "idType",
    "violationType",
    "facts",
    "penaltyCategories",
    "confiscatedAmount",
    "licenceSuspended",
    "validFrom",
    "validTo",
    "longTerm",
    "publicityEnd",
    "authority",
    "authorityUscc",
    "sourceUnit",
    "sourceUnitUscc",
    "documentName",
    "licenceCategory",
    "certificateName",
    "licenceNumber",
    "templateStatus",
    "creditSeverity",
    "penaltyCode",
    "divisionCode",
    "remark",
)


_REPEATS = (
    ("violationType", "title"),
    ("sourceUnit", "authority"),
    ("sourceUnitUscc", "authorityUscc"),
)


class TemplateActionRecord(ActionRecord):
    """An action read from a 双公示 row (kind ``action``)."""

    template: Text
    generation: Text
    subject_name: Text
    subject_class: Text
    registration_number: Text | None = None
    organization_code: Text | None = None
    tax_number: Text | None = None
    institution_number: Text | None = None
    social_org_number: Text | None = None
    legal_representative: Text | None = None
    legal_representative_id_type: Text | None = None
    legal_representative_id: Text | None = None
    id_type: Text | None = None
    violation_type: Text | None = None
    facts: LongText | None = None
    penalty_categories: tuple[Text, ...] = ()
    confiscated_amount: float | None = None
    licence_suspended: Text | None = None
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    long_term: bool = False
    publicity_end: IsoDate | None = None
    authority: Text | None = None
    authority_uscc: Text | None = None
    source_unit: Text | None = None
    source_unit_uscc: Text | None = None
    document_name: Text | None = None
    licence_category: Text | None = None
    certificate_name: Text | None = None
    licence_number: Text | None = None
    template_status: Text | None = None
    credit_severity: Text | None = None
    penalty_code: Text | None = None
    division_code: Text | None = None
    remark: LongText | None = None

    def row(self) -> dict[str, Any]:
        row = super().row()
        props = row["props"]
        data = self.model_dump(by_alias=True, include=set(_FIELDS))
        for name in TEMPLATE_PROPS:
            value = data.get(name)
            if isinstance(value, tuple):
                value = list(value) or None
            props[name] = value
        # What another property already says is not stored twice (the export reads it there):
        # a large upload's commit unit is one Neo4j transaction, held in its memory.
        for name, same_as in _REPEATS:
            if props[name] == props[same_as]:
                props[name] = None
        props["longTerm"] = props["longTerm"] or None
        return row


_FIELDS = [
    name for name in TemplateActionRecord.model_fields if name not in ActionRecord.model_fields
]


class RowSubject(Record):
    """What a row's subject knows of the row's action: the subject is created only with it.

    The action is written after every subject of the upload (a fact); when the write of the
    action would be refused (``check_action_owners``), the subject the row would have created
    is refused with it, in the subject's own commit unit (``check_row_actions``), and the
    action line is not tried again (``Rejections.refused``).
    """

    row_action: Text | None = None
    row_department: Text | None = None

    def for_action(self, action: ActionRecord) -> RowSubject:
        return self.model_copy(
            update={"row_action": action.id, "row_department": action.department}
        )


class RowEnterpriseRecord(RowSubject, EnterpriseRecord):
    """The enterprise a row names (created when unknown; never updates a known one)."""

    phase: ClassVar[int] = 1
    registration_number: Text | None = None
    legal_representative: Text | None = None
    source_file: Text

    def row(self) -> dict[str, Any]:
        row = super().row()
        row["props"]["registrationNumber"] = self.registration_number
        row["props"]["legalRepresentativeName"] = self.legal_representative
        row["createdFrom"] = self.source_file
        return row


class RowPersonRecord(RowSubject, PersonRecord):
    """The natural person a row names (created when unknown)."""

    phase: ClassVar[int] = 1
    source_file: Text

    def row(self) -> dict[str, Any]:
        row = super().row()
        row["createdFrom"] = self.source_file
        return row


async def check_row_actions(
    tx: Any, items: list[tuple[int, Record]], prov: Provenance
) -> list[LineError]:
    """The subjects of rows whose action another department owns are not created: their
    lines are refused here, with the action's own error (the subject's key is then rejected,
    so another row naming it is told which line it came from)."""
    actions = [r.row_action for _, r in items if isinstance(r, RowSubject) and r.row_action]
    owners = await action_departments(tx, actions) if actions else {}
    errors = []
    for line, record in items:
        assert isinstance(record, RowSubject)  # noqa: S101 - registered for row subjects
        owner = owners.get(record.row_action or "", record.row_department)
        if record.row_action and owner is not None and owner != record.row_department:
            errors.append(owner_refusal(line, record.row_action, owner, "action"))
    return errors


def missing_subject_writer(label: str) -> Any:
    """The write of a row's subject: created when the graph does not hold it."""

    async def write(tx: Any, items: list[tuple[int, Record]], prov: Provenance) -> Counts:
        rows = rows_of(items)
        for row in rows:  # searched by pinyin as an entity line's subject is (writers.py)
            row["props"]["pinyin"] = pinyin_terms(row["props"]["name"])
        return await create_missing(tx, label, rows, prov)

    return write
