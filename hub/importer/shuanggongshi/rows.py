"""One 双公示 row → the records the importer writes, or the row's errors by Chinese header.

A row becomes one ``action`` (hub/importer/shuanggongshi/records.py) and the ``enterprise`` or
``person`` it is about, which the runner writes only when the hub does not know that subject.
Every problem of a row is reported on the column's header as the file writes it, with the
row number a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from hub.identifiers import InvalidIdentifier, parse_id_number, parse_uscc
from hub.importer.parse import MAX_ERRORS_PER_LINE, LineError
from hub.importer.records import Record, Severity, digest
from hub.importer.report import MAX_REPORTED_ERRORS
from hub.importer.shuanggongshi import values as v
from hub.importer.shuanggongshi.headers import REQUIRED, Col, Generation, Layout, Template
from hub.importer.shuanggongshi.records import (
    RowEnterpriseRecord,
    RowPersonRecord,
    RowSubject,
    TemplateActionRecord,
)
from hub.text import normal_text

Cell = str | int | float | dt.datetime | dt.date | None

# An action record's field (alias) -> the column it comes from, for validation errors.
_FIELD_COLUMNS: dict[str, tuple[Col, ...]] = {
    "subjectName": (Col.NAME,),
    "title": (Col.VIOLATION_TYPE, Col.PENALTY_NAME, Col.LICENSE_DOC_NAME, Col.CERTIFICATE_NAME),
    "documentNumber": (Col.PENALTY_DOC_NO, Col.LICENSE_DOC_NO),
    "basis": (Col.PENALTY_BASIS,),
    "content": (Col.PENALTY_CONTENT, Col.PENALTY_RESULT, Col.LICENSE_CONTENT),
    "facts": (Col.FACTS, Col.PENALTY_REASON),
    "legalRepresentative": (Col.LEGAL_REP,),
    "registrationNumber": (Col.REG_NO,),
    "organizationCode": (Col.ORG_CODE,),
    "taxNumber": (Col.TAX_NO,),
    "institutionNumber": (Col.INSTITUTION_NO,),
    "socialOrgNumber": (Col.SOCIAL_ORG_NO,),
    "violationType": (Col.VIOLATION_TYPE,),
    "licenceSuspended": (Col.LICENCE_SUSPENDED,),
    "authority": (Col.PENALTY_AUTHORITY, Col.LICENSE_AUTHORITY),
    "sourceUnit": (Col.SOURCE_UNIT,),
    "documentName": (Col.LICENSE_DOC_NAME,),
    "certificateName": (Col.CERTIFICATE_NAME,),
    "licenceNumber": (Col.LICENCE_NO,),
    "penaltyCode": (Col.PENALTY_CODE,),
    "remark": (Col.REMARK,),
    "name": (Col.NAME,),
}


def cell_text(value: Cell) -> str:
    """A cell as text: strings stripped, whole floats without ".0", dates as yyyy-mm-dd."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat()


class RowReader:
    """Turns the rows of one table into records (``runner.LineParser``); keeps the warnings."""

    def __init__(self, layout: Layout, department: str, source_file: str, today: dt.date) -> None:
        self.layout = layout
        self.department = department
        self.source_file = source_file[:200] or "upload"
        self.today = today
        self.warnings: list[LineError] = []
        self.warnings_total = 0
        self._index = layout.index
        self._penalty = layout.template == Template.PENALTY
        self._old = layout.generation == Generation.OLD

    # -- cells -------------------------------------------------------------------------------

    def raw(self, cells: Sequence[Cell], col: Col) -> Cell:
        position = self._index.get(col)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def text(self, cells: Sequence[Cell], col: Col) -> str:
        return cell_text(self.raw(cells, col))

    def warn(self, line: int, col: Col, reason: str) -> None:
        self.warnings_total += 1
        if len(self.warnings) < MAX_REPORTED_ERRORS:
            self.warnings.append(LineError(line, self.layout.header(col), reason, "action"))

    # -- one row -----------------------------------------------------------------------------

    def __call__(self, number: int, cells: Sequence[Cell]) -> Any:
        size = len(cells)
        texts = {
            col: (
                ""
                if position >= size
                else cell.strip()
                if type(cell := cells[position]) is str
                else cell_text(cell)
            )
            for col, position in self._index.items()
        }
        if not any(texts.values()) and not any(cell_text(c) for c in cells):
            return None
        row = _Row(self, number, cells, texts)
        try:
            return row.records()
        except _Rejected:
            return row.errors[:MAX_ERRORS_PER_LINE]


class _Rejected(Exception):
    pass


class _Row:
    """The reading of one row: its values, its errors (by column)."""

    def __init__(
        self, reader: RowReader, number: int, cells: Sequence[Cell], texts: dict[Col, str]
    ) -> None:
        self.reader = reader
        self.number = number
        self.cells = cells
        self.texts = texts  # every known column's cell as stripped text ("" when empty)
        self.errors: list[LineError] = []
        self.key: str | None = None

    def text(self, col: Col) -> str:
        return self.texts.get(col, "")

    def code(self, col: Col) -> str:
        """An identifier cell: half-width, upper case, no spaces."""
        value = self.texts.get(col, "")
        if not value.isascii():
            value = "".join(normal_text(value).split())
        elif " " in value:
            value = value.replace(" ", "")
        return value.upper()

    def fail(self, col: Col, reason: str) -> None:
        header = self.reader.layout.header(col)
        self.errors.append(LineError(self.number, header, reason, "action", self.key))

    def required(self, col: Col) -> str:
        value = self.text(col)
        if not value:
            self.fail(col, "required column is empty")
        return value

    def optional(self, col: Col) -> str | None:
        return self.text(col) or None

    def date(self, col: Col, *, end: bool = False, required: bool = True) -> dt.date | None:
        raw = self.reader.raw(self.cells, col)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.fail(col, "required column is empty")
            return None
        value = raw if isinstance(raw, dt.date) else cell_text(raw)
        try:
            return v.end_date(value) if end else v.date(value)
        except v.CellError as error:
            self.fail(col, str(error))
            return None

    def amount(self, col: Col, texts: tuple[str, ...]) -> float | None:
        value = self.text(col)
        if not value:
            return None
        try:
            amount = v.wan_yuan(value)
        except v.CellError as error:
            self.fail(col, str(error))
            return None
        warning = v.yuan_mismatch(amount, *texts)
        if warning is not None:
            self.reader.warn(self.number, col, warning)
        return v.yuan(amount)

    def valid_uscc(self, col: Col, value: str) -> str | None:
        try:
            return parse_uscc(value).uscc
        except InvalidIdentifier as error:
            self.fail(col, f"invalid USCC: {error.reason}")
            return None

    def valid_id(self, col: Col, value: str) -> str | None:
        try:
            return parse_id_number(value).id_number
        except InvalidIdentifier as error:
            self.fail(col, f"invalid ID number: {error.reason}")
            return None

    # -- the subject -------------------------------------------------------------------------

    def subject_class(self) -> v.SubjectClass:
        written = self.text(Col.CLASS)
        if written:
            try:
                return v.subject_class(written)
            except v.CellError as error:
                self.fail(Col.CLASS, str(error))
                raise _Rejected from None
        if Col.CLASS in self.reader.layout.index and not self.reader._old:
            self.fail(Col.CLASS, "required column is empty")
            raise _Rejected
        usable_uscc = self.code(Col.USCC) not in ("", v.PLACEHOLDER_USCC)
        personal = self.code(Col.ID_NO) or self.code(Col.RESIDENT_ID)
        return (
            v.SubjectClass.PERSON if personal and not usable_uscc else v.SubjectClass.ORGANISATION
        )

    def person_id(self, type_col: Col, number_col: Col, who: str) -> str | None:
        """A citizen ID from a (证件类型, 证件号码) pair; 居民身份证号 (1.0) has no type."""
        number = self.code(number_col)
        if not number and number_col == Col.ID_NO and self.code(Col.RESIDENT_ID):
            number_col, number = Col.RESIDENT_ID, self.code(Col.RESIDENT_ID)
        if not number:
            return None
        if number_col != Col.RESIDENT_ID and type_col in self.reader.layout.index:
            written = self.text(type_col)
            if not written:
                self.fail(type_col, f"{who}: 证件类型 is required with 证件号码")
                return None
            try:
                kind = v.id_type(written)
            except v.CellError as error:
                self.fail(type_col, str(error))
                return None
            if kind != v.ID_CARD:
                self.fail(
                    type_col,
                    f"{who}: the hub records natural persons by their citizen ID "
                    f"(证件类型 01 身份证); type {kind} cannot be recorded",
                )
                return None
        return self.valid_id(number_col, number)

    def subject(self, klass: v.SubjectClass, name: str) -> tuple[str, str, Record | None]:
        """(label, key, the record creating it when unknown)."""
        source = self.reader.source_file
        legal_rep = self.text(Col.LEGAL_REP) or None
        uscc_text = self.code(Col.USCC)
        if klass == v.SubjectClass.PERSON:
            id_number = self.person_id(Col.ID_TYPE, Col.ID_NO, "自然人")
            if id_number is None:
                if not self.errors:
                    self.fail(Col.ID_NO, "a natural person (自然人) needs 证件类型 and 证件号码")
                raise _Rejected
            return "Person", id_number, self.person(id_number, name, source)
        if uscc_text == v.PLACEHOLDER_USCC and klass == v.SubjectClass.INDIVIDUAL_BUSINESS:
            if not self.code(Col.REG_NO):
                self.fail(
                    Col.REG_NO,
                    "with the placeholder USCC 00000000000000000X, 工商注册号 is required",
                )
            operator = self.person_id(Col.LEGAL_REP_ID_TYPE, Col.LEGAL_REP_ID, "经营者")
            if operator is None and not self.errors:
                operator = self.person_id(Col.ID_TYPE, Col.ID_NO, "经营者")
            if operator is None:
                if not self.errors:
                    self.fail(
                        Col.LEGAL_REP_ID,
                        "an individual business without a USCC is recorded on its operator: "
                        "give the operator's citizen ID in 法定代表人证件号码 (证件类型 01)",
                    )
                raise _Rejected
            if self.errors:
                raise _Rejected
            return "Person", operator, self.person(operator, legal_rep or name, source)
        if not uscc_text:
            hint = (
                " (an individual business without one writes 00000000000000000X and gives "
                "工商注册号)"
                if klass == v.SubjectClass.INDIVIDUAL_BUSINESS
                else ""
            )
            self.fail(Col.USCC, f"统一社会信用代码 is required for {klass.value}{hint}")
            raise _Rejected
        if uscc_text == v.PLACEHOLDER_USCC:
            self.fail(
                Col.USCC,
                "the placeholder 00000000000000000X is for 个体工商户 only; "
                f"a {klass.value} gives its USCC",
            )
            raise _Rejected
        uscc = self.valid_uscc(Col.USCC, uscc_text)
        if uscc is None:
            raise _Rejected
        data = {
            "kind": "enterprise",
            "uscc": uscc,
            "name": name,
            "registrationNumber": self.code(Col.REG_NO) or None,
            "legalRepresentative": legal_rep,
            "sourceFile": source,
        }
        try:
            return "Enterprise", uscc, RowEnterpriseRecord.model_validate(data)
        except ValidationError as error:
            self.validation(error)
            raise _Rejected from None

    def person(self, id_number: str, name: str, source: str) -> Record:
        data = {"kind": "person", "idNumber": id_number, "name": name, "sourceFile": source}
        try:
            return RowPersonRecord.model_validate(data)
        except ValidationError as error:
            self.validation(error)
            raise _Rejected from None

    def validation(self, error: ValidationError) -> None:
        for problem in error.errors(include_url=False)[:MAX_ERRORS_PER_LINE]:
            loc = problem["loc"]
            name = str(loc[0]) if loc else ""
            cols = [c for c in _FIELD_COLUMNS.get(name, ()) if c in self.reader.layout.index]
            reason = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
            if cols:
                self.fail(cols[0], reason)
            else:
                self.errors.append(LineError(self.number, name or "(row)", reason, "action"))

    # -- the row -----------------------------------------------------------------------------

    def records(self) -> tuple[Record, ...]:
        name = self.required(Col.NAME)
        klass = self.subject_class()
        if not name:
            raise _Rejected
        label, key, subject = self.subject(klass, normal_text(name))
        if self.errors:
            raise _Rejected
        action = self.action(label, key, klass, normal_text(name))
        if self.errors or action is None:
            raise _Rejected
        if isinstance(subject, RowSubject):
            return (action, subject.for_action(action))
        return (action,)

    def action(
        self, label: str, key: str, klass: v.SubjectClass, name: str
    ) -> TemplateActionRecord | None:
        reader = self.reader
        penalty, old = reader._penalty, reader._old
        doc_col = Col.PENALTY_DOC_NO if penalty else Col.LICENSE_DOC_NO
        date_col = Col.PENALTY_DATE if penalty else Col.LICENSE_DATE
        document = self.text(doc_col)
        licence_no = self.text(Col.LICENCE_NO)
        if penalty and not document:
            self.fail(doc_col, "required column is empty")
        elif not penalty and document in ("", "空") and not licence_no:
            self.fail(
                doc_col,
                "required column is empty (write 空 when there is none, and give 许可编号)",
            )
        natural = document if document not in ("", "空") else f"licence:{licence_no}"
        self.key = "SGS-{}-{}".format(
            "P" if penalty else "L", digest(reader.department, natural, label, key)
        )
        decided = self.date(date_col)
        if decided is not None and decided > reader.today:
            self.fail(
                date_col, f"{decided.isoformat()} is after today ({reader.today.isoformat()})"
            )
        legal_rep_id = self.code(Col.LEGAL_REP_ID) or self.code(Col.RESIDENT_ID) * (
            klass != v.SubjectClass.PERSON
        )
        legal_rep_type = self.text(Col.LEGAL_REP_ID_TYPE)
        if self.code(Col.LEGAL_REP_ID) and legal_rep_type:
            try:
                legal_rep_type = v.id_type(legal_rep_type)
            except v.CellError as error:
                self.fail(Col.LEGAL_REP_ID_TYPE, str(error))
            if legal_rep_type == v.ID_CARD:
                self.valid_id(Col.LEGAL_REP_ID, legal_rep_id)
        if old and penalty and klass != v.SubjectClass.PERSON and not self.text(Col.LEGAL_REP):
            self.fail(Col.LEGAL_REP, "法定代表人姓名 is required for a non-natural person (1.0)")
        fields: dict[str, Any] = {
            "kind": "action",
            "id": self.key,
            "subject": {"uscc": key} if label == "Enterprise" else {"idNumber": key},
            "type": "PENALTY" if penalty else "LICENSE",
            "department": reader.department,
            "decisionDate": decided,
            "documentNumber": document or None,
            "template": reader.layout.template.value,
            "generation": reader.layout.generation.value,
            "subjectName": name,
            "subjectClass": klass.value,
            "registrationNumber": self.code(Col.REG_NO) or None,
            "organizationCode": self.code(Col.ORG_CODE) or None,
            "taxNumber": self.code(Col.TAX_NO) or None,
            "institutionNumber": self.code(Col.INSTITUTION_NO) or None,
            "socialOrgNumber": self.code(Col.SOCIAL_ORG_NO) or None,
            "legalRepresentative": self.optional(Col.LEGAL_REP),
            "legalRepresentativeIdType": legal_rep_type or None,
            "legalRepresentativeId": legal_rep_id or None,
            "idType": self.id_type_written(klass),
            "remark": self.optional(Col.REMARK),
            "sourceUnit": self.optional(Col.SOURCE_UNIT),
            "sourceUnitUscc": self.authority_uscc(Col.SOURCE_UNIT_USCC),
        }
        if Col.SOURCE_UNIT in reader.layout.index:
            self.required(Col.SOURCE_UNIT)
            if not fields["sourceUnitUscc"] and not self.errors:
                self.required(Col.SOURCE_UNIT_USCC)
        self.generation_columns(fields, decided)
        if penalty:
            self.penalty(fields, decided)
        else:
            self.licence(fields, decided)
        if self.errors:
            return None
        try:  # a field left out takes its default, as a JSON Lines line without the key
            return TemplateActionRecord.model_validate(
                {k: value for k, value in fields.items() if value is not None}
            )
        except ValidationError as error:
            self.validation(error)
            return None

    def id_type_written(self, klass: v.SubjectClass) -> str | None:
        if klass != v.SubjectClass.PERSON:
            return None
        written = self.text(Col.ID_TYPE)
        try:
            return v.id_type(written) if written else None
        except v.CellError:
            return None  # reported by person_id

    def authority_uscc(self, col: Col) -> str | None:
        value = self.code(col)
        return self.valid_uscc(col, value) if value else None

    def generation_columns(self, fields: dict[str, Any], decided: dt.date | None) -> None:
        """当前状态, 信息使用范围, 地方编码, 数据更新时间戳 (1.0; 当前状态 is free text in 2.0)."""
        status = self.text(Col.STATUS)
        if self.reader._old:
            try:
                code = v.old_status(status)
                fields["templateStatus"] = code
                if code == "3" and not self.text(Col.REMARK):
                    self.fail(Col.REMARK, "当前状态 3 (其他) is explained in 备注")
            except v.CellError as error:
                self.fail(Col.STATUS, str(error))
            try:
                fields["divisionCode"] = v.division(self.required(Col.DIVISION))
            except v.CellError as error:
                if self.text(Col.DIVISION):
                    self.fail(Col.DIVISION, str(error))
            updated = self.date(Col.UPDATED_AT, required=False)
            if updated is not None and decided is not None and updated < decided:
                self.fail(
                    Col.UPDATED_AT,
                    f"数据更新时间戳 {updated.isoformat()} is before the decision "
                    f"({decided.isoformat()})",
                )
        else:
            fields["templateStatus"] = status or None
        try:  # 1.0's column; the hub's export writes it in 2.0 files too
            fields["disclosure"] = v.scope(self.text(Col.SCOPE)).value
        except v.CellError as error:
            self.fail(Col.SCOPE, str(error))

    def not_before(self, col: Col, day: dt.date | None, decided: dt.date | None) -> None:
        if day is not None and decided is not None and day < decided:
            self.fail(col, f"{day.isoformat()} is before the decision date {decided.isoformat()}")

    def validity_end(self, col: Col, fields: dict[str, Any], decided: dt.date | None) -> None:
        raw_end = self.date(col, end=True, required=col in _required(self.reader.layout))
        fields["validTo"] = raw_end
        fields["longTerm"] = raw_end is None and bool(self.text(col))
        self.not_before(col, raw_end, decided)

    def penalty(self, fields: dict[str, Any], decided: dt.date | None) -> None:
        old = self.reader._old
        content_col = Col.PENALTY_RESULT if old else Col.PENALTY_CONTENT
        content = self.required(content_col)
        title_col = Col.PENALTY_NAME if old else Col.VIOLATION_TYPE
        title = self.required(title_col)
        facts_col = Col.PENALTY_REASON if old else Col.FACTS
        facts = self.required(facts_col)
        basis = self.required(Col.PENALTY_BASIS)
        categories_text = self.required(Col.PENALTY_CATEGORY)
        if categories_text and decided is not None:
            try:
                written, kinds = v.penalty_categories(categories_text, decided)
                fields["penaltyCategories"] = written
                fields["penalties"] = [k.value for k in kinds]
            except v.CellError as error:
                self.fail(Col.PENALTY_CATEGORY, str(error))
        texts = (content, self.text(Col.REMARK), categories_text)
        fields["amount"] = self.amount(Col.FINE, texts)
        fields["confiscatedAmount"] = self.amount(Col.CONFISCATED, texts)
        if old:
            code, severity = Severity.GENERAL.value, Severity.GENERAL
            try:
                code, severity = v.credit_severity(self.text(Col.CREDIT_SEVERITY))
            except v.CellError as error:
                self.fail(Col.CREDIT_SEVERITY, str(error))
            fields["creditSeverity"] = code
            fields["severity"] = severity.value
            fields["penaltyCode"] = self.optional(Col.PENALTY_CODE)
        else:
            fields["severity"] = Severity.GENERAL.value
        self.validity_end(Col.PENALTY_VALID_TO, fields, decided)
        publicity = self.date(Col.PUBLICITY_END, end=True, required=False)
        self.not_before(Col.PUBLICITY_END, publicity, decided)
        fields["publicityEnd"] = publicity
        fields.update(
            {
                "title": title,
                "violationType": None if old else title,
                "facts": facts,
                "basis": basis,
                "content": content,
                "licenceSuspended": self.optional(Col.LICENCE_SUSPENDED),
                "authority": self.required(Col.PENALTY_AUTHORITY),
                "authorityUscc": self.authority_uscc(Col.PENALTY_AUTHORITY_USCC),
            }
        )
        if not old and not fields["authorityUscc"]:
            self.required(Col.PENALTY_AUTHORITY_USCC)

    def licence(self, fields: dict[str, Any], decided: dt.date | None) -> None:
        old = self.reader._old
        category_col = Col.APPROVAL_CATEGORY if old else Col.LICENSE_CATEGORY
        content = self.required(Col.LICENSE_CONTENT)
        category = self.required(category_col)
        valid_from = self.date(Col.VALID_FROM)
        self.validity_end(Col.VALID_TO, fields, decided)
        if (
            fields["validTo"] is not None
            and valid_from is not None
            and fields["validTo"] < valid_from
        ):
            self.fail(
                Col.VALID_TO,
                f"{fields['validTo'].isoformat()} is before 有效期自 {valid_from.isoformat()}",
            )
        document_name = self.optional(Col.LICENSE_DOC_NAME)
        certificate = self.optional(Col.CERTIFICATE_NAME)
        fields.update(
            {
                "title": document_name or certificate or content[:200] or "行政许可",
                "content": content,
                "licenceCategory": category,
                "validFrom": valid_from,
                "documentName": document_name,
                "certificateName": certificate,
                "licenceNumber": self.optional(Col.LICENCE_NO),
                "authority": self.required(Col.LICENSE_AUTHORITY),
                "authorityUscc": self.authority_uscc(Col.LICENSE_AUTHORITY_USCC),
            }
        )
        if not old and not fields["authorityUscc"]:
            self.required(Col.LICENSE_AUTHORITY_USCC)


def _required(layout: Layout) -> set[Col]:
    return set(REQUIRED[(layout.template, layout.generation)])
